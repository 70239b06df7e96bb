"""RFC 9457 problem details for every error, and 400 (not 422) with every invalid input listed.

No problem ever echoes a submitted value: invalid input may be a child's name or BSN.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.deps import audit_context
from app.api.validatie import nederlandse_reden
from app.db.fouten import DATABASE_FOUTEN, dubbele_sleutel, is_onbereikbaar, is_time_out
from app.db.session import UnitOfWork
from app.domain.schoolvakanties import KalenderOntbreektError
from app.services.audit import registreer_weigering
from app.services.errors import (
    InvalidInput,
    ServiceError,
)

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:thuiszitters:probleem:"

_TITLES: dict[int, tuple[str, str]] = {
    400: ("ongeldige-invoer", "Ongeldige invoer"),
    401: ("niet-geauthenticeerd", "Niet geauthenticeerd"),
    403: ("geen-toegang", "Geen toegang"),
    404: ("niet-gevonden", "Niet gevonden"),
    405: ("methode-niet-toegestaan", "Methode niet toegestaan"),
    406: ("niet-aanvaardbaar", "Niet aanvaardbaar"),
    409: ("conflict", "Conflict"),
    412: ("voorwaarde-niet-vervuld", "Voorwaarde niet vervuld"),
    413: ("verzoek-te-groot", "Verzoek te groot"),
    415: ("mediatype-niet-ondersteund", "Mediatype niet ondersteund"),
    422: ("niet-verwerkbaar", "Niet verwerkbaar"),
    428: ("voorwaarde-vereist", "Voorwaarde vereist"),
    429: ("te-veel-verzoeken", "Te veel verzoeken"),
    500: ("interne-fout", "Interne fout"),
    503: ("niet-beschikbaar", "Dienst niet beschikbaar"),
}


class InvalidParam(BaseModel):
    """One problem with the input: where it is and what is wrong, never the submitted value."""

    model_config = ConfigDict(populate_by_name=True)

    in_: Literal["body", "query", "path", "header", "cookie"] = Field(
        alias="in", description="Deel van het verzoek waarin de fout zit."
    )
    name: str = Field(
        description="Naam of pad van het veld, bijvoorbeeld `leerling.geboortemaand`."
    )
    code: str = Field(description="Machineleesbare foutcode.")
    reason: str = Field(description="Wat er mis is, zonder de ingevoerde waarde te herhalen.")


class ProblemDetails(BaseModel):
    """An error response per RFC 9457."""

    type: str = Field(description="URI die het soort probleem identificeert.")
    title: str = Field(description="Korte, vaste omschrijving van het soort probleem.")
    status: int = Field(description="De HTTP-statuscode.")
    detail: str = Field(description="Uitleg over dit specifieke voorval.")
    instance: str = Field(description="URI van dit voorval (het verzoek-id).")
    errors: list[InvalidParam] | None = Field(
        default=None, description="Bij ongeldige invoer (400): elke fout afzonderlijk."
    )


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: Sequence[InvalidParam] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Build an `application/problem+json` response."""
    default_slug, default_title = _TITLES.get(status, ("fout", "Fout"))
    request_id = getattr(request.state, "request_id", None) or "onbekend"
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + (slug or default_slug),
        "title": title or default_title,
        "status": status,
        "detail": detail,
        "instance": f"urn:thuiszitters:verzoek:{request_id}",
    }
    if errors:
        body["errors"] = [e.model_dump(by_alias=True) for e in errors]
    return JSONResponse(
        body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {})
    )


def _location(loc: Iterable[int | str]) -> tuple[str, str]:
    parts = list(loc)
    where = str(parts[0]) if parts else "body"
    if where not in {"body", "query", "path", "header", "cookie"}:
        return "body", ".".join(str(p) for p in parts)
    return where, ".".join(str(p) for p in parts[1:]) or where


def _safe_reason(err: dict[str, Any]) -> str:
    """The Dutch reason of the error type; else the message, unless it repeats the value."""
    reden = nederlandse_reden(err)
    if reden is not None:
        return reden
    message = str(err.get("msg", "ongeldige waarde")).removeprefix("Value error, ")
    submitted = err.get("input")
    if isinstance(submitted, str | int | float) and not isinstance(submitted, bool):
        text = str(submitted)
        if len(text) >= 2 and text in message:
            return f"Ongeldige waarde ({err.get('type', 'value_error')})."
    return message


ONBEKEND_VELD = "Onbekend veld: alleen de velden van het contract zijn toegestaan."

HERNOEMDE_VELDEN: dict[str, dict[str, str]] = {}
"""Per route name: top-level body fields renamed in a breaking change (old name -> reason naming
the new one), so a client still sending the old name learns the new one. The old name is ours,
not the caller's input, so it may be named."""


def invalid_params_from_validation(
    errors: Sequence[Any], hernoemd: Mapping[str, str] | None = None
) -> list[InvalidParam]:
    """Every validation error as an InvalidParam, in the order pydantic found them.

    An unknown field is named by where it is, never by its own name: a caller's key is input
    too and may hold personal data. Only a known former name in ``hernoemd`` is named, with
    its successor."""
    result: list[InvalidParam] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        code = str(err.get("type", "value_error"))
        reason = _safe_reason(err)
        if code == "extra_forbidden" and len(loc) == 2 and str(loc[1]) in (hernoemd or {}):
            reason = (hernoemd or {})[str(loc[1])]
        elif code == "extra_forbidden" and len(loc) > 1:
            loc = loc[:-1]
            reason = ONBEKEND_VELD
        where, name = _location(loc)
        result.append(
            InvalidParam.model_validate({"in": where, "name": name, "code": code, "reason": reason})
        )
    return result


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    route = request.scope.get("route")
    hernoemd = HERNOEMDE_VELDEN.get(str(getattr(route, "name", "")))
    errors = invalid_params_from_validation(exc.errors(), hernoemd)
    return problem_response(
        request,
        400,
        f"Het verzoek bevat {len(errors)} fout(en); zie `errors`.",
        errors=errors,
    )


def toegestane_methoden(request: Request) -> list[str]:
    """Every method the contract has on this path, with HEAD where GET is (RFC 9110 §15.5.6).
    A literal segment names its own resource: `/leerlingen/zoeken` is not `/leerlingen/{id}`."""
    root_path = str(request.scope.get("root_path", ""))
    pad = request.url.path.removeprefix(root_path) if root_path else request.url.path
    methoden: set[str] = set()
    openapi = getattr(request.app, "openapi", None)
    paden = openapi().get("paths", {}) if callable(openapi) else {}
    passend = [
        (sjabloon, item)
        for sjabloon, item in paden.items()
        if re.fullmatch(re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(sjabloon)), pad)
    ]
    minste = min((sjabloon.count("{") for sjabloon, _ in passend), default=0)
    for sjabloon, item in passend:
        if sjabloon.count("{") == minste:
            methoden.update(
                m.upper() for m in item if m in {"get", "put", "post", "delete", "patch"}
            )
    if "GET" in methoden:
        methoden.add("HEAD")
    return sorted(methoden)


ONLEESBARE_BODY = InvalidParam.model_validate(
    {
        "in": "body",
        "name": "body",
        "code": "json_invalid",
        "reason": "De body is geen geldige JSON in UTF-8, of is te diep genest.",
    }
)


async def _http_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    headers = dict(exc.headers or {})
    errors: list[InvalidParam] | None = None
    detail: str | None = None
    defaults = {
        404: "De gevraagde resource bestaat niet.",
        405: "Deze methode is niet toegestaan op deze resource.",
        413: "Het verzoek is groter dan toegestaan.",
    }
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(toegestane_methoden(request))
    if exc.status_code == 400:
        # The framework could not read the body (invalid UTF-8, nesting too deep, ...): its own
        # text is English and may quote the input, so one fixed, Dutch error instead.
        errors = [ONLEESBARE_BODY]
        detail = "Het verzoek bevat 1 fout(en); zie `errors`."
    elif exc.status_code not in defaults and isinstance(exc.detail, str):
        detail = exc.detail if exc.detail != _http_phrase(exc.status_code) else None
    if not detail:
        detail = defaults.get(exc.status_code, _TITLES.get(exc.status_code, ("", "Fout"))[1])
    return problem_response(request, exc.status_code, detail, errors=errors, headers=headers)


def _http_phrase(status: int) -> str:
    return HTTPStatus(status).phrase


async def _service_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)  # noqa: S101
    status = exc.status
    errors = None
    if isinstance(exc, InvalidInput):
        errors = [
            InvalidParam.model_validate(
                {"in": e.location, "name": e.name, "code": e.code, "reason": e.reason}
            )
            for e in exc.errors
        ]
    if status in {403, 404}:
        await _audit_refusal(request, "geweigerd" if status == 403 else "niet-gevonden")
    headers: dict[str, str] = dict(getattr(exc, "headers", None) or {})
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="thuiszitters"'

    return problem_response(
        request, status, exc.detail, slug=exc.slug, errors=errors, headers=headers
    )


async def _audit_refusal(request: Request, resultaat: str) -> None:
    """Denied attempts are audited too; the refused work itself left no trace."""
    context = audit_context(request)
    if context is not None:
        await registreer_weigering(UnitOfWork(request.app.state.sessionmaker), context, resultaat)


async def _kalender_handler(request: Request, exc: Exception) -> JSONResponse:
    ontbreekt = exc.schooljaar if isinstance(exc, KalenderOntbreektError) else "onbekend"
    bekend = exc.bekend if isinstance(exc, KalenderOntbreektError) else ()
    return problem_response(
        request,
        400,
        f"Voor schooljaar {ontbreekt} heeft het register geen schoolvakantiekalender "
        f"(tellen in lesweken); bekende schooljaren: {', '.join(bekend) or 'geen'}. Kies een "
        "datum binnen een bekend schooljaar, of laat de beheerder het open-databestand "
        "schoolvakanties van de Rijksoverheid voor dat schooljaar laden.",
        slug="kalender-ontbreekt",
    )


_DUBBEL: dict[str, str] = {
    "uq_leerlingen_swv_id_pseudoniem": "Deze pseudoniemcode is al in gebruik.",
    "uq_leerlingen_bsn": "Deze leerling is al geregistreerd.",
    "uq_gebruikers_gebruikersnaam": "Deze gebruikersnaam is al in gebruik.",
    "uq_api_clients_client_id": "Deze client-id is al in gebruik.",
    "uq_scholen_swv_id_brin_vestigingsnummer": "Deze vestiging is al geregistreerd.",
}
"""What a 409 says per unique constraint; any other says the generic text."""


def database_probleem(request: Request, exc: BaseException) -> JSONResponse | None:
    """A database fault as the problem a client can act on, or None for a fault in our code.

    Nothing was committed in each case, so a retry is safe: a lost connection or a restarting
    server (503, the pool replaces the connection), a statement timeout (503), and a write that
    ran into a unique constraint because an identical request committed first (409).
    """
    if is_time_out(exc):
        logger.warning("database statement timeout")
        return problem_response(
            request,
            503,
            "De database deed te lang over dit verzoek; probeer het zo opnieuw.",
            slug="database-time-out",
            headers={"Retry-After": "2"},
        )
    if is_onbereikbaar(exc):
        # Lost or no database connection: nothing was committed, so a retry is safe. The
        # pool replaces a dropped connection, so the next request normally succeeds.
        logger.warning("database unavailable: %s", type(exc).__name__)
        return problem_response(
            request,
            503,
            "De database is even niet bereikbaar; probeer het zo opnieuw.",
            slug="database-onbereikbaar",
            headers={"Retry-After": "1"},
        )
    constraint = dubbele_sleutel(exc)
    if constraint is not None:
        logger.info("unique violation answered 409", extra={"constraint": constraint})
        return problem_response(
            request,
            409,
            _DUBBEL.get(constraint, "Dit is zojuist al vastgelegd door een ander verzoek."),
            slug="al-vastgelegd",
        )
    return None


async def _database_handler(request: Request, exc: Exception) -> JSONResponse:
    """Database errors are answered here, inside the application, so that a 503 or 409 is not
    also reported as an unhandled error by the server."""
    antwoord = database_probleem(request, exc)
    if antwoord is None:
        raise exc
    return antwoord


async def _unhandled_handler(request: Request, exc: Exception) -> JSONResponse:
    antwoord = database_probleem(request, exc)
    if antwoord is not None:
        return antwoord
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        request, 500, "Er ging iets mis aan onze kant. Vermeld het verzoek-id bij een melding."
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Every error of `app` becomes a problem-details response."""
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(ServiceError, _service_error_handler)
    app.add_exception_handler(KalenderOntbreektError, _kalender_handler)
    for soort in DATABASE_FOUTEN:
        app.add_exception_handler(soort, _database_handler)
    app.add_exception_handler(Exception, _unhandled_handler)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the problems a route can return."""
    return {s: {"model": ProblemDetails, "description": _TITLES[s][1]} for s in statuses}
