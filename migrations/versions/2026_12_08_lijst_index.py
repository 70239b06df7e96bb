"""The thuiszitters list reads the periods on a peildatum from the index alone: the period index
carries `einde` and `leerling_id` (decision 47).

Revision ID: 2026_12_08_lijst_index
Revises: 2026_12_08_rls_eenmaal
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2026_12_08_lijst_index"
down_revision: str | None = "2026_12_08_rls_eenmaal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_tijdlijn_perioden_swv_categorie", table_name="tijdlijn_perioden")
    op.create_index(
        "ix_tijdlijn_perioden_swv_categorie",
        "tijdlijn_perioden",
        ["swv_id", "categorie", "start"],
        unique=False,
        postgresql_include=["einde", "leerling_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_tijdlijn_perioden_swv_categorie", table_name="tijdlijn_perioden")
    op.create_index(
        "ix_tijdlijn_perioden_swv_categorie",
        "tijdlijn_perioden",
        ["swv_id", "categorie", "start"],
        unique=False,
    )
