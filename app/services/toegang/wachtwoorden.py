"""Password hashing (argon2id via pwdlib) and a minimal password policy.

Passwords are normalised to Unicode NFKC before hashing and before checking (NIST SP 800-63B
§5.1.1.2), so the same password typed on a different keyboard or platform still matches.
"""

from __future__ import annotations

import string
import unicodedata
from enum import StrEnum
from pathlib import Path

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

from app.services.errors import FieldError, InvalidInput

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

# Commonly used and breached passwords and the words they are built on, shipped as data in the
# repository (NIST SP 800-63B §5.1.1.2: compare against a blocklist). A password is refused when
# it, case-folded and without trailing digits or symbols, is on the list.
_LIJST = Path(__file__).parent / "data" / "veelgebruikte-wachtwoorden.txt"
_VEELGEBRUIKT = frozenset(
    regel.strip().casefold()
    for regel in _LIJST.read_text(encoding="utf-8").splitlines()
    if regel.strip() and not regel.startswith("#")
)
_STAART = string.digits + string.punctuation + " "
# Fewer different characters than this is a repetition ("aaaaaaaaaaaa", "abababababab").
_MINIMAAL_VERSCHILLENDE_TEKENS = 5


class Wachtwoordprobleem(StrEnum):
    """Why a new password is refused; a code the API can translate, never the password."""

    TE_KORT = "te_kort"
    TE_LANG = "te_lang"
    VEELGEBRUIKT = "veelgebruikt"
    BEVAT_GEBRUIKERSNAAM = "bevat_gebruikersnaam"
    HERHALEND = "herhalend"
    ONGEWIJZIGD = "ongewijzigd"


_UITLEG = {
    Wachtwoordprobleem.TE_KORT: f"Het wachtwoord moet minstens {MINIMALE_LENGTE} tekens hebben.",
    Wachtwoordprobleem.TE_LANG: f"Het wachtwoord mag hoogstens {MAXIMALE_LENGTE} tekens hebben.",
    Wachtwoordprobleem.VEELGEBRUIKT: "Dit wachtwoord is veelgebruikt of uitgelekt en dus "
    "makkelijk te raden; kies een langere zin of een wachtwoord uit een wachtwoordmanager.",
    Wachtwoordprobleem.BEVAT_GEBRUIKERSNAAM: "Het wachtwoord mag de gebruikersnaam niet bevatten.",
    Wachtwoordprobleem.HERHALEND: "Het wachtwoord herhaalt te weinig verschillende tekens.",
    Wachtwoordprobleem.ONGEWIJZIGD: "Het nieuwe wachtwoord moet anders zijn dan het oude.",
}


def wachtwoordfout(veld: str, problemen: list[Wachtwoordprobleem]) -> InvalidInput:
    """The 400 problem for a refused password: one error per reason, never the password."""
    return InvalidInput(
        [FieldError(veld, str(p), _UITLEG[p]) for p in problemen],
        "Dit wachtwoord voldoet niet aan het wachtwoordbeleid (NIST SP 800-63B); zie `errors`.",
    )


def normaliseer(wachtwoord: str) -> str:
    """Unicode NFKC, as hashed and checked (NIST SP 800-63B §5.1.1.2)."""
    return unicodedata.normalize("NFKC", wachtwoord)


def hash_wachtwoord(wachtwoord: str) -> str:
    """Return the argon2id hash (PHC string, salt included) of a password."""
    return _HASHER.hash(normaliseer(wachtwoord))


def controleer_wachtwoord(wachtwoord: str, opgeslagen_hash: str | None) -> bool:
    """Tell whether the password matches; an unknown user (None) costs the same and fails."""
    return controleer_en_vernieuw(wachtwoord, opgeslagen_hash)[0]


def controleer_en_vernieuw(wachtwoord: str, opgeslagen_hash: str | None) -> tuple[bool, str | None]:
    """Check a password and return a new hash to store when the old parameters are outdated."""
    normaal = normaliseer(wachtwoord)
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


def _op_de_lijst(gevouwen: str) -> bool:
    """On the blocklist, itself or with any trailing digits and symbols taken off."""
    stam = gevouwen
    while True:
        if stam in _VEELGEBRUIKT:
            return True
        if not stam or stam[-1] not in _STAART:
            return False
        stam = stam[:-1]


def controleer_wachtwoordbeleid(
    wachtwoord: str, *, gebruikersnaam: str | None = None
) -> list[Wachtwoordprobleem]:
    """List what is wrong with a new password (NIST SP 800-63B §5.1.1.2); empty when allowed."""
    normaal = normaliseer(wachtwoord)
    problemen: list[Wachtwoordprobleem] = []
    if len(normaal) < MINIMALE_LENGTE:
        problemen.append(Wachtwoordprobleem.TE_KORT)
    if len(normaal) > MAXIMALE_LENGTE:
        problemen.append(Wachtwoordprobleem.TE_LANG)
    gevouwen = normaal.casefold()
    if _op_de_lijst(gevouwen):
        problemen.append(Wachtwoordprobleem.VEELGEBRUIKT)
    if len(normaal) >= MINIMALE_LENGTE and len(set(gevouwen)) < _MINIMAAL_VERSCHILLENDE_TEKENS:
        problemen.append(Wachtwoordprobleem.HERHALEND)
    if gebruikersnaam:
        # The local part of an e-mail address is what people reuse as a password.
        naam = normaliseer(gebruikersnaam).casefold().split("@", 1)[0]
        if len(naam) >= 3 and naam in normaal.casefold():
            problemen.append(Wachtwoordprobleem.BEVAT_GEBRUIKERSNAAM)
    return problemen
