"""TLVs, their plaatsingschecks and the append-only history of their transitions.

Scope (docs/tlv.md): SWV-wide roles see every TLV of their SWV; a school the TLVs of children
connected to its vestigingen and the TLVs that name its vestiging as old or intended school; a
gemeente's leerplicht the TLVs of children living in its gemeenten. Row-level security per SWV
is the second line (migration 2026_12_07_tlv).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
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
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver
from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import LeerlingenRepository, LeerlingRow, LeerlingVestigingRow
from app.domain.toegang import Actor, Reikwijdte


class TlvRow(Base):
    """A toelaatbaarheidsverklaring; `staat` and `volgende_check` project its history."""

    __tablename__ = "tlvs"
    __table_args__ = (
        Index("ix_tlvs_leerling", "leerling_id", "afgegeven_op"),
        Index(
            "ix_tlvs_swv_volgende_check",
            "swv_id",
            "volgende_check",
            postgresql_where="volgende_check IS NOT NULL",
        ),
        Index(
            "uq_tlvs_bron_referentie",
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
    afgegeven_op: Mapped[date] = mapped_column(Date)
    onderwijssoort: Mapped[str] = mapped_column(String(3))
    categorie: Mapped[str | None] = mapped_column(String(6))
    geldig_tot: Mapped[date | None] = mapped_column(Date)
    """The last valid day, inclusive: the API's `geldigTotEnMet` (decision 52)."""
    school_herkomst_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    school_beoogd_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    staat: Mapped[str] = mapped_column(String(20))
    volgende_check: Mapped[date | None] = mapped_column(Date)
    plaatsingsdatum: Mapped[date | None] = mapped_column(Date)
    geplaatst_bij_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    plaatsing_ingevoerd_op: Mapped[date | None] = mapped_column(Date)
    geen_onderwijs_sinds: Mapped[date | None] = mapped_column(Date)
    intrekkingsreden: Mapped[str | None] = mapped_column(Text)
    feit_id: Mapped[uuid.UUID | None] = mapped_column()
    """The `tlv-afgegeven` fact appended with the TLV."""
    versie: Mapped[int] = mapped_column(Integer, default=1)
    bron: Mapped[str] = mapped_column(String(100))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))
    aangemaakt_door: Mapped[str] = mapped_column(String(100))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlaatsingscheckRow(Base):
    """One recorded check: the calls with the old and the new school and their outcome."""

    __tablename__ = "plaatsingschecks"
    __table_args__ = (
        Index("ix_plaatsingschecks_tlv", "tlv_id", "geregistreerd_op"),
        Index(
            "uq_plaatsingschecks_bron_referentie",
            "swv_id",
            "bron",
            "bron_referentie",
            unique=True,
            postgresql_where="bron_referentie IS NOT NULL",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tlv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tlvs.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))
    gecontroleerd_op: Mapped[date] = mapped_column(Date)
    oude_school_gesproken: Mapped[bool] = mapped_column(Boolean)
    nieuwe_school_gesproken: Mapped[bool] = mapped_column(Boolean)
    uitkomst: Mapped[str] = mapped_column(String(30))
    datum: Mapped[date | None] = mapped_column(Date)
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    toelichting: Mapped[str | None] = mapped_column(Text)
    feit_id: Mapped[uuid.UUID | None] = mapped_column()
    """The fact the outcome appended (plaatsing, wacht-op-plek, onderwijs-hervat), if any."""
    bron: Mapped[str] = mapped_column(String(100))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))
    door: Mapped[str] = mapped_column(String(100))
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TlvOvergangRow(Base):
    """One transition of a TLV, never updated or deleted (a trigger refuses both)."""

    __tablename__ = "tlv_overgangen"
    __table_args__ = (Index("ix_tlv_overgangen_tlv", "tlv_id", "volgnummer"),)

    volgnummer: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    tlv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tlvs.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    van: Mapped[str | None] = mapped_column(String(20))
    naar: Mapped[str] = mapped_column(String(20))
    gebeurtenis: Mapped[str] = mapped_column(String(30))
    rol: Mapped[str] = mapped_column(String(40))
    door: Mapped[str] = mapped_column(String(100))
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    datum: Mapped[date | None] = mapped_column(Date)
    """The step's date: placement, expected intake, first day without education."""
    volgende_check: Mapped[date | None] = mapped_column(Date)
    check_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plaatsingschecks.id"))


_HISTORIE_VAN_KIND = (
    "SELECT t.id, t.afgegeven_op, t.onderwijssoort, o.gebeurtenis, o.naar, o.datum, "
    "o.volgende_check, o.geregistreerd_op FROM tlvs t JOIN tlv_overgangen o ON o.tlv_id = t.id "
    "WHERE t.leerling_id = $1 ORDER BY t.afgegeven_op, t.id, o.volgnummer"
)


class TlvRepository:
    """Every query on TLVs, their checks and their history."""

    def __init__(self, session: AsyncSession, driver: Driver) -> None:
        self._session = session
        self._driver = driver

    async def historie_van_kind(self, leerling_id: uuid.UUID) -> list[Any]:
        """The history of every TLV of one child, as driver records, in one indexed query (the
        status page: plain SQL, docs/decisions/0014)."""
        db = await self._driver()
        rows: list[Any] = await db.fetch(_HISTORIE_VAN_KIND, leerling_id)
        return rows

    @staticmethod
    def leesbaar(actor: Actor) -> Select[TlvRow]:
        """The TLVs this actor may see: the one place where TLV scoping is decided."""
        stmt = select(TlvRow).where(TlvRow.swv_id == uuid.UUID(actor.swv_id))
        reikwijdte = actor.reikwijdte
        if reikwijdte is Reikwijdte.SWV:
            return stmt
        if reikwijdte is Reikwijdte.VESTIGINGEN and actor.vestiging_ids:
            eigen = [uuid.UUID(v) for v in actor.vestiging_ids]
            verbonden = select(LeerlingVestigingRow.leerling_id).where(
                LeerlingVestigingRow.school_id.in_(eigen)
            )
            return stmt.where(
                or_(
                    TlvRow.leerling_id.in_(verbonden),
                    TlvRow.school_herkomst_id.in_(eigen),
                    TlvRow.school_beoogd_id.in_(eigen),
                )
            )
        if reikwijdte is Reikwijdte.GEMEENTEN and actor.gemeente_ids:
            kinderen = LeerlingenRepository.leesbaar(actor).with_only_columns(LeerlingRow.id)
            return stmt.where(TlvRow.leerling_id.in_(kinderen))
        return stmt.where(false())

    async def get(self, actor: Actor, tlv_id: uuid.UUID, *, lock: bool = False) -> TlvRow | None:
        stmt = self.leesbaar(actor).where(TlvRow.id == tlv_id)
        if lock:
            stmt = stmt.with_for_update(of=TlvRow)
        return await self._session.scalar(stmt)

    async def van_leerling(self, actor: Actor, leerling_id: uuid.UUID) -> list[TlvRow]:
        stmt = (
            self.leesbaar(actor)
            .where(TlvRow.leerling_id == leerling_id)
            .order_by(TlvRow.afgegeven_op.desc(), TlvRow.aangemaakt_op.desc())
        )
        return list(await self._session.scalars(stmt))

    async def lijst(
        self,
        actor: Actor,
        *,
        offset: int,
        limit: int,
        staten: list[str] | None = None,
        check_tot_en_met: date | None = None,
        school_id: uuid.UUID | None = None,
    ) -> tuple[list[TlvRow], int]:
        """A page of TLVs in scope: by state, with a check due on or before a date, or naming
        a school as old or intended school."""
        stmt = self.leesbaar(actor)
        if staten is not None:
            stmt = stmt.where(TlvRow.staat.in_(staten))
        if check_tot_en_met is not None:
            stmt = stmt.where(TlvRow.volgende_check <= check_tot_en_met)
        if school_id is not None:
            stmt = stmt.where(
                or_(TlvRow.school_herkomst_id == school_id, TlvRow.school_beoogd_id == school_id)
            )
        totaal = await self._session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        )
        volgorde = (
            (TlvRow.volgende_check, TlvRow.id)
            if check_tot_en_met is not None
            else (TlvRow.afgegeven_op.desc(), TlvRow.id)
        )
        rows = await self._session.scalars(stmt.order_by(*volgorde).offset(offset).limit(limit))
        return list(rows), int(totaal or 0)

    async def op_bron(self, swv_id: uuid.UUID, bron: str, bron_referentie: str) -> TlvRow | None:
        return await self._session.scalar(
            select(TlvRow).where(
                TlvRow.swv_id == swv_id,
                TlvRow.bron == bron,
                TlvRow.bron_referentie == bron_referentie,
            )
        )

    async def check_op_bron(
        self, swv_id: uuid.UUID, bron: str, bron_referentie: str
    ) -> PlaatsingscheckRow | None:
        return await self._session.scalar(
            select(PlaatsingscheckRow).where(
                PlaatsingscheckRow.swv_id == swv_id,
                PlaatsingscheckRow.bron == bron,
                PlaatsingscheckRow.bron_referentie == bron_referentie,
            )
        )

    async def _voeg_toe(self, row: Base) -> None:
        """Insert one row; the same source reference at the same moment is a conflict."""
        try:
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError:
            raise DubbeleBronReferentie from None

    async def voeg_toe(self, row: TlvRow) -> TlvRow:
        await self._voeg_toe(row)
        return row

    async def voeg_check_toe(self, row: PlaatsingscheckRow) -> PlaatsingscheckRow:
        await self._voeg_toe(row)
        return row

    async def schrijf_overgang(self, row: TlvOvergangRow) -> None:
        self._session.add(row)
        await self._session.flush()

    async def zet(self, tlv: TlvRow, **waarden: Any) -> None:
        """Update the TLV's projected columns and count its version."""
        for naam, waarde in waarden.items():
            setattr(tlv, naam, waarde)
        tlv.versie += 1
        await self._session.flush()

    async def checks(self, tlv_id: uuid.UUID) -> list[PlaatsingscheckRow]:
        stmt = (
            select(PlaatsingscheckRow)
            .where(PlaatsingscheckRow.tlv_id == tlv_id)
            .order_by(PlaatsingscheckRow.geregistreerd_op, PlaatsingscheckRow.id)
        )
        return list(await self._session.scalars(stmt))

    async def checks_van_kind(self, leerling_id: uuid.UUID) -> list[PlaatsingscheckRow]:
        stmt = (
            select(PlaatsingscheckRow)
            .where(PlaatsingscheckRow.leerling_id == leerling_id)
            .order_by(PlaatsingscheckRow.geregistreerd_op, PlaatsingscheckRow.id)
        )
        return list(await self._session.scalars(stmt))

    async def overgangen(self, tlv_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[TlvOvergangRow]]:
        if not tlv_ids:
            return {}
        stmt = (
            select(TlvOvergangRow)
            .where(TlvOvergangRow.tlv_id.in_(tlv_ids))
            .order_by(TlvOvergangRow.volgnummer)
        )
        uit: dict[uuid.UUID, list[TlvOvergangRow]] = {t: [] for t in tlv_ids}
        for row in await self._session.scalars(stmt):
            uit[row.tlv_id].append(row)
        return uit

    async def wis_vrije_tekst(self, leerling_id: uuid.UUID) -> None:
        """Blank the free text of a child's TLVs and checks (anonymisation, docs/privacy.md)."""
        await self._session.execute(
            update(TlvRow)
            .where(TlvRow.leerling_id == leerling_id, TlvRow.intrekkingsreden.is_not(None))
            .values(intrekkingsreden="")
        )
        await self._session.execute(
            update(TlvRow).where(TlvRow.leerling_id == leerling_id).values(bron_referentie=None)
        )
        await self._session.execute(
            update(PlaatsingscheckRow)
            .where(PlaatsingscheckRow.leerling_id == leerling_id)
            .values(toelichting=None, bron_referentie=None)
        )
