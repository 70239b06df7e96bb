"""School vestigingen (BRIN + vestigingsnummer, vakantieregio).

Revision ID: 2026_11_23_scholen
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_23_scholen"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scholen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("brin", sa.String(length=4), nullable=False),
        sa.Column("vestigingsnummer", sa.String(length=2), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("plaats", sa.String(length=100), nullable=False),
        sa.Column("regio", sa.String(length=6), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("brin ~ '^[0-9]{2}[A-Z]{2}$'", name=op.f("ck_scholen_brin_formaat")),
        sa.CheckConstraint(
            "regio IN ('noord', 'midden', 'zuid')", name=op.f("ck_scholen_regio_bekend")
        ),
        sa.CheckConstraint(
            "vestigingsnummer ~ '^[0-9]{2}$'", name=op.f("ck_scholen_vestigingsnummer_formaat")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scholen")),
        sa.UniqueConstraint(
            "brin", "vestigingsnummer", name=op.f("uq_scholen_brin_vestigingsnummer")
        ),
    )


def downgrade() -> None:
    op.drop_table("scholen")
