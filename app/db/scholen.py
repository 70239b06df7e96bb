"""School vestigingen: table and repository."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class DuplicateSchool(Exception):
    """A vestiging with this BRIN and vestigingsnummer is already registered."""


class SchoolRow(Base):
    __tablename__ = "scholen"
    __table_args__ = (
        UniqueConstraint("brin", "vestigingsnummer"),
        CheckConstraint("brin ~ '^[0-9]{2}[A-Z]{2}$'", name="brin_formaat"),
        CheckConstraint("vestigingsnummer ~ '^[0-9]{2}$'", name="vestigingsnummer_formaat"),
        CheckConstraint("regio IN ('noord', 'midden', 'zuid')", name="regio_bekend"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    brin: Mapped[str] = mapped_column(String(4))
    vestigingsnummer: Mapped[str] = mapped_column(String(2))
    naam: Mapped[str] = mapped_column(String(200))
    plaats: Mapped[str] = mapped_column(String(100))
    regio: Mapped[str] = mapped_column(String(6))
    versie: Mapped[int] = mapped_column(Integer, default=1)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ScholenRepository:
    """Every query on `scholen`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, row: SchoolRow) -> SchoolRow:
        try:
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError as exc:
            raise DuplicateSchool from exc
        await self._session.refresh(row)
        return row

    async def get(self, school_id: uuid.UUID) -> SchoolRow | None:
        return await self._session.get(SchoolRow, school_id)

    async def list(self, *, offset: int, limit: int) -> tuple[list[SchoolRow], int]:
        total = await self._session.scalar(select(func.count()).select_from(SchoolRow))
        rows = await self._session.scalars(
            select(SchoolRow)
            .order_by(SchoolRow.brin, SchoolRow.vestigingsnummer)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)
