"""What anonymisation keeps of the birth day (decision 0046): the exact day only where a past
register, summary, overview or own monitor needs it; "born on the 1st" always; else nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.beleid import Beleid
from app.domain.feiten import (
    Besluit11g,
    Besluit11gBeeindigd,
    Feit,
    Inschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.monitor import monitor_rij
from app.domain.privacy import (
    Weergave,
    geboortedag_na_anonimiseren,
    kan_verschillen,
    verleden_vraagt_dag,
    verleden_weergaven,
    zonder_dag,
)
from app.domain.rapportage import (
    STANDAARD_PEILDATA,
    LeerlingVoorRapport,
    Peildata,
    inspectie_rijen,
    register_kop,
    swv_overzicht,
)
from tests.domain.bouwers import d, feit, moment

BELEID = Beleid()
GEBOREN = Geboorte(2006, 3, 17)
ACHTTIEN = date(2024, 3, 17)
VANDAAG = date(2027, 1, 10)
"""The anonymisation run: years after the record closed."""


def kind(feiten: list[Feit], geboorte: Geboorte = GEBOREN) -> LeerlingVoorRapport:
    return LeerlingVoorRapport(
        leerling=Leerling("L1", geboorte), feiten=feiten, pseudoniem="231801"
    )


def thuis_tot(einde: str | None, *, start: str = "2023-10-18") -> list[Feit]:
    """Enrolled, absent from `start`, back at school on `einde` (None: absent on, until 18)."""
    feiten = [feit(Inschrijving, "2022-08-22", vestiging="01AB00"), feit(VerzuimGestart, start)]
    if einde is not None:
        feiten.append(feit(VerzuimBeeindigd, einde))
    return feiten


def verleden(peildata: Peildata = STANDAARD_PEILDATA) -> list[Weergave]:
    return verleden_weergaven(peildata, tot_en_met=VANDAAG, indieningen=())


def test_only_born_on_the_first_survives_coarsening() -> None:
    """Decision 0033: of the day only "born on the 1st" is kept when the past needs no more."""
    assert zonder_dag(Geboorte(2006, 3, 1)) == Geboorte(2006, 3, 1)
    assert zonder_dag(Geboorte(2006, 3, 17)) == Geboorte(2006, 3)
    assert zonder_dag(Geboorte(2006, 3)) == Geboorte(2006, 3)


def test_the_day_can_matter_only_from_the_18th_birthday_or_in_the_birth_month() -> None:
    """LPW art. 4a and the age: before the 18th birthday the fold is the same, and the age only
    differs in the birth month from the birthday on; never with month precision or the 1st."""
    assert kan_verschillen(GEBOREN, ACHTTIEN)
    assert kan_verschillen(GEBOREN, date(2030, 1, 1))
    assert kan_verschillen(GEBOREN, date(2019, 3, 17)), "the age in the birth month"
    assert not kan_verschillen(GEBOREN, date(2019, 3, 16))
    assert not kan_verschillen(GEBOREN, date(2024, 3, 1)), "a first: as before"
    assert not kan_verschillen(GEBOREN, date(2023, 12, 1))
    assert not kan_verschillen(Geboorte(2006, 3, 1), ACHTTIEN)
    assert not kan_verschillen(Geboorte(2006, 3), ACHTTIEN)


def test_the_past_views_are_every_peildatum_up_to_the_run_and_every_submission() -> None:
    """The register per peildatum (Aanpak thuiszitters), and each submission as known then with
    the previous peildatum its summary compares with."""
    ingediend = moment("2024-06-10")
    weergaven = verleden_weergaven(
        STANDAARD_PEILDATA, tot_en_met=date(2024, 6, 1), indieningen=[(d("2024-06-01"), ingediend)]
    )
    nu = [w.peildatum for w in weergaven if w.bekend_op is None]
    assert nu[0] == date(1990, 12, 1)
    assert nu[-1] == date(2024, 6, 1)
    assert len(nu) == len(set(nu))
    assert weergaven[-2:] == [
        Weergave(d("2024-06-01"), ingediend),
        Weergave(d("2024-03-01"), ingediend),
    ]


def test_a_child_absent_until_its_18th_birthday_keeps_its_day() -> None:
    """Decision 0046: the register of 1 June shows the episode ending on the 18th birthday
    (17 March); without the day it would end on 1 April, so the day stays."""
    k = kind(thuis_tot(None))
    (rij,) = inspectie_rijen([k], BELEID, register_kop(d("2024-06-01")))
    assert rij.einddatum == ACHTTIEN
    assert (
        geboortedag_na_anonimiseren(k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden())
        == 17
    )


def test_a_child_back_at_school_before_18_loses_its_day() -> None:
    """Decision 0046: no peildatum's register, summary, overview or monitor reads differently
    without the day, so only year and month stay."""
    k = kind(thuis_tot("2024-01-15"))
    assert (
        geboortedag_na_anonimiseren(k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden())
        is None
    )


def test_a_child_born_on_the_first_keeps_the_first_and_month_precision_stays() -> None:
    """Decision 0033: "born on the 1st" keeps every boundary exact; no day stays no day."""
    for geboorte, dag in ((Geboorte(2006, 3, 1), 1), (Geboorte(2006, 3), None)):
        k = kind(thuis_tot(None), geboorte)
        assert (
            geboortedag_na_anonimiseren(
                k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden()
            )
            == dag
        )


def test_a_register_row_that_would_appear_only_without_the_day_keeps_it() -> None:
    """Decision 0046: absent from 20 days before its 18th birthday, the child never reached B2a
    (28 days, regel 5) and is in no register; without the day it would be B2a in late March and
    listed on 1 June, so the day stays."""
    k = kind(thuis_tot(None, start="2024-02-26"))
    assert list(inspectie_rijen([k], BELEID, register_kop(d("2024-06-01")))) == []
    assert (
        geboortedag_na_anonimiseren(k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden())
        == 17
    )


def test_an_own_peildatum_in_the_birth_month_keeps_the_day_for_the_age() -> None:
    """Decision 0046 (the age, docs/rapportage.md): an SWV that counts on 20 March lists the
    child aged 17 on 20 March 2023; without the day it would read 16."""
    peildata = Peildata(dagen=((12, 1), (3, 20), (6, 1), (9, 1)))
    k = kind(thuis_tot("2023-04-15", start="2022-11-01"))
    assert (
        geboortedag_na_anonimiseren(k, BELEID, peildata=peildata, weergaven=verleden(peildata))
        == 17
    )
    assert (
        geboortedag_na_anonimiseren(
            k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden(STANDAARD_PEILDATA)
        )
        is None
    ), "on firsts the age never depends on the day"


def test_the_overview_alone_can_keep_the_day() -> None:
    """Decision 0046: absent from 10 days before its 18th birthday (B1, in no register), the
    child is counted as B1 on an own peildatum of 20 March only without the day."""
    peildata = Peildata(dagen=((12, 1), (3, 20), (6, 1), (9, 1)))
    k = kind(thuis_tot(None, start="2024-03-07"))
    kop = register_kop(d("2024-03-20"), peildata=peildata)
    assert list(inspectie_rijen([k], BELEID, kop)) == []
    assert verleden_vraagt_dag(k, BELEID, peildata=peildata, weergaven=[Weergave(d("2024-03-20"))])


def test_a_submission_keeps_the_day_its_knowledge_needed() -> None:
    """Decision 0046: submitted on 10 June 2024, the register of 1 June showed the episode
    ending on the 18th birthday; a return to school before it, recorded later, changes the view
    as known now but not the submission, so the day stays."""
    feiten = [
        *thuis_tot(None),
        feit(VerzuimBeeindigd, "2024-01-15", geregistreerd="2024-09-01"),
    ]
    k = kind(feiten)
    assert (
        geboortedag_na_anonimiseren(k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden())
        is None
    ), "as known now the past needs no day"
    ingediend = moment("2024-06-10")
    weergaven = verleden_weergaven(
        STANDAARD_PEILDATA, tot_en_met=VANDAAG, indieningen=[(d("2024-06-01"), ingediend)]
    )
    assert (
        geboortedag_na_anonimiseren(
            k,
            BELEID,
            peildata=STANDAARD_PEILDATA,
            weergaven=weergaven,
            kalenders={None: None, ingediend: None},
        )
        == 17
    )


def test_a_child_only_in_the_own_monitor_keeps_the_day_for_its_age_there() -> None:
    """Decision 0046 and regel 18: home under an LPW art. 11 onder g decision (category C), the
    child is in no register and the overview reads the same without the day, but the SWV's own
    monitor of 20 March 2023 lists it aged 17; without the day it would read 16, so the day
    stays."""
    peildata = Peildata(dagen=((12, 1), (3, 20), (6, 1), (9, 1)))
    k = kind(
        [
            feit(Inschrijving, "2022-08-22", vestiging="01AB00"),
            feit(Besluit11g, "2022-11-01"),
            feit(Besluit11gBeeindigd, "2023-04-15"),
        ]
    )
    grof = kind(list(k.feiten), zonder_dag(GEBOREN))
    kop = register_kop(d("2023-03-20"), peildata=peildata)
    assert list(inspectie_rijen([k], BELEID, kop)) == []
    assert swv_overzicht([k], BELEID, peildatum=kop.peildatum, drempel=1) == swv_overzicht(
        [grof], BELEID, peildatum=kop.peildatum, drempel=1
    )
    exact, zonder = monitor_rij(k, BELEID, kop), monitor_rij(grof, BELEID, kop)
    assert exact is not None
    assert zonder is not None
    assert (exact.typering, exact.leeftijd, zonder.leeftijd) == ("geoorloofd", 17, 16)
    assert (
        geboortedag_na_anonimiseren(k, BELEID, peildata=peildata, weergaven=verleden(peildata))
        == 17
    )
    assert (
        geboortedag_na_anonimiseren(
            k, BELEID, peildata=STANDAARD_PEILDATA, weergaven=verleden(STANDAARD_PEILDATA)
        )
        is None
    ), "on firsts the monitor's age never depends on the day"


def _leest(k: LeerlingVoorRapport, peildatum: date, peildata: Peildata) -> object:
    kop = register_kop(peildatum, peildata=peildata)
    rijen = list(inspectie_rijen([k], BELEID, kop))
    overzicht = swv_overzicht([k], BELEID, peildatum=peildatum, drempel=1)
    return rijen, overzicht, monitor_rij(k, BELEID, kop)


@pytest.mark.parametrize("dag", [2, 17, 31])
@pytest.mark.parametrize(
    "feiten",
    [
        thuis_tot(None),
        thuis_tot("2024-01-15"),
        thuis_tot(None, start="2024-03-07"),
        [
            feit(Inschrijving, "2022-08-22", vestiging="01AB00"),
            feit(Besluit11g, "2023-09-01"),
        ],
    ],
    ids=["tot-18", "eerder-terug", "kort-voor-18", "alleen-monitor"],
)
def test_on_every_day_the_filter_skips_the_day_cannot_matter(dag: int, feiten: list[Feit]) -> None:
    """Decision 0046, checked by brute force: on every day of the two years around the 18th
    birthday that `kan_verschillen` skips, register row, overview and own monitor row (regel
    18) are the same with and without the day (the fold reads the day only from the 18th
    birthday and for the age)."""
    geboorte = Geboorte(2006, 1 if dag == 31 else 3, dag)
    peildata = Peildata(dagen=((12, 1), (3, 1), (6, 1), (9, 1)))
    exact = kind(feiten, geboorte)
    grof = kind(feiten, zonder_dag(geboorte))
    peildatum = date(2023, 8, 1)
    overgeslagen = 0
    while peildatum < date(2025, 8, 1):
        if not kan_verschillen(geboorte, peildatum):
            overgeslagen += 1
            assert _leest(exact, peildatum, peildata) == _leest(grof, peildatum, peildata), (
                peildatum
            )
        peildatum += timedelta(days=3)
    assert overgeslagen > 50
