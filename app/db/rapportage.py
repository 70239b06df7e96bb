"""Submitted Inspectie reports (immutable snapshots) and the batch reading of a whole SWV."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.leerlingen import FeitRow, LeerlingRow, LeerlingVestigingRow, PeriodeRow
from app.db.organisaties import GemeenteRow
from app.db.scholen import SchoolRow


class IndieningRow(Base):
    """An Inspectie report as submitted: the exact bytes, their hash, who and when."""

    __tablename__ = "inspectie_indieningen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    peildatum: Mapped[date] = mapped_column(Date)
    bekend_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ingediend_door: Mapped[str] = mapped_column(String(100))
    inhoud: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    aantal_rijen: Mapped[int] = mapped_column(Integer)
    per_categorie: Mapped[dict[str, Any]] = mapped_column(JSONB)


class RapportageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def kandidaten(
        self,
        swv_id: uuid.UUID,
        *,
        vanaf: date,
        tot_en_met: date,
        categorieen: Sequence[str],
        bekend_op: datetime | None,
    ) -> list[uuid.UUID]:
        """Children that can be in a report over [vanaf, tot_en_met]: a projected period in one
        of `categorieen` overlaps it, or (as known on `bekend_op`) a fact recorded later may
        have changed what was known then. Everyone else cannot qualify: their facts, and so
        their timeline, are the same then as now."""
        projectie = select(PeriodeRow.leerling_id).where(
            PeriodeRow.swv_id == swv_id,
            PeriodeRow.categorie.in_(list(categorieen)),
            PeriodeRow.start <= tot_en_met,
            or_(PeriodeRow.einde.is_(None), PeriodeRow.einde >= vanaf),
        )
        if bekend_op is not None:
            later = select(FeitRow.leerling_id).where(
                FeitRow.swv_id == swv_id, FeitRow.geregistreerd_op > bekend_op
            )
            projectie = projectie.union(later)  # type: ignore[assignment]
        return list(await self._session.scalars(projectie))

    async def leerlingen_batches(
        self,
        swv_id: uuid.UUID,
        *,
        batch: int = 2000,
        alleen: Sequence[uuid.UUID] | None = None,
    ) -> AsyncIterator[list[tuple[LeerlingRow, list[FeitRow], str | None, str | None]]]:
        """Every child of the SWV (or only those in `alleen`) ordered by pseudonym, in batches,
        with its facts, the code of its first vestiging and its gemeente code (keyset
        pagination: bounded memory)."""
        na: str | None = None
        while True:
            stmt = (
                select(LeerlingRow, GemeenteRow.code)
                .outerjoin(GemeenteRow, GemeenteRow.id == LeerlingRow.woongemeente_id)
                .where(LeerlingRow.swv_id == swv_id)
                .order_by(LeerlingRow.pseudoniem)
                .limit(batch)
            )
            if alleen is not None:
                stmt = stmt.where(LeerlingRow.id.in_(list(alleen)))
            if na is not None:
                stmt = stmt.where(LeerlingRow.pseudoniem > na)
            rows = (await self._session.execute(stmt)).all()
            if not rows:
                return
            ids = [r[0].id for r in rows]
            feiten: dict[uuid.UUID, list[FeitRow]] = {i: [] for i in ids}
            for feit in await self._session.scalars(
                select(FeitRow).where(FeitRow.leerling_id.in_(ids)).order_by(FeitRow.volgnummer)
            ):
                feiten[feit.leerling_id].append(feit)
            scholen: dict[uuid.UUID, str] = {}
            for leerling_id, brin, nummer in await self._session.execute(
                select(LeerlingVestigingRow.leerling_id, SchoolRow.brin, SchoolRow.vestigingsnummer)
                .join(SchoolRow, SchoolRow.id == LeerlingVestigingRow.school_id)
                .where(LeerlingVestigingRow.leerling_id.in_(ids))
                .order_by(
                    LeerlingVestigingRow.leerling_id, SchoolRow.brin, SchoolRow.vestigingsnummer
                )
            ):
                scholen.setdefault(leerling_id, f"{brin}{nummer}")
            yield [(r[0], feiten[r[0].id], scholen.get(r[0].id), r[1]) for r in rows]
            self._session.expunge_all()
            na = rows[-1][0].pseudoniem

    async def voeg_toe(self, row: IndieningRow) -> None:
        self._session.add(row)
        await self._session.flush()

    async def indieningen(self, swv_id: uuid.UUID) -> Sequence[IndieningRow]:
        rows = await self._session.scalars(
            select(IndieningRow)
            .where(IndieningRow.swv_id == swv_id)
            .order_by(IndieningRow.peildatum, IndieningRow.bekend_op)
        )
        return list(rows)

    async def indiening(self, swv_id: uuid.UUID, indiening_id: uuid.UUID) -> IndieningRow | None:
        return await self._session.scalar(
            select(IndieningRow).where(
                IndieningRow.swv_id == swv_id, IndieningRow.id == indiening_id
            )
        )
