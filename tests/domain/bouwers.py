"""Small typed builders for domain tests: facts registered on their own date unless told."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from typing import Any

from app.domain.beleid import Beleid
from app.domain.feiten import Feit
from app.domain.leerling import Geboorte, Leerling
from app.domain.regio import Regio
from app.domain.status import Status, bepaal_status

_teller = itertools.count(1)

KIND = Leerling("L1", Geboorte(2012, 3), Regio.MIDDEN)


def d(tekst: str) -> date:
    return date.fromisoformat(tekst)


def moment(tekst: str) -> datetime:
    """Noon UTC on the given ISO date."""
    return datetime.combine(d(tekst), time(12), UTC)


def feit(cls: type[Any], datum: str, *, geregistreerd: str | None = None, **velden: Any) -> Feit:
    """A fact of kind ``cls`` about ``datum``, registered at noon that day unless told."""
    ident = velden.pop("id", None) or f"f{next(_teller)}"
    vanaf = d(datum)
    op = moment(geregistreerd) if geregistreerd else moment(datum)
    result: Feit = cls(id=ident, geldig_vanaf=vanaf, geregistreerd_op=op, **velden)
    return result


def status(
    feiten: list[Feit],
    peildatum: str,
    *,
    beleid: Beleid | None = None,
    leerling: Leerling = KIND,
    bekend_op: str | None = None,
    **kwargs: Any,
) -> Status:
    return bepaal_status(
        leerling,
        feiten,
        beleid or Beleid(),
        peildatum=d(peildatum),
        bekend_op=moment(bekend_op) if bekend_op else None,
        **kwargs,
    )


class NepKalender:
    """A fake school-holiday calendar: the given inclusive ranges are holidays in every region."""

    def __init__(self, *vakanties: tuple[str, str]) -> None:
        self.vakanties = [(d(a), d(b)) for a, b in vakanties]

    def is_vakantiedag(self, datum: date, regio: Regio) -> bool:
        del regio
        return any(a <= datum <= b for a, b in self.vakanties)
