"""Password hashing (argon2id via pwdlib) and a minimal password policy.

Passwords are normalised to Unicode NFKC before hashing and before checking (NIST SP 800-63B
§5.1.1.2), so the same password typed on a different keyboard or platform still matches.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

MINIMALE_LENGTE = 12
# Long enough for any passphrase or password manager; the bound keeps one login from costing
# more than a normal one (argon2 itself accepts any length, the request body limit is coarser).
MAXIMALE_LENGTE = 256

# RFC 9106 §4, second recommended option (t=3, 64 MiB, p=4). Pinned here rather than taken from
# the library defaults so that _DUMMY_HASH below keeps costing exactly what a real hash costs.
_HASHER = PasswordHash(
    (Argon2Hasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16),)
)

# Verified against when the account does not exist, so an unknown user costs the same time as a
# wrong password. Its password is a random string that was thrown away; the result is ignored
# anyway. tests/toegang/test_wachtwoorden.py checks that its parameters match _HASHER.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$yTX5E0m2Rgrz6jAYYP0YfA"
    "$95Dxh/mhkufJQ9rf1+nSDTHflYEz7zyGBYWehsI4XKY"
)

# Deliberately small: only what passes the length rule yet is guessed first. A real breach
# corpus (e.g. a k-anonymity lookup) is a later, separate decision.
_VEELGEBRUIKT = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "000000000000",
        "111111111111",
        "qwertyuiopas",
        "qwerty123456",
        "qwertyuiop12",
        "qwertyuiop123",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "abcdefghijkl",
        "abc123456789",
        "password1234",
        "password123!",
        "passwordpassword",
        "iloveyou1234",
        "wachtwoord12",
        "wachtwoord123",
        "wachtwoord1234",
        "wachtwoord123!",
        "wachtwoordwachtwoord",
        "welkom123456",
        "welkomwelkom",
        "welkom01welkom01",
        "geheim123456",
        "geheimgeheim",
        "thuiszitters",
        "thuiszitters1",
        "thuiszitters123",
        "thuiszitters2024",
        "thuiszitters2025",
        "thuiszitters2026",
        "passendonderwijs",
        "samenwerkingsverband",
        "leerplicht123",
        "leerplichtambtenaar",
        "zomer2024zomer",
        "voorjaar2025!",
    }
)


class Wachtwoordprobleem(StrEnum):
    """Why a new password is refused; a code the API can translate, never the password."""

    TE_KORT = "te_kort"
    TE_LANG = "te_lang"
    VEELGEBRUIKT = "veelgebruikt"
    BEVAT_GEBRUIKERSNAAM = "bevat_gebruikersnaam"


def _normaliseer(wachtwoord: str) -> str:
    return unicodedata.normalize("NFKC", wachtwoord)


def hash_wachtwoord(wachtwoord: str) -> str:
    """Return the argon2id hash (PHC string, salt included) of a password."""
    return _HASHER.hash(_normaliseer(wachtwoord))


def controleer_wachtwoord(wachtwoord: str, opgeslagen_hash: str | None) -> bool:
    """Tell whether the password matches; an unknown user (None) costs the same and fails."""
    return controleer_en_vernieuw(wachtwoord, opgeslagen_hash)[0]


def controleer_en_vernieuw(wachtwoord: str, opgeslagen_hash: str | None) -> tuple[bool, str | None]:
    """Check a password and return a new hash to store when the old parameters are outdated."""
    normaal = _normaliseer(wachtwoord)
    if opgeslagen_hash is None:
        _HASHER.verify(normaal, _DUMMY_HASH)
        return False, None
    try:
        return _HASHER.verify_and_update(normaal, opgeslagen_hash)
    except UnknownHashError:
        # A stored value that is no hash at all must fail closed, and must not answer faster
        # than a wrong password (that would mark the account as special).
        _HASHER.verify(normaal, _DUMMY_HASH)
        return False, None


def controleer_wachtwoordbeleid(
    wachtwoord: str, *, gebruikersnaam: str | None = None
) -> list[Wachtwoordprobleem]:
    """List what is wrong with a new password (NIST SP 800-63B §5.1.1.2); empty when allowed."""
    normaal = _normaliseer(wachtwoord)
    problemen: list[Wachtwoordprobleem] = []
    if len(normaal) < MINIMALE_LENGTE:
        problemen.append(Wachtwoordprobleem.TE_KORT)
    if len(normaal) > MAXIMALE_LENGTE:
        problemen.append(Wachtwoordprobleem.TE_LANG)
    if normaal.casefold() in _VEELGEBRUIKT:
        problemen.append(Wachtwoordprobleem.VEELGEBRUIKT)
    if gebruikersnaam:
        # The local part of an e-mail address is what people reuse as a password.
        naam = _normaliseer(gebruikersnaam).casefold().split("@", 1)[0]
        if len(naam) >= 3 and naam in normaal.casefold():
            problemen.append(Wachtwoordprobleem.BEVAT_GEBRUIKERSNAAM)
    return problemen
