"""The escalation machine (docs/escalaties.md): a test per transition and per
refusal, and the status as of a day derived from the clock and the child's facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.escalaties import (
    Aanleiding,
    Afsluiting,
    Afspraak,
    Beoordeling,
    Besluit,
    Deelnemer,
    DeelnemerRol,
    DoorzettingsmachtBij,
    Escalatie,
    EscalatieBeleid,
    EscalatieSignaal,
    EscalatieStatus,
    Geopend,
    Onderwijsfeit,
    Overleg,
    Stap,
    Uitgevoerd,
    UitvoeringGestart,
    Weigering,
    WeigeringSoort,
    herhaal,
    ingeschreven_op,
    onderwijsfeiten,
    ontbrekende_deelnemers,
    stand,
    volgende,
)
from app.domain.feiten import (
    Feit,
    Hervatting,
    Inschrijving,
    Intrekking,
    OnderwijsHervat,
    Plaatsing,
    Uitschrijving,
)
from app.domain.toegang import Rol

S = EscalatieStatus
D = DeelnemerRol
START = date(2026, 9, 1)
VANDAAG = date(2026, 11, 1)
MOMENT = datetime(2026, 11, 1, tzinfo=UTC)
BEG = Rol.BEGELEIDER
DIR = Rol.DIRECTEUR
VIER = tuple(
    Deelnemer(rol, aanwezig=rol is not D.LEERPLICHTAMBTENAAR)
    for rol in (D.OUDERS, D.SCHOOL_VAN_INSCHRIJVING, D.LEERPLICHTAMBTENAAR, D.SWV)
)


def d(dagen: int) -> date:
    return START + timedelta(days=dagen)


def overleg(dagen: int = 5, *, gehouden: bool = True, **kw: object) -> Overleg:
    return Overleg(
        id=f"o{dagen}",
        datum=d(dagen),
        gehouden=gehouden,
        deelnemers=kw.pop("deelnemers", VIER),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def afspraak(deadline: int = 30, *, id_: str = "a1", dagen: int = 5) -> Afspraak:
    return Afspraak(id=id_, datum=d(dagen), eigenaar=D.SCHOOLBESTUUR, deadline=d(deadline))


def besluit(**kw: object) -> Besluit:
    velden: dict[str, object] = {
        "datum": VANDAAG,
        "school_id": "s1",
        "instelling": False,
        "plaatsen_uiterlijk": VANDAAG + timedelta(days=14),
        "met_kader": True,
        "met_motivering": True,
    }
    return Besluit(**{**velden, **kw})  # type: ignore[arg-type]


def gemeld() -> Escalatie:
    e = volgende(None, Geopend(datum=START, aanleiding=Aanleiding.MELDING_BEGELEIDER), BEG, VANDAAG)
    assert isinstance(e, Escalatie)
    return e


def na(*stappen: Stap, rol: Rol = BEG, vandaag: date = VANDAAG) -> Escalatie:
    e = gemeld()
    for s in stappen:
        uitkomst = volgende(e, s, rol if isinstance(s, Besluit) else BEG, vandaag)
        assert isinstance(uitkomst, Escalatie), uitkomst
        e = uitkomst
    return e


def geweigerd(uitkomst: Escalatie | Weigering, soort: WeigeringSoort) -> Weigering:
    assert isinstance(uitkomst, Weigering), uitkomst
    assert uitkomst.soort is soort
    return uitkomst


# -- transitions -----------------------------------------------------------------------------


def test_reported_to_the_directeur_opens_the_escalation() -> None:
    """The begeleider reports to the directeur."""
    assert gemeld() == Escalatie(S.GEMELD_BIJ_DIRECTEUR, START)


def test_planning_an_overleg_organises_it() -> None:
    e = na(overleg(40, gehouden=False, deelnemers=()))
    assert e.status is S.OVERLEG_GEORGANISEERD


def test_an_overleg_held_with_the_four_parties() -> None:
    """Regel E1: ouders, school van inschrijving, leerplichtambtenaar, SWV."""
    assert na(overleg()).status is S.OVERLEG_GEHOUDEN
    assert na(overleg(gehouden=False), overleg(6)).status is S.OVERLEG_GEHOUDEN


def test_a_second_overleg_keeps_the_state() -> None:
    e = na(overleg(), afspraak(), overleg(7), overleg(8, gehouden=False))
    assert e.status is S.AFSPRAKEN_GEMAAKT
    assert len(e.overleggen) == 3


def test_an_agreement_after_the_overleg() -> None:
    e = na(overleg(), afspraak())
    assert e.status is S.AFSPRAKEN_GEMAAKT
    assert na(overleg(), afspraak(), afspraak(id_="a2")).afspraken[1].id == "a2"


def test_execution_starts_with_an_agreement() -> None:
    e = na(overleg(), afspraak(100), UitvoeringGestart(datum=d(6)))
    assert e.status is S.IN_UITVOERING
    assert na(overleg(), afspraak(100), UitvoeringGestart(datum=d(6)), afspraak(id_="a2")).status \
        is S.IN_UITVOERING  # fmt: skip


def test_an_agreement_marked_kept_or_not() -> None:
    e = na(overleg(), afspraak(100), Beoordeling(afspraak_id="a1", datum=d(9), nagekomen=True,
                                                   met_reden=False))  # fmt: skip
    assert e.beoordeling("a1") is not None
    assert e.beoordeling("a2") is None
    niet = Beoordeling(afspraak_id="a1", datum=d(9), nagekomen=False, met_reden=True)
    assert na(overleg(), afspraak(100), niet).status is S.AFSPRAKEN_GEMAAKT


def test_the_directeur_decides_once_a_deadline_passed() -> None:
    """Regel E5: doorzettingsmacht lies with the directeur."""
    e = na(overleg(), afspraak(30), besluit(), rol=DIR)
    assert e.status is S.BESLUIT_GENOMEN
    assert e.besluit == besluit()


def test_a_decision_before_any_deadline_passed_with_a_reason() -> None:
    e = na(besluit(met_reden_voor_termijn=True), rol=DIR)
    assert e.status is S.BESLUIT_GENOMEN


def test_a_decision_for_an_institution_is_recorded_as_carried_out() -> None:
    e = na(overleg(), afspraak(30), besluit(school_id=None, instelling=True), rol=DIR)
    assert na(overleg(), afspraak(30), besluit(school_id=None, instelling=True),
              Uitgevoerd(datum=VANDAAG), rol=DIR).status is S.BESLUIT_UITGEVOERD  # fmt: skip
    assert e.status is S.BESLUIT_GENOMEN


@pytest.mark.parametrize(
    "stappen",
    [(), (overleg(),), (overleg(), afspraak(30)), (overleg(), afspraak(30), besluit())],
)
def test_closing_with_a_reason_from_any_open_state(stappen: tuple[Stap, ...]) -> None:
    e = na(*stappen, Afsluiting(datum=VANDAAG, met_reden=True), rol=DIR)
    assert e.status is S.AFGESLOTEN


def test_replaying_the_history_gives_the_same_escalation() -> None:
    """The status is a projection of the recorded steps."""
    stappen: list[Stap] = [
        Geopend(datum=START, aanleiding=Aanleiding.DOORBRAAKOVERLEG),
        overleg(1, gehouden=False),
        overleg(5),
        afspraak(100),
        UitvoeringGestart(datum=d(6)),
        Beoordeling(afspraak_id="a1", datum=d(31), nagekomen=False, met_reden=True),
        besluit(school_id=None, instelling=True, met_reden_voor_termijn=True),
        Uitgevoerd(datum=VANDAAG),
        Afsluiting(datum=VANDAAG, met_reden=True),
    ]
    e = None
    for s in stappen:
        uitkomst = volgende(e, s, DIR, VANDAAG)
        assert isinstance(uitkomst, Escalatie), (s, uitkomst)
        e = uitkomst
    assert herhaal(stappen) == e
    assert herhaal([]) is None


# -- refusals --------------------------------------------------------------------------------


def test_refused_a_step_before_the_report() -> None:
    geweigerd(volgende(None, overleg(), BEG, VANDAAG), WeigeringSoort.CONFLICT)


def test_refused_a_report_in_the_future() -> None:
    later = Geopend(datum=VANDAAG + timedelta(days=1), aanleiding=Aanleiding.VERZOEK_LEERPLICHT)
    w = geweigerd(volgende(None, later, BEG, VANDAAG), WeigeringSoort.ONGELDIG)
    assert w.fouten[0].veld == "gemeldOp"


def test_refused_a_second_report() -> None:
    opnieuw = Geopend(datum=START, aanleiding=Aanleiding.MELDING_BEGELEIDER)
    geweigerd(volgende(gemeld(), opnieuw, BEG, VANDAAG), WeigeringSoort.CONFLICT)


@pytest.mark.parametrize(
    ("ontbreekt", "ingeschreven"),
    [(D.OUDERS, True), (D.SCHOOL_VAN_INSCHRIJVING, True), (D.LEERPLICHTAMBTENAAR, True),
     (D.SWV, False)],
)  # fmt: skip
def test_refused_an_overleg_held_without_a_required_party(
    ontbreekt: DeelnemerRol, ingeschreven: bool
) -> None:
    """Regel E1: the four parties take part or are invited; a 400 names who is missing."""
    zonder = tuple(x for x in VIER if x.rol is not ontbreekt)
    w = geweigerd(
        volgende(gemeld(), overleg(deelnemers=zonder, ingeschreven=ingeschreven), BEG, VANDAAG),
        WeigeringSoort.ONGELDIG,
    )
    assert [f.code for f in w.fouten] == [f"ontbreekt_{ontbreekt}"]


def test_a_child_enrolled_nowhere_needs_no_school_van_inschrijving() -> None:
    """Regel E1: it applies to children not enrolled anywhere too."""
    zonder = tuple(x for x in VIER if x.rol is not D.SCHOOL_VAN_INSCHRIJVING)
    assert ontbrekende_deelnemers(overleg(deelnemers=zonder, ingeschreven=False)) == ()
    assert ontbrekende_deelnemers(overleg(deelnemers=zonder)) == (D.SCHOOL_VAN_INSCHRIJVING,)
    assert na(overleg(deelnemers=zonder, ingeschreven=False)).status is S.OVERLEG_GEHOUDEN


def test_refused_an_overleg_held_in_the_future_or_before_the_report() -> None:
    toekomst = Overleg(id="x", datum=VANDAAG + timedelta(days=1), gehouden=True, deelnemers=VIER)
    w = geweigerd(volgende(gemeld(), toekomst, BEG, VANDAAG), WeigeringSoort.ONGELDIG)
    assert w.fouten[0].code == "in_toekomst"
    w = geweigerd(volgende(gemeld(), overleg(-1), BEG, VANDAAG), WeigeringSoort.ONGELDIG)
    assert w.fouten[0].code == "voor_melding"
    w = geweigerd(
        volgende(gemeld(), overleg(-1, gehouden=False), BEG, VANDAAG), WeigeringSoort.ONGELDIG
    )
    assert w.fouten[0].code == "voor_melding"


def test_refused_an_overleg_after_the_decision() -> None:
    e = na(overleg(), afspraak(30), besluit(), rol=DIR)
    geweigerd(volgende(e, overleg(60), BEG, VANDAAG), WeigeringSoort.CONFLICT)


def test_refused_an_agreement_without_an_overleg_held() -> None:
    geweigerd(volgende(gemeld(), afspraak(), BEG, VANDAAG), WeigeringSoort.CONFLICT)


def test_refused_an_agreement_with_a_deadline_before_it_or_in_the_future() -> None:
    e = na(overleg())
    w = geweigerd(volgende(e, afspraak(4, dagen=5), BEG, VANDAAG), WeigeringSoort.ONGELDIG)
    assert [f.veld for f in w.fouten] == ["deadline"]
    w = geweigerd(volgende(e, afspraak(200, dagen=100), BEG, VANDAAG), WeigeringSoort.ONGELDIG)
    assert [f.veld for f in w.fouten] == ["datum"]


@pytest.mark.parametrize("stappen", [(), (overleg(gehouden=False),), (overleg(),)])
def test_refused_execution_without_an_agreement(stappen: tuple[Stap, ...]) -> None:
    """Regel E2: no execution without concrete agreements (a 409)."""
    e = na(*stappen)
    geweigerd(volgende(e, UitvoeringGestart(datum=VANDAAG), BEG, VANDAAG), WeigeringSoort.CONFLICT)


def test_refused_execution_once_a_deadline_passed_or_twice() -> None:
    """A passed deadline is doorzettingsmacht: the directeur decides, execution does not start."""
    verlopen = na(overleg(), afspraak(30))
    w = geweigerd(
        volgende(verlopen, UitvoeringGestart(datum=VANDAAG), BEG, VANDAAG), WeigeringSoort.CONFLICT
    )
    assert "doorzettingsmacht" in w.reden
    bezig = na(overleg(), afspraak(100), UitvoeringGestart(datum=d(6)))
    geweigerd(
        volgende(bezig, UitvoeringGestart(datum=VANDAAG), BEG, VANDAAG), WeigeringSoort.CONFLICT
    )


def test_refused_execution_dated_in_the_future() -> None:
    e = na(overleg(), afspraak(100))
    later = UitvoeringGestart(datum=VANDAAG + timedelta(days=1))
    geweigerd(volgende(e, later, BEG, VANDAAG), WeigeringSoort.ONGELDIG)


def test_refused_marking_an_unknown_or_marked_agreement() -> None:
    """Nothing is editable after the fact: a verdict on an agreement does not change."""
    e = na(overleg(), afspraak(100))
    oordeel = Beoordeling(afspraak_id="a1", datum=d(9), nagekomen=True, met_reden=False)
    onbekend = Beoordeling(afspraak_id="zz", datum=d(9), nagekomen=True, met_reden=False)
    geweigerd(volgende(e, onbekend, BEG, VANDAAG), WeigeringSoort.NIET_GEVONDEN)
    e2 = volgende(e, oordeel, BEG, VANDAAG)
    assert isinstance(e2, Escalatie)
    geweigerd(volgende(e2, oordeel, BEG, VANDAAG), WeigeringSoort.CONFLICT)


def test_refused_not_kept_without_a_reason() -> None:
    e = na(overleg(), afspraak(100))
    niet = Beoordeling(afspraak_id="a1", datum=d(9), nagekomen=False, met_reden=False)
    w = geweigerd(volgende(e, niet, BEG, VANDAAG), WeigeringSoort.ONGELDIG)
    assert w.fouten[0].veld == "reden"


def test_refused_marking_after_closing() -> None:
    e = na(overleg(), afspraak(100), Afsluiting(datum=VANDAAG, met_reden=True))
    oordeel = Beoordeling(afspraak_id="a1", datum=d(9), nagekomen=True, met_reden=False)
    geweigerd(volgende(e, oordeel, BEG, VANDAAG), WeigeringSoort.CONFLICT)


@pytest.mark.parametrize("rol", [r for r in Rol if r is not Rol.DIRECTEUR])
def test_refused_a_decision_by_anyone_but_the_directeur(rol: Rol) -> None:
    """Regel E5: only the directeur of the SWV holds doorzettingsmacht."""
    e = na(overleg(), afspraak(30))
    geweigerd(volgende(e, besluit(), rol, VANDAAG), WeigeringSoort.NIET_BEVOEGD)


def test_refused_a_decision_before_any_deadline_without_a_reason() -> None:
    e = na(overleg(), afspraak(100))
    w = geweigerd(volgende(e, besluit(), DIR, VANDAAG), WeigeringSoort.ONGELDIG)
    assert [f.veld for f in w.fouten] == ["redenVoorTermijn"]


def test_refused_a_decision_that_misses_its_parts() -> None:
    """Regel E5: which school or institution, within which frame, by when, why."""
    e = na(overleg(), afspraak(30))
    leeg = besluit(school_id=None, met_kader=False, met_motivering=False,
                   plaatsen_uiterlijk=VANDAAG - timedelta(days=1))  # fmt: skip
    w = geweigerd(volgende(e, leeg, DIR, VANDAAG), WeigeringSoort.ONGELDIG)
    assert [f.veld for f in w.fouten] == ["aangewezen", "plaatsenUiterlijk", "kader", "motivering"]
    beide = besluit(instelling=True)
    w = geweigerd(volgende(e, beide, DIR, VANDAAG), WeigeringSoort.ONGELDIG)
    assert [f.veld for f in w.fouten] == ["aangewezen"]


def test_refused_a_second_decision_or_one_after_resolution() -> None:
    e = na(overleg(), afspraak(30), besluit(), rol=DIR)
    geweigerd(volgende(e, besluit(), DIR, VANDAAG), WeigeringSoort.CONFLICT)
    terug = [Onderwijsfeit("onderwijs-hervat", d(10), None)]
    opgelost = na(overleg(), afspraak(100))
    geweigerd(volgende(opgelost, besluit(), DIR, VANDAAG, terug), WeigeringSoort.CONFLICT)


def test_refused_carried_out_without_a_decision_or_for_a_school() -> None:
    """A decision for a school is carried out by the placement the school reports."""
    geweigerd(volgende(gemeld(), Uitgevoerd(datum=VANDAAG), BEG, VANDAAG), WeigeringSoort.CONFLICT)
    e = na(overleg(), afspraak(30), besluit(), rol=DIR)
    geweigerd(volgende(e, Uitgevoerd(datum=VANDAAG), BEG, VANDAAG), WeigeringSoort.CONFLICT)
    inst = na(overleg(), afspraak(30), besluit(school_id=None, instelling=True), rol=DIR)
    later = Uitgevoerd(datum=VANDAAG + timedelta(days=1))
    geweigerd(volgende(inst, later, BEG, VANDAAG), WeigeringSoort.ONGELDIG)


def test_refused_closing_twice_or_without_a_reason() -> None:
    geweigerd(
        volgende(gemeld(), Afsluiting(datum=VANDAAG, met_reden=False), BEG, VANDAAG),
        WeigeringSoort.ONGELDIG,
    )
    dicht = na(Afsluiting(datum=VANDAAG, met_reden=True))
    geweigerd(
        volgende(dicht, Afsluiting(datum=VANDAAG, met_reden=True), BEG, VANDAAG),
        WeigeringSoort.CONFLICT,
    )


# -- the status as of a day ------------------------------------------------------------------


def test_a_passed_deadline_unmet_reaches_doorzettingsmacht() -> None:
    """Regel E3: a solution not carried out within its term: doorzettingsmacht."""
    e = na(overleg(), afspraak(30), UitvoeringGestart(datum=d(6)), vandaag=d(10))
    op_de_dag = stand(e, d(30))
    assert op_de_dag.status is S.IN_UITVOERING
    assert op_de_dag.signalen == ()
    erna = stand(e, d(31))
    assert erna.status is S.DOORZETTINGSMACHT
    assert erna.signalen == (EscalatieSignaal.TERMIJN_VERSTREKEN,)
    assert [a.id for a in erna.verlopen] == ["a1"]


def test_a_kept_agreement_is_never_overdue() -> None:
    kept = Beoordeling(afspraak_id="a1", datum=d(9), nagekomen=True, met_reden=False)
    e = na(overleg(), afspraak(30), kept)
    assert stand(e, d(60)).status is S.AFSPRAKEN_GEMAAKT


def test_back_in_education_resolves_it() -> None:
    """An education fact after the report shows the child back or placed: opgelost."""
    e = na(overleg(), afspraak(30))
    terug = [Onderwijsfeit("onderwijs-hervat", d(40), None)]
    assert stand(e, d(50), terug).status is S.OPGELOST
    assert stand(e, d(35), terug).status is S.DOORZETTINGSMACHT, "not yet back on the day"
    eerder = [Onderwijsfeit("inschrijving", START - timedelta(days=300), "s0")]
    assert stand(e, d(50), eerder).status is S.DOORZETTINGSMACHT, "an old enrolment is no news"


def test_a_placement_at_the_designated_school_carries_the_decision_out() -> None:
    """Regel E6; `besluit-niet-uitgevoerd` when the place-by date passes first."""
    e = na(overleg(), afspraak(30), besluit(), rol=DIR)
    uiterlijk = VANDAAG + timedelta(days=14)
    assert stand(e, uiterlijk).signalen == ()
    laat = stand(e, uiterlijk + timedelta(days=1))
    assert laat.status is S.BESLUIT_GENOMEN
    assert laat.signalen == (EscalatieSignaal.BESLUIT_NIET_UITGEVOERD,)
    elders = Onderwijsfeit("plaatsing", VANDAAG, "s2")
    hervat = Onderwijsfeit("onderwijs-hervat", VANDAAG, None)
    oud = Onderwijsfeit("inschrijving", START - timedelta(days=1), "s1")
    assert stand(e, VANDAAG, [elders, hervat, oud]).status is S.BESLUIT_GENOMEN
    daar = Onderwijsfeit("plaatsing", VANDAAG + timedelta(days=3), "s1")
    uitgevoerd = stand(e, VANDAAG, [elders, daar])
    assert uitgevoerd.status is S.BESLUIT_UITGEVOERD
    assert uitgevoerd.uitgevoerd_met == daar


def test_closed_and_carried_out_have_no_signals() -> None:
    dicht = na(overleg(), afspraak(30), Afsluiting(datum=VANDAAG, met_reden=True))
    assert stand(dicht, d(300)).signalen == ()


# -- the child's facts -----------------------------------------------------------------------


def _feit(cls: type, dag: int, **kw: object) -> Feit:
    return cls(id=f"f{dag}{cls.__name__}", geldig_vanaf=d(dag), geregistreerd_op=MOMENT, **kw)  # type: ignore[no-any-return]


def test_enrolled_on_a_day_follows_inschrijving_and_uitschrijving() -> None:
    feiten = [
        _feit(Inschrijving, 0, vestiging="s1"),
        _feit(OnderwijsHervat, 2, hervatting=Hervatting.VOLLEDIG),
        _feit(Uitschrijving, 10, vestiging="s1"),
    ]
    assert not ingeschreven_op(feiten, d(-1))
    assert ingeschreven_op(feiten, d(5))
    assert not ingeschreven_op(feiten, d(10))
    assert not ingeschreven_op([], d(0))


def test_education_facts_are_placements_enrolments_and_full_resumption() -> None:
    """Regel E4 and docs/domain.md regel 10: partial resumption is not back in education."""
    ingetrokken = _feit(Plaatsing, 3, vestiging="s9")
    feiten = [
        _feit(Inschrijving, 0, vestiging="s1"),
        _feit(Plaatsing, 1, vestiging="s2"),
        _feit(OnderwijsHervat, 2, hervatting=Hervatting.VOLLEDIG),
        _feit(OnderwijsHervat, 4, hervatting=Hervatting.GEDEELTELIJK),
        _feit(Uitschrijving, 5, vestiging="s1"),
        ingetrokken,
        Intrekking(id="i", geldig_vanaf=d(3), geregistreerd_op=MOMENT, betreft=ingetrokken.id,
                   reden="fout"),
    ]  # fmt: skip
    assert onderwijsfeiten(feiten) == (
        Onderwijsfeit("inschrijving", d(0), "s1"),
        Onderwijsfeit("plaatsing", d(1), "s2"),
        Onderwijsfeit("onderwijs-hervat", d(2), None),
    )


def test_settings_default_to_the_directeur_and_28_days() -> None:
    """Regels E2 and E5: the directeur; the 28-day default term is a choice."""
    assert EscalatieBeleid() == EscalatieBeleid(DoorzettingsmachtBij.DIRECTEUR_SWV, 28)
