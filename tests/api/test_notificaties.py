"""The change feed and webhook subscriptions: 401, scope, happy path, problems."""

from __future__ import annotations

import uuid

from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.api.test_leerlingen import ingeschreven
from tests.builders import FakeAuthenticator, Swv


async def test_feed_and_subscriptions_need_a_token(client: AsyncClient) -> None:
    assert (await client.get("/v1/notificaties")).status_code == 401
    assert (await client.get("/v1/abonnementen")).status_code == 401
    assert (await client.post("/v1/abonnementen", json={"url": "x"})).status_code == 401
    assert (await client.get(f"/v1/abonnementen/{uuid.uuid4()}")).status_code == 401


async def test_feed_shows_the_callers_events(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    await ingeschreven(client, regisseur, swv_a)
    feed = await client.get("/v1/notificaties", headers=regisseur)
    assert feed.status_code == 200, feed.text
    ongeldig = await client.get("/v1/notificaties", params={"vanaf": "@@"}, headers=regisseur)
    assert ongeldig.status_code == 400
    assert "@@" not in ongeldig.text
    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    assert (await client.get("/v1/notificaties", headers=fg)).status_code == 403


async def test_subscribe_once_with_its_secret_pause_and_scope(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    systeem = swv_a.actor(Rol.LEERPLICHTSYSTEEM, gemeente=0)
    headers = auth.headers(systeem)
    body = {
        "url": "https://leerplicht.example/webhooks",
        "soorten": ["leerling.thuiszitter-gestart"],
        "bronReferentie": "abo-1",
    }
    nieuw = await client.post("/v1/abonnementen", json=body, headers=headers)
    assert nieuw.status_code == 201, nieuw.text
    assert nieuw.json()["geheim"].startswith("whsec_")
    weer = await client.post("/v1/abonnementen", json=body, headers=headers)
    assert weer.status_code == 200
    assert weer.json()["id"] == nieuw.json()["id"]
    assert weer.json()["geheim"] is None
    abo_id = nieuw.json()["id"]

    lijst = await client.get("/v1/abonnementen", headers=headers)
    assert [a["id"] for a in lijst.json()["data"]] == [abo_id]
    een = await client.get(f"/v1/abonnementen/{abo_id}", headers=headers)
    assert een.status_code == 200
    zonder = await client.patch(
        f"/v1/abonnementen/{abo_id}", json={"actief": False}, headers=headers
    )
    assert zonder.status_code == 428
    uit = await client.patch(
        f"/v1/abonnementen/{abo_id}",
        json={"actief": False},
        headers={**headers, "If-Match": een.headers["etag"]},
    )
    assert uit.status_code == 200
    assert uit.json()["actief"] is False

    # Another system (even of the same SWV) does not find it.
    ander = auth.headers(swv_a.actor(Rol.SCHOOLSYSTEEM, school=0))
    assert (await client.get(f"/v1/abonnementen/{abo_id}", headers=ander)).status_code == 404
    # People do not subscribe; unknown kinds and plain http are refused (400, not echoed).
    mens = auth.headers(swv_a.actor(Rol.REGISSEUR))
    assert (await client.post("/v1/abonnementen", json=body, headers=mens)).status_code == 403
    fout = await client.post(
        "/v1/abonnementen",
        json={"url": "http://ergens.example/x", "soorten": ["geheim-soort"]},
        headers=headers,
    )
    assert fout.status_code == 400
    assert len(fout.json()["errors"]) == 2
    assert "geheim-soort" not in fout.text


async def test_only_https_or_loopback_targets(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    headers = auth.headers(swv_a.actor(Rol.SCHOOLSYSTEEM, school=0))
    for url in (
        "http://127.0.0.1.voorbeeld.test/x",
        "https://gebruiker:ww@host.test/x",
        "ftp://host/x",
    ):
        antwoord = await client.post("/v1/abonnementen", json={"url": url}, headers=headers)
        assert antwoord.status_code == 400, url
    goed = await client.post(
        "/v1/abonnementen", json={"url": "http://127.0.0.1:9/hook"}, headers=headers
    )
    assert goed.status_code == 201
