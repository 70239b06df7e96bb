"""The register API through HTTP: children, reports, history, status and timeline."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv

VANDAAG = datetime.now(UTC).date()


def dag(offset: int) -> str:
    return (VANDAAG + timedelta(days=offset)).isoformat()


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


async def registreer(
    client: AsyncClient, headers: dict[str, str], swv: Swv, **extra: Any
) -> dict[str, Any]:
    body = {
        "pseudoniem": extra.pop("pseudoniem", f"{uuid.uuid4().int % 10**6:06d}"),
        "geboortejaar": VANDAAG.year - 12,
        "geboortemaand": 3,
        "regio": "midden",
        "schoolId": str(swv.scholen[0]),
        **extra,
    }
    response = await client.post("/v1/leerlingen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def meld(
    client: AsyncClient,
    headers: dict[str, str],
    leerling_id: str,
    soort: str,
    datum: str,
    **kw: Any,
) -> Any:
    body: dict[str, Any] = {"soort": soort, "geldigVanaf": datum, **kw}
    return await client.post(f"/v1/leerlingen/{leerling_id}/feiten", json=body, headers=headers)


async def ingeschreven(
    client: AsyncClient, headers: dict[str, str], swv: Swv, **extra: Any
) -> dict[str, Any]:
    school = extra.get("schoolId", str(swv.scholen[0]))
    leerling = await registreer(client, headers, swv, **extra)
    response = await meld(
        client, headers, leerling["id"], "inschrijving", dag(-400), schoolId=school
    )
    assert response.status_code == 201, response.text
    return leerling


async def test_register_read_and_etag(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await registreer(client, regisseur, swv_a, pseudoniem="231801")
    fetched = await client.get(f"/v1/leerlingen/{leerling['id']}", headers=regisseur)
    assert fetched.status_code == 200
    assert fetched.json()["pseudoniem"] == "231801"
    assert fetched.headers["etag"]
    again = await client.post(
        "/v1/leerlingen",
        json={"pseudoniem": "231801", "geboortejaar": 2014, "geboortemaand": 1, "regio": "noord"},
        headers=regisseur,
    )
    assert again.status_code == 409


async def test_invalid_registration_lists_every_error_and_echoes_nothing(
    client: AsyncClient, regisseur: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/leerlingen",
        json={
            "pseudoniem": "Jan de Vries",
            "geboortejaar": 1850,
            "geboortemaand": 13,
            "regio": "oost",
            "bsn": "123456782",
        },
        headers=regisseur,
    )
    assert response.status_code == 400
    names = {e["name"] for e in response.json()["errors"]}
    # The unknown field is named by where it is (the body): a caller's key is input too.
    assert names == {"pseudoniem", "geboortejaar", "geboortemaand", "regio", "body"}
    for secret in ("Jan de Vries", "123456782", "1850"):
        assert secret not in response.text


async def test_rule_5_unexcused_absence_makes_a_thuiszitter_after_4_weeks(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    start = VANDAAG - timedelta(days=60)
    response = await meld(client, regisseur, leerling["id"], "verzuim-gestart", start.isoformat())
    assert response.status_code == 201
    url = f"/v1/leerlingen/{leerling['id']}/status"
    op_dag_28 = await client.get(
        url, params={"peildatum": (start + timedelta(days=27)).isoformat()}, headers=regisseur
    )
    assert op_dag_28.json()["categorie"] == "B1"
    assert op_dag_28.json()["thuiszitterLandelijk"] is False
    op_dag_29 = await client.get(
        url, params={"peildatum": (start + timedelta(days=28)).isoformat()}, headers=regisseur
    )
    body = op_dag_29.json()
    assert body["categorie"] == "B2a"
    assert body["thuiszitterLandelijk"] is True
    assert body["verklaring"]["regel"]
    assert body["verklaring"]["feitIds"]


async def test_list_of_thuiszitters_on_a_peildatum(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    thuis = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, thuis["id"], "verzuim-gestart", dag(-40))
    naar_school = await ingeschreven(client, regisseur, swv_a)
    response = await client.get(
        "/v1/leerlingen", params={"thuiszitter": "true", "peildatum": dag(0)}, headers=regisseur
    )
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["data"]}
    assert thuis["id"] in ids
    assert naar_school["id"] not in ids
    item = next(i for i in response.json()["data"] if i["id"] == thuis["id"])
    assert item["categorie"] == "B2a"
    by_category = await client.get(
        "/v1/leerlingen", params={"categorie": "B1", "peildatum": dag(-20)}, headers=regisseur
    )
    assert thuis["id"] in {i["id"] for i in by_category.json()["data"]}


async def test_same_bron_referentie_is_the_same_report(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    systeem = auth.headers(swv_a.actor(Rol.SCHOOLSYSTEEM, school=0))
    leerling = await ingeschreven(client, systeem, swv_a)
    first = await meld(
        client, systeem, leerling["id"], "ziekmelding", dag(-3), bronReferentie="DD-1"
    )
    second = await meld(
        client, systeem, leerling["id"], "ziekmelding", dag(-3), bronReferentie="DD-1"
    )
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    history = await client.get(f"/v1/leerlingen/{leerling['id']}/feiten", headers=systeem)
    assert [g["soort"] for g in history.json()["data"]].count("ziekmelding") == 1


async def test_idempotency_key_replays_and_refuses_other_bodies(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    headers = {**regisseur, "Idempotency-Key": "key-123"}
    url = f"/v1/leerlingen/{leerling['id']}/feiten"
    body = {"soort": "verzuim-gestart", "geldigVanaf": dag(-5)}
    first = await client.post(url, json=body, headers=headers)
    retry = await client.post(url, json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    other = await client.post(url, json={**body, "geldigVanaf": dag(-6)}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    history = await client.get(f"/v1/leerlingen/{leerling['id']}/feiten", headers=regisseur)
    assert [g["soort"] for g in history.json()["data"]].count("verzuim-gestart") == 1
    bad_key = await client.post(url, json=body, headers={**regisseur, "Idempotency-Key": "a b"})
    assert bad_key.status_code == 400


async def test_rule_15_correction_is_kept_and_as_known_before_answers_as_before(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    verzuim = await meld(client, regisseur, leerling["id"], "verzuim-gestart", dag(-50))
    url = f"/v1/leerlingen/{leerling['id']}/status"
    before = await client.get(url, headers=regisseur)
    assert before.json()["categorie"] == "B2a"
    history = await client.get(f"/v1/leerlingen/{leerling['id']}/feiten", headers=regisseur)
    known_then = history.json()["data"][-1]["geregistreerdOp"]
    withdrawn = await meld(
        client,
        regisseur,
        leerling["id"],
        "intrekking",
        dag(-50),
        gegevens={"betreft": verzuim.json()["id"], "reden": "de melding was verkeerd gedaan"},
    )
    assert withdrawn.status_code == 201, withdrawn.text
    now = await client.get(url, headers=regisseur)
    assert now.json()["categorie"] == "geen"
    then = await client.get(url, params={"bekendOp": known_then}, headers=regisseur)
    assert then.json()["categorie"] == "B2a"
    soorten = [
        g["soort"]
        for g in (
            await client.get(f"/v1/leerlingen/{leerling['id']}/feiten", headers=regisseur)
        ).json()["data"]
    ]
    assert soorten == ["inschrijving", "verzuim-gestart", "intrekking"]


async def test_invalid_report_lists_every_field_problem(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    url = f"/v1/leerlingen/{leerling['id']}/feiten"
    unknown = await client.post(
        url, json={"soort": "weggelopen", "geldigVanaf": dag(0)}, headers=regisseur
    )
    assert unknown.status_code == 400
    bad = await client.post(
        url,
        json={
            "soort": "ziekmelding",
            "geldigVanaf": dag(500),
            "gegevens": {"doorOuders": "ja", "x": 1},
        },
        headers=regisseur,
    )
    assert bad.status_code == 400
    names = {e["name"] for e in bad.json()["errors"]}
    assert names == {"geldigVanaf", "gegevens.doorOuders", "gegevens.x"}
    dangling = await client.post(
        url,
        json={
            "soort": "intrekking",
            "geldigVanaf": dag(0),
            "gegevens": {"betreft": "nope", "reden": "r"},
        },
        headers=regisseur,
    )
    assert dangling.status_code == 400
    assert dangling.json()["errors"][0]["name"] == "gegevens.betreft"


async def test_rule_11_contradictions_are_accepted_and_flagged(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    response = await meld(
        client,
        regisseur,
        leerling["id"],
        "vrijstelling-verleend",
        dag(-10),
        gegevens={"grond": "art-5-a"},
        namens="leerplicht",
    )
    assert response.status_code == 201
    tijdlijn = await client.get(f"/v1/leerlingen/{leerling['id']}/tijdlijn", headers=regisseur)
    assert tijdlijn.status_code == 200
    assert tijdlijn.json()["dataproblemen"]
    status = await client.get(f"/v1/leerlingen/{leerling['id']}/status", headers=regisseur)
    assert "dataprobleem" in {s["signaal"] for s in status.json()["signalen"]}


async def test_search_is_a_post_body(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await registreer(client, regisseur, swv_a, pseudoniem="771901")
    found = await client.post(
        "/v1/leerlingen/zoeken", json={"pseudoniem": "771901"}, headers=regisseur
    )
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["data"]] == [leerling["id"]]
    none = await client.post(
        "/v1/leerlingen/zoeken", json={"pseudoniem": "000000"}, headers=regisseur
    )
    assert none.json()["data"] == []


async def test_history_is_read_only(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await registreer(client, regisseur, swv_a)
    url = f"/v1/leerlingen/{leerling['id']}/gebeurtenissen"
    assert (await client.post(url, json={}, headers=regisseur)).status_code == 405
    url = f"/v1/leerlingen/{leerling['id']}/feiten"
    assert (await client.put(url, json={}, headers=regisseur)).status_code == 405
    assert (await client.delete(f"{url}/{uuid.uuid4()}", headers=regisseur)).status_code == 405


async def test_scope_school_sees_own_children_only(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, swv_b: Swv
) -> None:
    school_0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    school_1 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    leerling = await registreer(client, school_0, swv_a)
    url = f"/v1/leerlingen/{leerling['id']}"
    assert (await client.get(url, headers=school_0)).status_code == 200
    other_school = await client.get(url, headers=school_1)
    missing = await client.get(f"/v1/leerlingen/{uuid.uuid4()}", headers=school_1)
    assert other_school.status_code == missing.status_code == 404
    assert other_school.json()["detail"] == missing.json()["detail"]
    other_swv = auth.headers(swv_b.actor(Rol.REGISSEUR))
    assert (await client.get(url, headers=other_swv)).status_code == 404
    listed = await client.get("/v1/leerlingen", headers=other_swv)
    assert leerling["id"] not in {i["id"] for i in listed.json()["data"]}
    report = await meld(client, school_1, leerling["id"], "ziekmelding", dag(0))
    assert report.status_code == 404


async def test_scope_leerplicht_sees_children_of_its_gemeente(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling = await registreer(client, regisseur, swv_a, woongemeente=swv_a.gemeente_codes[0])
    eigen = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    andere = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1))
    url = f"/v1/leerlingen/{leerling['id']}"
    assert (await client.get(url, headers=eigen)).status_code == 200
    assert (await client.get(url, headers=andere)).status_code == 404


async def test_roles_without_children_get_403(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    for rol in (Rol.BEHEERDER, Rol.FUNCTIONARIS_GEGEVENSBESCHERMING, Rol.INSPECTIE_EXPORT):
        response = await client.get("/v1/leerlingen", headers=auth.headers(swv_a.actor(rol)))
        assert response.status_code == 403, rol


async def test_no_token_is_401_with_challenge(client: AsyncClient) -> None:
    response = await client.get(f"/v1/leerlingen/{uuid.uuid4()}")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    bad = await client.get("/v1/leerlingen", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401


async def test_classificaties_reference_list(
    client: AsyncClient, regisseur: dict[str, str]
) -> None:
    response = await client.get("/v1/classificaties", headers=regisseur)
    assert response.status_code == 200
    codes = {c["code"]: c for c in response.json()["data"]}
    assert {"A1", "A2a", "B1", "B2a", "B2b", "B3", "C"} <= set(codes)
    assert codes["B3"]["thuiszitterLandelijk"] is True
    assert codes["A1"]["thuiszitterLandelijk"] is False


def test_date_helper_is_relative_to_today() -> None:
    assert date.fromisoformat(dag(1)) - VANDAAG == timedelta(days=1)


async def test_location_of_a_report_points_to_the_recorded_fact(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    created = await meld(client, regisseur, leerling["id"], "ziekmelding", dag(-2))
    fetched = await client.get(created.headers["location"], headers=regisseur)
    assert fetched.status_code == 200
    assert fetched.json() == created.json()
    missing = await client.get(
        f"/v1/leerlingen/{leerling['id']}/feiten/{uuid.uuid4()}", headers=regisseur
    )
    assert missing.status_code == 404


async def test_list_as_known_before_a_withdrawal_answers_as_before(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    verzuim = await meld(client, regisseur, leerling["id"], "verzuim-gestart", dag(-40))
    history = await client.get(f"/v1/leerlingen/{leerling['id']}/feiten", headers=regisseur)
    known_then = history.json()["data"][-1]["geregistreerdOp"]
    await meld(
        client,
        regisseur,
        leerling["id"],
        "intrekking",
        dag(-40),
        gegevens={"betreft": verzuim.json()["id"], "reden": "de melding was verkeerd gedaan"},
    )
    params: dict[str, str] = {"thuiszitter": "true", "pageSize": "100"}
    now = await client.get("/v1/leerlingen", params=params, headers=regisseur)
    assert leerling["id"] not in {i["id"] for i in now.json()["data"]}
    then = await client.get(
        "/v1/leerlingen", params={**params, "bekendOp": known_then}, headers=regisseur
    )
    assert then.status_code == 200
    item = next(i for i in then.json()["data"] if i["id"] == leerling["id"])
    assert item["categorie"] == "B2a"


async def test_rule_17_list_filtered_on_the_dreigend_thuiszitter_signal(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    bijna = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, bijna["id"], "verzuim-gestart", dag(-24))
    al_thuis = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, al_thuis["id"], "verzuim-gestart", dag(-60))
    response = await client.get(
        "/v1/leerlingen",
        params={"signaal": "dreigend-thuiszitter", "pageSize": "100"},
        headers=regisseur,
    )
    assert response.status_code == 200
    ids = {i["id"] for i in response.json()["data"]}
    assert bijna["id"] in ids
    assert al_thuis["id"] not in ids
    bad = await client.get("/v1/leerlingen", params={"signaal": "onzin"}, headers=regisseur)
    assert bad.status_code == 400


async def test_a_school_reports_only_for_its_own_vestiging(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    school_0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    school_1 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    leerling = await registreer(client, school_0, swv_a)
    other = await meld(
        client, school_0, leerling["id"], "inschrijving", dag(-5), schoolId=str(swv_a.scholen[1])
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["name"] == "schoolId"
    assert (
        await client.get(f"/v1/leerlingen/{leerling['id']}", headers=school_1)
    ).status_code == 404
    free_text = await meld(
        client,
        school_0,
        leerling["id"],
        "inschrijving",
        dag(-5),
        gegevens={"vestiging": "Jan Jansen 111222333"},
    )
    assert free_text.status_code == 400
    assert "Jan Jansen" not in free_text.text


@pytest.mark.parametrize("datum", ["9999-12-31", "0001-01-01", "1989-12-31"])
async def test_dates_outside_the_register_are_400_not_500(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, datum: str
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    for url, params in (
        (f"/v1/leerlingen/{leerling['id']}/status", {"peildatum": datum}),
        (f"/v1/leerlingen/{leerling['id']}/tijdlijn", {"tot": datum}),
        ("/v1/leerlingen", {"peildatum": datum, "signaal": "dataprobleem"}),
        ("/v1/rapportages/leerplichtoverleg", {"peildatum": datum}),
    ):
        response = await client.get(url, params=params, headers=regisseur)
        assert response.status_code == 400, (url, response.status_code)


async def test_rule_7_registering_at_a_school_states_nothing_about_enrolment(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await registreer(client, regisseur, swv_a)
    pad = f"/v1/leerlingen/{leerling['id']}/status"
    leeg = (await client.get(pad, headers=regisseur)).json()
    assert leeg["categorie"] == "geen"
    assert [(s["signaal"], s["reden"]) for s in leeg["signalen"]] == [
        ("dataprobleem", "geen feiten bekend")
    ]
    verzuim = await meld(client, regisseur, leerling["id"], "verzuim-gestart", dag(-10))
    assert verzuim.status_code == 201, verzuim.text
    status = (await client.get(pad, headers=regisseur)).json()
    assert status["categorie"] == "B1"  # never B3 without a fact about enrolment
    assert [(s["signaal"], s["reden"], s["feitIds"]) for s in status["signalen"]] == [
        ("dataprobleem", "verzuim zonder bekende inschrijving", [verzuim.json()["id"]])
    ]
    school = str(swv_a.scholen[0])
    await meld(client, regisseur, leerling["id"], "inschrijving", dag(-400), schoolId=school)
    status = (await client.get(pad, headers=regisseur)).json()
    assert (status["categorie"], status["signalen"]) == ("B1", [])


async def test_list_as_a_ui_needs_it_profiel_filter_sorting_and_totals(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The SWV's own definition (regel 13: its profiel) as a filter, sorting on the list's
    columns, and the count per category of the whole filtered list."""
    thuis = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, thuis["id"], "verzuim-gestart", dag(-40))
    ziek = await ingeschreven(client, regisseur, swv_a)
    await meld(client, regisseur, ziek["id"], "ziekmelding", dag(-60))
    naar_school = await ingeschreven(client, regisseur, swv_a)
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    huidig = await client.get("/v1/instellingen", headers=beheerder)
    gewijzigd = await client.patch(
        "/v1/instellingen",
        json={"profiel": ["A1", "B2a", "B2b", "B3"]},
        headers={**beheerder, "If-Match": huidig.headers["etag"]},
    )
    assert gewijzigd.status_code == 200, gewijzigd.text

    async def lijst(**params: str) -> Any:
        response = await client.get(
            "/v1/leerlingen", params={"pageSize": "100", **params}, headers=regisseur
        )
        assert response.status_code == 200, response.text
        return response.json()

    profiel = await lijst(thuiszitterProfiel="true", totalen="true")
    assert {i["id"] for i in profiel["data"]} == {thuis["id"], ziek["id"]}
    assert profiel["totalen"] == {"A1": 1, "B2a": 1}
    landelijk = await lijst(thuiszitter="true")
    assert {i["id"] for i in landelijk["data"]} == {thuis["id"]}
    assert landelijk["totalen"] is None, "totals only when asked (the list is a hot path)"
    alles = await lijst(totalen="true")
    assert sum(alles["totalen"].values()) == alles["paginering"]["totaal"] == 3
    assert naar_school["id"] in {i["id"] for i in alles["data"]}

    oplopend = [i["id"] for i in (await lijst(sorteer="categorie"))["data"]]
    assert oplopend.index(ziek["id"]) < oplopend.index(thuis["id"])
    aflopend = [i["id"] for i in (await lijst(sorteer="-categorie"))["data"]]
    assert aflopend.index(thuis["id"]) < aflopend.index(ziek["id"])
    for kolom in ("pseudoniem", "-pseudoniem", "geboortejaar", "-categorieSinds"):
        assert len((await lijst(sorteer=kolom))["data"]) == 3

    fout = await client.get("/v1/leerlingen", params={"sorteer": "bsn-geheim"}, headers=regisseur)
    assert fout.status_code == 400
    assert "bsn-geheim" not in fout.text
    met_bekend_op = await client.get(
        "/v1/leerlingen",
        params={"sorteer": "-categorie", "bekendOp": "2026-01-01T00:00:00Z"},
        headers=regisseur,
    )
    assert met_bekend_op.status_code == 400


async def test_list_changed_since_a_moment_for_sync(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, connection: AsyncConnection
) -> None:
    """`gewijzigdSinds`: only children registered, given a fact or anonymised since then."""
    stil = await ingeschreven(client, regisseur, swv_a)
    bewogen = await ingeschreven(client, regisseur, swv_a)
    # The register's clock (facts are append-only, so the moment is taken, not made).
    moment = (await connection.execute(text("SELECT clock_timestamp()"))).scalar_one()
    gisteren = moment.isoformat()
    voor = await client.get(
        "/v1/leerlingen", params={"gewijzigdSinds": gisteren}, headers=regisseur
    )
    assert voor.status_code == 200, voor.text
    assert voor.json()["data"] == []
    gemeld = await meld(client, regisseur, bewogen["id"], "verzuim-gestart", dag(-3))
    assert gemeld.status_code == 201, gemeld.text
    na = await client.get("/v1/leerlingen", params={"gewijzigdSinds": gisteren}, headers=regisseur)
    assert [i["id"] for i in na.json()["data"]] == [bewogen["id"]]
    alles = await client.get("/v1/leerlingen", headers=regisseur)
    assert {stil["id"], bewogen["id"]} <= {i["id"] for i in alles.json()["data"]}
    zonder_zone = await client.get(
        "/v1/leerlingen", params={"gewijzigdSinds": "2026-01-01T00:00:00"}, headers=regisseur
    )
    assert zonder_zone.status_code == 400
