"""Properties of the fold (issue item 7), checked with hypothesis over random fact sets."""

from __future__ import annotations

import dataclasses
import itertools
import random
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.beleid import Beleid
from app.domain.classificatie import LANDELIJKE_THUISZITTERS
from app.domain.feiten import Feit, Intrekking
from app.domain.leerling import Geboorte, Leerling
from app.domain.status import bepaal_status
from app.domain.tijdlijn import bepaal_tijdlijn
from tests.domain.strategieen import MOMENTEN, basisfeit

LEERLING = Leerling("L", Geboorte(2010, 6))
BELEID = Beleid()
TOT = date(2025, 1, 31)
FEITEN = st.lists(basisfeit(), max_size=14, unique_by=lambda f: f.id)
PEILDATA = st.dates(min_value=date(2023, 8, 1), max_value=TOT)


@settings(max_examples=150)
@given(FEITEN, st.randoms(use_true_random=False), PEILDATA)
def test_rule_11_order_of_arrival_never_changes_the_outcome(
    feiten: list[Feit], rnd: random.Random, peildatum: date
) -> None:
    geschud = list(feiten)
    rnd.shuffle(geschud)
    assert bepaal_tijdlijn(LEERLING, feiten, BELEID, tot=TOT) == bepaal_tijdlijn(
        LEERLING, geschud, BELEID, tot=TOT
    )
    assert bepaal_status(LEERLING, feiten, BELEID, peildatum=peildatum) == bepaal_status(
        LEERLING, geschud, BELEID, peildatum=peildatum
    )


@settings(max_examples=150)
@given(FEITEN, basisfeit(), MOMENTEN, PEILDATA)
def test_rule_15_a_later_recorded_fact_never_changes_an_earlier_answer(
    feiten: list[Feit], later: Feit, bekend_op: datetime, peildatum: date
) -> None:
    nieuw = dataclasses.replace(later, geregistreerd_op=bekend_op + timedelta(seconds=1))
    voor = bepaal_status(LEERLING, feiten, BELEID, peildatum=peildatum, bekend_op=bekend_op)
    na = bepaal_status(LEERLING, [*feiten, nieuw], BELEID, peildatum=peildatum, bekend_op=bekend_op)
    assert voor == na


@settings(max_examples=150)
@given(FEITEN)
def test_rule_11_one_category_per_child_per_day(feiten: list[Feit]) -> None:
    tijdlijn = bepaal_tijdlijn(LEERLING, feiten, BELEID, tot=TOT)
    perioden = tijdlijn.perioden
    for vorige, volgende in itertools.pairwise(perioden):
        assert vorige.einde is not None
        assert vorige.start <= vorige.einde
        assert vorige.einde + timedelta(days=1) == volgende.start
        assert (vorige.categorie, vorige.regel) != (volgende.categorie, volgende.regel)
    if perioden:
        assert perioden[-1].einde is None
        assert perioden[-1].start <= TOT


@settings(max_examples=150)
@given(FEITEN, PEILDATA)
def test_rule_13_national_thuiszitter_is_always_b2a_b2b_or_b3(
    feiten: list[Feit], peildatum: date
) -> None:
    status = bepaal_status(LEERLING, feiten, BELEID, peildatum=peildatum)
    assert status.thuiszitter_landelijk is (status.categorie in LANDELIJKE_THUISZITTERS)
    tijdlijn = bepaal_tijdlijn(LEERLING, feiten, BELEID, tot=peildatum)
    if tijdlijn.perioden:
        assert tijdlijn.perioden[-1].categorie is status.categorie


@settings(max_examples=150)
@given(FEITEN.filter(bool), st.data(), PEILDATA)
def test_rule_15_a_withdrawn_fact_has_no_effect(
    feiten: list[Feit], data: st.DataObject, peildatum: date
) -> None:
    weg = data.draw(st.sampled_from(feiten))
    intrekking = Intrekking(
        id="intrekking",
        geldig_vanaf=weg.geldig_vanaf,
        geregistreerd_op=weg.geregistreerd_op + timedelta(days=1),
        betreft=weg.id,
        reden="de melding was verkeerd gedaan",
    )
    zonder = [f for f in feiten if f is not weg]
    assert bepaal_tijdlijn(LEERLING, [*feiten, intrekking], BELEID, tot=TOT) == bepaal_tijdlijn(
        LEERLING, zonder, BELEID, tot=TOT
    )
    assert bepaal_status(
        LEERLING, [*feiten, intrekking], BELEID, peildatum=peildatum
    ) == bepaal_status(LEERLING, zonder, BELEID, peildatum=peildatum)
