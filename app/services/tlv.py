"""Use cases of TLVs and their plaatsingschecks (docs/tlv.md).

Each use case loads the TLV, asks the pure machine (`app.domain.tlv.stap`) whether the step is
allowed, stores the transition as an append-only history row, updates the TLV's projected
state, and appends the facts the step states (`tlv-afgegeven`, `plaatsing`, `wacht-op-plek`,
`onderwijs-hervat`) in the same transaction, with the TLV or the check as their source
(`bronReferentie` `tlv:<id>` / `plaatsingscheck:<id>`). The classification stays the fold.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import FeitRow, LeerlingRecord
from app.db.session import UnitOfWork
from app.db.tlv import PlaatsingscheckRow, TlvOvergangRow, TlvRow
from app.domain.feiten import FeitSoort, Hervatting, TlvCategorie, TlvSoort, feit_naar_dict
from app.domain.status import Status
from app.domain.tlv import (
    UITKOMSTEN,
    Aard,
    Historie,
    Overgang,
    Stand,
    Stap,
    Tlv,
    TlvGebeurtenis,
    TlvStaat,
    Weigering,
    achterstallig,
    is_open,
    stand_op,
    stap,
)
from app.domain.toegang import Actor
from app.services import context, leerlingen, notificaties, projectie
from app.services import feiten as feiten_service
from app.services.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.services.pagination import Page, PageRequest

R = TypeVar("R")
NIET_GEVONDEN = "Deze TLV bestaat niet of valt buiten uw bevoegdheid."
DATUMVELD = {
    TlvGebeurtenis.GEPLAATST: "plaatsingsdatum",
    TlvGebeurtenis.WACHT_OP_INSTROOM: "verwachteInstroom",
    TlvGebeurtenis.ONDERWIJS_OUDE_SCHOOL: "hervatOp",
    TlvGebeurtenis.GEEN_ONDERWIJS: "geenOnderwijsSinds",
    TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD: "plaatsingsdatum",
}
"""The request field that carries the date of each step."""
OPEN_STATEN = sorted(s.value for s in TlvStaat if is_open(s))


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TlvMetStaat:
    """A TLV with its state as known at a moment (now, or `bekendOp`) and its history."""

    tlv: TlvRow
    stand: Stand
    overgangen: list[TlvOvergangRow]


@dataclass(frozen=True, slots=True)
class Afgegeven:
    tlv: TlvMetStaat
    nieuw: bool


@dataclass(frozen=True, slots=True)
class Vastgelegd:
    check: PlaatsingscheckRow
    tlv: TlvMetStaat
    nieuw: bool


def _met_staat(
    tlv: TlvRow, overgangen: list[TlvOvergangRow], bekend_op: datetime | None
) -> TlvMetStaat | None:
    historie = [
        Historie(
            TlvGebeurtenis(o.gebeurtenis),
            TlvStaat(o.naar),
            o.geregistreerd_op,
            o.datum,
            o.volgende_check,
        )
        for o in overgangen
    ]
    stand = stand_op(historie, bekend_op)
    if stand is None:
        return None
    gezien = [o for o in overgangen if bekend_op is None or o.geregistreerd_op <= bekend_op]
    return TlvMetStaat(tlv, stand, gezien)


# -- the one place where facts are appended ---------------------------------------------------


async def _voeg_feit_toe(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    melding: feiten_service.NieuwFeit,
) -> FeitRow:
    """Append a fact in the caller's transaction (validated, projected, audited)."""
    gemeld = await feiten_service.voeg_feit_toe(uow, actor, leerling_id, melding)
    return gemeld.feit


# -- helpers ---------------------------------------------------------------------------------


def _veld(gebeurtenis: TlvGebeurtenis) -> str:
    return DATUMVELD.get(gebeurtenis, "datum")


def _weiger(weigering: Weigering, gebeurtenis: TlvGebeurtenis) -> Exception:
    if weigering.aard is Aard.ROL:
        return Forbidden(weigering.reden)
    if weigering.aard is Aard.STAAT:
        return Conflict(weigering.reden)
    return InvalidInput([FieldError(_veld(gebeurtenis), "ongeldig", weigering.reden)])


def _overgang(uitkomst: Overgang | Weigering, gebeurtenis: TlvGebeurtenis) -> Overgang:
    if isinstance(uitkomst, Weigering):
        raise _weiger(uitkomst, gebeurtenis)
    return uitkomst


async def _schrijf(
    uow: UnitOfWork,
    actor: Actor,
    tlv: TlvRow,
    overgang: Overgang,
    nu: datetime,
    *,
    check_id: uuid.UUID | None = None,
    datum: date | None = None,
) -> None:
    """A history row and its event (`tlv.<gebeurtenis>`) in one transaction; ids only."""
    await uow.tlv.schrijf_overgang(
        TlvOvergangRow(
            tlv_id=tlv.id,
            swv_id=tlv.swv_id,
            van=overgang.van.value if overgang.van else None,
            naar=overgang.naar.value,
            gebeurtenis=overgang.gebeurtenis.value,
            rol=str(actor.rol),
            door=actor.id,
            geregistreerd_op=nu,
            datum=datum,
            volgende_check=overgang.volgende_check,
            check_id=check_id,
        )
    )
    data: dict[str, Any] = {
        "tlvId": str(tlv.id),
        "leerlingId": str(tlv.leerling_id),
        "staat": overgang.naar.value,
    }
    if overgang.volgende_check is not None:
        data["volgendeCheck"] = overgang.volgende_check.isoformat()
    if check_id is not None:
        data["checkId"] = str(check_id)
    await notificaties.publiceer(
        uow,
        tlv.swv_id,
        f"tlv.{overgang.gebeurtenis.value}",
        tlv.id,
        nu=nu,
        leerling_id=tlv.leerling_id,
        data=data,
    )


def _bron(actor: Actor) -> str:
    """The source of a record, as of a fact: a system by its id, a person by the SWV."""
    return actor.id if actor.is_systeem else f"swv:{actor.swv_id}"


def _controleer_versie(tlv: TlvRow, if_match: str | None) -> None:
    if if_match is None:
        raise PreconditionRequired("Stuur de ETag van de TLV mee in If-Match.")
    if if_match.strip().removeprefix("W/") != etag(tlv):
        raise PreconditionFailed("De TLV is intussen gewijzigd; haal haar opnieuw op.")


def etag(tlv: TlvRow) -> str:
    """The TLV's version as an entity tag."""
    return f'"{tlv.id}-{tlv.versie}"'


async def _school(
    uow: UnitOfWork, swv_id: uuid.UUID, school_id: uuid.UUID | None, veld: str
) -> list[FieldError]:
    if school_id is not None and await uow.scholen.get(swv_id, school_id) is None:
        return [FieldError(veld, "onbekend", "Deze vestiging bestaat niet.")]
    return []


async def _lees(
    uow: UnitOfWork, actor: Actor, tlv_id: uuid.UUID, *, lock: bool = False
) -> tuple[TlvRow, list[TlvOvergangRow]]:
    tlv = await uow.tlv.get(actor, tlv_id, lock=lock)
    if tlv is None:
        raise NotFound(NIET_GEVONDEN)
    uow.betreft = tlv.leerling_id
    overgangen = (await uow.tlv.overgangen([tlv.id]))[tlv.id]
    return tlv, overgangen


async def _bewaar(voeg_toe: Callable[[R], Awaitable[R]], row: R) -> R:
    try:
        return await voeg_toe(row)
    except DubbeleBronReferentie:  # recorded at the same moment by another request
        raise Conflict("Deze bronReferentie is net voor een ander verzoek gebruikt.") from None


def _nu_bekend(tlv: TlvRow, overgangen: list[TlvOvergangRow]) -> TlvMetStaat:
    met = _met_staat(tlv, overgangen, None)
    assert met is not None  # noqa: S101 (a TLV is stored with its first transition)
    return met


# -- issuing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NieuweTlv:
    afgegeven_op: date
    onderwijssoort: TlvSoort
    categorie: TlvCategorie | None = None
    geldig_tot_en_met: date | None = None
    """The TLV's last valid day, inclusive; the fact's `geldig_tot` is the day after."""
    school_herkomst_id: uuid.UUID | None = None
    school_beoogd_id: uuid.UUID | None = None
    bron_referentie: str | None = None


async def geef_af(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, nieuw: NieuweTlv
) -> Afgegeven:
    """Issue a TLV (SWV roles; WPO art. 18a, WVO art. 17a), plan its check four weeks later
    (docs/tlv.md) and append the `tlv-afgegeven` fact with the TLV as source."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        swv = await context.swv_van(uow, actor)
        bron = _bron(actor)
        if nieuw.bron_referentie is not None:
            bestaand = await uow.tlv.op_bron(swv.id, bron, nieuw.bron_referentie)
            if bestaand is not None:
                if bestaand.leerling_id != leerling.id:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere TLV.")
                tlv, overgangen = await _lees(uow, actor, bestaand.id)
                await uow.commit()
                return Afgegeven(_nu_bekend(tlv, overgangen), False)
        vandaag = await context.vandaag(uow)
        fouten = await _school(uow, swv.id, nieuw.school_herkomst_id, "schoolHerkomstId")
        fouten += await _school(uow, swv.id, nieuw.school_beoogd_id, "schoolBeoogdId")
        if nieuw.afgegeven_op > vandaag:
            fouten.append(FieldError("afgegevenOp", "in_de_toekomst", "Ligt na vandaag."))
        if nieuw.geldig_tot_en_met is not None and nieuw.geldig_tot_en_met < nieuw.afgegeven_op:
            fouten.append(FieldError("geldigTotEnMet", "voor_afgifte", "Ligt voor de afgifte."))
        if nieuw.onderwijssoort is TlvSoort.SBO and nieuw.categorie is not None:
            fouten.append(
                FieldError(
                    "categorie", "niet_van_toepassing", "Een TLV voor het SBO heeft geen categorie."
                )
            )
        beleid = context.beleid_van(swv)
        machine = Tlv(nieuw.afgegeven_op, None)
        afgifte = _overgang(
            stap(machine, Stap(TlvGebeurtenis.AFGEGEVEN), actor.rol, vandaag),
            TlvGebeurtenis.AFGEGEVEN,
        )
        gepland = _overgang(
            stap(
                Tlv(nieuw.afgegeven_op, afgifte.naar),
                Stap(TlvGebeurtenis.CHECK_GEPLAND),
                actor.rol,
                vandaag,
                check_na_dagen=beleid.signaal_tlv_na_dagen,
            ),
            TlvGebeurtenis.CHECK_GEPLAND,
        )
        if fouten:
            raise InvalidInput(fouten)
        nu = await context.klok(uow)
        tlv = await _bewaar(
            uow.tlv.voeg_toe,
            TlvRow(
                id=uuid.uuid4(),
                swv_id=swv.id,
                leerling_id=leerling.id,
                afgegeven_op=nieuw.afgegeven_op,
                onderwijssoort=nieuw.onderwijssoort.value,
                categorie=nieuw.categorie.value if nieuw.categorie else None,
                geldig_tot=nieuw.geldig_tot_en_met,
                school_herkomst_id=nieuw.school_herkomst_id,
                school_beoogd_id=nieuw.school_beoogd_id,
                staat=gepland.naar.value,
                volgende_check=gepland.volgende_check,
                versie=1,
                bron=bron,
                bron_referentie=nieuw.bron_referentie,
                aangemaakt_door=actor.id,
                aangemaakt_op=nu,
            ),
        )
        uow.betreft = leerling.id
        await _schrijf(uow, actor, tlv, afgifte, nu, datum=nieuw.afgegeven_op)
        await _schrijf(uow, actor, tlv, gepland, nu)
        gegevens: dict[str, Any] = {"onderwijssoort": nieuw.onderwijssoort.value}
        if nieuw.categorie is not None:
            gegevens["categorie"] = nieuw.categorie.value
        if nieuw.geldig_tot_en_met is not None:
            # The fact's `geldig_tot` is half-open: the first day the TLV no longer holds.
            gegevens["geldig_tot"] = (nieuw.geldig_tot_en_met + timedelta(days=1)).isoformat()
        feit = await _voeg_feit_toe(
            uow,
            actor,
            leerling.id,
            feiten_service.NieuwFeit(
                soort=FeitSoort.TLV_AFGEGEVEN.value,
                geldig_vanaf=nieuw.afgegeven_op,
                gegevens=gegevens,
                bron_referentie=f"tlv:{tlv.id}",
            ),
        )
        tlv.feit_id = feit.id
        await uow.flush()
        overgangen = (await uow.tlv.overgangen([tlv.id]))[tlv.id]
        await uow.commit()
        return Afgegeven(_nu_bekend(tlv, overgangen), True)


# -- reading ---------------------------------------------------------------------------------


async def lees_tlv(
    uow: UnitOfWork, actor: Actor, tlv_id: uuid.UUID, *, bekend_op: datetime | None = None
) -> tuple[TlvMetStaat, list[PlaatsingscheckRow]]:
    """One TLV in scope with its state as known now or at `bekend_op`, and its checks."""
    async with uow.voor(actor):
        tlv, overgangen = await _lees(uow, actor, tlv_id)
        met = _met_staat(tlv, overgangen, bekend_op)
        if met is None:
            raise NotFound(NIET_GEVONDEN)
        checks = [
            c
            for c in await uow.tlv.checks(tlv.id)
            if bekend_op is None or c.geregistreerd_op <= bekend_op
        ]
        await uow.commit()  # the audit row of this read
        return met, checks


async def tlvs_van_leerling(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, *, bekend_op: datetime | None = None
) -> list[TlvMetStaat]:
    """The child's TLVs in scope, each with its state as known now or at `bekend_op`."""
    async with uow.voor(actor):
        rows = await uow.tlv.van_leerling(actor, leerling_id)
        if not rows and await uow.leerlingen.get(actor, leerling_id) is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        overgangen = await uow.tlv.overgangen([r.id for r in rows])
        uit = [met for r in rows if (met := _met_staat(r, overgangen[r.id], bekend_op)) is not None]
        await uow.commit()
        return uit


@dataclass(frozen=True, slots=True)
class TlvFilter:
    staten: tuple[TlvStaat, ...] | None = None
    school_id: uuid.UUID | None = None
    check_tot_en_met: date | None = None


async def lijst_tlvs(
    uow: UnitOfWork, actor: Actor, filter_: TlvFilter, page: PageRequest
) -> Page[TlvMetStaat]:
    """A page of TLVs in scope (as known now), by state and school."""
    async with uow.voor(actor):
        rows, totaal = await uow.tlv.lijst(
            actor,
            offset=page.offset,
            limit=page.page_size,
            staten=[s.value for s in filter_.staten] if filter_.staten else None,
            school_id=filter_.school_id,
            check_tot_en_met=filter_.check_tot_en_met,
        )
        overgangen = await uow.tlv.overgangen([r.id for r in rows])
        uow.getoond = list(dict.fromkeys(r.leerling_id for r in rows))
        items = [_nu_bekend(r, overgangen[r.id]) for r in rows]
        await uow.commit()
        return Page(items, page.page, page.page_size, totaal)


@dataclass(frozen=True, slots=True)
class TeControleren:
    """A check on the worklist: due on `checkdatum`, overdue before the peildatum."""

    tlv: TlvMetStaat
    checkdatum: date
    achterstallig: bool


async def werklijst(
    uow: UnitOfWork,
    actor: Actor,
    *,
    peildatum: date | None,
    school_id: uuid.UUID | None,
    page: PageRequest,
) -> tuple[Page[TeControleren], date]:
    """The begeleider's worklist: open checks due on or before the peildatum (default today),
    earliest first; a check before the peildatum is overdue (docs/tlv.md)."""
    async with uow.voor(actor):
        dag = peildatum or await context.vandaag(uow)
        resultaat = await lijst_tlvs(
            uow,
            actor,
            TlvFilter(
                staten=tuple(TlvStaat(s) for s in OPEN_STATEN),
                school_id=school_id,
                check_tot_en_met=dag,
            ),
            page,
        )
        items = []
        for m in resultaat.items:
            checkdatum = m.stand.volgende_check
            assert checkdatum is not None  # noqa: S101 (the worklist selects on it)
            items.append(TeControleren(m, checkdatum, achterstallig(checkdatum, dag)))
        await uow.commit()
        return Page(items, resultaat.page, resultaat.page_size, resultaat.total), dag


async def checks_van(uow: UnitOfWork, actor: Actor, tlv_id: uuid.UUID) -> list[PlaatsingscheckRow]:
    """The recorded checks of a TLV in scope, oldest first."""
    _met, checks = await lees_tlv(uow, actor, tlv_id)
    return checks


async def check_van(
    uow: UnitOfWork, actor: Actor, tlv_id: uuid.UUID, check_id: uuid.UUID
) -> PlaatsingscheckRow:
    """One recorded check of a TLV in scope."""
    for check in await checks_van(uow, actor, tlv_id):
        if check.id == check_id:
            return check
    raise NotFound("Deze plaatsingscheck bestaat niet bij deze TLV.")


# -- checks and their outcomes ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NieuweCheck:
    uitkomst: TlvGebeurtenis
    gecontroleerd_op: date | None = None
    oude_school_gesproken: bool = True
    nieuwe_school_gesproken: bool = True
    datum: date | None = None
    school_id: uuid.UUID | None = None
    toelichting: str | None = None
    bron_referentie: str | None = None


async def _controleer_check(
    uow: UnitOfWork, tlv: TlvRow, nieuw: NieuweCheck, gecontroleerd_op: date, vandaag: date
) -> tuple[list[FieldError], uuid.UUID | None]:
    """The check's own fields: its day, and the school of a placement (default: intended)."""
    fouten: list[FieldError] = []
    if gecontroleerd_op > vandaag:
        fouten.append(FieldError("gecontroleerdOp", "in_de_toekomst", "Ligt na vandaag."))
    if gecontroleerd_op < tlv.afgegeven_op:
        fouten.append(
            FieldError("gecontroleerdOp", "voor_afgifte", "Ligt voor de afgifte van de TLV.")
        )
    school_id = nieuw.school_id
    if nieuw.uitkomst is TlvGebeurtenis.GEPLAATST:
        school_id = school_id or tlv.school_beoogd_id
        if school_id is None:
            fouten.append(FieldError("schoolId", "ontbreekt", "Noem de school van plaatsing."))
        fouten += await _school(uow, tlv.swv_id, school_id, "schoolId")
    elif school_id is not None:
        fouten.append(FieldError("schoolId", "niet_van_toepassing", "Alleen bij een plaatsing."))
    return fouten, school_id


async def leg_check_vast(
    uow: UnitOfWork,
    actor: Actor,
    tlv_id: uuid.UUID,
    nieuw: NieuweCheck,
    *,
    if_match: str | None = None,
) -> Vastgelegd:
    """Record the begeleider's calls with the old and the new school and their outcome
    (docs/tlv.md); the outcome appends the fact it states, with the check as source."""
    async with uow.voor(actor):
        tlv, overgangen = await _lees(uow, actor, tlv_id, lock=True)
        bron = _bron(actor)
        if nieuw.bron_referentie is not None:
            bestaand = await uow.tlv.check_op_bron(tlv.swv_id, bron, nieuw.bron_referentie)
            if bestaand is not None:
                if bestaand.tlv_id != tlv.id:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere check.")
                await uow.commit()
                return Vastgelegd(bestaand, _nu_bekend(tlv, overgangen), False)
        if if_match is not None:
            _controleer_versie(tlv, if_match)
        if nieuw.uitkomst not in UITKOMSTEN:
            raise InvalidInput([FieldError("uitkomst", "ongeldig", "Geen uitkomst van een check.")])
        vandaag = await context.vandaag(uow)
        beleid = context.beleid_van(await context.swv_van(uow, actor))
        gecontroleerd_op = nieuw.gecontroleerd_op or vandaag
        fouten, school_id = await _controleer_check(uow, tlv, nieuw, gecontroleerd_op, vandaag)
        huidig = TlvStaat(tlv.staat)
        overgang = stap(
            Tlv(tlv.afgegeven_op, huidig, tlv.volgende_check),
            Stap(nieuw.uitkomst, nieuw.datum),
            actor.rol,
            vandaag,
            check_na_dagen=beleid.signaal_tlv_na_dagen,
            hercheck_na_dagen=beleid.tlv_hercheck_na_dagen,
        )
        if isinstance(overgang, Weigering) and overgang.aard is not Aard.INVOER:
            raise _weiger(overgang, nieuw.uitkomst)
        if isinstance(overgang, Weigering):
            fouten.append(FieldError(_veld(nieuw.uitkomst), "ongeldig", overgang.reden))
        if fouten or isinstance(overgang, Weigering):
            raise InvalidInput(fouten)
        nu = await context.klok(uow)
        check = await _bewaar(
            uow.tlv.voeg_check_toe,
            PlaatsingscheckRow(
                id=uuid.uuid4(),
                tlv_id=tlv.id,
                swv_id=tlv.swv_id,
                leerling_id=tlv.leerling_id,
                gecontroleerd_op=gecontroleerd_op,
                oude_school_gesproken=nieuw.oude_school_gesproken,
                nieuwe_school_gesproken=nieuw.nieuwe_school_gesproken,
                uitkomst=nieuw.uitkomst.value,
                datum=nieuw.datum,
                school_id=school_id,
                toelichting=nieuw.toelichting,
                bron=bron,
                bron_referentie=nieuw.bron_referentie,
                door=actor.id,
                geregistreerd_op=nu,
            ),
        )
        await _schrijf(uow, actor, tlv, overgang, nu, check_id=check.id, datum=nieuw.datum)
        feit = await _feit_van_uitkomst(uow, actor, tlv, huidig, check)
        check.feit_id = feit.id if feit is not None else None
        waarden: dict[str, Any] = {
            "staat": overgang.naar.value,
            "volgende_check": overgang.volgende_check,
        }
        if nieuw.uitkomst is TlvGebeurtenis.GEPLAATST:
            waarden |= {"plaatsingsdatum": nieuw.datum, "geplaatst_bij_id": school_id}
        if nieuw.uitkomst is TlvGebeurtenis.GEEN_ONDERWIJS:
            waarden["geen_onderwijs_sinds"] = nieuw.datum
        await uow.tlv.zet(tlv, **waarden)
        overgangen = (await uow.tlv.overgangen([tlv.id]))[tlv.id]
        await uow.commit()
        return Vastgelegd(check, _nu_bekend(tlv, overgangen), True)


async def _feit_van_uitkomst(
    uow: UnitOfWork, actor: Actor, tlv: TlvRow, was: TlvStaat, check: PlaatsingscheckRow
) -> FeitRow | None:
    """The fact an outcome states (docs/tlv.md): placed → `plaatsing` at the new school;
    no education → `wacht-op-plek` from its first day (regel 6: B1, then B2a after four
    weeks); taught at the old school again after none → `onderwijs-hervat`."""
    uitkomst = TlvGebeurtenis(check.uitkomst)
    bron_referentie = f"plaatsingscheck:{check.id}"
    if uitkomst is TlvGebeurtenis.GEPLAATST:
        assert check.datum is not None  # noqa: S101 (the machine asks a date)
        melding = feiten_service.NieuwFeit(
            soort=FeitSoort.PLAATSING.value,
            geldig_vanaf=check.datum,
            bron_referentie=bron_referentie,
            school_id=check.school_id,
        )
    elif uitkomst is TlvGebeurtenis.GEEN_ONDERWIJS:
        assert check.datum is not None  # noqa: S101 (the machine asks a date)
        melding = feiten_service.NieuwFeit(
            soort=FeitSoort.WACHT_OP_PLEK.value,
            geldig_vanaf=check.datum,
            bron_referentie=bron_referentie,
        )
    elif was is TlvStaat.GEEN_ONDERWIJS:
        hervat = check.gecontroleerd_op
        if uitkomst is TlvGebeurtenis.ONDERWIJS_OUDE_SCHOOL and check.datum is not None:
            hervat = check.datum
        melding = feiten_service.NieuwFeit(
            soort=FeitSoort.ONDERWIJS_HERVAT.value,
            geldig_vanaf=hervat,
            gegevens={"hervatting": Hervatting.VOLLEDIG.value},
            bron_referentie=bron_referentie,
        )
    else:
        return None
    return await _voeg_feit_toe(uow, actor, tlv.leerling_id, melding)


async def voer_plaatsing_in(
    uow: UnitOfWork, actor: Actor, tlv_id: uuid.UUID, datum: date, *, if_match: str | None
) -> TlvMetStaat:
    """The secretariaat enters the placement date in the administration (docs/tlv.md);
    a date other than the check's corrects the `plaatsing` fact (regel 15, docs/domain.md)."""
    async with uow.voor(actor):
        tlv, _overgangen = await _lees(uow, actor, tlv_id, lock=True)
        _controleer_versie(tlv, if_match)
        vandaag = await context.vandaag(uow)
        overgang = _overgang(
            stap(
                Tlv(tlv.afgegeven_op, TlvStaat(tlv.staat), tlv.volgende_check),
                Stap(TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD, datum),
                actor.rol,
                vandaag,
            ),
            TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD,
        )
        nu = await context.klok(uow)
        if tlv.plaatsingsdatum != datum:
            await _corrigeer_plaatsing(uow, actor, tlv, datum)
        await _schrijf(uow, actor, tlv, overgang, nu, datum=datum)
        await uow.tlv.zet(
            tlv,
            staat=overgang.naar.value,
            volgende_check=None,
            plaatsingsdatum=datum,
            plaatsing_ingevoerd_op=vandaag,
        )
        overgangen = (await uow.tlv.overgangen([tlv.id]))[tlv.id]
        await uow.commit()
        return _nu_bekend(tlv, overgangen)


async def _corrigeer_plaatsing(uow: UnitOfWork, actor: Actor, tlv: TlvRow, datum: date) -> None:
    checks = [c for c in await uow.tlv.checks(tlv.id) if c.uitkomst == "geplaatst"]
    feit_id = checks[-1].feit_id if checks else None
    feiten = await uow.leerlingen.feitregels(tlv.leerling_id)
    regel = next((r for r in feiten if r.id == feit_id), None)
    if regel is None:
        raise Conflict("De plaatsing van deze TLV is niet als feit vastgelegd.")
    vervanging = {
        **feit_naar_dict(projectie.feit_van_regel(regel)),
        "geldig_vanaf": datum.isoformat(),
    }
    await _voeg_feit_toe(
        uow,
        actor,
        tlv.leerling_id,
        feiten_service.NieuwFeit(
            soort=FeitSoort.CORRECTIE.value,
            geldig_vanaf=datum,
            gegevens={
                "betreft": str(feit_id),
                "reden": "plaatsingsdatum ingevoerd door het secretariaat",
                "vervanging": {"soort": FeitSoort.PLAATSING.value, **vervanging},
            },
            school_id=tlv.geplaatst_bij_id,
        ),
    )


async def trek_in(
    uow: UnitOfWork, actor: Actor, tlv_id: uuid.UUID, reden: str, *, if_match: str | None
) -> TlvMetStaat:
    """Withdraw a TLV with a reason (SWV roles); before a placement its `tlv-afgegeven` fact is
    withdrawn too, so the no-placement signal stops (regel 15, docs/domain.md)."""
    async with uow.voor(actor):
        tlv, _overgangen = await _lees(uow, actor, tlv_id, lock=True)
        _controleer_versie(tlv, if_match)
        vandaag = await context.vandaag(uow)
        overgang = _overgang(
            stap(
                Tlv(tlv.afgegeven_op, TlvStaat(tlv.staat), tlv.volgende_check),
                Stap(TlvGebeurtenis.INGETROKKEN),
                actor.rol,
                vandaag,
            ),
            TlvGebeurtenis.INGETROKKEN,
        )
        nu = await context.klok(uow)
        if tlv.plaatsingsdatum is None and tlv.feit_id is not None:
            await _voeg_feit_toe(
                uow,
                actor,
                tlv.leerling_id,
                feiten_service.NieuwFeit(
                    soort=FeitSoort.INTREKKING.value,
                    geldig_vanaf=tlv.afgegeven_op,
                    gegevens={"betreft": str(tlv.feit_id), "reden": "TLV ingetrokken"},
                    bron_referentie=f"tlv-intrekking:{tlv.id}",
                ),
            )
        await _schrijf(uow, actor, tlv, overgang, nu)
        await uow.tlv.zet(
            tlv, staat=overgang.naar.value, volgende_check=None, intrekkingsreden=reden
        )
        overgangen = (await uow.tlv.overgangen([tlv.id]))[tlv.id]
        await uow.commit()
        return _nu_bekend(tlv, overgangen)


# -- the child's status page -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TlvSamenvatting:
    """A TLV's state on the child's status page, as known now or at `bekendOp`."""

    tlv_id: uuid.UUID
    afgegeven_op: date
    onderwijssoort: TlvSoort
    stand: Stand
    achterstallig: bool
    """Its check fell due before the status's peildatum (docs/tlv.md)."""


async def status_met_tlvs(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    *,
    peildatum: date | None,
    bekend_op: datetime | None,
) -> tuple[LeerlingRecord, Status, list[TlvSamenvatting]]:
    """The child's status with its TLVs' states: one extra indexed query on the hot path."""
    async with uow.voor(actor):
        kind, status = await leerlingen.status_op(
            uow, actor, leerling_id, peildatum=peildatum, bekend_op=bekend_op
        )
        per_tlv: dict[uuid.UUID, list[Any]] = {}
        for regel in await uow.tlv.historie_van_kind(kind.id):
            per_tlv.setdefault(regel["id"], []).append(regel)
        samenvattingen = []
        for tlv_id, regels in per_tlv.items():
            stand = stand_op(
                (
                    Historie(
                        TlvGebeurtenis(r["gebeurtenis"]),
                        TlvStaat(r["naar"]),
                        r["geregistreerd_op"],
                        r["datum"],
                        r["volgende_check"],
                    )
                    for r in regels
                ),
                bekend_op,
            )
            if stand is not None:
                eerste = regels[0]
                samenvattingen.append(
                    TlvSamenvatting(
                        tlv_id,
                        eerste["afgegeven_op"],
                        TlvSoort(eerste["onderwijssoort"]),
                        stand,
                        achterstallig(stand.volgende_check, status.peildatum),
                    )
                )
        await uow.commit()
        return kind, status, samenvattingen
