"""The TLV-plaatsingscheck state machine (docs/tlv.md): each transition and each refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.tlv import (
    Aard,
    Historie,
    Overgang,
    Stap,
    Tlv,
    TlvGebeurtenis,
    TlvStaat,
    Weigering,
    achterstallig,
    checkdatum,
    is_open,
    stand_op,
    stap,
)
from app.domain.toegang import Rol

G = TlvGebeurtenis
S = TlvStaat
AFGIFTE = date(2026, 1, 5)
VANDAAG = date(2026, 2, 2)


def tlv(staat: TlvStaat | None) -> Tlv:
    return Tlv(AFGIFTE, staat)


def overgang(uitkomst: Overgang | Weigering) -> Overgang:
    assert isinstance(uitkomst, Overgang), uitkomst
    return uitkomst


def weigering(uitkomst: Overgang | Weigering) -> Weigering:
    assert isinstance(uitkomst, Weigering), uitkomst
    return uitkomst


def test_the_check_is_due_four_weeks_after_issue() -> None:
    """Actielijst na afgifte TLV: 'na 4 weken na afgifte TLV'; 2026-01-05 gives 2026-02-02."""
    assert checkdatum(AFGIFTE) == date(2026, 2, 2)
    assert checkdatum(AFGIFTE, 35) == date(2026, 2, 9)


@pytest.mark.parametrize("rol", [Rol.REGISSEUR, Rol.DIRECTEUR, Rol.SECRETARIAAT])
def test_swv_roles_issue_a_tlv(rol: Rol) -> None:
    o = overgang(stap(tlv(None), Stap(G.AFGEGEVEN), rol, VANDAAG))
    assert (o.van, o.naar, o.volgende_check) == (None, S.AFGEGEVEN, None)


@pytest.mark.parametrize("rol", [Rol.SCHOOLMEDEWERKER, Rol.BEGELEIDER, Rol.LEERPLICHTAMBTENAAR])
def test_other_roles_do_not_issue_a_tlv(rol: Rol) -> None:
    assert weigering(stap(tlv(None), Stap(G.AFGEGEVEN), rol, VANDAAG)).aard is Aard.ROL


def test_a_tlv_is_issued_once() -> None:
    w = weigering(stap(tlv(S.AFGEGEVEN), Stap(G.AFGEGEVEN), Rol.REGISSEUR, VANDAAG))
    assert w.aard is Aard.STAAT


def test_issuing_plans_the_check_at_the_setting() -> None:
    o = overgang(
        stap(tlv(S.AFGEGEVEN), Stap(G.CHECK_GEPLAND), Rol.REGISSEUR, VANDAAG, check_na_dagen=28)
    )
    assert (o.van, o.naar, o.volgende_check) == (S.AFGEGEVEN, S.CHECK_GEPLAND, date(2026, 2, 2))
    o = overgang(stap(tlv(S.AFGEGEVEN), Stap(G.CHECK_GEPLAND), Rol.BEGELEIDER, VANDAAG))
    assert o.naar is S.CHECK_GEPLAND


def test_planning_a_check_needs_an_issued_tlv_and_an_swv_role() -> None:
    w = weigering(stap(tlv(S.CHECK_GEPLAND), Stap(G.CHECK_GEPLAND), Rol.REGISSEUR, VANDAAG))
    assert w.aard is Aard.STAAT
    w = weigering(stap(tlv(S.AFGEGEVEN), Stap(G.CHECK_GEPLAND), Rol.SCHOOLMEDEWERKER, VANDAAG))
    assert w.aard is Aard.ROL


OPEN = [S.CHECK_GEPLAND, S.WACHT_OP_INSTROOM, S.GEEN_ONDERWIJS]


@pytest.mark.parametrize("van", OPEN)
def test_placed_after_a_check(van: TlvStaat) -> None:
    """Outcome (a): placed on a date; no further check (docs/tlv.md)."""
    o = overgang(stap(tlv(van), Stap(G.GEPLAATST, date(2026, 2, 16)), Rol.BEGELEIDER, VANDAAG))
    assert (o.van, o.naar, o.volgende_check) == (van, S.GEPLAATST, None)


@pytest.mark.parametrize("van", OPEN)
def test_waiting_for_intake_rechecks_at_the_expected_date(van: TlvStaat) -> None:
    """Outcome (b): taught at the old school; re-check at the expected intake date."""
    verwacht = date(2026, 3, 1)
    o = overgang(stap(tlv(van), Stap(G.WACHT_OP_INSTROOM, verwacht), Rol.BEGELEIDER, VANDAAG))
    assert (o.naar, o.volgende_check) == (S.WACHT_OP_INSTROOM, verwacht)


def test_waiting_without_a_date_rechecks_after_seven_days() -> None:
    """Outcome (b) without an expected date: re-check after a week (a setting, default 7)."""
    o = overgang(stap(tlv(S.CHECK_GEPLAND), Stap(G.WACHT_OP_INSTROOM), Rol.BEGELEIDER, VANDAAG))
    assert o.volgende_check == date(2026, 2, 9)
    o = overgang(
        stap(
            tlv(S.CHECK_GEPLAND),
            Stap(G.WACHT_OP_INSTROOM),
            Rol.BEGELEIDER,
            VANDAAG,
            hercheck_na_dagen=14,
        )
    )
    assert o.volgende_check == date(2026, 2, 16)


@pytest.mark.parametrize("van", OPEN)
def test_taught_at_the_old_school_waits_and_rechecks(van: TlvStaat) -> None:
    """Zorgplicht: until placement the child follows education at the old school."""
    o = overgang(stap(tlv(van), Stap(G.ONDERWIJS_OUDE_SCHOOL), Rol.BEGELEIDER, VANDAAG))
    assert (o.naar, o.volgende_check) == (S.WACHT_OP_INSTROOM, date(2026, 2, 9))
    o = overgang(stap(tlv(van), Stap(G.ONDERWIJS_OUDE_SCHOOL, VANDAAG), Rol.BEGELEIDER, VANDAAG))
    assert o.naar is S.WACHT_OP_INSTROOM


@pytest.mark.parametrize("van", OPEN)
def test_no_education_since_a_date(van: TlvStaat) -> None:
    """Outcome (c): no education since a date; re-checked after a week."""
    o = overgang(stap(tlv(van), Stap(G.GEEN_ONDERWIJS, date(2026, 1, 19)), Rol.BEGELEIDER, VANDAAG))
    assert (o.naar, o.volgende_check) == (S.GEEN_ONDERWIJS, date(2026, 2, 9))


@pytest.mark.parametrize(
    "uitkomst", [G.GEPLAATST, G.WACHT_OP_INSTROOM, G.ONDERWIJS_OUDE_SCHOOL, G.GEEN_ONDERWIJS]
)
@pytest.mark.parametrize("rol", [Rol.REGISSEUR, Rol.SECRETARIAAT, Rol.SCHOOLMEDEWERKER])
def test_only_the_begeleider_records_an_outcome(uitkomst: TlvGebeurtenis, rol: Rol) -> None:
    w = weigering(stap(tlv(S.CHECK_GEPLAND), Stap(uitkomst, VANDAAG), rol, VANDAAG))
    assert w.aard is Aard.ROL


@pytest.mark.parametrize("van", [S.AFGEGEVEN, S.GEPLAATST, S.AFGEROND, S.INGETROKKEN])
@pytest.mark.parametrize(
    "uitkomst", [G.GEPLAATST, G.WACHT_OP_INSTROOM, G.ONDERWIJS_OUDE_SCHOOL, G.GEEN_ONDERWIJS]
)
def test_no_outcome_outside_an_open_check(van: TlvStaat, uitkomst: TlvGebeurtenis) -> None:
    w = weigering(stap(tlv(van), Stap(uitkomst, date(2026, 1, 19)), Rol.BEGELEIDER, VANDAAG))
    assert w.aard is Aard.STAAT


@pytest.mark.parametrize("uitkomst", [G.GEPLAATST, G.GEEN_ONDERWIJS])
def test_placement_and_no_education_need_a_date(uitkomst: TlvGebeurtenis) -> None:
    w = weigering(stap(tlv(S.CHECK_GEPLAND), Stap(uitkomst), Rol.BEGELEIDER, VANDAAG))
    assert (w.aard, w.veld) == (Aard.INVOER, "datum")


@pytest.mark.parametrize("uitkomst", [G.GEPLAATST, G.GEEN_ONDERWIJS])
def test_no_date_before_the_tlv(uitkomst: TlvGebeurtenis) -> None:
    eerder = date(2026, 1, 4)
    w = weigering(stap(tlv(S.CHECK_GEPLAND), Stap(uitkomst, eerder), Rol.BEGELEIDER, VANDAAG))
    assert w.aard is Aard.INVOER


def test_no_education_cannot_start_in_the_future() -> None:
    later = date(2026, 2, 3)
    w = weigering(
        stap(tlv(S.CHECK_GEPLAND), Stap(G.GEEN_ONDERWIJS, later), Rol.BEGELEIDER, VANDAAG)
    )
    assert w.aard is Aard.INVOER


def test_expected_intake_lies_after_today() -> None:
    w = weigering(
        stap(tlv(S.CHECK_GEPLAND), Stap(G.WACHT_OP_INSTROOM, VANDAAG), Rol.BEGELEIDER, VANDAAG)
    )
    assert w.aard is Aard.INVOER


def test_education_cannot_resume_in_the_future() -> None:
    later = date(2026, 2, 3)
    w = weigering(
        stap(tlv(S.GEEN_ONDERWIJS), Stap(G.ONDERWIJS_OUDE_SCHOOL, later), Rol.BEGELEIDER, VANDAAG)
    )
    assert w.aard is Aard.INVOER


def test_the_secretariaat_enters_the_placement_date_and_closes() -> None:
    """Actielijst na afgifte TLV: 'Secretariaat voert datum plaatsing in' → afgerond."""
    stapje = Stap(G.PLAATSINGSDATUM_INGEVOERD, date(2026, 2, 16))
    o = overgang(stap(tlv(S.GEPLAATST), stapje, Rol.SECRETARIAAT, VANDAAG))
    assert (o.van, o.naar, o.volgende_check) == (S.GEPLAATST, S.AFGEROND, None)
    assert weigering(stap(tlv(S.GEPLAATST), stapje, Rol.BEGELEIDER, VANDAAG)).aard is Aard.ROL
    w = weigering(stap(tlv(S.CHECK_GEPLAND), stapje, Rol.SECRETARIAAT, VANDAAG))
    assert w.aard is Aard.STAAT


@pytest.mark.parametrize(
    "van",
    [S.AFGEGEVEN, S.CHECK_GEPLAND, S.GEPLAATST, S.WACHT_OP_INSTROOM, S.GEEN_ONDERWIJS, S.AFGEROND],
)
def test_withdrawn_from_any_state(van: TlvStaat) -> None:
    o = overgang(stap(tlv(van), Stap(G.INGETROKKEN), Rol.DIRECTEUR, VANDAAG))
    assert (o.van, o.naar, o.volgende_check) == (van, S.INGETROKKEN, None)


def test_withdrawal_is_for_swv_roles_and_once() -> None:
    w = weigering(stap(tlv(S.CHECK_GEPLAND), Stap(G.INGETROKKEN), Rol.BEGELEIDER, VANDAAG))
    assert w.aard is Aard.ROL
    w = weigering(stap(tlv(S.INGETROKKEN), Stap(G.INGETROKKEN), Rol.REGISSEUR, VANDAAG))
    assert w.aard is Aard.STAAT
    assert "ingetrokken" in w.reden
    w = weigering(stap(tlv(None), Stap(G.INGETROKKEN), Rol.REGISSEUR, VANDAAG))
    assert "nieuw" in w.reden


def moment(dag: int, uur: int = 12) -> datetime:
    return datetime(2026, 1, dag, uur, tzinfo=UTC)


HISTORIE = [
    Historie(G.AFGEGEVEN, S.AFGEGEVEN, moment(5), AFGIFTE),
    Historie(G.CHECK_GEPLAND, S.CHECK_GEPLAND, moment(5), None, date(2026, 2, 2)),
    Historie(G.GEEN_ONDERWIJS, S.GEEN_ONDERWIJS, moment(20), date(2026, 1, 19), date(2026, 1, 27)),
    Historie(G.GEPLAATST, S.GEPLAATST, moment(28), date(2026, 2, 16)),
    Historie(G.PLAATSINGSDATUM_INGEVOERD, S.AFGEROND, moment(29), date(2026, 2, 17)),
]


def test_the_state_is_the_last_transition_recorded_by_then() -> None:
    """bekendOp: the history rows recorded by the moment give the state then (append-only)."""
    assert stand_op(HISTORIE, moment(4)) is None
    toen = stand_op(HISTORIE, moment(10))
    assert toen is not None
    assert (toen.staat, toen.volgende_check, toen.overgangen) == (
        S.CHECK_GEPLAND,
        date(2026, 2, 2),
        2,
    )
    assert toen.geen_onderwijs_sinds is None
    later = stand_op(HISTORIE, moment(21))
    assert later is not None
    assert (later.staat, later.geen_onderwijs_sinds) == (S.GEEN_ONDERWIJS, date(2026, 1, 19))
    nu = stand_op(HISTORIE)
    assert nu is not None
    assert (nu.staat, nu.plaatsingsdatum, nu.overgangen) == (S.AFGEROND, date(2026, 2, 17), 5)
    assert nu.geen_onderwijs_sinds == date(2026, 1, 19)


def test_open_states_and_overdue_checks() -> None:
    """The worklist holds open checks; one before the peildatum is overdue."""
    assert {s for s in TlvStaat if is_open(s)} == set(OPEN)
    assert not achterstallig(date(2026, 2, 2), date(2026, 2, 2))
    assert achterstallig(date(2026, 2, 2), date(2026, 2, 3))
    assert not achterstallig(None, date(2026, 2, 3))


def test_education_resumed_before_the_tlv_is_refused() -> None:
    eerder = date(2026, 1, 4)
    w = weigering(
        stap(tlv(S.GEEN_ONDERWIJS), Stap(G.ONDERWIJS_OUDE_SCHOOL, eerder), Rol.BEGELEIDER, VANDAAG)
    )
    assert (w.aard, w.veld) == (Aard.INVOER, "datum")
