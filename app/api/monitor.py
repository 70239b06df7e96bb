"""The SWV's own monitor (seed 004): per child per peildatum, as known on a moment.

For the SWV and its schools' boards; never part of the Inspectie delivery. JSON (default), CSV or
XLSX by the `Accept` header, written as the Inspectie export is (app/services/exports.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import IO, Annotated

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.problems import problem_responses
from app.api.rapportages import CSV, JSON, XLSX, BekendOp, Peildatum, _antwoord, _formaat
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
