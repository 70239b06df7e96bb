"""The Inspectie register as a projection (docs/decisions/0012-register-projectie.md).

A child's rows in the register of every peildatum of its SWV on which it is listed, computed by
the pure domain from the same fold as its timeline (`inspectie_rijen_per_peildatum`) and stored
with it in the transaction of each new fact (`projectie.projecteer`). The report as known now
reads them back with one Core query per peildatum; what the projection cannot answer (as known
on a moment, lesweken, a date that is no peildatum of the SWV) is folded from the facts as before.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from app.db.rapportage import REGISTER_KOLOMMEN
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid, Weektelling
from app.domain.classificatie import Categorie
from app.domain.feiten import AanbodSoort, Beeindigingsreden, Feit, SoortThuiszitter
from app.domain.leerling import Leerling
from app.domain.rapportage import (
    Duurklasse,
    InspectieRij,
    LeerlingVoorRapport,
    Peildata,
    Typering,
    VorigeStand,
    inspectie_rijen_per_peildatum,
)
from app.domain.tijdlijn import Tijdlijn


def rijen(
    pseudoniem: str,
    leerling: Leerling,
    feiten: list[Feit],
    tijdlijn: Tijdlijn,
    *,
    beleid: Beleid,
    peildata: Peildata,
) -> list[dict[str, Any]]:
    """The child's register rows to store, one per peildatum that lists it up to the timeline's
    horizon. `tijdlijn` is the child's projected timeline, folded from `feiten` as known now.

    The child's input is what the report's fold gives it (`rapportage._kind`): `soort` and
    `jeugdhulp` come from the kenmerk facts (regel 18) in both."""
    kind = LeerlingVoorRapport(leerling=leerling, feiten=feiten, pseudoniem=pseudoniem)
    return [
        _opslag(peildatum, rij)
        for peildatum, rij in inspectie_rijen_per_peildatum(
            kind, beleid, tijdlijn, peildata=peildata
        )
    ]


def _opslag(peildatum: date, rij: InspectieRij) -> dict[str, Any]:
    return {
        "peildatum": peildatum,
        "pseudoniem": rij.pseudoniem,
        "leeftijd": rij.leeftijd,
        "categorie_peildatum": rij.categorie_peildatum.value,
        "hoogste_categorie": rij.hoogste_categorie.value,
        "verloop": [c.value for c in rij.verloop],
        "typering": rij.typering.value,
        "soort": None if rij.soort is None else rij.soort.value,
        "startdatum": rij.startdatum,
        "einddatum": rij.einddatum,
        "duur_dagen": rij.duur_dagen,
        "duurklasse": rij.duurklasse.value,
        "ziek_gemeld_door_ouders": rij.ziek_gemeld_door_ouders,
        "aanbod": None if rij.aanbod is None else rij.aanbod.value,
        "jeugdhulp": rij.jeugdhulp,
        "reden_beeindigd": None if rij.reden_beeindigd is None else rij.reden_beeindigd.value,
        "pact_overschreden": rij.pact_overschreden,
        "aantal_episodes": rij.aantal_episodes,
    }


def opslagrij(peildatum: date, rij: InspectieRij) -> tuple[Any, ...]:
    """A stored row as a tuple in the order of `REGISTER_KOLOMMEN` (for COPY)."""
    opslag = _opslag(peildatum, rij)
    return tuple(opslag[k] for k in REGISTER_KOLOMMEN)


# Stored text back to the domain's values: dictionary look-ups, cheaper than the enum call.
_CATEGORIE = {c.value: c for c in Categorie}
_TYPERING = {t.value: t for t in Typering}
_DUURKLASSE = {k.value: k for k in Duurklasse}
_SOORT: dict[str | None, SoortThuiszitter | None] = {
    None: None,
    **{s.value: s for s in SoortThuiszitter},
}
_AANBOD: dict[str | None, AanbodSoort | None] = {None: None, **{a.value: a for a in AanbodSoort}}
_REDEN: dict[str | None, Beeindigingsreden | None] = {
    None: None,
    **{r.value: r for r in Beeindigingsreden},
}
_VERLOPEN: dict[tuple[str, ...], tuple[Categorie, ...]] = {}
"""Each course of categories seen (few distinct ones), converted once."""


def _verloop(tekst: Sequence[str]) -> tuple[Categorie, ...]:
    sleutel = tuple(tekst)
    verloop = _VERLOPEN.get(sleutel)
    if verloop is None:
        verloop = tuple(_CATEGORIE[c] for c in sleutel)
        if len(_VERLOPEN) < 4096:
            _VERLOPEN[sleutel] = verloop
    return verloop


def rij_uit_opslag(row: Sequence[Any]) -> InspectieRij:
    """The domain row of a stored one (the columns after `peildatum`, in their order)."""
    (
        pseudoniem,
        leeftijd,
        categorie_peildatum,
        hoogste_categorie,
        verloop,
        typering,
        soort,
        startdatum,
        einddatum,
        duur_dagen,
        duurklasse,
        ziek_gemeld_door_ouders,
        aanbod,
        jeugdhulp,
        reden_beeindigd,
        pact_overschreden,
        aantal_episodes,
    ) = row
    return InspectieRij(
        pseudoniem,
        leeftijd,
        _CATEGORIE[categorie_peildatum],
        _CATEGORIE[hoogste_categorie],
        _verloop(verloop),
        _TYPERING[typering],
        _SOORT[soort],
        startdatum,
        einddatum,
        duur_dagen,
        _DUURKLASSE[duurklasse],
        ziek_gemeld_door_ouders,
        _AANBOD[aanbod],
        jeugdhulp,
        _REDEN[reden_beeindigd],
        pact_overschreden,
        aantal_episodes,
    )


def beantwoordt(
    beleid: Beleid, peildata: Peildata, peildatum: date, bekend_op: datetime | None
) -> bool:
    """Whether the projection holds the register of `peildatum`: as known now, on a peildatum of
    the SWV, counting calendar days.

    Within the horizon: each child's timeline is projected to at least 31 December of the year
    it turns 19 (`projectie._projectie_tot`), and no category counts from its 18th birthday on
    (rule 2), so no register after that horizon lists it. In lesweken mode the projection
    ends where the shipped holiday data ends, so the report folds the facts."""
    return (
        bekend_op is None
        and peildata.cumulatief_vanaf is None  # the projection holds school-year windows only
        and beleid.weektelling is Weektelling.KALENDERDAGEN
        and peildatum in peildata.van_schooljaar(peildata.schooljaar(peildatum))
    )


async def lees(uow: UnitOfWork, swv_id: uuid.UUID, peildatum: date) -> tuple[InspectieRij, ...]:
    """The register's rows on a peildatum from the projection, in the order of the fold."""
    return tuple(rij_uit_opslag(r) for r in await uow.rapportage.register_rijen(swv_id, peildatum))


async def lees_stand(uow: UnitOfWork, swv_id: uuid.UUID, peildatum: date) -> VorigeStand:
    """The register of a peildatum as the next one's summary compares with it (no full rows)."""
    rows = await uow.rapportage.register_stand(swv_id, peildatum)
    return VorigeStand(peildatum, {p: (start, actief) for p, start, actief in rows})
