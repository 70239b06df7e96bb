"""Facts about a child: the one way to append one, and the child's history.

`voeg_feit_toe` validates a reported fact, checks the caller's right to state its kind
(`FEITRECHTEN` in app/domain/toegang.py), appends it (facts are never changed, regel 15),
re-projects the child's timeline and register rows, all inside the caller's unit of work: the
caller commits, and the request's audit row records the change. The child is read and locked
once per transaction (`lees_dossier`), however many facts a use case appends.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import FeitRegel, FeitRow, LeerlingRecord, LeerlingRow
from app.db.session import UnitOfWork
from app.domain.feiten import (
    Correctie,
    Feit,
    FeitSoort,
    Intrekking,
    OngeldigFeit,
    feit_naar_dict,
    feit_uit_dict,
    geldig_vanaf_fout,
)
from app.domain.kenmerken import kenmerk_problemen
from app.domain.toegang import Actor, Feitrecht, Namens, Reikwijdte, feitrecht
from app.services import context, leerlingen, projectie
from app.services.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound

"""A fact may be about a date at most this far ahead (a vrijstelling for next school year)."""

SERVERVELDEN = ("id", "geldig_vanaf", "geregistreerd_op")
"""Fields of a fact the server sets: never accepted inside `gegevens`."""
_GEWONE_SOORTEN = frozenset(str(s) for s in FeitSoort) - {FeitSoort.CORRECTIE, FeitSoort.INTREKKING}
_VESTIGING_SOORTEN = {FeitSoort.INSCHRIJVING, FeitSoort.UITSCHRIJVING, FeitSoort.PLAATSING}


@dataclass(frozen=True, slots=True)
class NieuwFeit:
    """A fact as a school, leerplicht or the SWV states it, before the register stores it."""

    soort: str
    geldig_vanaf: date
    gegevens: dict[str, Any] = field(default_factory=dict)
    bron_referentie: str | None = None
    school_id: uuid.UUID | None = None
    namens: Namens | None = None
    """The source the caller states the fact for (leerplicht; the jeugdarts or GGD)."""


@dataclass(frozen=True, slots=True)
class Toegevoegd:
    feit: FeitRow
    nieuw: bool
    leerling: LeerlingRecord
    """The child after the append (its `versie` counts the fact)."""


@dataclass(slots=True)
class Dossier:
    """A child in scope with its stored facts, as read in this transaction (locked to change)."""

    leerling: LeerlingRecord
    regels: list[FeitRegel]

    def soort_van(self, feit_id: str) -> FeitSoort | None:
        """The kind of one of the child's facts (a correction's kind is what it replaced)."""
        for regel in self.regels:
            if str(regel.id) == feit_id:
                if regel.soort == FeitSoort.CORRECTIE:
                    return FeitSoort(str(regel.payload["vervanging"]["soort"]))
                return FeitSoort(regel.soort)
        return None


async def lees_dossier(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, *, lock: bool
) -> Dossier:
    """The child in the caller's scope with its facts (`FOR UPDATE` with `lock`); else
    NotFound, the same for missing and out of scope."""
    leerling = await uow.leerlingen.kind(actor, leerling_id, lock=lock)
    if leerling is None:
        raise NotFound(leerlingen.NIET_GEVONDEN)
    return Dossier(leerling, await uow.leerlingen.feitregels(leerling.id))


def _bron(actor: Actor) -> str:
    return actor.id if actor.is_systeem else f"swv:{actor.swv_id}"


async def voeg_feit_toe(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    nieuw_feit: NieuwFeit,
    *,
    dossier: Dossier | None = None,
) -> Toegevoegd:
    """Append one fact inside the caller's unit of work (regel 15); the caller commits. The same
    `bronReferentie` from the same source with the same content is the same fact again."""
    if dossier is None:
        dossier = await lees_dossier(uow, actor, leerling_id, lock=True)
    leerling = dossier.leerling
    _geen_servervelden(nieuw_feit)
    swv = await context.swv_context(uow, actor)
    nu = await context.klok(uow)
    bestaand = None
    if nieuw_feit.bron_referentie is not None:
        bestaand = await uow.leerlingen.feitregel_op_bron(
            swv.id, _bron(actor), nieuw_feit.bron_referentie
        )
    feit_id = bestaand.id if bestaand is not None else uuid.uuid4()
    if nieuw_feit.soort in _GEWONE_SOORTEN:  # refused before its fields are read
        _controleer_soort(actor, FeitSoort(nieuw_feit.soort), nieuw_feit.namens)
    school_id = await _school_van(uow, actor, swv, nieuw_feit)
    feit = _lees(nieuw_feit, feit_id, nu, {str(r.id) for r in dossier.regels}, school_id)
    _controleer_kenmerk(feit, swv)
    _controleer_recht(actor, feit, nieuw_feit.namens, dossier)
    await _controleer_vervanging(uow, actor, swv, feit)
    payload = {k: v for k, v in feit_naar_dict(feit).items() if k not in SERVERVELDEN}
    if bestaand is not None:
        if bestaand.leerling_id != leerling.id:  # another child: its fact's id is not named
            raise Conflict("Deze bronReferentie is al gebruikt voor een ander feit.")
        if (
            bestaand.soort != str(feit.soort)
            or bestaand.geldig_vanaf != feit.geldig_vanaf
            or bestaand.payload != payload
            or bestaand.school_id != school_id
            or bestaand.namens != (str(nieuw_feit.namens) if nieuw_feit.namens else None)
        ):
            raise Conflict(
                f"Deze bronReferentie hoort al bij een ander feit (id {bestaand.id}) met andere "
                "inhoud; gebruik een nieuwe bronReferentie of corrigeer dat feit."
            )
        return Toegevoegd(bestaand.als_rij(), False, leerling)
    row = FeitRow(
        id=feit_id,
        leerling_id=leerling.id,
        swv_id=swv.id,
        soort=str(feit.soort),
        geldig_vanaf=feit.geldig_vanaf,
        geregistreerd_op=nu,
        payload=payload,
        bron=_bron(actor),
        bron_referentie=nieuw_feit.bron_referentie,
        gemeld_door=actor.id,
        school_id=school_id,
        namens=str(nieuw_feit.namens) if nieuw_feit.namens else None,
    )
    try:
        await uow.leerlingen.schrijf_feit(row)
    except DubbeleBronReferentie:  # reported at the same moment for another child
        raise Conflict("Deze bronReferentie is al gebruikt voor een ander feit.") from None
    if school_id is not None:
        await uow.leerlingen.koppel_vestiging(leerling.id, school_id)
    leerling = dataclasses.replace(leerling, versie=leerling.versie + 1)
    await uow.leerlingen.zet_versie(leerling.id, leerling.versie)
    dossier.leerling = leerling
    dossier.regels.append(FeitRegel(**{f: getattr(row, f) for f in FeitRegel.__slots__}))
    feiten = [projectie.feit_van_regel(r) for r in dossier.regels]
    await projectie.projecteer_feiten(uow, leerling, swv, feiten, nu.date())
    return Toegevoegd(row, True, leerling)


async def meld_feit(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, nieuw_feit: NieuwFeit
) -> Toegevoegd:
    """The inbox: append one fact in a transaction of its own (`voeg_feit_toe`)."""
    async with uow.voor(actor):
        toegevoegd = await voeg_feit_toe(uow, actor, leerling_id, nieuw_feit)
        await uow.commit()
        return toegevoegd


def _geen_servervelden(nieuw_feit: NieuwFeit) -> None:
    """Fields the server sets are refused inside `gegevens`, as any unknown field is."""
    fouten = [
        FieldError(_veldnaam(veld), "door_server_gezet", "Dit veld zet de server zelf.")
        for veld in SERVERVELDEN
        if veld in nieuw_feit.gegevens
    ]
    if fouten:
        raise InvalidInput(fouten)


def _controleer_recht(actor: Actor, feit: Feit, namens: Namens | None, dossier: Dossier) -> None:
    """The caller may state this fact's kind; a correction or withdrawal needs the right to
    state the kind it corrects or withdraws (and, for a correction, the new kind)."""
    soorten: list[FeitSoort] = [feit.soort]
    if isinstance(feit, Correctie | Intrekking):
        betreft = dossier.soort_van(feit.betreft)
        soorten = [betreft] if betreft is not None else []
        if isinstance(feit, Correctie):
            soorten.append(feit.vervanging.soort)
    for soort in soorten:
        _controleer_soort(actor, soort, namens)


def _controleer_soort(actor: Actor, soort: FeitSoort, namens: Namens | None) -> None:
    recht = feitrecht(actor.rol, soort, namens)
    if recht is Feitrecht.BRON_ONTBREEKT:
        raise InvalidInput(
            [
                FieldError(
                    "namens", "bron_ontbreekt", f"Een {soort} noemt de bron: jeugdarts of ggd."
                )
            ]
        )
    if recht is Feitrecht.NAMENS_ONGELDIG:
        raise InvalidInput(
            [FieldError("namens", "niet_toegestaan", f"Een {soort} wordt niet namens gemeld.")]
        )
    if recht is Feitrecht.GEEN_RECHT:
        raise Forbidden(f"Uw rol mag een feit van soort '{soort}' niet vastleggen.")


def _lees(
    nieuw_feit: NieuwFeit,
    feit_id: uuid.UUID,
    nu: datetime,
    bekend: set[str],
    school_id: uuid.UUID | None,
) -> Feit:
    fouten: list[FieldError] = []
    datumfout = geldig_vanaf_fout(nieuw_feit.geldig_vanaf, nu.date())
    if datumfout is not None:
        fouten.append(FieldError("geldigVanaf", *datumfout))
    data: dict[str, object] = {
        **nieuw_feit.gegevens,
        "id": str(feit_id),
        "geldig_vanaf": nieuw_feit.geldig_vanaf.isoformat(),
        "geregistreerd_op": nu.isoformat(),
    }
    if nieuw_feit.soort in _VESTIGING_SOORTEN:
        # The vestiging of the fact is always the checked `schoolId`, never free text.
        if "vestiging" in nieuw_feit.gegevens:
            fouten.append(FieldError("gegevens.vestiging", "niet_toegestaan", "Gebruik schoolId."))
        data["vestiging"] = str(school_id) if school_id else None
    feit: Feit | None = None
    try:
        feit = feit_uit_dict(nieuw_feit.soort, data)
    except OngeldigFeit as fout:
        fouten.extend(
            FieldError(_veldnaam(p.veld), "ongeldig", p.probleem)
            for p in fout.problemen
            if p.veld not in SERVERVELDEN
        )
    if isinstance(feit, Correctie | Intrekking) and feit.betreft not in bekend:
        fouten.append(
            FieldError("gegevens.betreft", "onbekend", "Dit feit bestaat niet bij deze leerling.")
        )
    if fouten or feit is None:
        raise InvalidInput(fouten)
    return feit


def _controleer_kenmerk(feit: Feit, swv: context.SwvContext) -> None:
    """A kenmerk is a short name; youth care one from the SWV's list (regel 18)."""
    problemen = kenmerk_problemen(feit, context.jeugdhulp_organisaties(swv.swv))
    if problemen:
        raise InvalidInput(
            [FieldError(_veldnaam(p.veld), "ongeldig", p.probleem) for p in problemen]
        )


def _veldnaam(veld: str) -> str:
    if veld == "soort":
        return "soort"
    head, *rest = veld.split("_")
    return "gegevens." + head + "".join(p.capitalize() for p in rest)


async def _school_van(
    uow: UnitOfWork, actor: Actor, swv: context.SwvContext, nieuw_feit: NieuwFeit
) -> uuid.UUID | None:
    """The vestiging the fact is about or reported by, checked to exist in the SWV and, for a
    school or school system, to be one of its own."""
    school_id = nieuw_feit.school_id
    if (
        school_id is None
        and actor.reikwijdte is Reikwijdte.VESTIGINGEN
        and len(actor.vestiging_ids) == 1
    ):
        school_id = uuid.UUID(next(iter(actor.vestiging_ids)))
    if school_id is None:
        if nieuw_feit.soort in _VESTIGING_SOORTEN:
            raise InvalidInput([FieldError("schoolId", "ontbreekt", "Noem de vestiging.")])
        return None
    await _eigen_school(uow, actor, swv, school_id, "schoolId")
    return school_id


async def _eigen_school(
    uow: UnitOfWork, actor: Actor, swv: context.SwvContext, school_id: uuid.UUID, veld: str
) -> None:
    if await uow.scholen.get(swv.id, school_id) is None:
        raise InvalidInput([FieldError(veld, "onbekend", "Deze vestiging bestaat niet.")])
    if actor.reikwijdte is Reikwijdte.VESTIGINGEN and str(school_id) not in actor.vestiging_ids:
        raise InvalidInput(
            [FieldError(veld, "buiten_bevoegdheid", "Een school meldt voor de eigen vestiging.")]
        )


async def _controleer_vervanging(
    uow: UnitOfWork, actor: Actor, swv: context.SwvContext, feit: Feit
) -> None:
    """A correction that names a vestiging names an existing one (and, for a school, its own)."""
    if not isinstance(feit, Correctie):
        return
    vestiging = getattr(feit.vervanging, "vestiging", None)
    if vestiging is None:
        return
    try:
        school_id = uuid.UUID(str(vestiging))
    except ValueError:
        raise InvalidInput(
            [FieldError("gegevens.vervanging.vestiging", "ongeldig", "Geen vestiging-id.")]
        ) from None
    await _eigen_school(uow, actor, swv, school_id, "gegevens.vervanging.vestiging")


# -- reading ---------------------------------------------------------------------------------


async def lijst_feiten(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID
) -> tuple[LeerlingRow, list[FeitRow]]:
    """The whole history of a child: every fact as received, corrections included."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        rows = await uow.leerlingen.feiten(leerling.id)
        await uow.commit()
        return leerling, rows
