"""Row-level security reads the transaction's SWV once per query, not once per row
(docs/decisions/0050).

Every per-SWV policy compared `swv_id::text = current_setting('app.swv_id', true)`: a cast of
each row's uuid and a look-up of the setting per row. The tenant check becomes
`swv_id = (SELECT thuiszitters_swv()) OR (SELECT current_setting('app.swv_id', true) = '*')`:
both sub-selects are InitPlans, evaluated once per query, and the per-row work is one uuid
comparison. `thuiszitters_swv()` is the setting as a uuid, NULL (no rows, no error: fail closed)
when the setting is missing, empty, '*' or not a uuid.

The policies are rewritten from the catalog: in every policy's USING and WITH CHECK the old tenant
check, as PostgreSQL prints it, is replaced by the new one; command, roles, permissiveness and
any other condition stay as they were. The downgrade does the reverse.

Revision ID: 2026_12_08_rls_eenmaal
Revises: 2026_12_08_taken_index
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.engine import Connection

revision: str = "2026_12_08_rls_eenmaal"
down_revision: str | None = "2026_12_08_werklijst"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNTIME_ROLE = "thuiszitters_app"
SWV = "current_setting('app.swv_id', true)"
UUID = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"

# The setting as a uuid; anything that is not one (unset, '', '*', 'abc') is NULL, never an
# error. A SQL-standard body: parsed once here, names resolved now, not by the caller's path.
FUNCTIE = f"""
CREATE FUNCTION thuiszitters_swv() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN {SWV} ~ '{UUID}' THEN {SWV}::uuid END
"""

OUD = f"(swv_id::text = {SWV} OR {SWV} = '*')"
EIGEN_SWV = f"(swv_id = (SELECT thuiszitters_swv()) OR (SELECT {SWV} = '*'))"
"""The tenant check of a per-SWV table; new tables copy this one (AGENTS.md, step 3)."""


def _gedrukt(conn: Connection, expressie: str) -> str:
    """The expression as the catalog prints it (pg_get_expr), on this server's version."""
    conn.exec_driver_sql("CREATE TEMPORARY TABLE rls_vorm (swv_id uuid)")
    conn.exec_driver_sql(f"CREATE POLICY vorm ON rls_vorm USING {expressie}")
    tekst = conn.exec_driver_sql(
        "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polrelid = 'rls_vorm'::regclass"
    ).scalar_one()
    conn.exec_driver_sql("DROP TABLE rls_vorm")
    return str(tekst)


def _vervang(van: str, naar: str) -> None:
    """In every policy that holds `van` (USING or WITH CHECK), `van` becomes `naar`; the rest
    of the policy (command, roles, permissive, other conditions) stays."""
    conn = op.get_bind()
    gedrukt = _gedrukt(conn, van)
    beleid = conn.exec_driver_sql(
        "SELECT p.polname, c.relname, pg_get_expr(p.polqual, p.polrelid), "
        "pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_policy p "
        "JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' ORDER BY c.relname, p.polname"
    ).all()
    for naam, tabel, using, check in beleid:
        if gedrukt not in (using or "") and gedrukt not in (check or ""):
            continue
        delen = []
        if using is not None:
            delen.append(f"USING ({using.replace(gedrukt, naar)})")
        if check is not None:
            delen.append(f"WITH CHECK ({check.replace(gedrukt, naar)})")
        conn.exec_driver_sql(f'ALTER POLICY "{naam}" ON "{tabel}" {" ".join(delen)}')


def _als_rol_bestaat(sql: str) -> None:
    """Grants to the runtime role, skipped with a notice where it does not exist (as
    2026_12_07_accounts)."""
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
    op.get_bind().exec_driver_sql(FUNCTIE)
    _als_rol_bestaat(f"GRANT EXECUTE ON FUNCTION thuiszitters_swv() TO {RUNTIME_ROLE}")
    _vervang(OUD, EIGEN_SWV)


def downgrade() -> None:
    _vervang(EIGEN_SWV, OUD)
    op.execute("DROP FUNCTION thuiszitters_swv()")
