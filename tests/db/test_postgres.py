"""The database the tests run on is real PostgreSQL, migrated to head, of a supported version."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.cli import ROOT

SUPPORTED_MAJOR_VERSIONS = range(15, 19)


async def test_server_is_a_supported_postgresql(connection: AsyncConnection) -> None:
    version_num = int((await connection.execute(text("SHOW server_version_num"))).scalar_one())
    assert version_num // 10000 in SUPPORTED_MAJOR_VERSIONS


async def test_schema_is_built_by_alembic_to_head(connection: AsyncConnection) -> None:
    heads = ScriptDirectory(str(ROOT / "migrations")).get_heads()
    current = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars()
    assert sorted(current) == sorted(heads)
