"""Identified mode (encrypted name, address, BSN with keyed hash) and anonymisation.

Revision ID: 2026_11_23_identiteit
Revises: 2026_11_23_toegang
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_23_identiteit"
down_revision: str | None = "2026_11_23_toegang"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("leerlingen", sa.Column("naam_versleuteld", sa.LargeBinary(), nullable=True))
    op.add_column("leerlingen", sa.Column("adres_versleuteld", sa.LargeBinary(), nullable=True))
    op.add_column("leerlingen", sa.Column("bsn_versleuteld", sa.LargeBinary(), nullable=True))
    op.add_column("leerlingen", sa.Column("bsn_zoekhash", sa.LargeBinary(), nullable=True))
    op.add_column(
        "leerlingen", sa.Column("geanonimiseerd_op", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "uq_leerlingen_bsn",
        "leerlingen",
        ["swv_id", "bsn_zoekhash"],
        unique=True,
        postgresql_where="bsn_zoekhash IS NOT NULL",
    )
    # Anonymisation after the retention period may blank free text in a fact's payload, and
    # nothing else: the fact itself (kind, dates, child) stays as it was recorded.
    op.execute(
        """
        CREATE OR REPLACE FUNCTION feiten_alleen_toevoegen() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE'
               AND current_setting('app.anonimiseren', true) = 'aan'
               AND NEW.id = OLD.id AND NEW.leerling_id = OLD.leerling_id
               AND NEW.swv_id = OLD.swv_id AND NEW.soort = OLD.soort
               AND NEW.geldig_vanaf = OLD.geldig_vanaf
               AND NEW.geregistreerd_op = OLD.geregistreerd_op THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'feiten worden nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )


def downgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION feiten_alleen_toevoegen() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'feiten worden nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    op.drop_index(
        "uq_leerlingen_bsn", table_name="leerlingen", postgresql_where="bsn_zoekhash IS NOT NULL"
    )
    op.drop_column("leerlingen", "geanonimiseerd_op")
    op.drop_column("leerlingen", "bsn_zoekhash")
    op.drop_column("leerlingen", "bsn_versleuteld")
    op.drop_column("leerlingen", "adres_versleuteld")
    op.drop_column("leerlingen", "naam_versleuteld")
