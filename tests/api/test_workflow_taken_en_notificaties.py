"""The workflows join the actielijsten and the events, against real PostgreSQL with the day as a
parameter: each transition writes exactly one event in its own transaction (a rollback leaves
none), each due date is exactly one task (generating twice still one) that closes when the step
is taken, and the daily job announces the due days once."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from app.db.notificaties import Notificatie
from app.db.session import UnitOfWork
from app.domain.meldingen import MeldingActie
from app.domain.toegang import Rol
from app.services import casussen, escalaties, meldingen, notificaties, taken
from app.services import tlv as tlv_service
from tests.api.test_escalaties import VIER, open_escalatie, stap
from tests.api.test_leerlingen import VANDAAG, dag, ingeschreven
from tests.api.test_meldingen import beperkt, leerling_op_school
from tests.api.test_tlv import check, geef_af
from tests.builders import FakeAuthenticator, Swv
from tests.services.ontvanger import ontvanger
from tests.services.test_notificaties import abonneer, bezorg, kind_met_verzuim


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


@pytest.fixture
def begeleider(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.BEGELEIDER))


@pytest.fixture
def systeem(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.SCHOOLSYSTEEM, school=0))


@pytest.fixture
def directeur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.DIRECTEUR))


async def _events(uow: UnitOfWork, swv: Swv, onderwerp: str) -> list[Notificatie]:
    async with uow.voor(swv.actor(Rol.REGISSEUR)):
        alle = await uow.notificaties.van_swv(swv.id)
    return [n for n in alle if str(n.onderwerp_id) == onderwerp]


async def _soorten(uow: UnitOfWork, swv: Swv, onderwerp: str) -> list[str]:
    return [n.soort for n in await _events(uow, swv, onderwerp)]


async def _taken(uow: UnitOfWork, swv: Swv, code: str, onderwerp: str) -> list[dict[str, Any]]:
    async with uow.alle_swvs():
        db = await uow.driver()
        rijen = await db.fetch(
            "SELECT periode, rol, status, opent_op, vervalt_op, leerling_id, school_id "
            "FROM taken WHERE swv_id = $1 AND code = $2 AND onderwerp = $3 ORDER BY periode",
            swv.id,
            code,
            onderwerp,
        )
    return [dict(r) for r in rijen]


async def _genereer_tweemaal(uow: UnitOfWork, op: date) -> None:
    await taken.genereer_taken(uow, op)
    await taken.genereer_taken(uow, op)


async def test_melding_events_and_the_contact_task(
    client: AsyncClient,
    uow: UnitOfWork,
    regisseur: dict[str, str],
    systeem: dict[str, str],
    swv_a: Swv,
) -> None:
    """melding.ontvangen and melding.toegewezen once each; the contact due date
    (`contactUiterlijk`) is one zorgplicht task for the regisseur, closed when registered."""
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    created = await client.post("/v1/meldingen", json=beperkt(leerling_id), headers=systeem)
    assert created.status_code == 201, created.text
    melding_id = created.json()["id"]
    assert await _soorten(uow, swv_a, melding_id) == ["melding.ontvangen"]
    stappen = f"/v1/meldingen/{melding_id}/stappen"
    assigned = await client.post(
        stappen,
        json={"actie": "toewijzen", "toegewezenAan": "r1"},
        headers={**regisseur, "If-Match": created.headers["etag"]},
    )
    assert assigned.status_code == 200, assigned.text
    assert await _soorten(uow, swv_a, melding_id) == ["melding.ontvangen", "melding.toegewezen"]
    toegewezen = (await _events(uow, swv_a, melding_id))[1]
    assert toegewezen.leerling_id == uuid.UUID(leerling_id)
    assert toegewezen.data["vorigeStatus"] == "ontvangen"

    await _genereer_tweemaal(uow, VANDAAG)
    [taak] = await _taken(uow, swv_a, "zorgplicht", melding_id)
    assert taak["vervalt_op"].isoformat() == assigned.json()["contactUiterlijk"]
    assert (taak["rol"], taak["status"]) == ("regisseur-thuiszitters", "open")

    registered = await client.post(
        stappen,
        json={"actie": "registreren"},
        headers={**regisseur, "If-Match": assigned.headers["etag"]},
    )
    assert registered.status_code == 200, registered.text
    await taken.genereer_taken(uow, VANDAAG)
    [taak] = await _taken(uow, swv_a, "zorgplicht", melding_id)
    assert taak["status"] == "niet-van-toepassing"


async def test_a_rolled_back_melding_step_leaves_no_event(
    client: AsyncClient,
    uow: UnitOfWork,
    regisseur: dict[str, str],
    systeem: dict[str, str],
    swv_a: Swv,
) -> None:
    """The event is written in the step's transaction: when it rolls back, no event remains."""
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    created = await client.post("/v1/meldingen", json=beperkt(leerling_id), headers=systeem)
    melding_id = uuid.UUID(created.json()["id"])
    actor = swv_a.actor(Rol.REGISSEUR)

    async def mislukte_wijziging() -> None:
        async with uow.voor(actor):
            await meldingen.zet_stap(
                uow,
                actor,
                melding_id,
                versie=1,
                stap=meldingen.Stap(MeldingActie.TOEWIJZEN, toegewezen_aan="r1"),
            )
            raise RuntimeError("de rest van de wijziging mislukt")

    with pytest.raises(RuntimeError):
        await mislukte_wijziging()
    assert await _soorten(uow, swv_a, str(melding_id)) == ["melding.ontvangen"]


async def test_casus_events_and_weekly_tasks_for_the_coordinating_school(
    client: AsyncClient,
    uow: UnitOfWork,
    regisseur: dict[str, str],
    systeem: dict[str, str],
    swv_a: Swv,
) -> None:
    """Opening a case from a melding: melding.casus-geopend and casus.geopend once each; the
    case's parent contact (7 days) is one task for the school that coordinates."""
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    body = {"soort": "uitgebreid", "leerlingId": leerling_id, "gevraagdeActies": ["advies"]}
    created = await client.post("/v1/meldingen", json=body, headers=systeem)
    url = f"/v1/meldingen/{created.json()['id']}/stappen"
    assigned = await client.post(
        url,
        json={"actie": "toewijzen", "toegewezenAan": "r1"},
        headers={**regisseur, "If-Match": created.headers["etag"]},
    )
    await _genereer_tweemaal(uow, VANDAAG)
    assert len(await _taken(uow, swv_a, "advies", created.json()["id"])) == 1
    opened = await client.post(
        url,
        json={"actie": "casus-openen"},
        headers={**regisseur, "If-Match": assigned.headers["etag"]},
    )
    assert opened.status_code == 200, opened.text
    casus_id = opened.json()["casusId"]
    assert (await _soorten(uow, swv_a, created.json()["id"]))[-1] == "melding.casus-geopend"
    assert await _soorten(uow, swv_a, casus_id) == ["casus.geopend"]

    await _genereer_tweemaal(uow, VANDAAG)
    [contact] = await _taken(uow, swv_a, "contact-ouders", casus_id)
    assert contact["rol"] == "schoolmedewerker"
    assert contact["school_id"] == swv_a.scholen[0]
    assert contact["vervalt_op"] == VANDAAG + timedelta(days=7)
    assert not await _taken(uow, swv_a, "evaluatie", casus_id)  # no plan yet
    [advies] = await _taken(uow, swv_a, "advies", created.json()["id"])
    assert advies["status"] == "niet-van-toepassing"


async def test_tlv_events_one_task_per_due_check_and_the_due_day_once(
    client: AsyncClient,
    uow: UnitOfWork,
    regisseur: dict[str, str],
    begeleider: dict[str, str],
    swv_a: Swv,
) -> None:
    """Issuing a TLV: tlv.afgegeven and tlv.check-gepland; its planned check is one tlv-check
    task; a recorded check replaces it by the next one; withdrawal closes it; the daily job
    announces tlv.check-vervalt on the due day, once."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"], afgegeven_op=dag(-20))).json()
    assert await _soorten(uow, swv_a, tlv["id"]) == ["tlv.afgegeven", "tlv.check-gepland"]
    vervalt = date.fromisoformat(tlv["volgendeCheck"])
    assert vervalt == VANDAAG + timedelta(days=8)

    await _genereer_tweemaal(uow, VANDAAG)
    [taak] = await _taken(uow, swv_a, "tlv-check", tlv["id"])
    assert (taak["vervalt_op"], taak["rol"], taak["status"]) == (
        vervalt,
        "begeleider-passend-onderwijs",
        "open",
    )

    for dag_ in (vervalt, vervalt + timedelta(days=1)):
        await notificaties.dagelijkse_termijnen(uow, dag_, _nu(dag_))
    assert (await _soorten(uow, swv_a, tlv["id"])).count("tlv.check-vervalt") == 1

    gecheckt = await check(
        client, begeleider, tlv["id"], "wacht-op-instroom", verwachteInstroom=dag(30)
    )
    assert gecheckt.status_code == 201, gecheckt.text
    assert (await _soorten(uow, swv_a, tlv["id"]))[-1] == "tlv.wacht-op-instroom"
    await taken.genereer_taken(uow, VANDAAG)
    eerste, tweede = await _taken(uow, swv_a, "tlv-check", tlv["id"])
    assert eerste["status"] == "niet-van-toepassing"
    assert (tweede["vervalt_op"], tweede["status"]) == (VANDAAG + timedelta(days=30), "open")

    huidig = await client.get(f"/v1/tlvs/{tlv['id']}", headers=regisseur)
    ingetrokken = await client.post(
        f"/v1/tlvs/{tlv['id']}/intrekkingen",
        json={"reden": "bezwaar gegrond"},
        headers={**regisseur, "If-Match": huidig.headers["etag"]},
    )
    assert ingetrokken.status_code == 201, ingetrokken.text
    assert (await _soorten(uow, swv_a, tlv["id"]))[-1] == "tlv.ingetrokken"
    await taken.genereer_taken(uow, VANDAAG)
    assert {t["status"] for t in await _taken(uow, swv_a, "tlv-check", tlv["id"])} == {
        "niet-van-toepassing"
    }


def _nu(dag_: date) -> datetime:
    return datetime(dag_.year, dag_.month, dag_.day, 9, tzinfo=UTC)


async def test_escalatie_events_agreement_and_decision_tasks(  # noqa: PLR0917 (fixtures)
    client: AsyncClient,
    uow: UnitOfWork,
    regisseur: dict[str, str],
    begeleider: dict[str, str],
    directeur: dict[str, str],
    swv_a: Swv,
) -> None:
    """Each escalation step is one event; an agreement is one task due at its deadline for
    its owner (regel E2), its passing unmet is escalatie.termijn-verstreken once (regel E3);
    the decision is one besluit-uitvoeren task for the directeur by its place-by date (E5)."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    geopend = await open_escalatie(client, begeleider, leerling["id"], gemeldOp=dag(-30))
    escalatie_id = geopend.json()["id"]
    overleg = await stap(
        client, begeleider, geopend, "overleggen",
        {"datum": dag(-20), "gehouden": True, "deelnemers": VIER},
    )  # fmt: skip
    afspraak = await stap(
        client, begeleider, overleg, "afspraken",
        {"omschrijving": "Plek zoeken", "eigenaar": "leerplichtambtenaar", "gemaaktOp": dag(-20),
         "deadline": dag(-2)},
    )  # fmt: skip
    assert afspraak.status_code == 201, afspraak.text
    assert await _soorten(uow, swv_a, escalatie_id) == [
        "escalatie.gemeld",
        "escalatie.overleg",
        "escalatie.afspraak-gemaakt",
    ]
    await _genereer_tweemaal(uow, VANDAAG)
    async with uow.alle_swvs():
        db = await uow.driver()
        afspraak_id = await db.fetchval(
            "SELECT id FROM escalatie_stappen WHERE escalatie_id = $1 "
            "AND soort = 'afspraak-gemaakt'",
            uuid.UUID(escalatie_id),
        )
    [taak] = await _taken(uow, swv_a, "escalatie-afspraak", str(afspraak_id))
    assert (taak["rol"], taak["vervalt_op"]) == ("leerplichtambtenaar", VANDAAG - timedelta(2))

    for _ in range(2):
        await notificaties.dagelijkse_termijnen(uow, VANDAAG, _nu(VANDAAG))
    assert (await _soorten(uow, swv_a, escalatie_id)).count("escalatie.termijn-verstreken") == 1

    huidig = await client.get(f"/v1/escalaties/{escalatie_id}", headers=regisseur)
    genomen = await stap(
        client, directeur, huidig, "besluiten",
        {"schoolId": str(swv_a.scholen[1]), "kader": "Toelaatbaar tot het SBO",
         "motivering": "Afspraken niet nagekomen", "plaatsenUiterlijk": dag(14)},
    )  # fmt: skip
    assert genomen.status_code == 201, genomen.text
    assert (await _soorten(uow, swv_a, escalatie_id))[-1] == "escalatie.besluit-genomen"
    await _genereer_tweemaal(uow, VANDAAG)
    besluiten = [
        t
        for t in await _alle_taken(uow, swv_a, "besluit-uitvoeren")
        if t["leerling_id"] == uuid.UUID(leerling["id"])
    ]
    assert [(t["rol"], t["vervalt_op"]) for t in besluiten] == [
        ("directeur", VANDAAG + timedelta(days=14))
    ]


async def _alle_taken(uow: UnitOfWork, swv: Swv, code: str) -> list[dict[str, Any]]:
    async with uow.alle_swvs():
        db = await uow.driver()
        rijen = await db.fetch(
            "SELECT onderwerp, rol, status, vervalt_op, leerling_id FROM taken "
            "WHERE swv_id = $1 AND code = $2",
            swv.id,
            code,
        )
    return [dict(r) for r in rijen]


async def test_rolled_back_tlv_casus_and_escalatie_transitions_leave_no_event(
    client: AsyncClient, uow: UnitOfWork, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Each workflow publishes in the transition's transaction: when the surrounding change
    rolls back, neither the transition nor its event remains."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    leerling_id = uuid.UUID(leerling["id"])
    tlv = await geef_af(client, regisseur, swv_a, leerling["id"], afgegeven_op=dag(-20))
    escalatie = await open_escalatie(client, regisseur, leerling["id"], gemeldOp=dag(-5))
    actor = swv_a.actor(Rol.REGISSEUR)

    async def voor_kind() -> list[str]:
        async with uow.voor(actor):
            alle = await uow.notificaties.van_swv(swv_a.id)
        return [n.soort for n in alle if n.leerling_id == leerling_id]

    voor = await voor_kind()

    async def mislukt_na(stap_: Any) -> None:
        async with uow.voor(actor):
            await stap_
            raise RuntimeError("de rest van de wijziging mislukt")

    with pytest.raises(RuntimeError):
        await mislukt_na(
            tlv_service.trek_in(
                uow, actor, uuid.UUID(tlv.json()["id"]), "bezwaar", if_match=tlv.headers["etag"]
            )
        )
    with pytest.raises(RuntimeError):
        await mislukt_na(casussen.open_casus(uow, actor, casussen.NieuweCasus(leerling_id)))
    with pytest.raises(RuntimeError):
        await mislukt_na(
            escalaties.leg_overleg_vast(
                uow,
                actor,
                uuid.UUID(escalatie.json()["id"]),
                escalaties.NieuwOverleg(datum=VANDAAG, gehouden=False, deelnemers=()),
                if_match=escalatie.headers["etag"],
            )
        )
    assert await voor_kind() == voor


async def test_melding_te_laat_is_announced_once_on_day_29_without_a_melding(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """Regel 5 (aanpak thuiszitters actielijst): day 29 of unexcused absence without a melding
    is `leerling.signaal-gestart` with `signaal: melding-te-laat`, once per child and day."""
    leerling_id = await kind_met_verzuim(uow, swv_a, dagen_geleden=30)
    for _ in range(2):
        await notificaties.dagelijkse_termijnen(uow, VANDAAG, _nu(VANDAAG))
    signalen = [
        n
        for n in await _events(uow, swv_a, str(leerling_id))
        if n.soort == "leerling.signaal-gestart"
    ]
    assert [(n.data["signaal"], n.data["datum"]) for n in signalen] == [
        ("melding-te-laat", (VANDAAG - timedelta(days=2)).isoformat())
    ]


async def test_a_tlv_event_reaches_only_systems_that_may_read_the_child(
    client: AsyncClient, uow: UnitOfWork, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Webhook scope is the read scope: the school system of the child's vestiging gets
    tlv.afgegeven, the school system of another vestiging does not."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    with ontvanger() as o:
        for school in (0, 1):
            await abonneer(
                uow,
                swv_a.actor(Rol.SCHOOLSYSTEEM, school=school),
                f"{o.url}/school-{school}",
                ["tlv.afgegeven"],
            )
        tlv = await geef_af(client, regisseur, swv_a, leerling["id"], afgegeven_op=dag(-1))
        assert tlv.status_code == 201, tlv.text
        await bezorg(uow, _nu(VANDAAG))
    [event] = [json.loads(r.body) for r in o.van("/school-0")]
    assert event["type"] == "nl.thuiszitters.tlv.afgegeven"
    assert event["subject"] == tlv.json()["id"]
    assert event["data"]["leerlingId"] == leerling["id"]
    assert o.van("/school-1") == []
