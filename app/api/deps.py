"""Dependencies of the routes, as `Annotated` aliases."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Request

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
