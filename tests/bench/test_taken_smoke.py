"""The worklist and events benchmark still runs end to end: tiny numbers, no timings; stopped
with SIGTERM or Ctrl-C it leaves no PostgreSQL or worker process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bench import taken

ROOT = Path(__file__).resolve().parents[2]


def test_taken_benchmark_runs_and_prints() -> None:
    """Enough tasks that the begeleider's default worklist (the work to do, a few percent of
    the tasks) fills its first page, so the page and the count are both compared."""
    lines: list[str] = []
    report = taken.run(children=60, tasks=5_000, events=20, out=lines.append)
    assert report.page_items == 20
    assert report.zelfde_sql, "the floor must run the service's SQL word for word"
    assert report.share > 20
    assert len(report.service_ms) == len(report.floor_ms) == taken.REPEATS
    assert report.delivered == report.received == 20
    taken.print_report(report, out=lines.append)
    printed = "\n".join(lines)
    assert "worklist page 1" in printed
    assert "ratio" in printed
    assert "load" in printed
    assert "plan of the page" in printed


def _processen_met(merk: str) -> list[int]:
    """The processes whose environment carries `merk` (the bench, its workers, PostgreSQL)."""
    gevonden = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            omgeving = (proc / "environ").read_bytes()
        except OSError:
            continue
        if merk.encode() in omgeving:
            gevonden.append(int(proc.name))
    return gevonden


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_benchmark_leaves_no_postgresql_behind(sig: signal.Signals, code: int) -> None:
    """SIGTERM or Ctrl-C once PostgreSQL runs: the server stops and its data directory goes."""
    merk = f"bench-taken-{uuid.uuid4().hex}"
    proces = subprocess.Popen(
        [sys.executable, "-m", "bench", "taken", "--children", "60", "--tasks", "400"],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "BENCH_MERK": merk},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proces.stdout is not None
        regel = proces.stdout.readline()
        assert regel.startswith("PostgreSQL started on "), regel
        pgdata = Path(regel.removeprefix("PostgreSQL started on ").strip())
        assert pgdata.is_dir()
        proces.send_signal(sig)
        uitvoer = proces.communicate(timeout=120)[0]
    finally:
        if proces.poll() is None:
            proces.kill()
            proces.wait()
    assert proces.returncode == code, uitvoer
    assert "PostgreSQL stopped" in uitvoer
    assert not pgdata.exists()
    assert _processen_met(merk) == []
