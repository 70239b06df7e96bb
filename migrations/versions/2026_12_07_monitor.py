"""The SWV monitor: old pseudonyms kept as aliases after a renumbering (regel 18), and the
delivery of a submitted register through the Inspectie's portal, recorded once.

Revision ID: 2026_12_07_monitor
Revises: 2026_12_07_retentie
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_07_monitor"
down_revision: str | None = "2026_12_07_retentie"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
TABELLEN = ("pseudoniem_aliassen", "inspectie_leveringen")


def upgrade() -> None:
    op.create_table(
        "pseudoniem_aliassen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("pseudoniem", sa.String(length=40), nullable=False),
        sa.Column("nieuw_pseudoniem", sa.String(length=40), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gewijzigd_door", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_pseudoniem_aliassen_leerling_id_leerlingen"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_pseudoniem_aliassen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pseudoniem_aliassen")),
        sa.UniqueConstraint(
            "swv_id", "pseudoniem", name=op.f("uq_pseudoniem_aliassen_swv_id_pseudoniem")
        ),
    )
    op.create_index(
        op.f("ix_pseudoniem_aliassen_leerling_id"),
        "pseudoniem_aliassen",
        ["leerling_id"],
        unique=False,
    )
    op.create_table(
        "inspectie_leveringen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("indiening_id", sa.Uuid(), nullable=False),
        sa.Column("geleverd_op", sa.Date(), nullable=False),
        sa.Column("geleverd_door", sa.String(length=100), nullable=False),
        sa.Column("referentie", sa.String(length=100), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vastgelegd_door", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["indiening_id"],
            ["inspectie_indieningen.id"],
            name=op.f("fk_inspectie_leveringen_indiening_id_inspectie_indieningen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_inspectie_leveringen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspectie_leveringen")),
        sa.UniqueConstraint("indiening_id", name=op.f("uq_inspectie_leveringen_indiening_id")),
    )
    # A recorded delivery is history: never changed or removed (as the submission it records).
    op.execute(
        "CREATE TRIGGER leveringen_onveranderlijk BEFORE UPDATE OR DELETE "
        "ON inspectie_leveringen FOR EACH ROW EXECUTE FUNCTION indieningen_onveranderlijk()"
    )
    for tabel in TABELLEN:
        op.execute(f"ALTER TABLE {tabel} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY swv_scheiding ON {tabel} USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
        )


def downgrade() -> None:
    for tabel in TABELLEN:
        op.execute(f"DROP POLICY swv_scheiding ON {tabel}")
    op.execute("DROP TRIGGER leveringen_onveranderlijk ON inspectie_leveringen")
    op.drop_table("inspectie_leveringen")
    op.drop_index(op.f("ix_pseudoniem_aliassen_leerling_id"), table_name="pseudoniem_aliassen")
    op.drop_table("pseudoniem_aliassen")
