"""Dispatch ``python -m bench <name> [args]`` to a benchmark module's ``main(argv)``.

Add a benchmark by adding a line to BENCHMARKS: name -> module with ``main(argv) -> int``.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS: dict[str, str] = {
    "domain": "bench.domain_classify",
    "register": "bench.register_load",
    "rapportage": "bench.rapportage",
    "register-inproc": "bench.register_inproc",
    "taken": "bench.taken",
    "leerplicht": "bench.leerplichtleveringen",
    "rls": "bench.rls",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        print("usage: python -m bench <name> [args]; benchmarks:")
        for naam, pad in sorted(BENCHMARKS.items()):
            print(f"  {naam:<12} {pad}")
        return 0 if not argv else 2
    benchmark = importlib.import_module(BENCHMARKS[argv[0]])
    result: int = benchmark.main(argv[1:])
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
