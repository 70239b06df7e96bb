"""The case's state machine, a test per transition and per refusal; the facts a case states;
weekly due dates and their signals; consent before an OPP (aanpak thuiszitters §1.2, §2.1-2.2;
Regioloket)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.casussen import (
    CasusActie,
    CasusSignaal,
    CasusStatus,
    DocumentSoort,
    PlanActieSoort,
    Toestemming,
    controleer_scenario,
    document_zichtbaar,
    feiten_bij_afsluiten,
    feiten_bij_plan,
    mag_document_vastleggen,
    overgang,
    termijnen,
)
from app.domain.feiten import Beeindigingsreden, FeitSoort
from app.domain.meldingen import Weigering
from app.domain.toegang import Rol

S, A = CasusStatus, CasusActie
R = Beeindigingsreden.OVERIG
DAG = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("van", "actie", "rol", "naar"),
    [
        (S.OPEN, A.PLAN_VASTSTELLEN, Rol.SCHOOLMEDEWERKER, S.PLAN_OPGESTELD),
        (S.PLAN_OPGESTELD, A.PLAN_VASTSTELLEN, Rol.REGISSEUR, S.PLAN_OPGESTELD),
        (S.IN_UITVOERING, A.PLAN_VASTSTELLEN, Rol.LEERPLICHTAMBTENAAR, S.IN_UITVOERING),
        (S.PLAN_OPGESTELD, A.STARTEN, Rol.SCHOOLMEDEWERKER, S.IN_UITVOERING),
        (S.IN_UITVOERING, A.ESCALEREN, Rol.DIRECTEUR, S.GEESCALEERD),
        (S.GEESCALEERD, A.ESCALATIE_BEEINDIGEN, Rol.REGISSEUR, S.IN_UITVOERING),
        (S.IN_UITVOERING, A.DOEL_BEHAALD, Rol.BEGELEIDER, S.DOEL_GEHAALD),
        (S.DOEL_GEHAALD, A.AFSLUITEN, Rol.REGISSEUR, S.AFGESLOTEN),
        (S.OPEN, A.AFSLUITEN, Rol.SCHOOLMEDEWERKER, S.AFGESLOTEN),
    ],
)
def test_transition(van: CasusStatus, actie: CasusActie, rol: Rol, naar: CasusStatus) -> None:
    assert overgang(van, actie, rol, reden=R) is naar


@pytest.mark.parametrize(
    ("van", "actie", "rol", "reden"),
    [
        (S.AFGESLOTEN, A.AFSLUITEN, Rol.REGISSEUR, R),
        (S.OPEN, A.STARTEN, Rol.SECRETARIAAT, R),
        (S.IN_UITVOERING, A.ESCALEREN, Rol.SCHOOLMEDEWERKER, R),
        (S.OPEN, A.AFSLUITEN, Rol.REGISSEUR, None),
        (S.DOEL_GEHAALD, A.PLAN_VASTSTELLEN, Rol.REGISSEUR, R),
        (S.OPEN, A.STARTEN, Rol.REGISSEUR, R),
        (S.PLAN_OPGESTELD, A.ESCALEREN, Rol.REGISSEUR, R),
        (S.IN_UITVOERING, A.ESCALATIE_BEEINDIGEN, Rol.REGISSEUR, R),
        (S.GEESCALEERD, A.DOEL_BEHAALD, Rol.REGISSEUR, R),
    ],
)
def test_refusal(
    van: CasusStatus, actie: CasusActie, rol: Rol, reden: Beeindigingsreden | None
) -> None:
    assert isinstance(overgang(van, actie, rol, reden=reden), Weigering)


def test_rule_12_an_adapted_programme_or_thuiswerkplan_starts_an_offer_once() -> None:
    acties = [
        (PlanActieSoort.AANGEPAST_PROGRAMMA, DAG),
        (PlanActieSoort.THUISWERKPLAN, DAG),
        (PlanActieSoort.GESPREK, DAG),
        (PlanActieSoort.THUISWERKPLAN, DAG),
    ]
    feiten = feiten_bij_plan(acties, [])
    assert [(f.soort, f.gegevens["aanbod"]) for f in feiten] == [
        (FeitSoort.AANBOD_GESTART, "passend-aanbod"),
        (FeitSoort.AANBOD_GESTART, "thuiswerkplan"),
    ]
    assert feiten_bij_plan(acties, acties) == []


def test_rule_16_closing_with_schoolgang_hersteld_states_the_return() -> None:
    (feit,) = feiten_bij_afsluiten(Beeindigingsreden.SCHOOLGANG_HERSTELD, DAG)
    assert feit.soort is FeitSoort.ONDERWIJS_HERVAT
    assert feit.gegevens == {"hervatting": "volledig", "reden": "schoolgang-hersteld"}
    assert feiten_bij_afsluiten(Beeindigingsreden.VERHUIZING, DAG) == []


def test_evaluation_overdue_after_more_than_7_days() -> None:
    def op(dag: date) -> tuple[CasusSignaal, ...]:
        return termijnen(
            S.IN_UITVOERING,
            geopend_op=DAG,
            plan_sinds=DAG,
            laatste_evaluatie=DAG,
            laatste_contact_ouders=dag,
            vandaag=dag,
        ).signalen

    assert op(DAG + timedelta(days=7)) == ()
    assert op(DAG + timedelta(days=8)) == (CasusSignaal.EVALUATIE_ACHTERSTALLIG,)


def test_parent_contact_overdue_counts_from_the_opening_without_contact() -> None:
    t = termijnen(
        S.OPEN,
        geopend_op=DAG,
        plan_sinds=None,
        laatste_evaluatie=None,
        laatste_contact_ouders=None,
        vandaag=DAG + timedelta(days=8),
    )
    assert t.evaluatie_uiterlijk is None
    assert t.signalen == (CasusSignaal.CONTACT_OUDERS_ACHTERSTALLIG,)


def test_no_due_dates_once_the_goal_is_met() -> None:
    t = termijnen(
        S.DOEL_GEHAALD,
        geopend_op=DAG,
        plan_sinds=DAG,
        laatste_evaluatie=None,
        laatste_contact_ouders=None,
        vandaag=DAG + timedelta(days=30),
    )
    assert t.signalen == ()


def test_an_opp_only_under_a_current_consent() -> None:
    gegeven = Toestemming(DocumentSoort.OPP, DAG)
    assert not mag_document_vastleggen(DocumentSoort.OPP, [], DAG)
    assert mag_document_vastleggen(DocumentSoort.VERSLAG, [], DAG)
    assert mag_document_vastleggen(DocumentSoort.OPP, [gegeven], DAG)
    assert not mag_document_vastleggen(DocumentSoort.DOSSIER, [gegeven], DAG)
    assert not Toestemming(DocumentSoort.OPP, DAG).geldt_op(DAG - timedelta(days=1))
    verlopen = Toestemming(DocumentSoort.OPP, DAG, geldig_tot_en_met=DAG)
    assert verlopen.geldt_op(DAG), "the last day (tot en met) still counts"
    assert not verlopen.geldt_op(DAG + timedelta(days=1))
    ingetrokken = Toestemming(DocumentSoort.OPP, DAG, ingetrokken_op=DAG + timedelta(days=2))
    assert ingetrokken.geldt_op(DAG + timedelta(days=1))
    assert not ingetrokken.geldt_op(DAG + timedelta(days=2))


def test_withdrawing_consent_hides_the_document_from_other_roles() -> None:
    ingetrokken = [Toestemming(DocumentSoort.OPP, DAG, ingetrokken_op=DAG)]
    school, regisseur = Rol.SCHOOLMEDEWERKER, Rol.REGISSEUR
    assert document_zichtbaar(DocumentSoort.OPP, school, school, ingetrokken, DAG)
    assert not document_zichtbaar(DocumentSoort.OPP, school, regisseur, ingetrokken, DAG)


def test_the_scenario_record_holds_only_the_12_questions() -> None:
    assert controleer_scenario({"doel": "x", "mandaat": "y"}) == []
    assert controleer_scenario({"doel": "x", "weer": "z"}) == ["weer"]
