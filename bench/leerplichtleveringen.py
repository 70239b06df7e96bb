"""A leerplicht delivery of N items end to end against a COPY of the same rows into a bare table,
in the same run (docs/decisions/0028).

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
"""

from __future__ import annotations

import argparse
import asyncio
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

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from app.db.session import Database, UnitOfWork
from app.domain.leerplichtleveringen import Modus
from app.domain.toegang import Actor, Rol
from app.services import leerplichtleveringen

TARGET = 0.5
"""Delivery rows per second at least this fraction of COPY's."""


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
    load: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)

    @property
    def delivery_s(self) -> float:
        return self.ontvang_s + self.verwerk_s

    @property
    def ratio(self) -> float:
        return self.copy_s / self.delivery_s if self.delivery_s else 0.0


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


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _delivery(url: str, report: Report, items: list[dict[str, object]]) -> None:
    swv_id, gemeente_id, code = await _maak_swv(url)
    for item in items:
        item["woongemeente"] = code
    report.copy_s = await _copy_floor(url, items)
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
        t0 = time.perf_counter()
        klaar = await leerplichtleveringen.verwerk_levering(
            lambda: UnitOfWork(db.sessionmaker), stand.levering.id, actor
        )
        report.verwerk_s = time.perf_counter() - t0
        report.rss_groei_mb = _rss_mb() - voor
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


def run(*, items: int, out: Callable[[str], None] = print) -> Report:
    """The whole benchmark; the server it starts is stopped and its data removed."""
    report = Report(items)
    report.load.append(("start", os.getloadavg()))
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-leerplicht-"))
    try:
        pg = EmbeddedPostgres(workdir / "data")
        try:
            pg.start()
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
        f"ratio to COPY          : {report.ratio:.3f} (target >= {TARGET}: "
        f"{'met' if report.ratio >= TARGET else 'NOT met'})"
    )
    out(f"outcomes               : {report.tellingen}")
    out(f"facts / timeline rows  : {report.feiten:,} / {report.perioden:,}")
    out(f"peak RSS growth while processing: {report.rss_groei_mb:.1f} MB")
    for moment, (een, vijf, vijftien) in report.load:
        out(f"load average ({moment}) : {een:.2f} {vijf:.2f} {vijftien:.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench leerplicht")
    parser.add_argument("--items", type=int, default=100_000)
    args: Any = parser.parse_args(argv)
    report = run(items=args.items)
    print_report(report)
    return 0
