"""Typed periods over facts: a start paired with its end; corrections: docs/domain.md regel 15."""

from __future__ import annotations

from app.domain.feiten import (
    Correctie,
    FeitSoort,
    Inschrijving,
    Intrekking,
    JeugdartsOordeel,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
)
from app.domain.perioden import PeriodeSoort, PeriodeStatus, perioden_van
from tests.domain.bouwers import d, feit, moment

VERZUIM = PeriodeSoort(FeitSoort.VERZUIM_GESTART, FeitSoort.VERZUIM_BEEINDIGD)
INSCHRIJVING = PeriodeSoort(FeitSoort.INSCHRIJVING, FeitSoort.UITSCHRIJVING, sleutel="vestiging")


def test_a_start_pairs_with_the_first_end_after_it() -> None:
    start = feit(VerzuimGestart, "2026-01-05", id="s")
    einde = feit(VerzuimBeeindigd, "2026-02-02", id="e")
    later = feit(VerzuimBeeindigd, "2026-03-02", id="e2")
    [periode] = perioden_van(VERZUIM, [start, einde, later])
    assert (periode.id, periode.einde_id) == ("s", "e")
    assert periode.startdatum == d("2026-01-05")
    assert periode.tot_en_met == d("2026-02-01"), "the end fact's date is the first day back"
    assert periode.status is PeriodeStatus.BEEINDIGD
    assert periode.feit_ids == {"s", "e"}


def test_an_open_period_has_no_end_and_a_stable_etag() -> None:
    [periode] = perioden_van(VERZUIM, [feit(VerzuimGestart, "2026-01-05", id="s")])
    assert periode.einde is None
    assert periode.tot_en_met is None
    assert periode.status is PeriodeStatus.LOPEND
    assert (
        periode.etag == perioden_van(VERZUIM, [feit(VerzuimGestart, "2026-01-06", id="s")])[0].etag
    )


def test_an_end_must_share_the_key_field_of_its_start() -> None:
    start = feit(Inschrijving, "2026-01-05", id="s", vestiging="A")
    elders = feit(Uitschrijving, "2026-02-01", id="x", vestiging="B")
    einde = feit(Uitschrijving, "2026-03-01", id="e", vestiging="A")
    [periode] = perioden_van(INSCHRIJVING, [start, elders, einde])
    assert periode.einde_id == "e"


def test_a_kind_without_an_end_fact_never_ends() -> None:
    soort = PeriodeSoort(FeitSoort.JEUGDARTS_OORDEEL)
    oordeel = feit(JeugdartsOordeel, "2026-01-05", id="o", belastbaarheid="volledig")
    [periode] = perioden_van(soort, [oordeel])
    assert periode.einde is None


def test_regel_15_a_corrected_start_keeps_the_original_id() -> None:
    start = feit(VerzuimGestart, "2026-01-05", id="s")
    vervanging = feit(VerzuimGestart, "2026-01-07", id="v")
    correctie = feit(
        Correctie, "2026-01-10", id="c", betreft="s", reden="datum", vervanging=vervanging
    )
    [periode] = perioden_van(VERZUIM, [start, correctie])
    assert periode.id == "s"
    assert periode.startdatum == d("2026-01-07")
    assert periode.feit_ids == {"s", "c"}


def test_regel_15_a_corrected_end_keeps_the_original_id() -> None:
    start = feit(VerzuimGestart, "2026-01-05", id="s")
    einde = feit(VerzuimBeeindigd, "2026-02-02", id="e")
    nieuw = feit(VerzuimBeeindigd, "2026-02-09", id="n")
    correctie = feit(Correctie, "2026-02-10", id="c", betreft="e", reden="datum", vervanging=nieuw)
    [periode] = perioden_van(VERZUIM, [start, einde, correctie])
    assert periode.einde_id == "e"
    assert periode.feit_ids == {"s", "e", "c"}


def test_regel_15_a_withdrawn_start_is_no_period_and_bekend_op_sees_the_past() -> None:
    start = feit(VerzuimGestart, "2026-01-05", id="s")
    intrekking = feit(Intrekking, "2026-01-20", id="i", betreft="s", reden="verkeerd")
    assert perioden_van(VERZUIM, [start, intrekking]) == []
    [destijds] = perioden_van(VERZUIM, [start, intrekking], bekend_op=moment("2026-01-10"))
    assert destijds.id == "s"


def test_other_kinds_are_not_periods_of_this_kind() -> None:
    assert perioden_van(VERZUIM, [feit(Inschrijving, "2026-01-05", vestiging="A")]) == []
