"""The SWV's own monitor (seed 004): one row per child per peildatum, as known on a moment.

For the SWV's own use and its schools' boards (`rapport:swv`), never part of the Inspectie
delivery: klas, niveau and woonplaats appear here and never in the Inspectie export. Computed by
the pure domain (app/domain/monitor.py) from the facts, batch by batch; every child shown is
recorded in the request's audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.db.session import UnitOfWork
from app.domain.monitor import MonitorRij, monitor_rijen
from app.domain.rapportage import KindGegevens, RegisterKop, register_kop
from app.domain.toegang import Actor
from app.services import context, rapportage
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
"""The monitor's columns (seed 004's list); docs/rapportage.md explains each."""


@dataclass(frozen=True, slots=True)
class Monitor:
    """The monitor on a peildatum: the header (window, as known on) and rows by pseudonym."""

    kop: RegisterKop
    rijen: tuple[MonitorRij, ...]


async def monitor(
    uow: UnitOfWork, actor: Actor, *, peildatum: date, bekend_op: datetime | None
) -> Monitor:
    """The SWV's monitor on a peildatum as known on `bekend_op` (seed 004)."""
    async with uow.voor(actor):
        swv = await context.swv_context(uow, actor, bekend_op=bekend_op)
        beleid, kalender = swv.beleid, swv.kalender
        kop = register_kop(peildatum, bekend_op=bekend_op, peildata=swv.peildata)

        def bereken(kinderen: Iterable[KindGegevens]) -> list[tuple[str, MonitorRij]]:
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
