"""BSN validation and masking."""

from __future__ import annotations

import pytest

from app.domain.identiteit import is_geldig_bsn, maskeer_bsn

# Fictitious numbers that pass the elfproef (commonly used as test BSNs), not real people.
GELDIG = ["111222333", "123456782", "999999990"]


@pytest.mark.parametrize("bsn", GELDIG)
def test_elfproef_accepts_valid_numbers(bsn: str) -> None:
    assert is_geldig_bsn(bsn)


@pytest.mark.parametrize(
    "bsn", ["111222334", "12345678", "1234567820", "12345678a", "000000000", "١٢٣٤٥٦٧٨٢", ""]
)
def test_elfproef_refuses_invalid_numbers(bsn: str) -> None:
    assert not is_geldig_bsn(bsn)


def test_masking_shows_only_the_last_three_digits() -> None:
    assert maskeer_bsn("111222333") == "******333"
