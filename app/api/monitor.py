"""The SWV's own monitor (regel 18): per child per peildatum, as known on a moment.

For the SWV and its schools' boards; never part of the Inspectie delivery. JSON (default), CSV or
XLSX by the `Accept` header, written as the Inspectie export is (app/services/exports.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import IO, Annotated

from fastapi import APIRouter, Request, status
from fastapi.responses import StreamingResponse
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.leerlingen import LeerlingId
from app.api.problems import problem_responses
from app.api.rapportage import (
    CSV,
    JSON,
    XLSX,
    BekendOp,
    IndieningId,
    Peildatum,
    _antwoord,
    _formaat,
)
from app.api.schemas import EERSTE_DATUM, LAATSTE_DATUM, ApiInput, ApiModel
from app.domain.toegang import Actor, Operatie
from app.services import monitor as service
from app.services.exports import schrijf_register_csv, schrijf_register_json, schrijf_tabel_xlsx

router = APIRouter(tags=["Rapportage"])


@router.get(
    "/rapportages/swv-monitor",
    summary="De eigen monitor van het SWV: per kind per peildatum, alle velden van de opvraag",
    description="Klas, woonplaats, niveau, maand van melding bij het verzuimloket, ziekmelding "
    "door ouders, typering, soort thuiszitter, reden van geoorloofd verzuim, aanbod of "
    "thuiswerkplan met schooltijd, betrokken jeugdhulp, maand en reden van beëindiging; zoals "
    "bekend op `bekendOp`. Alleen voor het SWV zelf, nooit onderdeel van de levering aan de "
    "Inspectie. JSON, CSV of XLSX naar de `Accept`-header.",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "De monitor (JSON, CSV of XLSX naar de `Accept`-header).",
            "content": {
                JSON: {"schema": {"type": "object"}},
                CSV: {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **problem_responses(400, 401, 403),
    },
)
async def get_swv_monitor(
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_SWV)],
    uow: UowDep,
    peildatum: Peildatum,
    bekend_op: BekendOp = None,
) -> StreamingResponse:
    media = _formaat(request, (JSON, CSV, XLSX))
    result = await service.monitor(uow, actor, peildatum=peildatum, bekend_op=bekend_op)
    kolommen = service.MONITOR_KOLOMMEN
    naam = f"swv-monitor-{peildatum.isoformat()}"
    if media == CSV:
        return _antwoord(
            lambda uit: schrijf_register_csv(result.rijen, uit, kolommen=kolommen), CSV, naam
        )
    if media == XLSX:
        gemaakt_op = bekend_op or datetime.now(UTC)

        def xlsx(uit: IO[bytes]) -> None:
            schrijf_tabel_xlsx(
                f"SWV-monitor, peildatum {peildatum}", result.rijen, uit,
                gemaakt_op=gemaakt_op, kolommen=kolommen, blad="Monitor",
            )  # fmt: skip

        return _antwoord(xlsx, XLSX, naam)
    return _antwoord(
        lambda uit: schrijf_register_json(
            result.kop, result.rijen, uit, kolommen=kolommen, formaat=service.FORMAAT
        ),
        JSON,
        naam,
    )


# -- renumbering pseudonyms ------------------------------------------------------------------

_CODE = Field(pattern=r"^[A-Za-z0-9-]{4,40}$")


class HernummeringInvoer(ApiInput):
    """The child's new pseudonym code; the old one stays findable as an alias (regel 18)."""

    nieuw_pseudoniem: Annotated[str, _CODE]


class Hernummering(ApiModel):
    leerling_id: uuid.UUID
    oud: str
    nieuw: str


class Wijziging(ApiInput):
    oud: Annotated[str, _CODE]
    nieuw: Annotated[str, _CODE]


class HernummeringenInvoer(ApiInput):
    """A mapping of old to new codes (the SWV's renumbering file): all or none."""

    wijzigingen: list[Wijziging] = Field(min_length=1, max_length=10_000)


class Hernummeringen(ApiModel):
    data: list[Hernummering]


class Alias(ApiModel):
    pseudoniem: str
    nieuw_pseudoniem: str
    gewijzigd_op: datetime


class Aliassen(ApiModel):
    data: list[Alias]


def _hernummering(h: service.Hernummering) -> Hernummering:
    return Hernummering(leerling_id=h.leerling_id, oud=h.oud, nieuw=h.nieuw)


Hernummeraar = Annotated[Actor, toegang(Operatie.RAPPORT_INDIENEN)]


@router.post(
    "/leerlingen/{leerlingId}/hernummeringen",
    status_code=status.HTTP_201_CREATED,
    response_model=Hernummering,
    summary="Geef een leerling een nieuwe pseudoniemcode; de oude blijft vindbaar als alias",
    description="Feiten, registers en indieningen blijven; de volgende samenvatting telt de "
    "leerling als lopend. Dezelfde hernummering nogmaals geeft hetzelfde antwoord.",
    responses=problem_responses(400, 401, 403, 404, 409),
    tags=["Leerlingen"],
)
async def create_hernummering(
    leerling_id: LeerlingId, invoer: HernummeringInvoer, actor: Hernummeraar, uow: UowDep
) -> Hernummering:
    return _hernummering(await service.hernummer(uow, actor, leerling_id, invoer.nieuw_pseudoniem))


@router.get(
    "/leerlingen/{leerlingId}/hernummeringen",
    response_model=Aliassen,
    summary="De eerdere pseudoniemcodes van een leerling",
    responses=problem_responses(400, 401, 403, 404),
    tags=["Leerlingen"],
)
async def list_hernummeringen(
    leerling_id: LeerlingId,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
) -> Aliassen:
    rows = await service.aliassen(uow, actor, leerling_id)
    return Aliassen(data=[Alias.model_validate(r) for r in rows])


@router.post(
    "/hernummeringen",
    status_code=status.HTTP_201_CREATED,
    response_model=Hernummeringen,
    summary="Hernummer veel leerlingen uit een omzettingstabel (oud naar nieuw), alles of niets",
    responses=problem_responses(400, 401, 403, 409, 413),
    tags=["Leerlingen"],
)
async def create_hernummeringen(
    invoer: HernummeringenInvoer, actor: Hernummeraar, uow: UowDep
) -> Hernummeringen:
    paren = [(w.oud, w.nieuw) for w in invoer.wijzigingen]
    uitkomst = await service.hernummer_veel(uow, actor, paren)
    return Hernummeringen(data=[_hernummering(h) for h in uitkomst])


# -- recording the delivery ------------------------------------------------------------------


class LeveringInvoer(ApiInput):
    """The delivery through the Inspectie's portal: when, by whom, and its reference."""

    geleverd_op: date = Field(ge=EERSTE_DATUM, le=LAATSTE_DATUM)
    geleverd_door: str = Field(min_length=2, max_length=100)
    referentie: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9 ._/:-]+$")


class InspectieLevering(ApiModel):
    id: uuid.UUID
    indiening_id: uuid.UUID
    geleverd_op: date
    geleverd_door: str
    referentie: str
    vastgelegd_op: datetime


class Leveringen(ApiModel):
    data: list[InspectieLevering]


@router.post(
    "/inspectie-indieningen/{indieningId}/leveringen",
    status_code=status.HTTP_201_CREATED,
    response_model=InspectieLevering,
    summary="Leg vast dat een ingediend register via het portaal van de Inspectie is geleverd",
    description="Eén keer per indiening; een gecorrigeerde herlevering is een nieuwe indiening "
    "met een eigen levering, en de eerste blijft staan.",
    responses=problem_responses(400, 401, 403, 404, 409),
    tags=["Rapportage"],
)
async def create_inspectie_levering(
    indiening_id: IndieningId,
    invoer: LeveringInvoer,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INDIENEN)],
    uow: UowDep,
) -> InspectieLevering:
    row = await service.lever(
        uow,
        actor,
        indiening_id,
        geleverd_op=invoer.geleverd_op,
        geleverd_door=invoer.geleverd_door,
        referentie=invoer.referentie,
    )
    levering: InspectieLevering = InspectieLevering.model_validate(row)
    return levering


@router.get(
    "/inspectie-leveringen",
    response_model=Leveringen,
    summary="Vastgelegde leveringen aan de Inspectie, per peildatum de eerste eerst",
    responses=problem_responses(401, 403),
    tags=["Rapportage"],
)
async def list_leveringen(
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)], uow: UowDep
) -> Leveringen:
    return Leveringen(
        data=[InspectieLevering.model_validate(r) for r in await service.leveringen(uow, actor)]
    )
