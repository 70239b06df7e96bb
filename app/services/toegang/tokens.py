"""Signed JSON Web Tokens: one algorithm (EdDSA with Ed25519), keys chosen by `kid`.

A `Sleutelring` holds one active signing key and older public keys that are still accepted,
so keys rotate without logging everyone out. Verification follows RFC 8725 (JWT best current
practices): the algorithm is fixed by us, never by the token; the header only selects a key
by `kid`; the token type is explicit (`typ`, RFC 9068 for access tokens); exp, nbf, iat, iss,
aud, sub and jti are required. Time comes in as `nu` (unix seconds): no clock in here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from jwt.exceptions import InvalidJTIError, InvalidSubjectError

# The only algorithm signed or accepted. Ed25519: small keys, deterministic signatures (no
# nonce to get wrong, unlike ECDSA), and no parameter choices to get wrong (unlike RSA).
ALGORITME = "EdDSA"

# Checked before any parsing: tokens are small, and a huge one should cost nothing.
MAXIMALE_LENGTE = 8192

VERPLICHTE_CLAIMS = ("exp", "nbf", "iat", "iss", "aud", "sub", "jti")

# Strict compact serialisation: three base64url segments, no padding, nothing else. The
# signature may be empty only so that an unsigned token reaches the algorithm check and is
# refused with the reason that says what it is.
_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_KID = re.compile(r"[A-Za-z0-9._~-]{1,128}")


class TokenSoort(StrEnum):
    """The `typ` header of each kind of token we issue, so one kind is never taken for another."""

    TOEGANG = "at+jwt"  # RFC 9068 §2.1
    VERNIEUWING = "refresh+jwt"
    TWEEDE_FACTOR = "mfa+jwt"  # between the password and the TOTP step of a login


class Reden(StrEnum):
    """Why a token was refused: a short code for logs and metrics, never the token."""

    TE_GROOT = "te_groot"
    ONLEESBAAR = "onleesbaar"
    ALGORITME = "algoritme"
    KRITIEKE_HEADER = "kritieke_header"
    GEEN_SLEUTEL_ID = "geen_sleutel_id"
    ONBEKENDE_SLEUTEL = "onbekende_sleutel"
    VERKEERD_TYPE = "verkeerd_type"
    HANDTEKENING = "handtekening"
    CLAIM_ONTBREEKT = "claim_ontbreekt"
    CLAIM_ONGELDIG = "claim_ongeldig"
    VERKEERD_PUBLIEK = "verkeerd_publiek"
    VERKEERDE_UITGEVER = "verkeerde_uitgever"
    VERLOPEN = "verlopen"
    NOG_NIET_GELDIG = "nog_niet_geldig"


class OngeldigToken(Exception):
    """A token that must not be trusted; the message is the reason code only."""

    def __init__(self, reden: Reden) -> None:
        super().__init__(reden.value)
        self.reden = reden


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64url_decodeer(tekst: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", tekst):
        raise ValueError("geen base64url")
    data = base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4))
    # Non-canonical encodings (stray low bits in the last character) are refused, so one
    # key has exactly one spelling.
    if _b64url(data) != tekst:
        raise ValueError("geen canonieke base64url")
    return data


def _ruwe_publieke_sleutel(sleutel: Ed25519PublicKey) -> bytes:
    return sleutel.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def vingerafdruk(sleutel: Ed25519PublicKey) -> str:
    """Return the RFC 7638 JWK thumbprint (SHA-256) of a public key: a stable kid."""
    leden = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(_ruwe_publieke_sleutel(sleutel))}
    canoniek = json.dumps(leden, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canoniek).digest())


def _controleer_kid(kid: str) -> None:
    if not _KID.fullmatch(kid):
        raise ValueError("kid moet 1 tot 128 tekens uit [A-Za-z0-9._~-] zijn")


def _laad_publieke_sleutel(kid: str, pem: str) -> Ed25519PublicKey:
    """Load a public key from a public or a private PEM; a private one is reduced to public."""
    sleutel: object
    try:
        sleutel = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        sleutel = _laad_prive_sleutel(kid, pem).public_key()
    if not isinstance(sleutel, Ed25519PublicKey):
        raise ValueError(f"sleutel {kid}: geen Ed25519-sleutel")
    return sleutel


def _laad_prive_sleutel(kid: str, pem: str) -> Ed25519PrivateKey:
    try:
        sleutel = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # from None: the underlying error may quote the key material.
        raise ValueError(f"sleutel {kid}: geen leesbare PEM-sleutel") from None
    if not isinstance(sleutel, Ed25519PrivateKey):
        raise ValueError(f"sleutel {kid}: geen Ed25519-sleutel")
    return sleutel


@dataclass(frozen=True, slots=True)
class Sleutelpaar:
    """A new key pair for development or rotation; kid is the public key's thumbprint."""

    kid: str
    prive_pem: str
    publieke_pem: str

    def __repr__(self) -> str:
        return f"Sleutelpaar(kid={self.kid!r})"


def genereer_sleutelpaar() -> Sleutelpaar:
    """Generate an Ed25519 key pair as unencrypted PKCS#8 / SubjectPublicKeyInfo PEM."""
    prive = Ed25519PrivateKey.generate()
    publiek = prive.public_key()
    return Sleutelpaar(
        kid=vingerafdruk(publiek),
        prive_pem=prive.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii"),
        publieke_pem=publiek.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii"),
    )


class Sleutelring:
    """Public keys by kid, accepted for verification, and at most one active signing key."""

    __slots__ = ("_actief", "_publiek")

    def __init__(
        self,
        publieke_sleutels: Mapping[str, Ed25519PublicKey],
        actief: tuple[str, Ed25519PrivateKey] | None = None,
    ) -> None:
        publiek = dict(publieke_sleutels)
        for kid, sleutel in publiek.items():
            _controleer_kid(kid)
            if not isinstance(sleutel, Ed25519PublicKey):
                raise ValueError(f"sleutel {kid}: geen Ed25519-sleutel")
        if actief is not None:
            kid, prive = actief
            _controleer_kid(kid)
            eigen = _ruwe_publieke_sleutel(prive.public_key())
            if kid in publiek and _ruwe_publieke_sleutel(publiek[kid]) != eigen:
                raise ValueError(f"sleutel {kid}: twee verschillende sleutels met dezelfde kid")
            publiek[kid] = prive.public_key()
        if not publiek:
            raise ValueError("een sleutelring heeft minstens één sleutel nodig")
        self._publiek: dict[str, Ed25519PublicKey] = publiek
        self._actief = actief

    def __repr__(self) -> str:
        return f"Sleutelring(actieve_kid={self.actieve_kid!r}, kids={sorted(self._publiek)!r})"

    @classmethod
    def uit_pem(
        cls,
        *,
        actieve_kid: str | None,
        actieve_sleutel_pem: str | None,
        oudere_sleutels_pem: Mapping[str, str] | None = None,
    ) -> Sleutelring:
        """Build a ring from the active private key PEM and older keys (public or private PEM)."""
        if (actieve_kid is None) != (actieve_sleutel_pem is None):
            raise ValueError("actieve kid en actieve sleutel horen bij elkaar")
        oudere = {
            kid: _laad_publieke_sleutel(kid, pem)
            for kid, pem in (oudere_sleutels_pem or {}).items()
        }
        actief = None
        if actieve_kid is not None and actieve_sleutel_pem is not None:
            actief = (actieve_kid, _laad_prive_sleutel(actieve_kid, actieve_sleutel_pem))
        return cls(oudere, actief)

    @classmethod
    def uit_jwks(cls, jwks: Mapping[str, Any]) -> Sleutelring:
        """Build a verification-only ring from a JWK Set (RFC 7517), e.g. an SWV's OIDC provider."""
        sleutels = jwks.get("keys")
        if not isinstance(sleutels, list):
            raise ValueError("JWKS zonder lijst 'keys'")
        publiek: dict[str, Ed25519PublicKey] = {}
        for jwk in sleutels:
            if not isinstance(jwk, Mapping):
                raise ValueError("JWKS met een sleutel die geen object is")
            if "d" in jwk:
                # A published private key means anyone can sign: trust nothing from this set.
                raise ValueError("JWKS bevat een privésleutel")
            # Keys for other algorithms or purposes are left out, not refused: a provider
            # often publishes several (RSA next to Ed25519, encryption next to signing).
            if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
                continue
            if jwk.get("alg", ALGORITME) != ALGORITME or jwk.get("use", "sig") != "sig":
                continue
            bewerkingen = jwk.get("key_ops")
            if bewerkingen is not None and (
                not isinstance(bewerkingen, list) or "verify" not in bewerkingen
            ):
                continue
            kid, x = jwk.get("kid"), jwk.get("x")
            if not isinstance(kid, str) or not _KID.fullmatch(kid):
                # Without a usable kid a token could never select this key.
                continue
            if kid in publiek:
                raise ValueError(f"JWKS met kid {kid} twee keer")
            if not isinstance(x, str):
                raise ValueError(f"JWKS-sleutel {kid} zonder x")
            try:
                ruw = _b64url_decodeer(x)
                publiek[kid] = Ed25519PublicKey.from_public_bytes(ruw)
            except (ValueError, binascii.Error):
                raise ValueError(f"JWKS-sleutel {kid}: ongeldige x") from None
        if not publiek:
            raise ValueError("JWKS bevat geen bruikbare Ed25519-sleutel")
        return cls(publiek)

    @property
    def actieve_kid(self) -> str | None:
        """The kid new tokens are signed with, or None for a verification-only ring."""
        return self._actief[0] if self._actief else None

    @property
    def kids(self) -> frozenset[str]:
        """Every kid whose tokens are accepted."""
        return frozenset(self._publiek)

    @property
    def publieke_sleutels(self) -> Mapping[str, Ed25519PublicKey]:
        """Every accepted public key by kid (read-only)."""
        return MappingProxyType(self._publiek)

    def publieke_sleutel(self, kid: str) -> Ed25519PublicKey | None:
        """Return the public key for a kid, or None when the ring does not hold it."""
        return self._publiek.get(kid)

    def _ondertekensleutel(self) -> tuple[str, Ed25519PrivateKey]:
        if self._actief is None:
            raise ValueError("deze sleutelring kan alleen verifiëren")
        return self._actief


def jwks(sleutelring: Sleutelring) -> dict[str, Any]:
    """Return the ring's public keys as a JWK Set (RFC 7517 §5, RFC 8037), active key first."""
    actief = sleutelring.actieve_kid
    volgorde = sorted(sleutelring.publieke_sleutels.items(), key=lambda i: (i[0] != actief, i[0]))
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": _b64url(_ruwe_publieke_sleutel(sleutel)),
                "kid": kid,
                "use": "sig",
                "alg": ALGORITME,
            }
            for kid, sleutel in volgorde
        ]
    }


def maak_token(
    sleutelring: Sleutelring,
    *,
    onderwerp: str,
    typ: str,
    publiek: str,
    uitgever: str,
    geldig_seconden: int,
    nu: int,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    """Sign a token with the ring's active key: kid and typ in the header, registered claims set."""
    kid, prive = sleutelring._ondertekensleutel()
    if not (onderwerp and typ and publiek and uitgever):
        raise ValueError("onderwerp, typ, publiek en uitgever zijn verplicht")
    if geldig_seconden <= 0:
        raise ValueError("geldig_seconden moet positief zijn")
    extra = dict(extra_claims or {})
    # The registered claims are ours to set: a caller's value must never silently win or lose.
    dubbel = sorted(set(extra) & set(VERPLICHTE_CLAIMS))
    if dubbel:
        raise ValueError(f"extra_claims mag geen {', '.join(dubbel)} bevatten")
    claims = {
        **extra,
        "iss": uitgever,
        "sub": onderwerp,
        "aud": publiek,
        "iat": nu,
        "nbf": nu,
        "exp": nu + geldig_seconden,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode(claims, prive, algorithm=ALGORITME, headers={"kid": kid, "typ": typ})


def _normaliseer_typ(typ: str) -> str:
    # Media types are case-insensitive and RFC 9068 §4 accepts both "at+jwt" and
    # "application/at+jwt" (RFC 7515 §4.1.9 allows leaving out "application/").
    return typ.lower().removeprefix("application/")


def _tijdstip(claims: Mapping[str, Any], naam: str) -> float:
    waarde = claims[naam]
    # bool is an int in Python; true is no NumericDate.
    if isinstance(waarde, bool) or not isinstance(waarde, int | float) or not math.isfinite(waarde):
        raise OngeldigToken(Reden.CLAIM_ONGELDIG)
    return waarde


def controleer_token(
    sleutelring: Sleutelring,
    token: str,
    *,
    typ: str,
    publiek: str,
    uitgever: str,
    nu: int,
    speling_seconden: int = 30,
) -> dict[str, Any]:
    """Verify a token's signature, type, audience, issuer and times at nu; return its claims."""
    if speling_seconden < 0:
        raise ValueError("speling_seconden mag niet negatief zijn")
    if not (typ and publiek and uitgever):
        # An empty expectation would match a token that simply leaves the field out.
        raise ValueError("typ, publiek en uitgever zijn verplicht")
    if not isinstance(token, str) or len(token) > MAXIMALE_LENGTE:
        raise OngeldigToken(Reden.TE_GROOT)
    if not _COMPACT.fullmatch(token):
        raise OngeldigToken(Reden.ONLEESBAAR)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise OngeldigToken(Reden.ONLEESBAAR) from None

    # The header is unauthenticated here: it may only narrow what we accept, never widen it.
    if header.get("alg") != ALGORITME:
        raise OngeldigToken(Reden.ALGORITME)
    if "crit" in header or "b64" in header:
        # We implement no JWS extensions, so a critical one must be refused (RFC 7515 §4.1.11).
        raise OngeldigToken(Reden.KRITIEKE_HEADER)
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise OngeldigToken(Reden.GEEN_SLEUTEL_ID)
    sleutel = sleutelring.publieke_sleutel(kid)
    if sleutel is None:
        raise OngeldigToken(Reden.ONBEKENDE_SLEUTEL)
    token_typ = header.get("typ")
    if not isinstance(token_typ, str) or _normaliseer_typ(token_typ) != _normaliseer_typ(typ):
        raise OngeldigToken(Reden.VERKEERD_TYPE)

    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            sleutel,
            algorithms=[ALGORITME],
            audience=publiek,
            issuer=uitgever,
            options={
                "require": list(VERPLICHTE_CLAIMS),
                # Times are checked below against nu; PyJWT would use the wall clock.
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise OngeldigToken(Reden.HANDTEKENING) from None
    except jwt.InvalidAlgorithmError:
        raise OngeldigToken(Reden.ALGORITME) from None
    except jwt.MissingRequiredClaimError:
        raise OngeldigToken(Reden.CLAIM_ONTBREEKT) from None
    except jwt.InvalidAudienceError:
        raise OngeldigToken(Reden.VERKEERD_PUBLIEK) from None
    except jwt.InvalidIssuerError:
        raise OngeldigToken(Reden.VERKEERDE_UITGEVER) from None
    except (InvalidSubjectError, InvalidJTIError):
        raise OngeldigToken(Reden.CLAIM_ONGELDIG) from None
    except (jwt.PyJWTError, ValueError, TypeError, RecursionError):
        # from None everywhere: PyJWT's messages can quote parts of the token.
        raise OngeldigToken(Reden.ONLEESBAAR) from None

    if not claims["sub"] or not claims["jti"]:
        raise OngeldigToken(Reden.CLAIM_ONGELDIG)
    exp, nbf, iat = (_tijdstip(claims, naam) for naam in ("exp", "nbf", "iat"))
    # RFC 7519 §4.1.4: the current time must be before exp; speling absorbs clock skew.
    if nu >= exp + speling_seconden:
        raise OngeldigToken(Reden.VERLOPEN)
    if nbf > nu + speling_seconden or iat > nu + speling_seconden:
        raise OngeldigToken(Reden.NOG_NIET_GELDIG)
    return claims
