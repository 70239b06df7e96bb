"""Password hashing and policy: argon2id, unknown users cost the same, outdated hashes renew."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.services.toegang import wachtwoorden
from app.services.toegang.wachtwoorden import (
    Wachtwoordprobleem,
    controleer_en_vernieuw,
    controleer_wachtwoord,
    controleer_wachtwoordbeleid,
    hash_wachtwoord,
    wachtwoordfout,
)

GOED = "correct paard batterij niet"


@pytest.fixture(scope="module")
def opgeslagen() -> str:
    return hash_wachtwoord(GOED)


def test_hash_is_argon2id_with_salt_and_never_contains_the_password(opgeslagen: str) -> None:
    assert opgeslagen.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert GOED not in opgeslagen
    assert hash_wachtwoord(GOED) != opgeslagen  # a fresh salt every time


def test_right_password_matches(opgeslagen: str) -> None:
    assert controleer_wachtwoord(GOED, opgeslagen)
    assert controleer_en_vernieuw(GOED, opgeslagen) == (True, None)


def test_wrong_password_fails(opgeslagen: str) -> None:
    assert not controleer_wachtwoord(GOED + "!", opgeslagen)
    assert not controleer_wachtwoord("", opgeslagen)


def test_unicode_forms_of_the_same_password_match() -> None:
    samengesteld = "cafe\u0301-wachtwoord-lang"  # e + combining acute accent
    enkel = "caf\u00e9-wachtwoord-lang"
    assert controleer_wachtwoord(enkel, hash_wachtwoord(samengesteld))


def test_unknown_user_fails() -> None:
    assert not controleer_wachtwoord(GOED, None)
    assert controleer_en_vernieuw(GOED, None) == (False, None)


def test_stored_garbage_fails_closed() -> None:
    assert not controleer_wachtwoord(GOED, "niet-een-hash")
    assert controleer_en_vernieuw(GOED, "") == (False, None)


def test_dummy_hash_costs_what_a_real_hash_costs() -> None:
    # If the hasher's parameters change, the dummy must change with them, or an unknown
    # user would answer in a different time than a wrong password.
    assert not wachtwoorden._HASHER.current_hasher.check_needs_rehash(wachtwoorden._DUMMY_HASH)


def test_unknown_user_takes_as_long_as_a_wrong_password(opgeslagen: str) -> None:
    def duur(opgeslagen_hash: str | None) -> float:
        metingen = []
        for _ in range(3):
            begin = time.perf_counter()
            controleer_wachtwoord("fout wachtwoord hier", opgeslagen_hash)
            metingen.append(time.perf_counter() - begin)
        return sorted(metingen)[1]

    onbekend, fout = duur(None), duur(opgeslagen)
    # Loose bounds on purpose: the test is there to catch an early return (microseconds
    # against ~0.1 s), not to measure noise on a busy CI machine.
    assert 0.3 < onbekend / fout < 3


def test_outdated_parameters_give_a_new_hash() -> None:
    zwak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),))
    oud = zwak.hash(GOED)
    klopt, nieuw = controleer_en_vernieuw(GOED, oud)
    assert klopt
    assert nieuw is not None
    assert nieuw.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert controleer_wachtwoord(GOED, nieuw)


def test_outdated_hash_with_wrong_password_gives_no_new_hash() -> None:
    zwak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),))
    assert controleer_en_vernieuw("iets anders", zwak.hash(GOED)) == (False, None)


@pytest.mark.parametrize(
    ("wachtwoord", "problemen"),
    [
        ("lang genoeg wachtwoord", []),
        ("a" * 12, [Wachtwoordprobleem.HERHALEND]),
        ("abababababab", [Wachtwoordprobleem.HERHALEND]),
        ("kort", [Wachtwoordprobleem.TE_KORT]),
        ("elf tekens!", [Wachtwoordprobleem.TE_KORT]),
        ("abcde" * 52, [Wachtwoordprobleem.TE_LANG]),
        ("abcde" * 51 + "f", []),
        ("Wachtwoord123", [Wachtwoordprobleem.VEELGEBRUIKT]),
        ("THUISZITTERS", [Wachtwoordprobleem.VEELGEBRUIKT]),
        ("123456789012", [Wachtwoordprobleem.VEELGEBRUIKT]),
        # The blocklist's words with digits or symbols appended are just as easy to guess.
        ("Wachtwoord2026!", [Wachtwoordprobleem.VEELGEBRUIKT]),
        ("Feyenoord1908!!", [Wachtwoordprobleem.VEELGEBRUIKT]),
        ("correcthorsebatterystaple", [Wachtwoordprobleem.VEELGEBRUIKT]),
    ],
)
def test_policy(wachtwoord: str, problemen: list[Wachtwoordprobleem]) -> None:
    assert controleer_wachtwoordbeleid(wachtwoord) == problemen


def test_policy_counts_characters_not_bytes() -> None:
    assert controleer_wachtwoordbeleid("ëéèêïöüäàçñô") == []


def test_policy_refuses_the_user_name() -> None:
    assert controleer_wachtwoordbeleid(
        "Jan.Jansen-2026!", gebruikersnaam="jan.jansen@swv.example"
    ) == [Wachtwoordprobleem.BEVAT_GEBRUIKERSNAAM]
    assert controleer_wachtwoordbeleid("een lange zin zonder naam", gebruikersnaam="jo") == []


def test_policy_never_echoes_the_password() -> None:
    geheim = "Wachtwoord123"
    problemen = controleer_wachtwoordbeleid(geheim)
    assert problemen
    assert all(geheim.casefold() not in str(p).casefold() for p in problemen)


def test_blocklist_is_data_in_the_repository() -> None:
    """NIST SP 800-63B §5.1.1.2: a blocklist of common and breached passwords, no composition
    rules; it ships as a text file beside the code."""
    lijst = Path(wachtwoorden.__file__).parent / "data" / "veelgebruikte-wachtwoorden.txt"
    woorden = [r for r in lijst.read_text().splitlines() if r and not r.startswith("#")]
    assert len(woorden) > 150
    woorden_met_letters = [w for w in woorden if any(c.isalpha() for c in w)]
    assert all(controleer_wachtwoordbeleid(w + "-9876543210") for w in woorden_met_letters)
    # No composition rules: a long passphrase of lower-case words is fine.
    assert controleer_wachtwoordbeleid("paarse olifanten dansen op dinsdag") == []


def test_refusal_explains_every_reason_without_the_password() -> None:
    fout = wachtwoordfout(
        "wachtwoord", [Wachtwoordprobleem.TE_KORT, Wachtwoordprobleem.VEELGEBRUIKT]
    )
    assert [e.code for e in fout.errors] == ["te_kort", "veelgebruikt"]
    assert "12 tekens" in fout.errors[0].reason
    assert "wachtwoordbeleid" in fout.detail
