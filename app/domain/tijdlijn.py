"""The fold from a child's facts to its timeline of categories (DOMAIN.md rules 2-11, 15).

One pass over the facts sorted by valid date. Between two fact dates the state is constant; the
category can still change on dates that follow from it (leerplicht start and end, day 29 of
absence, 3 months), and those are computed, not searched day by day.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
from app.domain.leerling import Leerling
from app.domain.leerplicht import (
    achttiende_verjaardag,
    leerplicht_einde,
    leerplicht_start,
    plicht_einde,
)
from app.domain.regio import Vakantiekalender

_DAG = timedelta(days=1)

_VRIJSTELLING_CATEGORIE = {
    VrijstellingGrond.ART_5_A: Categorie.A2A,
    VrijstellingGrond.ART_5_B: Categorie.A2B,
    VrijstellingGrond.ART_5_C: Categorie.A2C,
    VrijstellingGrond.ART_5A: Categorie.A2_OVERIG,
    VrijstellingGrond.ART_15: Categorie.A2_OVERIG,
}
_GROND_VOLGORDE = tuple(VrijstellingGrond)

_META = (Correctie, Intrekking)


@dataclass(frozen=True, slots=True)
class Periode:
    """Consecutive days with one category, the rule and the facts that explain it."""

    categorie: Categorie
    start: date
    einde: date | None
    regel: str
    feit_ids: tuple[str, ...]
    eindreden: Beeindigingsreden | None = None


@dataclass(frozen=True, slots=True)
class Dataprobleem:
    """Contradictory or dangling facts to fix at the source (DOMAIN.md rules 11 and 15)."""

    datum: date
    beschrijving: str
    feit_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tijdlijn:
    """A child's consecutive periods up to and including ``tot``; the last one is open."""

    leerling_id: str
    tot: date
    perioden: tuple[Periode, ...]
    dataproblemen: tuple[Dataprobleem, ...]

    def op(self, datum: date) -> Periode | None:
        """The period that contains ``datum``, if the timeline covers it."""
        for periode in self.perioden:
            if periode.start <= datum and (periode.einde is None or datum <= periode.einde):
                return periode
        return None


_sleutel = operator.attrgetter("geldig_vanaf", "geregistreerd_op", "volgorde", "id")


def geldende_feiten(
    feiten: Iterable[Feit], bekend_op: datetime | None = None
) -> tuple[list[Feit], list[Dataprobleem]]:
    """Facts in force as known on ``bekend_op``, withdrawals and corrections applied (rule 15)."""
    basis: list[Feit] = []
    meta: list[Correctie | Intrekking] = []
    for feit in feiten:
        if bekend_op is not None and feit.geregistreerd_op > bekend_op:
            continue
        if type(feit) in _META:
            meta.append(feit)  # type: ignore[arg-type]
        else:
            basis.append(feit)
    problemen: list[Dataprobleem] = []
    if meta:
        huidig = {f.id: f for f in basis}
        alias: dict[str, str] = {}
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
        basis = list(huidig.values())
    basis.sort(key=_sleutel)
    return basis, problemen


class _Vouw:
    """The mutable state of one child's fold; private, discarded after each call."""

    def __init__(self, leerling: Leerling, beleid: Beleid, kalender: Vakantiekalender | None):
        if beleid.weektelling is Weektelling.LESWEKEN and kalender is None:
            raise ValueError("weektelling in lesweken vraagt een vakantiekalender")
        g = leerling.geboorte
        self.leerling = leerling
        self.beleid = beleid
        self.kalender = kalender if beleid.weektelling is Weektelling.LESWEKEN else None
        self.plicht_start = leerplicht_start(g)
        self.leerplicht_einde = leerplicht_einde(g)
        self.achttien = achttiende_verjaardag(g)
        self.plicht_einde = self.achttien
        self.kwal_id: str | None = None
        self.inschrijvingen: dict[str, str] = {}
        self.uitschrijving_id: str | None = None
        self.onvolkomenheden: list[AdministratieveOnvolkomenheid] = []
        self.verzuim_id: str | None = None
        self.wacht_id: str | None = None
        self.ziek: Ziekmelding | None = None
        self.ziek_frequent = False
        self.ziek_starts: list[date] = []
        self.oordeel: JeugdartsOordeel | None = None
        self.vrijstellingen: dict[VrijstellingGrond, str] = {}
        self.c11g_id: str | None = None
        self.schorsing: SchorsingGestart | None = None
        self.gast_id: str | None = None
        self.aanbod: AanbodGestart | None = None
        self.tlv: TlvAfgegeven | None = None
        self.uren: list[Verzuimuren] = []
        self.vrijstelling_5a_laatst: date | None = None
        self.run_start: date | None = None
        self.run_einde: date | None = None
        self.raw: list[tuple[date, Categorie, str, tuple[str, ...]]] = []
        self.redenen: dict[date, Beeindigingsreden] = {}
        self.problemen: list[Dataprobleem] = []
        self.dubbel = False
        self.vrij_ingeschreven = False
        self._na_cache: dict[tuple[date, int], date] = {}

    # -- counting (DOMAIN.md rule 14) -------------------------------------------------------

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

    # -- applying facts ---------------------------------------------------------------------

    def toepassen(self, feit: Feit) -> None:
        """Apply one fact to the state."""
        d = feit.geldig_vanaf
        if isinstance(feit, Inschrijving):
            self.inschrijvingen[feit.vestiging] = feit.id
        elif isinstance(feit, VerzuimGestart):
            if self.verzuim_id is None:
                self.verzuim_id = feit.id
        elif isinstance(feit, VerzuimBeeindigd):
            self._einde(feit, self.verzuim_id, "verzuim")
            self.verzuim_id = None
        elif isinstance(feit, Ziekmelding):
            if self.ziek is None:
                self.ziek = feit
                self.ziek_starts.append(d)
                freq = self.beleid.a1_frequentie
                self.ziek_frequent = freq is not None and (
                    sum(1 for s in self.ziek_starts if (d - s).days < freq.dagen) >= freq.aantal
                )
        elif isinstance(feit, ZiekmeldingBeeindigd):
            self._einde(feit, self.ziek, "ziekmelding")
            self.ziek = self.oordeel = None
        elif isinstance(feit, Uitschrijving):
            if self.inschrijvingen.pop(feit.vestiging, None) is None:
                self._probleem(d, "uitschrijving zonder inschrijving bij deze vestiging", feit.id)
            self.uitschrijving_id = feit.id
            if feit.reden is not None:
                self.redenen[d] = feit.reden
        elif isinstance(feit, JeugdartsOordeel):
            if feit.belastbaarheid is Belastbaarheid.NIET:
                self.oordeel = None
            elif self.ziek is not None:
                self.oordeel = feit
        elif isinstance(feit, VrijstellingVerleend):
            self.vrijstellingen.setdefault(feit.grond, feit.id)
        elif isinstance(feit, VrijstellingBeeindigd):
            self._einde(feit, self.vrijstellingen.pop(feit.grond, None), "vrijstelling")
        elif isinstance(feit, WachtOpPlek):
            if self.wacht_id is None:
                self.wacht_id = feit.id
        elif isinstance(feit, TlvAfgegeven):
            self.tlv = feit
        elif isinstance(feit, Plaatsing):
            self.tlv = None
            self.wacht_id = None
        elif isinstance(feit, OnderwijsHervat):
            if feit.hervatting is Hervatting.VOLLEDIG:
                self.verzuim_id = self.wacht_id = None
                self.ziek = self.oordeel = None
            if feit.reden is not None:
                self.redenen[d] = feit.reden
        else:
            self._toepassen_overig(feit)

    def _toepassen_overig(self, feit: Feit) -> None:
        d = feit.geldig_vanaf
        if isinstance(feit, NietIngeschreven):
            self.uitschrijving_id = feit.id
        elif isinstance(feit, Besluit11g):
            self.c11g_id = feit.id
        elif isinstance(feit, Besluit11gBeeindigd):
            self._einde(feit, self.c11g_id, "besluit 11g")
            self.c11g_id = None
        elif isinstance(feit, SchorsingGestart):
            if self.schorsing is None:
                self.schorsing = feit
        elif isinstance(feit, SchorsingBeeindigd):
            self._einde(feit, self.schorsing, "schorsing")
            self.schorsing = None
        elif isinstance(feit, AanbodGestart):
            self.aanbod = feit
        elif isinstance(feit, AanbodBeeindigd):
            self._einde(feit, self.aanbod, "aanbod")
            self.aanbod = None
        elif isinstance(feit, Gastleerling):
            self.gast_id = feit.id if feit.ritme_hersteld else None
        elif isinstance(feit, GastleerlingBeeindigd):
            self.gast_id = None
        elif isinstance(feit, KwalificatieplichtBeeindigd):
            if self.kwal_id is None:
                self.kwal_id = feit.id
                self.plicht_einde = plicht_einde(self.leerling.geboorte, d)
        elif isinstance(feit, AdministratieveOnvolkomenheid):
            self.onvolkomenheden.append(feit)
        elif isinstance(feit, Verzuimuren):  # pragma: no branch
            self.uren.append(feit)
        # Correctie and Intrekking never reach the fold: geldende_feiten resolved them.

    def _einde(self, feit: Feit, open_feit: object, wat: str) -> None:
        if open_feit is None:
            self._probleem(feit.geldig_vanaf, f"einde van {wat} zonder lopende {wat}", feit.id)
        reden = getattr(feit, "reden", None)
        if isinstance(reden, Beeindigingsreden):
            self.redenen[feit.geldig_vanaf] = reden

    def _probleem(self, datum: date, beschrijving: str, *ids: str) -> None:
        self.problemen.append(Dataprobleem(datum, beschrijving, ids))

    def controleren(self, d: date) -> None:
        """End-of-day contradiction checks (DOMAIN.md rule 11)."""
        dubbel = len(self.inschrijvingen) > 1
        if dubbel and not self.dubbel:
            self._probleem(
                d, "ingeschreven bij meer dan één vestiging", *self.inschrijvingen.values()
            )
        self.dubbel = dubbel
        vrij = bool(self.vrijstellingen) and bool(self.inschrijvingen)
        if vrij and not self.vrij_ingeschreven:
            ids = (*self.vrijstellingen.values(), *self.inschrijvingen.values())
            self._probleem(d, "vrijstelling van inschrijving terwijl ingeschreven", *ids)
        self.vrij_ingeschreven = vrij

    # -- classifying ------------------------------------------------------------------------

    def classificeren(self, d: date) -> tuple[Categorie, str, tuple[str, ...], date | None, bool]:
        """Category, rule, facts and the next date it may change, under rule 11's precedence."""
        if d < self.plicht_start:
            return Categorie.GEEN, "regel 2", (), self.plicht_start, False
        einde = self.plicht_einde
        if d >= einde:
            return Categorie.GEEN, "regel 2", (self.kwal_id,) if self.kwal_id else (), None, False
        if self.vrijstellingen:
            grond = next(g for g in _GROND_VOLGORDE if g in self.vrijstellingen)
            ids = tuple(self.vrijstellingen.values())
            return _VRIJSTELLING_CATEGORIE[grond], "regel 8", ids, einde, False
        if self.c11g_id is not None:
            return Categorie.C, "regel 11", (self.c11g_id,), einde, False
        if not self.inschrijvingen:
            for o in self.onvolkomenheden:
                if o.geldig_vanaf <= d <= o.tot_en_met:
                    einde = min(einde, o.tot_en_met + _DAG)
                    break
            else:
                ids = (self.uitschrijving_id,) if self.uitschrijving_id else ()
                return Categorie.B3, "regel 7", ids, einde, False
        if self.gast_id is not None:
            return Categorie.GEEN, "regel 9", (self.gast_id,), einde, False
        if self.schorsing is not None:
            return Categorie.GEEN, "regel 17", (self.schorsing.id,), einde, False
        ziek = self.ziek
        if ziek is not None:
            if self.oordeel is None:
                if self.ziek_frequent:
                    return Categorie.A1, "regel 3", (ziek.id,), einde, False
                a1 = self.na(ziek.geldig_vanaf, self.beleid.a1_na_dagen)
                if d >= a1:
                    return Categorie.A1, "regel 3", (ziek.id,), einde, False
                return Categorie.GEEN, "regel 3", (ziek.id,), min(einde, a1), False
            regel, ids = "regel 4", (ziek.id, self.oordeel.id)
        elif self.wacht_id is not None:
            regel, ids = "regel 6", (self.wacht_id,)
        elif self.verzuim_id is not None:
            regel, ids = "regel 5", (self.verzuim_id,)
        else:
            return Categorie.GEEN, "regel 5", tuple(self.inschrijvingen.values()), einde, False
        if self.run_einde != d or self.run_start is None:
            self.run_start = d
        start = self.run_start
        b2a = self.na(start, self.beleid.b2_na_dagen)
        if d < b2a:
            return Categorie.B1, regel, ids, min(einde, b2a), True
        b2b = self.na_maanden(start, self.beleid.b2b_na_maanden)
        if d < b2b:
            return Categorie.B2A, regel, ids, min(einde, b2b), True
        return Categorie.B2B, regel, ids, einde, True

    def segment(self, van: date, tot: date) -> None:
        """Classify the days ``van`` up to (not including) ``tot`` with the current state."""
        d = van
        raw = self.raw
        while d < tot:
            categorie, regel, ids, volgende, ongeoorloofd = self.classificeren(d)
            if volgende is None or volgende > tot:
                volgende = tot
            if ongeoorloofd:
                self.run_einde = volgende
            if not raw or raw[-1][1] is not categorie or raw[-1][2] != regel:
                raw.append((d, categorie, regel, ids))
            d = volgende

    def vouwen(self, feiten: list[Feit], tot: date) -> int:
        """Fold the sorted facts up to ``tot``; returns how many facts were applied."""
        n = len(feiten)
        i = 0
        vorige: date | None = None
        while i < n:
            dag = feiten[i].geldig_vanaf
            if dag > tot:
                break
            if vorige is not None:
                self.segment(vorige, dag)
            while i < n and feiten[i].geldig_vanaf == dag:
                self.toepassen(feiten[i])
                i += 1
            self.controleren(dag)
            vorige = dag
        if vorige is not None:
            self.segment(vorige, tot + _DAG)
        return i

    def perioden(self) -> tuple[Periode, ...]:
        """The raw periods as Periode values, each closed on the day before the next starts."""
        raw = self.raw
        uit: list[Periode] = []
        for k, (start, categorie, regel, ids) in enumerate(raw):
            if k + 1 < len(raw):
                volgende = raw[k + 1][0]
                reden = self.redenen.get(volgende)
                if reden is None and volgende == self.achttien and raw[k + 1][2] == "regel 2":
                    reden = Beeindigingsreden.ACHTTIEN_JAAR
                uit.append(Periode(categorie, start, volgende - _DAG, regel, ids, reden))
            else:
                uit.append(Periode(categorie, start, None, regel, ids))
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
    geldend, problemen = geldende_feiten(feiten, bekend_op)
    vouw = _Vouw(leerling, beleid, kalender)
    vouw.vouwen(geldend, tot)
    alle = [p for p in problemen if p.datum <= tot] + vouw.problemen
    return Tijdlijn(leerling.id, tot, vouw.perioden(), tuple(alle))
