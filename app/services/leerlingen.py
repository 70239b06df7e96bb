"""Use cases on children: registration, lists, search, status and timeline.

Facts are appended through app/services/feiten.py (never changed, regel 15). The hot paths
(status, timeline) read through the repositories' plain-SQL methods (`LeerlingRecord`, `FeitRegel`,
`SwvInstellingen`) rather than ORM objects: per request that is most of the difference to the
bare database work (docs/decisions/0014).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from app.db.leerlingen import LeerlingRecord, LeerlingRow, LijstRegel
from app.db.scholen import SchoolRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid
from app.domain.classificatie import LANDELIJKE_THUISZITTERS, Categorie
from app.domain.feiten import Feit
from app.domain.identiteit import is_geldig_bsn
from app.domain.leerling import Leerling, geboortejaar_plausibel
from app.domain.status import Signaal, Status, bepaal_status
from app.domain.tijdlijn import Tijdlijn, bepaal_tijdlijn
from app.domain.toegang import Actor, Operatie, Reikwijdte, mag
from app.services import identiteit
from app.services.context import (
    beleid_van,
    instellingen_van,
    klok,
    laad_context,
    swv_context,
    swv_van,
    vandaag,
)
from app.services.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from app.services.pagination import Page, PageRequest
from app.services.projectie import feit_van, feit_van_regel, leerling_van, projecteer
from app.services.schoolvakanties import Kalender
from app.services.toegang.versleuteling import Versleuteling

NIET_GEVONDEN = "Deze leerling bestaat niet of valt buiten uw bevoegdheid."


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
        # A current code or an old one kept as an alias after renumbering (regel 18).
        if await uow.monitor.pseudoniem_in_gebruik(swv_id, pseudoniem):
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
        if not geboortejaar_plausibel(nieuw.geboortejaar, nu.year):
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
        await projecteer(uow, row, await laad_context(uow, swv), [], nu.date())
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
    thuiszitter_profiel: bool = False
    """Only the categories of the SWV's own definition (its profiel, regel 13 of docs/domain.md)."""
    sorteer: str = "pseudoniem"
    aflopend: bool = False
    met_totalen: bool = False
    """Also count the filtered children per category (one more aggregate: only when asked)."""
    gewijzigd_sinds: datetime | None = None


@dataclass(frozen=True, slots=True)
class TijdvakOpPeildatum:
    categorie: str
    start: date


@dataclass(frozen=True, slots=True)
class LeerlingMetTijdvak:
    leerling: LeerlingRow | LijstRegel
    periode: TijdvakOpPeildatum | None


async def lijst_leerlingen(
    uow: UnitOfWork, actor: Actor, filter_: LeerlingFilter, page: PageRequest
) -> tuple[Page[LeerlingMetTijdvak], date, dict[str, int] | None]:
    """A page of children in scope with their category on the peildatum: as known now from the
    projection, or as known on `bekend_op` by folding each child's facts (slower, for audits)."""
    async with uow.voor(actor):
        peildatum = filter_.peildatum or await vandaag(uow)
        categorieen: list[str] | None = None
        if filter_.alleen_thuiszitters:
            categorieen = sorted(LANDELIJKE_THUISZITTERS)
        if filter_.thuiszitter_profiel:
            profiel = beleid_van(await instellingen_van(uow, actor)).profiel.categorieen
            categorieen = sorted(set(profiel) & set(categorieen) if categorieen else profiel)
        if filter_.categorieen:
            gekozen = set(filter_.categorieen)
            categorieen = sorted(gekozen & set(categorieen) if categorieen else gekozen)
        if filter_.bekend_op is not None or filter_.signaal is not None:
            if filter_.sorteer != "pseudoniem" or filter_.aflopend:
                raise InvalidInput(
                    [
                        FieldError(
                            "sorteer",
                            "niet-met-bekend-op",
                            "Met bekendOp of signaal wordt alleen op pseudoniem gesorteerd.",
                            location="query",
                        )
                    ]
                )
            result = await _lijst_zoals_bekend(
                uow,
                actor,
                filter_=filter_,
                peildatum=peildatum,
                categorieen=categorieen,
                page=page,
            )
            await uow.commit()
            return result, peildatum, None
        # Plain SQL (decision 0047): the list is a screen's first call.
        regels, total = await uow.leerlingen.lijst_op_peildatum(
            actor,
            peildatum=peildatum,
            offset=page.offset,
            limit=page.page_size,
            school_id=filter_.school_id,
            categorieen=categorieen,
            sorteer=filter_.sorteer,
            aflopend=filter_.aflopend,
            gewijzigd_sinds=filter_.gewijzigd_sinds,
        )
        uow.getoond = [r.id for r in regels]
        items = [
            LeerlingMetTijdvak(
                r,
                TijdvakOpPeildatum(r.categorie, r.start)
                if r.categorie is not None and r.start is not None
                else None,
            )
            for r in regels
        ]
        totalen = (
            await uow.leerlingen.totalen_op_peildatum(
                actor, peildatum=peildatum, school_id=filter_.school_id, categorieen=categorieen
            )
            if filter_.met_totalen
            else None
        )
        await uow.commit()
        return Page(items, page.page, page.page_size, total), peildatum, totalen


async def _lijst_zoals_bekend(
    uow: UnitOfWork,
    actor: Actor,
    *,
    filter_: LeerlingFilter,
    peildatum: date,
    categorieen: list[str] | None,
    page: PageRequest,
) -> Page[LeerlingMetTijdvak]:
    """The list computed by folding each child's facts: as known on `bekend_op`, or to filter
    on a signal (signals depend on the peildatum, so they are not projected)."""
    ctx = await swv_context(uow, actor, bekend_op=filter_.bekend_op)
    beleid, kalender = ctx.beleid, ctx.kalender
    rows, _total = await uow.leerlingen.lijst(
        actor,
        offset=0,
        limit=10_000_000,
        school_id=filter_.school_id,
        gewijzigd_sinds=filter_.gewijzigd_sinds,
    )
    gevonden: list[LeerlingMetTijdvak] = []
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
            periode = TijdvakOpPeildatum(categorie, op_dag.start) if op_dag else None
            gevonden.append(LeerlingMetTijdvak(row, periode))
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
            if row is None:  # an old code, kept as an alias after renumbering (regel 18)
                alias = await uow.monitor.leerling_van_alias(uuid.UUID(actor.swv_id), pseudoniem)
                row = None if alias is None else await uow.leerlingen.get(actor, alias)
        elif bsn is not None and versleuteling is not None and is_geldig_bsn(bsn):
            zoekhash = identiteit.bsn_zoekhash(versleuteling, uuid.UUID(actor.swv_id), bsn)
            row = await uow.leerlingen.op_bsn_hash(actor, zoekhash)
        if row is not None:
            uow.getoond = [row.id]  # the search shows up in this child's inzage
        await uow.commit()
        return [row] if row is not None else []


# -- reading: history, status, timeline ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Gelezen:
    leerling: LeerlingRecord
    domein: Leerling
    feiten: list[Feit]
    beleid: Beleid
    kalender: Kalender | None
    vandaag: date


async def _lees(
    uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID, bekend_op: datetime | None
) -> _Gelezen:
    """One child in scope with its facts, its SWV's policy and holiday calendar as known on
    `bekend_op` (inside the caller's block)."""
    leerling = await uow.leerlingen.kind(actor, leerling_id)
    if leerling is None:
        raise NotFound(NIET_GEVONDEN)
    ctx = await swv_context(uow, actor, bekend_op=bekend_op)
    regels = await uow.leerlingen.feitregels(leerling.id)
    return _Gelezen(
        leerling,
        leerling_van(leerling),
        [feit_van_regel(r) for r in regels],
        ctx.beleid,
        await ctx.kalender_van(uow, leerling.id),
        await vandaag(uow),
    )


async def status_op(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    *,
    peildatum: date | None,
    bekend_op: datetime | None,
) -> tuple[LeerlingRecord, Status]:
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
) -> tuple[LeerlingRecord, Tijdlijn]:
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
