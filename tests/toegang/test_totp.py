"""TOTP: RFC 6238 Appendix B vectors, the ±1 step window, replay refusal and the otpauth URI."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.toegang.totp import (
    Hashfunctie,
    code_op,
    genereer_geheim,
    hotp,
    provisioning_uri,
    stap_op,
    verifieer,
)

# RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to the hash's length.
RFC_SLEUTELS: dict[Hashfunctie, bytes] = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC_VECTOREN = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
RFC_GEHEIM = base64.b32encode(RFC_SLEUTELS["sha1"]).decode()


@pytest.mark.parametrize(("tijd", "sha1", "sha256", "sha512"), RFC_VECTOREN)
def test_rfc6238_appendix_b(tijd: int, sha1: str, sha256: str, sha512: str) -> None:
    stap = stap_op(tijd)
    assert hotp(RFC_SLEUTELS["sha1"], stap, cijfers=8) == sha1
    assert hotp(RFC_SLEUTELS["sha256"], stap, cijfers=8, hashfunctie="sha256") == sha256
    assert hotp(RFC_SLEUTELS["sha512"], stap, cijfers=8, hashfunctie="sha512") == sha512
    assert code_op(RFC_GEHEIM, tijd, cijfers=8) == sha1


@pytest.mark.parametrize(("tijd", "sha1"), [(v[0], v[1]) for v in RFC_VECTOREN])
def test_six_digits_truncate_the_same_value(tijd: int, sha1: str) -> None:
    # Both are HOTP mod 10^d of the same 31-bit value, so 6 digits are the last 6 of 8.
    assert code_op(RFC_GEHEIM, tijd) == sha1[-6:]
    assert verifieer(RFC_GEHEIM, sha1[-6:], tijd, None) == stap_op(tijd)


def test_rfc4226_appendix_d() -> None:
    verwacht = ["755224", "287082", "359152", "969429", "338314"]
    assert [hotp(b"12345678901234567890", i) for i in range(5)] == verwacht


def test_secret_is_160_bits_base32_and_fresh() -> None:
    geheim = genereer_geheim()
    assert len(geheim) == 32
    assert len(base64.b32decode(geheim)) == 20
    assert genereer_geheim() != geheim


def test_code_matches_current_and_neighbouring_steps_only() -> None:
    nu = 1_700_000_000
    stap = stap_op(nu)
    for verschil in (-1, 0, 1):
        assert verifieer(RFC_GEHEIM, code_op(RFC_GEHEIM, nu + 30 * verschil), nu, None) == (
            stap + verschil
        )
    for verschil in (-3, -2, 2, 3):
        assert verifieer(RFC_GEHEIM, code_op(RFC_GEHEIM, nu + 30 * verschil), nu, None) is None


def test_used_step_is_refused_but_a_later_one_accepted() -> None:
    nu = 1_700_000_000
    code = code_op(RFC_GEHEIM, nu)
    stap = verifieer(RFC_GEHEIM, code, nu, None)
    assert stap is not None
    assert verifieer(RFC_GEHEIM, code, nu, stap) is None
    assert verifieer(RFC_GEHEIM, code, nu + 29, stap) is None
    # A code of the previous step is also spent once a later step was accepted.
    assert verifieer(RFC_GEHEIM, code_op(RFC_GEHEIM, nu - 30), nu, stap) is None
    assert verifieer(RFC_GEHEIM, code_op(RFC_GEHEIM, nu + 30), nu, stap) == stap + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "123-456", "²²²²²²"])
def test_malformed_codes_fail(code: str) -> None:
    assert verifieer(RFC_GEHEIM, code, 1_700_000_000, None) is None


def test_spaces_in_a_code_are_ignored() -> None:
    code = code_op(RFC_GEHEIM, 1_700_000_000)
    assert verifieer(RFC_GEHEIM, f"{code[:3]} {code[3:]}", 1_700_000_000, None) is not None


def test_wrong_secret_fails() -> None:
    assert verifieer(genereer_geheim(), code_op(RFC_GEHEIM, 59), 59, None) is None


def test_early_times_do_not_go_below_step_zero() -> None:
    assert verifieer(RFC_GEHEIM, code_op(RFC_GEHEIM, 0), 0, None) == 0
    with pytest.raises(ValueError, match="1970"):
        stap_op(-1)


def test_invalid_secret_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="ongeldig") as fout:
        verifieer("geen!base32", "123456", 59, None)
    assert "geen!base32" not in str(fout.value)
    with pytest.raises(ValueError, match="128"):
        code_op(base64.b32encode(b"kort").decode(), 59)


def test_provisioning_uri() -> None:
    geheim = genereer_geheim()
    uri = provisioning_uri(geheim, "j.devries@swv.example")
    delen = urlsplit(uri)
    assert (delen.scheme, delen.netloc, delen.path) == (
        "otpauth",
        "totp",
        "/Thuiszitters:j.devries@swv.example",
    )
    assert parse_qs(delen.query) == {
        "secret": [geheim],
        "issuer": ["Thuiszitters"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_provisioning_uri_escapes_the_label() -> None:
    uri = provisioning_uri(genereer_geheim(), "medewerker 12/b?x")
    assert "/Thuiszitters:medewerker%2012%2Fb%3Fx?" in uri
    with pytest.raises(ValueError, match="label"):
        provisioning_uri(genereer_geheim(), "Andere:uitgever")
    with pytest.raises(ValueError, match="label"):
        provisioning_uri(genereer_geheim(), "")


@given(
    sleutel=st.binary(min_size=16, max_size=64),
    nu=st.integers(min_value=0, max_value=2**40),
)
def test_a_fresh_code_verifies_at_its_own_step_and_only_once(sleutel: bytes, nu: int) -> None:
    geheim = base64.b32encode(sleutel).decode().rstrip("=").lower()
    stap = verifieer(geheim, code_op(geheim, nu), nu, None)
    # Another step in the window may share the code by chance (1 in 10^6); the highest
    # matching step is returned, never an earlier one.
    assert stap is not None
    assert stap >= stap_op(nu)
    opnieuw = verifieer(geheim, code_op(geheim, nu), nu, stap)
    assert opnieuw is None or opnieuw > stap
