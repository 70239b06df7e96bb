"""Use cases of leerplicht deliveries: receive a delivery (JSON or CSV, delta or snapshot),
process it in bulk, show its progress and per-item outcomes, list what a snapshot left out,
and let the regisseur decide koppelvoorstellen.

The bulk path appends leerplicht's facts with set-based SQL (not one `meld_feit` per child) and
then re-projects every touched child with the register's own projection, in batches. The fact
kinds are fixed by the item kinds (docs/leerplichtleveringen.md); the caller must hold
`leerplicht:aanleveren`, which only the leerplicht roles have.
"""

from __future__ import annotations

import asyncio
import csv
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any, cast

from app.db.leerlingen import LeerlingRecord
from app.db.leerplichtleveringen import (
    FEIT_KOLOMMEN,
    ITEM_KOLOMMEN,
    Levering,
    LeveringFeitRow,
    LeveringItemRow,
)
from app.db.notificaties import Mailsjabloon, NieuweNotificatie
from app.db.organisaties import SwvInstellingen
from app.db.rapportage import REGISTER_KOLOMMEN
from app.db.session import UnitOfWork
from app.domain.feiten import Feit
from app.domain.identiteit import PrivacyModus
from app.domain.leerplichtleveringen import (
    KOLOMMEN,
    Besluit,
    Item,
    LeveringStatus,
    Modus,
    OngeldigItem,
    Uitkomst,
    VoorstelStatus,
    Weigering,
    beslis,
    feiten_van,
    lees_item,
    open_einde,
    registratie_problemen,
)
from app.domain.toegang import Actor, Operatie, Reikwijdte, mag
from app.services import context, identiteit, projectie
from app.services.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from app.services.pagination import Page, PageRequest
from app.services.schoolvakanties import Kalender
from app.services.toegang.versleuteling import Versleuteling

logger = logging.getLogger(__name__)

NIET_GEVONDEN = "Deze levering bestaat niet of valt buiten uw bevoegdheid."
VOORSTEL_NIET_GEVONDEN = "Dit koppelvoorstel bestaat niet of valt buiten uw bevoegdheid."
DEEL = 5000
"""Items processed per transaction: progress is visible per part and memory stays flat."""
PROJECTIE_BATCH = 500
"""Children re-projected per read of their facts."""
STAGING_BATCH = 5000
"""Items read and copied per COPY."""


def bron_van(actor: Actor) -> str:
    """The source of a delivery: a leerplicht system by its id, leerplicht people of an SWV as
    one source (their references share one namespace)."""
    return actor.id if actor.is_systeem else f"leerplicht:{actor.swv_id}"


def _mag_aanleveren(actor: Actor) -> None:
    if not mag(actor, Operatie.LEERPLICHT_AANLEVEREN):
        raise Forbidden("Alleen leerplicht levert lijsten aan.")
    if actor.reikwijdte is not Reikwijdte.GEMEENTEN or not actor.gemeente_ids:
        raise Forbidden("U levert aan voor geen enkele gemeente.")


def _mag_beslissen(actor: Actor) -> None:
    if not mag(actor, Operatie.KOPPELING_BESLISSEN):
        raise Forbidden("Alleen de regisseur thuiszitters beslist over koppelvoorstellen.")


# -- reading a body -----------------------------------------------------------------------------


def lees_csv(tekst: str) -> list[dict[str, object]]:
    """Rows of the CSV layout (docs/leerplichtleveringen.md): a header of known column names,
    `;` or `,` as separator; an empty cell is an absent value. Raises InvalidInput for a file
    that is not that layout (the rows themselves are judged per item)."""
    regels = tekst.lstrip("\ufeff").splitlines()
    if not regels:
        raise InvalidInput([FieldError("body", "leeg", "Het CSV-bestand is leeg.")])
    scheiding = ";" if regels[0].count(";") >= regels[0].count(",") else ","
    lezer = csv.reader(regels, delimiter=scheiding)
    kop = [k.strip() for k in next(lezer)]
    fouten = [
        FieldError(f"kolom {n + 1}", "onbekend", "Onbekende kolomnaam; zie de kolomindeling.")
        for n, k in enumerate(kop)
        if k not in KOLOMMEN
    ]
    if "referentie" not in kop or "soort" not in kop:
        fouten.append(
            FieldError("kop", "ontbreekt", "De kop noemt ten minste referentie en soort.")
        )
    if len(set(kop)) != len(kop):
        fouten.append(FieldError("kop", "dubbel", "Een kolomnaam staat twee keer in de kop."))
    if fouten:
        raise InvalidInput(fouten)
    rijen: list[dict[str, object]] = []
    for rij in lezer:
        if not any(c.strip() for c in rij):
            continue
        waarden: dict[str, object] = dict(zip(kop, rij, strict=False))
        if len(rij) > len(kop):
            waarden["extra kolommen"] = ""  # refused per item as an unknown field
        rijen.append(waarden)
    return rijen


# -- receiving ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aanlevering:
    modus: Modus
    peildatum: date | None
    items: Sequence[Mapping[str, object]]


@dataclass(frozen=True, slots=True)
class LeveringStand:
    """A delivery with its progress: the count of items per outcome."""

    levering: Levering
    tellingen: dict[str, int]

    @property
    def verwerkt(self) -> int:
        return sum(self.tellingen.values())


def _fouten_json(problemen: Iterable[Any], code: str = "ongeldig") -> str | None:
    """Field problems as stored (JSON text for the COPY): field, code and reason, no values."""
    fouten = [{"veld": p.veld, "code": code, "reden": p.probleem} for p in problemen]
    return json.dumps(fouten) if fouten else None


def _records(
    levering: Levering,
    items: Iterable[tuple[int, Mapping[str, object]]],
    *,
    vandaag: date,
    geidentificeerd: bool,
    versleuteling: Versleuteling | None,
    feiten: list[tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    """Each item as a staging row (read per item; refused ones with their problems) and,
    into `feiten`, the facts it will append."""
    for volgnummer, ruw in items:
        try:
            item = lees_item(ruw, vandaag, geidentificeerd=geidentificeerd)
        except OngeldigItem as fout:
            # Not even its reference is kept: the item's number identifies it (no values).
            yield (
                levering.id,
                volgnummer,
                levering.swv_id,
                *([None] * 15),
                str(Uitkomst.AFGEWEZEN),
                _fouten_json(fout.problemen),
            )
            continue
        yield _item_record(levering, volgnummer, item, geidentificeerd, versleuteling)
        for n, opdracht in enumerate(feiten_van(item)):
            feiten.append(
                (
                    levering.id,
                    volgnummer,
                    n,
                    levering.swv_id,
                    str(opdracht.soort),
                    opdracht.geldig_vanaf,
                    json.dumps(opdracht.gegevens),
                    opdracht.sleutel,
                    opdracht.school_id,
                )
            )


def _item_record(
    levering: Levering,
    volgnummer: int,
    item: Item,
    geidentificeerd: bool,
    versleuteling: Versleuteling | None,
) -> tuple[Any, ...]:
    # One new child per reference per delivery, whichever of its items registers it.
    nieuw_id = uuid.uuid5(levering.id, item.referentie)
    zoekhash = versleuteld = None
    if item.bsn is not None and geidentificeerd:
        if versleuteling is None:
            raise RuntimeError("identified deliveries need the encryption key")
        zoekhash = identiteit.bsn_zoekhash(versleuteling, levering.swv_id, item.bsn)
        versleuteld = versleuteling.versleutel(item.bsn, f"bsn:{nieuw_id}")
    return (
        levering.id,
        volgnummer,
        levering.swv_id,
        item.referentie,
        str(item.soort),
        item.vanaf,
        item.einde,
        open_einde(item),
        str(item.grond) if item.grond else None,
        item.geboortejaar,
        item.geboortemaand,
        item.woongemeente,
        item.regio,
        item.school_id,
        zoekhash,
        versleuteld,
        nieuw_id,
        _fouten_json(registratie_problemen(item), "ontbreekt"),
        None,
        None,
    )


async def ontvang_levering(
    uow: UnitOfWork,
    actor: Actor,
    aanlevering: Aanlevering,
    *,
    versleuteling: Versleuteling | None = None,
    direct_max: int = 1000,
) -> LeveringStand:
    """Receive a delivery: every item read and staged (COPY), refused items with their field
    problems; a delivery of at most `direct_max` items is processed at once, a larger one is
    left `ontvangen` for `verwerk_levering` (a job)."""
    _mag_aanleveren(actor)
    fouten: list[FieldError] = []
    if aanlevering.modus is Modus.SNAPSHOT and aanlevering.peildatum is None:
        fouten.append(
            FieldError("peildatum", "ontbreekt", "Een snapshot noemt zijn peildatum.", "query")
        )
    if not aanlevering.items:
        fouten.append(FieldError("items", "leeg", "De levering bevat geen items."))
    if fouten:
        raise InvalidInput(fouten)
    async with uow.voor(actor):
        swv = await context.swv_van(uow, actor)
        geidentificeerd = swv.privacy_modus == PrivacyModus.GEIDENTIFICEERD
        nu = await context.klok(uow)
        levering = Levering(
            id=uuid.uuid4(),
            swv_id=swv.id,
            bron=bron_van(actor),
            aangeleverd_door=actor.id,
            modus=str(aanlevering.modus),
            peildatum=aanlevering.peildatum,
            gemeente_ids=sorted(uuid.UUID(g) for g in actor.gemeente_ids),
            status=str(LeveringStatus.ONTVANGEN),
            aantal_items=len(aanlevering.items),
            ontvangen_op=nu,
            voltooid_op=None,
        )
        await uow.leerplichtleveringen.voeg_toe(levering)
        repo = uow.leerplichtleveringen
        for start in range(0, len(aanlevering.items), STAGING_BATCH):
            deel = enumerate(aanlevering.items[start : start + STAGING_BATCH], start=start + 1)
            feiten: list[tuple[Any, ...]] = []
            records = list(
                _records(
                    levering,
                    deel,
                    vandaag=nu.date(),
                    geidentificeerd=geidentificeerd,
                    versleuteling=versleuteling,
                    feiten=feiten,
                )
            )
            await repo.stage(LeveringItemRow.__tablename__, ITEM_KOLOMMEN, records)
            await repo.stage(LeveringFeitRow.__tablename__, FEIT_KOLOMMEN, feiten)
        if levering.aantal_items <= direct_max:
            await _verwerk(uow, actor, levering)
        stand = await _stand(uow, levering.id)
        await uow.commit()
        return stand


async def verwerk_levering(
    uow_factory: Callable[[], UnitOfWork], levering_id: uuid.UUID, actor: Actor
) -> LeveringStand | None:
    """Process a received delivery part by part, each part its own transaction (progress is
    visible, a crash resumes where it stopped: items with an outcome are done). Callable from
    a background task or a job queue; a failure marks the delivery `mislukt`."""
    try:
        uow = uow_factory()
        async with uow.voor(actor):
            levering = await uow.leerplichtleveringen.levering(levering_id)
            if levering is None:
                return None
            await _begin(uow, levering)
            await uow.commit()
        for van in range(1, levering.aantal_items + 1, DEEL):
            uow = uow_factory()
            async with uow.voor(actor):
                await _verwerk_deel(uow, actor, levering, van, van + DEEL - 1)
                await uow.commit()
        uow = uow_factory()
        async with uow.voor(actor):
            await _rond_af(uow, levering)
            stand = await _stand(uow, levering.id)
            await uow.commit()
            return stand
    except Exception:
        logger.exception("leerplicht delivery failed")
        uow = uow_factory()
        async with uow.voor(actor):
            await uow.leerplichtleveringen.zet_status(levering_id, str(LeveringStatus.MISLUKT))
            await uow.commit()
        return None


async def _verwerk(uow: UnitOfWork, actor: Actor, levering: Levering) -> None:
    """The whole delivery inside the caller's transaction (a small delivery, in the request)."""
    await _begin(uow, levering)
    for van in range(1, levering.aantal_items + 1, DEEL):
        await _verwerk_deel(uow, actor, levering, van, van + DEEL - 1)
    await _rond_af(uow, levering)


async def _begin(uow: UnitOfWork, levering: Levering) -> None:
    await uow.leerplichtleveringen.zet_status(levering.id, str(LeveringStatus.IN_VERWERKING))


async def _rond_af(uow: UnitOfWork, levering: Levering) -> None:
    """A snapshot marks what it left out (never ends it); the staged facts go; done."""
    if levering.modus == Modus.SNAPSHOT and levering.peildatum is not None:
        await uow.leerplichtleveringen.markeer_ontbrekend(levering, levering.peildatum)
    await uow.leerplichtleveringen.ruim_op(levering.id)
    await uow.leerplichtleveringen.zet_status(
        levering.id, str(LeveringStatus.VERWERKT), await context.klok(uow)
    )


async def _verwerk_deel(
    uow: UnitOfWork, actor: Actor, levering: Levering, van: int, tot_en_met: int
) -> None:
    swv = await context.swv_van(uow, actor)
    instellingen = await context.instellingen_van(uow, actor)
    nu = await context.klok(uow)
    geraakt = await uow.leerplichtleveringen.verwerk_deel(
        levering,
        van,
        tot_en_met,
        nu=nu,
        actor_id=actor.id,
        gepseudonimiseerd=swv.privacy_modus != PrivacyModus.GEIDENTIFICEERD,
    )
    await _projecteer(uow, instellingen, geraakt, nu.date())


class _Verzameling:
    """Stands in for the register projection's writers while `projecteer_feiten` computes a
    batch of children as always: the projections (`RapportageRepository.vervang_projecties`) and
    the timeline events (`NotificatieRepository.schrijf`) are collected, then written at once
    (one delete, one COPY per table, one statement for the events) instead of per child."""

    def __init__(self, oud: dict[uuid.UUID, list[tuple[str, date, date | None]]]) -> None:
        self.oud = oud
        self.ids: list[uuid.UUID] = []
        self.perioden: list[tuple[Any, ...]] = []
        self.rijen: list[tuple[Any, ...]] = []
        self.events: dict[tuple[Mailsjabloon, datetime], list[NieuweNotificatie]] = {}

    async def vervang_projecties(
        self,
        leerling_id: uuid.UUID,
        swv_id: uuid.UUID,
        perioden: Sequence[dict[str, Any]],
        rijen: Sequence[dict[str, Any]],
    ) -> list[tuple[str, date, date | None]]:
        self.ids.append(leerling_id)
        self.perioden.extend(
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
        )
        self.rijen.extend((leerling_id, swv_id, *_REGISTERWAARDEN(r)) for r in rijen)
        return self.oud.get(leerling_id, [])

    async def schrijf(
        self, events: list[NieuweNotificatie], mail: Mailsjabloon, op: datetime
    ) -> list[uuid.UUID]:
        if events:
            self.events.setdefault((mail, op), []).extend(events)
        return []


_REGISTERWAARDEN = itemgetter(*REGISTER_KOLOMMEN)
"""A register row's values in the order of `REGISTER_KOLOMMEN`."""


class _Projectiedoel:
    """The unit of work as the projection sees it in a batch: its writers collected, its clock
    read before, and nothing else, so the fold never uses the transaction's connection (which
    may be writing the previous batch); a new use fails here, loudly, instead of racing."""

    def __init__(self, verzameling: _Verzameling, begonnen_op: datetime) -> None:
        self.rapportage = verzameling
        self.notificaties = verzameling
        self.begonnen_op = begonnen_op


class _Context:
    """The SWV's context as the projection sees it in a batch: each child's calendar read
    before the fold (`SwvContext.kalender_van` per child), not during it."""

    def __init__(self, ctx: context.SwvContext, kalenders: Mapping[uuid.UUID, Kalender | None]):
        self.beleid = ctx.beleid
        self.peildata = ctx.peildata
        self._kalenders = kalenders

    async def kalender_van(self, _uow: UnitOfWork, leerling_id: uuid.UUID) -> Kalender | None:
        return self._kalenders[leerling_id]


@dataclass(frozen=True, slots=True)
class _Gelezen:
    """What folding a batch needs from the database, read before the fold."""

    kinderen: list[Any]
    feiten: dict[uuid.UUID, list[Feit]]
    context: _Context
    oud: dict[uuid.UUID, list[tuple[str, date, date | None]]]


async def _projecteer(
    uow: UnitOfWork, swv: SwvInstellingen, leerling_ids: Sequence[uuid.UUID], vandaag: date
) -> None:
    """Re-project the touched children with the register's own projection (`projecteer_feiten`:
    one fold, as for every fact), in batches written at once: the one place this feature calls
    it. Pipelined: while PostgreSQL writes a batch (projections and events), the next one is
    folded; the fold uses no connection, so the connection runs one statement at a time."""
    ids = sorted(set(leerling_ids))
    delen = [ids[s : s + PROJECTIE_BATCH] for s in range(0, len(ids), PROJECTIE_BATCH)]
    if not delen:
        return
    ctx = await context.laad_context(uow, swv)
    begonnen_op = uow.begonnen_op or await context.klok(uow)
    schrijven: asyncio.Task[None] | None = None
    try:
        gelezen = await _lees_deel(uow, ctx, delen[0])
        for k in range(len(delen)):
            verzameling = await _bereken_deel(gelezen, begonnen_op, vandaag)
            if schrijven is not None:
                await schrijven  # the previous batch is written: the connection is free
            if k + 1 < len(delen):
                gelezen = await _lees_deel(uow, ctx, delen[k + 1])
            schrijven = asyncio.create_task(_schrijf_deel(uow, verzameling))
        if schrijven is not None:
            await schrijven
    finally:
        if schrijven is not None and not schrijven.done():
            # Never end the transaction with a statement running on its connection.
            await asyncio.wait([schrijven])
            if not schrijven.cancelled():
                schrijven.exception()  # retrieved: the fold's failure is the one raised


async def _lees_deel(
    uow: UnitOfWork, ctx: context.SwvContext, deel: Sequence[uuid.UUID]
) -> _Gelezen:
    """A batch of children, all their facts, their projected timelines and calendars."""
    repo = uow.leerplichtleveringen
    kinderen = await repo.kinderen(deel)
    regels = await repo.feitregels_van(deel)
    feiten: dict[uuid.UUID, list[Feit]] = {
        leerling_id: [projectie.feit_van_regel(r) for r in groep]
        for leerling_id, groep in groupby(regels, key=lambda r: r.leerling_id)
    }
    kalenders = {r[0]: await ctx.kalender_van(uow, r[0]) for r in kinderen}
    return _Gelezen(kinderen, feiten, _Context(ctx, kalenders), await repo.tijdlijnen(deel))


_OVERDRACHT = 5
"""Children folded between two turns of the event loop (about a millisecond: each round trip
of the running write waits at most that long)."""


async def _bereken_deel(gelezen: _Gelezen, begonnen_op: datetime, vandaag: date) -> _Verzameling:
    """Fold a batch of children with `projecteer_feiten` into a collection written at once."""
    verzameling = _Verzameling(gelezen.oud)
    doel = cast(UnitOfWork, _Projectiedoel(verzameling, begonnen_op))
    ctx = cast(context.SwvContext, gelezen.context)
    for n, rij in enumerate(gelezen.kinderen, start=1):
        kind = LeerlingRecord(*rij)
        await projectie.projecteer_feiten(doel, kind, ctx, gelezen.feiten.get(kind.id, []), vandaag)
        if n % _OVERDRACHT == 0:
            await asyncio.sleep(0)
    return verzameling


async def _schrijf_deel(uow: UnitOfWork, verzameling: _Verzameling) -> None:
    """A folded batch written: its projections, then the timeline events they gained."""
    await uow.leerplichtleveringen.vervang_projecties(
        verzameling.ids, verzameling.perioden, verzameling.rijen
    )
    for (mail, op), events in verzameling.events.items():
        await uow.notificaties.schrijf(events, mail, op)


async def _stand(uow: UnitOfWork, levering_id: uuid.UUID) -> LeveringStand:
    levering = await uow.leerplichtleveringen.levering(levering_id)
    assert levering is not None  # noqa: S101 (read in the same transaction that wrote it)
    tellingen = await uow.leerplichtleveringen.tellingen(levering_id)
    return LeveringStand(levering, {k: v for k, v in tellingen.items() if k is not None})


# -- reading --------------------------------------------------------------------------------------


async def haal_levering(uow: UnitOfWork, actor: Actor, levering_id: uuid.UUID) -> LeveringStand:
    """A delivery of the caller's gemeenten with its progress, or NotFound."""
    _mag_aanleveren(actor)
    async with uow.voor(actor):
        levering = await uow.leerplichtleveringen.levering_leesbaar(actor, levering_id)
        if levering is None:
            raise NotFound(NIET_GEVONDEN)
        stand = await _stand(uow, levering_id)
        await uow.commit()
        return stand


@dataclass(frozen=True, slots=True)
class ItemUitkomst:
    volgnummer: int
    referentie: str | None
    soort: str | None
    uitkomst: str | None
    fouten: list[dict[str, str]]
    leerling_id: uuid.UUID | None


async def items_van(
    uow: UnitOfWork,
    actor: Actor,
    levering_id: uuid.UUID,
    uitkomst: Uitkomst | None,
    page: PageRequest,
) -> Page[ItemUitkomst]:
    """The outcome of each item of a delivery (the children it shows are audited)."""
    _mag_aanleveren(actor)
    async with uow.voor(actor):
        if await uow.leerplichtleveringen.levering_leesbaar(actor, levering_id) is None:
            raise NotFound(NIET_GEVONDEN)
        rows, totaal = await uow.leerplichtleveringen.items(
            levering_id,
            uitkomst=str(uitkomst) if uitkomst else None,
            offset=page.offset,
            limit=page.page_size,
        )
        items = [ItemUitkomst(r[0], r[1], r[2], r[3], r[4] or [], r[5]) for r in rows]
        uow.getoond = [i.leerling_id for i in items if i.leerling_id is not None]
        await uow.commit()
        return Page(items, page.page, page.page_size, totaal)


@dataclass(frozen=True, slots=True)
class Verdwijning:
    referentie: str
    soort: str
    grond: str | None
    leerling_id: uuid.UUID
    vanaf: date
    levering_id: uuid.UUID
    sinds: date


async def verdwijningen(uow: UnitOfWork, actor: Actor, page: PageRequest) -> Page[Verdwijning]:
    """Situations a snapshot left out: never ended by the register, for leerplicht to confirm
    by delivering their end (or to deliver again)."""
    _mag_aanleveren(actor)
    async with uow.voor(actor):
        rows, totaal = await uow.leerplichtleveringen.ontbrekend(
            actor, bron_van(actor), offset=page.offset, limit=page.page_size
        )
        items = [Verdwijning(*r[:7]) for r in rows]
        uow.getoond = [v.leerling_id for v in items]
        await uow.commit()
        return Page(items, page.page, page.page_size, totaal)


# -- koppelvoorstellen ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Koppelvoorstel:
    id: uuid.UUID
    referentie: str
    leerling_id: uuid.UUID
    kandidaat_id: uuid.UUID
    status: str
    aangemaakt_op: datetime


async def koppelvoorstellen(
    uow: UnitOfWork, actor: Actor, status: VoorstelStatus | None, page: PageRequest
) -> Page[Koppelvoorstel]:
    """Koppelvoorstellen of the SWV, for the regisseur."""
    _mag_beslissen(actor)
    async with uow.voor(actor):
        rows, totaal = await uow.leerplichtleveringen.voorstellen(
            status=str(status) if status else None, offset=page.offset, limit=page.page_size
        )
        items = [Koppelvoorstel(*r[:6]) for r in rows]
        uow.getoond = [i.leerling_id for i in items] + [i.kandidaat_id for i in items]
        await uow.commit()
        return Page(items, page.page, page.page_size, totaal)


async def beslis_koppelvoorstel(
    uow: UnitOfWork, actor: Actor, voorstel_id: uuid.UUID, besluit: Besluit
) -> Koppelvoorstel:
    """The regisseur accepts (leerplicht's facts go to the school's child; the child the
    delivery created keeps none) or rejects a koppelvoorstel; decided once."""
    _mag_beslissen(actor)
    async with uow.voor(actor):
        repo = uow.leerplichtleveringen
        voorstel = await repo.voorstel(voorstel_id, lock=True)
        if voorstel is None:
            raise NotFound(VOORSTEL_NIET_GEVONDEN)
        nu = await context.klok(uow)
        uitkomst = beslis(VoorstelStatus(voorstel["status"]), besluit, actor.rol, nu.date())
        if isinstance(uitkomst, Weigering):
            raise Conflict(uitkomst.reden)
        if uitkomst is VoorstelStatus.GEACCEPTEERD:
            huidig = await repo.gekoppeld_aan(voorstel["bron"], voorstel["referentie"])
            if huidig != voorstel["leerling_id"]:
                raise Conflict("Deze leerplichtreferentie is al aan een andere leerling gekoppeld.")
            await repo.voeg_samen(voorstel, nu=nu, actor_id=actor.id)
            instellingen = await context.instellingen_van(uow, actor)
            await _projecteer(
                uow, instellingen, [voorstel["leerling_id"], voorstel["kandidaat_id"]], nu.date()
            )
        await repo.beslis_voorstel(voorstel, str(uitkomst), actor.id, nu)
        uow.betreft = voorstel["kandidaat_id"]
        await uow.commit()
        return Koppelvoorstel(
            voorstel["id"],
            voorstel["referentie"],
            voorstel["leerling_id"],
            voorstel["kandidaat_id"],
            str(uitkomst),
            voorstel["aangemaakt_op"],
        )
