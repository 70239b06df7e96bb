"""Use cases of a child's typed periods: a start fact and (optionally) an end fact.

A period is read from the facts as they hold now (corrections and withdrawals applied,
docs/domain.md regel 15) and changed only by appending facts through `feiten.voeg_feit_toe`: an end
fact, a `correctie` or an `intrekking`. Its id is the id of the original start fact, so it stays
the same across corrections. Every change names the version it was based on (`If-Match`), so no
update is lost.

**Pairing.** A start pairs with the first end fact of the same kind dated after it (with the
same vestiging or grond where the kind has one). Two overlapping starts of one kind share that
end: the domain folds them into one situation (docs/domain.md regels 5-12), and ending it ends both.

**Dates.** An end fact names the first day on which the situation no longer holds (half-open, as
every `einddatum`, `einde` and `geldigTot`); a period's `totEnMet` is the last day it held
(inclusive): the end fact's date minus one day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.db.leerlingen import FeitRow
from app.db.session import UnitOfWork
from app.domain.feiten import Feit, FeitSoort, feit_naar_dict
from app.domain.perioden import Periode, PeriodeSoort, perioden_van
from app.domain.toegang import Actor, Namens
from app.services import feiten, projectie
from app.services.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)

PERIODE_NIET_GEVONDEN = "Deze periode bestaat niet of valt buiten uw bevoegdheid."
_DAG = timedelta(days=1)
_VESTIGING = "vestiging"


def _controleer_versie(periode: Periode, if_match: str | None) -> None:
    """`If-Match` is required (428; `*` protects nothing) and must name the current version (412);
    RFC 9110 13.1.1."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "Deze wijziging vraagt een If-Match-header met de ETag van de periode."
        )
    kandidaten = {t.strip() for t in if_match.split(",")}
    if "*" in kandidaten:
        # `*` matches any version, so it would not protect against a lost update.
        raise PreconditionRequired(
            "If-Match: * is hier niet genoeg: stuur de ETag van de periode zoals u haar las."
        )
    if periode.etag not in kandidaten:
        raise PreconditionFailed(
            "De periode is intussen gewijzigd: haal haar opnieuw op en gebruik de nieuwe ETag."
        )


@dataclass(slots=True)
class _Stand:
    """The child (locked when changing) with its facts and its periods of one kind."""

    soort: PeriodeSoort
    dossier: feiten.Dossier
    perioden: list[Periode]

    def periode(self, periode_id: uuid.UUID) -> Periode:
        for p in self.perioden:
            if p.id == str(periode_id):
                return p
        raise NotFound(PERIODE_NIET_GEVONDEN)

    def herbereken(self) -> None:
        self.perioden = perioden_van(
            self.soort, [projectie.feit_van_regel(r) for r in self.dossier.regels]
        )

    def deelt_einde(self, periode: Periode) -> bool:
        """Whether another period ends with the same end fact (overlapping starts)."""
        return periode.einde_id is not None and any(
            p.einde_id == periode.einde_id and p.id != periode.id for p in self.perioden
        )


async def _stand(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    *,
    lock: bool = False,
    bekend_op: datetime | None = None,
) -> _Stand:
    dossier = await feiten.lees_dossier(uow, actor, leerling_id, lock=lock)
    perioden = perioden_van(soort, [projectie.feit_van_regel(r) for r in dossier.regels], bekend_op)
    return _Stand(soort, dossier, perioden)


async def _meld(
    uow: UnitOfWork,
    actor: Actor,
    stand: _Stand,
    nieuw_feit: feiten.NieuwFeit,
    datumveld: str,
) -> feiten.Toegevoegd:
    """Append one fact to the locked child, naming any error by this resource's fields."""
    try:
        toegevoegd = await feiten.voeg_feit_toe(
            uow, actor, stand.dossier.leerling.id, nieuw_feit, dossier=stand.dossier
        )
    except InvalidInput as fout:
        raise InvalidInput([_hernoem(e, datumveld) for e in fout.errors]) from None
    if toegevoegd.nieuw:
        stand.herbereken()
    return toegevoegd


def _hernoem(fout: FieldError, datumveld: str) -> FieldError:
    naam = fout.name
    if naam == "geldigVanaf":
        naam = datumveld
    elif naam.startswith("gegevens."):
        naam = naam.removeprefix("gegevens.")
    return FieldError(naam, fout.code, fout.reason, fout.location)


def _school(soort: PeriodeSoort, feit: Feit) -> uuid.UUID | None:
    return uuid.UUID(str(getattr(feit, _VESTIGING))) if soort.sleutel == _VESTIGING else None


# -- reading ---------------------------------------------------------------------------------


async def lijst_perioden(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    *,
    bekend_op: datetime | None = None,
) -> list[Periode]:
    """The child's periods of one kind, as known now or on ``bekend_op``."""
    async with uow.voor(actor):
        stand = await _stand(uow, actor, soort, leerling_id, bekend_op=bekend_op)
        await uow.commit()  # the audit row of this read
        return stand.perioden


async def haal_periode(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    periode_id: uuid.UUID,
) -> Periode:
    """One period as known now, or NotFound (also when it was withdrawn)."""
    async with uow.voor(actor):
        stand = await _stand(uow, actor, soort, leerling_id)
        periode = stand.periode(periode_id)
        await uow.commit()  # the audit row of this read
        return periode


# -- changing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NieuwePeriode:
    """The start of a period: its date and the start fact's own fields (snake_case)."""

    startdatum: date
    gegevens: dict[str, Any] = field(default_factory=dict)
    school_id: uuid.UUID | None = None
    bron_referentie: str | None = None
    namens: Namens | None = None


async def open_periode(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    nieuw: NieuwePeriode,
) -> tuple[Periode, bool]:
    """Append the start fact; the same `bronReferentie` again gives the period it started."""
    async with uow.voor(actor):
        stand = await _stand(uow, actor, soort, leerling_id, lock=True)
        gemeld = await _meld(
            uow,
            actor,
            stand,
            feiten.NieuwFeit(
                soort=str(soort.start),
                geldig_vanaf=nieuw.startdatum,
                gegevens=nieuw.gegevens,
                bron_referentie=nieuw.bron_referentie,
                school_id=nieuw.school_id,
                namens=nieuw.namens,
            ),
            "startdatum",
        )
        try:
            periode = stand.periode(gemeld.feit.id)
        except NotFound:
            raise Conflict(
                "Deze bronReferentie hoort bij een melding die later is ingetrokken."
            ) from None
        await uow.commit()
        return periode, gemeld.nieuw


@dataclass(frozen=True, slots=True)
class Einde:
    """The end of a period: its last day (inclusive) and, where the kind has one, a reason."""

    tot_en_met: date
    gegevens: dict[str, Any] = field(default_factory=dict)
    namens: Namens | None = None


async def beeindig_periode(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    periode_id: uuid.UUID,
    *,
    if_match: str | None,
    einde: Einde,
) -> Periode:
    """Append the end fact, dated the day after ``tot_en_met`` (the first day it no longer held)."""
    # No route ends a kind without an end fact.
    assert soort.einde is not None  # noqa: S101
    async with uow.voor(actor):
        stand = await _stand(uow, actor, soort, leerling_id, lock=True)
        periode = stand.periode(periode_id)
        _controleer_versie(periode, if_match)
        if periode.einde is not None:
            raise Conflict("Deze periode is al beëindigd; corrigeer haar einde met een correctie.")
        if einde.tot_en_met < periode.startdatum:
            raise InvalidInput(
                [FieldError("totEnMet", "voor_start", "Ligt voor de startdatum van de periode.")]
            )
        gegevens = dict(einde.gegevens)
        if soort.sleutel and soort.sleutel != _VESTIGING:
            gegevens[soort.sleutel] = feit_naar_dict(periode.start)[soort.sleutel]
        await _meld(
            uow,
            actor,
            stand,
            feiten.NieuwFeit(
                soort=str(soort.einde),
                geldig_vanaf=einde.tot_en_met + _DAG,
                gegevens=gegevens,
                school_id=_school(soort, periode.start),
                namens=einde.namens,
            ),
            "totEnMet",
        )
        periode = stand.periode(periode_id)
        await uow.commit()
        return periode


@dataclass(frozen=True, slots=True)
class PeriodeCorrectie:
    """The corrected start (all its fields), optionally a corrected end, and why."""

    startdatum: date
    reden: str
    gegevens: dict[str, Any] = field(default_factory=dict)
    school_id: uuid.UUID | None = None
    tot_en_met: date | None = None
    namens: Namens | None = None


async def corrigeer_periode(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    periode_id: uuid.UUID,
    *,
    if_match: str | None,
    correctie: PeriodeCorrectie,
) -> tuple[Periode, FeitRow]:
    """Append a `correctie` replacing the start fact (and the end fact if it must follow)."""
    async with uow.voor(actor):
        stand = await _stand(uow, actor, soort, leerling_id, lock=True)
        periode = stand.periode(periode_id)
        _controleer_versie(periode, if_match)
        vervanging = {
            **feit_naar_dict(periode.start),
            **correctie.gegevens,
            "id": periode.id,
            "geldig_vanaf": correctie.startdatum.isoformat(),
        }
        if correctie.school_id is not None:
            vervanging[_VESTIGING] = str(correctie.school_id)
        nieuwe_eind = _gecorrigeerd_einde(soort, stand, periode, correctie, vervanging)
        gemeld = await _meld(
            uow,
            actor,
            stand,
            feiten.NieuwFeit(
                soort=str(FeitSoort.CORRECTIE),
                geldig_vanaf=correctie.startdatum,
                gegevens={
                    "betreft": periode.id,
                    "reden": correctie.reden,
                    "vervanging": {"soort": str(soort.start), **vervanging},
                },
                school_id=correctie.school_id,
                namens=correctie.namens,
            ),
            "startdatum",
        )
        if nieuwe_eind is not None and periode.einde is not None:
            await _meld(
                uow,
                actor,
                stand,
                feiten.NieuwFeit(
                    soort=str(FeitSoort.CORRECTIE),
                    geldig_vanaf=date.fromisoformat(str(nieuwe_eind["geldig_vanaf"])),
                    gegevens={
                        "betreft": periode.einde_id,
                        "reden": correctie.reden,
                        "vervanging": {"soort": str(periode.einde.soort), **nieuwe_eind},
                    },
                    school_id=correctie.school_id,
                    namens=correctie.namens,
                ),
                "totEnMet",
            )
        gecorrigeerd = stand.periode(periode_id)
        if periode.einde_id is not None and gecorrigeerd.einde_id != periode.einde_id:
            # The new start would pair with another period's end: refuse rather than merge.
            raise Conflict("Met deze startdatum zou de periode bij het einde van een andere horen.")
        await uow.commit()
        return gecorrigeerd, gemeld.feit


def _gecorrigeerd_einde(
    soort: PeriodeSoort,
    stand: _Stand,
    periode: Periode,
    correctie: PeriodeCorrectie,
    vervanging: dict[str, object],
) -> dict[str, object] | None:
    """The replacement of the end fact, when the correction moves it or changes the shared
    vestiging or grond; None when the end stays as it is. Refuses what would break the pair."""
    einde = periode.einde
    if einde is None:
        if correctie.tot_en_met is not None:
            raise Conflict("Deze periode is nog niet beëindigd; beëindig haar met PATCH.")
        return None
    eind_dag = (correctie.tot_en_met or (einde.geldig_vanaf - _DAG)) + _DAG
    if eind_dag <= correctie.startdatum:
        veld = "totEnMet" if correctie.tot_en_met is not None else "startdatum"
        raise InvalidInput(
            [FieldError(veld, "einde_voor_start", "De laatste dag ligt voor de startdatum.")]
        )
    sleutel = soort.sleutel
    nieuwe_sleutel = sleutel is not None and vervanging[sleutel] != getattr(einde, sleutel)
    if eind_dag == einde.geldig_vanaf and not nieuwe_sleutel:
        return None
    if stand.deelt_einde(periode):
        raise Conflict("Het einde van deze periode beëindigt ook een andere periode.")
    nieuw: dict[str, object] = {
        **feit_naar_dict(einde),
        "id": periode.einde_id,
        "geldig_vanaf": eind_dag.isoformat(),
    }
    if sleutel is not None:
        nieuw[sleutel] = vervanging[sleutel]
    return nieuw


async def trek_periode_in(
    uow: UnitOfWork,
    actor: Actor,
    soort: PeriodeSoort,
    leerling_id: uuid.UUID,
    periode_id: uuid.UUID,
    *,
    if_match: str | None,
    reden: str,
    namens: Namens | None = None,
) -> list[FeitRow]:
    """Append an `intrekking` of the start fact, and of the end fact unless another period
    shares it; the history keeps every fact (docs/domain.md regel 15)."""
    async with uow.voor(actor):
        stand = await _stand(uow, actor, soort, leerling_id, lock=True)
        periode = stand.periode(periode_id)
        _controleer_versie(periode, if_match)
        te_trekken = [(periode.id, periode.start.geldig_vanaf)]
        if periode.einde is not None and periode.einde_id and not stand.deelt_einde(periode):
            te_trekken.append((periode.einde_id, periode.einde.geldig_vanaf))
        rows = []
        for feit_id, datum in te_trekken:
            gemeld = await _meld(
                uow,
                actor,
                stand,
                feiten.NieuwFeit(
                    soort=str(FeitSoort.INTREKKING),
                    geldig_vanaf=datum,
                    gegevens={"betreft": feit_id, "reden": reden},
                    namens=namens,
                ),
                "startdatum",
            )
            rows.append(gemeld.feit)
        await uow.commit()
        return rows
