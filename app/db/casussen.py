"""Casussen: the case, its transition history, plan versions, records (evaluations, meetings,
contactmomenten), consents and document metadata.

Scoping as for meldingen (`app.db.meldingen.bereik`): by the case's vestiging for a school, by
the child's gemeente for leerplicht, in `CasussenRepository.leesbaar` only.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Select,
    String,
    Text,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.fouten import DubbeleBronReferentie
from app.db.meldingen import bereik
from app.domain.toegang import Actor


class CasusRow(Base):
    """A case about one child; its state is the projection of `casus_overgangen`."""

    __tablename__ = "casussen"
    __table_args__ = (
        Index("ix_casussen_swv_status", "swv_id", "status"),
        Index("ix_casussen_leerling", "leerling_id"),
        Index(
            "uq_casussen_bron_referentie",
            "swv_id",
            "bron",
            "bron_referentie",
            unique=True,
            postgresql_where="bron_referentie IS NOT NULL",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))
    melding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meldingen.id"))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    status: Mapped[str] = mapped_column(String(20))
    coordinatie: Mapped[str] = mapped_column(String(20))
    coordinator: Mapped[str | None] = mapped_column(String(100))
    vertrouwensbreuk: Mapped[bool] = mapped_column(Boolean, default=False)
    mediator: Mapped[str | None] = mapped_column(String(100))
    scenario: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """The 12 scenario questions (aanpak thuiszitters §1.2): free text, never in an export."""
    sluitreden: Mapped[str | None] = mapped_column(String(40))
    geopend_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    plan_sinds: Mapped[date | None] = mapped_column(Date)
    laatste_evaluatie: Mapped[date | None] = mapped_column(Date)
    laatste_contact_ouders: Mapped[date | None] = mapped_column(Date)
    bron: Mapped[str] = mapped_column(String(100))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))
    versie: Mapped[int] = mapped_column(Integer, default=1)


class CasusOvergangRow(Base):
    """One transition of a case: who, when, from, to, why (append-only)."""

    __tablename__ = "casus_overgangen"
    __table_args__ = (Index("ix_casus_overgangen_casus", "casus_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    casus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casussen.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    van: Mapped[str | None] = mapped_column(String(20))
    naar: Mapped[str] = mapped_column(String(20))
    actie: Mapped[str] = mapped_column(String(30))
    door: Mapped[str] = mapped_column(String(100))
    rol: Mapped[str] = mapped_column(String(40))
    op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reden: Mapped[str | None] = mapped_column(Text)


class PlanRow(Base):
    """One version of the plan van aanpak: goal and actions (what, who, by when)."""

    __tablename__ = "casus_plannen"

    casus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casussen.id"), primary_key=True)
    versie: Mapped[int] = mapped_column(Integer, primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    doel: Mapped[str] = mapped_column(Text)
    acties: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    vastgesteld_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    door: Mapped[str] = mapped_column(String(100))


class VerslagRow(Base):
    """A record in a case: an evaluation, a meeting (OT/BT, doorbraak) or a contactmoment."""

    __tablename__ = "casus_verslagen"
    __table_args__ = (Index("ix_casus_verslagen_casus", "casus_id", "soort", "datum"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casussen.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(20))
    datum: Mapped[date] = mapped_column(Date)
    gegevens: Mapped[dict[str, Any]] = mapped_column(JSONB)
    door: Mapped[str] = mapped_column(String(100))
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ToestemmingRow(Base):
    """Parents' consent to exchange a kind of document; withdrawn, it stays as history."""

    __tablename__ = "casus_toestemmingen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casussen.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(20))
    gegeven_op: Mapped[date] = mapped_column(Date)
    geldig_tot: Mapped[date | None] = mapped_column(Date)
    """The last valid day, inclusive: the API's `geldigTotEnMet` (decision 52)."""
    ingetrokken_op: Mapped[date | None] = mapped_column(Date)
    door: Mapped[str] = mapped_column(String(100))
    versie: Mapped[int] = mapped_column(Integer, default=1)


class DocumentRow(Base):
    """A document's metadata (e.g. an OPP reference in the school's system), never its content."""

    __tablename__ = "casus_documenten"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casussen.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(20))
    titel: Mapped[str] = mapped_column(String(200))
    referentie: Mapped[str] = mapped_column(String(300))
    vastgelegd_door: Mapped[str] = mapped_column(String(100))
    vastgelegd_door_rol: Mapped[str] = mapped_column(String(40))
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CasussenRepository:
    """Every query on casussen and what they hold."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def leesbaar(actor: Actor) -> Select[CasusRow]:
        """The cases this actor may see: the one place where their scoping is decided."""
        stmt = select(CasusRow).where(CasusRow.swv_id == uuid.UUID(actor.swv_id))
        voorwaarde = bereik(actor, CasusRow.school_id, CasusRow.leerling_id)
        return stmt if voorwaarde is None else stmt.where(voorwaarde)

    async def get(
        self, actor: Actor, casus_id: uuid.UUID, *, lock: bool = False
    ) -> CasusRow | None:
        stmt = self.leesbaar(actor).where(CasusRow.id == casus_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self._session.scalar(stmt)

    async def op_bron(self, swv_id: uuid.UUID, bron: str, referentie: str) -> CasusRow | None:
        return await self._session.scalar(
            select(CasusRow).where(
                CasusRow.swv_id == swv_id,
                CasusRow.bron == bron,
                CasusRow.bron_referentie == referentie,
            )
        )

    async def add(self, row: Any) -> None:
        """Add a case or one of its records; a case with a source reference stored at the same
        moment by another request is `DubbeleBronReferentie`."""
        self._session.add(row)
        try:
            await self._session.flush()
        except IntegrityError as fout:
            if "uq_casussen_bron_referentie" in str(fout.orig):
                raise DubbeleBronReferentie from None
            raise

    async def lijst(
        self,
        actor: Actor,
        *,
        status: Sequence[str] | None = None,
        school_id: uuid.UUID | None = None,
        leerling_id: uuid.UUID | None = None,
    ) -> list[CasusRow]:
        """Every case in scope with these filters (signals are computed per case after)."""
        stmt = self.leesbaar(actor)
        if status:
            stmt = stmt.where(CasusRow.status.in_(list(status)))
        if school_id is not None:
            stmt = stmt.where(CasusRow.school_id == school_id)
        if leerling_id is not None:
            stmt = stmt.where(CasusRow.leerling_id == leerling_id)
        rows = await self._session.scalars(stmt.order_by(CasusRow.geopend_op.desc(), CasusRow.id))
        return list(rows)

    async def overgangen(self, casus_id: uuid.UUID) -> list[CasusOvergangRow]:
        rows = await self._session.scalars(
            select(CasusOvergangRow)
            .where(CasusOvergangRow.casus_id == casus_id)
            .order_by(CasusOvergangRow.id)
        )
        return list(rows)

    async def plannen(self, casus_id: uuid.UUID) -> list[PlanRow]:
        rows = await self._session.scalars(
            select(PlanRow).where(PlanRow.casus_id == casus_id).order_by(PlanRow.versie)
        )
        return list(rows)

    async def verslagen(self, casus_id: uuid.UUID, soort: str | None = None) -> list[VerslagRow]:
        stmt = select(VerslagRow).where(VerslagRow.casus_id == casus_id)
        if soort is not None:
            stmt = stmt.where(VerslagRow.soort == soort)
        rows = await self._session.scalars(stmt.order_by(VerslagRow.datum, VerslagRow.id))
        return list(rows)

    async def toestemmingen(self, casus_id: uuid.UUID) -> list[ToestemmingRow]:
        rows = await self._session.scalars(
            select(ToestemmingRow)
            .where(ToestemmingRow.casus_id == casus_id)
            .order_by(ToestemmingRow.gegeven_op, ToestemmingRow.id)
        )
        return list(rows)

    async def toestemming(
        self, casus_id: uuid.UUID, toestemming_id: uuid.UUID
    ) -> ToestemmingRow | None:
        return await self._session.scalar(
            select(ToestemmingRow)
            .where(ToestemmingRow.casus_id == casus_id, ToestemmingRow.id == toestemming_id)
            .with_for_update()
        )

    async def documenten(self, casus_id: uuid.UUID) -> list[DocumentRow]:
        rows = await self._session.scalars(
            select(DocumentRow)
            .where(DocumentRow.casus_id == casus_id)
            .order_by(DocumentRow.vastgelegd_op, DocumentRow.id)
        )
        return list(rows)

    async def van_leerling(self, leerling_id: uuid.UUID) -> list[CasusRow]:
        rows = await self._session.scalars(
            select(CasusRow)
            .where(CasusRow.leerling_id == leerling_id)
            .order_by(CasusRow.geopend_op)
        )
        return list(rows)

    async def verslagen_van(self, casus_ids: Sequence[uuid.UUID]) -> list[VerslagRow]:
        if not casus_ids:
            return []
        rows = await self._session.scalars(
            select(VerslagRow).where(VerslagRow.casus_id.in_(list(casus_ids)))
        )
        return list(rows)

    async def plannen_van(self, casus_ids: Sequence[uuid.UUID]) -> list[PlanRow]:
        if not casus_ids:
            return []
        rows = await self._session.scalars(
            select(PlanRow).where(PlanRow.casus_id.in_(list(casus_ids)))
        )
        return list(rows)

    async def documenten_van(self, casus_ids: Sequence[uuid.UUID]) -> list[DocumentRow]:
        if not casus_ids:
            return []
        rows = await self._session.scalars(
            select(DocumentRow).where(DocumentRow.casus_id.in_(list(casus_ids)))
        )
        return list(rows)

    async def overgangen_van(self, casus_ids: Sequence[uuid.UUID]) -> list[CasusOvergangRow]:
        if not casus_ids:
            return []
        rows = await self._session.scalars(
            select(CasusOvergangRow).where(CasusOvergangRow.casus_id.in_(list(casus_ids)))
        )
        return list(rows)
