"""Row-level security per SWV (docs/decisions/0007, 0050): the transaction's SWV sees its own
rows, '*' all, anything else nothing and never an error; the tenant check is read once per query
(`thuiszitters_swv()` in sub-selects), on every per-SWV table, now and in future migrations."""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.cli import ROOT, migrate
from app.db.embedded import EmbeddedPostgres
from app.db.session import UnitOfWork
from tests.builders import Swv
from tests.db.test_register import leerling_met_verzuim

VORIGE = str(
    ScriptDirectory(str(ROOT / "migrations")).get_revision("2026_12_08_rls_eenmaal").down_revision
)
"""The revision before decision 50 (whatever it is chained to): policies cast per row."""

ONGELDIG = ("", "abc", "12", "{}", "00000000-0000-0000-0000-00000000000g", " ")
"""Settings that name no SWV: no rows, no error (fail closed)."""

REPRESENTATIEF = ("scholen", "leerlingen", "feiten", "tijdlijn_perioden", "register_rijen")
"""Tables that hold rows of both SWVs in the fixture `twee_swvs`."""

_BELEID = (
    "SELECT c.relname AS tabel, p.polname AS naam, p.polcmd AS cmd, p.polroles::text AS rollen, "
    "p.polpermissive AS permissief, pg_get_expr(p.polqual, p.polrelid) AS qual, "
    "pg_get_expr(p.polwithcheck, p.polrelid) AS check_ FROM pg_policy p "
    "JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' ORDER BY 1, 2"
)
_MET_SWV_ID = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'swv_id' AND NOT a.attisdropped "
    "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
)
# The setting read outside a sub-select is read per row; `(swv_id)::text` is the old cast.
_PER_RIJ = re.compile(r"(?<!SELECT )(?<!SELECT \()current_setting\('app\.swv_id'")
_SCHOOL = text(
    "INSERT INTO scholen (id, swv_id, brin, vestigingsnummer, naam, plaats, regio, versie) "
    "VALUES (gen_random_uuid(), :swv, '98ZZ', '00', 'Testschool', 'Teststad', 'midden', 1)"
)


async def _zet(connection: AsyncConnection, waarde: str) -> None:
    await connection.execute(text("SELECT set_config('app.swv_id', :w, true)"), {"w": waarde})


async def _aantal(connection: AsyncConnection, tabel: str, waar: str = "true") -> int:
    sql = f"SELECT count(*) FROM {tabel} WHERE {waar}"  # noqa: S608 (table names of the catalog)
    return int((await connection.execute(text(sql))).scalar_one())


async def _beleid(connection: AsyncConnection) -> list[dict[str, object]]:
    return [dict(r._mapping) for r in await connection.execute(text(_BELEID))]


async def _per_swv(connection: AsyncConnection) -> list[str]:
    """Every table with `swv_id` that has a policy: the per-SWV tables."""
    met_swv_id = {r[0] for r in await connection.execute(text(_MET_SWV_ID))}
    return sorted({str(b["tabel"]) for b in await _beleid(connection)} & met_swv_id)


@pytest.fixture
async def twee_swvs(uow: UnitOfWork, swv_a: Swv, swv_b: Swv) -> tuple[Swv, Swv]:
    """Two SWVs, each with a child with facts, a timeline and register rows."""
    await leerling_met_verzuim(uow, swv_a)
    await leerling_met_verzuim(uow, swv_b)
    return swv_a, swv_b


@pytest.mark.parametrize("tabel", REPRESENTATIEF)
async def test_an_swv_sees_only_its_own_rows_and_star_sees_all(
    connection: AsyncConnection, twee_swvs: tuple[Swv, Swv], tabel: str
) -> None:
    a, b = twee_swvs
    await _zet(connection, str(a.id))
    assert await _aantal(connection, tabel, f"swv_id = '{a.id}'") > 0
    assert await _aantal(connection, tabel, f"swv_id <> '{a.id}'") == 0
    await _zet(connection, str(b.id).upper())  # a uuid in capitals is the same SWV
    assert await _aantal(connection, tabel, f"swv_id = '{b.id}'") > 0
    assert await _aantal(connection, tabel, f"swv_id <> '{b.id}'") == 0
    await _zet(connection, "*")
    assert await _aantal(connection, tabel, f"swv_id IN ('{a.id}', '{b.id}')") >= 2


@pytest.mark.parametrize("waarde", ONGELDIG)
async def test_an_empty_or_malformed_setting_sees_nothing_on_every_table_without_error(
    connection: AsyncConnection, twee_swvs: tuple[Swv, Swv], waarde: str
) -> None:
    """Fail closed: not a uuid means no SWV, so no rows; never an error for a malformed value."""
    tabellen = await _per_swv(connection)
    await _zet(connection, waarde)
    for tabel in (*tabellen, "leerling_vestigingen"):
        assert await _aantal(connection, tabel) == 0, tabel


async def test_a_missing_setting_sees_nothing_on_every_table_without_error(
    postgres_url: str,
) -> None:
    """A connection that never set `app.swv_id` (the setting is NULL) sees no rows."""
    conn = await asyncpg.connect(postgres_url)
    try:
        assert await conn.fetchval("SELECT current_setting('app.swv_id', true)") is None
        assert await conn.fetchval("SELECT thuiszitters_swv()") is None
        tabellen = [r["tabel"] for r in await conn.fetch(_BELEID)]
        for tabel in tabellen:
            assert await conn.fetchval(f"SELECT count(*) FROM {tabel}") == 0, tabel  # noqa: S608
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
        ("3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
        ("*", None),
        ("", None),
        ("abc", None),
        ("12", None),
        ("3f2504e04f8911d39a0c0305e82c3301", None),  # valid to PostgreSQL, not our form
        ("{3f2504e0-4f89-11d3-9a0c-0305e82c3301}", None),
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301\n", None),
    ],
)
async def test_the_function_is_the_setting_as_a_uuid_or_null(
    connection: AsyncConnection, waarde: str, verwacht: str | None
) -> None:
    await _zet(connection, waarde)
    uitkomst = (await connection.execute(text("SELECT thuiszitters_swv()"))).scalar_one()
    assert (None if uitkomst is None else str(uitkomst)) == verwacht


@pytest.mark.parametrize("waarde", ["own", "other", "", "abc", "12"])
async def test_a_row_for_another_swv_is_refused_with_check(
    connection: AsyncConnection, twee_swvs: tuple[Swv, Swv], waarde: str
) -> None:
    """WITH CHECK: a school (and a move of a child) into another SWV than the setting's is
    refused; with no valid SWV no row can be written at all."""
    a, b = twee_swvs
    await _zet(connection, {"own": str(a.id), "other": str(a.id)}.get(waarde, waarde))
    doel = a.id if waarde == "own" else b.id
    savepoint = await connection.begin_nested()
    if waarde == "own":
        await connection.execute(_SCHOOL, {"swv": doel})
        await savepoint.rollback()
        return
    with pytest.raises(DBAPIError, match="row-level security"):
        await connection.execute(_SCHOOL, {"swv": doel})
    await savepoint.rollback()
    if waarde == "other":
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match="row-level security"):
            await connection.execute(
                text("UPDATE leerlingen SET swv_id = :b WHERE swv_id = :a"), {"a": a.id, "b": b.id}
            )
        await savepoint.rollback()


async def test_star_may_write_for_any_swv(
    connection: AsyncConnection, twee_swvs: tuple[Swv, Swv]
) -> None:
    _, b = twee_swvs
    await _zet(connection, "*")
    await connection.execute(_SCHOOL, {"swv": b.id})
    assert await _aantal(connection, "scholen", "brin = '98ZZ'") == 1


async def test_every_per_swv_policy_reads_the_setting_once_per_query(
    connection: AsyncConnection,
) -> None:
    """Decision 50: no policy on a table with `swv_id` casts it to text or reads the setting
    per row; each uses `thuiszitters_swv()` in a sub-select in USING and WITH CHECK. A new
    migration that copies the old pattern fails here."""
    met_swv_id = {r[0] for r in await connection.execute(text(_MET_SWV_ID))}
    beleid = [b for b in await _beleid(connection) if b["tabel"] in met_swv_id]
    assert len(beleid) >= 37
    fout = []
    for b in beleid:
        for deel in ("qual", "check_"):
            expressie = str(b[deel] or "")
            if (
                "(swv_id)::text" in expressie
                or _PER_RIJ.search(expressie)
                or "swv_id = ( SELECT thuiszitters_swv()" not in expressie
            ):
                fout.append((b["tabel"], b["naam"], deel, expressie))
    assert fout == []


async def test_every_table_with_a_policy_forces_row_level_security(
    connection: AsyncConnection,
) -> None:
    """Also for the table owner: a policy that the owner skips is no second line."""
    zonder = await connection.execute(
        text(
            "SELECT DISTINCT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
            "WHERE NOT (c.relrowsecurity AND c.relforcerowsecurity)"
        )
    )
    assert list(zonder) == []


async def test_every_per_swv_plan_evaluates_the_tenant_check_as_initplans(
    connection: AsyncConnection, twee_swvs: tuple[Swv, Swv]
) -> None:
    """EXPLAIN of a scan of each per-SWV table: the setting is read in InitPlans (once per
    query); the per-row filter holds no cast and no call of current_setting."""
    a, _ = twee_swvs
    await _zet(connection, str(a.id))
    for tabel in await _per_swv(connection):
        plan = "\n".join(
            r[0]
            for r in await connection.execute(text(f"EXPLAIN SELECT * FROM {tabel}"))  # noqa: S608
        )
        filters = [regel for regel in plan.splitlines() if "Filter:" in regel]
        assert "InitPlan" in plan, (tabel, plan)
        assert filters, (tabel, plan)
        for regel in filters:
            assert "current_setting" not in regel, (tabel, plan)
            assert "::text" not in regel, (tabel, plan)


# The migration itself: the catalog before, after and after the downgrade.

_EXTRA = (
    "CREATE TABLE rls_extra (id integer, swv_id uuid); "
    "ALTER TABLE rls_extra ENABLE ROW LEVEL SECURITY; "
    "ALTER TABLE rls_extra FORCE ROW LEVEL SECURITY; "
    "CREATE POLICY alleen_lezen ON rls_extra AS RESTRICTIVE FOR SELECT TO thuiszitters_app "
    "USING (id > 0 AND (swv_id::text = current_setting('app.swv_id', true) "
    "OR current_setting('app.swv_id', true) = '*'))"
)
"""A policy with another condition, command, role and kind than the tenant check alone."""


async def _catalogus(url: str, extra: str | None = None) -> list[dict[str, object]]:
    conn = await asyncpg.connect(url)
    try:
        if extra:
            await conn.execute(extra)
        rijen = await conn.fetch(_BELEID)
        return [dict(r) for r in rijen]
    finally:
        await conn.close()


def _zonder_expressies(beleid: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [
        (b["tabel"], b["naam"], b["cmd"], b["rollen"], b["permissief"], b["check_"] is None)
        for b in beleid
    ]


def _alembic(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    return cfg


async def _met_thuiszitters_swv(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        aantal: int = await conn.fetchval(
            "SELECT count(*) FROM pg_proc WHERE proname = 'thuiszitters_swv'"
        )
        return aantal
    finally:
        await conn.close()


def test_the_migration_changes_only_the_tenant_check_and_its_downgrade_restores_it() -> None:
    """Command, roles, permissiveness and other conditions of every policy stay; only the
    tenant check changes (decision 50); the downgrade gives back the catalog as it was."""
    with tempfile.TemporaryDirectory(prefix="thuiszitters-rls-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "data")
        try:
            pg.start()
            url = pg.owner_url()
            migrate(url, VORIGE)
            voor = asyncio.run(_catalogus(url, _EXTRA))
            migrate(url)
            na = asyncio.run(_catalogus(url))
            assert _zonder_expressies(na) == _zonder_expressies(voor)
            per_swv = [b for b in voor if "current_setting" in str(b["qual"])]
            assert len(per_swv) >= 38
            for oud, nieuw in zip(voor, na, strict=True):
                for deel in ("qual", "check_"):
                    if "current_setting" in str(oud[deel]):
                        assert "thuiszitters_swv()" in str(nieuw[deel])
                        assert "(swv_id)::text" not in str(nieuw[deel])
                    else:
                        assert nieuw[deel] == oud[deel]
            extra = next(b for b in na if b["tabel"] == "rls_extra")
            assert str(extra["qual"]).startswith("((id > 0) AND ((swv_id = ( SELECT thuis")
            command.downgrade(_alembic(url), VORIGE)
            assert asyncio.run(_catalogus(url)) == voor
            assert asyncio.run(_met_thuiszitters_swv(url)) == 0
        finally:
            pg.destroy()
