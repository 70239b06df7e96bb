"""Pseudonym codes cannot be used to probe another school's or gemeente's children: a school's
codes are its own (with an opaque prefix of its vestiging, docs/decisions/0032), so a code
another vestiging uses answers exactly as a fresh one does."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv


def body(pseudoniem: str, **extra: Any) -> dict[str, Any]:
    return {
        "pseudoniem": pseudoniem,
        "geboortejaar": 2014,
        "geboortemaand": 4,
        "regio": "midden",
        **extra,
    }


async def test_a_code_of_another_vestiging_answers_as_a_fresh_code(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    school_0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    school_1 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    eerste = await client.post("/v1/leerlingen", json=body("231801"), headers=school_0)
    vers = await client.post("/v1/leerlingen", json=body("231899"), headers=school_1)
    zelfde = await client.post("/v1/leerlingen", json=body("231801"), headers=school_1)
    assert eerste.status_code == vers.status_code == zelfde.status_code == 201
    assert eerste.json()["pseudoniem"] == f"v{swv_a.scholen[0].hex[:8]}/231801"
    assert zelfde.json()["pseudoniem"].endswith("/231801")
    assert eerste.json()["pseudoniem"] != zelfde.json()["pseudoniem"]
    assert set(zelfde.json()) == set(vers.json())


async def test_a_schools_own_code_twice_is_409_and_its_search_finds_it(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    school_0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    school_1 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    eerste = await client.post("/v1/leerlingen", json=body("551801"), headers=school_0)
    assert eerste.status_code == 201
    again = await client.post("/v1/leerlingen", json=body("551801"), headers=school_0)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    gevonden = await client.post(
        "/v1/leerlingen/zoeken", json={"pseudoniem": "551801"}, headers=school_0
    )
    assert [r["id"] for r in gevonden.json()["data"]] == [eerste.json()["id"]]
    elders = await client.post(
        "/v1/leerlingen/zoeken", json={"pseudoniem": "551801"}, headers=school_1
    )
    assert elders.json()["data"] == []


async def test_an_swv_code_is_no_conflict_for_a_school_that_cannot_see_the_child(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    school_1 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    swv_code = await client.post("/v1/leerlingen", json=body("661801"), headers=regisseur)
    assert swv_code.status_code == 201
    assert swv_code.json()["pseudoniem"] == "661801"
    school = await client.post("/v1/leerlingen", json=body("661801"), headers=school_1)
    assert school.status_code == 201
    assert (
        await client.post("/v1/leerlingen", json=body("661801"), headers=regisseur)
    ).status_code == 409


async def test_a_gemeentes_codes_are_its_own(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    gemeente_0 = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    gemeente_1 = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1))
    code_0, code_1 = swv_a.gemeente_codes
    eerste = await client.post(
        "/v1/leerlingen", json=body("771801", woongemeente=code_0), headers=gemeente_0
    )
    tweede = await client.post(
        "/v1/leerlingen", json=body("771801", woongemeente=code_1), headers=gemeente_1
    )
    assert eerste.status_code == tweede.status_code == 201
    assert eerste.json()["pseudoniem"] == f"g{swv_a.gemeenten[0].hex[:8]}/771801"
    assert code_0 not in eerste.json()["pseudoniem"]
    again = await client.post(
        "/v1/leerlingen", json=body("771801", woongemeente=code_0), headers=gemeente_0
    )
    assert again.status_code == 409


async def test_a_code_too_long_with_its_prefix_is_400_without_echo(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    school_0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    code = "Z" * 32
    response = await client.post("/v1/leerlingen", json=body(code), headers=school_0)
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["errors"]] == ["pseudoniem"]
    assert code not in response.text


async def test_no_token_is_401(client: AsyncClient) -> None:
    assert (await client.post("/v1/leerlingen", json=body("881801"))).status_code == 401
