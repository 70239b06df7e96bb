"""The audit log: denied attempts (written on their own, as nothing else happened) and the
search of the functionaris gegevensbescherming."""

from __future__ import annotations

import uuid

from app.db.audit import AuditRow, AuditZoekvraag
from app.db.session import AuditContext, UnitOfWork
from app.domain.toegang import Actor
from app.services.pagination import Page, PageRequest


async def registreer_weigering(uow: UnitOfWork, context: AuditContext, resultaat: str) -> None:
    """Record a refused or not-found attempt; the refused work itself was rolled back."""
    async with uow.voor(context.actor):
        await uow.audit.schrijf(context.row(resultaat))
        await uow.commit()


async def zoek_audit(
    uow: UnitOfWork, actor: Actor, vraag: AuditZoekvraag, page: PageRequest
) -> Page[AuditRow]:
    """Audit rows of the actor's SWV, newest first; searching is itself audited."""
    async with uow.voor(actor):
        rows, total = await uow.audit.zoek(
            uuid.UUID(actor.swv_id), vraag, offset=page.offset, limit=page.page_size
        )
        await uow.commit()
        return Page(rows, page.page, page.page_size, total)
