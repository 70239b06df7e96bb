"""Leerplicht deliveries: lists of absoluut verzuim, vrijstellingen, besluiten 11g and
administratieve onvolkomenheden in one call (JSON or CSV, delta or snapshot), their progress and
per-item outcomes, what a snapshot left out, and koppelvoorstellen for the regisseur."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import Field, ValidationError
from starlette.exceptions import HTTPException

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.middleware import ONOPSLAANBAAR
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import EERSTE_DATUM, LAATSTE_DATUM, ApiInput, ApiModel, Paginering
from app.db.session import UnitOfWork
from app.domain.leerplichtleveringen import (
    KOLOMMEN,
    Besluit,
    LeveringStatus,
    Modus,
    Uitkomst,
    VoorstelStatus,
)
from app.domain.toegang import Actor, Operatie
from app.services import leerplichtleveringen as service

router = APIRouter(prefix="/leerplicht-leveringen", tags=["Leerplicht-leveringen"])

LeveringId = Annotated[uuid.UUID, Path(alias="leveringId", description="Id van de levering.")]
VoorstelId = Annotated[
    uuid.UUID, Path(alias="voorstelId", description="Id van het koppelvoorstel.")
]
CSV = "text/csv"


# -- schemas ---------------------------------------------------------------------------------


class LeveringInvoer(ApiInput):
    """A delivery as JSON: its items, each an object with the fields of the column layout."""

    items: list[dict[str, Any]] = Field(
        min_length=1,
        description="Items met de velden van de kolomindeling (docs/leerplichtleveringen.md): "
        + ", ".join(f"`{k}`" for k in KOLOMMEN)
        + ". Elk item wordt apart beoordeeld: een ongeldig item wordt afgewezen, de rest "
        "verwerkt.",
        examples=[
            [
                {
                    "referentie": "LP-2026-0042",
                    "soort": "absoluut-verzuim",
                    "vanaf": "2026-10-05",
                    "geboortejaar": 2013,
                    "geboortemaand": 4,
                    "woongemeente": "GM0014",
                    "regio": "noord",
                }
            ]
        ],
    )


class Tellingen(ApiModel):
    aangemaakt: int = Field(description="Items waarvoor een nieuwe leerling is geregistreerd.")
    bijgewerkt: int = Field(description="Items die bij een bekende leerling feiten toevoegden.")
    ongewijzigd: int = Field(description="Items die niets nieuws brachten (al ontvangen).")
    afgewezen: int = Field(description="Items die niet verwerkt zijn; zie hun `fouten`.")


class LeerplichtLevering(ApiModel):
    """A delivery and its progress."""

    id: uuid.UUID
    modus: Modus
    peildatum: date | None
    status: LeveringStatus
    aantal_items: int
    aantal_verwerkt: int = Field(description="Items met een uitkomst (voortgang).")
    tellingen: Tellingen
    ontvangen_op: datetime
    voltooid_op: datetime | None


class ItemFout(ApiModel):
    veld: str
    code: str
    reden: str = Field(description="Wat er mis is, zonder de aangeleverde waarde te herhalen.")


class LeveringItem(ApiModel):
    """The outcome of one item (numbered from 1 in the order delivered)."""

    volgnummer: int
    referentie: str | None = Field(description="Het kenmerk van leerplicht (niet bij ongeldig).")
    soort: str | None
    uitkomst: Uitkomst | None = Field(description="Leeg zolang het item niet verwerkt is.")
    leerling_id: uuid.UUID | None
    fouten: list[ItemFout]


class LeveringItemLijst(ApiModel):
    data: list[LeveringItem]
    paginering: Paginering


class Verdwijning(ApiModel):
    """A running situation a snapshot left out: not ended by the register; confirm its end by
    delivering it with `einde` (or deliver it again if it still runs)."""

    referentie: str
    soort: str
    grond: str | None
    leerling_id: uuid.UUID
    vanaf: date
    levering_id: uuid.UUID = Field(description="De snapshot waarin het ontbrak.")
    ontbreekt_sinds: date = Field(description="Peildatum van die snapshot.")


class VerdwijningLijst(ApiModel):
    data: list[Verdwijning]
    paginering: Paginering


class Koppelvoorstel(ApiModel):
    """A proposal that the child leerplicht delivered is a child a school reported."""

    id: uuid.UUID
    referentie: str
    leerling_id: uuid.UUID = Field(description="De leerling die de levering registreerde.")
    kandidaat_id: uuid.UUID = Field(description="De leerling die een school meldde.")
    status: VoorstelStatus
    aangemaakt_op: datetime


class KoppelvoorstelLijst(ApiModel):
    data: list[Koppelvoorstel]
    paginering: Paginering


# -- conversions -----------------------------------------------------------------------------


def levering_antwoord(stand: service.LeveringStand) -> LeerplichtLevering:
    levering, tellingen = stand.levering, stand.tellingen
    return LeerplichtLevering(
        id=levering.id,
        modus=Modus(levering.modus),
        peildatum=levering.peildatum,
        status=LeveringStatus(levering.status),
        aantal_items=levering.aantal_items,
        aantal_verwerkt=stand.verwerkt,
        tellingen=Tellingen(**{str(u): tellingen.get(str(u), 0) for u in Uitkomst}),
        ontvangen_op=levering.ontvangen_op,
        voltooid_op=levering.voltooid_op,
    )


async def _items_uit(request: Request) -> list[dict[str, object]]:
    soort = request.headers.get("content-type", "").split(";")[0].strip().lower()
    ruw = await request.body()
    if soort == CSV:
        try:
            tekst = ruw.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(415, "Lever CSV aan in UTF-8.") from None
        if "\x00" in tekst:
            # PostgreSQL cannot store U+0000: refused before any work, as in a JSON body.
            raise RequestValidationError(
                [{"loc": ("body",), "type": "tekst_onopslaanbaar", "msg": ONOPSLAANBAAR}]
            )
        return service.lees_csv(tekst)
    if soort != "application/json":
        raise HTTPException(415, "Lever aan als application/json of text/csv.")
    try:
        invoer = LeveringInvoer.model_validate_json(ruw)
    except ValidationError as fout:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in fout.errors()]
        ) from None
    return [dict(item) for item in invoer.items]


# -- routes ----------------------------------------------------------------------------------


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=LeerplichtLevering,
    summary="Lever lijsten van leerplicht aan (JSON of CSV, delta of snapshot)",
    description=(
        "Absoluut verzuim, vrijstellingen, besluiten 11g en administratieve onvolkomenheden, "
        "en hun einde, in één aanroep. Elk item krijgt een uitkomst (aangemaakt, bijgewerkt, "
        "ongewijzigd, afgewezen met veldfouten zonder waarden). Een kleine levering wordt "
        "meteen verwerkt (201); een grote als taak (202, volg `Location`). Dezelfde "
        "`Idempotency-Key` geeft hetzelfde antwoord; een item dat al ontvangen is, is "
        "`ongewijzigd`. Een snapshot beëindigt niets: wat erin ontbreekt komt op "
        "`/leerplicht-leveringen/verdwijningen`."
    ),
    responses={
        202: {"description": "Ontvangen; wordt als taak verwerkt", "model": LeerplichtLevering},
        **problem_responses(400, 401, 403, 409, 413, 415, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": LeveringInvoer.model_json_schema(by_alias=True)},
                CSV: {
                    "schema": {"type": "string"},
                    "example": "referentie;soort;vanaf;geboortejaar;geboortemaand;woongemeente;"
                    "regio\nLP-2026-0042;absoluut-verzuim;2026-10-05;2013;4;GM0014;noord\n",
                },
            },
        }
    },
)
async def create_levering(
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.LEERPLICHT_AANLEVEREN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
    achtergrond: BackgroundTasks,
    modus: Annotated[Modus, Query(description="`delta` of `snapshot`.")],
    peildatum: Annotated[
        date | None,
        Query(description="Peildatum van een snapshot.", ge=EERSTE_DATUM, le=LAATSTE_DATUM),
    ] = None,
) -> Any:
    items = await _items_uit(request)
    versleuteling = getattr(request.app.state, "versleuteling", None)
    direct_max: int = request.app.state.levering_direct_max
    sessionmaker = request.app.state.sessionmaker

    async def handle() -> tuple[int, Any, dict[str, str]]:
        stand = await service.ontvang_levering(
            uow,
            actor,
            service.Aanlevering(modus=modus, peildatum=peildatum, items=items),
            versleuteling=versleuteling,
            direct_max=direct_max,
        )
        body = levering_antwoord(stand).model_dump(mode="json", by_alias=True)
        headers = {"Location": f"/v1/leerplicht-leveringen/{stand.levering.id}"}
        if stand.levering.status == LeveringStatus.ONTVANGEN:
            achtergrond.add_task(
                service.verwerk_levering,
                lambda: UnitOfWork(sessionmaker),
                stand.levering.id,
                actor,
            )
            return 202, body, headers
        return 201, body, headers

    return await idempotency.run(uow, actor, handle)


@router.get(
    "/verdwijningen",
    response_model=VerdwijningLijst,
    summary="Wat een snapshot wegliet: lopend, niet beëindigd, te bevestigen door leerplicht",
    responses=problem_responses(400, 401, 403),
)
async def list_verdwijningen(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.LEERPLICHT_AANLEVEREN)],
    uow: UowDep,
    page: PageDep,
) -> VerdwijningLijst:
    result = await service.verdwijningen(uow, actor, page)
    return VerdwijningLijst(
        data=[
            Verdwijning(
                referentie=v.referentie,
                soort=v.soort,
                grond=v.grond,
                leerling_id=v.leerling_id,
                vanaf=v.vanaf,
                levering_id=v.levering_id,
                ontbreekt_sinds=v.sinds,
            )
            for v in result.items
        ],
        paginering=paginate(request, response, result),
    )


@router.get(
    "/koppelvoorstellen",
    response_model=KoppelvoorstelLijst,
    summary="Koppelvoorstellen: is de leerling van leerplicht een leerling die een school meldde?",
    responses=problem_responses(400, 401, 403),
)
async def list_koppelvoorstellen(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.KOPPELING_BESLISSEN)],
    uow: UowDep,
    page: PageDep,
    status_: Annotated[
        VoorstelStatus | None, Query(alias="status", description="Alleen deze status.")
    ] = None,
) -> KoppelvoorstelLijst:
    result = await service.koppelvoorstellen(uow, actor, status_, page)
    return KoppelvoorstelLijst(
        data=[Koppelvoorstel.model_validate(v) for v in result.items],
        paginering=paginate(request, response, result),
    )


async def _beslis(
    uow: UnitOfWork, actor: Actor, voorstel_id: uuid.UUID, besluit: Besluit
) -> Koppelvoorstel:
    voorstel = await service.beslis_koppelvoorstel(uow, actor, voorstel_id, besluit)
    return Koppelvoorstel.model_validate(voorstel)


@router.post(
    "/koppelvoorstellen/{voorstelId}/acceptatie",
    response_model=Koppelvoorstel,
    summary="Accepteer een koppelvoorstel: één leerling, met de feiten van leerplicht",
    responses=problem_responses(400, 401, 403, 404, 409),
)
async def accept_koppelvoorstel(
    voorstel_id: VoorstelId,
    actor: Annotated[Actor, toegang(Operatie.KOPPELING_BESLISSEN)],
    uow: UowDep,
) -> Koppelvoorstel:
    return await _beslis(uow, actor, voorstel_id, Besluit.ACCEPTEREN)


@router.post(
    "/koppelvoorstellen/{voorstelId}/afwijzing",
    response_model=Koppelvoorstel,
    summary="Wijs een koppelvoorstel af: het blijven twee leerlingen",
    responses=problem_responses(400, 401, 403, 404, 409),
)
async def reject_koppelvoorstel(
    voorstel_id: VoorstelId,
    actor: Annotated[Actor, toegang(Operatie.KOPPELING_BESLISSEN)],
    uow: UowDep,
) -> Koppelvoorstel:
    return await _beslis(uow, actor, voorstel_id, Besluit.AFWIJZEN)


@router.get(
    "/{leveringId}",
    response_model=LeerplichtLevering,
    summary="Eén levering met haar voortgang",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_levering(
    levering_id: LeveringId,
    actor: Annotated[Actor, toegang(Operatie.LEERPLICHT_AANLEVEREN)],
    uow: UowDep,
) -> LeerplichtLevering:
    return levering_antwoord(await service.haal_levering(uow, actor, levering_id))


@router.get(
    "/{leveringId}/items",
    response_model=LeveringItemLijst,
    summary="De uitkomst van elk item van een levering",
    responses=problem_responses(400, 401, 403, 404),
)
async def list_levering_items(
    levering_id: LeveringId,
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.LEERPLICHT_AANLEVEREN)],
    uow: UowDep,
    page: PageDep,
    uitkomst: Annotated[Uitkomst | None, Query(description="Alleen deze uitkomst.")] = None,
) -> LeveringItemLijst:
    result = await service.items_van(uow, actor, levering_id, uitkomst, page)
    return LeveringItemLijst(
        data=[
            LeveringItem(
                volgnummer=i.volgnummer,
                referentie=i.referentie,
                soort=i.soort,
                uitkomst=Uitkomst(i.uitkomst) if i.uitkomst else None,
                leerling_id=i.leerling_id,
                fouten=[ItemFout(**f) for f in i.fouten],
            )
            for i in result.items
        ],
        paginering=paginate(request, response, result),
    )
