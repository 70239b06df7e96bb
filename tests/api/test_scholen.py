"""School vestigingen: register, read, list; validation and conflicts."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv

GOOD = {
    "brin": "99ZZ",
    "vestigingsnummer": "00",
    "naam": "Testschool De Linde",
    "plaats": "Zwolle",
    "regio": "midden",
}


@pytest.fixture
def beheer(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.BEHEERDER))


async def test_register_and_read_a_school(client: AsyncClient, beheer: dict[str, str]) -> None:
    created = await client.post("/v1/scholen", json=GOOD, headers=beheer)
    assert created.status_code == 201
    school = created.json()
    assert school["brin"] == "99ZZ"
    assert created.headers["location"] == f"/v1/scholen/{school['id']}"
    assert created.headers["etag"]
    fetched = await client.get(f"/v1/scholen/{school['id']}", headers=beheer)
    assert fetched.status_code == 200
    assert fetched.json() == school


async def test_every_invalid_field_is_listed_without_echoing_values(
    client: AsyncClient, beheer: dict[str, str]
) -> None:
    bad = {
        "brin": "1234567890",
        "vestigingsnummer": "A",
        "naam": "",
        "regio": "oost",
        "onbekend": "Jan Jansen",
    }
    response = await client.post("/v1/scholen", json=bad, headers=beheer)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    names = {e["name"] for e in response.json()["errors"]}
    # The unknown field is named by where it is (the body), never by the caller's key.
    assert names == {"brin", "vestigingsnummer", "naam", "plaats", "regio", "body"}
    for secret in ("1234567890", "Jan Jansen", "oost", "onbekend"):
        assert secret not in response.text


async def test_duplicate_vestiging_is_409_and_nothing_is_written(
    client: AsyncClient, beheer: dict[str, str]
) -> None:
    assert (await client.post("/v1/scholen", json=GOOD, headers=beheer)).status_code == 201
    again = await client.post("/v1/scholen", json={**GOOD, "naam": "Andere naam"}, headers=beheer)
    assert again.status_code == 409
    listed = await client.get("/v1/scholen", params={"pageSize": 100}, headers=beheer)
    assert [s["naam"] for s in listed.json()["data"] if s["brin"] == "99ZZ"] == [GOOD["naam"]]


async def test_missing_school_is_404(client: AsyncClient, beheer: dict[str, str]) -> None:
    response = await client.get(f"/v1/scholen/{uuid.uuid4()}", headers=beheer)
    assert response.status_code == 404


async def test_malformed_id_is_400_not_500(client: AsyncClient, beheer: dict[str, str]) -> None:
    for bad_id in ("123", "99999999999999999999999999999", "null"):
        response = await client.get(f"/v1/scholen/{bad_id}", headers=beheer)
        assert response.status_code == 400, bad_id
        assert response.json()["errors"][0]["in"] == "path"


async def test_list_is_paginated_with_link_header(
    client: AsyncClient, beheer: dict[str, str]
) -> None:
    for n in range(3):
        body = {**GOOD, "vestigingsnummer": f"1{n}"}
        assert (await client.post("/v1/scholen", json=body, headers=beheer)).status_code == 201
    page = await client.get("/v1/scholen", params={"page": 1, "pageSize": 2}, headers=beheer)
    assert page.status_code == 200
    body = page.json()
    assert len(body["data"]) == 2
    assert body["paginering"]["paginaGrootte"] == 2
    total = body["paginering"]["totaal"]
    assert page.headers["x-total-count"] == str(total)
    assert 'rel="next"' in page.headers["link"]
    assert "/v1/scholen?" in page.headers["link"]


async def test_out_of_range_paging_is_400(client: AsyncClient, beheer: dict[str, str]) -> None:
    response = await client.get("/v1/scholen", params={"page": 0, "pageSize": 1000}, headers=beheer)
    assert response.status_code == 400
    assert {e["name"] for e in response.json()["errors"]} == {"page", "pageSize"}


async def test_schools_of_another_swv_are_invisible(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, swv_b: Swv
) -> None:
    lezer_b = auth.headers(swv_b.actor(Rol.REGISSEUR))
    response = await client.get(f"/v1/scholen/{swv_a.scholen[0]}", headers=lezer_b)
    assert response.status_code == 404
    listed = await client.get("/v1/scholen", headers=lezer_b)
    assert {s["id"] for s in listed.json()["data"]} == {str(i) for i in swv_b.scholen}


async def test_school_routes_need_a_token_and_the_right_role(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    assert (await client.get("/v1/scholen")).status_code == 401
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    forbidden = await client.post("/v1/scholen", json=GOOD, headers=regisseur)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == "application/problem+json"


async def test_a_school_is_found_by_brin_and_vestigingsnummer(
    client: AsyncClient, beheer: dict[str, str], auth: FakeAuthenticator, swv_b: Swv
) -> None:
    """Integrators know a vestiging by BRIN + vestigingsnummer: a filter on the list finds it."""
    eerste = (await client.post("/v1/scholen", json=GOOD, headers=beheer)).json()
    tweede = await client.post(
        "/v1/scholen", json={**GOOD, "vestigingsnummer": "01"}, headers=beheer
    )
    assert tweede.status_code == 201
    gevonden = await client.get(
        "/v1/scholen", params={"brin": "99ZZ", "vestigingsnummer": "00"}, headers=beheer
    )
    assert gevonden.status_code == 200
    assert gevonden.json()["data"] == [eerste]
    beide = await client.get("/v1/scholen", params={"brin": "99ZZ"}, headers=beheer)
    assert {s["vestigingsnummer"] for s in beide.json()["data"]} == {"00", "01"}
    ander_swv = await client.get(
        "/v1/scholen",
        params={"brin": "99ZZ", "vestigingsnummer": "00"},
        headers=auth.headers(swv_b.actor(Rol.REGISSEUR)),
    )
    assert ander_swv.json()["data"] == []
    fout = await client.get("/v1/scholen", params={"brin": "geheim1"}, headers=beheer)
    assert fout.status_code == 400
    assert "geheim1" not in fout.text
