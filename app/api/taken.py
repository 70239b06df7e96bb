"""Actielijsten: the worklist per role and person, closing a task, the cycle per peildatum."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel, Paginering
from app.db.taken import Werklijstfilter
from app.domain.taken import TE_DOEN, Actie, Taakstatus
from app.domain.toegang import Actor, Operatie
from app.services import taken as service
from app.services.errors import PreconditionFailed, PreconditionRequired

router = APIRouter(tags=["Taken"])
Lezer = Annotated[Actor, toegang(Operatie.TAAK_LEZEN)]
Afhandelaar = Annotated[Actor, toegang(Operatie.TAAK_AFHANDELEN)]
TaakId = Annotated[uuid.UUID, Path(alias="taakId", description="Id van de taak.")]


class Taak(ApiModel):
    """A task of an actielijst: what, for whom, from when, due when, and its state."""

    id: uuid.UUID
    code: str = Field(description="De regel van de actielijst (navraag, inspectie, tlv-check …).")
    rol: str = Field(description="De rol die de taak uitvoert.")
    toegewezen_aan: str | None = Field(description="De persoon, als de taak is toegewezen.")
    periode: str = Field(description="De periode waarvoor de taak geldt (schooljaar-volgnummer).")
    peildatum: date | None
    leerling_id: uuid.UUID | None
    school_id: uuid.UUID | None
    opent_op: date
    vervalt_op: date
    status: Taakstatus = Field(description="`gepland` en `te-laat` volgen uit de datums.")
    toelichting: str | None = Field(description="Uitkomst of reden bij het afsluiten.")


class TaakLijst(ApiModel):
    data: list[Taak]
    paginering: Paginering
    op: date = Field(description="De dag waarvoor de status is bepaald.")


class Afsluiting(ApiInput):
    """Close a task: `afronden` with an outcome, or `niet-van-toepassing` with a reason."""

    actie: Actie
    toelichting: str = Field(min_length=1, max_length=2000)


class CyclusStap(ApiModel):
    code: str
    totaal: int
    afgerond: int
    open: int
    te_laat: int
    status: Taakstatus


class Cyclus(ApiModel):
    peildatum: date
    stappen: list[CyclusStap]


def _taak(t: service.TaakMetStatus) -> Taak:
    r = t.taak
    return Taak(
        id=r.id,
        code=r.code,
        rol=r.rol,
        toegewezen_aan=r.toegewezen_aan,
        periode=r.periode,
        peildatum=r.peildatum,
        leerling_id=r.leerling_id,
        school_id=r.school_id,
        opent_op=r.opent_op,
        vervalt_op=r.vervalt_op,
        status=t.status,
        toelichting=r.toelichting,
    )


def _etag(t: service.TaakMetStatus) -> str:
    return f'"{t.taak.versie}"'


@router.get(
    "/taken",
    response_model=TaakLijst,
    summary="Uw werklijst: de taken van uw rol en de aan u toegewezen taken",
    description="Standaard alleen het werk dat nog te doen is: taken met status `gepland`, "
    "`open` of `te-laat`, op vervaldatum (de te late eerst). `status` kiest andere statussen "
    "en mag herhaald worden: `status=afgerond` toont de afgeronde taken, "
    "`status=afgerond&status=niet-van-toepassing` alle afgesloten taken en alle vijf statussen "
    "samen de hele lijst. Het totaal in `paginering` telt dezelfde taken als de lijst.",
    responses=problem_responses(400, 401, 403),
)
async def list_taken(
    request: Request,
    response: Response,
    actor: Lezer,
    uow: UowDep,
    page: PageDep,
    status: Annotated[
        list[Taakstatus] | None,
        Query(
            description="Alleen taken met deze status(sen); herhaalbaar. Zonder: `gepland`, "
            "`open` en `te-laat` (het werk dat nog te doen is)."
        ),
    ] = None,
    vervalt_voor: Annotated[
        date | None, Query(alias="vervaltVoor", description="Alleen taken die eerder vervallen.")
    ] = None,
    leerling_id: Annotated[
        uuid.UUID | None, Query(alias="leerlingId", description="Alleen over deze leerling.")
    ] = None,
    school_id: Annotated[
        uuid.UUID | None, Query(alias="schoolId", description="Alleen over deze vestiging.")
    ] = None,
    op: Annotated[
        date | None,
        Query(description="De dag waarvoor de status wordt bepaald (standaard vandaag)."),
    ] = None,
) -> TaakLijst:
    resultaat, dag = await service.werklijst(
        uow,
        actor,
        Werklijstfilter(
            status=frozenset(status) if status else TE_DOEN,
            vervalt_voor=vervalt_voor,
            leerling_id=leerling_id,
            school_id=school_id,
        ),
        page,
        op=op,
    )
    return TaakLijst(
        data=[_taak(t) for t in resultaat.items],
        paginering=paginate(request, response, resultaat),
        op=dag,
    )


@router.get(
    "/taken/{taakId}",
    response_model=Taak,
    summary="Eén taak",
    responses=problem_responses(400, 401, 403, 404),
)
async def lees_taak(taak_id: TaakId, response: Response, actor: Lezer, uow: UowDep) -> Taak:
    t = await service.taak(uow, actor, taak_id)
    response.headers["ETag"] = _etag(t)
    return _taak(t)


@router.post(
    "/taken/{taakId}/afsluitingen",
    response_model=Taak,
    summary="Sluit een taak af: afronden met een uitkomst of niet van toepassing met een reden",
    responses=problem_responses(400, 401, 403, 404, 409, 412, 428),
)
async def sluit_taak(
    taak_id: TaakId,
    invoer: Afsluiting,
    response: Response,
    actor: Afhandelaar,
    uow: UowDep,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Taak:
    versie: int | None = None
    if if_match is not None and if_match.strip() == "*":
        # `*` matches any version, so it would not protect against a lost update.
        raise PreconditionRequired("If-Match: * is hier niet genoeg: stuur de ETag van de taak.")
    if if_match is not None:
        try:
            versie = int(if_match.strip().strip('"'))
        except ValueError:
            raise PreconditionFailed("De ETag in If-Match hoort niet bij deze taak.") from None
    t = await service.sluit(
        uow, actor, taak_id, actie=invoer.actie, toelichting=invoer.toelichting, versie=versie
    )
    response.headers["ETag"] = _etag(t)
    return _taak(t)


@router.get(
    "/taken-cycli/{peildatum}",
    response_model=Cyclus,
    summary="De kwartaalcyclus van een peildatum: per stap afgerond, open of te laat",
    responses=problem_responses(400, 401, 403),
)
async def get_cyclus(
    peildatum: date,
    actor: Lezer,
    uow: UowDep,
    op: Annotated[
        date | None,
        Query(description="De dag waarvoor de status wordt bepaald (standaard vandaag)."),
    ] = None,
) -> Cyclus:
    stappen = await service.cyclus(uow, actor, peildatum, op)
    return Cyclus(
        peildatum=peildatum,
        stappen=[
            CyclusStap(
                code=s.code,
                totaal=s.totaal,
                afgerond=s.afgerond,
                open=s.open,
                te_laat=s.te_laat,
                status=s.status,
            )
            for s in stappen
        ],
    )
