"""The workflow melding: a school or leerplicht reports a child, the SWV takes it in.

States `ontvangen` → `toegewezen` → `geregistreerd` (beperkt) or `casus-geopend` (uitgebreid,
dreigend) → `afgesloten` (with a reason of docs/domain.md regel 16). A melding never changes a
category itself: it appends the ordinary facts its content states (`feiten_van_melding`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.domain.feiten import Beeindigingsreden, FeitSoort, Veldprobleem
from app.domain.toegang import Rol


class MeldingSoort(StrEnum):
    """Kinds of melding (aanpak thuiszitters §1.4, Regioloket)."""

    BEPERKT = "beperkt"
    UITGEBREID = "uitgebreid"
    DREIGEND = "dreigend"


class Aard(StrEnum):
    """The nature of the reported absence (meldingsformulier, aanpak thuiszitters bijlage 2)."""

    ONGEOORLOOFD = "ongeoorloofd"
    GEOORLOOFD_ZIEK = "geoorloofd-ziek"
    ONBEPAALD = "onbepaald"


class GevraagdeActie(StrEnum):
    """What an uitgebreide melding asks of the SWV (Regioloket)."""

    MEEDENKEN = "meedenken"
    TLV_AANVRAAG = "tlv-aanvraag"
    DOORBRAAKOVERLEG = "doorbraakoverleg"
    ADVIES = "advies"


class MeldingStatus(StrEnum):
    ONTVANGEN = "ontvangen"
    TOEGEWEZEN = "toegewezen"
    GEREGISTREERD = "geregistreerd"
    CASUS_GEOPEND = "casus-geopend"
    AFGESLOTEN = "afgesloten"


class MeldingActie(StrEnum):
    TOEWIJZEN = "toewijzen"
    REGISTREREN = "registreren"
    CASUS_OPENEN = "casus-openen"
    AFSLUITEN = "afsluiten"


BEHANDELAARS = frozenset({Rol.REGISSEUR, Rol.BEGELEIDER})
"""Who takes a melding in: the regisseur thuiszitters or a begeleider passend onderwijs."""

MELDERS = frozenset(
    {Rol.SCHOOLMEDEWERKER, Rol.SCHOOLSYSTEEM, Rol.LEERPLICHTAMBTENAAR, Rol.LEERPLICHTSYSTEEM}
    | BEHANDELAARS
)
"""Who may send a melding: schools and their systems, leerplicht, and the SWV itself."""

CONTACT_WERKDAGEN = 5
"""Default days to contact the melder after assignment: a choice (SWV setting)."""

MELDING_TE_LAAT_DAG = 29
"""Day of unexcused absence from which a missing melding is a signal (more than 4 weeks)."""


@dataclass(frozen=True, slots=True)
class Weigering:
    """A transition the machine refuses, with the reason in Dutch."""

    reden: str


def overgang(
    status: MeldingStatus,
    actie: MeldingActie,
    rol: Rol,
    soort: MeldingSoort,
    *,
    reden: Beeindigingsreden | None = None,
) -> MeldingStatus | Weigering:
    """The melding's next state, or why not (aanpak thuiszitters §1.4, §2.1; regel 16)."""
    if status is MeldingStatus.AFGESLOTEN:
        return Weigering("De melding is afgesloten.")
    if rol not in BEHANDELAARS:
        return Weigering("Alleen de regisseur of een begeleider behandelt meldingen.")
    if actie is MeldingActie.TOEWIJZEN:
        if status in (MeldingStatus.ONTVANGEN, MeldingStatus.TOEGEWEZEN):
            return MeldingStatus.TOEGEWEZEN
        return Weigering("Alleen een ontvangen of toegewezen melding wordt (opnieuw) toegewezen.")
    if actie is MeldingActie.AFSLUITEN:
        if reden is None:
            return Weigering("Afsluiten vraagt een reden.")
        return MeldingStatus.AFGESLOTEN
    if status is not MeldingStatus.TOEGEWEZEN:
        return Weigering("Wijs de melding eerst toe.")
    if actie is MeldingActie.REGISTREREN:
        if soort is MeldingSoort.BEPERKT:
            return MeldingStatus.GEREGISTREERD
        return Weigering("Een uitgebreide of dreigende melding krijgt een casus.")
    if soort is MeldingSoort.BEPERKT:
        return Weigering("Een beperkte melding wordt geregistreerd, zonder casus.")
    return MeldingStatus.CASUS_GEOPEND


@dataclass(frozen=True, slots=True)
class FeitVoorstel:
    """A fact the melding states, to append in the same transaction."""

    soort: FeitSoort
    geldig_vanaf: date
    gegevens: dict[str, Any]


def feiten_van_melding(
    aard: Aard | None, begin: date | None, einde: date | None
) -> list[FeitVoorstel]:
    """The facts a melding's absence states: unexcused → verzuim, sick → ziekmelding, unknown
    nature → `verzuim-gemeld` (docs/domain.md regels 3, 5, 13)."""
    if aard is None or begin is None:
        return []
    if aard is Aard.ONGEOORLOOFD:
        feiten = [FeitVoorstel(FeitSoort.VERZUIM_GESTART, begin, {})]
        if einde is not None:
            feiten.append(FeitVoorstel(FeitSoort.VERZUIM_BEEINDIGD, einde, {}))
        return feiten
    if aard is Aard.GEOORLOOFD_ZIEK:
        feiten = [FeitVoorstel(FeitSoort.ZIEKMELDING, begin, {"door_ouders": True})]
        if einde is not None:
            feiten.append(FeitVoorstel(FeitSoort.ZIEKMELDING_BEEINDIGD, einde, {}))
        return feiten
    gegevens = {"einde": einde.isoformat()} if einde is not None else {}
    return [FeitVoorstel(FeitSoort.VERZUIM_GEMELD, begin, gegevens)]


def controleer_melding(
    soort: MeldingSoort,
    aard: Aard | None,
    begin: date | None,
    einde: date | None,
    gevraagde_acties: tuple[GevraagdeActie, ...],
) -> list[Veldprobleem]:
    """What a melding of this kind must hold (meldingsformulier, Regioloket); never the values."""
    problemen: list[Veldprobleem] = []
    if soort is MeldingSoort.BEPERKT:
        if begin is None:
            problemen.append(Veldprobleem("verzuimBegin", "ontbreekt bij een beperkte melding"))
        if aard is None:
            problemen.append(Veldprobleem("aard", "ontbreekt bij een beperkte melding"))
    if soort is MeldingSoort.UITGEBREID and not gevraagde_acties:
        problemen.append(
            Veldprobleem("gevraagdeActies", "een uitgebreide melding vraagt minstens één actie")
        )
    if (aard is None) != (begin is None) and soort is not MeldingSoort.BEPERKT:
        problemen.append(Veldprobleem("aard", "geef verzuimBegin en aard samen"))
    if einde is not None and (begin is None or einde <= begin):
        problemen.append(Veldprobleem("verzuimEinde", "ligt niet na verzuimBegin"))
    return problemen


def contact_uiterlijk(
    toegewezen_op: date, werkdagen: int, is_werkdag: Callable[[date], bool]
) -> date:
    """The day by which the assignee contacts the melder: `werkdagen` working days after
    assignment, school holidays skipped where known (a choice; SWV setting)."""
    dag = toegewezen_op
    over = werkdagen
    while over > 0:
        dag += timedelta(days=1)
        if is_werkdag(dag):
            over -= 1
    return dag


def is_weekdag(dag: date) -> bool:
    """Monday to Friday: the working days when no holiday calendar covers the date."""
    return dag.weekday() < 5


def melding_te_laat(verzuim_sinds: date | None, peildatum: date, gemeld: bool) -> bool:
    """Signal `melding-te-laat`: unexcused absence reached day 29 and the school sent no
    melding (aanpak thuiszitters actielijst, docs/domain.md regel 5)."""
    if verzuim_sinds is None or gemeld:
        return False
    return (peildatum - verzuim_sinds).days + 1 >= MELDING_TE_LAAT_DAG
