"""A leerplicht delivery of N items end to end against a COPY of the same rows into a bare table,
in the same run, with the floors that bound the design (docs/decisions/0028, 0049).

Run: ``python -m bench leerplicht [--items N]`` (default 100,000).

1. A throwaway embedded PostgreSQL (removed at the end, also on errors), migrated, with one SWV
   and one gemeente, created as the application role (row-level security applies throughout).
2. The floor: the N rows (reference, kind, start, birth year and month, gemeente, region) with
   asyncpg's COPY into a bare table without indexes or row-level security, as the application
   role.
3. The delivery: `ontvang_levering` (every item read in the pure domain, staged by COPY) and
   `verwerk_levering` (matching, registering N new children, appending N facts, outcomes, and
   the register's projection of every child), as a leerplicht system. Its rows per second
   against the floor's is the ratio; the target is at least 0.5.
4. Memory: the growth of the peak RSS while processing (processing runs in parts of
   `DEEL` items, so it does not grow with N), and the load average before and after.
5. CPU seconds while processing, of this process and of the server's backends (Linux, from
   /proc): on a busy machine the wall time mostly measures the wait for a core, these do not.
6. The floors that bound this design, each as a ratio to the COPY of step 2 (its time over
   theirs: the fraction of COPY's rows per second an implementation doing only that reaches):
   (ii) a COPY, in the same way, of every row the delivery wrote (children, facts, timeline
   periods, register rows, the delivery's own records: the counts of the real run, read back
   in chunks) into bare tables of the same columns without keys, indexes or row-level security:
   the best any implementation writing these rows could do; (iii) reading the request body into
   the API's pydantic model and every item with the domain (`lees_item`, `feiten_van`), no
   database. Both together bound the end-to-end ratio of this design from above.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from app.api.leerplichtleveringen import LeveringInvoer
from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from app.db.session import Database, UnitOfWork
from app.domain.leerplichtleveringen import Modus, feiten_van, lees_item
from app.domain.toegang import Actor, Rol
from app.services import leerplichtleveringen

TARGET = 0.5
"""Delivery rows per second at least this fraction of COPY's."""
HERHALINGEN = 3
"""Runs of the floors (i) and (iii); the fastest counts."""


@dataclass
class Report:
    items: int
    copy_s: float = 0.0
    ontvang_s: float = 0.0
    verwerk_s: float = 0.0
    tellingen: dict[str, int] = field(default_factory=dict)
    feiten: int = 0
    perioden: int = 0
    rss_groei_mb: float = 0.0
    cpu_python_s: float = 0.0
    cpu_postgres_s: float | None = None
    postmaster: int | None = None
    geschreven: dict[str, int] = field(default_factory=dict)
    """Rows per table the delivery wrote (what floor (ii) copies)."""
    per_tabel_s: dict[str, float] = field(default_factory=dict)
    """Floor (ii) per table: the COPY's seconds."""
    alles_copy_s: float = 0.0
    """Floor (ii): COPY of every row the delivery wrote into bare tables."""
    lezen_s: float = 0.0
    """Floor (iii): the body into the pydantic model and every item read by the domain."""
    load: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)

    @property
    def delivery_s(self) -> float:
        return self.ontvang_s + self.verwerk_s

    @property
    def ratio(self) -> float:
        return self.copy_s / self.delivery_s if self.delivery_s else 0.0

    def ten_opzichte_van_copy(self, seconden: float) -> float:
        """The COPY floor's time over this one: a ratio comparable to `ratio`."""
        return self.copy_s / seconden if seconden else 0.0


def items_voor(aantal: int, gemeente: str, seed: int = 20261207) -> list[dict[str, object]]:
    """N synthetic absoluut-verzuim items (fictitious references, no personal data)."""
    kans = random.Random(seed)
    begin = date(2026, 9, 1)
    return [
        {
            "referentie": f"BENCH-{n:07d}",
            "soort": "absoluut-verzuim",
            "vanaf": (begin + timedelta(days=kans.randrange(90))).isoformat(),
            "geboortejaar": kans.randrange(2010, 2019),
            "geboortemaand": kans.randrange(1, 13),
            "woongemeente": gemeente,
            "regio": kans.choice(("noord", "midden", "zuid")),
        }
        for n in range(aantal)
    ]


async def _maak_swv(url: str) -> tuple[uuid.UUID, uuid.UUID, str]:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.swv_id', '*', true)")
            swv_id = uuid.uuid4()
            await conn.execute(
                "INSERT INTO samenwerkingsverbanden (id, code, naam, privacy_modus, beleid, "
                "versie) VALUES ($1, 'BENCH-LP', 'Bench-SWV leerplicht', 'gepseudonimiseerd', "
                "'{}', 1)",
                swv_id,
            )
            gemeente_id, code = uuid.uuid4(), "GM9871"
            await conn.execute(
                "INSERT INTO gemeenten (id, code, naam) VALUES ($1, $2, 'Benchgemeente')",
                gemeente_id,
                code,
            )
            await conn.execute(
                "INSERT INTO swv_gemeenten (swv_id, gemeente_id) VALUES ($1, $2)",
                swv_id,
                gemeente_id,
            )
        return swv_id, gemeente_id, code
    finally:
        await conn.close()


async def _copy_floor(url: str, items: list[dict[str, object]]) -> float:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "CREATE TABLE bench_copy (referentie text, soort text, vanaf date, geboortejaar int, "
            "geboortemaand int, woongemeente text, regio text)"
        )
        t0 = time.perf_counter()
        await conn.copy_records_to_table(
            "bench_copy",
            records=(
                (
                    i["referentie"],
                    i["soort"],
                    date.fromisoformat(str(i["vanaf"])),
                    i["geboortejaar"],
                    i["geboortemaand"],
                    i["woongemeente"],
                    i["regio"],
                )
                for i in items
            ),
        )
        seconden = time.perf_counter() - t0
        await conn.execute("DROP TABLE bench_copy")
        return seconden
    finally:
        await conn.close()


_CHUNK = 20_000
"""Rows read back and copied at a time for floor (ii): memory flat in the delivery's size."""


async def _aantallen(conn: Any) -> dict[str, int]:
    """Rows per table of the public schema, every SWV (the owner, tenant '*')."""
    tabellen = await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    uit: dict[str, int] = {}
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.swv_id', '*', true)")
        for t in tabellen:
            naam = t["tablename"]
            uit[naam] = await conn.fetchval(f'SELECT count(*) FROM "{naam}"')  # noqa: S608
    return uit


async def _copy_alles(url: str, voor: dict[str, int], report: Report) -> None:
    """Floor (ii): the rows each table gained in the delivery, read back in chunks and COPYed
    into a bare table of the same columns (no keys, indexes, triggers or row-level security),
    only the COPYs timed."""
    conn = await asyncpg.connect(url)
    try:
        na = await _aantallen(conn)
        report.geschreven = {t: na[t] - voor.get(t, 0) for t in na if na[t] > voor.get(t, 0)}
        for tabel, aantal in report.geschreven.items():
            kaal = f"bench_kaal_{tabel}"
            await conn.execute(f'CREATE TABLE "{kaal}" (LIKE "{tabel}")')
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.swv_id', '*', true)")
                cursor = await conn.cursor(f'SELECT * FROM "{tabel}" LIMIT {aantal}')  # noqa: S608
                while rijen := await cursor.fetch(_CHUNK):
                    t0 = time.perf_counter()
                    await conn.copy_records_to_table(kaal, records=[tuple(r) for r in rijen])
                    seconden = time.perf_counter() - t0
                    report.per_tabel_s[tabel] = report.per_tabel_s.get(tabel, 0.0) + seconden
                    report.alles_copy_s += seconden
            await conn.execute(f'DROP TABLE "{kaal}"')
    finally:
        await conn.close()


def _lees(items: list[dict[str, object]], vandaag: date) -> float:
    """Floor (iii): the JSON body into `LeveringInvoer`, every item read and its facts derived
    by the domain; seconds."""
    body = json.dumps({"items": items}).encode()
    t0 = time.perf_counter()
    invoer = LeveringInvoer.model_validate_json(body)
    for ruw in invoer.items:
        feiten_van(lees_item(ruw, vandaag, geidentificeerd=False))
    return time.perf_counter() - t0


def _cpu_python() -> float:
    gebruik = resource.getrusage(resource.RUSAGE_SELF)
    return gebruik.ru_utime + gebruik.ru_stime


def _cpu_backends(postmaster: int | None) -> float | None:
    """CPU seconds of the running children of the postmaster (its backends), or None."""
    if postmaster is None or not Path("/proc").is_dir():
        return None
    tikken = os.sysconf("SC_CLK_TCK")
    totaal = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            velden = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(velden[1]) == postmaster:
            totaal += int(velden[11]) + int(velden[12])
    return totaal / tikken


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _delivery(url: str, report: Report, items: list[dict[str, object]]) -> None:
    swv_id, gemeente_id, code = await _maak_swv(url)
    for item in items:
        item["woongemeente"] = code
    # The floors (i) and (iii) are short: the best of `HERHALINGEN` runs, so a moment's wait for
    # a core on a shared machine does not flatter the ratio.
    report.copy_s = min([await _copy_floor(url, items) for _ in range(HERHALINGEN)])
    conn = await asyncpg.connect(url)
    try:
        voor_levering = await _aantallen(conn)
    finally:
        await conn.close()
    actor = Actor(
        id="bench-leerplichtsysteem",
        rol=Rol.LEERPLICHTSYSTEEM,
        swv_id=str(swv_id),
        gemeente_ids=frozenset({str(gemeente_id)}),
        is_systeem=True,
    )
    db = Database(url, pool_size=2, statement_timeout_ms=600_000)
    try:
        t0 = time.perf_counter()
        stand = await leerplichtleveringen.ontvang_levering(
            UnitOfWork(db.sessionmaker),
            actor,
            leerplichtleveringen.Aanlevering(Modus.DELTA, None, items),
            direct_max=0,
        )
        report.ontvang_s = time.perf_counter() - t0
        voor = _rss_mb()
        cpu, backends = _cpu_python(), _cpu_backends(report.postmaster)
        t0 = time.perf_counter()
        klaar = await leerplichtleveringen.verwerk_levering(
            lambda: UnitOfWork(db.sessionmaker), stand.levering.id, actor
        )
        report.verwerk_s = time.perf_counter() - t0
        report.rss_groei_mb = _rss_mb() - voor
        report.cpu_python_s = _cpu_python() - cpu
        na = _cpu_backends(report.postmaster)
        if backends is not None and na is not None:
            report.cpu_postgres_s = na - backends
        if klaar is None:
            raise RuntimeError("the delivery failed")
        report.tellingen = klaar.tellingen
    finally:
        await db.dispose()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"SELECT set_config('app.swv_id', '{swv_id}', false)")
        report.feiten = await conn.fetchval("SELECT count(*) FROM feiten")
        report.perioden = await conn.fetchval("SELECT count(*) FROM tijdlijn_perioden")
    finally:
        await conn.close()
    await _copy_alles(url, voor_levering, report)
    # Last: its JSON body must not raise the peak RSS measured while processing.
    report.lezen_s = min(_lees(items, date(2026, 12, 7)) for _ in range(HERHALINGEN))


def run(*, items: int, out: Callable[[str], None] = print) -> Report:
    """The whole benchmark; the server it starts is stopped and its data removed."""
    report = Report(items)
    report.load.append(("start", os.getloadavg()))
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-leerplicht-"))
    try:
        pg = EmbeddedPostgres(workdir / "data")
        try:
            pg.start()
            pid = pg.pgdata / "postmaster.pid"
            report.postmaster = int(pid.read_text().split()[0]) if pid.exists() else None
            migrate(pg.owner_url())
            asyncio.run(_delivery(pg.owner_url(), report, items_voor(items, "GM9871")))
            report.load.append(("end", os.getloadavg()))
        finally:
            pg.destroy()
        out(f"delivered {items:,} items")
        return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def print_report(report: Report, out: Callable[[str], None] = print) -> None:
    n = report.items
    out(f"COPY into a bare table : {report.copy_s:8.2f} s  {n / report.copy_s:12,.0f} rows/s")
    out(
        f"delivery end to end    : {report.delivery_s:8.2f} s  "
        f"{n / report.delivery_s:12,.0f} rows/s  (receive {report.ontvang_s:.2f} s, "
        f"process {report.verwerk_s:.2f} s)"
    )
    out(
        f"ratio to COPY          : {report.ratio:.4f} (target >= {TARGET}: "
        f"{'met' if report.ratio >= TARGET else 'NOT met'})"
    )
    out(f"outcomes               : {report.tellingen}")
    out(f"facts / timeline rows  : {report.feiten:,} / {report.perioden:,}")
    out(f"peak RSS growth while processing: {report.rss_groei_mb:.1f} MB")
    backends = "n/a" if report.cpu_postgres_s is None else f"{report.cpu_postgres_s:.2f} s"
    out(
        f"CPU while processing   : python {report.cpu_python_s:.2f} s, postgres backends {backends}"
    )
    out("floors, as a ratio to (i) (its time over theirs: the design's best case per step):")
    rijen = sum(report.geschreven.values())
    samen = report.alles_copy_s + report.lezen_s
    for naam, seconden in (
        (f"(i)   COPY of the {n:,} items", report.copy_s),
        (
            f"(ii)  COPY of all {rijen:,} rows written ({rijen / n:.1f} per item)",
            report.alles_copy_s,
        ),
        (
            f"(iii) body into pydantic, items read ({report.lezen_s / n * 1e6:.1f} us/item)",
            report.lezen_s,
        ),
        ("(ii)+(iii) the ceiling of this design", samen),
        ("end to end (the delivery)", report.delivery_s),
    ):
        out(f"  {naam:<58}: {seconden:8.2f} s  ratio {report.ten_opzichte_van_copy(seconden):.4f}")
    out("  (ii) per table, rows and seconds:")
    for tabel, aantal in report.geschreven.items():
        out(f"    {tabel:<30} {aantal:>10,} {report.per_tabel_s.get(tabel, 0.0):8.2f} s")
    for moment, (een, vijf, vijftien) in report.load:
        out(f"load average ({moment}) : {een:.2f} {vijf:.2f} {vijftien:.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench leerplicht")
    parser.add_argument("--items", type=int, default=100_000)
    args: Any = parser.parse_args(argv)
    report = run(items=args.items)
    print_report(report)
    return 0
