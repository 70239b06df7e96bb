"""Sessions remember the refresh token they replaced (theft detection without a DoS).

Revision ID: 2026_11_23_vorige_vernieuwing
Revises: 2026_11_23_rapportage
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_23_vorige_vernieuwing"
down_revision: str | None = "2026_11_23_rapportage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sessies", sa.Column("vorige_hash", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("sessies", "vorige_hash")
