"""AVG rights and retention: inzage export, anonymisation in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services.privacy import anonimiseer_verlopen, vergeet_idempotentie
from tests.api.test_leerlingen import dag, ingeschreven, meld
from tests.builders import FakeAuthenticator, Swv


async def test_inzage_holds_everything_on_the_child_including_who_accessed_it(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, leerling["id"], "verzuim-gestart", dag(-10))
    response = await client.get(f"/v1/leerlingen/{leerling['id']}/inzage", headers=regisseur)
    assert response.status_code == 200
    body = response.json()
    assert body["leerling"]["pseudoniem"] == leerling["pseudoniem"]
    assert [g["soort"] for g in body["gebeurtenissen"]] == ["inschrijving", "verzuim-gestart"]
    assert body["status"]["categorie"] == "B1"
    assert {"feit:melden", "leerling:registreren"} <= {t["handeling"] for t in body["toegang"]}
    assert body["escalaties"] == []
    escalatie = await client.post(
        "/v1/escalaties",
        json={"leerlingId": leerling["id"], "aanleiding": "verzoek-leerplicht"},
        headers=regisseur,
    )
    assert escalatie.status_code == 201
    response = await client.get(f"/v1/leerlingen/{leerling['id']}/inzage", headers=regisseur)
    escalaties = response.json()["escalaties"]
    assert [e["id"] for e in escalaties] == [escalatie.json()["id"]]
    assert [s["soort"] for s in escalaties[0]["stappen"]] == ["gemeld"], "with its history"
    begeleider = auth.headers(swv_a.actor(Rol.BEGELEIDER))
    denied = await client.get(f"/v1/leerlingen/{leerling['id']}/inzage", headers=begeleider)
    assert denied.status_code == 403


async def test_inzage_is_one_transaction_with_one_audit_row(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """The export reads facts and status in one transaction: one audit row per export."""
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling = await ingeschreven(client, regisseur, swv_a)
    response = await client.get(f"/v1/leerlingen/{leerling['id']}/inzage", headers=regisseur)
    assert response.status_code == 200
    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    rows = (
        await client.get(
            "/v1/auditregels", params={"leerlingId": leerling["id"], "pageSize": 100}, headers=fg
        )
    ).json()["data"]
    exports = [r for r in rows if r["route"] == "GET /leerlingen/{leerlingId}/inzage"]
    assert len(exports) == 1


async def test_closed_records_are_anonymised_after_the_retention_period(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    afgesloten = await ingeschreven(client, regisseur, swv_a)
    await meld(
        client,
        regisseur,
        afgesloten["id"],
        "administratieve-onvolkomenheid",
        dag(-30),
        gegevens={"totEnMet": dag(-29), "toelichting": "Gesproken met Jan Jansen"},
    )
    terug = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, terug["id"], "verzuim-gestart", dag(-60))
    await meld(
        client,
        regisseur,
        terug["id"],
        "verzuim-beeindigd",
        dag(-50),
        gegevens={"reden": "schoolgang-hersteld"},
        bronReferentie="Digidoor dossier Fictief 42",
    )
    thuis = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, thuis["id"], "verzuim-gestart", dag(-10))
    escalatie = await client.post(
        "/v1/escalaties",
        json={
            "leerlingId": afgesloten["id"],
            "aanleiding": "melding-begeleider",
            "gemeldOp": dag(-30),
            "toelichting": "Vader Piet Pietersen belde",
            "bronReferentie": "Escalatie Fictief 7",
        },
        headers=regisseur,
    )
    assert escalatie.status_code == 201, escalatie.text

    now = datetime.now(UTC)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=now) == 0
    later = now + timedelta(days=3 * 366)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=later) >= 1

    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    rows = {
        r.id: r
        for r in (
            await connection.execute(
                text("SELECT id::text AS id, pseudoniem, geanonimiseerd_op FROM leerlingen")
            )
        ).all()
    }
    assert rows[afgesloten["id"]].pseudoniem.startswith("anon-")
    assert rows[afgesloten["id"]].geanonimiseerd_op is not None
    assert rows[thuis["id"]].pseudoniem == thuis["pseudoniem"], "still a thuiszitter: kept"
    payloads = " ".join(
        (await connection.execute(text("SELECT payload::text FROM feiten"))).scalars()
    )
    assert "Jan Jansen" not in payloads
    escalaties = " ".join(
        (
            await connection.execute(
                text(
                    "SELECT concat(e.bron_referentie, s.toelichting::text, s.bron_referentie) "
                    "FROM escalaties e JOIN escalatie_stappen s ON s.escalatie_id = e.id"
                )
            )
        ).scalars()
    )
    assert "Pietersen" not in escalaties, "an escalation's free text is blanked too"
    assert "Fictief 7" not in escalaties
    nog = await client.get(f"/v1/escalaties/{escalatie.json()['id']}", headers=regisseur)
    assert nog.json()["status"] == "gemeld-bij-directeur", "the escalation itself stays"
    history = await client.get(f"/v1/leerlingen/{afgesloten['id']}/feiten", headers=regisseur)
    assert [g["soort"] for g in history.json()["data"]] == [
        "inschrijving",
        "administratieve-onvolkomenheid",
    ], "the register stays countable"


async def test_old_idempotency_answers_are_forgotten(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, uow: UnitOfWork
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling = await ingeschreven(client, regisseur, swv_a)
    headers = {**regisseur, "Idempotency-Key": "vergeet-mij"}
    url = f"/v1/leerlingen/{leerling['id']}/feiten"
    first = await client.post(
        url, json={"soort": "ziekmelding", "geldigVanaf": dag(-1)}, headers=headers
    )
    assert first.status_code == 201
    assert await vergeet_idempotentie(uow, uren=24) == 0
    assert await vergeet_idempotentie(uow, uren=0) >= 1
    again = await client.post(
        url, json={"soort": "ziekmelding", "geldigVanaf": dag(-2)}, headers=headers
    )
    assert again.status_code == 201, "the key is free again after it was forgotten"
