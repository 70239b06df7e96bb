"""The inzage export of one child (AVG art. 15): everything the register holds, who accessed it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field

from app.api.auth import toegang
from app.api.casussen import CasusDetail, detail_van
from app.api.deps import UowDep
from app.api.escalaties import EscalatieInzage, inzage_van
from app.api.feiten import Gebeurtenis, gebeurtenis
from app.api.leerlingen import (
    PROBLEMEN_LEERLING,
    Leerling,
    LeerlingId,
    LeerlingStatus,
    leerling_antwoord,
    status_van,
)
from app.api.meldingen import Melding, melding_van
from app.api.schemas import ApiModel
from app.api.tlv import Plaatsingscheck, Tlv, plaatsingscheck_van, tlv_van
from app.domain.toegang import Actor, Operatie
from app.services import privacy as privacy_service

router = APIRouter(prefix="/leerlingen", tags=["Leerlingen"])


class Verstrekking(ApiModel):
    """A provision of the child's data: when, to whom, by which role."""

    tijdstip: datetime
    ontvanger: str = Field(description="Aan wie of in welk stuk de gegevens zijn verstrekt.")
    handeling: str
    rol: str


class Inzage(ApiModel):
    """Everything the register holds on one child (AVG art. 15), with who accessed it."""

    leerling: Leerling
    vestiging_ids: list[uuid.UUID]
    gebeurtenissen: list[Gebeurtenis]
    status: LeerlingStatus
    toegang: list[dict[str, Any]] = Field(
        description="Wie de gegevens raadpleegde of wijzigde: tijdstip, rol, handeling, resultaat."
    )
    escalaties: list[EscalatieInzage] = Field(
        description="Escalaties (doorzettingskracht en -macht) met hun hele geschiedenis."
    )
    tlvs: list[Tlv] = Field(default_factory=list, description="De TLV's met hun geschiedenis.")
    plaatsingschecks: list[Plaatsingscheck] = Field(default_factory=list)
    meldingen: list[Melding] = Field(description="De meldingen over deze leerling.")
    casussen: list[CasusDetail] = Field(description="De casussen van deze leerling.")
    verstrekkingen: list[Verstrekking] = Field(
        description="Elk register, elke lijst en elk overzicht waarin de leerling stond, met de "
        "ontvanger (AVG art. 15 lid 1 sub c)."
    )
    geanonimiseerd_op: datetime | None = Field(
        description="Wanneer de bewaartermijn verliep en het dossier werd geanonimiseerd; leeg "
        "zolang dat niet gebeurde. Het onderhoud staat ook in `toegang`."
    )


@router.get(
    "/{leerlingId}/inzage",
    response_model=Inzage,
    summary="Inzage-export: alles wat over deze leerling is vastgelegd (AVG art. 15)",
    responses=PROBLEMEN_LEERLING,
)
async def get_inzage(
    leerling_id: LeerlingId,
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.INZAGE_EXPORTEREN)],
    uow: UowDep,
) -> Inzage:
    result = await privacy_service.inzage(uow, actor, leerling_id)
    return Inzage(
        leerling=leerling_antwoord(result.leerling, actor, request),
        vestiging_ids=result.vestiging_ids,
        gebeurtenissen=[gebeurtenis(r) for r in result.feiten],
        status=status_van(leerling_id, result.status, None),
        toegang=[
            {
                "tijdstip": a.tijdstip.isoformat(),
                "rol": a.actor_rol,
                "handeling": a.handeling,
                "resultaat": a.resultaat,
            }
            for a in result.toegang
        ],
        escalaties=[inzage_van(e, stappen) for e, stappen in result.escalaties],
        tlvs=[tlv_van(t) for t in result.tlvs],
        plaatsingschecks=[plaatsingscheck_van(c) for c in result.plaatsingschecks],
        meldingen=[melding_van(m, result.status.peildatum) for m in result.meldingen],
        casussen=[detail_van(c) for c in result.casussen],
        verstrekkingen=[
            Verstrekking(
                tijdstip=v.tijdstip, ontvanger=v.ontvanger, handeling=v.handeling, rol=v.rol
            )
            for v in result.verstrekkingen
        ],
        geanonimiseerd_op=result.leerling.geanonimiseerd_op,
    )
