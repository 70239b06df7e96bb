"""Storage guarantees of TLVs: row-level security per SWV, an append-only history, and the
scope of `leesbaar` for TLVs."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.db.tlv import TlvRepository
from app.domain.feiten import TlvSoort
from app.domain.tlv import TlvGebeurtenis
from app.domain.toegang import Rol
from app.services import tlv
from app.services.errors import Conflict, NotFound
from tests.builders import Swv
from tests.db.test_register import VANDAAG, leerling_met_verzuim


async def tlv_met_check(uow: UnitOfWork, swv: Swv) -> uuid.UUID:
    leerling_id = await leerling_met_verzuim(uow, swv)
    afgegeven = await tlv.geef_af(
        uow,
        swv.actor(Rol.REGISSEUR),
        leerling_id,
        tlv.NieuweTlv(
            afgegeven_op=VANDAAG - timedelta(days=40),
            onderwijssoort=TlvSoort.SBO,
            school_herkomst_id=swv.scholen[0],
            school_beoogd_id=swv.scholen[1],
        ),
    )
    tlv_id = afgegeven.tlv.tlv.id
    await tlv.leg_check_vast(
        uow,
        swv.actor(Rol.BEGELEIDER),
        tlv_id,
        tlv.NieuweCheck(TlvGebeurtenis.WACHT_OP_INSTROOM, toelichting="Gebeld"),
    )
    return tlv_id


async def test_row_level_security_hides_other_swvs_tlvs(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv, connection: AsyncConnection
) -> None:
    await tlv_met_check(uow, swv_a)
    await tlv_met_check(uow, swv_b)

    async def count(table: str, swv: str) -> int:
        await connection.execute(text("SELECT set_config('app.swv_id', :s, true)"), {"s": swv})
        query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
        return int((await connection.execute(query)).scalar_one())

    for table in ("tlvs", "plaatsingschecks", "tlv_overgangen"):
        only_a = await count(table, str(swv_a.id))
        everything = await count(table, "*")
        assert 0 < only_a < everything, table
        assert await count(table, "") == 0, table


async def test_the_history_of_a_tlv_cannot_be_updated_or_deleted(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """Every transition is kept (append-only history)."""
    await tlv_met_check(uow, swv_a)
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    for statement in (
        "UPDATE tlv_overgangen SET naar = 'afgerond'",
        "DELETE FROM tlv_overgangen",
        "TRUNCATE tlv_overgangen",
    ):
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match=r"nooit gewijzigd|permission denied"):
            await connection.execute(text(statement))
        await savepoint.rollback()


async def test_tlv_scope_per_role(uow: UnitOfWork, swv_a: Swv) -> None:
    """Old and new school and SWV roles read the TLV; another gemeente's leerplicht does not."""
    tlv_id = await tlv_met_check(uow, swv_a)
    zichtbaar = {
        Rol.REGISSEUR: swv_a.actor(Rol.REGISSEUR),
        Rol.SCHOOLMEDEWERKER: swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1),
        Rol.SCHOOLSYSTEEM: swv_a.actor(Rol.SCHOOLSYSTEEM, school=0),
    }
    for actor in zichtbaar.values():
        met, _checks = await tlv.lees_tlv(uow, actor, tlv_id)
        assert met.tlv.id == tlv_id
    for actor in (
        swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0),  # the child has no woongemeente
        swv_a.actor(Rol.BEHEERDER),
    ):
        with pytest.raises(NotFound):
            await tlv.lees_tlv(uow, actor, tlv_id)


async def test_a_reference_taken_at_the_same_moment_is_a_conflict(
    uow: UnitOfWork, swv_a: Swv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests with one bronReferentie at once: the second gets 409, never a 500."""
    leerling_id = await leerling_met_verzuim(uow, swv_a)
    nieuw = tlv.NieuweTlv(
        afgegeven_op=VANDAAG - timedelta(days=3),
        onderwijssoort=TlvSoort.SO,
        bron_referentie="TLV-GELIJK",
    )
    regisseur = swv_a.actor(Rol.REGISSEUR)
    await tlv.geef_af(uow, regisseur, leerling_id, nieuw)

    async def niets(*_args: object) -> None:
        return None  # as if the other request had not committed yet when this one looked

    monkeypatch.setattr(TlvRepository, "op_bron", niets)
    with pytest.raises(Conflict):
        await tlv.geef_af(uow, regisseur, leerling_id, nieuw)
