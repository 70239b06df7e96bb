"""The access log names the route template of every request, never the path (which can hold a
child's id), also under the mounted `/v1` application."""

from __future__ import annotations

import logging
import uuid

import pytest
from httpx import AsyncClient

from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv


def routes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [str(getattr(r, "route", "")) for r in caplog.records if r.name == "thuiszitters.access"]


async def test_every_access_log_line_names_the_route_template(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, caplog: pytest.LogCaptureFixture
) -> None:
    headers = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling_id = uuid.uuid4()
    with caplog.at_level(logging.INFO, logger="thuiszitters.access"):
        assert (
            await client.get(f"/v1/leerlingen/{leerling_id}", headers=headers)
        ).status_code == 404
        assert (await client.get("/v1/leerlingen", headers=headers)).status_code == 200
        assert (await client.get("/v1/health")).status_code == 200
        assert (await client.get(f"/v1/leerlingen/{leerling_id}")).status_code == 401
        assert (await client.get("/v1/bestaat-niet")).status_code == 404
    assert routes(caplog) == [
        "/v1/leerlingen/{leerlingId}",
        "/v1/leerlingen",
        "/v1/health",
        "/v1/leerlingen/{leerlingId}",
        "(geen route)",
    ]
    # The server's logs, whatever their logger; the test's own HTTP client (httpx, httpcore) logs
    # the URL it requested when another test has turned its logging up.
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert all(str(leerling_id) not in r.getMessage() for r in server)
