"""Stored responses of POST requests with an `Idempotency-Key` (IETF httpapi draft)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class IdempotentieRow(Base):
    __tablename__ = "idempotentie_sleutels"

    eigenaar: Mapped[str] = mapped_column(String(100), primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(255), primary_key=True)
    vingerafdruk: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, str]] = mapped_column(JSONB)
    body: Mapped[Any] = mapped_column(JSONB)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class IdempotentieRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, eigenaar: str, sleutel: str) -> bool:
        """Hold the key for this transaction; False when another request holds it now."""
        acquired = await self._session.scalar(
            select(
                func.pg_try_advisory_xact_lock(func.hashtextextended(eigenaar + "\n" + sleutel, 0))
            )
        )
        return bool(acquired)

    async def get(self, eigenaar: str, sleutel: str) -> IdempotentieRow | None:
        return await self._session.get(IdempotentieRow, (eigenaar, sleutel))

    async def bewaar(self, row: IdempotentieRow) -> None:
        self._session.add(row)
        await self._session.flush()

    async def ruim_op(self, ouder_dan_uren: int) -> int:
        """Forget keys older than the retention (default 24 hours)."""
        result = await self._session.execute(
            text(
                "DELETE FROM idempotentie_sleutels "
                "WHERE aangemaakt_op < clock_timestamp() - make_interval(hours => :uren)"
            ),
            {"uren": ouder_dan_uren},
        )
        return int(getattr(result, "rowcount", 0) or 0)
