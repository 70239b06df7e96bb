"""The child's plausibility checks at registration (a keuze of docs/domain.md, De leerling)."""

from __future__ import annotations

import pytest

from app.domain.leerling import geboortejaar_plausibel


@pytest.mark.parametrize(
    ("geboortejaar", "plausibel"),
    [(2024, True), (2025, False), (2002, True), (2001, False)],
)
def test_a_birth_year_gives_an_age_for_school_2_to_24(geboortejaar: int, plausibel: bool) -> None:
    assert geboortejaar_plausibel(geboortejaar, 2026) is plausibel
