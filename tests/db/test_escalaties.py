"""Storage guarantees of escalations: the history is append-only and kept per SWV."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.domain.escalaties import Aanleiding
from app.domain.toegang import Rol
from app.services import escalaties
from tests.builders import Swv
from tests.db.test_register import leerling_met_verzuim


async def test_escalations_and_their_steps_cannot_be_updated_or_deleted(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """Every step is kept as history; nothing is editable after the fact."""
    leerling_id = await leerling_met_verzuim(uow, swv_a)
    await escalaties.open_escalatie(
        uow,
        swv_a.actor(Rol.BEGELEIDER),
        escalaties.NieuweEscalatie(leerling_id, Aanleiding.VERZOEK_LEERPLICHT, toelichting="x"),
    )
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    for statement in (
        "UPDATE escalaties SET aanleiding = 'x'",
        "UPDATE escalatie_stappen SET naar_status = 'afgesloten'",
        "UPDATE escalatie_stappen SET toelichting = NULL",
        "DELETE FROM escalatie_stappen",
        "DELETE FROM escalaties",
        "TRUNCATE escalatie_stappen",
    ):
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match=r"nooit gewijzigd|permission denied"):
            await connection.execute(text(statement))
        await savepoint.rollback()


async def test_row_level_security_shows_no_other_swvs_escalations(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv, connection: AsyncConnection
) -> None:
    leerling_id = await leerling_met_verzuim(uow, swv_a)
    await escalaties.open_escalatie(
        uow,
        swv_a.actor(Rol.BEGELEIDER),
        escalaties.NieuweEscalatie(leerling_id, Aanleiding.MELDING_BEGELEIDER),
    )
    for tabel in ("escalaties", "escalatie_stappen"):
        aantallen = []
        for swv in (str(swv_a.id), str(swv_b.id), ""):
            await connection.execute(text("SELECT set_config('app.swv_id', :s, true)"), {"s": swv})
            query = text(f"SELECT count(*) FROM {tabel}")  # noqa: S608 (fixed table names)
            aantallen.append(int((await connection.execute(query)).scalar_one()))
        assert aantallen == [1, 0, 0], tabel
