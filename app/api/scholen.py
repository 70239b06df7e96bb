"""School vestigingen (BRIN + vestigingsnummer)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel, Paginering
from app.domain.toegang import Actor, Operatie
from app.services import scholen as service

router = APIRouter(prefix="/scholen", tags=["Scholen"])

Regio = Literal["noord", "midden", "zuid"]
SchoolId = Annotated[uuid.UUID, Path(description="Id van de vestiging.")]


class SchoolInvoer(ApiInput):
    """A school vestiging to register."""

    brin: str = Field(
        pattern=r"^[0-9]{2}[A-Z]{2}$",
        description="BRIN-nummer van het bevoegd gezag/de school: twee cijfers, twee hoofdletters.",
        examples=["12AB"],
    )
    vestigingsnummer: str = Field(
        pattern=r"^[0-9]{2}$", description="Vestigingsnummer: twee cijfers.", examples=["00"]
    )
    naam: str = Field(min_length=1, max_length=200, description="Naam van de vestiging.")
    plaats: str = Field(min_length=1, max_length=100, description="Vestigingsplaats.")
    regio: Regio = Field(description="Vakantieregio (noord, midden of zuid).")


class School(ApiModel):
    """A registered school vestiging."""

    id: uuid.UUID
    brin: str
    vestigingsnummer: str
    naam: str
    plaats: str
    regio: Regio


class SchoolLijst(ApiModel):
    data: list[School]
    paginering: Paginering


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=School,
    summary="Registreer een vestiging",
    responses=problem_responses(400, 401, 403, 409, 413),
)
async def create_school(
    invoer: SchoolInvoer,
    actor: Annotated[Actor, toegang(Operatie.SCHOOL_BEHEREN)],
    uow: UowDep,
    response: Response,
) -> School:
    row = await service.registreer_school(
        uow,
        actor,
        service.NieuweSchool(
            brin=invoer.brin,
            vestigingsnummer=invoer.vestigingsnummer,
            naam=invoer.naam,
            plaats=invoer.plaats,
            regio=invoer.regio,
        ),
    )
    response.headers["Location"] = f"/v1/scholen/{row.id}"
    response.headers["ETag"] = f'"{row.versie}"'
    return School.model_validate(row)


@router.get(
    "",
    response_model=SchoolLijst,
    summary="Lijst van vestigingen; zoek een vestiging op BRIN en vestigingsnummer",
    description=(
        "Een vestiging zoals DUO en schoolsystemen haar kennen: `?brin=12AB&vestigingsnummer=00` "
        "geeft die ene vestiging (of een lege lijst), `?brin=12AB` alle vestigingen van die BRIN."
    ),
    responses=problem_responses(400, 401, 403),
)
async def list_scholen(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.SCHOOL_LEZEN)],
    uow: UowDep,
    page: PageDep,
    brin: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{2}[A-Z]{2}$", description="Alleen vestigingen met dit BRIN-nummer."),
    ] = None,
    vestigingsnummer: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{2}$", description="Alleen de vestiging met dit vestigingsnummer."),
    ] = None,
) -> SchoolLijst:
    result = await service.lijst_scholen(
        uow, actor, page, brin=brin, vestigingsnummer=vestigingsnummer
    )
    return SchoolLijst(
        data=[School.model_validate(r) for r in result.items],
        paginering=paginate(request, response, result),
    )


@router.get(
    "/{schoolId}",
    response_model=School,
    summary="Eén vestiging",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_school(
    school_id: Annotated[uuid.UUID, Path(alias="schoolId", description="Id van de vestiging.")],
    actor: Annotated[Actor, toegang(Operatie.SCHOOL_LEZEN)],
    uow: UowDep,
    response: Response,
) -> School:
    row = await service.haal_school(uow, actor, school_id)
    response.headers["ETag"] = f'"{row.versie}"'
    return School.model_validate(row)
