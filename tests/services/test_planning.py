"""Several workers at once, and a worker killed mid-run, on committed data (each worker its own
connection, as in production): each event is delivered once per subscription, each task is
created once, and nothing is lost."""

from __future__ import annotations

import asyncio
import random
import string
import threading
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services import notificaties, taken
from tests.builders import Swv, maak_swv
from tests.services.ontvanger import ontvanger
from tests.services.test_notificaties import (
    BEZORGING,
    VANDAAG,
    VERSLEUTELING,
    _nu,
    abonneer,
    kind_met_verzuim,
)


@pytest.fixture
def eigen(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on their own connections: what they commit, stays (a throwaway database)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@pytest.fixture
async def swv(eigen: async_sessionmaker[AsyncSession]) -> AsyncIterator[Swv]:
    letters = "".join(random.choices(string.ascii_uppercase, k=2))  # noqa: S311 (a test code)
    swv = await maak_swv(eigen, f"{letters}{uuid.uuid4().hex[:6]}")
    yield swv
    async with eigen() as session:  # no delivery of this SWV is left for other tests
        await session.execute(text("SELECT set_config('app.swv_id', '*', true)"))
        await session.execute(
            text("UPDATE abonnementen SET actief = false WHERE swv_id = :s"), {"s": swv.id}
        )
        await session.execute(
            text("UPDATE afleveringen SET status = 'dood' WHERE swv_id = :s"), {"s": swv.id}
        )
        await session.commit()


async def test_two_workers_deliver_each_event_once_per_subscription_and_create_each_task_once(
    eigen: async_sessionmaker[AsyncSession], swv: Swv
) -> None:
    """Done when: two workers at once deliver each event once per subscription and create
    each task once."""
    for _ in range(3):
        await kind_met_verzuim(UnitOfWork(eigen), swv, dagen_geleden=40)
    with ontvanger() as o:
        for n in range(2):
            await abonneer(
                UnitOfWork(eigen), swv.actor(Rol.LEERPLICHTSYSTEEM, gemeente=0), o.url + f"/{n}", []
            )
        nu = _nu(VANDAAG)
        await notificaties.verdeel(UnitOfWork(eigen), nu)

        async def werker() -> int:
            async with httpx.AsyncClient() as client:
                return await notificaties.bezorg(
                    UnitOfWork(eigen), nu, VERSLEUTELING, client, BEZORGING
                )

        gedaan = await asyncio.gather(werker(), werker())
        await asyncio.gather(
            taken.genereer_taken(UnitOfWork(eigen), VANDAAG),
            taken.genereer_taken(UnitOfWork(eigen), VANDAAG),
        )
    for pad in ("/0", "/1"):
        ids = [r.headers["webhook-id"] for r in o.van(pad)]
        assert ids
        assert len(ids) == len(set(ids))
    assert sum(gedaan) == len(o.ontvangen)
    async with eigen() as session:
        await session.execute(text("SELECT set_config('app.swv_id', '*', true)"))
        dubbel = await session.scalar(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM taken WHERE swv_id = :s "
                "GROUP BY code, onderwerp, periode HAVING count(*) > 1) d"
            ),
            {"s": swv.id},
        )
        totaal = await session.scalar(
            text("SELECT count(*) FROM taken WHERE swv_id = :s"), {"s": swv.id}
        )
    assert dubbel == 0
    assert totaal is not None
    assert totaal >= 3  # digidoor and register per child at least


async def test_a_worker_killed_mid_delivery_loses_nothing(
    eigen: async_sessionmaker[AsyncSession], swv: Swv
) -> None:
    """Done when: killing a worker mid-run loses nothing: its claim is released with its
    transaction, and the next worker delivers the same event."""
    leerling_id = await kind_met_verzuim(UnitOfWork(eigen), swv, dagen_geleden=40)
    nu = _nu(VANDAAG)
    with ontvanger() as o:
        await abonneer(
            UnitOfWork(eigen),
            swv.actor(Rol.SCHOOLSYSTEEM, school=0),
            o.url + "/s",
            ["leerling.thuiszitter-gestart"],
        )
        await notificaties.verdeel(UnitOfWork(eigen), nu)
        vast = threading.Event()
        o.vasthouden = vast

        async def werker() -> int:
            async with httpx.AsyncClient() as client:
                return await notificaties.bezorg(
                    UnitOfWork(eigen), nu, VERSLEUTELING, client, BEZORGING
                )

        eerste = asyncio.create_task(werker())
        await asyncio.to_thread(o.binnen.wait, 10)
        eerste.cancel()  # the worker dies mid-delivery
        with pytest.raises(asyncio.CancelledError):
            await eerste
        vast.set()
        assert await werker() == 1
    ids = [r.headers["webhook-id"] for r in o.van("/s")]
    assert len(ids) == 2
    assert ids[0] == ids[1]
    async with eigen() as session:
        await session.execute(text("SELECT set_config('app.swv_id', '*', true)"))
        status = await session.scalar(
            text(
                "SELECT f.status FROM afleveringen f JOIN notificaties n "
                "ON n.id = f.notificatie_id WHERE n.leerling_id = :id"
            ),
            {"id": leerling_id},
        )
    assert status == "afgeleverd"
