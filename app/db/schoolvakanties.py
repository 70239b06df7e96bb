"""Loaded school-holiday calendars and vestigingen's own days off: versioned per SWV."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.leerlingen import LeerlingVestigingRow

OPENDATA = "opendata"
AFWIJKINGEN = "afwijkingen"


class SchoolvakantieVersieRow(Base):
    """One load, never changed: a school year of the Rijksoverheid open data, or the whole list
    of one vestiging's own days off; the newest known at a moment is the one that counts."""

    __tablename__ = "schoolvakantie_versies"
    __table_args__ = (
        CheckConstraint("soort IN ('opendata', 'afwijkingen')", name="soort_bekend"),
        CheckConstraint(
            "(soort = 'opendata') = (schooljaar IS NOT NULL AND school_id IS NULL)",
            name="soort_velden",
        ),
        Index("ix_schoolvakantie_versies_swv", "swv_id", "geregistreerd_op"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(12))
    schooljaar: Mapped[str | None] = mapped_column(String(9))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    inhoud: Mapped[dict[str, Any]] = mapped_column(JSONB)
    geregistreerd_door: Mapped[str] = mapped_column(String(100))
    geregistreerd_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class SchoolvakantiesRepository:
    """Every query on `schoolvakantie_versies`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def voeg_toe(self, row: SchoolvakantieVersieRow) -> SchoolvakantieVersieRow:
        self._session.add(row)
        await self._session.flush()
        await self._session.refresh(row)
        return row

    async def versies(self, swv_id: uuid.UUID) -> list[SchoolvakantieVersieRow]:
        """Every load of the SWV, newest first."""
        stmt = (
            select(SchoolvakantieVersieRow)
            .where(SchoolvakantieVersieRow.swv_id == swv_id)
            .order_by(SchoolvakantieVersieRow.geregistreerd_op.desc(), SchoolvakantieVersieRow.id)
        )
        return list((await self._session.scalars(stmt)).all())

    async def geldend(
        self, swv_id: uuid.UUID, bekend_op: datetime | None
    ) -> list[SchoolvakantieVersieRow]:
        """The newest load per school year and per vestiging, as known on `bekend_op`."""
        stmt = (
            select(SchoolvakantieVersieRow)
            .where(SchoolvakantieVersieRow.swv_id == swv_id)
            .order_by(SchoolvakantieVersieRow.geregistreerd_op.desc())
        )
        if bekend_op is not None:
            stmt = stmt.where(SchoolvakantieVersieRow.geregistreerd_op <= bekend_op)
        nieuwste: dict[tuple[str, str | None, uuid.UUID | None], SchoolvakantieVersieRow] = {}
        for row in await self._session.scalars(stmt):
            nieuwste.setdefault((row.soort, row.schooljaar, row.school_id), row)
        return list(nieuwste.values())

    async def vestigingen_van(self, leerling_id: uuid.UUID) -> list[uuid.UUID]:
        """The vestigingen a child is connected to (whose own days off count for it)."""
        stmt = select(LeerlingVestigingRow.school_id).where(
            LeerlingVestigingRow.leerling_id == leerling_id
        )
        return list((await self._session.scalars(stmt)).all())
