"""The worklist reads its page from indexes in due-date order: the role's tasks and the tasks
assigned to the person, each arm its own ordered index scan; the count index-only (decision 48).

Revision ID: 2026_12_08_taken_index
Revises: 2026_12_07_sso
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_08_taken_index"
down_revision: str | None = "2026_12_08_lpbulk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_taken_werklijst", table_name="taken")
    op.create_index(
        "ix_taken_werklijst", "taken", ["swv_id", "rol", "vervalt_op", "id"], unique=False
    )
    op.create_index(
        "ix_taken_toegewezen",
        "taken",
        ["swv_id", "toegewezen_aan", "vervalt_op", "id"],
        unique=False,
        postgresql_include=["rol"],
        postgresql_where=sa.text("toegewezen_aan IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_taken_toegewezen", table_name="taken")
    op.drop_index("ix_taken_werklijst", table_name="taken")
    op.create_index("ix_taken_werklijst", "taken", ["swv_id", "rol", "vervalt_op"], unique=False)
