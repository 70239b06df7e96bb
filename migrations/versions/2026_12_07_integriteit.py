"""A fact names the source it is stated for (`namens`: leerplicht, jeugdarts, ggd) when the
caller records it on that source's behalf (docs/decisions/0015-wie-meldt-welk-feit.md).

Revision ID: 2026_12_07_integriteit
Revises: 2026_12_07_schoolvakanties
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_07_integriteit"
down_revision: str | None = "2026_12_07_schoolvakanties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feiten", sa.Column("namens", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("feiten", "namens")
