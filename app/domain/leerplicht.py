"""Leerplicht and kwalificatieplicht on a date (docs/domain.md regels 1-2, LPW art. 3-4a).

With month precision (the default, pseudonymous mode) the boundaries are computed as follows.
Leerplicht's start and end depend only on the birth *month* (LPW art. 3 counts from the month after
the fifth birthday, and ends with the school year in which the child turns 16, and a month never
straddles 1 August), so they are exact. The 18th birthday is taken as the first day of the month
after the birth month: a child stays in scope to the end of the month in which it turns 18, never
leaving it too early. With an exact date, the 18th birthday is exact; a child born on 29 February
turns 18 on 1 March in a common year.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from app.domain.feiten import Feit, KwalificatieplichtBeeindigd
from app.domain.leerling import Geboorte, Leerling


def _eerste_van_volgende_maand(jaar: int, maand: int) -> date:
    return date(jaar + 1, 1, 1) if maand == 12 else date(jaar, maand + 1, 1)


def leerplicht_start(geboorte: Geboorte) -> date:
    """First day of the month after the fifth birthday (LPW art. 3 lid 1, regel 1)."""
    return _eerste_van_volgende_maand(geboorte.jaar + 5, geboorte.maand)


def leerplicht_einde(geboorte: Geboorte) -> date:
    """First day without full leerplicht: 1 August after the school year of the 16th birthday."""
    jaar = geboorte.jaar + 16
    return date(jaar + 1 if geboorte.maand >= 8 else jaar, 8, 1)


def achttiende_verjaardag(geboorte: Geboorte) -> date:
    """The day kwalificatieplicht ends by age (LPW art. 4a); month precision rounds up."""
    if geboorte.dag is None:
        return _eerste_van_volgende_maand(geboorte.jaar + 18, geboorte.maand)
    if geboorte.maand == 2 and geboorte.dag == 29 and not calendar.isleap(geboorte.jaar + 18):
        return date(geboorte.jaar + 18, 3, 1)
    return date(geboorte.jaar + 18, geboorte.maand, geboorte.dag)


def plicht_einde(geboorte: Geboorte, kwalificatie_beeindigd: date | None) -> date:
    """First day outside the LPW: 18, or an earlier end of kwalificatieplicht (LPW art. 4a)."""
    einde = achttiende_verjaardag(geboorte)
    if kwalificatie_beeindigd is not None:
        einde = min(einde, max(kwalificatie_beeindigd, leerplicht_einde(geboorte)))
    return einde


def _kwalificatie_beeindigd(feiten: Iterable[Feit]) -> date | None:
    datums = [f.geldig_vanaf for f in feiten if isinstance(f, KwalificatieplichtBeeindigd)]
    return min(datums, default=None)


def is_leerplichtig(leerling: Leerling, datum: date) -> bool:
    """Fully leerplichtig on ``datum`` (LPW art. 3, docs/domain.md regel 1)."""
    g = leerling.geboorte
    return leerplicht_start(g) <= datum < leerplicht_einde(g)


def is_kwalificatieplichtig(leerling: Leerling, datum: date, feiten: Iterable[Feit] = ()) -> bool:
    """Kwalificatieplichtig on ``datum``: after leerplicht, before 18 or a startkwalificatie."""
    g = leerling.geboorte
    return leerplicht_einde(g) <= datum < plicht_einde(g, _kwalificatie_beeindigd(feiten))


def valt_onder_leerplichtwet(leerling: Leerling, datum: date, feiten: Iterable[Feit] = ()) -> bool:
    """Leer- or kwalificatieplichtig on ``datum``; else never counted (docs/domain.md regel 2)."""
    g = leerling.geboorte
    return leerplicht_start(g) <= datum < plicht_einde(g, _kwalificatie_beeindigd(feiten))
