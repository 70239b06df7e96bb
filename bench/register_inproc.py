"""Per-request CPU of the application and of its floor, called in process, one request at a time.

Run: ``python -m bench register-inproc [--children N] [--requests R] [--profile FILE]``.

The load benchmark (`python -m bench register`) is what the targets are judged on; this one is
for finding where the application's time goes. Both ASGI applications (the real one from
`bench.register_app` and the floor from `bench.register_floor`) are called directly, without an
HTTP server, on the same throwaway database: status of a child, a report (ziekmelding) on a
child and the first page of thuiszitters on a peildatum (as the load benchmark), alternating
between the two applications, R requests each, in three rounds. It prints the lowest CPU time
of this process per request (the database's own CPU is not in it) and the ratio; with
``--profile`` the application's requests run under cProfile and the top of the profile is
printed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import secrets
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.cli import migrate
from app.db.embedded import EmbeddedPostgres
from bench import register_app, register_floor, register_load
from bench.register_app import ENV_POOL, ENV_SWV, ENV_TOKEN, ENV_URL
from bench.register_seed import seed

ROUNDS = 3
Message = MutableMapping[str, Any]
ASGI = Callable[..., Awaitable[None]]


async def _lifespan(app: ASGI, kind: str) -> tuple[asyncio.Task[None], asyncio.Queue[Message]]:
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()
    await inbox.put({"type": f"lifespan.{kind}"})

    async def lifespan() -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        await app(scope, inbox.get, outbox.put)

    task = asyncio.create_task(lifespan())
    message = await outbox.get()
    if not message["type"].endswith(".complete"):
        raise RuntimeError(f"lifespan {kind} failed: {message}")
    return task, inbox


async def call(
    app: ASGI, token: str, method: str, path: str, body: bytes | None
) -> tuple[int, bytes]:
    """One request through the ASGI application; answers the status and the body."""
    raw_path, _, query = path.partition("?")
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    if body is not None:
        headers += [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]  # fmt: skip
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(),
        "query_string": query.encode(), "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body or b"", "more_body": False}

    status = 0
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def _requests(
    ids: list[str], vandaag: date, n: int, seed_value: int, peildatum: date
) -> dict[str, list[Any]]:
    rnd = random.Random(seed_value)
    # fold=1: the floor folds the facts, as the application does (the application ignores it).
    status = [("GET", f"/v1/leerlingen/{rnd.choice(ids)}/status?fold=1", None) for _ in range(n)]
    melding = []
    for k in range(n):
        dag = (vandaag - timedelta(days=rnd.randint(0, 364))).isoformat()
        soort = "ziekmelding" if k % 2 == 0 else "ziekmelding-beeindigd"
        gegevens = {"doorOuders": True} if k % 2 == 0 else {}
        body = {"soort": soort, "geldigVanaf": dag, "gegevens": gegevens}
        path = f"/v1/leerlingen/{rnd.choice(ids)}/feiten"
        melding.append(("POST", path, json.dumps(body).encode()))
    lijst = [("GET", register_load.lijst_request(peildatum)(rnd)[1], None)] * n
    return {"status": status, "melding": melding, "lijst": lijst}


async def _measure(
    apps: dict[str, ASGI], token: str, work: dict[str, list[Any]], profile: cProfile.Profile | None
) -> dict[tuple[str, str], float]:
    """The lowest CPU time per request over the rounds (the least disturbed by the machine)."""
    uit: dict[tuple[str, str], float] = {}
    for _round in range(ROUNDS):
        for scenario, requests in work.items():
            for kind, app in apps.items():
                for method, path, body in requests[:20]:  # warm-up
                    await call(app, token, method, path, body)
                prof = profile if kind == "app" else None
                t0 = time.process_time()
                if prof is not None:
                    prof.enable()
                for method, path, body in requests:
                    code, answer = await call(app, token, method, path, body)
                    if code >= 300:
                        raise RuntimeError(f"{kind} {method} {path}: {code} {answer[:300]!r}")
                if prof is not None:
                    prof.disable()
                ms = (time.process_time() - t0) / len(requests) * 1000
                uit[(scenario, kind)] = min(ms, uit.get((scenario, kind), ms))
    return uit


async def _run(  # noqa: PLR0917 (the benchmark's own arguments)
    url: str,
    swv_id: str,
    ids: list[str],
    n: int,
    profile: Path | None,
    scenario: str | None,
    peildatum: date,
) -> None:
    token = secrets.token_urlsafe(16)
    os.environ.update({ENV_URL: url, ENV_TOKEN: token, ENV_SWV: swv_id, ENV_POOL: "4"})
    apps: dict[str, ASGI] = {
        "app": register_app.create(),
        "floor": register_floor.create(),
    }
    lifespans = {k: await _lifespan(a, "startup") for k, a in apps.items()}
    prof = cProfile.Profile(time.process_time) if profile is not None else None
    work = _requests(ids, date.today(), n, 7, peildatum)  # noqa: DTZ011
    if scenario is not None:
        work = {scenario: work[scenario]}
    ms = await _measure(apps, token, work, prof)
    for naam in work:
        app_ms, floor_ms = ms[(naam, "app")], ms[(naam, "floor")]
        print(f"{naam:8s} app {app_ms:6.2f} ms CPU/request  floor {floor_ms:6.2f}  "
              f"ratio {app_ms / floor_ms:5.2f}x")  # fmt: skip
    for task, inbox in lifespans.values():
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 10)
    if prof is not None and profile is not None:
        prof.dump_stats(profile)
        text = io.StringIO()
        stats = pstats.Stats(str(profile), stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(60)
        print(text.getvalue())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench register-inproc", description=__doc__)
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--scenario", choices=("status", "melding", "lijst"), default=None)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-inproc-"))
    pg = EmbeddedPostgres(workdir / "data")
    try:
        url = pg.start()
        migrate(pg.owner_url())
        superuser_url = pg.superuser_url(pg.database)
        seeded = asyncio.run(seed(superuser_url, args.children, seed_waarde=1))
        ids = [str(i) for i in seeded.leerling_ids]
        peildatum, _aantal = asyncio.run(
            register_load.kies_peildatum(
                superuser_url,
                date(seeded.schooljaar - 1, 8, 1),
                date.today(),  # noqa: DTZ011 (as the load benchmark)
            )
        )
        asyncio.run(
            _run(
                url,
                str(seeded.swv_id),
                ids,
                args.requests,
                args.profile,
                args.scenario,
                peildatum,
            )
        )
    finally:
        pg.destroy()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0
