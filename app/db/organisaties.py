"""Organisations: the SWV (tenant), gemeenten (leerplicht) and which SWV works with which."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver

swv_gemeenten = Table(
    "swv_gemeenten",
    Base.metadata,
    Column("swv_id", ForeignKey("samenwerkingsverbanden.id"), primary_key=True),
    Column("gemeente_id", ForeignKey("gemeenten.id"), primary_key=True),
)


class SwvRow(Base):
    """A samenwerkingsverband passend onderwijs: every child, school and user belongs to one."""

    __tablename__ = "samenwerkingsverbanden"
    __table_args__ = (
        CheckConstraint(
            "privacy_modus IN ('gepseudonimiseerd', 'geidentificeerd')", name="privacy_modus"
        ),
        CheckConstraint(
            "privacy_modus = 'gepseudonimiseerd' OR rechtsgrond IS NOT NULL",
            name="identificatie_vereist_rechtsgrond",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    privacy_modus: Mapped[str] = mapped_column(String(20), default="gepseudonimiseerd")
    rechtsgrond: Mapped[str | None] = mapped_column(String(500))
    beleid: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    versie: Mapped[int] = mapped_column(Integer, default=1)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class GemeenteRow(Base):
    """A gemeente (CBS code GMnnnn), whose leerplichtambtenaren work with one or more SWVs."""

    __tablename__ = "gemeenten"
    __table_args__ = (CheckConstraint("code ~ '^GM[0-9]{4}$'", name="code_formaat"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    naam: Mapped[str] = mapped_column(String(100))


@dataclass(frozen=True, slots=True)
class SwvInstellingen:
    """What the hot paths need of an SWV: its settings (policy, peildata) and version."""

    id: uuid.UUID
    beleid: dict[str, Any]
    versie: int


_INSTELLINGEN = "SELECT id, beleid, versie FROM samenwerkingsverbanden WHERE id = $1"


class OrganisatiesRepository:
    """Every query on SWVs and gemeenten."""

    def __init__(self, session: AsyncSession, driver: Driver) -> None:
        self._session = session
        self._driver = driver

    async def instellingen(self, swv_id: uuid.UUID) -> SwvInstellingen | None:
        """The SWV's settings in plain SQL (the hot paths read them on every request)."""
        db = await self._driver()
        row = await db.fetchrow(_INSTELLINGEN, swv_id)
        return None if row is None else SwvInstellingen(row[0], row[1] or {}, row[2])

    async def swv(self, swv_id: uuid.UUID, *, lock: bool = False) -> SwvRow | None:
        return await self._session.get(SwvRow, swv_id, with_for_update=lock)

    async def alle_swv_ids(self) -> list[uuid.UUID]:
        """Every SWV's id (maintenance across SWVs writes an audit row for each)."""
        return list(await self._session.scalars(select(SwvRow.id).order_by(SwvRow.id)))

    async def swv_op_code(self, code: str) -> SwvRow | None:
        return await self._session.scalar(select(SwvRow).where(SwvRow.code == code))

    async def gemeente_op_code(self, code: str) -> GemeenteRow | None:
        return await self._session.scalar(select(GemeenteRow).where(GemeenteRow.code == code))

    async def add(self, row: SwvRow | GemeenteRow) -> None:
        self._session.add(row)
        await self._session.flush()

    async def koppel(self, swv_id: uuid.UUID, gemeente_id: uuid.UUID) -> None:
        await self._session.execute(
            pg_insert(swv_gemeenten)
            .values(swv_id=swv_id, gemeente_id=gemeente_id)
            .on_conflict_do_nothing()
        )
