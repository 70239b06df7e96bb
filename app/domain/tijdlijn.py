"""The fold from a child's facts to its timeline of categories (docs/domain.md regels 2-11, 15).

One pass over the facts sorted by valid date. Between two fact dates the state is constant; the
category can still change on dates that follow from it (leerplicht start and end, day 29 of
absence, 3 months), and those are computed, not searched day by day.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from app.domain.beleid import Beleid, Weektelling
from app.domain.classificatie import Categorie
from app.domain.datums import plus_maanden
from app.domain.feiten import (
    AanbodBeeindigd,
    AanbodGestart,
    AdministratieveOnvolkomenheid,
    Beeindigingsreden,
    Belastbaarheid,
    Besluit11g,
    Besluit11gBeeindigd,
    Correctie,
    Feit,
    Gastleerling,
    GastleerlingBeeindigd,
    Hervatting,
    Inschrijving,
    Intrekking,
    JeugdartsOordeel,
    KwalificatieplichtBeeindigd,
    NietIngeschreven,
    OnderwijsHervat,
    OngeoorloofdAangemerkt,
    Plaatsing,
    SchorsingBeeindigd,
    SchorsingGestart,
    TlvAfgegeven,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    Verzuimuren,
    VrijstellingBeeindigd,
    VrijstellingGrond,
    VrijstellingVerleend,
    WachtOpPlek,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.leerplicht import (
    achttiende_verjaardag,
    leerplicht_einde,
    leerplicht_start,
)
from app.domain.leerplicht import (
    plicht_einde as plicht_einde_van,
)
from app.domain.regio import Vakantiekalender

_DAG: Final = timedelta(days=1)

_VRIJSTELLING_CATEGORIE: Final = {
    VrijstellingGrond.ART_5_A: Categorie.A2A,
    VrijstellingGrond.ART_5_B: Categorie.A2B,
    VrijstellingGrond.ART_5_C: Categorie.A2C,
    VrijstellingGrond.ART_5A: Categorie.A2_OVERIG,
    VrijstellingGrond.ART_15: Categorie.A2_OVERIG,
}
_GROND_VOLGORDE: Final = tuple(VrijstellingGrond)

_META = (Correctie, Intrekking)

# The members the fold reads per step, as module constants: on Python 3.11 ``Categorie.GEEN`` goes
# through ``EnumType.__getattr__`` on every access, several times the cost of a global.
_A1: Final = Categorie.A1
_B1: Final = Categorie.B1
_B2A: Final = Categorie.B2A
_B2B: Final = Categorie.B2B
_B3: Final = Categorie.B3
_C: Final = Categorie.C
_GEEN: Final = Categorie.GEEN
_LESWEKEN: Final = Weektelling.LESWEKEN


@dataclass(frozen=True, slots=True)
class Tijdvak:
    """Consecutive days with one category, the rule and the facts that explain it."""

    categorie: Categorie
    start: date
    einde: date | None
    """The last day of the period, inclusive (the API's `totEnMet`)."""
    regel: str
    feit_ids: tuple[str, ...]
    eindreden: Beeindigingsreden | None = None


@dataclass(frozen=True, slots=True)
class Dataprobleem:
    """Contradictory or dangling facts to fix at the source (docs/domain.md regels 11 and 15)."""

    datum: date
    beschrijving: str
    feit_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tijdlijn:
    """A child's consecutive periods up to and including ``tot``; the last one is open."""

    leerling_id: str
    tot: date
    perioden: tuple[Tijdvak, ...]
    dataproblemen: tuple[Dataprobleem, ...]

    def op(self, datum: date) -> Tijdvak | None:
        """The period that contains ``datum``, if the timeline covers it."""
        for periode in self.perioden:
            if periode.start <= datum and (periode.einde is None or datum <= periode.einde):
                return periode
        return None


_sleutel: Final = operator.attrgetter("geldig_vanaf", "geregistreerd_op", "volgorde", "id")
_datum: Final = operator.attrgetter("geldig_vanaf")
_META_TYPES: Final = frozenset(_META)


def _geldend(
    feiten: Iterable[Feit], bekend_op: datetime | None
) -> tuple[list[Feit], list[Dataprobleem]]:
    """As ``geldende_feiten``, but sorted on valid date only; ``_Vouw.vouwen`` orders each day."""
    alle = feiten if type(feiten) is list else list(feiten)
    if bekend_op is not None:
        alle = [f for f in alle if f.geregistreerd_op <= bekend_op]
    if _META_TYPES.isdisjoint(map(type, alle)):  # the common case, checked without a Python loop
        return sorted(alle, key=_datum), []
    meta: list[Correctie | Intrekking] = [
        f  # type: ignore[misc]
        for f in alle
        if type(f) in _META_TYPES
    ]
    huidig = {f.id: f for f in alle if type(f) not in _META_TYPES}
    alias: dict[str, str] = {}
    problemen: list[Dataprobleem] = []
    meta.sort(key=lambda m: (m.geregistreerd_op, m.id))
    for m in meta:
        sleutel = alias.get(m.betreft, m.betreft)
        if sleutel not in huidig:
            problemen.append(
                Dataprobleem(
                    m.geldig_vanaf,
                    f"{m.soort} verwijst naar een onbekend, ingetrokken of meta-feit",
                    (m.id,),
                )
            )
        elif isinstance(m, Intrekking):
            del huidig[sleutel]
        else:
            huidig[sleutel] = m.vervanging
            alias[m.vervanging.id] = sleutel
    basis = sorted(huidig.values(), key=_datum)
    return basis, problemen


def geldende_feiten(
    feiten: Iterable[Feit], bekend_op: datetime | None = None
) -> tuple[list[Feit], list[Dataprobleem]]:
    """Facts in force as known on ``bekend_op``, withdrawals and corrections applied (rule 15)."""
    basis, problemen = _geldend(feiten, bekend_op)
    basis.sort(key=_sleutel)
    return basis, problemen


@functools.lru_cache(maxsize=4096)
def _grenzen(jaar: int, maand: int, dag: int | None) -> tuple[date, date, date]:
    g = Geboorte(jaar, maand, dag)
    return leerplicht_start(g), leerplicht_einde(g), achttiende_verjaardag(g)


@functools.lru_cache(maxsize=64)
def _dagen(dagen: int) -> timedelta:
    """``timedelta(days=dagen)``, made once: building one costs more than the lookup."""
    return timedelta(days=dagen)


# Fact kinds as small ints for the fold's dispatch, the most frequent first (Final: a compiled
# build inlines them).
_ZIEK: Final = 0
_ZIEK_EINDE: Final = 1
_VERZUIM: Final = 2
_VERZUIM_EINDE: Final = 3
_INSCHRIJVING: Final = 4
_UITSCHRIJVING: Final = 5
_OORDEEL: Final = 6
_VRIJ: Final = 7
_VRIJ_EINDE: Final = 8
_WACHT: Final = 9
_TLV: Final = 10
_PLAATSING: Final = 11
_HERVAT: Final = 12
_NIET_INGESCHREVEN: Final = 13
_C11G: Final = 14
_C11G_EINDE: Final = 15
_SCHORSING: Final = 16
_SCHORSING_EINDE: Final = 17
_AANBOD: Final = 18
_AANBOD_EINDE: Final = 19
_GAST: Final = 20
_GAST_EINDE: Final = 21
_KWAL: Final = 22
_ONVOLKOMENHEID: Final = 23
_UREN: Final = 24
_AANGEMERKT: Final = 25
_GEEN_EFFECT: Final = 26

_SOORTCODE: Final[dict[type, int]] = {
    Ziekmelding: _ZIEK,
    ZiekmeldingBeeindigd: _ZIEK_EINDE,
    VerzuimGestart: _VERZUIM,
    VerzuimBeeindigd: _VERZUIM_EINDE,
    Inschrijving: _INSCHRIJVING,
    Uitschrijving: _UITSCHRIJVING,
    JeugdartsOordeel: _OORDEEL,
    VrijstellingVerleend: _VRIJ,
    VrijstellingBeeindigd: _VRIJ_EINDE,
    WachtOpPlek: _WACHT,
    TlvAfgegeven: _TLV,
    Plaatsing: _PLAATSING,
    OnderwijsHervat: _HERVAT,
    NietIngeschreven: _NIET_INGESCHREVEN,
    Besluit11g: _C11G,
    Besluit11gBeeindigd: _C11G_EINDE,
    SchorsingGestart: _SCHORSING,
    SchorsingBeeindigd: _SCHORSING_EINDE,
    AanbodGestart: _AANBOD,
    AanbodBeeindigd: _AANBOD_EINDE,
    Gastleerling: _GAST,
    GastleerlingBeeindigd: _GAST_EINDE,
    KwalificatieplichtBeeindigd: _KWAL,
    AdministratieveOnvolkomenheid: _ONVOLKOMENHEID,
    Verzuimuren: _UREN,
    OngeoorloofdAangemerkt: _AANGEMERKT,
}


def _soortcode(soort: type) -> int:
    """The dispatch code of a fact class, also for a subclass of one (as isinstance would)."""
    code = next((c for k, c in _SOORTCODE.items() if issubclass(soort, k)), _GEEN_EFFECT)
    _SOORTCODE[soort] = code  # Correctie and Intrekking never reach the fold: no effect
    return code


class _Vouw:
    """The state of one child's fold; private, discarded after each call.

    ``vouwen`` keeps the state in local variables while it runs (the fold is the hot loop of the
    register) and stores what the status and the timeline read afterwards on the instance.
    """

    __slots__ = (
        "_na_cache",
        "aanbod",
        "achttien",
        "beleid",
        "categorie_sinds",
        "kalender",
        "leerling",
        "leerplicht_einde",
        "plicht_einde",
        "plicht_start",
        "problemen",
        "raw",
        "redenen",
        "run_start",
        "schorsing",
        "tlv",
        "uren",
        "verzuim_id",
        "vrijstellingen",
        "wacht_id",
        "ziek",
    )
    # The state at the end of the fold, read by the status; set by ``vouwen``.
    verzuim_id: str | None
    wacht_id: str | None
    ziek: Ziekmelding | None
    vrijstellingen: dict[VrijstellingGrond, str]
    schorsing: SchorsingGestart | None
    aanbod: AanbodGestart | None
    tlv: TlvAfgegeven | None
    uren: list[Verzuimuren]
    run_start: date | None
    categorie_sinds: date  # the start of the last run of one category (when there are periods)

    def __init__(self, leerling: Leerling, beleid: Beleid, kalender: Vakantiekalender | None):
        if beleid.weektelling is _LESWEKEN and kalender is None:
            raise ValueError("weektelling in lesweken vraagt een vakantiekalender")
        self.leerling = leerling
        self.beleid = beleid
        self.kalender = kalender if beleid.weektelling is _LESWEKEN else None
        g = leerling.geboorte
        self.plicht_start, self.leerplicht_einde, self.achttien = _grenzen(g.jaar, g.maand, g.dag)
        self.plicht_einde = self.achttien
        self.raw: list[tuple[date, Categorie, str, tuple[str, ...]]] = []
        self.redenen: dict[date, Beeindigingsreden] = {}
        self.problemen: list[Dataprobleem] = []
        self._na_cache: dict[tuple[date, int], date] = {}

    # -- counting (docs/domain.md regel 14) -------------------------------------------------------

    def na(self, start: date, dagen: int) -> date:
        """The first day on which more than ``dagen`` counted days have passed since ``start``."""
        if self.kalender is None:
            return start + timedelta(days=dagen)
        sleutel = (start, dagen)
        gevonden = self._na_cache.get(sleutel)
        if gevonden is None:
            gevonden = start
            regio = self.leerling.regio
            geteld = 0
            while True:
                if not self.kalender.is_vakantiedag(gevonden, regio):
                    geteld += 1
                    if geteld > dagen:
                        break
                gevonden += _DAG
            self._na_cache[sleutel] = gevonden
        return gevonden

    def na_maanden(self, start: date, maanden: int) -> date:
        """The first day more than ``maanden`` months (in counted days) after ``start``."""
        kalenderdatum = plus_maanden(start, maanden)
        if self.kalender is None:
            return kalenderdatum
        return self.na(start, (kalenderdatum - start).days)

    # -- the fold ---------------------------------------------------------------------------

    def _probleem(self, datum: date, beschrijving: str, *ids: str) -> None:
        self.problemen.append(Dataprobleem(datum, beschrijving, ids))

    def vouwen(self, feiten: list[Feit], tot: date) -> int:  # noqa: PLR0915 (the hot loop)
        """Fold the facts, sorted on valid date, up to ``tot``; returns how many were applied.

        The facts of one day are put in rule 11's order (registration moment, ends first) in
        place and applied; the contradiction checks run at the end of the day, when the
        enrolments or exemptions changed. Between two fact dates the state is constant and the
        days are classified in steps, from one date on which the category may change to the next,
        under rule 11's precedence.
        """
        beleid = self.beleid
        kalender = self.kalender
        geboorte = self.leerling.geboorte
        plicht_start = self.plicht_start
        plicht_einde = self.plicht_einde
        freq = beleid.a1_frequentie
        b2_dagen = beleid.b2_na_dagen
        b2b_maanden = beleid.b2b_na_maanden
        a1_dagen = beleid.a1_na_dagen
        b2_delta = _dagen(b2_dagen)
        a1_delta = _dagen(a1_dagen)
        raw = self.raw
        redenen = self.redenen
        inschrijvingen: dict[str, str] = {}
        inschrijving_ids: tuple[str, ...] = ()  # tuple(inschrijvingen.values()), kept at day end
        ids: tuple[str, ...]  # the facts that explain a day's category
        vrijstellingen: dict[VrijstellingGrond, str] = {}
        uren: list[Verzuimuren] = []
        onvolkomenheden: list[AdministratieveOnvolkomenheid] = []
        ziek_starts: list[date] = []
        ziek_recent = 0  # index of the first sickness start inside the frequency window
        kwal_id: str | None = None
        uitschrijving_id: str | None = None
        verzuim_id: str | None = None
        wacht_id: str | None = None
        ziek: Ziekmelding | None = None
        ziek_frequent = False
        oordeel: JeugdartsOordeel | None = None
        aangemerkt_id: str | None = None  # the designation of rule 4, while the verdict holds
        oordeel_volstaat = beleid.jeugdarts_oordeel_maakt_ongeoorloofd  # SWV setting (rule 4)
        inschrijving_bekend = False  # whether any fact stated (non-)enrolment yet (rule 7)
        verzuim_onbekend_id: str | None = None  # an absence started today, enrolment unknown
        c11g_id: str | None = None
        schorsing: SchorsingGestart | None = None
        gast_id: str | None = None
        aanbod: AanbodGestart | None = None
        tlv: TlvAfgegeven | None = None
        run_start: date | None = None
        run_einde: date | None = None
        b2b_start: date | None = None  # the run start that b2b was computed for
        b2b = tot
        dubbel = vrij_ingeschreven = False
        # Whether an exemption, 11g, no enrolment, gastleerling or suspension may decide the day.
        bijzonder = True
        laatste_categorie: Categorie | None = None
        categorie_sinds = tot  # the start of the last run of one category, once there is one
        laatste_regel = ""
        soortcode = _SOORTCODE
        eind = tot + _DAG
        n = len(feiten)
        i = 0
        d = eind  # the first day not yet classified; none before the first fact day
        while True:
            grens = dag if i < n and (dag := feiten[i].geldig_vanaf) <= tot else eind
            # Classify the days d .. grens - 1 with the current state (docs/domain.md regel 11).
            while d < grens:
                ongeoorloofd = beslist = False
                gat_id: str | None = None  # an explained enrolment gap covering d (rule 7)
                volgende = plicht_einde
                if d < plicht_start or d >= plicht_einde or bijzonder:
                    beslist = True
                    if d < plicht_start:  # regel 2: not yet of compulsory school age
                        categorie, regel, ids, volgende = (
                            _GEEN,
                            "regel 2",
                            (),
                            plicht_start,
                        )
                    elif d >= plicht_einde:  # regel 2: past leerplicht and kwalificatieplicht
                        categorie, regel, volgende = _GEEN, "regel 2", grens
                        ids = (kwal_id,) if kwal_id else ()
                    elif vrijstellingen:  # regel 8, first in rule 11's order after regel 2
                        grond = next(g for g in _GROND_VOLGORDE if g in vrijstellingen)
                        categorie, regel = _VRIJSTELLING_CATEGORIE[grond], "regel 8"
                        ids = tuple(vrijstellingen.values())
                    elif c11g_id is not None:  # regel 11: besluit art. 11 onder g is C
                        categorie, regel, ids = _C, "regel 11", (c11g_id,)
                    else:
                        beslist = False
                        if not inschrijvingen:
                            for o in onvolkomenheden:  # regel 7: an explained gap is no B3
                                if o.geldig_vanaf <= d <= o.tot_en_met:
                                    gat_id = o.id
                                    tot_en_met = o.tot_en_met + _DAG
                                    volgende = tot_en_met if tot_en_met < volgende else volgende
                                    break
                            else:
                                if inschrijving_bekend:  # regel 7: known not to be enrolled
                                    beslist = True
                                    categorie, regel = _B3, "regel 7"
                                    ids = (uitschrijving_id,) if uitschrijving_id else ()
                        if beslist:
                            pass
                        elif gast_id is not None:  # regel 9: gastleerling with rhythm
                            beslist = True
                            categorie, regel, ids = _GEEN, "regel 9", (gast_id,)
                        elif schorsing is not None:  # regel 17: suspended, not absent
                            beslist = True
                            categorie, regel, ids = _GEEN, "regel 17", (schorsing.id,)
                if beslist:
                    pass
                elif ziek is not None and (
                    oordeel is None or (aangemerkt_id is None and not oordeel_volstaat)
                ):  # regel 3: sick is excused, unless rule 4 designated it unexcused
                    regel, ids = "regel 3", (ziek.id,)
                    if ziek_frequent:
                        categorie = _A1
                    else:
                        if kalender is None:
                            a1 = ziek.geldig_vanaf + a1_delta
                        else:
                            a1 = self.na(ziek.geldig_vanaf, a1_dagen)
                        if d >= a1:
                            categorie = _A1
                        else:
                            categorie = _GEEN
                            volgende = a1 if a1 < volgende else volgende
                else:
                    if ziek is not None and oordeel is not None:  # regel 4
                        ids = (ziek.id, oordeel.id)
                        if aangemerkt_id is not None:
                            ids = (*ids, aangemerkt_id)
                        regel, ongeoorloofd = "regel 4", True
                    elif wacht_id is not None:  # regel 6: waiting for a place
                        regel, ids, ongeoorloofd = "regel 6", (wacht_id,), True
                    elif verzuim_id is not None:  # regel 5: unexcused absence
                        regel, ids, ongeoorloofd = "regel 5", (verzuim_id,), True
                    elif gat_id is not None:  # regel 7: the explained gap is its own period
                        categorie, regel, ids = _GEEN, "regel 7", (gat_id,)
                    else:  # enrolled (or enrolment unknown) and nothing open
                        categorie, regel, ids = _GEEN, "regel 5", inschrijving_ids
                    if ongeoorloofd:  # regel 5 and 14: count the unbroken unexcused run
                        if run_einde != d or run_start is None:
                            run_start = d
                        if kalender is None:
                            b2a = run_start + b2_delta
                        else:
                            b2a = self.na(run_start, b2_dagen)
                        if d < b2a:
                            categorie = _B1
                            volgende = b2a if b2a < volgende else volgende
                        else:
                            if b2b_start != run_start:
                                b2b_start = run_start
                                b2b = self.na_maanden(run_start, b2b_maanden)
                            if d < b2b:
                                categorie = _B2A
                                volgende = b2b if b2b < volgende else volgende
                            else:
                                categorie = _B2B
                volgende = grens if grens < volgende else volgende
                if ongeoorloofd:
                    run_einde = volgende
                if categorie is not laatste_categorie:
                    categorie_sinds = d
                    raw.append((d, categorie, regel, ids))
                    laatste_categorie, laatste_regel = categorie, regel
                elif regel != laatste_regel:
                    raw.append((d, categorie, regel, ids))
                    laatste_regel = regel
                d = volgende
            if grens is eind:
                break
            # Apply the facts of day ``grens`` in rule 11's order.
            d = grens
            j = i + 1
            if j < n and feiten[j].geldig_vanaf == d:
                while j < n and feiten[j].geldig_vanaf == d:
                    j += 1
                feiten[i:j] = sorted(feiten[i:j], key=_sleutel)
            gewijzigd = False  # enrolments, exemptions or what makes the day bijzonder
            while i < j:
                feit: Any = feiten[i]  # dispatched on its class below
                i += 1
                code = soortcode.get(type(feit))
                if code is None:
                    code = _soortcode(type(feit))
                if code == _ZIEK:
                    if ziek is None:
                        ziek = feit
                        ziek_starts.append(d)
                        if freq is not None:  # starts and d only grow: the window slides
                            while (
                                ziek_recent < len(ziek_starts)
                                and (d - ziek_starts[ziek_recent]).days >= freq.dagen
                            ):
                                ziek_recent += 1
                            ziek_frequent = len(ziek_starts) - ziek_recent >= freq.aantal
                elif code == _ZIEK_EINDE:
                    if ziek is None:
                        self._probleem(
                            d, "einde van ziekmelding zonder lopende ziekmelding", feit.id
                        )
                    ziek = oordeel = aangemerkt_id = None
                elif code == _VERZUIM:
                    if verzuim_id is None:
                        verzuim_id = feit.id
                        if not inschrijving_bekend:  # checked at the end of the day (rule 7)
                            verzuim_onbekend_id = feit.id
                            gewijzigd = True
                elif code == _VERZUIM_EINDE:
                    if verzuim_id is None:
                        self._probleem(d, "einde van verzuim zonder lopende verzuim", feit.id)
                    if isinstance(feit.reden, Beeindigingsreden):
                        redenen[d] = feit.reden
                    verzuim_id = None
                elif code == _INSCHRIJVING:
                    inschrijvingen[feit.vestiging] = feit.id
                    inschrijving_bekend = gewijzigd = True
                elif code == _UITSCHRIJVING:
                    if inschrijvingen.pop(feit.vestiging, None) is None:
                        self._probleem(
                            d, "uitschrijving zonder inschrijving bij deze vestiging", feit.id
                        )
                    uitschrijving_id = feit.id
                    if feit.reden is not None:
                        redenen[d] = feit.reden
                    inschrijving_bekend = gewijzigd = True
                elif code == _OORDEEL:
                    if feit.belastbaarheid is Belastbaarheid.NIET:
                        oordeel = aangemerkt_id = None
                    elif ziek is not None:
                        oordeel = feit
                elif code == _AANGEMERKT:
                    if oordeel is None:
                        self._probleem(
                            d,
                            "ongeoorloofd aangemerkt zonder oordeel van de jeugdarts bij een "
                            "lopende ziekmelding",
                            feit.id,
                        )
                    else:
                        aangemerkt_id = feit.id
                elif code == _VRIJ:
                    vrijstellingen.setdefault(feit.grond, feit.id)
                    gewijzigd = True
                elif code == _VRIJ_EINDE:
                    if vrijstellingen.pop(feit.grond, None) is None:
                        self._probleem(
                            d, "einde van vrijstelling zonder lopende vrijstelling", feit.id
                        )
                    if isinstance(feit.reden, Beeindigingsreden):
                        redenen[d] = feit.reden
                    gewijzigd = True
                elif code == _WACHT:
                    if wacht_id is None:
                        wacht_id = feit.id
                elif code == _TLV:
                    tlv = feit
                elif code == _PLAATSING:
                    tlv = None
                    wacht_id = None
                elif code == _HERVAT:
                    if feit.hervatting is Hervatting.VOLLEDIG:
                        verzuim_id = wacht_id = None
                        ziek = oordeel = aangemerkt_id = None
                    if feit.reden is not None:
                        redenen[d] = feit.reden
                elif code == _NIET_INGESCHREVEN:
                    uitschrijving_id = feit.id
                    inschrijving_bekend = gewijzigd = True
                elif code == _C11G:
                    c11g_id = feit.id
                    gewijzigd = True
                elif code == _C11G_EINDE:
                    if c11g_id is None:
                        self._probleem(
                            d, "einde van besluit 11g zonder lopende besluit 11g", feit.id
                        )
                    c11g_id = None
                    gewijzigd = True
                elif code == _SCHORSING:
                    if schorsing is None:
                        schorsing = feit
                        gewijzigd = True
                elif code == _SCHORSING_EINDE:
                    if schorsing is None:
                        self._probleem(d, "einde van schorsing zonder lopende schorsing", feit.id)
                    schorsing = None
                    gewijzigd = True
                elif code == _AANBOD:
                    aanbod = feit
                elif code == _AANBOD_EINDE:
                    if aanbod is None:
                        self._probleem(d, "einde van aanbod zonder lopende aanbod", feit.id)
                    aanbod = None
                elif code == _GAST:
                    gast_id = feit.id if feit.ritme_hersteld else None
                    gewijzigd = True
                elif code == _GAST_EINDE:
                    gast_id = None
                    gewijzigd = True
                elif code == _KWAL:
                    if kwal_id is None:
                        kwal_id = feit.id
                        plicht_einde = plicht_einde_van(geboorte, d)
                elif code == _ONVOLKOMENHEID:
                    onvolkomenheden.append(feit)
                elif code == _UREN:
                    uren.append(feit)
            if gewijzigd:  # end-of-day contradiction checks (docs/domain.md regel 11)
                inschrijving_ids = tuple(inschrijvingen.values())
                nu_dubbel = len(inschrijvingen) > 1
                if nu_dubbel and not dubbel:
                    self._probleem(
                        d, "ingeschreven bij meer dan één vestiging", *inschrijvingen.values()
                    )
                dubbel = nu_dubbel
                vrij = bool(vrijstellingen) and bool(inschrijvingen)
                if vrij and not vrij_ingeschreven:
                    ids = (*vrijstellingen.values(), *inschrijvingen.values())
                    self._probleem(d, "vrijstelling van inschrijving terwijl ingeschreven", *ids)
                vrij_ingeschreven = vrij
                if verzuim_onbekend_id is not None:
                    if not inschrijving_bekend:
                        self._probleem(
                            d, "verzuim zonder bekende inschrijving", verzuim_onbekend_id
                        )
                    verzuim_onbekend_id = None
                bijzonder = bool(
                    vrijstellingen
                    or c11g_id is not None
                    or not inschrijvingen
                    or gast_id is not None
                    or schorsing is not None
                )
        self.verzuim_id = verzuim_id
        self.wacht_id = wacht_id
        self.ziek = ziek
        self.vrijstellingen = vrijstellingen
        self.schorsing = schorsing
        self.aanbod = aanbod
        self.tlv = tlv
        self.uren = uren
        self.run_start = run_start
        self.plicht_einde = plicht_einde
        self.categorie_sinds = categorie_sinds
        return i

    def perioden(self) -> tuple[Tijdvak, ...]:
        """The raw periods as Tijdvak values, each closed on the day before the next starts."""
        raw = self.raw
        uit: list[Tijdvak] = []
        for k, (start, categorie, regel, ids) in enumerate(raw):
            if k + 1 < len(raw):
                volgende = raw[k + 1][0]
                reden = self.redenen.get(volgende)
                if reden is None and volgende == self.achttien and raw[k + 1][2] == "regel 2":
                    reden = Beeindigingsreden.ACHTTIEN_JAAR
                uit.append(Tijdvak(categorie, start, volgende - _DAG, regel, ids, reden))
            else:
                uit.append(Tijdvak(categorie, start, None, regel, ids))
        return tuple(uit)


def bepaal_tijdlijn(
    leerling: Leerling,
    feiten: Iterable[Feit],
    beleid: Beleid,
    *,
    tot: date,
    bekend_op: datetime | None = None,
    kalender: Vakantiekalender | None = None,
) -> Tijdlijn:
    """The child's consecutive categories up to ``tot``, as known on ``bekend_op`` (rules 2-15)."""
    geldend, problemen = _geldend(feiten, bekend_op)
    vouw = _Vouw(leerling, beleid, kalender)
    vouw.vouwen(geldend, tot)
    alle = [p for p in problemen if p.datum <= tot] + vouw.problemen
    return Tijdlijn(leerling.id, tot, vouw.perioden(), tuple(alle))
