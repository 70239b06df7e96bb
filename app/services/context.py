"""The caller's SWV as a use case needs it: its settings, policy, peildata and holiday
calendar, loaded once (`SwvContext`), and the register's one clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.db.organisaties import SwvInstellingen, SwvRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid, DefinitieProfiel, ThuiswerkplanTelling, Weektelling
from app.domain.classificatie import Categorie
from app.domain.rapportage import STANDAARD_PEILDATA, Peildata
from app.domain.toegang import Actor
from app.services import schoolvakanties
from app.services.errors import NotFound
from app.services.schoolvakanties import Kalender

BELEID_SLEUTELS = (
    "b2_na_dagen",
    "a1_na_dagen",
    "signaal_verzuim_na_dagen",
    "signaal_schorsing_na_dagen",
    "signaal_tlv_na_dagen",
    "tlv_hercheck_na_dagen",
    "pact_na_maanden",
    "thuiswerkplan_telt_als_aanbod",
    "jeugdarts_oordeel_maakt_ongeoorloofd",
    "verzuim_gemeld_telt",
    "thuiswerkplan_keer_op_school",
    "thuiswerkplan_uren_op_school",
)
"""Settings an SWV may change (app/services/instellingen.py); else the docs/domain.md default."""


def beleid_van(swv: SwvRow | SwvInstellingen) -> Beleid:
    """The SWV's policy from its stored settings (defaults of docs/domain.md where unset)."""
    instellingen = swv.beleid or {}
    waarden: dict[str, Any] = {k: instellingen[k] for k in BELEID_SLEUTELS if k in instellingen}
    telling = waarden.get("thuiswerkplan_telt_als_aanbod")
    if telling is not None:  # a stored true/false from before the setting had three values
        if isinstance(telling, bool):
            telling = ThuiswerkplanTelling.ALTIJD if telling else ThuiswerkplanTelling.NOOIT
        waarden["thuiswerkplan_telt_als_aanbod"] = ThuiswerkplanTelling(telling)
    profiel = instellingen.get("profiel")
    if profiel is not None:
        waarden["profiel"] = DefinitieProfiel("swv", frozenset(Categorie(c) for c in profiel))
    weektelling = Weektelling(instellingen.get("weektelling", Weektelling.KALENDERDAGEN))
    return Beleid(weektelling=weektelling, **waarden)


def jeugdhulp_organisaties(swv: SwvRow | SwvInstellingen) -> tuple[str, ...]:
    """The youth-care organisations the SWV keeps a list of (regel 18); none by default."""
    return tuple((swv.beleid or {}).get("jeugdhulp_organisaties", ()))


def peildata_van(swv: SwvRow | SwvInstellingen) -> Peildata:
    """The SWV's peildata and delivery day (default: 1 Dec, 1 Mar, 1 Jun, 1 Sep; the 15th), and
    the register's window (default: the school year; or cumulative since a date)."""
    instellingen = swv.beleid or {}
    vanaf = instellingen.get("register_vanaf")
    cumulatief = (
        date.fromisoformat(vanaf)
        if instellingen.get("registervenster") == "cumulatief" and vanaf
        else None
    )
    if "peildata" not in instellingen and "leverdag" not in instellingen and cumulatief is None:
        return STANDAARD_PEILDATA
    dagen = tuple(
        (int(d[:2]), int(d[3:]))
        for d in instellingen.get(
            "peildata", [f"{m:02d}-{d:02d}" for m, d in STANDAARD_PEILDATA.dagen]
        )
    )
    return Peildata(
        dagen=dagen, leverdag=int(instellingen.get("leverdag", 15)), cumulatief_vanaf=cumulatief
    )


async def klok(uow: UnitOfWork) -> datetime:
    """The database server's clock: the one clock of the register (recorded time of facts,
    read when it is needed: after the child's row lock, so it orders with the commits)."""
    return await uow.klok()


async def vandaag(uow: UnitOfWork) -> date:
    """Today by the database server's clock, as the transaction began (no extra round trip
    once the transaction has started)."""
    begonnen = uow.begonnen_op
    if begonnen is None:
        await uow.driver()  # begins the transaction: tenant and clock in one statement
        begonnen = uow.begonnen_op
    if begonnen is None:  # pragma: no cover (the driver's begin always reads the clock)
        return (await klok(uow)).date()
    return begonnen.date()


async def swv_van(uow: UnitOfWork, actor: Actor) -> SwvRow:
    swv = await uow.organisaties.swv(uuid.UUID(actor.swv_id))
    if swv is None:
        raise NotFound("Dit samenwerkingsverband bestaat niet.")
    return swv


async def instellingen_van(uow: UnitOfWork, actor: Actor) -> SwvInstellingen:
    """The actor's SWV's settings, in plain SQL (the hot paths)."""
    swv = await uow.organisaties.instellingen(uuid.UUID(actor.swv_id))
    if swv is None:
        raise NotFound("Dit samenwerkingsverband bestaat niet.")
    return swv


@dataclass(frozen=True, slots=True)
class SwvContext:
    """One SWV's settings with what follows from them: policy, peildata and the holiday
    calendar as known on `bekend_op` (None: now), loaded once per use case."""

    swv: SwvRow | SwvInstellingen
    beleid: Beleid
    peildata: Peildata
    kalender: Kalender | None
    """The SWV's calendar when it counts lesweken (docs/domain.md regel 14), else None."""
    bekend_op: datetime | None = None

    @property
    def id(self) -> uuid.UUID:
        return self.swv.id

    async def kalender_van(self, uow: UnitOfWork, leerling_id: uuid.UUID) -> Kalender | None:
        """The calendar of one child: the SWV's, with its vestigingen's own days off."""
        if self.kalender is None:
            return None
        return await schoolvakanties.kalender_voor(
            uow, self.id, self.beleid, bekend_op=self.bekend_op, leerling_id=leerling_id
        )


async def laad_context(
    uow: UnitOfWork, swv: SwvRow | SwvInstellingen, *, bekend_op: datetime | None = None
) -> SwvContext:
    """The context of this SWV: its policy, peildata and calendar (as known on `bekend_op`)."""
    beleid = beleid_van(swv)
    kalender = await schoolvakanties.kalender_voor(uow, swv.id, beleid, bekend_op=bekend_op)
    return SwvContext(swv, beleid, peildata_van(swv), kalender, bekend_op)


async def swv_context(
    uow: UnitOfWork, actor: Actor, *, bekend_op: datetime | None = None
) -> SwvContext:
    """The actor's SWV, its settings read once in plain SQL (the hot paths)."""
    return await laad_context(uow, await instellingen_van(uow, actor), bekend_op=bekend_op)
