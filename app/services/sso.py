"""Sign-in through an SWV's OpenID Connect provider: its ID token (OpenID Connect Core 1.0
§3.1.3.7) is checked against the provider's published keys and exchanged for our own session.

The provider is found by the token's `iss` and our client id in its `aud`; the algorithm is
one the SWV accepts and one of RS256, ES256, EdDSA (never `none`, never HMAC); keys come from
the provider's JWKS, cached, and fetched again when a token names an unknown `kid` (rotation).
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt

from app.db.session import UnitOfWork
from app.db.sso import IdentiteitsproviderRow, RolkoppelingRow
from app.db.toegang import GebruikerRow
from app.domain.sso import ALGORITMEN, SYSTEEMROLLEN, Koppeling, Toewijzing, Weigering, koppel
from app.domain.toegang import RECHTEN, REIKWIJDTE, Actor, Reikwijdte, Rol
from app.services.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from app.services.toegang.beheer import LEZEN_VAN_KINDEREN
from app.services.toegang.beheer import _organisaties as organisaties_van
from app.services.toegang.sessies import Tokenbeleid, Tokens, open_sessie

ONGELDIG = "Het ID-token van de identiteitsprovider is niet geldig."
GEEN_WACHTWOORD = "!sso"  # never a hash: a password login with this account always fails
SPELING_SECONDEN = 30
"""Clock skew allowed between the provider and us (`exp`, `iat`, `nbf`)."""

WEIGERINGEN = {
    Weigering.ONGEKOPPELD: "Voor deze gebruiker is in dit SWV geen rol ingesteld.",
    Weigering.MEERDERE_ROLLEN: "Deze gebruiker valt onder meer dan één rol; dat mag niet.",
    Weigering.MFA_ONTBREEKT: "Deze rol vereist twee factoren bij de identiteitsprovider.",
}


def is_loopback(host: str) -> bool:
    """`localhost` or a loopback address: the only place plain HTTP is accepted."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def veilige_url(url: str) -> bool:
    """HTTPS, or HTTP on loopback (tests, a provider on the same machine)."""
    delen = urlsplit(url)
    if not delen.hostname or delen.username or delen.password or delen.query or delen.fragment:
        return False
    return delen.scheme == "https" or (delen.scheme == "http" and is_loopback(delen.hostname))


class SleutelsOnbereikbaar(Exception):
    """The provider's discovery document or JWKS could not be fetched or read."""


@dataclass(slots=True)
class _Sleutels:
    opgehaald_op: float
    sleutels: dict[str, dict[str, Any]] = field(default_factory=dict)


class Sleutelbron:
    """The providers' public keys: discovery + JWKS over HTTPS, cached, refetched on an unknown
    `kid` (at most once per `herhaal_seconden` per provider, so a stream of forged `kid`s does
    not turn into a stream of requests to the provider)."""

    def __init__(
        self,
        *,
        cache_seconden: float = 3600,
        herhaal_seconden: float = 10,
        klok: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._cache_seconden = cache_seconden
        self._herhaal_seconden = herhaal_seconden
        self._klok = klok
        self._transport = transport
        self._cache: dict[str, _Sleutels] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _haal(self, uitgever: str) -> _Sleutels:
        async with httpx.AsyncClient(
            transport=self._transport, timeout=5.0, follow_redirects=False
        ) as client:
            try:
                ontdekking = (
                    await client.get(uitgever.rstrip("/") + "/.well-known/openid-configuration")
                ).raise_for_status()
                document = ontdekking.json()
                jwks_uri = document.get("jwks_uri") if isinstance(document, dict) else None
                if document.get("issuer") != uitgever or not isinstance(jwks_uri, str):
                    raise SleutelsOnbereikbaar("ontdekkingsdocument klopt niet")
                if not veilige_url(jwks_uri):
                    raise SleutelsOnbereikbaar("jwks_uri is geen https")
                jwks = (await client.get(jwks_uri)).raise_for_status().json()
            except (httpx.HTTPError, json.JSONDecodeError, AttributeError) as fout:
                raise SleutelsOnbereikbaar(str(fout)) from fout
        sleutels: dict[str, dict[str, Any]] = {}
        for sleutel in jwks.get("keys", []) if isinstance(jwks, dict) else []:
            if (
                isinstance(sleutel, dict)
                and isinstance(sleutel.get("kid"), str)
                and sleutel.get("use", "sig") == "sig"
            ):
                sleutels[sleutel["kid"]] = sleutel
        return _Sleutels(self._klok(), sleutels)

    async def sleutel(self, uitgever: str, kid: str) -> dict[str, Any] | None:
        """The JWK with this `kid`, fetching the provider's keys when stale or unknown."""
        nu = self._klok()
        huidig = self._cache.get(uitgever)
        if huidig is not None and nu - huidig.opgehaald_op < self._cache_seconden:
            if kid in huidig.sleutels:
                return huidig.sleutels[kid]
            if nu - huidig.opgehaald_op < self._herhaal_seconden:
                return None
        lock = self._locks.setdefault(uitgever, asyncio.Lock())
        async with lock:
            opnieuw = self._cache.get(uitgever)
            if opnieuw is huidig:
                opnieuw = await self._haal(uitgever)
                self._cache[uitgever] = opnieuw
        return opnieuw.sleutels.get(kid) if opnieuw else None


def _onverifieerd(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        kop = jwt.get_unverified_header(id_token)
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Unauthenticated(ONGELDIG) from None
    return kop, claims


def _publiek(claims: dict[str, Any]) -> list[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    return [a for a in aud if isinstance(a, str)] if isinstance(aud, list) else []


def _kies_provider(
    providers: list[IdentiteitsproviderRow], claims: dict[str, Any]
) -> IdentiteitsproviderRow:
    publiek = _publiek(claims)
    for provider in providers:
        if provider.client_id in publiek:
            return provider
    raise Unauthenticated(ONGELDIG)


def controleer_id_token(
    id_token: str,
    provider: IdentiteitsproviderRow,
    jwk: dict[str, Any],
    *,
    nonce: str | None,
    nu: float,
) -> dict[str, Any]:
    """Signature, algorithm, `iss`, `aud`, `azp`, `exp`, `iat`, `sub` and `nonce` checked."""
    kop = jwt.get_unverified_header(id_token)
    alg = kop.get("alg")
    toegestaan = ALGORITMEN & set(provider.algoritmen)
    if alg not in toegestaan or jwk.get("alg", alg) != alg:
        raise Unauthenticated(ONGELDIG)
    try:
        sleutel = jwt.PyJWK(jwk, algorithm=alg)
        claims: dict[str, Any] = jwt.api_jwt.decode_complete(
            id_token,
            sleutel.key,
            algorithms=[alg],
            audience=provider.client_id,
            issuer=provider.uitgever,
            leeway=SPELING_SECONDEN,
            options={"require": ["exp", "iat", "iss", "aud", "sub"], "verify_iat": False},
        )["payload"]
    except (jwt.PyJWTError, ValueError, TypeError):
        raise Unauthenticated(ONGELDIG) from None
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or iat > nu + SPELING_SECONDEN:
        raise Unauthenticated(ONGELDIG)
    publiek = _publiek(claims)
    if len(publiek) > 1 and claims.get("azp") != provider.client_id:
        raise Unauthenticated(ONGELDIG)
    if nonce is not None and claims.get("nonce") != nonce:
        raise Unauthenticated(ONGELDIG)
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise Unauthenticated(ONGELDIG)
    return claims


def _koppeling(row: RolkoppelingRow) -> Koppeling:
    return Koppeling(
        claim=row.claim,
        waarde=row.waarde,
        rol=Rol(row.rol),
        vestiging_ids=frozenset(str(v) for v in row.vestiging_ids),
        gemeente_ids=frozenset(str(g) for g in row.gemeente_ids),
    )


def accountnaam(provider: IdentiteitsproviderRow, onderwerp: str) -> str:
    """The account of a provider's subject: stable, and no personal data in it."""
    sleutel = f"{provider.uitgever}\n{provider.client_id}\n{onderwerp}".encode()
    return "sso:" + hashlib.sha256(sleutel).hexdigest()[:40]


async def meld_aan_met_id_token(
    uow: UnitOfWork,
    beleid: Tokenbeleid,
    bron: Sleutelbron,
    *,
    id_token: str,
    nonce: str | None,
) -> Tokens:
    """Exchange a provider's ID token for our session; role and organisations from the mapping."""
    nu = time.time()
    kop, onverifieerd = _onverifieerd(id_token)
    uitgever, kid = onverifieerd.get("iss"), kop.get("kid")
    if not isinstance(uitgever, str) or not isinstance(kid, str) or not veilige_url(uitgever):
        raise Unauthenticated(ONGELDIG)
    async with uow:
        provider = _kies_provider(await uow.sso.providers_met_uitgever(uitgever), onverifieerd)
        try:
            jwk = await bron.sleutel(provider.uitgever, kid)
        except SleutelsOnbereikbaar:
            raise Unauthenticated("De identiteitsprovider is nu niet bereikbaar.") from None
        if jwk is None:
            raise Unauthenticated(ONGELDIG)
        claims = controleer_id_token(id_token, provider, jwk, nonce=nonce, nu=nu)
        koppelingen = [_koppeling(r) for r in await uow.sso.koppelingen_van(provider.swv_id)]
        uitkomst = koppel(claims, koppelingen, provider.acr_waarden)
        if isinstance(uitkomst, Weigering):
            raise Forbidden(WEIGERINGEN[uitkomst])
        gebruiker = await _account(uow, provider, str(claims["sub"]), uitkomst)
        tokens = await open_sessie(uow, beleid, gebruiker, nu)
        await uow.commit()
        return tokens


async def _account(
    uow: UnitOfWork, provider: IdentiteitsproviderRow, onderwerp: str, toewijzing: Toewijzing
) -> GebruikerRow:
    """The person's account, created at first sign-in; role and organisations as mapped now."""
    naam = accountnaam(provider, onderwerp)
    gebruiker = await uow.toegang.gebruiker_op_naam(naam, lock=True)
    if gebruiker is None:
        gebruiker = GebruikerRow(
            id=uuid.uuid4(),
            swv_id=provider.swv_id,
            gebruikersnaam=naam,
            wachtwoord_hash=GEEN_WACHTWOORD,
            totp_geheim=b"",
            rol=str(toewijzing.rol),
            vestiging_ids=[],
            gemeente_ids=[],
        )
        if not await uow.sso.add(gebruiker):  # signed in twice at once: the other one won
            raise Conflict("Deze aanmelding loopt al; probeer het opnieuw.")
    elif not gebruiker.actief or gebruiker.swv_id != provider.swv_id:
        raise Unauthenticated("Dit account is gedeactiveerd.")
    gebruiker.rol = str(toewijzing.rol)
    gebruiker.vestiging_ids = sorted(uuid.UUID(v) for v in toewijzing.vestiging_ids)
    gebruiker.gemeente_ids = sorted(uuid.UUID(g) for g in toewijzing.gemeente_ids)
    return gebruiker


# -- the beheerder's side: the provider and the mapping -----------------------------------------


@dataclass(frozen=True, slots=True)
class ProviderInvoer:
    uitgever: str
    client_id: str
    algoritmen: tuple[str, ...]
    acr_waarden: tuple[str, ...]


async def provider(uow: UnitOfWork, actor: Actor) -> IdentiteitsproviderRow | None:
    """The SWV's OpenID provider, if it has one."""
    async with uow.voor(actor):
        return await uow.sso.provider_van(uuid.UUID(actor.swv_id))


async def stel_provider_in(
    uow: UnitOfWork, actor: Actor, invoer: ProviderInvoer
) -> IdentiteitsproviderRow:
    """Set (or replace) the SWV's OpenID provider; only HTTPS issuers, only RS256/ES256/EdDSA."""
    fouten: list[FieldError] = []
    if not veilige_url(invoer.uitgever):
        fouten.append(FieldError("uitgever", "geen-https", "De uitgever moet een https-URL zijn."))
    if not invoer.algoritmen or not set(invoer.algoritmen) <= ALGORITMEN:
        fouten.append(FieldError("algoritmen", "niet-toegestaan", "Alleen RS256, ES256 en EdDSA."))
    if fouten:
        raise InvalidInput(fouten)
    async with uow.voor(actor):
        swv_id = uuid.UUID(actor.swv_id)
        for ander in await uow.sso.providers_met_uitgever(invoer.uitgever):
            if ander.client_id == invoer.client_id and ander.swv_id != swv_id:
                raise Conflict("Deze uitgever en client-id zijn al van een ander SWV.")
        rij = await uow.sso.provider_van(swv_id)
        nieuw = rij is None
        if rij is not None and (rij.uitgever, rij.client_id) != (
            invoer.uitgever,
            invoer.client_id,
        ):
            # The mapping trusts the claims of one provider: another provider (whose claims
            # the beheerder might control) starts with an empty mapping.
            for koppeling in await uow.sso.koppelingen_van(swv_id):
                await uow.sso.delete(koppeling)
        rij = rij or IdentiteitsproviderRow(id=uuid.uuid4(), swv_id=swv_id)
        rij.uitgever = invoer.uitgever
        rij.client_id = invoer.client_id
        rij.algoritmen = sorted(set(invoer.algoritmen))
        rij.acr_waarden = sorted(set(invoer.acr_waarden))
        rij.actief = True
        if nieuw:
            if not await uow.sso.add(rij):
                raise Conflict("Deze uitgever en client-id zijn al in gebruik.")
        else:
            await uow.session.flush()
        await uow.commit()
        return rij


async def verwijder_provider(uow: UnitOfWork, actor: Actor, provider_id: uuid.UUID) -> None:
    """Switch single sign-on off for the SWV (its people log in with password + TOTP); the
    mapping goes with the provider it trusted."""
    async with uow.voor(actor):
        rij = await uow.sso.provider_van(uuid.UUID(actor.swv_id))
        if rij is None or rij.id != provider_id:
            raise NotFound("Dit SWV heeft geen identiteitsprovider.")
        for koppeling in await uow.sso.koppelingen_van(rij.swv_id):
            await uow.sso.delete(koppeling)
        await uow.sso.delete(rij)
        await uow.commit()


async def koppelingen(uow: UnitOfWork, actor: Actor) -> list[RolkoppelingRow]:
    """The SWV's mapping from claims to roles."""
    async with uow.voor(actor):
        return await uow.sso.koppelingen_van(uuid.UUID(actor.swv_id))


async def maak_koppeling(
    uow: UnitOfWork,
    actor: Actor,
    *,
    claim: str,
    waarde: str,
    rol: Rol,
    vestigingen: list[str],
    gemeenten: list[str],
) -> RolkoppelingRow:
    """A beheerder adds a rule, but none for a role that may read children: mapping its own
    group to such a role would let it read them itself (separation of duties, as for accounts).
    Those rules are the operator's (`thuiszitters create-rolkoppeling`)."""
    if RECHTEN[rol] & LEZEN_VAN_KINDEREN and REIKWIJDTE[rol] is not Reikwijdte.GEEN:
        raise Forbidden(
            "Een beheerder koppelt geen rol die leerlinggegevens kan inzien; "
            "dat doet de applicatiebeheerder met `thuiszitters create-rolkoppeling`."
        )
    async with uow.voor(actor):
        return await maak_koppeling_voor(
            uow,
            uuid.UUID(actor.swv_id),
            claim=claim,
            waarde=waarde,
            rol=rol,
            vestigingen=vestigingen,
            gemeenten=gemeenten,
        )


async def maak_koppeling_voor(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    *,
    claim: str,
    waarde: str,
    rol: Rol,
    vestigingen: list[str],
    gemeenten: list[str],
) -> RolkoppelingRow:
    """Add a rule to an SWV's mapping: whoever has `claim` = `waarde` gets `rol` with these
    organisations (the operator's command; the beheerder's route after its check)."""
    if rol in SYSTEEMROLLEN:
        raise InvalidInput([FieldError("rol", "systeemrol", "Systemen melden zich niet zo aan.")])
    async with uow.alle_swvs():
        vestiging_ids, gemeente_ids = await organisaties_van(
            uow, swv_id, rol, vestigingen, gemeenten
        )
        for bestaand in await uow.sso.koppelingen_van(swv_id):
            if (bestaand.claim, bestaand.waarde, bestaand.rol) == (claim, waarde, str(rol)):
                raise Conflict("Deze koppeling bestaat al.")
        rij = RolkoppelingRow(
            id=uuid.uuid4(),
            swv_id=swv_id,
            claim=claim,
            waarde=waarde,
            rol=str(rol),
            vestiging_ids=vestiging_ids,
            gemeente_ids=gemeente_ids,
        )
        if not await uow.sso.add(rij):
            raise Conflict("Deze koppeling bestaat al.")
        await uow.commit()
        return rij


async def verwijder_koppeling(uow: UnitOfWork, actor: Actor, koppeling_id: uuid.UUID) -> None:
    """Remove a rule; who signed in with it keeps access until the session ends (at most the
    session lifetime), and gets the new mapping at the next sign-in."""
    async with uow.voor(actor):
        rij = await uow.sso.koppeling(uuid.UUID(actor.swv_id), koppeling_id)
        if rij is None:
            raise NotFound("Koppeling niet gevonden.")
        await uow.sso.delete(rij)
        await uow.commit()
