"""The fact inbox (`/leerlingen/{id}/feiten`): who may state which fact on every route that
appends facts, inputs that would lie quietly, and the deprecated paths."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.api.test_leerlingen import dag, ingeschreven, meld
from tests.builders import FakeAuthenticator, Swv

VRIJSTELLING = {"grond": "art-5-a"}


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


@pytest.fixture
def school(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))


@pytest.fixture
def leerplicht(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))


async def kind(client: AsyncClient, headers: dict[str, str], swv: Swv) -> str:
    """An enrolled child at school 0 living in gemeente 0: in scope of all three actors."""
    leerling = await ingeschreven(client, headers, swv, woongemeente=swv.gemeente_codes[0])
    return str(leerling["id"])


async def aantal_feiten(client: AsyncClient, headers: dict[str, str], leerling_id: str) -> int:
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=headers)
    assert history.status_code == 200, history.text
    return len(history.json()["data"])


def assert_geweigerd(response: Any, soort: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert soort in response.json()["detail"]


async def test_school_vrijstelling_is_403_and_leerplicht_201_on_the_inbox(
    client: AsyncClient,
    regisseur: dict[str, str],
    school: dict[str, str],
    leerplicht: dict[str, str],
    swv_a: Swv,
) -> None:
    """Only leerplicht states a vrijstelling (LPW art. 5); a refused fact stores nothing."""
    leerling_id = await kind(client, regisseur, swv_a)
    voor = await aantal_feiten(client, regisseur, leerling_id)
    geweigerd = await meld(
        client, school, leerling_id, "vrijstelling-verleend", dag(-5), gegevens=VRIJSTELLING
    )
    assert_geweigerd(geweigerd, "vrijstelling-verleend")
    assert await aantal_feiten(client, regisseur, leerling_id) == voor
    zelf = await meld(
        client, regisseur, leerling_id, "vrijstelling-verleend", dag(-5), gegevens=VRIJSTELLING
    )
    assert_geweigerd(zelf, "vrijstelling-verleend")
    ok = await meld(
        client, leerplicht, leerling_id, "vrijstelling-verleend", dag(-5), gegevens=VRIJSTELLING
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["namens"] is None


async def test_regisseur_states_a_vrijstelling_on_leerplichts_behalf(
    client: AsyncClient, regisseur: dict[str, str], school: dict[str, str], swv_a: Swv
) -> None:
    """The regisseur may record leerplicht's decision, naming leerplicht as the source."""
    leerling_id = await kind(client, regisseur, swv_a)
    body = {"gegevens": VRIJSTELLING, "namens": "leerplicht"}
    ok = await meld(client, regisseur, leerling_id, "besluit-11g", dag(-5), namens="leerplicht")
    assert ok.status_code == 201, ok.text
    assert ok.json()["namens"] == "leerplicht"
    ok = await meld(client, regisseur, leerling_id, "vrijstelling-verleend", dag(-4), **body)
    assert ok.status_code == 201, ok.text
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=regisseur)
    assert history.json()["data"][-1]["namens"] == "leerplicht"
    vals = await meld(client, school, leerling_id, "vrijstelling-verleend", dag(-4), **body)
    assert_geweigerd(vals, "vrijstelling-verleend")


async def test_jeugdarts_oordeel_needs_the_jeugdarts_as_source(
    client: AsyncClient, school: dict[str, str], swv_a: Swv, regisseur: dict[str, str]
) -> None:
    """A jeugdarts-oordeel is stated with the jeugdarts or GGD named as its source."""
    leerling_id = await kind(client, regisseur, swv_a)
    gegevens = {"belastbaarheid": "niet"}
    zonder = await meld(
        client, school, leerling_id, "jeugdarts-oordeel", dag(-2), gegevens=gegevens
    )
    assert zonder.status_code == 400, zonder.text
    assert [e["name"] for e in zonder.json()["errors"]] == ["namens"]
    met = await meld(
        client, school, leerling_id, "jeugdarts-oordeel", dag(-2), gegevens=gegevens, namens="ggd"
    )
    assert met.status_code == 201, met.text


async def test_school_tlv_is_403(
    client: AsyncClient, school: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The TLV is the SWV's decision: a school does not state it."""
    leerling_id = await kind(client, regisseur, swv_a)
    assert_geweigerd(await meld(client, school, leerling_id, "tlv-afgegeven", dag(-2)), "tlv")
    ok = await meld(client, regisseur, leerling_id, "tlv-afgegeven", dag(-2))
    assert ok.status_code == 201, ok.text


async def test_correction_and_withdrawal_need_the_right_to_the_kind(
    client: AsyncClient,
    regisseur: dict[str, str],
    school: dict[str, str],
    leerplicht: dict[str, str],
    swv_a: Swv,
) -> None:
    """Correcting or withdrawing a vrijstelling needs the right to state a vrijstelling."""
    leerling_id = await kind(client, regisseur, swv_a)
    feit = await meld(
        client, leerplicht, leerling_id, "vrijstelling-verleend", dag(-9), gegevens=VRIJSTELLING
    )
    assert feit.status_code == 201
    betreft = feit.json()["id"]
    correctie = {
        "betreft": betreft,
        "reden": "verkeerde grond",
        "vervanging": {"soort": "vrijstelling-verleend", "grond": "art-5-b", "id": betreft},
    }
    correctie["vervanging"]["geldigVanaf"] = dag(-9)
    correctie["vervanging"]["geregistreerdOp"] = feit.json()["geregistreerdOp"]
    voor = await aantal_feiten(client, regisseur, leerling_id)
    for headers in (school, regisseur):
        c = await meld(client, headers, leerling_id, "correctie", dag(-9), gegevens=correctie)
        assert_geweigerd(c, "vrijstelling-verleend")
        i = await meld(
            client,
            headers,
            leerling_id,
            "intrekking",
            dag(-9),
            gegevens={"betreft": betreft, "reden": "r"},
        )
        assert_geweigerd(i, "vrijstelling-verleend")
    assert await aantal_feiten(client, regisseur, leerling_id) == voor
    c = await meld(client, leerplicht, leerling_id, "correctie", dag(-9), gegevens=correctie)
    assert c.status_code == 201, c.text
    i = await meld(
        client,
        leerplicht,
        leerling_id,
        "intrekking",
        dag(-9),
        gegevens={"betreft": betreft, "reden": "r"},
    )
    assert i.status_code == 201, i.text


async def test_vrijstellingen_resource_school_403_leerplicht_201_end_correct_withdraw(
    client: AsyncClient,
    regisseur: dict[str, str],
    school: dict[str, str],
    leerplicht: dict[str, str],
    swv_a: Swv,
) -> None:
    """The typed period resource appends through the same right: open, end, correct, withdraw."""
    leerling_id = await kind(client, regisseur, swv_a)
    url = f"/v1/leerlingen/{leerling_id}/vrijstellingen"
    body = {"startdatum": dag(-30), **VRIJSTELLING}
    assert_geweigerd(await client.post(url, json=body, headers=school), "vrijstelling-verleend")
    geopend = await client.post(url, json=body, headers=leerplicht)
    assert geopend.status_code == 201, geopend.text
    item = f"{url}/{geopend.json()['id']}"
    etag = geopend.headers["etag"]
    correctie = {"startdatum": dag(-29), "reden": "r", "grond": "art-5-b"}
    c = await client.post(
        f"{item}/correcties", json=correctie, headers={**school, "If-Match": etag}
    )
    assert_geweigerd(c, "vrijstelling-verleend")
    einde = await client.patch(
        item, json={"totEnMet": dag(-1)}, headers={**school, "If-Match": etag}
    )
    assert_geweigerd(einde, "vrijstelling-beeindigd")
    i = await client.post(
        f"{item}/intrekkingen", json={"reden": "r"}, headers={**school, "If-Match": etag}
    )
    assert_geweigerd(i, "vrijstelling-verleend")
    c = await client.post(
        f"{item}/correcties", json=correctie, headers={**leerplicht, "If-Match": etag}
    )
    assert c.status_code == 201, c.text
    einde = await client.patch(
        item, json={"totEnMet": dag(-1)}, headers={**leerplicht, "If-Match": c.headers["etag"]}
    )
    assert einde.status_code == 200, einde.text
    i = await client.post(
        f"{item}/intrekkingen",
        json={"reden": "r"},
        headers={**leerplicht, "If-Match": einde.headers["etag"]},
    )
    assert i.status_code == 201, i.text


@pytest.mark.parametrize("veld", ["geregistreerdOp", "id", "geldigVanaf"])
async def test_server_set_field_in_gegevens_is_400(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, veld: str
) -> None:
    """Fields the server sets are refused inside `gegevens`, without echoing the value."""
    leerling_id = await kind(client, regisseur, swv_a)
    response = await meld(
        client, regisseur, leerling_id, "verzuim-gestart", dag(-3), gegevens={veld: "2020-01-01"}
    )
    assert response.status_code == 400, response.text
    assert [e["name"] for e in response.json()["errors"]] == [f"gegevens.{veld}"]
    assert "2020-01-01" not in response.text


async def test_same_bron_referentie_other_content_is_409_naming_the_earlier_fact(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The same bronReferentie is the same fact: a replay is 200, other content 409."""
    leerling_id = await kind(client, regisseur, swv_a)
    ref = f"ref-{uuid.uuid4()}"
    eerste = await meld(
        client, regisseur, leerling_id, "verzuim-gestart", dag(-3), bronReferentie=ref
    )
    assert eerste.status_code == 201, eerste.text
    weer = await meld(
        client, regisseur, leerling_id, "verzuim-gestart", dag(-3), bronReferentie=ref
    )
    assert weer.status_code == 200
    assert weer.json()["id"] == eerste.json()["id"]
    anders = await meld(
        client, regisseur, leerling_id, "verzuim-gestart", dag(-4), bronReferentie=ref
    )
    assert anders.status_code == 409, anders.text
    assert eerste.json()["id"] in anders.json()["detail"]
    ander_kind = await kind(client, regisseur, swv_a)
    elders = await meld(
        client, regisseur, ander_kind, "verzuim-gestart", dag(-3), bronReferentie=ref
    )
    assert elders.status_code == 409, elders.text
    assert eerste.json()["id"] not in elders.text, "no fact id of another child"


async def test_deprecated_inbox_and_history_answer_with_deprecation_headers(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The old paths keep answering until the Sunset date, pointing to their successor."""
    leerling_id = await kind(client, regisseur, swv_a)
    oud = await client.post(
        f"/v1/leerlingen/{leerling_id}/meldingen",
        json={"soort": "verzuim-gestart", "geldigVanaf": dag(-3)},
        headers=regisseur,
    )
    assert oud.status_code == 201, oud.text
    for response in (
        oud,
        await client.get(f"/v1/leerlingen/{leerling_id}/gebeurtenissen", headers=regisseur),
        await client.get(
            f"/v1/leerlingen/{leerling_id}/gebeurtenissen/{oud.json()['id']}", headers=regisseur
        ),
    ):
        assert response.status_code in {200, 201}
        assert response.headers["deprecation"].startswith("@")
        assert response.headers["sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
        assert f"/v1/leerlingen/{leerling_id}/feiten" in response.headers["link"]
        assert 'rel="successor-version"' in response.headers["link"]
    assert oud.headers["location"].startswith(f"/v1/leerlingen/{leerling_id}/feiten/")
    nieuw = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=regisseur)
    assert "deprecation" not in nieuw.headers


async def test_inbox_no_token_401_and_out_of_scope_404(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv, swv_b: Swv
) -> None:
    leerling_id = await kind(client, regisseur, swv_a)
    url = f"/v1/leerlingen/{leerling_id}/feiten"
    body = {"soort": "verzuim-gestart", "geldigVanaf": dag(-3)}
    assert (await client.post(url, json=body)).status_code == 401
    ander = auth.headers(swv_b.actor(Rol.REGISSEUR))
    buiten = await client.post(url, json=body, headers=ander)
    missend = await client.post(f"/v1/leerlingen/{uuid.uuid4()}/feiten", json=body, headers=ander)
    assert buiten.status_code == missend.status_code == 404
    assert buiten.json()["detail"] == missend.json()["detail"]


def test_contract_heeft_een_schema_per_soort_feit_uit_de_domeinklassen() -> None:
    """Typed payloads: a `oneOf` on `soort`, one variant per fact kind, fields from the domain."""
    import dataclasses

    from app.api.app import create_app
    from app.config import Settings
    from app.domain.feiten import FEITKLASSEN, FeitSoort

    schemas = create_app(Settings(database_url=None)).api.openapi()["components"]["schemas"]
    invoer = schemas["FeitInvoer"]
    assert invoer["discriminator"]["propertyName"] == "soort"
    assert set(invoer["discriminator"]["mapping"]) == {str(s) for s in FeitSoort}
    for soort, cls in FEITKLASSEN.items():
        naam = "".join(d.capitalize() for d in str(soort).split("-"))
        variant = schemas[f"FeitInvoer{naam}"]
        assert variant["properties"]["soort"] == {"type": "string", "const": str(soort)}
        gegevens = schemas[f"Gegevens{naam}"]
        assert gegevens["additionalProperties"] is False
        velden = {f.name for f in dataclasses.fields(cls)} - {
            "id",
            "geldig_vanaf",
            "geregistreerd_op",
        }
        if soort in {FeitSoort.INSCHRIJVING, FeitSoort.UITSCHRIJVING, FeitSoort.PLAATSING}:
            velden.discard("vestiging")  # the request's `schoolId`
        camel = {
            v.split("_")[0] + "".join(p.capitalize() for p in v.split("_")[1:]) for v in velden
        }
        assert set(gegevens["properties"]) == camel
    assert schemas["GegevensVerzuimuren"]["properties"]["uren"]["minimum"] == 0
    assert schemas["GegevensVrijstellingVerleend"]["properties"]["grond"] == {
        "$ref": "#/components/schemas/VrijstellingGrond"
    }
    assert "additionalProperties" not in schemas["Gebeurtenis"]["properties"]["gegevens"]
