"""Leerplicht deliveries through HTTP against real PostgreSQL: outcomes per item, safe resends,
gemeente scope, the register afterwards, BSN refusal, snapshots that never invent an end, CSV,
jobs, and koppelvoorstellen decided by the regisseur."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.config import Settings
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.taken import PeriodeKort, overgangen
from app.domain.toegang import Actor, Rol
from app.services import leerplichtleveringen, projectie
from app.services.privacy import anonimiseer_verlopen
from app.services.projectie import herbouw_projecties
from tests.api.test_leerlingen import VANDAAG, registreer
from tests.builders import FakeAuthenticator, Swv

BSN = "111222333"  # fictitious, passes the elfproef
URL = "/v1/leerplicht-leveringen"


@pytest.fixture
def settings(keys: tuple[str, str]) -> Settings:
    """Large enough bodies for a delivery of 1,000 items."""
    signing_key, encryption_key = keys
    return Settings(
        database_url=None,
        max_body_bytes=1024 * 1024,
        jwt_signing_key=signing_key,
        encryption_key=encryption_key,
    )


@pytest.fixture
def leerplicht(swv_a: Swv) -> Actor:
    return swv_a.actor(Rol.LEERPLICHTSYSTEEM, gemeente=0)


@pytest.fixture
def lp(auth: FakeAuthenticator, leerplicht: Actor) -> dict[str, str]:
    return auth.headers(leerplicht)


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


def item(swv: Swv, referentie: str, **extra: Any) -> dict[str, Any]:
    return {
        "referentie": referentie,
        "soort": "absoluut-verzuim",
        "vanaf": "2026-10-05",
        "geboortejaar": VANDAAG.year - 12,
        "geboortemaand": 4,
        "woongemeente": swv.gemeente_codes[0],
        "regio": "noord",
        **extra,
    }


async def lever(
    client: AsyncClient,
    headers: dict[str, str],
    items: list[dict[str, Any]],
    *,
    modus: str = "delta",
    peildatum: str | None = None,
    key: str | None = None,
) -> Any:
    params = {"modus": modus, **({"peildatum": peildatum} if peildatum else {})}
    extra = {"Idempotency-Key": key} if key else {}
    return await client.post(
        URL, params=params, json={"items": items}, headers={**headers, **extra}
    )


async def uitkomsten(client: AsyncClient, headers: dict[str, str], levering_id: str) -> list[Any]:
    found: list[Any] = []
    page = 1
    while True:
        response = await client.get(
            f"{URL}/{levering_id}/items",
            params={"page": page, "pageSize": 100},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        found += response.json()["data"]
        if len(found) >= response.json()["paginering"]["totaal"]:
            return found
        page += 1


async def test_thousand_items_one_call_an_outcome_each_resend_same_answer_new_key_unchanged(
    client: AsyncClient, lp: dict[str, str], swv_a: Swv
) -> None:
    items = [item(swv_a, f"LP-{n:04d}") for n in range(999)]
    items.append(item(swv_a, "LP-ANDER", woongemeente=swv_a.gemeente_codes[1]))

    first = await lever(client, lp, items, key="levering-1")

    assert first.status_code == 201, first.text
    body = first.json()
    assert body["aantalItems"] == body["aantalVerwerkt"] == 1000
    assert body["tellingen"] == {
        "aangemaakt": 999,
        "bijgewerkt": 0,
        "ongewijzigd": 0,
        "afgewezen": 1,
    }
    per_item = await uitkomsten(client, lp, body["id"])
    assert len(per_item) == 1000
    assert all(i["uitkomst"] for i in per_item)
    refused = [i for i in per_item if i["uitkomst"] == "afgewezen"]
    assert refused[0]["volgnummer"] == 1000
    assert refused[0]["fouten"][0]["veld"] == "woongemeente"
    assert refused[0]["fouten"][0]["code"] == "buiten_bevoegdheid"

    again = await lever(client, lp, items, key="levering-1")
    assert again.status_code == 201
    assert again.json() == body

    resent = await lever(client, lp, items, key="levering-2")
    assert resent.status_code == 201
    assert resent.json()["id"] != body["id"]
    assert resent.json()["tellingen"] == {
        "aangemaakt": 0,
        "bijgewerkt": 0,
        "ongewijzigd": 999,
        "afgewezen": 1,
    }
    child = per_item[0]["leerlingId"]
    history = await client.get(f"/v1/leerlingen/{child}/gebeurtenissen", headers=lp)
    assert history.status_code == 200
    assert [f["soort"] for f in history.json()["data"]] == ["niet-ingeschreven"], (
        "the resend added no fact"
    )


async def test_absoluut_verzuimer_from_5_october_is_on_the_1_december_register_with_that_start(
    client: AsyncClient, lp: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Regel 7: absoluut verzuim (B3) counts from the first day not enrolled."""
    response = await lever(client, lp, [item(swv_a, "LP-B3")])
    assert response.status_code == 201, response.text
    [uitkomst] = await uitkomsten(client, lp, response.json()["id"])
    assert uitkomst["uitkomst"] == "aangemaakt"

    register = await client.get(
        "/v1/rapportages/inspectie", params={"peildatum": "2026-12-01"}, headers=regisseur
    )

    assert register.status_code == 200, register.text
    rijen = json.loads(register.content)["rijen"]
    kind = await client.get(f"/v1/leerlingen/{uitkomst['leerlingId']}", headers=regisseur)
    assert kind.json()["pseudoniem"].startswith("LP-")
    [rij] = [r for r in rijen if r["pseudoniem"] == kind.json()["pseudoniem"]]
    assert rij["startdatum"] == "2026-10-05"
    status = await client.get(
        f"/v1/leerlingen/{uitkomst['leerlingId']}/status",
        params={"peildatum": "2026-12-01"},
        headers=regisseur,
    )
    assert status.json()["categorie"] == "B3"
    assert status.json()["sinds"] == "2026-10-05"


async def test_pseudonymous_swv_refuses_a_bsn_per_item_without_echoing_it(
    client: AsyncClient, lp: dict[str, str], swv_a: Swv
) -> None:
    response = await lever(client, lp, [item(swv_a, "LP-1", bsn=BSN), item(swv_a, "LP-2")])

    assert response.status_code == 201, response.text
    assert response.json()["tellingen"]["afgewezen"] == 1
    assert response.json()["tellingen"]["aangemaakt"] == 1
    per_item = await uitkomsten(client, lp, response.json()["id"])
    assert per_item[0]["uitkomst"] == "afgewezen"
    assert per_item[0]["referentie"] is None
    assert [f["veld"] for f in per_item[0]["fouten"]] == ["bsn"]
    assert BSN not in json.dumps(per_item)


async def test_every_field_problem_of_an_item_is_listed_without_values(
    client: AsyncClient, lp: dict[str, str], swv_a: Swv
) -> None:
    slecht = {"referentie": "LP 1 !", "soort": "vrijstelling", "vanaf": "05-10-2026", "x": "geheim"}
    response = await lever(client, lp, [slecht])
    [uitkomst] = await uitkomsten(client, lp, response.json()["id"])
    assert uitkomst["uitkomst"] == "afgewezen"
    assert {f["veld"] for f in uitkomst["fouten"]} == {"x", "referentie", "vanaf", "grond"}
    assert "geheim" not in json.dumps(uitkomst)
    assert "05-10-2026" not in json.dumps(uitkomst)


async def test_a_child_missing_from_the_next_snapshot_keeps_its_category_and_is_listed(
    client: AsyncClient, lp: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """A snapshot never invents an end (the product never invents an ending reason)."""
    eerste = await lever(
        client,
        lp,
        [item(swv_a, "LP-BLIJFT"), item(swv_a, "LP-WEG")],
        modus="snapshot",
        peildatum="2026-11-01",
    )
    assert eerste.status_code == 201, eerste.text
    kinderen = {
        i["referentie"]: i["leerlingId"] for i in await uitkomsten(client, lp, eerste.json()["id"])
    }

    tweede = await lever(
        client, lp, [item(swv_a, "LP-BLIJFT")], modus="snapshot", peildatum="2026-12-01"
    )

    assert tweede.json()["tellingen"]["ongewijzigd"] == 1
    status = await client.get(
        f"/v1/leerlingen/{kinderen['LP-WEG']}/status",
        params={"peildatum": "2026-12-05"},
        headers=regisseur,
    )
    assert status.json()["categorie"] == "B3"
    weg = await client.get(f"{URL}/verdwijningen", headers=lp)
    assert weg.status_code == 200
    [verdwenen] = weg.json()["data"]
    assert verdwenen["referentie"] == "LP-WEG"
    assert verdwenen["ontbreektSinds"] == "2026-12-01"
    assert verdwenen["leveringId"] == tweede.json()["id"]

    # Leerplicht confirms the end by delivering it: off the list, and the child enrolled.
    einde = item(swv_a, "LP-WEG", einde="2026-12-03", schoolId=str(swv_a.scholen[0]))
    bevestigd = await lever(client, lp, [einde])
    assert bevestigd.json()["tellingen"]["bijgewerkt"] == 1
    assert (await client.get(f"{URL}/verdwijningen", headers=lp)).json()["data"] == []


async def test_a_snapshot_needs_its_peildatum(
    client: AsyncClient, lp: dict[str, str], swv_a: Swv
) -> None:
    response = await lever(client, lp, [item(swv_a, "LP-1")], modus="snapshot")
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["errors"]] == ["peildatum"]


async def test_csv_delivery_with_the_documented_layout(
    client: AsyncClient, lp: dict[str, str], swv_a: Swv
) -> None:
    gemeente = swv_a.gemeente_codes[0]
    jaar = VANDAAG.year - 10
    csv_body = (
        "referentie;soort;vanaf;einde;grond;totEnMet;geboortejaar;geboortemaand;woongemeente;regio\n"
        f"LP-V1;vrijstelling;2026-08-01;;art-5-a;;{jaar};2;{gemeente};midden\n"
        f"LP-C1;besluit-11g;2026-09-01;2026-11-01;;;{jaar};3;{gemeente};midden\n"
        f"LP-O1;administratieve-onvolkomenheid;2026-09-01;;;2026-09-10;{jaar};5;{gemeente};zuid\n"
        f"LP-X1;onbekend;2026-09-01;;;;{jaar};5;{gemeente};zuid\n"
    )
    response = await client.post(
        URL,
        params={"modus": "delta"},
        content=csv_body.encode(),
        headers={**lp, "Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["tellingen"] == {
        "aangemaakt": 3,
        "bijgewerkt": 0,
        "ongewijzigd": 0,
        "afgewezen": 1,
    }
    per_item = await uitkomsten(client, lp, response.json()["id"])
    history = await client.get(
        f"/v1/leerlingen/{per_item[1]['leerlingId']}/gebeurtenissen", headers=lp
    )
    assert [f["soort"] for f in history.json()["data"]] == ["besluit-11g", "besluit-11g-beeindigd"]
    assert all(f["bron"] == "leerplicht" or f["bron"] for f in history.json()["data"])


async def test_csv_with_an_unknown_column_is_refused_as_a_whole(
    client: AsyncClient, lp: dict[str, str]
) -> None:
    response = await client.post(
        URL,
        params={"modus": "delta"},
        content=b"referentie;soort;naam\nLP-1;vrijstelling;Geheim\n",
        headers={**lp, "Content-Type": "text/csv"},
    )
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["errors"]] == ["kolom 3"]
    assert "Geheim" not in response.text


async def test_csv_with_u0000_is_a_400_before_any_work(
    client: AsyncClient, lp: dict[str, str]
) -> None:
    """PostgreSQL cannot store U+0000: a CSV carrying one is refused as a whole, never a 500."""
    response = await client.post(
        URL,
        params={"modus": "delta"},
        content=b"referentie;soort\nLP-\x001;vrijstelling\n",
        headers={**lp, "Content-Type": "text/csv"},
    )
    assert response.status_code == 400
    assert [(e["in"], e["name"], e["code"]) for e in response.json()["errors"]] == [
        ("body", "body", "tekst_onopslaanbaar")
    ]


async def test_another_media_type_is_415(client: AsyncClient, lp: dict[str, str]) -> None:
    response = await client.post(
        URL, params={"modus": "delta"}, content=b"x", headers={**lp, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415


async def test_no_token_401_other_roles_403_other_gemeente_404(  # noqa: PLR0917
    client: AsyncClient,
    auth: FakeAuthenticator,
    lp: dict[str, str],
    regisseur: dict[str, str],
    swv_a: Swv,
    swv_b: Swv,
) -> None:
    response = await lever(client, lp, [item(swv_a, "LP-1")])
    levering = response.json()["id"]
    assert (await client.get(f"{URL}/{levering}")).status_code == 401
    assert (await lever(client, {}, [item(swv_a, "LP-1")])).status_code == 401
    assert (await lever(client, regisseur, [item(swv_a, "LP-1")])).status_code == 403
    assert (await client.get(f"{URL}/{levering}", headers=regisseur)).status_code == 403
    andere_gemeente = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1))
    ander_swv = auth.headers(swv_b.actor(Rol.LEERPLICHTSYSTEEM, gemeente=0))
    for headers in (andere_gemeente, ander_swv):
        missing = await client.get(f"{URL}/{levering}", headers=headers)
        assert missing.status_code == 404
        assert (await client.get(f"{URL}/{levering}/items", headers=headers)).status_code == 404
    unknown = await client.get(f"{URL}/00000000-0000-4000-8000-000000000000", headers=lp)
    assert unknown.json()["detail"] == missing.json()["detail"]
    got = await client.get(f"{URL}/{levering}", headers=lp)
    assert got.status_code == 200
    assert got.json()["status"] == "verwerkt"


async def test_a_large_delivery_runs_as_a_job_with_a_location_to_follow(
    client: AsyncClient, application: Any, lp: dict[str, str], swv_a: Swv
) -> None:
    application.api.state.levering_direct_max = 2
    response = await lever(client, lp, [item(swv_a, f"LP-{n}") for n in range(5)])

    assert response.status_code == 202, response.text
    assert response.json()["status"] == "ontvangen"
    followed = await client.get(response.headers["location"], headers=lp)
    assert followed.status_code == 200
    assert followed.json()["status"] == "verwerkt"
    assert followed.json()["tellingen"]["aangemaakt"] == 5


async def test_identified_swv_matches_a_known_child_by_bsn(
    client: AsyncClient,
    auth: FakeAuthenticator,
    sessionmaker: async_sessionmaker[AsyncSession],
    swv_b: Swv,
) -> None:
    async with sessionmaker(info={"swv_id": "*"}) as session:
        await session.execute(
            update(SwvRow)
            .where(SwvRow.id == swv_b.id)
            .values(privacy_modus="geidentificeerd", rechtsgrond="Testgrondslag (fictief)")
        )
        await session.commit()
    headers = auth.headers(swv_b.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    bekend = await client.post(
        "/v1/leerlingen",
        json={
            "pseudoniem": "LPBSN1",
            "geboortejaar": VANDAAG.year - 12,
            "geboortemaand": 4,
            "regio": "noord",
            "woongemeente": swv_b.gemeente_codes[0],
            "identiteit": {"bsn": BSN},
        },
        headers=headers,
    )
    assert bekend.status_code == 201, bekend.text

    response = await lever(
        client,
        headers,
        [{"referentie": "LP-Z", "soort": "besluit-11g", "vanaf": "2026-09-01", "bsn": BSN}],
    )

    assert response.json()["tellingen"]["bijgewerkt"] == 1, response.text
    [uitkomst] = await uitkomsten(client, headers, response.json()["id"])
    assert uitkomst["leerlingId"] == bekend.json()["id"]


async def test_unmatched_item_without_enough_to_register_is_refused(
    client: AsyncClient, lp: dict[str, str]
) -> None:
    response = await lever(
        client, lp, [{"referentie": "LP-K", "soort": "besluit-11g", "vanaf": "2026-09-01"}]
    )
    [uitkomst] = await uitkomsten(client, lp, response.json()["id"])
    assert uitkomst["uitkomst"] == "afgewezen"
    assert {f["veld"] for f in uitkomst["fouten"]} == {
        "geboortejaar",
        "geboortemaand",
        "woongemeente",
        "regio",
    }


async def test_koppelvoorstel_accepted_by_the_regisseur_leaves_one_child(
    client: AsyncClient, lp: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Pseudonymous mode: same birth year and month and gemeente as a child a school reported
    gives a proposal; a person decides; no second child for the same person after it."""
    school_kind = await registreer(
        client,
        regisseur,
        swv_a,
        geboortejaar=VANDAAG.year - 12,
        geboortemaand=4,
        woongemeente=swv_a.gemeente_codes[0],
    )
    response = await lever(client, lp, [item(swv_a, "LP-KOPPEL")])
    [uitkomst] = await uitkomsten(client, lp, response.json()["id"])
    assert uitkomst["uitkomst"] == "aangemaakt"

    assert (await client.get(f"{URL}/koppelvoorstellen", headers=lp)).status_code == 403
    lijst = await client.get(
        f"{URL}/koppelvoorstellen", params={"status": "voorgesteld"}, headers=regisseur
    )
    assert lijst.status_code == 200
    [voorstel] = lijst.json()["data"]
    assert voorstel["kandidaatId"] == school_kind["id"]
    assert voorstel["leerlingId"] == uitkomst["leerlingId"]

    besluit = await client.post(
        f"{URL}/koppelvoorstellen/{voorstel['id']}/acceptatie", headers=regisseur
    )

    assert besluit.status_code == 200, besluit.text
    assert besluit.json()["status"] == "geaccepteerd"
    status = await client.get(
        f"/v1/leerlingen/{school_kind['id']}/status",
        params={"peildatum": "2026-12-01"},
        headers=regisseur,
    )
    assert status.json()["categorie"] == "B3"
    leeg = await client.get(
        f"/v1/leerlingen/{uitkomst['leerlingId']}/status",
        params={"peildatum": "2026-12-01"},
        headers=regisseur,
    )
    assert leeg.json()["categorie"] != "B3"
    opnieuw = await lever(
        client, lp, [item(swv_a, "LP-KOPPEL", einde="2026-12-02", schoolId=str(swv_a.scholen[0]))]
    )
    [daarna] = await uitkomsten(client, lp, opnieuw.json()["id"])
    assert daarna["leerlingId"] == school_kind["id"]
    assert daarna["uitkomst"] == "bijgewerkt"
    tweede = await client.post(
        f"{URL}/koppelvoorstellen/{voorstel['id']}/afwijzing", headers=regisseur
    )
    assert tweede.status_code == 409
    missing = await client.post(
        f"{URL}/koppelvoorstellen/00000000-0000-4000-8000-000000000000/afwijzing", headers=regisseur
    )
    assert missing.status_code == 404


async def test_koppelvoorstel_rejected_keeps_two_children(
    client: AsyncClient, lp: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    await registreer(
        client,
        regisseur,
        swv_a,
        geboortejaar=VANDAAG.year - 12,
        geboortemaand=4,
        woongemeente=swv_a.gemeente_codes[0],
    )
    await lever(client, lp, [item(swv_a, "LP-TWEE")])
    [voorstel] = (await client.get(f"{URL}/koppelvoorstellen", headers=regisseur)).json()["data"]

    besluit = await client.post(
        f"{URL}/koppelvoorstellen/{voorstel['id']}/afwijzing", headers=regisseur
    )

    assert besluit.json()["status"] == "afgewezen"
    opnieuw = await lever(client, lp, [item(swv_a, "LP-TWEE")])
    [daarna] = await uitkomsten(client, lp, opnieuw.json()["id"])
    assert daarna["leerlingId"] == voorstel["leerlingId"]
    assert daarna["uitkomst"] == "ongewijzigd"


async def test_anonymising_a_child_forgets_leerplichts_reference_to_it(
    client: AsyncClient, lp: dict[str, str], swv_a: Swv, uow: UnitOfWork
) -> None:
    """Privacy (docs/privacy.md): after the retention period identity goes; leerplicht's own
    reference is an identifier too, so a later item with it is a new child."""
    geeindigd = item(swv_a, "LP-OUD", einde="2026-10-20", schoolId=str(swv_a.scholen[0]))
    eerst = await lever(client, lp, [geeindigd])
    [oud] = await uitkomsten(client, lp, eerst.json()["id"])

    later = datetime.now(UTC) + timedelta(days=3 * 366)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=later) >= 1

    opnieuw = await lever(client, lp, [item(swv_a, "LP-OUD")])
    [nieuw] = await uitkomsten(client, lp, opnieuw.json()["id"])
    assert nieuw["uitkomst"] == "aangemaakt"
    assert nieuw["leerlingId"] != oud["leerlingId"]
    eerdere = await uitkomsten(client, lp, eerst.json()["id"])
    assert eerdere[0]["referentie"] is None


@pytest.mark.parametrize(
    ("batch", "weektelling"),
    [(500, "kalenderdagen"), (2, "kalenderdagen"), (2, "lesweken")],
    ids=["one-batch", "pipelined-batches", "pipelined-lesweken"],
)
async def test_the_bulk_projection_is_the_registers_own(  # noqa: PLR0917
    client: AsyncClient,
    auth: FakeAuthenticator,
    lp: dict[str, str],
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
    weektelling: str,
) -> None:
    """The projection written per batch equals what rebuilding each child from its facts
    writes (docs/decisions/0012: the projection is the fold of the facts), also when a batch
    is folded while the previous one is written, and with each child's calendar read before
    the fold when the SWV counts lesweken (docs/domain.md regel 14)."""
    monkeypatch.setattr(leerplichtleveringen, "PROJECTIE_BATCH", batch)
    if weektelling == "lesweken":
        beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
        etag = (await client.get("/v1/instellingen", headers=beheerder)).headers["etag"]
        changed = await client.patch(
            "/v1/instellingen",
            json={"weektelling": weektelling},
            headers={**beheerder, "If-Match": etag},
        )
        assert changed.status_code == 200, changed.text
    items = [
        item(swv_a, "LP-P1"),
        item(swv_a, "LP-P2", soort="vrijstelling", grond="art-5-a", vanaf="2026-08-01"),
        item(swv_a, "LP-P3", soort="besluit-11g", vanaf="2026-09-01", einde="2026-11-01"),
        item(swv_a, "LP-P4", vanaf="2026-09-14"),
        item(swv_a, "LP-P5", soort="besluit-11g", vanaf="2026-10-01"),
    ]
    await lever(client, lp, items)

    async def projecties() -> list[Any]:
        await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
        perioden = await connection.execute(
            text(
                "SELECT p.leerling_id, p.volgnummer, p.categorie, p.start, p.einde, p.regel "
                "FROM tijdlijn_perioden p WHERE p.swv_id = :swv ORDER BY 1, 2"
            ),
            {"swv": swv_a.id},
        )
        rijen = await connection.execute(
            text("SELECT * FROM register_rijen WHERE swv_id = :swv ORDER BY 1, 2"),
            {"swv": swv_a.id},
        )
        return [list(perioden.all()), [tuple(r) for r in rijen.all()]]

    bulk = await projecties()
    assert len(bulk[0]) >= 5
    await herbouw_projecties(uow, swv_a.id)
    assert await projecties() == bulk


@pytest.mark.parametrize("batch", [500, 2], ids=["one-batch", "pipelined-batches"])
async def test_a_delivery_announces_every_transition_of_the_new_timelines_up_to_today_once(  # noqa: PLR0917
    client: AsyncClient,
    lp: dict[str, str],
    swv_a: Swv,
    connection: AsyncConnection,
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    """The events a re-projection announces (docs/domain.md regel 4: thuiszitter from day 29,
    category changes) are collected per batch and stored with its projections: each child has
    exactly the transitions of its projected timeline up to today, also across batches."""
    monkeypatch.setattr(leerplichtleveringen, "PROJECTIE_BATCH", batch)
    items = [item(swv_a, f"LP-N{n}", vanaf=f"2026-09-{n + 7:02d}") for n in range(5)]
    response = await lever(client, lp, items)
    assert response.status_code == 201, response.text

    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    vandaag = (await connection.execute(text("SELECT current_date"))).scalar_one()
    perioden = await connection.execute(
        text(
            "SELECT leerling_id, categorie, start, einde FROM tijdlijn_perioden "
            "WHERE swv_id = :swv ORDER BY leerling_id, volgnummer"
        ),
        {"swv": swv_a.id},
    )
    verwacht: dict[Any, list[PeriodeKort]] = {}
    for leerling_id, categorie, start, einde in perioden.all():
        verwacht.setdefault(leerling_id, []).append(PeriodeKort(categorie, start, einde))
    events = await connection.execute(
        text(
            "SELECT leerling_id, soort, data->>'datum' FROM notificaties "
            "WHERE swv_id = :swv AND leerling_id IS NOT NULL"
        ),
        {"swv": swv_a.id},
    )
    gekregen: dict[Any, list[tuple[str, str]]] = {}
    for leerling_id, soort, datum in events.all():
        gekregen.setdefault(leerling_id, []).append((soort, datum))

    assert len(verwacht) == 5
    assert {
        leerling_id: sorted(
            (o.soort, o.datum.isoformat()) for o in overgangen(p) if o.datum <= vandaag
        )
        for leerling_id, p in verwacht.items()
    } == {leerling_id: sorted(e) for leerling_id, e in gekregen.items()}
    assert any("leerling.thuiszitter-gestart" in str(e) for e in gekregen.values())


async def test_a_fold_failing_while_a_batch_is_written_fails_the_delivery_cleanly(
    client: AsyncClient,
    application: Any,
    lp: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    swv_a: Swv,
) -> None:
    """A failure while the previous batch is being written waits for that write: the part is
    rolled back, the delivery is `mislukt`, and the next delivery is processed as usual."""
    application.api.state.levering_direct_max = 2
    monkeypatch.setattr(leerplichtleveringen, "PROJECTIE_BATCH", 2)
    echte = projectie.projecteer_feiten
    aanroepen = 0

    async def faalt_bij_de_vierde(*args: Any, **kwargs: Any) -> None:
        nonlocal aanroepen
        aanroepen += 1
        if aanroepen == 4:
            raise RuntimeError("fold failed")
        await echte(*args, **kwargs)

    monkeypatch.setattr(projectie, "projecteer_feiten", faalt_bij_de_vierde)
    response = await lever(client, lp, [item(swv_a, f"LP-F{n}") for n in range(5)])
    followed = await client.get(response.headers["location"], headers=lp)
    assert followed.json()["status"] == "mislukt"
    assert followed.json()["tellingen"].get("aangemaakt", 0) == 0, "the part was rolled back"

    monkeypatch.setattr(projectie, "projecteer_feiten", echte)
    again = await lever(client, lp, [item(swv_a, f"LP-G{n}") for n in range(5)])
    followed = await client.get(again.headers["location"], headers=lp)
    assert followed.json()["status"] == "verwerkt"
    assert followed.json()["tellingen"]["aangemaakt"] == 5
