"""Casusregie over HTTP against PostgreSQL: plan, weekly evaluations and their signal, consent
before an OPP, closing with schoolgang hersteld appends the fact; scope per role."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.db.casussen import CasusRow
from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services.privacy import anonimiseer_verlopen
from tests.api.test_meldingen import leerling_op_school
from tests.builders import FakeAuthenticator, Swv
from tests.rapportage.test_privacy import vondsten

VANDAAG = datetime.now(UTC).date()


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


@pytest.fixture
def school(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))


async def open_casus(
    client: AsyncClient, headers: dict[str, str], leerling_id: str, **extra: Any
) -> Any:
    response = await client.post(
        "/v1/casussen", json={"leerlingId": leerling_id, **extra}, headers=headers
    )
    assert response.status_code in {200, 201}, response.text
    return response


def plan(**actie: Any) -> dict[str, Any]:
    return {
        "doel": "Synthetisch doel: terug naar school",
        "acties": [
            {
                "wat": "Synthetische actie",
                "soort": "gesprek",
                "rol": "zorgcoördinator",
                "organisatie": "Testschool",
                "uiterlijk": (VANDAAG + timedelta(days=14)).isoformat(),
                **actie,
            }
        ],
    }


async def test_plan_start_evaluate_and_close_with_schoolgang_hersteld(
    client: AsyncClient, regisseur: dict[str, str], school: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    opened = await open_casus(client, school, leerling_id, bronReferentie="TOP-7")
    casus = opened.json()
    assert opened.status_code == 201
    assert casus["status"] == "open"
    assert casus["coordinatie"] == "school"
    again = await open_casus(client, school, leerling_id, bronReferentie="TOP-7")
    assert again.status_code == 200
    assert again.json()["id"] == casus["id"]
    url = f"/v1/casussen/{casus['id']}"
    no_match = await client.post(f"{url}/plannen", json=plan(), headers=school)
    assert no_match.status_code == 428
    planned = await client.post(
        f"{url}/plannen",
        json=plan(soort="thuiswerkplan", start=VANDAAG.isoformat()),
        headers={**school, "If-Match": opened.headers["etag"]},
    )
    assert planned.status_code == 201, planned.text
    assert planned.json()["status"] == "plan-opgesteld"
    assert (
        planned.json()["termijnen"]["evaluatieUiterlijk"]
        == (VANDAAG + timedelta(days=7)).isoformat()
    )
    started = await client.post(
        f"{url}/stappen",
        json={"actie": "starten"},
        headers={**school, "If-Match": planned.headers["etag"]},
    )
    assert started.json()["status"] == "in-uitvoering"
    evaluatie = await client.post(
        f"{url}/verslagen",
        json={
            "verslag": {
                "soort": "evaluatie",
                "datum": VANDAAG.isoformat(),
                "voortgang": "Synthetische voortgang",
                "doelGehaald": False,
            }
        },
        headers=school,
    )
    assert evaluatie.status_code == 201, evaluatie.text
    contact = await client.post(
        f"{url}/verslagen",
        json={"verslag": {"soort": "contactmoment", "datum": VANDAAG.isoformat(), "met": "ouders"}},
        headers=school,
    )
    assert contact.status_code == 201
    overleg = await client.post(
        f"{url}/verslagen",
        json={
            "verslag": {
                "soort": "overleg",
                "datum": VANDAAG.isoformat(),
                "overleg": "ot-bt",
                "deelnemers": [{"rol": "ouder", "organisatie": "gezin", "aanwezig": True}],
                "oudersUitgenodigd": True,
                "afspraken": [
                    {
                        "wat": "Synthetische afspraak",
                        "wie": "school",
                        "uiterlijk": VANDAAG.isoformat(),
                    }
                ],
            }
        },
        headers=school,
    )
    assert overleg.status_code == 201, overleg.text
    current = await client.get(url, headers=school)
    assert current.json()["termijnen"]["signalen"] == []
    closed = await client.post(
        f"{url}/stappen",
        json={"actie": "afsluiten", "reden": "schoolgang-hersteld", "datum": VANDAAG.isoformat()},
        headers={**regisseur, "If-Match": current.headers["etag"]},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "afgesloten"
    assert [o["naar"] for o in closed.json()["geschiedenis"]] == [
        "open",
        "plan-opgesteld",
        "in-uitvoering",
        "afgesloten",
    ]
    history = await client.get(f"/v1/leerlingen/{leerling_id}/gebeurtenissen", headers=regisseur)
    assert [g["soort"] for g in history.json()["data"]] == [
        "inschrijving",
        "aanbod-gestart",
        "onderwijs-hervat",
    ]
    after = await client.post(
        f"{url}/stappen",
        json={"actie": "starten"},
        headers={**regisseur, "If-Match": closed.headers["etag"]},
    )
    assert after.status_code == 409


async def test_a_case_whose_last_evaluation_is_8_days_old_shows_the_signal(
    client: AsyncClient,
    regisseur: dict[str, str],
    school: dict[str, str],
    swv_a: Swv,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    opened = await open_casus(client, school, leerling_id)
    casus_id = opened.json()["id"]
    url = f"/v1/casussen/{casus_id}"
    planned = await client.post(
        f"{url}/plannen", json=plan(), headers={**school, "If-Match": opened.headers["etag"]}
    )
    await client.post(
        f"{url}/stappen",
        json={"actie": "starten"},
        headers={**school, "If-Match": planned.headers["etag"]},
    )
    acht = VANDAAG - timedelta(days=8)
    async with sessionmaker(info={"swv_id": "*"}) as session:
        await session.execute(
            update(CasusRow)
            .where(CasusRow.id == uuid.UUID(casus_id))
            .values(
                geopend_op=datetime.now(UTC) - timedelta(days=20),
                plan_sinds=acht - timedelta(days=7),
                laatste_evaluatie=acht,
                laatste_contact_ouders=VANDAAG,
            )
        )
        await session.commit()
    detail = await client.get(url, headers=school)
    assert detail.json()["termijnen"]["signalen"] == ["evaluatie-achterstallig"]
    flagged = await client.get(
        "/v1/casussen", params={"signaal": "evaluatie-achterstallig"}, headers=regisseur
    )
    assert [c["id"] for c in flagged.json()["data"]] == [casus_id]
    other = await client.get(
        "/v1/casussen", params={"signaal": "contact-ouders-achterstallig"}, headers=regisseur
    )
    assert other.json()["data"] == []


async def test_an_opp_without_consent_is_refused_and_withdrawal_hides_it(
    client: AsyncClient,
    auth: FakeAuthenticator,
    regisseur: dict[str, str],
    school: dict[str, str],
    swv_a: Swv,
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    casus_id = (await open_casus(client, school, leerling_id)).json()["id"]
    url = f"/v1/casussen/{casus_id}"
    opp = {"soort": "opp", "titel": "OPP (synthetisch)", "referentie": "TOP-OPP-1"}
    refused = await client.post(f"{url}/documenten", json=opp, headers=school)
    assert refused.status_code == 409
    toestemming = await client.post(
        f"{url}/toestemmingen",
        json={"soort": "opp", "gegevenOp": VANDAAG.isoformat()},
        headers=school,
    )
    assert toestemming.status_code == 201, toestemming.text
    stored = await client.post(f"{url}/documenten", json=opp, headers=school)
    assert stored.status_code == 201, stored.text
    assert len((await client.get(url, headers=regisseur)).json()["documenten"]) == 1
    withdrawn = await client.post(
        f"{url}/toestemmingen/{toestemming.json()['id']}/intrekking",
        json={"datum": VANDAAG.isoformat()},
        headers={**school, "If-Match": toestemming.headers["etag"]},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await client.get(url, headers=regisseur)).json()["documenten"] == []
    assert len((await client.get(url, headers=school)).json()["documenten"]) == 1
    again = await client.post(f"{url}/documenten", json=opp, headers=school)
    assert again.status_code == 409


async def test_consent_holds_up_to_and_including_geldig_tot_en_met(
    client: AsyncClient, regisseur: dict[str, str], school: dict[str, str], swv_a: Swv
) -> None:
    """`geldigTotEnMet` is the consent's last day (inclusive, decision 52): on that day an OPP
    may still be recorded; a last day before `gegevenOp` is a 400 naming the field."""
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    casus_id = (await open_casus(client, school, leerling_id)).json()["id"]
    url = f"/v1/casussen/{casus_id}"
    gisteren = (VANDAAG - timedelta(days=1)).isoformat()
    fout = await client.post(
        f"{url}/toestemmingen",
        json={"soort": "opp", "gegevenOp": VANDAAG.isoformat(), "geldigTotEnMet": gisteren},
        headers=school,
    )
    assert fout.status_code == 400, fout.text
    assert [e["name"] for e in fout.json()["errors"]] == ["geldigTotEnMet"]
    assert gisteren not in fout.text
    toestemming = await client.post(
        f"{url}/toestemmingen",
        json={
            "soort": "opp",
            "gegevenOp": gisteren,
            "geldigTotEnMet": VANDAAG.isoformat(),
        },
        headers=school,
    )
    assert toestemming.status_code == 201, toestemming.text
    assert toestemming.json()["geldigTotEnMet"] == VANDAAG.isoformat()
    opp = {"soort": "opp", "titel": "OPP (synthetisch)", "referentie": "TOP-OPP-2"}
    stored = await client.post(f"{url}/documenten", json=opp, headers=school)
    assert stored.status_code == 201, stored.text


async def test_scope_of_cases_per_role(
    client: AsyncClient,
    auth: FakeAuthenticator,
    regisseur: dict[str, str],
    swv_a: Swv,
    swv_b: Swv,
) -> None:
    eigen = await leerling_op_school(
        client, regisseur, swv_a, 0, woongemeente=swv_a.gemeente_codes[0]
    )
    andere = await leerling_op_school(
        client, regisseur, swv_a, 1, woongemeente=swv_a.gemeente_codes[1]
    )
    c0 = (await open_casus(client, regisseur, eigen, schoolId=str(swv_a.scholen[0]))).json()["id"]
    c1 = (await open_casus(client, regisseur, andere, schoolId=str(swv_a.scholen[1]))).json()["id"]
    school0 = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    assert [
        c["id"] for c in (await client.get("/v1/casussen", headers=school0)).json()["data"]
    ] == [c0]
    assert (await client.get(f"/v1/casussen/{c1}", headers=school0)).status_code == 404
    leerplicht = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1))
    lijst = await client.get("/v1/casussen", headers=leerplicht)
    assert [c["id"] for c in lijst.json()["data"]] == [c1]
    assert (await client.get(f"/v1/casussen/{c0}", headers=leerplicht)).status_code == 404
    other_swv = auth.headers(swv_b.actor(Rol.REGISSEUR))
    assert (await client.get(f"/v1/casussen/{c0}", headers=other_swv)).status_code == 404
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    assert (await client.get(f"/v1/casussen/{c0}", headers=beheerder)).status_code == 403


async def test_no_token_is_401(client: AsyncClient) -> None:
    assert (await client.get("/v1/casussen")).status_code == 401
    assert (await client.get(f"/v1/casussen/{uuid.uuid4()}")).status_code == 401
    assert (await client.post("/v1/casussen", json={})).status_code == 401


async def test_regie_mediator_only_on_a_vertrouwensbreuk_and_scenario_record(
    client: AsyncClient, regisseur: dict[str, str], school: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    opened = await open_casus(client, school, leerling_id)
    url = f"/v1/casussen/{opened.json()['id']}"
    refused = await client.patch(
        url,
        json={"mediator": "SWV-mediator"},
        headers={**regisseur, "If-Match": opened.headers["etag"]},
    )
    assert refused.status_code == 400
    changed = await client.patch(
        url,
        json={
            "coordinatie": "leerplicht",
            "vertrouwensbreuk": True,
            "mediator": "SWV-mediator",
            "scenario": {"probleemVraag": "Synthetisch", "wieHaktKnoopDoor": "directeur"},
        },
        headers={**regisseur, "If-Match": opened.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["coordinatie"] == "leerplicht"
    assert body["mediator"] == "SWV-mediator"
    assert body["scenario"]["wieHaktKnoopDoor"] == "directeur"
    stale = await client.patch(
        url,
        json={"vertrouwensbreuk": False},
        headers={**regisseur, "If-Match": opened.headers["etag"]},
    )
    assert stale.status_code == 412


GEHEIM = "Synthetisch geheim Jansen Kerkstraat 12"


async def _dossier_met_tekst(
    client: AsyncClient, regisseur: dict[str, str], school: dict[str, str], swv: Swv
) -> tuple[str, str]:
    """A child with an ended absence, a melding and a case full of planted free text."""
    leerling_id = await leerling_op_school(client, regisseur, swv)
    body = {
        "soort": "uitgebreid",
        "leerlingId": leerling_id,
        "aard": "ongeoorloofd",
        "verzuimBegin": "2026-09-14",
        "verzuimEinde": "2026-09-30",
        "gevraagdeActies": ["meedenken"],
        **dict.fromkeys(
            (
                "aanleiding",
                "korteBeschrijving",
                "gepleegdeInterventies",
                "betrokkenHulpverlening",
                "bijzonderhedenSchoolloopbaan",
                "contactpersoon",
            ),
            GEHEIM,
        ),
    }
    melding = await client.post("/v1/meldingen", json=body, headers=school)
    assert melding.status_code == 201, melding.text
    opened = await open_casus(client, school, leerling_id)
    url = f"/v1/casussen/{opened.json()['id']}"
    changed = await client.patch(
        url,
        json={"coordinator": GEHEIM[:90], "scenario": {"probleemVraag": GEHEIM}},
        headers={**school, "If-Match": opened.headers["etag"]},
    )
    planned = await client.post(
        f"{url}/plannen",
        json={**plan(wat=GEHEIM), "doel": GEHEIM},
        headers={**school, "If-Match": changed.headers["etag"]},
    )
    assert planned.status_code == 201, planned.text
    evaluatie = {
        "soort": "evaluatie",
        "datum": VANDAAG.isoformat(),
        "voortgang": GEHEIM,
        "doelGehaald": False,
    }
    assert (
        await client.post(f"{url}/verslagen", json={"verslag": evaluatie}, headers=school)
    ).status_code == 201
    verslag = {"soort": "verslag", "titel": GEHEIM, "referentie": GEHEIM}
    assert (await client.post(f"{url}/documenten", json=verslag, headers=school)).status_code == 201
    return leerling_id, opened.json()["id"]


async def test_no_case_text_in_any_export_and_the_inzage_holds_it(
    client: AsyncClient, regisseur: dict[str, str], school: dict[str, str], swv_a: Swv
) -> None:
    leerling_id, casus_id = await _dossier_met_tekst(client, regisseur, school, swv_a)
    exports = [
        ("/v1/rapportages/inspectie", "application/json"),
        ("/v1/rapportages/inspectie", "text/csv"),
        ("/v1/rapportages/inspectie", XLSX),
        ("/v1/rapportages/inspectie/samenvatting", "application/json"),
        ("/v1/rapportages/swv-overzicht", "application/json"),
        ("/v1/rapportages/leerplichtoverleg", "application/json"),
    ]
    for pad, media in exports:
        response = await client.get(
            pad, params={"peildatum": "2026-12-01"}, headers={**regisseur, "Accept": media}
        )
        assert response.status_code == 200, (pad, media, response.text)
        tekst = _tekst(response.content, media)
        assert vondsten(tekst, []) == [], (pad, media)
        assert "Synthetisch geheim" not in tekst, (pad, media)
    inzage = await client.get(f"/v1/leerlingen/{leerling_id}/inzage", headers=regisseur)
    assert inzage.status_code == 200, inzage.text
    body = inzage.json()
    assert body["meldingen"][0]["aanleiding"] == GEHEIM
    assert vondsten(inzage.text, []), "the scanner finds the planted text where it belongs"
    assert body["casussen"][0]["id"] == casus_id
    assert body["casussen"][0]["plannen"][0]["doel"] == GEHEIM


async def test_case_text_is_blanked_on_anonymisation(  # noqa: PLR0917 (fixtures)
    client: AsyncClient,
    regisseur: dict[str, str],
    school: dict[str, str],
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    await _dossier_met_tekst(client, regisseur, school, swv_a)
    later = datetime.now(UTC) + timedelta(days=3 * 366)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=later) >= 1
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    for tabel in (
        "meldingen",
        "melding_overgangen",
        "casussen",
        "casus_overgangen",
        "casus_plannen",
        "casus_verslagen",
        "casus_documenten",
    ):
        rows = (await connection.execute(text(f"SELECT t::text FROM {tabel} t"))).scalars()  # noqa: S608
        assert not [r for r in rows if "Jansen" in r], tabel


async def test_a_read_of_a_case_is_audited_on_the_child(
    client: AsyncClient,
    regisseur: dict[str, str],
    school: dict[str, str],
    swv_a: Swv,
    connection: AsyncConnection,
) -> None:
    leerling_id = await leerling_op_school(client, regisseur, swv_a)
    casus_id = (await open_casus(client, school, leerling_id)).json()["id"]
    assert (await client.get(f"/v1/casussen/{casus_id}", headers=regisseur)).status_code == 200
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    handelingen = (
        await connection.execute(
            text("SELECT handeling FROM audit_log WHERE leerling_id = :id"),
            {"id": uuid.UUID(leerling_id)},
        )
    ).scalars()
    assert "casus:lezen" in set(handelingen)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tekst(inhoud: bytes, media: str) -> str:
    if media != XLSX:
        return inhoud.decode()
    with zipfile.ZipFile(io.BytesIO(inhoud)) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
