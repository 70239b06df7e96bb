"""The worklist API: no token 401, out of scope 404, happy path, problems (If-Match, input)."""

from __future__ import annotations

import uuid
from datetime import date

from httpx import AsyncClient

from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services import taken
from tests.builders import FakeAuthenticator, Swv


async def test_worklist_needs_a_token(client: AsyncClient) -> None:
    assert (await client.get("/v1/taken")).status_code == 401
    assert (await client.get(f"/v1/taken/{uuid.uuid4()}")).status_code == 401
    antwoord = await client.post(
        f"/v1/taken/{uuid.uuid4()}/afsluitingen", json={"actie": "afronden", "toelichting": "x"}
    )
    assert antwoord.status_code == 401
    assert (await client.get("/v1/taken-cycli/2026-12-01")).status_code == 401


async def test_worklist_close_and_cycle(
    client: AsyncClient, auth: FakeAuthenticator, uow: UnitOfWork, swv_a: Swv, swv_b: Swv
) -> None:
    """The begeleider's worklist on 10 November; a task closed with If-Match; the cycle."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    begeleider = auth.headers(swv_a.actor(Rol.BEGELEIDER))
    lijst = await client.get(
        "/v1/taken",
        params={"op": "2026-11-10", "vervaltVoor": "2026-12-01", "status": "open"},
        headers=begeleider,
    )
    assert lijst.status_code == 200, lijst.text
    navraag = [t for t in lijst.json()["data"] if t["code"] == "navraag"]
    assert sorted(t["schoolId"] for t in navraag) == sorted(str(s) for s in swv_a.scholen)
    assert "Link" in lijst.headers

    taak_id = navraag[0]["id"]
    een = await client.get(f"/v1/taken/{taak_id}", headers=begeleider)
    assert een.status_code == 200
    etag = een.headers["etag"]
    zonder = await client.post(
        f"/v1/taken/{taak_id}/afsluitingen",
        json={"actie": "afronden", "toelichting": "Geen thuiszitters"},
        headers=begeleider,
    )
    assert zonder.status_code == 428
    onbekend_veld = await client.post(
        f"/v1/taken/{taak_id}/afsluitingen",
        json={"actie": "afronden", "toelichting": "x", "geheim": "Jan"},
        headers={**begeleider, "If-Match": etag},
    )
    assert onbekend_veld.status_code == 400
    assert "Jan" not in onbekend_veld.text
    klaar = await client.post(
        f"/v1/taken/{taak_id}/afsluitingen",
        json={"actie": "afronden", "toelichting": "Geen thuiszitters"},
        headers={**begeleider, "If-Match": etag},
    )
    assert klaar.status_code == 200, klaar.text
    assert klaar.json()["status"] == "afgerond"
    nog_eens = await client.post(
        f"/v1/taken/{taak_id}/afsluitingen",
        json={"actie": "afronden", "toelichting": "x"},
        headers={**begeleider, "If-Match": klaar.headers["etag"]},
    )
    assert nog_eens.status_code == 409

    cyclus = await client.get(
        "/v1/taken-cycli/2026-12-01", params={"op": "2026-11-10"}, headers=begeleider
    )
    assert cyclus.status_code == 200
    stappen = {s["code"]: s for s in cyclus.json()["stappen"]}
    assert stappen["navraag"]["afgerond"] == 1

    # Out of scope: another SWV's begeleider, a school of another vestiging: 404 as missing.
    ander = auth.headers(swv_b.actor(Rol.BEGELEIDER))
    assert (await client.get(f"/v1/taken/{taak_id}", headers=ander)).status_code == 404
    assert (await client.get(f"/v1/taken/{uuid.uuid4()}", headers=begeleider)).status_code == 404


async def test_roles_without_children_have_no_worklist(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    assert (await client.get("/v1/taken", headers=fg)).status_code == 403
    school = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    assert (await client.get("/v1/taken-cycli/2026-12-01", headers=school)).status_code == 403
    assert (
        await client.get("/v1/taken", params={"status": "x"}, headers=school)
    ).status_code == 400
