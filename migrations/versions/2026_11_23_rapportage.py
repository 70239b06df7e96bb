"""Submitted Inspectie reports: immutable (trigger), per SWV (row-level security).

Revision ID: 2026_11_23_rapportage
Revises: 2026_11_23_identiteit
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_11_23_rapportage"
down_revision: str | None = "2026_11_23_identiteit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspectie_indieningen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("bekend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingediend_door", sa.String(length=100), nullable=False),
        sa.Column("inhoud", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("aantal_rijen", sa.Integer(), nullable=False),
        sa.Column("per_categorie", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_inspectie_indieningen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspectie_indieningen")),
    )
    op.execute(
        """
        CREATE FUNCTION indieningen_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'een ingediend register wordt nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER indieningen_onveranderlijk BEFORE UPDATE OR DELETE "
        "ON inspectie_indieningen FOR EACH ROW EXECUTE FUNCTION indieningen_onveranderlijk()"
    )
    op.execute(
        "CREATE TRIGGER indieningen_niet_legen BEFORE TRUNCATE ON inspectie_indieningen "
        "FOR EACH STATEMENT EXECUTE FUNCTION indieningen_onveranderlijk()"
    )
    eigen = (
        "(swv_id::text = current_setting('app.swv_id', true) "
        "OR current_setting('app.swv_id', true) = '*')"
    )
    op.execute("ALTER TABLE inspectie_indieningen ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE inspectie_indieningen FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY swv_scheiding ON inspectie_indieningen USING {eigen} WITH CHECK {eigen}"
    )


def downgrade() -> None:
    op.execute("DROP POLICY swv_scheiding ON inspectie_indieningen")
    op.execute("DROP TRIGGER indieningen_niet_legen ON inspectie_indieningen")
    op.execute("DROP TRIGGER indieningen_onveranderlijk ON inspectie_indieningen")
    op.execute("DROP FUNCTION indieningen_onveranderlijk()")
    op.drop_table("inspectie_indieningen")
