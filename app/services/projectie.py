"""The register's projection: a child's timeline and its Inspectie register rows, recomputed
from all its facts in the transaction that appends one (docs/decisions/0010, 0012), and the
mapping of stored children and facts to the domain's."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from app.db.leerlingen import FeitRegel, FeitRow, LeerlingRecord, LeerlingRow
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.feiten import Feit, feit_uit_dict
from app.domain.leerling import Geboorte, Leerling
from app.domain.regio import Regio
from app.domain.taken import PeriodeKort
from app.domain.tijdlijn import bepaal_tijdlijn
from app.services import notificaties, registerrijen
from app.services.context import SwvContext, klok, laad_context
from app.services.schoolvakanties import Kalender


def leerling_van(row: LeerlingRow | LeerlingRecord) -> Leerling:
    """The domain's view of a stored child."""
    return Leerling(
        id=str(row.id),
        geboorte=Geboorte(row.geboortejaar, row.geboortemaand, row.geboortedag),
        regio=Regio(row.regio),
    )


def _feit(
    soort: str, payload: dict[str, Any], feit_id: uuid.UUID, geldig_vanaf: date, op: datetime
) -> Feit:
    data: dict[str, object] = {
        **payload,
        "id": str(feit_id),
        "geldig_vanaf": geldig_vanaf.isoformat(),
        "geregistreerd_op": op.isoformat(),
    }
    return feit_uit_dict(soort, data)


def feit_van(row: FeitRow) -> Feit:
    """The domain fact of a stored row."""
    return _feit(row.soort, row.payload, row.id, row.geldig_vanaf, row.geregistreerd_op)


def feit_van_regel(regel: FeitRegel) -> Feit:
    """The domain fact of a stored fact read in plain SQL (the hot paths)."""
    return _feit(regel.soort, regel.payload, regel.id, regel.geldig_vanaf, regel.geregistreerd_op)


def _projectie_tot(leerling: Leerling, vandaag: date) -> date:
    """Far enough ahead that every automatic transition (B1→B2a→B2b, 18 years) is in it."""
    return max(vandaag + timedelta(days=400), date(leerling.geboorte.jaar + 19, 12, 31))


def _tijdlijn_tot(kalender: Kalender | None, gewenst: date) -> date:
    if kalender is None:
        return gewenst
    laatste = gewenst
    while not kalender.dekt(laatste) and laatste > date(2000, 1, 1):
        laatste -= timedelta(days=30)
    return laatste


async def projecteer(
    uow: UnitOfWork, leerling: LeerlingRow, swv: SwvContext, rows: list[FeitRow], vandaag: date
) -> None:
    """Replace the child's projections with what its stored facts give."""
    await projecteer_feiten(uow, leerling, swv, [feit_van(r) for r in rows], vandaag)


async def projecteer_feiten(
    uow: UnitOfWork,
    leerling: LeerlingRow | LeerlingRecord,
    swv: SwvContext,
    feiten: list[Feit],
    vandaag: date,
) -> None:
    """Replace the child's projections with what these facts (all of them) give: its timeline,
    and its rows in the Inspectie register of every peildatum that lists it
    (app/services/registerrijen.py), from one fold."""
    beleid = swv.beleid
    domein = leerling_van(leerling)
    kalender = await swv.kalender_van(uow, leerling.id)
    tot = _tijdlijn_tot(kalender, _projectie_tot(domein, vandaag))
    tijdlijn = bepaal_tijdlijn(domein, feiten, beleid, tot=tot, kalender=kalender)
    voor = await uow.rapportage.vervang_projecties(
        leerling.id,
        leerling.swv_id,
        [
            {
                "categorie": str(p.categorie),
                "start": p.start,
                "einde": p.einde,
                "regel": p.regel,
                "feit_ids": list(p.feit_ids),
                "eindreden": str(p.eindreden) if p.eindreden else None,
            }
            for p in tijdlijn.perioden
        ],
        registerrijen.rijen(
            leerling.pseudoniem, domein, feiten, tijdlijn, beleid=beleid, peildata=swv.peildata
        ),
    )
    # Events: the transitions the new timeline gained up to today (app/services/notificaties.py).
    await notificaties.kondig_tijdlijn_aan(
        uow,
        leerling.swv_id,
        leerling.id,
        voor=[PeriodeKort(*p) for p in voor],
        na=[PeriodeKort(str(p.categorie), p.start, p.einde) for p in tijdlijn.perioden],
        vandaag=vandaag,
        nu=uow.begonnen_op or await klok(uow),
    )


async def herbouw_projecties(uow: UnitOfWork, swv_id: uuid.UUID | None = None) -> int:
    """Recompute every child's projections (timeline and register rows) from its facts (CLI
    `rebuild-projections`), of one SWV or of all; inside an outer unit of work it joins that
    transaction."""
    async with uow.alle_swvs():
        vandaag = (await klok(uow)).date()
        aantal = 0
        swvs: dict[uuid.UUID, SwvContext] = {}
        for leerling_id in await uow.leerlingen.alle_ids(swv_id):
            leerling = await uow.session.get(LeerlingRow, leerling_id, with_for_update=True)
            assert leerling is not None  # noqa: S101
            if leerling.swv_id not in swvs:
                rij: SwvRow | None = await uow.organisaties.swv(leerling.swv_id)
                assert rij is not None  # noqa: S101
                swvs[rij.id] = await laad_context(uow, rij)
            swv = swvs[leerling.swv_id]
            rows = await uow.leerlingen.feiten(leerling.id)
            await projecteer(uow, leerling, swv, rows, vandaag)
            aantal += 1
        await uow.commit()
        return aantal
