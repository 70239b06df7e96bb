"""Workflow meldingen and their append-only transition history.

Row scoping lives in one place, `MeldingenRepository.leesbaar(actor)`: SWV-wide roles see every
melding of their SWV, a school (or its system) those of its own vestigingen, leerplicht those of
children living in its gemeenten, other roles none.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Select,
    String,
    Text,
    false,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import LeerlingRow
from app.domain.toegang import Actor, Reikwijdte


class MeldingRow(Base):
    """One melding as received; its state is the projection of `melding_overgangen`."""

    __tablename__ = "meldingen"
    __table_args__ = (
        Index("ix_meldingen_swv_status", "swv_id", "status", "ontvangen_op"),
        Index("ix_meldingen_leerling", "leerling_id"),
        Index(
            "uq_meldingen_bron_referentie",
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
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    soort: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    aard: Mapped[str | None] = mapped_column(String(20))
    verzuim_begin: Mapped[date | None] = mapped_column(Date)
    verzuim_einde: Mapped[date | None] = mapped_column(Date)
    ouders_geinformeerd_op: Mapped[date | None] = mapped_column(Date)
    gevraagde_acties: Mapped[list[str]] = mapped_column(ARRAY(String(30)))
    toelichting: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Free text of the intake form (aanleiding, beschrijving, ...): never in an export."""
    bron: Mapped[str] = mapped_column(String(100))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))
    ingediend_door: Mapped[str] = mapped_column(String(100))
    ingediend_door_rol: Mapped[str] = mapped_column(String(40))
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    toegewezen_aan: Mapped[str | None] = mapped_column(String(100))
    contact_uiterlijk: Mapped[date | None] = mapped_column(Date)
    sluitreden: Mapped[str | None] = mapped_column(String(40))
    casus_id: Mapped[uuid.UUID | None] = mapped_column()
    feit_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)))
    versie: Mapped[int] = mapped_column(Integer, default=1)


class MeldingOvergangRow(Base):
    """One transition of a melding: who, when, from, to, why (append-only)."""

    __tablename__ = "melding_overgangen"
    __table_args__ = (Index("ix_melding_overgangen_melding", "melding_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    melding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meldingen.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    van: Mapped[str | None] = mapped_column(String(20))
    naar: Mapped[str] = mapped_column(String(20))
    actie: Mapped[str] = mapped_column(String(30))
    door: Mapped[str] = mapped_column(String(100))
    rol: Mapped[str] = mapped_column(String(40))
    op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reden: Mapped[str | None] = mapped_column(Text)


def bereik(actor: Actor, school_kolom: Any, leerling_kolom: Any) -> Any:
    """The scope condition of a school's or leerplicht's workflow records (meldingen, casussen):
    by the record's vestiging, or by the child's gemeente; None for SWV-wide roles."""
    reikwijdte = actor.reikwijdte
    if reikwijdte is Reikwijdte.SWV:
        return None
    if reikwijdte is Reikwijdte.VESTIGINGEN and actor.vestiging_ids:
        return school_kolom.in_([uuid.UUID(v) for v in actor.vestiging_ids])
    if reikwijdte is Reikwijdte.GEMEENTEN and actor.gemeente_ids:
        return leerling_kolom.in_(
            select(LeerlingRow.id).where(
                LeerlingRow.woongemeente_id.in_([uuid.UUID(g) for g in actor.gemeente_ids])
            )
        )
    return false()


class MeldingenRepository:
    """Every query on meldingen."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def leesbaar(actor: Actor) -> Select[MeldingRow]:
        """The meldingen this actor may see: the one place where their scoping is decided."""
        stmt = select(MeldingRow).where(MeldingRow.swv_id == uuid.UUID(actor.swv_id))
        voorwaarde = bereik(actor, MeldingRow.school_id, MeldingRow.leerling_id)
        return stmt if voorwaarde is None else stmt.where(voorwaarde)

    async def get(
        self, actor: Actor, melding_id: uuid.UUID, *, lock: bool = False
    ) -> MeldingRow | None:
        stmt = self.leesbaar(actor).where(MeldingRow.id == melding_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self._session.scalar(stmt)

    async def op_bron(self, swv_id: uuid.UUID, bron: str, referentie: str) -> MeldingRow | None:
        """The melding a source sent under this reference, whoever may see it (for a 409)."""
        return await self._session.scalar(
            select(MeldingRow).where(
                MeldingRow.swv_id == swv_id,
                MeldingRow.bron == bron,
                MeldingRow.bron_referentie == referentie,
            )
        )

    async def add(self, row: MeldingRow) -> None:
        """Store a new melding; the same source reference stored at the same moment by another
        request is `DubbeleBronReferentie`."""
        self._session.add(row)
        try:
            await self._session.flush()
        except IntegrityError as fout:
            if "uq_meldingen_bron_referentie" in str(fout.orig):
                raise DubbeleBronReferentie from None
            raise

    async def overgang(self, row: MeldingOvergangRow) -> None:
        self._session.add(row)
        await self._session.flush()

    async def overgangen(self, melding_id: uuid.UUID) -> list[MeldingOvergangRow]:
        rows = await self._session.scalars(
            select(MeldingOvergangRow)
            .where(MeldingOvergangRow.melding_id == melding_id)
            .order_by(MeldingOvergangRow.id)
        )
        return list(rows)

    async def lijst(
        self,
        actor: Actor,
        *,
        offset: int,
        limit: int,
        status: Sequence[str] | None = None,
        school_id: uuid.UUID | None = None,
        toegewezen_aan: str | None = None,
        soort: str | None = None,
        leerling_id: uuid.UUID | None = None,
        ontvangen_vanaf: datetime | None = None,
        ontvangen_tot: datetime | None = None,
    ) -> tuple[list[MeldingRow], int]:
        """A page of meldingen in scope, newest first, filtered as the regisseur's inbox asks."""
        stmt = self.leesbaar(actor)
        if status:
            stmt = stmt.where(MeldingRow.status.in_(list(status)))
        if school_id is not None:
            stmt = stmt.where(MeldingRow.school_id == school_id)
        if toegewezen_aan is not None:
            stmt = stmt.where(MeldingRow.toegewezen_aan == toegewezen_aan)
        if soort is not None:
            stmt = stmt.where(MeldingRow.soort == soort)
        if leerling_id is not None:
            stmt = stmt.where(MeldingRow.leerling_id == leerling_id)
        if ontvangen_vanaf is not None:
            stmt = stmt.where(MeldingRow.ontvangen_op >= ontvangen_vanaf)
        if ontvangen_tot is not None:
            stmt = stmt.where(MeldingRow.ontvangen_op < ontvangen_tot)
        total = await self._session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self._session.scalars(
            stmt.order_by(MeldingRow.ontvangen_op.desc(), MeldingRow.id).offset(offset).limit(limit)
        )
        return list(rows), int(total or 0)

    async def van_leerling(self, leerling_id: uuid.UUID) -> list[MeldingRow]:
        """Every melding about one child (the inzage export)."""
        rows = await self._session.scalars(
            select(MeldingRow)
            .where(MeldingRow.leerling_id == leerling_id)
            .order_by(MeldingRow.ontvangen_op)
        )
        return list(rows)

    async def gemeld_sinds(
        self, leerling_ids: Sequence[uuid.UUID], vestiging_ids: Sequence[uuid.UUID] | None
    ) -> set[uuid.UUID]:
        """The children among these with a melding (from one of these vestigingen, if given)."""
        if not leerling_ids:
            return set()
        stmt = select(MeldingRow.leerling_id).where(MeldingRow.leerling_id.in_(list(leerling_ids)))
        if vestiging_ids is not None:
            stmt = stmt.where(MeldingRow.school_id.in_(list(vestiging_ids)))
        return set(await self._session.scalars(stmt))

    async def te_anonimiseren(self, leerling_id: uuid.UUID) -> list[MeldingRow]:
        rows = await self._session.scalars(
            select(MeldingRow).where(MeldingRow.leerling_id == leerling_id).with_for_update()
        )
        return list(rows)

    async def overgangen_van(self, melding_ids: Sequence[uuid.UUID]) -> list[MeldingOvergangRow]:
        if not melding_ids:
            return []
        rows = await self._session.scalars(
            select(MeldingOvergangRow).where(MeldingOvergangRow.melding_id.in_(list(melding_ids)))
        )
        return list(rows)
