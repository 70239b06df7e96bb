"""Use cases for school vestigingen."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.db.scholen import DuplicateSchool, SchoolRow
from app.db.session import UnitOfWork
from app.domain.toegang import Actor
from app.services.errors import Conflict, NotFound
from app.services.pagination import Page, PageRequest


@dataclass(frozen=True, slots=True)
class NieuweSchool:
    brin: str
    vestigingsnummer: str
    naam: str
    plaats: str
    regio: str


async def registreer_school(uow: UnitOfWork, actor: Actor, school: NieuweSchool) -> SchoolRow:
    """Register a vestiging; a BRIN + vestigingsnummer can be registered once."""
    async with uow.voor(actor):
        try:
            row = await uow.scholen.add(
                SchoolRow(
                    swv_id=uuid.UUID(actor.swv_id),
                    brin=school.brin,
                    vestigingsnummer=school.vestigingsnummer,
                    naam=school.naam,
                    plaats=school.plaats,
                    regio=school.regio,
                )
            )
        except DuplicateSchool:
            raise Conflict(
                "Deze vestiging (BRIN en vestigingsnummer) is al geregistreerd in dit SWV."
            ) from None
        await uow.commit()
        return row


async def haal_school(uow: UnitOfWork, actor: Actor, school_id: uuid.UUID) -> SchoolRow:
    """One vestiging, or NotFound."""
    async with uow.voor(actor):
        row = await uow.scholen.get(uuid.UUID(actor.swv_id), school_id)
        if row is None:
            raise NotFound("Deze school bestaat niet.")
        await uow.commit()
        return row


async def lijst_scholen(
    uow: UnitOfWork,
    actor: Actor,
    request: PageRequest,
    *,
    brin: str | None = None,
    vestigingsnummer: str | None = None,
) -> Page[SchoolRow]:
    """A page of vestigingen, ordered by BRIN and vestigingsnummer; by BRIN (+ vestigingsnummer)
    as integrators know a vestiging."""
    async with uow.voor(actor):
        rows, total = await uow.scholen.list(
            uuid.UUID(actor.swv_id),
            offset=request.offset,
            limit=request.page_size,
            brin=brin,
            vestigingsnummer=vestigingsnummer,
        )
        await uow.commit()
        return Page(items=rows, page=request.page, page_size=request.page_size, total=total)
