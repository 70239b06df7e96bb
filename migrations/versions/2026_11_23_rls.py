"""Row-level security per SWV: a second line behind the repositories' scoping.

Revision ID: 2026_11_23_rls
Revises: 2026_11_23_register
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2026_11_23_rls"
down_revision: str | None = "2026_11_23_register"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The transaction's SWV, set by the application at the start of every transaction; '*' only
# for maintenance across SWVs. Unset or empty: no rows at all.
SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
TABELLEN = ("scholen", "leerlingen", "feiten", "tijdlijn_perioden")


def upgrade() -> None:
    for tabel in TABELLEN:
        op.execute(f"ALTER TABLE {tabel} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY swv_scheiding ON {tabel} USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
        )
    op.execute("ALTER TABLE leerling_vestigingen ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE leerling_vestigingen FORCE ROW LEVEL SECURITY")
    zichtbaar = "EXISTS (SELECT 1 FROM leerlingen l WHERE l.id = leerling_id)"
    op.execute(
        f"CREATE POLICY swv_scheiding ON leerling_vestigingen USING ({zichtbaar}) "
        f"WITH CHECK ({zichtbaar})"
    )


def downgrade() -> None:
    for tabel in (*TABELLEN, "leerling_vestigingen"):
        op.execute(f"DROP POLICY swv_scheiding ON {tabel}")
        op.execute(f"ALTER TABLE {tabel} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} DISABLE ROW LEVEL SECURITY")
