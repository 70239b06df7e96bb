"""What anonymisation keeps of the birth day: only what the past needs (AVG art. 5 lid 1 sub d;
docs/decisions/0046-geboortedag-alleen-waar-het-verleden-hem-nodig-heeft.md).

The fold takes three things from the birth date: the start and end of leerplicht (month
precision suffices, LPW art. 3), the 18th birthday (LPW art. 4a) and the age on a peildatum.
Without the day, the 18th birthday and the birthday of every year move to the first of the next
month (`app/domain/leerplicht.py`, `app/domain/rapportage.py:leeftijd`); a child born on the 1st
keeps the marker "born on the 1st" and with it every boundary exactly. For any other child this
module decides by computation whether a past view (a register with its summary, the SWV's
overview or its own monitor, on a peildatum, as known now or on a moment) reads differently
without the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from app.domain.beleid import Beleid
from app.domain.leerling import Geboorte
from app.domain.leerplicht import achttiende_verjaardag
from app.domain.monitor import monitor_rij
from app.domain.rapportage import (
    LeerlingVoorRapport,
    Peildata,
    inspectie_rijen,
    register_kop,
    swv_overzicht,
)
from app.domain.regio import Vakantiekalender


def zonder_dag(geboorte: Geboorte) -> Geboorte:
    """The birth as anonymisation coarsens it: year, month and only "born on the 1st"."""
    return replace(geboorte, dag=1 if geboorte.dag == 1 else None)


def kan_verschillen(geboorte: Geboorte, peildatum: date) -> bool:
    """Whether a view on `peildatum` can read differently without the birth day: on or after
    the 18th birthday (LPW art. 4a: the fold is the same up to the day before it), or in the
    birth month on or after the birthday (the age, docs/rapportage.md). Never for a child born
    on the 1st or with month precision."""
    dag = geboorte.dag
    if dag is None or dag == 1:
        return False
    return peildatum >= achttiende_verjaardag(geboorte) or (
        peildatum.month == geboorte.maand and peildatum.day >= dag
    )


@dataclass(frozen=True, slots=True)
class Weergave:
    """A past view of the register: a peildatum, as known now (None) or on a moment."""

    peildatum: date
    bekend_op: datetime | None = None


def _leest_anders(
    kinderen: tuple[LeerlingVoorRapport, LeerlingVoorRapport],
    beleid: Beleid,
    peildata: Peildata,
    weergave: Weergave,
    kalender: Vakantiekalender | None,
) -> bool:
    kop = register_kop(weergave.peildatum, bekend_op=weergave.bekend_op, peildata=peildata)
    rijen = [list(inspectie_rijen([k], beleid, kop, kalender=kalender)) for k in kinderen]
    if rijen[0] != rijen[1]:
        return True
    overzichten = [
        swv_overzicht(
            [k],
            beleid,
            peildatum=weergave.peildatum,
            bekend_op=weergave.bekend_op,
            kalender=kalender,
            drempel=1,
        )
        for k in kinderen
    ]
    if overzichten[0] != overzichten[1]:
        return True
    monitor = [monitor_rij(k, beleid, kop, kalender=kalender) for k in kinderen]
    return monitor[0] != monitor[1]


def verleden_vraagt_dag(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    *,
    peildata: Peildata,
    weergaven: Iterable[Weergave],
    kalenders: Mapping[datetime | None, Vakantiekalender | None] | None = None,
) -> bool:
    """Whether any of these past views (its register row, hence its summary, its cells in the
    SWV overview and its row in the own monitor, regel 18) reads differently with the birth day
    coarsened (decision 0046).

    Views on which the day cannot matter (`kan_verschillen`) are skipped without folding.
    `kalenders` gives the holiday calendar of each knowledge moment (lesweken, regel 14)."""
    geboorte = kind.leerling.geboorte
    grof = replace(kind, leerling=replace(kind.leerling, geboorte=zonder_dag(geboorte)))
    kalenders = kalenders or {}
    return any(
        _leest_anders((kind, grof), beleid, peildata, w, kalenders.get(w.bekend_op))
        for w in weergaven
        if kan_verschillen(geboorte, w.peildatum)
    )


def verleden_weergaven(
    peildata: Peildata, *, tot_en_met: date, indieningen: Iterable[tuple[date, datetime]]
) -> list[Weergave]:
    """The past views anonymisation must leave as they were: the register (and summary,
    overview and own monitor) on every peildatum of the SWV up to `tot_en_met` as known now,
    and every submitted register as known at its submission with the previous peildatum its
    summary compares with (Aanpak thuiszitters: the register per peildatum)."""
    eerste = date(1990, 8, 1)  # before any child the register accepts (born from 1990)
    jaren = range(eerste.year + 1, tot_en_met.year + 2)
    uit = [
        Weergave(p)
        for jaar in jaren
        for p in peildata.van_schooljaar(jaar)
        if eerste <= p <= tot_en_met
    ]
    for peildatum, moment in indieningen:
        uit.append(Weergave(peildatum, moment))
        uit.append(Weergave(peildata.vorige(peildatum), moment))
    return uit


def geboortedag_na_anonimiseren(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    *,
    peildata: Peildata,
    weergaven: Iterable[Weergave],
    kalenders: Mapping[datetime | None, Vakantiekalender | None] | None = None,
) -> int | None:
    """The birth day an anonymised record keeps: the exact day where a past view needs it,
    else only "born on the 1st" (1) or nothing (decision 0046; LPW art. 4a)."""
    if verleden_vraagt_dag(
        kind, beleid, peildata=peildata, weergaven=weergaven, kalenders=kalenders
    ):
        return kind.leerling.geboorte.dag
    return zonder_dag(kind.leerling.geboorte).dag
