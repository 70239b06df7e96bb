"""Small typed builders for report tests, on top of the domain builders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.beleid import Beleid
from app.domain.feiten import Feit, Inschrijving
from app.domain.leerling import Geboorte, Leerling
from app.domain.rapportage import (
    InspectieRegister,
    InspectieRij,
    LeerlingVoorRapport,
    inspectie_register,
)
from tests.domain.bouwers import d, feit, moment

SCHOOL = "99AA00"


def ingeschreven(datum: str = "2023-08-21") -> Feit:
    return feit(Inschrijving, datum, vestiging=SCHOOL)


def kind(
    pseudoniem: str,
    feiten: Sequence[Feit],
    *,
    geboorte: Geboorte | None = None,
    **extra: Any,
) -> LeerlingVoorRapport:
    return LeerlingVoorRapport(
        leerling=Leerling(f"id-{pseudoniem}", geboorte or Geboorte(2012, 3)),
        feiten=tuple(feiten),
        pseudoniem=pseudoniem,
        **extra,
    )


def register(
    kinderen: Sequence[LeerlingVoorRapport],
    peildatum: str,
    *,
    beleid: Beleid | None = None,
    bekend_op: str | None = None,
) -> InspectieRegister:
    return inspectie_register(
        kinderen,
        beleid or Beleid(),
        peildatum=d(peildatum),
        bekend_op=moment(bekend_op) if bekend_op else None,
    )


def enige_rij(k: LeerlingVoorRapport, peildatum: str, **kwargs: Any) -> InspectieRij:
    rijen = register([k], peildatum, **kwargs).rijen
    assert len(rijen) == 1
    return rijen[0]
