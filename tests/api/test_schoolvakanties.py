"""The school-holiday calendar as versioned data (docs/domain.md regel 14): shipped years,
loaded open-data files, a vestiging's own days off, and reproducing a count with `bekendOp`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.api.test_leerlingen import meld, registreer
from tests.builders import FakeAuthenticator, Swv

FIXTURES = Path(__file__).parent.parent / "fixtures"
PEILDATUM = "2027-03-01"


def _bestand(naam: str) -> Any:
    return json.loads((FIXTURES / naam).read_text("utf-8"))


OPENDATA_2026 = "schoolvakanties-2026-2027-synthetisch.json"
OPENDATA_2028 = "schoolvakanties-2028-2029-synthetisch.json"


@pytest.fixture
def beheerder(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.BEHEERDER))


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


async def _lesweken(client: AsyncClient, beheerder: dict[str, str]) -> None:
    etag = (await client.get("/v1/instellingen", headers=beheerder)).headers["etag"]
    changed = await client.patch(
        "/v1/instellingen",
        json={"weektelling": "lesweken"},
        headers={**beheerder, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text


async def _thuis(client: AsyncClient, regisseur: dict[str, str], swv: Swv) -> str:
    """A child (regio midden) enrolled at the SWV's first vestiging, absent since 2 Nov 2026."""
    leerling = await registreer(client, regisseur, swv)
    school = str(swv.scholen[0])
    ingeschreven = await meld(
        client, regisseur, leerling["id"], "inschrijving", "2026-08-24", schoolId=school
    )
    assert ingeschreven.status_code == 201, ingeschreven.text
    verzuim = await meld(client, regisseur, leerling["id"], "verzuim-gestart", "2026-11-02")
    assert verzuim.status_code == 201, verzuim.text
    return str(leerling["id"])


async def _status(
    client: AsyncClient, headers: dict[str, str], leerling_id: str, **query: str
) -> Any:
    response = await client.get(
        f"/v1/leerlingen/{leerling_id}/status",
        params={"peildatum": PEILDATUM, **query},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_regel_14_status_on_2027_03_01_in_lesweken_answers_from_the_shipped_calendar(
    client: AsyncClient, beheerder: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    await _lesweken(client, beheerder)
    leerling_id = await _thuis(client, regisseur, swv_a)
    status = await _status(client, regisseur, leerling_id)
    # Thuiszitter (B2a) after 28 counted days of absence: since 30 Nov 2026. To 1 Mar 2027 is
    # 92 days; the shipped kerst (16) and voorjaar (9) of midden leave 67 days: 9 lesweken.
    assert (status["categorie"], status["sinds"]) == ("B2b", "2026-11-30")
    assert status["duurLesweken"] == 9
    kalender = await client.get("/v1/schoolvakanties", headers=beheerder)
    assert kalender.status_code == 200
    jaren = {j["schooljaar"]: j["bron"] for j in kalender.json()["schooljaren"]}
    assert jaren["2026-2027"] == "meegeleverd"
    assert jaren["2027-2028"] == "meegeleverd"
    assert kalender.json()["versies"] == []


async def test_regel_14_a_loaded_open_data_file_changes_the_count_and_bekend_op_before_not(
    client: AsyncClient, beheerder: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    await _lesweken(client, beheerder)
    leerling_id = await _thuis(client, regisseur, swv_a)
    voor = await _status(client, regisseur, leerling_id)
    assert voor["duurLesweken"] == 9
    lijst = await client.get(
        "/v1/leerlingen", params={"peildatum": "2027-01-05"}, headers=regisseur
    )
    (rij,) = [r for r in lijst.json()["data"] if r["id"] == leerling_id]
    assert rij["categorie"] == "B2a"
    moment_voor = datetime.now(UTC).isoformat()

    geladen = await client.post(
        "/v1/schoolvakanties", json=_bestand(OPENDATA_2026), headers=beheerder
    )
    assert geladen.status_code == 201, geladen.text
    (versie,) = geladen.json()
    assert versie["schooljaar"] == "2026-2027"
    assert versie["soort"] == "opendata"

    # The synthetic file has four weeks of herfstvakantie in November: the 28 counted days run
    # from 30 November, across kerst, to 13 January; to 1 March less voorjaar: 5 lesweken.
    na = await _status(client, regisseur, leerling_id)
    assert (na["sinds"], na["duurLesweken"]) == ("2027-01-13", 5)
    # The projection (the list on a peildatum) is rebuilt with the new calendar.
    lijst = await client.get(
        "/v1/leerlingen", params={"peildatum": "2027-01-05"}, headers=regisseur
    )
    (rij,) = [r for r in lijst.json()["data"] if r["id"] == leerling_id]
    assert rij["categorie"] == "B1"
    # As known before the load, the count is the one reported then.
    toen = await _status(client, regisseur, leerling_id, bekendOp=moment_voor)
    assert toen["duurLesweken"] == 9

    nu = await client.get("/v1/schoolvakanties", headers=beheerder)
    assert {j["schooljaar"]: j["bron"] for j in nu.json()["schooljaren"]}["2026-2027"] == (
        "geladen"
    )
    assert [v["id"] for v in nu.json()["versies"]] == [versie["id"]]
    eerder = await client.get(
        "/v1/schoolvakanties", params={"bekendOp": moment_voor}, headers=beheerder
    )
    assert {j["schooljaar"]: j["bron"] for j in eerder.json()["schooljaren"]}["2026-2027"] == (
        "meegeleverd"
    )


async def test_regel_14_a_date_outside_every_known_year_is_a_400_naming_the_school_year(
    client: AsyncClient, beheerder: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    await _lesweken(client, beheerder)
    leerling_id = await _thuis(client, regisseur, swv_a)
    buiten = await client.get(
        f"/v1/leerlingen/{leerling_id}/status",
        params={"peildatum": "2028-10-02"},
        headers=regisseur,
    )
    assert buiten.status_code == 400
    assert buiten.json()["type"].endswith("kalender-ontbreekt")
    assert "2028-2029" in buiten.json()["detail"]
    # Any school year can be loaded: then the same question has an answer.
    geladen = await client.post(
        "/v1/schoolvakanties", json=_bestand(OPENDATA_2028), headers=beheerder
    )
    assert geladen.status_code == 201, geladen.text
    binnen = await client.get(
        f"/v1/leerlingen/{leerling_id}/status",
        params={"peildatum": "2028-10-02"},
        headers=regisseur,
    )
    assert binnen.status_code == 200, binnen.text


async def test_regel_14_a_vestiging_s_own_days_off_change_the_count_of_its_children(
    client: AsyncClient, beheerder: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    await _lesweken(client, beheerder)
    leerling_id = await _thuis(client, regisseur, swv_a)
    moment_voor = datetime.now(UTC).isoformat()
    gezet = await client.post(
        "/v1/schoolvakanties/afwijkingen",
        json={
            "vestiging": str(swv_a.scholen[0]),
            "perioden": [{"eersteDag": "2027-01-04", "laatsteDag": "2027-01-17"}],
        },
        headers=beheerder,
    )
    assert gezet.status_code == 201, gezet.text
    assert gezet.json()["soort"] == "afwijkingen"
    # Two weeks off in January at the child's vestiging: 67 - 14 = 53 counted days.
    assert (await _status(client, regisseur, leerling_id))["duurLesweken"] == 7
    toen = await _status(client, regisseur, leerling_id, bekendOp=moment_voor)
    assert toen["duurLesweken"] == 9
    kalender = (await client.get("/v1/schoolvakanties", headers=beheerder)).json()
    assert kalender["afwijkingen"][0]["perioden"] == [
        {"eersteDag": "2027-01-04", "laatsteDag": "2027-01-17"}
    ]
    # A new list replaces the old one, as a new version.
    leeg = await client.post(
        "/v1/schoolvakanties/afwijkingen",
        json={"vestiging": str(swv_a.scholen[0]), "perioden": []},
        headers=beheerder,
    )
    assert leeg.status_code == 201
    assert (await _status(client, regisseur, leerling_id))["duurLesweken"] == 9


async def test_a_bad_open_data_file_is_a_400_listing_every_error_and_stores_nothing(
    client: AsyncClient, beheerder: dict[str, str]
) -> None:
    kapot = _bestand(OPENDATA_2026)
    geheim = "2026-13-45T00:00:00.000Z"
    kapot["content"][0]["vacations"][0]["regions"][0]["startdate"] = geheim
    kapot["content"][0]["vacations"][1]["regions"][0]["region"] = "oost"
    del kapot["content"][0]["vacations"][4]["compulsorydates"]
    response = await client.post("/v1/schoolvakanties", json=kapot, headers=beheerder)
    assert response.status_code == 400
    namen = [e["name"] for e in response.json()["errors"]]
    assert namen == [
        "document[0].content[0].vacations[0].regions[0]",
        "document[0].content[0].vacations[1].regions[0]",
        "document[0].content[0].vacations[4]",
    ]
    assert geheim not in response.text
    assert "oost" not in response.text
    geen_json = await client.post(
        "/v1/schoolvakanties",
        content=b"{geen json",
        headers={**beheerder, "content-type": "application/json"},
    )
    assert geen_json.status_code == 400
    assert (await client.get("/v1/schoolvakanties", headers=beheerder)).json()["versies"] == []


async def test_days_off_that_end_before_they_start_are_a_400(
    client: AsyncClient, beheerder: dict[str, str], swv_a: Swv
) -> None:
    response = await client.post(
        "/v1/schoolvakanties/afwijkingen",
        json={
            "vestiging": str(swv_a.scholen[0]),
            "perioden": [
                {"eersteDag": "2027-01-10", "laatsteDag": "2027-01-04"},
                {"eersteDag": "2027-01-04", "laatsteDag": "2029-01-04"},
            ],
        },
        headers=beheerder,
    )
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["errors"]] == [
        "perioden[0].laatsteDag",
        "perioden[1].laatsteDag",
    ]


async def test_only_the_beheerder_manages_the_calendar(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    assert (await client.get("/v1/schoolvakanties")).status_code == 401
    assert (await client.post("/v1/schoolvakanties", json={})).status_code == 401
    assert (await client.post("/v1/schoolvakanties/afwijkingen", json={})).status_code == 401
    assert (await client.get("/v1/schoolvakanties", headers=regisseur)).status_code == 403
    weigering = await client.post(
        "/v1/schoolvakanties", json=_bestand(OPENDATA_2026), headers=regisseur
    )
    assert weigering.status_code == 403


async def test_another_swv_s_vestiging_is_404_and_its_loads_are_invisible(
    client: AsyncClient, auth: FakeAuthenticator, beheerder: dict[str, str], swv_a: Swv, swv_b: Swv
) -> None:
    response = await client.post(
        "/v1/schoolvakanties/afwijkingen",
        json={"vestiging": str(swv_b.scholen[0]), "perioden": []},
        headers=beheerder,
    )
    assert response.status_code == 404
    geladen = await client.post(
        "/v1/schoolvakanties", json=_bestand(OPENDATA_2026), headers=beheerder
    )
    assert geladen.status_code == 201
    ander = auth.headers(swv_b.actor(Rol.BEHEERDER))
    assert (await client.get("/v1/schoolvakanties", headers=ander)).json()["versies"] == []


async def test_loading_with_an_idempotency_key_twice_stores_one_version(
    client: AsyncClient, beheerder: dict[str, str]
) -> None:
    headers = {**beheerder, "Idempotency-Key": "schoolvakanties-2026-2027"}
    eerste = await client.post("/v1/schoolvakanties", json=_bestand(OPENDATA_2026), headers=headers)
    tweede = await client.post("/v1/schoolvakanties", json=_bestand(OPENDATA_2026), headers=headers)
    assert eerste.status_code == tweede.status_code == 201
    assert eerste.json() == tweede.json()
    assert len((await client.get("/v1/schoolvakanties", headers=beheerder)).json()["versies"]) == 1
