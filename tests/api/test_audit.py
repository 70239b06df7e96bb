"""The audit log: every read and change of a child's data, every denial."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.audit import AuditRepository
from app.domain.toegang import Rol
from tests.api.test_leerlingen import ingeschreven, meld
from tests.builders import FakeAuthenticator, Swv


async def test_reads_changes_and_denials_are_audited_and_searchable_by_the_fg(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, swv_b: Swv
) -> None:
    regisseur_actor = swv_a.actor(Rol.REGISSEUR)
    regisseur = auth.headers(regisseur_actor)
    leerling = await ingeschreven(client, regisseur, swv_a)
    await client.get(f"/v1/leerlingen/{leerling['id']}/status", headers=regisseur)
    await client.get(f"/v1/leerlingen/{leerling['id']}/inschrijvingen", headers=regisseur)
    school_1 = swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1)
    await client.get(f"/v1/leerlingen/{leerling['id']}", headers=auth.headers(school_1))
    beheerder = swv_a.actor(Rol.BEHEERDER)
    await client.get("/v1/leerlingen", headers=auth.headers(beheerder))

    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    response = await client.get(
        "/v1/auditregels", params={"leerlingId": leerling["id"], "pageSize": 100}, headers=fg
    )
    assert response.status_code == 200
    rows = response.json()["data"]
    by_outcome = {(r["actorId"], r["handeling"], r["resultaat"]) for r in rows}
    assert (regisseur_actor.id, "leerling:lezen", "toegestaan") in by_outcome
    assert (regisseur_actor.id, "feit:melden", "toegestaan") in by_outcome
    routes = {r["route"] for r in rows}
    assert "GET /leerlingen/{leerlingId}/inschrijvingen" in routes, "period reads are audited"
    assert (school_1.id, "leerling:lezen", "niet-gevonden") in by_outcome
    assert all(r["requestId"] for r in rows)
    await client.get("/v1/leerlingen", headers=regisseur)
    shown = await client.get(
        "/v1/auditregels",
        params={"leerlingId": leerling["id"], "handeling": "leerling:lezen", "pageSize": 100},
        headers=fg,
    )
    assert any(
        r["route"] == "GET /leerlingen" and leerling["id"] in r["getoondeLeerlingen"]
        for r in shown.json()["data"]
    ), "a list read is found under each child it showed"
    denied = await client.get("/v1/auditregels", params={"resultaat": "geweigerd"}, headers=fg)
    assert beheerder.id in {r["actorId"] for r in denied.json()["data"]}

    other_fg = auth.headers(swv_b.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    elsewhere = await client.get(
        "/v1/auditregels", params={"leerlingId": leerling["id"]}, headers=other_fg
    )
    assert elsewhere.json()["data"] == []
    assert (await client.get("/v1/auditregels", headers=regisseur)).status_code == 403


async def test_if_the_audit_write_fails_the_request_fails_and_nothing_is_written(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, monkeypatch: pytest.MonkeyPatch
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling = await ingeschreven(client, regisseur, swv_a)

    async def broken(self: AuditRepository, row: object) -> None:
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr(AuditRepository, "schrijf", broken)
    response = await meld(client, regisseur, leerling["id"], "verzuim-gestart", "2026-01-05")
    assert response.status_code == 500
    monkeypatch.undo()
    history = await client.get(f"/v1/leerlingen/{leerling['id']}/feiten", headers=regisseur)
    assert "verzuim-gestart" not in {g["soort"] for g in history.json()["data"]}


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET resultaat = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
async def test_the_application_role_cannot_change_the_audit_log(
    connection: AsyncConnection, statement: str
) -> None:
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    savepoint = await connection.begin_nested()
    with pytest.raises(DBAPIError, match="permission denied"):
        await connection.execute(text(statement))
    await savepoint.rollback()
