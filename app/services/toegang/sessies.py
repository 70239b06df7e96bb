"""Logging in (password + TOTP), refreshing, logging out, system tokens, and turning an access
token back into the actor behind it on every request.

An unknown user, a wrong password and a wrong code get the same answer in the same time.
Access tokens are short-lived JWTs; the session behind them lives in the database, so
deactivating a user or ending a session takes effect at the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.db.session import UnitOfWork
from app.db.toegang import ClientRow, GebruikerRow, SessieRow
from app.domain.toegang import RECHTEN, Actor, Rol
from app.services.errors import ServiceError, Unauthenticated
from app.services.toegang.tokens import (
    OngeldigToken,
    Sleutelring,
    TokenSoort,
    controleer_token,
    maak_token,
)
from app.services.toegang.totp import genereer_geheim, provisioning_uri, verifieer
from app.services.toegang.versleuteling import Versleuteling
from app.services.toegang.verzoeken import Inlogrem
from app.services.toegang.wachtwoorden import (
    Wachtwoordprobleem,
    controleer_en_vernieuw,
    controleer_wachtwoord,
    controleer_wachtwoordbeleid,
    hash_wachtwoord,
    normaliseer,
    wachtwoordfout,
)

ONJUIST = "Onjuiste inloggegevens."
WEB_CLIENT = "thuiszitters-web"
GEBRUIKER = "gebruiker:"
CLIENT = "client:"


class TeVeelPogingen(ServiceError):
    """Too many failed logins from this account or address (429)."""

    slug = "te-veel-verzoeken"
    status = 429

    def __init__(self, wachten: float) -> None:
        seconden = int(wachten) + 1
        super().__init__(f"Te veel mislukte pogingen; probeer het over {seconden} s opnieuw.")
        self.headers = {"Retry-After": str(seconden)}


class OngeldigeClient(ServiceError):
    """OAuth2 `invalid_client` (401), with the RFC 6749 error code in the problem."""

    slug = "ongeldige-client"
    status = 401


@dataclass(frozen=True, slots=True)
class Tokenbeleid:
    """How our tokens are made: keys, issuer, audience and lifetimes."""

    sleutelring: Sleutelring
    uitgever: str
    publiek: str
    toegang_seconden: int
    sessie_uren: int


@dataclass(frozen=True, slots=True)
class Tokens:
    toegangstoken: str
    vernieuwingstoken: str
    geldig_seconden: int
    sessie_id: uuid.UUID


def _hash(geheim: str) -> bytes:
    return hashlib.sha256(geheim.encode()).digest()


def _toegangstoken(beleid: Tokenbeleid, onderwerp: str, nu: int, extra: dict[str, object]) -> str:
    return maak_token(
        beleid.sleutelring,
        onderwerp=onderwerp,
        typ=TokenSoort.TOEGANG,
        publiek=beleid.publiek,
        uitgever=beleid.uitgever,
        geldig_seconden=beleid.toegang_seconden,
        nu=nu,
        extra_claims=extra,
    )


async def meld_aan(
    uow: UnitOfWork,
    beleid: Tokenbeleid,
    versleuteling: Versleuteling,
    rem: Inlogrem,
    *,
    gebruikersnaam: str,
    wachtwoord: str,
    totp_code: str,
    adres: str,
) -> Tokens:
    """Log a person in with password and TOTP code; throttled per account and address."""
    nu = time.time()
    naam = gebruikersnaam.strip().lower()
    async with uow:
        wachten = await rem.mag_proberen(uow, naam, adres, nu)
        if wachten is not None:
            raise TeVeelPogingen(wachten)
        gebruiker = await uow.toegang.gebruiker_op_naam(naam, lock=True)
        goed, nieuwe_hash = controleer_en_vernieuw(
            wachtwoord, gebruiker.wachtwoord_hash if gebruiker else None
        )
        stap = None
        if goed and gebruiker is not None and gebruiker.actief and is_ingeschreven(gebruiker):
            geheim = versleuteling.ontsleutel(gebruiker.totp_geheim, f"totp:{gebruiker.id}")
            stap = verifieer(geheim, totp_code, int(nu), gebruiker.totp_laatste_stap)
        if gebruiker is None or not gebruiker.actief or stap is None:
            await _mislukt(uow, rem, naam, adres, nu)
            raise Unauthenticated(ONJUIST)
        await rem.registreer(uow, naam, adres, True, nu)
        gebruiker.totp_laatste_stap = stap
        if nieuwe_hash is not None:
            gebruiker.wachtwoord_hash = nieuwe_hash
        geheim_deel = secrets.token_urlsafe(32)
        sessie = SessieRow(
            gebruiker_id=gebruiker.id,
            vernieuwing_hash=_hash(geheim_deel),
            verloopt_op=datetime.fromtimestamp(nu, UTC) + timedelta(hours=beleid.sessie_uren),
        )
        await uow.toegang.add(sessie)
        tokens = Tokens(
            toegangstoken=_toegangstoken(
                beleid,
                f"{GEBRUIKER}{gebruiker.id}",
                int(nu),
                {"sid": str(sessie.id), "client_id": WEB_CLIENT},
            ),
            vernieuwingstoken=f"{sessie.id}.{geheim_deel}",
            geldig_seconden=beleid.toegang_seconden,
            sessie_id=sessie.id,
        )
        await uow.commit()
        return tokens


def is_ingeschreven(gebruiker: GebruikerRow) -> bool:
    """Whether the owner has enrolled a second factor (an empty secret: not yet)."""
    return bool(gebruiker.totp_geheim)


async def _mislukt(uow: UnitOfWork, rem: Inlogrem, sleutel: str, adres: str, nu: float) -> None:
    """Count a failure and keep it: the refusal that follows must not roll it back."""
    await rem.registreer(uow, sleutel, adres, False, nu)
    await uow.commit()


@dataclass(frozen=True, slots=True)
class TweedeFactor:
    geheim: str
    totp_uri: str


async def schrijf_in(
    uow: UnitOfWork,
    versleuteling: Versleuteling,
    rem: Inlogrem,
    *,
    gebruikersnaam: str,
    wachtwoord: str,
    nieuw_wachtwoord: str,
    adres: str,
) -> TweedeFactor:
    """The owner enrols the second factor at first sign-in and replaces the initial password,
    so nobody who created the account knows either factor (separation of duties)."""
    nu = time.time()
    naam = gebruikersnaam.strip().lower()
    weigeringen = controleer_wachtwoordbeleid(nieuw_wachtwoord, gebruikersnaam=naam)
    if not weigeringen and normaliseer(nieuw_wachtwoord) == normaliseer(wachtwoord):
        weigeringen.append(Wachtwoordprobleem.ONGEWIJZIGD)
    if weigeringen:
        raise wachtwoordfout("nieuwWachtwoord", weigeringen)
    async with uow:
        wachten = await rem.mag_proberen(uow, naam, adres, nu)
        if wachten is not None:
            raise TeVeelPogingen(wachten)
        gebruiker = await uow.toegang.gebruiker_op_naam(naam, lock=True)
        goed = controleer_wachtwoord(wachtwoord, gebruiker.wachtwoord_hash if gebruiker else None)
        # An enrolled account answers as a wrong password: this route reveals nothing.
        if not goed or gebruiker is None or not gebruiker.actief or is_ingeschreven(gebruiker):
            await _mislukt(uow, rem, naam, adres, nu)
            raise Unauthenticated(ONJUIST)
        await rem.registreer(uow, naam, adres, True, nu)
        geheim = genereer_geheim()
        gebruiker.totp_geheim = versleuteling.versleutel(geheim, f"totp:{gebruiker.id}")
        gebruiker.totp_laatste_stap = None
        gebruiker.wachtwoord_hash = hash_wachtwoord(nieuw_wachtwoord)
        await uow.commit()
        return TweedeFactor(geheim, provisioning_uri(geheim, naam))


async def vernieuw(uow: UnitOfWork, beleid: Tokenbeleid, vernieuwingstoken: str) -> Tokens:
    """Rotate the refresh token; presenting the one just replaced ends the session (theft)."""
    nu = time.time()
    sessie_deel, _, geheim_deel = vernieuwingstoken.partition(".")
    try:
        sessie_id = uuid.UUID(sessie_deel)
    except ValueError:
        raise Unauthenticated("Ongeldig vernieuwingstoken.") from None
    async with uow:
        sessie = await uow.toegang.sessie(sessie_id, lock=True)
        if sessie is None or sessie.beeindigd_op is not None:
            raise Unauthenticated("Ongeldig vernieuwingstoken.")
        moment = datetime.fromtimestamp(nu, UTC)
        aangeboden = _hash(geheim_deel)
        if not hmac.compare_digest(sessie.vernieuwing_hash, aangeboden):
            # Only the token that was already used (and so replaced) ends the session: someone
            # else has it. Any other wrong secret is just refused, so knowing a session id is
            # not enough to log somebody out.
            if sessie.vorige_hash is not None and hmac.compare_digest(
                sessie.vorige_hash, aangeboden
            ):
                sessie.beeindigd_op = moment
                await uow.commit()
            raise Unauthenticated("Ongeldig vernieuwingstoken.")
        gebruiker = await uow.toegang.gebruiker(sessie.gebruiker_id)
        if sessie.verloopt_op <= moment or gebruiker is None or not gebruiker.actief:
            raise Unauthenticated("Ongeldig vernieuwingstoken.")
        nieuw_geheim = secrets.token_urlsafe(32)
        sessie.vorige_hash = sessie.vernieuwing_hash
        sessie.vernieuwing_hash = _hash(nieuw_geheim)
        sessie.generatie += 1
        tokens = Tokens(
            toegangstoken=_toegangstoken(
                beleid,
                f"{GEBRUIKER}{gebruiker.id}",
                int(nu),
                {"sid": str(sessie.id), "client_id": WEB_CLIENT},
            ),
            vernieuwingstoken=f"{sessie.id}.{nieuw_geheim}",
            geldig_seconden=beleid.toegang_seconden,
            sessie_id=sessie.id,
        )
        await uow.commit()
        return tokens


async def meld_af(uow: UnitOfWork, actor: Actor) -> None:
    """End the caller's session, or a system's token (revocation list by `jti`), at once."""
    if actor.is_systeem and actor.token_id is not None and actor.token_verloopt_op is not None:
        async with uow.voor(actor):
            await uow.toegang.vergeet_verlopen_intrekkingen(datetime.now(UTC))
            await uow.toegang.trek_token_in(
                actor.token_id, datetime.fromtimestamp(actor.token_verloopt_op, UTC)
            )
            await uow.commit()
        return
    if actor.sessie_id is None:
        return
    async with uow.voor(actor):
        sessie = await uow.toegang.sessie(uuid.UUID(actor.sessie_id), lock=True)
        if sessie is not None and sessie.beeindigd_op is None:
            sessie.beeindigd_op = datetime.now(UTC)
        await uow.commit()


@dataclass(frozen=True, slots=True)
class ClientToken:
    toegangstoken: str
    geldig_seconden: int
    scopes: tuple[str, ...]


async def client_token(
    uow: UnitOfWork,
    beleid: Tokenbeleid,
    rem: Inlogrem,
    *,
    client_id: str,
    geheim: str,
    gevraagde_scopes: tuple[str, ...] | None,
    adres: str,
) -> ClientToken:
    """OAuth2 client credentials (RFC 6749 §4.4): a token bound to the client's organisation.
    Throttled like a login: every attempt costs an argon2 verification."""
    moment = time.time()
    nu = int(moment)
    async with uow:
        wachten = await rem.mag_proberen(uow, f"client:{client_id}", adres, moment)
        if wachten is not None:
            raise TeVeelPogingen(wachten)
        client = await uow.toegang.client_op_client_id(client_id)
        goed = controleer_wachtwoord(geheim, client.geheim_hash if client else None)
        if client is None or not goed or not client.actief:
            await _mislukt(uow, rem, f"client:{client_id}", adres, moment)
            raise OngeldigeClient("Onbekende client of onjuist geheim.")
        await rem.registreer(uow, f"client:{client_id}", adres, True, moment)
        toegestaan = set(client.scopes)
        scopes = tuple(sorted(toegestaan if gevraagde_scopes is None else set(gevraagde_scopes)))
        if not set(scopes) <= toegestaan:
            raise InvalidScope("Deze client mag een of meer gevraagde scopes niet gebruiken.")
        token = _toegangstoken(
            beleid,
            f"{CLIENT}{client.id}",
            nu,
            {"client_id": client.client_id, "scope": " ".join(scopes)},
        )
        await uow.commit()
        return ClientToken(token, beleid.toegang_seconden, scopes)


class InvalidScope(ServiceError):
    """OAuth2 `invalid_scope` (400)."""

    slug = "ongeldige-scope"
    status = 400


class JwtAuthenticator:
    """Checks an access token, then the user, session or client behind it in the database."""

    def __init__(self, beleid: Tokenbeleid, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._beleid = beleid
        self._uow_factory = uow_factory

    async def authenticate(self, token: str) -> Actor | None:
        try:
            claims = controleer_token(
                self._beleid.sleutelring,
                token,
                typ=TokenSoort.TOEGANG,
                publiek=self._beleid.publiek,
                uitgever=self._beleid.uitgever,
                nu=int(time.time()),
            )
        except OngeldigToken:
            return None
        onderwerp = str(claims["sub"])
        async with self._uow_factory() as uow:
            if onderwerp.startswith(GEBRUIKER):
                return await _gebruiker_actor(uow, onderwerp, claims)
            if onderwerp.startswith(CLIENT):
                return await _client_actor(uow, onderwerp, claims)
        return None


def _uuid(tekst: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(tekst)
    except ValueError:
        return None


async def _gebruiker_actor(
    uow: UnitOfWork, onderwerp: str, claims: dict[str, object]
) -> Actor | None:
    gebruiker_id = _uuid(onderwerp.removeprefix(GEBRUIKER))
    sessie_id = _uuid(str(claims.get("sid", "")))
    if gebruiker_id is None or sessie_id is None:
        return None
    gebruiker = await uow.toegang.gebruiker(gebruiker_id)
    sessie = await uow.toegang.sessie(sessie_id)
    if (
        gebruiker is None
        or not gebruiker.actief
        or sessie is None
        or sessie.gebruiker_id != gebruiker.id
        or sessie.beeindigd_op is not None
        or sessie.verloopt_op <= datetime.now(UTC)
    ):
        return None
    return actor_van_gebruiker(gebruiker, sessie.id)


def actor_van_gebruiker(gebruiker: GebruikerRow, sessie_id: uuid.UUID | None) -> Actor:
    return Actor(
        id=f"{GEBRUIKER}{gebruiker.id}",
        rol=Rol(gebruiker.rol),
        swv_id=str(gebruiker.swv_id),
        vestiging_ids=frozenset(str(v) for v in gebruiker.vestiging_ids),
        gemeente_ids=frozenset(str(g) for g in gebruiker.gemeente_ids),
        sessie_id=str(sessie_id) if sessie_id else None,
    )


async def _client_actor(uow: UnitOfWork, onderwerp: str, claims: dict[str, object]) -> Actor | None:
    client_row_id = _uuid(onderwerp.removeprefix(CLIENT))
    if client_row_id is None:
        return None
    client: ClientRow | None = await uow.toegang.client(client_row_id)
    if client is None or not client.actief:
        return None
    jti, exp = str(claims["jti"]), claims["exp"]
    if not isinstance(exp, int) or await uow.toegang.is_ingetrokken(jti):
        return None
    scopes = frozenset(str(claims.get("scope", "")).split()) & frozenset(client.scopes)
    rol = Rol(client.rol)
    return Actor(
        id=f"{CLIENT}{client.client_id}",
        rol=rol,
        swv_id=str(client.swv_id),
        vestiging_ids=frozenset(str(v) for v in client.vestiging_ids),
        gemeente_ids=frozenset(str(g) for g in client.gemeente_ids),
        is_systeem=True,
        scopes=scopes & frozenset(str(o) for o in RECHTEN[rol]),
        token_id=jti,
        token_verloopt_op=exp,
    )


async def open_sessie(
    uow: UnitOfWork, beleid: Tokenbeleid, gebruiker: GebruikerRow, nu: float
) -> Tokens:
    """A new session for a person already authenticated (single sign-on), in the caller's
    transaction: the same tokens as a password + TOTP login."""
    geheim_deel = secrets.token_urlsafe(32)
    sessie = SessieRow(
        gebruiker_id=gebruiker.id,
        vernieuwing_hash=_hash(geheim_deel),
        verloopt_op=datetime.fromtimestamp(nu, UTC) + timedelta(hours=beleid.sessie_uren),
    )
    await uow.toegang.add(sessie)
    return Tokens(
        toegangstoken=_toegangstoken(
            beleid,
            f"{GEBRUIKER}{gebruiker.id}",
            int(nu),
            {"sid": str(sessie.id), "client_id": WEB_CLIENT},
        ),
        vernieuwingstoken=f"{sessie.id}.{geheim_deel}",
        geldig_seconden=beleid.toegang_seconden,
        sessie_id=sessie.id,
    )
