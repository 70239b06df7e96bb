"""Serve one side of the register benchmark on 127.0.0.1: `python -m bench.register_serve
{app,floor} PORT`. Configuration comes from the environment (see `bench.register_app`).

Both sides run the same uvicorn configuration as `thuiszitters serve` (one worker, no uvicorn
access log); the application also logs its own JSON request line to stderr, as in production.
With `BENCH_REGISTER_PROFILE=FILE` the server runs under cProfile and writes its statistics to
FILE when it stops (SIGINT or SIGTERM).
"""

from __future__ import annotations

import cProfile
import os
import sys
import time

import uvicorn

from app.logs import configure_logging

TARGETS = {"app": "bench.register_app:create", "floor": "bench.register_floor:create"}
ENV_PROFILE = "BENCH_REGISTER_PROFILE"
HOST = "127.0.0.1"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in TARGETS:
        print("usage: python -m bench.register_serve {app,floor} PORT", file=sys.stderr)
        return 2
    kind, port = argv[0], int(argv[1])
    if kind == "app":
        configure_logging("INFO")
    profile_path = os.environ.get(ENV_PROFILE)
    # CPU time, not wall time: a coroutine waiting on the database costs nothing.
    profiler = cProfile.Profile(time.process_time) if profile_path else None
    if profiler is not None:
        profiler.enable()
    try:
        uvicorn.run(
            TARGETS[kind],
            factory=True,
            host=HOST,
            port=port,
            workers=1,
            log_config=None,
            access_log=False,
            server_header=False,
            log_level="warning",
        )
    finally:
        if profiler is not None and profile_path:
            profiler.disable()
            profiler.dump_stats(profile_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
