"""API conventions every route inherits (NL API Design Rules, RFC 9457)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient

from app.api.app import Application
from app.api.middleware import onopslaanbare_json
from app.config import API_VERSION
from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv

SECURITY_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


def assert_problem(response_json: dict[str, object], status: int) -> None:
    for member in ("type", "title", "status", "detail", "instance"):
        assert member in response_json, member
    assert response_json["status"] == status


async def test_health_answers_200_with_version_and_security_headers(client: AsyncClient) -> None:
    response = await client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["api-version"] == API_VERSION
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-request-id"]


async def test_readiness_checks_the_database(client: AsyncClient) -> None:
    response = await client.get("/v1/health/ready")
    assert response.status_code == 200


async def test_readiness_is_503_problem_when_database_unreachable(
    client: AsyncClient, application: Application
) -> None:
    async def broken() -> None:
        raise ConnectionRefusedError("no database")

    application.api.state.ping = broken
    response = await client.get("/v1/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(response.json(), 503)
    assert response.headers["api-version"] == API_VERSION


@pytest.mark.parametrize("path", ["/v1/bestaat-niet", "/bestaat-niet", "/v2/health"])
async def test_unknown_path_is_404_problem(client: AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(response.json(), 404)
    assert response.headers["api-version"] == API_VERSION


@pytest.mark.parametrize("path", ["/v1/health/", "/v1/scholen/", "/v1/"])
async def test_trailing_slash_is_404_not_a_redirect(client: AsyncClient, path: str) -> None:
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == 404
    assert "location" not in response.headers


async def test_wrong_method_is_405_problem(client: AsyncClient) -> None:
    response = await client.delete("/v1/health")
    assert response.status_code == 405
    assert_problem(response.json(), 405)


async def test_request_id_is_taken_from_the_caller_when_well_formed(client: AsyncClient) -> None:
    own = "6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c"
    response = await client.get("/v1/health", headers={"X-Request-ID": own})
    assert response.headers["x-request-id"] == own
    for hostile in ("<script>", "123456782", "Jan-Jansen-123456782"):
        answer = await client.get("/v1/health", headers={"X-Request-ID": hostile})
        assert answer.headers["x-request-id"] != hostile


async def test_malformed_json_is_400_problem(client: AsyncClient) -> None:
    response = await client.post(
        "/v1/scholen", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert_problem(body, 400)
    assert body["errors"][0]["code"] == "json_invalid"


async def test_oversized_body_is_413_problem(client: AsyncClient) -> None:
    big = json.dumps({"naam": "x" * 70_000})
    response = await client.post(
        "/v1/scholen", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(response.json(), 413)


async def test_oversized_body_without_content_length_is_413(client: AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 10_000

    response = await client.post(
        "/v1/scholen", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_unhandled_error_is_500_problem_without_internals(
    client: AsyncClient, application: Application
) -> None:
    @application.api.get("/kapot", include_in_schema=False)
    async def kapot() -> None:
        raise RuntimeError("secret internal detail 123456782")

    response = await client.get("/v1/kapot")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["api-version"] == API_VERSION
    assert "123456782" not in response.text
    assert_problem(response.json(), 500)


async def test_docs_are_served_offline(client: AsyncClient) -> None:
    page = await client.get("/v1/docs")
    assert page.status_code == 200
    assert "/v1/static/swagger-ui-bundle.js" in page.text
    asset = await client.get("/v1/static/swagger-ui-bundle.js")
    assert asset.status_code == 200
    redoc = await client.get("/v1/redoc")
    assert redoc.status_code == 200


async def test_root_points_to_the_docs(client: AsyncClient) -> None:
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/v1/docs"


async def test_405_allow_lists_every_method_of_the_path(client: AsyncClient) -> None:
    """RFC 9110 §15.5.6: `Allow` names the methods the resource has, HEAD with GET."""
    response = await client.delete("/v1/leerlingen")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert_problem(response.json(), 405)


async def test_allow_of_a_literal_path_is_its_own_not_that_of_a_parameter_beside_it(
    client: AsyncClient,
) -> None:
    """RFC 9110 §15.5.6: `/leerlingen/zoeken` is its own resource (POST), not a child's id
    (`/leerlingen/{leerlingId}` has GET); found by schemathesis's allow_header_conformance."""
    response = await client.delete("/v1/leerlingen/zoeken")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_head_answers_as_get_without_a_body(client: AsyncClient) -> None:
    """RFC 9110 §9.3.2: HEAD works wherever GET does, same status and headers, no body."""
    get = await client.get("/v1/health")
    head = await client.head("/v1/health")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["api-version"] == API_VERSION


@pytest.mark.parametrize("accept", ["image/png", "text/html", "application/xml;q=1, */*;q=0"])
async def test_unknown_accept_is_406(client: AsyncClient, accept: str) -> None:
    """RFC 9110 §12.5.1: an `Accept` the API cannot serve is refused with 406."""
    response = await client.get("/v1/health", headers={"Accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(response.json(), 406)


async def test_accept_of_a_type_this_route_does_not_serve_is_406(client: AsyncClient) -> None:
    response = await client.get("/v1/health", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    for accept in ("application/json", "application/*", "*/*", "text/csv, application/json;q=0.1"):
        assert (await client.get("/v1/health", headers={"Accept": accept})).status_code == 200


@pytest.mark.parametrize(
    "body",
    [b'{"naam": "\xff\xfe"}', b"[" * 10_000 + b"]" * 10_000, b'{"naam": }'],
    ids=["ongeldige-utf8", "diep-genest", "json-syntax"],
)
async def test_unreadable_body_is_400_with_errors(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, body: bytes
) -> None:
    """Every 400 lists its errors, also when the body cannot be read at all."""
    response = await client.post(
        "/v1/leerlingen",
        content=body,
        headers={**auth.headers(swv_a.actor(Rol.REGISSEUR)), "content-type": "application/json"},
    )
    assert response.status_code == 400
    problem = response.json()
    assert_problem(problem, 400)
    assert problem["errors"][0]["in"] == "body"
    assert problem["errors"][0]["code"] == "json_invalid"


async def test_errors_never_echo_an_unknown_field_name(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """A caller's key is input too: an unknown field is named by where it is, not by its name."""
    response = await client.post(
        "/v1/leerlingen",
        json={"pseudoniem": "123456", "Jan_Jansen_123456782": 1},
        headers=auth.headers(swv_a.actor(Rol.REGISSEUR)),
    )
    assert response.status_code == 400
    assert "Jan_Jansen" not in response.text
    assert "123456782" not in response.text
    assert any(e["code"] == "extra_forbidden" for e in response.json()["errors"])


async def test_loose_parsing_is_refused(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """Strict input: `"2013"` is not an integer, `bekendOp=12` not a moment in 1970."""
    headers = auth.headers(swv_a.actor(Rol.REGISSEUR))
    body = {
        "pseudoniem": "654321",
        "geboortejaar": "2013",
        "geboortemaand": 3,
        "regio": "midden",
        "schoolId": str(swv_a.scholen[0]),
    }
    response = await client.post("/v1/leerlingen", json=body, headers=headers)
    assert response.status_code == 400
    fout = response.json()["errors"][0]
    assert (fout["name"], fout["code"]) == ("geboortejaar", "int_type")
    aangemaakt = await client.post(
        "/v1/leerlingen", json={**body, "geboortejaar": 2013}, headers=headers
    )
    assert aangemaakt.status_code == 201, aangemaakt.text
    status = f"/v1/leerlingen/{aangemaakt.json()['id']}/status"
    los = await client.get(status, params={"bekendOp": "12"}, headers=headers)
    assert los.status_code == 400
    assert los.json()["errors"][0]["name"] == "bekendOp"
    goed = await client.get(status, params={"bekendOp": "2026-01-01T12:00:00Z"}, headers=headers)
    assert goed.status_code == 200, goed.text


async def test_a_path_date_is_a_date_not_a_unix_timestamp(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    """Strict input in the path too: `/taken-cycli/0` is not the cycle of 1970-01-01 but a 400
    (found by schemathesis's negative_data_rejection)."""
    headers = auth.headers(swv_a.actor(Rol.REGISSEUR))
    los = await client.get("/v1/taken-cycli/0", headers=headers)
    assert los.status_code == 400, los.text
    assert (los.json()["errors"][0]["in"], los.json()["errors"][0]["name"]) == ("path", "peildatum")
    goed = await client.get("/v1/taken-cycli/2026-10-01", headers=headers)
    assert goed.status_code == 200, goed.text


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/v1/meldingen", b'{"soort": "dreigend", "bijzonderheden": "a\\u0000b"}'),
        ("/v1/leerlingen", b'{"pseudoniem": "\\ud801"}'),
        ("/v1/leerlingen", b'{"\\u0000": 1}'),
        ("/v1/leerlingen", b'{"a": [{"b": ["x", "\\uDC00y"]}]}'),
    ],
    ids=["nul-in-tekst", "losse-hoge-surrogaat", "nul-in-sleutel", "losse-lage-surrogaat-diep"],
)
async def test_text_postgresql_cannot_store_is_a_400_before_any_work(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, route: str, body: bytes
) -> None:
    """Valid JSON may carry U+0000 or a lone surrogate, which PostgreSQL cannot store: a 400 that
    lists it, never a 500 halfway through a write (found by schemathesis)."""
    response = await client.post(
        route,
        content=body,
        headers={**auth.headers(swv_a.actor(Rol.REGISSEUR)), "content-type": "application/json"},
    )
    assert response.status_code == 400
    problem = response.json()
    assert_problem(problem, 400)
    assert problem["errors"] == [
        {
            "in": "body",
            "name": "body",
            "code": "tekst_onopslaanbaar",
            "reason": problem["errors"][0]["reason"],
        }
    ]
    assert "U+0000" in problem["errors"][0]["reason"]


@pytest.mark.parametrize(
    ("body", "onopslaanbaar"),
    [
        (b'{"a": "\\ud83d\\ude00"}', False),  # a surrogate pair is an ordinary character
        (b'{"a": "\\\\u0000"}', False),  # an escaped backslash: the text \u0000, storable
        (b'{"a": "\\u0000"}', True),
        (b'{"a": "\\ud83d"}', True),
        (b'{"a": "\\u0000"', False),  # no valid JSON: the framework's own 400
        (b'{"a": "gewoon"}', False),
    ],
)
def test_which_json_text_cannot_be_stored(body: bytes, onopslaanbaar: bool) -> None:
    assert onopslaanbare_json(body) is onopslaanbaar
