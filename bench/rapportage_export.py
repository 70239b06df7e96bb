"""One register export measured in a process of its own (part 3 of ``bench.rapportage``).

Run: ``python -m bench.rapportage_export {xlsx,csv} ROWS PATH``; prints one JSON line.
Or ``python -m bench.rapportage_export vergelijk ROWS DIR``: XLSX and CSV of ROWS and of a fifth
of them, each in a fresh interpreter; prints the XLSX/CSV ratio against its target (within 4x)
and whether the XLSX's memory stays flat in the row count.

The rows are synthetic: a few hundred template rows from the pure domain over the generator's
children (school year 2024-2025, peildatum 1 June 2025), repeated with a fresh pseudonym each
(``P`` + 7 digits), produced lazily so only the writer holds memory. The summary sheet of the
XLSX is the summary of the templates (its size does not depend on the number of rows).

Measured: the wall time (and this process's CPU time) of one write (`schrijf_xlsx` or
`schrijf_register_csv`) to PATH; the peak RSS right after it, next to the same before it (the
interpreter, the imports and the templates); then the same write again under tracemalloc for
the peak of the Python heap during the write (a second run: tracemalloc slows Python down).

Peak RSS twice: ``ru_maxrss`` of ``getrusage(RUSAGE_SELF)``, and ``VmHWM`` of
/proc/self/status. Linux carries ``ru_maxrss`` over ``execve`` (the kernel keeps the larger of
the old and new address space's high-water mark), so a process started from a big parent
reports at least the parent's RSS at the fork; ``VmHWM`` is this program image's own peak.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from app.domain.beleid import Beleid
from app.domain.rapportage import (
    InspectieRegister,
    InspectieRij,
    RegisterKop,
    Samenvatting,
    inspectie_rijen,
    register_kop,
    samenvatting,
)
from app.services.demo.generator import genereer_kinderen
from app.services.exports import schrijf_register_csv, schrijf_xlsx

SCHOOLJAAR = 2025
PEILDATUM = date(2025, 6, 1)
GEMAAKT_OP = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
TEMPLATE_CHILDREN = 6_000
FORMATS = ("xlsx", "csv")
ROOT = Path(__file__).resolve().parent.parent


def templates(seed: int = 20240101, children: int = TEMPLATE_CHILDREN) -> list[InspectieRij]:
    """The register rows of a small synthetic region (about 3 % of its children)."""
    kop = register_kop(PEILDATUM)
    kinderen = genereer_kinderen(children, seed=seed, schooljaar=SCHOOLJAAR)
    rijen = list(inspectie_rijen(kinderen, Beleid(), kop))
    if not rijen:
        raise RuntimeError("the template region gave no register rows")
    return rijen


def rows(sjablonen: list[InspectieRij], aantal: int) -> Iterator[InspectieRij]:
    """`aantal` rows: the templates over and over, each with a pseudonym of its own."""
    for n, rij in zip(range(aantal), itertools.cycle(sjablonen), strict=False):
        yield dataclasses.replace(rij, pseudoniem=f"P{n:07d}")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _hwm_mb() -> float:
    """This program image's peak RSS since its execve (Linux), NaN where unknown."""
    try:
        for regel in Path("/proc/self/status").read_text().splitlines():
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclasses.dataclass
class _Teller:
    """Counts the rows the writer actually consumed."""

    n: int = 0

    def door(self, rijen: Iterator[InspectieRij]) -> Iterator[InspectieRij]:
        for rij in rijen:
            self.n += 1
            yield rij


def _write(
    fmt: str,
    rijen: Iterator[InspectieRij],
    path: Path,
    kop: RegisterKop,
    s: Samenvatting,
) -> None:
    with path.open("wb") as uit:
        if fmt == "xlsx":
            schrijf_xlsx(kop, rijen, s, uit, gemaakt_op=GEMAAKT_OP)
        else:
            schrijf_register_csv(rijen, uit)


def measure(fmt: str, aantal: int, path: Path) -> dict[str, float | int | str]:
    """Time and memory of writing `aantal` rows as `fmt` to `path` (see the module doc)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: one of {FORMATS}")
    sjablonen = templates()
    kop = register_kop(PEILDATUM)
    s = samenvatting(InspectieRegister(kop, tuple(sjablonen)), None)
    rss_before, hwm_before = _maxrss_mb(), _hwm_mb()

    teller = _Teller()
    t0, c0 = time.perf_counter(), time.process_time()
    _write(fmt, teller.door(rows(sjablonen, aantal)), path, kop, s)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss_peak, hwm_peak = _maxrss_mb(), _hwm_mb()
    size = path.stat().st_size

    tracemalloc.start()
    try:
        _write(fmt, rows(sjablonen, aantal), path, kop, s)
        _current, heap_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "format": fmt,
        "rows": teller.n,
        "templates": len(sjablonen),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "bytes": size,
        "rss_before_mb": rss_before,
        "rss_peak_mb": rss_peak,
        "hwm_before_mb": hwm_before,
        "hwm_peak_mb": hwm_peak,
        "heap_peak_mb": heap_peak / 2**20,
    }


TARGET_RATIO = 4.0
"""XLSX within this many times the CSV of the same rows (CPU time: on a loaded machine the
wall time also counts the waiting for a core)."""
FLAT_FACTOR = 1.5
"""Memory flat in the row count: the XLSX's heap peak at N rows within this factor of N/5's."""


def _fresh(fmt: str, aantal: int, path: Path) -> dict[str, float | int | str]:
    """`measure` in a fresh interpreter, so each peak is that export's alone."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.rapportage_export", fmt, str(aantal), str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    result: dict[str, float | int | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def vergelijk(aantal: int, workdir: Path) -> dict[str, float | bool]:
    """XLSX against CSV at `aantal` rows, and the XLSX's memory at a fifth of them."""
    gemeten = {
        (fmt, n): _fresh(fmt, n, workdir / f"register-{n}.{fmt}")
        for n in (aantal, max(aantal // 5, 1))
        for fmt in FORMATS
    }
    x, c = gemeten[("xlsx", aantal)], gemeten[("csv", aantal)]
    klein = gemeten[("xlsx", max(aantal // 5, 1))]
    cpu = float(x["cpu_seconds"]) / max(float(c["cpu_seconds"]), 1e-9)
    heap = float(x["heap_peak_mb"]) / max(float(klein["heap_peak_mb"]), 1e-9)
    return {
        "ratio_cpu": cpu,
        "ratio_wall": float(x["seconds"]) / max(float(c["seconds"]), 1e-9),
        "ratio_met": cpu <= TARGET_RATIO,
        "heap_mb": float(x["heap_peak_mb"]),
        "heap_mb_fifth": float(klein["heap_peak_mb"]),
        "rss_growth_mb": float(x["hwm_peak_mb"]) - float(x["hwm_before_mb"]),
        "flat": heap <= FLAT_FACTOR,
    }


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "vergelijk":
        r = vergelijk(int(argv[1]), Path(argv[2]))
        print(
            f"XLSX / CSV of {int(argv[1]):,} rows: {r['ratio_cpu']:.1f}x CPU "
            f"({r['ratio_wall']:.1f}x wall); target <= {TARGET_RATIO:.0f}x: "
            f"{'met' if r['ratio_met'] else 'NOT met'}"
        )
        print(
            f"XLSX heap peak {r['heap_mb']:.1f} MB at {int(argv[1]):,} rows, "
            f"{r['heap_mb_fifth']:.1f} MB at a fifth; RSS growth {r['rss_growth_mb']:.1f} MB; "
            f"flat in the row count: {'yes' if r['flat'] else 'NO'}"
        )
        return 0
    if len(argv) != 3 or argv[0] not in FORMATS:
        print(
            "usage: python -m bench.rapportage_export {xlsx,csv} ROWS PATH\n"
            "       python -m bench.rapportage_export vergelijk ROWS DIR",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(measure(argv[0], int(argv[1]), Path(argv[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
