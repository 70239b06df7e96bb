"""The melding's state machine, a test per transition and per refusal; the facts a melding
states; due dates and the signal `melding-te-laat` (aanpak thuiszitters §1.4, bijlage 2;
Regioloket)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.beleid import Beleid, DefinitieProfiel
from app.domain.classificatie import Categorie
from app.domain.feiten import (
    Beeindigingsreden,
    Correctie,
    Feit,
    FeitSoort,
    Inschrijving,
    VerzuimGemeld,
    VerzuimGestart,
)
from app.domain.meldingen import (
    Aard,
    GevraagdeActie,
    MeldingActie,
    MeldingSoort,
    MeldingStatus,
    Weigering,
    contact_uiterlijk,
    controleer_melding,
    feiten_van_melding,
    is_weekdag,
    melding_te_laat,
    overgang,
)
from app.domain.toegang import Rol
from tests.domain.bouwers import d, feit, status

S, A, K = MeldingStatus, MeldingActie, MeldingSoort
R = Beeindigingsreden.SCHOOLGANG_HERSTELD


@pytest.mark.parametrize(
    ("van", "actie", "soort", "naar"),
    [
        (S.ONTVANGEN, A.TOEWIJZEN, K.BEPERKT, S.TOEGEWEZEN),
        (S.TOEGEWEZEN, A.TOEWIJZEN, K.UITGEBREID, S.TOEGEWEZEN),
        (S.TOEGEWEZEN, A.REGISTREREN, K.BEPERKT, S.GEREGISTREERD),
        (S.TOEGEWEZEN, A.CASUS_OPENEN, K.UITGEBREID, S.CASUS_GEOPEND),
        (S.TOEGEWEZEN, A.CASUS_OPENEN, K.DREIGEND, S.CASUS_GEOPEND),
        (S.ONTVANGEN, A.AFSLUITEN, K.BEPERKT, S.AFGESLOTEN),
        (S.GEREGISTREERD, A.AFSLUITEN, K.BEPERKT, S.AFGESLOTEN),
        (S.CASUS_GEOPEND, A.AFSLUITEN, K.DREIGEND, S.AFGESLOTEN),
    ],
)
def test_transition(
    van: MeldingStatus, actie: MeldingActie, soort: MeldingSoort, naar: MeldingStatus
) -> None:
    assert overgang(van, actie, Rol.REGISSEUR, soort, reden=R) is naar


@pytest.mark.parametrize(
    ("van", "actie", "soort", "rol", "reden"),
    [
        (S.AFGESLOTEN, A.TOEWIJZEN, K.BEPERKT, Rol.REGISSEUR, R),
        (S.ONTVANGEN, A.TOEWIJZEN, K.BEPERKT, Rol.SCHOOLMEDEWERKER, R),
        (S.GEREGISTREERD, A.TOEWIJZEN, K.BEPERKT, Rol.BEGELEIDER, R),
        (S.ONTVANGEN, A.AFSLUITEN, K.BEPERKT, Rol.REGISSEUR, None),
        (S.ONTVANGEN, A.REGISTREREN, K.BEPERKT, Rol.REGISSEUR, R),
        (S.TOEGEWEZEN, A.REGISTREREN, K.UITGEBREID, Rol.REGISSEUR, R),
        (S.TOEGEWEZEN, A.CASUS_OPENEN, K.BEPERKT, Rol.REGISSEUR, R),
    ],
)
def test_refusal(
    van: MeldingStatus,
    actie: MeldingActie,
    soort: MeldingSoort,
    rol: Rol,
    reden: Beeindigingsreden | None,
) -> None:
    assert isinstance(overgang(van, actie, rol, soort, reden=reden), Weigering)


def test_rule_5_unexcused_absence_appends_verzuim_and_its_end() -> None:
    feiten = feiten_van_melding(Aard.ONGEOORLOOFD, date(2026, 9, 14), date(2026, 10, 1))
    assert [(f.soort, f.geldig_vanaf) for f in feiten] == [
        (FeitSoort.VERZUIM_GESTART, date(2026, 9, 14)),
        (FeitSoort.VERZUIM_BEEINDIGD, date(2026, 10, 1)),
    ]
    assert len(feiten_van_melding(Aard.ONGEOORLOOFD, date(2026, 9, 14), None)) == 1


def test_rule_3_sickness_appends_a_ziekmelding() -> None:
    feiten = feiten_van_melding(Aard.GEOORLOOFD_ZIEK, date(2026, 9, 14), date(2026, 9, 20))
    assert [f.soort for f in feiten] == [FeitSoort.ZIEKMELDING, FeitSoort.ZIEKMELDING_BEEINDIGD]
    assert len(feiten_van_melding(Aard.GEOORLOOFD_ZIEK, date(2026, 9, 14), None)) == 1


def test_rule_13_unknown_nature_appends_verzuim_gemeld() -> None:
    (feit,) = feiten_van_melding(Aard.ONBEPAALD, date(2026, 9, 14), date(2026, 9, 20))
    assert feit.soort is FeitSoort.VERZUIM_GEMELD
    assert feit.gegevens == {"einde": "2026-09-20"}
    (open_,) = feiten_van_melding(Aard.ONBEPAALD, date(2026, 9, 14), None)
    assert open_.gegevens == {}


def test_no_absence_no_facts() -> None:
    assert feiten_van_melding(None, None, None) == []


def test_a_beperkte_melding_needs_begin_and_nature() -> None:
    velden = {p.veld for p in controleer_melding(K.BEPERKT, None, None, None, ())}
    assert velden == {"verzuimBegin", "aard"}


def test_an_uitgebreide_melding_asks_an_action_and_begin_goes_with_nature() -> None:
    velden = [p.veld for p in controleer_melding(K.UITGEBREID, None, date(2026, 1, 5), None, ())]
    assert velden == ["gevraagdeActies", "aard"]
    ok = controleer_melding(K.UITGEBREID, None, None, None, (GevraagdeActie.ADVIES,))
    assert ok == []


def test_the_end_lies_after_the_begin() -> None:
    dag = date(2026, 1, 5)
    assert [p.veld for p in controleer_melding(K.DREIGEND, Aard.ONGEOORLOOFD, dag, dag, ())] == [
        "verzuimEinde"
    ]


def test_contact_due_counts_working_days_and_skips_holidays() -> None:
    vrijdag = date(2026, 12, 4)
    assert contact_uiterlijk(vrijdag, 5, is_weekdag) == date(2026, 12, 11)
    vakantie = {date(2026, 12, 7)}
    assert contact_uiterlijk(vrijdag, 1, lambda d: is_weekdag(d) and d not in vakantie) == date(
        2026, 12, 8
    )


def test_rule_5_melding_te_laat_from_day_29_without_a_melding() -> None:
    begin = date(2026, 9, 14)
    assert not melding_te_laat(begin, date(2026, 10, 11), gemeld=False)
    assert melding_te_laat(begin, date(2026, 10, 12), gemeld=False)
    assert not melding_te_laat(begin, date(2026, 10, 12), gemeld=True)
    assert not melding_te_laat(None, date(2026, 10, 12), gemeld=False)


def _gemeld(einde: str | None = None) -> list[Feit]:
    gemeld = feit(VerzuimGemeld, "2026-09-14", id="g1", einde=d(einde) if einde else None)
    return [feit(Inschrijving, "2025-08-25", vestiging="v1"), gemeld]


def test_rule_13_verzuim_gemeld_never_counts_nationally() -> None:
    s = status(_gemeld(), "2026-10-12", beleid=Beleid(verzuim_gemeld_telt=True))
    assert not s.thuiszitter_landelijk
    assert s.thuiszitter_profiel


def test_rule_13_verzuim_gemeld_counts_only_in_a_profile_that_asks_for_it() -> None:
    assert not status(_gemeld(), "2026-10-12").thuiszitter_profiel
    zonder_b2 = Beleid(
        verzuim_gemeld_telt=True, profiel=DefinitieProfiel("swv", frozenset({Categorie.B3}))
    )
    assert not status(_gemeld(), "2026-10-12", beleid=zonder_b2).thuiszitter_profiel


def test_rule_13_verzuim_gemeld_with_an_end_stops_counting_in_the_profile() -> None:
    beleid = Beleid(verzuim_gemeld_telt=True)
    assert not status(_gemeld("2026-10-01"), "2026-10-12", beleid=beleid).thuiszitter_profiel


def test_rule_15_a_correction_settles_verzuim_gemeld_and_as_known_before_stays() -> None:
    feiten = _gemeld()
    correctie = feit(
        Correctie,
        "2026-09-14",
        geregistreerd="2026-10-20",
        betreft="g1",
        reden="aard vastgesteld",
        vervanging=feit(VerzuimGestart, "2026-09-14", id="g1b"),
    )
    alles = [*feiten, correctie]
    assert status(alles, "2026-10-12").categorie is Categorie.B2A
    assert status(alles, "2026-10-12", bekend_op="2026-10-15").categorie is Categorie.GEEN


def test_a_complete_beperkte_melding_has_no_problems() -> None:
    dag = date(2026, 9, 14)
    assert controleer_melding(K.BEPERKT, Aard.ONGEOORLOOFD, dag, None, ()) == []
