"""The fast fold agrees with the day-by-day reference classifier (tests/domain/orakel.py)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.beleid import Beleid, Frequentie, Weektelling
from app.domain.classificatie import Categorie
from app.domain.feiten import (
    AdministratieveOnvolkomenheid,
    Feit,
    Inschrijving,
    JeugdartsOordeel,
    OnderwijsHervat,
    OngeoorloofdAangemerkt,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    WachtOpPlek,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.regio import Regio
from app.domain.tijdlijn import bepaal_tijdlijn
from tests.domain.bouwers import NepKalender, d, feit
from tests.domain.orakel import Dag, classificeer
from tests.domain.strategieen import basisfeit, feit_van

TOT = date(2025, 1, 31)
MOMENT = datetime(2023, 8, 1, tzinfo=UTC)
# Children in compulsory schooling all along, starting it, ending leerplicht, turning 18.
LEERLINGEN = st.sampled_from(
    [
        Leerling("L", Geboorte(2010, 6), Regio.MIDDEN),
        Leerling("K", Geboorte(2018, 10), Regio.NOORD),
        Leerling("J", Geboorte(2008, 2, 29), Regio.ZUID),
        Leerling("H", Geboorte(2006, 5), Regio.MIDDEN),
    ]
)
KALENDER = NepKalender(
    ("2023-10-14", "2023-10-22"),
    ("2023-12-23", "2024-01-07"),
    ("2024-02-10", "2024-02-18"),
    ("2024-04-27", "2024-05-05"),
    ("2024-07-06", "2024-08-18"),
    ("2024-10-19", "2024-10-27"),
    ("2024-12-21", "2025-01-05"),
)
BELEIDEN = st.sampled_from(
    [
        Beleid(),
        Beleid(weektelling=Weektelling.LESWEKEN),
        Beleid(jeugdarts_oordeel_maakt_ongeoorloofd=True),
        Beleid(a1_frequentie=None, b2_na_dagen=14, a1_na_dagen=10),
        Beleid(weektelling=Weektelling.LESWEKEN, a1_frequentie=Frequentie(2, 30)),
    ]
)
# The kinds that shape absence runs, drawn more often than the rest so runs get long.
VERZUIMFEITEN = st.one_of(
    *(
        feit_van(c)
        for c in (
            Inschrijving,
            Uitschrijving,
            VerzuimGestart,
            WachtOpPlek,
            Ziekmelding,
            JeugdartsOordeel,
            OngeoorloofdAangemerkt,
        )
    )
)
RUIS = st.lists(st.one_of(basisfeit(), VERZUIMFEITEN), max_size=16, unique_by=lambda f: f.id)


@st.composite
def _op_volgorde(draw: st.DrawFn) -> list[Feit]:
    """A plausible story: each fact of a sickness or absence after the one before it."""
    blokken = draw(
        st.lists(
            st.sampled_from(
                [
                    (Ziekmelding, JeugdartsOordeel, OngeoorloofdAangemerkt),
                    (Ziekmelding, JeugdartsOordeel),
                    (Ziekmelding,),
                    (ZiekmeldingBeeindigd,),
                    (VerzuimGestart,),
                    (VerzuimBeeindigd,),
                    (WachtOpPlek,),
                    (OnderwijsHervat,),
                    (Uitschrijving, AdministratieveOnvolkomenheid),
                    (Uitschrijving,),
                    (Inschrijving,),
                ]
            ),
            min_size=1,
            max_size=5,
        )
    )
    soorten = [soort for blok in blokken for soort in blok]
    dag = draw(st.dates(min_value=date(2023, 8, 1), max_value=date(2024, 3, 1)))
    feiten: list[Feit] = [
        Inschrijving(
            id="start", geldig_vanaf=date(2023, 8, 1), geregistreerd_op=MOMENT, vestiging="01AB00"
        )
    ]
    for k, soort in enumerate(soorten):
        dag += timedelta(days=draw(st.integers(min_value=0, max_value=60)))
        los: Any = dataclasses.replace(draw(feit_van(soort)), id=f"s{k}", geldig_vanaf=dag)
        if isinstance(los, Inschrijving | Uitschrijving):  # the one school, so enrolment ends
            los = dataclasses.replace(los, vestiging="01AB00")
        elif isinstance(los, AdministratieveOnvolkomenheid):
            dagen = draw(st.integers(min_value=0, max_value=20))
            los = dataclasses.replace(los, tot_en_met=dag + timedelta(days=dagen))
        feiten.append(los)
    return feiten


GESCHIEDENISSEN = st.one_of(
    RUIS, st.builds(lambda a, b: [*a, *b], _op_volgorde(), RUIS.map(lambda r: r[:4]))
)


def _per_dag_van_de_vouw(
    leerling: Leerling, feiten: list[Feit], beleid: Beleid
) -> tuple[dict[date, tuple[Categorie, str]], dict[date, tuple[str, ...]]]:
    tijdlijn = bepaal_tijdlijn(leerling, feiten, beleid, tot=TOT, kalender=KALENDER)
    dagen: dict[date, tuple[Categorie, str]] = {}
    starts: dict[date, tuple[str, ...]] = {}
    for p in tijdlijn.perioden:
        starts[p.start] = p.feit_ids
        dag, einde = p.start, p.einde or TOT
        while dag <= einde:
            dagen[dag] = (p.categorie, p.regel)
            dag += timedelta(days=1)
    return dagen, starts


@settings(max_examples=200)
@given(LEERLINGEN, GESCHIEDENISSEN, BELEIDEN)
def test_rules_2_to_11_the_fold_agrees_with_the_day_by_day_oracle(
    leerling: Leerling, feiten: list[Feit], beleid: Beleid
) -> None:
    """Regels 2-11 and 14: every day's category and deciding rule, and each period's facts."""
    orakel = classificeer(leerling, feiten, beleid, tot=TOT, kalender=KALENDER)
    dagen, starts = _per_dag_van_de_vouw(leerling, feiten, beleid)
    assert dagen == {dag: (o.categorie, o.regel) for dag, o in orakel.items()}
    for start, ids in starts.items():
        assert ids == orakel[start].feit_ids, start


def test_oracle_counts_the_unexcused_run_day_by_day() -> None:
    """Regel 5 on the oracle itself: day 29 is B2a, three months later B2b."""
    leerling = Leerling("L", Geboorte(2010, 6))
    feiten = [
        feit(Inschrijving, "2023-08-28", vestiging="01AB00"),
        feit(VerzuimGestart, "2024-01-08", id="v"),
    ]
    orakel = classificeer(leerling, feiten, Beleid(), tot=d("2024-04-08"))
    assert orakel[d("2024-02-04")] == Dag(Categorie.B1, "regel 5", ("v",))
    assert orakel[d("2024-02-05")].categorie is Categorie.B2A
    assert orakel[d("2024-04-07")].categorie is Categorie.B2A
    assert orakel[d("2024-04-08")].categorie is Categorie.B2B
