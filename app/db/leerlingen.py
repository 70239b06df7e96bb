"""Children in the register, their facts (append-only) and the timeline projection.

Row scoping lives in exactly one place: `LeerlingenRepository.leesbaar(actor)`. Every query that
returns children or their data starts from it, so a child outside the caller's scope is never
found (and answers 404 exactly like a missing one). The hot paths (a child's status and timeline,
reporting a fact) run plain SQL on the transaction's asyncpg connection instead of the ORM; their
scope condition, `_bereik`, is `leesbaar` written in SQL, and a test holds the two equal for every
kind of scope.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeGuard

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Select,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver
from app.db.fouten import DubbeleBronReferentie
from app.domain.classificatie import Categorie
from app.domain.toegang import Actor, Reikwijdte


class LeerlingRow(Base):
    """A child, pseudonymous by default: a code, birth year and month, region, gemeente."""

    __tablename__ = "leerlingen"
    __table_args__ = (
        UniqueConstraint("swv_id", "pseudoniem"),
        # The key the register rows reference with their SWV: one foreign-key check per row
        # proves the child exists and is of that SWV (docs/decisions/0049).
        UniqueConstraint("id", "swv_id"),
        CheckConstraint("geboortemaand BETWEEN 1 AND 12", name="geboortemaand"),
        CheckConstraint("geboortedag IS NULL OR geboortedag BETWEEN 1 AND 31", name="geboortedag"),
        CheckConstraint("regio IN ('noord', 'midden', 'zuid')", name="regio_bekend"),
        Index(
            "uq_leerlingen_bsn",
            "swv_id",
            "bsn_zoekhash",
            unique=True,
            postgresql_where="bsn_zoekhash IS NOT NULL",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    pseudoniem: Mapped[str] = mapped_column(String(40))
    geboortejaar: Mapped[int] = mapped_column(SmallInteger)
    geboortemaand: Mapped[int] = mapped_column(SmallInteger)
    geboortedag: Mapped[int | None] = mapped_column(SmallInteger)
    regio: Mapped[str] = mapped_column(String(6))
    woongemeente_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("gemeenten.id"))
    # Identified mode only (an SWV with a recorded legal basis): encrypted at rest, the BSN
    # findable only through a keyed hash.
    naam_versleuteld: Mapped[bytes | None] = mapped_column(LargeBinary)
    adres_versleuteld: Mapped[bytes | None] = mapped_column(LargeBinary)
    bsn_versleuteld: Mapped[bytes | None] = mapped_column(LargeBinary)
    bsn_zoekhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    geanonimiseerd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    versie: Mapped[int] = mapped_column(Integer, default=1)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class LeerlingVestigingRow(Base):
    """Which vestigingen a child is connected to (enrolled at, or reported by): school scope."""

    __tablename__ = "leerling_vestigingen"

    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"), primary_key=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scholen.id"), primary_key=True)


class FeitRow(Base):
    """One fact, never updated or deleted (a trigger refuses both): docs/domain.md regel 15."""

    __tablename__ = "feiten"
    __table_args__ = (
        Index("ix_feiten_leerling", "leerling_id", "geregistreerd_op"),
        Index(
            "uq_feiten_bron_referentie",
            "swv_id",
            "bron",
            "bron_referentie",
            unique=True,
            postgresql_where="bron_referentie IS NOT NULL",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    volgnummer: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(40))
    geldig_vanaf: Mapped[date] = mapped_column(Date)
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    bron: Mapped[str] = mapped_column(String(100))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))
    gemeld_door: Mapped[str] = mapped_column(String(100))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    namens: Mapped[str | None] = mapped_column(String(20))
    """The source the fact is stated for, when recorded on its behalf (leerplicht, jeugdarts)."""


class TijdvakRow(Base):
    """Projection: the child's timeline as known now, one row per period (fast lists)."""

    __tablename__ = "tijdlijn_perioden"
    __table_args__ = (
        # The list's periods on a peildatum read from the index alone (decision 0047).
        Index(
            "ix_tijdlijn_perioden_swv_categorie",
            "swv_id",
            "categorie",
            "start",
            postgresql_include=["einde", "leerling_id"],
        ),
    )

    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"), primary_key=True)
    volgnummer: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    categorie: Mapped[str] = mapped_column(String(12))
    start: Mapped[date] = mapped_column(Date)
    einde: Mapped[date | None] = mapped_column(Date)
    regel: Mapped[str] = mapped_column(String(40))
    feit_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)))
    eindreden: Mapped[str | None] = mapped_column(String(40))


@dataclass(frozen=True, slots=True)
class LeerlingRecord:
    """A child as the hot paths read it: what the domain and an ETag need, without the ORM."""

    id: uuid.UUID
    swv_id: uuid.UUID
    pseudoniem: str
    geboortejaar: int
    geboortemaand: int
    geboortedag: int | None
    regio: str
    versie: int


@dataclass(frozen=True, slots=True)
class FeitRegel:
    """A stored fact as the hot paths read it (the columns of `feiten`, in `_FEIT_KOLOMMEN`)."""

    id: uuid.UUID
    volgnummer: int
    leerling_id: uuid.UUID
    swv_id: uuid.UUID
    soort: str
    geldig_vanaf: date
    geregistreerd_op: datetime
    payload: dict[str, Any]
    bron: str
    bron_referentie: str | None
    gemeld_door: str
    school_id: uuid.UUID | None
    namens: str | None

    def als_rij(self) -> FeitRow:
        """The same fact as a (detached) row object."""
        return FeitRow(**{f: getattr(self, f) for f in self.__slots__})


_KIND = (
    "SELECT id, swv_id, pseudoniem, geboortejaar, geboortemaand, geboortedag, regio, versie "
    "FROM leerlingen WHERE swv_id = $1 AND id = $2"
)
_FEIT_KOLOMMEN = (
    "id, volgnummer, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, payload, bron, "
    "bron_referentie, gemeld_door, school_id, namens"
)
_FEITEN = f"SELECT {_FEIT_KOLOMMEN} FROM feiten WHERE leerling_id = $1 ORDER BY volgnummer"  # noqa: S608
_FEIT_OP_BRON = (
    f"SELECT {_FEIT_KOLOMMEN} FROM feiten "  # noqa: S608 (fixed column names)
    "WHERE swv_id = $1 AND bron = $2 AND bron_referentie = $3"
)
_FEIT_INSERT = (
    "INSERT INTO feiten (id, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, payload, "
    "bron, bron_referentie, gemeld_door, school_id, namens) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING volgnummer"
)
_VERSIE = "UPDATE leerlingen SET versie = $2 WHERE id = $1"
_KOPPEL = (
    "INSERT INTO leerling_vestigingen (leerling_id, school_id) VALUES ($1, $2) "
    "ON CONFLICT DO NOTHING"
)


def _bereik(actor: Actor, eerste: int = 3) -> tuple[str, tuple[Any, ...]]:
    """`LeerlingenRepository.leesbaar` as a condition on `leerlingen` in plain SQL, with its
    parameters (numbered from `$eerste`; for `kind`, $1 and $2 are the SWV and the child)."""
    reikwijdte = actor.reikwijdte
    if reikwijdte is Reikwijdte.SWV:
        return "", ()
    if reikwijdte is Reikwijdte.VESTIGINGEN and actor.vestiging_ids:
        return (
            " AND leerlingen.id IN (SELECT leerling_id FROM leerling_vestigingen "  # noqa: S608
            f"WHERE school_id = ANY(${eerste}::uuid[]))",
            ([uuid.UUID(v) for v in actor.vestiging_ids],),
        )
    if reikwijdte is Reikwijdte.GEMEENTEN and actor.gemeente_ids:
        return f" AND leerlingen.woongemeente_id = ANY(${eerste}::uuid[])", (
            [uuid.UUID(g) for g in actor.gemeente_ids],
        )
    return " AND false", ()


@dataclass(frozen=True, slots=True)
class LijstRegel:
    """One child of a list page with its projected period on the peildatum, in plain SQL (the
    list is a screen's first call, decision 0047): only the columns the list shows."""

    id: uuid.UUID
    pseudoniem: str
    geboortejaar: int
    geboortemaand: int
    regio: str
    categorie: str | None
    """The projected period's category on the peildatum; None without one."""
    start: date | None


_LIJST_LEERLING = (
    "leerlingen.id, leerlingen.pseudoniem, leerlingen.geboortejaar, leerlingen.geboortemaand, "
    "leerlingen.regio"
)
"""The child's columns the list shows and sorts on (the look-up of `_lijst_bron`)."""
_LIJST_KOLOMMEN = f"{_LIJST_LEERLING}, periode.categorie, periode.start"
"""A `LijstRegel`: the child's columns and its period's."""
_LIJST_PERIODE = (
    "LEFT OUTER JOIN tijdlijn_perioden AS periode ON periode.leerling_id = leerlingen.id "
    "AND periode.swv_id = $1 AND periode.start <= $2 "
    "AND (periode.einde IS NULL OR periode.einde >= $2)"
)
_LIJST_VOLGORDE = {
    ("pseudoniem", False): "leerlingen.pseudoniem, leerlingen.id",
    ("pseudoniem", True): "leerlingen.pseudoniem DESC, leerlingen.pseudoniem, leerlingen.id",
    ("geboortejaar", False): (
        "leerlingen.geboortejaar ASC, leerlingen.geboortemaand ASC, leerlingen.pseudoniem, "
        "leerlingen.id"
    ),
    ("geboortejaar", True): (
        "leerlingen.geboortejaar DESC, leerlingen.geboortemaand DESC, leerlingen.pseudoniem, "
        "leerlingen.id"
    ),
    ("categorie", False): "periode.categorie ASC NULLS LAST, leerlingen.pseudoniem, leerlingen.id",
    ("categorie", True): "periode.categorie DESC NULLS LAST, leerlingen.pseudoniem, leerlingen.id",
    ("categorieSinds", False): (
        "periode.start ASC NULLS LAST, leerlingen.pseudoniem, leerlingen.id"
    ),
    ("categorieSinds", True): (
        "periode.start DESC NULLS LAST, leerlingen.pseudoniem, leerlingen.id"
    ),
}
"""The list's sort orders: the column, then pseudoniem and id, as `LeerlingenRepository.lijst`."""


def _lijst_voorwaarde(
    actor: Actor,
    peildatum: date,
    school_id: uuid.UUID | None,
    categorieen: Sequence[str] | None,
    gewijzigd_sinds: datetime | None,
    *,
    join: bool,
) -> tuple[str, list[Any]]:
    """`LeerlingenRepository._gefilterd` as a condition on `leerlingen` in plain SQL, with its
    parameters: $1 the SWV; $2 the peildatum where it is used (always `with join`: the period
    in `_LIJST_PERIODE`); the rest after them."""
    parameters: list[Any] = [uuid.UUID(actor.swv_id)]
    if join or categorieen is not None:
        parameters.append(peildatum)
    waar = "leerlingen.swv_id = $1"
    bereik, extra = _bereik(actor, len(parameters) + 1)
    waar += bereik
    parameters += extra
    if gewijzigd_sinds is not None:
        parameters.append(gewijzigd_sinds)
        n = len(parameters)
        waar += (
            f" AND (leerlingen.aangemaakt_op >= ${n} OR leerlingen.geanonimiseerd_op >= ${n} "  # noqa: S608
            "OR leerlingen.id IN (SELECT feiten.leerling_id FROM feiten WHERE feiten.swv_id = $1 "
            f"AND feiten.geregistreerd_op >= ${n}))"
        )
    if school_id is not None:
        parameters.append(school_id)
        waar += (
            " AND leerlingen.id IN (SELECT leerling_vestigingen.leerling_id "  # noqa: S608
            "FROM leerling_vestigingen "
            f"WHERE leerling_vestigingen.school_id = ${len(parameters)})"
        )
    if categorieen is not None:
        parameters.append(list(categorieen))
        waar += f" AND leerlingen.id IN ({_getroffen(len(parameters))})"
    return waar, parameters


def _getroffen(n: int) -> str:
    """The children with a period in one of the categories (`$n`) on the peildatum ($2)."""
    return (
        "SELECT tijdlijn_perioden.leerling_id FROM tijdlijn_perioden "  # noqa: S608 (fixed SQL)
        "WHERE tijdlijn_perioden.swv_id = $1 "
        f"AND tijdlijn_perioden.categorie = ANY(${n}::varchar[]) "
        "AND tijdlijn_perioden.start <= $2 "
        "AND (tijdlijn_perioden.einde IS NULL OR tijdlijn_perioden.einde >= $2)"
    )


def _uit_perioden(categorieen: Sequence[str] | None) -> TypeGuard[Sequence[str]]:
    """Whether the list starts from the periods: filtered on categories that are not `geen`,
    it holds the few children a category applies to (decision 0047)."""
    return categorieen is not None and Categorie.GEEN not in categorieen


def _lijst_bron(
    actor: Actor,
    peildatum: date,
    school_id: uuid.UUID | None,
    categorieen: Sequence[str],
    gewijzigd_sinds: datetime | None,
    *,
    kolommen: str,
) -> tuple[str, list[Any]]:
    """The filtered list as a FROM clause that starts from the matching periods (index only)
    and looks up each of their children by key, with the list's other conditions: a cost of
    the matches, not of every child (decision 0047). `leerlingen` is the looked-up child
    (its `kolommen`); the same rows as `leerlingen WHERE _lijst_voorwaarde(...)`."""
    waar, parameters = _lijst_voorwaarde(
        actor, peildatum, school_id, None, gewijzigd_sinds, join=True
    )
    parameters.append(list(categorieen))
    # OFFSET 0 keeps the look-up a per-child probe: the planner cannot turn it into a scan of
    # every child (its estimate of the matches on a peildatum is too high to choose so itself).
    bron = (
        f"(SELECT DISTINCT getroffen.leerling_id FROM ({_getroffen(len(parameters))}) "  # noqa: S608
        "AS getroffen) AS getroffen CROSS JOIN LATERAL "
        f"(SELECT {kolommen} FROM leerlingen WHERE leerlingen.id = getroffen.leerling_id "
        f"AND {waar} OFFSET 0) AS leerlingen"
    )
    return bron, parameters


class LeerlingenRepository:
    """Every query on children, their facts and their projection."""

    def __init__(self, session: AsyncSession, driver: Driver) -> None:
        self._session = session
        self._driver = driver

    # -- the hot paths: plain SQL on the transaction's connection -----------------------------

    async def kind(
        self, actor: Actor, leerling_id: uuid.UUID, *, lock: bool = False
    ) -> LeerlingRecord | None:
        """One child in the actor's scope (`FOR UPDATE` with `lock`), or None."""
        voorwaarde, parameters = _bereik(actor)
        sql = _KIND + voorwaarde + (" FOR UPDATE" if lock else "")
        db = await self._driver()
        row = await db.fetchrow(sql, uuid.UUID(actor.swv_id), leerling_id, *parameters)
        return None if row is None else LeerlingRecord(*row)

    async def feitregels(self, leerling_id: uuid.UUID) -> list[FeitRegel]:
        """Every fact of one child in the order received, read in plain SQL."""
        db = await self._driver()
        return [FeitRegel(*r) for r in await db.fetch(_FEITEN, leerling_id)]

    async def feitregel_op_bron(
        self, swv_id: uuid.UUID, bron: str, bron_referentie: str
    ) -> FeitRegel | None:
        """The fact a source system reported under this reference, or None."""
        db = await self._driver()
        row = await db.fetchrow(_FEIT_OP_BRON, swv_id, bron, bron_referentie)
        return None if row is None else FeitRegel(*row)

    async def schrijf_feit(self, row: FeitRow) -> None:
        """Append one fact; its `volgnummer` is set from the database."""
        db = await self._driver()
        try:
            row.volgnummer = await db.fetchval(
                _FEIT_INSERT,
                row.id,
                row.leerling_id,
                row.swv_id,
                row.soort,
                row.geldig_vanaf,
                row.geregistreerd_op,
                json.dumps(row.payload),
                row.bron,
                row.bron_referentie,
                row.gemeld_door,
                row.school_id,
                row.namens,
            )
        except asyncpg.UniqueViolationError as fout:
            if fout.constraint_name == "uq_feiten_bron_referentie":
                raise DubbeleBronReferentie from None
            raise

    async def zet_versie(self, leerling_id: uuid.UUID, versie: int) -> None:
        db = await self._driver()
        await db.execute(_VERSIE, leerling_id, versie)

    async def koppel_vestiging(self, leerling_id: uuid.UUID, school_id: uuid.UUID) -> None:
        db = await self._driver()
        await db.execute(_KOPPEL, leerling_id, school_id)

    @staticmethod
    def leesbaar(actor: Actor) -> Select[LeerlingRow]:
        """The children this actor may see: the one place where row scoping is decided."""
        stmt = select(LeerlingRow).where(LeerlingRow.swv_id == uuid.UUID(actor.swv_id))
        reikwijdte = actor.reikwijdte
        if reikwijdte is Reikwijdte.SWV:
            return stmt
        if reikwijdte is Reikwijdte.VESTIGINGEN and actor.vestiging_ids:
            verbonden = select(LeerlingVestigingRow.leerling_id).where(
                LeerlingVestigingRow.school_id.in_([uuid.UUID(v) for v in actor.vestiging_ids])
            )
            return stmt.where(LeerlingRow.id.in_(verbonden))
        if reikwijdte is Reikwijdte.GEMEENTEN and actor.gemeente_ids:
            return stmt.where(
                LeerlingRow.woongemeente_id.in_([uuid.UUID(g) for g in actor.gemeente_ids])
            )
        return stmt.where(false())

    async def get(self, actor: Actor, leerling_id: uuid.UUID) -> LeerlingRow | None:
        """One child in the actor's scope as an ORM row (to change it: `kind(lock=True)`)."""
        return await self._session.scalar(self.leesbaar(actor).where(LeerlingRow.id == leerling_id))

    async def op_bsn_hash(self, actor: Actor, zoekhash: bytes) -> LeerlingRow | None:
        return await self._session.scalar(
            self.leesbaar(actor).where(LeerlingRow.bsn_zoekhash == zoekhash)
        )

    async def bestaat_bsn(self, swv_id: uuid.UUID, zoekhash: bytes) -> bool:
        found = await self._session.scalar(
            select(LeerlingRow.id).where(
                LeerlingRow.swv_id == swv_id, LeerlingRow.bsn_zoekhash == zoekhash
            )
        )
        return found is not None

    async def heeft_identiteiten(self, swv_id: uuid.UUID) -> bool:
        """Whether any child of the SWV still has identifying details stored."""
        found = await self._session.scalar(
            select(LeerlingRow.id)
            .where(
                LeerlingRow.swv_id == swv_id,
                or_(
                    LeerlingRow.naam_versleuteld.is_not(None),
                    LeerlingRow.bsn_versleuteld.is_not(None),
                    LeerlingRow.adres_versleuteld.is_not(None),
                ),
            )
            .limit(1)
        )
        return found is not None

    async def op_pseudoniemen(self, actor: Actor, pseudoniemen: list[str]) -> LeerlingRow | None:
        """The child in the actor's scope under the first of these codes that one has."""
        rows = await self._session.scalars(
            self.leesbaar(actor).where(LeerlingRow.pseudoniem.in_(pseudoniemen))
        )
        gevonden = {row.pseudoniem: row for row in rows}
        return next((gevonden[p] for p in pseudoniemen if p in gevonden), None)

    async def bestaat_pseudoniem(self, swv_id: uuid.UUID, pseudoniem: str) -> bool:
        """Whether the code is taken in the SWV, whoever may see the child (for a 409)."""
        found = await self._session.scalar(
            select(LeerlingRow.id).where(
                LeerlingRow.swv_id == swv_id, LeerlingRow.pseudoniem == pseudoniem
            )
        )
        return found is not None

    async def add(self, row: LeerlingRow) -> LeerlingRow:
        self._session.add(row)
        await self._session.flush()
        return row

    async def lijst(
        self,
        actor: Actor,
        *,
        offset: int,
        limit: int,
        school_id: uuid.UUID | None = None,
        peildatum: date | None = None,
        categorieen: Sequence[str] | None = None,
        sorteer: str = "pseudoniem",
        aflopend: bool = False,
        gewijzigd_sinds: datetime | None = None,
    ) -> tuple[list[LeerlingRow], int]:
        """A page of children in scope, filtered on school, category on a peildatum and on a
        change since a moment (registered, a fact recorded, or anonymised), sorted on a column
        of the list."""
        stmt = self._gefilterd(actor, school_id, peildatum, categorieen, gewijzigd_sinds)
        total = await self._session.scalar(select(func.count()).select_from(stmt.subquery()))
        volgorde: list[Any] = []
        if sorteer in {"categorie", "categorieSinds"} and peildatum is not None:
            periode = self._periode_op(actor, peildatum)
            stmt = stmt.outerjoin(periode, periode.c.leerling_id == LeerlingRow.id)
            kolom = periode.c.categorie if sorteer == "categorie" else periode.c.start
            volgorde.append(kolom.desc().nulls_last() if aflopend else kolom.asc().nulls_last())
        elif sorteer == "geboortejaar":
            jaar, maand = LeerlingRow.geboortejaar, LeerlingRow.geboortemaand
            volgorde += [jaar.desc(), maand.desc()] if aflopend else [jaar.asc(), maand.asc()]
        elif aflopend:
            volgorde.append(LeerlingRow.pseudoniem.desc())
        rows = await self._session.scalars(
            stmt.order_by(*volgorde, LeerlingRow.pseudoniem, LeerlingRow.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)

    async def lijst_op_peildatum(
        self,
        actor: Actor,
        *,
        peildatum: date,
        offset: int,
        limit: int,
        school_id: uuid.UUID | None = None,
        categorieen: Sequence[str] | None = None,
        sorteer: str = "pseudoniem",
        aflopend: bool = False,
        gewijzigd_sinds: datetime | None = None,
    ) -> tuple[list[LijstRegel], int]:
        """`lijst` with each child's projected period on the peildatum, in plain SQL: the count,
        then the page joined with its periods (two statements, not three, and no ORM objects;
        decision 0047). The same children, order and total as `lijst` + `perioden_op`."""
        db = await self._driver()
        if _uit_perioden(categorieen):
            bron, parameters = _lijst_bron(
                actor, peildatum, school_id, categorieen, gewijzigd_sinds, kolommen="leerlingen.id"
            )
            totaal: int = await db.fetchval(f"SELECT count(*) FROM {bron}", *parameters)  # noqa: S608
            if totaal <= offset:
                return [], totaal  # the page lies beyond the end: no second statement
            bron, parameters = _lijst_bron(
                actor, peildatum, school_id, categorieen, gewijzigd_sinds, kolommen=_LIJST_LEERLING
            )
            waar = "true"
            if sorteer not in {"categorie", "categorieSinds"}:
                # Sorted on the child's columns: the page first, then only its periods.
                n = len(parameters)
                volgorde = _LIJST_VOLGORDE[(sorteer, aflopend)]
                bron = (
                    f"(SELECT {_LIJST_LEERLING} FROM {bron} ORDER BY {volgorde} "  # noqa: S608
                    f"LIMIT ${n + 1} OFFSET ${n + 2}) AS leerlingen"
                )
                rows = await db.fetch(
                    f"SELECT {_LIJST_KOLOMMEN} FROM {bron} {_LIJST_PERIODE} "  # noqa: S608
                    f"ORDER BY {volgorde}",
                    *parameters,
                    limit,
                    offset,
                )
                return [LijstRegel(*r) for r in rows], totaal
        else:
            waar, parameters = _lijst_voorwaarde(
                actor, peildatum, school_id, categorieen, gewijzigd_sinds, join=False
            )
            totaal = await db.fetchval(
                f"SELECT count(*) FROM leerlingen WHERE {waar}",  # noqa: S608 (fixed SQL)
                *parameters,
            )
            if totaal <= offset:
                return [], totaal  # the page lies beyond the end: no second statement
            waar, parameters = _lijst_voorwaarde(
                actor, peildatum, school_id, categorieen, gewijzigd_sinds, join=True
            )
            bron = "leerlingen"
        n = len(parameters)
        rows = await db.fetch(
            f"SELECT {_LIJST_KOLOMMEN} FROM {bron} {_LIJST_PERIODE} "  # noqa: S608 (fixed SQL)
            f"WHERE {waar} ORDER BY {_LIJST_VOLGORDE[(sorteer, aflopend)]} "
            f"LIMIT ${n + 1} OFFSET ${n + 2}",
            *parameters,
            limit,
            offset,
        )
        return [LijstRegel(*r) for r in rows], totaal

    async def totalen_op_peildatum(
        self,
        actor: Actor,
        *,
        peildatum: date,
        school_id: uuid.UUID | None = None,
        categorieen: Sequence[str] | None = None,
    ) -> dict[str, int]:
        """`totalen_per_categorie` in plain SQL (decision 0047): how many children of the
        filtered list are in each category on the peildatum."""
        if _uit_perioden(categorieen):
            bron, parameters = _lijst_bron(
                actor, peildatum, school_id, categorieen, None, kolommen="leerlingen.id"
            )
            waar = "true"
        else:
            waar, parameters = _lijst_voorwaarde(
                actor, peildatum, school_id, categorieen, None, join=True
            )
            bron = "leerlingen"
        db = await self._driver()
        rows = await db.fetch(
            "SELECT coalesce(periode.categorie, 'geen'), count(*) "  # noqa: S608 (fixed SQL)
            f"FROM {bron} {_LIJST_PERIODE} WHERE {waar} "
            "GROUP BY coalesce(periode.categorie, 'geen')",
            *parameters,
        )
        return {str(c): int(n) for c, n in rows}

    async def totalen_per_categorie(
        self,
        actor: Actor,
        *,
        peildatum: date,
        school_id: uuid.UUID | None = None,
        categorieen: Sequence[str] | None = None,
    ) -> dict[str, int]:
        """How many children of the filtered list are in each category on the peildatum (the
        ORM reference that `totalen_op_peildatum` is held equal to by a test)."""
        gefilterd = (
            self._gefilterd(actor, school_id, peildatum, categorieen)
            .with_only_columns(LeerlingRow.id)
            .subquery()
        )
        periode = self._periode_op(actor, peildatum)
        categorie = func.coalesce(periode.c.categorie, "geen")
        telling = (
            select(categorie, func.count())
            .select_from(gefilterd)
            .outerjoin(periode, periode.c.leerling_id == gefilterd.c.id)
            .group_by(categorie)
        )
        return {str(c): int(n) for c, n in await self._session.execute(telling)}

    def _gefilterd(
        self,
        actor: Actor,
        school_id: uuid.UUID | None,
        peildatum: date | None,
        categorieen: Sequence[str] | None,
        gewijzigd_sinds: datetime | None = None,
    ) -> Select[LeerlingRow]:
        stmt = self.leesbaar(actor)
        if gewijzigd_sinds is not None:
            stmt = stmt.where(
                or_(
                    LeerlingRow.aangemaakt_op >= gewijzigd_sinds,
                    LeerlingRow.geanonimiseerd_op >= gewijzigd_sinds,
                    LeerlingRow.id.in_(
                        select(FeitRow.leerling_id).where(
                            FeitRow.swv_id == uuid.UUID(actor.swv_id),
                            FeitRow.geregistreerd_op >= gewijzigd_sinds,
                        )
                    ),
                )
            )
        if school_id is not None:
            stmt = stmt.where(
                LeerlingRow.id.in_(
                    select(LeerlingVestigingRow.leerling_id).where(
                        LeerlingVestigingRow.school_id == school_id
                    )
                )
            )
        if peildatum is not None and categorieen is not None:
            op_peildatum = select(TijdvakRow.leerling_id).where(
                TijdvakRow.swv_id == uuid.UUID(actor.swv_id),
                TijdvakRow.categorie.in_(list(categorieen)),
                TijdvakRow.start <= peildatum,
                or_(TijdvakRow.einde.is_(None), TijdvakRow.einde >= peildatum),
            )
            stmt = stmt.where(LeerlingRow.id.in_(op_peildatum))
        return stmt

    @staticmethod
    def _periode_op(actor: Actor, peildatum: date) -> Any:
        """Each child's projected period on the peildatum (at most one per child)."""
        return (
            select(TijdvakRow.leerling_id, TijdvakRow.categorie, TijdvakRow.start)
            .where(
                TijdvakRow.swv_id == uuid.UUID(actor.swv_id),
                TijdvakRow.start <= peildatum,
                or_(TijdvakRow.einde.is_(None), TijdvakRow.einde >= peildatum),
            )
            .subquery()
        )

    async def perioden_op(
        self, leerling_ids: Sequence[uuid.UUID], peildatum: date
    ) -> dict[uuid.UUID, TijdvakRow]:
        """The projected period of each child on a peildatum (as known now)."""
        if not leerling_ids:
            return {}
        rows = await self._session.scalars(
            select(TijdvakRow).where(
                TijdvakRow.leerling_id.in_(list(leerling_ids)),
                TijdvakRow.start <= peildatum,
                or_(TijdvakRow.einde.is_(None), TijdvakRow.einde >= peildatum),
            )
        )
        return {r.leerling_id: r for r in rows}

    async def feiten(self, leerling_id: uuid.UUID) -> list[FeitRow]:
        """Every fact of one child in the order the register received them."""
        rows = await self._session.scalars(
            select(FeitRow).where(FeitRow.leerling_id == leerling_id).order_by(FeitRow.volgnummer)
        )
        return list(rows)

    async def feiten_van(self, leerling_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[FeitRow]]:
        """The facts of several children, each in the order the register received them."""
        result: dict[uuid.UUID, list[FeitRow]] = {}
        for row in await self._session.scalars(
            select(FeitRow)
            .where(FeitRow.leerling_id.in_(list(leerling_ids)))
            .order_by(FeitRow.volgnummer)
        ):
            result.setdefault(row.leerling_id, []).append(row)
        return result

    async def vestigingen_van(self, leerling_id: uuid.UUID) -> list[uuid.UUID]:
        return list(
            await self._session.scalars(
                select(LeerlingVestigingRow.school_id).where(
                    LeerlingVestigingRow.leerling_id == leerling_id
                )
            )
        )

    async def te_anonimiseren(self, grens: datetime) -> list[LeerlingRow]:
        """Children not yet anonymised with nothing recorded or dated since `grens` (locked)."""
        laatste = (
            select(
                FeitRow.leerling_id,
                func.max(FeitRow.geregistreerd_op).label("geregistreerd"),
                func.max(FeitRow.geldig_vanaf).label("geldig"),
            )
            .group_by(FeitRow.leerling_id)
            .subquery()
        )
        rows = await self._session.scalars(
            select(LeerlingRow)
            .outerjoin(laatste, laatste.c.leerling_id == LeerlingRow.id)
            .where(
                LeerlingRow.geanonimiseerd_op.is_(None),
                LeerlingRow.aangemaakt_op < grens,
                func.coalesce(laatste.c.geregistreerd, LeerlingRow.aangemaakt_op) < grens,
                func.coalesce(laatste.c.geldig, grens.date()) <= grens.date(),
            )
            .with_for_update(of=LeerlingRow)
        )
        return list(rows)

    async def sta_anonimiseren_toe(self, aan: bool) -> None:
        """Let the append-only trigger allow blanking free text in the facts of an anonymised
        child (this transaction); the trigger refuses any other change (docs/privacy.md)."""
        await self._session.execute(
            text("SELECT set_config('app.anonimiseren', :waarde, true)"),
            {"waarde": "aan" if aan else ""},
        )

    async def alle_ids(self, swv_id: uuid.UUID | None = None) -> list[uuid.UUID]:
        """Every child's id, of one SWV or of all (for rebuilding projections)."""
        stmt = select(LeerlingRow.id).order_by(LeerlingRow.id)
        if swv_id is not None:
            stmt = stmt.where(LeerlingRow.swv_id == swv_id)
        return list(await self._session.scalars(stmt))

    async def perioden(self, leerling_id: uuid.UUID) -> list[TijdvakRow]:
        rows = await self._session.scalars(
            select(TijdvakRow)
            .where(TijdvakRow.leerling_id == leerling_id)
            .order_by(TijdvakRow.volgnummer)
        )
        return list(rows)
