"""The audit log records which children a list or search showed.

Revision ID: 2026_11_23_audit_getoond
Revises: 2026_11_23_vorige_vernieuwing
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_11_23_audit_getoond"
down_revision: str | None = "2026_11_23_vorige_vernieuwing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "audit_log", sa.Column("getoonde_leerlingen", postgresql.ARRAY(sa.Uuid()), nullable=True)
    )
    op.create_index(
        "ix_audit_log_getoonde_leerlingen",
        "audit_log",
        ["getoonde_leerlingen"],
        unique=False,
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_audit_log_getoonde_leerlingen", table_name="audit_log", postgresql_using="gin"
    )
    op.drop_column("audit_log", "getoonde_leerlingen")
