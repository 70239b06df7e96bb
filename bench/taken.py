"""The begeleider's worklist against raw asyncpg, and event throughput from the outbox to a
local receiver against a bare loop posting the same bodies (issue: actielijsten and events).

Run: ``python -m bench taken [--children N] [--tasks M] [--events K] [--explain]`` (defaults
200,000 children, 1,000,000 tasks, 2,000 events); decisions 48 and 51.

1. A throwaway embedded PostgreSQL, migrated, N synthetic children seeded with
   `bench.register_seed.seed`, and M tasks over them (`Taakbron`: the generators' quarterly
   cycle plus synthetic workflow episodes over three school years, about a third the
   begeleider's), COPYed as the superuser, then `VACUUM ANALYZE`. PostgreSQL and its data
   directory go at the end, on an exception, Ctrl-C and SIGTERM.
2. The first page (20) of the begeleider's default worklist, the work still to do (decision
   51), through the service (`app.services.taken.werklijst`, unit of work, row-level security,
   audit of the children shown) against the same page and count on raw asyncpg (the floor:
   the repository's SQL word for word, checked); REPEATS interleaved runs, best and median;
   ratio = floor time / service time (target ≥ 0.5; page < 100 ms); the plans of both queries
   (EXPLAIN ANALYZE).
3. K events in the outbox for one subscription to a loopback receiver (asyncio, answers 200):
   the worker's path (`verdeel` + `bezorg` until all are delivered: claim, sign, post, mark,
   one transaction each) against a bare loop posting the same bodies with the same client;
   ratio = the worker's events per second / the bare loop's.
The load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import FrameType

import asyncpg  # type: ignore[import-untyped]
import httpx

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from app.db.session import Database, UnitOfWork
from app.db.taken import TakenRepository, Werklijstfilter
from app.domain import notificaties as regels
from app.domain import taken as taakregels
from app.domain.rapportage import STANDAARD_PEILDATA
from app.domain.taken import Context, TaakSpec, Termijnen
from app.domain.toegang import Actor, Rol
from app.services import notificaties, taken
from app.services.notificaties import Bezorging
from app.services.pagination import PageRequest
from app.services.toegang.versleuteling import Versleuteling
from bench.register_seed import seed

REPEATS = 7
PAGINA = 20
TARGET_RATIO = 0.5
TARGET_PAGE_MS = 100.0

_FLOOR_PAGE = (
    "SELECT * FROM ((SELECT id, code, onderwerp, periode, rol, toegewezen_aan, leerling_id, "
    "school_id, peildatum, opent_op, vervalt_op, status, toelichting, versie FROM taken t "
    "WHERE t.swv_id = $1 AND t.rol = $2 AND t.status = 'open' ORDER BY t.vervalt_op, t.id "
    "LIMIT $4) UNION "
    "(SELECT id, code, onderwerp, periode, rol, toegewezen_aan, leerling_id, school_id, "
    "peildatum, opent_op, vervalt_op, status, toelichting, versie FROM taken t "
    "WHERE t.swv_id = $1 AND t.toegewezen_aan = $3 AND t.status = 'open' "
    "ORDER BY t.vervalt_op, t.id LIMIT $4)) t "
    "ORDER BY t.vervalt_op, t.id LIMIT $5 OFFSET $6"
)
"""The floor: the service's default page (the work to do) for an SWV-wide role, written out
by hand (`zelfde_sql` checks that the repository sends exactly this text)."""
_FLOOR_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM taken t WHERE t.swv_id = $1 AND t.rol = $2 "
    "AND t.status = 'open' "
    "UNION ALL SELECT 1 FROM taken t WHERE t.swv_id = $1 AND t.toegewezen_aan = $3 "
    "AND t.rol <> $2 AND t.status = 'open') t"
)
_PAGE_ARGS = (PAGINA, PAGINA, 0)
"""The page's top per arm, limit and offset (page 1)."""


class _Opname:
    """A connection that notes the SQL the repository sends through it."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.sql: list[str] = []

    async def fetch(self, sql: str, *args: object) -> list[asyncpg.Record]:
        self.sql.append(sql)
        rijen: list[asyncpg.Record] = await self.conn.fetch(sql, *args)
        return rijen

    async def fetchval(self, sql: str, *args: object) -> object:
        self.sql.append(sql)
        return await self.conn.fetchval(sql, *args)


async def zelfde_sql(conn: asyncpg.Connection, actor: Actor, vandaag: date) -> bool:
    """Whether the service's repository sends the floor's page and count, word for word."""
    opname = _Opname(conn)

    async def driver() -> _Opname:
        return opname

    async with conn.transaction():
        await conn.execute("SELECT set_config('app.swv_id', $1, true)", actor.swv_id)
        await TakenRepository(driver).werklijst(
            actor, Werklijstfilter(), vandaag, offset=0, limiet=PAGINA
        )
    return opname.sql in ([_FLOOR_PAGE, _FLOOR_COUNT], [_FLOOR_PAGE])


TAAK_KOLOMMEN = (
    "id",
    "swv_id",
    "code",
    "onderwerp",
    "periode",
    "rol",
    "toegewezen_aan",
    "leerling_id",
    "school_id",
    "peildatum",
    "opent_op",
    "vervalt_op",
    "status",
    "toelichting",
    "versie",
)
HISTORIE_DAGEN = 3 * 365
"""The seeded tasks span the last three school years up to the generators' horizon."""
BEGELEIDERS = 8
"""Persons with the begeleider role; half the begeleider tasks are assigned to one of them."""
LAAT_DAGEN = 28
"""A task due in the last four weeks is still open (late) three times in ten; older, rarely."""
SYSTEEMREDEN = "De stap is gezet of de workflow is beëindigd."
_COORDINATIE = ((Rol.SCHOOLMEDEWERKER, 5), (Rol.LEERPLICHTAMBTENAAR, 2), (Rol.BEGELEIDER, 3))
_EIGENAAR = ((Rol.SCHOOLMEDEWERKER, 4), (Rol.LEERPLICHTAMBTENAAR, 2), (Rol.BEGELEIDER, 4))


def begeleider(n: int) -> str:
    return f"bench-begeleider-{n}"


class Taakbron:
    """Task rows as the generators would have written them over three school years.

    Per-peildatum tasks (belronde, navraag per school, leerplichtoverleg, groslijst, inspectie)
    come from the domain's own generators (`app.domain.taken.genereer`) run for every week of
    the history. The workflow tasks follow synthetic episodes: a child becomes a thuiszitter
    (digidoor, register), sometimes after a melding (zorgplicht, advies); a case opens with weekly
    contact-ouders and evaluatie tasks for its coördinator's role until it ends (mean 12 weeks);
    some children have a TLV (tlv-check each quarter) or an escalation (agreements, a decision);
    some a vrijstelling renewed each year. A task due before today is closed (workflow tasks
    mostly `niet-van-toepassing` by the daily sweep, some `afgerond` by hand; still open, so
    late: 30% of those due in the last four weeks, 0.5% of older ones);
    a task due from today on is open (planned or open).
    """

    def __init__(
        self,
        swv_id: uuid.UUID,
        leerlingen: Sequence[uuid.UUID],
        scholen: Sequence[uuid.UUID],
        vandaag: date,
        seed: int = 20261208,
    ) -> None:
        self.swv_id = swv_id
        self.leerlingen = leerlingen
        self.scholen = scholen
        self.vandaag = vandaag
        self.rnd = random.Random(seed)
        self.begin = vandaag - timedelta(days=HISTORIE_DAGEN)
        self.tot = vandaag + timedelta(days=Termijnen().horizon_dagen)

    def _id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rnd.getrandbits(128), version=4)

    def _status(self, vervalt: date, *, werkflow: bool) -> tuple[str, str | None]:
        if vervalt >= self.vandaag:
            return "open", None
        x = self.rnd.random()
        if x < (0.3 if (self.vandaag - vervalt).days <= LAAT_DAGEN else 0.005):
            return "open", None  # late: mostly recent, the sweep and people catch up
        if werkflow and x < 0.70:
            return "niet-van-toepassing", SYSTEEMREDEN
        return "afgerond", "Afgerond (synthetisch)."

    def _rij(  # noqa: PLR0917 (the key and the dates, as a TaakSpec)
        self,
        code: str,
        rol: Rol,
        onderwerp: str,
        periode: str,
        opent: date,
        vervalt: date,
        *,
        leerling: uuid.UUID | None = None,
        school: uuid.UUID | None = None,
        peildatum: date | None = None,
        werkflow: bool = True,
    ) -> tuple[object, ...]:
        status, toelichting = self._status(vervalt, werkflow=werkflow)
        wie = None
        if rol is Rol.BEGELEIDER and self.rnd.random() < 0.5:
            wie = begeleider(self.rnd.randrange(BEGELEIDERS))
        return (
            self._id(), self.swv_id, code, onderwerp, periode, str(rol), wie, leerling, school,
            peildatum, opent, vervalt, status, toelichting, 1,
        )  # fmt: skip

    def per_peildatum(self) -> list[tuple[object, ...]]:
        """The quarterly cycle's tasks, from the generators themselves."""
        context = Context(peildata=STANDAARD_PEILDATA, scholen=tuple(map(str, self.scholen)))
        specs: dict[tuple[str, str, str], TaakSpec] = {}
        dag = self.begin
        while dag <= self.vandaag:
            for s in taakregels.genereer(context, dag):
                specs.setdefault((s.code, s.onderwerp, s.periode), s)
            dag += timedelta(days=7)
        return [
            self._rij(
                s.code,
                s.rol,
                s.onderwerp,
                s.periode,
                s.opent_op,
                s.vervalt_op,
                school=uuid.UUID(s.school_id) if s.school_id else None,
                peildatum=s.peildatum,
                werkflow=False,
            )
            for s in specs.values()
        ]

    def episode(self) -> Iterator[tuple[object, ...]]:
        """One child's episode as a thuiszitter, with its workflows' tasks."""
        r = self.rnd
        kind = self.leerlingen[r.randrange(len(self.leerlingen))]
        school = self.scholen[r.randrange(len(self.scholen))]
        start = self.begin + timedelta(days=r.randrange(HISTORIE_DAGEN))
        dag = start.isoformat()
        if r.random() < 0.3:
            code = "advies" if r.random() < 0.3 else "zorgplicht"
            due = start - timedelta(days=5)
            yield self._rij(code, Rol.REGISSEUR, str(self._id()), due.isoformat(),
                            due - timedelta(days=7), due, leerling=kind, school=school)  # fmt: skip
        yield self._rij("digidoor", Rol.BEGELEIDER, str(kind), dag, start, start, leerling=kind,
                        werkflow=False)  # fmt: skip
        yield self._rij("register", Rol.SECRETARIAAT, str(kind), dag, start, start,
                        leerling=kind, werkflow=False)  # fmt: skip
        rol = r.choices([x for x, _ in _COORDINATIE], [w for _, w in _COORDINATIE])[0]
        casus = str(self._id())
        casus_school = school if rol is Rol.SCHOOLMEDEWERKER else None
        volgende = self.vandaag + timedelta(days=7)  # the next due day only, one at a time
        for week in range(1, 2 + int(r.expovariate(1 / 12))):
            for code, due in (
                ("contact-ouders", start + timedelta(days=7 * week)),
                ("evaluatie", start + timedelta(days=7 * week + 2)),
            ):
                if due <= volgende:
                    yield self._rij(code, rol, casus, due.isoformat(), due - timedelta(days=7),
                                    due, leerling=kind, school=casus_school)  # fmt: skip
        if r.random() < 0.15:
            tlv, due = str(self._id()), start + timedelta(days=30)
            while due <= self.tot:
                yield self._rij("tlv-check", Rol.BEGELEIDER, tlv, due.isoformat(),
                                due - timedelta(days=7), due, leerling=kind)  # fmt: skip
                due += timedelta(days=91)
        if r.random() < 0.05:
            datum = start + timedelta(days=60)
            for _ in range(2):
                eigenaar = r.choices([x for x, _ in _EIGENAAR], [w for _, w in _EIGENAAR])[0]
                due = datum + timedelta(days=r.randrange(14, 43))
                yield self._rij("escalatie-afspraak", eigenaar, str(self._id()),
                                due.isoformat(), datum, due, leerling=kind)  # fmt: skip
            if r.random() < 0.3:
                due = datum + timedelta(days=42)
                yield self._rij("besluit-uitvoeren", Rol.DIRECTEUR, str(self._id()),
                                due.isoformat(), datum, due, leerling=kind)  # fmt: skip

    def vrijstellingen(self) -> list[tuple[object, ...]]:
        """0.5% of the children have a vrijstelling, renewed each school year (LPW art. 5, 15)."""
        jaren = [
            j
            for j in range(self.begin.year + 1, self.tot.year + 1)
            if date(j, 5, 1) - timedelta(days=60) <= self.vandaag
        ]
        n = min(len(self.leerlingen), max(1, len(self.leerlingen) // 200))
        return [
            self._rij(
                "vrijstelling-verlengen",
                Rol.LEERPLICHTAMBTENAAR,
                feit,
                str(jaar),
                date(jaar, 5, 1),
                date(jaar, 6, 30),
                leerling=kind,
            )
            for kind, feit in ((k, str(self._id())) for k in self.rnd.sample(self.leerlingen, n))
            for jaar in jaren
        ]

    def rijen(self, aantal: int, batch: int = 50_000) -> Iterator[list[tuple[object, ...]]]:
        """`aantal` task rows in batches: the cycle and the vrijstellingen, then episodes."""
        rij: list[tuple[object, ...]] = [*self.per_peildatum(), *self.vrijstellingen()][:aantal]
        geteld = len(rij)
        digidoor: set[tuple[object, ...]] = set()
        while geteld < aantal:
            for r in self.episode():
                if r[2] in {"digidoor", "register"}:
                    if (r[2], r[3], r[4]) in digidoor:
                        continue  # the same child and day: the generator's one key
                    digidoor.add((r[2], r[3], r[4]))
                rij.append(r)
                geteld += 1
                if geteld == aantal:
                    break
            if len(rij) >= batch:
                yield rij
                rij = []
        if rij:
            yield rij


def _load() -> str:
    een, vijf, _ = os.getloadavg()
    return f"load {een:.2f}/{vijf:.2f}"


@dataclass
class Report:
    children: int
    tasks: int
    events: int
    seed_children_s: float = 0.0
    seed_tasks_s: float = 0.0
    share: int = 0
    """How many tasks the measured begeleider's default worklist holds (its tasks still to do,
    the count of its first page)."""
    service_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    page_items: int = 0
    plans: list[str] = field(default_factory=list)
    zelfde_sql: bool = False
    """Whether the floor ran the very SQL the service's repository sends."""
    worker_s: float = 0.0
    bare_s: float = 0.0
    delivered: int = 0
    received: int = 0
    posted: int = 0
    loads: list[str] = field(default_factory=list)

    @property
    def ratio_page(self) -> float:
        return min(self.floor_ms) / min(self.service_ms)

    @property
    def ratio_events(self) -> float:
        """The worker's events per second over the bare loop's (the same bodies)."""
        if not (self.worker_s and self.bare_s):
            return 0.0
        return (self.delivered / self.worker_s) / (self.posted / self.bare_s)


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


async def seed_taken(
    superuser: str,
    swv_id: uuid.UUID,
    leerlingen: Sequence[uuid.UUID],
    aantal: int,
    vandaag: date,
) -> float:
    """COPY `aantal` tasks (`Taakbron`) as the superuser, then `VACUUM ANALYZE`; seconds taken.
    The next batch is computed in a thread while PostgreSQL takes in the previous one."""
    t0 = time.perf_counter()
    su = await asyncpg.connect(superuser)
    try:
        scholen = [
            r["id"]
            for r in await su.fetch("SELECT id FROM scholen WHERE swv_id = $1 ORDER BY id", swv_id)
        ]
        batches = Taakbron(swv_id, leerlingen, scholen, vandaag).rijen(aantal)
        await su.execute("SET session_replication_role = replica")
        volgende = asyncio.to_thread(next, batches, None)
        while (rijen := await volgende) is not None:
            volgende = asyncio.to_thread(next, batches, None)
            await su.copy_records_to_table("taken", records=rijen, columns=TAAK_KOLOMMEN)
        await su.execute("SET session_replication_role = origin")
        await su.execute("VACUUM ANALYZE taken")
    finally:
        await su.close()
    return time.perf_counter() - t0


async def _plannen(floor: asyncpg.Connection, swv_id: uuid.UUID, wie: str) -> list[str]:
    """EXPLAIN ANALYZE of the floor's page and count (the service's SQL): the plan's nodes."""
    uit = []
    for sql, extra in ((_FLOOR_PAGE, _PAGE_ARGS), (_FLOOR_COUNT, ())):
        async with floor.transaction():
            await floor.execute("SELECT set_config('app.swv_id', $1, true)", str(swv_id))
            rijen = await floor.fetch(
                f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}",
                swv_id,
                str(Rol.BEGELEIDER),
                wie,
                *extra,
            )
        uit.append("\n".join(r[0] for r in rijen))
    return uit


async def measure(url: str, report: Report, swv_id: uuid.UUID, vandaag: date) -> None:
    database = Database(url, pool_size=4)
    begeleider_ = Actor(id=begeleider(0), rol=Rol.BEGELEIDER, swv_id=str(swv_id))
    floor = await asyncpg.connect(url)
    try:
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            pagina, _ = await taken.werklijst(
                UnitOfWork(database.sessionmaker),
                begeleider_,
                Werklijstfilter(),
                PageRequest(1, PAGINA),
                op=vandaag,
            )
            report.service_ms.append((time.perf_counter() - t0) * 1000)
            report.page_items = len(pagina.items)
            report.share = pagina.total
            t0 = time.perf_counter()
            async with floor.transaction():
                await floor.execute("SELECT set_config('app.swv_id', $1, true)", str(swv_id))
                rol, wie = str(Rol.BEGELEIDER), begeleider_.id
                rijen = await floor.fetch(_FLOOR_PAGE, swv_id, rol, wie, *_PAGE_ARGS)
                if len(rijen) == PAGINA:
                    await floor.fetchval(_FLOOR_COUNT, swv_id, rol, wie)
            report.floor_ms.append((time.perf_counter() - t0) * 1000)
        report.loads.append(f"worklist: {_load()}")
        report.zelfde_sql = await zelfde_sql(floor, begeleider_, vandaag)
        report.plans = await _plannen(floor, swv_id, begeleider_.id)
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
            while report.delivered < report.events:  # as the worker's loop: fan out, deliver
                await notificaties.verdeel(UnitOfWork(database.sessionmaker), nu)
                bezorgd = await notificaties.bezorg(
                    UnitOfWork(database.sessionmaker),
                    nu,
                    versleuteling,
                    client,
                    bezorging,
                    maximaal=report.events - report.delivered,
                )
                if not bezorgd:
                    break
                report.delivered += bezorgd
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
            report.posted = len(bodies)
    finally:
        server.close()
        await server.wait_closed()


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends the run like Ctrl-C does, so the `finally` stops PostgreSQL."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


def run(*, children: int, tasks: int, events: int, out: Callable[[str], None] = print) -> Report:
    """Seed, measure and always clean up: the embedded PostgreSQL and its data directory go on
    a normal end, an exception, SIGINT and SIGTERM (the seeding's worker processes stop first)."""
    report = Report(children, tasks, events)
    report.loads.append(f"start: {_load()}")
    hoofd = threading.current_thread() is threading.main_thread()
    vorige = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    if hoofd:
        signal.signal(signal.SIGTERM, _stop)
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-taken-"))
    pg = EmbeddedPostgres(workdir / "data")
    try:
        url = pg.start()
        out(f"PostgreSQL started on {pg.pgdata}")
        migrate(pg.owner_url())
        seeded = asyncio.run(seed(pg.superuser_url(pg.database), children))
        report.seed_children_s = seeded.seconds
        out(f"seeded {children:,} children in {seeded.seconds:.1f} s ({_load()})")
        vandaag = datetime.now(UTC).date()
        report.seed_tasks_s = asyncio.run(
            seed_taken(
                pg.superuser_url(pg.database), seeded.swv_id, seeded.leerling_ids, tasks, vandaag
            )
        )
        out(f"seeded {tasks:,} tasks in {report.seed_tasks_s:.1f} s ({_load()})")
        asyncio.run(measure(url, report, seeded.swv_id, vandaag))
    finally:
        if hoofd:  # a second signal must not interrupt the cleanup itself
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            pg.destroy()
            shutil.rmtree(workdir, ignore_errors=True)
        finally:
            if hoofd:
                signal.signal(signal.SIGTERM, vorige[0])
                signal.signal(signal.SIGINT, vorige[1])
    return report


def _knopen(plan: str) -> str:
    """The scans of a plan, for one line: which index (or a sequential scan) each arm uses."""
    scans = [
        regel.strip().removeprefix("->").strip().split("  (")[0]
        for regel in plan.splitlines()
        if "Scan" in regel
    ]
    tijd = next((r for r in plan.splitlines() if r.startswith("Execution Time")), "")
    return f"{'; '.join(scans)} ({tijd.lower()})"


def print_report(r: Report, out: Callable[[str], None] = print, *, plannen: bool = False) -> None:
    out(f"{r.children:,} children, {r.tasks:,} tasks, {r.events:,} events")
    out(f"seeding: children {r.seed_children_s:.1f} s, tasks {r.seed_tasks_s:.1f} s (COPY)")
    out(
        f"worklist page 1 ({r.page_items} of the begeleider's {r.share:,} to do): service best "
        f"{min(r.service_ms):.1f} ms, median {statistics.median(r.service_ms):.1f} ms; raw "
        f"asyncpg best {min(r.floor_ms):.1f} ms, median {statistics.median(r.floor_ms):.1f} ms; "
        f"ratio {r.ratio_page:.2f} (target ≥ {TARGET_RATIO}; page < {TARGET_PAGE_MS:.0f} ms: "
        f"{'met' if min(r.service_ms) < TARGET_PAGE_MS else 'NOT met'}) [{r.loads[1]}]"
    )
    out(f"  the floor runs the service's SQL word for word: {'yes' if r.zelfde_sql else 'NO'}")
    for naam, plan in zip(("page", "count"), r.plans, strict=False):
        out(f"  plan of the {naam}: {_knopen(plan)}")
        if plannen:
            out(plan)
    out(
        f"events: worker path {r.delivered} delivered in {r.worker_s:.2f} s "
        f"({r.delivered / max(r.worker_s, 1e-9):.0f}/s), bare loop {r.bare_s:.2f} s "
        f"({r.posted / max(r.bare_s, 1e-9):.0f}/s); ratio {r.ratio_events:.2f} [{r.loads[2]}]"
    )


def _print(regel: str) -> None:
    print(regel, flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench taken")
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--explain", action="store_true", help="print the full query plans")
    args = parser.parse_args(argv)
    try:
        report = run(children=args.children, tasks=args.tasks, events=args.events, out=_print)
    except KeyboardInterrupt as onderbreking:
        _print("interrupted; PostgreSQL stopped and its data removed")
        return 128 + (signal.SIGTERM if onderbreking.args == ("SIGTERM",) else signal.SIGINT)
    print_report(report, out=_print, plannen=args.explain)
    return 0
