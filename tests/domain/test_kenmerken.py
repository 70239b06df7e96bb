"""The SWV monitor's kenmerken of a child (regel 18): facts with a valid date, as known on."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.feiten import (
    AanbodGestart,
    Correctie,
    GemeldBijLoket,
    Jeugdhulp,
    Klas,
    Niveau,
    OngeldigFeit,
    RedenGeoorloofd,
    RedenGeoorloofdGemeld,
    SoortThuiszitter,
    SoortThuiszitterGemeld,
    Woonplaats,
    feit_naar_dict,
    feit_uit_dict,
    meng_soorten,
)
from app.domain.kenmerken import LEEG, kenmerk_problemen, kenmerken_op
from app.domain.tijdlijn import geldende_feiten
from tests.domain.bouwers import feit, moment

_W = SoortThuiszitter.SCHOOLWEIGERAAR
_M = SoortThuiszitter.MEDISCH


@pytest.mark.parametrize(
    ("soorten", "uitkomst"),
    [
        ([_M], _M),
        ([_W, _W], _W),
        ([_M, _W], _W),
        ([_W, _M], _W),
        ([_M, SoortThuiszitter.SPIJBELAAR], None),
        ([_W, SoortThuiszitter.SCHOOLONTHOUDING], None),
        ([], None),
    ],
)
def test_mixing_rule_medical_and_refusal_is_schoolweigeraar(
    soorten: list[SoortThuiszitter], uitkomst: SoortThuiszitter | None
) -> None:
    """Regel 18: a combination of medical reasons and school refusal counts as schoolweigeraar."""
    assert meng_soorten(soorten) is uitkomst


def _gegevens(thuiszitter: object) -> dict[str, object]:
    return {
        "id": "k1",
        "geldig_vanaf": "2026-10-01",
        "geregistreerd_op": "2026-10-01T10:00:00+00:00",
        "thuiszitter": thuiszitter,
    }


def test_stating_medical_and_refusal_stores_schoolweigeraar() -> None:
    """Regel 18, the mixing rule, applied when the fact is read: stored as schoolweigeraar."""
    stored = feit_uit_dict("soort-thuiszitter", _gegevens(["medisch", "schoolweigeraar"]))
    assert isinstance(stored, SoortThuiszitterGemeld)
    assert feit_naar_dict(stored)["thuiszitter"] == "schoolweigeraar"
    single = feit_uit_dict("soort-thuiszitter", _gegevens("spijbelaar"))
    assert isinstance(single, SoortThuiszitterGemeld)
    assert single.thuiszitter is SoortThuiszitter.SPIJBELAAR


@pytest.mark.parametrize("waarde", [["medisch", "spijbelaar"], ["onbekend"], [], [3]])
def test_kinds_that_cannot_be_mixed_are_refused(waarde: object) -> None:
    """Only medical with refusal mixes (regel 18); anything else is one field problem."""
    with pytest.raises(OngeldigFeit) as fout:
        feit_uit_dict("soort-thuiszitter", _gegevens(waarde))
    assert [p.veld for p in fout.value.problemen] == ["thuiszitter"]


def test_offer_hours_at_school_are_whole_non_negative_numbers() -> None:
    """The thuiswerkplan's times a week at school are a count (regel 18: twee keer per week)."""
    basis = {
        "id": "a",
        "geldig_vanaf": "2026-10-01",
        "geregistreerd_op": "2026-10-01T10:00:00+00:00",
        "aanbod": "thuiswerkplan",
    }
    plan = feit_uit_dict(
        "aanbod-gestart", {**basis, "keer_op_school_per_week": 2, "uren_op_school_per_week": 4}
    )
    assert isinstance(plan, AanbodGestart)
    assert (plan.keer_op_school_per_week, plan.uren_op_school_per_week) == (2, 4.0)
    with pytest.raises(OngeldigFeit) as fout:
        feit_uit_dict("aanbod-gestart", {**basis, "keer_op_school_per_week": 1.5})
    assert [p.veld for p in fout.value.problemen] == ["keer_op_school_per_week"]


def test_kenmerken_hold_from_their_valid_date_until_the_next_of_their_kind() -> None:
    """Regel 18: the monitor's fields: each kenmerk is the last one stated valid on the day."""
    feiten = [
        feit(Klas, "2026-09-01", klas="2"),
        feit(Klas, "2026-11-01", klas="3"),
        feit(Niveau, "2026-09-01", niveau="havo"),
        feit(Woonplaats, "2026-09-01", gemeente="Demostad"),
        feit(SoortThuiszitterGemeld, "2026-10-01", thuiszitter=_W),
        feit(RedenGeoorloofdGemeld, "2026-09-15", reden=RedenGeoorloofd.ZIEKTE),
        feit(Jeugdhulp, "2026-09-20", organisatie="Wijkteam Demostad"),
        feit(GemeldBijLoket, "2026-09-10"),
    ]
    geldend, _ = geldende_feiten(feiten)
    op = kenmerken_op(geldend, date(2026, 10, 15))
    assert (op.klas, op.niveau, op.woonplaats) == ("2", "havo", "Demostad")
    assert op.soort is _W
    assert op.reden_geoorloofd is RedenGeoorloofd.ZIEKTE
    assert op.jeugdhulp == "Wijkteam Demostad"
    assert op.maand_gemeld == "2026-09"
    assert kenmerken_op(geldend, date(2026, 12, 1)).klas == "3"
    assert kenmerken_op(geldend, date(2026, 8, 31)) is LEEG
    assert LEEG.maand_gemeld is None


def test_kenmerken_as_known_on_a_moment() -> None:
    """Regel 15: a kenmerk stated on 1 October is unknown to a report as known before it."""
    feiten = [
        feit(SoortThuiszitterGemeld, "2026-09-01", geregistreerd="2026-10-01", thuiszitter=_W)
    ]
    voor, _ = geldende_feiten(feiten, moment("2026-09-30"))
    na, _ = geldende_feiten(feiten, moment("2026-10-02"))
    assert kenmerken_op(voor, date(2026, 12, 1)).soort is None
    assert kenmerken_op(na, date(2026, 12, 1)).soort is _W


def test_a_later_stated_kenmerk_about_an_earlier_day_does_not_override_a_newer_one() -> None:
    """The kenmerk valid on the day is the one with the latest valid date, not the latest stated."""
    feiten = [
        feit(Klas, "2026-11-01", klas="3"),
        feit(Klas, "2026-09-01", geregistreerd="2026-11-05", klas="2"),
    ]
    geldend, _ = geldende_feiten(feiten)
    assert kenmerken_op(geldend, date(2026, 12, 1)).klas == "3"


def test_kenmerk_texts_are_short_names_and_youth_care_comes_from_the_swv_list() -> None:
    """Regel 18: the organisation involved is one the SWV keeps; texts are names, not notes."""
    lijst = ["Wijkteam Demostad"]
    assert (
        kenmerk_problemen(feit(Jeugdhulp, "2026-10-01", organisatie="Wijkteam Demostad"), lijst)
        == []
    )
    assert [
        p.veld for p in kenmerk_problemen(feit(Jeugdhulp, "2026-10-01", organisatie="X"), lijst)
    ] == ["organisatie"]
    assert kenmerk_problemen(feit(Klas, "2026-10-01", klas="2b"), lijst) == []
    assert [
        p.veld for p in kenmerk_problemen(feit(Klas, "2026-10-01", klas="0612345678"), lijst)
    ] == ["klas"]
    assert [
        p.veld for p in kenmerk_problemen(feit(Woonplaats, "2026-10-01", gemeente=" "), lijst)
    ] == ["gemeente"]
    assert kenmerk_problemen(feit(GemeldBijLoket, "2026-10-01"), lijst) == []
    vervanging = feit(Niveau, "2026-10-01", niveau="a@b.nl")
    correctie = feit(Correctie, "2026-10-02", betreft="x", reden="typfout", vervanging=vervanging)
    assert [p.veld for p in kenmerk_problemen(correctie, lijst)] == ["vervanging.niveau"]
