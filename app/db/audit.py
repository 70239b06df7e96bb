"""The audit log: every access to children's data, every denial and every export.

Append-only twice over: a trigger refuses UPDATE, DELETE and TRUNCATE, and the application's
database role holds no UPDATE or DELETE privilege on the table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Identity,
    Index,
    Select,
    String,
    Uuid,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_swv_tijdstip", "swv_id", "tijdstip"),
        Index("ix_audit_log_leerling", "leerling_id"),
        Index("ix_audit_log_getoonde_leerlingen", "getoonde_leerlingen", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    tijdstip: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    swv_id: Mapped[uuid.UUID | None]
    actor_id: Mapped[str] = mapped_column(String(100))
    actor_rol: Mapped[str] = mapped_column(String(40))
    handeling: Mapped[str] = mapped_column(String(60))
    route: Mapped[str] = mapped_column(String(200))
    leerling_id: Mapped[uuid.UUID | None]
    getoonde_leerlingen: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(Uuid()))
    """The children a list or search showed (a list shows children's data too)."""
    resultaat: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[str | None] = mapped_column(String(64))


_KOLOMMEN = (
    "swv_id",
    "actor_id",
    "actor_rol",
    "handeling",
    "route",
    "leerling_id",
    "getoonde_leerlingen",
    "resultaat",
    "request_id",
)


@dataclass(frozen=True, slots=True)
class AuditRegel:
    """One row to append (every request writes one: a plain value, not an ORM object)."""

    swv_id: uuid.UUID | None
    actor_id: str
    actor_rol: str
    handeling: str
    route: str
    leerling_id: uuid.UUID | None
    getoonde_leerlingen: list[uuid.UUID] | None
    resultaat: str
    request_id: str | None


@dataclass(frozen=True, slots=True)
class AuditZoekvraag:
    leerling_id: uuid.UUID | None = None
    actor_id: str | None = None
    handeling: str | None = None
    resultaat: str | None = None
    van: datetime | None = None
    tot: datetime | None = None


_INSERT = (
    f"INSERT INTO audit_log ({', '.join(_KOLOMMEN)}) "  # noqa: S608 (fixed column names)
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(_KOLOMMEN) + 1))})"
)


class AuditRepository:
    def __init__(self, session: AsyncSession, driver: Driver) -> None:
        self._session = session
        self._driver = driver

    async def schrijf(self, row: AuditRegel) -> None:
        """Append one row: plain SQL on the transaction's connection (every request writes one,
        so no ORM bookkeeping)."""
        db = await self._driver()
        await db.execute(_INSERT, *(getattr(row, kolom) for kolom in _KOLOMMEN))

    @staticmethod
    def _gefilterd(swv_id: uuid.UUID, vraag: AuditZoekvraag) -> Select[AuditRow]:
        stmt = select(AuditRow).where(AuditRow.swv_id == swv_id)
        if vraag.leerling_id is not None:
            stmt = stmt.where(
                or_(
                    AuditRow.leerling_id == vraag.leerling_id,
                    AuditRow.getoonde_leerlingen.contains([vraag.leerling_id]),
                )
            )
        if vraag.actor_id is not None:
            stmt = stmt.where(AuditRow.actor_id == vraag.actor_id)
        if vraag.handeling is not None:
            stmt = stmt.where(AuditRow.handeling == vraag.handeling)
        if vraag.resultaat is not None:
            stmt = stmt.where(AuditRow.resultaat == vraag.resultaat)
        if vraag.van is not None:
            stmt = stmt.where(AuditRow.tijdstip >= vraag.van)
        if vraag.tot is not None:
            stmt = stmt.where(AuditRow.tijdstip < vraag.tot)
        return stmt

    async def over_leerling(self, leerling_id: uuid.UUID) -> list[AuditRow]:
        """Every access to one child, directly or in a list that showed it (for inzage)."""
        return list(
            await self._session.scalars(
                select(AuditRow)
                .where(
                    or_(
                        AuditRow.leerling_id == leerling_id,
                        AuditRow.getoonde_leerlingen.contains([leerling_id]),
                    )
                )
                .order_by(AuditRow.id)
            )
        )

    async def zoek(
        self, swv_id: uuid.UUID, vraag: AuditZoekvraag, *, offset: int, limit: int
    ) -> tuple[list[AuditRow], int]:
        stmt = self._gefilterd(swv_id, vraag)
        total = await self._session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self._session.scalars(
            stmt.order_by(AuditRow.id.desc()).offset(offset).limit(limit)
        )
        return list(rows), int(total or 0)
