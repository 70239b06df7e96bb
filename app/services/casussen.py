"""Use cases of casusregie: open a case (from a melding or directly), its owner and scenario
record, the versioned plan van aanpak, evaluations, meetings and contactmomenten, consents and
documents, and the steps to closing (aanpak thuiszitters §1.2, §2.1-2.2; Regioloket).

A case never changes a category itself: where a step states something about the child's
education, the ordinary fact is appended in the same transaction through `_voeg_feit_toe`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.db.casussen import (
    CasusOvergangRow,
    CasusRow,
    DocumentRow,
    PlanRow,
    ToestemmingRow,
    VerslagRow,
)
from app.db.fouten import DubbeleBronReferentie
from app.db.meldingen import MeldingRow
from app.db.session import UnitOfWork
from app.domain.casussen import (
    CasusActie,
    CasusSignaal,
    CasusStatus,
    Coordinatie,
    DocumentSoort,
    PlanActieSoort,
    Termijnen,
    Toestemming,
    controleer_scenario,
    document_zichtbaar,
    feiten_bij_afsluiten,
    feiten_bij_plan,
    mag_document_vastleggen,
    overgang,
    termijnen,
)
from app.domain.feiten import Beeindigingsreden
from app.domain.meldingen import FeitVoorstel, Weigering
from app.domain.toegang import Actor, Reikwijdte, Rol
from app.services import context, feiten, notificaties
from app.services.errors import (
    Conflict,
    DomainRuleViolation,
    FieldError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
)
from app.services.pagination import Page, PageRequest

NIET_GEVONDEN = "Deze casus bestaat niet of valt buiten uw bevoegdheid."


def _bron(actor: Actor) -> str:
    return actor.id if actor.is_systeem else f"swv:{actor.swv_id}"


async def _voeg_feit_toe(
    uow: UnitOfWork,
    actor: Actor,
    casus: CasusRow,
    voorstel: FeitVoorstel,
    bron_referentie: str,
) -> uuid.UUID:
    """Append one ordinary fact inside the caller's transaction (the one place that does)."""
    gemeld = await feiten.voeg_feit_toe(
        uow,
        actor,
        casus.leerling_id,
        feiten.NieuwFeit(
            soort=str(voorstel.soort),
            geldig_vanaf=voorstel.geldig_vanaf,
            gegevens=voorstel.gegevens,
            bron_referentie=bron_referentie,
            school_id=casus.school_id,
        ),
    )
    return gemeld.feit.id


async def _overgang(  # noqa: PLR0917
    uow: UnitOfWork,
    actor: Actor,
    casus: CasusRow,
    van: CasusStatus | None,
    naar: CasusStatus,
    actie: str,
    reden: str | None,
) -> None:
    """A history row and its event (`casus.<status>`) in one transaction; ids and kinds only."""
    nu = await context.klok(uow)
    await uow.casussen.add(
        CasusOvergangRow(
            casus_id=casus.id,
            swv_id=casus.swv_id,
            van=str(van) if van else None,
            naar=str(naar),
            actie=actie,
            door=actor.id,
            rol=str(actor.rol),
            op=nu,
            reden=reden,
        )
    )
    data: dict[str, Any] = {
        "casusId": str(casus.id),
        "leerlingId": str(casus.leerling_id),
        "status": str(naar),
        "actie": actie,
    }
    if van is not None:
        data["vorigeStatus"] = str(van)
    soort = "casus.geopend" if van is None else f"casus.{naar}"
    await notificaties.publiceer(
        uow, casus.swv_id, soort, casus.id, nu=nu, leerling_id=casus.leerling_id, data=data
    )


def _standaard_coordinatie(actor: Actor) -> Coordinatie:
    """The school holds the casuscoördinatie by default; leerplicht when it opens the case."""
    if actor.reikwijdte is Reikwijdte.GEMEENTEN:
        return Coordinatie.LEERPLICHT
    return Coordinatie.SCHOOL


async def _nieuw(
    uow: UnitOfWork,
    actor: Actor,
    *,
    leerling_id: uuid.UUID,
    school_id: uuid.UUID | None,
    melding_id: uuid.UUID | None,
    coordinatie: Coordinatie,
    bron_referentie: str | None,
) -> CasusRow:
    nu = await context.klok(uow)
    casus = CasusRow(
        id=uuid.uuid4(),
        swv_id=uuid.UUID(actor.swv_id),
        leerling_id=leerling_id,
        melding_id=melding_id,
        school_id=school_id,
        status=str(CasusStatus.OPEN),
        coordinatie=str(coordinatie),
        coordinator=None,
        vertrouwensbreuk=False,
        mediator=None,
        scenario={},
        geopend_op=nu,
        bron=_bron(actor),
        bron_referentie=bron_referentie,
        versie=1,
    )
    try:
        await uow.casussen.add(casus)
    except DubbeleBronReferentie:  # sent at the same moment by another request
        raise Conflict(
            "Deze bronReferentie is zojuist al ontvangen; probeer het opnieuw."
        ) from None
    await _overgang(uow, actor, casus, None, CasusStatus.OPEN, "openen", None)
    return casus


async def open_uit_melding(uow: UnitOfWork, actor: Actor, melding: MeldingRow) -> CasusRow:
    """The case an uitgebreide or dreigende melding opens (inside the melding's transaction)."""
    async with uow.voor(actor):
        casus = await _nieuw(
            uow,
            actor,
            leerling_id=melding.leerling_id,
            school_id=melding.school_id,
            melding_id=melding.id,
            coordinatie=Coordinatie.SCHOOL if melding.school_id else Coordinatie.LEERPLICHT,
            bron_referentie=None,
        )
        await uow.commit()
        return casus


@dataclass(frozen=True, slots=True)
class NieuweCasus:
    leerling_id: uuid.UUID
    school_id: uuid.UUID | None = None
    coordinatie: Coordinatie | None = None
    bron_referentie: str | None = None


@dataclass(frozen=True, slots=True)
class Geopend:
    casus: CasusRow
    nieuw: bool


async def open_casus(uow: UnitOfWork, actor: Actor, nieuw: NieuweCasus) -> Geopend:
    """Open a case on a child in scope without a melding (e.g. after a phone round, Regioloket)."""
    async with uow.voor(actor):
        swv_id = uuid.UUID(actor.swv_id)
        if nieuw.bron_referentie is not None:
            bestaand = await uow.casussen.op_bron(swv_id, _bron(actor), nieuw.bron_referentie)
            if bestaand is not None:
                if bestaand.leerling_id != nieuw.leerling_id:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere casus.")
                uow.betreft = bestaand.leerling_id
                await uow.commit()
                return Geopend(bestaand, False)
        fouten: list[FieldError] = []
        leerling = await uow.leerlingen.get(actor, nieuw.leerling_id)
        if leerling is None:
            fouten.append(
                FieldError("leerlingId", "onbekend", "Onbekend of buiten uw bevoegdheid.")
            )
        school_id = nieuw.school_id
        if school_id is None and actor.reikwijdte is Reikwijdte.VESTIGINGEN:
            school_id = uuid.UUID(sorted(actor.vestiging_ids)[0]) if actor.vestiging_ids else None
        if actor.reikwijdte is Reikwijdte.VESTIGINGEN and str(school_id) not in actor.vestiging_ids:
            fouten.append(FieldError("schoolId", "buiten_bevoegdheid", "Kies een eigen vestiging."))
        elif school_id is not None and await uow.scholen.get(swv_id, school_id) is None:
            fouten.append(FieldError("schoolId", "onbekend", "Deze vestiging bestaat niet."))
        if fouten:
            raise InvalidInput(fouten)
        uow.betreft = nieuw.leerling_id
        casus = await _nieuw(
            uow,
            actor,
            leerling_id=nieuw.leerling_id,
            school_id=school_id,
            melding_id=None,
            coordinatie=nieuw.coordinatie or _standaard_coordinatie(actor),
            bron_referentie=nieuw.bron_referentie,
        )
        await uow.commit()
        return Geopend(casus, True)


# -- reading ---------------------------------------------------------------------------------


def termijnen_van(casus: CasusRow, vandaag: date) -> Termijnen:
    """The case's due dates and overdue signals today (aanpak thuiszitters §2.1-2.2)."""
    return termijnen(
        CasusStatus(casus.status),
        geopend_op=casus.geopend_op.date(),
        plan_sinds=casus.plan_sinds,
        laatste_evaluatie=casus.laatste_evaluatie,
        laatste_contact_ouders=casus.laatste_contact_ouders,
        vandaag=vandaag,
    )


@dataclass(frozen=True, slots=True)
class CasusFilter:
    status: tuple[CasusStatus, ...] = ()
    school_id: uuid.UUID | None = None
    leerling_id: uuid.UUID | None = None
    signaal: CasusSignaal | None = None


@dataclass(frozen=True, slots=True)
class CasusMetTermijnen:
    casus: CasusRow
    termijnen: Termijnen


async def lijst(
    uow: UnitOfWork, actor: Actor, filter_: CasusFilter, page: PageRequest, vandaag: date | None
) -> tuple[Page[CasusMetTermijnen], date]:
    """Cases in scope with their due dates and signals, filterable on a signal."""
    async with uow.voor(actor):
        dag = vandaag or await context.vandaag(uow)
        rows = await uow.casussen.lijst(
            actor,
            status=[str(s) for s in filter_.status],
            school_id=filter_.school_id,
            leerling_id=filter_.leerling_id,
        )
        items = [CasusMetTermijnen(r, termijnen_van(r, dag)) for r in rows]
        if filter_.signaal is not None:
            items = [i for i in items if filter_.signaal in i.termijnen.signalen]
        pagina = items[page.offset : page.offset + page.page_size]
        uow.getoond = sorted({i.casus.leerling_id for i in pagina})
        await uow.commit()
        return Page(pagina, page.page, page.page_size, len(items)), dag


@dataclass(frozen=True, slots=True)
class CasusDetail:
    casus: CasusRow
    termijnen: Termijnen
    overgangen: list[CasusOvergangRow]
    plannen: list[PlanRow]
    verslagen: list[VerslagRow]
    toestemmingen: list[ToestemmingRow]
    documenten: list[DocumentRow]


def _toestemmingen(rows: list[ToestemmingRow]) -> list[Toestemming]:
    return [
        Toestemming(DocumentSoort(t.soort), t.gegeven_op, t.geldig_tot, t.ingetrokken_op)
        for t in rows
    ]


def zichtbare_documenten(
    documenten: list[DocumentRow], toestemmingen: list[ToestemmingRow], rol: Rol, vandaag: date
) -> list[DocumentRow]:
    """Documents this role may see: an OPP or dossier without current consent is hidden from
    every role but the one that recorded it (Regioloket)."""
    geldig = _toestemmingen(toestemmingen)
    return [
        d
        for d in documenten
        if document_zichtbaar(
            DocumentSoort(d.soort), Rol(d.vastgelegd_door_rol), rol, geldig, vandaag
        )
    ]


async def _detail(uow: UnitOfWork, actor: Actor, casus: CasusRow) -> CasusDetail:
    vandaag = await context.vandaag(uow)
    toestemmingen = await uow.casussen.toestemmingen(casus.id)
    return CasusDetail(
        casus,
        termijnen_van(casus, vandaag),
        await uow.casussen.overgangen(casus.id),
        await uow.casussen.plannen(casus.id),
        await uow.casussen.verslagen(casus.id),
        toestemmingen,
        zichtbare_documenten(
            await uow.casussen.documenten(casus.id), toestemmingen, actor.rol, vandaag
        ),
    )


async def van_leerling(uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID) -> list[CasusDetail]:
    """Every case of one child with all it holds (the inzage export; inside the caller's block)."""
    return [await _detail(uow, actor, c) for c in await uow.casussen.van_leerling(leerling_id)]


async def haal(uow: UnitOfWork, actor: Actor, casus_id: uuid.UUID) -> CasusDetail:
    """One case in scope with everything it holds; the read is audited on the child."""
    async with uow.voor(actor):
        casus = await uow.casussen.get(actor, casus_id)
        if casus is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = casus.leerling_id
        detail = await _detail(uow, actor, casus)
        await uow.commit()
        return detail


async def _te_wijzigen(
    uow: UnitOfWork, actor: Actor, casus_id: uuid.UUID, versie: int | None
) -> CasusRow:
    casus = await uow.casussen.get(actor, casus_id, lock=True)
    if casus is None:
        raise NotFound(NIET_GEVONDEN)
    uow.betreft = casus.leerling_id
    if versie is not None and casus.versie != versie:
        raise PreconditionFailed("Deze casus is intussen gewijzigd; haal haar opnieuw op.")
    if casus.status == CasusStatus.AFGESLOTEN:
        raise DomainRuleViolation("De casus is afgesloten.")
    return casus


async def _klaar(uow: UnitOfWork, actor: Actor, casus: CasusRow) -> CasusDetail:
    casus.versie += 1
    await uow.flush()
    detail = await _detail(uow, actor, casus)
    await uow.commit()
    return detail


# -- changes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Regie:
    """Who holds the case: coordination, coordinator, mediator on a vertrouwensbreuk; and the
    scenario record. None: leave as it is."""

    coordinatie: Coordinatie | None = None
    coordinator: str | None = None
    vertrouwensbreuk: bool | None = None
    mediator: str | None = None
    scenario: dict[str, str] | None = None


async def wijzig_regie(
    uow: UnitOfWork, actor: Actor, casus_id: uuid.UUID, *, versie: int, regie: Regie
) -> CasusDetail:
    """Change coordination, mediator and scenario record (aanpak thuiszitters §1.2, §2.2)."""
    async with uow.voor(actor):
        casus = await _te_wijzigen(uow, actor, casus_id, versie)
        fouten: list[FieldError] = []
        if regie.scenario is not None:
            fouten += [
                FieldError(f"scenario.{k}", "onbekend", "Geen vraag van het scenariomodel.")
                for k in controleer_scenario(regie.scenario)
            ]
        breuk = (
            regie.vertrouwensbreuk if regie.vertrouwensbreuk is not None else casus.vertrouwensbreuk
        )
        if regie.mediator and not breuk:
            fouten.append(
                FieldError(
                    "mediator",
                    "zonder_vertrouwensbreuk",
                    "Een mediator hoort bij een vertrouwensbreuk.",
                )
            )
        if fouten:
            raise InvalidInput(fouten)
        if regie.coordinatie is not None:
            casus.coordinatie = str(regie.coordinatie)
        if regie.coordinator is not None:
            casus.coordinator = regie.coordinator
        casus.vertrouwensbreuk = breuk
        if regie.mediator is not None:
            casus.mediator = regie.mediator
        if not breuk:
            casus.mediator = None
        if regie.scenario is not None:
            casus.scenario = {**casus.scenario, **regie.scenario}
        return await _klaar(uow, actor, casus)


@dataclass(frozen=True, slots=True)
class PlanActie:
    wat: str
    soort: PlanActieSoort
    rol: str
    organisatie: str
    uiterlijk: date
    start: date | None = None


async def stel_plan_vast(
    uow: UnitOfWork,
    actor: Actor,
    casus_id: uuid.UUID,
    *,
    versie: int,
    doel: str,
    acties: list[PlanActie],
) -> CasusDetail:
    """A new version of the plan van aanpak (goal; actions with owner and due date); an action
    with an adapted programme or thuiswerkplan appends `aanbod-gestart` (regels 10, 12)."""
    async with uow.voor(actor):
        casus = await _te_wijzigen(uow, actor, casus_id, versie)
        van = CasusStatus(casus.status)
        naar = overgang(van, CasusActie.PLAN_VASTSTELLEN, actor.rol)
        if isinstance(naar, Weigering):
            raise DomainRuleViolation(naar.reden)
        nu = await context.klok(uow)
        plannen = await uow.casussen.plannen(casus.id)
        eerder = [
            (PlanActieSoort(a["soort"]), date.fromisoformat(a["start"]))
            for p in plannen
            for a in p.acties
            if a.get("start")
        ]
        nummer = len(plannen) + 1
        await uow.casussen.add(
            PlanRow(
                casus_id=casus.id,
                versie=nummer,
                swv_id=casus.swv_id,
                doel=doel,
                acties=[
                    {
                        "wat": a.wat,
                        "soort": str(a.soort),
                        "rol": a.rol,
                        "organisatie": a.organisatie,
                        "uiterlijk": a.uiterlijk.isoformat(),
                        "start": (a.start or nu.date()).isoformat(),
                    }
                    for a in acties
                ],
                vastgesteld_op=nu,
                door=actor.id,
            )
        )
        nieuw = [(a.soort, a.start or nu.date()) for a in acties]
        for voorstel in feiten_bij_plan(nieuw, eerder):
            await _voeg_feit_toe(
                uow,
                actor,
                casus,
                voorstel,
                f"casus:{casus.id}:plan:{nummer}:{voorstel.geldig_vanaf.isoformat()}",
            )
        if casus.plan_sinds is None:
            casus.plan_sinds = nu.date()
        if naar is not van:
            casus.status = str(naar)
        await _overgang(uow, actor, casus, van, naar, f"plan-vaststellen:v{nummer}", None)
        return await _klaar(uow, actor, casus)


@dataclass(frozen=True, slots=True)
class CasusStap:
    actie: CasusActie
    reden: Beeindigingsreden | None = None
    datum: date | None = None
    toelichting: str | None = None


async def zet_stap(
    uow: UnitOfWork, actor: Actor, casus_id: uuid.UUID, *, versie: int, stap: CasusStap
) -> CasusDetail:
    """Start, escalate, goal met, close: the state machine decides, the step is a history row;
    closing with "schoolgang hersteld" appends `onderwijs-hervat` (regel 16)."""
    if stap.actie is CasusActie.PLAN_VASTSTELLEN:
        raise InvalidInput(
            [FieldError("actie", "ongeldig", "Een plan stelt u vast met POST .../plannen.")]
        )
    async with uow.voor(actor):
        casus = await uow.casussen.get(actor, casus_id, lock=True)
        if casus is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = casus.leerling_id
        if casus.versie != versie:
            raise PreconditionFailed("Deze casus is intussen gewijzigd; haal haar opnieuw op.")
        van = CasusStatus(casus.status)
        naar = overgang(van, stap.actie, actor.rol, reden=stap.reden)
        if isinstance(naar, Weigering):
            raise DomainRuleViolation(naar.reden)
        if stap.actie is CasusActie.AFSLUITEN and stap.reden is not None:
            datum = stap.datum or await context.vandaag(uow)
            for voorstel in feiten_bij_afsluiten(stap.reden, datum):
                await _voeg_feit_toe(uow, actor, casus, voorstel, f"casus:{casus.id}:afsluiten")
            casus.sluitreden = str(stap.reden)
        casus.status = str(naar)
        reden = stap.toelichting or (str(stap.reden) if stap.reden else None)
        await _overgang(uow, actor, casus, van, naar, str(stap.actie), reden)
        return await _klaar(uow, actor, casus)


@dataclass(frozen=True, slots=True)
class Verslag:
    """An evaluation, meeting or contactmoment; `gegevens` as the API schema checked them."""

    soort: str
    datum: date
    gegevens: dict[str, Any] = field(default_factory=dict)


async def leg_verslag_vast(
    uow: UnitOfWork, actor: Actor, casus_id: uuid.UUID, *, versie: int | None, verslag: Verslag
) -> tuple[VerslagRow, CasusDetail]:
    """Record a weekly evaluation, an OT/BT or doorbraak meeting, or a contactmoment
    (aanpak thuiszitters §2.1-2.2); they move the due dates of the case's signals."""
    async with uow.voor(actor):
        casus = await _te_wijzigen(uow, actor, casus_id, versie)
        vandaag = await context.vandaag(uow)
        if verslag.datum > vandaag:
            raise InvalidInput([FieldError("datum", "in_de_toekomst", "Ligt na vandaag.")])
        if verslag.datum < casus.geopend_op.date():
            raise InvalidInput(
                [FieldError("datum", "voor_opening", "Ligt voor de opening van de casus.")]
            )
        if verslag.soort == "evaluatie" and casus.plan_sinds is None:
            raise DomainRuleViolation("Er is nog geen plan van aanpak om te evalueren.")
        row = VerslagRow(
            id=uuid.uuid4(),
            casus_id=casus.id,
            swv_id=casus.swv_id,
            soort=verslag.soort,
            datum=verslag.datum,
            gegevens=verslag.gegevens,
            door=actor.id,
            vastgelegd_op=await context.klok(uow),
        )
        await uow.casussen.add(row)
        if verslag.soort == "evaluatie":
            casus.laatste_evaluatie = max(casus.laatste_evaluatie or verslag.datum, verslag.datum)
        if verslag.soort == "contactmoment" and verslag.gegevens.get("met") == "ouders":
            casus.laatste_contact_ouders = max(
                casus.laatste_contact_ouders or verslag.datum, verslag.datum
            )
        return row, await _klaar(uow, actor, casus)


async def geef_toestemming(
    uow: UnitOfWork,
    actor: Actor,
    casus_id: uuid.UUID,
    *,
    soort: DocumentSoort,
    gegeven_op: date,
    geldig_tot_en_met: date | None,
) -> tuple[ToestemmingRow, CasusDetail]:
    """Record the parents' consent to exchange an OPP or dossier (Regioloket)."""
    async with uow.voor(actor):
        casus = await _te_wijzigen(uow, actor, casus_id, None)
        if geldig_tot_en_met is not None and geldig_tot_en_met < gegeven_op:
            raise InvalidInput([FieldError("geldigTotEnMet", "voor_begin", "Ligt voor gegevenOp.")])
        row = ToestemmingRow(
            id=uuid.uuid4(),
            casus_id=casus.id,
            swv_id=casus.swv_id,
            soort=str(soort),
            gegeven_op=gegeven_op,
            geldig_tot=geldig_tot_en_met,
            door=actor.id,
            versie=1,
        )
        await uow.casussen.add(row)
        return row, await _klaar(uow, actor, casus)


async def trek_toestemming_in(
    uow: UnitOfWork,
    actor: Actor,
    casus_id: uuid.UUID,
    toestemming_id: uuid.UUID,
    *,
    versie: int,
    datum: date | None,
) -> tuple[ToestemmingRow, CasusDetail]:
    """Withdraw a consent: from that day its documents are hidden from other roles (AVG art. 7
    lid 3); the consent stays as history."""
    async with uow.voor(actor):
        casus = await _te_wijzigen(uow, actor, casus_id, None)
        row = await uow.casussen.toestemming(casus.id, toestemming_id)
        if row is None:
            raise NotFound("Deze toestemming bestaat niet bij deze casus.")
        if row.versie != versie:
            raise PreconditionFailed("Deze toestemming is intussen gewijzigd.")
        if row.ingetrokken_op is not None:
            raise DomainRuleViolation("Deze toestemming is al ingetrokken.")
        row.ingetrokken_op = datum or await context.vandaag(uow)
        row.versie += 1
        return row, await _klaar(uow, actor, casus)


async def leg_document_vast(
    uow: UnitOfWork,
    actor: Actor,
    casus_id: uuid.UUID,
    *,
    soort: DocumentSoort,
    titel: str,
    referentie: str,
) -> tuple[DocumentRow, CasusDetail]:
    """Record a document's metadata; an OPP or dossier only under a current consent (Regioloket)."""
    async with uow.voor(actor):
        casus = await _te_wijzigen(uow, actor, casus_id, None)
        vandaag = await context.vandaag(uow)
        toestemmingen = _toestemmingen(await uow.casussen.toestemmingen(casus.id))
        if not mag_document_vastleggen(soort, toestemmingen, vandaag):
            raise DomainRuleViolation(
                "Een OPP of dossier wordt alleen gedeeld onder een geldende toestemming "
                "van de ouders."
            )
        row = DocumentRow(
            id=uuid.uuid4(),
            casus_id=casus.id,
            swv_id=casus.swv_id,
            soort=str(soort),
            titel=titel,
            referentie=referentie,
            vastgelegd_door=actor.id,
            vastgelegd_door_rol=str(actor.rol),
            vastgelegd_op=await context.klok(uow),
        )
        await uow.casussen.add(row)
        return row, await _klaar(uow, actor, casus)


_VRIJE_TEKST = ("voortgang", "samenvatting", "wat")


def _zonder_tekst(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: "" if k in _VRIJE_TEKST else _zonder_tekst(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_zonder_tekst(v) for v in data]
    return data


async def blank_vrije_tekst(uow: UnitOfWork, leerling_id: uuid.UUID) -> None:
    """Anonymisation: scenario answers, goals, actions, reports, document titles and references,
    names of coordinator and mediator, and reasons in the history go; states and dates stay."""
    for casus in await uow.casussen.van_leerling(leerling_id):
        casus.scenario = {}
        casus.coordinator = None
        casus.mediator = None
        casus.bron_referentie = None
        for plan in await uow.casussen.plannen(casus.id):
            plan.doel = ""
            plan.acties = _zonder_tekst(plan.acties)
        for verslag in await uow.casussen.verslagen(casus.id):
            verslag.gegevens = _zonder_tekst(verslag.gegevens)
        for document in await uow.casussen.documenten(casus.id):
            document.titel = ""
            document.referentie = ""
        for overgang_ in await uow.casussen.overgangen(casus.id):
            overgang_.reden = None
    await uow.flush()
