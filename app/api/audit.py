"""The audit log, searchable by the functionaris gegevensbescherming."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import AwareDatetime, Field

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import ApiModel, Paginering
from app.db.audit import AuditZoekvraag
from app.domain.toegang import Actor, Operatie
from app.services import audit as service

router = APIRouter(prefix="/auditregels", tags=["Audit"])

Resultaat = Literal["toegestaan", "geweigerd", "niet-gevonden"]


class Auditregel(ApiModel):
    """One access: who, for which organisation, what, which child, when, with what outcome."""

    id: int
    tijdstip: datetime
    actor_id: str
    actor_rol: str
    handeling: str
    route: str
    leerling_id: uuid.UUID | None
    getoonde_leerlingen: list[uuid.UUID] | None = Field(
        description="De leerlingen die een lijst of zoekvraag toonde."
    )
    resultaat: str
    request_id: str | None


class AuditregelLijst(ApiModel):
    data: list[Auditregel]
    paginering: Paginering


@router.get(
    "",
    response_model=AuditregelLijst,
    summary="Zoek in het auditlog van uw samenwerkingsverband",
    responses=problem_responses(400, 401, 403),
)
async def list_auditregels(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.AUDIT_LEZEN)],
    uow: UowDep,
    page: PageDep,
    leerling_id: Annotated[uuid.UUID | None, Query(alias="leerlingId")] = None,
    actor_id: Annotated[str | None, Query(alias="actorId", max_length=100)] = None,
    handeling: Annotated[str | None, Query(max_length=60)] = None,
    resultaat: Annotated[Resultaat | None, Query()] = None,
    van: Annotated[AwareDatetime | None, Query(description="Vanaf dit moment.")] = None,
    tot: Annotated[AwareDatetime | None, Query(description="Tot dit moment.")] = None,
) -> AuditregelLijst:
    result = await service.zoek_audit(
        uow,
        actor,
        AuditZoekvraag(
            leerling_id=leerling_id,
            actor_id=actor_id,
            handeling=handeling,
            resultaat=resultaat,
            van=van,
            tot=tot,
        ),
        page,
    )
    return AuditregelLijst(
        data=[Auditregel.model_validate(r) for r in result.items],
        paginering=paginate(request, response, result),
    )
