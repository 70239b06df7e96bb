"""Least privilege in the database: the application runs as a role that reads and writes rows
and nothing else; the migration role owns the tables. The suite itself runs as that role."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import asyncpg  # type: ignore[import-untyped]
import pytest

from app.db.embedded import RUNTIME_ROLE
from app.db.session import Database


@pytest.fixture
async def runtime(postgres_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(postgres_url)
    try:
        yield conn
    finally:
        await conn.close()


async def test_the_application_connects_as_the_runtime_role(
    runtime: asyncpg.Connection,
) -> None:
    rol = await runtime.fetchrow(
        "SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
        "FROM pg_roles WHERE rolname = current_user"
    )
    assert rol is not None
    assert rol["rolname"] == RUNTIME_ROLE
    for recht in ("rolsuper", "rolbypassrls", "rolcreaterole", "rolcreatedb"):
        assert not rol[recht], recht
    eigendom = await runtime.fetchval(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles "
        "WHERE rolname = current_user)"
    )
    assert eigendom == 0


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE leerlingen ADD COLUMN x integer",
        "ALTER TABLE leerlingen DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE leerlingen NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY swv_scheiding ON leerlingen",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_alleen_toevoegen",
        "ALTER TABLE feiten DISABLE TRIGGER ALL",
        "CREATE TABLE achterdeur (x integer)",
        "DROP TABLE inlogpogingen",
        "TRUNCATE inlogpogingen",
        "SET session_replication_role = replica",
        "UPDATE audit_log SET resultaat = 'x'",
        "DELETE FROM audit_log",
    ],
)
async def test_the_runtime_role_cannot_alter_grant_or_switch_off_protection(
    runtime: asyncpg.Connection, statement: str
) -> None:
    """No DDL, no GRANT, no disabling row-level security or a trigger (least privilege)."""
    with pytest.raises(asyncpg.PostgresError) as fout:
        await runtime.execute(statement)
    assert fout.value.sqlstate in {"42501", "42P01"}  # insufficient privilege


@pytest.mark.parametrize(
    "statement",
    [
        "GRANT UPDATE, DELETE ON audit_log TO PUBLIC",
        f"GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO {RUNTIME_ROLE}",
        f"GRANT ALL ON leerlingen TO {RUNTIME_ROLE} WITH GRANT OPTION",
    ],
)
async def test_the_runtime_role_cannot_grant_back_what_was_revoked(
    runtime: asyncpg.Connection, statement: str
) -> None:
    """The audit log's immutability rests on this: only the owner could grant (PostgreSQL
    answers a warning, "no privileges were granted", or an error)."""
    with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
        await runtime.execute(statement)
    for wie in (RUNTIME_ROLE, "public"):
        assert not await runtime.fetchval(
            "SELECT has_table_privilege($1, 'audit_log', 'UPDATE')", wie
        )
        assert not await runtime.fetchval(
            "SELECT has_table_privilege($1, 'audit_log', 'DELETE')", wie
        )
    assert not await runtime.fetchval(
        "SELECT has_table_privilege($1, 'leerlingen', 'TRUNCATE')", RUNTIME_ROLE
    )


async def test_every_table_and_sequence_is_granted_to_the_runtime_role(
    runtime: asyncpg.Connection,
) -> None:
    """Including the job queue's tables: default privileges cover future migrations too."""
    zonder = await runtime.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND ("
        " (c.relkind IN ('r', 'p') AND NOT has_table_privilege(c.oid, 'SELECT, INSERT'))"
        " OR (c.relkind = 'S' AND NOT has_sequence_privilege(c.oid, 'USAGE')))"
    )
    assert [r["relname"] for r in zonder] == []
    tabellen = {
        r["relname"]
        for r in await runtime.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
    }
    assert {"pgqueuer", "taken", "audit_log", "inlogpogingen", "leerlingen"} <= tabellen
    standaard = await runtime.fetchval(
        "SELECT count(*) FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace "
        "WHERE n.nspname = 'public' AND array_to_string(d.defaclacl, ',') LIKE $1",
        f"%{RUNTIME_ROLE}=%",
    )
    assert standaard >= 2


async def test_the_server_can_tell_the_runtime_role_from_the_owner(
    postgres_url: str, eigenaar_url: str
) -> None:
    """`serve` warns when DATABASE_URL is the owner (or a superuser) instead of the runtime role."""
    runtime, eigenaar = Database(postgres_url, pool_size=1), Database(eigenaar_url, pool_size=1)
    try:
        assert await runtime.te_veel_rechten() == []
        assert await eigenaar.te_veel_rechten() == ["eigenaar"]
    finally:
        await runtime.dispose()
        await eigenaar.dispose()
