"""The fold's own contracts: fact order within a day, unknown fact classes, the public helper."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.beleid import Beleid
from app.domain.classificatie import LANDELIJKE_THUISZITTERS, VERZUIM, Categorie
from app.domain.feiten import (
    Correctie,
    Feit,
    Inschrijving,
    Intrekking,
    Uitschrijving,
    VerzuimGestart,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.status import Signaal, Status, Verklaring, _Status, _Verklaring, bepaal_status
from app.domain.tijdlijn import _Vouw, bepaal_tijdlijn, geldende_feiten
from tests.domain.bouwers import KIND, d, feit, moment, status
from tests.domain.strategieen import basisfeit

INGESCHREVEN = feit(Inschrijving, "2022-08-22", vestiging="01AB00", id="inschrijving")


def test_rule_11_geldende_feiten_orders_a_day_by_registration_then_ends_first() -> None:
    start = feit(Ziekmelding, "2024-01-08", id="b", geregistreerd="2024-01-09")
    einde = feit(ZiekmeldingBeeindigd, "2024-01-08", id="c", geregistreerd="2024-01-09")
    vroeg = feit(VerzuimGestart, "2024-01-08", id="a", geregistreerd="2024-01-10")
    eerder = feit(Ziekmelding, "2024-01-08", id="z", geregistreerd="2024-01-08")
    later_dag = feit(VerzuimGestart, "2024-01-09", id="0")
    geldend, problemen = geldende_feiten([later_dag, vroeg, start, einde, eerder, INGESCHREVEN])
    assert [f.id for f in geldend] == ["inschrijving", "z", "c", "b", "a", "0"]
    assert problemen == []


def test_rule_15_geldende_feiten_applies_corrections_as_known_then() -> None:
    v1 = feit(VerzuimGestart, "2024-01-08", id="v1")
    v2 = feit(VerzuimGestart, "2024-02-05", id="v2", geregistreerd="2024-02-10")
    correctie = feit(
        Correctie,
        "2024-02-05",
        betreft="v1",
        reden="datum",
        vervanging=v2,
        geregistreerd="2024-02-10",
    )
    weg = feit(Intrekking, "2024-01-09", betreft="nergens", reden="x", id="weg")
    feiten = [correctie, v1, INGESCHREVEN, weg]
    geldend, problemen = geldende_feiten(iter(feiten))
    assert [f.id for f in geldend] == ["inschrijving", "v2"]
    assert [p.feit_ids for p in problemen] == [("weg",)]
    geldend, problemen = geldende_feiten(feiten, moment("2024-02-01"))
    assert [f.id for f in geldend] == ["inschrijving", "v1"]
    assert [p.feit_ids for p in problemen] == [("weg",)]


def test_rule_11_same_day_facts_in_any_arrival_order_give_one_answer() -> None:
    # a school switch and a sickness on one day, registered at different moments
    feiten: list[Feit] = [
        INGESCHREVEN,
        feit(
            Inschrijving, "2024-01-08", vestiging="02CD00", id="nieuw", geregistreerd="2024-01-09"
        ),
        feit(Uitschrijving, "2024-01-08", vestiging="01AB00", id="uit", geregistreerd="2024-01-09"),
        feit(Ziekmelding, "2024-01-08", id="ziek"),
    ]
    verwacht = status(feiten, "2024-03-01")
    assert status(feiten[::-1], "2024-03-01") == verwacht
    assert verwacht.categorie is Categorie.A1
    assert not [s for s in verwacht.signalen if s.signaal is Signaal.DATAPROBLEEM]


@dataclass(frozen=True, slots=True, kw_only=True)
class _EigenZiekmelding(Ziekmelding):
    """A subclass of a fact class, as another module might define one."""

    bron: str = "test"


def test_rule_11_a_subclass_of_a_fact_class_is_folded_as_that_class() -> None:
    eigen = _EigenZiekmelding(
        id="z", geldig_vanaf=d("2024-01-08"), geregistreerd_op=moment("2024-01-08")
    )
    gewoon = feit(Ziekmelding, "2024-01-08", id="z")
    for peildatum in ("2024-01-20", "2024-03-01"):
        assert status([INGESCHREVEN, eigen], peildatum) == status([INGESCHREVEN, gewoon], peildatum)
    assert status([INGESCHREVEN, eigen], "2024-03-01").categorie is Categorie.A1


def test_rule_15_a_meta_fact_handed_to_the_fold_itself_has_no_effect() -> None:
    verzuim = feit(VerzuimGestart, "2024-01-08", id="v")
    intrekking = feit(Intrekking, "2024-01-08", betreft="v", reden="x", id="i")
    vouw = _Vouw(KIND, Beleid(), None)
    assert vouw.vouwen([INGESCHREVEN, verzuim, intrekking], d("2024-03-01")) == 3
    met_meta = vouw.raw
    zonder = _Vouw(KIND, Beleid(), None)
    zonder.vouwen([INGESCHREVEN, verzuim], d("2024-03-01"))
    assert met_meta == zonder.raw
    assert (
        bepaal_tijdlijn(KIND, [INGESCHREVEN, verzuim, intrekking], Beleid(), tot=d("2024-03-01"))
        .perioden[-1]
        .categorie
        is Categorie.GEEN
    )


_LEERLING = Leerling("L", Geboorte(2010, 6))
_TOT = date(2025, 1, 31)


@settings(max_examples=150)
@given(
    st.lists(basisfeit(), max_size=14, unique_by=lambda f: f.id),
    st.dates(min_value=date(2023, 8, 1), max_value=_TOT),
)
def test_rule_13_status_agrees_with_the_timeline_on_since_and_explanation(
    feiten: list[Feit], peildatum: date
) -> None:
    status_ = bepaal_status(_LEERLING, feiten, Beleid(), peildatum=peildatum)
    perioden = bepaal_tijdlijn(_LEERLING, feiten, Beleid(), tot=peildatum).perioden
    if not perioden:
        assert status_.sinds is None
        return
    laatste = perioden[-1]
    assert status_.verklaring == Verklaring(laatste.regel, laatste.feit_ids)

    def begin(groep: frozenset[Categorie]) -> date:
        k = len(perioden) - 1
        while k > 0 and perioden[k - 1].categorie in groep:
            k -= 1
        return perioden[k].start

    landelijk = laatste.categorie in LANDELIJKE_THUISZITTERS
    groep = LANDELIJKE_THUISZITTERS if landelijk else frozenset({laatste.categorie})
    assert status_.sinds == begin(groep)
    assert status_.verzuim_sinds == (begin(VERZUIM) if laatste.categorie in VERZUIM else None)


def test_the_fast_status_is_a_frozen_status_equal_to_the_constructors() -> None:
    velden = ("L", d("2024-03-01"), Categorie.B1, False, False, d("2024-02-01"), None, 30, None)
    snel = _Status(*velden, (), _Verklaring("regel 5", ("v",)))
    gewoon = Status(*velden, (), Verklaring("regel 5", ("v",)))
    assert type(snel) is Status
    assert type(snel.verklaring) is Verklaring
    assert snel == gewoon
    assert hash(snel) == hash(gewoon)
    assert repr(snel) == repr(gewoon)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snel.categorie = Categorie.GEEN  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del snel.verklaring.regel
