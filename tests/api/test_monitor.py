"""The SWV's own monitor through HTTP (regel 18): kenmerken as facts, as known on, access."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services.privacy import anonimiseer_verlopen
from tests.api.test_leerlingen import dag, ingeschreven, meld, registreer
from tests.api.test_rapportage import PEILDATUM, iso
from tests.builders import FakeAuthenticator, Swv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _jeugdhulplijst(client: AsyncClient, auth: FakeAuthenticator, swv: Swv) -> None:
    beheerder = auth.headers(swv.actor(Rol.BEHEERDER))
    etag = (await client.get("/v1/instellingen", headers=beheerder)).headers["etag"]
    changed = await client.patch(
        "/v1/instellingen",
        json={"jeugdhulpOrganisaties": ["Wijkteam Demostad"]},
        headers={**beheerder, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["jeugdhulpOrganisaties"] == ["Wijkteam Demostad"]


@pytest.fixture
async def thuiszitter(client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv) -> dict[str, Any]:
    await _jeugdhulplijst(client, auth, swv_a)
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    school = str(swv_a.scholen[0])
    kind = await registreer(client, regisseur, swv_a, pseudoniem="261801")
    start = PEILDATUM - timedelta(days=60)
    for soort, gegevens, extra in [
        ("inschrijving", {}, {"schoolId": school}),
        ("verzuim-gestart", {}, {}),
        ("klas", {"klas": "2b"}, {}),
        ("niveau", {"niveau": "vmbo-gt"}, {}),
        ("woonplaats", {"gemeente": "Demostad"}, {}),
        ("gemeld-bij-loket", {}, {}),
    ]:
        datum = iso(start - timedelta(days=300)) if soort == "inschrijving" else iso(start)
        response = await meld(
            client, regisseur, kind["id"], soort, datum, gegevens=gegevens, **extra
        )
        assert response.status_code == 201, response.text
    voor = datetime.now(UTC)
    # Stated as both medical and refusal: stored as schoolweigeraar (regel 18).
    soort = await meld(
        client,
        regisseur,
        kind["id"],
        "soort-thuiszitter",
        iso(start),
        gegevens={"thuiszitter": ["medisch", "schoolweigeraar"]},
    )
    assert soort.status_code == 201, soort.text
    assert soort.json()["gegevens"]["thuiszitter"] == "schoolweigeraar"
    hulp = await meld(
        client,
        regisseur,
        kind["id"],
        "jeugdhulp",
        iso(start),
        gegevens={"organisatie": "Wijkteam Demostad"},
    )
    assert hulp.status_code == 201, hulp.text
    return {"headers": regisseur, "kind": kind, "voor": voor}


async def test_monitor_shows_kenmerken_and_as_known_before_them_empty(
    client: AsyncClient, thuiszitter: dict[str, Any]
) -> None:
    """Regel 18: the monitor's fields as known now; `bekendOp` before the statement: empty."""
    headers = thuiszitter["headers"]
    params = {"peildatum": iso(PEILDATUM)}
    response = await client.get("/v1/rapportages/swv-monitor", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = json.loads(response.content)
    (rij,) = body["rijen"]
    assert rij["pseudoniem"] == "261801"
    assert (rij["klas"], rij["niveau"], rij["woonplaats"]) == ("2b", "vmbo-gt", "Demostad")
    assert rij["soort"] == "schoolweigeraar"
    assert rij["jeugdhulp"] == "Wijkteam Demostad"
    assert rij["maand_gemeld"] == iso(PEILDATUM - timedelta(days=60))[:7]
    eerder = await client.get(
        "/v1/rapportages/swv-monitor",
        params={**params, "bekendOp": thuiszitter["voor"].isoformat()},
        headers=headers,
    )
    (rij_eerder,) = json.loads(eerder.content)["rijen"]
    assert rij_eerder["soort"] is None
    assert rij_eerder["jeugdhulp"] is None


async def test_inspectie_export_fills_soort_and_jeugdhulp_never_klas(
    client: AsyncClient, thuiszitter: dict[str, Any]
) -> None:
    """The Inspectie register's "Soort thuiszitter" and "Betrokken jeugdhulp" come from the
    kenmerken; klas, niveau and woonplaats never leave in it."""
    response = await client.get(
        "/v1/rapportages/inspectie",
        params={"peildatum": iso(PEILDATUM)},
        headers=thuiszitter["headers"],
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    (rij,) = body["rijen"]
    assert (rij["soort"], rij["jeugdhulp"]) == ("schoolweigeraar", "Wijkteam Demostad")
    assert "2b" not in response.text
    assert "vmbo-gt" not in response.text
    assert "klas" not in body["kolommen"]


async def test_monitor_in_csv_and_xlsx(client: AsyncClient, thuiszitter: dict[str, Any]) -> None:
    params = {"peildatum": iso(PEILDATUM)}
    headers = thuiszitter["headers"]
    csv = await client.get(
        "/v1/rapportages/swv-monitor", params=params, headers={**headers, "Accept": "text/csv"}
    )
    assert csv.status_code == 200
    assert "vmbo-gt" in csv.content.decode("utf-8-sig")
    xlsx = await client.get(
        "/v1/rapportages/swv-monitor", params=params, headers={**headers, "Accept": XLSX}
    )
    assert xlsx.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["Monitor"]


async def test_monitor_needs_a_token_and_an_swv_role(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """No token 401; the Inspectie's export role and a school do not get the SWV's monitor."""
    params = {"peildatum": iso(PEILDATUM)}
    assert (await client.get("/v1/rapportages/swv-monitor", params=params)).status_code == 401
    for rol in (Rol.INSPECTIE_EXPORT, Rol.SCHOOLMEDEWERKER):
        response = await client.get(
            "/v1/rapportages/swv-monitor", params=params, headers=auth.headers(swv_a.actor(rol))
        )
        assert response.status_code == 403, rol


async def test_monitor_of_another_swv_lists_none_of_its_children(
    client: AsyncClient, thuiszitter: dict[str, Any], auth: FakeAuthenticator, swv_b: Swv
) -> None:
    """Out of scope: the other SWV's monitor does not show this SWV's child."""
    response = await client.get(
        "/v1/rapportages/swv-monitor",
        params={"peildatum": iso(PEILDATUM)},
        headers=auth.headers(swv_b.actor(Rol.REGISSEUR)),
    )
    assert response.status_code == 200
    assert json.loads(response.content)["rijen"] == []


async def test_monitor_refuses_a_bad_peildatum(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    response = await client.get(
        "/v1/rapportages/swv-monitor",
        params={"peildatum": "geen-datum"},
        headers=auth.headers(swv_a.actor(Rol.REGISSEUR)),
    )
    assert response.status_code == 400
    assert "geen-datum" not in response.text


async def test_jeugdhulp_outside_the_swv_list_and_unmixable_kinds_are_refused(
    client: AsyncClient, thuiszitter: dict[str, Any]
) -> None:
    """Regel 18: youth care from the SWV's list; only medical with refusal mixes."""
    headers, kind = thuiszitter["headers"], thuiszitter["kind"]
    onbekend = await meld(
        client, headers, kind["id"], "jeugdhulp", iso(PEILDATUM), gegevens={"organisatie": "X"}
    )
    assert onbekend.status_code == 400
    gemengd = await meld(
        client,
        headers,
        kind["id"],
        "soort-thuiszitter",
        iso(PEILDATUM),
        gegevens={"thuiszitter": ["medisch", "spijbelaar"]},
    )
    assert gemengd.status_code == 400
    assert "gegevens.thuiszitter" in gemengd.text


async def test_a_school_may_not_state_the_loket_report(
    client: AsyncClient, thuiszitter: dict[str, Any], auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """Fact-kind rights: the report at the SWV's verzuimloket is the SWV's own to state."""
    school = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    response = await meld(
        client, school, thuiszitter["kind"]["id"], "gemeld-bij-loket", iso(PEILDATUM)
    )
    assert response.status_code == 403


# -- renumbering pseudonyms (regel 18: the old numbers converted once) -----------------------


async def test_renumbered_child_keeps_facts_registers_and_counts_as_continuing(
    client: AsyncClient, thuiszitter: dict[str, Any]
) -> None:
    """Regel 18: a renumbered child keeps its history; search finds both codes; the next
    summary counts it as continuing, not as one ended and one new."""
    headers, kind = thuiszitter["headers"], thuiszitter["kind"]
    feiten_voor = (await client.get(f"/v1/leerlingen/{kind['id']}/feiten", headers=headers)).json()
    response = await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": "261899"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json() == {"leerlingId": kind["id"], "oud": "261801", "nieuw": "261899"}
    again = await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": "261899"},
        headers=headers,
    )
    assert again.json() == response.json()
    for code in ("261801", "261899"):
        found = await client.post(
            "/v1/leerlingen/zoeken", json={"pseudoniem": code}, headers=headers
        )
        assert [r["id"] for r in found.json()["data"]] == [kind["id"]], code
    feiten_na = (await client.get(f"/v1/leerlingen/{kind['id']}/feiten", headers=headers)).json()
    assert feiten_na == feiten_voor
    register = await client.get(
        "/v1/rapportages/inspectie", params={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    assert [r["pseudoniem"] for r in json.loads(register.content)["rijen"]] == ["261899"]
    volgende = PEILDATUM + timedelta(days=92)  # the peildatum after: the child still at home
    while volgende.day != 1:
        volgende += timedelta(days=1)
    samenvatting = await client.get(
        "/v1/rapportages/inspectie/samenvatting",
        params={"peildatum": iso(volgende)},
        headers=headers,
    )
    body = json.loads(samenvatting.content)
    assert body["mutaties"]["lopend"] == 1
    assert body["mutaties"]["nieuw"] == 0
    assert body["verdwenen"] == 0
    aliassen = await client.get(f"/v1/leerlingen/{kind['id']}/hernummeringen", headers=headers)
    assert [a["pseudoniem"] for a in aliassen.json()["data"]] == ["261801"]


async def test_renumbering_refuses_codes_in_use_and_bad_codes(
    client: AsyncClient, thuiszitter: dict[str, Any], swv_a: Swv
) -> None:
    """An old code stays reserved as an alias; a code in use is a 409; a bad code a 400."""
    headers, kind = thuiszitter["headers"], thuiszitter["kind"]
    ander = await registreer(client, headers, swv_a, pseudoniem="261802")
    in_gebruik = await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": ander["pseudoniem"]},
        headers=headers,
    )
    assert in_gebruik.status_code == 409
    slecht = await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": "a@b"},
        headers=headers,
    )
    assert slecht.status_code == 400
    assert "a@b" not in slecht.text
    await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": "261898"},
        headers=headers,
    )
    nieuw = await client.post(
        "/v1/leerlingen",
        json={
            "pseudoniem": "261801",
            "geboortejaar": 2014,
            "geboortemaand": 3,
            "regio": "midden",
            "schoolId": str(swv_a.scholen[0]),
        },
        headers=headers,
    )
    assert nieuw.status_code == 409  # the old code is an alias: never given to another child


async def test_renumbering_needs_a_token_and_the_child_in_scope(
    client: AsyncClient, thuiszitter: dict[str, Any], auth: FakeAuthenticator, swv_b: Swv
) -> None:
    kind = thuiszitter["kind"]
    pad = f"/v1/leerlingen/{kind['id']}/hernummeringen"
    assert (await client.post(pad, json={"nieuwPseudoniem": "261897"})).status_code == 401
    ander_swv = auth.headers(swv_b.actor(Rol.REGISSEUR))
    response = await client.post(pad, json={"nieuwPseudoniem": "261897"}, headers=ander_swv)
    assert response.status_code == 404


async def test_renumbering_many_from_a_mapping_all_or_none(
    client: AsyncClient, thuiszitter: dict[str, Any], swv_a: Swv
) -> None:
    """A mapping file: every problem listed and nothing changed, or every child renumbered."""
    headers = thuiszitter["headers"]
    await registreer(client, headers, swv_a, pseudoniem="251801")
    fout = await client.post(
        "/v1/hernummeringen",
        json={
            "wijzigingen": [
                {"oud": "261801", "nieuw": "262801"},
                {"oud": "999999", "nieuw": "262802"},
            ]
        },
        headers=headers,
    )
    assert fout.status_code == 400
    assert [e["name"] for e in fout.json()["errors"]] == ["wijzigingen[1].oud"]
    still = await client.post(
        "/v1/leerlingen/zoeken", json={"pseudoniem": "261801"}, headers=headers
    )
    assert still.json()["data"][0]["pseudoniem"] == "261801"
    goed = await client.post(
        "/v1/hernummeringen",
        json={
            "wijzigingen": [
                {"oud": "261801", "nieuw": "262801"},
                {"oud": "251801", "nieuw": "262802"},
            ]
        },
        headers=headers,
    )
    assert goed.status_code == 201, goed.text
    assert [(h["oud"], h["nieuw"]) for h in goed.json()["data"]] == [
        ("261801", "262801"),
        ("251801", "262802"),
    ]


# -- recording the delivery ------------------------------------------------------------------


async def test_delivery_is_recorded_once_and_a_corrected_redelivery_keeps_the_first(
    client: AsyncClient, thuiszitter: dict[str, Any]
) -> None:
    """Regel 19: delivered through the Inspectie's portal (date, by whom, reference), once."""
    headers = thuiszitter["headers"]
    vandaag = datetime.now(UTC).date()
    eerste = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    assert eerste.status_code == 201, eerste.text
    levering = {
        "geleverdOp": iso(vandaag),
        "geleverdDoor": "Secretariaat SWV",
        "referentie": "ISD-1",
    }
    pad = f"/v1/inspectie-indieningen/{eerste.json()['id']}/leveringen"
    vastgelegd = await client.post(pad, json=levering, headers=headers)
    assert vastgelegd.status_code == 201, vastgelegd.text
    assert (await client.post(pad, json=levering, headers=headers)).json()["id"] == (
        vastgelegd.json()["id"]
    )
    anders = await client.post(pad, json={**levering, "referentie": "ISD-2"}, headers=headers)
    assert anders.status_code == 409
    correctie = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    tweede = await client.post(
        f"/v1/inspectie-indieningen/{correctie.json()['id']}/leveringen",
        json={**levering, "referentie": "ISD-2"},
        headers=headers,
    )
    assert tweede.status_code == 201
    lijst = (await client.get("/v1/inspectie-leveringen", headers=headers)).json()["data"]
    assert [r["referentie"] for r in lijst] == ["ISD-1", "ISD-2"]


async def test_delivery_refusals(
    client: AsyncClient, thuiszitter: dict[str, Any], auth: FakeAuthenticator, swv_b: Swv
) -> None:
    """No token 401; another SWV's submission 404; a date in the future 400."""
    headers = thuiszitter["headers"]
    indiening = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    pad = f"/v1/inspectie-indieningen/{indiening.json()['id']}/leveringen"
    body = {"geleverdOp": iso(datetime.now(UTC).date()), "geleverdDoor": "SWV", "referentie": "R1"}
    assert (await client.post(pad, json=body)).status_code == 401
    ander = auth.headers(swv_b.actor(Rol.REGISSEUR))
    assert (await client.post(pad, json=body, headers=ander)).status_code == 404
    toekomst = {**body, "geleverdOp": iso(datetime.now(UTC).date() + timedelta(days=3))}
    response = await client.post(pad, json=toekomst, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "geleverdOp"


async def test_differences_with_a_submission_read_an_old_code_as_the_current_one(
    client: AsyncClient, thuiszitter: dict[str, Any]
) -> None:
    """A renumbered child is the same child: no "vervallen" plus "nieuw" against a submission."""
    headers, kind = thuiszitter["headers"], thuiszitter["kind"]
    indiening = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": "261896"},
        headers=headers,
    )
    verschillen = await client.get(
        f"/v1/inspectie-indieningen/{indiening.json()['id']}/verschillen", headers=headers
    )
    assert verschillen.status_code == 200, verschillen.text
    assert [v["soort"] for v in verschillen.json()["data"]] == []


async def test_register_window_setting_both_readings(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """The window is this school year by default, or cumulative since a date (docs)."""
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    huidig = await client.get("/v1/instellingen", headers=beheerder)
    assert huidig.json()["registervenster"] == "schooljaar"
    etag = huidig.headers["etag"]
    zonder = await client.patch(
        "/v1/instellingen",
        json={"registervenster": "cumulatief"},
        headers={**beheerder, "If-Match": etag},
    )
    assert zonder.status_code == 400
    met = await client.patch(
        "/v1/instellingen",
        json={"registervenster": "cumulatief", "registerVanaf": "2024-08-01"},
        headers={**beheerder, "If-Match": etag},
    )
    assert met.status_code == 200, met.text
    assert met.json()["registerVanaf"] == "2024-08-01"
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    register = await client.get(
        "/v1/rapportages/inspectie", params={"peildatum": iso(PEILDATUM)}, headers=regisseur
    )
    assert json.loads(register.content)["kop"]["vanaf"] == "2024-08-01"


async def test_anonymising_blanks_kenmerken_and_forgets_old_codes(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Retention: the monitor's names (klas, niveau, gemeente) are blanked and the old
    pseudonyms, which lead back to the child, are removed; the youth-care organisation, from the
    SWV's list and in the Inspectie register, stays (decision 0046)."""
    await _jeugdhulplijst(client, auth, swv_a)
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    kind = await ingeschreven(client, regisseur, swv_a, pseudoniem="241877")
    for soort, gegevens in [
        ("klas", {"klas": "Klas Fictief"}),
        ("woonplaats", {"gemeente": "Gemeente Fictief"}),
        ("jeugdhulp", {"organisatie": "Wijkteam Demostad"}),
    ]:
        response = await meld(client, regisseur, kind["id"], soort, dag(-30), gegevens=gegevens)
        assert response.status_code == 201, response.text
    hernummerd = await client.post(
        f"/v1/leerlingen/{kind['id']}/hernummeringen",
        json={"nieuwPseudoniem": "261877"},
        headers=regisseur,
    )
    assert hernummerd.status_code == 201
    later = datetime.now(UTC) + timedelta(days=3 * 366)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=later) >= 1
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    payloads = " ".join(
        (await connection.execute(text("SELECT payload::text FROM feiten"))).scalars()
    )
    assert "Fictief" not in payloads
    assert "Wijkteam Demostad" in payloads
    aliassen = (
        await connection.execute(text("SELECT pseudoniem FROM pseudoniem_aliassen"))
    ).scalars()
    assert "241877" not in list(aliassen)
