"""The demo data set shows each textbook case with the category the rules give it."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from httpx import AsyncClient
from sqlalchemy import select

from app.api.app import Application
from app.db.leerlingen import LeerlingRow
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid
from app.domain.rapportage import InspectieRegister, inspectie_rijen, register_kop
from app.domain.toegang import Actor, Rol
from app.services import escalaties, leerlingen, tlv
from app.services.demo import (
    DEMO_GEBRUIKERS,
    DEMO_GEGENEREERD,
    DEMO_SWV_CODE,
    DEMO_WACHTWOORD,
    demo_totp_geheim,
    laad_demodata,
)
from app.services.demo.synthetisch import laad_synthetische_regio
from app.services.pagination import PageRequest
from app.services.rapportage import _met_kinderen, inspectie_rapport, register_json
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
    assert len(rows) == 8 + DEMO_GEGENEREERD
    directeur = Actor(id="d", rol=Rol.DIRECTEUR, swv_id=str(swv.id))
    overzicht, _dag = await escalaties.lijst_escalaties(
        uow, directeur, escalaties.Filter(), PageRequest()
    )
    assert sorted(str(b.stand.status) for b in overzicht.items) == [
        "doorzettingsmacht",
        "in-uitvoering",
    ], "two demo escalations, one on the directeur's overview"
    rows = [r for r in rows if not r.pseudoniem.startswith("P")]
    actor = Actor(id="t", rol=Rol.REGISSEUR, swv_id=str(swv.id))
    categories = {}
    for row in rows:
        _leerling, status = await leerlingen.status_op(
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
        "241807": "geen",
        "241808": "geen",
    }
    ids = {r.pseudoniem: r.id for r in rows}
    begeleider = Actor(id="b", rol=Rol.BEGELEIDER, swv_id=str(swv.id))
    werklijst, _dag = await tlv.werklijst(
        uow, begeleider, peildatum=None, school_id=None, page=PageRequest(1, 100)
    )
    assert [m.tlv.tlv.leerling_id for m in werklijst.items] == [ids["241807"]], "one check due"
    geplaatst = await tlv.tlvs_van_leerling(uow, begeleider, ids["241808"])
    assert [str(m.stand.staat) for m in geplaatst] == ["geplaatst"]


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


async def test_a_generated_region_reports_like_a_real_one(uow: UnitOfWork) -> None:
    """The synthetic region goes through the same tables and projection."""
    aantal = await laad_synthetische_regio(
        uow, swv_code="GEN-T", aantal=120, seed=3, schooljaar=2026
    )
    assert aantal == 120
    async with uow.alle_swvs():
        swv = await uow.session.scalar(select(SwvRow).where(SwvRow.code == "GEN-T"))
        assert swv is not None
    actor = Actor(id="t", rol=Rol.REGISSEUR, swv_id=str(swv.id))
    rapport = await inspectie_rapport(uow, actor, peildatum=date(2026, 6, 1), bekend_op=None)
    assert rapport.register.rijen, "a realistic region has thuiszitters to report"
    assert all(r.pseudoniem.startswith("P") for r in rapport.register.rijen)


async def test_narrowing_to_candidates_gives_the_same_register_as_computing_everyone(
    uow: UnitOfWork,
) -> None:
    """The report reads only children whose projection can qualify (or whose facts changed
    after `bekend_op`); it must equal the register computed from every child's facts."""
    await laad_synthetische_regio(uow, swv_code="GEN-N", aantal=300, seed=11, schooljaar=2026)
    async with uow.alle_swvs():
        swv = await uow.session.scalar(select(SwvRow).where(SwvRow.code == "GEN-N"))
        assert swv is not None
    actor = Actor(id="t", rol=Rol.REGISSEUR, swv_id=str(swv.id))
    peildatum = date(2026, 3, 1)
    for bekend_op in (None, datetime(2026, 1, 15, tzinfo=UTC)):
        narrowed = await inspectie_rapport(uow, actor, peildatum=peildatum, bekend_op=bekend_op)
        async with uow.voor(actor):
            kop = register_kop(peildatum, bekend_op=bekend_op)
            alle = await _met_kinderen(
                uow,
                swv.id,
                lambda kinderen: tuple(inspectie_rijen(kinderen, Beleid(), kop)),  # noqa: B023
            )
        assert register_json(narrowed.register) == register_json(InspectieRegister(kop, alle))
        assert narrowed.register.rijen
