"""CORS: a browser page of an allowed origin may call the API; any other origin gets no CORS
headers (Fetch standard)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.api.app import create_app
from app.config import Settings

TOEGESTAAN = "https://ui.swv.example"


@pytest.fixture
async def cors_client(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    connection: AsyncConnection,
) -> AsyncIterator[AsyncClient]:
    app = create_app(settings.model_copy(update={"cors_origins": [TOEGESTAAN]}))

    async def ping() -> None:
        await connection.exec_driver_sql("SELECT 1")

    app.use_database(sessionmaker, ping)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization, if-match, idempotency-key, content-type",
    }


async def test_preflight_from_an_allowed_origin_gets_the_cors_headers(
    cors_client: AsyncClient,
) -> None:
    r = await cors_client.options("/v1/leerlingen/x", headers=_preflight(TOEGESTAAN))
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == TOEGESTAAN
    assert "PATCH" in r.headers["access-control-allow-methods"]
    toegestaan = r.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "if-match", "idempotency-key", "content-type"):
        assert header in toegestaan
    assert "access-control-allow-credentials" not in r.headers


async def test_an_allowed_origin_reads_the_exposed_headers(cors_client: AsyncClient) -> None:
    r = await cors_client.get("/v1/health", headers={"Origin": TOEGESTAAN})
    assert r.headers["access-control-allow-origin"] == TOEGESTAAN
    exposed = r.headers["access-control-expose-headers"].lower()
    for header in ("etag", "location", "link", "api-version", "retry-after"):
        assert header in exposed


async def test_another_origin_gets_no_cors_headers(cors_client: AsyncClient) -> None:
    r = await cors_client.options("/v1/leerlingen/x", headers=_preflight("https://kwaad.example"))
    assert "access-control-allow-origin" not in r.headers
    r = await cors_client.get("/v1/health", headers={"Origin": "https://kwaad.example"})
    assert "access-control-allow-origin" not in r.headers


async def test_no_origins_by_default(client: AsyncClient) -> None:
    r = await client.options("/v1/leerlingen/x", headers=_preflight(TOEGESTAAN))
    assert "access-control-allow-origin" not in r.headers


def test_an_origin_setting_must_be_an_origin() -> None:
    with pytest.raises(ValueError, match="origin"):
        Settings(cors_origins=["https://ui.example/pad"])
    with pytest.raises(ValueError, match="origin"):
        Settings(cors_origins=["*"])
