"""School vestigingen: table and repository."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Select,
    String,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class DuplicateSchool(Exception):
    """A vestiging with this BRIN and vestigingsnummer is already registered."""


class SchoolRow(Base):
    __tablename__ = "scholen"
    __table_args__ = (
        UniqueConstraint("swv_id", "brin", "vestigingsnummer"),
        CheckConstraint("brin ~ '^[0-9]{2}[A-Z]{2}$'", name="brin_formaat"),
        CheckConstraint("vestigingsnummer ~ '^[0-9]{2}$'", name="vestigingsnummer_formaat"),
        CheckConstraint("regio IN ('noord', 'midden', 'zuid')", name="regio_bekend"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
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

    @staticmethod
    def leesbaar(swv_id: uuid.UUID) -> Select[SchoolRow]:
        """The schools of one SWV: the one place where school rows are scoped."""
        return select(SchoolRow).where(SchoolRow.swv_id == swv_id)

    async def get(self, swv_id: uuid.UUID, school_id: uuid.UUID) -> SchoolRow | None:
        return await self._session.scalar(self.leesbaar(swv_id).where(SchoolRow.id == school_id))

    async def id_op_code(self, swv_id: uuid.UUID, code: str) -> uuid.UUID | None:
        """The id of vestiging `code` (BRIN + vestigingsnummer, e.g. 99AA00) in the SWV."""
        return await self._session.scalar(
            select(SchoolRow.id).where(
                SchoolRow.swv_id == swv_id,
                SchoolRow.brin == code[:4],
                SchoolRow.vestigingsnummer == code[4:],
            )
        )

    async def list(
        self,
        swv_id: uuid.UUID,
        *,
        offset: int,
        limit: int,
        brin: str | None = None,
        vestigingsnummer: str | None = None,
    ) -> tuple[list[SchoolRow], int]:
        """A page of the SWV's vestigingen, optionally those of one BRIN or one vestiging."""
        stmt = self.leesbaar(swv_id)
        if brin is not None:
            stmt = stmt.where(SchoolRow.brin == brin)
        if vestigingsnummer is not None:
            stmt = stmt.where(SchoolRow.vestigingsnummer == vestigingsnummer)
        total = await self._session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self._session.scalars(
            stmt.order_by(SchoolRow.brin, SchoolRow.vestigingsnummer).offset(offset).limit(limit)
        )
        return list(rows), int(total or 0)
