"""Accounts hardening: revoked system tokens, failed-login counts shared by every worker, and
the runtime role's privileges (least privilege: the migration role owns, the runtime role
only reads and writes rows).

The runtime role `thuiszitters_app` is created by whoever runs the database (the embedded
server does it itself; README, "Productie"); the migration role cannot create roles. When it
does not exist yet, the grants are skipped with a notice and `thuiszitters migrate` says so.

Revision ID: 2026_12_07_accounts
Revises: 2026_12_07_monitor
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_07_accounts"
down_revision: str | None = "2026_12_07_monitor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNTIME_ROLE = "thuiszitters_app"

# Rows only: no TRUNCATE, REFERENCES or TRIGGER, no DDL (it owns nothing), no BYPASSRLS.
_GRANTS = f"""
    GRANT USAGE ON SCHEMA public TO {RUNTIME_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {RUNTIME_ROLE};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {RUNTIME_ROLE};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {RUNTIME_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {RUNTIME_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {RUNTIME_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO {RUNTIME_ROLE};
    REVOKE UPDATE, DELETE ON audit_log FROM {RUNTIME_ROLE};
"""

_REVOKES = f"""
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {RUNTIME_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {RUNTIME_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM {RUNTIME_ROLE};
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {RUNTIME_ROLE};
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {RUNTIME_ROLE};
    REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {RUNTIME_ROLE};
    REVOKE USAGE ON SCHEMA public FROM {RUNTIME_ROLE};
"""


def _als_rol_bestaat(sql: str) -> None:
    op.execute(
        f"""
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{RUNTIME_ROLE}') THEN
                EXECUTE $grants${sql}$grants$;
            ELSE
                RAISE NOTICE 'rol {RUNTIME_ROLE} bestaat niet: geen rechten toegekend';
            END IF;
        END
        $$
        """  # noqa: S608 (constants of this file, no input)
    )


def upgrade() -> None:
    op.create_table(
        "ingetrokken_tokens",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_ingetrokken_tokens")),
    )
    op.create_index(
        op.f("ix_ingetrokken_tokens_verloopt_op"), "ingetrokken_tokens", ["verloopt_op"]
    )
    op.create_table(
        "inlogpogingen",
        sa.Column("sleutel", sa.String(length=64), nullable=False),
        sa.Column("mislukt", sa.Integer(), nullable=False),
        sa.Column("laatste", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sleutel", name=op.f("pk_inlogpogingen")),
    )
    op.create_index(op.f("ix_inlogpogingen_laatste"), "inlogpogingen", ["laatste"])
    _als_rol_bestaat(_GRANTS)


def downgrade() -> None:
    _als_rol_bestaat(_REVOKES)
    op.drop_index(op.f("ix_inlogpogingen_laatste"), table_name="inlogpogingen")
    op.drop_table("inlogpogingen")
    op.drop_index(op.f("ix_ingetrokken_tokens_verloopt_op"), table_name="ingetrokken_tokens")
    op.drop_table("ingetrokken_tokens")
