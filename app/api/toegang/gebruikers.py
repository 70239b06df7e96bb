"""Users of the SWV, managed by its beheerder."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel
from app.domain.toegang import Actor, Operatie, Rol
from app.services.toegang import beheer as service

router = APIRouter(prefix="/gebruikers", tags=["Gebruikers"])
Beheerder = Annotated[Actor, toegang(Operatie.GEBRUIKER_BEHEREN)]
PERSOONSROLLEN = tuple(r for r in Rol if r not in service.SYSTEEMROLLEN)


class GebruikerInvoer(ApiInput):
    gebruikersnaam: str = Field(pattern=r"^[a-z0-9._@-]{3,100}$")
    wachtwoord: str = Field(
        min_length=1,
        max_length=256,
        description="Startwachtwoord: minstens 12 tekens, niet veelgebruikt of uitgelekt "
        "(NIST SP 800-63B). De gebruiker vervangt het bij het inrichten van de tweede factor.",
    )
    rol: Rol
    vestigingen: list[str] = Field(
        default_factory=list,
        description="BRIN + vestigingsnummer, bijvoorbeeld `99AA00` (voor schoolmedewerkers).",
    )
    gemeenten: list[str] = Field(
        default_factory=list, description="CBS-codes (voor leerplichtambtenaren)."
    )


class Gebruiker(ApiModel):
    id: uuid.UUID
    gebruikersnaam: str
    rol: str
    actief: bool


class GebruikerLijst(ApiModel):
    data: list[Gebruiker]


class ActiefInvoer(ApiInput):
    actief: bool


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Gebruiker,
    summary="Maak een gebruiker aan; de gebruiker richt zelf de tweede factor in",
    description="Alleen rollen zonder toegang tot leerlinggegevens, auditlog, Inspectie-export "
    "of accountbeheer (scheiding van functies, anders 403); die accounts maakt de "
    "applicatiebeheerder met `thuiszitters create-user`. De tweede factor (TOTP) ziet alleen de "
    "gebruiker zelf: die richt hem in met `POST /tweede-factoren`.",
    responses=problem_responses(400, 401, 403, 409, 413),
)
async def create_gebruiker(
    invoer: GebruikerInvoer, request: Request, actor: Beheerder, uow: UowDep
) -> Gebruiker:
    nieuw = await service.maak_gebruiker_als_beheerder(
        uow,
        request.app.state.versleuteling,
        actor,
        gebruikersnaam=invoer.gebruikersnaam,
        wachtwoord=invoer.wachtwoord,
        rol=invoer.rol,
        vestigingen=invoer.vestigingen,
        gemeenten=invoer.gemeenten,
    )
    return Gebruiker.model_validate(nieuw.gebruiker)


@router.get(
    "",
    response_model=GebruikerLijst,
    summary="Gebruikers van het samenwerkingsverband",
    responses=problem_responses(401, 403),
)
async def list_gebruikers(actor: Beheerder, uow: UowDep) -> GebruikerLijst:
    rows = await service.lijst_gebruikers(uow, actor)
    return GebruikerLijst(data=[Gebruiker.model_validate(r) for r in rows])


@router.patch(
    "/{gebruikerId}",
    response_model=Gebruiker,
    summary="(De)activeer een gebruiker: een gedeactiveerde gebruiker is direct zijn toegang kwijt",
    responses=problem_responses(400, 401, 403, 404, 413),
)
async def update_gebruiker(
    gebruiker_id: Annotated[uuid.UUID, Path(alias="gebruikerId")],
    invoer: ActiefInvoer,
    actor: Beheerder,
    uow: UowDep,
) -> Gebruiker:
    row = await service.zet_gebruiker_actief(uow, actor, gebruiker_id, invoer.actief)
    return Gebruiker.model_validate(row)
