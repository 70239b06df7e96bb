"""The demo data gives the regisseur a full inbox: meldingen and cases in several states."""

from __future__ import annotations

from sqlalchemy import select

from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.casussen import CasusSignaal
from app.domain.toegang import Actor, Rol
from app.services import casussen, meldingen
from app.services.demo import DEMO_SWV_CODE, laad_demodata
from app.services.pagination import PageRequest


async def test_the_demo_inbox_shows_meldingen_and_cases_in_several_states(uow: UnitOfWork) -> None:
    await laad_demodata(uow)
    async with uow.alle_swvs():
        swv = await uow.session.scalar(select(SwvRow).where(SwvRow.code == DEMO_SWV_CODE))
        assert swv is not None
        swv_id = str(swv.id)
    regisseur = Actor(id="t", rol=Rol.REGISSEUR, swv_id=swv_id)
    pagina, _ = await meldingen.lijst(
        uow, regisseur, meldingen.MeldingFilter(), PageRequest(page_size=100)
    )
    assert {m.status for m in pagina.items} == {
        "ontvangen",
        "toegewezen",
        "geregistreerd",
        "casus-geopend",
        "afgesloten",
    }
    zaken, _ = await casussen.lijst(
        uow, regisseur, casussen.CasusFilter(), PageRequest(page_size=100), None
    )
    assert [z.casus.status for z in zaken.items] == ["in-uitvoering"]
    assert zaken.items[0].termijnen.signalen == (CasusSignaal.EVALUATIE_ACHTERSTALLIG,)
