"""What the domain knows about a child: birth (month precision allowed) and holiday region."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from app.domain.regio import Regio


@dataclass(frozen=True, slots=True)
class Geboorte:
    """Birth year and month, and the day only when the SWV works in identified mode."""

    jaar: int
    maand: int
    dag: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.maand <= 12:
            raise ValueError("maand moet 1 tot en met 12 zijn")
        if (
            self.dag is not None
            and not 1 <= self.dag <= calendar.monthrange(self.jaar, self.maand)[1]
        ):
            raise ValueError("dag bestaat niet in deze maand")

    @classmethod
    def van_datum(cls, datum: date) -> Geboorte:
        """An exact birth date (identified mode)."""
        return cls(datum.year, datum.month, datum.day)


@dataclass(frozen=True, slots=True)
class Leerling:
    """A child as the rules see it: pseudonymous id, birth and school-holiday region."""

    id: str
    geboorte: Geboorte
    regio: Regio = Regio.MIDDEN


def geboortejaar_plausibel(geboortejaar: int, jaar: int) -> bool:
    """A birth year gives an age for school in ``jaar``: 2 to 24 (a plausibility check, a keuze)."""
    return 2 <= jaar - geboortejaar <= 24
