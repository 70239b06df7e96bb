"""Administration: SWVs, users (with TOTP enrolment) and API clients; CLI and beheerder API."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.db.toegang import ClientRow, GebruikerRow
from app.domain.toegang import RECHTEN, Actor, Operatie, Reikwijdte, Rol
from app.services.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from app.services.toegang.versleuteling import Versleuteling
from app.services.toegang.wachtwoorden import (
    controleer_wachtwoordbeleid,
    hash_wachtwoord,
    wachtwoordfout,
)

SYSTEEMROLLEN = {Rol.SCHOOLSYSTEEM, Rol.LEERPLICHTSYSTEEM}
LEZEN_VAN_KINDEREN = frozenset(
    {Operatie.LEERLING_LEZEN, Operatie.IDENTITEIT_INZIEN, Operatie.BSN_INZIEN}
)
# Roles that read the whole audit log, export the register or manage accounts: created only by
# whoever runs the server (`thuiszitters create-user`), never by a beheerder over the API.
VOORBEHOUDEN_ROLLEN = frozenset(
    {Rol.FUNCTIONARIS_GEGEVENSBESCHERMING, Rol.INSPECTIE_EXPORT, Rol.BEHEERDER}
)


async def maak_swv(uow: UnitOfWork, *, code: str, naam: str) -> SwvRow:
    """Register an SWV (the tenant)."""
    async with uow.alle_swvs():
        if await uow.organisaties.swv_op_code(code) is not None:
            raise Conflict("Dit samenwerkingsverband bestaat al.")
        swv = SwvRow(code=code, naam=naam, beleid={})
        await uow.organisaties.add(swv)
        await uow.commit()
        return swv


async def _organisaties(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    rol: Rol,
    vestigingen: list[str],
    gemeenten: list[str],
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Resolve BRIN+vestigingsnummer and GM codes to ids, checking they fit the role."""
    fouten: list[FieldError] = []
    vestiging_ids: list[uuid.UUID] = []
    for code in vestigingen:
        school_id = await uow.scholen.id_op_code(swv_id, code)
        if school_id is None:
            fouten.append(FieldError("vestigingen", "onbekend", "Onbekende vestiging in dit SWV."))
        else:
            vestiging_ids.append(school_id)
    gemeente_ids: list[uuid.UUID] = []
    for code in gemeenten:
        gemeente = await uow.organisaties.gemeente_op_code(code)
        if gemeente is None:
            fouten.append(FieldError("gemeenten", "onbekend", "Onbekende gemeente."))
        else:
            gemeente_ids.append(gemeente.id)
    reikwijdte = Actor(id="-", rol=rol, swv_id=str(swv_id)).reikwijdte
    if reikwijdte is Reikwijdte.VESTIGINGEN and not vestigingen:
        fouten.append(FieldError("vestigingen", "ontbreekt", "Deze rol hoort bij een vestiging."))
    if reikwijdte is Reikwijdte.GEMEENTEN and not gemeenten:
        fouten.append(FieldError("gemeenten", "ontbreekt", "Deze rol hoort bij een gemeente."))
    if fouten:
        raise InvalidInput(fouten)
    return vestiging_ids, gemeente_ids


@dataclass(frozen=True, slots=True)
class NieuweGebruiker:
    gebruiker: GebruikerRow


async def maak_gebruiker(
    uow: UnitOfWork,
    versleuteling: Versleuteling,
    *,
    swv_id: uuid.UUID,
    gebruikersnaam: str,
    wachtwoord: str,
    rol: Rol,
    vestigingen: list[str] | None = None,
    gemeenten: list[str] | None = None,
    totp_geheim: str | None = None,
) -> NieuweGebruiker:
    """Create a person; the owner enrols the second factor at first sign-in (nobody else sees
    it). Only the demo passes a (public) secret."""
    if rol in SYSTEEMROLLEN:
        raise InvalidInput([FieldError("rol", "systeemrol", "Systemen worden API-clients.")])
    naam = gebruikersnaam.strip().lower()
    problemen = controleer_wachtwoordbeleid(wachtwoord, gebruikersnaam=naam)
    if problemen:
        raise wachtwoordfout("wachtwoord", problemen)
    async with uow.alle_swvs():
        if await uow.toegang.gebruiker_op_naam(naam) is not None:
            raise Conflict("Deze gebruikersnaam is al in gebruik.")
        vestiging_ids, gemeente_ids = await _organisaties(
            uow, swv_id, rol, vestigingen or [], gemeenten or []
        )
        gebruiker = GebruikerRow(
            id=uuid.uuid4(),
            swv_id=swv_id,
            gebruikersnaam=naam,
            wachtwoord_hash=hash_wachtwoord(wachtwoord),
            rol=str(rol),
            vestiging_ids=vestiging_ids,
            gemeente_ids=gemeente_ids,
            totp_geheim=b"",
        )
        if totp_geheim is not None:
            gebruiker.totp_geheim = versleuteling.versleutel(totp_geheim, f"totp:{gebruiker.id}")
        await uow.toegang.add(gebruiker)
        await uow.commit()
        return NieuweGebruiker(gebruiker)


async def maak_gebruiker_als_beheerder(
    uow: UnitOfWork,
    versleuteling: Versleuteling,
    beheerder: Actor,
    *,
    gebruikersnaam: str,
    wachtwoord: str,
    rol: Rol,
    vestigingen: list[str],
    gemeenten: list[str],
) -> NieuweGebruiker:
    """A beheerder creates users of its own SWV, but no account that may read children, the
    audit log or the export, nor another beheerder (separation of duties); the operator does
    (`thuiszitters create-user`)."""
    if rol in VOORBEHOUDEN_ROLLEN:
        raise Forbidden(
            f"Een beheerder maakt geen account met de rol {rol}: die rol geeft toegang tot het "
            "hele auditlog, de Inspectie-export of het accountbeheer. Zo'n account maakt de "
            "applicatiebeheerder met `thuiszitters create-user` (scheiding van functies)."
        )
    if RECHTEN[rol] & LEZEN_VAN_KINDEREN:
        raise Forbidden(
            "Een beheerder maakt geen accounts die leerlinggegevens kunnen inzien; "
            "dat doet de applicatiebeheerder met `thuiszitters create-user`."
        )
    # The beheerder's own tenant for the whole request (the inner block joins it).
    async with uow.voor(beheerder):
        return await maak_gebruiker(
            uow,
            versleuteling,
            swv_id=uuid.UUID(beheerder.swv_id),
            gebruikersnaam=gebruikersnaam,
            wachtwoord=wachtwoord,
            rol=rol,
            vestigingen=vestigingen,
            gemeenten=gemeenten,
        )


async def zet_gebruiker_actief(
    uow: UnitOfWork, beheerder: Actor, gebruiker_id: uuid.UUID, actief: bool
) -> GebruikerRow:
    """(De)activate a user of the beheerder's SWV; a deactivated user is refused at once."""
    async with uow.voor(beheerder):
        gebruiker = await uow.toegang.gebruiker(gebruiker_id)
        if gebruiker is None or str(gebruiker.swv_id) != beheerder.swv_id:
            raise NotFound("Deze gebruiker bestaat niet.")
        gebruiker.actief = actief
        await uow.commit()
        return gebruiker


async def lijst_gebruikers(uow: UnitOfWork, beheerder: Actor) -> list[GebruikerRow]:
    """The users of the beheerder's SWV."""
    async with uow.voor(beheerder):
        result = await uow.toegang.gebruikers_van(uuid.UUID(beheerder.swv_id))
        await uow.commit()
        return result


@dataclass(frozen=True, slots=True)
class NieuweClient:
    client: ClientRow
    geheim: str


async def maak_client(
    uow: UnitOfWork,
    *,
    swv_id: uuid.UUID,
    naam: str,
    rol: Rol,
    scopes: list[str],
    vestigingen: list[str] | None = None,
    gemeenten: list[str] | None = None,
) -> NieuweClient:
    """Register a system; its secret is shown once and stored as an argon2id hash."""
    if rol not in SYSTEEMROLLEN:
        raise InvalidInput([FieldError("rol", "geen_systeemrol", "Kies een systeemrol.")])
    toegestaan = {str(o) for o in RECHTEN[rol]}
    onbekend = [s for s in scopes if s not in toegestaan]
    if onbekend or not scopes:
        raise InvalidInput([FieldError("scopes", "ongeldig", "Scopes moeten bij de rol horen.")])
    async with uow.alle_swvs():
        vestiging_ids, gemeente_ids = await _organisaties(
            uow, swv_id, rol, vestigingen or [], gemeenten or []
        )
        geheim = secrets.token_urlsafe(32)
        client = ClientRow(
            swv_id=swv_id,
            client_id=f"tz-{secrets.token_hex(8)}",
            geheim_hash=hash_wachtwoord(geheim),
            naam=naam,
            rol=str(rol),
            scopes=sorted(scopes),
            vestiging_ids=vestiging_ids,
            gemeente_ids=gemeente_ids,
        )
        await uow.toegang.add(client)
        await uow.commit()
        return NieuweClient(client, geheim)
