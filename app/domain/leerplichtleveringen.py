"""Leerplicht deliveries: items of absoluut verzuim, vrijstelling, besluit 11g and
administratieve onvolkomenheid, read per item and turned into the register's ordinary facts.

An item that cannot be read is refused on its own (the rest of the delivery is processed); its
problems name fields, never the submitted values. A situation holds from ``vanaf``; ``einde`` is
the first day it no longer holds (half-open, as every fact of the register).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.feiten import FeitSoort, Veldprobleem, VrijstellingGrond
from app.domain.identiteit import is_geldig_bsn
from app.domain.toegang import Rol


class Modus(StrEnum):
    """A delta (only what changed) or a snapshot (everything running on a peildatum)."""

    DELTA = "delta"
    SNAPSHOT = "snapshot"


class ItemSoort(StrEnum):
    """What leerplicht reports about a child (LPW art. 5, 5a, 11 onder g, 15; regel 7, 8, 11)."""

    ABSOLUUT_VERZUIM = "absoluut-verzuim"
    VRIJSTELLING = "vrijstelling"
    BESLUIT_11G = "besluit-11g"
    ADMINISTRATIEVE_ONVOLKOMENHEID = "administratieve-onvolkomenheid"


class Uitkomst(StrEnum):
    """What the register did with one item."""

    AANGEMAAKT = "aangemaakt"
    BIJGEWERKT = "bijgewerkt"
    ONGEWIJZIGD = "ongewijzigd"
    AFGEWEZEN = "afgewezen"


class LeveringStatus(StrEnum):
    """Where a delivery stands: received, being processed, done, or failed (resumable)."""

    ONTVANGEN = "ontvangen"
    IN_VERWERKING = "in-verwerking"
    VERWERKT = "verwerkt"
    MISLUKT = "mislukt"


KOLOMMEN: tuple[str, ...] = (
    "referentie",
    "soort",
    "vanaf",
    "einde",
    "grond",
    "totEnMet",
    "geboortejaar",
    "geboortemaand",
    "woongemeente",
    "regio",
    "schoolId",
    "bsn",
)
"""The fields of an item, in the column order of the CSV layout (docs/leerplichtleveringen.md)."""

MELDER = "leerplicht"
"""The `melder` of a `niet-ingeschreven` fact that leerplicht delivered (its BRP-BRON check)."""

MAX_DAGEN_VOORUIT = 366
"""An item may be about a date at most this far ahead (as a single reported fact)."""

_REFERENTIE = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_GEMEENTE = re.compile(r"^GM[0-9]{4}$")
_REGIO = ("noord", "midden", "zuid")


@dataclass(frozen=True, slots=True)
class Item:
    """One readable item of a delivery."""

    referentie: str
    soort: ItemSoort
    vanaf: date
    einde: date | None = None
    grond: VrijstellingGrond | None = None
    tot_en_met: date | None = None
    geboortejaar: int | None = None
    geboortemaand: int | None = None
    woongemeente: str | None = None
    regio: str | None = None
    school_id: uuid.UUID | None = None
    bsn: str | None = None


class OngeldigItem(ValueError):
    """An item that cannot be read; lists every field problem, never a submitted value."""

    def __init__(self, problemen: list[Veldprobleem]) -> None:
        super().__init__("; ".join(f"{p.veld}: {p.probleem}" for p in problemen))
        self.problemen = tuple(problemen)


def _leeg(waarde: object) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


def _datum(ruw: Mapping[str, object], veld: str, problemen: list[Veldprobleem]) -> date | None:
    waarde = ruw.get(veld)
    if _leeg(waarde):
        return None
    if isinstance(waarde, str) and len(waarde.strip()) == 10:
        try:
            return date.fromisoformat(waarde.strip())
        except ValueError:
            pass
    problemen.append(Veldprobleem(veld, "moet een datum zijn (JJJJ-MM-DD)"))
    return None


def _getal(
    ruw: Mapping[str, object], veld: str, laag: int, hoog: int, problemen: list[Veldprobleem]
) -> int | None:
    waarde = ruw.get(veld)
    if _leeg(waarde):
        return None
    getal: int | None = None
    if isinstance(waarde, int) and not isinstance(waarde, bool):
        getal = waarde
    elif isinstance(waarde, str) and waarde.strip().isascii() and waarde.strip().isdigit():
        getal = int(waarde.strip())
    if getal is None or not laag <= getal <= hoog:
        problemen.append(Veldprobleem(veld, f"moet een geheel getal van {laag} tot {hoog} zijn"))
        return None
    return getal


def _tekst(ruw: Mapping[str, object], veld: str, problemen: list[Veldprobleem]) -> str | None:
    waarde = ruw.get(veld)
    if _leeg(waarde):
        return None
    if not isinstance(waarde, str):
        problemen.append(Veldprobleem(veld, "moet tekst zijn"))
        return None
    return waarde.strip()


def lees_item(ruw: Mapping[str, object], vandaag: date, *, geidentificeerd: bool) -> Item:
    """Read one delivered item; raises OngeldigItem listing every field problem (NL API Design
    Rules: all errors, no values). A BSN only where the SWV works identified (UAVG art. 46)."""
    problemen: list[Veldprobleem] = [
        Veldprobleem(veld, "onbekend veld") for veld in ruw if veld not in KOLOMMEN
    ]
    referentie = _tekst(ruw, "referentie", problemen)
    if _leeg(ruw.get("referentie")):
        problemen.append(Veldprobleem("referentie", "ontbreekt"))
    elif referentie is not None and not _REFERENTIE.match(referentie):
        problemen.append(
            Veldprobleem("referentie", "1 tot 64 tekens: letters, cijfers en . _ : / -")
        )
    soort_tekst = _tekst(ruw, "soort", problemen) or ""
    soort: ItemSoort | None = None
    if soort_tekst in ItemSoort._value2member_map_:
        soort = ItemSoort(soort_tekst)
    else:
        toegestaan = ", ".join(s.value for s in ItemSoort)
        problemen.append(Veldprobleem("soort", f"moet een van deze waarden zijn: {toegestaan}"))
    situatie = _lees_situatie(ruw, soort, vandaag, problemen)
    persoon = _lees_persoon(ruw, vandaag, problemen, geidentificeerd=geidentificeerd)
    if problemen or referentie is None or soort is None or situatie.vanaf is None:
        raise OngeldigItem(problemen)
    return Item(
        referentie=referentie,
        soort=soort,
        vanaf=situatie.vanaf,
        einde=situatie.einde,
        grond=situatie.grond,
        tot_en_met=situatie.tot_en_met,
        geboortejaar=persoon.geboortejaar,
        geboortemaand=persoon.geboortemaand,
        woongemeente=persoon.woongemeente,
        regio=persoon.regio,
        school_id=situatie.school_id,
        bsn=persoon.bsn,
    )


@dataclass(frozen=True, slots=True)
class _Situatie:
    vanaf: date | None
    einde: date | None
    grond: VrijstellingGrond | None
    tot_en_met: date | None
    school_id: uuid.UUID | None


def _lees_situatie(
    ruw: Mapping[str, object],
    soort: ItemSoort | None,
    vandaag: date,
    problemen: list[Veldprobleem],
) -> _Situatie:
    vanaf = _datum(ruw, "vanaf", problemen)
    if _leeg(ruw.get("vanaf")):
        problemen.append(Veldprobleem("vanaf", "ontbreekt"))
    einde = _datum(ruw, "einde", problemen)
    tot_en_met = _datum(ruw, "totEnMet", problemen)
    grens = vandaag + timedelta(days=MAX_DAGEN_VOORUIT)
    for veld, datum in (("vanaf", vanaf), ("einde", einde), ("totEnMet", tot_en_met)):
        if datum is not None and not date(1990, 1, 1) <= datum <= grens:
            problemen.append(Veldprobleem(veld, "ligt voor 1990 of meer dan een jaar vooruit"))
    if vanaf is not None and einde is not None and einde <= vanaf:
        problemen.append(Veldprobleem("einde", "moet na vanaf liggen"))
    grond_tekst = _tekst(ruw, "grond", problemen)
    grond: VrijstellingGrond | None = None
    if grond_tekst is not None:
        if grond_tekst in VrijstellingGrond._value2member_map_:
            grond = VrijstellingGrond(grond_tekst)
        else:
            toegestaan = ", ".join(g.value for g in VrijstellingGrond)
            problemen.append(Veldprobleem("grond", f"moet een van deze waarden zijn: {toegestaan}"))
    school_tekst = _tekst(ruw, "schoolId", problemen)
    school_id: uuid.UUID | None = None
    if school_tekst is not None:
        try:
            school_id = uuid.UUID(school_tekst)
        except ValueError:
            problemen.append(Veldprobleem("schoolId", "moet een vestiging-id (UUID) zijn"))
    if soort is ItemSoort.VRIJSTELLING and grond_tekst is None:
        problemen.append(Veldprobleem("grond", "ontbreekt bij een vrijstelling"))
    if soort is not None and soort is not ItemSoort.VRIJSTELLING and grond_tekst is not None:
        problemen.append(Veldprobleem("grond", "hoort alleen bij een vrijstelling"))
    if soort is ItemSoort.ADMINISTRATIEVE_ONVOLKOMENHEID:
        if _leeg(ruw.get("totEnMet")):
            problemen.append(Veldprobleem("totEnMet", "ontbreekt bij een onvolkomenheid"))
        if vanaf is not None and tot_en_met is not None and tot_en_met < vanaf:
            problemen.append(Veldprobleem("totEnMet", "mag niet voor vanaf liggen"))
        if not _leeg(ruw.get("einde")):
            problemen.append(Veldprobleem("einde", "een onvolkomenheid eindigt met totEnMet"))
    elif soort is not None and not _leeg(ruw.get("totEnMet")):
        problemen.append(Veldprobleem("totEnMet", "hoort alleen bij een onvolkomenheid"))
    if soort is ItemSoort.ABSOLUUT_VERZUIM and einde is not None and school_tekst is None:
        problemen.append(
            Veldprobleem(
                "schoolId", "het einde van absoluut verzuim is een inschrijving: noem de vestiging"
            )
        )
    return _Situatie(vanaf, einde, grond, tot_en_met, school_id)


@dataclass(frozen=True, slots=True)
class _Persoon:
    geboortejaar: int | None
    geboortemaand: int | None
    woongemeente: str | None
    regio: str | None
    bsn: str | None


def _lees_persoon(
    ruw: Mapping[str, object],
    vandaag: date,
    problemen: list[Veldprobleem],
    *,
    geidentificeerd: bool,
) -> _Persoon:
    geboortejaar = _getal(ruw, "geboortejaar", 1990, 2100, problemen)
    geboortemaand = _getal(ruw, "geboortemaand", 1, 12, problemen)
    if geboortejaar is not None and not 2 <= vandaag.year - geboortejaar <= 24:
        problemen.append(Veldprobleem("geboortejaar", "geen leeftijd voor school (2 tot 24)"))
    woongemeente = _tekst(ruw, "woongemeente", problemen)
    if woongemeente is not None and not _GEMEENTE.match(woongemeente):
        problemen.append(Veldprobleem("woongemeente", "moet een CBS-code zijn (GM en 4 cijfers)"))
    regio = _tekst(ruw, "regio", problemen)
    if regio is not None and regio not in _REGIO:
        problemen.append(Veldprobleem("regio", "moet noord, midden of zuid zijn"))
    bsn = _tekst(ruw, "bsn", problemen)
    if bsn is not None:
        if not geidentificeerd:
            problemen.append(
                Veldprobleem(
                    "bsn", "niet toegestaan: dit samenwerkingsverband werkt gepseudonimiseerd"
                )
            )
        elif not is_geldig_bsn(bsn):
            problemen.append(Veldprobleem("bsn", "geen geldig BSN (elfproef)"))
    return _Persoon(geboortejaar, geboortemaand, woongemeente, regio, bsn)


def registratie_problemen(item: Item) -> list[Veldprobleem]:
    """What an item lacks to register a new child with leerplicht as source: birth year and
    month, woongemeente and vakantieregio (as a registration asks; docs/domain.md, privacy)."""
    velden = (
        ("geboortejaar", item.geboortejaar),
        ("geboortemaand", item.geboortemaand),
        ("woongemeente", item.woongemeente),
        ("regio", item.regio),
    )
    return [
        Veldprobleem(veld, "ontbreekt om een nieuwe leerling te registreren")
        for veld, waarde in velden
        if waarde is None
    ]


@dataclass(frozen=True, slots=True)
class Feitopdracht:
    """A fact an item appends: its kind, date, payload (the fact's fields as the register stores
    them) and its key per source, so a resent item appends nothing."""

    soort: FeitSoort
    geldig_vanaf: date
    gegevens: dict[str, object]
    sleutel: str
    school_id: uuid.UUID | None = None


def feiten_van(item: Item) -> tuple[Feitopdracht, ...]:
    """The ordinary facts of an item (regel 7, 8, 11): absoluut verzuim is `niet-ingeschreven`
    and ends in an `inschrijving`; a vrijstelling and a besluit 11g start and end with their own
    facts; an onvolkomenheid is one fact with its last day."""
    basis = f"lpl:{item.referentie}:{item.soort}:{item.grond or ''}:{item.vanaf.isoformat()}"
    einde = f"{basis}:einde"
    if item.soort is ItemSoort.ADMINISTRATIEVE_ONVOLKOMENHEID:
        assert item.tot_en_met is not None  # noqa: S101 (lees_item requires it)
        return (
            Feitopdracht(
                FeitSoort.ADMINISTRATIEVE_ONVOLKOMENHEID,
                item.vanaf,
                {"tot_en_met": item.tot_en_met.isoformat()},
                basis,
            ),
        )
    if item.soort is ItemSoort.VRIJSTELLING:
        assert item.grond is not None  # noqa: S101 (lees_item requires it)
        start = Feitopdracht(
            FeitSoort.VRIJSTELLING_VERLEEND, item.vanaf, {"grond": str(item.grond)}, basis
        )
        if item.einde is None:
            return (start,)
        return (
            start,
            Feitopdracht(
                FeitSoort.VRIJSTELLING_BEEINDIGD, item.einde, {"grond": str(item.grond)}, einde
            ),
        )
    if item.soort is ItemSoort.BESLUIT_11G:
        start = Feitopdracht(FeitSoort.BESLUIT_11G, item.vanaf, {}, basis)
        if item.einde is None:
            return (start,)
        return (start, Feitopdracht(FeitSoort.BESLUIT_11G_BEEINDIGD, item.einde, {}, einde))
    start = Feitopdracht(FeitSoort.NIET_INGESCHREVEN, item.vanaf, {"melder": MELDER}, basis)
    if item.einde is None:
        return (start,)
    assert item.school_id is not None  # noqa: S101 (lees_item requires it)
    return (
        start,
        Feitopdracht(
            FeitSoort.INSCHRIJVING,
            item.einde,
            {"vestiging": str(item.school_id)},
            einde,
            item.school_id,
        ),
    )


def open_einde(item: Item) -> date | None:
    """The first day the item's situation no longer holds, as far as the item says (an
    onvolkomenheid: the day after its last day); None while it runs."""
    if item.tot_en_met is not None:
        return item.tot_en_met + timedelta(days=1)
    return item.einde


# -- koppelvoorstel: a person decides whether leerplicht's child is a school's child -----------


class VoorstelStatus(StrEnum):
    """States of a koppelvoorstel (pseudonymous mode: same birth year, month and gemeente)."""

    VOORGESTELD = "voorgesteld"
    GEACCEPTEERD = "geaccepteerd"
    AFGEWEZEN = "afgewezen"


class Besluit(StrEnum):
    """What the regisseur decides on a koppelvoorstel."""

    ACCEPTEREN = "accepteren"
    AFWIJZEN = "afwijzen"


@dataclass(frozen=True, slots=True)
class Weigering:
    """A transition the koppelvoorstel does not allow, with its reason (Dutch, for the caller)."""

    reden: str


BESLISSERS = frozenset({Rol.REGISSEUR})
"""Who decides a koppelvoorstel: the regisseur thuiszitters (the meldpunt of the SWV)."""


def beslis(
    status: VoorstelStatus, besluit: Besluit, rol: Rol, vandaag: date
) -> VoorstelStatus | Weigering:
    """A koppelvoorstel is decided once, by a person in a deciding role (the regisseur)."""
    del vandaag  # no deadline applies to this decision (yet)
    if rol not in BESLISSERS:
        return Weigering("Alleen de regisseur thuiszitters beslist over een koppelvoorstel.")
    if status is not VoorstelStatus.VOORGESTELD:
        return Weigering("Over dit koppelvoorstel is al beslist.")
    if besluit is Besluit.ACCEPTEREN:
        return VoorstelStatus.GEACCEPTEERD
    return VoorstelStatus.AFGEWEZEN
