"""The contract: generated from the code, then brought in line with the NL API Design Rules."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.auth import Requires
from app.api.schemas import CONTRACT_SCHEMAS
from app.config import API_VERSION
from app.domain.toegang import RECHTEN, Operatie

CONTACT = {
    "name": "Team thuiszitters",
    "email": "thuiszitters@example.org",
    "url": "https://example.org/thuiszitters",
}
DESCRIPTION = """\
Register en casusregie voor thuiszitters van een samenwerkingsverband passend onderwijs.

Alle fouten zijn `application/problem+json` (RFC 9457). Ongeldige invoer geeft **400** met elke
fout in `errors`; ingevoerde waarden worden nooit herhaald. Elke respons draagt de header
`API-Version`. Een **503** met `Retry-After` betekent dat de database dit verzoek niet kon
afmaken en dat er niets is opgeslagen: herhaal het na dat aantal seconden.

**Einddatums: één betekenis per veldnaam.** `einddatum`, `einde` en `geldigTot` zijn overal de
**eerste dag waarop de situatie niet meer geldt** (halfopen), in feiten, rapportages en het
Inspectieregister; zo ook de `geldigVanaf` van een feit dat iets beëindigt (`…-beeindigd`,
`uitschrijving`). `totEnMet` is overal de **laatste dag waarop de situatie gold** (tot en met),
ook in de periode-resources (`/leerlingen/{id}/verzuimperiodes` en verwant): daar is het eindfeit
`totEnMet` + 1 dag.

**Toegang.** Systemen: OAuth2 client credentials (`POST /tokens`); elke operatie noemt de scope
die zij vraagt. Mensen: `POST /sessies` met wachtwoord en TOTP-code geeft een bearer-token.

HTTP zoals RFC 9110 het bedoelt: `HEAD` werkt waar `GET` werkt; een 405 noemt in `Allow` de
methoden van de resource; een `Accept` waarin de API niet kan antwoorden geeft **406**; een
`If-None-Match` met de huidige ETag geeft **304**; `If-Match: *` is geen versie en geeft **428**.
Invoer wordt strikt gelezen: `"2013"` is geen getal en `12` geen datum. Lijsten van leerlingen
kennen `gewijzigdSinds` om bij te blijven zonder alles te lezen.
"""
_HTTP_METHODS = {"get", "put", "post", "delete", "patch"}

API_VERSION_HEADER = {
    "description": "De volledige versie van dit contract (semver).",
    "schema": {"type": "string", "example": API_VERSION},
}


RETRY_AFTER_HEADER = {
    "description": "Na hoeveel seconden u het verzoek kunt herhalen.",
    "schema": {"type": "integer", "example": 1},
}
NIET_GEWIJZIGD = {
    "description": (
        "Niet gewijzigd: de respons zou een ETag dragen die u in `If-None-Match` al noemde "
        "(RFC 9110 §13.1.2); geen body. Alleen bij resources met een ETag."
    ),
}
ZONDER_DATABASE = {"/health"}
"""Paths that never touch the database (liveness), so never answer the database's 503."""


_SUCCES = {
    ("get", "200"): "De gevraagde gegevens.",
    ("post", "201"): "Aangemaakt: de nieuwe resource.",
    ("", "200"): "Gelukt; de resource zoals zij nu is.",
    ("", "201"): "Aangemaakt.",
    ("", "202"): "Aangenomen; de verwerking volgt.",
    ("", "204"): "Gelukt; geen inhoud.",
}
"""Dutch descriptions of the success answers FastAPI calls "Successful Response"."""

OAUTH2 = "oauth2"
BEARER = "bearer"


def scope_beschrijving(operatie: Operatie) -> str:
    """The scope's meaning and the roles that hold it (the permission matrix)."""
    ding, _, handeling = str(operatie).partition(":")
    rollen = ", ".join(sorted(str(rol) for rol, rechten in RECHTEN.items() if operatie in rechten))
    return f"{ding.capitalize()}: {handeling.replace('-', ' ')}. Rollen: {rollen or 'geen'}."


def security_schemes() -> dict[str, Any]:
    """Systems: OAuth2 client credentials with the operations as scopes; people: a bearer."""
    return {
        OAUTH2: {
            "type": "oauth2",
            "description": "Voor systemen (RFC 6749 §4.4): `POST /v1/tokens` met "
            "`grant_type=client_credentials` geeft een toegangstoken met de gevraagde scopes, "
            "binnen wat de rol van de client toestaat. Elke operatie noemt de scope die zij "
            "vraagt; zonder die scope antwoordt zij 403 en noemt de scope.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/v1/tokens",
                    "scopes": {str(o): scope_beschrijving(o) for o in Operatie},
                }
            },
        },
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Voor mensen: `POST /v1/sessies` met gebruikersnaam, wachtwoord en "
            "de zescijferige TOTP-code geeft een `toegangstoken` (kort geldig) en een "
            "`vernieuwingstoken` (eenmalig, `POST /v1/sessies/vernieuwingen`); afmelden met "
            "`DELETE /v1/sessies/huidig`. Wat een persoon mag volgt uit de rol (dezelfde "
            "rechten als de scopes van `oauth2`).",
        },
    }


def route_scopes(app: FastAPI) -> dict[tuple[str, str], str]:
    """(path, method) -> the scope of the route's `toegang(Operatie.X)` dependency."""
    result: dict[tuple[str, str], str] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        stack = list(route.dependant.dependencies)
        while stack:
            dep = stack.pop()
            if isinstance(dep.call, Requires):
                for method in route.methods or ():
                    result[(str(context.path), method.lower())] = str(dep.call.operatie)
            stack.extend(dep.dependencies)
    return result


def operation_id(route: APIRoute) -> str:
    """Stable operationIds: the endpoint function's name in camelCase."""
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of the v1 application, as committed in `openapi/openapi.json`."""
    schema = get_openapi(
        title="Thuiszitters API",
        version=API_VERSION,
        openapi_version="3.1.0",
        summary=None,
        description=DESCRIPTION,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=[{"url": "/v1", "description": "Deze server, API-versie 1"}],
        contact=CONTACT,
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
    )
    schema["info"].pop("license", None)
    schema["info"]["license"] = {
        "name": "EUPL-1.2",
        "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
    }
    components = schema.setdefault("components", {})
    components.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
    components["headers"]["Retry-After"] = RETRY_AFTER_HEADER
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(copy.deepcopy(CONTRACT_SCHEMAS))
    if "securitySchemes" in components:
        components["securitySchemes"] = security_schemes()
    scopes = route_scopes(app)

    for path, path_item in schema.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in _HTTP_METHODS:
                continue
            if operation.get("security"):
                scope = scopes.get((path, method))
                operation["security"] = [
                    {OAUTH2: [scope] if scope else []},
                    {BEARER: []},
                ]
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if path not in ZONDER_DATABASE and "503" not in responses:
                # Any database fault: nothing stored, retry after `Retry-After` (problems.py).
                responses["503"] = {
                    "description": "Dienst niet beschikbaar (database); probeer het opnieuw",
                    "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                }
            default_422 = responses.get("422", {})
            if "HTTPValidationError" in str(default_422.get("content", "")):
                # FastAPI's own validation answer: ours is a 400 (see docs/decisions/0003).
                responses.pop("422")
            if method == "get" and path not in ZONDER_DATABASE:
                # The edge answers a matching `If-None-Match` on a response with an ETag.
                responses.setdefault("304", NIET_GEWIJZIGD)
            # The edge refuses an `Accept` this operation cannot answer in (middleware.py).
            responses.setdefault("406", {"description": "Niet aanvaardbaar (Accept)"})
            has_input = bool(operation.get("parameters")) or "requestBody" in operation
            if (has_input or method in {"post", "put", "patch"}) and "400" not in responses:
                responses["400"] = {
                    "description": "Ongeldige invoer",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ProblemDetails"}
                        }
                    },
                }
            for code, response in responses.items():
                if response.get("description") == "Successful Response":
                    response["description"] = _SUCCES.get((method, code), _SUCCES[("", code)])
                if code.startswith(("2", "3")):
                    headers = response.setdefault("headers", {})
                    headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
                elif code.startswith(("4", "5")):
                    content = response.get("content") or {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ProblemDetails"}
                        }
                    }
                    media = content.pop("application/json", None) or next(iter(content.values()))
                    response["content"] = {"application/problem+json": copy.deepcopy(media)}
    if "ProblemDetails" not in schemas:
        raise RuntimeError("ProblemDetails must be referenced by at least one route")
    return schema
