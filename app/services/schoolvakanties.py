"""The school-holiday calendar of an SWV: the shipped years, loaded open-data files of the
Rijksoverheid and vestigingen's own days off, versioned so a count can be reproduced as known on
an earlier moment (docs/domain.md regel 14, docs/decisions/0019-schoolvakanties-als-data.md)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from app.db.schoolvakanties import AFWIJKINGEN, OPENDATA, SchoolvakantieVersieRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid, Weektelling
from app.domain.schoolvakanties import (
    KalenderMetAfwijkingen,
    SchoolvakantieFormaatError,
    SchoolvakantieFoutenError,
    Schoolvakanties,
    VrijePeriode,
    laad_meegeleverde_kalender,
    lees_schoolvakanties,
)
from app.domain.toegang import Actor
from app.services.errors import FieldError, InvalidInput, NotFound

Kalender = Schoolvakanties | KalenderMetAfwijkingen
MAX_VRIJE_DAGEN = 366
"""A vestiging's period off spans at most a year (a choice: longer is a closed school)."""
MEEGELEVERD = "meegeleverd"


@lru_cache(maxsize=1)
def _meegeleverd() -> Schoolvakanties:
    return laad_meegeleverde_kalender()


@lru_cache(maxsize=64)
def _geladen(sleutel: tuple[uuid.UUID, ...], inhoud: str) -> Schoolvakanties:
    """The shipped calendar with loaded years over it (cached per set of versions)."""
    return _meegeleverd().met_schooljaren(lees_schoolvakanties(json.loads(inhoud)))


async def kalender_voor(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    beleid: Beleid,
    *,
    bekend_op: datetime | None = None,
    leerling_id: uuid.UUID | None = None,
) -> Kalender | None:
    """The SWV's calendar as known on `bekend_op` (now if None) when it counts lesweken, with the
    own days off of the child's vestigingen when a child is named (docs/domain.md regel 14)."""
    if beleid.weektelling is not Weektelling.LESWEKEN:
        return None
    return await laad_kalender(uow, swv_id, bekend_op=bekend_op, leerling_id=leerling_id)


async def laad_kalender(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    *,
    bekend_op: datetime | None = None,
    leerling_id: uuid.UUID | None = None,
) -> Kalender:
    """The SWV's holiday calendar as known on `bekend_op`, whatever it counts in (werkdagen of a
    workflow deadline need it too), with the vestigingen's own days off when a child is named."""
    rows = await uow.schoolvakanties.geldend(swv_id, bekend_op)
    jaren = sorted((r for r in rows if r.soort == OPENDATA), key=lambda r: str(r.schooljaar))
    kalender = (
        _geladen(tuple(r.id for r in jaren), json.dumps([r.inhoud for r in jaren]))
        if jaren
        else _meegeleverd()
    )
    if leerling_id is None:
        return kalender
    afwijkingen = {r.school_id: r for r in rows if r.soort == AFWIJKINGEN}
    if not afwijkingen:
        return kalender
    vestigingen = await uow.schoolvakanties.vestigingen_van(leerling_id)
    vrij = [
        periode
        for school_id in vestigingen
        if school_id in afwijkingen
        for periode in _vrije_perioden(afwijkingen[school_id].inhoud)
    ]
    return kalender.met_afwijkingen(vrij) if vrij else kalender


def _vrije_perioden(inhoud: dict[str, Any]) -> list[VrijePeriode]:
    return [
        VrijePeriode(date.fromisoformat(p["eersteDag"]), date.fromisoformat(p["laatsteDag"]))
        for p in inhoud.get("perioden", [])
    ]


async def _herbouw(uow: UnitOfWork, swv_id: uuid.UUID) -> None:
    """Recompute the SWV's projections: its calendar changed (as a settings change does)."""
    from app.services import projectie  # the projection reads the calendar from here

    await projectie.herbouw_projecties(uow, swv_id)


# -- loading ------------------------------------------------------------------------------------


def _documenten(data: object) -> list[Any]:
    return data if isinstance(data, list) else [data]


def lees_json(tekst: bytes) -> object:
    """The JSON of an open-data file read from disk (the CLI), or a 400-style error."""
    try:
        return cast("object", json.loads(tekst))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            [FieldError("bestand", "geen_json", "Het bestand is geen geldige JSON.")]
        ) from None


def lees_opendata(data: object) -> list[tuple[str, dict[str, Any]]]:
    """Validate an open-data document (every error at once) and split it per school year."""
    try:
        jaren = lees_schoolvakanties(data)
        Schoolvakanties(jaren)
    except SchoolvakantieFoutenError as fout:
        raise InvalidInput(
            [
                FieldError(plaats or "bestand", "ongeldig", bericht)
                for plaats, bericht in fout.fouten
            ]
        ) from None
    except SchoolvakantieFormaatError as fout:
        raise InvalidInput([FieldError("bestand", "ongeldig", str(fout))]) from None
    inhouden = [inhoud for document in _documenten(data) for inhoud in document["content"]]
    return [
        (jaar.naam, {**inhoud_, "schoolyear": jaar.naam})
        for jaar, inhoud_ in zip(jaren, inhouden, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Versie:
    """One stored load as the API shows it."""

    id: uuid.UUID
    soort: str
    schooljaar: str | None
    vestiging: uuid.UUID | None
    geregistreerd_op: datetime
    geregistreerd_door: str


def _versie(row: SchoolvakantieVersieRow) -> Versie:
    return Versie(
        row.id,
        row.soort,
        row.schooljaar,
        row.school_id,
        row.geregistreerd_op,
        row.geregistreerd_door,
    )


async def laad_opendata(uow: UnitOfWork, actor: Actor, data: object) -> list[Versie]:
    """Store each school year of a Rijksoverheid open-data file as a new version (recorded by the
    register's one clock) and recompute the SWV's projections in the same transaction
    (docs/domain.md regel 14)."""
    jaren = lees_opendata(data)
    swv_id = uuid.UUID(actor.swv_id)
    async with uow.voor(actor):
        op = await uow.klok()
        rows = [
            await uow.schoolvakanties.voeg_toe(
                SchoolvakantieVersieRow(
                    swv_id=swv_id,
                    geregistreerd_op=op,
                    soort=OPENDATA,
                    schooljaar=naam,
                    inhoud={"content": [inhoud]},
                    geregistreerd_door=actor.id,
                )
            )
            for naam, inhoud in jaren
        ]
        await _herbouw(uow, swv_id)
        await uow.commit()
        return [_versie(r) for r in rows]


def _controleer_perioden(perioden: Sequence[tuple[date, date]]) -> None:
    fouten = [
        FieldError(f"perioden[{i}].laatsteDag", "voor_eerste_dag", "Ligt voor de eerste dag.")
        for i, (eerste, laatste) in enumerate(perioden)
        if laatste < eerste
    ] + [
        FieldError(
            f"perioden[{i}].laatsteDag",
            "te_lang",
            f"Een periode duurt hoogstens {MAX_VRIJE_DAGEN} dagen.",
        )
        for i, (eerste, laatste) in enumerate(perioden)
        if (laatste - eerste).days >= MAX_VRIJE_DAGEN
    ]
    if fouten:
        raise InvalidInput(fouten)


async def zet_afwijkingen(
    uow: UnitOfWork, actor: Actor, school_id: uuid.UUID, perioden: Sequence[tuple[date, date]]
) -> Versie:
    """Store a vestiging's own days off (the whole list) as a new version and recompute the
    SWV's projections (docs/domain.md regel 14)."""
    _controleer_perioden(perioden)
    swv_id = uuid.UUID(actor.swv_id)
    async with uow.voor(actor):
        if await uow.scholen.get(swv_id, school_id) is None:
            raise NotFound("Deze vestiging bestaat niet of valt buiten uw bevoegdheid.")
        row = await uow.schoolvakanties.voeg_toe(
            SchoolvakantieVersieRow(
                swv_id=swv_id,
                geregistreerd_op=await uow.klok(),
                soort=AFWIJKINGEN,
                school_id=school_id,
                inhoud={
                    "perioden": [
                        {"eersteDag": eerste.isoformat(), "laatsteDag": laatste.isoformat()}
                        for eerste, laatste in sorted(perioden)
                    ]
                },
                geregistreerd_door=actor.id,
            )
        )
        await _herbouw(uow, swv_id)
        await uow.commit()
        return _versie(row)


@dataclass(frozen=True, slots=True)
class Overzicht:
    """The calendar as known on a moment: each school year with its source, and every load."""

    schooljaren: list[tuple[str, str, Versie | None]]
    afwijkingen: list[tuple[Versie, list[VrijePeriode]]]
    versies: list[Versie]


async def overzicht(uow: UnitOfWork, actor: Actor, *, bekend_op: datetime | None) -> Overzicht:
    """Which school years are known (shipped or loaded) as known on `bekend_op`, the vestigingen's
    days off then, and the whole history of loads (docs/domain.md regel 14)."""
    swv_id = uuid.UUID(actor.swv_id)
    async with uow.voor(actor):
        geldend = await uow.schoolvakanties.geldend(swv_id, bekend_op)
        alle = await uow.schoolvakanties.versies(swv_id)
        await uow.commit()
    geladen = {r.schooljaar: r for r in geldend if r.soort == OPENDATA}
    namen = sorted(set(_meegeleverd().schooljaren) | {str(n) for n in geladen})
    return Overzicht(
        schooljaren=[
            (naam, "geladen", _versie(geladen[naam]))
            if naam in geladen
            else (naam, MEEGELEVERD, None)
            for naam in namen
        ],
        afwijkingen=[
            (_versie(r), _vrije_perioden(r.inhoud)) for r in geldend if r.soort == AFWIJKINGEN
        ],
        versies=[_versie(r) for r in alle],
    )
