"""Access control, provably (issue 5 items 2, 4 and 8): every route is in the permission matrix
or explicitly public, and 2 SWVs × 2 schools × every role × every route leak nothing."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import AsyncClient

from app.api.app import Application
from app.api.auth import Requires, get_actor
from app.domain.toegang import Actor, Operatie, Reikwijdte, Rol, mag
from tests.api.test_leerlingen import ingeschreven
from tests.builders import FakeAuthenticator, Swv

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/health/ready"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    ("POST", "/sessies"),
    ("POST", "/sessies/vernieuwingen"),
    ("POST", "/tokens"),
}
AUTHENTICATED_ONLY = {("DELETE", "/sessies/huidig")}


def _calls(dependant: Dependant) -> list[Any]:
    found = [dependant.call]
    for sub in dependant.dependencies:
        found.extend(_calls(sub))
    return found


def routes(application: Application) -> list[tuple[str, str, list[Any]]]:
    """Every (method, path, dependency calls) of the v1 API, included routers flattened."""
    result = []
    for context in iter_route_contexts(application.api.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            for method in sorted(route.methods or ()):
                result.append((method, str(context.path), _calls(route.dependant)))
    return result


def test_every_route_is_in_the_matrix_or_explicitly_public(application: Application) -> None:
    seen = set()
    for method, path, calls in routes(application):
        seen.add((method, path))
        requires = [c for c in calls if isinstance(c, Requires)]
        if (method, path) in PUBLIC:
            assert get_actor not in calls, (method, path)
            assert not requires, (method, path)
            continue
        if (method, path) in AUTHENTICATED_ONLY:
            assert get_actor in calls, (method, path)
            continue
        assert len(requires) == 1, f"{method} {path} has no Requires(...): deny by default"
        assert isinstance(requires[0].operatie, Operatie)
    assert seen >= PUBLIC | AUTHENTICATED_ONLY


async def test_every_protected_route_refuses_a_missing_token(
    client: AsyncClient, application: Application
) -> None:
    for method, path, _calls in routes(application):
        if (method, path) in PUBLIC:
            continue
        url = "/v1" + path.replace("{leerlingId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{schoolId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{gebruikerId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{periodeId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{leveringId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{voorstelId}", "00000000-0000-4000-8000-000000000000")
        response = await client.request(method, url, json={})
        assert response.status_code == 401, (method, path, response.status_code)


def in_scope(actor: Actor, child: dict[str, Any], swv: Swv, school: int, gemeente: int) -> bool:
    if actor.swv_id != str(swv.id):
        return False
    reikwijdte = actor.reikwijdte
    if reikwijdte is Reikwijdte.SWV:
        return True
    if reikwijdte is Reikwijdte.VESTIGINGEN:
        return str(swv.scholen[school]) in actor.vestiging_ids
    if reikwijdte is Reikwijdte.GEMEENTEN:
        return str(swv.gemeenten[gemeente]) in actor.gemeente_ids
    return False


@pytest.mark.parametrize("rol", list(Rol))
async def test_matrix_two_swvs_two_schools_every_role_every_route_zero_leaks(  # noqa: PLR0917
    client: AsyncClient,
    application: Application,
    auth: FakeAuthenticator,
    swv_a: Swv,
    swv_b: Swv,
    rol: Rol,
) -> None:
    writer_a = auth.headers(swv_a.actor(Rol.REGISSEUR))
    writer_b = auth.headers(swv_b.actor(Rol.REGISSEUR))
    children = []
    for swv, writer in ((swv_a, writer_a), (swv_b, writer_b)):
        for school in (0, 1):
            child = await ingeschreven(
                client,
                writer,
                swv,
                schoolId=str(swv.scholen[school]),
                woongemeente=swv.gemeente_codes[school],
            )
            children.append((child, swv, school))
    actors = [
        swv_a.actor(rol, school=0 if rol in {Rol.SCHOOLMEDEWERKER, Rol.SCHOOLSYSTEEM} else None,
                    gemeente=0 if rol in {Rol.LEERPLICHTAMBTENAAR, Rol.LEERPLICHTSYSTEEM} else None)
    ]  # fmt: skip
    leaks: list[tuple[object, ...]] = []
    child_routes = [
        (path, next(c.operatie for c in calls if isinstance(c, Requires)))
        for method, path, calls in routes(application)
        if method == "GET" and path.startswith("/leerlingen/{leerlingId}") and path.count("{") == 1
    ]
    assert len(child_routes) >= 4
    for actor in actors:
        headers = auth.headers(actor)
        for child, swv, school in children:
            visible = in_scope(actor, child, swv, school, school)
            for path, operatie in child_routes:
                url = "/v1" + path.replace("{leerlingId}", child["id"])
                response = await client.get(url, headers=headers)
                allowed = mag(actor, operatie)
                if not allowed:
                    expected = {403}
                elif visible:
                    expected = {200}
                else:
                    expected = {404}
                if response.status_code not in expected:
                    leaks.append((actor.rol, path, child["pseudoniem"], response.status_code))
                if response.status_code == 200 and not visible:
                    leaks.append(("LEAK", actor.rol, path, child["pseudoniem"]))
        listed = await client.get("/v1/leerlingen", params={"pageSize": 100}, headers=headers)
        if mag(actor, Operatie.LEERLING_LEZEN):
            ids = {item["id"] for item in listed.json()["data"]}
            for child, swv, school in children:
                if child["id"] in ids and not in_scope(actor, child, swv, school, school):
                    leaks.append(("LIST LEAK", actor.rol, child["pseudoniem"]))
        else:
            assert listed.status_code == 403
    assert leaks == []


def _is_async(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004 (a dependency object's own __call__)
    )


def test_every_endpoint_and_dependency_runs_on_the_event_loop(application: Application) -> None:
    """A plain `def` endpoint or dependency runs in FastAPI's thread pool: a thread hand-off on
    every request (it cost the register's hot paths a tenth of their time)."""
    sync = {
        (method, path, getattr(c, "__qualname__", repr(c)))
        for method, path, calls in routes(application)
        for c in calls
        if c is not None and not _is_async(c)
    }
    assert sync == set()
