"""The SWV's own monitor (regel 18): one row per child per peildatum, as known on a moment.

Beside the Inspectie register, for the SWV's own use and its schools' boards; never part of the
Inspectie delivery. A row holds every field of the monitor schools are asked for each quarter
(regel 18: leeftijd, klas, woonplaats, niveau, month reported at the verzuimloket, sick report
by parents, typering, soort thuiszitter, thuiswerkplan, youth care, month and reason ended), and
also the children who stay home with a valid reason and that reason (regel 18).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.beleid import Beleid, telt_als_aanbod
from app.domain.classificatie import Categorie, inspectie_code
from app.domain.feiten import (
    AanbodSoort,
    Beeindigingsreden,
    RedenGeoorloofd,
    SoortThuiszitter,
)
from app.domain.kenmerken import kenmerken_op
from app.domain.rapportage import (
    LeerlingVoorRapport,
    RegisterKop,
    aanbod_op,
    inspectie_rij,
    leeftijd,
)
from app.domain.regio import Vakantiekalender
from app.domain.tijdlijn import bepaal_tijdlijn, geldende_feiten

GEOORLOOFD = "geoorloofd"
"""Typering of a child home with a valid reason, kept in the own monitor only (regel 18)."""

GEOORLOOFDE_CATEGORIEEN = frozenset(
    {Categorie.A1, Categorie.A2B, Categorie.A2C, Categorie.A2_OVERIG, Categorie.C}
)
"""Home with a valid reason on the peildatum: sick (A1), another vrijstelling, or LPW 11 g."""


@dataclass(frozen=True, slots=True)
class MonitorRij:
    """One child in the SWV's monitor on a peildatum (regel 18 of fields)."""

    pseudoniem: str
    leeftijd: int
    klas: str | None
    woonplaats: str | None
    niveau: str | None
    maand_gemeld: str | None
    ziek_gemeld_door_ouders: bool | None
    typering: str
    categorie_peildatum: str
    soort: SoortThuiszitter | None
    reden_geoorloofd: RedenGeoorloofd | None
    startdatum: date | None
    aanbod: AanbodSoort | None
    keer_op_school_per_week: int | None
    uren_op_school_per_week: float | None
    aanbod_voldoende: bool | None
    jeugdhulp: str | None
    maand_beeindigd: str | None
    reden_beeindigd: Beeindigingsreden | None
    pact_overschreden: bool | None


def monitor_rijen(
    kinderen: Iterable[LeerlingVoorRapport],
    beleid: Beleid,
    kop: RegisterKop,
    *,
    kalender: Vakantiekalender | None = None,
) -> Iterator[MonitorRij]:
    """The monitor's rows in input order: every child of the Inspectie register on the peildatum,
    and every child home with a valid reason on it (regel 18), as known on ``kop.bekend_op``."""
    for kind in kinderen:
        rij = monitor_rij(kind, beleid, kop, kalender=kalender)
        if rij is not None:
            yield rij


def monitor_rij(
    kind: LeerlingVoorRapport,
    beleid: Beleid,
    kop: RegisterKop,
    *,
    kalender: Vakantiekalender | None = None,
) -> MonitorRij | None:
    """One child's monitor row on the peildatum, or None when it is not in the monitor."""
    peildatum = kop.peildatum
    geldend, _problemen = geldende_feiten(kind.feiten, kop.bekend_op)
    tijdlijn = bepaal_tijdlijn(kind.leerling, geldend, beleid, tot=peildatum, kalender=kalender)
    perioden = tijdlijn.perioden
    register = inspectie_rij(kind, beleid, kop, perioden, geldend)
    categorie = perioden[-1].categorie if perioden else Categorie.GEEN
    if register is None and categorie not in GEOORLOOFDE_CATEGORIEEN:
        return None
    kenmerken = kenmerken_op(geldend, peildatum)
    laatste_dag = peildatum
    if register is not None and register.einddatum is not None:
        laatste_dag = register.einddatum - timedelta(days=1)  # the episode's last day
    aanbod = aanbod_op(geldend, laatste_dag)
    return MonitorRij(
        pseudoniem=kind.pseudoniem,
        leeftijd=leeftijd(kind.leerling.geboorte, peildatum),
        klas=kenmerken.klas,
        woonplaats=kenmerken.woonplaats or kind.gemeente,
        niveau=kenmerken.niveau,
        maand_gemeld=kenmerken.maand_gemeld,
        ziek_gemeld_door_ouders=None if register is None else register.ziek_gemeld_door_ouders,
        typering=GEOORLOOFD if register is None else register.typering.value,
        categorie_peildatum=inspectie_code(categorie),
        soort=kind.soort or kenmerken.soort,
        reden_geoorloofd=kenmerken.reden_geoorloofd,
        startdatum=None if register is None else register.startdatum,
        aanbod=None if aanbod is None else aanbod.aanbod,
        keer_op_school_per_week=None if aanbod is None else aanbod.keer_op_school_per_week,
        uren_op_school_per_week=None if aanbod is None else aanbod.uren_op_school_per_week,
        aanbod_voldoende=None if aanbod is None else telt_als_aanbod(aanbod, beleid),
        jeugdhulp=kind.jeugdhulp or kenmerken.jeugdhulp,
        maand_beeindigd=None if register is None else register.maand_beeindigd,
        reden_beeindigd=None if register is None else register.reden_beeindigd,
        pact_overschreden=None if register is None else register.pact_overschreden,
    )
