"""Leerplicht delivery items: read per item (every problem, never a value), the ordinary facts
they append (regel 7, 8, 11), and the koppelvoorstel decision (one transition, one refusal each)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.domain.feiten import FeitSoort, VrijstellingGrond, feit_uit_dict
from app.domain.leerplichtleveringen import (
    Besluit,
    Item,
    ItemSoort,
    OngeldigItem,
    VoorstelStatus,
    Weigering,
    beslis,
    feiten_van,
    lees_item,
    open_einde,
    registratie_problemen,
)
from app.domain.toegang import Rol

VANDAAG = date(2026, 12, 7)
SCHOOL = "6f1c3a52-8a51-4c1e-9b0e-3f5f2d0c1a11"


def ruw(**extra: object) -> dict[str, object]:
    return {
        "referentie": "LP-0001",
        "soort": "absoluut-verzuim",
        "vanaf": "2026-10-05",
        "geboortejaar": "2013",
        "geboortemaand": 4,
        "woongemeente": "GM0014",
        "regio": "noord",
        **extra,
    }


def problemen(data: dict[str, object], *, geidentificeerd: bool = False) -> dict[str, str]:
    with pytest.raises(OngeldigItem) as fout:
        lees_item(data, VANDAAG, geidentificeerd=geidentificeerd)
    return {p.veld: p.probleem for p in fout.value.problemen}


def test_a_complete_absoluut_verzuim_item_is_read() -> None:
    item = lees_item(ruw(), VANDAAG, geidentificeerd=False)
    assert item == Item(
        referentie="LP-0001",
        soort=ItemSoort.ABSOLUUT_VERZUIM,
        vanaf=date(2026, 10, 5),
        geboortejaar=2013,
        geboortemaand=4,
        woongemeente="GM0014",
        regio="noord",
    )
    assert registratie_problemen(item) == []


def test_empty_csv_cells_are_absent_values() -> None:
    item = lees_item(
        ruw(einde="", grond=" ", geboortejaar="", geboortemaand=None),
        VANDAAG,
        geidentificeerd=False,
    )
    assert item.einde is None
    assert item.geboortejaar is None
    assert {p.veld for p in registratie_problemen(item)} == {"geboortejaar", "geboortemaand"}


def test_every_problem_is_listed_and_no_value_is_repeated() -> None:
    data: dict[str, Any] = {
        "referentie": "geen spaties!",
        "soort": "iets",
        "vanaf": "5-10-2026",
        "einde": "2026-13-01",
        "geboortejaar": "twee",
        "geboortemaand": 13,
        "woongemeente": "Groningen",
        "regio": "west",
        "schoolId": "vestiging",
        "naam": "Fictief Kind",
    }
    gevonden = problemen(data)
    assert set(gevonden) == {
        "referentie",
        "soort",
        "vanaf",
        "einde",
        "geboortejaar",
        "geboortemaand",
        "woongemeente",
        "regio",
        "schoolId",
        "naam",
    }
    tekst = " ".join(gevonden.values())
    for waarde in ("geen spaties!", "iets", "5-10-2026", "Groningen", "west", "Fictief Kind"):
        assert waarde not in tekst


def test_missing_reference_kind_and_start_are_named() -> None:
    assert problemen({}) == {
        "referentie": "ontbreekt",
        "soort": problemen({"soort": 1})["soort"],
        "vanaf": "ontbreekt",
    }


def test_a_reference_must_be_text() -> None:
    assert problemen(ruw(referentie=42))["referentie"] == "moet tekst zijn"


def test_booleans_are_no_birth_years() -> None:
    assert "geboortejaar" in problemen(ruw(geboortejaar=True))


def test_dates_far_ahead_or_before_1990_are_refused() -> None:
    assert "vanaf" in problemen(ruw(vanaf="1989-12-31"))
    assert "vanaf" in problemen(ruw(vanaf="2028-01-01"))


def test_an_end_lies_after_the_start() -> None:
    """Periods are half-open: the end is the first day the situation no longer holds."""
    assert problemen(ruw(einde="2026-10-05", schoolId=SCHOOL)) == {"einde": "moet na vanaf liggen"}


def test_the_end_of_absoluut_verzuim_names_the_vestiging_of_enrolment() -> None:
    """Regel 7: absoluut verzuim ends when the child is enrolled somewhere."""
    assert set(problemen(ruw(einde="2026-11-01"))) == {"schoolId"}


def test_a_vrijstelling_needs_its_legal_ground() -> None:
    """Regel 8 and LPW art. 5: store the legal ground explicitly."""
    assert set(problemen(ruw(soort="vrijstelling"))) == {"grond"}
    assert set(problemen(ruw(soort="vrijstelling", grond="art-99"))) == {"grond"}


def test_a_ground_belongs_to_a_vrijstelling_only() -> None:
    assert set(problemen(ruw(grond="art-5-a"))) == {"grond"}


def test_an_onvolkomenheid_has_a_last_day_not_an_end() -> None:
    """Regel 7: an explained gap, from vanaf up to and including totEnMet."""
    soort = "administratieve-onvolkomenheid"
    assert set(problemen(ruw(soort=soort))) == {"totEnMet"}
    assert set(problemen(ruw(soort=soort, totEnMet="2026-10-01"))) == {"totEnMet"}
    assert set(problemen(ruw(soort=soort, totEnMet="2026-10-09", einde="2026-10-10"))) == {"einde"}
    assert set(problemen(ruw(totEnMet="2026-10-09"))) == {"totEnMet"}


def test_an_implausible_age_is_refused() -> None:
    assert set(problemen(ruw(geboortejaar=1995))) == {"geboortejaar"}


def test_a_bsn_is_refused_in_pseudonymous_mode() -> None:
    """UAVG art. 46: the BSN only where the SWV recorded a legal basis (identified mode)."""
    gevonden = problemen(ruw(bsn="111222333"))
    assert set(gevonden) == {"bsn"}
    assert "111222333" not in gevonden["bsn"]


def test_a_bsn_in_identified_mode_passes_the_elfproef() -> None:
    assert lees_item(ruw(bsn="111222333"), VANDAAG, geidentificeerd=True).bsn == "111222333"
    assert set(problemen(ruw(bsn="111222334"), geidentificeerd=True)) == {"bsn"}


def _feit(opdracht: Any) -> Any:
    return feit_uit_dict(
        str(opdracht.soort),
        {
            **opdracht.gegevens,
            "id": str(uuid.uuid4()),
            "geldig_vanaf": opdracht.geldig_vanaf.isoformat(),
            "geregistreerd_op": datetime(2026, 12, 7, tzinfo=UTC).isoformat(),
        },
    )


def test_absoluut_verzuim_is_niet_ingeschreven_and_ends_in_an_inschrijving() -> None:
    """Regel 7: B3 from the first day not enrolled; an enrolment ends it."""
    start = lees_item(ruw(), VANDAAG, geidentificeerd=False)
    [niet] = feiten_van(start)
    assert niet.soort is FeitSoort.NIET_INGESCHREVEN
    assert _feit(niet).melder == "leerplicht"
    geeindigd = lees_item(ruw(einde="2026-11-02", schoolId=SCHOOL), VANDAAG, geidentificeerd=False)
    _, inschrijving = feiten_van(geeindigd)
    assert inschrijving.soort is FeitSoort.INSCHRIJVING
    assert inschrijving.geldig_vanaf == date(2026, 11, 2)
    assert _feit(inschrijving).vestiging == SCHOOL
    assert str(inschrijving.school_id) == SCHOOL
    assert open_einde(geeindigd) == date(2026, 11, 2)


def test_a_resent_item_has_the_same_keys_and_its_end_a_key_of_its_own() -> None:
    """Idempotent per item: the same item appends nothing the second time."""
    eerst = feiten_van(lees_item(ruw(), VANDAAG, geidentificeerd=False))
    later = feiten_van(
        lees_item(ruw(einde="2026-11-02", schoolId=SCHOOL), VANDAAG, geidentificeerd=False)
    )
    assert eerst[0].sleutel == later[0].sleutel
    assert later[1].sleutel == later[0].sleutel + ":einde"


def test_a_vrijstelling_starts_and_ends_on_its_ground() -> None:
    """Regel 8: vrijstellingen (A2) are not thuiszitters; the ground is kept as data."""
    item = lees_item(
        ruw(soort="vrijstelling", grond="art-5-a", einde="2027-08-01"),
        VANDAAG,
        geidentificeerd=False,
    )
    start, einde = feiten_van(item)
    assert (start.soort, einde.soort) == (
        FeitSoort.VRIJSTELLING_VERLEEND,
        FeitSoort.VRIJSTELLING_BEEINDIGD,
    )
    assert _feit(start).grond is VrijstellingGrond.ART_5_A
    assert _feit(einde).grond is VrijstellingGrond.ART_5_A
    lopend = lees_item(ruw(soort="vrijstelling", grond="art-15"), VANDAAG, geidentificeerd=False)
    assert [f.soort for f in feiten_van(lopend)] == [FeitSoort.VRIJSTELLING_VERLEEND]


def test_a_besluit_11g_starts_and_ends() -> None:
    """Regel 11: category C, LPW art. 11 onder g."""
    lopend = lees_item(ruw(soort="besluit-11g"), VANDAAG, geidentificeerd=False)
    assert [f.soort for f in feiten_van(lopend)] == [FeitSoort.BESLUIT_11G]
    klaar = lees_item(ruw(soort="besluit-11g", einde="2026-12-01"), VANDAAG, geidentificeerd=False)
    assert [_feit(f).soort for f in feiten_van(klaar)] == [
        FeitSoort.BESLUIT_11G,
        FeitSoort.BESLUIT_11G_BEEINDIGD,
    ]


def test_an_onvolkomenheid_is_one_fact_with_its_last_day() -> None:
    """Regel 7: an administratieve onvolkomenheid explains a gap; it is no B3."""
    item = lees_item(
        ruw(soort="administratieve-onvolkomenheid", totEnMet="2026-10-09"),
        VANDAAG,
        geidentificeerd=False,
    )
    [feit] = feiten_van(item)
    assert _feit(feit).tot_en_met == date(2026, 10, 9)
    assert open_einde(item) == date(2026, 10, 10)


@pytest.mark.parametrize(
    ("besluit", "naar"),
    [
        (Besluit.ACCEPTEREN, VoorstelStatus.GEACCEPTEERD),
        (Besluit.AFWIJZEN, VoorstelStatus.AFGEWEZEN),
    ],
)
def test_the_regisseur_decides_a_proposal(besluit: Besluit, naar: VoorstelStatus) -> None:
    """The regisseur thuiszitters decides, a person, not the product."""
    assert beslis(VoorstelStatus.VOORGESTELD, besluit, Rol.REGISSEUR, VANDAAG) is naar


@pytest.mark.parametrize("rol", [r for r in Rol if r is not Rol.REGISSEUR])
def test_other_roles_are_refused(rol: Rol) -> None:
    assert isinstance(
        beslis(VoorstelStatus.VOORGESTELD, Besluit.ACCEPTEREN, rol, VANDAAG), Weigering
    )


@pytest.mark.parametrize("status", [VoorstelStatus.GEACCEPTEERD, VoorstelStatus.AFGEWEZEN])
def test_a_decided_proposal_is_not_decided_again(status: VoorstelStatus) -> None:
    """No second child for the same person once a match is decided: decisions are final."""
    uitkomst = beslis(status, Besluit.AFWIJZEN, Rol.REGISSEUR, VANDAAG)
    assert isinstance(uitkomst, Weigering)
    assert "al beslist" in uitkomst.reden
