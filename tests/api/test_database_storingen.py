"""Database faults against a real server of its own (restarted, stopped, its backends killed):
a request answers 2xx or a 503 problem with `Retry-After`, never a 500; nothing acknowledged
is lost and nothing retried is stored twice. Each test prints its counts."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from httpx import ASGITransport, AsyncClient, Response

from app.api.app import create_app
from app.cli import migrate
from app.config import Settings
from app.db.embedded import EmbeddedPostgres, _free_port
from app.db.session import Database
from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv, maak_swv

TOEGESTAAN = {200, 201, 404}


@dataclass
class Server:
    pg: EmbeddedPostgres
    url: str

    def pg_ctl(self, *args: str) -> None:
        self.pg._run("pg_ctl", "-D", str(self.pg.pgdata), *args, timeout=120)

    def herstart(self) -> None:
        """A fast restart, as an operator or an upgrade does: every session is ended."""
        log = str(self.pg.pgdata / "server.log")
        self.pg_ctl("-m", "fast", "-w", "-t", "60", "-l", log, "restart")

    def start_opnieuw(self) -> None:
        """Wait for a shutdown under way to finish, then start on the same port."""
        self.pg.stop()
        self.pg.start()

    async def beeindig_verbindingen(self) -> int:
        beheer = await asyncpg.connect(self.pg.superuser_url(self.pg.database))
        try:
            aantal: int = await beheer.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'thuiszitters'"
            )
            return aantal
        finally:
            await beheer.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A throwaway server of this module only: restarting it hurts no other test."""
    bindir = os.environ.get("THUISZITTERS_PG_BINDIR")
    with tempfile.TemporaryDirectory(prefix="thuiszitters-storing-") as tmp:
        pg = EmbeddedPostgres(
            Path(tmp) / "data", port=_free_port(), bindir=Path(bindir) if bindir else None
        )
        try:
            url = pg.start()
            migrate(pg.owner_url())
            yield Server(pg, url)
        finally:
            pg.destroy()


@pytest.fixture
async def database(server: Server) -> AsyncIterator[Database]:
    database = Database(server.url, pool_size=4, statement_timeout_ms=2_000)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def swv(database: Database) -> Swv:
    return await maak_swv(database.sessionmaker, f"ST{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def client(
    database: Database, settings: Settings, auth: FakeAuthenticator
) -> AsyncIterator[AsyncClient]:
    app = create_app(settings, database)
    app.use_authenticator(auth)
    async with AsyncClient(
        transport=ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://testserver",
    ) as client:
        yield client


def is_503(antwoord: Response) -> bool:
    return (
        antwoord.status_code == 503
        and antwoord.headers["content-type"] == "application/problem+json"
        and int(antwoord.headers["retry-after"]) >= 1
    )


def tel(naam: str, statussen: Counter[int], **meer: int) -> None:
    vijfxx = sum(n for s, n in statussen.items() if s >= 500 and s != 503)
    extra = "".join(f", {k} {v}" for k, v in meer.items())
    print(f"{naam}: {dict(sorted(statussen.items()))}; 5xx behalve 503: {vijfxx}{extra}")  # noqa: T201


async def test_a_restart_answers_503_with_retry_after_then_the_pool_recovers(
    client: AsyncClient, auth: FakeAuthenticator, swv: Swv, server: Server
) -> None:
    """Sessions ended by a restart (57P01, then 08003 on the dead connection): 503, not 500."""
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    pad = f"/v1/leerlingen/{uuid.uuid4()}"
    assert (await client.get(pad, headers=headers)).status_code == 404  # a pooled connection
    await asyncio.to_thread(server.herstart)
    statussen: Counter[int] = Counter()
    for _ in range(10):
        antwoord = await client.get(pad, headers=headers)
        statussen[antwoord.status_code] += 1
        assert antwoord.status_code == 404 or is_503(antwoord), antwoord.text
        if antwoord.status_code == 404:
            break
    tel("herstart", statussen)
    assert statussen[503] >= 1  # the dropped connection was used once...
    assert statussen[404] == 1  # ...and replaced


async def test_a_server_shutting_down_answers_503_not_500(
    database: Database, client: AsyncClient, auth: FakeAuthenticator, swv: Swv, server: Server
) -> None:
    """New connections during a shutdown are refused with 57P03 (wrapped by the driver's
    adapter), and none at all while it is down: both 503 with `Retry-After`."""
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    pad = f"/v1/leerlingen/{uuid.uuid4()}"
    await database.engine.dispose()  # no pooled connections: the next request connects
    blijver = await asyncpg.connect(server.pg.superuser_url(server.pg.database))
    statussen: Counter[int] = Counter()
    try:
        # A smart shutdown waits for the open session, and refuses new ones meanwhile.
        server.pg_ctl("-m", "smart", "-W", "stop")
        for _ in range(50):  # until the postmaster has begun its shutdown
            antwoord = await client.get(pad, headers=headers)
            statussen[antwoord.status_code] += 1
            assert antwoord.status_code == 404 or is_503(antwoord), antwoord.text
            if antwoord.status_code == 503:
                break
            await database.engine.dispose()
            await asyncio.sleep(0.1)
        assert antwoord.status_code == 503
        assert antwoord.json()["type"] == "urn:thuiszitters:probleem:database-onbereikbaar"
    finally:
        await blijver.close()
        await asyncio.to_thread(server.start_opnieuw)
    weg = await client.get(pad, headers=headers)
    statussen[weg.status_code] += 1
    tel("afsluiten", statussen)
    assert weg.status_code == 404


async def test_a_statement_timeout_is_503_that_may_be_retried(
    client: AsyncClient, auth: FakeAuthenticator, swv: Swv, server: Server
) -> None:
    """57014 (the pool's statement_timeout): 503 with `Retry-After`, nothing committed."""
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    beheer = await asyncpg.connect(server.pg.superuser_url(server.pg.database))
    try:
        async with beheer.transaction():
            await beheer.execute("LOCK TABLE leerlingen IN ACCESS EXCLUSIVE MODE")
            antwoord = await client.get(f"/v1/leerlingen/{uuid.uuid4()}", headers=headers)
    finally:
        await beheer.close()
    tel("statement timeout", Counter([antwoord.status_code]))
    assert is_503(antwoord), antwoord.text
    assert antwoord.json()["type"] == "urn:thuiszitters:probleem:database-time-out"


async def test_a_backend_killed_during_a_statement_answers_503(
    client: AsyncClient, auth: FakeAuthenticator, swv: Swv, server: Server
) -> None:
    """A backend terminated while its statement waits (08003/57P01 mid-operation): 503."""
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    beheer = await asyncpg.connect(server.pg.superuser_url(server.pg.database))
    try:
        async with beheer.transaction():
            await beheer.execute("LOCK TABLE leerlingen IN ACCESS EXCLUSIVE MODE")
            verzoek = asyncio.create_task(
                client.get(f"/v1/leerlingen/{uuid.uuid4()}", headers=headers)
            )
            for _ in range(100):  # until the request waits for the lock
                wacht = await beheer.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                    "'thuiszitters' AND wait_event_type = 'Lock'"
                )
                if wacht:
                    break
                await asyncio.sleep(0.02)
            assert wacht == 1
            await beheer.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'thuiszitters' AND wait_event_type = 'Lock'"
            )
            antwoord = await verzoek
    finally:
        await beheer.close()
    tel("backend beeindigd", Counter([antwoord.status_code]))
    assert is_503(antwoord), antwoord.text


async def test_under_kills_and_a_restart_only_2xx_and_503_and_nothing_lost_or_doubled(
    client: AsyncClient, auth: FakeAuthenticator, swv: Swv, server: Server
) -> None:
    """Registrations and reads while backends are killed again and again and the server is
    restarted once: every answer 2xx or 503 with `Retry-After`; a registration retried with
    its `Idempotency-Key` until it succeeds is stored exactly once."""
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    statussen: Counter[int] = Counter()
    geregistreerd: dict[str, str] = {}  # pseudonym -> id acknowledged
    onverwacht: list[str] = []
    klaar = asyncio.Event()

    async def verzoek(methode: str, pad: str, **kw: Any) -> Response:
        antwoord = await client.request(methode, pad, headers=kw.pop("headers", headers), **kw)
        statussen[antwoord.status_code] += 1
        if antwoord.status_code not in TOEGESTAAN and not is_503(antwoord):
            onverwacht.append(f"{methode} {antwoord.status_code} {antwoord.text[:200]}")
        return antwoord

    async def registreer(werker: int, n: int) -> None:
        pseudoniem = f"S{werker}{n:05d}{uuid.uuid4().hex[:6]}"
        body = {
            "pseudoniem": pseudoniem,
            "geboortejaar": datetime.now(UTC).year - 12,
            "geboortemaand": 5,
            "regio": "noord",
        }
        sleutel = {**headers, "Idempotency-Key": str(uuid.uuid4())}
        for _ in range(50):  # retried as a client would, with the same key
            antwoord = await verzoek("POST", "/v1/leerlingen", json=body, headers=sleutel)
            if antwoord.status_code == 201:
                geregistreerd[pseudoniem] = antwoord.json()["id"]
                await verzoek("GET", f"/v1/leerlingen/{antwoord.json()['id']}")
                return
            if antwoord.status_code != 503:
                return
            await asyncio.sleep(0.05)

    async def werker(nummer: int) -> None:
        for n in range(12):
            await registreer(nummer, n)

    async def storingen() -> int:
        kills = 0
        for ronde in range(40):
            if klaar.is_set():
                break
            if ronde == 10:
                await asyncio.to_thread(server.herstart)
            else:
                kills += await server.beeindig_verbindingen()
            await asyncio.sleep(0.1)
        return kills

    storing = asyncio.create_task(storingen())
    await asyncio.wait_for(asyncio.gather(*(werker(w) for w in range(4))), timeout=240)
    klaar.set()
    kills = await storing

    beheer = await asyncpg.connect(server.pg.superuser_url(server.pg.database))
    try:
        rijen = await beheer.fetch(
            "SELECT pseudoniem, count(*) AS n FROM leerlingen WHERE swv_id = $1 GROUP BY 1",
            swv.id,
        )
    finally:
        await beheer.close()
    opgeslagen = {r["pseudoniem"]: r["n"] for r in rijen}
    verloren = sum(1 for p in geregistreerd if p not in opgeslagen)
    dubbel = sum(n - 1 for n in opgeslagen.values())
    tel(
        "kills en herstart",
        statussen,
        beeindigd=kills,
        geregistreerd=len(geregistreerd),
        verloren=verloren,
        dubbel=dubbel,
    )
    assert onverwacht == []
    assert len(geregistreerd) == 48
    assert verloren == dubbel == 0


async def test_a_request_cancelled_mid_statement_leaves_no_500_behind(
    settings: Settings, auth: FakeAuthenticator, server: Server
) -> None:
    """A request cancelled while its statement runs (a client that gave up) can leave the
    connection mid-operation; the next request on it answers 2xx or 503, never 500."""
    database = Database(server.url, pool_size=1, statement_timeout_ms=5_000)
    app = create_app(settings, database)
    app.use_authenticator(auth)
    swv = await maak_swv(database.sessionmaker, f"SC{uuid.uuid4().hex[:8]}")
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    pad = f"/v1/leerlingen/{uuid.uuid4()}"
    statussen: Counter[int] = Counter()
    try:
        async with AsyncClient(
            transport=ASGITransport(app=app, raise_app_exceptions=False),
            base_url="http://testserver",
        ) as client:
            beheer = await asyncpg.connect(server.pg.superuser_url(server.pg.database))
            try:
                async with beheer.transaction():
                    await beheer.execute("LOCK TABLE leerlingen IN ACCESS EXCLUSIVE MODE")
                    verzoek = asyncio.create_task(client.get(pad, headers=headers))
                    for _ in range(100):  # until the request waits for the lock
                        if await beheer.fetchval(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                            "'thuiszitters' AND wait_event_type = 'Lock'"
                        ):
                            break
                        await asyncio.sleep(0.02)
                    verzoek.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await verzoek
            finally:
                await beheer.close()
            for _ in range(5):
                antwoord = await client.get(pad, headers=headers)
                statussen[antwoord.status_code] += 1
                assert antwoord.status_code == 404 or is_503(antwoord), antwoord.text
                if antwoord.status_code == 404:
                    break
    finally:
        await database.dispose()
    tel("verzoek afgebroken", statussen)
    assert statussen[404] == 1
