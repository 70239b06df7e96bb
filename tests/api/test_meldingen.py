"""Workflow meldingen over HTTP against PostgreSQL: a school system reports, the facts follow in
the same transaction, a resend changes nothing, the regisseur takes it in; scope per role."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.organisaties import SwvRow
from app.domain.toegang import Rol
from tests.api.test_leerlingen import meld, registreer
from tests.builders import FakeAuthenticator, Swv

BSN = "111222333"  # fictitious, passes the elfproef


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


@pytest.fixture
def systeem(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.SCHOOLSYSTEEM, school=0))


async def leerling_op_school(
    client: AsyncClient, headers: dict[str, str], swv: Swv, school: int = 0, **extra: Any
) -> str:
    """A child enrolled at the school since 2025-08-25 (synthetic)."""
    leerling = await registreer(client, headers, swv, schoolId=str(swv.scholen[school]), **extra)
    response = await meld(
        client,
        headers,
        leerling["id"],
        "inschrijving",
        "2025-08-25",
        schoolId=str(swv.scholen[school]),
    )
    assert response.status_code == 201, response.text
    return str(leerling["id"])


def beperkt(leerling_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "soort": "beperkt",
        "leerlingId": leerling_id,
        "aard": "ongeoorloofd",
        "verzuimBegin": "2026-09-14",
        **extra,
    }


async def test_a_school_system_reports_and_the_child_is_b2a_after_4_weeks(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    body = beperkt(leerling_id, bronReferentie="DD-1", aanleiding="Synthetische aanleiding")
    response = await client.post("/v1/meldingen", json=body, headers=systeem)
    assert response.status_code == 201, response.text
    melding = response.json()
    assert melding["status"] == "ontvangen"
    assert melding["schoolId"] == str(swv_a.scholen[0])
    assert len(melding["feitIds"]) == 1
    assert response.headers["location"] == f"/v1/meldingen/{melding['id']}"
    status = await client.get(
        f"/v1/leerlingen/{leerling_id}/status",
        params={"peildatum": "2026-10-12"},
        headers=regisseur,
    )
    assert status.json()["categorie"] == "B2a"
    assert status.json()["thuiszitterLandelijk"] is True

    again = await client.post("/v1/meldingen", json=body, headers=systeem)
    assert again.status_code == 200
    assert again.json()["id"] == melding["id"]
    history = await client.get(f"/v1/leerlingen/{leerling_id}/gebeurtenissen", headers=regisseur)
    assert [g["soort"] for g in history.json()["data"]] == ["inschrijving", "verzuim-gestart"]
    inbox = await client.get("/v1/meldingen", headers=regisseur)
    assert [m["id"] for m in inbox.json()["data"]] == [melding["id"]]


async def test_the_same_bron_referentie_for_another_child_is_a_conflict(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    eerste = await leerling_op_school(client, regisseur, swv_a)
    tweede = await leerling_op_school(client, regisseur, swv_a)
    ok = await client.post(
        "/v1/meldingen", json=beperkt(eerste, bronReferentie="DD-2"), headers=systeem
    )
    assert ok.status_code == 201
    other = await client.post(
        "/v1/meldingen", json=beperkt(tweede, bronReferentie="DD-2"), headers=systeem
    )
    assert other.status_code == 409


async def test_an_end_appends_verzuim_beeindigd_and_sickness_a_ziekmelding(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    met_einde = beperkt(leerling_id, verzuimEinde="2026-09-30")
    assert (await client.post("/v1/meldingen", json=met_einde, headers=systeem)).status_code == 201
    ziek = {**beperkt(leerling_id, verzuimBegin="2026-11-02"), "aard": "geoorloofd-ziek"}
    assert (await client.post("/v1/meldingen", json=ziek, headers=systeem)).status_code == 201
    history = await client.get(f"/v1/leerlingen/{leerling_id}/gebeurtenissen", headers=regisseur)
    assert [g["soort"] for g in history.json()["data"]] == [
        "inschrijving",
        "verzuim-gestart",
        "verzuim-beeindigd",
        "ziekmelding",
    ]


async def test_onbepaald_leaves_the_national_status_alone_until_corrected(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    body = {**beperkt(leerling_id), "aard": "onbepaald"}
    response = await client.post("/v1/meldingen", json=body, headers=systeem)
    assert response.status_code == 201, response.text
    url = f"/v1/leerlingen/{leerling_id}/status"
    peil = {"peildatum": "2026-10-12"}
    before = await client.get(url, params=peil, headers=regisseur)
    assert before.json()["categorie"] == "geen"
    assert before.json()["thuiszitterLandelijk"] is False
    history = await client.get(f"/v1/leerlingen/{leerling_id}/gebeurtenissen", headers=regisseur)
    gemeld = history.json()["data"][-1]
    assert gemeld["soort"] == "verzuim-gemeld"
    known_then = gemeld["geregistreerdOp"]
    correctie = await meld(
        client,
        regisseur,
        leerling_id,
        "correctie",
        "2026-09-14",
        gegevens={
            "betreft": gemeld["id"],
            "reden": "aard vastgesteld: ongeoorloofd",
            "vervanging": {
                "soort": "verzuim-gestart",
                "id": str(uuid.uuid4()),
                "geldigVanaf": "2026-09-14",
                "geregistreerdOp": known_then,
            },
        },
    )
    assert correctie.status_code == 201, correctie.text
    now = await client.get(url, params=peil, headers=regisseur)
    assert now.json()["categorie"] == "B2a"
    then = await client.get(url, params={**peil, "bekendOp": known_then}, headers=regisseur)
    assert then.json()["categorie"] == "geen"


async def test_verzuim_gemeld_counts_in_a_profile_that_asks_for_it(
    client: AsyncClient,
    regisseur: dict[str, str],
    systeem: dict[str, str],
    swv_a: Swv,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker(info={"swv_id": "*"}) as session:
        await session.execute(
            update(SwvRow).where(SwvRow.id == swv_a.id).values(beleid={"verzuim_gemeld_telt": True})
        )
        await session.commit()
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    body = {**beperkt(leerling_id), "aard": "onbepaald"}
    assert (await client.post("/v1/meldingen", json=body, headers=systeem)).status_code == 201
    status = await client.get(
        f"/v1/leerlingen/{leerling_id}/status",
        params={"peildatum": "2026-10-12"},
        headers=regisseur,
    )
    assert status.json()["thuiszitterLandelijk"] is False
    assert status.json()["thuiszitterProfiel"] is True


async def test_invalid_melding_lists_every_error_without_values(
    client: AsyncClient, systeem: dict[str, str], swv_a: Swv
) -> None:
    response = await client.post(
        "/v1/meldingen",
        json={"soort": "beperkt", "leerlingId": str(uuid.uuid4()), "verzuimEinde": "2026-01-01"},
        headers=systeem,
    )
    assert response.status_code == 400
    namen = {e["name"] for e in response.json()["errors"]}
    assert {"verzuimBegin", "aard", "verzuimEinde"} <= namen
    assert "2026-01-01" not in response.text


async def test_no_token_is_401(client: AsyncClient) -> None:
    assert (await client.get("/v1/meldingen")).status_code == 401
    assert (await client.post("/v1/meldingen", json={})).status_code == 401
    assert (await client.get(f"/v1/meldingen/{uuid.uuid4()}")).status_code == 401


async def test_inline_child_in_pseudonymous_mode_refuses_identity(
    client: AsyncClient, systeem: dict[str, str], swv_a: Swv
) -> None:
    kind = {"pseudoniem": "261901", "geboortejaar": 2014, "geboortemaand": 3, "regio": "midden"}
    body = {
        "soort": "dreigend",
        "leerling": {**kind, "identiteit": {"naam": "Fictief Kind"}},
        "aanleiding": "Synthetisch",
    }
    refused = await client.post("/v1/meldingen", json=body, headers=systeem)
    assert refused.status_code == 400
    assert "Fictief" not in refused.text
    assert refused.json()["errors"][0]["name"] == "leerling.identiteit"
    ok = await client.post("/v1/meldingen", json={**body, "leerling": kind}, headers=systeem)
    assert ok.status_code == 201, ok.text


async def test_identified_mode_takes_name_but_bsn_only_with_a_legal_basis(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_b: Swv,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker(info={"swv_id": "*"}) as session:
        await session.execute(
            update(SwvRow)
            .where(SwvRow.id == swv_b.id)
            .values(privacy_modus="geidentificeerd", rechtsgrond="Testgrondslag (fictief)")
        )
        await session.commit()
    school = auth.headers(swv_b.actor(Rol.SCHOOLMEDEWERKER, school=0))
    kind = {"pseudoniem": "261902", "geboortejaar": 2014, "geboortemaand": 3, "regio": "midden"}
    met_bsn = {
        "soort": "dreigend",
        "leerling": {**kind, "identiteit": {"naam": "Fictief Kind", "bsn": BSN}},
    }
    refused = await client.post("/v1/meldingen", json=met_bsn, headers=school)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["name"] == "leerling.identiteit.bsn"
    assert BSN not in refused.text
    zonder = {"soort": "dreigend", "leerling": {**kind, "identiteit": {"naam": "Fictief Kind"}}}
    ok = await client.post("/v1/meldingen", json=zonder, headers=school)
    assert ok.status_code == 201, ok.text
    regisseur = auth.headers(swv_b.actor(Rol.REGISSEUR))
    leerling = await client.get(f"/v1/leerlingen/{ok.json()['leerlingId']}", headers=regisseur)
    assert leerling.json()["identiteit"]["naam"] == "Fictief Kind"


async def test_scope_school_sees_its_own_vestiging_leerplicht_its_gemeente(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv, swv_b: Swv
) -> None:
    eigen = await leerling_op_school(
        client, regisseur, swv_a, 0, woongemeente=swv_a.gemeente_codes[0]
    )
    andere = await leerling_op_school(
        client, regisseur, swv_a, 1, woongemeente=swv_a.gemeente_codes[1]
    )
    school0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    school1 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    m0 = await client.post("/v1/meldingen", json=beperkt(eigen), headers=school0)
    m1 = await client.post("/v1/meldingen", json=beperkt(andere), headers=school1)
    assert m0.status_code == m1.status_code == 201
    id0, id1 = m0.json()["id"], m1.json()["id"]
    lijst = await client.get("/v1/meldingen", headers=school0)
    assert [m["id"] for m in lijst.json()["data"]] == [id0]
    assert (await client.get(f"/v1/meldingen/{id1}", headers=school0)).status_code == 404
    missing = await client.get(f"/v1/meldingen/{uuid.uuid4()}", headers=school0)
    hidden = await client.get(f"/v1/meldingen/{id1}", headers=school0)
    assert missing.json()["detail"] == hidden.json()["detail"]
    leerplicht = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1))
    lijst = await client.get("/v1/meldingen", headers=leerplicht)
    assert [m["id"] for m in lijst.json()["data"]] == [id1]
    assert (await client.get(f"/v1/meldingen/{id0}", headers=leerplicht)).status_code == 404
    other_swv = auth.headers(swv_b.actor(Rol.REGISSEUR))
    assert (await client.get(f"/v1/meldingen/{id0}", headers=other_swv)).status_code == 404
    other_school = await client.post("/v1/meldingen", json=beperkt(andere), headers=school0)
    assert other_school.status_code == 400


async def test_regisseur_assigns_registers_and_closes_with_a_reason(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    created = await client.post("/v1/meldingen", json=beperkt(leerling_id), headers=systeem)
    url = f"/v1/meldingen/{created.json()['id']}"
    stappen = f"{url}/stappen"
    no_match = await client.post(
        stappen, json={"actie": "toewijzen", "toegewezenAan": "r1"}, headers=regisseur
    )
    assert no_match.status_code == 428
    etag = created.headers["etag"]
    stale = await client.post(
        stappen,
        json={"actie": "toewijzen", "toegewezenAan": "r1"},
        headers={**regisseur, "If-Match": '"x-1"'},
    )
    assert stale.status_code == 412
    school = await client.post(
        stappen,
        json={"actie": "toewijzen", "toegewezenAan": "r1"},
        headers={**systeem, "If-Match": etag},
    )
    assert school.status_code == 403
    too_early = await client.post(
        stappen, json={"actie": "registreren"}, headers={**regisseur, "If-Match": etag}
    )
    assert too_early.status_code == 409
    assigned = await client.post(
        stappen,
        json={"actie": "toewijzen", "toegewezenAan": "r1"},
        headers={**regisseur, "If-Match": etag},
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["status"] == "toegewezen"
    assert assigned.json()["contactUiterlijk"] is not None
    inbox = await client.get(
        "/v1/meldingen", params={"toegewezenAan": "r1", "status": "toegewezen"}, headers=regisseur
    )
    assert inbox.json()["paginering"]["totaal"] == 1
    case = await client.post(
        stappen,
        json={"actie": "casus-openen"},
        headers={**regisseur, "If-Match": assigned.headers["etag"]},
    )
    assert case.status_code == 409
    registered = await client.post(
        stappen,
        json={"actie": "registreren"},
        headers={**regisseur, "If-Match": assigned.headers["etag"]},
    )
    assert registered.json()["status"] == "geregistreerd"
    no_reason = await client.post(
        stappen,
        json={"actie": "afsluiten"},
        headers={**regisseur, "If-Match": registered.headers["etag"]},
    )
    assert no_reason.status_code == 409
    closed = await client.post(
        stappen,
        json={"actie": "afsluiten", "reden": "schoolgang-hersteld"},
        headers={**regisseur, "If-Match": registered.headers["etag"]},
    )
    assert closed.json()["status"] == "afgesloten"
    detail = await client.get(url, headers=regisseur)
    assert [o["naar"] for o in detail.json()["geschiedenis"]] == [
        "ontvangen",
        "toegewezen",
        "geregistreerd",
        "afgesloten",
    ]


async def test_an_uitgebreide_melding_opens_a_case(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    body = {
        "soort": "uitgebreid",
        "leerlingId": leerling_id,
        "gevraagdeActies": ["doorbraakoverleg"],
        "korteBeschrijving": "Synthetische beschrijving",
    }
    created = await client.post("/v1/meldingen", json=body, headers=systeem)
    assert created.status_code == 201, created.text
    url = f"/v1/meldingen/{created.json()['id']}/stappen"
    assigned = await client.post(
        url,
        json={"actie": "toewijzen", "toegewezenAan": "r1"},
        headers={**regisseur, "If-Match": created.headers["etag"]},
    )
    opened = await client.post(
        url,
        json={"actie": "casus-openen"},
        headers={**regisseur, "If-Match": assigned.headers["etag"]},
    )
    assert opened.status_code == 200, opened.text
    casus_id = opened.json()["casusId"]
    casus = await client.get(f"/v1/casussen/{casus_id}", headers=systeem)
    assert casus.status_code == 200
    assert casus.json()["coordinatie"] == "school"
    assert casus.json()["meldingId"] == created.json()["id"]


async def test_melding_te_laat_signals_day_29_without_a_melding(
    client: AsyncClient, regisseur: dict[str, str], systeem: dict[str, str], swv_a: Swv
) -> None:
    stil = await leerling_op_school(client, regisseur, swv_a)
    gemeld = await leerling_op_school(client, regisseur, swv_a)
    assert (await meld(client, regisseur, stil, "verzuim-gestart", "2026-09-14")).status_code == 201
    assert (
        await client.post("/v1/meldingen", json=beperkt(gemeld), headers=systeem)
    ).status_code == 201
    early = await client.get(
        "/v1/meldingen/te-laat", params={"peildatum": "2026-10-11"}, headers=regisseur
    )
    assert early.json()["data"] == []
    late = await client.get(
        "/v1/meldingen/te-laat", params={"peildatum": "2026-10-12"}, headers=regisseur
    )
    assert [(r["leerlingId"], r["dag"]) for r in late.json()["data"]] == [(stil, 29)]


async def test_the_settings_of_meldingen_are_swv_settings(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    huidig = await client.get("/v1/instellingen", headers=beheerder)
    assert huidig.json()["meldingContactWerkdagen"] == 5
    assert huidig.json()["verzuimGemeldTelt"] is False
    assert huidig.json()["bsnRechtsgrond"] is None
    geweigerd = await client.patch(
        "/v1/instellingen",
        json={"bsnRechtsgrond": "Fictieve wettelijke grondslag"},
        headers={**beheerder, "If-Match": huidig.headers["etag"]},
    )
    assert geweigerd.status_code == 400
    gewijzigd = await client.patch(
        "/v1/instellingen",
        json={"meldingContactWerkdagen": 3, "verzuimGemeldTelt": True},
        headers={**beheerder, "If-Match": huidig.headers["etag"]},
    )
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.json()["meldingContactWerkdagen"] == 3
    assert gewijzigd.json()["verzuimGemeldTelt"] is True


async def test_leerplicht_reports_for_its_own_gemeente(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    leerplicht = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    kind = {"pseudoniem": "261903", "geboortejaar": 2013, "geboortemaand": 5, "regio": "zuid"}
    eigen = {"soort": "dreigend", "leerling": {**kind, "woongemeente": swv_a.gemeente_codes[0]}}
    created = await client.post("/v1/meldingen", json=eigen, headers=leerplicht)
    assert created.status_code == 201, created.text
    assert created.json()["schoolId"] is None
    seen = await client.get(f"/v1/meldingen/{created.json()['id']}", headers=leerplicht)
    assert seen.status_code == 200
    andere = {
        "soort": "dreigend",
        "leerling": {**kind, "pseudoniem": "261904", "woongemeente": swv_a.gemeente_codes[1]},
    }
    refused = await client.post("/v1/meldingen", json=andere, headers=leerplicht)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["name"] == "leerling.woongemeente"


async def test_a_role_that_registers_no_children_names_an_existing_one(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    begeleider = auth.headers(swv_a.actor(Rol.BEGELEIDER))
    kind = {"pseudoniem": "261905", "geboortejaar": 2013, "geboortemaand": 5, "regio": "zuid"}
    response = await client.post(
        "/v1/meldingen", json={"soort": "dreigend", "leerling": kind}, headers=begeleider
    )
    assert response.status_code == 403
    secretariaat = auth.headers(swv_a.actor(Rol.SECRETARIAAT))
    assert (await client.post("/v1/meldingen", json={}, headers=secretariaat)).status_code == 403
