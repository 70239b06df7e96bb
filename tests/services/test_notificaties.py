"""Events end to end against real PostgreSQL, the clock as a parameter: the outbox, day 29,
scoped webhooks with retries and signatures, the change feed, and no personal data."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.notificaties import Notificatie
from app.db.session import UnitOfWork
from app.domain import notificaties as regels
from app.domain.toegang import Actor, Rol
from app.services import feiten, leerlingen, notificaties
from app.services.notificaties import Bezorging
from app.services.toegang.versleuteling import Versleuteling
from tests.builders import Swv
from tests.services.ontvanger import Ontvanger, ontvanger

VERSLEUTELING = Versleuteling(Versleuteling.nieuwe_sleutel())
BEZORGING = Bezorging(basis_seconden=30, max_pogingen=4)
VANDAAG = date.today()  # noqa: DTZ011 (the projection runs on the database's today)


def _nu(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 9, tzinfo=UTC)


async def kind_met_verzuim(uow: UnitOfWork, swv: Swv, *, dagen_geleden: int = 10) -> uuid.UUID:
    """A child of gemeente 0 at school 0, unexcused absent since `dagen_geleden` days."""
    actor = swv.actor(Rol.REGISSEUR)
    row = await leerlingen.registreer_leerling(
        uow,
        actor,
        leerlingen.NieuweLeerling(
            pseudoniem=f"{uuid.uuid4().int % 10**6:06d}",
            geboortejaar=VANDAAG.year - 11,
            geboortemaand=5,
            regio="noord",
            school_id=swv.scholen[0],
            woongemeente=swv.gemeente_codes[0],
        ),
    )
    await feiten.meld_feit(
        uow,
        actor,
        row.id,
        feiten.NieuwFeit("inschrijving", VANDAAG - timedelta(days=300), school_id=swv.scholen[0]),
    )
    await feiten.meld_feit(
        uow,
        actor,
        row.id,
        feiten.NieuwFeit("verzuim-gestart", VANDAAG - timedelta(days=dagen_geleden)),
    )
    return row.id


async def dag_29(connection: AsyncConnection, leerling_id: uuid.UUID) -> date:
    """The day the child becomes a thuiszitter, as its projected timeline says."""
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    start = await connection.scalar(
        text(
            "SELECT min(start) FROM tijdlijn_perioden WHERE leerling_id = :id "
            "AND categorie IN ('B2a', 'B2b', 'B3')"
        ),
        {"id": leerling_id},
    )
    assert isinstance(start, date)
    return start


async def abonneer(uow: UnitOfWork, actor: Actor, url: str, soorten: list[str]) -> str:
    _, geheim, nieuw = await notificaties.abonneer(
        uow, actor, VERSLEUTELING, url=url, soorten=soorten, bron_referentie=None
    )
    assert nieuw
    assert geheim
    return geheim


async def bezorg(uow: UnitOfWork, nu: datetime) -> int:
    await notificaties.verdeel(uow, nu)
    async with httpx.AsyncClient() as client:
        return await notificaties.bezorg(uow, nu, VERSLEUTELING, client, BEZORGING)


def _events(o: Ontvanger, pad: str) -> list[dict[str, object]]:
    return [json.loads(r.body) for r in o.van(pad)]


async def test_day_29_without_a_new_fact_reaches_leerplicht_of_the_gemeente_only(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """Done when: day 29 with no new fact gives one thuiszitter-gestart event, delivered to the
    leerplicht system of the child's gemeente and to no school system of another vestiging."""
    leerling_id = await kind_met_verzuim(uow, swv_a)
    dag = await dag_29(connection, leerling_id)
    assert dag > VANDAAG  # not yet: nothing announced at the report
    with ontvanger() as o:
        geheim = await abonneer(
            uow,
            swv_a.actor(Rol.LEERPLICHTSYSTEEM, gemeente=0),
            o.url + "/leerplicht",
            ["leerling.thuiszitter-gestart"],
        )
        await abonneer(uow, swv_a.actor(Rol.SCHOOLSYSTEEM, school=1), o.url + "/school-1", [])
        await abonneer(
            uow, swv_a.actor(Rol.LEERPLICHTSYSTEEM, gemeente=1), o.url + "/gemeente-1", []
        )
        await bezorg(uow, _nu(VANDAAG))
        assert o.ontvangen == []
        # The day before: nothing; on day 29 (and when the job runs again): one event.
        assert await notificaties.dagelijkse_overgangen(uow, dag - timedelta(days=1), _nu(dag)) == 0
        await notificaties.dagelijkse_overgangen(uow, dag, _nu(dag))
        await notificaties.dagelijkse_overgangen(uow, dag + timedelta(days=1), _nu(dag))
        await bezorg(uow, _nu(dag))
        await bezorg(uow, _nu(dag) + timedelta(hours=1))

    events = _events(o, "/leerplicht")
    assert len(events) == 1
    assert events[0]["type"] == "nl.thuiszitters.leerling.thuiszitter-gestart"
    assert events[0]["subject"] == str(leerling_id)
    assert events[0]["data"] == {
        "leerlingId": str(leerling_id),
        "datum": dag.isoformat(),
        "categorie": "B2a",
        "vorigeCategorie": "B1",
    }
    assert o.van("/school-1") == []
    assert o.van("/gemeente-1") == []
    verzoek = o.van("/leerplicht")[0]
    assert regels.verifieer(
        geheim,
        verzoek.headers["webhook-id"],
        int(verzoek.headers["webhook-timestamp"]),
        verzoek.body,
        verzoek.headers["webhook-signature"],
    )
    assert verzoek.headers["webhook-id"] == events[0]["id"]


async def test_a_receiver_answering_500_gets_the_same_event_with_growing_delays(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """Done when: 500 → the same event id again, later each time; none after a 200; after the
    last attempt the delivery is dead (dead letter)."""
    leerling_id = await kind_met_verzuim(uow, swv_a, dagen_geleden=40)
    nu = _nu(VANDAAG)
    with ontvanger() as o:
        o.antwoorden = [500, 500, 200]
        await abonneer(
            uow,
            swv_a.actor(Rol.SCHOOLSYSTEEM, school=0),
            o.url + "/s",
            ["leerling.signaal-gestart"],
        )
        async with uow.voor(swv_a.actor(Rol.REGISSEUR)):
            await notificaties.publiceer(
                uow,
                swv_a.id,
                "leerling.signaal-gestart",
                leerling_id,
                nu=nu,
                leerling_id=leerling_id,
                data={"signaal": "dreigend-thuiszitter"},
            )
            await uow.commit()
        pogingen: list[datetime] = []
        for seconden in range(0, 4000, 15):
            moment = nu + timedelta(seconds=seconden)
            voor = len(o.ontvangen)
            await bezorg(uow, moment)
            pogingen += [moment] * (len(o.ontvangen) - voor)
        aantal_na_200 = len(o.ontvangen)
        await bezorg(uow, nu + timedelta(days=2))
    assert len(o.ontvangen) == aantal_na_200 == 3
    assert len({r.headers["webhook-id"] for r in o.ontvangen}) == 1
    wachttijden = [b - a for a, b in itertools.pairwise(pogingen)]
    assert timedelta(0) < wachttijden[0] < wachttijden[1]


async def test_dead_letter_after_the_last_attempt(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """A receiver that never answers 2xx: after `max_pogingen` the delivery is dead."""
    leerling_id = await kind_met_verzuim(uow, swv_a)
    with ontvanger() as o:
        o.antwoorden = [500] * 10
        await abonneer(uow, swv_a.actor(Rol.SCHOOLSYSTEEM, school=0), o.url + "/s", [])
        moment = _nu(VANDAAG)
        for _ in range(8):
            await bezorg(uow, moment)
            moment += timedelta(hours=1)
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    statussen = (
        await connection.execute(
            text(
                "SELECT f.status, f.pogingen FROM afleveringen f JOIN notificaties n "
                "ON n.id = f.notificatie_id WHERE n.leerling_id = :id"
            ),
            {"id": leerling_id},
        )
    ).all()
    assert statussen
    assert all(s == ("dood", BEZORGING.max_pogingen) for s in statussen)


async def test_a_rolled_back_change_leaves_no_event(uow: UnitOfWork, swv_a: Swv) -> None:
    """The outbox is written in the change's transaction: a rollback leaves no event."""
    leerling_id = await kind_met_verzuim(uow, swv_a)
    voor = len(await _alle(uow, swv_a))

    async def mislukte_wijziging() -> None:
        async with uow.voor(swv_a.actor(Rol.REGISSEUR)):
            await notificaties.publiceer(
                uow, swv_a.id, "leerling.signaal-gestart", leerling_id, nu=_nu(VANDAAG)
            )
            raise RuntimeError("de wijziging mislukt")

    with pytest.raises(RuntimeError):
        await mislukte_wijziging()
    assert len(await _alle(uow, swv_a)) == voor


async def _alle(uow: UnitOfWork, swv: Swv) -> list[Notificatie]:
    async with uow.voor(swv.actor(Rol.REGISSEUR)):
        return await uow.notificaties.van_swv(swv.id)


async def test_feed_is_scoped_and_resumes_at_its_cursor(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv
) -> None:
    """The change feed: the caller's events only (a school its vestiging's children), in
    order, and `volgende` continues where the last page ended."""
    eerste = await kind_met_verzuim(uow, swv_a, dagen_geleden=40)
    await kind_met_verzuim(uow, swv_b, dagen_geleden=40)
    bezorging = Bezorging()
    regisseur = swv_a.actor(Rol.REGISSEUR)
    pagina = await notificaties.feed(uow, regisseur, None, 2, bezorging)
    assert len(pagina.items) == 2
    rest = await notificaties.feed(uow, regisseur, pagina.volgende, 100, bezorging)
    ids = [e["id"] for e, _ in pagina.items + rest.items]
    assert len(ids) == len(set(ids)) >= 3
    assert {e["subject"] for e, _ in pagina.items + rest.items} == {str(eerste)}
    andere_school = swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1)
    assert (await notificaties.feed(uow, andere_school, None, 100, bezorging)).items == []
    eigen_school = swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0)
    assert len((await notificaties.feed(uow, eigen_school, None, 100, bezorging)).items) == len(ids)
    leeg = await notificaties.feed(uow, regisseur, rest.volgende, 100, bezorging)
    assert leeg.items == []
    assert leeg.volgende == rest.volgende


def test_an_invalid_cursor_is_invalid_input() -> None:
    from app.services.errors import InvalidInput

    with pytest.raises(InvalidInput):
        notificaties.lees_cursor("niet-geldig")


async def test_payloads_refuse_personal_data(uow: UnitOfWork, swv_a: Swv) -> None:
    """`publiceer` refuses a payload with a name or free text (docs/privacy.md)."""
    with pytest.raises(ValueError, match="alleen ids"):
        async with uow.voor(swv_a.actor(Rol.REGISSEUR)):
            await notificaties.publiceer(
                uow,
                swv_a.id,
                "leerling.signaal-gestart",
                uuid.uuid4(),
                nu=_nu(VANDAAG),
                data={"naam": "Jan Jansen"},
            )
