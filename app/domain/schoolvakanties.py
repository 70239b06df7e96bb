"""School holiday calendar per region from the Rijksoverheid open data (docs/domain.md regel 14).

The input is the JSON served by the Rijksoverheid open-data API for the infotype
``schoolholidays``: one document per school year (or a list of them) whose ``content`` holds
``schoolyear`` and ``vacations``; each vacation has ``type``, ``compulsorydates`` and ``regions``
with ``region`` ("noord", "midden", "zuid" or "heel Nederland"), ``startdate`` and ``enddate``.

Dates: the API writes instants in UTC. Start dates are written as midnight UTC of the first day
(``2024-10-19T00:00:00.000Z`` is Saturday 19 October 2024) and end dates as 23:59 Dutch local
time of the last day (``2024-10-27T22:59:00.000Z``, or ``...T21:59...`` in summer time). Every
instant is therefore converted to Dutch local time (CET/CEST, EU rule) and its calendar date is
taken; both days are inclusive. A value without offset is taken as a local date as written.

Definitions used by the helpers:

* *vakantiedag*: a day, weekend included, inside a holiday period of the region.
* *lesdag*: a Monday to Friday that is not a vakantiedag. Public holidays outside the school
  holidays (Goede Vrijdag, Koningsdag, Hemelvaart, Pinksteren) are not in the source data and
  therefore count as lesdagen.
* *lesweek*: a calendar week (ISO, Monday to Sunday) that has at least one lesdag inside the
  asked range; a week that is entirely holiday is skipped, a partly-holiday week counts.

Coverage: a school year's data covers the dates from the day after the previous school year's
last summer-holiday day (when that year is loaded too; otherwise from the first day of its
earliest holiday, because the end of the previous summer is unknown) through the last day of its
own summer holiday (latest region). Questions about uncovered dates raise
:class:`KalenderOntbreektError` instead of answering "no holiday".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from app.domain.regio import Regio

__all__ = [
    "KalenderMetAfwijkingen",
    "KalenderOntbreektError",
    "Schooljaar",
    "SchoolvakantieFormaatError",
    "SchoolvakantieFoutenError",
    "Schoolvakanties",
    "Vakantieperiode",
    "VrijePeriode",
    "laad_meegeleverde_kalender",
    "lees_schoolvakanties",
    "schooljaar_van",
]

_DATA_PACKAGE = "app.domain.data"
_HEEL_NEDERLAND = "heel nederland"
_REGIO_WAARDEN = {regio.value: regio for regio in Regio}


class SchoolvakantieFormaatError(ValueError):
    """The school holiday data does not have the Rijksoverheid format (docs/domain.md regel 14)."""


class SchoolvakantieFoutenError(SchoolvakantieFormaatError):
    """Every format error of one file at once, each as (place, message) (regel 14)."""

    def __init__(self, fouten: Sequence[tuple[str, str]]) -> None:
        """Keep every (place, message) pair; the text lists them all (docs/domain.md regel 14)."""
        self.fouten = tuple(fouten)
        super().__init__("; ".join(f"{plaats}: {bericht}" for plaats, bericht in self.fouten))


class KalenderOntbreektError(LookupError):
    """The calendar has no data for a date that was asked about (docs/domain.md regel 14)."""

    def __init__(self, datum: date, bekend: Sequence[str]) -> None:
        """Name the date, its missing school year and the known years (docs/domain.md regel 14)."""
        self.datum = datum
        self.schooljaar = schooljaar_van(datum)
        self.bekend = tuple(bekend)
        super().__init__(
            f"geen schoolvakantiegegevens voor {datum.isoformat()} (schooljaar "
            f"{self.schooljaar}); bekende schooljaren: {', '.join(self.bekend) or 'geen'}"
        )


def schooljaar_van(datum: date) -> str:
    """The school year a date belongs to: from 1 August (WPO art. 1 "schooljaar")."""
    begin = datum.year if datum.month >= 8 else datum.year - 1
    return f"{begin}-{begin + 1}"


@dataclass(frozen=True, slots=True)
class VrijePeriode:
    """Extra days off of one vestiging, both days inclusive (docs/domain.md regel 14)."""

    eerste_dag: date
    laatste_dag: date

    def bevat(self, datum: date) -> bool:
        """Tell whether the date lies inside these days off (docs/domain.md regel 14)."""
        return self.eerste_dag <= datum <= self.laatste_dag


@dataclass(frozen=True, slots=True)
class Vakantieperiode:
    """One holiday of one region, both days inclusive (docs/domain.md regel 14)."""

    schooljaar: str
    soort: str
    regio: Regio
    eerste_dag: date
    laatste_dag: date
    verplicht: bool

    def bevat(self, datum: date) -> bool:
        """Tell whether the date lies inside this holiday (docs/domain.md regel 14)."""
        return self.eerste_dag <= datum <= self.laatste_dag


@dataclass(frozen=True, slots=True)
class Schooljaar:
    """The holidays of one school year, e.g. "2024-2025" (docs/domain.md regel 14)."""

    naam: str
    beginjaar: int
    perioden: tuple[Vakantieperiode, ...]

    @property
    def eerste_vakantiedag(self) -> date:
        """First day of the earliest holiday in this school year (docs/domain.md regel 14)."""
        return min(periode.eerste_dag for periode in self.perioden)

    @property
    def laatste_vakantiedag(self) -> date:
        """Last day of the latest holiday, i.e. the summer (docs/domain.md regel 14)."""
        return max(periode.laatste_dag for periode in self.perioden)


# --- parsing -----------------------------------------------------------------------------------


def _last_sunday(jaar: int, maand: int) -> date:
    volgende = date(jaar + 1, 1, 1) if maand == 12 else date(jaar, maand + 1, 1)
    laatste = volgende - timedelta(days=1)
    return laatste - timedelta(days=(laatste.weekday() + 1) % 7)


def _nederlandse_tijd(moment: datetime) -> datetime:
    """Convert an aware instant to Dutch wall-clock time (EU summer time rule since 1996)."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    zomertijd_begin = datetime.combine(_last_sunday(utc.year, 3), time(1))
    zomertijd_eind = datetime.combine(_last_sunday(utc.year, 10), time(1))
    uren = 2 if zomertijd_begin <= utc < zomertijd_eind else 1
    return utc + timedelta(hours=uren)


def _datum(waarde: object, veld: str, plaats: str) -> date:
    if not isinstance(waarde, str) or not waarde.strip():
        raise SchoolvakantieFormaatError(
            f"{plaats}: '{veld}' moet een niet-lege ISO-tijdstempel zijn"
        )
    try:
        moment = datetime.fromisoformat(waarde.strip())
    except ValueError:
        raise SchoolvakantieFormaatError(
            f"{plaats}: '{veld}' is geen geldige ISO-tijdstempel"
        ) from None
    if moment.tzinfo is not None:
        moment = _nederlandse_tijd(moment)
    return moment.date()


def _tekst(bron: Mapping[str, object], veld: str, plaats: str) -> str:
    waarde = bron.get(veld)
    if not isinstance(waarde, str) or not waarde.strip():
        raise SchoolvakantieFormaatError(f"{plaats}: '{veld}' moet een niet-lege tekst zijn")
    return waarde.strip()


def _object(waarde: object, plaats: str) -> Mapping[str, object]:
    if not isinstance(waarde, Mapping):
        raise SchoolvakantieFormaatError(f"{plaats}: verwacht een JSON-object")
    return waarde


def _lijst(bron: Mapping[str, object], veld: str, plaats: str) -> Sequence[object]:
    waarde = bron.get(veld)
    if not isinstance(waarde, list) or not waarde:
        raise SchoolvakantieFormaatError(f"{plaats}: '{veld}' moet een niet-lege lijst zijn")
    return waarde


def _verplicht(waarde: object, plaats: str) -> bool:
    if isinstance(waarde, bool):
        return waarde
    if isinstance(waarde, str) and waarde.strip().lower() in ("true", "false"):
        return waarde.strip().lower() == "true"
    raise SchoolvakantieFormaatError(f"{plaats}: 'compulsorydates' moet true of false zijn")


def _schooljaar_naam(waarde: str, plaats: str) -> tuple[str, int]:
    delen = [deel.strip() for deel in waarde.split("-")]
    if len(delen) != 2 or not all(len(deel) == 4 and deel.isdigit() for deel in delen):
        raise SchoolvakantieFormaatError(f"{plaats}: 'schoolyear' moet de vorm 2024-2025 hebben")
    begin, eind = int(delen[0]), int(delen[1])
    if eind != begin + 1:
        raise SchoolvakantieFormaatError(
            f"{plaats}: 'schoolyear' moet twee opeenvolgende jaren omvatten"
        )
    return f"{begin}-{eind}", begin


def _regio_s(waarde: str, plaats: str) -> tuple[Regio, ...]:
    sleutel = " ".join(waarde.lower().split())
    if sleutel == _HEEL_NEDERLAND:
        return tuple(Regio)
    regio = _REGIO_WAARDEN.get(sleutel)
    if regio is None:
        raise SchoolvakantieFormaatError(
            f"{plaats}: 'region' moet noord, midden, zuid of heel Nederland zijn"
        )
    return (regio,)


def _lees_vakantie(
    ruw: object, naam: str, beginjaar: int, plaats: str, fouten: list[str]
) -> Iterator[Vakantieperiode]:
    vakantie = _object(ruw, plaats)
    soort = _tekst(vakantie, "type", plaats)
    verplicht = _verplicht(vakantie.get("compulsorydates"), plaats)
    for nummer, regio_ruw in enumerate(_lijst(vakantie, "regions", plaats)):
        regio_plaats = f"{plaats}.regions[{nummer}]"
        try:
            yield from _lees_regio(regio_ruw, regio_plaats, soort, verplicht, naam, beginjaar)
        except SchoolvakantieFormaatError as fout:
            fouten.append(str(fout))


def _lees_regio(  # noqa: PLR0917 (one region and what it belongs to)
    regio_ruw: object, regio_plaats: str, soort: str, verplicht: bool, naam: str, beginjaar: int
) -> Iterator[Vakantieperiode]:
    vroegst, laatst = date(beginjaar, 8, 1), date(beginjaar + 1, 9, 30)
    regio_data = _object(regio_ruw, regio_plaats)
    regio_s = _regio_s(_tekst(regio_data, "region", regio_plaats), regio_plaats)
    eerste = _datum(regio_data.get("startdate"), "startdate", regio_plaats)
    laatste = _datum(regio_data.get("enddate"), "enddate", regio_plaats)
    if laatste < eerste:
        raise SchoolvakantieFormaatError(f"{regio_plaats}: 'enddate' ligt voor 'startdate'")
    if eerste < vroegst or laatste > laatst:
        raise SchoolvakantieFormaatError(f"{regio_plaats}: data liggen buiten schooljaar {naam}")
    for regio in regio_s:
        yield Vakantieperiode(naam, soort, regio, eerste, laatste, verplicht)


def _lees_inhoud(ruw: object, plaats: str, fouten: list[str]) -> Schooljaar:
    inhoud = _object(ruw, plaats)
    naam, beginjaar = _schooljaar_naam(_tekst(inhoud, "schoolyear", plaats), plaats)
    perioden: list[Vakantieperiode] = []
    for nummer, vakantie in enumerate(_lijst(inhoud, "vacations", plaats)):
        try:
            perioden.extend(
                _lees_vakantie(vakantie, naam, beginjaar, f"{plaats}.vacations[{nummer}]", fouten)
            )
        except SchoolvakantieFormaatError as fout:
            fouten.append(str(fout))
    return Schooljaar(naam, beginjaar, tuple(perioden))


def _splits(fout: str) -> tuple[str, str]:
    plaats, _, bericht = fout.partition(": ")
    return plaats, bericht


def lees_schoolvakanties(data: object) -> list[Schooljaar]:
    """Parse one Rijksoverheid schoolholidays document or a list of them, reporting every
    format error at once (docs/domain.md regel 14)."""
    documenten = data if isinstance(data, list) else [data]
    if not documenten:
        raise SchoolvakantieFoutenError([("", "de lijst met documenten is leeg")])
    schooljaren: list[Schooljaar] = []
    fouten: list[str] = []
    for nummer, document in enumerate(documenten):
        plaats = f"document[{nummer}]"
        try:
            inhouden = _lijst(_object(document, plaats), "content", plaats)
        except SchoolvakantieFormaatError as fout:
            fouten.append(str(fout))
            continue
        for inhoud_nummer, inhoud in enumerate(inhouden):
            try:
                schooljaren.append(
                    _lees_inhoud(inhoud, f"{plaats}.content[{inhoud_nummer}]", fouten)
                )
            except SchoolvakantieFormaatError as fout:
                fouten.append(str(fout))
    if fouten:
        raise SchoolvakantieFoutenError([_splits(fout) for fout in fouten])
    return schooljaren


# --- calendar ----------------------------------------------------------------------------------


class Schoolvakanties:
    """Holiday calendar per region over the loaded school years (docs/domain.md regel 14)."""

    def __init__(self, schooljaren: Iterable[Schooljaar]) -> None:
        """Build the calendar; each school year may occur only once (docs/domain.md regel 14)."""
        per_naam: dict[str, Schooljaar] = {}
        for schooljaar in schooljaren:
            if schooljaar.naam in per_naam:
                raise SchoolvakantieFormaatError(
                    f"schooljaar {schooljaar.naam} komt meer dan eens voor"
                )
            per_naam[schooljaar.naam] = schooljaar
        self._schooljaren = tuple(sorted(per_naam.values(), key=lambda jaar: jaar.beginjaar))
        self._perioden: dict[Regio, tuple[Vakantieperiode, ...]] = {
            regio: tuple(
                sorted(
                    (p for jaar in self._schooljaren for p in jaar.perioden if p.regio is regio),
                    key=lambda p: p.eerste_dag,
                )
            )
            for regio in Regio
        }
        self._dekking: list[tuple[date, date]] = []
        vorige: Schooljaar | None = None
        for jaar in self._schooljaren:
            if vorige is not None and vorige.beginjaar + 1 == jaar.beginjaar:
                begin = vorige.laatste_vakantiedag + timedelta(days=1)
            else:
                begin = jaar.eerste_vakantiedag
            self._dekking.append((begin, jaar.laatste_vakantiedag))
            vorige = jaar

    @classmethod
    def uit_json(cls, tekst: str | bytes) -> Schoolvakanties:
        """Build the calendar from Rijksoverheid schoolholidays JSON text (regel 14)."""
        try:
            data = json.loads(tekst)
        except (ValueError, UnicodeDecodeError):
            raise SchoolvakantieFormaatError("de invoer is geen geldige JSON") from None
        return cls(lees_schoolvakanties(data))

    @property
    def schooljaren(self) -> tuple[str, ...]:
        """Names of the loaded school years, oldest first (docs/domain.md regel 14)."""
        return tuple(jaar.naam for jaar in self._schooljaren)

    def perioden(self, regio: Regio) -> tuple[Vakantieperiode, ...]:
        """All holiday periods of a region, in date order (docs/domain.md regel 14)."""
        return self._perioden[regio]

    def dekt(self, datum: date) -> bool:
        """Tell whether the data covers this date: no data is not no holiday (regel 14)."""
        return any(begin <= datum <= eind for begin, eind in self._dekking)

    def _eis_dekking(self, datum: date) -> None:
        if not self.dekt(datum):
            raise KalenderOntbreektError(datum, self.schooljaren)

    def vakantie_op(self, datum: date, regio: Regio) -> Vakantieperiode | None:
        """The holiday the region has on that date, or None (docs/domain.md regel 14)."""
        self._eis_dekking(datum)
        return next((p for p in self._perioden[regio] if p.bevat(datum)), None)

    def is_vakantiedag(self, datum: date, regio: Regio) -> bool:
        """Tell whether the date is a school holiday day in the region (docs/domain.md regel 14)."""
        return self.vakantie_op(datum, regio) is not None

    def is_lesdag(self, datum: date, regio: Regio) -> bool:
        """Tell whether the date is a Monday-Friday outside the holidays (regel 14)."""
        return datum.weekday() < 5 and not self.is_vakantiedag(datum, regio)

    def _dagen(self, start: date, eind: date) -> Iterator[date]:
        if eind < start:
            raise ValueError("eind lies before start")
        self._eis_dekking(start)
        self._eis_dekking(eind)
        dag = start
        while dag <= eind:
            yield dag
            dag += timedelta(days=1)

    def lesdagen_tussen(self, start: date, eind: date, regio: Regio) -> int:
        """Count lesdagen from start through eind, both inclusive (docs/domain.md regel 14)."""
        return sum(1 for dag in self._dagen(start, eind) if self.is_lesdag(dag, regio))

    def lesweken_tussen(self, start: date, eind: date, regio: Regio) -> int:
        """Count ISO weeks with at least one lesdag from start through eind (regel 14)."""
        weken = {
            dag.isocalendar()[:2] for dag in self._dagen(start, eind) if self.is_lesdag(dag, regio)
        }
        return len(weken)

    def met_schooljaren(self, geladen: Iterable[Schooljaar]) -> Schoolvakanties:
        """This calendar with loaded school years replacing same-named ones (regel 14)."""
        per_naam = {jaar.naam: jaar for jaar in self._schooljaren}
        per_naam.update((jaar.naam, jaar) for jaar in geladen)
        return Schoolvakanties(per_naam.values())

    def met_afwijkingen(self, vrij: Iterable[VrijePeriode]) -> KalenderMetAfwijkingen:
        """This calendar plus a vestiging's own extra days off (docs/domain.md regel 14)."""
        return KalenderMetAfwijkingen(self, tuple(vrij))


class KalenderMetAfwijkingen:
    """A region's holidays plus a vestiging's extra days off; coverage stays the region's
    (docs/domain.md regel 14)."""

    def __init__(self, basis: Schoolvakanties, vrij: tuple[VrijePeriode, ...]) -> None:
        """Wrap the calendar with the vestiging's extra days off (docs/domain.md regel 14)."""
        self.basis = basis
        self.vrij = vrij

    @property
    def schooljaren(self) -> tuple[str, ...]:
        """Names of the known school years, oldest first (docs/domain.md regel 14)."""
        return self.basis.schooljaren

    def dekt(self, datum: date) -> bool:
        """Tell whether the region's data covers this date (docs/domain.md regel 14)."""
        return self.basis.dekt(datum)

    def is_vakantiedag(self, datum: date, regio: Regio) -> bool:
        """A holiday day of the region or an extra day off of the vestiging (regel 14)."""
        if self.basis.is_vakantiedag(datum, regio):
            return True
        return any(periode.bevat(datum) for periode in self.vrij)


def laad_meegeleverde_kalender() -> Schoolvakanties:
    """Load every school year shipped in app.domain.data (docs/domain.md regel 14)."""
    bestanden = sorted(
        (
            bestand
            for bestand in resources.files(_DATA_PACKAGE).iterdir()
            if bestand.name.startswith("schoolvakanties-") and bestand.name.endswith(".json")
        ),
        key=lambda bestand: bestand.name,
    )
    schooljaren: list[Schooljaar] = []
    for bestand in bestanden:
        try:
            schooljaren.extend(lees_schoolvakanties(json.loads(bestand.read_text("utf-8"))))
        except ValueError as fout:
            raise SchoolvakantieFormaatError(f"{bestand.name}: {fout}") from fout
    return Schoolvakanties(schooljaren)
