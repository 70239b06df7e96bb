"""A deterministic synthetic SWV region: schools, children and their facts.

Everything is fictitious: BRIN codes 99xx, gemeente codes GM99xx, pseudonyms ``P`` + 7 digits,
birth year and month only; never a name, a BSN, an address or an exact birth date. The same seed
gives the same region. Children are yielded one at a time (each from its own ``random.Random``
seeded by the region seed and its index), so 200,000 children stream in bounded memory and any
slice can be regenerated on its own.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.domain.feiten import (
    AanbodGestart,
    AanbodSoort,
    AdministratieveOnvolkomenheid,
    Beeindigingsreden,
    Belastbaarheid,
    Besluit11g,
    Besluit11gBeeindigd,
    Correctie,
    Feit,
    Gastleerling,
    Hervatting,
    Inschrijving,
    Intrekking,
    JeugdartsOordeel,
    NietIngeschreven,
    OnderwijsHervat,
    Plaatsing,
    SchorsingBeeindigd,
    SchorsingGestart,
    SoortThuiszitter,
    TlvAfgegeven,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    Verzuimuren,
    VrijstellingGrond,
    VrijstellingVerleend,
    WachtOpPlek,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.rapportage import LeerlingVoorRapport
from app.domain.regio import Regio

GEMEENTEN: tuple[tuple[str, str], ...] = (
    ("GM9901", "Demostad"),
    ("GM9902", "Voorbeelddorp"),
    ("GM9903", "Proefhuizen"),
    ("GM9904", "Testerveen"),
    ("GM9905", "Oefenmeer"),
)
JEUGDHULP: tuple[str, ...] = (
    "Wijkteam Demostad",
    "Jeugd-GGZ Regio Demo",
    "Gezinsbegeleiding Voorbeeld",
    "Jeugdzorg Proefhuizen",
)

# Share of children per pattern; the rest only has an enrolment (and ordinary sickness).
PATRONEN: tuple[tuple[str, float], ...] = (
    ("kort-verzuim", 0.08),
    ("schoolwissel", 0.03),
    ("lang-ziek", 0.015),
    ("b2a", 0.01),
    ("b2b", 0.005),
    ("ziek-jeugdarts", 0.004),
    ("wacht-op-plek", 0.005),
    ("schorsing", 0.005),
    ("absoluut-verzuim", 0.004),
    ("vrijstelling", 0.004),
    ("besluit-11g", 0.002),
    ("gastleerling", 0.002),
)


@dataclass(frozen=True, slots=True)
class School:
    """A fictitious school vestiging: BRIN 99xx plus a two-digit location number."""

    vestiging: str
    naam: str
    soort: str  # po, vo or so
    gemeente: str


def genereer_scholen(seed: int, aantal: int = 40) -> tuple[School, ...]:
    """About two thirds primary, a quarter secondary and the rest special schools."""
    rnd = random.Random(f"scholen:{seed}")  # noqa: S311 (synthetic data, not security)
    scholen: list[School] = []
    for i in range(aantal):
        soort = "po" if i % 12 < 8 else "vo" if i % 12 < 11 else "so"
        brin = f"99{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
        gemeente = rnd.choice(GEMEENTEN)[1]
        naam = f"Demo {soort.upper()} {brin}, {gemeente}"
        scholen.append(School(f"{brin}00", naam, soort, gemeente))
    return tuple(scholen)


class _Kind:
    """Builds one child's facts; private, discarded after each child."""

    def __init__(self, rnd: random.Random, index: int, seed: int) -> None:
        self.rnd = rnd
        self.prefix = f"g{seed}-{index}-"
        self.feiten: list[Feit] = []

    def feit(
        self, cls: type[Any], dag: date, *, vertraging: int | None = None, **velden: Any
    ) -> Feit:
        """A fact about ``dag``, registered 0-6 days later during office hours (UTC)."""
        if vertraging is None:
            vertraging = self.rnd.randint(0, 6)
        moment = datetime.combine(
            dag + timedelta(days=vertraging), time(8 + self.rnd.randint(0, 8)), UTC
        )
        f: Feit = cls(
            id=f"{self.prefix}{len(self.feiten)}",
            geldig_vanaf=dag,
            geregistreerd_op=moment,
            **velden,
        )
        self.feiten.append(f)
        return f


def _kies(rnd: random.Random) -> str | None:
    r = rnd.random()
    for naam, kans in PATRONEN:
        if r < kans:
            return naam
        r -= kans
    return None


def genereer_kinderen(
    aantal: int,
    *,
    seed: int,
    schooljaar: int = 2025,
    scholen: Sequence[School] | None = None,
    regio: Regio = Regio.MIDDEN,
) -> Iterator[LeerlingVoorRapport]:
    """``aantal`` children with facts around the school year ending 31 July of ``schooljaar``."""
    scholen = scholen or genereer_scholen(seed)
    per_soort = {
        s: [x for x in scholen if x.soort == s] or list(scholen) for s in ("po", "vo", "so")
    }
    begin = date(schooljaar - 1, 8, 1)
    for index in range(aantal):
        rnd = random.Random(f"{seed}:{index}")  # noqa: S311 (synthetic data, not security)
        yield _kind(rnd, index, seed=seed, begin=begin, per_soort=per_soort, regio=regio)


def _kind(
    rnd: random.Random,
    index: int,
    *,
    seed: int,
    begin: date,
    per_soort: dict[str, list[School]],
    regio: Regio,
) -> LeerlingVoorRapport:
    leeftijd = rnd.choices(range(3, 20), weights=[1, 5, *[8] * 11, 7, 6, 5, 2])[0]
    geboorte = Geboorte(begin.year - leeftijd, rnd.randint(1, 12))
    soort = "so" if rnd.random() < 0.04 else "po" if leeftijd < 12 else "vo"
    school = rnd.choice(per_soort[soort])
    gemeente = school.gemeente if rnd.random() < 0.8 else rnd.choice(GEMEENTEN)[1]
    kind = _Kind(rnd, index, seed)
    vierjarig = date(geboorte.jaar + 4, geboorte.maand, 1) + timedelta(days=31)
    ingeschreven = max(vierjarig, begin - timedelta(days=rnd.randint(0, 1500)))
    patroon = _kies(rnd)
    if patroon != "vrijstelling" or rnd.random() < 0.5:
        kind.feit(Inschrijving, ingeschreven, vestiging=school.vestiging)
    if patroon not in {"lang-ziek", "ziek-jeugdarts"}:  # ordinary short sickness, no overlap
        spells = rnd.choices(range(6), weights=[15, 25, 25, 18, 10, 7])[0]
        dagen = sorted(rnd.sample(range(20, 330, 10), spells))
        for dag in (begin + timedelta(days=d) for d in dagen):
            kind.feit(Ziekmelding, dag, door_ouders=rnd.random() < 0.95)
            kind.feit(ZiekmeldingBeeindigd, dag + timedelta(days=rnd.randint(1, 7)))
    if rnd.random() < 0.35:
        week = begin + timedelta(days=rnd.randint(30, 300))
        for w in range(rnd.randint(1, 8)):
            kind.feit(Verzuimuren, week + timedelta(days=7 * w), uren=float(rnd.randint(1, 8)))
    info: dict[str, Any] = {}
    if patroon is not None:
        info = _PATROON[patroon](kind, begin + timedelta(days=rnd.randint(-120, 330)), school)
    _correcties(kind)
    pseudoniem = f"P{(index * 7919 + seed) % 10_000_000:07d}"
    return LeerlingVoorRapport(
        leerling=Leerling(f"gen-{seed}-{index}", geboorte, regio),
        feiten=tuple(kind.feiten),
        pseudoniem=pseudoniem,
        vestiging=school.vestiging,
        gemeente=gemeente,
        **info,
    )


def _thuiszitter_info(kind: _Kind) -> dict[str, Any]:
    rnd = kind.rnd
    soort = rnd.choices(list(SoortThuiszitter), weights=[50, 15, 20, 15])[0]
    jeugdhulp = rnd.choice(JEUGDHULP) if rnd.random() < 0.4 else None
    return {"soort": soort, "jeugdhulp": jeugdhulp}


def _verzuim(
    kind: _Kind, start: date, dagen: tuple[int, int], *, open_kans: float
) -> dict[str, Any]:
    rnd = kind.rnd
    kind.feit(VerzuimGestart, start)
    duur = rnd.randint(*dagen)
    if dagen[0] > 28 and rnd.random() < 0.5:
        aanbod = AanbodSoort.THUISWERKPLAN if rnd.random() < 0.6 else AanbodSoort.PASSEND_AANBOD
        kind.feit(AanbodGestart, start + timedelta(days=rnd.randint(14, 60)), aanbod=aanbod)
    if rnd.random() >= open_kans:
        reden = rnd.choices(
            [*list(Beeindigingsreden)[:3], Beeindigingsreden.OVERIG], weights=[70, 10, 15, 5]
        )[0]
        kind.feit(VerzuimBeeindigd, start + timedelta(days=duur), reden=reden)
    return _thuiszitter_info(kind) if dagen[1] > 28 else {}


def _kort(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    return _verzuim(kind, start, (1, 25), open_kans=0.05)


def _b2a(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    return _verzuim(kind, start, (29, 88), open_kans=0.2)


def _b2b(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    return _verzuim(kind, start, (95, 300), open_kans=0.5)


def _schoolwissel(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    rnd = kind.rnd
    kind.feit(Uitschrijving, start, vestiging=school.vestiging, reden=None)
    gat = rnd.choice((0, 0, 0, 3, 10))
    if gat and rnd.random() < 0.5:  # an administrative gap that lines up afterwards (rule 7)
        kind.feit(
            AdministratieveOnvolkomenheid,
            start,
            tot_en_met=start + timedelta(days=gat - 1),
            toelichting="uit- en inschrijving sloten niet aan",
        )
    kind.feit(Inschrijving, start + timedelta(days=gat), vestiging="99ZZ00")
    return {}


def _lang_ziek(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    kind.feit(Ziekmelding, start, door_ouders=True)
    if kind.rnd.random() < 0.7:
        kind.feit(ZiekmeldingBeeindigd, start + timedelta(days=kind.rnd.randint(30, 200)))
    return {}


def _ziek_jeugdarts(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    rnd = kind.rnd
    kind.feit(Ziekmelding, start, door_ouders=True)
    oordeel = start + timedelta(days=rnd.randint(14, 40))
    kind.feit(JeugdartsOordeel, oordeel, belastbaarheid=Belastbaarheid.GEDEELTELIJK)
    kind.feit(ZiekmeldingBeeindigd, oordeel + timedelta(days=rnd.randint(10, 120)))
    return {**_thuiszitter_info(kind), "soort": SoortThuiszitter.SCHOOLWEIGERAAR}


def _wacht(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    rnd = kind.rnd
    kind.feit(TlvAfgegeven, start)
    kind.feit(WachtOpPlek, start + timedelta(days=rnd.randint(0, 14)))
    if rnd.random() < 0.8:
        plaatsing = start + timedelta(days=rnd.randint(10, 150))
        kind.feit(Plaatsing, plaatsing, vestiging="99SO00")
        kind.feit(
            Uitschrijving,
            plaatsing,
            vestiging=school.vestiging,
            reden=Beeindigingsreden.WISSELING_SCHOOL,
        )
        kind.feit(Inschrijving, plaatsing, vestiging="99SO00")
    return _thuiszitter_info(kind)


def _schorsing(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    kind.feit(SchorsingGestart, start)
    kind.feit(SchorsingBeeindigd, start + timedelta(days=kind.rnd.randint(1, 5)))
    return {}


def _absoluut(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    rnd = kind.rnd
    kind.feit(Uitschrijving, start, vestiging=school.vestiging, reden=Beeindigingsreden.VERHUIZING)
    kind.feit(NietIngeschreven, start + timedelta(days=rnd.randint(1, 30)), melder="leerplicht")
    if rnd.random() < 0.6:
        kind.feit(Inschrijving, start + timedelta(days=rnd.randint(5, 150)), vestiging="99ZZ00")
    return {}


def _vrijstelling(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    rnd = kind.rnd
    grond = rnd.choices(list(VrijstellingGrond), weights=[70, 10, 10, 3, 7])[0]
    if any(isinstance(f, Inschrijving) for f in kind.feiten):
        kind.feit(
            Uitschrijving,
            start,
            vestiging=school.vestiging,
            reden=Beeindigingsreden.ONTHEFFING_VRIJSTELLING,
        )
    kind.feit(VrijstellingVerleend, start, grond=grond)
    return {}


def _besluit_11g(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    kind.feit(Besluit11g, start)
    if kind.rnd.random() < 0.5:
        kind.feit(Besluit11gBeeindigd, start + timedelta(days=kind.rnd.randint(30, 200)))
    return {}


def _gastleerling(kind: _Kind, start: date, school: School) -> dict[str, Any]:
    rnd = kind.rnd
    kind.feit(VerzuimGestart, start)
    gast = start + timedelta(days=rnd.randint(20, 60))
    kind.feit(Gastleerling, gast, voorziening="Rebound Demo", ritme_hersteld=True)
    kind.feit(
        OnderwijsHervat,
        gast + timedelta(days=rnd.randint(20, 80)),
        hervatting=Hervatting.VOLLEDIG,
        reden=Beeindigingsreden.SCHOOLGANG_HERSTELD,
    )
    return _thuiszitter_info(kind)


_PATROON: dict[str, Callable[[_Kind, date, School], dict[str, Any]]] = {
    "kort-verzuim": _kort,
    "schoolwissel": _schoolwissel,
    "lang-ziek": _lang_ziek,
    "b2a": _b2a,
    "b2b": _b2b,
    "ziek-jeugdarts": _ziek_jeugdarts,
    "wacht-op-plek": _wacht,
    "schorsing": _schorsing,
    "absoluut-verzuim": _absoluut,
    "vrijstelling": _vrijstelling,
    "besluit-11g": _besluit_11g,
    "gastleerling": _gastleerling,
}


def _correcties(kind: _Kind) -> None:
    """Now and then a wrong report is corrected (date moved) or withdrawn (rule 15)."""
    rnd = kind.rnd
    kandidaten = [f for f in kind.feiten if not isinstance(f, Inschrijving)]
    if not kandidaten:
        return
    r = rnd.random()
    if r < 0.01:
        doel = rnd.choice(kandidaten)
        nieuw = dataclasses.replace(
            doel,
            id=f"{doel.id}c",
            geldig_vanaf=doel.geldig_vanaf + timedelta(days=rnd.choice((-3, -1, 1, 2))),
        )
        kind.feit(
            Correctie,
            doel.geldig_vanaf,
            vertraging=rnd.randint(7, 40),
            betreft=doel.id,
            reden="datum verkeerd doorgegeven",
            vervanging=nieuw,
        )
    elif r < 0.015:
        doel = rnd.choice(kandidaten)
        kind.feit(
            Intrekking,
            doel.geldig_vanaf,
            vertraging=rnd.randint(7, 40),
            betreft=doel.id,
            reden="de melding was verkeerd gedaan",
        )
