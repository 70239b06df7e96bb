"""Single sign-on: an SWV's OpenID provider and its role mapping.

Revision ID: 2026_12_07_sso
Revises: 2026_12_07_accounts
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_12_07_sso"
down_revision: str | None = "2026_12_07_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identiteitsproviders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("uitgever", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("algoritmen", postgresql.ARRAY(sa.String(length=10)), nullable=False),
        sa.Column("acr_waarden", postgresql.ARRAY(sa.String(length=200)), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["swv_id"], ["samenwerkingsverbanden.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("swv_id"),
        sa.UniqueConstraint("uitgever", "client_id"),
    )
    op.create_index(op.f("ix_identiteitsproviders_uitgever"), "identiteitsproviders", ["uitgever"])
    op.create_table(
        "rolkoppelingen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("claim", sa.String(length=100), nullable=False),
        sa.Column("waarde", sa.String(length=300), nullable=False),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("vestiging_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("gemeente_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["swv_id"], ["samenwerkingsverbanden.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("swv_id", "claim", "waarde", "rol"),
    )
    op.create_index(op.f("ix_rolkoppelingen_swv_id"), "rolkoppelingen", ["swv_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rolkoppelingen_swv_id"), table_name="rolkoppelingen")
    op.drop_table("rolkoppelingen")
    op.drop_index(op.f("ix_identiteitsproviders_uitgever"), table_name="identiteitsproviders")
    op.drop_table("identiteitsproviders")
