"""The meldingen and casussen tables: a source reference is unique per SWV and source (the race
two requests can run), and their history is append-only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import LeerlingRow
from app.db.meldingen import MeldingenRepository, MeldingOvergangRow, MeldingRow
from tests.builders import Swv


def _melding(swv: Swv, leerling_id: uuid.UUID) -> MeldingRow:
    return MeldingRow(
        id=uuid.uuid4(),
        swv_id=swv.id,
        leerling_id=leerling_id,
        soort="beperkt",
        status="ontvangen",
        gevraagde_acties=[],
        toelichting={},
        bron="systeem-1",
        bron_referentie="DD-9",
        ingediend_door="systeem-1",
        ingediend_door_rol="schoolsysteem",
        ontvangen_op=datetime.now(UTC),
        feit_ids=[],
        versie=1,
    )


async def test_the_same_source_reference_twice_is_dubbele_bron_referentie(
    sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv
) -> None:
    async with sessionmaker(info={"swv_id": str(swv_a.id)}) as session:
        leerling = LeerlingRow(
            swv_id=swv_a.id, pseudoniem="db0001", geboortejaar=2014, geboortemaand=1, regio="noord"
        )
        session.add(leerling)
        await session.flush()
        repo = MeldingenRepository(session)
        await repo.add(_melding(swv_a, leerling.id))
        with pytest.raises(DubbeleBronReferentie):
            await repo.add(_melding(swv_a, leerling.id))


async def test_the_history_of_a_melding_is_append_only(
    sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv, connection: AsyncConnection
) -> None:
    async with sessionmaker(info={"swv_id": str(swv_a.id)}) as session:
        leerling = LeerlingRow(
            swv_id=swv_a.id, pseudoniem="db0002", geboortejaar=2014, geboortemaand=1, regio="noord"
        )
        session.add(leerling)
        await session.flush()
        melding = _melding(swv_a, leerling.id)
        repo = MeldingenRepository(session)
        await repo.add(melding)
        await repo.overgang(
            MeldingOvergangRow(
                melding_id=melding.id,
                swv_id=swv_a.id,
                naar="ontvangen",
                actie="ontvangen",
                door="systeem-1",
                rol="schoolsysteem",
                op=datetime.now(UTC),
            )
        )
        await session.commit()
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    await connection.execute(text("SAVEPOINT voor_wijziging"))
    with pytest.raises(DBAPIError):
        await connection.execute(text("UPDATE melding_overgangen SET naar = 'afgesloten'"))
    await connection.execute(text("ROLLBACK TO SAVEPOINT voor_wijziging"))
    with pytest.raises(DBAPIError):
        await connection.execute(text("DELETE FROM melding_overgangen"))
