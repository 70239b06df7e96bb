"""SWV settings: policies as values, changed with If-Match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.api.test_leerlingen import ingeschreven, meld
from tests.builders import FakeAuthenticator, Swv


async def test_rule_13_the_swv_profile_changes_its_own_list_not_the_national_one(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    current = await client.get("/v1/instellingen", headers=beheerder)
    assert current.status_code == 200
    assert current.json()["weektelling"] == "kalenderdagen"
    assert current.json()["b2NaDagen"] == 28
    assert current.json()["profiel"] == ["B2a", "B2b", "B3"]

    leerling = await ingeschreven(client, regisseur, swv_a)
    start = (datetime.now(UTC).date() - timedelta(days=60)).isoformat()
    await meld(client, regisseur, leerling["id"], "ziekmelding", start)
    status = await client.get(f"/v1/leerlingen/{leerling['id']}/status", headers=regisseur)
    assert status.json()["categorie"] == "A1"
    assert status.json()["thuiszitterProfiel"] is False

    no_match = await client.patch("/v1/instellingen", json={"profiel": ["A1"]}, headers=beheerder)
    assert no_match.status_code == 428
    stale = await client.patch(
        "/v1/instellingen", json={"profiel": ["A1"]}, headers={**beheerder, "If-Match": '"999"'}
    )
    assert stale.status_code == 412
    changed = await client.patch(
        "/v1/instellingen",
        json={"profiel": ["A1", "B2a", "B2b", "B3"], "signaalVerzuimNaDagen": 14},
        headers={**beheerder, "If-Match": current.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != current.headers["etag"]
    assert changed.json()["signaalVerzuimNaDagen"] == 14
    status = await client.get(f"/v1/leerlingen/{leerling['id']}/status", headers=regisseur)
    assert status.json()["thuiszitterProfiel"] is True
    assert status.json()["thuiszitterLandelijk"] is False


async def test_identified_mode_needs_a_legal_basis(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    etag = (await client.get("/v1/instellingen", headers=beheerder)).headers["etag"]
    refused = await client.patch(
        "/v1/instellingen",
        json={"privacyModus": "geidentificeerd"},
        headers={**beheerder, "If-Match": etag},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["name"] == "rechtsgrond"
    allowed = await client.patch(
        "/v1/instellingen",
        json={"privacyModus": "geidentificeerd", "rechtsgrond": "Fictieve grondslag voor de test"},
        headers={**beheerder, "If-Match": etag},
    )
    assert allowed.status_code == 200
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    assert (await client.get("/v1/instellingen", headers=regisseur)).status_code == 403


async def test_peildata_are_a_setting_per_swv(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    current = await client.get("/v1/instellingen", headers=beheerder)
    assert current.json()["peildata"] == ["12-01", "03-01", "06-01", "09-01"]
    assert current.json()["leverdag"] == 15
    invalid = await client.patch(
        "/v1/instellingen",
        json={"peildata": ["02-30"]},
        headers={**beheerder, "If-Match": current.headers["etag"]},
    )
    assert invalid.status_code == 400
    changed = await client.patch(
        "/v1/instellingen",
        json={"peildata": ["01-15", "07-01"], "leverdag": 20},
        headers={**beheerder, "If-Match": current.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["peildata"] == ["01-15", "07-01"]
    jaar = datetime.now(UTC).year + 1
    on_own = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": f"{jaar}-01-15"}, headers=regisseur
    )
    assert on_own.status_code == 201, on_own.text
    on_default = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": f"{jaar}-03-01"}, headers=regisseur
    )
    assert on_default.status_code == 400


async def test_rule_4_a_jeugdarts_verdict_needs_a_designation_unless_the_swv_sets_otherwise(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    vandaag = datetime.now(UTC).date()

    def dag(offset: int) -> str:
        return (vandaag + timedelta(days=offset)).isoformat()

    aangemerkt = await ingeschreven(client, regisseur, swv_a)
    alleen_oordeel = await ingeschreven(client, regisseur, swv_a)
    for leerling in (aangemerkt, alleen_oordeel):
        await meld(client, regisseur, leerling["id"], "ziekmelding", dag(-60))
        oordeel = await meld(
            client,
            regisseur,
            leerling["id"],
            "jeugdarts-oordeel",
            dag(-40),
            gegevens={"belastbaarheid": "gedeeltelijk"},
            namens="jeugdarts",
        )
        assert oordeel.status_code == 201, oordeel.text
    aanmerking = await meld(
        client,
        regisseur,
        aangemerkt["id"],
        "ongeoorloofd-aangemerkt",
        dag(-35),
        namens="leerplicht",
    )
    assert aanmerking.status_code == 201, aanmerking.text

    async def categorie(leerling: dict[str, str]) -> str:
        pad = f"/v1/leerlingen/{leerling['id']}/status"
        return str((await client.get(pad, headers=regisseur)).json()["categorie"])

    assert await categorie(aangemerkt) == "B2a"  # 36 days unexcused since the designation
    assert await categorie(alleen_oordeel) == "A1"  # the verdict alone: still excused

    current = await client.get("/v1/instellingen", headers=beheerder)
    assert current.json()["jeugdartsOordeelMaaktOngeoorloofd"] is False
    changed = await client.patch(
        "/v1/instellingen",
        json={"jeugdartsOordeelMaaktOngeoorloofd": True},
        headers={**beheerder, "If-Match": current.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["jeugdartsOordeelMaaktOngeoorloofd"] is True
    assert await categorie(alleen_oordeel) == "B2a"


async def test_who_holds_doorzettingsmacht_and_the_default_term_are_settings(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """The Inspectie asks every SWV who holds doorzettingsmacht; the protocol names the
    directeur (the default); the 28-day default term of an agreement is a choice."""
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    current = await client.get("/v1/instellingen", headers=beheerder)
    assert current.json()["doorzettingsmachtBij"] == "directeur-swv"
    assert current.json()["afspraakTermijnDagen"] == 28
    changed = await client.patch(
        "/v1/instellingen",
        json={"doorzettingsmachtBij": "bestuur-swv", "afspraakTermijnDagen": 14},
        headers={**beheerder, "If-Match": current.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["doorzettingsmachtBij"] == "bestuur-swv"
    assert changed.json()["afspraakTermijnDagen"] == 14
    invalid = await client.patch(
        "/v1/instellingen",
        json={"doorzettingsmachtBij": "niemand", "afspraakTermijnDagen": 0},
        headers={**beheerder, "If-Match": changed.headers["etag"]},
    )
    assert invalid.status_code == 400
    assert len(invalid.json()["errors"]) == 2
