"""Facts as JSON-safe dicts for the register (docs/domain.md regel 15: kept as recorded)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given

from app.domain.feiten import (
    FEITKLASSEN,
    Feit,
    FeitSoort,
    OngeldigFeit,
    Veldprobleem,
    feit_naar_dict,
    feit_uit_dict,
    geldig_vanaf_fout,
)
from tests.domain.strategieen import ELK_FEIT

GOED: dict[str, Any] = {
    "id": "f1",
    "geldig_vanaf": "2024-01-08",
    "geregistreerd_op": "2024-01-08T12:00:00+01:00",
}


@given(ELK_FEIT)
def test_rule_15_every_fact_round_trips_through_its_dict(feit: Feit) -> None:
    data = feit_naar_dict(feit)
    assert feit_uit_dict(feit.soort, data) == feit


def test_rule_15_every_kind_has_a_class() -> None:
    assert set(FEITKLASSEN) == set(FeitSoort)


def problemen(soort: str, data: dict[str, Any]) -> list[Veldprobleem]:
    with pytest.raises(OngeldigFeit) as fout:
        feit_uit_dict(soort, data)
    return list(fout.value.problemen)


@pytest.mark.parametrize(
    ("soort", "data", "verwacht"),
    [
        ("bestaat-niet", GOED, [Veldprobleem("soort", "onbekende soort feit")]),
        ("verzuim-gestart", {}, [Veldprobleem(v, "ontbreekt") for v in GOED]),
        (
            "verzuim-gestart",
            {**GOED, "extra": 1},
            [Veldprobleem("extra", "onbekend veld")],
        ),
        (
            "verzuim-gestart",
            {**GOED, "geldig_vanaf": "8-1-2024"},
            [Veldprobleem("geldig_vanaf", "moet een datum zijn (JJJJ-MM-DD)")],
        ),
        (
            "verzuim-gestart",
            {**GOED, "geldig_vanaf": "2024-02-30"},
            [Veldprobleem("geldig_vanaf", "moet een datum zijn (JJJJ-MM-DD)")],
        ),
        (
            "verzuim-gestart",
            {**GOED, "geregistreerd_op": "2024-01-08T12:00:00"},
            [Veldprobleem("geregistreerd_op", "moet een tijdstip met tijdzone zijn (ISO 8601)")],
        ),
        (
            "verzuim-gestart",
            {**GOED, "geregistreerd_op": "gisteren"},
            [Veldprobleem("geregistreerd_op", "moet een tijdstip met tijdzone zijn (ISO 8601)")],
        ),
        ("verzuim-gestart", {**GOED, "id": 5}, [Veldprobleem("id", "moet tekst zijn")]),
        (
            "verzuim-gestart",
            {**GOED, "geregistreerd_op": 5},
            [Veldprobleem("geregistreerd_op", "moet een tijdstip met tijdzone zijn (ISO 8601)")],
        ),
        ("verzuim-gestart", {**GOED, "id": ""}, [Veldprobleem("id", "mag niet leeg zijn")]),
        (
            "verzuim-gestart",
            {**GOED, "id": "x" * 37},
            [Veldprobleem("id", "mag hoogstens 36 tekens zijn")],
        ),
        (
            "ziekmelding",
            {**GOED, "door_ouders": "ja"},
            [Veldprobleem("door_ouders", "moet true of false zijn")],
        ),
        (
            "verzuimuren",
            {**GOED, "uren": -1},
            [Veldprobleem("uren", "moet een niet-negatief getal zijn")],
        ),
        (
            "verzuimuren",
            {**GOED, "uren": True},
            [Veldprobleem("uren", "moet een niet-negatief getal zijn")],
        ),
        (
            "vrijstelling-verleend",
            {**GOED, "grond": "art-99"},
            [
                Veldprobleem(
                    "grond",
                    "moet een van deze waarden zijn: art-5-a, art-5-b, art-5-c, art-5a, art-15",
                )
            ],
        ),
        (
            "correctie",
            {**GOED, "betreft": "f0", "reden": "r", "vervanging": "geen feit"},
            [Veldprobleem("vervanging", "moet een feit met een soort zijn")],
        ),
        (
            "correctie",
            {**GOED, "betreft": "f0", "reden": "r", "vervanging": {"soort": "ziekmelding"}},
            [Veldprobleem(f"vervanging.{v}", "ontbreekt") for v in GOED],
        ),
        (
            "correctie",
            {
                **GOED,
                "betreft": "f0",
                "reden": "r",
                "vervanging": {"soort": "intrekking", **GOED, "betreft": "f0", "reden": "r"},
            },
            [Veldprobleem("vervanging", "een correctie vervangt een feit, geen correctie")],
        ),
    ],
)
def test_rule_15_bad_payloads_list_every_problem_without_values(
    soort: str, data: dict[str, Any], verwacht: list[Veldprobleem]
) -> None:
    gevonden = problemen(soort, data)
    assert gevonden == verwacht
    assert "8-1-2024" not in str(OngeldigFeit(gevonden))


def test_rule_15_optional_fields_may_be_absent_or_null() -> None:
    feit = feit_uit_dict("uitschrijving", {**GOED, "vestiging": "01AB00"})
    assert feit_uit_dict("uitschrijving", {**GOED, "vestiging": "01AB00", "reden": None}) == feit
    assert feit_uit_dict("verzuimuren", {**GOED, "uren": 4}) == feit_uit_dict(
        "verzuimuren", {**GOED, "uren": 4.0}
    )


def test_rule_15_booleans_and_enumerations_are_read() -> None:
    feit = feit_uit_dict(
        "gastleerling", {**GOED, "voorziening": "Rebound", "ritme_hersteld": False}
    )
    assert feit_naar_dict(feit)["ritme_hersteld"] is False


def test_a_fact_date_over_a_year_ahead_or_before_1990_is_implausible() -> None:
    vandaag = date(2026, 12, 7)
    assert geldig_vanaf_fout(date(2027, 12, 8), vandaag) is None
    assert geldig_vanaf_fout(date(2027, 12, 9), vandaag) == (
        "te_ver_vooruit",
        "Ligt meer dan een jaar in de toekomst.",
    )
    assert geldig_vanaf_fout(date(1990, 1, 1), vandaag) is None
    assert geldig_vanaf_fout(date(1989, 12, 31), vandaag) == ("te_oud", "Ligt voor 1990.")
