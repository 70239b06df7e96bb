"""A connection the database dropped costs one request a 503 problem, never a 500, and the pool
replaces it: the next request succeeds (no pre-ping round trip on every request)."""

from __future__ import annotations

import uuid

import asyncpg  # type: ignore[import-untyped]
import pytest
from httpx import ASGITransport, AsyncClient

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
