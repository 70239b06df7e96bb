"""Events: the transactional outbox (`notificaties`), webhook subscriptions (`abonnementen`),
their deliveries (`afleveringen`), e-mail (`mails`, `mailadressen`): tables and queries.

The outbox row is written on the transaction's connection, so it commits or rolls back with
the change that caused it. Deliveries are claimed with `FOR UPDATE SKIP LOCKED`: several
workers never take the same one, and a worker that dies releases its claim with its connection.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Driver
from app.domain.toegang import Actor, Reikwijdte

TRANSACTIE = "(pg_current_xact_id()::text)::bigint"
"""The writing transaction's id: the change feed's order (docs/decisions/0022)."""


class NotificatieRow(Base):
    """An event in the outbox; the change feed reads it in transaction order."""

    __tablename__ = "notificaties"
    __table_args__ = (
        Index("ix_notificaties_feed", "swv_id", "transactie", "volgnummer"),
        Index(
            "uq_notificaties_sleutel",
            "swv_id",
            "sleutel",
            unique=True,
            postgresql_where="sleutel IS NOT NULL",
        ),
        Index("ix_notificaties_te_verdelen", "volgnummer", postgresql_where="NOT verdeeld"),
    )

    volgnummer: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid(), unique=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    soort: Mapped[str] = mapped_column(String(60))
    onderwerp_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    leerling_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leerlingen.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    sleutel: Mapped[str | None] = mapped_column(String(200))
    transactie: Mapped[int] = mapped_column(BigInteger, server_default=text(TRANSACTIE))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verdeeld: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class AbonnementRow(Base):
    """A system's webhook subscription, with the scope of the system when it subscribed."""

    __tablename__ = "abonnementen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    eigenaar: Mapped[str] = mapped_column(String(100))
    rol: Mapped[str] = mapped_column(String(40))
    vestiging_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    gemeente_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    url: Mapped[str] = mapped_column(String(2000))
    geheim_versleuteld: Mapped[bytes] = mapped_column(LargeBinary)
    soorten: Mapped[list[str]] = mapped_column(ARRAY(String(60)))
    bron_referentie: Mapped[str | None] = mapped_column(String(200))
    actief: Mapped[bool] = mapped_column(Boolean)
    versie: Mapped[int] = mapped_column(Integer)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AfleveringRow(Base):
    """One event for one subscription: tried until delivered or dead (at least once)."""

    __tablename__ = "afleveringen"
    __table_args__ = (
        UniqueConstraint("abonnement_id", "notificatie_id"),
        CheckConstraint("status IN ('wachtend', 'afgeleverd', 'dood')", name="status_bekend"),
        Index(
            "ix_afleveringen_wachtend", "volgende_poging", postgresql_where="status = 'wachtend'"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    abonnement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("abonnementen.id"))
    notificatie_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notificaties.id"))
    status: Mapped[str] = mapped_column(String(12))
    pogingen: Mapped[int] = mapped_column(SmallInteger)
    volgende_poging: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    laatste_status: Mapped[int | None] = mapped_column(SmallInteger)
    afgeleverd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MailadresRow(Base):
    """The work e-mail address of a user, for notifications (never a child's)."""

    __tablename__ = "mailadressen"

    gebruiker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gebruikers.id"), primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    adres: Mapped[str] = mapped_column(String(320))


class MailRow(Base):
    """An e-mail in the outbox: a subject and a link, never personal data of a child."""

    __tablename__ = "mails"
    __table_args__ = (
        UniqueConstraint("swv_id", "sleutel"),
        CheckConstraint("status IN ('wachtend', 'verzonden', 'dood')", name="status_bekend"),
        Index("ix_mails_wachtend", "volgende_poging", postgresql_where="status = 'wachtend'"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    sleutel: Mapped[str] = mapped_column(String(200))
    aan: Mapped[str] = mapped_column(String(320))
    onderwerp: Mapped[str] = mapped_column(String(200))
    tekst: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    pogingen: Mapped[int] = mapped_column(SmallInteger)
    volgende_poging: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verzonden_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class Notificatie:
    volgnummer: int
    id: uuid.UUID
    swv_id: uuid.UUID
    soort: str
    onderwerp_id: uuid.UUID
    leerling_id: uuid.UUID | None
    data: dict[str, Any]
    transactie: int
    aangemaakt_op: datetime


@dataclass(frozen=True, slots=True)
class Abonnement:
    id: uuid.UUID
    eigenaar: str
    rol: str
    url: str
    soorten: list[str]
    actief: bool
    versie: int
    aangemaakt_op: datetime
    bron_referentie: str | None


@dataclass(frozen=True, slots=True)
class TeBezorgen:
    aflevering_id: int
    pogingen: int
    url: str
    geheim_versleuteld: bytes
    notificatie: Notificatie


_N = (
    "n.volgnummer, n.id, n.swv_id, n.soort, n.onderwerp_id, n.leerling_id, n.data, "
    "n.transactie, n.aangemaakt_op"
)
_A = "id, eigenaar, rol, url, soorten, actief, versie, aangemaakt_op, bron_referentie"


def _notificatie(r: Any) -> Notificatie:
    data = r["data"]
    return Notificatie(
        r["volgnummer"],
        r["id"],
        r["swv_id"],
        r["soort"],
        r["onderwerp_id"],
        r["leerling_id"],
        json.loads(data) if isinstance(data, str) else data,
        r["transactie"],
        r["aangemaakt_op"],
    )


def _leerling_bereik(actor: Actor, n: int) -> tuple[str, list[Any]]:
    """Which events about children the actor may see (`leesbaar` on `n.leerling_id`)."""
    r = actor.reikwijdte
    if r is Reikwijdte.SWV:
        return "", []
    if r is Reikwijdte.VESTIGINGEN and actor.vestiging_ids:
        return (
            f" AND n.leerling_id IN (SELECT leerling_id FROM leerling_vestigingen "  # noqa: S608
            f"WHERE school_id = ANY(${n}::uuid[]))",
            [[uuid.UUID(v) for v in actor.vestiging_ids]],
        )
    if r is Reikwijdte.GEMEENTEN and actor.gemeente_ids:
        return (
            f" AND n.leerling_id IN (SELECT id FROM leerlingen "  # noqa: S608
            f"WHERE woongemeente_id = ANY(${n}::uuid[]))",
            [[uuid.UUID(g) for g in actor.gemeente_ids]],
        )
    return " AND false", []


# Fan-out: for each new event, a delivery per active subscription that wants its kind and may
# read its child (SWV-wide roles every event; a school the children of its vestigingen; leerplicht
# those living in its gemeenten; events about no child only SWV-wide roles).
_VERDEEL = """
WITH nieuw AS (
    SELECT volgnummer, id, swv_id, soort, leerling_id FROM notificaties
    WHERE NOT verdeeld ORDER BY volgnummer LIMIT $1 FOR UPDATE SKIP LOCKED
), bezorg AS (
    INSERT INTO afleveringen (swv_id, abonnement_id, notificatie_id, status, pogingen,
                              volgende_poging)
    SELECT n.swv_id, a.id, n.id, 'wachtend', 0, $2
    FROM nieuw n JOIN abonnementen a ON a.swv_id = n.swv_id AND a.actief
    WHERE (cardinality(a.soorten) = 0 OR n.soort = ANY(a.soorten))
      AND (
        a.rol = ANY($3::text[])
        OR (n.leerling_id IS NOT NULL AND cardinality(a.vestiging_ids) > 0 AND EXISTS (
            SELECT 1 FROM leerling_vestigingen lv
            WHERE lv.leerling_id = n.leerling_id AND lv.school_id = ANY(a.vestiging_ids)))
        OR (n.leerling_id IS NOT NULL AND cardinality(a.gemeente_ids) > 0 AND EXISTS (
            SELECT 1 FROM leerlingen l
            WHERE l.id = n.leerling_id AND l.woongemeente_id = ANY(a.gemeente_ids)))
      )
    ON CONFLICT DO NOTHING
)
UPDATE notificaties SET verdeeld = true WHERE volgnummer IN (SELECT volgnummer FROM nieuw)
"""


@dataclass(frozen=True, slots=True)
class NieuweNotificatie:
    id: uuid.UUID
    swv_id: uuid.UUID
    soort: str
    onderwerp_id: uuid.UUID
    leerling_id: uuid.UUID | None
    data: dict[str, Any]
    sleutel: str | None


@dataclass(frozen=True, slots=True)
class Mailsjabloon:
    """The e-mails for a new thuiszitter and a new melding: subjects, and texts that end in
    the link to the record."""

    onderwerp: str
    tekst_voor_link: str
    melding_onderwerp: str
    melding_tekst_voor_link: str


# One round trip: the events, and the e-mails that follow from them (a new thuiszitter: to the
# leerplichtambtenaren of the child's gemeente with a work address; a new melding: to the
# regisseurs of the SWV).
_SCHRIJF = """
WITH ins AS (
    INSERT INTO notificaties (id, swv_id, soort, onderwerp_id, leerling_id, data, sleutel,
                              aangemaakt_op)
    SELECT i, s, so, o, l, d::jsonb, k, $8
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                $7::text[]) AS u(i, s, so, o, l, d, k)
    ON CONFLICT (swv_id, sleutel) WHERE sleutel IS NOT NULL DO NOTHING
    RETURNING id, swv_id, soort, onderwerp_id, leerling_id
), mail AS (
    INSERT INTO mails (swv_id, sleutel, aan, onderwerp, tekst, status, pogingen, volgende_poging)
    SELECT ins.swv_id, ins.id::text || ':' || m.adres, m.adres, $9,
           $10 || '/v1/leerlingen/' || ins.leerling_id::text || E'\n', 'wachtend', 0, $8
    FROM ins
    JOIN leerlingen l ON l.id = ins.leerling_id
    JOIN gebruikers g ON g.swv_id = ins.swv_id AND g.actief AND g.rol = 'leerplichtambtenaar'
         AND l.woongemeente_id = ANY(g.gemeente_ids)
    JOIN mailadressen m ON m.gebruiker_id = g.id
    WHERE ins.soort = 'leerling.thuiszitter-gestart'
    UNION ALL
    SELECT ins.swv_id, ins.id::text || ':' || m.adres, m.adres, $11,
           $12 || '/v1/meldingen/' || ins.onderwerp_id::text || E'\n', 'wachtend', 0, $8
    FROM ins
    JOIN gebruikers g ON g.swv_id = ins.swv_id AND g.actief AND g.rol = 'regisseur-thuiszitters'
    JOIN mailadressen m ON m.gebruiker_id = g.id
    WHERE ins.soort = 'melding.ontvangen'
    ON CONFLICT DO NOTHING
)
SELECT id FROM ins
"""


class NotificatiesRepository:
    """Every query on events, subscriptions, deliveries and mails."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver

    async def schrijf(
        self, events: list[NieuweNotificatie], mail: Mailsjabloon, op: datetime
    ) -> list[uuid.UUID]:
        """Append events in the current transaction, in one statement, with the e-mail to
        leerplicht of the child's gemeente for each new thuiszitter; the ids written (an event
        whose `sleutel` was announced before is skipped)."""
        if not events:
            return []
        db = await self._driver()
        rows = await db.fetch(
            _SCHRIJF,
            [e.id for e in events],
            [e.swv_id for e in events],
            [e.soort for e in events],
            [e.onderwerp_id for e in events],
            [e.leerling_id for e in events],
            [json.dumps(e.data) for e in events],
            [e.sleutel for e in events],
            op,
            mail.onderwerp,
            mail.tekst_voor_link,
            mail.melding_onderwerp,
            mail.melding_tekst_voor_link,
        )
        return [r["id"] for r in rows]

    async def vervallende_checks(self, van: date, tot: date) -> list[Any]:
        """TLVs whose planned plaatsingscheck falls due between `van` and `tot` (all SWVs)."""
        db = await self._driver()
        return list(
            await db.fetch(
                "SELECT swv_id, id, leerling_id, volgende_check FROM tlvs "
                "WHERE volgende_check BETWEEN $1 AND $2 "
                "AND staat NOT IN ('ingetrokken', 'afgerond')",
                van,
                tot,
            )
        )

    async def zonder_melding(self, van: date, tot: date) -> list[Any]:
        """Children whose unexcused absence reached day 29 (the first day of B2a) between `van`
        and `tot` without any melding about them (all SWVs)."""
        db = await self._driver()
        return list(
            await db.fetch(
                "SELECT p.swv_id, p.leerling_id, p.start FROM tijdlijn_perioden p "
                "WHERE p.categorie = 'B2a' AND p.start BETWEEN $1 AND $2 AND NOT EXISTS ("
                "SELECT 1 FROM meldingen m WHERE m.leerling_id = p.leerling_id)",
                van,
                tot,
            )
        )

    async def verstreken_afspraken(self, van: date, tot: date) -> list[Any]:
        """Escalation agreements whose deadline passed between `van` and `tot` (the day after
        the deadline), not kept and the escalation not closed (all SWVs)."""
        db = await self._driver()
        return list(
            await db.fetch(
                "SELECT s.swv_id, s.escalatie_id, s.id, e.leerling_id, "
                "(s.gegevens->>'deadline')::date AS deadline FROM escalatie_stappen s "
                "JOIN escalaties e ON e.id = s.escalatie_id "
                "WHERE s.soort = 'afspraak-gemaakt' "
                "AND (s.gegevens->>'deadline')::date + 1 BETWEEN $1 AND $2 AND NOT EXISTS ("
                "SELECT 1 FROM escalatie_stappen b WHERE b.escalatie_id = s.escalatie_id "
                "AND (b.soort IN ('afgesloten', 'besluit-genomen') "
                "OR (b.soort = 'afspraak-beoordeeld' AND b.gegevens->>'afspraakId' = s.id::text "
                "AND (b.gegevens->>'nagekomen')::boolean)))",
                van,
                tot,
            )
        )

    async def feed(
        self, actor: Actor, na: tuple[int, int] | None, limiet: int
    ) -> list[Notificatie]:
        """Events after the cursor `(transactie, volgnummer)` that the actor may see, only from
        transactions older than every one still running: nothing can appear before the cursor
        later (docs/decisions/0022)."""
        db = await self._driver()
        waar, params = _leerling_bereik(actor, 3)
        if actor.reikwijdte is not Reikwijdte.SWV:
            waar += " AND n.leerling_id IS NOT NULL"
        args: list[Any] = [uuid.UUID(actor.swv_id), limiet, *params]
        sql = (
            f"SELECT {_N} FROM notificaties n WHERE n.swv_id = $1{waar} "  # noqa: S608
            "AND (n.transactie < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint "
            # A transaction sees its own events (the feed's own requests write none).
            "OR n.transactie = (pg_current_xact_id_if_assigned()::text)::bigint)"
        )
        if na is not None:
            args += [na[0], na[1]]
            sql += f" AND (n.transactie, n.volgnummer) > (${len(args) - 1}, ${len(args)})"
        sql += " ORDER BY n.transactie, n.volgnummer LIMIT $2"
        return [_notificatie(r) for r in await db.fetch(sql, *args)]

    async def van_swv(self, swv_id: uuid.UUID) -> list[Notificatie]:
        db = await self._driver()
        rows = await db.fetch(
            f"SELECT {_N} FROM notificaties n WHERE n.swv_id = $1 ORDER BY volgnummer",  # noqa: S608
            swv_id,
        )
        return [_notificatie(r) for r in rows]

    # -- subscriptions ------------------------------------------------------------------------

    async def abonneer(
        self,
        actor: Actor,
        *,
        url: str,
        geheim_versleuteld: bytes,
        soorten: list[str],
        bron_referentie: str | None,
    ) -> Abonnement:
        db = await self._driver()
        rij = await db.fetchrow(
            "INSERT INTO abonnementen (id, swv_id, eigenaar, rol, vestiging_ids, gemeente_ids, "  # noqa: S608
            "url, geheim_versleuteld, soorten, bron_referentie, actief, versie) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true, 1) "
            f"RETURNING {_A}",
            uuid.uuid4(),
            uuid.UUID(actor.swv_id),
            actor.id,
            str(actor.rol),
            [uuid.UUID(v) for v in actor.vestiging_ids],
            [uuid.UUID(g) for g in actor.gemeente_ids],
            url,
            geheim_versleuteld,
            soorten,
            bron_referentie,
        )
        return Abonnement(**dict(rij))

    async def abonnement_op_bron(self, actor: Actor, bron_referentie: str) -> Abonnement | None:
        db = await self._driver()
        rij = await db.fetchrow(
            f"SELECT {_A} FROM abonnementen WHERE swv_id = $1 AND eigenaar = $2 "  # noqa: S608
            "AND bron_referentie = $3",
            uuid.UUID(actor.swv_id),
            actor.id,
            bron_referentie,
        )
        return Abonnement(**dict(rij)) if rij is not None else None

    async def abonnementen(self, actor: Actor) -> list[Abonnement]:
        db = await self._driver()
        rows = await db.fetch(
            f"SELECT {_A} FROM abonnementen WHERE swv_id = $1 AND eigenaar = $2 "  # noqa: S608
            "ORDER BY aangemaakt_op, id",
            uuid.UUID(actor.swv_id),
            actor.id,
        )
        return [Abonnement(**dict(r)) for r in rows]

    async def abonnement(
        self, actor: Actor, abonnement_id: uuid.UUID, *, lock: bool = False
    ) -> Abonnement | None:
        db = await self._driver()
        sql = f"SELECT {_A} FROM abonnementen WHERE swv_id = $1 AND eigenaar = $2 AND id = $3"  # noqa: S608
        if lock:
            sql += " FOR UPDATE"
        rij = await db.fetchrow(sql, uuid.UUID(actor.swv_id), actor.id, abonnement_id)
        return Abonnement(**dict(rij)) if rij is not None else None

    async def zet_actief(self, abonnement_id: uuid.UUID, actief: bool) -> None:
        db = await self._driver()
        await db.execute(
            "UPDATE abonnementen SET actief = $2, versie = versie + 1 WHERE id = $1",
            abonnement_id,
            actief,
        )

    # -- delivery (the worker, across SWVs) ----------------------------------------------------

    async def verdeel(self, nu: datetime, swv_rollen: list[str], limiet: int = 500) -> None:
        db = await self._driver()
        await db.execute(_VERDEEL, limiet, nu, swv_rollen)

    async def claim(self, nu: datetime, limiet: int) -> list[TeBezorgen]:
        """Deliveries due now, locked for this transaction (others skip them)."""
        db = await self._driver()
        rows = await db.fetch(
            f"SELECT f.id AS aflevering_id, f.pogingen, a.url, a.geheim_versleuteld, {_N} "  # noqa: S608
            "FROM afleveringen f JOIN abonnementen a ON a.id = f.abonnement_id "
            "JOIN notificaties n ON n.id = f.notificatie_id "
            "WHERE f.status = 'wachtend' AND f.volgende_poging <= $1 "
            "ORDER BY f.volgende_poging, f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED",
            nu,
            limiet,
        )
        return [
            TeBezorgen(
                r["aflevering_id"],
                r["pogingen"],
                r["url"],
                r["geheim_versleuteld"],
                _notificatie(r),
            )
            for r in rows
        ]

    async def afgeleverd(self, aflevering_id: int, status: int, nu: datetime) -> None:
        db = await self._driver()
        await db.execute(
            "UPDATE afleveringen SET status = 'afgeleverd', pogingen = pogingen + 1, "
            "laatste_status = $2, afgeleverd_op = $3 WHERE id = $1",
            aflevering_id,
            status,
            nu,
        )

    async def mislukt(
        self, aflevering_id: int, status: int | None, volgende: datetime | None
    ) -> None:
        db = await self._driver()
        await db.execute(
            "UPDATE afleveringen SET pogingen = pogingen + 1, laatste_status = $2, "
            "status = CASE WHEN $3::timestamptz IS NULL THEN 'dood' ELSE 'wachtend' END, "
            "volgende_poging = COALESCE($3, volgende_poging) WHERE id = $1",
            aflevering_id,
            status,
            volgende,
        )

    # -- e-mail ---------------------------------------------------------------------------------

    async def ontvangers(
        self, swv_id: uuid.UUID, rollen: list[str], gemeente_id: uuid.UUID | None = None
    ) -> list[str]:
        """Work addresses of the active users with one of `rollen` (and the gemeente, if any)."""
        db = await self._driver()
        rows = await db.fetch(
            "SELECT m.adres FROM mailadressen m JOIN gebruikers g ON g.id = m.gebruiker_id "
            "WHERE m.swv_id = $1 AND g.actief AND g.rol = ANY($2::text[]) "
            "AND ($3::uuid IS NULL OR $3 = ANY(g.gemeente_ids)) ORDER BY m.adres",
            swv_id,
            rollen,
            gemeente_id,
        )
        return [r["adres"] for r in rows]

    async def zet_mailadres(self, swv_id: uuid.UUID, gebruikersnaam: str, adres: str) -> None:
        """A user's work address for notifications (replaces an earlier one)."""
        db = await self._driver()
        await db.execute(
            "INSERT INTO mailadressen (gebruiker_id, swv_id, adres) "
            "SELECT id, swv_id, $3 FROM gebruikers WHERE swv_id = $1 AND gebruikersnaam = $2 "
            "ON CONFLICT (gebruiker_id) DO UPDATE SET adres = excluded.adres",
            swv_id,
            gebruikersnaam,
            adres,
        )

    async def zet_mail(
        self, swv_id: uuid.UUID, sleutel: str, *, aan: str, onderwerp: str, tekst: str, nu: datetime
    ) -> bool:
        db = await self._driver()
        rij = await db.fetchrow(
            "INSERT INTO mails (swv_id, sleutel, aan, onderwerp, tekst, status, pogingen, "
            "volgende_poging) VALUES ($1, $2, $3, $4, $5, 'wachtend', 0, $6) "
            "ON CONFLICT DO NOTHING RETURNING id",
            swv_id,
            sleutel,
            aan,
            onderwerp,
            tekst,
            nu,
        )
        return rij is not None

    async def claim_mails(self, nu: datetime, limiet: int) -> list[Any]:
        db = await self._driver()
        return list(
            await db.fetch(
                "SELECT id, aan, onderwerp, tekst, pogingen FROM mails "
                "WHERE status = 'wachtend' AND volgende_poging <= $1 "
                "ORDER BY volgende_poging, id LIMIT $2 FOR UPDATE SKIP LOCKED",
                nu,
                limiet,
            )
        )

    async def mail_klaar(
        self, mail_id: int, nu: datetime | None, volgende: datetime | None
    ) -> None:
        """Sent (`nu`), or failed: try again at `volgende`, or dead when there is none."""
        db = await self._driver()
        if nu is not None:
            await db.execute(
                "UPDATE mails SET status = 'verzonden', pogingen = pogingen + 1, "
                "verzonden_op = $2 WHERE id = $1",
                mail_id,
                nu,
            )
            return
        await db.execute(
            "UPDATE mails SET pogingen = pogingen + 1, "
            "status = CASE WHEN $2::timestamptz IS NULL THEN 'dood' ELSE 'wachtend' END, "
            "volgende_poging = COALESCE($2, volgende_poging) WHERE id = $1",
            mail_id,
            volgende,
        )

    async def alle_mails(self, swv_id: uuid.UUID) -> list[Any]:
        db = await self._driver()
        return list(
            await db.fetch("SELECT aan, onderwerp, tekst FROM mails WHERE swv_id = $1", swv_id)
        )

    # -- the worker's heartbeat -------------------------------------------------------------------

    async def hartslag(self, worker: str, nu: datetime) -> None:
        db = await self._driver()
        await db.execute(
            "INSERT INTO worker_hartslagen (worker, gezien_op) VALUES ($1, $2) "
            "ON CONFLICT (worker) DO UPDATE SET gezien_op = excluded.gezien_op",
            worker,
            nu,
        )

    async def laatste_hartslag(self) -> datetime | None:
        db = await self._driver()
        moment: datetime | None = await db.fetchval("SELECT max(gezien_op) FROM worker_hartslagen")
        return moment


class WorkerHartslagRow(Base):
    """When each worker was last alive (no personal data; no SWV)."""

    __tablename__ = "worker_hartslagen"

    worker: Mapped[str] = mapped_column(String(100), primary_key=True)
    gezien_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
