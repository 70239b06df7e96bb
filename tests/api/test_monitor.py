"""The SWV's own monitor through HTTP (seed 004): kenmerken as facts, as known on, access."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.api.test_leerlingen import meld, registreer
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
    # Stated as both medical and refusal: stored as schoolweigeraar (seed 004).
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
    """Seed 004 monitor fields as known now; `bekendOp` before the statement shows them empty."""
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
    """Seed 004: youth care from the SWV's list; only medical with refusal mixes."""
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
