"""Tasks of the actielijsten (`taken`) and their append-only history: tables and queries.

Scope: a task is about the SWV (no child, no school), a school, or a child. SWV-wide roles see
the tasks of their role; a school the tasks about its vestigingen or their children; leerplicht
those about the children of its gemeenten (the same rule as `LeerlingenRepository.leesbaar`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver
from app.domain.taken import AFGESLOTEN, TE_DOEN, TaakSpec, Taakstatus
from app.domain.toegang import Actor, Reikwijdte


class TaakRow(Base):
    """A task: one per rule (`code`), subject and period within an SWV."""

    __tablename__ = "taken"
    __table_args__ = (
        UniqueConstraint("swv_id", "code", "onderwerp", "periode"),
        CheckConstraint(
            "status IN ('open', 'afgerond', 'niet-van-toepassing')", name="status_bekend"
        ),
        Index("ix_taken_werklijst", "swv_id", "rol", "vervalt_op", "id"),
        Index(
            "ix_taken_toegewezen",
            "swv_id",
            "toegewezen_aan",
            "vervalt_op",
            "id",
            postgresql_include=["rol"],
            postgresql_where="toegewezen_aan IS NOT NULL",
        ),
        Index(
            "ix_taken_werklijst_open",
            "swv_id",
            "rol",
            "vervalt_op",
            "id",
            postgresql_where="status = 'open'",
        ),
        Index(
            "ix_taken_toegewezen_open",
            "swv_id",
            "toegewezen_aan",
            "vervalt_op",
            "id",
            postgresql_include=["rol"],
            postgresql_where="status = 'open' AND toegewezen_aan IS NOT NULL",
        ),
        Index("ix_taken_leerling", "leerling_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    code: Mapped[str] = mapped_column(String(40))
    onderwerp: Mapped[str] = mapped_column(String(80))
    periode: Mapped[str] = mapped_column(String(20))
    rol: Mapped[str] = mapped_column(String(40))
    toegewezen_aan: Mapped[str | None] = mapped_column(String(100))
    leerling_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leerlingen.id"))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scholen.id"))
    peildatum: Mapped[date | None] = mapped_column(Date)
    opent_op: Mapped[date] = mapped_column(Date)
    vervalt_op: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24))
    toelichting: Mapped[str | None] = mapped_column(Text)
    versie: Mapped[int] = mapped_column(Integer)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class TaakOvergangRow(Base):
    """A task's transition (who, when, from, to, why): never updated (the state's history)."""

    __tablename__ = "taak_overgangen"
    __table_args__ = (Index("ix_taak_overgangen_taak", "taak_id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    taak_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("taken.id"))
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    van: Mapped[str | None] = mapped_column(String(24))
    naar: Mapped[str] = mapped_column(String(24))
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    toelichting: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True, slots=True)
class Taak:
    id: uuid.UUID
    code: str
    onderwerp: str
    periode: str
    rol: str
    toegewezen_aan: str | None
    leerling_id: uuid.UUID | None
    school_id: uuid.UUID | None
    peildatum: date | None
    opent_op: date
    vervalt_op: date
    status: str
    toelichting: str | None
    versie: int


_KOLOMMEN = (
    "id, code, onderwerp, periode, rol, toegewezen_aan, leerling_id, school_id, peildatum, "
    "opent_op, vervalt_op, status, toelichting, versie"
)

# A new task is inserted; an open one follows its rule's dates (a moved peildatum); a closed
# one is never touched.
_UPSERT = (
    "INSERT INTO taken (id, swv_id, code, onderwerp, periode, rol, leerling_id, school_id, "
    "peildatum, opent_op, vervalt_op, status, versie) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', 1) "
    "ON CONFLICT (swv_id, code, onderwerp, periode) DO UPDATE SET "
    "opent_op = excluded.opent_op, vervalt_op = excluded.vervalt_op, "
    "peildatum = excluded.peildatum, versie = taken.versie + 1 "
    "WHERE taken.status = 'open' AND (taken.opent_op, taken.vervalt_op, taken.peildatum) "
    "IS DISTINCT FROM (excluded.opent_op, excluded.vervalt_op, excluded.peildatum) "
    "RETURNING id, (xmax = 0) AS nieuw"
)


def _bereik(actor: Actor, n: int) -> tuple[str, list[Any]]:
    """The task scope of `actor` as SQL on `taken t`, parameters numbered from `n`."""
    r = actor.reikwijdte
    if r is Reikwijdte.SWV:
        return f" AND (t.rol = ${n} OR t.toegewezen_aan = ${n + 1})", [str(actor.rol), actor.id]
    if r is Reikwijdte.VESTIGINGEN and actor.vestiging_ids:
        ids = [uuid.UUID(v) for v in actor.vestiging_ids]
        return (
            f" AND t.rol = ${n} AND (t.school_id = ANY(${n + 1}::uuid[]) OR t.leerling_id IN "  # noqa: S608
            "(SELECT leerling_id FROM leerling_vestigingen "
            f"WHERE school_id = ANY(${n + 1}::uuid[])))",
            [str(actor.rol), ids],
        )
    if r is Reikwijdte.GEMEENTEN and actor.gemeente_ids:
        ids = [uuid.UUID(g) for g in actor.gemeente_ids]
        return (
            f" AND t.rol = ${n} AND t.leerling_id IN "  # noqa: S608
            f"(SELECT id FROM leerlingen WHERE woongemeente_id = ANY(${n + 1}::uuid[]))",
            [str(actor.rol), ids],
        )
    return " AND false", []


_ORDE = " ORDER BY t.vervalt_op, t.id"


def _armen(actor: Actor, n: int) -> tuple[list[str], list[str], list[Any]]:
    """`_bereik` without OR, as arms each served by one ordered index (`ix_taken_werklijst`,
    `ix_taken_toegewezen`): for the page (they may overlap: `UNION`) and for the count
    (disjoint: `UNION ALL`). An SWV-wide role's tasks, and those assigned to the person."""
    if actor.reikwijdte is Reikwijdte.SWV:
        rol, wie = f" AND t.rol = ${n}", f" AND t.toegewezen_aan = ${n + 1}"
        return [rol, wie], [rol, f"{wie} AND t.rol <> ${n}"], [str(actor.rol), actor.id]
    waar, params = _bereik(actor, n)
    return [waar], [waar], params


def _pagina_sql(armen: Sequence[str], filters: str, limiet: str, offset: str, top: str) -> str:
    """The page: one arm as is; several each as its first `top` (= limit + offset) rows by
    index order, merged, deduplicated and cut (parameter names as `$n`)."""
    if len(armen) == 1:
        return (
            f"SELECT {_KOLOMMEN} FROM taken t WHERE t.swv_id = $1{armen[0]}{filters}{_ORDE} "  # noqa: S608
            f"LIMIT {limiet} OFFSET {offset}"
        )
    delen = " UNION ".join(
        f"(SELECT {_KOLOMMEN} FROM taken t WHERE t.swv_id = $1{arm}{filters}{_ORDE} LIMIT {top})"  # noqa: S608
        for arm in armen
    )
    return f"SELECT * FROM ({delen}) t{_ORDE} LIMIT {limiet} OFFSET {offset}"  # noqa: S608


def _telling_sql(armen: Sequence[str], filters: str) -> str:
    """How many: the disjoint arms counted together."""
    delen = " UNION ALL ".join(
        f"SELECT 1 FROM taken t WHERE t.swv_id = $1{arm}{filters}"  # noqa: S608
        for arm in armen
    )
    return f"SELECT count(*) FROM ({delen}) t"  # noqa: S608


def _statusfilter(statussen: frozenset[Taakstatus], vandaag: date, p: Callable[[Any], str]) -> str:
    """The states asked for as SQL on `taken t`. Every task not closed is stored `open`; its
    shown state follows from the dates (`app.domain.taken.status`). The default, the work to
    do, is `t.status = 'open'` as a literal, so the partial indexes on open tasks serve it."""
    statussen = statussen or TE_DOEN
    if statussen >= set(Taakstatus):
        return ""
    delen = []
    datums = statussen & TE_DOEN
    if datums == TE_DOEN:
        delen.append("t.status = 'open'")
    elif datums:
        v = p(vandaag)
        per_status = {
            Taakstatus.GEPLAND: f"t.opent_op > {v}",
            Taakstatus.OPEN: f"t.opent_op <= {v} AND t.vervalt_op >= {v}",
            Taakstatus.TE_LAAT: f"t.vervalt_op < {v}",
        }
        gekozen = [per_status[s] for s in sorted(datums)]
        delen.append(
            f"t.status = 'open' AND {gekozen[0]}"
            if len(gekozen) == 1
            else f"t.status = 'open' AND ({' OR '.join(gekozen)})"
        )
    afgesloten = sorted(statussen & AFGESLOTEN)
    if len(afgesloten) == 1:
        delen.append(f"t.status = {p(str(afgesloten[0]))}")
    elif afgesloten:
        delen.append(f"t.status = ANY({p([str(s) for s in afgesloten])}::text[])")
    if len(delen) == 1:
        return f" AND {delen[0]}"
    return f" AND (({delen[0]}) OR {delen[1]})"


@dataclass(frozen=True, slots=True)
class Werklijstfilter:
    """The worklist's filters. `status`: the states shown; by default the work still to do
    (`gepland`, `open`, `te-laat`), every state when all five are asked for."""

    status: frozenset[Taakstatus] = TE_DOEN
    vervalt_voor: date | None = None
    leerling_id: uuid.UUID | None = None
    school_id: uuid.UUID | None = None
    peildatum: date | None = None


class TakenRepository:
    """Every query on tasks: plain SQL on the transaction's connection."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver

    async def schrijf(self, swv_id: uuid.UUID, specs: Sequence[TaakSpec]) -> int:
        """Insert new tasks, move open ones; the number inserted. Safe from two workers at
        once: the unique key decides, the second insert becomes a no-op or an update."""
        db = await self._driver()
        nieuw = 0
        for s in specs:
            rij = await db.fetchrow(
                _UPSERT,
                uuid.uuid4(),
                swv_id,
                s.code,
                s.onderwerp,
                s.periode,
                str(s.rol),
                uuid.UUID(s.leerling_id) if s.leerling_id else None,
                uuid.UUID(s.school_id) if s.school_id else None,
                s.peildatum,
                s.opent_op,
                s.vervalt_op,
            )
            if rij is not None and rij["nieuw"]:
                nieuw += 1
        return nieuw

    async def werklijst(
        self, actor: Actor, filter_: Werklijstfilter, vandaag: date, *, offset: int, limiet: int
    ) -> tuple[list[Taak], int]:
        """A page of the actor's tasks by due date, and how many there are in all. Each arm of
        the scope is its own ordered index scan, merged (`ix_taken_werklijst`,
        `ix_taken_toegewezen`): the first page reads 20 rows, not the role's whole list."""
        db = await self._driver()
        armen, telarmen, params = _armen(actor, 2)
        args: list[Any] = [uuid.UUID(actor.swv_id), *params]

        def p(waarde: Any) -> str:
            args.append(waarde)
            return f"${len(args)}"

        filters = _statusfilter(filter_.status, vandaag, p)
        if filter_.vervalt_voor is not None:
            filters += f" AND t.vervalt_op < {p(filter_.vervalt_voor)}"
        if filter_.leerling_id is not None:
            filters += f" AND t.leerling_id = {p(filter_.leerling_id)}"
        if filter_.school_id is not None:
            filters += f" AND t.school_id = {p(filter_.school_id)}"
        if filter_.peildatum is not None:
            filters += f" AND t.peildatum = {p(filter_.peildatum)}"
        filterargs = list(args)
        top = p(offset + limiet) if len(armen) > 1 else ""
        pagina = _pagina_sql(armen, filters, p(limiet), p(offset), top)
        rijen = [Taak(**dict(r)) for r in await db.fetch(pagina, *args)]
        if offset == 0 and len(rijen) < limiet:
            return rijen, len(rijen)
        totaal: int = await db.fetchval(_telling_sql(telarmen, filters), *filterargs)
        return rijen, totaal

    async def get(self, actor: Actor, taak_id: uuid.UUID, *, lock: bool = False) -> Taak | None:
        db = await self._driver()
        waar, params = _bereik(actor, 3)
        sql = f"SELECT {_KOLOMMEN} FROM taken t WHERE t.swv_id = $1 AND t.id = $2{waar}"  # noqa: S608
        if lock:
            sql += " FOR UPDATE"
        rij = await db.fetchrow(sql, uuid.UUID(actor.swv_id), taak_id, *params)
        return Taak(**dict(rij)) if rij is not None else None

    async def zet_status(
        self, taak: Taak, swv_id: uuid.UUID, *, naar: str, door: str, op: datetime, tekst: str
    ) -> Taak:
        """Close the task and append its transition (one statement each)."""
        db = await self._driver()
        await db.execute(
            "UPDATE taken SET status = $2, toelichting = $3, versie = versie + 1 WHERE id = $1",
            taak.id,
            naar,
            tekst,
        )
        await db.execute(
            "INSERT INTO taak_overgangen (taak_id, swv_id, van, naar, door, op, toelichting) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            taak.id,
            swv_id,
            taak.status,
            naar,
            door,
            op,
            tekst,
        )
        return Taak(
            **{
                **{k: getattr(taak, k) for k in Taak.__slots__},
                "status": naar,
                "toelichting": tekst,
                "versie": taak.versie + 1,
            }
        )

    async def van_peildatum(self, actor: Actor, peildatum: date) -> list[Taak]:
        """Every task of one peildatum's cycle the actor may see (any role: the overview)."""
        db = await self._driver()
        rows = await db.fetch(
            f"SELECT {_KOLOMMEN} FROM taken t WHERE t.swv_id = $1 AND t.peildatum = $2 "  # noqa: S608
            "ORDER BY t.code, t.onderwerp",
            uuid.UUID(actor.swv_id),
            peildatum,
        )
        return [Taak(**dict(r)) for r in rows]

    async def wis_toelichting(self, leerling_id: uuid.UUID) -> None:
        """Anonymisation: the free text of the child's tasks and their history goes."""
        db = await self._driver()
        await db.execute(
            "UPDATE taak_overgangen SET toelichting = NULL WHERE toelichting IS NOT NULL "
            "AND taak_id IN (SELECT id FROM taken WHERE leerling_id = $1)",
            leerling_id,
        )
        await db.execute(
            "UPDATE taken SET toelichting = NULL "
            "WHERE leerling_id = $1 AND toelichting IS NOT NULL",
            leerling_id,
        )

    async def laat_geworden(self, van: date, tot: date) -> list[tuple[uuid.UUID, Taak]]:
        """Open tasks (every SWV) whose due day lies in [van, tot): late since then."""
        db = await self._driver()
        rows = await db.fetch(
            f"SELECT swv_id, {_KOLOMMEN} FROM taken t WHERE status = 'open' "  # noqa: S608
            "AND vervalt_op >= $1 AND vervalt_op < $2 ORDER BY vervalt_op, id",
            van,
            tot,
        )
        return [
            (r["swv_id"], Taak(**{k: v for k, v in dict(r).items() if k != "swv_id"})) for r in rows
        ]

    async def swv_ids(self) -> list[uuid.UUID]:
        db = await self._driver()
        return [r["id"] for r in await db.fetch("SELECT id FROM samenwerkingsverbanden")]

    async def context_gegevens(self, swv_id: uuid.UUID, vanaf: date) -> dict[str, list[Any]]:
        """What the generators read: schools, thuiszitter periods starting since `vanaf`, planned
        TLV checks, vrijstelling facts, the workflows' due dates (ids and dates only)."""
        db = await self._driver()
        scholen = await db.fetch("SELECT id FROM scholen WHERE swv_id = $1 ORDER BY id", swv_id)
        perioden = await db.fetch(
            "SELECT leerling_id, categorie, start, einde FROM tijdlijn_perioden "
            "WHERE swv_id = $1 AND leerling_id IN (SELECT leerling_id FROM tijdlijn_perioden "
            "WHERE swv_id = $1 AND start >= $2 AND categorie = ANY($3::text[])) "
            "ORDER BY leerling_id, volgnummer",
            swv_id,
            vanaf,
            ["B2a", "B2b", "B3"],
        )
        tlvs = await db.fetch(
            "SELECT leerling_id, id, volgende_check FROM tlvs WHERE swv_id = $1 "
            "AND volgende_check IS NOT NULL AND staat NOT IN ('ingetrokken', 'afgerond')",
            swv_id,
        )
        vrijstellingen = await db.fetch(
            "SELECT DISTINCT ON (leerling_id) leerling_id, id FROM feiten "
            "WHERE swv_id = $1 AND soort = 'vrijstelling-verleend' "
            "AND leerling_id IN (SELECT leerling_id FROM tijdlijn_perioden "
            "WHERE swv_id = $1 AND categorie LIKE 'C%' AND einde IS NULL) "
            "ORDER BY leerling_id, geldig_vanaf DESC",
            swv_id,
        )
        return {
            "scholen": list(scholen),
            "perioden": list(perioden),
            "tlvs": list(tlvs),
            "vrijstellingen": list(vrijstellingen),
            **await self._workflows(swv_id),
        }

    async def _workflows(self, swv_id: uuid.UUID) -> dict[str, list[Any]]:
        """The workflows' open due dates: planned TLV checks, assigned meldingen, open cases,
        unjudged escalation agreements and decisions not yet carried out (ids and dates)."""
        db = await self._driver()
        meldingen = await db.fetch(
            "SELECT id, leerling_id, soort, contact_uiterlijk, school_id FROM meldingen "
            "WHERE swv_id = $1 AND status = 'toegewezen' AND contact_uiterlijk IS NOT NULL",
            swv_id,
        )
        casussen = await db.fetch(
            "SELECT id, leerling_id, status, coordinatie, school_id, geopend_op, plan_sinds, "
            "laatste_evaluatie, laatste_contact_ouders FROM casussen "
            "WHERE swv_id = $1 AND status NOT IN ('doel-gehaald', 'afgesloten')",
            swv_id,
        )
        afspraken = await db.fetch(
            "SELECT s.escalatie_id, s.id, e.leerling_id, s.gegevens->>'eigenaar' AS eigenaar, "
            "s.datum, (s.gegevens->>'deadline')::date AS deadline FROM escalatie_stappen s "
            "JOIN escalaties e ON e.id = s.escalatie_id "
            "WHERE s.swv_id = $1 AND s.soort = 'afspraak-gemaakt' AND NOT EXISTS ("
            "SELECT 1 FROM escalatie_stappen b WHERE b.escalatie_id = s.escalatie_id "
            "AND (b.soort = 'afgesloten' OR (b.soort = 'afspraak-beoordeeld' "
            "AND b.gegevens->>'afspraakId' = s.id::text)))",
            swv_id,
        )
        besluiten = await db.fetch(
            "SELECT s.escalatie_id, s.id, e.leerling_id, s.datum, "
            "(s.gegevens->>'plaatsenUiterlijk')::date AS plaatsen_uiterlijk "
            "FROM escalatie_stappen s JOIN escalaties e ON e.id = s.escalatie_id "
            "WHERE s.swv_id = $1 AND s.soort = 'besluit-genomen' AND NOT EXISTS ("
            "SELECT 1 FROM escalatie_stappen b WHERE b.escalatie_id = s.escalatie_id "
            "AND b.volgnummer > s.volgnummer AND b.soort IN ('besluit-uitgevoerd', 'afgesloten'))",
            swv_id,
        )
        return {
            "meldingen": list(meldingen),
            "casussen": list(casussen),
            "afspraken": list(afspraken),
            "besluiten": list(besluiten),
        }

    async def sluit_vervallen(
        self,
        swv_id: uuid.UUID,
        codes: Sequence[str],
        gevraagd: Sequence[TaakSpec],
        *,
        op: datetime,
        reden: str,
    ) -> int:
        """Close, as not applicable, the open tasks of `codes` that their rule no longer asks
        for (the step was taken, the workflow ended), each with its transition row."""
        db = await self._driver()
        eigen = [s for s in gevraagd if s.code in codes]
        rijen = await db.fetch(
            "WITH weg AS (UPDATE taken t SET status = 'niet-van-toepassing', toelichting = $6, "
            "versie = t.versie + 1 WHERE t.swv_id = $1 AND t.status = 'open' "
            "AND t.code = ANY($2::text[]) AND (t.code, t.onderwerp, t.periode) NOT IN ("
            "SELECT * FROM unnest($3::text[], $4::text[], $5::text[])) RETURNING t.id) "
            "INSERT INTO taak_overgangen (taak_id, swv_id, van, naar, door, op, toelichting) "
            "SELECT id, $1, 'open', 'niet-van-toepassing', 'systeem', $7, $6 FROM weg "
            "RETURNING taak_id",
            swv_id,
            list(codes),
            [s.code for s in eigen],
            [s.onderwerp for s in eigen],
            [s.periode for s in eigen],
            reden,
            op,
        )
        return len(rijen)
