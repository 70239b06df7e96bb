"""Actielijsten: generate the tasks (the worker, daily), the worklist per role and person,
closing a task, and the quarterly cycle per peildatum (docs/domain.md, "Actielijsten")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.db.session import UnitOfWork
from app.db.taken import Taak, Werklijstfilter
from app.domain import taken as regels
from app.domain.casussen import CasusStatus
from app.domain.casussen import termijnen as casustermijnen
from app.domain.notificaties import Soort
from app.domain.taken import (
    Actie,
    Afspraaktermijn,
    Besluittermijn,
    Casustermijn,
    Contacttermijn,
    Context,
    GeplandeCheck,
    LopendeVrijstelling,
    PeriodeKort,
    Taakstatus,
    Termijnen,
    Weigering,
)
from app.domain.toegang import Actor, Reikwijdte, Rol
from app.services import notificaties
from app.services.context import peildata_van, vandaag
from app.services.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.services.pagination import Page, PageRequest

NIET_GEVONDEN = "Deze taak bestaat niet."


async def genereer_taken(uow: UnitOfWork, op: date) -> int:
    """Every SWV's tasks for the day `op`, idempotent (the worker runs it daily; two at once
    create each task once). The number of new tasks."""
    async with uow.alle_swvs():
        nieuw = 0
        for swv_id in await uow.taken.swv_ids():
            nieuw += await _genereer_voor(uow, swv_id, op)
        await uow.commit()
        return nieuw


async def _genereer_voor(uow: UnitOfWork, swv_id: uuid.UUID, op: date) -> int:
    swv = await uow.organisaties.swv(swv_id)
    assert swv is not None  # noqa: S101
    termijnen = Termijnen()
    g = await uow.taken.context_gegevens(swv_id, op - timedelta(days=termijnen.horizon_dagen + 1))
    perioden: dict[str, list[PeriodeKort]] = {}
    for r in g["perioden"]:
        perioden.setdefault(str(r["leerling_id"]), []).append(
            PeriodeKort(r["categorie"], r["start"], r["einde"])
        )
    context = Context(
        peildata=peildata_van(swv),
        scholen=tuple(str(r["id"]) for r in g["scholen"]),
        thuiszitters=tuple(
            s for k, ps in perioden.items() for s in regels.thuiszitter_starts(k, ps)
        ),
        tlvs=tuple(
            GeplandeCheck(str(r["id"]), str(r["leerling_id"]), r["volgende_check"])
            for r in g["tlvs"]
        ),
        meldingen=tuple(
            Contacttermijn(
                str(r["id"]),
                str(r["leerling_id"]),
                r["soort"],
                r["contact_uiterlijk"],
                _str(r["school_id"]),
            )
            for r in g["meldingen"]
        ),
        casussen=tuple(_casustermijn(r, op) for r in g["casussen"]),
        afspraken=tuple(
            Afspraaktermijn(
                str(r["escalatie_id"]),
                str(r["id"]),
                str(r["leerling_id"]),
                r["eigenaar"],
                r["datum"],
                r["deadline"],
            )
            for r in g["afspraken"]
        ),
        besluiten=tuple(
            Besluittermijn(
                str(r["escalatie_id"]),
                str(r["id"]),
                str(r["leerling_id"]),
                r["datum"],
                r["plaatsen_uiterlijk"],
            )
            for r in g["besluiten"]
        ),
        vrijstellingen=tuple(
            LopendeVrijstelling(str(r["leerling_id"]), str(r["id"])) for r in g["vrijstellingen"]
        ),
        termijnen=termijnen,
    )
    gevraagd = regels.genereer(context, op)
    nieuw = await uow.taken.schrijf(swv_id, gevraagd)
    await uow.taken.sluit_vervallen(
        swv_id,
        sorted(regels.WORKFLOWTAKEN),
        gevraagd,
        op=await uow.klok(),
        reden="De stap is gezet of de workflow is beëindigd.",
    )
    return nieuw


def _str(waarde: object) -> str | None:
    return None if waarde is None else str(waarde)


def _casustermijn(r: Any, op: date) -> Casustermijn:
    """An open case's weekly due dates as the case itself computes them."""
    t = casustermijnen(
        CasusStatus(r["status"]),
        geopend_op=r["geopend_op"].date(),
        plan_sinds=r["plan_sinds"],
        laatste_evaluatie=r["laatste_evaluatie"],
        laatste_contact_ouders=r["laatste_contact_ouders"],
        vandaag=op,
    )
    assert t.contact_ouders_uiterlijk is not None  # noqa: S101 (an open case always has one)
    return Casustermijn(
        str(r["id"]),
        str(r["leerling_id"]),
        r["coordinatie"],
        t.contact_ouders_uiterlijk,
        t.evaluatie_uiterlijk,
        _str(r["school_id"]),
    )


async def kondig_te_laat_aan(
    uow: UnitOfWork, vandaag: date, nu: datetime, *, venster: int = 7
) -> int:
    """`taak.te-laat` for each open task that became late in the last `venster` days, once."""
    async with uow.alle_swvs():
        aantal = 0
        for swv_id, t in await uow.taken.laat_geworden(vandaag - timedelta(days=venster), vandaag):
            if await notificaties.publiceer(
                uow,
                swv_id,
                Soort.TAAK_TE_LAAT,
                t.id,
                nu=nu,
                leerling_id=t.leerling_id,
                data={"taakId": str(t.id), "code": t.code, "vervaltOp": t.vervalt_op.isoformat()},
                sleutel=f"taak.te-laat:{t.id}",
            ):
                aantal += 1
        await uow.commit()
        return aantal


@dataclass(frozen=True, slots=True)
class TaakMetStatus:
    taak: Taak
    status: Taakstatus


def _met_status(taak: Taak, dag: date) -> TaakMetStatus:
    return TaakMetStatus(
        taak, regels.status(Taakstatus(taak.status), taak.opent_op, taak.vervalt_op, dag)
    )


def _mag_taken(actor: Actor) -> None:
    if actor.reikwijdte is Reikwijdte.GEEN:
        raise Forbidden("Deze rol heeft geen taken.")


async def werklijst(
    uow: UnitOfWork,
    actor: Actor,
    filter_: Werklijstfilter,
    pagina: PageRequest,
    *,
    op: date | None = None,
) -> tuple[Page[TaakMetStatus], date]:
    """The caller's tasks (its role's, or assigned to it) in its scope, by due date; `op` is the
    day the states are derived for (default today)."""
    _mag_taken(actor)
    async with uow.voor(actor):
        dag = op or await vandaag(uow)
        rijen, totaal = await uow.taken.werklijst(
            actor, filter_, dag, offset=pagina.offset, limiet=pagina.page_size
        )
        uow.getoond.extend(t.leerling_id for t in rijen if t.leerling_id is not None)
        await uow.commit()
    items = [_met_status(t, dag) for t in rijen]
    return Page(items, pagina.page, pagina.page_size, totaal), dag


async def taak(uow: UnitOfWork, actor: Actor, taak_id: uuid.UUID) -> TaakMetStatus:
    _mag_taken(actor)
    async with uow.voor(actor):
        gevonden = await uow.taken.get(actor, taak_id)
        if gevonden is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = gevonden.leerling_id
        dag = await vandaag(uow)
        await uow.commit()
        return _met_status(gevonden, dag)


async def sluit(
    uow: UnitOfWork,
    actor: Actor,
    taak_id: uuid.UUID,
    *,
    actie: Actie,
    toelichting: str | None,
    versie: int | None,
) -> TaakMetStatus:
    """Close a task with an outcome, or as not applicable with a reason (`If-Match`)."""
    _mag_taken(actor)
    async with uow.voor(actor):
        gevonden = await uow.taken.get(actor, taak_id, lock=True)
        if gevonden is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = gevonden.leerling_id
        if versie is None:
            raise PreconditionRequired("Stuur If-Match met de ETag van de taak.")
        if versie != gevonden.versie:
            raise PreconditionFailed("De taak is intussen gewijzigd.")
        uitkomst = regels.overgang(
            Taakstatus(gevonden.status),
            actie,
            actor.rol,
            Rol(gevonden.rol),
            toelichting=toelichting,
        )
        if isinstance(uitkomst, Weigering):
            if uitkomst.soort == "geen-toegang":
                raise Forbidden(uitkomst.reden)
            if uitkomst.soort == "conflict":
                raise Conflict(uitkomst.reden)
            veld = "uitkomst" if actie is Actie.AFRONDEN else "reden"
            raise InvalidInput([FieldError(veld, "ontbreekt", uitkomst.reden)])
        nu = await uow.klok()
        bijgewerkt = await uow.taken.zet_status(
            gevonden,
            uuid.UUID(actor.swv_id),
            naar=str(uitkomst),
            door=actor.id,
            op=nu,
            tekst=toelichting or "",
        )
        await uow.commit()
        return _met_status(bijgewerkt, nu.date())


async def cyclus(
    uow: UnitOfWork, actor: Actor, peildatum: date, op: date | None
) -> list[regels.Stap]:
    """The quarterly cycle of one peildatum: each step done, open or late."""
    _mag_taken(actor)
    if actor.reikwijdte is not Reikwijdte.SWV:
        raise Forbidden("De cyclus is voor de rollen van het samenwerkingsverband.")
    async with uow.voor(actor):
        dag = op or await vandaag(uow)
        alle = [_met_status(t, dag) for t in await uow.taken.van_peildatum(actor, peildatum)]
        await uow.commit()
    return [
        regels.stap(code, [t.status for t in alle if t.taak.code == code]) for code in regels.CYCLUS
    ]
