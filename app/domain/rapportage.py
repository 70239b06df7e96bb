"""The quarterly Inspectie register, its summary and the SWV's fuller overview.

Pure functions of the facts: ``f(kinderen, beleid, peildatum, bekend_op) -> report``. No clock; no
I/O. Every ordering is fixed (rows by pseudonym, counts in a declared key order) so that the same
facts give the same report, byte for byte once written (``app/services/exports.py``).
Decisions where the sources are silent are explained in ``docs/rapportage.md``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.beleid import Beleid, telt_als_aanbod
from app.domain.classificatie import LANDELIJKE_THUISZITTERS, VERZUIM, Categorie, inspectie_code
from app.domain.datums import plus_maanden, schooljaar_eindjaar
from app.domain.feiten import (
    AanbodBeeindigd,
    AanbodGestart,
    AanbodSoort,
    Beeindigingsreden,
    Feit,
    Hervatting,
    OnderwijsHervat,
    SoortThuiszitter,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.kenmerken import is_naam, kenmerken_op
from app.domain.leerling import Geboorte, Leerling
from app.domain.regio import Vakantiekalender
from app.domain.status import Signaal, bepaal_status
from app.domain.tijdlijn import Tijdlijn, Tijdvak, bepaal_tijdlijn, geldende_feiten

_DAG = timedelta(days=1)

# -- peildata (Aanpak thuiszitters, docs/rapportage.md) ---------------------------


@dataclass(frozen=True, slots=True)
class Peildata:
    """An SWV's peildata per school year as (month, day), in order, and the delivery day.

    Each peildatum is the first occurrence of its (month, day) after the previous one, starting
    on 1 August: with the default the school year ending in 2025 has 1 Dec 2024, 1 Mar, 1 Jun and
    1 Sep 2025. The last one (1 September) closes the school year that ended on 31 July.
    """

    dagen: tuple[tuple[int, int], ...] = ((12, 1), (3, 1), (6, 1), (9, 1))
    leverdag: int = 15
    cumulatief_vanaf: date | None = None
    """The register's window: None counts the school year (regel 19); a date counts every
    school year since it (regel 19), docs/rapportage.md."""

    def __post_init__(self) -> None:
        if not self.dagen:
            raise ValueError("minstens één peildatum per schooljaar")
        for maand, dag in self.dagen:
            date(2001, maand, dag)  # raises ValueError for a day that does not exist
        if not 1 <= self.leverdag <= 28:
            raise ValueError("leverdag moet 1 tot en met 28 zijn")
        if self.van_schooljaar(2002)[-1] >= date(2002, 12, 1):
            raise ValueError("peildata liggen vóór 1 december na het einde van het schooljaar")

    def van_schooljaar(self, eindjaar: int) -> tuple[date, ...]:
        """The peildata of the school year ending 31 July ``eindjaar`` (Aanpak thuiszitters)."""
        uit: list[date] = []
        vorige = date(eindjaar - 1, 7, 31)
        for maand, dag in self.dagen:
            kandidaat = date(vorige.year, maand, dag)
            if kandidaat <= vorige:
                kandidaat = date(vorige.year + 1, maand, dag)
            uit.append(kandidaat)
            vorige = kandidaat
        return tuple(uit)

    def schooljaar(self, peildatum: date) -> int:
        """The school year (its end year) a peildatum reports on: the closing one counts back."""
        eindjaar = schooljaar_eindjaar(peildatum)
        if peildatum in self.van_schooljaar(eindjaar - 1):
            return eindjaar - 1
        return eindjaar

    def vorige(self, peildatum: date) -> date:
        """The last peildatum of this policy strictly before ``peildatum``."""
        eindjaar = schooljaar_eindjaar(peildatum)
        jaren = (eindjaar - 2, eindjaar - 1, eindjaar)
        return max(d for j in jaren for d in self.van_schooljaar(j) if d < peildatum)

    def uiterste_leverdatum(self, peildatum: date) -> date:
        """Delivery deadline: the first ``leverdag`` of a month on or after the peildatum."""
        kandidaat = peildatum.replace(day=self.leverdag)
        if kandidaat < peildatum:
            kandidaat = plus_maanden(kandidaat, 1)
        return kandidaat


STANDAARD_PEILDATA = Peildata()

# -- the input -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LeerlingVoorRapport:
    """One child as the reports need it: the domain's ``Leerling`` and facts, plus context.

    ``pseudoniem`` is the code the SWV shows the Inspectie (Definities thuiszitters: e.g. 231801).
    ``vestiging`` and ``gemeente`` only feed the SWV's aggregates. ``soort`` and ``jeugdhulp``
    given here win over the kenmerk facts (``app/domain/kenmerken.py``), which fill them
    otherwise.
    """

    leerling: Leerling
    feiten: Sequence[Feit]
    pseudoniem: str
    vestiging: str | None = None
    gemeente: str | None = None
    soort: SoortThuiszitter | None = None
    jeugdhulp: str | None = None

    def __post_init__(self) -> None:
        if not self.pseudoniem:
            raise ValueError("pseudoniem mag niet leeg zijn")
        if self.jeugdhulp is not None and (not is_naam(self.jeugdhulp, 80)):
            # An organisation name, not a note: digits runs or e-mail addresses could identify.
            raise ValueError("jeugdhulp: naam van een organisatie, hoogstens 80 tekens")


# -- the register ----------------------------------------------------------------------------


class Typering(StrEnum):
    """Typing of a row (Definities thuiszitters): thuiszitter, absoluut verzuimer, vrijstelling."""

    THUISZITTER = "thuiszitter"
    ABSOLUUT_VERZUIMER = "absoluut-verzuimer"
    VRIJSTELLING = "vrijstelling"


class Duurklasse(StrEnum):
    """Duration bucket of an episode in calendar time (Aanpak thuiszitters Bijlage 1)."""

    TOT_4_WEKEN = "tot-4-weken"
    VIER_WEKEN_TOT_3_MAANDEN = "4-weken-tot-3-maanden"
    LANGER_DAN_3_MAANDEN = "langer-dan-3-maanden"


class Leeftijdsgroep(StrEnum):
    """Age groups of the summary: primary, lower secondary, kwalificatieplicht age, adult."""

    TOT_12 = "4-11"
    TOT_16 = "12-15"
    TOT_18 = "16-17"
    VANAF_18 = "18+"


class Mutatie(StrEnum):
    """A row compared with the previous peildatum's register (by pseudonym)."""

    NIEUW = "nieuw"
    LOPEND = "lopend"
    BEEINDIGD = "beeindigd"
    EERDER_BEEINDIGD = "eerder-beeindigd"


INSPECTIE_CATEGORIEEN: tuple[Categorie, ...] = (
    Categorie.B2A,
    Categorie.B2B,
    Categorie.B3,
    Categorie.A2A,
)
"""The national definition plus art. 5 onder a (Inspectie, Thuiszittersregistratie)."""

_TYPERING = {
    Categorie.B2A: Typering.THUISZITTER,
    Categorie.B2B: Typering.THUISZITTER,
    Categorie.B3: Typering.ABSOLUUT_VERZUIMER,
    Categorie.A2A: Typering.VRIJSTELLING,
}
_ERNST = {Categorie.A2A: 0, Categorie.B2A: 1, Categorie.B2B: 2, Categorie.B3: 3}
_VRIJGESTELD = frozenset(
    {Categorie.A2A, Categorie.A2B, Categorie.A2C, Categorie.A2_OVERIG, Categorie.C}
)


@dataclass(frozen=True, slots=True)
class InspectieRij:
    """One anonymised child in the register: its latest reported episode in the school year."""

    pseudoniem: str
    leeftijd: int
    categorie_peildatum: Categorie
    hoogste_categorie: Categorie
    verloop: tuple[Categorie, ...]
    typering: Typering
    soort: SoortThuiszitter | None
    startdatum: date
    einddatum: date | None
    duur_dagen: int
    duurklasse: Duurklasse
    ziek_gemeld_door_ouders: bool | None
    aanbod: AanbodSoort | None
    jeugdhulp: str | None
    reden_beeindigd: Beeindigingsreden | None
    pact_overschreden: bool
    aantal_episodes: int

    @property
    def actief(self) -> bool:
        """Still in a reported category on the peildatum."""
        return self.einddatum is None

    @property
    def maand_beeindigd(self) -> str | None:
        """Month (JJJJ-MM) of the first day no longer in the episode (Definities thuiszitters)."""
        return None if self.einddatum is None else self.einddatum.strftime("%Y-%m")

    @property
    def leeftijdsgroep(self) -> Leeftijdsgroep:
        """The summary's age group of this row."""
        return leeftijdsgroep(self.leeftijd)


@dataclass(frozen=True, slots=True)
class RegisterKop:
    """What a register is about: peildatum, the cumulative window and the knowledge moment."""

    peildatum: date
    vanaf: date
    schooljaar: str
    bekend_op: datetime | None


@dataclass(frozen=True, slots=True)
class InspectieRegister:
    """The Inspectie register on a peildatum: the header and the rows sorted by pseudonym."""

    kop: RegisterKop
    rijen: tuple[InspectieRij, ...]


def leeftijd(geboorte: Geboorte, peildatum: date) -> int:
    """Whole years on ``peildatum``; with month precision the birthday is the next month's 1st."""
    jaren = peildatum.year - geboorte.jaar
    if geboorte.dag is None:
        verjaard = peildatum.month > geboorte.maand
    else:  # born on 29 February: 1 March in a common year, as in app/domain/leerplicht.py
        verjaard = (peildatum.month, peildatum.day) >= (geboorte.maand, geboorte.dag)
    return jaren if verjaard else jaren - 1


def leeftijdsgroep(jaren: int) -> Leeftijdsgroep:
    """4-11, 12-15, 16-17, 18+ (docs/rapportage.md); younger children fall in the first."""
    if jaren < 12:
        return Leeftijdsgroep.TOT_12
    if jaren < 16:
        return Leeftijdsgroep.TOT_16
    if jaren < 18:
        return Leeftijdsgroep.TOT_18
    return Leeftijdsgroep.VANAF_18


def duurklasse(start: date, laatste_dag: date) -> Duurklasse:
    """Calendar bucket: more than 28 days, more than 3 months (same days as B2a and B2b)."""
    if laatste_dag >= plus_maanden(start, 3):
        return Duurklasse.LANGER_DAN_3_MAANDEN
    if laatste_dag >= start + timedelta(days=28):
        return Duurklasse.VIER_WEKEN_TOT_3_MAANDEN
    return Duurklasse.TOT_4_WEKEN


@dataclass(slots=True)
class _Episode:
    typering: Typering
    start: date
    perioden: list[Tijdvak] = field(default_factory=list)
    einde: date | None = None  # first day no longer in the episode
    reden: Beeindigingsreden | None = None


def _episodes(perioden: Sequence[Tijdvak], vanaf: date) -> list[_Episode]:
    """Runs of one typing (B2a-B2b together) that touch [vanaf, peildatum], oldest first."""
    uit: list[_Episode] = []
    huidig: _Episode | None = None
    for k, p in enumerate(perioden):
        typering = _TYPERING.get(p.categorie)
        if huidig is not None and typering is not huidig.typering:
            huidig.einde = p.start
            huidig.reden = _reden(huidig, p)
            uit.append(huidig)
            huidig = None
        if typering is None:
            continue
        if huidig is None:
            start = p.start
            if typering is Typering.THUISZITTER:
                j = k  # the absence counts from its first day, the B1 days included (rule 5)
                while j > 0 and perioden[j - 1].categorie is Categorie.B1:
                    j -= 1
                start = perioden[j].start
            huidig = _Episode(typering, start)
        huidig.perioden.append(p)
    if huidig is not None:
        uit.append(huidig)
    return [e for e in uit if e.einde is None or e.einde > vanaf]


def _reden(episode: _Episode, volgende: Tijdvak) -> Beeindigingsreden | None:
    """The reason from the ending fact; else only what the next category says unambiguously."""
    reden = episode.perioden[-1].eindreden
    if reden is not None:
        return reden
    if volgende.categorie is Categorie.B3:
        return Beeindigingsreden.ABSOLUUT_VERZUIMER
    if volgende.categorie in _VRIJGESTELD:
        return Beeindigingsreden.ONTHEFFING_VRIJSTELLING
    return None


def _intervallen(geldend: Sequence[Feit]) -> tuple[list[tuple[date, date | None]], list[Feit]]:
    """Periods of sickness reported by parents, and the offer facts, from the facts in force."""
    ziek: list[tuple[date, date | None]] = []
    open_ziek: Ziekmelding | None = None
    aanbod: list[Feit] = []
    for f in geldend:
        if isinstance(f, Ziekmelding):
            if open_ziek is None:
                open_ziek = f
        elif isinstance(f, ZiekmeldingBeeindigd) or (
            isinstance(f, OnderwijsHervat) and f.hervatting is Hervatting.VOLLEDIG
        ):
            if open_ziek is not None and open_ziek.door_ouders:
                ziek.append((open_ziek.geldig_vanaf, f.geldig_vanaf))
            open_ziek = None
        elif isinstance(f, AanbodGestart | AanbodBeeindigd):
            aanbod.append(f)
    if open_ziek is not None and open_ziek.door_ouders:
        ziek.append((open_ziek.geldig_vanaf, None))
    return ziek, aanbod


def _verzuim_sinds(perioden: Sequence[Tijdvak]) -> date:
    """Day 1 of the absence running on the last day, as ``Status.verzuim_sinds`` (rule 12)."""
    k = len(perioden) - 1
    while k > 0 and perioden[k - 1].categorie in VERZUIM:
        k -= 1
    return perioden[k].start


def _aanbod_op(aanbod: Sequence[Feit], dag: date) -> AanbodGestart | None:
    """The offer running on ``dag``: the last one started and not ended (as the fold does)."""
    lopend: AanbodGestart | None = None
    for f in aanbod:
        if f.geldig_vanaf > dag:
            break
        lopend = f if isinstance(f, AanbodGestart) else None
    return lopend


def aanbod_op(geldend: Sequence[Feit], dag: date) -> AanbodGestart | None:
    """The offer running on ``dag`` among the facts in force, in their order (rules 10, 12)."""
    return _aanbod_op([f for f in geldend if isinstance(f, AanbodGestart | AanbodBeeindigd)], dag)


def inspectie_rij(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    kop: RegisterKop,
    perioden: Sequence[Tijdvak],
    geldend: Sequence[Feit],
) -> InspectieRij | None:
    """The child's register row from its timeline up to the peildatum and its facts in force."""
    return _rij_uit(kind, beleid, kop, perioden, geldend)


def _rij(
    kind: LeerlingVoorRapport, beleid: Beleid, kop: RegisterKop, kalender: Vakantiekalender | None
) -> InspectieRij | None:
    geldend, _problemen = geldende_feiten(kind.feiten, kop.bekend_op)
    tijdlijn = bepaal_tijdlijn(kind.leerling, geldend, beleid, tot=kop.peildatum, kalender=kalender)
    return _rij_uit(kind, beleid, kop, tijdlijn.perioden, geldend)


def _rij_uit(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    kop: RegisterKop,
    perioden: Sequence[Tijdvak],
    geldend: Sequence[Feit],
    *,
    episodes: list[_Episode] | None = None,
    intervallen: tuple[list[tuple[date, date | None]], list[Feit]] | None = None,
) -> InspectieRij | None:
    """The row from the child's timeline up to the peildatum and its facts in force (its
    episodes and intervals given when already known: they do not depend on the peildatum)."""
    peildatum, vanaf = kop.peildatum, kop.vanaf
    if episodes is None:
        episodes = _episodes(perioden, vanaf)
    if not episodes:
        return None
    laatste = episodes[-1]
    verloop: list[Categorie] = []
    for e in episodes:
        for p in e.perioden:
            if not verloop or verloop[-1] is not p.categorie:
                verloop.append(p.categorie)
    hoogste = max(verloop, key=_ERNST.__getitem__)
    categorie = perioden[-1].categorie
    laatste_dag = peildatum if laatste.einde is None else laatste.einde - _DAG
    ziek, aanbod_feiten = _intervallen(geldend) if intervallen is None else intervallen
    ouders: bool | None = None
    if laatste.typering is Typering.THUISZITTER:
        ouders = any(
            s <= laatste_dag and (e is None or e >= laatste.start) for s, e in ziek
        )  # a parental sick report touching the absence (it may have led to it, rule 4)
    aanbod_feit = _aanbod_op(aanbod_feiten, laatste_dag)
    aanbod = None if aanbod_feit is None else aanbod_feit.aanbod
    pact = (
        categorie in LANDELIJKE_THUISZITTERS
        and peildatum >= plus_maanden(_verzuim_sinds(perioden), beleid.pact_na_maanden)
        and not (aanbod_feit is not None and telt_als_aanbod(aanbod_feit, beleid))
    )
    kenmerken = kenmerken_op(geldend, peildatum)
    return InspectieRij(
        pseudoniem=kind.pseudoniem,
        leeftijd=leeftijd(kind.leerling.geboorte, peildatum),
        categorie_peildatum=categorie,
        hoogste_categorie=hoogste,
        verloop=tuple(verloop),
        typering=laatste.typering,
        soort=kind.soort or kenmerken.soort,
        startdatum=laatste.start,
        einddatum=laatste.einde,
        duur_dagen=(laatste_dag - laatste.start).days + 1,
        duurklasse=duurklasse(laatste.start, laatste_dag),
        ziek_gemeld_door_ouders=ouders,
        aanbod=aanbod,
        jeugdhulp=kind.jeugdhulp or kenmerken.jeugdhulp,
        reden_beeindigd=laatste.reden,
        pact_overschreden=pact,
        aantal_episodes=len(episodes),
    )


def register_kop(
    peildatum: date, *, bekend_op: datetime | None = None, peildata: Peildata = STANDAARD_PEILDATA
) -> RegisterKop:
    """The register's header: the school year it reports on and where its window starts (the
    school year's 1 August, or the SWV's earlier start of a cumulative window)."""
    eindjaar = peildata.schooljaar(peildatum)
    vanaf = date(eindjaar - 1, 8, 1)
    if peildata.cumulatief_vanaf is not None and peildata.cumulatief_vanaf < vanaf:
        vanaf = peildata.cumulatief_vanaf
    return RegisterKop(peildatum, vanaf, f"{eindjaar - 1}-{eindjaar}", bekend_op)


def inspectie_rijen(
    kinderen: Iterable[LeerlingVoorRapport],
    beleid: Beleid,
    kop: RegisterKop,
    *,
    kalender: Vakantiekalender | None = None,
) -> Iterator[InspectieRij]:
    """The register's rows in input order, one child at a time (for streaming exports)."""
    for kind in kinderen:
        rij = _rij(kind, beleid, kop, kalender)
        if rij is not None:
            yield rij


def inspectie_rijen_per_peildatum(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    tijdlijn: Tijdlijn,
    *,
    peildata: Peildata = STANDAARD_PEILDATA,
) -> list[tuple[date, InspectieRij]]:
    """The child's row in the register of every peildatum up to ``tijdlijn.tot`` that lists it,
    as known now, oldest first: the register as a projection (docs/decisions/0012).

    ``tijdlijn`` must be ``bepaal_tijdlijn`` of ``kind.feiten`` (as known now, same ``beleid``
    and calendar) up to its ``tot``: folded once for all peildata. Each row equals what
    ``inspectie_rijen`` gives for that peildatum, because the fold classifies a day from the facts
    valid up to that day only: the timeline up to a peildatum is this one cut after the period
    that runs on it, left open. A child never B2a, B2b, B3 or A2a costs one pass over its periods.
    """
    perioden = tijdlijn.perioden
    gemeld = [p for p in perioden if p.categorie in _TYPERING]
    if not gemeld:
        return []
    tot = tijdlijn.tot
    begin = gemeld[0].start
    # A day is listed in the registers of its own school year and, in August, in the closing
    # one of the year before (its window runs from 1 August of that year to 1 September).
    jaren = range(
        schooljaar_eindjaar(begin) - 1, schooljaar_eindjaar(min(gemeld[-1].einde or tot, tot)) + 1
    )
    geldend, _problemen = geldende_feiten(kind.feiten)
    intervallen = _intervallen(geldend)
    starts = [p.start for p in perioden]
    # Peildata that cut the timeline in the same period share the cut timeline, and those of
    # one window as well its episodes: computed once per child, not once per peildatum.
    afgekapt: dict[int, list[Tijdvak]] = {}
    episodes: dict[tuple[int, date], list[_Episode]] = {}
    uit: list[tuple[date, InspectieRij]] = []
    for peildatum in _kandidaten(peildata, jaren.start, jaren.stop):
        if not begin <= peildatum <= tot:
            continue
        k = bisect.bisect_right(starts, peildatum)  # perioden[k - 1] runs on the peildatum
        tot_peildatum = afgekapt.get(k)
        if tot_peildatum is None:
            tot_peildatum = afgekapt[k] = [
                *perioden[: k - 1],
                dataclasses.replace(perioden[k - 1], einde=None, eindreden=None),
            ]
        kop = _kop(peildatum, peildata)
        sleutel = (k, kop.vanaf)
        gedeeld = episodes.get(sleutel)
        if gedeeld is None:
            gedeeld = episodes[sleutel] = _episodes(tot_peildatum, kop.vanaf)
        rij = _rij_uit(
            kind, beleid, kop, tot_peildatum, geldend, episodes=gedeeld, intervallen=intervallen
        )
        if rij is not None:
            uit.append((peildatum, rij))
    return uit


@functools.lru_cache(maxsize=1024)
def _kandidaten(peildata: Peildata, van: int, tot: int) -> tuple[date, ...]:
    """The peildata of the school years ending in ``van`` … ``tot - 1``, in order."""
    return tuple(sorted({p for jaar in range(van, tot) for p in peildata.van_schooljaar(jaar)}))


@functools.lru_cache(maxsize=4096)
def _kop(peildatum: date, peildata: Peildata) -> RegisterKop:
    """`register_kop` as known now, computed once per peildatum and policy."""
    return register_kop(peildatum, peildata=peildata)


def inspectie_register(
    kinderen: Iterable[LeerlingVoorRapport],
    beleid: Beleid,
    *,
    peildatum: date,
    bekend_op: datetime | None = None,
    peildata: Peildata = STANDAARD_PEILDATA,
    kalender: Vakantiekalender | None = None,
) -> InspectieRegister:
    """Every child B2a, B2b, B3 or A2a on a day of the school year up to the peildatum.

    Source: Inspectie, Thuiszittersregistratie (docs/bronnen.md).

    Cumulative: a child stays listed once back at school, with end and ending reason (rule 16).
    National definition only, whatever the SWV's own profile (rule 13); days outside leerplicht
    and kwalificatieplicht have no category and never count (rule 2).
    """
    kop = register_kop(peildatum, bekend_op=bekend_op, peildata=peildata)
    rijen = sorted(inspectie_rijen(kinderen, beleid, kop, kalender=kalender), key=_pseudoniem)
    for a, b in itertools.pairwise(rijen):
        if a.pseudoniem == b.pseudoniem:
            raise ValueError("pseudoniem komt meer dan eens voor in het register")
    return InspectieRegister(kop, tuple(rijen))


def _pseudoniem(rij: InspectieRij) -> str:
    return rij.pseudoniem


# -- the summary -----------------------------------------------------------------------------

Telling = tuple[tuple[str, int], ...]
"""Counts in a fixed key order, every key present (zero included), so layouts never shift."""


@dataclass(frozen=True, slots=True)
class Samenvatting:
    """Counts of one register, and its changes since the previous peildatum's register."""

    peildatum: date
    schooljaar: str
    vorige_peildatum: date | None
    aantal: int
    actief: int
    per_categorie: Telling
    per_categorie_schooljaar: Telling
    per_typering: Telling
    per_leeftijdsgroep: Telling
    per_duurklasse: Telling
    mutaties: Telling | None
    verdwenen: int | None
    pact_overschreden: int


def _tel(sleutels: Iterable[str], waarden: Iterable[str]) -> Telling:
    telling = dict.fromkeys(sleutels, 0)
    for w in waarden:
        telling[w] += 1
    return tuple(telling.items())


@dataclass(frozen=True, slots=True)
class VorigeStand:
    """What the summary compares a register with: the previous peildatum's register reduced to,
    per pseudonym, the start of its row's episode and whether it still ran then (``actief``)."""

    peildatum: date
    rijen: Mapping[str, tuple[date, bool]]

    @classmethod
    def van(cls, register: InspectieRegister) -> VorigeStand:
        return cls(
            register.kop.peildatum,
            {r.pseudoniem: (r.startdatum, r.actief) for r in register.rijen},
        )


def mutatie(rij: InspectieRij, vorige: InspectieRij | None) -> Mutatie:
    """New, continuing, ended since the previous register, or ended before it (by pseudonym)."""
    return _mutatie(rij, None if vorige is None else (vorige.startdatum, vorige.actief))


def _mutatie(rij: InspectieRij, vorige: tuple[date, bool] | None) -> Mutatie:
    if vorige is not None and vorige[1]:
        return Mutatie.LOPEND if rij.actief else Mutatie.BEEINDIGD
    if vorige is not None and vorige[0] == rij.startdatum:
        return Mutatie.EERDER_BEEINDIGD
    return Mutatie.NIEUW


def samenvatting(
    register: InspectieRegister, vorig: InspectieRegister | VorigeStand | None
) -> Samenvatting:
    """Counts per category, age group and duration; new, ended and continuing; pact breaches.

    The previous register may come whole or as the `VorigeStand` the mutations need."""
    rijen = register.rijen
    mutaties: Telling | None = None
    verdwenen: int | None = None
    if isinstance(vorig, InspectieRegister):
        vorig = VorigeStand.van(vorig)
    if vorig is not None:
        eerder = vorig.rijen
        mutaties = _tel(
            (m.value for m in Mutatie), (_mutatie(r, eerder.get(r.pseudoniem)) for r in rijen)
        )
        nu = {r.pseudoniem for r in rijen}
        verdwenen = sum(1 for p in eerder if p not in nu)
    return Samenvatting(
        peildatum=register.kop.peildatum,
        schooljaar=register.kop.schooljaar,
        vorige_peildatum=None if vorig is None else vorig.peildatum,
        aantal=len(rijen),
        actief=sum(1 for r in rijen if r.actief),
        per_categorie=_tel(
            (c.value for c in INSPECTIE_CATEGORIEEN),
            (r.categorie_peildatum for r in rijen if r.actief),
        ),
        per_categorie_schooljaar=_tel(
            (c.value for c in INSPECTIE_CATEGORIEEN), (c for r in rijen for c in set(r.verloop))
        ),
        per_typering=_tel((t.value for t in Typering), (r.typering for r in rijen)),
        per_leeftijdsgroep=_tel(
            (g.value for g in Leeftijdsgroep), (r.leeftijdsgroep for r in rijen)
        ),
        per_duurklasse=_tel((k.value for k in Duurklasse), (r.duurklasse for r in rijen)),
        mutaties=mutaties,
        verdwenen=verdwenen,
        pact_overschreden=sum(1 for r in rijen if r.pact_overschreden),
    )


# -- the SWV's own overview ------------------------------------------------------------------

OVERZICHT_KOLOMMEN: tuple[str, ...] = (
    *dict.fromkeys(inspectie_code(c) for c in Categorie if c is not Categorie.GEEN),
    "thuiszitter-landelijk",
    "thuiszitter-profiel",
    Signaal.DREIGEND_THUISZITTER.value,
    Signaal.THUISZITTERSPACT.value,
    Signaal.VRIJSTELLING_VERNIEUWEN.value,
    Signaal.DATAPROBLEEM.value,
)
"""Columns of the SWV overview: each counts children (a child with two signals counts once)."""

ONBEKEND = "onbekend"
STANDAARD_DREMPEL = 5


@dataclass(frozen=True, slots=True)
class Groepsrij:
    """One school or gemeente: a count per column, ``None`` where suppressed (below threshold)."""

    groep: str
    cellen: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class SwvOverzicht:
    """The SWV's aggregate picture on a peildatum: no child identifiable (docs/rapportage.md)."""

    peildatum: date
    bekend_op: datetime | None
    drempel: int
    kolommen: tuple[str, ...]
    totaal: Groepsrij
    per_school: tuple[Groepsrij, ...]
    per_gemeente: tuple[Groepsrij, ...]


def _kenmerken(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    peildatum: date,
    bekend_op: datetime | None,
    kalender: Vakantiekalender | None,
) -> set[str]:
    status = bepaal_status(
        kind.leerling,
        kind.feiten,
        beleid,
        peildatum=peildatum,
        bekend_op=bekend_op,
        kalender=kalender,
    )
    kenmerken = {s.signaal.value for s in status.signalen}
    if status.categorie is not Categorie.GEEN:  # as the Inspectie names it: A2-overig is A2
        kenmerken.add(inspectie_code(status.categorie))
    if status.thuiszitter_landelijk:
        kenmerken.add("thuiszitter-landelijk")
    if status.thuiszitter_profiel:
        kenmerken.add("thuiszitter-profiel")
    return kenmerken


def onderdrukken(rijen: Sequence[Groepsrij], totaal: Groepsrij, drempel: int) -> list[Groepsrij]:
    """Hide counts 1..drempel-1, and per column one more cell when a lone one could be derived.

    The SWV total of a column is published, so one suppressed cell alone in its column would be
    the total minus the others: then the smallest other cell (first by name on a tie) goes too.
    """
    cellen: list[list[int | None]] = [list(r.cellen) for r in rijen]
    for k, totaalcel in enumerate(totaal.cellen):
        verborgen = 0
        zichtbaar: list[tuple[bool, int, str, int]] = []
        for i, rij in enumerate(rijen):
            waarde = rij.cellen[k]
            if waarde is None or 0 < waarde < drempel:
                cellen[i][k] = None
                verborgen += 1
            else:
                zichtbaar.append((waarde == 0, waarde, rij.groep, i))
        if verborgen == 1 and totaalcel is not None and zichtbaar:
            cellen[min(zichtbaar)[3]][k] = None
    return [Groepsrij(r.groep, tuple(c)) for r, c in zip(rijen, cellen, strict=True)]


def swv_overzicht(
    kinderen: Iterable[LeerlingVoorRapport],
    beleid: Beleid,
    *,
    peildatum: date,
    bekend_op: datetime | None = None,
    kalender: Vakantiekalender | None = None,
    drempel: int = STANDAARD_DREMPEL,
) -> SwvOverzicht:
    """A1, every vrijstelling, C, B1-B3, dreigend, pact and data problems per school and gemeente.

    Counts only (Aanpak thuiszitters, groslijst: directeur, board, councils). Cells from 1 to
    ``drempel - 1`` are suppressed (``None``), also in the SWV total; ``drempel=1`` switches
    suppression off.
    """
    if drempel < 1:
        raise ValueError("drempel moet minstens 1 zijn")
    index = {k: i for i, k in enumerate(OVERZICHT_KOLOMMEN)}
    n = len(OVERZICHT_KOLOMMEN)
    totaal = [0] * n
    scholen: dict[str, list[int]] = {}
    gemeenten: dict[str, list[int]] = {}
    for kind in kinderen:
        kenmerken = _kenmerken(kind, beleid, peildatum, bekend_op, kalender)
        school = scholen.setdefault(kind.vestiging or ONBEKEND, [0] * n)
        gemeente = gemeenten.setdefault(kind.gemeente or ONBEKEND, [0] * n)
        for kenmerk in kenmerken:
            i = index[kenmerk]
            totaal[i] += 1
            school[i] += 1
            gemeente[i] += 1

    def primair(cellen: list[int]) -> tuple[int | None, ...]:
        return tuple(None if 0 < c < drempel else c for c in cellen)

    totaalrij = Groepsrij("totaal", primair(totaal))

    def groepen(tabel: dict[str, list[int]]) -> tuple[Groepsrij, ...]:
        rijen = [Groepsrij(g, tuple(tabel[g])) for g in sorted(tabel)]
        return tuple(onderdrukken(rijen, totaalrij, drempel))

    return SwvOverzicht(
        peildatum=peildatum,
        bekend_op=bekend_op,
        drempel=drempel,
        kolommen=OVERZICHT_KOLOMMEN,
        totaal=totaalrij,
        per_school=groepen(scholen),
        per_gemeente=groepen(gemeenten),
    )
