"""Scheduled work: what the worker runs, as plain functions with the clock as a parameter, and
the worker itself (`thuiszitters worker`), which only schedules them (docs/decisions/0020).

The job queue (pgqueuer) fires the periodic jobs once per tick across every worker. Each job
is idempotent (unique keys, `SKIP LOCKED` claims), so a second worker, a restart or a job run
twice never creates a task or an event twice; a worker killed mid-run leaves its claims to the
next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import asyncpg  # type: ignore[import-untyped]
import httpx
from pgqueuer import Queries, SchedulerManager
from pgqueuer.db import AsyncpgDriver
from pgqueuer.models import Schedule

from app.db.session import UnitOfWork
from app.services import notificaties, taken
from app.services.notificaties import Bezorging, Smtp
from app.services.toegang.versleuteling import Versleuteling

log = logging.getLogger("thuiszitters.worker")

DAGELIJKS = "*/15 * * * *"
"""The date-driven jobs: every quarter of an hour (idempotent, so a missed day is caught up)."""
BEZORGEN = "* * * * *"
"""Deliveries and e-mail: every minute from the queue, and every few seconds in each worker."""


async def dagelijks(uow: UnitOfWork, vandaag: date, nu: datetime, bezorging: Bezorging) -> None:
    """Tasks, date-driven transitions (day 29, three months, ends), the workflows' due days
    (TLV check, escalation deadlines) and the monthly reminder."""
    await taken.genereer_taken(uow, vandaag)
    await notificaties.dagelijkse_overgangen(uow, vandaag, nu)
    await notificaties.dagelijkse_termijnen(uow, vandaag, nu)
    await taken.kondig_te_laat_aan(uow, vandaag, nu)
    await notificaties.maandelijkse_herinnering(uow, vandaag, nu, bezorging)


@dataclass(frozen=True, slots=True)
class Bezorgers:
    versleuteling: Versleuteling
    client: httpx.AsyncClient
    bezorging: Bezorging
    smtp: Smtp


async def bezorgen(uow: UnitOfWork, nu: datetime, b: Bezorgers) -> None:
    """Fan events out to subscriptions, deliver the webhooks that are due, send e-mail."""
    await notificaties.verdeel(uow, nu)
    await notificaties.bezorg(uow, nu, b.versleuteling, b.client, b.bezorging)
    await notificaties.verstuur_mails(uow, nu, b.smtp, b.bezorging)


def _nu() -> datetime:
    return datetime.now(UTC)


async def worker(
    database_url: str,
    nieuwe_uow: Callable[[], UnitOfWork],
    bezorgers: Bezorgers,
    *,
    interval: float = 5.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until `stop`: the queue's scheduler for the periodic jobs, and a short loop for
    deliveries with this worker's heartbeat (shown by `/v1/health/ready`)."""
    stop = stop or asyncio.Event()
    naam = f"{socket.gethostname()}:{os.getpid()}"
    verbinding = await asyncpg.connect(database_url)
    sm = SchedulerManager(Queries(AsyncpgDriver(verbinding)))

    async def veilig(wat: str, werk: Awaitable[None]) -> None:
        try:
            await werk
        except Exception:  # a failed run is logged and tried again at the next tick
            log.exception("job %s mislukt", wat)

    @sm.schedule("dagelijks", DAGELIJKS)
    async def _dagelijks(schedule: Schedule) -> None:
        nu = _nu()
        await veilig("dagelijks", dagelijks(nieuwe_uow(), nu.date(), nu, bezorgers.bezorging))

    @sm.schedule("bezorgen", BEZORGEN)
    async def _bezorgen(schedule: Schedule) -> None:
        await veilig("bezorgen", bezorgen(nieuwe_uow(), _nu(), bezorgers))

    async def lus() -> None:
        nu = _nu()
        await veilig("dagelijks", dagelijks(nieuwe_uow(), nu.date(), nu, bezorgers.bezorging))
        while not stop.is_set():
            await veilig("hartslag", notificaties.hartslag(nieuwe_uow(), naam, _nu()))
            await veilig("bezorgen", bezorgen(nieuwe_uow(), _nu(), bezorgers))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
        sm.shutdown.set()

    log.info("worker %s gestart", naam)
    try:
        await asyncio.gather(sm.run(), lus())
    finally:
        await verbinding.close()
