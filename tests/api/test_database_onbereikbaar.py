"""The connection pool: a connection the database dropped costs one request a 503 problem, never
a 500, and is replaced (no pre-ping round trip on every request); waiting requests are served in
order of arrival."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.util.concurrency import greenlet_spawn

from app.api.app import create_app
from app.config import Settings
from app.db.session import Database
from app.domain.toegang import Actor, Rol
from tests.builders import FakeAuthenticator


async def test_a_dropped_connection_answers_503_once_and_the_pool_recovers(
    postgres_url: str, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(postgres_url, pool_size=1)
    app = create_app(settings, database)
    auth = FakeAuthenticator()
    app.use_authenticator(auth)
    actor = Actor(id="test-regisseur", rol=Rol.REGISSEUR, swv_id=str(uuid.uuid4()))
    headers = auth.headers(actor)
    pad = f"/v1/leerlingen/{uuid.uuid4()}/status"
    try:
        async with AsyncClient(
            transport=ASGITransport(app=app, raise_app_exceptions=False),
            base_url="http://testserver",
        ) as client:
            assert (await client.get(pad, headers=headers)).status_code == 404  # pooled now
            beheer = await asyncpg.connect(postgres_url)
            try:
                beeindigd = await beheer.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'thuiszitters' AND pid <> pg_backend_pid()"
                )
            finally:
                await beheer.close()
            assert beeindigd >= 1
            verloren = await client.get(pad, headers=headers)
            assert verloren.status_code == 503, caplog.text
            assert verloren.headers["content-type"] == "application/problem+json"
            assert verloren.json()["type"] == "urn:thuiszitters:probleem:database-onbereikbaar"
            assert verloren.headers["retry-after"] == "1"
            assert (await client.get(pad, headers=headers)).status_code == 404
    finally:
        await database.dispose()


async def test_connections_go_to_waiting_requests_in_order_of_arrival(postgres_url: str) -> None:
    """A request that asks just as a connection comes free does not take it from those already
    waiting for one (first come, first served: no long tail of starved requests under load)."""
    database = Database(postgres_url, pool_size=1)
    pool = database.engine.sync_engine.pool
    volgorde: list[str] = []

    async def wacht(naam: str) -> None:
        verbinding = await greenlet_spawn(pool.connect)
        volgorde.append(naam)
        await greenlet_spawn(verbinding.close)

    def geef_terug_en_vraag_opnieuw(verbinding: Any) -> Any:
        verbinding.close()  # the connection comes free...
        return pool.connect()  # ...and is asked for at once, before the waiters have run

    try:
        bezet = await greenlet_spawn(pool.connect)
        wachtenden = [asyncio.create_task(wacht(f"wacht-{n}")) for n in range(3)]
        await asyncio.sleep(0.1)  # all three are waiting now
        opnieuw = await greenlet_spawn(geef_terug_en_vraag_opnieuw, bezet)
        volgorde.append("opnieuw")
        await greenlet_spawn(opnieuw.close)
        await asyncio.gather(*wachtenden)
        assert volgorde == ["wacht-0", "wacht-1", "wacht-2", "opnieuw"]
    finally:
        await database.dispose()
