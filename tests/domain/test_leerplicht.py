"""docs/domain.md regels 1 and 2: leerplicht and kwalificatieplicht (LPW art. 3, 4a)."""

from __future__ import annotations

import pytest

from app.domain.feiten import KwalificatieplichtBeeindigd, KwalificatieplichtEinde
from app.domain.leerling import Geboorte, Leerling
from app.domain.leerplicht import (
    achttiende_verjaardag,
    is_kwalificatieplichtig,
    is_leerplichtig,
    leerplicht_einde,
    leerplicht_start,
    valt_onder_leerplichtwet,
)
from tests.domain.bouwers import d, feit


def kind(jaar: int, maand: int, dag: int | None = None) -> Leerling:
    return Leerling("L", Geboorte(jaar, maand, dag))


@pytest.mark.parametrize(
    ("geboorte", "datum", "verwacht"),
    [
        (Geboorte(2019, 3), "2024-03-31", False),  # turned 5 in March: not yet
        (Geboorte(2019, 3), "2024-04-01", True),  # first day of the month after
        (Geboorte(2018, 12), "2023-12-31", False),
        (Geboorte(2018, 12), "2024-01-01", True),  # across the year end
        (Geboorte(2008, 7), "2024-07-31", True),  # turns 16 in July 2024: school year 23/24
        (Geboorte(2008, 7), "2024-08-01", False),  # 31 July vs 1 August
        (Geboorte(2008, 8), "2024-08-01", True),  # turns 16 in August: school year 24/25
        (Geboorte(2008, 8), "2025-07-31", True),
        (Geboorte(2008, 8), "2025-08-01", False),
        (Geboorte(2008, 8, 31), "2025-08-01", False),  # exact date gives the same answer
    ],
)
def test_rule_1_leerplicht_from_month_after_5_to_school_year_of_16(
    geboorte: Geboorte, datum: str, verwacht: bool
) -> None:
    assert is_leerplichtig(Leerling("L", geboorte), d(datum)) is verwacht


@pytest.mark.parametrize(
    ("geboorte", "datum", "verwacht"),
    [
        (Geboorte(2008, 7), "2024-08-01", True),  # kwalificatieplicht follows leerplicht
        (Geboorte(2008, 7), "2024-07-31", False),  # still leerplichtig, not kwalificatieplichtig
        (Geboorte(2006, 5), "2024-05-31", True),  # month precision: in scope all birth month
        (Geboorte(2006, 5), "2024-06-01", False),
        (Geboorte(2006, 5, 15), "2024-05-14", True),  # exact date: up to the day before
        (Geboorte(2006, 5, 15), "2024-05-15", False),
        (Geboorte(2008, 2, 29), "2026-02-28", True),  # 29 February turns 18 on 1 March
        (Geboorte(2008, 2, 29), "2026-03-01", False),
        (Geboorte(2004, 2, 29), "2022-02-28", True),
        (Geboorte(2000, 2, 29), "2018-03-01", False),
        (Geboorte(2006, 12), "2024-12-31", True),
        (Geboorte(2006, 12), "2025-01-01", False),
    ],
)
def test_rule_1_kwalificatieplicht_until_18(geboorte: Geboorte, datum: str, verwacht: bool) -> None:
    assert is_kwalificatieplichtig(Leerling("L", geboorte), d(datum)) is verwacht


def test_rule_1_leap_day_birthday_in_a_leap_year_is_exact() -> None:
    assert achttiende_verjaardag(Geboorte(2006, 2, 28)) == d("2024-02-28")
    assert achttiende_verjaardag(Geboorte(2004, 2, 29)) == d("2022-03-01")
    assert achttiende_verjaardag(Geboorte(2000, 2, 29)) == d("2018-03-01")


@pytest.mark.parametrize(
    "grond",
    [
        KwalificatieplichtEinde.STARTKWALIFICATIE,
        KwalificatieplichtEinde.PRAKTIJKONDERWIJS,
        KwalificatieplichtEinde.VSO_ARBEID,
        KwalificatieplichtEinde.VSO_DAGBESTEDING,
    ],
)
def test_rule_1_kwalificatieplicht_ends_with_startkwalificatie_or_seed_004_grounds(
    grond: KwalificatieplichtEinde,
) -> None:
    leerling = kind(2007, 3)
    diploma = feit(KwalificatieplichtBeeindigd, "2024-07-01", grond=grond)
    assert is_kwalificatieplichtig(leerling, d("2024-06-30"), [diploma])
    assert not is_kwalificatieplichtig(leerling, d("2024-07-01"), [diploma])
    assert not valt_onder_leerplichtwet(leerling, d("2024-07-01"), [diploma])


def test_rule_1_startkwalificatie_does_not_end_full_leerplicht() -> None:
    leerling = kind(2008, 9)  # leerplichtig to 31 July 2025
    diploma = feit(
        KwalificatieplichtBeeindigd, "2025-06-01", grond=KwalificatieplichtEinde.STARTKWALIFICATIE
    )
    assert valt_onder_leerplichtwet(leerling, d("2025-07-31"), [diploma])
    assert not valt_onder_leerplichtwet(leerling, d("2025-08-01"), [diploma])


def test_rule_2_four_year_olds_and_adults_are_outside_the_law() -> None:
    assert not valt_onder_leerplichtwet(kind(2020, 1), d("2024-06-01"))  # 4 years old
    assert valt_onder_leerplichtwet(kind(2020, 1), d("2025-02-01"))
    assert not valt_onder_leerplichtwet(kind(2005, 1), d("2024-06-01"))  # 19 years old


def test_rule_1_boundaries_helpers() -> None:
    g = Geboorte(2010, 8)
    assert leerplicht_start(g) == d("2015-09-01")
    assert leerplicht_einde(g) == d("2027-08-01")


@pytest.mark.parametrize(("jaar", "maand", "dag"), [(2010, 13, None), (2010, 2, 30), (2010, 0, 1)])
def test_rule_1_impossible_birth_is_rejected(jaar: int, maand: int, dag: int | None) -> None:
    with pytest.raises(ValueError, match=r"bestaat niet|maand"):
        Geboorte(jaar, maand, dag)


def test_rule_1_geboorte_van_datum() -> None:
    assert Geboorte.van_datum(d("2010-05-06")) == Geboorte(2010, 5, 6)
