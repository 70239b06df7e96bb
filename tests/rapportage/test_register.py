"""The Inspectie register: each rule of the report in a test named after it (docs/rapportage.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain.beleid import Beleid, DefinitieProfiel, ThuiswerkplanTelling, Weektelling
from app.domain.classificatie import Categorie
from app.domain.feiten import (
    AanbodBeeindigd,
    AanbodGestart,
    AanbodSoort,
    Beeindigingsreden,
    Belastbaarheid,
    Besluit11g,
    Feit,
    Hervatting,
    Intrekking,
    JeugdartsOordeel,
    OnderwijsHervat,
    OngeoorloofdAangemerkt,
    SoortThuiszitter,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    VrijstellingBeeindigd,
    VrijstellingGrond,
    VrijstellingVerleend,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte
from app.domain.rapportage import (
    Duurklasse,
    Leeftijdsgroep,
    Peildata,
    Typering,
    duurklasse,
    inspectie_register,
    leeftijd,
    leeftijdsgroep,
    register_kop,
)
from app.domain.status import Signaal, bepaal_status
from app.services.demo.generator import genereer_kinderen
from tests.domain.bouwers import NepKalender, d, feit
from tests.rapportage.bouwers import SCHOOL, enige_rij, ingeschreven, kind, register

# -- peildata ---------------------------------------------------------------------------------


def test_peildata_default_1_dec_1_mar_1_jun_1_sep_seed_001() -> None:
    assert Peildata().van_schooljaar(2025) == (
        d("2024-12-01"),
        d("2025-03-01"),
        d("2025-06-01"),
        d("2025-09-01"),
    )


@pytest.mark.parametrize(
    ("peildatum", "eindjaar"),
    [
        ("2024-12-01", 2025),
        ("2025-06-01", 2025),
        ("2025-09-01", 2025),  # closes the school year that ended on 31 July
        ("2025-08-15", 2026),  # an ad-hoc date belongs to the school year containing it
        ("2025-12-01", 2026),
    ],
)
def test_peildata_school_year_of_a_peildatum(peildatum: str, eindjaar: int) -> None:
    assert Peildata().schooljaar(d(peildatum)) == eindjaar


@pytest.mark.parametrize(
    ("peildatum", "vorige"),
    [
        ("2024-12-01", "2024-09-01"),
        ("2025-03-01", "2024-12-01"),
        ("2025-09-01", "2025-06-01"),
        ("2025-10-10", "2025-09-01"),
    ],
)
def test_peildata_previous_peildatum(peildatum: str, vorige: str) -> None:
    assert Peildata().vorige(d(peildatum)) == d(vorige)


@pytest.mark.parametrize(
    ("peildatum", "lever"), [("2024-12-01", "2024-12-15"), ("2024-12-20", "2025-01-15")]
)
def test_peildata_delivery_by_the_15th_seed_001(peildatum: str, lever: str) -> None:
    assert Peildata().uiterste_leverdatum(d(peildatum)) == d(lever)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"dagen": ()},
        {"dagen": ((2, 30),)},
        {"leverdag": 0},
        {"dagen": ((3, 1), (12, 1))},  # the second would fall after the next school year began
    ],
)
def test_peildata_refuses_impossible_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        Peildata(**kwargs)  # type: ignore[arg-type]


def test_register_header_window_starts_on_1_august_of_its_school_year() -> None:
    kop = register_kop(d("2025-09-01"))
    assert (kop.vanaf, kop.schooljaar) == (d("2024-08-01"), "2024-2025")


# -- who is listed ----------------------------------------------------------------------------


def b2a_episode(start: str = "2024-09-02", einde: str = "2024-11-04", **velden: Any) -> list[Feit]:
    return [
        ingeschreven(),
        feit(VerzuimGestart, start),
        feit(VerzuimBeeindigd, einde, **velden),
    ]


def test_cumulative_within_school_year_child_back_at_school_stays_listed() -> None:
    k = kind("100001", b2a_episode(reden=Beeindigingsreden.SCHOOLGANG_HERSTELD))
    rij = enige_rij(k, "2025-06-01")
    assert rij.categorie_peildatum is Categorie.GEEN
    assert rij.hoogste_categorie is Categorie.B2A
    assert not rij.actief
    assert (rij.startdatum, rij.einddatum) == (d("2024-09-02"), d("2024-11-04"))
    assert rij.maand_beeindigd == "2024-11"
    assert rij.reden_beeindigd is Beeindigingsreden.SCHOOLGANG_HERSTELD


def test_cumulative_within_school_year_new_school_year_starts_empty() -> None:
    k = kind("100001", b2a_episode("2024-03-04", "2024-05-06"))
    assert register([k], "2024-06-01").rijen
    assert register([k], "2024-09-01").rijen  # the closing peildatum of 2023-2024
    assert register([k], "2024-12-01").rijen == ()


def test_cumulative_closing_peildatum_1_september_keeps_june_and_july() -> None:
    k = kind("100001", b2a_episode("2025-06-02", "2025-07-14"))
    assert register([k], "2025-06-01").rijen == ()
    rij = enige_rij(k, "2025-09-01")
    assert rij.einddatum == d("2025-07-14")


def test_cumulative_episode_from_previous_school_year_still_running_is_listed() -> None:
    k = kind("100001", [ingeschreven(), feit(VerzuimGestart, "2024-05-06")])
    rij = enige_rij(k, "2024-12-01")
    assert rij.startdatum == d("2024-05-06")
    assert rij.categorie_peildatum is Categorie.B2B
    assert rij.verloop == (Categorie.B2A, Categorie.B2B)


@pytest.mark.parametrize(
    "feiten",
    [
        [ingeschreven(), feit(VerzuimGestart, "2024-09-02"), feit(VerzuimBeeindigd, "2024-09-20")],
        [ingeschreven(), feit(Ziekmelding, "2024-09-02")],  # A1: long sick is geoorloofd
        [ingeschreven(), feit(Besluit11g, "2024-09-02")],  # C
        [feit(VrijstellingVerleend, "2024-09-02", grond=VrijstellingGrond.ART_5_B)],
    ],
    ids=["B1", "A1", "C", "A2b"],
)
def test_national_definition_only_other_categories_not_listed(feiten: list) -> None:  # type: ignore[type-arg]
    assert register([kind("100001", feiten)], "2025-03-01").rijen == ()


def test_national_definition_whatever_the_swv_profile_rule_13() -> None:
    zonder_b3 = Beleid(profiel=DefinitieProfiel("seed-004", frozenset({Categorie.B2A})))
    k = kind("100001", [ingeschreven(), feit(Uitschrijving, "2024-10-01", vestiging=SCHOOL)])
    rij = enige_rij(k, "2024-12-01", beleid=zonder_b3)
    assert rij.typering is Typering.ABSOLUUT_VERZUIMER
    assert rij.ziek_gemeld_door_ouders is None  # not enrolled: nobody to report sick to


def test_rule_2_outside_leerplicht_left_out_18_plus() -> None:
    volwassen = Geboorte(2005, 1)  # 18 in January 2023
    k = kind("100001", b2a_episode("2024-09-02", "2025-01-06"), geboorte=volwassen)
    assert register([k], "2025-03-01").rijen == ()


def test_rule_2_outside_leerplicht_left_out_4_year_old_not_enrolled() -> None:
    vier = Geboorte(2020, 6)  # leerplichtig from 1 July 2025
    k = kind("100001", [feit(VerzuimGestart, "2024-09-02")], geboorte=vier)
    assert register([k], "2025-06-01").rijen == ()


def test_rule_2_child_turning_18_stays_listed_with_reason_rule_16() -> None:
    k = kind(
        "100001",
        [ingeschreven(), feit(VerzuimGestart, "2024-09-02")],
        geboorte=Geboorte(2006, 10, 15),
    )
    rij = enige_rij(k, "2024-12-01")
    assert rij.categorie_peildatum is Categorie.GEEN
    assert rij.einddatum == d("2024-10-15")
    assert rij.reden_beeindigd is Beeindigingsreden.ACHTTIEN_JAAR
    assert rij.leeftijd == 18


def test_a2a_included_art_5_onder_a_seed_000() -> None:
    k = kind("100001", [feit(VrijstellingVerleend, "2024-08-26", grond=VrijstellingGrond.ART_5_A)])
    rij = enige_rij(k, "2024-12-01")
    assert rij.typering is Typering.VRIJSTELLING
    assert rij.categorie_peildatum is Categorie.A2A
    assert rij.ziek_gemeld_door_ouders is None
    assert not rij.pact_overschreden


def test_ending_reason_from_the_ending_fact_rule_16() -> None:
    k = kind("100001", b2a_episode(reden=Beeindigingsreden.MELDING_VERKEERD))
    assert enige_rij(k, "2024-12-01").reden_beeindigd is Beeindigingsreden.MELDING_VERKEERD


def test_ending_reason_ontheffing_when_a_vrijstelling_follows_rule_16() -> None:
    k = kind(
        "100001",
        [
            ingeschreven(),
            feit(VerzuimGestart, "2024-09-02"),
            feit(Uitschrijving, "2024-11-04", vestiging=SCHOOL),
            feit(VrijstellingVerleend, "2024-11-04", grond=VrijstellingGrond.ART_5_C),
        ],
    )
    rij = enige_rij(k, "2024-12-01")
    assert rij.reden_beeindigd is Beeindigingsreden.ONTHEFFING_VRIJSTELLING
    assert rij.categorie_peildatum is Categorie.A2C


def test_ending_reason_not_invented_when_unknown_rule_16() -> None:
    k = kind("100001", [*b2a_episode()[:2], feit(Ziekmelding, "2024-11-04")])
    rij = enige_rij(k, "2024-12-01")
    assert rij.einddatum == d("2024-11-04")
    assert rij.reden_beeindigd is None


def test_thuiszitter_then_absoluut_verzuimer_is_one_row_with_its_course() -> None:
    k = kind(
        "100001",
        [
            ingeschreven(),
            feit(VerzuimGestart, "2024-08-26"),
            feit(Uitschrijving, "2024-12-02", vestiging=SCHOOL),
        ],
    )
    rij = enige_rij(k, "2025-03-01")
    assert rij.verloop == (Categorie.B2A, Categorie.B2B, Categorie.B3)
    assert rij.hoogste_categorie is Categorie.B3
    assert rij.typering is Typering.ABSOLUUT_VERZUIMER
    assert rij.startdatum == d("2024-12-02")
    assert rij.aantal_episodes == 2


def test_latest_of_two_episodes_is_shown() -> None:
    k = kind(
        "100001",
        [
            *b2a_episode("2024-08-26", "2024-10-07"),
            feit(VerzuimGestart, "2025-01-06"),
            feit(VerzuimBeeindigd, "2025-02-24"),
        ],
    )
    rij = enige_rij(k, "2025-03-01")
    assert (rij.startdatum, rij.aantal_episodes) == (d("2025-01-06"), 2)


def test_start_is_day_one_of_the_absence_and_duration_counts_the_peildatum() -> None:
    k = kind("100001", [ingeschreven(), feit(VerzuimGestart, "2024-10-01")])
    rij = enige_rij(k, "2024-12-01")
    assert rij.startdatum == d("2024-10-01")
    assert rij.duur_dagen == 62
    assert rij.duurklasse is Duurklasse.VIER_WEKEN_TOT_3_MAANDEN


@pytest.mark.parametrize(
    ("start", "laatste", "klasse"),
    [
        ("2024-01-08", "2024-02-04", Duurklasse.TOT_4_WEKEN),  # day 28
        ("2024-01-08", "2024-02-05", Duurklasse.VIER_WEKEN_TOT_3_MAANDEN),  # day 29 = B2a
        ("2024-01-08", "2024-04-07", Duurklasse.VIER_WEKEN_TOT_3_MAANDEN),
        ("2024-01-08", "2024-04-08", Duurklasse.LANGER_DAN_3_MAANDEN),  # = B2b
    ],
)
def test_duration_buckets_match_b2a_and_b2b_days(
    start: str, laatste: str, klasse: Duurklasse
) -> None:
    assert duurklasse(d(start), d(laatste)) is klasse


@pytest.mark.parametrize(
    ("geboorte", "peildatum", "jaren"),
    [
        (Geboorte(2012, 3), "2024-03-31", 11),  # month precision: birthday counts from 1 April
        (Geboorte(2012, 3), "2024-04-01", 12),
        (Geboorte(2012, 3, 15), "2024-03-14", 11),
        (Geboorte(2012, 3, 15), "2024-03-15", 12),
        (Geboorte(2008, 2, 29), "2025-02-28", 16),
        (Geboorte(2008, 2, 29), "2025-03-01", 17),
        (Geboorte(2008, 2, 29), "2024-02-29", 16),
    ],
)
def test_age_on_the_peildatum_in_whole_years(
    geboorte: Geboorte, peildatum: str, jaren: int
) -> None:
    assert leeftijd(geboorte, d(peildatum)) == jaren


@pytest.mark.parametrize(
    ("jaren", "groep"),
    [
        (5, Leeftijdsgroep.TOT_12),
        (11, Leeftijdsgroep.TOT_12),
        (12, Leeftijdsgroep.TOT_16),
        (15, Leeftijdsgroep.TOT_16),
        (16, Leeftijdsgroep.TOT_18),
        (17, Leeftijdsgroep.TOT_18),
        (18, Leeftijdsgroep.VANAF_18),
    ],
)
def test_age_groups(jaren: int, groep: Leeftijdsgroep) -> None:
    assert leeftijdsgroep(jaren) is groep


# -- fields from the facts --------------------------------------------------------------------


def test_sick_reported_by_parents_then_jeugdarts_verdict_and_designation_rule_4() -> None:
    k = kind(
        "100001",
        [
            ingeschreven(),
            feit(Ziekmelding, "2024-09-02", door_ouders=True),
            feit(JeugdartsOordeel, "2024-09-16", belastbaarheid=Belastbaarheid.GEDEELTELIJK),
            feit(OngeoorloofdAangemerkt, "2024-09-16"),
        ],
    )
    rij = enige_rij(k, "2024-12-01")
    assert rij.ziek_gemeld_door_ouders is True
    assert rij.startdatum == d("2024-09-16")


@pytest.mark.parametrize(
    ("extra", "verwacht"),
    [
        ([], False),
        ([feit(Ziekmelding, "2024-11-25", door_ouders=False)], False),  # reported by the school
        (
            [
                feit(Ziekmelding, "2024-08-26", door_ouders=True),
                feit(Ziekmelding, "2024-08-27", door_ouders=True),  # a second one changes nothing
                feit(ZiekmeldingBeeindigd, "2024-09-02"),
                feit(ZiekmeldingBeeindigd, "2024-09-03"),
            ],
            True,
        ),
        (
            [
                feit(Ziekmelding, "2024-08-19", door_ouders=True),
                feit(OnderwijsHervat, "2024-08-21", hervatting=Hervatting.VOLLEDIG),
            ],
            False,  # sickness over before the absence began
        ),
        (
            [
                feit(Ziekmelding, "2024-08-19", door_ouders=False),
                feit(ZiekmeldingBeeindigd, "2024-08-21"),
            ],
            False,
        ),
        ([feit(Ziekmelding, "2025-01-06", door_ouders=True)], False),  # after the episode
    ],
    ids=["none", "by-school", "overlapping", "before", "by-school-ended", "after"],
)
def test_sick_reported_by_parents_yes_or_no(extra: list, verwacht: bool) -> None:  # type: ignore[type-arg]
    k = kind("100001", [*b2a_episode("2024-09-02", "2024-12-02"), *extra])
    assert enige_rij(k, "2024-12-01").ziek_gemeld_door_ouders is verwacht


def b2b(*extra: object) -> list:  # type: ignore[type-arg]
    return [ingeschreven(), feit(VerzuimGestart, "2024-08-26"), *extra]


def test_aanbod_running_at_the_end_of_the_episode() -> None:
    plan = feit(
        AanbodGestart,
        "2024-10-01",
        aanbod=AanbodSoort.THUISWERKPLAN,
        keer_op_school_per_week=2,
        uren_op_school_per_week=4.0,
    )
    k = kind("100001", b2b(plan))
    rij = enige_rij(k, "2024-12-01")
    assert rij.aanbod is AanbodSoort.THUISWERKPLAN
    assert not rij.pact_overschreden


def test_aanbod_ended_or_not_yet_started_is_no_aanbod() -> None:
    k = kind(
        "100001",
        b2b(
            feit(AanbodGestart, "2024-09-01", aanbod=AanbodSoort.PASSEND_AANBOD),
            feit(AanbodBeeindigd, "2024-10-01"),
            feit(AanbodGestart, "2024-12-02", aanbod=AanbodSoort.PASSEND_AANBOD),
        ),
    )
    rij = enige_rij(k, "2024-12-01")
    assert rij.aanbod is None
    assert rij.pact_overschreden


@pytest.mark.parametrize(
    ("aanbod", "telt", "breuk"),
    [
        (None, ThuiswerkplanTelling.ALTIJD, True),
        (AanbodSoort.THUISWERKPLAN, ThuiswerkplanTelling.ALTIJD, False),
        (AanbodSoort.THUISWERKPLAN, ThuiswerkplanTelling.MET_SCHOOLTIJD, True),
        (AanbodSoort.THUISWERKPLAN, ThuiswerkplanTelling.NOOIT, True),
        (AanbodSoort.PASSEND_AANBOD, ThuiswerkplanTelling.NOOIT, False),
    ],
)
def test_thuiszitterspact_breach_rule_12(
    aanbod: AanbodSoort | None, telt: ThuiswerkplanTelling, breuk: bool
) -> None:
    """Rule 12: a thuiswerkplan without hours at school does not stop the signal by default."""
    extra = [] if aanbod is None else [feit(AanbodGestart, "2024-10-01", aanbod=aanbod)]
    k = kind("100001", b2b(*extra))
    beleid = Beleid(thuiswerkplan_telt_als_aanbod=telt)
    assert enige_rij(k, "2024-12-01", beleid=beleid).pact_overschreden is breuk
    assert not enige_rij(k, "2024-11-25", beleid=beleid).pact_overschreden  # not yet 3 months


def test_row_agrees_with_status_on_category_and_pact_for_a_generated_region() -> None:
    beleid = Beleid()
    peildatum = date(2025, 3, 1)
    kinderen = {k.pseudoniem: k for k in genereer_kinderen(3000, seed=7)}
    reg = inspectie_register(kinderen.values(), beleid, peildatum=peildatum)
    assert len(reg.rijen) > 20
    for rij in reg.rijen:
        k = kinderen[rij.pseudoniem]
        status = bepaal_status(k.leerling, k.feiten, beleid, peildatum=peildatum)
        assert rij.categorie_peildatum is status.categorie
        pact = any(s.signaal is Signaal.THUISZITTERSPACT for s in status.signalen)
        assert rij.pact_overschreden is pact


# -- pass-through, anonymity, order, bitemporality -------------------------------------------


def test_soort_and_jeugdhulp_passed_through_not_invented() -> None:
    met = kind("1", b2a_episode(), soort=SoortThuiszitter.SPIJBELAAR, jeugdhulp="Wijkteam Demo")
    zonder = kind("2", b2a_episode())
    rijen = register([met, zonder], "2024-12-01").rijen
    assert (rijen[0].soort, rijen[0].jeugdhulp) == (SoortThuiszitter.SPIJBELAAR, "Wijkteam Demo")
    assert (rijen[1].soort, rijen[1].jeugdhulp) == (None, None)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pseudoniem": ""},
        {"jeugdhulp": "Wijkteam, contact 0612345678"},
        {"jeugdhulp": "mail@voorbeeld.nl"},
        {"jeugdhulp": "x" * 81},
    ],
)
def test_child_input_refuses_empty_pseudonym_and_identifying_free_text(
    kwargs: dict[str, str],
) -> None:
    velden: dict[str, Any] = {"pseudoniem": "1", **kwargs}
    with pytest.raises(ValueError):  # noqa: PT011
        kind(velden.pop("pseudoniem"), [], **velden)


def test_rows_sorted_by_pseudonym_whatever_the_input_order() -> None:
    kinderen = [kind(p, b2a_episode()) for p in ("300003", "100001", "200002")]
    rijen = register(kinderen, "2024-12-01").rijen
    assert [r.pseudoniem for r in rijen] == ["100001", "200002", "300003"]
    assert register(kinderen[::-1], "2024-12-01") == register(kinderen, "2024-12-01")


def test_duplicate_pseudonym_is_refused() -> None:
    with pytest.raises(ValueError, match="pseudoniem"):
        register([kind("1", b2a_episode()), kind("1", b2a_episode())], "2024-12-01")


def test_bitemporal_as_known_on_the_submission_moment() -> None:
    feiten = b2a_episode()
    ingetrokken = feit(
        Intrekking, "2024-09-02", geregistreerd="2024-12-20", betreft=feiten[1].id, reden="fout"
    )
    k = kind("100001", [*feiten, ingetrokken])
    assert register([k], "2024-12-01", bekend_op="2024-12-10").rijen
    assert register([k], "2024-12-01").rijen == ()


def test_vrijstelling_ended_stays_listed_until_the_school_year_ends() -> None:
    k = kind(
        "100001",
        [
            feit(VrijstellingVerleend, "2024-08-26", grond=VrijstellingGrond.ART_5_A),
            feit(VrijstellingBeeindigd, "2024-10-01", grond=VrijstellingGrond.ART_5_A),
            ingeschreven("2024-10-01"),
        ],
    )
    rij = enige_rij(k, "2025-06-01")
    assert (rij.typering, rij.einddatum) == (Typering.VRIJSTELLING, d("2024-10-01"))


def test_lesweken_counting_uses_the_calendar_rule_14() -> None:
    beleid = Beleid(weektelling=Weektelling.LESWEKEN)
    kalender = NepKalender(("2024-10-19", "2024-10-27"))
    k = kind("100001", [ingeschreven(), feit(VerzuimGestart, "2024-10-01")])
    reg = inspectie_register(
        [k], beleid, peildatum=d("2024-11-04"), kalender=kalender
    )  # day 35 in calendar days, day 26 in lesdagen: still B1
    assert reg.rijen == ()
    assert register([k], "2024-11-04").rijen  # calendar days: B2a
