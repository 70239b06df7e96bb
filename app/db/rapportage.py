"""Submitted Inspectie reports (immutable snapshots), the register projection, and the batch
reading of a whole SWV."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Row,
    SmallInteger,
    String,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.sqltypes import NullType

from app.db.base import Base, Driver
from app.db.leerlingen import FeitRow, LeerlingRow, LeerlingVestigingRow, TijdvakRow
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


class RegisterRijRow(Base):
    """Projection: a child's row in the Inspectie register of one peildatum, as known now.

    One row per (child, peildatum of the SWV) on which the child is listed, with exactly what
    `InspectieRij` holds; replaced with the child's timeline in the transaction of every new
    fact, and rebuilt with it (docs/decisions/0012-register-projectie.md).
    """

    __tablename__ = "register_rijen"
    __table_args__ = (
        # Covering: a register is one index-only scan, already in pseudonym order (no heap
        # pages, no sort), at the price of a second copy of this small table.
        Index(
            "ix_register_rijen_swv_peildatum",
            "swv_id",
            "peildatum",
            "pseudoniem",
            postgresql_include=[
                "leeftijd",
                "categorie_peildatum",
                "hoogste_categorie",
                "verloop",
                "typering",
                "soort",
                "startdatum",
                "einddatum",
                "duur_dagen",
                "duurklasse",
                "ziek_gemeld_door_ouders",
                "aanbod",
                "jeugdhulp",
                "reden_beeindigd",
                "pact_overschreden",
                "aantal_episodes",
            ],
        ),
        # One check per row instead of two (child, SWV): the child exists and is of this SWV,
        # and through its own key the SWV exists (docs/decisions/0049).
        ForeignKeyConstraint(["leerling_id", "swv_id"], ["leerlingen.id", "leerlingen.swv_id"]),
    )

    leerling_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    peildatum: Mapped[date] = mapped_column(Date, primary_key=True)
    swv_id: Mapped[uuid.UUID]
    pseudoniem: Mapped[str] = mapped_column(String(40))
    leeftijd: Mapped[int] = mapped_column(SmallInteger)
    categorie_peildatum: Mapped[str] = mapped_column(String(12))
    hoogste_categorie: Mapped[str] = mapped_column(String(12))
    verloop: Mapped[list[str]] = mapped_column(ARRAY(String(12)))
    typering: Mapped[str] = mapped_column(String(20))
    soort: Mapped[str | None] = mapped_column(String(20))
    startdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
    duur_dagen: Mapped[int] = mapped_column(Integer)
    duurklasse: Mapped[str] = mapped_column(String(24))
    ziek_gemeld_door_ouders: Mapped[bool | None] = mapped_column(Boolean)
    aanbod: Mapped[str | None] = mapped_column(String(20))
    jeugdhulp: Mapped[str | None] = mapped_column(String(80))
    reden_beeindigd: Mapped[str | None] = mapped_column(String(40))
    pact_overschreden: Mapped[bool] = mapped_column(Boolean)
    aantal_episodes: Mapped[int] = mapped_column(SmallInteger)


REGISTER_KOLOMMEN: tuple[str, ...] = tuple(
    c.name for c in RegisterRijRow.__table__.columns if c.name not in {"leerling_id", "swv_id"}
)
"""The stored columns of a register row besides its keys: `peildatum` and `InspectieRij`'s."""


# Plain SQL on the transaction's connection: these run with every reported fact (a hot path).
_PROJECTIES_WEG = (
    "WITH weg_register_rijen AS (DELETE FROM register_rijen WHERE leerling_id = $1) "
    "DELETE FROM tijdlijn_perioden WHERE leerling_id = $1 "
    "RETURNING volgnummer, categorie, start, einde"
)
_PERIODE_INSERT = (
    "INSERT INTO tijdlijn_perioden (leerling_id, volgnummer, swv_id, categorie, start, einde, "
    "regel, feit_ids, eindreden) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
)
_REGISTER_RIJ_INSERT = (
    f"INSERT INTO register_rijen (leerling_id, swv_id, {', '.join(REGISTER_KOLOMMEN)}) "  # noqa: S608
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(REGISTER_KOLOMMEN) + 3))})"
)


class RapportageRepository:
    def __init__(self, session: AsyncSession, driver: Driver) -> None:
        self._session = session
        self._driver = driver

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
        projectie = select(TijdvakRow.leerling_id).where(
            TijdvakRow.swv_id == swv_id,
            TijdvakRow.categorie.in_(list(categorieen)),
            TijdvakRow.start <= tot_en_met,
            or_(TijdvakRow.einde.is_(None), TijdvakRow.einde >= vanaf),
        )
        if bekend_op is not None:
            later = select(FeitRow.leerling_id).where(
                FeitRow.swv_id == swv_id, FeitRow.geregistreerd_op > bekend_op
            )
            projectie = projectie.union(later)  # type: ignore[assignment]
        return list(await self._session.scalars(projectie))

    async def vervang_projecties(
        self,
        leerling_id: uuid.UUID,
        swv_id: uuid.UUID,
        perioden: Sequence[dict[str, Any]],
        rijen: Sequence[dict[str, Any]],
    ) -> list[tuple[str, date, date | None]]:
        """Replace the child's two projections in the transaction of its new facts: its timeline
        (`tijdlijn_perioden`, one dict per period in order) and its rows in the Inspectie
        register (`register_rijen`, one dict per peildatum). One statement deletes both, so a
        child without register rows costs no round trip more than its timeline alone. Returns
        the timeline it replaced (category, start, end): the events announce what changed."""
        db = await self._driver()
        oud = sorted(await db.fetch(_PROJECTIES_WEG, leerling_id), key=lambda r: r[0])
        if perioden:
            await db.executemany(
                _PERIODE_INSERT,
                [
                    (
                        leerling_id,
                        n,
                        swv_id,
                        p["categorie"],
                        p["start"],
                        p["einde"],
                        p["regel"],
                        p["feit_ids"],
                        p["eindreden"],
                    )
                    for n, p in enumerate(perioden)
                ],
            )
        if rijen:
            await db.executemany(
                _REGISTER_RIJ_INSERT,
                [(leerling_id, swv_id, *(r[k] for k in REGISTER_KOLOMMEN)) for r in rijen],
            )
        return [(r["categorie"], r["start"], r["einde"]) for r in oud]

    async def register_rijen(self, swv_id: uuid.UUID, peildatum: date) -> Sequence[Row[Any]]:
        """The register of a peildatum from the projection: the columns after `peildatum` in
        `REGISTER_KOLOMMEN`, ordered by pseudonym as `leerlingen_batches` orders the children
        (the same column collation); Core rows, no ORM instances."""
        tabel = Base.metadata.tables[RegisterRijRow.__tablename__]
        kolommen = [
            # asyncpg already gives a list of str: skip the ARRAY type's per-row processing.
            type_coerce(tabel.c[k], NullType()).label(k) if k == "verloop" else tabel.c[k]
            for k in REGISTER_KOLOMMEN[1:]
        ]
        stmt = (
            select(*kolommen)
            .where(tabel.c.swv_id == swv_id, tabel.c.peildatum == peildatum)
            .order_by(tabel.c.pseudoniem)
        )
        return (await self._session.execute(stmt)).all()

    async def register_stand(
        self, swv_id: uuid.UUID, peildatum: date
    ) -> Sequence[Row[str, date, bool]]:
        """Per child in the register of a peildatum: its pseudonym, the start of its episode and
        whether that still ran on the peildatum (what the next register's mutations compare)."""
        tabel = Base.metadata.tables[RegisterRijRow.__tablename__]
        stmt = select(tabel.c.pseudoniem, tabel.c.startdatum, tabel.c.einddatum.is_(None)).where(
            tabel.c.swv_id == swv_id, tabel.c.peildatum == peildatum
        )
        return (await self._session.execute(stmt)).all()

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

    async def ids_op_pseudoniem(
        self, swv_id: uuid.UUID, pseudoniemen: Sequence[str]
    ) -> list[uuid.UUID]:
        """The ids of the SWV's children with these pseudonyms (whom a register listed)."""
        if not pseudoniemen:
            return []
        return list(
            await self._session.scalars(
                select(LeerlingRow.id)
                .where(LeerlingRow.swv_id == swv_id, LeerlingRow.pseudoniem.in_(list(pseudoniemen)))
                .order_by(LeerlingRow.id)
            )
        )

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

    async def indieningsmomenten(self, swv_id: uuid.UUID) -> list[tuple[date, datetime]]:
        """Peildatum and knowledge moment of every submission, without the frozen bytes."""
        rows = await self._session.execute(
            select(IndieningRow.peildatum, IndieningRow.bekend_op)
            .where(IndieningRow.swv_id == swv_id)
            .order_by(IndieningRow.peildatum, IndieningRow.bekend_op)
        )
        return [(p, b) for p, b in rows]

    async def indiening(self, swv_id: uuid.UUID, indiening_id: uuid.UUID) -> IndieningRow | None:
        return await self._session.scalar(
            select(IndieningRow).where(
                IndieningRow.swv_id == swv_id, IndieningRow.id == indiening_id
            )
        )
