"""The worklist shows the work to do by default: partial indexes on the open tasks, so its
page stays two ordered index scans and its count reads only open tasks (decision 51).

Revision ID: 2026_12_08_werklijst
Revises: 2026_12_08_taken_index
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_08_werklijst"
down_revision: str | None = "2026_12_08_taken_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_taken_werklijst_open",
        "taken",
        ["swv_id", "rol", "vervalt_op", "id"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "ix_taken_toegewezen_open",
        "taken",
        ["swv_id", "toegewezen_aan", "vervalt_op", "id"],
        unique=False,
        postgresql_include=["rol"],
        postgresql_where=sa.text("status = 'open' AND toegewezen_aan IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_taken_toegewezen_open", table_name="taken")
    op.drop_index("ix_taken_werklijst_open", table_name="taken")
