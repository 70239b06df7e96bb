"""Liveness and readiness."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from app.api.deps import UowDep
from app.api.problems import problem_response, problem_responses
from app.api.schemas import ApiModel
from app.services import notificaties

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/health", tags=["Gezondheid"])

READINESS_TIMEOUT_S = 3.0


class Gezondheid(ApiModel):
    status: Literal["ok"]


class Worker(ApiModel):
    """The workers' heartbeat: a detail, never a reason for the API to be unready."""

    actief: bool = Field(description="Een worker gaf de laatste 2 minuten een hartslag.")
    laatste_hartslag: datetime | None


class Gereedheid(ApiModel):
    status: Literal["ok"]
    worker: Worker | None = Field(description="Ontbreekt als de hartslag niet te lezen is.")


@router.get(
    "",
    response_model=Gezondheid,
    summary="Leeft de dienst?",
    description="Antwoordt 200 zolang het proces leeft; raakt de database niet. Zonder token.",
)
async def get_health() -> Gezondheid:
    return Gezondheid(status="ok")


@router.get(
    "/ready",
    response_model=Gereedheid,
    summary="Is de dienst klaar voor verkeer?",
    description="Controleert de verbinding met de database; 503 als die niet bereikbaar is. "
    "Meldt ook de hartslag van de workers (zonder worker blijft de API gereed).",
    responses=problem_responses(503),
)
async def get_readiness(request: Request, uow: UowDep) -> Gereedheid | JSONResponse:
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_S):
            await request.app.state.ping()
    except Exception:
        logger.warning("readiness check failed: database unreachable")
        return problem_response(request, 503, "De database is niet bereikbaar.")
    worker: Worker | None = None
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_S):
            laatste = await notificaties.laatste_hartslag(uow)
        actief = laatste is not None and laatste > datetime.now(UTC) - timedelta(minutes=2)
        worker = Worker(actief=actief, laatste_hartslag=laatste)
    except Exception:
        logger.warning("readiness: worker heartbeat unreadable")
    return Gereedheid(status="ok", worker=worker)
