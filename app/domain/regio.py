"""School-holiday regions and the calendar protocol that lesweken counting depends on."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol


class Regio(StrEnum):
    """School-holiday region of the Rijksoverheid schoolvakanties (noord, midden, zuid)."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class Vakantiekalender(Protocol):
    """Answers whether a date is a school-holiday day in a region (docs/domain.md regel 14)."""

    def is_vakantiedag(self, datum: date, regio: Regio) -> bool:
        """Whether ``datum`` falls in a school holiday of ``regio`` (docs/domain.md regel 14)."""
        ...
