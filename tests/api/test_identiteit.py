"""Privacy mode: pseudonymous by default; identified only with a legal basis,
the BSN validated, encrypted at rest, findable by keyed hash, masked unless the role uses it;
and a scanner: a valid BSN never shows up in logs, URLs, or responses to roles without it."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.db.organisaties import SwvRow
from app.domain.identiteit import is_geldig_bsn
from app.domain.toegang import Operatie, Rol, mag
from app.logs import JsonFormatter
from tests.builders import FakeAuthenticator, Swv

BSN = "111222333"  # fictitious, passes the elfproef
NAAM = "Fictief Testkind"


@pytest.fixture
async def identified(sessionmaker: async_sessionmaker[AsyncSession], swv_b: Swv) -> Swv:
    async with sessionmaker(info={"swv_id": "*"}) as session:
        await session.execute(
            update(SwvRow)
            .where(SwvRow.id == swv_b.id)
            .values(privacy_modus="geidentificeerd", rechtsgrond="Testgrondslag (fictief)")
        )
        await session.commit()
    return swv_b


def body(swv: Swv, **identiteit: Any) -> dict[str, Any]:
    return {
        "pseudoniem": "551901",
        "geboortejaar": 2013,
        "geboortemaand": 6,
        "regio": "midden",
        "woongemeente": swv.gemeente_codes[0],
        "identiteit": identiteit,
    }


async def test_pseudonymous_swv_refuses_identifying_details(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    headers = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    response = await client.post(
        "/v1/leerlingen", json=body(swv_a, naam=NAAM, bsn=BSN), headers=headers
    )
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["errors"]] == ["identiteit"]
    assert BSN not in response.text
    assert NAAM not in response.text


async def test_identified_swv_encrypts_validates_masks_and_finds(
    client: AsyncClient,
    auth: FakeAuthenticator,
    identified: Swv,
    connection: AsyncConnection,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    regisseur = auth.headers(identified.actor(Rol.REGISSEUR))
    leerplicht = auth.headers(identified.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    begeleider = auth.headers(identified.actor(Rol.BEGELEIDER))
    urls: list[str] = []

    async def call(method: str, url: str, headers: dict[str, str], **kw: Any) -> Any:
        urls.append(url)
        return await client.request(method, url, headers=headers, **kw)

    refused = await call("POST", "/v1/leerlingen", regisseur, json=body(identified, bsn=BSN))
    assert refused.status_code == 403, "a role without a legal basis for the BSN records none"
    invalid = await call(
        "POST", "/v1/leerlingen", leerplicht, json=body(identified, bsn="123456789")
    )
    assert invalid.status_code == 400
    assert "123456789" not in invalid.text
    created = await call(
        "POST",
        "/v1/leerlingen",
        {**leerplicht, "Idempotency-Key": "registratie-1"},
        json=body(identified, naam=NAAM, bsn=BSN, geboortedatum="2013-06-14", adres="Teststraat 1"),
    )
    assert created.status_code == 201, created.text
    leerling_id = created.json()["id"]
    assert created.json()["identiteit"]["bsn"] == BSN
    duplicate = await call(
        "POST",
        "/v1/leerlingen",
        leerplicht,
        json={**body(identified, bsn=BSN), "pseudoniem": "551902"},
    )
    assert duplicate.status_code == 409

    responses: dict[str, str] = {}
    for role, headers in (
        ("regisseur", regisseur),
        ("leerplicht", leerplicht),
        ("begeleider", begeleider),
    ):
        got = await call("GET", f"/v1/leerlingen/{leerling_id}", headers)
        assert got.status_code == 200
        responses[role] = got.text
    assert '"bsn":"******333"' in responses["regisseur"]
    assert f'"bsn":"{BSN}"' in responses["leerplicht"]
    assert NAAM in responses["regisseur"]
    assert '"identiteit":null' in responses["begeleider"]
    assert NAAM not in responses["begeleider"]

    found = await call("POST", "/v1/leerlingen/zoeken", leerplicht, json={"bsn": BSN})
    assert [r["id"] for r in found.json()["data"]] == [leerling_id]
    not_allowed = await call("POST", "/v1/leerlingen/zoeken", begeleider, json={"bsn": BSN})
    assert not_allowed.status_code == 403
    for path in ("status", "tijdlijn", "gebeurtenissen"):
        await call("GET", f"/v1/leerlingen/{leerling_id}/{path}", begeleider)

    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    row = (await connection.execute(text("SELECT leerlingen::text FROM leerlingen"))).scalars()
    stored = " ".join(row)
    assert BSN not in stored
    assert NAAM not in stored
    kept = " ".join(
        (
            await connection.execute(
                text("SELECT idempotentie_sleutels::text FROM idempotentie_sleutels")
            )
        ).scalars()
    )
    assert kept, "the answer to the idempotent registration is kept"
    assert BSN not in kept, "kept encrypted"
    assert NAAM not in kept
    assert "Teststraat" not in stored

    # The scanner: no elfproef-valid nine-digit number in any log line or URL.
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert lines, "the requests must have been logged"
    for line in lines + urls:
        assert not _bsns_in(line), line
    assert NAAM not in "\n".join(lines)
    assert not mag(identified.actor(Rol.BEGELEIDER), Operatie.BSN_INZIEN)
    assert BSN not in responses["regisseur"] + responses["begeleider"]


def _bsns_in(text_: str) -> list[str]:
    digits = [text_[i : i + 9] for i in range(len(text_) - 8)]
    return [
        d
        for i, d in enumerate(digits)
        if d.isdigit()
        and is_geldig_bsn(d)
        and (i == 0 or not text_[i - 1].isdigit())
        and (i + 9 >= len(text_) or not text_[i + 9].isdigit())
    ]
