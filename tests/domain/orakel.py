"""A slow, obviously-correct reference classifier: one day at a time, straight from the rules.

The fold in ``app/domain/tijdlijn.py`` is fast: it jumps from one date on which the category may
change to the next, caches counts and keeps the unexcused run in a few variables. This oracle does
none of that. It walks every day from the first fact to ``tot``, applies that day's facts in rule
11's order, and then asks the rules of ``docs/domain.md`` in their order of precedence (regel 11)
what the day is. Counting ("more than 28 days", "3 months", in calendar days or lesweken) is done
by counting the days themselves. A property in ``test_orakel.py`` checks that both agree.

Shared with the fold on purpose, because each has its own tests: the leerplicht dates (regel 1,
``app/domain/leerplicht.py``), adding months (``plus_maanden``) and applying corrections and
withdrawals (regel 15, ``geldende_feiten``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.beleid import Beleid, Weektelling
from app.domain.classificatie import Categorie
from app.domain.datums import plus_maanden
from app.domain.feiten import (
    AdministratieveOnvolkomenheid,
    Belastbaarheid,
    Besluit11g,
    Besluit11gBeeindigd,
    Feit,
    Gastleerling,
    GastleerlingBeeindigd,
    Hervatting,
    Inschrijving,
    JeugdartsOordeel,
    KwalificatieplichtBeeindigd,
    NietIngeschreven,
    OnderwijsHervat,
    OngeoorloofdAangemerkt,
    Plaatsing,
    SchorsingBeeindigd,
    SchorsingGestart,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    VrijstellingBeeindigd,
    VrijstellingGrond,
    VrijstellingVerleend,
    WachtOpPlek,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Leerling
from app.domain.leerplicht import achttiende_verjaardag, leerplicht_start, plicht_einde
from app.domain.regio import Vakantiekalender
from app.domain.tijdlijn import geldende_feiten

_DAG = timedelta(days=1)
_BEGIN = date(2000, 1, 1)

_A2 = {
    VrijstellingGrond.ART_5_A: Categorie.A2A,
    VrijstellingGrond.ART_5_B: Categorie.A2B,
    VrijstellingGrond.ART_5_C: Categorie.A2C,
    VrijstellingGrond.ART_5A: Categorie.A2_OVERIG,
    VrijstellingGrond.ART_15: Categorie.A2_OVERIG,
}


@dataclass(frozen=True)
class Dag:
    """What the rules say about one day: the category, the deciding rule and its facts."""

    categorie: Categorie
    regel: str
    feit_ids: tuple[str, ...]


@dataclass
class _Stand:
    """Everything the facts have said up to and including the current day."""

    inschrijvingen: dict[str, str] = field(default_factory=dict)
    inschrijving_bekend: bool = False
    uitgeschreven_door: str | None = None
    vrijstellingen: dict[VrijstellingGrond, str] = field(default_factory=dict)
    besluit_11g: str | None = None
    gastleerling_met_ritme: str | None = None
    schorsing: str | None = None
    ziek: Ziekmelding | None = None
    ziek_vaak: bool = False
    ziek_starts: list[date] = field(default_factory=list)
    oordeel: str | None = None
    aangemerkt: str | None = None
    verzuim: str | None = None
    wacht: str | None = None
    gaten: list[AdministratieveOnvolkomenheid] = field(default_factory=list)
    kwalificatie: tuple[str, date] | None = None


def _pas_toe(stand: _Stand, feit: Feit, dag: date, beleid: Beleid) -> None:
    """Apply one fact to the state (the table of facts in docs/domain.md)."""
    if isinstance(feit, Ziekmelding):
        if stand.ziek is None:
            stand.ziek = feit
            stand.ziek_starts.append(dag)
            freq = beleid.a1_frequentie  # regel 3: the third report starting within 84 days
            if freq is not None:
                recent = [s for s in stand.ziek_starts if (dag - s).days < freq.dagen]
                stand.ziek_vaak = len(recent) >= freq.aantal
    elif isinstance(feit, ZiekmeldingBeeindigd):
        stand.ziek = None
        stand.oordeel = stand.aangemerkt = None
    elif isinstance(feit, VerzuimGestart):
        stand.verzuim = stand.verzuim or feit.id
    elif isinstance(feit, VerzuimBeeindigd):
        stand.verzuim = None
    elif isinstance(feit, Inschrijving):
        stand.inschrijvingen[feit.vestiging] = feit.id
        stand.inschrijving_bekend = True
    elif isinstance(feit, Uitschrijving):
        stand.inschrijvingen.pop(feit.vestiging, None)
        stand.uitgeschreven_door = feit.id
        stand.inschrijving_bekend = True
    elif isinstance(feit, NietIngeschreven):
        stand.uitgeschreven_door = feit.id
        stand.inschrijving_bekend = True
    elif isinstance(feit, JeugdartsOordeel):
        if feit.belastbaarheid is Belastbaarheid.NIET:
            stand.oordeel = stand.aangemerkt = None
        elif stand.ziek is not None:
            stand.oordeel = feit.id
    elif isinstance(feit, OngeoorloofdAangemerkt):
        if stand.oordeel is not None:
            stand.aangemerkt = feit.id
    elif isinstance(feit, VrijstellingVerleend):
        stand.vrijstellingen.setdefault(feit.grond, feit.id)
    elif isinstance(feit, VrijstellingBeeindigd):
        stand.vrijstellingen.pop(feit.grond, None)
    elif isinstance(feit, Besluit11g):
        stand.besluit_11g = feit.id
    elif isinstance(feit, Besluit11gBeeindigd):
        stand.besluit_11g = None
    elif isinstance(feit, SchorsingGestart):
        stand.schorsing = stand.schorsing or feit.id
    elif isinstance(feit, SchorsingBeeindigd):
        stand.schorsing = None
    elif isinstance(feit, Gastleerling):
        stand.gastleerling_met_ritme = feit.id if feit.ritme_hersteld else None
    elif isinstance(feit, GastleerlingBeeindigd):
        stand.gastleerling_met_ritme = None
    elif isinstance(feit, WachtOpPlek):
        stand.wacht = stand.wacht or feit.id
    elif isinstance(feit, Plaatsing):
        stand.wacht = None
    elif isinstance(feit, OnderwijsHervat):
        if feit.hervatting is Hervatting.VOLLEDIG:
            stand.verzuim = stand.wacht = None
            stand.ziek = None
            stand.oordeel = stand.aangemerkt = None
    elif isinstance(feit, KwalificatieplichtBeeindigd):
        if stand.kwalificatie is None:
            stand.kwalificatie = (feit.id, dag)
    elif isinstance(feit, AdministratieveOnvolkomenheid):
        stand.gaten.append(feit)
    # tlv-afgegeven, aanbod, verzuimuren: signals only, never a category


class _Teller:
    """Counts days the way regel 14 says: every day, or only days outside the school holidays."""

    def __init__(self, leerling: Leerling, beleid: Beleid, kalender: Vakantiekalender | None):
        self.leerling = leerling
        self.kalender = kalender if beleid.weektelling is Weektelling.LESWEKEN else None
        self._lopend: list[int] = []

    def telt(self, dag: date) -> bool:
        return self.kalender is None or not self.kalender.is_vakantiedag(dag, self.leerling.regio)

    def geteld(self, van: date, tot_en_met: date) -> int:
        """How many counted days lie in ``van`` .. ``tot_en_met``, both included."""
        return self._tot_en_met(tot_en_met) - self._tot_en_met(van - _DAG)

    def _tot_en_met(self, dag: date) -> int:
        """Counted days from 1 January 2000 up to and including ``dag`` (a running total)."""
        while len(self._lopend) <= (dag - _BEGIN).days:
            volgende = _BEGIN + timedelta(days=len(self._lopend))
            vorige = self._lopend[-1] if self._lopend else 0
            self._lopend.append(vorige + self.telt(volgende))
        return self._lopend[(dag - _BEGIN).days]

    def meer_dan_dagen(self, start: date, dag: date, dagen: int) -> bool:
        """Whether more than ``dagen`` counted days have passed from ``start`` up to ``dag``."""
        return self.geteld(start, dag) > dagen

    def meer_dan_maanden(self, start: date, dag: date, maanden: int) -> bool:
        """Whether as many counted days have passed as the calendar months are long (regel 5)."""
        lengte = (plus_maanden(start, maanden) - start).days
        return self.geteld(start, dag) > lengte


def classificeer(
    leerling: Leerling,
    feiten: list[Feit],
    beleid: Beleid,
    *,
    tot: date,
    kalender: Vakantiekalender | None = None,
) -> dict[date, Dag]:
    """Each day from the first fact up to ``tot``, classified on its own (docs/domain.md)."""
    geldend, _ = geldende_feiten(feiten)  # rule 11's order: date, registration, ends first
    geldend = [f for f in geldend if f.geldig_vanaf <= tot]
    if not geldend:
        return {}
    teller = _Teller(leerling, beleid, kalender)
    start_plicht = leerplicht_start(leerling.geboorte)
    stand = _Stand()
    uit: dict[date, Dag] = {}
    ongeoorloofd_sinds: date | None = None  # first day of the unbroken unexcused run (regel 5)
    dag = geldend[0].geldig_vanaf
    k = 0
    while dag <= tot:
        while k < len(geldend) and geldend[k].geldig_vanaf == dag:
            _pas_toe(stand, geldend[k], dag, beleid)
            k += 1
        einde_plicht = (
            plicht_einde(leerling.geboorte, stand.kwalificatie[1])
            if stand.kwalificatie
            else achttiende_verjaardag(leerling.geboorte)
        )
        antwoord, ongeoorloofd = _regels(
            stand,
            dag,
            beleid=beleid,
            teller=teller,
            start_plicht=start_plicht,
            einde_plicht=einde_plicht,
        )
        if ongeoorloofd:
            ongeoorloofd_sinds = ongeoorloofd_sinds or dag
            antwoord = _verzuimduur(antwoord, ongeoorloofd_sinds, dag, beleid, teller)
        else:
            ongeoorloofd_sinds = None
        uit[dag] = antwoord
        dag += _DAG
    return uit


def _regels(
    stand: _Stand,
    dag: date,
    *,
    beleid: Beleid,
    teller: _Teller,
    start_plicht: date,
    einde_plicht: date,
) -> tuple[Dag, bool]:
    """The rules in regel 11's order of precedence; True when the day is unexcused absence."""
    if dag < start_plicht:  # regel 2
        return Dag(Categorie.GEEN, "regel 2", ()), False
    if dag >= einde_plicht:  # regel 2 (and regel 1's kwalificatieplicht)
        kwal = (stand.kwalificatie[0],) if stand.kwalificatie else ()
        return Dag(Categorie.GEEN, "regel 2", kwal), False
    if stand.vrijstellingen:  # regel 8: the first ground in the law's order names the category
        grond = min(stand.vrijstellingen, key=list(VrijstellingGrond).index)
        return Dag(_A2[grond], "regel 8", tuple(stand.vrijstellingen.values())), False
    if stand.besluit_11g is not None:  # regel 11: C
        return Dag(Categorie.C, "regel 11", (stand.besluit_11g,)), False
    gat = None
    if not stand.inschrijvingen:  # regel 7
        gat = next((g for g in stand.gaten if g.geldig_vanaf <= dag <= g.tot_en_met), None)
        if gat is None and stand.inschrijving_bekend:
            door = (stand.uitgeschreven_door,) if stand.uitgeschreven_door else ()
            return Dag(Categorie.B3, "regel 7", door), False
    if stand.gastleerling_met_ritme is not None:  # regel 9
        return Dag(Categorie.GEEN, "regel 9", (stand.gastleerling_met_ritme,)), False
    if stand.schorsing is not None:  # regel 17: suspended is not absent
        return Dag(Categorie.GEEN, "regel 17", (stand.schorsing,)), False
    ziek = stand.ziek
    aangemerkt = stand.oordeel is not None and (
        stand.aangemerkt is not None or beleid.jeugdarts_oordeel_maakt_ongeoorloofd
    )
    if ziek is not None and not aangemerkt:  # regel 3
        a1 = stand.ziek_vaak or teller.meer_dan_dagen(ziek.geldig_vanaf, dag, beleid.a1_na_dagen)
        return Dag(Categorie.A1 if a1 else Categorie.GEEN, "regel 3", (ziek.id,)), False
    if ziek is not None and stand.oordeel is not None:  # regel 4
        ids: tuple[str, ...] = (ziek.id, stand.oordeel)
        if stand.aangemerkt is not None:
            ids = (*ids, stand.aangemerkt)
        return Dag(Categorie.B1, "regel 4", ids), True
    if stand.wacht is not None:  # regel 6
        return Dag(Categorie.B1, "regel 6", (stand.wacht,)), True
    if stand.verzuim is not None:  # regel 5
        return Dag(Categorie.B1, "regel 5", (stand.verzuim,)), True
    if gat is not None:  # regel 7: the explained gap
        return Dag(Categorie.GEEN, "regel 7", (gat.id,)), False
    return Dag(Categorie.GEEN, "regel 5", tuple(stand.inschrijvingen.values())), False


def _verzuimduur(antwoord: Dag, sinds: date, dag: date, beleid: Beleid, teller: _Teller) -> Dag:
    """Regel 5 (with regel 14): B1 up to 4 weeks, then B2a, B2b from 3 months."""
    if not teller.meer_dan_dagen(sinds, dag, beleid.b2_na_dagen):
        return antwoord
    if teller.meer_dan_maanden(sinds, dag, beleid.b2b_na_maanden):
        return Dag(Categorie.B2B, antwoord.regel, antwoord.feit_ids)
    return Dag(Categorie.B2A, antwoord.regel, antwoord.feit_ids)
