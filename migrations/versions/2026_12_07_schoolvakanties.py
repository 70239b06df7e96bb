"""Loaded school-holiday calendars and vestigingen's own days off, versioned per SWV (row-level
security as the register tables, 2026_11_23_rls).

Revision ID: 2026_12_07_schoolvakanties
Revises: 2026_11_23_register_rijen
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_12_07_schoolvakanties"
down_revision: str | None = "2026_11_23_register_rijen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"


def upgrade() -> None:
    op.create_table(
        "schoolvakantie_versies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=12), nullable=False),
        sa.Column("schooljaar", sa.String(length=9), nullable=True),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("inhoud", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("geregistreerd_door", sa.String(length=100), nullable=False),
        sa.Column(
            "geregistreerd_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "soort IN ('opendata', 'afwijkingen')",
            name=op.f("ck_schoolvakantie_versies_soort_bekend"),
        ),
        sa.CheckConstraint(
            "(soort = 'opendata') = (schooljaar IS NOT NULL AND school_id IS NULL)",
            name=op.f("ck_schoolvakantie_versies_soort_velden"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["scholen.id"],
            name=op.f("fk_schoolvakantie_versies_school_id_scholen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_schoolvakantie_versies_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schoolvakantie_versies")),
    )
    op.create_index(
        "ix_schoolvakantie_versies_swv",
        "schoolvakantie_versies",
        ["swv_id", "geregistreerd_op"],
        unique=False,
    )
    op.execute("ALTER TABLE schoolvakantie_versies ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE schoolvakantie_versies FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY swv_scheiding ON schoolvakantie_versies "
        f"USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
    )


def downgrade() -> None:
    op.execute("DROP POLICY swv_scheiding ON schoolvakantie_versies")
    op.drop_index("ix_schoolvakantie_versies_swv", table_name="schoolvakantie_versies")
    op.drop_table("schoolvakantie_versies")
