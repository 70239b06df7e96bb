"""Escalations (doorzettingskracht → doorzettingsmacht) and their append-only history.

An escalation row says which child and why; everything that happens to it is a step row, never
updated or deleted (a trigger refuses both, except blanking free text on anonymisation). The
status is a projection of the steps (app/domain/escalaties.py). Row scoping is the child's:
`EscalatiesRepository.leesbaar` starts from `LeerlingenRepository.leesbaar`, so an escalation of
a child outside the caller's scope is never found.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import LeerlingenRepository, LeerlingRow
from app.domain.toegang import Actor


class EscalatieRow(Base):
    """An escalation of one child: opened once, never changed (its steps carry the rest)."""

    __tablename__ = "escalaties"
    __table_args__ = (
        Index("ix_escalaties_swv_leerling", "swv_id", "leerling_id"),
        Index(
            "uq_escalaties_bron_referentie",
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
    # The case (casussen) it belongs to, if any: no foreign key until that table exists.
    casus_id: Mapped[uuid.UUID | None] = mapped_column()
    aanleiding: Mapped[str] = mapped_column(String(40))
    geopend_op: Mapped[date] = mapped_column(Date)
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    geopend_door: Mapped[str] = mapped_column(String(100))
    bron: Mapped[str] = mapped_column(String(100))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))


class EscalatieStapRow(Base):
    """One step of an escalation (who, when, from, to, what), never updated or deleted."""

    __tablename__ = "escalatie_stappen"
    __table_args__ = (
        UniqueConstraint("escalatie_id", "volgnummer"),
        Index(
            "uq_escalatie_stappen_bron_referentie",
            "escalatie_id",
            "bron_referentie",
            unique=True,
            postgresql_where="bron_referentie IS NOT NULL",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    escalatie_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("escalaties.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    volgnummer: Mapped[int] = mapped_column(Integer)
    soort: Mapped[str] = mapped_column(String(40))
    datum: Mapped[date] = mapped_column(Date)
    van_status: Mapped[str | None] = mapped_column(String(40))
    naar_status: Mapped[str] = mapped_column(String(40))
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[str] = mapped_column(String(100))
    actor_rol: Mapped[str] = mapped_column(String(40))
    gegevens: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Structured: roles, dates, ids, yes/no. Never free text."""
    toelichting: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """Free text (reasons, motivation, frame, names of organisations): blanked on anonymising,
    never in an Inspectie export."""
    bron_referentie: Mapped[str | None] = mapped_column(String(200))


class EscalatiesRepository:
    """Every query on escalations and their steps."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def leesbaar(actor: Actor) -> Select[EscalatieRow]:
        """The escalations this actor may see: those of the children it may see."""
        kinderen = LeerlingenRepository.leesbaar(actor).with_only_columns(LeerlingRow.id)
        return select(EscalatieRow).where(
            EscalatieRow.swv_id == uuid.UUID(actor.swv_id),
            EscalatieRow.leerling_id.in_(kinderen),
        )

    async def get(
        self, actor: Actor, escalatie_id: uuid.UUID, *, lock: bool = False
    ) -> EscalatieRow | None:
        stmt = self.leesbaar(actor).where(EscalatieRow.id == escalatie_id)
        if lock:
            stmt = stmt.with_for_update(of=EscalatieRow)
        return await self._session.scalar(stmt)

    async def op_bron(
        self, swv_id: uuid.UUID, bron: str, bron_referentie: str
    ) -> EscalatieRow | None:
        return await self._session.scalar(
            select(EscalatieRow).where(
                EscalatieRow.swv_id == swv_id,
                EscalatieRow.bron == bron,
                EscalatieRow.bron_referentie == bron_referentie,
            )
        )

    async def lijst(
        self, actor: Actor, *, leerling_id: uuid.UUID | None = None
    ) -> list[tuple[EscalatieRow, str]]:
        """Every escalation in scope with its child's pseudonym, oldest first."""
        stmt = (
            self.leesbaar(actor)
            .join(LeerlingRow, LeerlingRow.id == EscalatieRow.leerling_id)
            .add_columns(LeerlingRow.pseudoniem)
            .order_by(EscalatieRow.geopend_op, EscalatieRow.id)
        )
        if leerling_id is not None:
            stmt = stmt.where(EscalatieRow.leerling_id == leerling_id)
        return [(row, pseudoniem) for row, pseudoniem in await self._session.execute(stmt)]

    async def add(self, row: EscalatieRow) -> None:
        """Store a new escalation; `DubbeleBronReferentie` when another request just stored one
        under the same source and reference."""
        await self._voeg_toe(row)

    async def voeg_stap_toe(self, row: EscalatieStapRow) -> None:
        await self._voeg_toe(row)

    async def _voeg_toe(self, row: EscalatieRow | EscalatieStapRow) -> None:
        self._session.add(row)
        try:
            await self._session.flush()
        except IntegrityError as fout:
            if "bron_referentie" in str(fout.orig):
                raise DubbeleBronReferentie from None
            raise

    async def stappen(self, escalatie_id: uuid.UUID) -> list[EscalatieStapRow]:
        rows = await self._session.scalars(
            select(EscalatieStapRow)
            .where(EscalatieStapRow.escalatie_id == escalatie_id)
            .order_by(EscalatieStapRow.volgnummer)
        )
        return list(rows)

    async def stappen_van(
        self, escalatie_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[EscalatieStapRow]]:
        result: dict[uuid.UUID, list[EscalatieStapRow]] = {}
        if not escalatie_ids:
            return result
        for row in await self._session.scalars(
            select(EscalatieStapRow)
            .where(EscalatieStapRow.escalatie_id.in_(list(escalatie_ids)))
            .order_by(EscalatieStapRow.escalatie_id, EscalatieStapRow.volgnummer)
        ):
            result.setdefault(row.escalatie_id, []).append(row)
        return result

    async def stap_op_bron(
        self, escalatie_id: uuid.UUID, bron_referentie: str
    ) -> EscalatieStapRow | None:
        return await self._session.scalar(
            select(EscalatieStapRow).where(
                EscalatieStapRow.escalatie_id == escalatie_id,
                EscalatieStapRow.bron_referentie == bron_referentie,
            )
        )

    async def van_leerling(self, leerling_id: uuid.UUID) -> list[EscalatieRow]:
        """Every escalation of one child, whoever asks (anonymisation)."""
        rows = await self._session.scalars(
            select(EscalatieRow).where(EscalatieRow.leerling_id == leerling_id)
        )
        return list(rows)

    async def stappen_van_leerling(self, leerling_id: uuid.UUID) -> list[EscalatieStapRow]:
        """Every step of the child's escalations (anonymisation blanks their free text)."""
        rows = await self._session.scalars(
            select(EscalatieStapRow)
            .join(EscalatieRow, EscalatieRow.id == EscalatieStapRow.escalatie_id)
            .where(EscalatieRow.leerling_id == leerling_id)
        )
        return list(rows)
