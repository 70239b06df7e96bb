"""Access control, provably: every route is in the permission matrix
or explicitly public, and 2 SWVs × 2 schools × every role × every route leak nothing."""

from __future__ import annotations

import inspect
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import AsyncClient

from app.api.app import Application
from app.api.auth import Requires, get_actor
from app.db.session import UnitOfWork
from app.domain.feiten import FeitSoort
from app.domain.toegang import RECHTEN, Actor, Namens, Operatie, Reikwijdte, Rol, mag
from app.services import feiten
from app.services.errors import Forbidden, InvalidInput
from tests.api.test_leerlingen import VANDAAG, dag, ingeschreven, meld
from tests.builders import FakeAuthenticator, Swv
from tests.domain.test_toegang import VERWACHT

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/health/ready"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    ("POST", "/sessies"),
    ("POST", "/sessies/vernieuwingen"),
    ("POST", "/tokens"),
    ("POST", "/tweede-factoren"),
    ("POST", "/sso-sessies"),
}
VESTIGINGROLLEN = {Rol.SCHOOLMEDEWERKER, Rol.SCHOOLSYSTEEM, Rol.KETENPARTNER}
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
        url = url.replace("{escalatieId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{afspraakId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{tlvId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{checkId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{leveringId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{voorstelId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{peildatum}", "2026-10-01")  # a path date is checked strictly
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
            escalatie = await client.post(
                "/v1/escalaties",
                json={"leerlingId": child["id"], "aanleiding": "melding-begeleider"},
                headers=writer,
            )
            assert escalatie.status_code == 201, escalatie.text
            child["escalatie"] = escalatie.json()["id"]
            children.append((child, swv, school))
    actors = [
        swv_a.actor(rol, school=0 if rol in VESTIGINGROLLEN else None,
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
            response = await client.get(f"/v1/escalaties/{child['escalatie']}", headers=headers)
            if not mag(actor, Operatie.ESCALATIE_LEZEN):
                expected = {403}
            else:
                expected = {200} if visible else {404}
            if response.status_code not in expected:
                leaks.append(
                    (actor.rol, "/escalaties/{id}", child["pseudoniem"], response.status_code)
                )
        escalaties = await client.get("/v1/escalaties", params={"pageSize": 100}, headers=headers)
        if mag(actor, Operatie.ESCALATIE_LEZEN):
            shown = {item["leerlingId"] for item in escalaties.json()["data"]}
            for child, swv, school in children:
                if child["id"] in shown and not in_scope(actor, child, swv, school, school):
                    leaks.append(("ESCALATIE LIST LEAK", actor.rol, child["pseudoniem"]))
        else:
            assert escalaties.status_code == 403
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


# -- who may state which fact: every fact kind × role (docs/domain.md, "Wie meldt welk feit") --


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


async def aantal_feiten(client: AsyncClient, headers: dict[str, str], leerling_id: str) -> int:
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=headers)
    assert history.status_code == 200, history.text
    return len(history.json()["data"])


def assert_geweigerd(response: Any, soort: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert soort in response.json()["detail"]


MELDERS = [r for r in Rol if Operatie.FEIT_MELDEN in RECHTEN[r]]


@pytest.mark.parametrize("rol", MELDERS)
async def test_fact_kind_matrix_over_http_every_kind_every_reporting_role(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv, rol: Rol
) -> None:
    """Every fact kind × every role that may report: refused kinds are 403 and store nothing,
    the others pass the right (201, or 400 for fields this test does not fill in)."""
    actor = swv_a.actor(
        rol,
        school=0 if rol in VESTIGINGROLLEN else None,
        gemeente=0 if rol in {Rol.LEERPLICHTAMBTENAAR, Rol.LEERPLICHTSYSTEEM} else None,
    )
    headers = auth.headers(actor)
    leerling_id = str(
        (await ingeschreven(client, regisseur, swv_a, woongemeente=swv_a.gemeente_codes[0]))["id"]
    )
    for soort in FeitSoort:
        if soort in {FeitSoort.CORRECTIE, FeitSoort.INTREKKING}:
            continue
        extra: dict[str, Any] = {"schoolId": str(swv_a.scholen[0])}
        if soort is FeitSoort.JEUGDARTS_OORDEEL:
            extra["namens"] = "jeugdarts"
        voor = await aantal_feiten(client, regisseur, leerling_id)
        response = await meld(client, headers, leerling_id, str(soort), dag(-1), **extra)
        if str(rol) in VERWACHT[soort]:
            assert response.status_code in {201, 400}, (soort, rol, response.text)
        else:
            assert_geweigerd(response, str(soort))
            assert await aantal_feiten(client, regisseur, leerling_id) == voor


async def test_fact_kind_matrix_through_the_service_for_the_directeur(
    uow: UnitOfWork, client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The directeur has no inbox route (no feit:melden) but the coming workflows append
    facts on its behalf: every kind through `voeg_feit_toe`, refused kinds are Forbidden."""
    leerling_id = str((await ingeschreven(client, regisseur, swv_a))["id"])
    directeur = swv_a.actor(Rol.DIRECTEUR)
    for soort in FeitSoort:
        if soort in {FeitSoort.CORRECTIE, FeitSoort.INTREKKING}:
            continue
        nieuw = feiten.NieuwFeit(
            str(soort),
            VANDAAG - timedelta(days=1),
            school_id=swv_a.scholen[0],
            namens=Namens.JEUGDARTS if soort is FeitSoort.JEUGDARTS_OORDEEL else None,
        )
        try:
            await feiten.meld_feit(uow, directeur, uuid.UUID(leerling_id), nieuw)
            uitkomst = "toegestaan"
        except Forbidden:
            uitkomst = "geweigerd"
        except InvalidInput:
            uitkomst = "toegestaan"  # passed the right; this test fills in no fields
        verwacht = "toegestaan" if "directeur" in VERWACHT[soort] else "geweigerd"
        assert uitkomst == verwacht, soort
