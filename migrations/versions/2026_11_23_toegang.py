"""Identity: users (password + TOTP), sessions with rotating refresh tokens, API clients.

Revision ID: 2026_11_23_toegang
Revises: 2026_11_23_audit
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_11_23_toegang"
down_revision: str | None = "2026_11_23_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("geheim_hash", sa.String(length=200), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("vestiging_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("gemeente_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_api_clients_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_api_clients_client_id")),
    )
    op.create_table(
        "gebruikers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("gebruikersnaam", sa.String(length=100), nullable=False),
        sa.Column("wachtwoord_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_geheim", sa.LargeBinary(), nullable=False),
        sa.Column("totp_laatste_stap", sa.BigInteger(), nullable=True),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("vestiging_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("gemeente_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_gebruikers_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gebruikers")),
        sa.UniqueConstraint("gebruikersnaam", name=op.f("uq_gebruikers_gebruikersnaam")),
    )
    op.create_table(
        "sessies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("gebruiker_id", sa.Uuid(), nullable=False),
        sa.Column("vernieuwing_hash", sa.LargeBinary(), nullable=False),
        sa.Column("generatie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beeindigd_op", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["gebruiker_id"], ["gebruikers.id"], name=op.f("fk_sessies_gebruiker_id_gebruikers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessies")),
    )
    op.create_index(op.f("ix_sessies_gebruiker_id"), "sessies", ["gebruiker_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sessies_gebruiker_id"), table_name="sessies")
    op.drop_table("sessies")
    op.drop_table("gebruikers")
    op.drop_table("api_clients")
