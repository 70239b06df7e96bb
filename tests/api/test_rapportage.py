"""The quarterly Inspectie report through HTTP: register, exports, submission,
reproducibility, differences, access."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.domain.rapportage import STANDAARD_PEILDATA
from app.domain.toegang import Rol
from app.services import rapportage
from tests.api.test_leerlingen import meld, registreer
from tests.builders import FakeAuthenticator, Swv

VANDAAG = datetime.now(UTC).date()


def volgende_peildatum() -> date:
    jaar = STANDAARD_PEILDATA.schooljaar(VANDAAG)
    kandidaten = [
        *STANDAARD_PEILDATA.van_schooljaar(jaar),
        *STANDAARD_PEILDATA.van_schooljaar(jaar + 1),
    ]
    return min(d for d in kandidaten if d > VANDAAG)


PEILDATUM = volgende_peildatum()


def iso(d: date) -> str:
    return d.isoformat()


@pytest.fixture
async def regio(client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv) -> dict[str, Any]:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    school = str(swv_a.scholen[0])
    kinderen: dict[str, Any] = {}
    for naam in ("thuis", "absoluut", "vrijgesteld", "kort"):
        kind = await registreer(client, regisseur, swv_a, pseudoniem=f"{naam[:4]}01")
        await meld(
            client,
            regisseur,
            kind["id"],
            "inschrijving",
            iso(PEILDATUM - timedelta(days=700)),
            schoolId=school,
        )
        kinderen[naam] = kind
    verzuim = await meld(
        client,
        regisseur,
        kinderen["thuis"]["id"],
        "verzuim-gestart",
        iso(PEILDATUM - timedelta(days=40)),
    )
    kinderen["thuis"]["verzuim"] = verzuim.json()["id"]
    await meld(
        client,
        regisseur,
        kinderen["absoluut"]["id"],
        "uitschrijving",
        iso(PEILDATUM - timedelta(days=20)),
        schoolId=school,
    )
    await meld(
        client,
        regisseur,
        kinderen["vrijgesteld"]["id"],
        "uitschrijving",
        iso(PEILDATUM - timedelta(days=50)),
        schoolId=school,
    )
    await meld(
        client,
        regisseur,
        kinderen["vrijgesteld"]["id"],
        "vrijstelling-verleend",
        iso(PEILDATUM - timedelta(days=50)),
        gegevens={"grond": "art-5-a"},
        namens="leerplicht",
    )
    await meld(
        client,
        regisseur,
        kinderen["kort"]["id"],
        "verzuim-gestart",
        iso(PEILDATUM - timedelta(days=5)),
    )
    return {"headers": regisseur, "kinderen": kinderen}


async def test_register_lists_the_national_definition_and_vrijstellingen_only(
    client: AsyncClient, regio: dict[str, Any]
) -> None:
    response = await client.get(
        "/v1/rapportages/inspectie", params={"peildatum": iso(PEILDATUM)}, headers=regio["headers"]
    )
    assert response.status_code == 200, response.text
    body = json.loads(response.content)
    pseudoniemen = {r["pseudoniem"] for r in body["rijen"]}
    assert pseudoniemen == {"thui01", "abso01", "vrij01"}
    assert "kort01" not in pseudoniemen
    for row in body["rijen"]:
        assert set(row) == set(body["kolommen"])
    summary = await client.get(
        "/v1/rapportages/inspectie/samenvatting",
        params={"peildatum": iso(PEILDATUM)},
        headers=regio["headers"],
    )
    assert summary.status_code == 200
    assert json.loads(summary.content)["doorzettingsmachtBij"] == "directeur-swv"


async def test_exports_in_csv_and_xlsx(client: AsyncClient, regio: dict[str, Any]) -> None:
    params = {"peildatum": iso(PEILDATUM)}
    csv = await client.get(
        "/v1/rapportages/inspectie",
        params=params,
        headers={**regio["headers"], "Accept": "text/csv"},
    )
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "thui01" in csv.content.decode("utf-8-sig")
    xlsx = await client.get(
        "/v1/rapportages/inspectie",
        params=params,
        headers={
            **regio["headers"],
            "Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    )
    assert xlsx.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Register", "Samenvatting"]
    assert workbook["Samenvatting"]._charts, "a native chart of the counts"
    assert 'filename="thuiszitters-' in xlsx.headers["content-disposition"]


async def test_submission_is_frozen_reproducible_and_shows_later_differences(
    client: AsyncClient,
    regio: dict[str, Any],
    uow: UnitOfWork,
    swv_a: Swv,
    connection: AsyncConnection,
) -> None:
    headers = regio["headers"]
    submitted = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    assert submitted.status_code == 201, submitted.text
    meta = submitted.json()
    frozen = await client.get(f"/v1/inspectie-indieningen/{meta['id']}/register", headers=headers)
    assert hashlib.sha256(frozen.content).hexdigest() == meta["sha256"]
    assert meta["aantalRijen"] == 3

    # Regenerating from the facts recorded up to the submission gives exactly the snapshot.
    bekend_op = datetime.fromisoformat(meta["bekendOp"])
    rapport = await rapportage.inspectie_rapport(
        uow, swv_a.actor(Rol.REGISSEUR), peildatum=PEILDATUM, bekend_op=bekend_op
    )
    assert rapportage.register_json(rapport.register) == frozen.content

    withdrawn = await meld(
        client,
        headers,
        regio["kinderen"]["thuis"]["id"],
        "intrekking",
        iso(PEILDATUM - timedelta(days=40)),
        gegevens={
            "betreft": regio["kinderen"]["thuis"]["verzuim"],
            "reden": "de melding was verkeerd gedaan",
        },
    )
    assert withdrawn.status_code == 201
    again = await client.get(f"/v1/inspectie-indieningen/{meta['id']}/register", headers=headers)
    assert again.content == frozen.content, "later corrections never change a submission"
    diff = await client.get(f"/v1/inspectie-indieningen/{meta['id']}/verschillen", headers=headers)
    assert diff.json()["data"] == [{"pseudoniem": "thui01", "soort": "vervallen", "velden": []}]

    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    savepoint = await connection.begin_nested()
    with pytest.raises(DBAPIError, match="nooit gewijzigd"):
        await connection.execute(text("UPDATE inspectie_indieningen SET aantal_rijen = 0"))
    await savepoint.rollback()


async def test_submission_needs_a_peildatum(client: AsyncClient, regio: dict[str, Any]) -> None:
    response = await client.post(
        "/v1/inspectie-indieningen",
        json={"peildatum": iso(PEILDATUM + timedelta(days=1))},
        headers=regio["headers"],
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "peildatum"


async def test_differences_between_two_peildata(client: AsyncClient, regio: dict[str, Any]) -> None:
    vorige = STANDAARD_PEILDATA.vorige(PEILDATUM)
    response = await client.get(
        "/v1/rapportages/inspectie/verschillen",
        params={"van": iso(vorige), "tot": iso(PEILDATUM)},
        headers=regio["headers"],
    )
    assert response.status_code == 200
    assert {"thui01", "abso01"} <= {v["pseudoniem"] for v in response.json()["data"]}


async def test_swv_overview_hides_small_cells(
    client: AsyncClient, regio: dict[str, Any], auth: FakeAuthenticator, swv_a: Swv
) -> None:
    directeur = auth.headers(swv_a.actor(Rol.DIRECTEUR))
    response = await client.get(
        "/v1/rapportages/swv-overzicht", params={"peildatum": iso(PEILDATUM)}, headers=directeur
    )
    assert response.status_code == 200
    body = response.json()
    assert body["drempel"] == 5
    assert all(v is None or v == 0 or v >= 5 for v in body["totaal"]["cellen"].values())
    assert "thui01" not in response.text
    assert body["doorzettingsmacht"] == {"belegdBij": "directeur-swv", "afspraakTermijnDagen": 28}


async def test_report_access_by_role(
    client: AsyncClient, regio: dict[str, Any], auth: FakeAuthenticator, swv_a: Swv
) -> None:
    params = {"peildatum": iso(PEILDATUM)}
    inspectie = auth.headers(swv_a.actor(Rol.INSPECTIE_EXPORT))
    assert (
        await client.get("/v1/rapportages/inspectie", params=params, headers=inspectie)
    ).status_code == 200
    assert (await client.get("/v1/leerlingen", headers=inspectie)).status_code == 403
    begeleider = auth.headers(swv_a.actor(Rol.BEGELEIDER))
    assert (
        await client.get("/v1/rapportages/inspectie", params=params, headers=begeleider)
    ).status_code == 403
    assert (
        await client.post(
            "/v1/inspectie-indieningen", json={"peildatum": iso(PEILDATUM)}, headers=begeleider
        )
    ).status_code == 403


async def test_leerplicht_overleg_lists_absoluut_verzuim_vrijstellingen_and_frequent_absence(
    client: AsyncClient, regio: dict[str, Any], auth: FakeAuthenticator, swv_a: Swv
) -> None:
    headers = regio["headers"]
    frequent = await registreer(client, headers, swv_a, pseudoniem="freq01")
    school = str(swv_a.scholen[0])
    await meld(
        client,
        headers,
        frequent["id"],
        "inschrijving",
        iso(PEILDATUM - timedelta(days=700)),
        schoolId=school,
    )
    for week in range(3):
        await meld(
            client,
            headers,
            frequent["id"],
            "verzuimuren",
            iso(PEILDATUM - timedelta(days=20 - 7 * week)),
            gegevens={"uren": 6},
        )
    response = await client.get(
        "/v1/rapportages/leerplichtoverleg", params={"peildatum": iso(PEILDATUM)}, headers=headers
    )
    assert response.status_code == 200, response.text
    redenen = {r["pseudoniem"]: r["reden"] for r in response.json()["data"]}
    assert redenen["abso01"] == "absoluut-verzuim"
    assert redenen["vrij01"] == "vrijstelling"
    assert redenen["freq01"] == "frequent-verzuim"
    assert "kort01" not in redenen
