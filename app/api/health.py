"""Liveness and readiness."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.api.problems import problem_response, problem_responses
from app.api.schemas import ApiModel

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/health", tags=["Gezondheid"])

READINESS_TIMEOUT_S = 3.0


class Gezondheid(ApiModel):
    status: Literal["ok"]


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
    response_model=Gezondheid,
    summary="Is de dienst klaar voor verkeer?",
    description="Controleert de verbinding met de database; 503 als die niet bereikbaar is.",
    responses=problem_responses(503),
)
async def get_readiness(request: Request) -> Gezondheid | JSONResponse:
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_S):
            await request.app.state.ping()
    except Exception:
        logger.warning("readiness check failed: database unreachable")
        return problem_response(request, 503, "De database is niet bereikbaar.")
    return Gezondheid(status="ok")
