"""The Inspectie register as a projection: a child's row per peildatum, per SWV (row-level
security), replaced with its timeline (docs/decisions/0012-register-projectie.md).

A migration cannot run the domain that computes the rows: `app.cli.migrate` (`thuiszitters
migrate`, `run`) rebuilds the projections after applying this revision to a database that already
had a schema (`PROJECTIE_REVISIES`).

Revision ID: 2026_11_23_register_rijen
Revises: 2026_11_23_audit_getoond
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_11_23_register_rijen"
down_revision: str | None = "2026_11_23_audit_getoond"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the other per-SWV tables (2026_11_23_rls): the transaction's SWV, '*' for maintenance.
SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"


def upgrade() -> None:
    op.create_table(
        "register_rijen",
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("pseudoniem", sa.String(length=40), nullable=False),
        sa.Column("leeftijd", sa.SmallInteger(), nullable=False),
        sa.Column("categorie_peildatum", sa.String(length=12), nullable=False),
        sa.Column("hoogste_categorie", sa.String(length=12), nullable=False),
        sa.Column("verloop", postgresql.ARRAY(sa.String(length=12)), nullable=False),
        sa.Column("typering", sa.String(length=20), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=True),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("duur_dagen", sa.Integer(), nullable=False),
        sa.Column("duurklasse", sa.String(length=24), nullable=False),
        sa.Column("ziek_gemeld_door_ouders", sa.Boolean(), nullable=True),
        sa.Column("aanbod", sa.String(length=20), nullable=True),
        sa.Column("jeugdhulp", sa.String(length=80), nullable=True),
        sa.Column("reden_beeindigd", sa.String(length=40), nullable=True),
        sa.Column("pact_overschreden", sa.Boolean(), nullable=False),
        sa.Column("aantal_episodes", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_register_rijen_leerling_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_register_rijen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("leerling_id", "peildatum", name=op.f("pk_register_rijen")),
    )
    op.create_index(
        "ix_register_rijen_swv_peildatum",
        "register_rijen",
        ["swv_id", "peildatum", "pseudoniem"],
        unique=False,
        postgresql_include=[
            "leeftijd",
            "categorie_peildatum",
            "hoogste_categorie",
            "verloop",
            "typering",
            "soort",
            "startdatum",
            "einddatum",
            "duur_dagen",
            "duurklasse",
            "ziek_gemeld_door_ouders",
            "aanbod",
            "jeugdhulp",
            "reden_beeindigd",
            "pact_overschreden",
            "aantal_episodes",
        ],
    )
    op.execute("ALTER TABLE register_rijen ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE register_rijen FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY swv_scheiding ON register_rijen USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
    )


def downgrade() -> None:
    op.execute("DROP POLICY swv_scheiding ON register_rijen")
    op.drop_index("ix_register_rijen_swv_peildatum", table_name="register_rijen")
    op.drop_table("register_rijen")
