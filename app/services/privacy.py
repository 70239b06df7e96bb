"""AVG rights and retention: the inzage export of one child, and anonymisation in place of
records closed longer than the retention period (the register stays countable)."""

from __future__ import annotations

import hashlib
import typing
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.db.audit import AuditRow
from app.db.leerlingen import FeitRow, LeerlingRow
from app.db.session import UnitOfWork
from app.domain.classificatie import Categorie
from app.domain.feiten import FEITKLASSEN, FeitSoort
from app.domain.status import Status
from app.domain.toegang import Actor
from app.services import context, leerlingen, projectie
from app.services.errors import NotFound

VRIJE_TEKST = (
    "toelichting",
    "reden",
    "voorziening",
    "melder",
    # the monitor's kenmerken (regel 18): names, but together they could point at one child
    "klas",
    "niveau",
    "gemeente",
    "organisatie",
)
"""Payload fields that may hold free text (and so, by mistake, a name): blanked on anonymising."""

GESLOTEN = {Categorie.GEEN.value}


@dataclass(frozen=True, slots=True)
class Inzage:
    leerling: LeerlingRow
    vestiging_ids: list[uuid.UUID]
    feiten: list[FeitRow]
    status: Status
    toegang: list[AuditRow]


async def inzage(uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID) -> Inzage:
    """Everything the register holds on one child (AVG art. 15), incl. who accessed it."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        feiten = await uow.leerlingen.feiten(leerling.id)
        vestigingen = await uow.leerlingen.vestigingen_van(leerling.id)
        toegang = await uow.audit.over_leerling(leerling.id)
        await uow.commit()
    _leerling, status = await leerlingen.status_op(
        uow, actor, leerling_id, peildatum=None, bekend_op=None
    )
    return Inzage(leerling, vestigingen, feiten, status, toegang)


def _pseudoniem(leerling_id: uuid.UUID) -> str:
    return "anon-" + hashlib.sha256(leerling_id.bytes).hexdigest()[:12]


def _tekstvelden(soort: str) -> frozenset[str]:
    """The fields of a kind of fact that are declared as plain text (not an enumeration)."""
    klasse = FEITKLASSEN[FeitSoort(soort)]
    hints = typing.get_type_hints(klasse)
    return frozenset(
        naam
        for naam in VRIJE_TEKST
        if naam in hints and str in (hints[naam], *typing.get_args(hints[naam]))
    )


def _zonder_vrije_tekst(payload: dict[str, Any], soort: str) -> dict[str, Any]:
    """The payload with its free-text fields blanked; enumerations (an ending reason) stay, so
    the fact still reads as the domain expects."""
    tekst = _tekstvelden(soort)
    schoon: dict[str, Any] = {}
    for sleutel, waarde in payload.items():
        if sleutel in tekst and isinstance(waarde, str) and waarde:
            schoon[sleutel] = ""
        elif isinstance(waarde, dict) and isinstance(waarde.get("soort"), str):
            schoon[sleutel] = _zonder_vrije_tekst(waarde, waarde["soort"])
        else:
            schoon[sleutel] = waarde
    return schoon


async def anonimiseer_verlopen(
    uow: UnitOfWork, *, bewaarjaren: int, nu: datetime | None = None
) -> int:
    """Anonymise children whose record is closed (no open category now, nothing recorded or
    valid for `bewaarjaren` years): identity and free text go, categories and dates stay.

    The child's projections are recomputed: its register rows carry the new pseudonym, and
    without the birth day its age and 18th birthday count from the month (as for any child
    registered with year and month only)."""
    async with uow.alle_swvs():
        moment = nu or await uow.klok()
        grens = moment - timedelta(days=round(365.25 * bewaarjaren))
        kandidaten = await uow.leerlingen.te_anonimiseren(grens)
        swvs: dict[uuid.UUID, context.SwvContext] = {}
        aantal = 0
        await uow.leerlingen.sta_anonimiseren_toe(True)
        for leerling in kandidaten:
            perioden = await uow.leerlingen.perioden_op([leerling.id], moment.date())
            periode = perioden.get(leerling.id)
            if periode is not None and periode.categorie not in GESLOTEN:
                continue
            leerling.pseudoniem = _pseudoniem(leerling.id)
            await uow.monitor.vergeet_aliassen(leerling.id)  # old codes lead back to the child
            leerling.naam_versleuteld = None
            leerling.adres_versleuteld = None
            leerling.bsn_versleuteld = None
            leerling.bsn_zoekhash = None
            leerling.geboortedag = None
            leerling.geanonimiseerd_op = moment
            feiten = await uow.leerlingen.feiten(leerling.id)
            for feit in feiten:
                schoon = _zonder_vrije_tekst(feit.payload, feit.soort)
                if schoon != feit.payload:
                    feit.payload = schoon
                if feit.bron_referentie is not None:
                    feit.bron_referentie = None
            if leerling.swv_id not in swvs:
                swv = await uow.organisaties.swv(leerling.swv_id)
                assert swv is not None  # noqa: S101
                swvs[swv.id] = await context.laad_context(uow, swv)
            await projectie.projecteer(uow, leerling, swvs[leerling.swv_id], feiten, moment.date())
            aantal += 1
        await uow.flush()
        await uow.leerlingen.sta_anonimiseren_toe(False)
        await uow.commit()
        return aantal


async def vergeet_idempotentie(uow: UnitOfWork, *, uren: int = 24) -> int:
    """Forget stored answers of idempotent requests older than `uren` hours."""
    async with uow.alle_swvs():
        aantal = await uow.idempotentie.ruim_op(uren)
        await uow.commit()
        return aantal
