"""The begeleider's worklist against raw asyncpg, and event throughput from the outbox to a
local receiver against a bare loop posting the same bodies (issue: actielijsten and events).

Run: ``python -m bench taken [--children N] [--tasks M] [--events K]`` (defaults 200,000 children,
1,000,000 tasks, 2,000 events).

1. A throwaway embedded PostgreSQL (removed at the end), migrated, N synthetic children seeded
   with `bench.register_seed.seed`, and M tasks over them (a quarter the begeleider's), inserted
   with one `INSERT … SELECT` as the superuser, then `VACUUM ANALYZE`.
2. The first page (20) of the begeleider's worklist through the service
   (`app.services.taken.werklijst`, unit of work, row-level security, audit of the children
   shown) against the same page and count on raw asyncpg (the floor); REPEATS interleaved runs,
   best and median; ratio = floor time / service time (target ≥ 0.5; page < 100 ms).
3. K events in the outbox for one subscription to a loopback receiver (asyncio, answers 200):
   the worker's path (`verdeel` + `bezorg`: claim, sign, post, mark, one transaction each)
   against a bare loop posting the same bodies with the same client; ratio = bare / worker time.
The load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import httpx

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from app.db.session import Database, UnitOfWork
from app.db.taken import Werklijstfilter
from app.domain import notificaties as regels
from app.domain.toegang import Actor, Rol
from app.services import notificaties, taken
from app.services.notificaties import Bezorging
from app.services.pagination import PageRequest
from app.services.toegang.versleuteling import Versleuteling
from bench.register_seed import seed

REPEATS = 7
TARGET_RATIO = 0.5
TARGET_PAGE_MS = 100.0

_FLOOR_PAGE = (
    "SELECT id, code, onderwerp, periode, rol, toegewezen_aan, leerling_id, school_id, "
    "peildatum, opent_op, vervalt_op, status, toelichting, versie FROM taken t "
    "WHERE t.swv_id = $1 AND (t.rol = $2 OR t.toegewezen_aan = $3) "
    "ORDER BY t.vervalt_op, t.id LIMIT 20 OFFSET 0"
)
_FLOOR_COUNT = (
    "SELECT count(*) FROM taken t WHERE t.swv_id = $1 AND (t.rol = $2 OR t.toegewezen_aan = $3)"
)
_TAKEN = """
INSERT INTO taken (id, swv_id, code, onderwerp, periode, rol, leerling_id, opent_op, vervalt_op,
                   status, versie)
SELECT gen_random_uuid(), $1, (ARRAY['digidoor','register','tlv-check','navraag'])[1 + n % 4],
       l.id::text, 'p' || (n / $3), (ARRAY[$4, 'secretariaat', 'regisseur-thuiszitters',
       'leerplichtambtenaar'])[1 + (n / 7) % 4], l.id,
       date '2026-09-01' + (n % 300), date '2026-09-08' + (n % 300),
       CASE WHEN n % 5 = 0 THEN 'afgerond' ELSE 'open' END, 1
FROM generate_series(0, $2 - 1) AS n
JOIN LATERAL (SELECT id FROM leerlingen WHERE swv_id = $1 OFFSET (n % $3) LIMIT 1) l ON true
"""


def _load() -> str:
    een, vijf, _ = os.getloadavg()
    return f"load {een:.2f}/{vijf:.2f}"


@dataclass
class Report:
    children: int
    tasks: int
    events: int
    service_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    page_items: int = 0
    worker_s: float = 0.0
    bare_s: float = 0.0
    delivered: int = 0
    received: int = 0
    loads: list[str] = field(default_factory=list)

    @property
    def ratio_page(self) -> float:
        return min(self.floor_ms) / min(self.service_ms)

    @property
    def ratio_events(self) -> float:
        return self.bare_s / self.worker_s if self.worker_s else 0.0


async def _ontvanger() -> tuple[asyncio.Server, str, list[int]]:
    """A loopback receiver that reads one request per connection round and answers 200."""
    teller = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                kop = await reader.readuntil(b"\r\n\r\n")
                lengte = 0
                for regel in kop.split(b"\r\n"):
                    if regel.lower().startswith(b"content-length:"):
                        lengte = int(regel.split(b":")[1])
                await reader.readexactly(lengte)
                teller[0] += 1
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    poort = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{poort}/hook", teller


async def measure(url: str, superuser: str, report: Report, swv_id: uuid.UUID) -> None:
    su = await asyncpg.connect(superuser)
    try:
        aantal = await su.fetchval("SELECT count(*) FROM leerlingen WHERE swv_id = $1", swv_id)
        await su.execute(_TAKEN, swv_id, report.tasks, max(1, aantal), str(Rol.BEGELEIDER))
        await su.execute("VACUUM ANALYZE taken")
    finally:
        await su.close()
    database = Database(url, pool_size=4)
    begeleider = Actor(id="bench-begeleider", rol=Rol.BEGELEIDER, swv_id=str(swv_id))
    floor = await asyncpg.connect(url)
    try:
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            pagina, _ = await taken.werklijst(
                UnitOfWork(database.sessionmaker),
                begeleider,
                Werklijstfilter(),
                PageRequest(1, 20),
                op=date(2026, 12, 1),
            )
            report.service_ms.append((time.perf_counter() - t0) * 1000)
            report.page_items = len(pagina.items)
            t0 = time.perf_counter()
            async with floor.transaction():
                await floor.execute("SELECT set_config('app.swv_id', $1, true)", str(swv_id))
                rol, wie = str(Rol.BEGELEIDER), begeleider.id
                await floor.fetch(_FLOOR_PAGE, swv_id, rol, wie)
                await floor.fetchval(_FLOOR_COUNT, swv_id, rol, wie)
            report.floor_ms.append((time.perf_counter() - t0) * 1000)
        report.loads.append(f"worklist: {_load()}")
        await _events(database, floor, report, swv_id)
        report.loads.append(f"events: {_load()}")
    finally:
        await floor.close()
        await database.dispose()


async def _events(
    database: Database, floor: asyncpg.Connection, report: Report, swv_id: uuid.UUID
) -> None:
    server, hook, teller = await _ontvanger()
    versleuteling = Versleuteling(Versleuteling.nieuwe_sleutel())
    systeem = Actor(id="bench-systeem", rol=Rol.REGISSEUR, swv_id=str(swv_id), is_systeem=True)
    bezorging = Bezorging()
    nu = datetime.now(UTC)
    try:
        _, geheim, _ = await notificaties.abonneer(
            UnitOfWork(database.sessionmaker),
            systeem,
            versleuteling,
            url=hook,
            soorten=[],
            bron_referentie=None,
        )
        assert geheim is not None
        uow = UnitOfWork(database.sessionmaker)
        async with uow.voor(systeem):
            for _ in range(report.events):
                await notificaties.publiceer(uow, swv_id, "taak.te-laat", uuid.uuid4(), nu=nu)
            await uow.commit()
        async with httpx.AsyncClient() as client:
            t0 = time.perf_counter()
            await notificaties.verdeel(UnitOfWork(database.sessionmaker), nu)
            report.delivered = await notificaties.bezorg(
                UnitOfWork(database.sessionmaker),
                nu,
                versleuteling,
                client,
                bezorging,
                maximaal=report.events * 2,
            )
            report.worker_s = time.perf_counter() - t0
            report.received = teller[0]
            # The same bodies, signed, posted in a bare loop.
            async with uow.voor(systeem):
                events = await uow.notificaties.van_swv(swv_id)
            bodies = [
                (str(e.id), regels.lichaam(notificaties.cloudevent(e, bezorging))) for e in events
            ]
            t0 = time.perf_counter()
            for bericht_id, body in bodies:
                stempel = int(time.time())
                await client.post(
                    hook,
                    content=body,
                    headers={
                        "webhook-id": bericht_id,
                        "webhook-timestamp": str(stempel),
                        "webhook-signature": regels.onderteken(geheim, bericht_id, stempel, body),
                    },
                )
            report.bare_s = time.perf_counter() - t0
    finally:
        server.close()
        await server.wait_closed()


def run(*, children: int, tasks: int, events: int, out: Callable[[str], None] = print) -> Report:
    report = Report(children, tasks, events)
    report.loads.append(f"start: {_load()}")
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-taken-"))
    pg = EmbeddedPostgres(workdir / "data")
    try:
        url = pg.start()
        migrate(pg.owner_url())
        seeded = asyncio.run(seed(pg.superuser_url(pg.database), children))
        out(f"seeded {children:,} children in {seeded.seconds:.1f} s ({_load()})")
        asyncio.run(measure(url, pg.superuser_url(pg.database), report, seeded.swv_id))
    finally:
        pg.destroy()
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def print_report(r: Report, out: Callable[[str], None] = print) -> None:
    out(f"{r.children:,} children, {r.tasks:,} tasks, {r.events:,} events")
    out(
        f"worklist page 1 (20 of the begeleider's): service best {min(r.service_ms):.1f} ms, "
        f"median {statistics.median(r.service_ms):.1f} ms; raw asyncpg best "
        f"{min(r.floor_ms):.1f} ms, median {statistics.median(r.floor_ms):.1f} ms; "
        f"ratio {r.ratio_page:.2f} (target ≥ {TARGET_RATIO}; page < {TARGET_PAGE_MS:.0f} ms: "
        f"{'met' if min(r.service_ms) < TARGET_PAGE_MS else 'NOT met'}) [{r.loads[1]}]"
    )
    out(
        f"events: worker path {r.delivered} delivered in {r.worker_s:.2f} s "
        f"({r.delivered / max(r.worker_s, 1e-9):.0f}/s), bare loop {r.bare_s:.2f} s "
        f"({r.events / max(r.bare_s, 1e-9):.0f}/s); ratio {r.ratio_events:.2f} [{r.loads[2]}]"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench taken")
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=2_000)
    args = parser.parse_args(argv)
    print_report(run(children=args.children, tasks=args.tasks, events=args.events))
    return 0
