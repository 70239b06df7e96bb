"""A closed-loop HTTP/1.1 load generator for 127.0.0.1: C workers, each on its own keep-alive
connection, sending the next request when the previous answer is in, until a deadline or a
request budget, whichever comes first.

Two clients: `raw` (asyncio streams, a hand-written request and a Content-Length response
reader: little CPU per request, so the generator takes little from the server on a small
machine) and `httpx` (`httpx.AsyncClient`). `ceiling()` measures what each can do against an
endpoint without work, so the report can say which one was used and whether it was the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

HOST = "127.0.0.1"
"""Loopback only: the benchmark never talks to another address."""
MAX_REQUESTS = 10_000_000
REQUEST_TIMEOUT_S = 30.0
MAX_HEADER_BYTES = 64 * 1024

Request = tuple[str, str, bytes | None]
"""Method, path with query, JSON body (or None)."""
RequestFactory = Callable[[random.Random], Request]


@dataclass
class Result:
    """What one run against one target measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50_ms(self) -> float:
        return self.quantile(0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return self.quantile(0.99) * 1000

    def merge(self, other: Result) -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors += other.errors
        self.elapsed += other.elapsed


class _Budget:
    def __init__(self, deadline: float, max_requests: int) -> None:
        self.deadline = deadline
        self.left = max_requests

    def take(self) -> bool:
        if self.left <= 0 or time.perf_counter() >= self.deadline:
            return False
        self.left -= 1
        return True


def _record(result: Result, status: int, started: float) -> None:
    result.statuses[status] += 1
    if 200 <= status < 300:
        result.latencies.append(time.perf_counter() - started)
    else:
        result.errors += 1


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_HEADER_BYTES:
        raise ValueError("response header too large")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise ValueError("the raw client needs Content-Length (no chunked responses)")
    await reader.readexactly(length)
    return status


async def _raw_worker(
    port: int,
    *,
    headers: dict[str, str],
    factory: RequestFactory,
    rnd: random.Random,
    budget: _Budget,
    result: Result,
) -> None:
    vast = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while budget.take():
            method, path, body = factory(rnd)
            extra = ""
            if body is not None:
                extra = f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
            data = f"{method} {path} HTTP/1.1\r\nhost: {HOST}:{port}\r\n{vast}{extra}\r\n".encode()
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT_S):
                    writer.write(data + body if body is not None else data)
                    status = await _read_response(reader)
            except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
                result.errors += 1
                return  # the connection is in an unknown state: this worker stops
            _record(result, status, started)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _httpx_worker(
    client: httpx.AsyncClient,
    factory: RequestFactory,
    rnd: random.Random,
    budget: _Budget,
    result: Result,
) -> None:
    while budget.take():
        method, path, body = factory(rnd)
        started = time.perf_counter()
        try:
            response = await client.request(
                method,
                path,
                content=body,
                headers={"content-type": "application/json"} if body is not None else None,
            )
        except httpx.HTTPError:
            result.errors += 1
            continue
        _record(result, response.status_code, started)


async def run(
    name: str,
    port: int,
    factory: RequestFactory,
    *,
    seconds: float,
    concurrency: int,
    client: str = "raw",
    headers: dict[str, str] | None = None,
    seed: int = 1,
    max_requests: int = MAX_REQUESTS,
) -> Result:
    """`concurrency` workers send requests from `factory` to 127.0.0.1:`port` for `seconds`."""
    headers = headers or {}
    result = Result(name)
    started = time.perf_counter()
    budget = _Budget(started + seconds, max_requests)
    rnds = [random.Random(f"{seed}:{n}") for n in range(concurrency)]
    async with asyncio.timeout(seconds + REQUEST_TIMEOUT_S + 5):
        if client == "raw":
            await asyncio.gather(
                *(
                    _raw_worker(
                        port, headers=headers, factory=factory, rnd=r, budget=budget, result=result
                    )
                    for r in rnds
                )
            )
        elif client == "httpx":
            async with httpx.AsyncClient(
                base_url=f"http://{HOST}:{port}",
                headers=headers,
                limits=httpx.Limits(max_connections=concurrency),
                timeout=REQUEST_TIMEOUT_S,
                trust_env=False,
            ) as http:
                await asyncio.gather(
                    *(_httpx_worker(http, factory, r, budget, result) for r in rnds)
                )
        else:
            raise ValueError(f"unknown client {client!r}")
    result.elapsed = time.perf_counter() - started
    return result


async def ceiling(port: int, path: str, *, seconds: float, concurrency: int) -> dict[str, Result]:
    """Each client against an endpoint that does no work: what the generator itself can do."""

    def ping(_: random.Random) -> Request:
        return "GET", path, None

    return {
        client: await run(
            f"ceiling {client}", port, ping, seconds=seconds, concurrency=concurrency, client=client
        )
        for client in ("raw", "httpx")
    }
