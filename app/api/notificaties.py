"""Events for systems: the change feed (`/notificaties`) and webhook subscriptions
(`/abonnementen`). Events carry ids and kinds only; details are read with the caller's token."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel
from app.db.notificaties import Abonnement as AbonnementRij
from app.domain.notificaties import Soort
from app.domain.toegang import Actor, Operatie
from app.services import notificaties as service
from app.services.errors import PreconditionFailed, PreconditionRequired
from app.services.toegang.versleuteling import Versleuteling

router = APIRouter(tags=["Notificaties"])
Lezer = Annotated[Actor, toegang(Operatie.NOTIFICATIE_LEZEN)]
Abonnee = Annotated[Actor, toegang(Operatie.ABONNEMENT_BEHEREN)]
AbonnementId = Annotated[
    uuid.UUID, Path(alias="abonnementId", description="Id van het abonnement.")
]


class CloudEvent(ApiModel):
    """A CloudEvents 1.0 document (NL GOV profile): ids and kinds, never personal data."""

    specversion: str
    type: str
    source: str
    id: str
    time: str
    subject: str
    datacontenttype: str
    dataref: str | None = None
    data: dict[str, Any]


class Feed(ApiModel):
    data: list[CloudEvent]
    volgende: str | None = Field(
        description="Cursor voor het volgende verzoek (`vanaf`); gelijk aan `vanaf` als er "
        "niets nieuws is."
    )


class Abonnement(ApiModel):
    id: uuid.UUID
    url: str
    soorten: list[Soort] = Field(description="Leeg: alle soorten.")
    actief: bool
    aangemaakt_op: datetime
    bron_referentie: str | None


class NieuwAbonnement(Abonnement):
    geheim: str | None = Field(
        description="Het geheim voor de handtekening (Standard Webhooks); alleen bij aanmaken."
    )


class AbonnementInvoer(ApiInput):
    url: str = Field(min_length=8, max_length=2000, description="Waar de webhooks heen gaan.")
    soorten: list[str] = Field(default_factory=list, max_length=20)
    bron_referentie: str | None = Field(default=None, min_length=1, max_length=200)


class AbonnementWijziging(ApiInput):
    actief: bool


class AbonnementLijst(ApiModel):
    data: list[Abonnement]


def _abonnement(a: AbonnementRij) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "soorten": [Soort(s) for s in a.soorten],
        "actief": a.actief,
        "aangemaakt_op": a.aangemaakt_op,
        "bron_referentie": a.bron_referentie,
    }


def _bezorging(request: Request) -> service.Bezorging:
    settings = request.app.state.settings
    return service.Bezorging(publieke_url=settings.public_url)


@router.get(
    "/notificaties",
    response_model=Feed,
    summary="Wijzigingen sinds een cursor, in transactievolgorde, binnen uw bevoegdheid",
    responses=problem_responses(400, 401, 403),
)
async def get_notificaties(
    request: Request,
    actor: Lezer,
    uow: UowDep,
    vanaf: Annotated[
        str | None,
        Query(max_length=100, description="Cursor uit `volgende`; leeg: vanaf het begin."),
    ] = None,
    limiet: Annotated[int, Query(ge=1, le=500, description="Maximaal aantal events.")] = 100,
) -> Feed:
    pagina = await service.feed(uow, actor, vanaf, limiet, _bezorging(request))
    return Feed(data=[CloudEvent(**e) for e, _ in pagina.items], volgende=pagina.volgende)


@router.post(
    "/abonnementen",
    response_model=NieuwAbonnement,
    status_code=201,
    summary="Abonneer uw systeem op webhooks (het geheim komt één keer terug)",
    responses=problem_responses(400, 401, 403, 409, 422),
)
async def post_abonnement(
    invoer: AbonnementInvoer,
    request: Request,
    actor: Abonnee,
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    versleuteling: Versleuteling = request.app.state.versleuteling

    async def handle() -> tuple[int, Any, dict[str, str]]:
        a, geheim, nieuw = await service.abonneer(
            uow,
            actor,
            versleuteling,
            url=invoer.url,
            soorten=invoer.soorten,
            bron_referentie=invoer.bron_referentie,
        )
        body = NieuwAbonnement(**_abonnement(a), geheim=geheim).model_dump(
            mode="json", by_alias=True
        )
        headers = {"Location": f"/v1/abonnementen/{a.id}", "ETag": f'"{a.versie}"'}
        return (201 if nieuw else 200), body, headers

    return await idempotency.run(uow, actor, handle)


@router.get(
    "/abonnementen",
    response_model=AbonnementLijst,
    summary="De abonnementen van uw systeem",
    responses=problem_responses(401, 403),
)
async def list_abonnementen(actor: Abonnee, uow: UowDep) -> AbonnementLijst:
    rijen = await service.abonnementen(uow, actor)
    return AbonnementLijst(data=[Abonnement(**_abonnement(a)) for a in rijen])


@router.get(
    "/abonnementen/{abonnementId}",
    response_model=Abonnement,
    summary="Eén abonnement van uw systeem",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_abonnement(
    abonnement_id: AbonnementId, response: Response, actor: Abonnee, uow: UowDep
) -> Abonnement:
    a = await service.abonnement(uow, actor, abonnement_id)
    response.headers["ETag"] = f'"{a.versie}"'
    return Abonnement(**_abonnement(a))


@router.patch(
    "/abonnementen/{abonnementId}",
    response_model=Abonnement,
    summary="Zet een abonnement stil of weer aan (If-Match verplicht)",
    responses=problem_responses(400, 401, 403, 404, 412, 428),
)
async def patch_abonnement(
    abonnement_id: AbonnementId,
    invoer: AbonnementWijziging,
    response: Response,
    actor: Abonnee,
    uow: UowDep,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Abonnement:
    versie: int | None = None
    if if_match is not None and if_match.strip() == "*":
        # `*` matches any version, so it would not protect against a lost update.
        raise PreconditionRequired(
            "If-Match: * is hier niet genoeg: stuur de ETag van het abonnement."
        )
    if if_match is not None:
        try:
            versie = int(if_match.strip().strip('"'))
        except ValueError:
            raise PreconditionFailed("De ETag in If-Match hoort niet bij dit abonnement.") from None
    a = await service.zet_actief(uow, actor, abonnement_id, invoer.actief, versie)
    response.headers["ETag"] = f'"{a.versie}"'
    return Abonnement(**_abonnement(a))
