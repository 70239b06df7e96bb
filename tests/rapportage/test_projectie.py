"""The register as a projection (decision 12): one fold of a child gives its row on every
peildatum, equal to the register computed on each peildatum from the facts."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.beleid import Beleid
from app.domain.feiten import Feit, VerzuimBeeindigd, VerzuimGestart, Ziekmelding
from app.domain.leerling import Geboorte
from app.domain.rapportage import (
    STANDAARD_PEILDATA,
    InspectieRij,
    LeerlingVoorRapport,
    Peildata,
    inspectie_rijen,
    inspectie_rijen_per_peildatum,
    register_kop,
)
from app.domain.tijdlijn import bepaal_tijdlijn
from tests.domain.bouwers import d, feit
from tests.domain.strategieen import basisfeit
from tests.rapportage.bouwers import ingeschreven, kind

EIGEN_PEILDATA = Peildata(dagen=((10, 1), (1, 15), (7, 1)), leverdag=20)
"""An SWV's own peildata: the last one (1 July) does not close the school year in August."""
BELEID = Beleid()


def per_peildatum(
    k: LeerlingVoorRapport,
    tot: date,
    peildata: Peildata = STANDAARD_PEILDATA,
    beleid: Beleid = BELEID,
) -> dict[date, InspectieRij]:
    tijdlijn = bepaal_tijdlijn(k.leerling, k.feiten, beleid, tot=tot)
    rijen = inspectie_rijen_per_peildatum(k, beleid, tijdlijn, peildata=peildata)
    assert [p for p, _ in rijen] == sorted(p for p, _ in rijen), "oldest first"
    return dict(rijen)


def gevouwen(
    k: LeerlingVoorRapport, peildatum: date, peildata: Peildata, beleid: Beleid = BELEID
) -> InspectieRij | None:
    kop = register_kop(peildatum, peildata=peildata)
    rijen = list(inspectie_rijen([k], beleid, kop))
    return rijen[0] if rijen else None


def alle_peildata(peildata: Peildata, van: int, tot: int) -> list[date]:
    return sorted({p for jaar in range(van, tot + 1) for p in peildata.van_schooljaar(jaar)})


def test_a_child_never_listed_has_no_rows() -> None:
    k = kind("100001", [ingeschreven(), feit(Ziekmelding, "2024-09-02", door_ouders=True)])
    assert per_peildatum(k, d("2026-12-31")) == {}


def test_rows_on_every_peildatum_that_lists_the_child_and_no_other() -> None:
    k = kind(
        "100001",
        [
            ingeschreven(),
            feit(VerzuimGestart, "2024-09-02"),
            feit(VerzuimBeeindigd, "2024-11-04", reden="schoolgang-hersteld"),
        ],
    )
    rijen = per_peildatum(k, d("2026-12-31"))
    # B2a from 1 October: listed through the school year, closing peildatum included.
    assert list(rijen) == [d("2024-12-01"), d("2025-03-01"), d("2025-06-01"), d("2025-09-01")]
    for peildatum in alle_peildata(STANDAARD_PEILDATA, 2024, 2027):
        assert rijen.get(peildatum) == gevouwen(k, peildatum, STANDAARD_PEILDATA), peildatum


def test_an_august_episode_is_in_the_closing_register_of_the_year_before() -> None:
    k = kind("100001", [ingeschreven(), feit(VerzuimGestart, "2025-07-01")])
    rijen = per_peildatum(k, d("2025-12-31"))
    assert d("2025-09-01") in rijen, "B2a from 29 July, so in the register of 1 September"
    assert rijen[d("2025-09-01")].einddatum is None
    assert list(rijen) == [d("2025-09-01"), d("2025-12-01")], "and the new school year's"


def test_rows_stop_at_the_horizon_of_the_timeline() -> None:
    k = kind("100001", [ingeschreven(), feit(VerzuimGestart, "2024-09-02")])
    rijen = per_peildatum(k, d("2025-03-01"))
    assert list(rijen) == [d("2024-12-01"), d("2025-03-01")]
    assert rijen[d("2025-03-01")] == gevouwen(k, d("2025-03-01"), STANDAARD_PEILDATA)


def test_a_running_episode_is_open_on_each_peildatum_and_ends_at_18() -> None:
    k = kind(
        "100001",
        [ingeschreven(), feit(VerzuimGestart, "2023-09-04")],
        geboorte=Geboorte(2007, 2, 10),
    )
    rijen = per_peildatum(k, date(2026, 12, 31))
    assert all(r.einddatum is None for p, r in rijen.items() if p < d("2025-02-10"))
    assert rijen[d("2025-03-01")].einddatum == d("2025-02-10")
    assert max(rijen) == d("2025-09-01"), "the last register of the year it turned 18"
    for peildatum in alle_peildata(STANDAARD_PEILDATA, 2023, 2027):
        assert rijen.get(peildatum) == gevouwen(k, peildatum, STANDAARD_PEILDATA), peildatum


def test_not_in_the_registers_of_a_school_year_between_two_episodes() -> None:
    k = kind(
        "100001",
        [
            ingeschreven(),
            feit(VerzuimGestart, "2023-09-04"),
            feit(VerzuimBeeindigd, "2023-11-06", reden="schoolgang-hersteld"),
            feit(VerzuimGestart, "2025-09-01"),
        ],
    )
    rijen = per_peildatum(k, d("2026-03-31"))
    assert not [p for p in rijen if d("2024-09-02") <= p <= d("2025-09-01")]
    assert min(p for p in rijen if p > d("2024-09-01")) == d("2025-12-01")
    for peildatum in alle_peildata(STANDAARD_PEILDATA, 2023, 2025):
        assert rijen.get(peildatum) == gevouwen(k, peildatum, STANDAARD_PEILDATA), peildatum


def test_an_swvs_own_peildata() -> None:
    k = kind(
        "100001",
        [
            ingeschreven(),
            feit(VerzuimGestart, "2024-11-04"),
            feit(VerzuimBeeindigd, "2025-03-03", reden="schoolgang-hersteld"),
        ],
    )
    rijen = per_peildatum(k, d("2026-12-31"), EIGEN_PEILDATA)
    assert list(rijen) == [d("2025-01-15"), d("2025-07-01")]
    for peildatum in alle_peildata(EIGEN_PEILDATA, 2024, 2027):
        assert rijen.get(peildatum) == gevouwen(k, peildatum, EIGEN_PEILDATA), peildatum


FEITEN = st.lists(basisfeit(), max_size=14, unique_by=lambda f: f.id)
GEBOORTEN = st.builds(
    Geboorte,
    st.integers(min_value=2005, max_value=2019),
    st.integers(min_value=1, max_value=12),
    st.one_of(st.none(), st.integers(min_value=1, max_value=28)),
)


@settings(max_examples=200, deadline=None)
@given(
    FEITEN,
    GEBOORTEN,
    st.sampled_from([STANDAARD_PEILDATA, EIGEN_PEILDATA]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    st.sampled_from([Beleid(), Beleid(b2_na_dagen=14, pact_na_maanden=1)]),
)
def test_each_row_equals_the_register_folded_on_its_peildatum(
    feiten: list[Feit], geboorte: Geboorte, peildata: Peildata, tot: date, beleid: Beleid
) -> None:
    k = kind("100001", feiten, geboorte=geboorte)
    rijen = per_peildatum(k, tot, peildata, beleid)
    for peildatum in alle_peildata(peildata, 2023, 2027):
        if peildatum <= tot:
            assert rijen.get(peildatum) == gevouwen(k, peildatum, peildata, beleid), peildatum
        else:
            assert peildatum not in rijen
