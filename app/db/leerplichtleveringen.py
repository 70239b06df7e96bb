"""Leerplicht deliveries: the delivery and its items (with their outcomes), the facts each item
appends, the match of leerplicht's references to children, the last known situation per
reference (for snapshots), and koppelvoorstellen with their history.

Bulk paths: items and their facts arrive by COPY into a temporary staging table (COPY is refused
on tables with row-level security) and move on with one INSERT … SELECT; processing is a handful
of set-based statements per part of the delivery (match, refuse, register, append, outcome).
Scope per role: a leerplicht role sees the deliveries of its own gemeenten
(`leveringen_leesbaar`), the regisseur the koppelvoorstellen of the whole SWV.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver
from app.db.leerlingen import FeitRegel, TijdvakRow
from app.db.rapportage import REGISTER_KOLOMMEN, RegisterRijRow
from app.domain.toegang import Actor


class LeveringRow(Base):
    """One delivery of leerplicht lists (delta or snapshot), with its progress."""

    __tablename__ = "leerplicht_leveringen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    bron: Mapped[str] = mapped_column(String(100))
    aangeleverd_door: Mapped[str] = mapped_column(String(100))
    modus: Mapped[str] = mapped_column(String(10))
    peildatum: Mapped[date | None] = mapped_column(Date)
    gemeente_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    status: Mapped[str] = mapped_column(String(16))
    aantal_items: Mapped[int] = mapped_column(Integer)
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    voltooid_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LeveringItemRow(Base):
    """One item of a delivery as read, and what the register did with it. The BSN is never
    kept in clear: its keyed hash (matching) and, bound to the child it may create, encrypted."""

    __tablename__ = "leerplicht_levering_items"

    levering_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("leerplicht_leveringen.id"), primary_key=True
    )
    volgnummer: Mapped[int] = mapped_column(Integer, primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    referentie: Mapped[str | None] = mapped_column(String(64))
    soort: Mapped[str | None] = mapped_column(String(40))
    vanaf: Mapped[date | None] = mapped_column(Date)
    einde: Mapped[date | None] = mapped_column(Date)
    open_einde: Mapped[date | None] = mapped_column(Date)
    grond: Mapped[str | None] = mapped_column(String(10))
    geboortejaar: Mapped[int | None] = mapped_column(SmallInteger)
    geboortemaand: Mapped[int | None] = mapped_column(SmallInteger)
    woongemeente: Mapped[str | None] = mapped_column(String(6))
    regio: Mapped[str | None] = mapped_column(String(6))
    school_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    bsn_zoekhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    bsn_versleuteld: Mapped[bytes | None] = mapped_column(LargeBinary)
    nieuw_leerling_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    registratie_fouten: Mapped[list[dict[str, str]] | None] = mapped_column(JSONB)
    uitkomst: Mapped[str | None] = mapped_column(String(12))
    fouten: Mapped[list[dict[str, str]] | None] = mapped_column(JSONB)
    leerling_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    nieuw: Mapped[bool] = mapped_column(Boolean, server_default=false())


class LeveringFeitRow(Base):
    """A fact an item will append (staged until the item is processed, then removed)."""

    __tablename__ = "leerplicht_levering_feiten"

    levering_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("leerplicht_leveringen.id"), primary_key=True
    )
    volgnummer: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(40))
    geldig_vanaf: Mapped[date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    sleutel: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())


class KoppelingRow(Base):
    """Leerplicht's own reference of a child, per source, and the child it is matched to."""

    __tablename__ = "leerplicht_koppelingen"
    __table_args__ = (Index("ix_leerplicht_koppelingen_leerling_id", "leerling_id"),)

    swv_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("samenwerkingsverbanden.id"), primary_key=True
    )
    bron: Mapped[str] = mapped_column(String(100), primary_key=True)
    referentie: Mapped[str] = mapped_column(String(64), primary_key=True)
    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))


class StandRow(Base):
    """The last situation leerplicht delivered per reference and kind; a snapshot that leaves
    out a running one marks it missing (never ended: a person confirms the end)."""

    __tablename__ = "leerplicht_standen"

    swv_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("samenwerkingsverbanden.id"), primary_key=True
    )
    bron: Mapped[str] = mapped_column(String(100), primary_key=True)
    referentie: Mapped[str] = mapped_column(String(64), primary_key=True)
    soort: Mapped[str] = mapped_column(String(40), primary_key=True)
    grond: Mapped[str] = mapped_column(String(10), primary_key=True)
    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))
    vanaf: Mapped[date] = mapped_column(Date)
    einde: Mapped[date | None] = mapped_column(Date)
    laatst_in: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerplicht_leveringen.id"))
    ontbreekt_in: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leerplicht_leveringen.id"))
    ontbreekt_sinds: Mapped[date | None] = mapped_column(Date)


class KoppelvoorstelRow(Base):
    """A proposal that leerplicht's child is a child a school reported (pseudonymous mode)."""

    __tablename__ = "leerplicht_koppelvoorstellen"
    __table_args__ = (UniqueConstraint("leerling_id", "kandidaat_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    bron: Mapped[str] = mapped_column(String(100))
    referentie: Mapped[str] = mapped_column(String(64))
    leerling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))
    kandidaat_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leerlingen.id"))
    status: Mapped[str] = mapped_column(String(12))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KoppelvoorstelHistorieRow(Base):
    """Every transition of a koppelvoorstel: who, when, from, to (append-only)."""

    __tablename__ = "leerplicht_koppelvoorstel_historie"

    voorstel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("leerplicht_koppelvoorstellen.id"), primary_key=True
    )
    volgnummer: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    van: Mapped[str | None] = mapped_column(String(12))
    naar: Mapped[str] = mapped_column(String(12))
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


ITEM_KOLOMMEN = (
    "levering_id",
    "volgnummer",
    "swv_id",
    "referentie",
    "soort",
    "vanaf",
    "einde",
    "open_einde",
    "grond",
    "geboortejaar",
    "geboortemaand",
    "woongemeente",
    "regio",
    "school_id",
    "bsn_zoekhash",
    "bsn_versleuteld",
    "nieuw_leerling_id",
    "registratie_fouten",
    "uitkomst",
    "fouten",
)
FEIT_KOLOMMEN = (
    "levering_id",
    "volgnummer",
    "n",
    "swv_id",
    "soort",
    "geldig_vanaf",
    "payload",
    "sleutel",
    "school_id",
)


@dataclass(frozen=True, slots=True)
class Levering:
    id: uuid.UUID
    swv_id: uuid.UUID
    bron: str
    aangeleverd_door: str
    modus: str
    peildatum: date | None
    gemeente_ids: list[uuid.UUID]
    status: str
    aantal_items: int
    ontvangen_op: datetime
    voltooid_op: datetime | None


_LEVERING = (
    "SELECT id, swv_id, bron, aangeleverd_door, modus, peildatum, gemeente_ids, status, "
    "aantal_items, ontvangen_op, voltooid_op FROM leerplicht_leveringen WHERE id = $1"
)
_CHUNK = "i.levering_id = $1 AND i.volgnummer BETWEEN $2 AND $3 AND i.uitkomst IS NULL"

_MATCH_KOPPELING = f"""
UPDATE leerplicht_levering_items i SET leerling_id = k.leerling_id
FROM leerplicht_koppelingen k
WHERE {_CHUNK} AND k.swv_id = i.swv_id AND k.bron = $4 AND k.referentie = i.referentie
"""  # noqa: S608 (a fixed condition)
_MATCH_BSN = f"""
UPDATE leerplicht_levering_items i SET leerling_id = l.id
FROM leerlingen l
WHERE {_CHUNK} AND i.leerling_id IS NULL AND i.bsn_zoekhash IS NOT NULL
  AND l.swv_id = i.swv_id AND l.bsn_zoekhash = i.bsn_zoekhash
"""  # noqa: S608
_BUITEN = """[{"veld": "woongemeente", "code": "buiten_bevoegdheid",
  "reden": "Deze leerling woont niet in een gemeente waarvoor u aanlevert."}]"""
_SCHOOL_ONBEKEND = """[{"veld": "schoolId", "code": "onbekend",
  "reden": "Deze vestiging bestaat niet in dit samenwerkingsverband."}]"""
_NIET_GEREGISTREERD = """[{"veld": "referentie", "code": "niet_geregistreerd",
  "reden": "Deze leerling kon niet worden geregistreerd (al bekend onder een ander kenmerk)."}]"""
_WEIGER_BUITEN = f"""
UPDATE leerplicht_levering_items i SET uitkomst = 'afgewezen', fouten = '{_BUITEN}'::jsonb
WHERE {_CHUNK} AND (
  (i.woongemeente IS NOT NULL AND NOT EXISTS (
     SELECT 1 FROM gemeenten g WHERE g.code = i.woongemeente AND g.id = ANY($4::uuid[])))
  OR (i.leerling_id IS NOT NULL AND NOT EXISTS (
     SELECT 1 FROM leerlingen l WHERE l.id = i.leerling_id AND l.woongemeente_id = ANY($4::uuid[])))
)
"""  # noqa: S608
_WEIGER_SCHOOL = f"""
UPDATE leerplicht_levering_items i SET uitkomst = 'afgewezen', fouten = '{_SCHOOL_ONBEKEND}'::jsonb
WHERE {_CHUNK} AND i.school_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM scholen s WHERE s.id = i.school_id)
"""  # noqa: S608
_REGISTREER = f"""
INSERT INTO leerlingen (id, swv_id, pseudoniem, geboortejaar, geboortemaand, regio,
                        woongemeente_id, bsn_versleuteld, bsn_zoekhash, versie, aangemaakt_op)
SELECT DISTINCT ON (i.nieuw_leerling_id)
       i.nieuw_leerling_id, i.swv_id,
       'LP-' || upper(substr(replace(i.nieuw_leerling_id::text, '-', ''), 1, 16)),
       i.geboortejaar, i.geboortemaand, i.regio, g.id, i.bsn_versleuteld, i.bsn_zoekhash, 1, $4
FROM leerplicht_levering_items i JOIN gemeenten g ON g.code = i.woongemeente
WHERE {_CHUNK} AND i.leerling_id IS NULL AND i.registratie_fouten IS NULL
ORDER BY i.nieuw_leerling_id, i.volgnummer
ON CONFLICT DO NOTHING
"""  # noqa: S608
_GEREGISTREERD = f"""
UPDATE leerplicht_levering_items i SET leerling_id = i.nieuw_leerling_id, nieuw = true
WHERE {_CHUNK} AND i.leerling_id IS NULL
  AND EXISTS (SELECT 1 FROM leerlingen l WHERE l.id = i.nieuw_leerling_id
              AND l.aangemaakt_op = $4)
"""  # noqa: S608
_WEIGER_ONBEKEND = f"""
UPDATE leerplicht_levering_items i SET uitkomst = 'afgewezen',
  fouten = coalesce(i.registratie_fouten, '{_NIET_GEREGISTREERD}'::jsonb)
WHERE {_CHUNK} AND i.leerling_id IS NULL
"""  # noqa: S608
_KOPPEL = f"""
INSERT INTO leerplicht_koppelingen (swv_id, bron, referentie, leerling_id)
SELECT DISTINCT ON (i.referentie) i.swv_id, $4, i.referentie, i.leerling_id
FROM leerplicht_levering_items i WHERE {_CHUNK}
ORDER BY i.referentie, i.volgnummer
ON CONFLICT DO NOTHING
"""  # noqa: S608
_VOORSTELLEN = f"""
WITH voorstel AS (
  INSERT INTO leerplicht_koppelvoorstellen
    (id, swv_id, bron, referentie, leerling_id, kandidaat_id, status, aangemaakt_op)
  SELECT gen_random_uuid(), i.swv_id, $4, i.referentie, i.leerling_id, l.id, 'voorgesteld', $5
  FROM (SELECT DISTINCT ON (i.leerling_id) i.swv_id, i.referentie, i.leerling_id,
               i.geboortejaar, i.geboortemaand, i.woongemeente
        FROM leerplicht_levering_items i WHERE {_CHUNK} AND i.nieuw
        ORDER BY i.leerling_id) i
  JOIN gemeenten g ON g.code = i.woongemeente
  JOIN leerlingen l ON l.swv_id = i.swv_id AND l.geboortejaar = i.geboortejaar
       AND l.geboortemaand = i.geboortemaand AND l.woongemeente_id = g.id AND l.id <> i.leerling_id
  WHERE EXISTS (SELECT 1 FROM leerling_vestigingen v WHERE v.leerling_id = l.id)
    AND NOT EXISTS (SELECT 1 FROM leerplicht_koppelingen k WHERE k.leerling_id = l.id)
  ON CONFLICT DO NOTHING
  RETURNING id, swv_id
)
INSERT INTO leerplicht_koppelvoorstel_historie
  (voorstel_id, volgnummer, swv_id, van, naar, door, op)
SELECT id, 0, swv_id, NULL, 'voorgesteld', $6, $5 FROM voorstel
"""  # noqa: S608
_FEITEN_EN_UITKOMST = f"""
WITH ingevoegd AS (
  INSERT INTO feiten (id, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, payload,
                      bron, bron_referentie, gemeld_door, school_id)
  SELECT gen_random_uuid(), i.leerling_id, i.swv_id, f.soort, f.geldig_vanaf, $5, f.payload,
         $4, f.sleutel, $6, f.school_id
  FROM leerplicht_levering_items i
  JOIN leerplicht_levering_feiten f ON f.levering_id = i.levering_id AND f.volgnummer = i.volgnummer
  WHERE {_CHUNK}
  ORDER BY i.volgnummer, f.n
  ON CONFLICT (swv_id, bron, bron_referentie) WHERE bron_referentie IS NOT NULL DO NOTHING
  RETURNING leerling_id, bron_referentie, school_id
),
met_feit AS (
  SELECT DISTINCT f.volgnummer FROM leerplicht_levering_feiten f
  JOIN ingevoegd x ON x.bron_referentie = f.sleutel
  WHERE f.levering_id = $1 AND f.volgnummer BETWEEN $2 AND $3
),
uitkomst AS (
  UPDATE leerplicht_levering_items i SET uitkomst = CASE
      WHEN i.nieuw THEN 'aangemaakt'
      WHEN i.volgnummer IN (SELECT volgnummer FROM met_feit) THEN 'bijgewerkt'
      ELSE 'ongewijzigd' END
  WHERE {_CHUNK}
  RETURNING i.volgnummer
),
vestigingen AS (
  INSERT INTO leerling_vestigingen (leerling_id, school_id)
  SELECT DISTINCT leerling_id, school_id FROM ingevoegd WHERE school_id IS NOT NULL
  ON CONFLICT DO NOTHING
)
SELECT DISTINCT leerling_id FROM ingevoegd
"""  # noqa: S608
_STANDEN = """
INSERT INTO leerplicht_standen (swv_id, bron, referentie, soort, grond, leerling_id, vanaf, einde,
                                laatst_in, ontbreekt_in, ontbreekt_sinds)
SELECT DISTINCT ON (i.referentie, i.soort, coalesce(i.grond, ''))
       i.swv_id, $4, i.referentie, i.soort, coalesce(i.grond, ''), i.leerling_id, i.vanaf,
       i.open_einde, i.levering_id, NULL, NULL
FROM leerplicht_levering_items i
WHERE i.levering_id = $1 AND i.volgnummer BETWEEN $2 AND $3 AND i.uitkomst <> 'afgewezen'
ORDER BY i.referentie, i.soort, coalesce(i.grond, ''), i.volgnummer DESC
ON CONFLICT (swv_id, bron, referentie, soort, grond) DO UPDATE SET
  leerling_id = EXCLUDED.leerling_id, vanaf = EXCLUDED.vanaf, einde = EXCLUDED.einde,
  laatst_in = EXCLUDED.laatst_in, ontbreekt_in = NULL, ontbreekt_sinds = NULL
"""
_VERSIES = "UPDATE leerlingen SET versie = versie + 1 WHERE id = ANY($1::uuid[])"
_ONTBREKEND = """
UPDATE leerplicht_standen s SET ontbreekt_in = $2, ontbreekt_sinds = $4
WHERE s.swv_id = $5 AND s.bron = $1 AND s.einde IS NULL AND s.laatst_in <> $2
  AND s.ontbreekt_in IS NULL
  AND EXISTS (SELECT 1 FROM leerlingen l WHERE l.id = s.leerling_id
              AND l.woongemeente_id = ANY($3::uuid[]))
"""


_PERIODE_KOLOMMEN = (
    "leerling_id",
    "volgnummer",
    "swv_id",
    "categorie",
    "start",
    "einde",
    "regel",
    "feit_ids",
    "eindreden",
)
_RIJ_KOLOMMEN = ("leerling_id", "swv_id", *REGISTER_KOLOMMEN)
_STAGING = {
    LeveringItemRow.__tablename__,
    LeveringFeitRow.__tablename__,
    TijdvakRow.__tablename__,
    RegisterRijRow.__tablename__,
}


class LeerplichtleveringenRepository:
    """Every query on deliveries, their items, matches, situations and koppelvoorstellen."""

    def __init__(self, session: AsyncSession, driver: Driver) -> None:
        self._session = session
        self._driver = driver

    # -- receiving ------------------------------------------------------------------------------

    async def voeg_toe(self, levering: Levering) -> None:
        db = await self._driver()
        await db.execute(
            "INSERT INTO leerplicht_leveringen (id, swv_id, bron, aangeleverd_door, modus, "
            "peildatum, gemeente_ids, status, aantal_items, ontvangen_op, voltooid_op) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            levering.id,
            levering.swv_id,
            levering.bron,
            levering.aangeleverd_door,
            levering.modus,
            levering.peildatum,
            levering.gemeente_ids,
            levering.status,
            levering.aantal_items,
            levering.ontvangen_op,
            levering.voltooid_op,
        )

    async def stage(
        self,
        tabel: str,
        kolommen: Sequence[str],
        records: Iterable[tuple[Any, ...]],
    ) -> None:
        """COPY records into a temporary table like `tabel` and move them on with one INSERT
        … SELECT (COPY itself is refused on a table with row-level security)."""
        if tabel not in _STAGING:
            raise ValueError("no staging for this table")
        db = await self._driver()
        tijdelijk = f"staging_{uuid.uuid4().hex}"
        lijst = ", ".join(kolommen)
        await db.execute(
            f"CREATE TEMPORARY TABLE {tijdelijk} (LIKE {tabel} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        await db.copy_records_to_table(tijdelijk, records=records, columns=list(kolommen))
        await db.execute(
            f"INSERT INTO {tabel} ({lijst}) SELECT {lijst} FROM {tijdelijk}; "  # noqa: S608
            f"DROP TABLE {tijdelijk}"
        )

    async def vervang_projecties(
        self,
        leerling_ids: Sequence[uuid.UUID],
        perioden: Sequence[tuple[Any, ...]],
        rijen: Sequence[tuple[Any, ...]],
    ) -> None:
        """Replace the projections (timeline, register rows) of a batch of children at once:
        the rows as `RapportageRepository.vervang_projecties` writes them per child."""
        db = await self._driver()
        await db.execute(
            "WITH weg AS (DELETE FROM register_rijen WHERE leerling_id = ANY($1::uuid[])) "
            "DELETE FROM tijdlijn_perioden WHERE leerling_id = ANY($1::uuid[])",
            list(leerling_ids),
        )
        if perioden:
            await self.stage(TijdvakRow.__tablename__, _PERIODE_KOLOMMEN, perioden)
        if rijen:
            await self.stage(RegisterRijRow.__tablename__, _RIJ_KOLOMMEN, rijen)

    # -- processing -----------------------------------------------------------------------------

    async def levering(self, levering_id: uuid.UUID, *, lock: bool = False) -> Levering | None:
        db = await self._driver()
        row = await db.fetchrow(_LEVERING + (" FOR UPDATE" if lock else ""), levering_id)
        return None if row is None else Levering(*row)

    async def zet_status(
        self, levering_id: uuid.UUID, status: str, voltooid_op: datetime | None = None
    ) -> None:
        db = await self._driver()
        await db.execute(
            "UPDATE leerplicht_leveringen SET status = $2, voltooid_op = $3 WHERE id = $1",
            levering_id,
            status,
            voltooid_op,
        )

    async def verwerk_deel(
        self,
        levering: Levering,
        van: int,
        tot_en_met: int,
        *,
        nu: datetime,
        actor_id: str,
        gepseudonimiseerd: bool,
    ) -> list[uuid.UUID]:
        """Process the items numbered `van` … `tot_en_met` that have no outcome yet, set-based:
        match, refuse, register, append the facts, record each outcome. Returns the children
        that got new facts (to project)."""
        db = await self._driver()
        deel = (levering.id, van, tot_en_met)
        # Set-based statements over a part and a growing register: hash joins, never a nested
        # loop that a fresh table's missing statistics would make quadratic (this part only).
        await db.execute("SET LOCAL enable_nestloop = off")
        await db.execute(_MATCH_KOPPELING, *deel, levering.bron)
        await db.execute(_MATCH_BSN, *deel)
        await db.execute(_WEIGER_BUITEN, *deel, levering.gemeente_ids)
        await db.execute(_WEIGER_SCHOOL, *deel)
        await db.execute(_REGISTREER, *deel, nu)
        await db.execute(_GEREGISTREERD, *deel, nu)
        await db.execute(_WEIGER_ONBEKEND, *deel)
        await db.execute(_KOPPEL, *deel, levering.bron)
        if gepseudonimiseerd:
            await db.execute(_VOORSTELLEN, *deel, levering.bron, nu, actor_id)
        rows = await db.fetch(_FEITEN_EN_UITKOMST, *deel, levering.bron, nu, actor_id)
        geraakt = [r[0] for r in rows]
        await db.execute(_VERSIES, geraakt)
        await db.execute(_STANDEN, *deel, levering.bron)
        await db.execute("SET LOCAL enable_nestloop = on")
        return geraakt

    async def markeer_ontbrekend(self, levering: Levering, peildatum: date) -> None:
        """A snapshot: every running situation of this source in its gemeenten that the
        snapshot left out is marked missing (not ended)."""
        db = await self._driver()
        await db.execute(
            _ONTBREKEND,
            levering.bron,
            levering.id,
            levering.gemeente_ids,
            peildatum,
            levering.swv_id,
        )

    async def ruim_op(self, levering_id: uuid.UUID) -> None:
        """The staged facts of a processed delivery are in the register now, and a BSN it
        carried is with the child (encrypted) or nowhere: the delivery keeps neither."""
        db = await self._driver()
        await db.execute(
            "DELETE FROM leerplicht_levering_feiten WHERE levering_id = $1", levering_id
        )
        await db.execute(
            "UPDATE leerplicht_levering_items SET bsn_zoekhash = NULL, bsn_versleuteld = NULL "
            "WHERE levering_id = $1 AND (bsn_zoekhash IS NOT NULL OR bsn_versleuteld IS NOT NULL)",
            levering_id,
        )

    async def vergeet(self, leerling_id: uuid.UUID) -> None:
        """Anonymising a child: leerplicht's references to it go (its facts and categories
        stay); a later delivery with that reference is a new child."""
        db = await self._driver()
        await db.execute("DELETE FROM leerplicht_koppelingen WHERE leerling_id = $1", leerling_id)
        await db.execute("DELETE FROM leerplicht_standen WHERE leerling_id = $1", leerling_id)
        await db.execute(
            "UPDATE leerplicht_levering_items SET referentie = NULL WHERE leerling_id = $1",
            leerling_id,
        )
        await db.execute(
            "UPDATE leerplicht_koppelvoorstellen SET referentie = '' "
            "WHERE leerling_id = $1 OR kandidaat_id = $1",
            leerling_id,
        )

    async def tijdlijnen(
        self, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[str, date, date | None]]]:
        """The projected timelines of several children (category, start, end), in order: what
        a re-projection replaces, so its events announce only what changed."""
        db = await self._driver()
        rows = await db.fetch(
            "SELECT leerling_id, categorie, start, einde FROM tijdlijn_perioden "
            "WHERE leerling_id = ANY($1::uuid[]) ORDER BY leerling_id, volgnummer",
            list(ids),
        )
        uit: dict[uuid.UUID, list[tuple[str, date, date | None]]] = {}
        for r in rows:
            uit.setdefault(r["leerling_id"], []).append((r["categorie"], r["start"], r["einde"]))
        return uit

    async def kinderen(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        """The children to project (as the hot paths read them)."""
        db = await self._driver()
        rows: list[Any] = await db.fetch(
            "SELECT id, swv_id, pseudoniem, geboortejaar, geboortemaand, geboortedag, regio, "
            "versie FROM leerlingen WHERE id = ANY($1::uuid[]) ORDER BY id",
            list(ids),
        )
        return rows

    async def feitregels_van(self, ids: Sequence[uuid.UUID]) -> list[FeitRegel]:
        """The facts of several children in the order received (as the hot paths read them)."""
        db = await self._driver()
        rows = await db.fetch(
            "SELECT id, volgnummer, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, "
            "payload, bron, bron_referentie, gemeld_door, school_id, namens FROM feiten "
            "WHERE leerling_id = ANY($1::uuid[]) ORDER BY leerling_id, volgnummer",
            list(ids),
        )
        return [FeitRegel(*r) for r in rows]

    # -- reading --------------------------------------------------------------------------------

    async def levering_leesbaar(self, actor: Actor, levering_id: uuid.UUID) -> Levering | None:
        """A delivery in the actor's scope: of the actor's SWV (row-level security) and of one
        of its gemeenten; None for missing and out of scope alike."""
        levering = await self.levering(levering_id)
        if levering is None:
            return None
        if not {str(g) for g in levering.gemeente_ids} & set(actor.gemeente_ids):
            return None
        return levering

    async def tellingen(self, levering_id: uuid.UUID) -> dict[str | None, int]:
        """How many items have each outcome (None: not yet processed)."""
        db = await self._driver()
        rows = await db.fetch(
            "SELECT uitkomst, count(*) FROM leerplicht_levering_items WHERE levering_id = $1 "
            "GROUP BY uitkomst",
            levering_id,
        )
        return {r[0]: r[1] for r in rows}

    async def items(
        self, levering_id: uuid.UUID, *, uitkomst: str | None, offset: int, limit: int
    ) -> tuple[list[Any], int]:
        db = await self._driver()
        rows = await db.fetch(
            "SELECT volgnummer, referentie, soort, uitkomst, fouten, leerling_id, "
            "count(*) OVER () FROM leerplicht_levering_items "
            "WHERE levering_id = $1 AND ($2::text IS NULL OR uitkomst = $2) "
            "ORDER BY volgnummer OFFSET $3 LIMIT $4",
            levering_id,
            uitkomst,
            offset,
            limit,
        )
        totaal = rows[0][6] if rows else 0
        return list(rows), int(totaal)

    async def ontbrekend(
        self, actor: Actor, bron: str, *, offset: int, limit: int
    ) -> tuple[list[Any], int]:
        """Situations of this source that a snapshot left out, of children in the actor's
        gemeenten: the list of unconfirmed disappearances."""
        db = await self._driver()
        rows = await db.fetch(
            "SELECT s.referentie, s.soort, nullif(s.grond, ''), s.leerling_id, s.vanaf, "
            "s.ontbreekt_in, s.ontbreekt_sinds, count(*) OVER () "
            "FROM leerplicht_standen s JOIN leerlingen l ON l.id = s.leerling_id "
            "WHERE s.bron = $1 AND s.ontbreekt_in IS NOT NULL "
            "AND l.woongemeente_id = ANY($2::uuid[]) "
            "ORDER BY s.ontbreekt_sinds, s.referentie, s.soort OFFSET $3 LIMIT $4",
            bron,
            [uuid.UUID(g) for g in actor.gemeente_ids],
            offset,
            limit,
        )
        totaal = rows[0][7] if rows else 0
        return list(rows), int(totaal)

    # -- koppelvoorstellen ----------------------------------------------------------------------

    async def voorstellen(
        self, *, status: str | None, offset: int, limit: int
    ) -> tuple[list[Any], int]:
        """Koppelvoorstellen of the SWV (row-level security), oldest first."""
        db = await self._driver()
        rows = await db.fetch(
            "SELECT id, referentie, leerling_id, kandidaat_id, status, aangemaakt_op, "
            "count(*) OVER () FROM leerplicht_koppelvoorstellen "
            "WHERE ($1::text IS NULL OR status = $1) "
            "ORDER BY aangemaakt_op, id OFFSET $2 LIMIT $3",
            status,
            offset,
            limit,
        )
        totaal = rows[0][6] if rows else 0
        return list(rows), int(totaal)

    async def voorstel(self, voorstel_id: uuid.UUID, *, lock: bool = False) -> Any:
        db = await self._driver()
        sql = (
            "SELECT id, swv_id, bron, referentie, leerling_id, kandidaat_id, status, "
            "aangemaakt_op FROM leerplicht_koppelvoorstellen WHERE id = $1"
        )
        return await db.fetchrow(
            sql + (" FOR UPDATE" if lock else ""),
            voorstel_id,
        )

    async def beslis_voorstel(self, voorstel: Any, naar: str, door: str, op: datetime) -> None:
        """Record the decision and its history row."""
        db = await self._driver()
        await db.execute(
            "UPDATE leerplicht_koppelvoorstellen SET status = $2 WHERE id = $1",
            voorstel["id"],
            naar,
        )
        await db.execute(
            "INSERT INTO leerplicht_koppelvoorstel_historie "
            "(voorstel_id, volgnummer, swv_id, van, naar, door, op) "
            "SELECT $1, coalesce(max(volgnummer), -1) + 1, $2, $3, $4, $5, $6 "
            "FROM leerplicht_koppelvoorstel_historie WHERE voorstel_id = $1",
            voorstel["id"],
            voorstel["swv_id"],
            voorstel["status"],
            naar,
            door,
            op,
        )

    async def gekoppeld_aan(self, bron: str, referentie: str) -> uuid.UUID | None:
        """The child leerplicht's reference is matched to now."""
        db = await self._driver()
        gevonden: uuid.UUID | None = await db.fetchval(
            "SELECT leerling_id FROM leerplicht_koppelingen WHERE bron = $1 AND referentie = $2",
            bron,
            referentie,
        )
        return gevonden

    async def historie(self, voorstel_id: uuid.UUID) -> list[Any]:
        db = await self._driver()
        rows: list[Any] = await db.fetch(
            "SELECT volgnummer, van, naar, door, op FROM leerplicht_koppelvoorstel_historie "
            "WHERE voorstel_id = $1 ORDER BY volgnummer",
            voorstel_id,
        )
        return rows

    async def voeg_samen(self, voorstel: Any, *, nu: datetime, actor_id: str) -> None:
        """Accepted: leerplicht's reference now means the school's child. Leerplicht's facts
        are appended to that child (same source, the key marked) and withdrawn from the child
        leerplicht's delivery created, which is then no second child of the same person
        (regel 15: nothing deleted)."""
        db = await self._driver()
        nieuw, kandidaat = voorstel["leerling_id"], voorstel["kandidaat_id"]
        await db.execute(
            "UPDATE leerplicht_koppelingen SET leerling_id = $3 "
            "WHERE bron = $1 AND leerling_id = $2",
            voorstel["bron"],
            nieuw,
            kandidaat,
        )
        await db.execute(
            "UPDATE leerplicht_standen SET leerling_id = $3 WHERE bron = $1 AND leerling_id = $2",
            voorstel["bron"],
            nieuw,
            kandidaat,
        )
        await db.execute(
            """
            WITH bron_feiten AS (
              SELECT * FROM feiten f WHERE f.leerling_id = $1 AND f.soort NOT IN
                ('intrekking', 'correctie')
                AND NOT EXISTS (SELECT 1 FROM feiten x WHERE x.leerling_id = $1
                  AND x.soort = 'intrekking' AND x.payload->>'betreft' = f.id::text)
            ),
            kopie AS (
              INSERT INTO feiten (id, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op,
                                  payload, bron, bron_referentie, gemeld_door, school_id)
              SELECT gen_random_uuid(), $2, swv_id, soort, geldig_vanaf, $3, payload, bron,
                     bron_referentie || ':gekoppeld', $4, school_id
              FROM bron_feiten ORDER BY volgnummer
              ON CONFLICT (swv_id, bron, bron_referentie) WHERE bron_referentie IS NOT NULL
              DO NOTHING
            )
            INSERT INTO feiten (id, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op,
                                payload, bron, bron_referentie, gemeld_door, school_id)
            SELECT gen_random_uuid(), $1, swv_id, 'intrekking', geldig_vanaf, $3,
                   jsonb_build_object('betreft', id::text, 'reden',
                     'Gekoppeld aan de leerling die de school meldde (koppelvoorstel).'),
                   bron, NULL, $4, NULL
            FROM bron_feiten ORDER BY volgnummer
            """,
            nieuw,
            kandidaat,
            nu,
            actor_id,
        )
        await db.execute(
            "INSERT INTO leerling_vestigingen (leerling_id, school_id) "
            "SELECT $2, school_id FROM feiten WHERE leerling_id = $1 AND school_id IS NOT NULL "
            "ON CONFLICT DO NOTHING",
            nieuw,
            kandidaat,
        )
        await db.execute(
            "UPDATE leerlingen SET versie = versie + 1 WHERE id = ANY($1::uuid[])",
            [nieuw, kandidaat],
        )
