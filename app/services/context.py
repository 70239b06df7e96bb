"""The caller's SWV as a use case needs it: its settings, policy, peildata and holiday
calendar, loaded once (`SwvContext`), and the register's one clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from app.db.organisaties import SwvInstellingen, SwvRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid, DefinitieProfiel, Weektelling
from app.domain.classificatie import Categorie
from app.domain.rapportage import STANDAARD_PEILDATA, Peildata
from app.domain.schoolvakanties import Schoolvakanties, laad_meegeleverde_kalender
from app.domain.toegang import Actor
from app.services.errors import NotFound


@lru_cache(maxsize=1)
def _kalender() -> Schoolvakanties:
    return laad_meegeleverde_kalender()


BELEID_SLEUTELS = (
    "b2_na_dagen",
    "a1_na_dagen",
    "signaal_verzuim_na_dagen",
    "signaal_schorsing_na_dagen",
    "signaal_tlv_na_dagen",
    "pact_na_maanden",
    "thuiswerkplan_telt_als_aanbod",
)
"""Settings an SWV may change (app/services/instellingen.py); else the docs/domain.md default."""


def beleid_van(swv: SwvRow | SwvInstellingen) -> Beleid:
    """The SWV's policy from its stored settings (defaults of docs/domain.md where unset)."""
    instellingen = swv.beleid or {}
    waarden: dict[str, Any] = {k: instellingen[k] for k in BELEID_SLEUTELS if k in instellingen}
    profiel = instellingen.get("profiel")
    if profiel is not None:
        waarden["profiel"] = DefinitieProfiel("swv", frozenset(Categorie(c) for c in profiel))
    weektelling = Weektelling(instellingen.get("weektelling", Weektelling.KALENDERDAGEN))
    return Beleid(weektelling=weektelling, **waarden)


def peildata_van(swv: SwvRow | SwvInstellingen) -> Peildata:
    """The SWV's peildata and delivery day (default: 1 Dec, 1 Mar, 1 Jun, 1 Sep; the 15th)."""
    instellingen = swv.beleid or {}
    if "peildata" not in instellingen and "leverdag" not in instellingen:
        return STANDAARD_PEILDATA
    dagen = tuple(
        (int(d[:2]), int(d[3:]))
        for d in instellingen.get(
            "peildata", [f"{m:02d}-{d:02d}" for m, d in STANDAARD_PEILDATA.dagen]
        )
    )
    return Peildata(dagen=dagen, leverdag=int(instellingen.get("leverdag", 15)))


def kalender_voor(beleid: Beleid) -> Schoolvakanties | None:
    """The holiday calendar when the SWV counts lesweken (LPW art. 21), else None."""
    return _kalender() if beleid.weektelling is Weektelling.LESWEKEN else None


async def klok(uow: UnitOfWork) -> datetime:
    """The database server's clock: the one clock of the register (recorded time of facts,
    read when it is needed: after the child's row lock, so it orders with the commits)."""
    return await uow.klok()


async def vandaag(uow: UnitOfWork) -> date:
    """Today by the database server's clock, as the transaction began (no extra round trip
    once the transaction has started)."""
    begonnen = uow.begonnen_op
    if begonnen is None:
        return (await klok(uow)).date()
    return begonnen.date()


async def swv_van(uow: UnitOfWork, actor: Actor) -> SwvRow:
    swv = await uow.organisaties.swv(uuid.UUID(actor.swv_id))
    if swv is None:
        raise NotFound("Dit samenwerkingsverband bestaat niet.")
    return swv


async def _instellingen(uow: UnitOfWork, actor: Actor) -> SwvInstellingen:
    """The actor's SWV's settings, in plain SQL (the hot paths)."""
    swv = await uow.organisaties.instellingen(uuid.UUID(actor.swv_id))
    if swv is None:
        raise NotFound("Dit samenwerkingsverband bestaat niet.")
    return swv


@dataclass(frozen=True, slots=True)
class SwvContext:
    """One SWV's settings with what follows from them: policy, peildata and calendar."""

    swv: SwvRow | SwvInstellingen
    beleid: Beleid
    peildata: Peildata
    kalender: Schoolvakanties | None

    @property
    def id(self) -> uuid.UUID:
        return self.swv.id

    @classmethod
    def van(cls, swv: SwvRow | SwvInstellingen) -> SwvContext:
        beleid = beleid_van(swv)
        return cls(swv, beleid, peildata_van(swv), kalender_voor(beleid))


async def swv_context(uow: UnitOfWork, actor: Actor) -> SwvContext:
    """The actor's SWV, its settings read once in plain SQL (the hot paths)."""
    return SwvContext.van(await _instellingen(uow, actor))
