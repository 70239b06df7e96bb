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


async def test_worklist_shows_the_work_to_do_unless_asked_for_closed_tasks(
    client: AsyncClient, auth: FakeAuthenticator, uow: UnitOfWork, swv_a: Swv
) -> None:
    """Decision 51: without `status` only gepland, open and te-laat, counted in the total;
    `status=afgerond` shows a closed task; `status` repeated with all five states, every task;
    a state not in the contract is a 400 that does not echo it."""
    await taken.genereer_taken(uow, date(2026, 11, 10))
    begeleider = auth.headers(swv_a.actor(Rol.BEGELEIDER))
    op = {"op": "2026-11-10"}
    voor = (await client.get("/v1/taken", params=op, headers=begeleider)).json()
    taak_id = voor["data"][0]["id"]
    etag = (await client.get(f"/v1/taken/{taak_id}", headers=begeleider)).headers["etag"]
    klaar = await client.post(
        f"/v1/taken/{taak_id}/afsluitingen",
        json={"actie": "afronden", "toelichting": "Gebeld"},
        headers={**begeleider, "If-Match": etag},
    )
    assert klaar.status_code == 200, klaar.text

    standaard = await client.get("/v1/taken", params=op, headers=begeleider)
    assert standaard.status_code == 200, standaard.text
    lijst = standaard.json()
    assert taak_id not in [t["id"] for t in lijst["data"]]
    assert {t["status"] for t in lijst["data"]} <= {"gepland", "open", "te-laat"}
    assert lijst["paginering"]["totaal"] == voor["paginering"]["totaal"] - 1

    afgerond = await client.get(
        "/v1/taken", params={**op, "status": "afgerond"}, headers=begeleider
    )
    assert afgerond.status_code == 200, afgerond.text
    assert [(t["id"], t["status"]) for t in afgerond.json()["data"]] == [(taak_id, "afgerond")]

    alle = ["gepland", "open", "te-laat", "afgerond", "niet-van-toepassing"]
    alles = await client.get("/v1/taken", params={**op, "status": alle}, headers=begeleider)
    assert alles.status_code == 200, alles.text
    assert taak_id in [t["id"] for t in alles.json()["data"]]
    assert alles.json()["paginering"]["totaal"] == voor["paginering"]["totaal"]

    fout = await client.get(
        "/v1/taken", params={**op, "status": ["open", "gesloten-geheim"]}, headers=begeleider
    )
    assert fout.status_code == 400
    assert "gesloten-geheim" not in fout.text
