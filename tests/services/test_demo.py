"""The demo data set shows each textbook case with the category the rules give it."""

from __future__ import annotations

import time

from httpx import AsyncClient
from sqlalchemy import select

from app.api.app import Application
from app.db.leerlingen import LeerlingRow
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.toegang import Actor, Rol
from app.services import register
from app.services.demo import (
    DEMO_GEBRUIKERS,
    DEMO_SWV_CODE,
    DEMO_WACHTWOORD,
    demo_totp_geheim,
    laad_demodata,
)
from app.services.toegang.totp import code_op
from app.services.toegang.versleuteling import Versleuteling


async def test_demo_data_loads_once_with_the_expected_categories(
    uow: UnitOfWork, keys: tuple[str, str]
) -> None:
    versleuteling = Versleuteling(keys[1])
    await laad_demodata(uow, versleuteling)
    await laad_demodata(uow, versleuteling)
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


async def test_every_demo_user_can_log_in(
    jwt_client: AsyncClient, jwt_application: Application, uow: UnitOfWork
) -> None:
    await laad_demodata(uow, jwt_application.api.state.versleuteling)
    assert {rol for _, rol, _, _ in DEMO_GEBRUIKERS} == set(Rol) - {
        Rol.SCHOOLSYSTEEM,
        Rol.LEERPLICHTSYSTEEM,
    }
    for naam, _rol, _v, _g in DEMO_GEBRUIKERS:
        response = await jwt_client.post(
            "/v1/sessies",
            json={
                "gebruikersnaam": naam,
                "wachtwoord": DEMO_WACHTWOORD,
                "totpCode": code_op(demo_totp_geheim(naam), int(time.time())),
            },
        )
        assert response.status_code == 201, (naam, response.text)
