"""The quarterly Inspectie report against a one-query SQL floor, and the XLSX export of a large
register against CSV (issue 6, item 9).

Run: ``python -m bench rapportage [--children N] [--xlsx-rows R] [--peildatum D] [--profile]``.

1. A throwaway embedded PostgreSQL (removed at the end, also on errors), migrated, with one SWV
   and N synthetic children with their facts and projected timeline, seeded with
   `bench.register_seed.seed` (COPY as the superuser; the other benchmark's seeding, reused).
2. On a peildatum of the seeded school year (default its third, 1 June):
   - the service: `app.services.rapportage.inspectie_rapport` with a `UnitOfWork` on the
     application role's URL (row-level security applies; the service enters ``uow.voor(actor)``
     itself) and the benchmark's regisseur `Actor`. It computes TWO registers (the peildatum
     and the previous one, for the summary's mutations), each by reading every child's facts in
     batches and folding them in the pure domain, plus the summary;
   - the floor: one hand-written SQL query with raw asyncpg, as the application role with the
     same `app.swv_id` setting, over the `tijdlijn_perioden` projection: the children with a
     B2a/B2b/B3/A2a period overlapping the window (1 August up to the peildatum), and per
     category the children in it on the peildatum;
   - a read-only pass (`leerlingen_batches` + the service's conversion to `KindGegevens`,
     no domain), so the service's time splits into reading and folding.
   Both counts are printed; the target is the service within 3x of the floor.
   With ``--profile`` one more service run under cProfile (the event loop thread and the
   worker thread that folds, separately) prints where the time goes.
3. The XLSX export of R rows (default 50,000) and the same rows as CSV, each in a subprocess
   (`bench.rapportage_export`) so the seeding does not count in its peak RSS: wall time, peak
   RSS and the peak of the Python heap (tracemalloc), against < 10 s and < 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import asyncpg  # type: ignore[import-untyped]

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from app.db.session import Database, UnitOfWork
from app.domain.rapportage import INSPECTIE_CATEGORIEEN, STANDAARD_PEILDATA, register_kop
from app.domain.toegang import Actor
from app.services import rapportage
from bench.register_app import bench_actor
from bench.register_seed import Seeded, seed

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
TARGET_XLSX_S = 10.0
TARGET_XLSX_MB = 300.0
FLOOR_REPEATS = 5
EXPORT_TIMEOUT_S = 900.0
PROFILE_TOP = 14

FLOOR_SQL = """
SELECT count(DISTINCT leerling_id) AS aantal,
       count(*) FILTER (WHERE categorie = $4 AND (einde IS NULL OR einde >= $2)) AS c1,
       count(*) FILTER (WHERE categorie = $5 AND (einde IS NULL OR einde >= $2)) AS c2,
       count(*) FILTER (WHERE categorie = $6 AND (einde IS NULL OR einde >= $2)) AS c3,
       count(*) FILTER (WHERE categorie = $7 AND (einde IS NULL OR einde >= $2)) AS c4
FROM tijdlijn_perioden
WHERE swv_id = $3
  AND categorie IN ($4, $5, $6, $7)
  AND start <= $2
  AND (einde IS NULL OR einde >= $1)
"""
"""$1 window start (1 August), $2 peildatum, $3 the SWV, $4..$7 the Inspectie categories.

A child is in the register when one of its B2a/B2b/B3/A2a periods overlaps the window (an
episode is a run of such periods, so it overlaps when one of them does); `einde` is the last
day of a period (inclusive). On the peildatum a child is in exactly one period, so counting the
periods that cover it counts children."""


@dataclass(frozen=True, slots=True)
class Telling:
    """What both sides count: register rows and, per category, rows running on the peildatum."""

    aantal: int
    per_categorie: dict[str, int]

    def tekst(self) -> str:
        cats = ", ".join(f"{c}={n:,}" for c, n in self.per_categorie.items())
        return f"rows={self.aantal:,}; on the peildatum {cats}"


@dataclass
class RegisterResult:
    peildatum: date
    vorige: date
    service_s: float
    service_cpu_s: float
    read_s: float
    read_children: int
    floor_s: list[float]
    service: Telling
    floor: Telling
    vorig_rows: int
    profile: str | None = None

    @property
    def floor_best(self) -> float:
        return min(self.floor_s)

    @property
    def ratio(self) -> float:
        return self.service_s / self.floor_best


@dataclass
class Report:
    children: int
    seeded: Seeded | None
    register: RegisterResult | None
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    load: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)


# -- part 2: the register ----------------------------------------------------------------------


def standaard_peildatum(schooljaar: int) -> date:
    """The third peildatum of the seeded school year (1 June): an ordinary quarterly report."""
    return STANDAARD_PEILDATA.van_schooljaar(schooljaar)[2]


async def service_rapport(
    db: Database, actor: Actor, peildatum: date
) -> tuple[rapportage.Rapport, float, float]:
    """The real service path: register, previous register and summary; wall and CPU seconds
    (CPU of this process: the event loop and the worker thread)."""
    uow = UnitOfWork(db.sessionmaker)
    t0, c0 = time.perf_counter(), time.process_time()
    rapport = await rapportage.inspectie_rapport(uow, actor, peildatum=peildatum, bekend_op=None)
    return rapport, time.perf_counter() - t0, time.process_time() - c0


async def read_pass(db: Database, actor: Actor, *, batches: int | None = None) -> tuple[int, float]:
    """What one register costs before the domain: the batches and their conversion (all, or
    the first `batches` as a warm-up)."""
    uow = UnitOfWork(db.sessionmaker)
    n = gelezen = 0
    t0 = time.perf_counter()
    async with uow.voor(actor):
        async for batch in uow.rapportage.leerlingen_batches(uuid.UUID(actor.swv_id)):
            n += len([rapportage._kind(r) for r in batch])  # the service's own conversion
            gelezen += 1
            if batches is not None and gelezen >= batches:
                break
        await uow.commit()
    return n, time.perf_counter() - t0


async def floor_telling(url: str, swv_id: uuid.UUID, peildatum: date) -> tuple[Telling, float]:
    """The one-query floor, as the application role under the same row-level security."""
    kop = register_kop(peildatum)
    categorieen = [str(c) for c in INSPECTIE_CATEGORIEEN]
    conn = await asyncpg.connect(url)
    try:
        t0 = time.perf_counter()
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.swv_id', $1, true)", str(swv_id))
            row = await conn.fetchrow(FLOOR_SQL, kop.vanaf, peildatum, swv_id, *categorieen)
        seconds = time.perf_counter() - t0
    finally:
        await conn.close()
    assert row is not None
    per = {c: int(row[f"c{i + 1}"]) for i, c in enumerate(categorieen)}
    return Telling(int(row["aantal"]), per), seconds


def _stats(profiel: cProfile.Profile, titel: str, top: int) -> str:
    uit = io.StringIO()
    stats = pstats.Stats(profiel, stream=uit)
    totaal: float = stats.total_tt  # type: ignore[attr-defined]
    uit.write(f"--- {titel}: {totaal:.2f} s profiled (top {top} by own time)\n")
    stats.strip_dirs().sort_stats(pstats.SortKey.TIME).print_stats(top)
    regels = [r for r in uit.getvalue().splitlines() if r.strip()]
    return "\n".join(r for r in regels if not r.lstrip().startswith(("Ordered by", "List reduced")))


async def profiled_service(db: Database, actor: Actor, peildatum: date, top: int) -> str:
    """One more service run under cProfile: the event loop (database, ORM, conversion) and the
    worker thread (the domain fold; its waits for the next batch show as lock acquires)."""
    lus, werker = cProfile.Profile(), cProfile.Profile()
    origineel = asyncio.to_thread

    async def to_thread(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        def geprofileerd() -> Any:
            werker.enable()
            try:
                return func(*args, **kwargs)
            finally:
                werker.disable()

        return await origineel(geprofileerd)

    with mock.patch.object(asyncio, "to_thread", to_thread):
        lus.enable()
        try:
            await service_rapport(db, actor, peildatum)
        finally:
            lus.disable()
    return "\n".join(
        (
            _stats(lus, "event loop thread (SQLAlchemy, asyncpg, conversion to KindGegevens)", top),
            _stats(werker, "worker thread (the domain: inspectie_rijen)", top),
        )
    )


async def measure_register(
    url: str, seeded: Seeded, peildatum: date, *, profile: bool = False
) -> RegisterResult:
    actor = bench_actor(str(seeded.swv_id))
    vorige = STANDAARD_PEILDATA.vorige(peildatum)
    db = Database(url, pool_size=2, statement_timeout_ms=120_000)
    try:
        await floor_telling(url, seeded.swv_id, peildatum)  # warm-up (and the buffer cache)
        await read_pass(db, actor, batches=1)  # warm-up: connections, statement caches
        read_children, read_s = await read_pass(db, actor)  # also warms the buffer cache
        rapport, service_s, service_cpu = await service_rapport(db, actor, peildatum)
        floor_s: list[float] = []
        floor = Telling(0, {})
        for _ in range(FLOOR_REPEATS):
            floor, seconds = await floor_telling(url, seeded.swv_id, peildatum)
            floor_s.append(seconds)
        vorig_floor, _s = await floor_telling(url, seeded.swv_id, vorige)
        profiel = await profiled_service(db, actor, peildatum, PROFILE_TOP) if profile else None
    finally:
        await db.dispose()
    s = rapport.samenvatting
    service = Telling(len(rapport.register.rijen), dict(s.per_categorie))
    return RegisterResult(
        peildatum=peildatum,
        vorige=vorige,
        service_s=service_s,
        service_cpu_s=service_cpu,
        read_s=read_s,
        read_children=read_children,
        floor_s=floor_s,
        service=service,
        floor=floor,
        vorig_rows=vorig_floor.aantal,
        profile=profiel,
    )


# -- part 3: the exports -----------------------------------------------------------------------


def measure_export(fmt: str, rows: int, workdir: Path) -> dict[str, Any]:
    """`bench.rapportage_export` in a fresh interpreter: its max RSS is the export's alone."""
    pad = workdir / f"register.{fmt}"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.rapportage_export", fmt, str(rows), str(pad)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=EXPORT_TIMEOUT_S,
            check=False,
        )
    finally:
        pad.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"export {fmt} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the run -----------------------------------------------------------------------------------


def _load() -> tuple[float, float, float]:
    return os.getloadavg()


def run(
    *,
    children: int,
    xlsx_rows: int = 50_000,
    peildatum: date | None = None,
    seed_value: int = 20240101,
    profile: bool = False,
    out: Callable[[str], None] = print,
) -> Report:
    """The whole benchmark; the server it starts is stopped and its data removed."""
    report = Report(children, None, None)
    report.load.append(("start", _load()))
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-rapportage-"))
    try:
        # The exports first, while this process is small: a child inherits the parent's RSS at
        # the fork in its ru_maxrss (see bench/rapportage_export.py).
        for fmt in ("xlsx", "csv"):
            report.exports[fmt] = measure_export(fmt, xlsx_rows, workdir)
        report.load.append(("after exports", _load()))
        pg = EmbeddedPostgres(workdir / "data")
        try:
            url = pg.start()
            migrate(url)
            seeded = asyncio.run(
                seed(pg.superuser_url(pg.database), children, seed_waarde=seed_value)
            )
            report.seeded = seeded
            out(
                f"seeded {children:,} children, {seeded.feiten:,} facts "
                f"({seeded.feiten / max(children, 1):.1f} per child), {seeded.perioden:,} "
                f"projection rows in {seeded.seconds:.1f} s (COPY as superuser, VACUUM ANALYZE)"
            )
            dag = peildatum or standaard_peildatum(seeded.schooljaar)
            report.register = asyncio.run(measure_register(url, seeded, dag, profile=profile))
            report.load.append(("end", _load()))
        finally:
            pg.destroy()
        return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_report(report: Report, out: Callable[[str], None] = print) -> None:
    r = report.register
    if r is not None:
        floor_med = sorted(r.floor_s)[len(r.floor_s) // 2]
        out("")
        out(
            f"register + summary on {r.peildatum.isoformat()} "
            f"(window from {register_kop(r.peildatum).vanaf.isoformat()}; "
            f"previous peildatum {r.vorige.isoformat()})"
        )
        out(
            f"  service  inspectie_rapport : {r.service_s:8.2f} s wall, {r.service_cpu_s:.2f} s "
            f"CPU of this process (2 registers over {r.read_children:,} children + summary)"
        )
        out(
            f"    read-only pass (batches + KindGegevens, no domain): {r.read_s:.2f} s per "
            f"register -> ~{2 * r.read_s:.2f} s of the service reads, "
            f"~{max(r.service_s - 2 * r.read_s, 0):.2f} s folds in the domain"
        )
        out(
            f"  floor    one SQL query     : {r.floor_best * 1000:8.1f} ms best of "
            f"{len(r.floor_s)} (median {floor_med * 1000:.1f} ms)"
        )
        out(
            f"  ratio service / floor      : {r.ratio:8.0f}x  (per register pass "
            f"~{r.ratio / 2:.0f}x); target <= {TARGET_RATIO:.0f}x: {_met(r.ratio <= TARGET_RATIO)}"
        )
        out(f"  counts service : {r.service.tekst()}")
        out(f"  counts floor   : {r.floor.tekst()}")
        out(f"  counts agree   : {'yes' if r.service == r.floor else 'NO'}")
        out(f"  previous register rows (floor query on {r.vorige.isoformat()}): {r.vorig_rows:,}")
        if r.profile:
            out("")
            out(r.profile)
    if report.exports:
        x, c = report.exports.get("xlsx"), report.exports.get("csv")
        out("")
        for e in (x, c):
            if e is None:
                continue
            out(
                f"export {e['format']:<4} {e['rows']:,} rows: {e['seconds']:6.2f} s wall "
                f"({e['cpu_seconds']:.2f} s CPU), {e['bytes'] / 2**20:.1f} MiB"
            )
            out(
                f"    peak RSS: ru_maxrss {e['rss_peak_mb']:.0f} MB (before the write "
                f"{e['rss_before_mb']:.0f} MB, inherited from the parent at the fork), VmHWM "
                f"{e['hwm_peak_mb']:.0f} MB (before {e['hwm_before_mb']:.0f} MB); Python heap "
                f"peak during the write (tracemalloc) {e['heap_peak_mb']:.1f} MB"
            )
        if x is not None:
            out(
                f"  target XLSX < {TARGET_XLSX_S:.0f} s: {_met(x['seconds'] < TARGET_XLSX_S)}; "
                f"< {TARGET_XLSX_MB:.0f} MB (ru_maxrss, the stricter): "
                f"{_met(x['rss_peak_mb'] < TARGET_XLSX_MB)}"
            )
        if x is not None and c is not None:
            out(
                f"  XLSX / CSV: {x['seconds'] / c['seconds']:.1f}x wall, "
                f"{x['cpu_seconds'] / max(c['cpu_seconds'], 1e-9):.1f}x CPU"
            )
    if report.load:
        out("")
        out(
            "load average (1/5/15 min) on "
            f"{os.cpu_count()} CPUs: "
            + "; ".join(f"{w} {a:.1f}/{b:.1f}/{c:.1f}" for w, (a, b, c) in report.load)
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rapportage", description=__doc__)
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--peildatum", type=date.fromisoformat, default=None)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--profile", action="store_true", help="one more service run, profiled")
    args = parser.parse_args(argv)
    report = run(
        children=args.children,
        xlsx_rows=args.xlsx_rows,
        peildatum=args.peildatum,
        seed_value=args.seed,
        profile=args.profile,
    )
    print_report(report)
    return 0
