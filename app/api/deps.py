"""Dependencies of the routes, as `Annotated` aliases."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from app.api.schemas import kale_soorten
from app.db.session import AuditContext, UnitOfWork
from app.domain.toegang import Actor
from app.services.pagination import PageRequest


def audit_context(request: Request) -> AuditContext | None:
    """What the audit log records of this request, once the caller is known."""
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is None:
        return None
    route = request.scope.get("route")
    leerling_id = None
    raw = request.path_params.get("leerlingId")
    if raw is not None:
        try:
            leerling_id = uuid.UUID(str(raw))
        except ValueError:
            leerling_id = None
    return AuditContext(
        actor=actor,
        handeling=str(getattr(request.state, "operatie", "onbekend")),
        route=f"{request.method} {getattr(route, 'path_format', '?')}",
        leerling_id=leerling_id,
        request_id=getattr(request.state, "request_id", None),
    )


async def get_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work; the service that receives it owns the transaction, and its
    commit writes the audit row of this request in the same transaction.

    `async def`, like every dependency: a plain `def` would run in a worker thread, a hand-off
    on every request (a test holds every route to this)."""
    return UnitOfWork(request.app.state.sessionmaker, audit=lambda: audit_context(request))


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


async def get_page_request(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Paginanummer, vanaf 1.")] = 1,
    page_size: Annotated[
        int, Query(alias="pageSize", ge=1, le=100, description="Items per pagina (max. 100).")
    ] = 20,
) -> PageRequest:
    return PageRequest(page=page, page_size=page_size)


PageDep = Annotated[PageRequest, Depends(get_page_request)]


_DATUM_TIJD = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?$"
)
_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_DATUMS = "_thuiszitters_datumparameters"
"""The attribute of a route that keeps what `_datumparameters` worked out for it."""


def _datumparameters(route: Any, dependant: Any) -> list[tuple[str, str, set[Any]]]:
    """The query and path parameters of a route and its dependencies that take a date or a
    moment, where they are read and their types: worked out once per route, not on every
    request (decision 0047)."""
    bekend: list[tuple[str, str, set[Any]]] | None = getattr(route, _DATUMS, None)
    if bekend is not None:
        return bekend
    params: list[tuple[str, Any]] = []  # (where, the field FastAPI reads it into)
    open_ = [dependant]
    while open_:
        huidig = open_.pop()
        params.extend(("query", p) for p in huidig.query_params)
        params.extend(("path", p) for p in huidig.path_params)
        open_.extend(huidig.dependencies)
    gevonden = []
    for plaats, param in params:
        soorten = kale_soorten(param.field_info.annotation)
        if soorten & {date, datetime}:
            gevonden.append((plaats, param.alias, soorten))
    setattr(route, _DATUMS, gevonden)  # a route's parameters never change
    return gevonden


async def strikte_query(request: Request) -> None:
    """No loose parsing of query and path dates: `bekendOp=12` or `/taken-cycli/0` is not 1970
    but a 400 (RFC 3339 only)."""

    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    fouten: list[dict[str, object]] = []
    for plaats, alias, soorten in _datumparameters(route, dependant):
        bron = request.query_params if plaats == "query" else request.path_params
        waarde = bron.get(alias)
        if not isinstance(waarde, str):
            continue
        if datetime in soorten and not _DATUM_TIJD.match(waarde):
            patroon = None if date in soorten and _DATUM.match(waarde) else "datum-tijd"
        elif date in soorten and not _DATUM.match(waarde):
            patroon = "datum"
        else:
            patroon = None
        if patroon is not None:
            fouten.append(
                {
                    "loc": (plaats, alias),
                    "type": "strict_date",
                    "msg": f"Hier hoort een {patroon} volgens RFC 3339.",
                }
            )
    if fouten:
        raise RequestValidationError(fouten)
