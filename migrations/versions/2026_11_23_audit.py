"""Audit log: append-only (trigger and no UPDATE/DELETE privilege), per SWV (RLS).

Revision ID: 2026_11_23_audit
Revises: 2026_11_23_rls
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_23_audit"
down_revision: str | None = "2026_11_23_rls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column(
            "tijdstip",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.Column("swv_id", sa.Uuid(), nullable=True),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("actor_rol", sa.String(length=40), nullable=False),
        sa.Column("handeling", sa.String(length=60), nullable=False),
        sa.Column("route", sa.String(length=200), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=True),
        sa.Column("resultaat", sa.String(length=20), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_leerling", "audit_log", ["leerling_id"], unique=False)
    op.create_index("ix_audit_log_swv_tijdstip", "audit_log", ["swv_id", "tijdstip"], unique=False)
    op.execute(
        """
        CREATE FUNCTION audit_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'het auditlog wordt nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_alleen_toevoegen BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_alleen_toevoegen()"
    )
    op.execute(
        "CREATE TRIGGER audit_niet_legen BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_alleen_toevoegen()"
    )
    # The application's role (which runs the migrations and owns the table) gives up the
    # right to change the log; only a database administrator could grant it back.
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER")
    eigen = (
        "(swv_id::text = current_setting('app.swv_id', true) "
        "OR current_setting('app.swv_id', true) = '*')"
    )
    op.execute("ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_log FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY swv_scheiding ON audit_log USING {eigen} WITH CHECK {eigen}")


def downgrade() -> None:
    op.execute("DROP POLICY swv_scheiding ON audit_log")
    op.execute("DROP TRIGGER audit_niet_legen ON audit_log")
    op.execute("DROP TRIGGER audit_alleen_toevoegen ON audit_log")
    op.execute("DROP FUNCTION audit_alleen_toevoegen()")
    op.drop_index("ix_audit_log_swv_tijdstip", table_name="audit_log")
    op.drop_index("ix_audit_log_leerling", table_name="audit_log")
    op.drop_table("audit_log")
