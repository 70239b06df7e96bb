"""An SWV's OpenID Connect provider and the mapping of its claims to roles (single sign-on).

Like the tables of app/db/toegang.py these carry no row-level security: signing in finds the
provider by its issuer before the SWV is known. Every query here names the SWV explicitly, and
only the services in app/services/toegang read them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    String,
    UniqueConstraint,
    Uuid,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.toegang import GebruikerRow


class IdentiteitsproviderRow(Base):
    """An SWV's OpenID provider: issuer, our client id there, the algorithms accepted."""

    __tablename__ = "identiteitsproviders"
    __table_args__ = (UniqueConstraint("uitgever", "client_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"), unique=True)
    uitgever: Mapped[str] = mapped_column(String(500), index=True)
    client_id: Mapped[str] = mapped_column(String(200))
    algoritmen: Mapped[list[str]] = mapped_column(ARRAY(String(10)))
    acr_waarden: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class RolkoppelingRow(Base):
    """One rule of the mapping: a claim value gives a role with vestigingen or gemeenten."""

    __tablename__ = "rolkoppelingen"
    __table_args__ = (UniqueConstraint("swv_id", "claim", "waarde", "rol"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"), index=True)
    claim: Mapped[str] = mapped_column(String(100))
    waarde: Mapped[str] = mapped_column(String(300))
    rol: Mapped[str] = mapped_column(String(40))
    vestiging_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    gemeente_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class SsoRepository:
    """Every query on identity providers and role mappings."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def providers_met_uitgever(self, uitgever: str) -> list[IdentiteitsproviderRow]:
        return list(
            await self._session.scalars(
                select(IdentiteitsproviderRow).where(
                    IdentiteitsproviderRow.uitgever == uitgever,
                    IdentiteitsproviderRow.actief.is_(True),
                )
            )
        )

    async def provider_van(self, swv_id: uuid.UUID) -> IdentiteitsproviderRow | None:
        return await self._session.scalar(
            select(IdentiteitsproviderRow).where(IdentiteitsproviderRow.swv_id == swv_id)
        )

    async def koppelingen_van(self, swv_id: uuid.UUID) -> list[RolkoppelingRow]:
        return list(
            await self._session.scalars(
                select(RolkoppelingRow)
                .where(RolkoppelingRow.swv_id == swv_id)
                .order_by(RolkoppelingRow.claim, RolkoppelingRow.waarde, RolkoppelingRow.rol)
            )
        )

    async def koppeling(self, swv_id: uuid.UUID, koppeling_id: uuid.UUID) -> RolkoppelingRow | None:
        return await self._session.scalar(
            select(RolkoppelingRow).where(
                RolkoppelingRow.swv_id == swv_id, RolkoppelingRow.id == koppeling_id
            )
        )

    async def add(self, row: IdentiteitsproviderRow | RolkoppelingRow | GebruikerRow) -> bool:
        """Insert a row; False when a unique key was taken meanwhile (a concurrent request)."""
        try:
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError:
            return False
        return True

    async def delete(self, row: IdentiteitsproviderRow | RolkoppelingRow) -> None:
        await self._session.delete(row)
        await self._session.flush()
