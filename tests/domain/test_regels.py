"""docs/domain.md regels 3-17, table-driven, each test named after its rule."""

from __future__ import annotations

import pytest

from app.domain.beleid import (
    Beleid,
    DefinitieProfiel,
    Frequentie,
    ThuiswerkplanTelling,
    Weektelling,
)
from app.domain.classificatie import CATEGORIEEN, LANDELIJKE_THUISZITTERS, Categorie
from app.domain.feiten import (
    AanbodBeeindigd,
    AanbodGestart,
    AanbodSoort,
    AdministratieveOnvolkomenheid,
    Beeindigingsreden,
    Belastbaarheid,
    Besluit11g,
    Besluit11gBeeindigd,
    Correctie,
    Feit,
    Gastleerling,
    GastleerlingBeeindigd,
    Hervatting,
    Inschrijving,
    Intrekking,
    JeugdartsOordeel,
    KwalificatieplichtBeeindigd,
    KwalificatieplichtEinde,
    NietIngeschreven,
    OnderwijsHervat,
    OngeoorloofdAangemerkt,
    Plaatsing,
    SchorsingBeeindigd,
    SchorsingGestart,
    TlvAfgegeven,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    Verzuimuren,
    VrijstellingBeeindigd,
    VrijstellingGrond,
    VrijstellingVerleend,
    WachtOpPlek,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.status import Signaal, Status
from app.domain.tijdlijn import bepaal_tijdlijn
from tests.domain.bouwers import KIND, NepKalender, d, feit, moment, status

INGESCHREVEN = feit(Inschrijving, "2022-08-22", vestiging="01AB00", id="inschrijving")


def verzuim(start: str, *extra: Feit) -> list[Feit]:
    return [INGESCHREVEN, feit(VerzuimGestart, start, id="verzuim"), *extra]


def signalen(s: Status) -> set[Signaal]:
    return {x.signaal for x in s.signalen}


# -- rule 3: sickness ---------------------------------------------------------------------------


def test_rule_3_long_sickness_is_a1_never_a_thuiszitter() -> None:
    feiten = [INGESCHREVEN, feit(Ziekmelding, "2024-01-08", door_ouders=True)]
    assert status(feiten, "2024-02-04").categorie is Categorie.GEEN  # day 28
    s = status(feiten, "2024-02-05")  # day 29
    assert s.categorie is Categorie.A1
    assert not s.thuiszitter_landelijk
    assert status(feiten, "2025-01-08").categorie is Categorie.A1  # a year: still not
    assert s.verklaring.regel == "regel 3"


def test_rule_3_seed_001_example_a_frequently_sick_bullied_pupil_is_a1_not_thuiszitter() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08"),
        feit(ZiekmeldingBeeindigd, "2024-01-29"),  # 3 weeks sick
        feit(Ziekmelding, "2024-01-31"),  # 2 days at school
        feit(ZiekmeldingBeeindigd, "2024-02-14"),  # 2 weeks sick
        feit(Ziekmelding, "2024-02-16"),  # and again
    ]
    assert status(feiten, "2024-02-01").categorie is Categorie.GEEN
    s = status(feiten, "2024-02-20")
    assert s.categorie is Categorie.A1
    assert not s.thuiszitter_landelijk
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-06-30"))
    assert all(p.categorie not in LANDELIJKE_THUISZITTERS for p in tijdlijn.perioden)


def test_rule_3_frequency_rule_can_be_switched_off() -> None:
    feiten = [INGESCHREVEN] + [
        feit(cls, datum)
        for cls, datum in [
            (Ziekmelding, "2024-01-08"),
            (ZiekmeldingBeeindigd, "2024-01-10"),
            (Ziekmelding, "2024-01-15"),
            (ZiekmeldingBeeindigd, "2024-01-17"),
            (Ziekmelding, "2024-01-22"),
        ]
    ]
    assert status(feiten, "2024-01-23").categorie is Categorie.A1
    uit = Beleid(a1_frequentie=None)
    assert status(feiten, "2024-01-23", beleid=uit).categorie is Categorie.GEEN
    strenger = Beleid(a1_frequentie=Frequentie(4, 84))
    assert status(feiten, "2024-01-23", beleid=strenger).categorie is Categorie.GEEN


def test_rule_3_sickness_beats_unexcused_absence() -> None:
    feiten = verzuim("2024-01-08", feit(Ziekmelding, "2024-01-15"))
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.A1


# -- rule 4: jeugdarts ---------------------------------------------------------------------------

# After the verdict the absence "kan als ongeoorloofd aangemerkt worden": a designation.
AUTOMATISCH = Beleid(jeugdarts_oordeel_maakt_ongeoorloofd=True)


@pytest.mark.parametrize("belastbaar", [Belastbaarheid.VOLLEDIG, Belastbaarheid.GEDEELTELIJK])
def test_rule_4_designation_after_the_verdict_makes_sickness_unexcused(
    belastbaar: Belastbaarheid,
) -> None:
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08", id="ziek"),
        feit(JeugdartsOordeel, "2024-02-20", belastbaarheid=belastbaar, id="oordeel"),
        feit(OngeoorloofdAangemerkt, "2024-03-01", id="aangemerkt"),
    ]
    assert status(feiten, "2024-02-29").categorie is Categorie.A1  # verdict alone: still sick
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.B1
    assert s.verklaring.regel == "regel 4"
    assert s.verklaring.feit_ids == ("ziek", "oordeel", "aangemerkt")
    assert status(feiten, "2024-03-28").categorie is Categorie.B1  # day 28 after designation
    s = status(feiten, "2024-03-29")  # day 29: B2
    assert s.categorie is Categorie.B2A
    assert s.thuiszitter_landelijk
    assert s.sinds == d("2024-03-29")
    assert s.verzuim_sinds == d("2024-03-01")


def test_rule_4_verdict_alone_never_switches_by_default() -> None:
    """Regel 4 ("kan ... aangemerkt worden"): no automatic switch unless the SWV sets it."""
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08", id="ziek"),
        feit(JeugdartsOordeel, "2024-03-01", belastbaarheid=Belastbaarheid.VOLLEDIG, id="o"),
    ]
    s = status(feiten, "2024-06-01")
    assert (s.categorie, s.verklaring.regel, s.thuiszitter_landelijk) == (
        Categorie.A1,
        "regel 3",
        False,
    )


def test_rule_4_swv_setting_lets_the_verdict_decide() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08", id="ziek"),
        feit(JeugdartsOordeel, "2024-03-01", belastbaarheid=Belastbaarheid.VOLLEDIG, id="o"),
    ]
    s = status(feiten, "2024-03-01", beleid=AUTOMATISCH)
    assert (s.categorie, s.verklaring.feit_ids) == (Categorie.B1, ("ziek", "o"))
    assert status(feiten, "2024-03-29", beleid=AUTOMATISCH).categorie is Categorie.B2A


def test_rule_4_designation_without_a_verdict_is_a_data_problem() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08"),
        feit(OngeoorloofdAangemerkt, "2024-02-01", id="aangemerkt"),
    ]
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.A1
    assert [(x.signaal, x.feit_ids) for x in s.signalen if x.signaal is Signaal.DATAPROBLEEM] == [
        (Signaal.DATAPROBLEEM, ("aangemerkt",))
    ]


def test_rule_4_jeugdarts_not_able_keeps_sickness_excused() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08"),
        feit(JeugdartsOordeel, "2024-02-01", belastbaarheid=Belastbaarheid.VOLLEDIG),
        feit(OngeoorloofdAangemerkt, "2024-02-01"),
        feit(JeugdartsOordeel, "2024-02-10", belastbaarheid=Belastbaarheid.NIET),
        feit(JeugdartsOordeel, "2024-02-20", belastbaarheid=Belastbaarheid.GEDEELTELIJK),
    ]
    assert status(feiten, "2024-02-05").categorie is Categorie.B1
    # a "niet belastbaar" verdict also spends the designation: a new one is needed
    assert status(feiten, "2024-03-20").categorie is Categorie.A1


def test_rule_4_verdict_without_open_sickness_has_no_effect() -> None:
    feiten = [
        INGESCHREVEN,
        feit(JeugdartsOordeel, "2024-01-02", belastbaarheid=Belastbaarheid.VOLLEDIG),
        feit(Ziekmelding, "2024-01-08"),
    ]
    assert status(feiten, "2024-03-01").categorie is Categorie.A1


def test_rule_4_verdict_is_spent_when_the_sickness_ends() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Ziekmelding, "2024-01-08"),
        feit(JeugdartsOordeel, "2024-01-10", belastbaarheid=Belastbaarheid.VOLLEDIG),
        feit(OngeoorloofdAangemerkt, "2024-01-10"),
        feit(ZiekmeldingBeeindigd, "2024-01-20"),
        feit(Ziekmelding, "2024-06-03"),
    ]
    assert status(feiten, "2024-01-15").categorie is Categorie.B1
    assert status(feiten, "2024-06-04").categorie is Categorie.GEEN


# -- rule 5: unexcused absence while enrolled ------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "peildatum", "verwacht"),
    [
        ("2024-01-08", "2024-01-08", Categorie.B1),  # day one
        ("2024-01-08", "2024-02-04", Categorie.B1),  # day 28
        ("2024-01-08", "2024-02-05", Categorie.B2A),  # day 29
        ("2024-01-08", "2024-04-07", Categorie.B2A),
        ("2024-01-08", "2024-04-08", Categorie.B2B),  # 3 months
        ("2023-11-30", "2024-02-28", Categorie.B2A),  # leap year: 30 Nov + 3 months = 29 Feb
        ("2023-11-30", "2024-02-29", Categorie.B2B),
        ("2022-11-30", "2023-02-27", Categorie.B2A),  # common year: 28 Feb
        ("2022-11-30", "2023-02-28", Categorie.B2B),
        ("2024-01-31", "2024-04-29", Categorie.B2A),  # 31 Jan + 3 months = 30 April
        ("2024-01-31", "2024-04-30", Categorie.B2B),
        ("2024-02-29", "2024-05-28", Categorie.B2A),  # from a leap day
        ("2024-02-29", "2024-05-29", Categorie.B2B),
        ("2023-12-20", "2024-01-16", Categorie.B1),  # across the year end: day 28
        ("2023-12-20", "2024-01-17", Categorie.B2A),
    ],
)
def test_rule_5_unexcused_absence_b1_b2a_b2b_boundaries(
    start: str, peildatum: str, verwacht: Categorie
) -> None:
    s = status(verzuim(start), peildatum)
    assert s.categorie is verwacht
    assert s.thuiszitter_landelijk is (verwacht in LANDELIJKE_THUISZITTERS)
    assert s.verklaring.regel == "regel 5"
    assert s.verzuim_sinds == d(start)


def test_rule_5_unexcused_absence_b2a_after_28_days_timeline() -> None:
    tijdlijn = bepaal_tijdlijn(KIND, verzuim("2024-01-08"), Beleid(), tot=d("2024-05-01"))
    assert [(p.categorie, p.start, p.einde) for p in tijdlijn.perioden] == [
        (Categorie.GEEN, d("2022-08-22"), d("2024-01-07")),
        (Categorie.B1, d("2024-01-08"), d("2024-02-04")),
        (Categorie.B2A, d("2024-02-05"), d("2024-04-07")),
        (Categorie.B2B, d("2024-04-08"), None),
    ]
    assert tijdlijn.op(d("2024-02-05")) == tijdlijn.perioden[2]
    assert tijdlijn.op(d("2020-01-01")) is None
    s = status(verzuim("2024-01-08"), "2024-05-01")
    assert s.sinds == d("2024-02-05")  # thuiszitter since B2a, through B2b
    assert s.duur_dagen == 87


def test_rule_5_absence_ended_returns_to_none_with_reason() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(VerzuimBeeindigd, "2024-03-03", reden=Beeindigingsreden.SCHOOLGANG_HERSTELD),
    )
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-04-01"))
    b2a = tijdlijn.perioden[-2]
    assert b2a.categorie is Categorie.B2A
    assert b2a.einde == d("2024-03-02")
    assert b2a.eindreden is Beeindigingsreden.SCHOOLGANG_HERSTELD
    assert tijdlijn.perioden[-1].categorie is Categorie.GEEN


def test_rule_5_sickness_interrupts_the_count() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(Ziekmelding, "2024-01-20"),
        feit(ZiekmeldingBeeindigd, "2024-01-25"),
    )
    assert status(feiten, "2024-02-05").categorie is Categorie.B1  # new count from 25 Jan
    assert status(feiten, "2024-02-22").categorie is Categorie.B2A


# -- rule 6: waiting for a place -----------------------------------------------------------------


def test_rule_6_seed_001_example_b_waiting_for_a_place_is_a_thuiszitter() -> None:
    feiten = [
        INGESCHREVEN,
        feit(TlvAfgegeven, "2024-01-02", id="tlv"),
        feit(WachtOpPlek, "2024-01-08", id="wacht"),
    ]
    assert status(feiten, "2024-02-04").categorie is Categorie.B1
    s = status(feiten, "2024-02-05")
    assert s.categorie is Categorie.B2A
    assert s.thuiszitter_landelijk
    assert s.verklaring == s.verklaring.__class__("regel 6", ("wacht",))
    geplaatst = [*feiten, feit(Plaatsing, "2024-03-01", vestiging="02XY00")]
    assert status(geplaatst, "2024-03-01").categorie is Categorie.GEEN


# -- rule 7: absoluut verzuim ----------------------------------------------------------------------


def test_rule_7_absoluut_verzuim_b3_from_day_one() -> None:
    feiten = [INGESCHREVEN, feit(Uitschrijving, "2024-01-08", vestiging="01AB00", id="uit")]
    assert status(feiten, "2024-01-07").categorie is Categorie.GEEN
    s = status(feiten, "2024-01-08")
    assert s.categorie is Categorie.B3
    assert s.thuiszitter_landelijk
    assert s.sinds == d("2024-01-08")
    assert s.verklaring.feit_ids == ("uit",)


def test_rule_7_child_known_not_enrolled() -> None:
    s = status([feit(NietIngeschreven, "2024-02-01", melder="leerplicht")], "2024-02-01")
    assert s.categorie is Categorie.B3


def test_rule_7_administratieve_onvolkomenheid_explains_the_gap() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00"),
        feit(AdministratieveOnvolkomenheid, "2024-01-08", tot_en_met=d("2024-01-14")),
        feit(Inschrijving, "2024-01-15", vestiging="02XY00"),
    ]
    for dag in ("2024-01-08", "2024-01-14", "2024-01-15"):
        assert status(feiten, dag).categorie is Categorie.GEEN
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-02-01"))
    assert {p.categorie for p in tijdlijn.perioden} == {Categorie.GEEN}


def test_rule_7_gap_outside_the_explained_days_is_still_b3() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00"),
        feit(AdministratieveOnvolkomenheid, "2024-01-10", tot_en_met=d("2024-01-12")),
        feit(Inschrijving, "2024-01-20", vestiging="02XY00"),
    ]
    assert status(feiten, "2024-01-09").categorie is Categorie.B3
    assert status(feiten, "2024-01-11").categorie is Categorie.GEEN
    assert status(feiten, "2024-01-13").categorie is Categorie.B3
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-02-01"))
    assert [p.categorie for p in tijdlijn.perioden] == [
        Categorie.GEEN,
        Categorie.B3,
        Categorie.GEEN,
        Categorie.B3,
        Categorie.GEEN,
    ]


def test_rule_7_gap_explanation_cites_the_onvolkomenheid_as_its_own_period() -> None:
    """Regel 7: during an explained gap the status cites that fact, not the ended enrolment."""
    feiten = [
        INGESCHREVEN,
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00", id="uit"),
        feit(AdministratieveOnvolkomenheid, "2024-01-08", tot_en_met=d("2024-01-14"), id="gat"),
        feit(Inschrijving, "2024-01-15", vestiging="02XY00", id="nieuw"),
    ]
    s = status(feiten, "2024-01-10")
    assert (s.categorie, s.verklaring.regel, s.verklaring.feit_ids) == (
        Categorie.GEEN,
        "regel 7",
        ("gat",),
    )
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-02-01"))
    assert [(p.start, p.einde, p.regel, p.feit_ids) for p in tijdlijn.perioden] == [
        (d("2022-08-22"), d("2024-01-07"), "regel 5", ("inschrijving",)),
        (d("2024-01-08"), d("2024-01-14"), "regel 7", ("gat",)),
        (d("2024-01-15"), None, "regel 5", ("nieuw",)),
    ]


def test_rule_7_absence_without_known_enrolment_is_a_data_problem_not_b3() -> None:
    """Regel 7: B3 needs a fact that states the child is not enrolled; an absence does not."""
    feiten = [feit(VerzuimGestart, "2024-01-08", id="verzuim")]
    s = status(feiten, "2024-01-08")
    assert s.categorie is Categorie.B1  # the absence as reported (regel 5), never B3
    assert s.verklaring == s.verklaring.__class__("regel 5", ("verzuim",))
    assert [(x.signaal, x.reden, x.feit_ids) for x in s.signalen] == [
        (Signaal.DATAPROBLEEM, "verzuim zonder bekende inschrijving", ("verzuim",))
    ]
    # once an enrolment is stated that covers the start, the problem is gone
    met = [feit(Inschrijving, "2023-08-28", vestiging="01AB00"), *feiten]
    assert not status(met, "2024-01-08").signalen


def test_rule_7_enrolment_stated_the_same_day_is_no_data_problem() -> None:
    feiten = [
        feit(VerzuimGestart, "2024-01-08", geregistreerd="2024-01-08"),
        feit(Inschrijving, "2024-01-08", vestiging="01AB00", geregistreerd="2024-01-09"),
    ]
    assert not status(feiten, "2024-01-10").signalen


def test_rule_7_only_facts_about_enrolment_make_a_child_b3() -> None:
    ziek = [feit(Ziekmelding, "2024-01-08")]
    assert status(ziek, "2024-01-10").categorie is Categorie.GEEN
    uit = [*ziek, feit(NietIngeschreven, "2024-01-09", melder="leerplicht")]
    assert status(uit, "2024-01-10").categorie is Categorie.B3


def test_rule_7_later_registered_enrolment_closes_the_gap_as_known_now_only() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00"),
        feit(Inschrijving, "2024-01-08", vestiging="02XY00", geregistreerd="2024-03-01"),
    ]
    toen = status(feiten, "2024-02-01", bekend_op="2024-02-15")
    assert toen.categorie is Categorie.B3
    nu = status(feiten, "2024-02-01")
    assert nu.categorie is Categorie.GEEN


# -- rule 8: vrijstellingen ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grond", "categorie"),
    [
        (VrijstellingGrond.ART_5_A, Categorie.A2A),
        (VrijstellingGrond.ART_5_B, Categorie.A2B),
        (VrijstellingGrond.ART_5_C, Categorie.A2C),
        (VrijstellingGrond.ART_5A, Categorie.A2_OVERIG),
        (VrijstellingGrond.ART_15, Categorie.A2_OVERIG),
    ],
)
def test_rule_8_vrijstelling_is_a2_never_a_thuiszitter(
    grond: VrijstellingGrond, categorie: Categorie
) -> None:
    feiten = [
        INGESCHREVEN,
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00"),
        feit(VrijstellingVerleend, "2024-01-08", grond=grond),
    ]
    s = status(feiten, "2024-05-01")
    assert s.categorie is categorie
    assert not s.thuiszitter_landelijk
    assert s.verklaring.regel == "regel 8"
    beeindigd = [*feiten, feit(VrijstellingBeeindigd, "2024-05-01", grond=grond)]
    assert status(beeindigd, "2024-05-01").categorie is Categorie.B3


@pytest.mark.parametrize(
    ("peildatum", "signaal"),
    [("2024-04-30", False), ("2024-05-01", True), ("2024-07-15", True)],
)
def test_rule_8_vrijstelling_5a_renewal_due_before_1_july(peildatum: str, signaal: bool) -> None:
    feiten = [feit(VrijstellingVerleend, "2023-08-01", grond=VrijstellingGrond.ART_5_A)]
    assert (Signaal.VRIJSTELLING_VERNIEUWEN in signalen(status(feiten, peildatum))) is signaal


def test_rule_8_renewed_vrijstelling_gives_no_signal() -> None:
    feiten = [
        feit(VrijstellingVerleend, "2023-08-01", grond=VrijstellingGrond.ART_5_A),
        feit(
            VrijstellingVerleend,
            "2024-08-01",
            grond=VrijstellingGrond.ART_5_A,
            geregistreerd="2024-06-10",
        ),
    ]
    assert Signaal.VRIJSTELLING_VERNIEUWEN not in signalen(status(feiten, "2024-06-15"))
    assert Signaal.VRIJSTELLING_VERNIEUWEN in signalen(
        status(feiten, "2024-06-15", bekend_op="2024-06-01")
    )


@pytest.mark.parametrize(
    ("grond", "artikel"),
    [
        (VrijstellingGrond.ART_5_A, "art. 5 onder a"),
        (VrijstellingGrond.ART_5_B, "art. 5 onder b"),
        (VrijstellingGrond.ART_5_C, "art. 5 onder c"),
        (VrijstellingGrond.ART_5A, "art. 5a"),
    ],
)
def test_rule_8_every_ground_with_a_yearly_kennisgeving_is_renewed_before_1_july(
    grond: VrijstellingGrond, artikel: str
) -> None:
    """Regel 8, LPW art. 6: the kennisgeving is made before 1 July of every school year."""
    feiten = [feit(VrijstellingVerleend, "2023-08-01", grond=grond, id="v")]
    assert Signaal.VRIJSTELLING_VERNIEUWEN not in signalen(status(feiten, "2024-04-30"))
    s = status(feiten, "2024-05-01")
    assert [(x.signaal, x.reden, x.feit_ids) for x in s.signalen] == [
        (
            Signaal.VRIJSTELLING_VERNIEUWEN,
            f"vrijstelling {artikel} moet vóór 1 juli 2024 vernieuwd worden (LPW art. 6)",
            ("v",),
        )
    ]


def test_rule_8_art_15_is_a_decision_for_a_period_and_needs_no_renewal() -> None:
    feiten = [feit(VrijstellingVerleend, "2023-08-01", grond=VrijstellingGrond.ART_15)]
    assert not signalen(status(feiten, "2024-06-15"))


def test_rule_8_each_running_ground_has_its_own_renewal() -> None:
    feiten = [
        feit(VrijstellingVerleend, "2023-08-01", grond=VrijstellingGrond.ART_5_B, id="b"),
        feit(VrijstellingVerleend, "2023-08-01", grond=VrijstellingGrond.ART_5_C, id="c"),
        feit(VrijstellingVerleend, "2024-06-01", grond=VrijstellingGrond.ART_5_C, id="c2"),
        feit(VrijstellingVerleend, "2024-08-01", grond=VrijstellingGrond.ART_5_C, id="c3"),
    ]
    s = status(feiten, "2024-06-15")
    assert [x.feit_ids for x in s.signalen if x.signaal is Signaal.VRIJSTELLING_VERNIEUWEN] == [
        ("b",)
    ]


# -- rule 9: gastleerling ------------------------------------------------------------------------


def test_rule_9_gastleerling_with_restored_rhythm_is_not_a_thuiszitter() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(Gastleerling, "2024-03-01", voorziening="Rebound", ritme_hersteld=True),
    )
    assert status(feiten, "2024-02-29").categorie is Categorie.B2A
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.GEEN
    assert s.verklaring.regel == "regel 9"
    terug = [*feiten, feit(GastleerlingBeeindigd, "2024-04-01")]
    assert status(terug, "2024-04-01").categorie is Categorie.B1  # the count starts again


def test_rule_9_gastleerling_without_rhythm_still_counts() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(Gastleerling, "2024-01-15", voorziening="TTVO", ritme_hersteld=False),
    )
    assert status(feiten, "2024-03-01").categorie is Categorie.B2A


# -- rule 10: return activities and thuiswerkplan ------------------------------------------------


def test_rule_10_partial_return_and_thuiswerkplan_still_count() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(AanbodGestart, "2024-01-20", aanbod=AanbodSoort.THUISWERKPLAN),
        feit(OnderwijsHervat, "2024-02-01", hervatting=Hervatting.GEDEELTELIJK),
    )
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.B2A
    assert s.thuiszitter_landelijk


def test_rule_10_full_return_ends_the_absence() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(
            OnderwijsHervat,
            "2024-03-01",
            hervatting=Hervatting.VOLLEDIG,
            reden=Beeindigingsreden.SCHOOLGANG_HERSTELD,
        ),
    )
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-03-10"))
    assert tijdlijn.perioden[-1].categorie is Categorie.GEEN
    assert tijdlijn.perioden[-2].eindreden is Beeindigingsreden.SCHOOLGANG_HERSTELD


# -- rule 11: precedence and contradictions --------------------------------------------------


def test_rule_11_vrijstelling_while_enrolled_is_a2_and_a_data_problem() -> None:
    feiten = [
        INGESCHREVEN,
        feit(VrijstellingVerleend, "2024-01-08", grond=VrijstellingGrond.ART_5_A),
    ]
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.A2A
    problemen = [x for x in s.signalen if x.signaal is Signaal.DATAPROBLEEM]
    assert [p.reden for p in problemen] == ["vrijstelling van inschrijving terwijl ingeschreven"]


def test_rule_11_two_enrolments_is_a_data_problem() -> None:
    feiten = [INGESCHREVEN, feit(Inschrijving, "2024-01-08", vestiging="02XY00")]
    s = status(feiten, "2024-03-01")
    assert s.categorie is Categorie.GEEN
    assert [x.reden for x in s.signalen] == ["ingeschreven bij meer dan één vestiging"]
    assert not signalen(status(feiten, "2024-01-07"))


def test_rule_11_school_switch_on_one_day_is_no_problem() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Inschrijving, "2024-01-08", vestiging="02XY00", geregistreerd="2024-01-08"),
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00", geregistreerd="2024-01-09"),
    ]
    s = status(feiten, "2024-01-08")
    assert s.categorie is Categorie.GEEN
    assert not s.signalen


@pytest.mark.parametrize(
    ("extra", "verwacht", "regel"),
    [
        (feit(Besluit11g, "2024-01-15"), Categorie.C, "regel 11"),
        (feit(Uitschrijving, "2024-01-15", vestiging="01AB00"), Categorie.B3, "regel 7"),
        (feit(Ziekmelding, "2024-01-15"), Categorie.A1, "regel 3"),
        (
            feit(VrijstellingVerleend, "2024-01-15", grond=VrijstellingGrond.ART_5_C),
            Categorie.A2C,
            "regel 8",
        ),
        (feit(SchorsingGestart, "2024-01-15"), Categorie.GEEN, "regel 17"),
        (
            feit(
                KwalificatieplichtBeeindigd, "2024-01-15", grond=KwalificatieplichtEinde.VSO_ARBEID
            ),
            Categorie.B2A,
            "regel 5",
        ),
    ],
)
def test_rule_11_precedence_over_unexcused_absence(
    extra: Feit, verwacht: Categorie, regel: str
) -> None:
    s = status(verzuim("2024-01-08", extra), "2024-03-01")
    assert (s.categorie, s.verklaring.regel) == (verwacht, regel)


def test_rule_11_precedence_vrijstelling_over_11g_over_not_enrolled() -> None:
    basis = [feit(NietIngeschreven, "2024-01-08"), feit(Besluit11g, "2024-01-08", id="c")]
    assert status(basis, "2024-01-09").categorie is Categorie.C
    alle = [*basis, feit(VrijstellingVerleend, "2024-01-08", grond=VrijstellingGrond.ART_5_B)]
    assert status(alle, "2024-01-09").categorie is Categorie.A2B
    afgelopen = [*basis, feit(Besluit11gBeeindigd, "2024-02-01")]
    assert status(afgelopen, "2024-02-01").categorie is Categorie.B3


def test_rule_11_end_facts_without_a_start_are_data_problems() -> None:
    feiten = [
        INGESCHREVEN,
        feit(VerzuimBeeindigd, "2024-01-02"),
        feit(ZiekmeldingBeeindigd, "2024-01-03"),
        feit(SchorsingBeeindigd, "2024-01-04"),
        feit(AanbodBeeindigd, "2024-01-05"),
        feit(Besluit11gBeeindigd, "2024-01-06"),
        feit(VrijstellingBeeindigd, "2024-01-07", grond=VrijstellingGrond.ART_5_A),
        feit(Uitschrijving, "2024-01-08", vestiging="99ZZ99"),
    ]
    s = status(feiten, "2024-01-08")
    assert len([x for x in s.signalen if x.signaal is Signaal.DATAPROBLEEM]) == 7
    assert len(status(feiten, "2024-01-04").signalen) == 3


def test_rule_11_repeated_start_facts_keep_the_first() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(VerzuimGestart, "2024-01-20"),
        feit(WachtOpPlek, "2024-01-08", id="wacht"),
        feit(WachtOpPlek, "2024-01-09"),
        feit(SchorsingGestart, "2024-06-01", id="s1"),
        feit(SchorsingGestart, "2024-06-02"),
        feit(SchorsingBeeindigd, "2024-06-10"),
        feit(Ziekmelding, "2024-07-01", id="z1"),
        feit(Ziekmelding, "2024-07-02"),
    )
    assert status(feiten, "2024-01-25").verklaring.feit_ids == ("wacht",)
    assert status(feiten, "2024-06-03").verklaring.feit_ids == ("s1",)
    assert status(feiten, "2024-07-03").verklaring.feit_ids == ("z1",)


# -- rule 12: Thuiszitterspact -------------------------------------------------------------------


_ALTIJD = Beleid(thuiswerkplan_telt_als_aanbod=ThuiswerkplanTelling.ALTIJD)
_NOOIT = Beleid(thuiswerkplan_telt_als_aanbod=ThuiswerkplanTelling.NOOIT)


@pytest.mark.parametrize(
    ("aanbod", "school", "beleid", "breuk"),
    [
        (None, (None, None), Beleid(), True),
        (AanbodSoort.PASSEND_AANBOD, (None, None), Beleid(), False),
        (AanbodSoort.THUISWERKPLAN, (None, None), Beleid(), True),
        (AanbodSoort.THUISWERKPLAN, (2, 4.0), Beleid(), False),
        (AanbodSoort.THUISWERKPLAN, (1, 4.0), Beleid(), True),
        (AanbodSoort.THUISWERKPLAN, (2, 3.5), Beleid(), True),
        (AanbodSoort.THUISWERKPLAN, (None, None), _ALTIJD, False),
        (AanbodSoort.THUISWERKPLAN, (2, 4.0), _NOOIT, True),
        (AanbodSoort.PASSEND_AANBOD, (None, None), _NOOIT, False),
    ],
)
def test_rule_12_thuiszitterspact_three_months_without_aanbod(
    aanbod: AanbodSoort | None,
    school: tuple[int | None, float | None],
    beleid: Beleid,
    breuk: bool,
) -> None:
    """Rules 12 and 18: a thuiswerkplan stops the Pact signal by default only with 2 x 2 hours
    of supervised presence at school a week; the SWV may count any plan, or none."""
    keer, uren = school
    extra = (
        [
            feit(
                AanbodGestart,
                "2024-02-01",
                aanbod=aanbod,
                keer_op_school_per_week=keer,
                uren_op_school_per_week=uren,
            )
        ]
        if aanbod
        else []
    )
    feiten = verzuim("2024-01-08", *extra)
    assert Signaal.THUISZITTERSPACT not in signalen(status(feiten, "2024-04-07", beleid=beleid))
    assert (Signaal.THUISZITTERSPACT in signalen(status(feiten, "2024-04-08", beleid=beleid))) is (
        breuk
    )


def test_rule_12_ended_aanbod_no_longer_counts() -> None:
    feiten = verzuim(
        "2024-01-08",
        feit(AanbodGestart, "2024-02-01", aanbod=AanbodSoort.PASSEND_AANBOD),
        feit(AanbodBeeindigd, "2024-03-01"),
    )
    assert Signaal.THUISZITTERSPACT in signalen(status(feiten, "2024-04-08"))


# -- rule 13: definition profiles ----------------------------------------------------------------


def test_rule_13_national_definition_always_computed_profile_may_differ() -> None:
    seed_004 = Beleid(
        profiel=DefinitieProfiel(
            "Definities thuiszitters", frozenset({Categorie.B2A, Categorie.B2B})
        )
    )
    b3 = [INGESCHREVEN, feit(Uitschrijving, "2024-01-08", vestiging="01AB00")]
    s = status(b3, "2024-02-01", beleid=seed_004)
    assert s.thuiszitter_landelijk
    assert not s.thuiszitter_profiel
    seed_002 = Beleid(
        profiel=DefinitieProfiel(
            "Doorlopende melding thuiszitters", frozenset({Categorie.A1, *LANDELIJKE_THUISZITTERS})
        )
    )
    ziek = [INGESCHREVEN, feit(Ziekmelding, "2024-01-08")]
    s = status(ziek, "2024-03-01", beleid=seed_002)
    assert s.thuiszitter_profiel
    assert not s.thuiszitter_landelijk


def test_rule_13_reference_list_matches_the_national_definition() -> None:
    assert {c.categorie for c in CATEGORIEEN} == set(Categorie)
    assert {c.categorie for c in CATEGORIEEN if c.thuiszitter_landelijk} == LANDELIJKE_THUISZITTERS


# -- rule 14: counting weeks ---------------------------------------------------------------------


KERST = NepKalender(("2023-12-23", "2024-01-07"))


def test_rule_14_lesweken_skip_school_holidays() -> None:
    lesweken = Beleid(weektelling=Weektelling.LESWEKEN)
    feiten = verzuim("2023-12-18")
    # calendar days: day 29 is 15 January
    assert status(feiten, "2024-01-15").categorie is Categorie.B2A
    # lesweken: the 16 holiday days do not count, B2a from 31 January
    assert status(feiten, "2024-01-30", beleid=lesweken, kalender=KERST).categorie is Categorie.B1
    s = status(feiten, "2024-01-31", beleid=lesweken, kalender=KERST)
    assert s.categorie is Categorie.B2A
    assert s.duur_lesweken == 0
    s = status(feiten, "2024-04-01", beleid=lesweken, kalender=KERST)
    assert s.categorie is Categorie.B2A  # 3 months + 16 days
    assert s.duur_lesweken == 8
    assert status(feiten, "2024-04-03", beleid=lesweken, kalender=KERST).categorie is Categorie.B2B


def test_rule_14_lesweken_need_a_calendar() -> None:
    with pytest.raises(ValueError, match="vakantiekalender"):
        status(verzuim("2024-01-08"), "2024-02-01", beleid=Beleid(weektelling=Weektelling.LESWEKEN))


def test_rule_14_calendar_days_ignore_a_given_calendar() -> None:
    s = status(verzuim("2023-12-18"), "2024-01-15", kalender=KERST)
    assert s.categorie is Categorie.B2A
    assert s.duur_lesweken is None


def test_rule_14_lesweken_also_count_sickness_and_signals() -> None:
    lesweken = Beleid(weektelling=Weektelling.LESWEKEN)
    feiten = [INGESCHREVEN, feit(Ziekmelding, "2023-12-18")]
    assert status(feiten, "2024-01-30", beleid=lesweken, kalender=KERST).categorie is Categorie.GEEN
    assert status(feiten, "2024-01-31", beleid=lesweken, kalender=KERST).categorie is Categorie.A1
    # the same count twice uses the cache
    tijdlijn = bepaal_tijdlijn(KIND, feiten, lesweken, tot=d("2024-02-10"), kalender=KERST)
    assert tijdlijn.perioden[-1].start == d("2024-01-31")


# -- rule 15: corrections and withdrawals ----------------------------------------------------------


def test_rule_15_withdrawn_report_has_no_effect_but_stays_in_history() -> None:
    uit = feit(Uitschrijving, "2024-01-08", vestiging="01AB00", id="uit")
    intrekking = feit(
        Intrekking,
        "2024-01-08",
        betreft="uit",
        reden="de melding was verkeerd gedaan",
        geregistreerd="2024-02-01",
    )
    feiten = [INGESCHREVEN, uit, intrekking]
    assert status(feiten, "2024-03-01").categorie is Categorie.GEEN
    assert status(feiten, "2024-03-01", bekend_op="2024-01-31").categorie is Categorie.B3


def test_rule_15_correction_replaces_the_fact() -> None:
    verkeerd = feit(VerzuimGestart, "2024-01-08", id="v1")
    goed = feit(VerzuimGestart, "2024-02-05", id="v2", geregistreerd="2024-02-10")
    correctie = feit(
        Correctie,
        "2024-02-05",
        betreft="v1",
        reden="verkeerde datum",
        vervanging=goed,
        geregistreerd="2024-02-10",
    )
    feiten = [INGESCHREVEN, verkeerd, correctie]
    assert status(feiten, "2024-03-03").categorie is Categorie.B1
    assert status(feiten, "2024-03-03", bekend_op="2024-02-09").categorie is Categorie.B2A
    # a correction of the correction, by the replacement's id
    beter = feit(VerzuimGestart, "2024-01-29", id="v3", geregistreerd="2024-03-01")
    nogmaals = feit(
        Correctie,
        "2024-01-29",
        betreft="v2",
        reden="toch",
        vervanging=beter,
        geregistreerd="2024-03-01",
    )
    assert status([*feiten, nogmaals], "2024-03-03").categorie is Categorie.B2A
    # and withdrawing the original id withdraws the corrected fact
    weg = feit(
        Intrekking, "2024-01-08", betreft="v1", reden="melding verkeerd", geregistreerd="2024-03-02"
    )
    assert status([*feiten, nogmaals, weg], "2024-03-03").categorie is Categorie.GEEN


def test_rule_15_dangling_references_are_data_problems() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Intrekking, "2024-01-08", betreft="bestaat-niet", reden="x", id="i1"),
        feit(Intrekking, "2024-01-09", betreft="i1", reden="intrekking van een intrekking"),
    ]
    s = status(feiten, "2024-03-01")
    assert [x.signaal for x in s.signalen] == [Signaal.DATAPROBLEEM, Signaal.DATAPROBLEEM]
    assert status(feiten, "2024-01-08").signalen[0].feit_ids == ("i1",)
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-01-08"))
    assert len(tijdlijn.dataproblemen) == 1


# -- rule 16: ending -----------------------------------------------------------------------------


def test_rule_16_turning_18_ends_with_its_reason() -> None:
    leerling = Leerling("L2", Geboorte(2006, 5))
    feiten = [INGESCHREVEN, feit(VerzuimGestart, "2024-01-08")]
    tijdlijn = bepaal_tijdlijn(leerling, feiten, Beleid(), tot=d("2024-07-01"))
    b2b = tijdlijn.perioden[-2]
    assert b2b.categorie is Categorie.B2B
    assert b2b.einde == d("2024-05-31")
    assert b2b.eindreden is Beeindigingsreden.ACHTTIEN_JAAR
    assert tijdlijn.perioden[-1].regel == "regel 2"


@pytest.mark.parametrize("reden", list(Beeindigingsreden))
def test_rule_16_every_ending_reason_is_kept(reden: Beeindigingsreden) -> None:
    feiten = [INGESCHREVEN, feit(Uitschrijving, "2024-01-08", vestiging="01AB00", reden=reden)]
    tijdlijn = bepaal_tijdlijn(KIND, feiten, Beleid(), tot=d("2024-02-01"))
    assert tijdlijn.perioden[0].eindreden is reden


def test_rule_16_kwalificatieplicht_ended_by_diploma_is_regel_2() -> None:
    leerling = Leerling("L3", Geboorte(2007, 3))
    feiten = [
        INGESCHREVEN,
        feit(VerzuimGestart, "2024-01-08"),
        feit(
            KwalificatieplichtBeeindigd,
            "2024-03-01",
            grond=KwalificatieplichtEinde.STARTKWALIFICATIE,
            id="k",
        ),
        feit(
            KwalificatieplichtBeeindigd,
            "2024-04-01",
            grond=KwalificatieplichtEinde.PRAKTIJKONDERWIJS,
        ),
    ]
    s = status(feiten, "2024-03-01", leerling=leerling)
    assert (s.categorie, s.verklaring) == (
        Categorie.GEEN,
        s.verklaring.__class__("regel 2", ("k",)),
    )
    assert status(feiten, "2024-05-01", leerling=leerling).verklaring.feit_ids == ("k",)


# -- rule 17: dreigend thuiszitter ---------------------------------------------------------------


def redenen(s: Status) -> list[str]:
    return [x.reden for x in s.signalen if x.signaal is Signaal.DREIGEND_THUISZITTER]


def test_rule_17_suspension_longer_than_2_days() -> None:
    feiten = [INGESCHREVEN, feit(SchorsingGestart, "2024-01-08")]
    assert not redenen(status(feiten, "2024-01-09"))
    assert redenen(status(feiten, "2024-01-10")) == ["geschorst langer dan 2 dagen"]
    terug = [*feiten, feit(SchorsingBeeindigd, "2024-01-10")]
    assert not redenen(status(terug, "2024-01-10"))


def test_rule_17_long_sickness_with_recorded_uncertain_return() -> None:
    """Regel 17: only sickness "waarvan het onzeker is of een normale terugkeer haalbaar is"."""
    feiten = [INGESCHREVEN, feit(Ziekmelding, "2024-01-08", terugkeer_onzeker=True)]
    assert redenen(status(feiten, "2024-02-05")) == ["langdurig of vaak ziek, terugkeer onzeker"]


def test_rule_17_long_sickness_without_recorded_uncertainty_is_no_warning() -> None:
    feiten = [INGESCHREVEN, feit(Ziekmelding, "2024-01-08")]
    s = status(feiten, "2024-02-05")
    assert s.categorie is Categorie.A1
    assert not redenen(s)


def test_rule_17_unexcused_absence_approaching_4_weeks() -> None:
    assert not redenen(status(verzuim("2024-01-08"), "2024-01-28"))  # day 21
    assert redenen(status(verzuim("2024-01-08"), "2024-01-29")) == [  # day 22
        "ongeoorloofd verzuim nadert 4 weken"
    ]
    assert not redenen(status(verzuim("2024-01-08"), "2024-02-05"))  # a thuiszitter by now


def test_rule_17_no_placement_4_weeks_after_tlv() -> None:
    feiten = [INGESCHREVEN, feit(TlvAfgegeven, "2024-01-08")]
    assert not redenen(status(feiten, "2024-02-04"))
    assert redenen(status(feiten, "2024-02-05")) == ["geen plaatsing 28 dagen na de TLV"]
    geplaatst = [*feiten, feit(Plaatsing, "2024-02-01", vestiging="02XY00")]
    assert not redenen(status(geplaatst, "2024-02-05"))


def test_rule_17_sixteen_hours_in_four_weeks() -> None:
    feiten = [
        INGESCHREVEN,
        feit(Verzuimuren, "2024-01-08", uren=6.0),
        feit(Verzuimuren, "2024-01-15", uren=6.0),
        feit(Verzuimuren, "2024-01-22", uren=4.0),
    ]
    assert not redenen(status(feiten, "2024-01-21"))
    assert redenen(status(feiten, "2024-01-22")) == [
        "16 uur ongeoorloofd verzuim in 28 dagen (LPW art. 21)"
    ]
    assert not redenen(status(feiten, "2024-02-05"))


# Four lesweken before 26 January 2024 with the Christmas holiday of 23 Dec - 7 Jan: the weeks of
# 22 Jan, 15 Jan, 8 Jan and 18 Dec (the two holiday weeks are not lesweken).
LESWEKEN = Beleid(weektelling=Weektelling.LESWEKEN)


def test_rule_17_sixteen_hours_in_four_consecutive_lesweken() -> None:
    """Regel 17, LPW art. 21: 16 hours over four consecutive lesweken when counting lesweken."""
    feiten = [
        INGESCHREVEN,
        feit(Verzuimuren, "2023-12-18", uren=10.0, id="u1"),
        feit(Verzuimuren, "2024-01-22", uren=6.0, id="u2"),
    ]
    # calendar days: 18 December lies more than 28 days back
    assert not redenen(status(feiten, "2024-01-26"))
    s = status(feiten, "2024-01-26", beleid=LESWEKEN, kalender=KERST)
    assert [(x.reden, x.feit_ids) for x in s.signalen] == [
        ("16 uur ongeoorloofd verzuim in 4 opeenvolgende lesweken (LPW art. 21)", ("u1", "u2"))
    ]
    # a week later the week of 18 December is the fifth leswek back
    assert not redenen(status(feiten, "2024-01-29", beleid=LESWEKEN, kalender=KERST))


# -- edges of the fold -----------------------------------------------------------------------------


def test_rule_2_no_facts_no_category() -> None:
    s = status([], "2024-01-01")
    assert s.categorie is Categorie.GEEN
    assert s.sinds is None
    # regel 7: a registered child with no facts at all is a data problem to resolve
    assert [(x.signaal, x.reden) for x in s.signalen] == [
        (Signaal.DATAPROBLEEM, "geen feiten bekend")
    ]
    assert bepaal_tijdlijn(KIND, [], Beleid(), tot=d("2024-01-01")).perioden == ()


def test_rule_2_four_year_old_not_counted_then_counted_at_leerplicht() -> None:
    kleuter = Leerling("L4", Geboorte(2019, 3))
    feiten = [feit(NietIngeschreven, "2024-01-08")]
    assert status(feiten, "2024-03-31", leerling=kleuter).categorie is Categorie.GEEN
    s = status(feiten, "2024-04-01", leerling=kleuter)
    assert s.categorie is Categorie.B3
    assert s.sinds == d("2024-04-01")


def test_rule_2_facts_after_the_peildatum_are_not_applied() -> None:
    feiten = verzuim("2024-01-08", feit(VerzuimBeeindigd, "2024-02-01"))
    assert status(feiten, "2024-01-20").categorie is Categorie.B1
    assert moment("2024-01-01").tzinfo is not None
