"""The SWV's own monitor (regel 18): one row per child per peildatum, as known on a moment.

For the SWV's own use and its schools' boards (`rapport:swv`), never part of the Inspectie
delivery: klas, niveau and woonplaats appear here and never in the Inspectie export. Computed by
the pure domain (app/domain/monitor.py) from the facts, batch by batch; every child shown is
recorded in the request's audit row.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.db.leerlingen import LeerlingRow
from app.db.monitor import LeveringRow, PseudoniemAliasRow
from app.db.session import UnitOfWork
from app.domain.monitor import MonitorRij, monitor_rijen
from app.domain.rapportage import LeerlingVoorRapport, RegisterKop, register_kop
from app.domain.toegang import Actor
from app.services import context, leerlingen, rapportage
from app.services.errors import Conflict, FieldError, InvalidInput, NotFound
from app.services.exports import Formaat, Kolom, _enum

FORMAAT = "thuiszitters-swv-monitor"

MONITOR_KOLOMMEN: tuple[Kolom, ...] = (
    Kolom("pseudoniem", "Pseudoniem", 12, Formaat.TEKST, lambda r: r.pseudoniem),
    Kolom("leeftijd", "Leeftijd", 8, Formaat.GETAL, lambda r: r.leeftijd),
    Kolom("klas", "Klas", 8, Formaat.TEKST, lambda r: r.klas),
    Kolom("woonplaats", "Woonplaats", 18, Formaat.TEKST, lambda r: r.woonplaats),
    Kolom("niveau", "Niveau", 12, Formaat.TEKST, lambda r: r.niveau),
    Kolom(
        "maand_gemeld",
        "Maand gemeld bij verzuimloket",
        12,
        Formaat.TEKST,
        lambda r: r.maand_gemeld,
    ),
    Kolom(
        "ziek_gemeld_door_ouders",
        "Ziek gemeld door ouders",
        10,
        Formaat.JA_NEE,
        lambda r: r.ziek_gemeld_door_ouders,
    ),
    Kolom("typering", "Typering", 18, Formaat.TEKST, lambda r: r.typering),
    Kolom(
        "categorie_peildatum",
        "Categorie op peildatum",
        12,
        Formaat.TEKST,
        lambda r: r.categorie_peildatum,
    ),
    Kolom("soort", "Soort thuiszitter", 18, Formaat.TEKST, lambda r: _enum(r.soort)),
    Kolom(
        "reden_geoorloofd",
        "Reden geoorloofd verzuim",
        18,
        Formaat.TEKST,
        lambda r: _enum(r.reden_geoorloofd),
    ),
    Kolom("startdatum", "Startdatum", 12, Formaat.DATUM, lambda r: r.startdatum),
    Kolom("aanbod", "Aanbod of thuiswerkplan", 16, Formaat.TEKST, lambda r: _enum(r.aanbod)),
    Kolom(
        "keer_op_school_per_week",
        "Keer per week op school",
        10,
        Formaat.GETAL,
        lambda r: r.keer_op_school_per_week,
    ),
    Kolom(
        "uren_op_school_per_week",
        "Uren per week op school",
        10,
        Formaat.GETAL,
        lambda r: r.uren_op_school_per_week,
    ),
    Kolom(
        "aanbod_voldoende",
        "Voldoende fundament",
        10,
        Formaat.JA_NEE,
        lambda r: r.aanbod_voldoende,
    ),
    Kolom("jeugdhulp", "Betrokken jeugdhulp", 24, Formaat.TEKST, lambda r: r.jeugdhulp),
    Kolom("maand_beeindigd", "Maand beëindigd", 10, Formaat.TEKST, lambda r: r.maand_beeindigd),
    Kolom(
        "reden_beeindigd",
        "Reden beëindiging",
        22,
        Formaat.TEKST,
        lambda r: _enum(r.reden_beeindigd),
    ),
    Kolom(
        "pact_overschreden",
        "Thuiszitterspact overschreden",
        10,
        Formaat.JA_NEE,
        lambda r: r.pact_overschreden,
    ),
)
"""The monitor's columns (regel 18); docs/rapportage.md explains each."""


@dataclass(frozen=True, slots=True)
class Monitor:
    """The monitor on a peildatum: the header (window, as known on) and rows by pseudonym."""

    kop: RegisterKop
    rijen: tuple[MonitorRij, ...]


async def monitor(
    uow: UnitOfWork, actor: Actor, *, peildatum: date, bekend_op: datetime | None
) -> Monitor:
    """The SWV's monitor on a peildatum as known on `bekend_op` (regel 18)."""
    async with uow.voor(actor):
        swv = await context.swv_context(uow, actor, bekend_op=bekend_op)
        beleid, kalender = swv.beleid, swv.kalender
        kop = register_kop(peildatum, bekend_op=bekend_op, peildata=swv.peildata)

        def bereken(kinderen: Iterable[LeerlingVoorRapport]) -> list[tuple[str, MonitorRij]]:
            uit: list[tuple[str, MonitorRij]] = []
            for kind in kinderen:
                for rij in monitor_rijen([kind], beleid, kop, kalender=kalender):
                    uit.append((kind.leerling.id, rij))
            return uit

        paren = await rapportage.met_kinderen(uow, swv.id, bereken)
        paren.sort(key=lambda p: p[1].pseudoniem)
        uow.getoond = [uuid.UUID(i) for i, _ in paren]
        await uow.commit()
        return Monitor(kop, tuple(r for _, r in paren))


# -- renumbering pseudonyms (regel 18) -------------------

PSEUDONIEM = re.compile(r"^[A-Za-z0-9-]{4,40}$")
"""A pseudonym code as registration accepts it (app/api/leerlingen.py)."""


@dataclass(frozen=True, slots=True)
class Hernummering:
    """One child renumbered: its id, the old code (now an alias) and the new one."""

    leerling_id: uuid.UUID
    oud: str
    nieuw: str


async def hernummer(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, nieuw: str
) -> Hernummering:
    """Give one child a new pseudonym; the old one stays an alias (regel 18)."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        uitkomst = await _hernummer(uow, actor, leerling, nieuw, "nieuwPseudoniem")
        uow.getoond = [leerling.id]
        await uow.commit()
        return uitkomst


async def hernummer_veel(
    uow: UnitOfWork, actor: Actor, paren: Sequence[tuple[str, str]]
) -> list[Hernummering]:
    """Renumber many children from a mapping of old to new codes, all or none; every problem
    is listed (an unknown old code, a new code in use or given twice)."""
    fouten: list[FieldError] = []
    nieuwe = [n for _, n in paren]
    oude = [o for o, _ in paren]
    for i, (oud, nieuw) in enumerate(paren):
        if oude.count(oud) > 1:
            fouten.append(FieldError(f"wijzigingen[{i}].oud", "dubbel", "Komt vaker voor."))
        if nieuwe.count(nieuw) > 1:
            fouten.append(FieldError(f"wijzigingen[{i}].nieuw", "dubbel", "Komt vaker voor."))
    if fouten:
        raise InvalidInput(fouten)
    async with uow.voor(actor):
        uit: list[Hernummering] = []
        gevonden: list[tuple[int, LeerlingRow, str]] = []
        for i, (oud, nieuw) in enumerate(paren):
            leerling = await uow.leerlingen.op_pseudoniemen(actor, [oud])
            if leerling is None:
                fouten.append(
                    FieldError(f"wijzigingen[{i}].oud", "onbekend", "Geen leerling met deze code.")
                )
            else:
                gevonden.append((i, leerling, nieuw))
        if fouten:
            raise InvalidInput(fouten)
        for i, leerling, nieuw in gevonden:
            uit.append(await _hernummer(uow, actor, leerling, nieuw, f"wijzigingen[{i}].nieuw"))
        uow.getoond = [h.leerling_id for h in uit]
        await uow.commit()
        return uit


async def _hernummer(
    uow: UnitOfWork, actor: Actor, leerling: LeerlingRow, nieuw: str, veld: str
) -> Hernummering:
    swv_id = uuid.UUID(actor.swv_id)
    if not PSEUDONIEM.match(nieuw):
        raise InvalidInput(
            [FieldError(veld, "ongeldig", "4 tot 40 letters, cijfers of streepjes.")]
        )
    if nieuw == leerling.pseudoniem:
        for eerder in await uow.monitor.aliassen_van(leerling.id):
            if eerder.nieuw_pseudoniem == nieuw:  # the same renumbering again: idempotent
                return Hernummering(leerling.id, eerder.pseudoniem, nieuw)
        raise InvalidInput([FieldError(veld, "ongewijzigd", "Dit is al de pseudoniemcode.")])
    if await uow.monitor.pseudoniem_in_gebruik(swv_id, nieuw):
        raise Conflict("Deze pseudoniemcode is (of was) in dit samenwerkingsverband in gebruik.")
    oud = leerling.pseudoniem
    alias = PseudoniemAliasRow(
        swv_id=swv_id,
        leerling_id=leerling.id,
        pseudoniem=oud,
        nieuw_pseudoniem=nieuw,
        gewijzigd_op=await uow.klok(),
        gewijzigd_door=actor.id,
    )
    await uow.monitor.hernummer(leerling, alias)
    return Hernummering(leerling.id, oud, nieuw)


async def aliassen(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID
) -> list[PseudoniemAliasRow]:
    """A child's earlier pseudonyms, oldest first."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        rows = await uow.monitor.aliassen_van(leerling.id)
        uow.getoond = [leerling.id]
        await uow.commit()
        return list(rows)


# -- recording the delivery through the Inspectie's portal -----------------------------------


async def lever(
    uow: UnitOfWork,
    actor: Actor,
    indiening_id: uuid.UUID,
    *,
    geleverd_op: date,
    geleverd_door: str,
    referentie: str,
) -> LeveringRow:
    """Record that a submitted register was delivered through the Inspectie's portal: once per
    submission; a corrected re-delivery is a new submission with its own record (regel 19)."""
    async with uow.voor(actor):
        swv_id = uuid.UUID(actor.swv_id)
        indiening = await uow.rapportage.indiening(swv_id, indiening_id)
        if indiening is None:
            raise NotFound("Deze indiening bestaat niet.")
        if geleverd_op < indiening.bekend_op.date():
            raise InvalidInput(
                [FieldError("geleverdOp", "te_vroeg", "Ligt voor het moment van indienen.")]
            )
        if geleverd_op > (await uow.klok()).date():
            raise InvalidInput([FieldError("geleverdOp", "toekomst", "Ligt in de toekomst.")])
        eerder = await uow.monitor.levering(indiening.id)
        if eerder is not None:
            if (eerder.geleverd_op, eerder.geleverd_door, eerder.referentie) == (
                geleverd_op,
                geleverd_door,
                referentie,
            ):  # the same record again: idempotent
                await uow.commit()
                return eerder
            raise Conflict("Deze indiening is al als geleverd vastgelegd; dat blijft zo.")
        row = LeveringRow(
            swv_id=swv_id,
            indiening_id=indiening.id,
            geleverd_op=geleverd_op,
            geleverd_door=geleverd_door,
            referentie=referentie,
            vastgelegd_op=await uow.klok(),
            vastgelegd_door=actor.id,
        )
        await uow.monitor.voeg_levering_toe(row)
        await uow.commit()
        return row


async def leveringen(uow: UnitOfWork, actor: Actor) -> list[LeveringRow]:
    """Every recorded delivery of the SWV, by peildatum, first delivery first."""
    async with uow.voor(actor):
        rows = list(await uow.monitor.leveringen(uuid.UUID(actor.swv_id)))
        await uow.commit()
        return rows


def lees_omzetting(tekst: str) -> list[tuple[str, str]]:
    """A renumbering file: one ``oud;nieuw`` pair a line (``,`` also), an optional header line
    ``oud;nieuw``, blank lines skipped; every malformed line listed, never its content."""
    paren: list[tuple[str, str]] = []
    fouten: list[FieldError] = []
    for nummer, regel in enumerate(tekst.lstrip("\ufeff").splitlines(), start=1):
        delen = [d.strip() for d in regel.replace(",", ";").split(";")]
        if delen == [""] or (nummer == 1 and [d.lower() for d in delen] == ["oud", "nieuw"]):
            continue
        if len(delen) != 2 or not all(PSEUDONIEM.match(d) for d in delen):
            fouten.append(FieldError(f"regel {nummer}", "ongeldig", "Verwacht oud;nieuw."))
            continue
        paren.append((delen[0], delen[1]))
    if fouten or not paren:
        raise InvalidInput(fouten or [FieldError("bestand", "leeg", "Geen omzettingen.")])
    return paren
