"""The register rows reference their child and its SWV with one composite foreign key instead
of two (docs/decisions/0049): one check per row, the same integrity and more.

Revision ID: 2026_12_08_lpbulk
Revises: 2026_12_07_sso
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2026_12_08_lpbulk"
down_revision: str | None = "2026_12_08_anon"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_register_rijen_leerling_id_leerlingen"


def upgrade() -> None:
    op.create_unique_constraint("uq_leerlingen_id_swv_id", "leerlingen", ["id", "swv_id"])
    op.drop_constraint(FK, "register_rijen", type_="foreignkey")
    op.drop_constraint(
        "fk_register_rijen_swv_id_samenwerkingsverbanden", "register_rijen", type_="foreignkey"
    )
    op.create_foreign_key(
        FK, "register_rijen", "leerlingen", ["leerling_id", "swv_id"], ["id", "swv_id"]
    )


def downgrade() -> None:
    op.drop_constraint(FK, "register_rijen", type_="foreignkey")
    op.create_foreign_key(FK, "register_rijen", "leerlingen", ["leerling_id"], ["id"])
    op.create_foreign_key(
        "fk_register_rijen_swv_id_samenwerkingsverbanden",
        "register_rijen",
        "samenwerkingsverbanden",
        ["swv_id"],
        ["id"],
    )
    op.drop_constraint("uq_leerlingen_id_swv_id", "leerlingen", type_="unique")
