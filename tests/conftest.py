"""Test fixtures: one throwaway real PostgreSQL per run, migrated with `alembic upgrade head`,
and each test in a transaction that is rolled back at its end.

`THUISZITTERS_PG_BINDIR` picks other server binaries (the PostgreSQL 15 pass of `make test`);
`THUISZITTERS_TEST_DATABASE_URL` uses an existing server instead (its database must be empty).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.api.app import Application, create_app
from app.cli import migrate
from app.config import Settings
from app.db.embedded import EmbeddedPostgres
from app.db.session import UnitOfWork, async_url
from app.services.toegang.configuratie import nieuwe_sleutels
from tests.builders import FakeAuthenticator, Swv, maak_swv

# Property tests: no per-example deadline (a loaded 2-core machine must not flake them) and the
# same examples on every run, so coverage is deterministic. THUISZITTERS_HYPOTHESIS=verkennen
# draws fresh random examples for a local bug hunt.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("verkennen", deadline=None)
hypothesis_settings.load_profile(os.environ.get("THUISZITTERS_HYPOTHESIS", "ci"))


@pytest.fixture(scope="session")
def postgres_urls() -> Iterator[tuple[str, str]]:
    """(runtime role, migration role): the suite runs the application as the runtime role."""
    external = os.environ.get("THUISZITTERS_TEST_DATABASE_URL")
    if external:
        yield external, os.environ.get("THUISZITTERS_TEST_MIGRATION_DATABASE_URL", external)
        return
    bindir = os.environ.get("THUISZITTERS_PG_BINDIR")
    with tempfile.TemporaryDirectory(prefix="thuiszitters-test-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "data", bindir=Path(bindir) if bindir else None)
        try:
            url = pg.start()
            migrate(pg.owner_url())
            yield url, pg.owner_url()
        finally:
            pg.destroy()


@pytest.fixture(scope="session")
def postgres_url(postgres_urls: tuple[str, str]) -> str:
    """The runtime role's URL: no DDL, no ownership, row-level security applies."""
    return postgres_urls[0]


@pytest.fixture(scope="session")
def eigenaar_url(postgres_urls: tuple[str, str]) -> str:
    """The migration role's URL (owns the tables), for migration tests only."""
    return postgres_urls[1]


@pytest.fixture(scope="session")
async def engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(async_url(postgres_url), pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        # Begin it in the driver too (the dialect does so at the first statement): a unit of
        # work that begins with plain SQL then nests in it as a savepoint, as its session does.
        await conn.exec_driver_sql("SELECT 1")
        try:
            yield conn
        finally:
            await outer.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Sessions joined to the test's transaction: a service's commit becomes a savepoint."""
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
def uow(sessionmaker: async_sessionmaker[AsyncSession]) -> UnitOfWork:
    return UnitOfWork(sessionmaker)


@pytest.fixture(scope="session")
def keys() -> tuple[str, str]:
    return nieuwe_sleutels()


@pytest.fixture
def settings(keys: tuple[str, str]) -> Settings:
    signing_key, encryption_key = keys
    return Settings(
        database_url=None,
        max_body_bytes=64 * 1024,
        jwt_signing_key=signing_key,
        encryption_key=encryption_key,
    )


@pytest.fixture
def auth() -> FakeAuthenticator:
    return FakeAuthenticator()


@pytest.fixture
async def swv_a(sessionmaker: async_sessionmaker[AsyncSession]) -> Swv:
    return await maak_swv(sessionmaker, "AA")


@pytest.fixture
async def swv_b(sessionmaker: async_sessionmaker[AsyncSession]) -> Swv:
    return await maak_swv(sessionmaker, "BB")


@pytest.fixture
def application(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    connection: AsyncConnection,
    auth: FakeAuthenticator,
) -> Application:
    app = create_app(settings)
    app.use_authenticator(auth)

    async def ping() -> None:
        await connection.exec_driver_sql("SELECT 1")

    app.use_database(sessionmaker, ping)
    return app


@pytest.fixture
def jwt_application(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    connection: AsyncConnection,
) -> Application:
    """The application with its real authenticator (JWT + database), for the login tests."""
    app = create_app(settings)

    async def ping() -> None:
        await connection.exec_driver_sql("SELECT 1")

    app.use_database(sessionmaker, ping)
    return app


@pytest.fixture
async def jwt_client(jwt_application: Application) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=jwt_application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def client(application: Application) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
