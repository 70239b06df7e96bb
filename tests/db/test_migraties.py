"""Migrations that add a projection fill it for the children already in the database."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres

VOOR_REGISTER_RIJEN = "2026_11_23_audit_getoond"


async def _vul(url: str) -> uuid.UUID:
    """One SWV and one child not enrolled since 100 days (B3): written before the projection."""
    conn = await asyncpg.connect(url)
    try:
        swv_id, leerling_id = uuid.uuid4(), uuid.uuid4()
        nu = datetime.now(UTC)
        await conn.execute(
            "INSERT INTO samenwerkingsverbanden (id, code, naam, privacy_modus, beleid, versie) "
            "VALUES ($1, 'MIG-01', 'Migratietest', 'gepseudonimiseerd', '{}'::jsonb, 1)",
            swv_id,
        )
        await conn.execute(
            "INSERT INTO leerlingen (id, swv_id, pseudoniem, geboortejaar, geboortemaand, regio, "
            "versie) VALUES ($1, $2, 'mig001', $3, 5, 'midden', 1)",
            leerling_id,
            swv_id,
            nu.year - 12,
        )
        await conn.execute(
            "INSERT INTO feiten (id, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, "
            "payload, bron, gemeld_door) VALUES ($1, $2, $3, 'verzuim-gestart', $4, $5, "
            "'{}'::jsonb, 'test', 'test')",
            uuid.uuid4(),
            leerling_id,
            swv_id,
            (nu - timedelta(days=100)).date(),
            nu,
        )
        return leerling_id
    finally:
        await conn.close()


async def _rijen(url: str, leerling_id: uuid.UUID) -> int:
    conn = await asyncpg.connect(url)
    try:
        aantal: int = await conn.fetchval(
            "SELECT count(*) FROM register_rijen WHERE leerling_id = $1", leerling_id
        )
        return aantal
    finally:
        await conn.close()


def test_the_register_projection_is_filled_for_children_already_registered() -> None:
    with tempfile.TemporaryDirectory(prefix="thuiszitters-migratie-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "data")
        try:
            pg.start()
            url = pg.owner_url()
            migrate(url, VOOR_REGISTER_RIJEN)
            superuser = pg.superuser_url(pg.database)
            leerling_id = asyncio.run(_vul(superuser))
            migrate(url)
            assert asyncio.run(_rijen(superuser, leerling_id)) > 0
        finally:
            pg.destroy()
