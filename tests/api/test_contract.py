"""The committed contract is the one the code serves, and follows the ADR conventions."""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from httpx import AsyncClient
from hypothesis.errors import NonInteractiveExampleWarning
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

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


VOORBEELDEN = 2
"""Generated requests per operation: a bound of about half a minute on 2 cores."""
UITGESLOTEN = [ignored_auth, positive_data_acceptance]
"""Schemathesis checks this suite does not run, argued in docs/decisions/0044."""


async def test_schemathesis_finds_no_failure_and_peers_see_nothing_of_each_other(
    client: AsyncClient,
    application: Application,
    auth: FakeAuthenticator,
    swv_a: Swv,
    swv_b: Swv,
) -> None:
    """Schemathesis's checks on generated requests to every operation (no 5xx, every status,
    header, media type and body as the contract says, invalid input refused); what SWV A
    created is a 404 for SWV B (object-level authorisation between peers)."""
    schema = schemathesis.openapi.from_dict(application.api.openapi())
    van_a = auth.headers(swv_a.actor(Rol.REGISSEUR))
    van_b = auth.headers(swv_b.actor(Rol.REGISSEUR))
    fouten: Counter[str] = Counter()
    aangemaakt: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for resultaat in schema.get_all_operations():
            assert isinstance(resultaat, Ok), "the contract is a valid OpenAPI document"
            operatie = resultaat.ok()
            strategie = operatie.as_strategy()
            for _ in range(VOORBEELDEN):
                case = strategie.example()
                kwargs = case.as_transport_kwargs(base_url="http://test/v1", headers=van_a)
                kwargs.pop("cookies", None)
                response = await client.request(**kwargs)
                if response.status_code == 201 and "location" in response.headers:
                    aangemaakt.append(response.headers["location"])
                try:
                    case.validate_response(response, excluded_checks=UITGESLOTEN)
                except BaseExceptionGroup as fout:
                    fouten[f"{operatie.method} {operatie.path}: {str(fout)[:2000]}"] += 1
    assert not fouten, "\n".join(fouten)
    for location in aangemaakt:
        assert (await client.get(location, headers=van_b)).status_code == 404, location


GENERATED_CLIENT = CONTRACT.parents[1] / "build" / "python-client"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_a_python_client_generated_from_the_contract_does_the_whole_round(
    application: Application, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """openapi-python-client's client (`make python-client`) registers a child, reports a fact,
    reads the child's status and downloads the Inspectie register as XLSX."""
    if not (GENERATED_CLIENT / "thuiszitters_client").is_dir():
        pytest.skip("no generated client: `make python-client` (part of `make test`)")
    sys.path.insert(0, str(GENERATED_CLIENT))
    try:
        from thuiszitters_client import AuthenticatedClient  # type: ignore[import-not-found]
        from thuiszitters_client.api.leerlingen import (  # type: ignore[import-not-found]
            create_feit,
            create_leerling,
            get_status,
        )
        from thuiszitters_client.models import (  # type: ignore[import-not-found]
            FeitInvoer,
            FeitSoort,
            LeerlingInvoer,
            LeerlingInvoerRegio,
        )
    finally:
        sys.path.remove(str(GENERATED_CLIENT))

    def client_voor(rol: Rol) -> Any:
        token = auth.headers(swv_a.actor(rol))["Authorization"].removeprefix("Bearer ")
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
    )
    assert hasattr(leerling, "id"), leerling
    feit = await create_feit.asyncio_detailed(
        leerling.id,
        client=regisseur,
        body=FeitInvoer(
            soort=FeitSoort.INSCHRIJVING,
            geldig_vanaf=vandaag - timedelta(days=200),
            school_id=swv_a.scholen[0],
        ),
    )
    assert feit.status_code == 201, feit.content
    status = await get_status.asyncio(leerling.id, client=regisseur)
    assert hasattr(status, "categorie"), status
    directeur = client_voor(Rol.DIRECTEUR)
    rapport = await directeur.get_async_httpx_client().get(
        "/rapportages/inspectie",
        params={"peildatum": vandaag.isoformat()},
        headers={"Accept": XLSX},
    )
    assert rapport.status_code == 200, rapport.text
    assert rapport.headers["content-type"].startswith(XLSX)
    assert rapport.content[:2] == b"PK"
