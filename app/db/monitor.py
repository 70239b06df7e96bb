"""The SWV monitor's tables: old pseudonyms kept as aliases after a renumbering, and the
recorded deliveries of submitted registers through the Inspectie's portal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    String,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.leerlingen import LeerlingRow
from app.db.rapportage import IndieningRow, RegisterRijRow


class PseudoniemAliasRow(Base):
    """A pseudonym a child had before a renumbering (regel 18)."""

    __tablename__ = "pseudoniem_aliassen"
    __table_args__ = (UniqueConstraint("swv_id", "pseudoniem"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    leerling_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("leerlingen.id", ondelete="CASCADE"), index=True
    )
    pseudoniem: Mapped[str] = mapped_column(String(40))
    nieuw_pseudoniem: Mapped[str] = mapped_column(String(40))
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    gewijzigd_door: Mapped[str] = mapped_column(String(100))


class LeveringRow(Base):
    """A submitted register delivered through the Inspectie's portal: once per submission."""

    __tablename__ = "inspectie_leveringen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    indiening_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspectie_indieningen.id"), unique=True
    )
    geleverd_op: Mapped[date] = mapped_column(Date)
    geleverd_door: Mapped[str] = mapped_column(String(100))
    referentie: Mapped[str] = mapped_column(String(100))
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    vastgelegd_door: Mapped[str] = mapped_column(String(100))


class MonitorRepository:
    """Every query of the monitor: aliases, renumbering, deliveries."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def pseudoniem_in_gebruik(self, swv_id: uuid.UUID, pseudoniem: str) -> bool:
        """Whether the code is a child's current pseudonym or an alias in the SWV."""
        huidig = await self._session.scalar(
            select(LeerlingRow.id).where(
                LeerlingRow.swv_id == swv_id, LeerlingRow.pseudoniem == pseudoniem
            )
        )
        if huidig is not None:
            return True
        alias = await self._session.scalar(
            select(PseudoniemAliasRow.id).where(
                PseudoniemAliasRow.swv_id == swv_id, PseudoniemAliasRow.pseudoniem == pseudoniem
            )
        )
        return alias is not None

    async def leerling_van_alias(self, swv_id: uuid.UUID, pseudoniem: str) -> uuid.UUID | None:
        return await self._session.scalar(
            select(PseudoniemAliasRow.leerling_id).where(
                PseudoniemAliasRow.swv_id == swv_id, PseudoniemAliasRow.pseudoniem == pseudoniem
            )
        )

    async def aliassen(self, swv_id: uuid.UUID) -> dict[str, str]:
        """Every old pseudonym of the SWV with the child's current one."""
        rows = await self._session.execute(
            select(PseudoniemAliasRow.pseudoniem, LeerlingRow.pseudoniem)
            .join(LeerlingRow, LeerlingRow.id == PseudoniemAliasRow.leerling_id)
            .where(PseudoniemAliasRow.swv_id == swv_id)
        )
        return {r[0]: r[1] for r in rows}

    async def aliassen_van(self, leerling_id: uuid.UUID) -> Sequence[PseudoniemAliasRow]:
        return (
            await self._session.scalars(
                select(PseudoniemAliasRow)
                .where(PseudoniemAliasRow.leerling_id == leerling_id)
                .order_by(PseudoniemAliasRow.gewijzigd_op, PseudoniemAliasRow.pseudoniem)
            )
        ).all()

    async def hernummer(self, leerling: LeerlingRow, alias: PseudoniemAliasRow) -> None:
        """Keep the old pseudonym as an alias; the child and its register rows get the new one."""
        self._session.add(alias)
        leerling.pseudoniem = alias.nieuw_pseudoniem
        leerling.versie += 1  # the child's representation changed: a new ETag
        await self._session.flush()
        await self._session.execute(
            update(RegisterRijRow)
            .where(RegisterRijRow.leerling_id == leerling.id)
            .values(pseudoniem=alias.nieuw_pseudoniem)
        )

    async def vergeet_aliassen(self, leerling_id: uuid.UUID) -> None:
        """Remove a child's old pseudonyms (anonymisation: they lead back to the child)."""
        await self._session.execute(
            delete(PseudoniemAliasRow).where(PseudoniemAliasRow.leerling_id == leerling_id)
        )

    async def levering(self, indiening_id: uuid.UUID) -> LeveringRow | None:
        return await self._session.scalar(
            select(LeveringRow).where(LeveringRow.indiening_id == indiening_id)
        )

    async def leveringen(self, swv_id: uuid.UUID) -> Sequence[LeveringRow]:
        return (
            await self._session.scalars(
                select(LeveringRow)
                .join(IndieningRow, IndieningRow.id == LeveringRow.indiening_id)
                .where(LeveringRow.swv_id == swv_id)
                .order_by(IndieningRow.peildatum, LeveringRow.vastgelegd_op, LeveringRow.id)
            )
        ).all()

    async def voeg_levering_toe(self, row: LeveringRow) -> None:
        self._session.add(row)
        await self._session.flush()
