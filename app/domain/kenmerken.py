"""What the SWV's own monitor knows about a child on a day (regel 18), from the kenmerk facts.

Each kenmerk holds from its fact's ``geldig_vanaf`` until the next fact of its kind; which facts
count is decided by the caller (``geldende_feiten`` as known on ``bekend_op``), so a report stays
reproducible "as known on" a moment (regel 15).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.feiten import (
    Correctie,
    Feit,
    GemeldBijLoket,
    Jeugdhulp,
    Klas,
    Niveau,
    RedenGeoorloofd,
    RedenGeoorloofdGemeld,
    SoortThuiszitter,
    SoortThuiszitterGemeld,
    Veldprobleem,
    Woonplaats,
)


@dataclass(frozen=True, slots=True)
class Kenmerken:
    """A child's kenmerken on one day; None where nothing is known (regel 18)."""

    klas: str | None = None
    niveau: str | None = None
    woonplaats: str | None = None
    soort: SoortThuiszitter | None = None
    reden_geoorloofd: RedenGeoorloofd | None = None
    jeugdhulp: str | None = None
    gemeld_bij_loket: date | None = None

    @property
    def maand_gemeld(self) -> str | None:
        """The month (JJJJ-MM) the child was reported at the SWV's verzuimloket (regel 18)."""
        return None if self.gemeld_bij_loket is None else self.gemeld_bij_loket.strftime("%Y-%m")


LEEG = Kenmerken()


def kenmerken_op(geldend: Iterable[Feit], dag: date) -> Kenmerken:
    """The last kenmerk of each kind valid on ``dag`` among the facts in force (regel 18)."""
    waarden: dict[str, object] = {}
    laatst: dict[str, date] = {}

    def zet(naam: str, feit: Feit, waarde: object) -> None:
        if feit.geldig_vanaf <= dag and laatst.get(naam, date.min) <= feit.geldig_vanaf:
            laatst[naam] = feit.geldig_vanaf
            waarden[naam] = waarde

    for feit in geldend:
        if isinstance(feit, Klas):
            zet("klas", feit, feit.klas or None)
        elif isinstance(feit, Niveau):
            zet("niveau", feit, feit.niveau or None)
        elif isinstance(feit, Woonplaats):
            zet("woonplaats", feit, feit.gemeente or None)
        elif isinstance(feit, SoortThuiszitterGemeld):
            zet("soort", feit, feit.thuiszitter)
        elif isinstance(feit, RedenGeoorloofdGemeld):
            zet("reden_geoorloofd", feit, feit.reden)
        elif isinstance(feit, Jeugdhulp):
            zet("jeugdhulp", feit, feit.organisatie or None)
        elif isinstance(feit, GemeldBijLoket):
            zet("gemeld_bij_loket", feit, feit.geldig_vanaf)
    if not waarden:
        return LEEG
    return Kenmerken(**waarden)  # type: ignore[arg-type]


NAAM = re.compile(r"^[^\d@]*(\d[^\d@]*){0,4}$")
"""A name, not a note: at most four digits and no e-mail address (nothing that identifies)."""

_KORT: dict[type[Feit], tuple[str, int]] = {
    Klas: ("klas", 20),
    Niveau: ("niveau", 40),
    Woonplaats: ("gemeente", 80),
}


def is_naam(tekst: str, lengte: int) -> bool:
    """Whether ``tekst`` is a short name (of a class, level, gemeente, organisation)."""
    return bool(tekst.strip()) and len(tekst) <= lengte and NAAM.match(tekst) is not None


def kenmerk_problemen(feit: Feit, organisaties: Iterable[str]) -> list[Veldprobleem]:
    """A kenmerk's text is a short name; the youth-care organisation one on the SWV's list."""
    if isinstance(feit, Correctie):
        return [
            Veldprobleem(f"vervanging.{p.veld}", p.probleem)
            for p in kenmerk_problemen(feit.vervanging, organisaties)
        ]
    if isinstance(feit, Jeugdhulp):
        if feit.organisatie not in set(organisaties):
            return [
                Veldprobleem(
                    "organisatie", "staat niet op de lijst jeugdhulporganisaties van het SWV"
                )
            ]
        return []
    kort = _KORT.get(type(feit))
    if kort is not None:
        veld, lengte = kort
        if not is_naam(str(getattr(feit, veld)), lengte):
            return [Veldprobleem(veld, f"een naam van hoogstens {lengte} tekens, geen notitie")]
    return []
