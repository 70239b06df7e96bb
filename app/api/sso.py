"""Single sign-on through the SWV's OpenID Connect provider, and its configuration (beheerder)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel
from app.api.toegang.sessies import Sessietokens, _beleid, _tokens
from app.db.sso import IdentiteitsproviderRow, RolkoppelingRow
from app.domain.sso import SYSTEEMROLLEN
from app.domain.toegang import Actor, Operatie, Rol
from app.services import sso as service

router = APIRouter()
Beheerder = Annotated[Actor, toegang(Operatie.GEBRUIKER_BEHEREN)]
PERSOONSROLLEN = tuple(r for r in Rol if r not in SYSTEEMROLLEN)


class IdTokenInvoer(ApiInput):
    """The ID token the SWV's OpenID provider gave the browser (OpenID Connect Core §3.1.3.7)."""

    id_token: str = Field(min_length=20, max_length=16_384, description="Het ID-token (JWT).")
    nonce: str | None = Field(
        default=None,
        max_length=200,
        description="De `nonce` uit het autorisatieverzoek van de client; wordt gecontroleerd.",
    )


@router.post(
    "/sso-sessies",
    tags=["Aanmelden"],
    status_code=status.HTTP_201_CREATED,
    response_model=Sessietokens,
    summary="Aanmelden met een ID-token van de identiteitsprovider van het SWV",
    description="Het ID-token wordt gecontroleerd (handtekening met de sleutels van de provider, "
    "RS256, ES256 of EdDSA; uitgever, publiek, verlooptijd, nonce) en ingewisseld voor de eigen "
    "tokens van deze dienst. Rol, vestigingen en gemeenten volgen uit de rolkoppelingen van het "
    "SWV; rollen die kinderen zien vereisen twee factoren bij de provider (`amr` of `acr`).",
    responses=problem_responses(400, 401, 403, 409, 413, 503),
)
async def create_sso_sessie(invoer: IdTokenInvoer, request: Request, uow: UowDep) -> Sessietokens:
    tokens = await service.meld_aan_met_id_token(
        uow,
        _beleid(request),
        request.app.state.sleutelbron,
        id_token=invoer.id_token,
        nonce=invoer.nonce,
    )
    return _tokens(tokens)


class ProviderInvoer(ApiInput):
    uitgever: str = Field(
        min_length=9, max_length=500, description="`issuer` van de provider (https)."
    )
    client_id: str = Field(min_length=1, max_length=200, description="Onze client-id daar.")
    algoritmen: list[str] = Field(
        min_length=1, max_length=3, description="Toegestaan: `RS256`, `ES256`, `EdDSA`."
    )
    acr_waarden: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="`acr`-waarden die als twee factoren gelden (naast `amr` volgens RFC 8176).",
    )


class Identiteitsprovider(ApiModel):
    id: uuid.UUID
    uitgever: str
    client_id: str
    algoritmen: list[str]
    acr_waarden: list[str]


class IdentiteitsproviderLijst(ApiModel):
    data: list[Identiteitsprovider]


def _provider(rij: IdentiteitsproviderRow) -> Identiteitsprovider:
    return Identiteitsprovider(
        id=rij.id,
        uitgever=rij.uitgever,
        client_id=rij.client_id,
        algoritmen=list(rij.algoritmen),
        acr_waarden=list(rij.acr_waarden),
    )


@router.get(
    "/identiteitsproviders",
    tags=["Gebruikers"],
    response_model=IdentiteitsproviderLijst,
    summary="De OpenID-provider van het SWV (nul of één)",
    responses=problem_responses(401, 403),
)
async def list_identiteitsproviders(actor: Beheerder, uow: UowDep) -> IdentiteitsproviderLijst:
    rij = await service.provider(uow, actor)
    return IdentiteitsproviderLijst(data=[_provider(rij)] if rij else [])


@router.post(
    "/identiteitsproviders",
    tags=["Gebruikers"],
    status_code=status.HTTP_201_CREATED,
    response_model=Identiteitsprovider,
    summary="Stel de OpenID-provider van het SWV in (vervangt de vorige)",
    description="Herhalen met dezelfde gegevens geeft hetzelfde resultaat.",
    responses=problem_responses(400, 401, 403, 409, 413),
)
async def create_identiteitsprovider(
    invoer: ProviderInvoer, actor: Beheerder, uow: UowDep
) -> Identiteitsprovider:
    rij = await service.stel_provider_in(
        uow,
        actor,
        service.ProviderInvoer(
            uitgever=invoer.uitgever,
            client_id=invoer.client_id,
            algoritmen=tuple(invoer.algoritmen),
            acr_waarden=tuple(invoer.acr_waarden),
        ),
    )
    return _provider(rij)


@router.delete(
    "/identiteitsproviders/{providerId}",
    tags=["Gebruikers"],
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Zet aanmelden via de OpenID-provider uit",
    responses=problem_responses(401, 403, 404),
)
async def delete_identiteitsprovider(
    provider_id: Annotated[uuid.UUID, Path(alias="providerId")], actor: Beheerder, uow: UowDep
) -> Response:
    await service.verwijder_provider(uow, actor, provider_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class KoppelingInvoer(ApiInput):
    claim: str = Field(
        pattern=r"^[A-Za-z0-9_.:/-]{1,100}$", description="Bijvoorbeeld `groups` of `roles`."
    )
    waarde: str = Field(min_length=1, max_length=300, description="De waarde (of groep).")
    rol: Rol
    vestigingen: list[str] = Field(
        default_factory=list, description="BRIN + vestigingsnummer, bijvoorbeeld `99AA00`."
    )
    gemeenten: list[str] = Field(default_factory=list, description="CBS-codes, `GM0363`.")


class Rolkoppeling(ApiModel):
    id: uuid.UUID
    claim: str
    waarde: str
    rol: str
    vestiging_ids: list[uuid.UUID]
    gemeente_ids: list[uuid.UUID]


class RolkoppelingLijst(ApiModel):
    data: list[Rolkoppeling]


def _koppeling(rij: RolkoppelingRow) -> Rolkoppeling:
    return Rolkoppeling(
        id=rij.id,
        claim=rij.claim,
        waarde=rij.waarde,
        rol=rij.rol,
        vestiging_ids=list(rij.vestiging_ids),
        gemeente_ids=list(rij.gemeente_ids),
    )


@router.get(
    "/rolkoppelingen",
    tags=["Gebruikers"],
    response_model=RolkoppelingLijst,
    summary="Welke claims van de OpenID-provider welke rol geven",
    responses=problem_responses(401, 403),
)
async def list_rolkoppelingen(actor: Beheerder, uow: UowDep) -> RolkoppelingLijst:
    return RolkoppelingLijst(data=[_koppeling(r) for r in await service.koppelingen(uow, actor)])


@router.post(
    "/rolkoppelingen",
    tags=["Gebruikers"],
    status_code=status.HTTP_201_CREATED,
    response_model=Rolkoppeling,
    summary="Koppel een claimwaarde (bijvoorbeeld een groep) aan een rol",
    description="Een persoon met meerdere koppelingen met dezelfde rol krijgt alle vestigingen "
    "en gemeenten daarvan; koppelingen met verschillende rollen worden geweigerd (403). Een "
    "bestaande koppeling nogmaals: 409.",
    responses=problem_responses(400, 401, 403, 409, 413),
)
async def create_rolkoppeling(
    invoer: KoppelingInvoer, actor: Beheerder, uow: UowDep
) -> Rolkoppeling:
    rij = await service.maak_koppeling(
        uow,
        actor,
        claim=invoer.claim,
        waarde=invoer.waarde,
        rol=invoer.rol,
        vestigingen=invoer.vestigingen,
        gemeenten=invoer.gemeenten,
    )
    return _koppeling(rij)


@router.delete(
    "/rolkoppelingen/{koppelingId}",
    tags=["Gebruikers"],
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Verwijder een rolkoppeling",
    responses=problem_responses(401, 403, 404),
)
async def delete_rolkoppeling(
    koppeling_id: Annotated[uuid.UUID, Path(alias="koppelingId")], actor: Beheerder, uow: UowDep
) -> Response:
    await service.verwijder_koppeling(uow, actor, koppeling_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
