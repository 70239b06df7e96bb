"""Password hashing and policy: argon2id, unknown users cost the same, outdated hashes renew."""

from __future__ import annotations

import time

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
        ("a" * 12, []),
        ("kort", [Wachtwoordprobleem.TE_KORT]),
        ("elf tekens!", [Wachtwoordprobleem.TE_KORT]),
        ("x" * 257, [Wachtwoordprobleem.TE_LANG]),
        ("x" * 256, []),
        ("Wachtwoord123", [Wachtwoordprobleem.VEELGEBRUIKT]),
        ("THUISZITTERS", [Wachtwoordprobleem.VEELGEBRUIKT]),
        ("123456789012", [Wachtwoordprobleem.VEELGEBRUIKT]),
    ],
)
def test_policy(wachtwoord: str, problemen: list[Wachtwoordprobleem]) -> None:
    assert controleer_wachtwoordbeleid(wachtwoord) == problemen


def test_policy_counts_characters_not_bytes() -> None:
    assert controleer_wachtwoordbeleid("ëëëëëëëëëëëë") == []


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
