"""Actielijsten (docs/domain.md, "Actielijsten"): generators, states, transitions, the cycle and
the timeline transitions that events announce."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import taken as t
from app.domain.rapportage import Peildata
from app.domain.taken import (
    Actie,
    Afspraaktermijn,
    Besluittermijn,
    Casustermijn,
    Contacttermijn,
    Context,
    GeplandeCheck,
    LopendeVrijstelling,
    Overgang,
    PeriodeKort,
    Taakstatus,
    ThuiszitterStart,
    Weigering,
)
from app.domain.toegang import Rol

PD = Peildata()


def _van(code: str, specs: list[t.TaakSpec]) -> list[t.TaakSpec]:
    return [s for s in specs if s.code == code]


def test_navraag_per_school_due_before_the_peildatum() -> None:
    """Navraag: one per school, due the day before each peildatum (actielijst SWV)."""
    context = Context(peildata=PD, scholen=("s1", "s2"))
    specs = _van("navraag", t.genereer(context, date(2026, 11, 10)))
    assert {s.onderwerp for s in specs} == {"s1", "s2"}
    assert all(s.vervalt_op == date(2026, 11, 30) for s in specs)
    assert all(s.opent_op == date(2026, 11, 3) for s in specs)
    assert all(s.rol is Rol.BEGELEIDER and s.periode == "2027-1" for s in specs)


def test_inspectie_upload_due_by_the_15th_after_the_peildatum() -> None:
    """Inspectie: upload by the delivery day after the peildatum (seed: the 15th)."""
    specs = _van("inspectie", t.genereer(Context(peildata=PD), date(2026, 12, 16)))
    assert [(s.opent_op, s.vervalt_op, s.rol) for s in specs] == [
        (date(2026, 12, 1), date(2026, 12, 15), Rol.SECRETARIAAT)
    ]


def test_cycle_tasks_outside_the_window_are_not_generated() -> None:
    """No cycle task long before a peildatum or long after its delivery day."""
    assert t.genereer(Context(peildata=PD, scholen=("s",)), date(2026, 10, 1)) == []
    laat = _van("inspectie", t.genereer(Context(peildata=PD), date(2027, 2, 14)))
    assert [s.periode for s in laat] == ["2027-2"]


def test_moved_peildatum_keeps_the_task_key() -> None:
    """Changing peildata moves the task: the key is the school year and place, not the date."""
    later = Peildata(dagen=((12, 8), (3, 1), (6, 1), (9, 1)))
    a = _van("groslijst", t.genereer(Context(peildata=PD), date(2026, 12, 2)))
    b = _van("groslijst", t.genereer(Context(peildata=later), date(2026, 12, 9)))
    assert a[0].periode == b[0].periode == "2027-1"
    assert a[0].vervalt_op != b[0].vervalt_op or a[0].opent_op != b[0].opent_op


def test_day_29_tasks_digidoor_and_register() -> None:
    """Day 29 (docs/domain.md regel 4): digidoor for the begeleider, register for secretariaat."""
    start = date(2026, 11, 5)
    context = Context(peildata=PD, thuiszitters=(ThuiszitterStart("k1", start),))
    specs = t.genereer(context, date(2026, 11, 6))
    assert {(s.code, s.rol, s.vervalt_op) for s in specs if s.leerling_id == "k1"} == {
        ("digidoor", Rol.BEGELEIDER, start),
        ("register", Rol.SECRETARIAAT, start),
    }
    oud = Context(peildata=PD, thuiszitters=(ThuiszitterStart("k1", date(2025, 1, 1)),))
    assert not [s for s in t.genereer(oud, date(2026, 11, 6)) if s.leerling_id]


def test_tlv_check_on_the_planned_check_date() -> None:
    """TLV plaatsingscheck ("De aanpak thuiszitters" §2.4.2): one task per planned check, due
    on the TLV's check date, open a week before; none long before it."""
    context = Context(peildata=PD, tlvs=(GeplandeCheck("tlv1", "k1", date(2026, 10, 29)),))
    specs = _van("tlv-check", t.genereer(context, date(2026, 10, 2)))
    assert [(s.onderwerp, s.periode, s.vervalt_op, s.opent_op, s.rol) for s in specs] == [
        ("tlv1", "2026-10-29", date(2026, 10, 29), date(2026, 10, 22), Rol.BEGELEIDER)
    ]
    assert specs[0].leerling_id == "k1"
    assert not _van("tlv-check", t.genereer(context, date(2026, 8, 1)))
    assert _van("tlv-check", t.genereer(context, date(2027, 3, 1)))  # late, still asked for


def test_zorgplicht_and_advies_due_at_contact_uiterlijk() -> None:
    """After assigning a melding the reporter is contacted by `contactUiterlijk`: a report is
    `zorgplicht`, a question to the SWV (uitgebreid) `advies`, both for the regisseur."""
    context = Context(
        peildata=PD,
        meldingen=(
            Contacttermijn("m1", "k1", "beperkt", date(2026, 11, 13), "s1"),
            Contacttermijn("m2", "k2", "uitgebreid", date(2026, 11, 16)),
        ),
    )
    specs = [s for s in t.genereer(context, date(2026, 11, 6)) if s.leerling_id]
    assert {(s.code, s.onderwerp, s.vervalt_op, s.rol) for s in specs} == {
        ("zorgplicht", "m1", date(2026, 11, 13), Rol.REGISSEUR),
        ("advies", "m2", date(2026, 11, 16), Rol.REGISSEUR),
    }


def test_evaluatie_and_contact_ouders_weekly_for_the_coordinating_organisation() -> None:
    """An open case: evaluation and parent contact every 7 days (aanpak thuiszitters
    §2.1-2.2 "wekelijks"), for the organisation with the casuscoördinatie."""
    context = Context(
        peildata=PD,
        casussen=(
            Casustermijn("c1", "k1", "school", date(2026, 11, 12), date(2026, 11, 10), "s1"),
            Casustermijn("c2", "k2", "leerplicht", date(2026, 11, 12)),
            Casustermijn("c3", "k3", "swv", date(2026, 11, 12)),
        ),
    )
    specs = [s for s in t.genereer(context, date(2026, 11, 6)) if s.leerling_id]
    assert {(s.code, s.onderwerp, s.rol, s.vervalt_op) for s in specs} == {
        ("evaluatie", "c1", Rol.SCHOOLMEDEWERKER, date(2026, 11, 10)),
        ("contact-ouders", "c1", Rol.SCHOOLMEDEWERKER, date(2026, 11, 12)),
        ("contact-ouders", "c2", Rol.LEERPLICHTAMBTENAAR, date(2026, 11, 12)),
        ("contact-ouders", "c3", Rol.BEGELEIDER, date(2026, 11, 12)),
    }
    assert next(s for s in specs if s.code == "evaluatie").school_id == "s1"


def test_escalatie_afspraak_due_at_its_deadline_for_its_owner() -> None:
    """An agreement of the escalation overleg is due at its deadline for the owner
    organisation (docs/escalaties.md regel E2), open from the day it was made."""
    context = Context(
        peildata=PD,
        afspraken=(
            Afspraaktermijn("e1", "a1", "k1", "leerplichtambtenaar", date(2026, 11, 2),
                            date(2026, 11, 20)),
            Afspraaktermijn("e1", "a2", "k1", "school-van-inschrijving", date(2026, 11, 2),
                            date(2026, 11, 20)),
            Afspraaktermijn("e1", "a3", "k1", "ketenpartner", date(2026, 11, 2),
                            date(2026, 11, 20)),
        ),
    )  # fmt: skip
    specs = _van("escalatie-afspraak", t.genereer(context, date(2026, 11, 6)))
    assert {(s.onderwerp, s.rol, s.opent_op, s.vervalt_op) for s in specs} == {
        ("a1", Rol.LEERPLICHTAMBTENAAR, date(2026, 11, 2), date(2026, 11, 20)),
        ("a2", Rol.SCHOOLMEDEWERKER, date(2026, 11, 2), date(2026, 11, 20)),
        ("a3", Rol.BEGELEIDER, date(2026, 11, 2), date(2026, 11, 20)),
    }


def test_besluit_uitvoeren_by_the_place_by_date_for_the_directeur() -> None:
    """The directeur's binding decision is carried out by its place-by date
    (docs/escalaties.md regel E5)."""
    context = Context(
        peildata=PD,
        besluiten=(Besluittermijn("e1", "b1", "k1", date(2026, 11, 2), date(2027, 1, 8)),),
    )
    specs = _van("besluit-uitvoeren", t.genereer(context, date(2026, 11, 10)))
    assert [(s.onderwerp, s.rol, s.opent_op, s.vervalt_op) for s in specs] == [
        ("b1", Rol.DIRECTEUR, date(2026, 11, 2), date(2027, 1, 8))
    ]
    assert not _van("besluit-uitvoeren", t.genereer(context, date(2026, 11, 6)))


def test_workflow_task_opens_no_later_than_it_is_due() -> None:
    """A workflow task whose step was made after the opening week opens on its due day."""
    context = Context(
        peildata=PD,
        besluiten=(Besluittermijn("e1", "b1", "k1", date(2026, 11, 9), date(2026, 11, 5)),),
    )
    specs = _van("besluit-uitvoeren", t.genereer(context, date(2026, 11, 6)))
    assert specs[0].opent_op == specs[0].vervalt_op == date(2026, 11, 5)


def test_vrijstelling_renewal_before_1_july() -> None:
    """A vrijstelling is renewed before 1 July (LPW art. 5, 15) for the next school year."""
    context = Context(peildata=PD, vrijstellingen=(LopendeVrijstelling("k1", "f1"),))
    specs = _van("vrijstelling-verlengen", t.genereer(context, date(2027, 4, 1)))
    assert [(s.vervalt_op, s.rol, s.periode) for s in specs] == [
        (date(2027, 6, 30), Rol.LEERPLICHTAMBTENAAR, "2027")
    ]
    assert not _van("vrijstelling-verlengen", t.genereer(context, date(2026, 12, 1)))


def test_registry_refuses_a_second_generator_for_a_code() -> None:
    """One generator per code: the workflows register their own codes."""
    with pytest.raises(ValueError, match="bestaat al"):
        t.generator("navraag")(lambda c, d: [])


def test_registry_accepts_a_new_generator() -> None:
    """Other features plug in a generator; `genereer` yields its tasks, each key once."""
    spec = t.TaakSpec("test-code", Rol.REGISSEUR, "x", "p", date(2027, 1, 1), date(2027, 1, 2))
    t.generator("test-code")(lambda c, d: [spec, spec])
    try:
        assert _van("test-code", t.genereer(Context(peildata=PD), date(2026, 9, 1))) == [spec]
    finally:
        del t.GENERATOREN["test-code"]


@pytest.mark.parametrize(
    ("opgeslagen", "vandaag", "verwacht"),
    [
        (Taakstatus.OPEN, date(2026, 11, 1), Taakstatus.GEPLAND),
        (Taakstatus.OPEN, date(2026, 11, 10), Taakstatus.OPEN),
        (Taakstatus.OPEN, date(2026, 11, 30), Taakstatus.OPEN),
        (Taakstatus.OPEN, date(2026, 12, 1), Taakstatus.TE_LAAT),
        (Taakstatus.AFGEROND, date(2026, 12, 1), Taakstatus.AFGEROND),
        (Taakstatus.NIET_VAN_TOEPASSING, date(2026, 11, 1), Taakstatus.NIET_VAN_TOEPASSING),
    ],
)
def test_late_and_planned_are_derived(
    opgeslagen: Taakstatus, vandaag: date, verwacht: Taakstatus
) -> None:
    """Te-laat and gepland follow from the dates; a closed task stays closed."""
    assert t.status(opgeslagen, date(2026, 11, 3), date(2026, 11, 30), vandaag) is verwacht


def test_transition_afronden_with_outcome() -> None:
    """Afronden: by the task's role, with an outcome."""
    assert (
        t.overgang(Taakstatus.OPEN, Actie.AFRONDEN, Rol.REGISSEUR, Rol.REGISSEUR, toelichting="ok")
        is Taakstatus.AFGEROND
    )


def test_transition_niet_van_toepassing_with_reason() -> None:
    """Niet van toepassing: with a reason."""
    uitkomst = t.overgang(
        Taakstatus.OPEN, Actie.NIET_VAN_TOEPASSING, Rol.REGISSEUR, Rol.REGISSEUR, toelichting="x"
    )
    assert uitkomst is Taakstatus.NIET_VAN_TOEPASSING


def test_refusal_other_role() -> None:
    """Refused: a task of another role."""
    uitkomst = t.overgang(
        Taakstatus.OPEN, Actie.AFRONDEN, Rol.BEGELEIDER, Rol.REGISSEUR, toelichting="x"
    )
    assert isinstance(uitkomst, Weigering)
    assert uitkomst.soort == "geen-toegang"


def test_refusal_already_closed() -> None:
    """Refused: closing a closed task again."""
    uitkomst = t.overgang(
        Taakstatus.AFGEROND, Actie.AFRONDEN, Rol.REGISSEUR, Rol.REGISSEUR, toelichting="x"
    )
    assert isinstance(uitkomst, Weigering)
    assert uitkomst.soort == "conflict"


@pytest.mark.parametrize(
    ("actie", "veld"), [(Actie.AFRONDEN, "uitkomst"), (Actie.NIET_VAN_TOEPASSING, "reden")]
)
def test_refusal_without_outcome_or_reason(actie: Actie, veld: str) -> None:
    """Refused: no outcome (afronden) or no reason (niet van toepassing)."""
    uitkomst = t.overgang(Taakstatus.OPEN, actie, Rol.REGISSEUR, Rol.REGISSEUR, toelichting=" ")
    assert isinstance(uitkomst, Weigering)
    assert uitkomst.soort == "ongeldig"
    assert veld in uitkomst.reden


@pytest.mark.parametrize(
    ("statussen", "verwacht"),
    [
        ([], Taakstatus.GEPLAND),
        ([Taakstatus.AFGEROND, Taakstatus.NIET_VAN_TOEPASSING], Taakstatus.AFGEROND),
        ([Taakstatus.AFGEROND, Taakstatus.TE_LAAT], Taakstatus.TE_LAAT),
        ([Taakstatus.GEPLAND, Taakstatus.AFGEROND], Taakstatus.GEPLAND),
        ([Taakstatus.GEPLAND, Taakstatus.OPEN], Taakstatus.OPEN),
    ],
)
def test_cycle_step_done_open_or_late(statussen: list[Taakstatus], verwacht: Taakstatus) -> None:
    """The quarterly cycle: a step is done, late, planned or open by its tasks."""
    stap = t.stap("navraag", statussen)
    assert stap.status is verwacht
    assert stap.totaal == len(statussen)
    assert stap.afgerond + stap.open + stap.te_laat == len(statussen)


def test_period_key_is_stable() -> None:
    assert t.periode_van(PD, date(2026, 12, 1)) == "2027-1"
    assert t.periode_van(PD, date(2027, 9, 1)) == "2027-4"


D = date


def test_transitions_day_29_and_end() -> None:
    """Regel 4: B1 → B2a on day 29 starts a thuiszitter; back at school ends it."""
    perioden = [
        PeriodeKort("B1", D(2026, 10, 1), D(2026, 10, 28)),
        PeriodeKort("B2a", D(2026, 10, 29), D(2027, 1, 4)),
        PeriodeKort("B2b", D(2027, 1, 5), D(2027, 2, 1)),
        PeriodeKort("geen", D(2027, 2, 2), None),
    ]
    assert t.overgangen(perioden) == [
        Overgang("leerling.categorie-gewijzigd", D(2026, 10, 1), "B1", None),
        Overgang("leerling.categorie-gewijzigd", D(2026, 10, 29), "B2a", "B1"),
        Overgang("leerling.thuiszitter-gestart", D(2026, 10, 29), "B2a", "B1"),
        Overgang("leerling.categorie-gewijzigd", D(2027, 1, 5), "B2b", "B2a"),
        Overgang("leerling.thuiszitter-beeindigd", D(2027, 2, 2), None, None),
        Overgang("leerling.categorie-gewijzigd", D(2027, 2, 2), "geen", "B2b"),
    ]
    assert t.thuiszitter_starts("k", perioden) == [ThuiszitterStart("k", D(2026, 10, 29))]


def test_transitions_gap_and_closed_last_period() -> None:
    """A gap in the timeline starts afresh; a last thuiszitter period that ends, ends it."""
    perioden = [
        PeriodeKort("B3", D(2026, 1, 1), D(2026, 1, 31)),
        PeriodeKort("B3", D(2026, 3, 1), D(2026, 3, 31)),
    ]
    soorten = [(o.soort, o.datum) for o in t.overgangen(perioden)]
    assert soorten == [
        ("leerling.categorie-gewijzigd", D(2026, 1, 1)),
        ("leerling.thuiszitter-gestart", D(2026, 1, 1)),
        ("leerling.thuiszitter-beeindigd", D(2026, 2, 1)),
        ("leerling.categorie-gewijzigd", D(2026, 3, 1)),
        ("leerling.thuiszitter-gestart", D(2026, 3, 1)),
        ("leerling.thuiszitter-beeindigd", D(2026, 4, 1)),
    ]


def test_registration_in_no_category_is_no_event() -> None:
    """A child registered without a category: no categorie-gewijzigd."""
    assert t.overgangen([PeriodeKort("geen", D(2026, 1, 1), None)]) == []
    assert t.overgangen([]) == []
