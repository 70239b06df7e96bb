"""The reference list of categories (Aanpak thuiszitters Bijlage 1), for front-ends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from app.api.auth import toegang
from app.api.problems import problem_responses
from app.api.schemas import ApiModel
from app.domain.classificatie import CATEGORIEEN, Categorie
from app.domain.toegang import Actor, Operatie

router = APIRouter(prefix="/classificaties", tags=["Classificaties"])


class Classificatie(ApiModel):
    code: Categorie = Field(description="Code van de categorie (A1 … C, of geen).")
    omschrijving: str
    wettelijke_grondslag: str
    thuiszitter_landelijk: bool = Field(
        description="Telt als thuiszitter volgens de landelijke definitie (B2a, B2b, B3)."
    )


class ClassificatieLijst(ApiModel):
    data: list[Classificatie]


@router.get(
    "",
    response_model=ClassificatieLijst,
    summary="De categorieën van de Inspectie, met definitie en wettelijke grondslag",
    responses=problem_responses(401, 403),
)
async def list_classificaties(
    actor: Annotated[Actor, toegang(Operatie.CLASSIFICATIE_LEZEN)],
) -> ClassificatieLijst:
    return ClassificatieLijst(
        data=[
            Classificatie(
                code=c.categorie,
                omschrijving=c.omschrijving,
                wettelijke_grondslag=c.wettelijke_grondslag,
                thuiszitter_landelijk=c.thuiszitter_landelijk,
            )
            for c in CATEGORIEEN
        ]
    )
