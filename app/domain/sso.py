"""Single sign-on: which role, vestigingen and gemeenten the claims of an SWV's OpenID provider
map to, and whether the provider's sign-in counts as multi-factor (RFC 8176 `amr`, OIDC `acr`).

The mapping is the SWV's own (a beheerder maintains it): a claim value, e.g. a group, gives a
role and organisations. Systems never sign in this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.toegang import Rol

ALGORITMEN = frozenset({"RS256", "ES256", "EdDSA"})
"""Signature algorithms accepted from a provider: never `none`, never HMAC with a public key."""

SYSTEEMROLLEN = frozenset({Rol.SCHOOLSYSTEEM, Rol.LEERPLICHTSYSTEEM, Rol.INSPECTIE_EXPORT})
"""Roles of systems: they use client credentials, never a person's sign-in."""

MFA_VEREIST = frozenset(r for r in Rol if r not in SYSTEEMROLLEN and r is not Rol.BESTUUR)
"""Roles that see children or manage the SWV need a second factor (as password + TOTP does);
the aggregate role sees counts only."""

MFA_AMR = frozenset({"mfa", "otp", "hwk", "sc", "fpt", "face", "iris", "retina", "vbm"})
"""`amr` values (RFC 8176 §2) that show a second factor beyond a password."""


@dataclass(frozen=True, slots=True)
class Koppeling:
    """One rule of an SWV's mapping: whoever has `claim` with `waarde` gets this role."""

    claim: str
    waarde: str
    rol: Rol
    vestiging_ids: frozenset[str] = frozenset()
    gemeente_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Toewijzing:
    """The role and organisations a signed-in person acts with."""

    rol: Rol
    vestiging_ids: frozenset[str]
    gemeente_ids: frozenset[str]


class Weigering(StrEnum):
    """Why a valid provider token still gives no access."""

    ONGEKOPPELD = "ongekoppeld"
    MEERDERE_ROLLEN = "meerdere-rollen"
    MFA_ONTBREEKT = "mfa-ontbreekt"


def _waarden(claim: object) -> frozenset[str]:
    if isinstance(claim, str):
        return frozenset({claim})
    if isinstance(claim, list | tuple):
        return frozenset(str(w) for w in claim if isinstance(w, str))
    return frozenset()


def mfa_voldaan(claims: Mapping[str, object], acr_waarden: Iterable[str]) -> bool:
    """A second factor: an `amr` value of RFC 8176 beyond a password, or an accepted `acr`."""
    if _waarden(claims.get("amr")) & MFA_AMR:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in set(acr_waarden)


def koppel(
    claims: Mapping[str, object],
    koppelingen: Sequence[Koppeling],
    acr_waarden: Iterable[str] = (),
) -> Toewijzing | Weigering:
    """Role and organisations of the rules the claims match; one role only; MFA where required."""
    passend = [k for k in koppelingen if k.waarde in _waarden(claims.get(k.claim))]
    if not passend:
        return Weigering.ONGEKOPPELD
    rollen = {k.rol for k in passend}
    if len(rollen) > 1:
        return Weigering.MEERDERE_ROLLEN
    rol = rollen.pop()
    if rol in MFA_VEREIST and not mfa_voldaan(claims, acr_waarden):
        return Weigering.MFA_ONTBREEKT
    return Toewijzing(
        rol=rol,
        vestiging_ids=frozenset(v for k in passend for v in k.vestiging_ids),
        gemeente_ids=frozenset(g for k in passend for g in k.gemeente_ids),
    )
