"""The demo data set shows each textbook case with the category the rules give it."""

from __future__ import annotations

from sqlalchemy import select

from app.db.leerlingen import LeerlingRow
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.toegang import Actor, Rol
from app.services import register
from app.services.demo import DEMO_SWV_CODE, laad_demodata


async def test_demo_data_loads_once_with_the_expected_categories(uow: UnitOfWork) -> None:
    await laad_demodata(uow)
    await laad_demodata(uow)
    async with uow.alle_swvs():
        swv = await uow.session.scalar(select(SwvRow).where(SwvRow.code == DEMO_SWV_CODE))
        assert swv is not None
        rows = list(
            await uow.session.scalars(select(LeerlingRow).where(LeerlingRow.swv_id == swv.id))
        )
    assert len(rows) == 6
    actor = Actor(id="t", rol=Rol.REGISSEUR, swv_id=str(swv.id))
    categories = {}
    for row in rows:
        _leerling, status = await register.status_op(
            uow, actor, row.id, peildatum=None, bekend_op=None
        )
        categories[row.pseudoniem] = str(status.categorie)
    assert categories == {
        "231801": "B2b",
        "231802": "B1",
        "241803": "A1",
        "241804": "A2a",
        "241805": "geen",
        "241806": "B2a",
    }
