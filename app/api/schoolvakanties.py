"""The school-holiday calendar of the SWV (beheerder): load the Rijksoverheid's open-data file
for any school year, set a vestiging's own days off; every load is a version (docs/domain.md
regel 14)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, status
from pydantic import AwareDatetime, Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.problems import problem_responses
from app.api.schemas import EERSTE_DATUM, LAATSTE_DATUM, ApiInput, ApiModel
from app.domain.toegang import Actor, Operatie
from app.services import schoolvakanties as service

router = APIRouter(prefix="/schoolvakanties", tags=["Schoolvakanties"])
Beheerder = Annotated[Actor, toegang(Operatie.INSTELLINGEN_BEHEREN)]
BekendOp = Annotated[
    AwareDatetime | None,
    Query(
        alias="bekendOp",
        description="Zoals bekend op dit moment (ISO 8601 met tijdzone); standaard nu.",
    ),
]


class Versie(ApiModel):
    """One load: a school year of an open-data file, or a vestiging's own days off."""

    id: uuid.UUID
    soort: Literal["opendata", "afwijkingen"] = Field(
        description="`opendata`: een schooljaar uit het bestand van de Rijksoverheid; "
        "`afwijkingen`: de eigen vrije dagen van een vestiging."
    )
    schooljaar: str | None = Field(description="Bij `opendata`: het schooljaar, bv. 2027-2028.")
    vestiging: uuid.UUID | None = Field(description="Bij `afwijkingen`: de vestiging.")
    geregistreerd_op: datetime = Field(description="Vanaf dit moment telt deze versie mee.")
    geregistreerd_door: str


class Schooljaar(ApiModel):
    """A known school year and where its dates come from."""

    schooljaar: str
    bron: Literal["meegeleverd", "geladen"] = Field(
        description="`meegeleverd`: de gegevens die met het product komen (zie de "
        "verantwoording per jaar in de documentatie); `geladen`: een geladen open-databestand."
    )
    versie: Versie | None = None


class VrijePeriode(ApiModel):
    """Days off, both days inclusive."""

    eerste_dag: date
    laatste_dag: date


class Afwijking(ApiModel):
    """A vestiging's own days off as they count now (or on `bekendOp`)."""

    versie: Versie
    perioden: list[VrijePeriode]


class Kalender(ApiModel):
    """The calendar the lesweken count uses: known school years, vestigingen's days off, and
    every load ever (newest first)."""

    schooljaren: list[Schooljaar]
    afwijkingen: list[Afwijking]
    versies: list[Versie]


class VrijePeriodeInvoer(ApiInput):
    """Days off of a vestiging, both days inclusive."""

    eerste_dag: date = Field(ge=EERSTE_DATUM, le=LAATSTE_DATUM)
    laatste_dag: date = Field(ge=EERSTE_DATUM, le=LAATSTE_DATUM)


class AfwijkingenInvoer(ApiInput):
    """The whole list of a vestiging's own days off; it replaces the previous list."""

    vestiging: uuid.UUID
    perioden: list[VrijePeriodeInvoer] = Field(max_length=100)


def _versie(v: service.Versie) -> Versie:
    return Versie(
        id=v.id,
        soort="opendata" if v.soort == "opendata" else "afwijkingen",
        schooljaar=v.schooljaar,
        vestiging=v.vestiging,
        geregistreerd_op=v.geregistreerd_op,
        geregistreerd_door=v.geregistreerd_door,
    )


@router.get(
    "",
    response_model=Kalender,
    summary="De schoolvakantiekalender van uw SWV, zoals nu of op `bekendOp` bekend",
    responses=problem_responses(400, 401, 403),
)
async def get_schoolvakanties(
    actor: Beheerder,
    uow: UowDep,
    bekend_op: BekendOp = None,
) -> Kalender:
    o = await service.overzicht(uow, actor, bekend_op=bekend_op)
    return Kalender(
        schooljaren=[
            Schooljaar(
                schooljaar=naam,
                bron="geladen" if bron == "geladen" else "meegeleverd",
                versie=_versie(v) if v else None,
            )
            for naam, bron, v in o.schooljaren
        ],
        afwijkingen=[
            Afwijking(
                versie=_versie(v),
                perioden=[
                    VrijePeriode(eerste_dag=p.eerste_dag, laatste_dag=p.laatste_dag) for p in ps
                ],
            )
            for v, ps in o.afwijkingen
        ],
        versies=[_versie(v) for v in o.versies],
    )


OPENDATA_VOORBEELD: dict[str, Any] = {
    "content": [
        {
            "schoolyear": "2027-2028",
            "vacations": [
                {
                    "type": "Kerstvakantie",
                    "compulsorydates": "true",
                    "regions": [
                        {
                            "region": "heel Nederland",
                            "startdate": "2027-12-25T00:00:00.000Z",
                            "enddate": "2028-01-09T22:59:00.000Z",
                        }
                    ],
                }
            ],
        }
    ]
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=list[Versie],
    summary="Laad het open-databestand schoolvakanties van de Rijksoverheid (elk schooljaar "
    "een nieuwe versie); de tijdlijnen worden herberekend",
    responses=problem_responses(400, 401, 403, 409, 413, 422),
)
async def laad_schoolvakanties(
    actor: Beheerder,
    uow: UowDep,
    idempotency: IdempotencyDep,
    bestand: Annotated[
        dict[str, Any] | list[dict[str, Any]],
        Body(
            description="Het JSON-bestand zoals de open-data-API van de Rijksoverheid het "
            "levert (infotype `schoolholidays`): `content[].schoolyear`, `vacations[].type`, "
            "`compulsorydates`, `regions[].region`, `startdate`, `enddate`; of een lijst van "
            "zulke bestanden. Velden die de kalender niet gebruikt, worden genegeerd.",
            examples=[OPENDATA_VOORBEELD],
        ),
    ],
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        versies = await service.laad_opendata(uow, actor, bestand)
        body = [_versie(v).model_dump(mode="json", by_alias=True) for v in versies]
        return 201, body, {"Location": "/v1/schoolvakanties"}

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/afwijkingen",
    status_code=status.HTTP_201_CREATED,
    response_model=Versie,
    summary="Leg de eigen vrije dagen van een vestiging vast (vervangt de vorige lijst, als "
    "nieuwe versie); de tijdlijnen worden herberekend",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
)
async def zet_afwijkingen(
    invoer: AfwijkingenInvoer, actor: Beheerder, uow: UowDep, idempotency: IdempotencyDep
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        versie = await service.zet_afwijkingen(
            uow,
            actor,
            invoer.vestiging,
            [(p.eerste_dag, p.laatste_dag) for p in invoer.perioden],
        )
        body = _versie(versie).model_dump(mode="json", by_alias=True)
        return 201, body, {"Location": "/v1/schoolvakanties"}

    return await idempotency.run(uow, actor, handle)
