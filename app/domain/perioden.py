"""A child's typed periods: a start fact paired with its end fact (docs/domain.md regel 15).

A start pairs with the first end fact of the same kind dated after it, with the same value of the
kind's key field (``vestiging``, ``grond``) where it has one. Corrections and withdrawals apply as
known on ``bekend_op``; a period keeps the id of its original start fact across corrections.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.feiten import Correctie, Feit, FeitSoort, Intrekking
from app.domain.tijdlijn import geldende_feiten

_DAG = timedelta(days=1)


class PeriodeStatus(StrEnum):
    """Whether an end is recorded for the period."""

    LOPEND = "lopend"
    BEEINDIGD = "beeindigd"


@dataclass(frozen=True, slots=True)
class PeriodeSoort:
    """One kind of period: its start fact, its end fact, and the field both must share."""

    start: FeitSoort
    einde: FeitSoort | None = None
    sleutel: str | None = None
    """Fact field an end must share with its start (``vestiging``, ``grond``), if any."""


@dataclass(frozen=True, slots=True)
class Periode:
    """A period as known now: the start (corrected), its end, and every fact that made it."""

    id: str
    start: Feit
    einde: Feit | None
    einde_id: str | None
    feit_ids: frozenset[str]

    @property
    def startdatum(self) -> date:
        return self.start.geldig_vanaf

    @property
    def tot_en_met(self) -> date | None:
        """The last day the situation held, inclusive (the end fact's date is the first day it
        did not); docs/domain.md regel 15."""
        return self.einde.geldig_vanaf - _DAG if self.einde is not None else None

    @property
    def status(self) -> PeriodeStatus:
        return PeriodeStatus.LOPEND if self.einde is None else PeriodeStatus.BEEINDIGD

    @property
    def etag(self) -> str:
        """A strong validator: a hash of the ids of every fact that made this period."""
        digest = hashlib.sha256("\n".join(sorted(self.feit_ids)).encode()).hexdigest()
        return f'"{digest[:32]}"'


def _sleutelwaarde(soort: PeriodeSoort, feit: Feit) -> object:
    return getattr(feit, soort.sleutel) if soort.sleutel else None


def perioden_van(
    soort: PeriodeSoort, feiten: Sequence[Feit], bekend_op: datetime | None = None
) -> list[Periode]:
    """The periods of one kind, as known on ``bekend_op`` (now if None), in order of start."""
    alias: dict[str, str] = {}
    meta: dict[str, list[str]] = {}
    correcties = sorted(
        (
            f
            for f in feiten
            if isinstance(f, Correctie | Intrekking)
            and (bekend_op is None or f.geregistreerd_op <= bekend_op)
        ),
        key=lambda m: (m.geregistreerd_op, m.id),
    )
    for m in correcties:
        origineel = alias.get(m.betreft, m.betreft)
        meta.setdefault(origineel, []).append(m.id)
        if isinstance(m, Correctie):
            alias[m.vervanging.id] = origineel
    geldend, _ = geldende_feiten(feiten, bekend_op)
    eindes = [f for f in geldend if soort.einde is not None and f.soort is soort.einde]
    perioden: list[Periode] = []
    for start in geldend:
        if start.soort is not soort.start:
            continue
        start_id = alias.get(start.id, start.id)
        einde = next(
            (
                e
                for e in eindes
                if e.geldig_vanaf > start.geldig_vanaf
                and _sleutelwaarde(soort, e) == _sleutelwaarde(soort, start)
            ),
            None,
        )
        ids = {start_id, *meta.get(start_id, ())}
        einde_id = None
        if einde is not None:
            einde_id = alias.get(einde.id, einde.id)
            ids |= {einde_id, *meta.get(einde_id, ())}
        perioden.append(Periode(start_id, start, einde, einde_id, frozenset(ids)))
    return perioden
