"""Actielijsten against real PostgreSQL, the clock as a parameter: the worklist per role, late
derived, the quarterly cycle, moved peildata, closing a task."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.db.taken import Werklijstfilter
from app.domain.taken import AFGESLOTEN, TE_DOEN, Actie, Taakstatus
from app.domain.toegang import Rol
from app.services import taken
from app.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.services.pagination import PageRequest
from tests.builders import Swv

ALLES = PageRequest(1, 100)
ALLE_STATUSSEN = Werklijstfilter(status=frozenset(Taakstatus))


async def test_begeleider_worklist_on_10_november_holds_one_navraag_per_school(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """Done when: on 2026-11-10 the begeleider's worklist holds one navraag per school, due
    before the peildatum of 2026-12-01."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    await taken.genereer_taken(uow, date(2026, 11, 10))  # idempotent
    pagina, _ = await taken.werklijst(
        uow,
        swv_a.actor(Rol.BEGELEIDER),
        Werklijstfilter(vervalt_voor=date(2026, 12, 1)),
        ALLES,
        op=date(2026, 11, 10),
    )
    navraag = [t for t in pagina.items if t.taak.code == "navraag"]
    assert sorted(str(t.taak.school_id) for t in navraag) == sorted(str(s) for s in swv_a.scholen)
    assert all(t.taak.vervalt_op < date(2026, 12, 1) for t in navraag)
    assert all(t.status is Taakstatus.OPEN for t in navraag)
    # Not the begeleider's: the secretariaat's upload is not on this list.
    assert not [t for t in pagina.items if t.taak.code == "inspectie"]


async def test_inspectie_upload_is_late_on_16_december_without_a_submission(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """Done when: on 2026-12-16, without a submission, the Inspectie upload task is late."""
    await taken.genereer_taken(uow, date(2026, 12, 2))
    secretariaat = swv_a.actor(Rol.SECRETARIAAT)
    laat, _ = await taken.werklijst(
        uow,
        secretariaat,
        Werklijstfilter(status=frozenset({Taakstatus.TE_LAAT})),
        ALLES,
        op=date(2026, 12, 16),
    )
    assert [(t.taak.code, t.taak.vervalt_op) for t in laat.items] == [
        ("inspectie", date(2026, 12, 15))
    ]
    stappen = {
        s.code: s
        for s in await taken.cyclus(uow, secretariaat, date(2026, 12, 1), date(2026, 12, 16))
    }
    assert stappen["inspectie"].status is Taakstatus.TE_LAAT
    assert stappen["navraag"].status is Taakstatus.TE_LAAT


async def test_closing_with_outcome_and_not_applicable_with_reason(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """Afronden with an outcome; niet-van-toepassing with a reason; If-Match on each change;
    the cycle shows the step done."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    pagina, _ = await taken.werklijst(
        uow,
        begeleider,
        Werklijstfilter(status=frozenset({Taakstatus.OPEN})),
        ALLES,
        op=date(2026, 11, 10),
    )
    navraag = [t.taak for t in pagina.items if t.taak.code == "navraag"]
    eerste, tweede = navraag
    with pytest.raises(PreconditionRequired):
        await taken.sluit(
            uow, begeleider, eerste.id, actie=Actie.AFRONDEN, toelichting="x", versie=None
        )
    with pytest.raises(PreconditionFailed):
        await taken.sluit(
            uow, begeleider, eerste.id, actie=Actie.AFRONDEN, toelichting="x", versie=99
        )
    with pytest.raises(InvalidInput):
        await taken.sluit(
            uow, begeleider, eerste.id, actie=Actie.AFRONDEN, toelichting=" ", versie=eerste.versie
        )
    klaar = await taken.sluit(
        uow,
        begeleider,
        eerste.id,
        actie=Actie.AFRONDEN,
        toelichting="Geen thuiszitters gemeld",
        versie=eerste.versie,
    )
    assert klaar.status is Taakstatus.AFGEROND
    with pytest.raises(Conflict):
        await taken.sluit(
            uow,
            begeleider,
            eerste.id,
            actie=Actie.AFRONDEN,
            toelichting="nog eens",
            versie=klaar.taak.versie,
        )
    nvt = await taken.sluit(
        uow,
        begeleider,
        tweede.id,
        actie=Actie.NIET_VAN_TOEPASSING,
        toelichting="School gesloten",
        versie=tweede.versie,
    )
    assert nvt.status is Taakstatus.NIET_VAN_TOEPASSING
    with pytest.raises(NotFound):  # another role's task is out of scope
        await taken.sluit(
            uow,
            swv_a.actor(Rol.REGISSEUR),
            tweede.id,
            actie=Actie.AFRONDEN,
            toelichting="ok",
            versie=nvt.taak.versie,
        )
    stappen = {
        s.code: s
        for s in await taken.cyclus(uow, begeleider, date(2026, 12, 1), date(2026, 11, 10))
    }
    assert stappen["navraag"].status is Taakstatus.AFGEROND
    assert stappen["navraag"].afgerond == 2


async def test_a_task_of_another_swv_or_scope_is_not_found(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv
) -> None:
    """Out of scope is 404 like missing: another SWV, another vestiging, another role."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    pagina, _ = await taken.werklijst(
        uow, swv_a.actor(Rol.BEGELEIDER), Werklijstfilter(), ALLES, op=date(2026, 11, 10)
    )
    taak_id = pagina.items[0].taak.id
    with pytest.raises(NotFound):
        await taken.taak(uow, swv_b.actor(Rol.BEGELEIDER), taak_id)
    with pytest.raises(NotFound):
        await taken.taak(uow, swv_a.actor(Rol.SECRETARIAAT), taak_id)
    with pytest.raises(NotFound):
        await taken.taak(uow, swv_a.actor(Rol.BEGELEIDER), uuid.uuid4())
    assert (await taken.taak(uow, swv_a.actor(Rol.BEGELEIDER), taak_id)).taak.id == taak_id


async def test_changing_peildata_moves_open_tasks_and_never_completed_ones(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """Changing peildata moves future tasks (same key) and never touches completed ones."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    pagina, _ = await taken.werklijst(
        uow, begeleider, Werklijstfilter(), ALLES, op=date(2026, 11, 10)
    )
    navraag = [t.taak for t in pagina.items if t.taak.code == "navraag"]
    klaar = await taken.sluit(
        uow, begeleider, navraag[0].id, actie=Actie.AFRONDEN, toelichting="ok", versie=1
    )
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    await connection.execute(
        text(
            "UPDATE samenwerkingsverbanden SET beleid = beleid || "
            '\'{"peildata": ["12-08", "03-01", "06-01", "09-01"]}\'::jsonb WHERE id = :id'
        ),
        {"id": swv_a.id},
    )
    await taken.genereer_taken(uow, date(2026, 11, 12))
    na, _ = await taken.werklijst(uow, begeleider, ALLE_STATUSSEN, ALLES, op=date(2026, 11, 12))
    per_id = {t.taak.id: t.taak for t in na.items}
    assert per_id[navraag[1].id].vervalt_op == date(2026, 12, 7)
    assert per_id[navraag[0].id].vervalt_op == klaar.taak.vervalt_op == date(2026, 11, 30)
    assert len([t for t in na.items if t.taak.code == "navraag"]) == 2


async def test_anonymisation_blanks_the_free_text_of_a_childs_tasks(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """Free text (outcome, reason) is blanked when the child is anonymised (docs/privacy.md)."""
    from tests.services.test_notificaties import kind_met_verzuim

    leerling_id = await kind_met_verzuim(uow, swv_a, dagen_geleden=40)
    await taken.genereer_taken(uow, date.today())  # noqa: DTZ011 (the projection's today)
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    pagina, _ = await taken.werklijst(
        uow, begeleider, Werklijstfilter(leerling_id=leerling_id), ALLES
    )
    taak = pagina.items[0].taak
    await taken.sluit(
        uow, begeleider, taak.id, actie=Actie.AFRONDEN, toelichting="Gebeld", versie=taak.versie
    )
    async with uow.alle_swvs():
        await uow.taken.wis_toelichting(leerling_id)
        await uow.commit()
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    teksten = (
        await connection.execute(
            text(
                "SELECT t.toelichting, o.toelichting FROM taken t "
                "JOIN taak_overgangen o ON o.taak_id = t.id WHERE t.id = :id"
            ),
            {"id": taak.id},
        )
    ).all()
    assert teksten == [(None, None)]


async def test_a_task_that_becomes_late_is_announced_once(uow: UnitOfWork, swv_a: Swv) -> None:
    """`taak.te-laat` the day after the due day, once however often the job runs."""
    from datetime import UTC, datetime

    await taken.genereer_taken(uow, date(2026, 12, 2))
    nu = datetime(2026, 12, 16, 6, tzinfo=UTC)
    eerste = await taken.kondig_te_laat_aan(uow, date(2026, 12, 16), nu)
    assert eerste >= 1
    assert await taken.kondig_te_laat_aan(uow, date(2026, 12, 17), nu) == 0
    async with uow.voor(swv_a.actor(Rol.REGISSEUR)):
        events = await uow.notificaties.van_swv(swv_a.id)
    inspectie = [e for e in events if e.soort == "taak.te-laat" and e.data["code"] == "inspectie"]
    assert len(inspectie) == 1
    assert inspectie[0].data["vervaltOp"] == "2026-12-15"


async def test_worklist_holds_the_roles_tasks_and_those_assigned_to_the_person_once(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """The worklist is the role's tasks or the person's (actielijsten): each once, by due date
    then id, on every page, and the total counts each once (decision 48: no OR in the SQL)."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    secretariaat = swv_a.actor(Rol.SECRETARIAAT)
    dag = date(2026, 11, 10)
    eigen, _ = await taken.werklijst(uow, begeleider, Werklijstfilter(), ALLES, op=dag)
    ander, _ = await taken.werklijst(uow, secretariaat, Werklijstfilter(), ALLES, op=dag)
    assert eigen.items
    assert ander.items
    toegewezen = [ander.items[0].taak.id, eigen.items[0].taak.id]  # another role's, and its own
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    await connection.execute(
        text("UPDATE taken SET toegewezen_aan = :wie WHERE id = ANY(:ids)"),
        {"wie": begeleider.id, "ids": toegewezen},
    )
    verwacht = sorted(
        [t.taak for t in eigen.items] + [ander.items[0].taak], key=lambda t: (t.vervalt_op, t.id)
    )
    gezien = []
    for nummer in range(1, len(verwacht) + 2):
        pagina, _ = await taken.werklijst(
            uow, begeleider, Werklijstfilter(), PageRequest(nummer, 1), op=dag
        )
        assert pagina.total == len(verwacht)
        gezien += [t.taak.id for t in pagina.items]
    assert gezien == [t.id for t in verwacht]
    # Another begeleider sees the role's tasks, not the secretariaat's task assigned to a person.
    collega, _ = await taken.werklijst(
        uow, swv_a.actor(Rol.BEGELEIDER), Werklijstfilter(), ALLES, op=dag
    )
    assert {t.taak.id for t in collega.items} == {t.taak.id for t in eigen.items}
    open_, _ = await taken.werklijst(
        uow,
        begeleider,
        Werklijstfilter(status=frozenset({Taakstatus.OPEN})),
        PageRequest(1, 1),
        op=dag,
    )
    assert open_.total == len([t for t in verwacht if t.opent_op <= dag <= t.vervalt_op])


async def _navraag_afgerond(uow: UnitOfWork, swv_a: Swv) -> uuid.UUID:
    """The tasks of 10 November, one navraag closed as done; its id."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    pagina, _ = await taken.werklijst(
        uow, begeleider, Werklijstfilter(), ALLES, op=date(2026, 11, 10)
    )
    navraag = next(t.taak for t in pagina.items if t.taak.code == "navraag")
    await taken.sluit(
        uow, begeleider, navraag.id, actie=Actie.AFRONDEN, toelichting="ok", versie=navraag.versie
    )
    return navraag.id


async def test_worklist_by_default_shows_only_the_work_to_do_and_counts_only_that(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """A worklist is the work still to do (decision 51): by default a closed task is not on it
    and the total counts only the tasks not closed (gepland, open, te-laat)."""
    gesloten = await _navraag_afgerond(uow, swv_a)
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    dag = date(2026, 11, 10)
    alles, _ = await taken.werklijst(uow, begeleider, ALLE_STATUSSEN, ALLES, op=dag)
    te_doen = [t for t in alles.items if t.status in TE_DOEN]
    assert te_doen
    assert len(te_doen) == len(alles.items) - 1
    pagina, _ = await taken.werklijst(uow, begeleider, Werklijstfilter(), PageRequest(1, 1), op=dag)
    assert pagina.total == len(te_doen)
    gezien = []
    for nummer in range(1, len(te_doen) + 1):
        pagina, _ = await taken.werklijst(
            uow, begeleider, Werklijstfilter(), PageRequest(nummer, 1), op=dag
        )
        gezien += [t.taak.id for t in pagina.items]
    assert gezien == [t.taak.id for t in te_doen]
    assert gesloten not in gezien


async def test_worklist_shows_closed_tasks_when_asked_by_status(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """`status=afgerond` shows the closed task; every state asked for is the whole list; a
    closed state with a derived one shows both (decision 51)."""
    gesloten = await _navraag_afgerond(uow, swv_a)
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    dag = date(2026, 11, 10)
    afgerond, _ = await taken.werklijst(
        uow, begeleider, Werklijstfilter(status=frozenset({Taakstatus.AFGEROND})), ALLES, op=dag
    )
    assert [(t.taak.id, t.status) for t in afgerond.items] == [(gesloten, Taakstatus.AFGEROND)]
    assert afgerond.total == 1
    afgesloten, _ = await taken.werklijst(
        uow, begeleider, Werklijstfilter(status=AFGESLOTEN), ALLES, op=dag
    )
    assert [t.taak.id for t in afgesloten.items] == [gesloten]
    alles, _ = await taken.werklijst(uow, begeleider, ALLE_STATUSSEN, ALLES, op=dag)
    standaard, _ = await taken.werklijst(uow, begeleider, Werklijstfilter(), ALLES, op=dag)
    assert alles.total == standaard.total + 1
    assert gesloten in {t.taak.id for t in alles.items}
    open_of_afgerond = frozenset({Taakstatus.OPEN, Taakstatus.AFGEROND})
    gemengd, _ = await taken.werklijst(
        uow, begeleider, Werklijstfilter(status=open_of_afgerond), ALLES, op=dag
    )
    assert {t.status for t in gemengd.items} == open_of_afgerond
    assert [t.taak.id for t in gemengd.items] == [
        t.taak.id for t in alles.items if t.status in open_of_afgerond
    ]


async def test_worklist_shows_late_tasks_first_by_due_date(uow: UnitOfWork, swv_a: Swv) -> None:
    """By default the late tasks are on the list, first, by due date, before the open and
    planned ones (actielijsten; decision 51 keeps the order of decision 48)."""
    for dag in (date(2026, 11, 10), date(2027, 1, 5), date(2027, 4, 10)):
        await taken.genereer_taken(uow, dag)  # three peildata: due 30 Nov, 28 Feb, 31 May
    begeleider = swv_a.actor(Rol.BEGELEIDER)
    dag = date(2027, 2, 5)
    pagina, _ = await taken.werklijst(uow, begeleider, Werklijstfilter(), ALLES, op=dag)
    statussen = [t.status for t in pagina.items]
    assert set(statussen) == TE_DOEN
    laat = statussen.count(Taakstatus.TE_LAAT)
    assert statussen[:laat] == [Taakstatus.TE_LAAT] * laat
    sleutels = [(t.taak.vervalt_op, t.taak.id) for t in pagina.items]
    assert sleutels == sorted(sleutels)
    for keuze in (
        frozenset({Taakstatus.TE_LAAT}),
        frozenset({Taakstatus.GEPLAND}),
        frozenset({Taakstatus.TE_LAAT, Taakstatus.GEPLAND}),
        frozenset({Taakstatus.OPEN, Taakstatus.GEPLAND}),
    ):
        deel, _ = await taken.werklijst(
            uow, begeleider, Werklijstfilter(status=keuze), ALLES, op=dag
        )
        assert [t.taak.id for t in deel.items] == [
            t.taak.id for t in pagina.items if t.status in keuze
        ]
