"""Calendar arithmetic the rules need: months, school years (LPW art. 1: 1 August - 31 July)."""

from __future__ import annotations

import calendar
from datetime import date


def plus_maanden(datum: date, maanden: int) -> date:
    """The same day ``maanden`` months later, or the month's last day if it has no such day."""
    index = datum.year * 12 + datum.month - 1 + maanden
    jaar, maand = divmod(index, 12)
    dag = datum.day
    if dag > 28:  # every month has day 28; only then look up the month's length
        dag = min(dag, calendar.monthrange(jaar, maand + 1)[1])
    return date(jaar, maand + 1, dag)


def schooljaar_eindjaar(datum: date) -> int:
    """The calendar year in which the school year containing ``datum`` ends (LPW art. 1)."""
    return datum.year + 1 if datum.month >= 8 else datum.year
