"""The register under load: the real application against a floor that runs its SQL without the
framework, on a throwaway PostgreSQL seeded with a synthetic region.

Run: ``python -m bench register [--children N] [--seconds S] [--concurrency C]
[--scenario {status,melding,lijst,lijst-alleen} ...]`` (default every scenario).

1. A throwaway embedded PostgreSQL (removed at the end), migrated, with one SWV and N children
   with their facts and projected timeline (`bench.register_seed`, COPY as the superuser).
2. The application (`create_app` + a fake authenticator for one bench token, the application
   role, so row-level security applies) and the floor (`bench.register_floor`) each served by
   uvicorn on 127.0.0.1 in a process of their own, one worker each.
3. C closed-loop clients (`bench.loadgen`) per target for S seconds per scenario, split in
   rounds that alternate between the application and the floor, after a warm-up:
   status of a random child, a report (ziekmelding / ziekmelding-beeindigd alternating) on a
   random child, and the first page of thuiszitters on a peildatum (at C, and alone for latency).
4. The figures, the ratios to the floor, the CPU each process spent per request, the load
   average at the start and the end, and whether the targets are met: app req/s >= 50 % of the
   floor's and app p99 <= 2x the floor's (status, report, and the list under load); the list's
   first page alone under 100 ms. With ``--profile DIR`` the application runs under cProfile
   (slower: its figures are then not comparable) and the top of the profile is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import json
import os
import pstats
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import httpx

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from bench import loadgen
from bench.loadgen import HOST, Request, RequestFactory, Result
from bench.register_app import ENV_POOL, ENV_SWV, ENV_TOKEN, ENV_URL
from bench.register_seed import Seeded, seed
from bench.register_serve import ENV_PROFILE

ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS_SHARE = 0.5
TARGET_P99_FACTOR = 2.0
TARGET_LIST_MS = 100.0
POOL_SIZE = 10
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
THUISZITTERS = ("B2a", "B2b", "B3")
SCENARIOS = ("status", "melding", "lijst", "lijst-alleen")


# -- processes -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """One uvicorn process of the benchmark (the application or the floor)."""

    kind: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        return _cpu_seconds([self.process.pid])

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_server(kind: str, env: dict[str, str], workdir: Path) -> Server:
    port = _free_port()
    log = workdir / f"{kind}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.register_serve", kind, str(port)],
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(kind, port, process, log)
    path = "/v1/health" if kind == "app" else "/ping"
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the {kind} server stopped:\n{server.tail()}")
        try:
            if httpx.get(f"http://{HOST}:{port}{path}", timeout=2, trust_env=False).is_success:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the {kind} server did not answer in {READY_TIMEOUT_S:.0f} s")


_CLK_TCK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes (Linux /proc), 0 for those that are gone."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        velden = stat[stat.rindex(")") + 2 :].split()
        total += int(velden[11]) + int(velden[12])
    return total / _CLK_TCK


def _postgres_cpu_seconds(pg: EmbeddedPostgres) -> float:
    """CPU of the whole server: the postmaster, its live children, and (through the
    postmaster's `cutime`/`cstime`) the children that exited, such as closed connections."""
    try:
        postmaster = int((pg.pgdata / "postmaster.pid").read_text().split()[0])
        stat = Path(f"/proc/{postmaster}/stat").read_text()
    except (OSError, ValueError, IndexError):
        return 0.0
    velden = stat[stat.rindex(")") + 2 :].split()
    total = sum(int(v) for v in velden[11:15]) / _CLK_TCK
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = (entry / "stat").read_text()
        except OSError:
            continue
        if int(child[child.rindex(")") + 2 :].split()[1]) == postmaster:
            children.append(int(entry.name))
    return total + _cpu_seconds(children)


# -- scenarios -------------------------------------------------------------------------------


@dataclass
class Measured:
    """One target in one scenario, over every round, with the CPU spent per request."""

    result: Result
    server_cpu: float = 0.0
    postgres_cpu: float = 0.0
    client_cpu: float = 0.0
    connections: int = 0
    """Database sessions opened while it ran (a pool that closes and reopens connections)."""

    def per_request_ms(self, cpu: float) -> float:
        return 1000 * cpu / self.result.ok if self.result.ok else float("nan")


@dataclass
class Scenario:
    name: str
    concurrency: int
    targets: dict[str, tuple[Server, RequestFactory]]
    measured: dict[str, Measured] = field(default_factory=dict)


def status_request(ids: list[str], *, fold: bool | None) -> RequestFactory:
    query = "" if fold is None else f"?fold={int(fold)}"

    def make(rnd: random.Random) -> Request:
        return "GET", f"/v1/leerlingen/{rnd.choice(ids)}/status{query}", None

    return make


def melding_request(ids: list[str], vandaag: date) -> RequestFactory:
    """Ziekmelding and ziekmelding-beeindigd alternating, on dates within the last year."""
    teller = itertools.count()

    def make(rnd: random.Random) -> Request:
        dag = (vandaag - timedelta(days=rnd.randint(0, 364))).isoformat()
        if next(teller) % 2 == 0:
            body = {"soort": "ziekmelding", "geldigVanaf": dag, "gegevens": {"doorOuders": True}}
        else:
            body = {"soort": "ziekmelding-beeindigd", "geldigVanaf": dag}
        return "POST", f"/v1/leerlingen/{rnd.choice(ids)}/feiten", json.dumps(body).encode()

    return make


def lijst_request(peildatum: date) -> RequestFactory:
    path = f"/v1/leerlingen?thuiszitter=true&peildatum={peildatum.isoformat()}&pageSize=20"

    def make(_: random.Random) -> Request:
        return "GET", path, None

    return make


async def kies_peildatum(superuser_url: str, begin: date, vandaag: date) -> tuple[date, int]:
    """The fortnight-step date since `begin` with the most thuiszitters (a full first page)."""
    conn = await asyncpg.connect(superuser_url)
    try:
        row = await conn.fetchrow(
            "SELECT d::date AS dag, count(p.leerling_id) AS n "
            "FROM generate_series($1::date, $2::date, interval '14 days') AS d "
            "LEFT JOIN tijdlijn_perioden p ON p.categorie = ANY($3::varchar[]) "
            "AND p.start <= d::date AND (p.einde IS NULL OR p.einde >= d::date) "
            "GROUP BY d ORDER BY n DESC, d DESC LIMIT 1",
            begin,
            vandaag,
            list(THUISZITTERS),
        )
    finally:
        await conn.close()
    assert row is not None
    return row["dag"], int(row["n"])


async def _check(server: Server, factory: RequestFactory, headers: dict[str, str]) -> None:
    """One request first: a benchmark of error answers would measure nothing."""
    method, path, body = factory(random.Random(0))
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{server.port}", trust_env=False) as c:
        response = await c.request(
            method,
            path,
            content=body,
            headers={**headers, "content-type": "application/json"},
            timeout=loadgen.REQUEST_TIMEOUT_S,
        )
    if not response.is_success:
        raise RuntimeError(
            f"{server.kind} {method} {path}: {response.status_code} {response.text[:500]}"
        )


async def measure(
    scenario: Scenario,
    *,
    seconds: float,
    rounds: int,
    warmup: float,
    client: str,
    headers: dict[str, str],
    pg_cpu: Callable[[], float],
    sessions: Callable[[], Awaitable[int]],
) -> None:
    """Warm up every target, then alternate between them, `seconds / rounds` at a time."""
    for name, (server, factory) in scenario.targets.items():
        await _check(server, factory, headers)
        await loadgen.run(
            f"warm-up {name}",
            server.port,
            factory,
            seconds=warmup,
            concurrency=scenario.concurrency,
            client=client,
            headers=headers,
        )
        scenario.measured[name] = Measured(Result(name))
    for ronde in range(rounds):
        for name, (server, factory) in scenario.targets.items():
            sessions_before = await sessions()
            before = (server.cpu_seconds(), pg_cpu(), time.process_time())
            result = await loadgen.run(
                name,
                server.port,
                factory,
                seconds=seconds / rounds,
                concurrency=scenario.concurrency,
                client=client,
                headers=headers,
                seed=ronde + 1,
            )
            after = (server.cpu_seconds(), pg_cpu(), time.process_time())
            await asyncio.sleep(0.2 if seconds >= 2 else 0.02)  # ended sessions report on exit
            measured = scenario.measured[name]
            measured.result.merge(result)
            measured.server_cpu += after[0] - before[0]
            measured.postgres_cpu += after[1] - before[1]
            measured.client_cpu += after[2] - before[2]
            measured.connections += await sessions() - sessions_before


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Report:
    seeded: Seeded
    peildatum: date
    thuiszitters_op_peildatum: int
    client: str
    ceiling: dict[str, Result]
    scenarios: list[Scenario]
    profile: Path | None = None
    load: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    """The load average (1/5/15 min) at the start and the end: the machine is shared."""


@contextlib.contextmanager
def _servers(env: dict[str, str], workdir: Path, profile: Path | None) -> Iterator[list[Server]]:
    servers: list[Server] = []
    try:
        app_env = {**env, ENV_PROFILE: str(profile)} if profile is not None else env
        servers.append(start_server("app", app_env, workdir))
        servers.append(start_server("floor", env, workdir))
        yield servers
    finally:
        for server in servers:
            server.stop()


def run(
    *,
    children: int,
    seconds: float,
    concurrency: int,
    rounds: int = 2,
    client: str = "auto",
    seed_value: int = 20240101,
    profile_dir: Path | None = None,
    only: tuple[str, ...] | None = None,
    out: Callable[[str], None] = print,
) -> Report:
    """The whole benchmark; every process it starts is stopped and its data removed."""
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-register-"))
    pg = EmbeddedPostgres(workdir / "data")
    load_start = os.getloadavg()
    try:
        url = pg.start()
        migrate(pg.owner_url())
        superuser_url = pg.superuser_url(pg.database)
        seeded = asyncio.run(seed(superuser_url, children, seed_waarde=seed_value))
        out(
            f"seeded {children:,} children, {seeded.feiten:,} facts, {seeded.perioden:,} "
            f"projection rows in {seeded.seconds:.1f} s (COPY as superuser; of which waiting for "
            f"the row-computing workers {seeded.waiting:.1f} s, VACUUM ANALYZE "
            f"{seeded.vacuum:.1f} s)"
        )
        vandaag = date.today()  # noqa: DTZ011 (the database runs in UTC on this machine)
        peildatum, aantal = asyncio.run(
            kies_peildatum(superuser_url, date(seeded.schooljaar - 1, 8, 1), vandaag)
        )
        out(f"list peildatum {peildatum.isoformat()}: {aantal:,} thuiszitters")
        token = secrets.token_urlsafe(24)
        env = {
            ENV_URL: url,
            ENV_TOKEN: token,
            ENV_SWV: str(seeded.swv_id),
            ENV_POOL: str(POOL_SIZE),
        }
        profile = profile_dir / "app.prof" if profile_dir is not None else None
        with _servers(env, workdir, profile) as (app, floor):
            report = asyncio.run(
                _scenarios(
                    app,
                    floor,
                    seeded=seeded,
                    peildatum=peildatum,
                    aantal=aantal,
                    vandaag=vandaag,
                    token=token,
                    seconds=seconds,
                    concurrency=concurrency,
                    rounds=rounds,
                    client=client,
                    pg=pg,
                    only=only,
                    out=out,
                )
            )
        report.profile = profile
        report.load = [("start", load_start), ("end", os.getloadavg())]
        return report
    finally:
        pg.destroy()
        shutil.rmtree(workdir, ignore_errors=True)


async def _scenarios(
    app: Server,
    floor: Server,
    *,
    seeded: Seeded,
    peildatum: date,
    aantal: int,
    vandaag: date,
    token: str,
    seconds: float,
    concurrency: int,
    rounds: int,
    client: str,
    pg: EmbeddedPostgres,
    only: tuple[str, ...] | None,
    out: Callable[[str], None],
) -> Report:
    warmup = min(2.0, max(0.1, seconds / 4))
    ceiling = await loadgen.ceiling(
        floor.port, "/ping", seconds=min(3.0, max(0.1, seconds / 3)), concurrency=concurrency
    )
    if client == "auto":
        client = max(ceiling, key=lambda c: ceiling[c].rps)
    out(
        "load generator ceiling (floor GET /ping, no database): "
        + ", ".join(f"{c} {r.rps:,.0f} req/s" for c, r in ceiling.items())
        + f"; using {client}"
    )
    ids = [str(i) for i in seeded.leerling_ids]
    headers = {"authorization": f"Bearer {token}"}
    scenarios = [
        Scenario(
            "status",
            concurrency,
            {
                "app": (app, status_request(ids, fold=None)),
                "floor": (floor, status_request(ids, fold=True)),
                "floor-sql": (floor, status_request(ids, fold=False)),
            },
        ),
        Scenario(
            "melding",
            concurrency,
            {
                "app": (app, melding_request(ids, vandaag)),
                "floor": (floor, melding_request(ids, vandaag)),
            },
        ),
        Scenario(
            "lijst",
            concurrency,
            {"app": (app, lijst_request(peildatum)), "floor": (floor, lijst_request(peildatum))},
        ),
        Scenario(
            "lijst-alleen",
            1,
            {"app": (app, lijst_request(peildatum)), "floor": (floor, lijst_request(peildatum))},
        ),
    ]
    if only is not None:
        scenarios = [s for s in scenarios if s.name in only]
    admin = await asyncpg.connect(pg.superuser_url(pg.database))

    async def sessions() -> int:
        await admin.execute("SELECT pg_stat_clear_snapshot()")
        aantal: int = await admin.fetchval(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        )
        return aantal

    try:
        for scenario in scenarios:
            await measure(
                scenario,
                seconds=seconds,
                rounds=rounds,
                warmup=warmup,
                client=client,
                headers=headers,
                pg_cpu=lambda: _postgres_cpu_seconds(pg),
                sessions=sessions,
            )
            out(f"  measured {scenario.name}")
    finally:
        await admin.close()
    return Report(seeded, peildatum, aantal, client, ceiling, scenarios)


# -- the report ------------------------------------------------------------------------------


def _ja(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_report(report: Report, out: Callable[[str], None] = print) -> None:
    out("")
    out(
        f"{'scenario':<13} {'target':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'ok':>7} {'errors':>6}  CPU ms/request: {'server':>6} {'postgres':>8} {'client':>6}"
        f"  {'new db conns':>12}"
    )
    for scenario in report.scenarios:
        for name, m in scenario.measured.items():
            r = m.result
            out(
                f"{scenario.name:<13} {name:<10} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} "
                f"{r.ok:7d} {r.errors:6d}                  {m.per_request_ms(m.server_cpu):6.2f} "
                f"{m.per_request_ms(m.postgres_cpu):8.2f} {m.per_request_ms(m.client_cpu):6.2f}"
                f"  {m.connections:12d}"
            )
    out("")
    for scenario in report.scenarios:
        app = scenario.measured["app"].result
        for floor_name in (n for n in scenario.measured if n != "app"):
            floor = scenario.measured[floor_name].result
            share = app.rps / floor.rps if floor.rps else float("nan")
            factor = app.p99_ms / floor.p99_ms if floor.p99_ms else float("nan")
            line = (
                f"{scenario.name:<13} app ÷ {floor_name:<9}: req/s {share:5.2f}  p99 {factor:5.2f}x"
            )
            if floor_name == "floor" and scenario.name in {"status", "melding", "lijst"}:
                line += (
                    f"   target req/s >= {TARGET_RPS_SHARE:.0%}: {_ja(share >= TARGET_RPS_SHARE)}"
                    f"; p99 <= {TARGET_P99_FACTOR:.0f}x: {_ja(factor <= TARGET_P99_FACTOR)}"
                )
            out(line)
    namen = {s.name: s for s in report.scenarios}
    if "lijst-alleen" in namen and "lijst" in namen:
        alleen = namen["lijst-alleen"].measured["app"].result
        onder_last = namen["lijst"].measured["app"].result
        out(
            f"list first page ({report.thuiszitters_op_peildatum:,} thuiszitters on "
            f"{report.peildatum.isoformat()}, {len(report.seeded.leerling_ids):,} children): "
            f"alone p50 {alleen.p50_ms:.1f} ms, p99 {alleen.p99_ms:.1f} ms; "
            f"target < {TARGET_LIST_MS:.0f} ms: {_ja(alleen.p99_ms < TARGET_LIST_MS)}"
            f" (under {namen['lijst'].concurrency} "
            f"clients p50 {onder_last.p50_ms:.1f} ms, p99 {onder_last.p99_ms:.1f} ms)"
        )
    out(
        "floor: the application's statements for each request (set_config, scoped reads, "
        "writes, audit row) on raw asyncpg, without FastAPI, pydantic, SQLAlchemy (nor its "
        "pre-ping) or the request log; 'floor' also folds the facts with the domain as the "
        "application does, 'floor-sql' only returns the rows as JSON"
    )
    out(f"client: {report.client}; seeding took {report.seeded.seconds:.1f} s")
    out(
        "load average (1/5/15 min): "
        + "; ".join(f"{moment} {a:.2f} {b:.2f} {c:.2f}" for moment, (a, b, c) in report.load)
    )
    if report.profile is not None and report.profile.exists():
        out(f"\nprofile of the application server ({report.profile}), by own time:")
        buffer = io.StringIO()
        stats = pstats.Stats(str(report.profile), stream=buffer)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        for line in buffer.getvalue().splitlines():
            out(line)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench register", description=__doc__)
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario and target")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="app/floor alternations")
    parser.add_argument("--client", choices=("auto", "raw", "httpx"), default="auto")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=SCENARIOS,
        default=None,
        help="only this scenario (repeatable); default all",
    )
    args = parser.parse_args(argv)
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    report = run(
        children=args.children,
        seconds=args.seconds,
        concurrency=args.concurrency,
        rounds=args.rounds,
        client=args.client,
        seed_value=args.seed,
        profile_dir=args.profile.resolve() if args.profile is not None else None,
        only=tuple(args.scenario) if args.scenario else None,
    )
    print_report(report)
    return 0
