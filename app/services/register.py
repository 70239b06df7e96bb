"""Use cases of the register: children, their facts, status, timeline and history.

Facts are appended, never changed (DOMAIN.md rule 15). Each append recomputes the child's
projected timeline in the same transaction, under a row lock on the child, so concurrent
reports on one child are serialised and the projection always equals the fold of the facts.

The hot paths (status, timeline, reporting a fact) read and write through the repositories'
plain-SQL methods (`Kind`, fact records, `SwvInstellingen`) rather than ORM objects: per request
that is most of the difference to the bare database work (docs/decisions/0014).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import FeitRow, Kind, LeerlingRow
from app.db.organisaties import SwvInstellingen, SwvRow
from app.db.scholen import SchoolRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid, DefinitieProfiel, Weektelling
from app.domain.classificatie import LANDELIJKE_THUISZITTERS, Categorie
from app.domain.feiten import (
    Correctie,
    Feit,
    FeitSoort,
    Intrekking,
    OngeldigFeit,
    feit_naar_dict,
    feit_uit_dict,
)
from app.domain.identiteit import is_geldig_bsn
from app.domain.leerling import Geboorte, Leerling
from app.domain.rapportage import STANDAARD_PEILDATA, Peildata
from app.domain.regio import Regio
from app.domain.status import Signaal, Status, bepaal_status
from app.domain.tijdlijn import Tijdlijn, bepaal_tijdlijn
from app.domain.toegang import Actor, Operatie, Reikwijdte, mag
from app.services import identiteit, registerrijen, schoolvakanties
from app.services.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from app.services.pagination import Page, PageRequest
from app.services.toegang.versleuteling import Versleuteling

NIET_GEVONDEN = "Deze leerling bestaat niet of valt buiten uw bevoegdheid."
MAX_DAGEN_VOORUIT = 366
"""A fact may be about a date at most this far ahead (a vrijstelling for next school year)."""

_KOLOMMEN = ("id", "geldig_vanaf", "geregistreerd_op")
_VESTIGING_SOORTEN = {FeitSoort.INSCHRIJVING, FeitSoort.UITSCHRIJVING, FeitSoort.PLAATSING}


BELEID_SLEUTELS = (
    "b2_na_dagen",
    "a1_na_dagen",
    "signaal_verzuim_na_dagen",
    "signaal_schorsing_na_dagen",
    "signaal_tlv_na_dagen",
    "pact_na_maanden",
    "thuiswerkplan_telt_als_aanbod",
)
"""Settings an SWV may change (app/services/instellingen.py); the rest keeps DOMAIN.md's value."""


def beleid_van(swv: SwvRow | SwvInstellingen) -> Beleid:
    """The SWV's policy from its stored settings (defaults of DOMAIN.md where unset)."""
    instellingen = swv.beleid or {}
    waarden: dict[str, Any] = {k: instellingen[k] for k in BELEID_SLEUTELS if k in instellingen}
    profiel = instellingen.get("profiel")
    if profiel is not None:
        waarden["profiel"] = DefinitieProfiel("swv", frozenset(Categorie(c) for c in profiel))
    weektelling = Weektelling(instellingen.get("weektelling", Weektelling.KALENDERDAGEN))
    return Beleid(weektelling=weektelling, **waarden)


def peildata_van(swv: SwvRow | SwvInstellingen) -> Peildata:
    """The SWV's peildata and delivery day (default: 1 Dec, 1 Mar, 1 Jun, 1 Sep; the 15th)."""
    instellingen = swv.beleid or {}
    if "peildata" not in instellingen and "leverdag" not in instellingen:
        return STANDAARD_PEILDATA
    dagen = tuple(
        (int(d[:2]), int(d[3:]))
        for d in instellingen.get(
            "peildata", [f"{m:02d}-{d:02d}" for m, d in STANDAARD_PEILDATA.dagen]
        )
    )
    return Peildata(dagen=dagen, leverdag=int(instellingen.get("leverdag", 15)))


def leerling_van(row: LeerlingRow | Kind) -> Leerling:
    """The domain's view of a stored child."""
    return Leerling(
        id=str(row.id),
        geboorte=Geboorte(row.geboortejaar, row.geboortemaand, row.geboortedag),
        regio=Regio(row.regio),
    )


def _feit(
    soort: str, payload: dict[str, Any], feit_id: uuid.UUID, geldig_vanaf: date, op: datetime
) -> Feit:
    data: dict[str, object] = {
        **payload,
        "id": str(feit_id),
        "geldig_vanaf": geldig_vanaf.isoformat(),
        "geregistreerd_op": op.isoformat(),
    }
    return feit_uit_dict(soort, data)


def feit_van(row: FeitRow) -> Feit:
    """The domain fact of a stored row."""
    return _feit(row.soort, row.payload, row.id, row.geldig_vanaf, row.geregistreerd_op)


def feit_van_regel(regel: Any) -> Feit:
    """The domain fact of a stored fact read as a driver record (the hot paths)."""
    return _feit(
        regel["soort"],
        regel["payload"],
        regel["id"],
        regel["geldig_vanaf"],
        regel["geregistreerd_op"],
    )


def feitrij_van_regel(regel: Any) -> FeitRow:
    """A stored fact as a (detached) row object, for the answer to a report."""
    return FeitRow(**dict(regel.items()))


def _projectie_tot(leerling: Leerling, vandaag: date) -> date:
    """Far enough ahead that every automatic transition (B1→B2a→B2b, 18 years) is in it."""
    return max(vandaag + timedelta(days=400), date(leerling.geboorte.jaar + 19, 12, 31))


def _tijdlijn_tot(kalender: schoolvakanties.Kalender | None, gewenst: date) -> date:
    if kalender is None:
        return gewenst
    laatste = gewenst
    while not kalender.dekt(laatste) and laatste > date(2000, 1, 1):
        laatste -= timedelta(days=30)
    return laatste


async def klok(uow: UnitOfWork) -> datetime:
    """The database server's clock: the one clock of the register (recorded time of facts,
    read when it is needed: after the child's row lock, so it orders with the commits)."""
    return await uow.klok()


async def vandaag(uow: UnitOfWork) -> date:
    """Today by the database server's clock, as the transaction began (no extra round trip
    once the transaction has started)."""
    begonnen = uow.begonnen_op
    if begonnen is None:
        return (await klok(uow)).date()
    return begonnen.date()


async def swv_van(uow: UnitOfWork, actor: Actor) -> SwvRow:
    swv = await uow.organisaties.swv(uuid.UUID(actor.swv_id))
    if swv is None:
        raise NotFound("Dit samenwerkingsverband bestaat niet.")
    return swv


async def instellingen_van(uow: UnitOfWork, actor: Actor) -> SwvInstellingen:
    """The actor's SWV's settings, in plain SQL (the hot paths)."""
    swv = await uow.organisaties.instellingen(uuid.UUID(actor.swv_id))
    if swv is None:
        raise NotFound("Dit samenwerkingsverband bestaat niet.")
    return swv


# -- children --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NieuweLeerling:
    pseudoniem: str
    geboortejaar: int
    geboortemaand: int
    regio: str
    school_id: uuid.UUID | None = None
    woongemeente: str | None = None
    identiteit: identiteit.Identiteit | None = None


def _pseudoniem(
    actor: Actor,
    nieuw: NieuweLeerling,
    school: SchoolRow | None,
    gemeente_id: uuid.UUID | None,
    fouten: list[FieldError],
) -> tuple[str, str | None]:
    """The code to store and its prefix: a school's or gemeente's own (docs/decisions/0032)."""
    naamruimte = None
    if actor.reikwijdte is Reikwijdte.VESTIGINGEN and school is not None:
        naamruimte = naamruimte_van("v", school.id)
    elif actor.reikwijdte is Reikwijdte.GEMEENTEN and gemeente_id is not None:
        naamruimte = naamruimte_van("g", gemeente_id)
    pseudoniem = met_naamruimte(naamruimte, nieuw.pseudoniem)
    if len(pseudoniem) > PSEUDONIEM_MAX:
        fouten.append(
            FieldError(
                "pseudoniem",
                "te_lang",
                "Met de code van uw vestiging of gemeente ervoor is een pseudoniemcode "
                f"hoogstens {PSEUDONIEM_MAX} tekens.",
            )
        )
    return pseudoniem, naamruimte


async def _pseudoniem_vrij(
    uow: UnitOfWork,
    actor: Actor,
    *,
    swv_id: uuid.UUID,
    pseudoniem: str,
    ingevoerd: str,
    naamruimte: str | None,
) -> None:
    """409 for a code in use, where the caller may know of it: a school or gemeente learns only
    of its own (prefixed) codes and of an unprefixed code of a child it may see."""
    if naamruimte is None:
        if await uow.leerlingen.bestaat_pseudoniem(swv_id, pseudoniem):
            raise Conflict("Deze pseudoniemcode is in dit samenwerkingsverband al in gebruik.")
    elif await uow.leerlingen.op_pseudoniemen(actor, [pseudoniem, ingevoerd]):
        raise Conflict("Deze pseudoniemcode is bij u al in gebruik.")


async def registreer_leerling(
    uow: UnitOfWork,
    actor: Actor,
    nieuw: NieuweLeerling,
    versleuteling: Versleuteling | None = None,
) -> LeerlingRow:
    """Register a child under a pseudonym code, connected to the caller's school or gemeente."""
    if nieuw.identiteit is not None and not mag(actor, Operatie.IDENTITEIT_INZIEN):
        raise Forbidden("Uw rol legt geen identificerende gegevens vast.")
    heeft_bsn = nieuw.identiteit is not None and bool(nieuw.identiteit.bsn)
    if heeft_bsn and not mag(actor, Operatie.BSN_INZIEN):
        raise Forbidden("Uw rol legt geen BSN vast.")
    async with uow.voor(actor):
        swv = await swv_van(uow, actor)
        nu = await klok(uow)
        fouten: list[FieldError] = []
        leeftijd = nu.year - nieuw.geboortejaar
        if not 2 <= leeftijd <= 24:
            fouten.append(
                FieldError("geboortejaar", "implausibel", "Geen leeftijd voor school (2 tot 24).")
            )
        school_id = nieuw.school_id
        if actor.reikwijdte is Reikwijdte.VESTIGINGEN:
            if school_id is None and len(actor.vestiging_ids) == 1:
                school_id = uuid.UUID(next(iter(actor.vestiging_ids)))
            if school_id is None or str(school_id) not in actor.vestiging_ids:
                fouten.append(
                    FieldError("schoolId", "buiten_bevoegdheid", "Kies een eigen vestiging.")
                )
        school = None if school_id is None else await uow.scholen.get(swv.id, school_id)
        if school_id is not None and school is None:
            fouten.append(FieldError("schoolId", "onbekend", "Deze vestiging bestaat niet."))
        gemeente_id = None
        if nieuw.woongemeente is not None:
            gemeente = await uow.organisaties.gemeente_op_code(nieuw.woongemeente)
            if gemeente is None:
                fouten.append(
                    FieldError("woongemeente", "onbekend", "Deze gemeente is niet bekend.")
                )
            else:
                gemeente_id = gemeente.id
        if actor.reikwijdte is Reikwijdte.GEMEENTEN and (
            gemeente_id is None or str(gemeente_id) not in actor.gemeente_ids
        ):
            fouten.append(
                FieldError("woongemeente", "buiten_bevoegdheid", "Kies een eigen gemeente.")
            )
        fouten += identiteit.controleer(
            swv, nieuw.identiteit, nieuw.geboortejaar, nieuw.geboortemaand
        )
        pseudoniem, naamruimte = _pseudoniem(actor, nieuw, school, gemeente_id, fouten)
        if fouten:
            raise InvalidInput(fouten)
        await _pseudoniem_vrij(
            uow,
            actor,
            swv_id=swv.id,
            pseudoniem=pseudoniem,
            ingevoerd=nieuw.pseudoniem,
            naamruimte=naamruimte,
        )
        row = LeerlingRow(
            id=uuid.uuid4(),
            swv_id=swv.id,
            pseudoniem=pseudoniem,
            geboortejaar=nieuw.geboortejaar,
            geboortemaand=nieuw.geboortemaand,
            regio=nieuw.regio,
            woongemeente_id=gemeente_id,
        )
        if nieuw.identiteit is not None:
            if versleuteling is None:
                raise RuntimeError("identified registration needs the encryption key")
            bsn = nieuw.identiteit.bsn
            if bsn is not None and await uow.leerlingen.bestaat_bsn(
                swv.id, identiteit.bsn_zoekhash(versleuteling, swv.id, bsn)
            ):
                raise Conflict("Deze leerling is al geregistreerd.")
            identiteit.sla_op(row, nieuw.identiteit, versleuteling)
        row = await uow.leerlingen.add(row)
        uow.betreft = row.id
        if school_id is not None:
            await uow.leerlingen.koppel_vestiging(row.id, school_id)
        await projecteer(uow, row, swv, [], nu.date())
        await uow.commit()
        return row


async def haal_leerling(uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID) -> LeerlingRow:
    """One child in the caller's scope, or NotFound (the same for missing and out of scope)."""
    async with uow.voor(actor):
        row = await uow.leerlingen.get(actor, leerling_id)
        if row is None:
            raise NotFound(NIET_GEVONDEN)
        await uow.commit()  # the audit row of this read
        return row


@dataclass(frozen=True, slots=True)
class LeerlingFilter:
    school_id: uuid.UUID | None = None
    peildatum: date | None = None
    categorieen: tuple[Categorie, ...] | None = None
    alleen_thuiszitters: bool = False
    bekend_op: datetime | None = None
    signaal: Signaal | None = None


@dataclass(frozen=True, slots=True)
class PeriodeOpPeildatum:
    categorie: str
    start: date


@dataclass(frozen=True, slots=True)
class LeerlingMetPeriode:
    leerling: LeerlingRow
    periode: PeriodeOpPeildatum | None


async def lijst_leerlingen(
    uow: UnitOfWork, actor: Actor, filter_: LeerlingFilter, page: PageRequest
) -> tuple[Page[LeerlingMetPeriode], date]:
    """A page of children in scope with their category on the peildatum: as known now from the
    projection, or as known on `bekend_op` by folding each child's facts (slower, for audits)."""
    async with uow.voor(actor):
        peildatum = filter_.peildatum or await vandaag(uow)
        categorieen: list[str] | None = None
        if filter_.alleen_thuiszitters:
            categorieen = sorted(LANDELIJKE_THUISZITTERS)
        if filter_.categorieen:
            gekozen = set(filter_.categorieen)
            categorieen = sorted(gekozen & set(categorieen) if categorieen else gekozen)
        if filter_.bekend_op is not None or filter_.signaal is not None:
            result = await _lijst_zoals_bekend(
                uow,
                actor,
                filter_=filter_,
                peildatum=peildatum,
                categorieen=categorieen,
                page=page,
            )
            await uow.commit()
            return result, peildatum
        rows, total = await uow.leerlingen.lijst(
            actor,
            offset=page.offset,
            limit=page.page_size,
            school_id=filter_.school_id,
            peildatum=peildatum,
            categorieen=categorieen,
        )
        perioden = await uow.leerlingen.perioden_op([r.id for r in rows], peildatum)
        uow.getoond = [r.id for r in rows]
        items = [
            LeerlingMetPeriode(
                r,
                PeriodeOpPeildatum(perioden[r.id].categorie, perioden[r.id].start)
                if r.id in perioden
                else None,
            )
            for r in rows
        ]
        await uow.commit()
        return Page(items, page.page, page.page_size, total), peildatum


async def _lijst_zoals_bekend(
    uow: UnitOfWork,
    actor: Actor,
    *,
    filter_: LeerlingFilter,
    peildatum: date,
    categorieen: list[str] | None,
    page: PageRequest,
) -> Page[LeerlingMetPeriode]:
    """The list computed by folding each child's facts: as known on `bekend_op`, or to filter
    on a signal (signals depend on the peildatum, so they are not projected)."""
    swv = await swv_van(uow, actor)
    beleid = beleid_van(swv)
    kalender = await schoolvakanties.kalender_voor(uow, swv.id, beleid, bekend_op=filter_.bekend_op)
    rows, _total = await uow.leerlingen.lijst(
        actor, offset=0, limit=10_000_000, school_id=filter_.school_id
    )
    gevonden: list[LeerlingMetPeriode] = []
    for start in range(0, len(rows), 1000):
        deel = rows[start : start + 1000]
        feiten = await uow.leerlingen.feiten_van([r.id for r in deel])
        for row in deel:
            domein, feitenlijst = leerling_van(row), [feit_van(f) for f in feiten.get(row.id, [])]
            status = bepaal_status(
                domein,
                feitenlijst,
                beleid,
                peildatum=peildatum,
                bekend_op=filter_.bekend_op,
                kalender=kalender,
            )
            categorie = str(status.categorie)
            if categorieen is not None and categorie not in categorieen:
                continue
            if filter_.signaal is not None and filter_.signaal not in {
                s.signaal for s in status.signalen
            }:
                continue
            # The same "since" as the projection gives: the start of the current period.
            op_dag = bepaal_tijdlijn(
                domein,
                feitenlijst,
                beleid,
                tot=peildatum,
                bekend_op=filter_.bekend_op,
                kalender=kalender,
            ).op(peildatum)
            periode = PeriodeOpPeildatum(categorie, op_dag.start) if op_dag else None
            gevonden.append(LeerlingMetPeriode(row, periode))
    items = gevonden[page.offset : page.offset + page.page_size]
    uow.getoond = [i.leerling.id for i in items]
    return Page(items, page.page, page.page_size, len(gevonden))


PSEUDONIEM_MAX = 40
NAAMRUIMTE_SCHEIDING = "/"
"""Between a school's or gemeente's code and its own pseudonym code; never in an entered code."""


def met_naamruimte(naamruimte: str | None, pseudoniem: str) -> str:
    """The stored code: a school's or gemeente's pseudonym codes are its own, prefixed with its
    own opaque prefix; the SWV's stay bare (docs/decisions/0032)."""
    return pseudoniem if naamruimte is None else f"{naamruimte}{NAAMRUIMTE_SCHEIDING}{pseudoniem}"


def naamruimte_van(soort: str, organisatie_id: uuid.UUID) -> str:
    """A vestiging's ("v") or gemeente's ("g") own prefix: opaque, since neither the school nor
    the gemeente may reach the Inspectie export (docs/rapportage.md, Privacy)."""
    return f"{soort}{organisatie_id.hex[:8]}"


def _naamruimten(actor: Actor) -> list[str]:
    """The prefixes of the caller's own pseudonym codes (its vestigingen or gemeenten)."""
    if actor.reikwijdte is Reikwijdte.VESTIGINGEN:
        return [naamruimte_van("v", uuid.UUID(v)) for v in sorted(actor.vestiging_ids)]
    if actor.reikwijdte is Reikwijdte.GEMEENTEN:
        return [naamruimte_van("g", uuid.UUID(g)) for g in sorted(actor.gemeente_ids)]
    return []


async def zoek_leerlingen(
    uow: UnitOfWork,
    actor: Actor,
    *,
    pseudoniem: str | None = None,
    bsn: str | None = None,
    versleuteling: Versleuteling | None = None,
) -> list[LeerlingRow]:
    """Children in scope with this pseudonym code or BSN (a POST body, never a URL); searching
    by BSN is for roles with a legal basis to use it."""
    if bsn is not None and not mag(actor, Operatie.BSN_INZIEN):
        raise Forbidden("Uw rol zoekt niet op BSN.")
    async with uow.voor(actor):
        row = None
        if pseudoniem is not None:
            codes = [pseudoniem]
            for naamruimte in _naamruimten(actor):
                codes.append(met_naamruimte(naamruimte, pseudoniem))
            row = await uow.leerlingen.op_pseudoniemen(actor, codes)
        elif bsn is not None and versleuteling is not None and is_geldig_bsn(bsn):
            zoekhash = identiteit.bsn_zoekhash(versleuteling, uuid.UUID(actor.swv_id), bsn)
            row = await uow.leerlingen.op_bsn_hash(actor, zoekhash)
        if row is not None:
            uow.getoond = [row.id]  # the search shows up in this child's inzage
        await uow.commit()
        return [row] if row is not None else []


# -- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Melding:
    """A fact as reported by a school, leerplicht or the SWV."""

    soort: str
    geldig_vanaf: date
    gegevens: dict[str, Any] = field(default_factory=dict)
    bron_referentie: str | None = None
    school_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Gemeld:
    feit: FeitRow
    nieuw: bool
    leerling: Kind
    """The child after the report (its `versie` counts the report)."""


def _bron(actor: Actor) -> str:
    return actor.id if actor.is_systeem else f"swv:{actor.swv_id}"


async def meld_feit(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, melding: Melding
) -> Gemeld:
    """Append a fact; the same `bronReferentie` from the same source is the same report."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.kind(actor, leerling_id, lock=True)
        if leerling is None:
            raise NotFound(NIET_GEVONDEN)
        swv = await instellingen_van(uow, actor)
        bron = _bron(actor)
        if melding.bron_referentie is not None:
            bestaand = await uow.leerlingen.feitregel_op_bron(swv.id, bron, melding.bron_referentie)
            if bestaand is not None:
                if bestaand["leerling_id"] != leerling.id or bestaand["soort"] != melding.soort:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere melding.")
                await uow.commit()
                return Gemeld(feitrij_van_regel(bestaand), False, leerling)
        nu = await klok(uow)
        regels = await uow.leerlingen.feitregels(leerling.id)
        feit_id = uuid.uuid4()
        school_id = await _school_van(uow, actor, swv, melding)
        feit = _lees_melding(melding, feit_id, nu, {str(r["id"]) for r in regels}, school_id)
        await _controleer_vervanging(uow, actor, swv, feit)
        payload = {k: v for k, v in feit_naar_dict(feit).items() if k not in _KOLOMMEN}
        row = FeitRow(
            id=feit_id,
            leerling_id=leerling.id,
            swv_id=swv.id,
            soort=str(feit.soort),
            geldig_vanaf=feit.geldig_vanaf,
            geregistreerd_op=nu,
            payload=payload,
            bron=bron,
            bron_referentie=melding.bron_referentie,
            gemeld_door=actor.id,
            school_id=school_id,
        )
        try:
            await uow.leerlingen.schrijf_feit(row)
        except DubbeleBronReferentie:  # reported at the same moment for another child
            raise Conflict("Deze bronReferentie is al gebruikt voor een andere melding.") from None
        if school_id is not None:
            await uow.leerlingen.koppel_vestiging(leerling.id, school_id)
        leerling = dataclasses.replace(leerling, versie=leerling.versie + 1)
        await uow.leerlingen.zet_versie(leerling.id, leerling.versie)
        feiten = [*(feit_van_regel(r) for r in regels), feit]
        await projecteer_feiten(uow, leerling, swv, feiten, nu.date())
        await uow.commit()
        return Gemeld(row, True, leerling)


def _lees_melding(
    melding: Melding,
    feit_id: uuid.UUID,
    nu: datetime,
    bekend: set[str],
    school_id: uuid.UUID | None,
) -> Feit:
    fouten: list[FieldError] = []
    if melding.geldig_vanaf > nu.date() + timedelta(days=MAX_DAGEN_VOORUIT):
        fouten.append(
            FieldError("geldigVanaf", "te_ver_vooruit", "Ligt meer dan een jaar in de toekomst.")
        )
    if melding.geldig_vanaf < date(1990, 1, 1):
        fouten.append(FieldError("geldigVanaf", "te_oud", "Ligt voor 1990."))
    data: dict[str, object] = {
        **melding.gegevens,
        "id": str(feit_id),
        "geldig_vanaf": melding.geldig_vanaf.isoformat(),
        "geregistreerd_op": nu.isoformat(),
    }
    if melding.soort in _VESTIGING_SOORTEN:
        # The vestiging of the fact is always the checked `schoolId`, never free text.
        if "vestiging" in melding.gegevens:
            fouten.append(FieldError("gegevens.vestiging", "niet_toegestaan", "Gebruik schoolId."))
        data["vestiging"] = str(school_id) if school_id else None
    feit: Feit | None = None
    try:
        feit = feit_uit_dict(melding.soort, data)
    except OngeldigFeit as fout:
        fouten.extend(
            FieldError(_veldnaam(p.veld), "ongeldig", p.probleem)
            for p in fout.problemen
            if p.veld not in _KOLOMMEN
        )
    if isinstance(feit, Correctie | Intrekking) and feit.betreft not in bekend:
        fouten.append(
            FieldError("gegevens.betreft", "onbekend", "Dit feit bestaat niet bij deze leerling.")
        )
    if fouten or feit is None:
        raise InvalidInput(fouten)
    return feit


def _veldnaam(veld: str) -> str:
    if veld == "soort":
        return "soort"
    head, *rest = veld.split("_")
    return "gegevens." + head + "".join(p.capitalize() for p in rest)


async def _school_van(
    uow: UnitOfWork, actor: Actor, swv: SwvInstellingen, melding: Melding
) -> uuid.UUID | None:
    """The vestiging the fact is about or reported by, checked to exist in the SWV and, for a
    school or school system, to be one of its own."""
    school_id = melding.school_id
    if (
        school_id is None
        and actor.reikwijdte is Reikwijdte.VESTIGINGEN
        and len(actor.vestiging_ids) == 1
    ):
        school_id = uuid.UUID(next(iter(actor.vestiging_ids)))
    if school_id is None:
        if melding.soort in _VESTIGING_SOORTEN:
            raise InvalidInput([FieldError("schoolId", "ontbreekt", "Noem de vestiging.")])
        return None
    await _eigen_school(uow, actor, swv, school_id, "schoolId")
    return school_id


async def _eigen_school(
    uow: UnitOfWork, actor: Actor, swv: SwvInstellingen, school_id: uuid.UUID, veld: str
) -> None:
    if await uow.scholen.get(swv.id, school_id) is None:
        raise InvalidInput([FieldError(veld, "onbekend", "Deze vestiging bestaat niet.")])
    if actor.reikwijdte is Reikwijdte.VESTIGINGEN and str(school_id) not in actor.vestiging_ids:
        raise InvalidInput(
            [FieldError(veld, "buiten_bevoegdheid", "Een school meldt voor de eigen vestiging.")]
        )


async def _controleer_vervanging(
    uow: UnitOfWork, actor: Actor, swv: SwvInstellingen, feit: Feit
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


async def projecteer(
    uow: UnitOfWork, leerling: LeerlingRow, swv: SwvRow, rows: list[FeitRow], vandaag: date
) -> None:
    """Replace the child's projections with what its stored facts give."""
    await projecteer_feiten(uow, leerling, swv, [feit_van(r) for r in rows], vandaag)


async def projecteer_feiten(
    uow: UnitOfWork,
    leerling: LeerlingRow | Kind,
    swv: SwvRow | SwvInstellingen,
    feiten: list[Feit],
    vandaag: date,
) -> None:
    """Replace the child's projections with what these facts (all of them) give: its timeline,
    and its rows in the Inspectie register of every peildatum that lists it
    (app/services/registerrijen.py), from one fold."""
    beleid = beleid_van(swv)
    domein = leerling_van(leerling)
    kalender = await schoolvakanties.kalender_voor(
        uow, leerling.swv_id, beleid, leerling_id=leerling.id
    )
    tot = _tijdlijn_tot(kalender, _projectie_tot(domein, vandaag))
    tijdlijn = bepaal_tijdlijn(domein, feiten, beleid, tot=tot, kalender=kalender)
    await uow.rapportage.vervang_projecties(
        leerling.id,
        leerling.swv_id,
        [
            {
                "categorie": str(p.categorie),
                "start": p.start,
                "einde": p.einde,
                "regel": p.regel,
                "feit_ids": list(p.feit_ids),
                "eindreden": str(p.eindreden) if p.eindreden else None,
            }
            for p in tijdlijn.perioden
        ],
        registerrijen.rijen(
            leerling.pseudoniem, domein, feiten, tijdlijn, beleid=beleid, peildata=peildata_van(swv)
        ),
    )


async def herbouw_projecties(uow: UnitOfWork, swv_id: uuid.UUID | None = None) -> int:
    """Recompute every child's projections (timeline and register rows) from its facts (CLI
    `rebuild-projections`), of one SWV or of all; inside an outer unit of work it joins that
    transaction."""
    async with uow.alle_swvs():
        vandaag = (await klok(uow)).date()
        aantal = 0
        swvs: dict[uuid.UUID, SwvRow] = {}
        for leerling_id in await uow.leerlingen.alle_ids(swv_id):
            leerling = await uow.session.get(LeerlingRow, leerling_id, with_for_update=True)
            assert leerling is not None  # noqa: S101
            swv = swvs.get(leerling.swv_id) or await uow.organisaties.swv(leerling.swv_id)
            assert swv is not None  # noqa: S101
            swvs[swv.id] = swv
            rows = await uow.leerlingen.feiten(leerling.id)
            await projecteer(uow, leerling, swv, rows, vandaag)
            aantal += 1
        await uow.commit()
        return aantal


# -- reading: history, status, timeline ------------------------------------------------------


async def gebeurtenissen(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID
) -> tuple[LeerlingRow, list[FeitRow]]:
    """The whole history of a child: every fact as received, corrections included."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(NIET_GEVONDEN)
        rows = await uow.leerlingen.feiten(leerling.id)
        await uow.commit()
        return leerling, rows


@dataclass(frozen=True, slots=True)
class _Gelezen:
    leerling: Kind
    domein: Leerling
    feiten: list[Feit]
    beleid: Beleid
    kalender: schoolvakanties.Kalender | None
    vandaag: date


async def _lees(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, bekend_op: datetime | None
) -> _Gelezen:
    """One child in scope with its facts, its SWV's policy and holiday calendar as known on
    `bekend_op` (inside the caller's block)."""
    leerling = await uow.leerlingen.kind(actor, leerling_id)
    if leerling is None:
        raise NotFound(NIET_GEVONDEN)
    beleid = beleid_van(await instellingen_van(uow, actor))
    regels = await uow.leerlingen.feitregels(leerling.id)
    return _Gelezen(
        leerling,
        leerling_van(leerling),
        [feit_van_regel(r) for r in regels],
        beleid,
        await schoolvakanties.kalender_voor(
            uow, leerling.swv_id, beleid, bekend_op=bekend_op, leerling_id=leerling.id
        ),
        await vandaag(uow),
    )


async def status_op(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    *,
    peildatum: date | None,
    bekend_op: datetime | None,
) -> tuple[Kind, Status]:
    """The child's status on a peildatum, as known now or as known on `bekend_op`."""
    async with uow.voor(actor):
        g = await _lees(uow, actor, leerling_id, bekend_op)
        status = bepaal_status(
            g.domein,
            g.feiten,
            g.beleid,
            peildatum=peildatum or g.vandaag,
            bekend_op=bekend_op,
            kalender=g.kalender,
        )
        await uow.commit()
        return g.leerling, status


async def tijdlijn_van(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    *,
    tot: date | None,
    bekend_op: datetime | None,
) -> tuple[Kind, Tijdlijn]:
    """The child's consecutive categories up to `tot`, as known now or on `bekend_op`."""
    async with uow.voor(actor):
        g = await _lees(uow, actor, leerling_id, bekend_op)
        tijdlijn = bepaal_tijdlijn(
            g.domein,
            g.feiten,
            g.beleid,
            tot=tot or g.vandaag,
            bekend_op=bekend_op,
            kalender=g.kalender,
        )
        await uow.commit()
        return g.leerling, tijdlijn
