"""The committed contract is the one the code serves, and follows the ADR conventions."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from app.api.app import Application, create_app
from app.config import Settings
from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def generated() -> dict[str, object]:
    return create_app(Settings(database_url=None)).api.openapi()


def test_committed_contract_equals_generated_one() -> None:
    committed = json.loads(CONTRACT.read_text())
    assert committed == generated(), (
        "openapi/openapi.json drifted from the code: run `make openapi` and commit it"
    )


async def test_served_contract_equals_committed_one(client: AsyncClient) -> None:
    response = await client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(CONTRACT.read_text())


def test_contract_conventions() -> None:
    contract = generated()
    paths = contract["paths"]
    assert isinstance(paths, dict)
    operation_ids: list[str] = []
    for path, item in paths.items():
        assert not path.endswith("/") or path == "/", path
        assert re.fullmatch(r"(/([a-z0-9-]+|\{[A-Za-z]+\}))+", path), path
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            assert re.fullmatch(r"[a-z][A-Za-z0-9]+", operation["operationId"])
            if "422" in operation["responses"]:
                assert "idempotentie" in json.dumps(operation).lower() or "Idempotency-Key" in (
                    json.dumps(operation)
                ), (method, path)
            for code, response in operation["responses"].items():
                if code.startswith(("2", "3")):
                    assert "API-Version" in response["headers"]
                else:
                    assert list(response["content"]) == ["application/problem+json"]
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", parameter["name"])
    assert len(operation_ids) == len(set(operation_ids))
    assert contract["servers"] == [{"url": "/v1", "description": "Deze server, API-versie 1"}]


def test_every_schema_of_the_contract_has_a_name_of_its_own() -> None:
    """Two models of one name become `app__api__…` or `…-Input`/`…-Output` components with one
    title, and generated clients drop them (openapi-python-client did, decision 0044)."""
    schemas = generated()["components"]["schemas"]  # type: ignore[index]
    assert not [naam for naam in schemas if "__" in naam or naam.endswith(("-Input", "-Output"))]
    titels = [schema.get("title", naam) for naam, schema in schemas.items()]
    assert len(titels) == len(set(titels)), sorted(t for t in titels if titels.count(t) > 1)


_HALFOPEN = re.compile(r"(^|[a-z])(einddatum|Einddatum|einde|Einde|geldigTot|GeldigTot)$")
_TOT_EN_MET = re.compile(r"(^|[a-z])(totEnMet|TotEnMet)$")


def _beschrijving(schema: dict[str, Any]) -> str:
    """A property's description, also where a nullable one keeps it inside `anyOf`."""
    if "description" in schema:
        return str(schema["description"])
    for deel in schema.get("anyOf", []) + schema.get("oneOf", []):
        if isinstance(deel, dict) and "description" in deel:
            return str(deel["description"])
    return ""


def _datumvelden(knoop: object, waar: str = "") -> list[tuple[str, str, str]]:
    """Every property and parameter of the contract: (where, name, description)."""
    gevonden: list[tuple[str, str, str]] = []
    if isinstance(knoop, dict):
        for naam, schema in (knoop.get("properties") or {}).items():
            if isinstance(schema, dict):
                gevonden.append((waar, naam, _beschrijving(schema)))
        if "in" in knoop and "name" in knoop:
            gevonden.append((waar, str(knoop["name"]), str(knoop.get("description", ""))))
        for sleutel, kind in knoop.items():
            gevonden += _datumvelden(kind, f"{waar}/{sleutel}")
    elif isinstance(knoop, list):
        for kind in knoop:
            gevonden += _datumvelden(kind, waar)
    return gevonden


def test_een_einddatum_heeft_overal_een_betekenis() -> None:
    """`einddatum`, `einde`, `geldigTot` are the first day no longer (half-open) and `totEnMet`
    the last day (inclusive), in every schema and parameter: one meaning per name."""
    contract = generated()
    velden = _datumvelden(contract)
    halfopen = [(w, n, b) for w, n, b in velden if _HALFOPEN.search(n)]
    inclusief = [(w, n, b) for w, n, b in velden if _TOT_EN_MET.search(n)]
    assert {n for _, n, _ in halfopen} >= {"einddatum", "einde", "geldigTot", "verzuimEinde"}
    assert {n for _, n, _ in inclusief} >= {"totEnMet", "geldigTotEnMet"}
    fout = [
        (w, n)
        for w, n, b in halfopen
        if "eerste dag" not in b.lower()
        or any(woord in b.lower() for woord in ("tot en met", "laatste dag", "inclusief"))
    ]
    assert not fout, f"half-open end dates not described as the first day no longer: {fout}"
    fout = [(w, n) for w, n, b in inclusief if "tot en met" not in b.lower()]
    assert not fout, f"inclusive last days not described as `tot en met`: {fout}"
    beschrijving = str(contract["info"]["description"])  # type: ignore[index]
    assert "`einddatum`, `einde` en `geldigTot`" in beschrijving
    assert "`totEnMet` is overal de **laatste dag" in beschrijving


async def test_validatiefouten_van_de_bibliotheek_zijn_nederlands(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """Every `reason` of a 400 is Dutch, also for pydantic's own errors; no value is echoed."""
    regisseur_headers = auth.headers(swv_a.actor(Rol.REGISSEUR))
    response = await client.post(
        "/v1/leerlingen",
        json={"pseudoniem": "", "geboortejaar": "tweeduizend", "onbekend": "GEHEIM-42"},
        headers=regisseur_headers,
    )
    assert response.status_code == 400
    redenen = [e["reason"] for e in response.json()["errors"]]
    assert any(r.startswith("Onbekend veld") for r in redenen)
    assert "Moet een geheel getal zijn." in redenen
    assert not any(w in " ".join(redenen) for w in ("Field", "Input should", "GEHEIM"))


def test_elke_operatie_noemt_de_scope_die_de_server_controleert() -> None:
    """Security in the contract: OAuth2 client credentials, the operations as scopes, per route."""
    from fastapi.routing import APIRoute, iter_route_contexts

    from app.api.auth import Requires
    from app.domain.toegang import Operatie

    application = create_app(Settings(database_url=None))
    contract = application.api.openapi()
    flow = contract["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/v1/tokens"
    assert set(flow["scopes"]) == {str(o) for o in Operatie}
    assert all(flow["scopes"].values())
    gezien = 0
    for context in iter_route_contexts(application.api.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        stack = list(route.dependant.dependencies)
        while stack:
            dep = stack.pop()
            stack.extend(dep.dependencies)
            if isinstance(dep.call, Requires):
                for method in route.methods or ():
                    operation = contract["paths"][str(context.path)][method.lower()]
                    assert {"oauth2": [str(dep.call.operatie)]} in operation["security"]
                    gezien += 1
    assert gezien > 50


GENERATED_CLIENT = CONTRACT.parents[1] / "build" / "python-client"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_a_python_client_generated_from_the_contract_does_the_whole_round(
    application: Application, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """openapi-python-client's client of the committed contract (`make python-client`, part of
    `make test`) registers a child, reports a typed fact, reads the child's status and
    downloads the Inspectie register as XLSX."""
    if not (GENERATED_CLIENT / "thuiszitters_client").is_dir():
        pytest.skip("no generated client in build/python-client: run `make python-client`")
    sys.path.insert(0, str(GENERATED_CLIENT))
    try:
        from thuiszitters_client import AuthenticatedClient  # type: ignore[import-not-found]
        from thuiszitters_client.api.leerlingen import (  # type: ignore[import-not-found]
            create_feit,
            create_leerling,
            get_status,
        )
        from thuiszitters_client.api.rapportage import (  # type: ignore[import-not-found]
            get_inspectie_rapport,
        )
        from thuiszitters_client.models import (  # type: ignore[import-not-found]
            FeitInvoerInschrijving,
            Leerling,
            LeerlingInvoer,
            LeerlingInvoerRegio,
            LeerlingStatus,
        )
    finally:
        sys.path.remove(str(GENERATED_CLIENT))

    def client_voor(rol: Rol) -> Any:
        token = auth.token(swv_a.actor(rol))
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application),
            base_url="http://test/v1",
            headers={"Authorization": f"Bearer {token}"},
        )
        return AuthenticatedClient(base_url="http://test/v1", token=token).set_async_httpx_client(
            http
        )

    regisseur = client_voor(Rol.REGISSEUR)
    vandaag = datetime.now(UTC).date()
    leerling = await create_leerling.asyncio(
        client=regisseur,
        body=LeerlingInvoer(
            pseudoniem="PC-0001",
            geboortejaar=vandaag.year - 12,
            geboortemaand=3,
            regio=LeerlingInvoerRegio.MIDDEN,
            school_id=swv_a.scholen[0],
        ),
        idempotency_key="client-leerling-1",
    )
    assert isinstance(leerling, Leerling), leerling
    feit = await create_feit.asyncio_detailed(
        leerling.id,
        client=regisseur,
        body=FeitInvoerInschrijving(
            soort="inschrijving",
            geldig_vanaf=vandaag - timedelta(days=200),
            school_id=swv_a.scholen[0],
        ),
        idempotency_key="client-feit-1",
    )
    assert feit.status_code == 201, feit.content
    status = await get_status.asyncio(leerling.id, client=regisseur)
    assert isinstance(status, LeerlingStatus), status
    assert status.leerling_id == leerling.id
    # The generated method parses every 200 as JSON; the XLSX body is asked for with `Accept`
    # on the same request the client builds.
    directeur = client_voor(Rol.DIRECTEUR)
    verzoek = get_inspectie_rapport._get_kwargs(peildatum=vandaag)
    verzoek["headers"] = {**verzoek.get("headers", {}), "Accept": XLSX}
    rapport = await directeur.get_async_httpx_client().request(**verzoek)
    assert rapport.status_code == 200, rapport.text
    assert rapport.headers["content-type"].startswith(XLSX)
    assert rapport.content[:4] == b"PK\x03\x04", "an XLSX is a zip archive"
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(rapport.content)).namelist()
    assert load_workbook(io.BytesIO(rapport.content), read_only=True).sheetnames
