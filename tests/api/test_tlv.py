"""TLVs and their plaatsingschecks through HTTP against PostgreSQL (docs/tlv.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services.privacy import anonimiseer_verlopen
from tests.api.test_leerlingen import ingeschreven
from tests.builders import FakeAuthenticator, Swv

ONBEKEND = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


@pytest.fixture
def begeleider(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.BEGELEIDER))


@pytest.fixture
def secretariaat(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.SECRETARIAAT))


async def geef_af(
    client: AsyncClient,
    headers: dict[str, str],
    swv: Swv,
    leerling_id: str,
    afgegeven_op: str = "2026-01-05",
    **extra: Any,
) -> Any:
    body = {
        "afgegevenOp": afgegeven_op,
        "onderwijssoort": "so",
        "categorie": "laag",
        "geldigTotEnMet": "2027-07-31",
        "schoolHerkomstId": str(swv.scholen[0]),
        "schoolBeoogdId": str(swv.scholen[1]),
        **extra,
    }
    return await client.post(f"/v1/leerlingen/{leerling_id}/tlvs", json=body, headers=headers)


async def check(
    client: AsyncClient, headers: dict[str, str], tlv_id: str, uitkomst: str, **extra: Any
) -> Any:
    body = {"uitkomst": uitkomst, **extra}
    return await client.post(f"/v1/tlvs/{tlv_id}/plaatsingschecks", json=body, headers=headers)


async def werklijst(client: AsyncClient, headers: dict[str, str], peildatum: str) -> list[str]:
    response = await client.get(
        "/v1/plaatsingschecks", params={"peildatum": peildatum}, headers=headers
    )
    assert response.status_code == 200, response.text
    return [item["tlvId"] for item in response.json()["data"]]


async def status(
    client: AsyncClient, headers: dict[str, str], leerling_id: str, peildatum: str
) -> dict[str, Any]:
    response = await client.get(
        f"/v1/leerlingen/{leerling_id}/status", params={"peildatum": peildatum}, headers=headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_issue_appends_the_tlv_fact_and_plans_the_check_28_days_later(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    """A TLV issued 2026-01-05 is due on 2026-02-02 (four weeks, docs/tlv.md), not before."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    response = await geef_af(client, regisseur, swv_a, leerling["id"])
    assert response.status_code == 201, response.text
    tlv = response.json()
    assert response.headers["etag"]
    assert response.headers["location"] == f"/v1/tlvs/{tlv['id']}"
    assert tlv["staat"] == "check-gepland"
    assert tlv["volgendeCheck"] == "2026-02-02"
    assert [o["naar"] for o in tlv["geschiedenis"]] == ["afgegeven", "check-gepland"]
    gebeurtenissen = await client.get(
        f"/v1/leerlingen/{leerling['id']}/gebeurtenissen", headers=regisseur
    )
    feiten = [g for g in gebeurtenissen.json()["data"] if g["soort"] == "tlv-afgegeven"]
    assert len(feiten) == 1
    assert feiten[0]["id"] == tlv["feitId"]
    assert feiten[0]["bronReferentie"] == f"tlv:{tlv['id']}"
    assert feiten[0]["gegevens"] == {
        "onderwijssoort": "so",
        "categorie": "laag",
        "geldigTot": "2027-08-01",
    }, "the TLV's last day is 2027-07-31 (geldigTotEnMet); the fact's geldigTot is the day after"
    assert tlv["geldigTotEnMet"] == "2027-07-31"
    assert tlv["id"] not in await werklijst(client, begeleider, "2026-02-01")
    assert tlv["id"] in await werklijst(client, begeleider, "2026-02-02")
    lijst = await client.get(
        "/v1/plaatsingschecks", params={"peildatum": "2026-02-10"}, headers=begeleider
    )
    item = next(i for i in lijst.json()["data"] if i["tlvId"] == tlv["id"])
    assert item["checkdatum"] == "2026-02-02"
    assert item["achterstallig"] is True
    per_school = await client.get(
        "/v1/plaatsingschecks",
        params={"peildatum": "2026-02-10", "schoolId": str(swv_a.scholen[1])},
        headers=begeleider,
    )
    assert tlv["id"] in [i["tlvId"] for i in per_school.json()["data"]]
    op_de_dag = await status(client, regisseur, leerling["id"], "2026-02-02")
    assert "geen plaatsing" in json.dumps(op_de_dag["signalen"])
    assert [(t["tlvId"], t["staat"], t["volgendeCheck"]) for t in op_de_dag["tlvs"]] == [
        (tlv["id"], "check-gepland", "2026-02-02")
    ]
    assert op_de_dag["tlvs"][0]["checkAchterstallig"] is False
    daarna = await status(client, regisseur, leerling["id"], "2026-02-03")
    assert daarna["tlvs"][0]["checkAchterstallig"] is True


async def test_no_education_since_makes_the_child_b1_then_b2a_and_registered(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    """Outcome geen-onderwijs appends wacht-op-plek from its date (regel 6): B1 for four
    weeks, B2a from day 29, on the Inspectie register of 2026-03-01 from 2026-01-19."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    response = await check(
        client, begeleider, tlv["id"], "geen-onderwijs", geenOnderwijsSinds="2026-01-19"
    )
    assert response.status_code == 201, response.text
    vastgelegd = response.json()
    assert vastgelegd["feitId"]
    assert (await status(client, regisseur, leerling["id"], "2026-02-15"))["categorie"] == "B1"
    assert (await status(client, regisseur, leerling["id"], "2026-02-16"))["categorie"] == "B2a"
    register = await client.get(
        "/v1/rapportages/inspectie", params={"peildatum": "2026-03-01"}, headers=regisseur
    )
    assert register.status_code == 200, register.text
    rijen = [
        r
        for r in json.loads(register.content)["rijen"]
        if r["pseudoniem"] == leerling["pseudoniem"]
    ]
    assert len(rijen) == 1
    assert rijen[0]["startdatum"] == "2026-01-19"
    gelezen = (await client.get(f"/v1/tlvs/{tlv['id']}", headers=begeleider)).json()
    assert gelezen["staat"] == "geen-onderwijs"
    assert gelezen["geenOnderwijsSinds"] == "2026-01-19"
    feit = await client.get(
        f"/v1/leerlingen/{leerling['id']}/gebeurtenissen/{vastgelegd['feitId']}",
        headers=regisseur,
    )
    assert feit.json()["soort"] == "wacht-op-plek"
    assert feit.json()["bronReferentie"] == f"plaatsingscheck:{vastgelegd['id']}"


async def test_placement_records_the_fact_clears_the_signal_and_the_secretariaat_closes(
    client: AsyncClient,
    regisseur: dict[str, str],
    begeleider: dict[str, str],
    secretariaat: dict[str, str],
    swv_a: Swv,
) -> None:
    """Outcome geplaatst appends plaatsing at school X, which clears the signal (regel 17);
    the secretariaat's date closes the TLV (afgerond) and corrects the fact if it differs."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    school_x = str(swv_a.scholen[1])
    response = await check(
        client, begeleider, tlv["id"], "geplaatst", plaatsingsdatum="2026-02-16", schoolId=school_x
    )
    assert response.status_code == 201, response.text
    feit = await client.get(
        f"/v1/leerlingen/{leerling['id']}/gebeurtenissen/{response.json()['feitId']}",
        headers=regisseur,
    )
    assert feit.json()["soort"] == "plaatsing"
    assert feit.json()["geldigVanaf"] == "2026-02-16"
    assert feit.json()["schoolId"] == school_x
    signalen = (await status(client, regisseur, leerling["id"], "2026-02-20"))["signalen"]
    assert "geen plaatsing" not in json.dumps(signalen)
    assert tlv["id"] not in await werklijst(client, begeleider, "2026-03-01")
    gelezen = await client.get(f"/v1/tlvs/{tlv['id']}", headers=secretariaat)
    assert gelezen.json()["staat"] == "geplaatst"
    zonder = await client.patch(
        f"/v1/tlvs/{tlv['id']}", json={"plaatsingsdatum": "2026-02-16"}, headers=secretariaat
    )
    assert zonder.status_code == 428
    verouderd = await client.patch(
        f"/v1/tlvs/{tlv['id']}",
        json={"plaatsingsdatum": "2026-02-16"},
        headers={**secretariaat, "If-Match": f'"{tlv["id"]}-1"'},
    )
    assert verouderd.status_code == 412
    door_begeleider = await client.patch(
        f"/v1/tlvs/{tlv['id']}",
        json={"plaatsingsdatum": "2026-02-16"},
        headers={**begeleider, "If-Match": gelezen.headers["etag"]},
    )
    assert door_begeleider.status_code == 403
    ingevoerd = await client.patch(
        f"/v1/tlvs/{tlv['id']}",
        json={"plaatsingsdatum": "2026-02-17"},
        headers={**secretariaat, "If-Match": gelezen.headers["etag"]},
    )
    assert ingevoerd.status_code == 200, ingevoerd.text
    assert ingevoerd.json()["staat"] == "afgerond"
    assert ingevoerd.json()["plaatsingsdatum"] == "2026-02-17"
    historie = await client.get(
        f"/v1/leerlingen/{leerling['id']}/gebeurtenissen", headers=regisseur
    )
    assert [g["soort"] for g in historie.json()["data"]][-1] == "correctie"
    nogmaals = await check(
        client, begeleider, tlv["id"], "geen-onderwijs", geenOnderwijsSinds="2026-02-20"
    )
    assert nogmaals.status_code == 409


async def test_waiting_for_intake_rechecks_at_the_expected_date_and_resumption_appends(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    """wacht-op-instroom re-checks at the expected intake date; back at the old school after
    geen-onderwijs appends onderwijs-hervat (regel 10)."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    await check(client, begeleider, tlv["id"], "geen-onderwijs", geenOnderwijsSinds="2026-01-19")
    terug = await check(
        client, begeleider, tlv["id"], "onderwijs-oude-school", hervatOp="2026-03-02"
    )
    assert terug.status_code == 201, terug.text
    feit = await client.get(
        f"/v1/leerlingen/{leerling['id']}/gebeurtenissen/{terug.json()['feitId']}",
        headers=regisseur,
    )
    assert feit.json()["soort"] == "onderwijs-hervat"
    assert (await status(client, regisseur, leerling["id"], "2026-03-03"))["categorie"] != "B2a"
    gelezen = (await client.get(f"/v1/tlvs/{tlv['id']}", headers=begeleider)).json()
    assert gelezen["staat"] == "wacht-op-instroom"
    checks = await client.get(f"/v1/tlvs/{tlv['id']}/plaatsingschecks", headers=begeleider)
    assert [c["uitkomst"] for c in checks.json()["data"]] == [
        "geen-onderwijs",
        "onderwijs-oude-school",
    ]
    een = await client.get(terug.headers["location"], headers=begeleider)
    assert een.status_code == 200
    assert een.json()["hervatOp"] == "2026-03-02"
    onbekend = await client.get(
        f"/v1/tlvs/{tlv['id']}/plaatsingschecks/{ONBEKEND}", headers=begeleider
    )
    assert onbekend.status_code == 404


async def test_bekend_op_before_a_check_answers_as_before_it(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    """The TLV's state as known at a moment comes from the append-only history."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    voor_de_check = tlv["geschiedenis"][-1]["geregistreerdOp"]
    vastgelegd = await check(
        client, begeleider, tlv["id"], "geen-onderwijs", geenOnderwijsSinds="2026-01-19"
    )
    assert vastgelegd.status_code == 201
    toen = await client.get(
        f"/v1/tlvs/{tlv['id']}", params={"bekendOp": voor_de_check}, headers=begeleider
    )
    assert toen.status_code == 200, toen.text
    assert toen.json()["staat"] == "check-gepland"
    assert toen.json()["geenOnderwijsSinds"] is None
    assert len(toen.json()["geschiedenis"]) == 2
    nu = await client.get(f"/v1/tlvs/{tlv['id']}", headers=begeleider)
    assert nu.json()["staat"] == "geen-onderwijs"
    status_toen = await client.get(
        f"/v1/leerlingen/{leerling['id']}/status",
        params={"bekendOp": voor_de_check},
        headers=regisseur,
    )
    assert [t["staat"] for t in status_toen.json()["tlvs"]] == ["check-gepland"]
    eerder = datetime.fromisoformat(voor_de_check).replace(year=2020).isoformat()
    niet_bekend = await client.get(
        f"/v1/tlvs/{tlv['id']}", params={"bekendOp": eerder}, headers=begeleider
    )
    assert niet_bekend.status_code == 404
    van_kind = await client.get(
        f"/v1/leerlingen/{leerling['id']}/tlvs",
        params={"bekendOp": voor_de_check},
        headers=regisseur,
    )
    assert [t["staat"] for t in van_kind.json()["data"]] == ["check-gepland"]


async def test_only_swv_roles_issue_a_tlv(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    school = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    assert (await geef_af(client, school, swv_a, leerling["id"])).status_code == 403
    begeleider = auth.headers(swv_a.actor(Rol.BEGELEIDER))
    assert (await geef_af(client, begeleider, swv_a, leerling["id"])).status_code == 403
    for rol in (Rol.DIRECTEUR, Rol.SECRETARIAAT):
        response = await geef_af(client, auth.headers(swv_a.actor(rol)), swv_a, leerling["id"])
        assert response.status_code == 201, (rol, response.text)


async def test_no_token_401_and_out_of_scope_404(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv, swv_b: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    for method, url in (
        ("GET", f"/v1/tlvs/{tlv['id']}"),
        ("GET", "/v1/tlvs"),
        ("GET", "/v1/plaatsingschecks"),
        ("GET", f"/v1/leerlingen/{leerling['id']}/tlvs"),
        ("POST", f"/v1/tlvs/{tlv['id']}/plaatsingschecks"),
        ("GET", f"/v1/tlvs/{tlv['id']}/plaatsingschecks"),
        ("POST", f"/v1/tlvs/{tlv['id']}/intrekkingen"),
        ("PATCH", f"/v1/tlvs/{tlv['id']}"),
        ("POST", f"/v1/leerlingen/{leerling['id']}/tlvs"),
    ):
        assert (await client.request(method, url, json={})).status_code == 401
    ander = auth.headers(swv_b.actor(Rol.REGISSEUR))
    weg = await client.get(f"/v1/tlvs/{tlv['id']}", headers=ander)
    onbekend = await client.get(f"/v1/tlvs/{ONBEKEND}", headers=ander)
    assert weg.status_code == onbekend.status_code == 404
    assert weg.json()["detail"] == onbekend.json()["detail"]
    assert (
        await client.get(f"/v1/leerlingen/{leerling['id']}/tlvs", headers=ander)
    ).status_code == 404
    assert tlv["id"] not in [
        t["id"] for t in (await client.get("/v1/tlvs", headers=ander)).json()["data"]
    ]
    ander_begeleider = auth.headers(swv_b.actor(Rol.BEGELEIDER))
    assert (
        await check(
            client, ander_begeleider, tlv["id"], "geen-onderwijs", geenOnderwijsSinds="2026-01-19"
        )
    ).status_code == 404
    assert (await geef_af(client, ander, swv_b, leerling["id"])).status_code == 404
    etag = {"If-Match": f'"{tlv["id"]}-1"'}
    ingetrokken = await client.post(
        f"/v1/tlvs/{tlv['id']}/intrekkingen", json={"reden": "x"}, headers={**ander, **etag}
    )
    assert ingetrokken.status_code == 404
    ander_secretariaat = auth.headers(swv_b.actor(Rol.SECRETARIAAT))
    ingevoerd = await client.patch(
        f"/v1/tlvs/{tlv['id']}",
        json={"plaatsingsdatum": "2026-02-16"},
        headers={**ander_secretariaat, **etag},
    )
    assert ingevoerd.status_code == 404
    checks = await client.get(f"/v1/tlvs/{tlv['id']}/plaatsingschecks", headers=ander)
    assert checks.status_code == 404


async def test_old_and_new_school_read_the_tlv_leerplicht_of_its_gemeente(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """A TLV is read by its old and its new school, and by leerplicht of the child's gemeente."""
    leerling = await ingeschreven(client, regisseur, swv_a, woongemeente=swv_a.gemeente_codes[0])
    # The new school (scholen[1]) is not connected to the child, yet reads the TLV.
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    for actor in (
        swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0),
        swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1),
        swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0),
    ):
        response = await client.get(f"/v1/tlvs/{tlv['id']}", headers=auth.headers(actor))
        assert response.status_code == 200, (actor.rol, response.text)
    buiten = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1))
    assert (await client.get(f"/v1/tlvs/{tlv['id']}", headers=buiten)).status_code == 404
    nieuw = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    assert (
        await client.get(f"/v1/leerlingen/{leerling['id']}/tlvs", headers=nieuw)
    ).status_code == 200


async def test_invalid_input_lists_every_error_without_echoing(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    response = await geef_af(
        client,
        regisseur,
        swv_a,
        leerling["id"],
        afgegeven_op="2099-01-05",
        onderwijssoort="sbo",
        geldigTotEnMet="2098-01-01",
        schoolBeoogdId=ONBEKEND,
    )
    assert response.status_code == 400
    velden = {e["name"] for e in response.json()["errors"]}
    assert {"afgegevenOp", "geldigTotEnMet", "categorie", "schoolBeoogdId"} <= velden
    assert "2099" not in response.text
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    zonder_datum = await check(client, begeleider, tlv["id"], "geen-onderwijs")
    assert zonder_datum.status_code == 400
    onbekend = await check(client, begeleider, tlv["id"], "misschien")
    assert onbekend.status_code == 400
    assert "misschien" not in onbekend.text
    vreemd = await check(
        client, begeleider, tlv["id"], "geen-onderwijs", plaatsingsdatum="2026-01-19"
    )
    assert vreemd.status_code == 400
    toekomst = await check(
        client, begeleider, tlv["id"], "geen-onderwijs", geenOnderwijsSinds="2099-01-19"
    )
    assert toekomst.status_code == 400
    assert [e["name"] for e in toekomst.json()["errors"]] == ["geenOnderwijsSinds"]
    assert "2099" not in toekomst.text


async def test_creates_are_idempotent_and_withdrawal_stops_the_signal(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    eerste = await geef_af(client, regisseur, swv_a, leerling["id"], bronReferentie="TLV-1")
    tweede = await geef_af(client, regisseur, swv_a, leerling["id"], bronReferentie="TLV-1")
    assert (eerste.status_code, tweede.status_code) == (201, 200)
    assert eerste.json()["id"] == tweede.json()["id"]
    tlv = eerste.json()
    sleutel = {**begeleider, "Idempotency-Key": "check-1"}
    a = await check(client, sleutel, tlv["id"], "wacht-op-instroom")
    b = await check(client, sleutel, tlv["id"], "wacht-op-instroom")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"]
    c = await check(client, begeleider, tlv["id"], "wacht-op-instroom", bronReferentie="C-1")
    d = await check(client, begeleider, tlv["id"], "wacht-op-instroom", bronReferentie="C-1")
    assert (c.status_code, d.status_code) == (201, 200)
    huidig = await client.get(f"/v1/tlvs/{tlv['id']}", headers=regisseur)
    assert huidig.json()["volgendeCheck"]
    zonder = await client.post(
        f"/v1/tlvs/{tlv['id']}/intrekkingen", json={"reden": "bezwaar gegrond"}, headers=regisseur
    )
    assert zonder.status_code == 428
    ingetrokken = await client.post(
        f"/v1/tlvs/{tlv['id']}/intrekkingen",
        json={"reden": "bezwaar gegrond"},
        headers={**regisseur, "If-Match": huidig.headers["etag"]},
    )
    assert ingetrokken.status_code == 201, ingetrokken.text
    assert ingetrokken.json()["staat"] == "ingetrokken"
    assert ingetrokken.json()["intrekkingsreden"] == "bezwaar gegrond"
    signalen = (await status(client, regisseur, leerling["id"], "2026-03-01"))["signalen"]
    assert "geen plaatsing" not in json.dumps(signalen)
    assert tlv["id"] not in await werklijst(client, begeleider, "2099-01-01")


async def test_reading_a_tlv_is_audited(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    await client.get(f"/v1/tlvs/{tlv['id']}", headers=regisseur)
    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    log = await client.get(
        "/v1/auditregels", params={"leerlingId": leerling["id"], "pageSize": 100}, headers=fg
    )
    assert log.status_code == 200, log.text
    routes = [r["route"] for r in log.json()["data"]]
    assert "GET /tlvs/{tlvId}" in routes


async def test_anonymisation_blanks_the_free_text_of_tlvs_and_checks(  # noqa: PLR0917
    client: AsyncClient,
    regisseur: dict[str, str],
    begeleider: dict[str, str],
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Free text (a check's toelichting, a withdrawal's reason) is blanked on anonymisation."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    await check(
        client,
        begeleider,
        tlv["id"],
        "wacht-op-instroom",
        toelichting="Gesproken met Jan Jansen",
        bronReferentie="Dossier Fictief 7",
    )
    huidig = await client.get(f"/v1/tlvs/{tlv['id']}", headers=regisseur)
    await client.post(
        f"/v1/tlvs/{tlv['id']}/intrekkingen",
        json={"reden": "Bezwaar van Jan Jansen"},
        headers={**regisseur, "If-Match": huidig.headers["etag"]},
    )
    later = datetime.now(UTC) + timedelta(days=3 * 366)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=later) >= 1
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    tekst = " ".join(
        str(v)
        for v in (
            await connection.execute(
                text(
                    "SELECT t.intrekkingsreden, c.toelichting, c.bron_referentie "
                    "FROM tlvs t JOIN plaatsingschecks c ON c.tlv_id = t.id "
                    "WHERE t.leerling_id = :id"
                ),
                {"id": leerling["id"]},
            )
        ).one()
    )
    assert "Jan Jansen" not in tekst
    assert "Fictief" not in tekst


async def test_inzage_holds_the_tlvs_and_their_checks(
    client: AsyncClient, regisseur: dict[str, str], begeleider: dict[str, str], swv_a: Swv
) -> None:
    """AVG art. 15: the inzage export holds the TLVs, their history and their checks."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    tlv = (await geef_af(client, regisseur, swv_a, leerling["id"])).json()
    await check(client, begeleider, tlv["id"], "wacht-op-instroom", toelichting="Gebeld")
    inzage = await client.get(f"/v1/leerlingen/{leerling['id']}/inzage", headers=regisseur)
    assert inzage.status_code == 200, inzage.text
    body = inzage.json()
    assert [t["staat"] for t in body["tlvs"]] == ["wacht-op-instroom"]
    assert [c["toelichting"] for c in body["plaatsingschecks"]] == ["Gebeld"]
