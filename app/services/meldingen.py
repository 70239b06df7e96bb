"""Use cases of the workflow melding: send one, the regisseur's inbox, assign, register, open a
case, close; and the signal `melding-te-laat`.

A melding never changes a category itself: the facts its content states are appended in the
same transaction, through `_voeg_feit_toe` (the one place that appends a fact here).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import LeerlingRow
from app.db.meldingen import MeldingOvergangRow, MeldingRow
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.feiten import Beeindigingsreden, Veldprobleem
from app.domain.meldingen import (
    CONTACT_WERKDAGEN,
    Aard,
    FeitVoorstel,
    GevraagdeActie,
    MeldingActie,
    MeldingSoort,
    MeldingStatus,
    Weigering,
    contact_uiterlijk,
    controleer_melding,
    feiten_van_melding,
    is_weekdag,
    melding_te_laat,
    overgang,
)
from app.domain.regio import Regio
from app.domain.toegang import Actor, Operatie, Reikwijdte, mag
from app.services import (
    casussen,
    context,
    feiten,
    identiteit,
    leerlingen,
    notificaties,
    schoolvakanties,
)
from app.services.errors import (
    Conflict,
    DomainRuleViolation,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
)
from app.services.pagination import Page, PageRequest
from app.services.toegang.versleuteling import Versleuteling

NIET_GEVONDEN = "Deze melding bestaat niet of valt buiten uw bevoegdheid."
TOELICHTING = (
    "aanleiding",
    "contactpersoon",
    "korte_beschrijving",
    "gepleegde_interventies",
    "betrokken_hulpverlening",
    "klas",
    "niveau",
    "bijzonderheden_schoolloopbaan",
)
"""The meldingsformulier's free text (aanpak thuiszitters bijlage 2): never in an export."""


def contact_werkdagen(swv: SwvRow) -> int:
    """Working days to contact the melder after assignment (SWV setting; default 5, a choice)."""
    return int((swv.beleid or {}).get("melding_contact_werkdagen", CONTACT_WERKDAGEN))


def bsn_rechtsgrond(swv: SwvRow) -> str | None:
    """The legal basis the SWV recorded for using the BSN, if any (UAVG art. 46)."""
    waarde = (swv.beleid or {}).get("bsn_rechtsgrond")
    return str(waarde) if waarde else None


def _bron(actor: Actor) -> str:
    return actor.id if actor.is_systeem else f"swv:{actor.swv_id}"


@dataclass(frozen=True, slots=True)
class NieuwKind:
    """A child registered inline with the melding (pseudonymous unless the SWV works identified)."""

    pseudoniem: str
    geboortejaar: int
    geboortemaand: int
    regio: str
    woongemeente: str | None = None
    identiteit: identiteit.Identiteit | None = None


@dataclass(frozen=True, slots=True)
class NieuweMelding:
    soort: MeldingSoort
    leerling_id: uuid.UUID | None = None
    kind: NieuwKind | None = None
    school_id: uuid.UUID | None = None
    aard: Aard | None = None
    verzuim_begin: date | None = None
    verzuim_einde: date | None = None
    ouders_geinformeerd_op: date | None = None
    gevraagde_acties: tuple[GevraagdeActie, ...] = ()
    toelichting: dict[str, str] = field(default_factory=dict)
    bron_referentie: str | None = None


@dataclass(frozen=True, slots=True)
class Ingediend:
    melding: MeldingRow
    nieuw: bool


def _veldfouten(problemen: list[Veldprobleem]) -> list[FieldError]:
    return [FieldError(p.veld, "ongeldig", p.probleem) for p in problemen]


async def _kondig_aan(
    uow: UnitOfWork, row: MeldingRow, van: MeldingStatus | None, naar: MeldingStatus, nu: datetime
) -> None:
    """The transition's event (`melding.<status>`), in the transition's transaction; ids and
    kinds only (docs/privacy.md). A new melding also mails the regisseurs."""
    data: dict[str, Any] = {
        "meldingId": str(row.id),
        "leerlingId": str(row.leerling_id),
        "soort": row.soort,
        "status": str(naar),
    }
    if van is not None:
        data["vorigeStatus"] = str(van)
    if row.contact_uiterlijk is not None:
        data["contactUiterlijk"] = row.contact_uiterlijk.isoformat()
    await notificaties.publiceer(
        uow, row.swv_id, f"melding.{naar}", row.id, nu=nu, leerling_id=row.leerling_id, data=data
    )


async def _voeg_feit_toe(
    uow: UnitOfWork,
    actor: Actor,
    leerling_id: uuid.UUID,
    voorstel: FeitVoorstel,
    *,
    bron_referentie: str,
    school_id: uuid.UUID | None,
) -> uuid.UUID:
    """Append one ordinary fact inside the caller's transaction (the one place that does)."""
    gemeld = await feiten.voeg_feit_toe(
        uow,
        actor,
        leerling_id,
        feiten.NieuwFeit(
            soort=str(voorstel.soort),
            geldig_vanaf=voorstel.geldig_vanaf,
            gegevens=voorstel.gegevens,
            bron_referentie=bron_referentie,
            school_id=school_id,
        ),
    )
    return gemeld.feit.id


async def _school(uow: UnitOfWork, actor: Actor, swv: SwvRow, school_id: uuid.UUID | None) -> Any:
    """The melding's vestiging: a school reports for its own (the only one by default)."""
    if (
        school_id is None
        and actor.reikwijdte is Reikwijdte.VESTIGINGEN
        and len(actor.vestiging_ids) == 1
    ):
        school_id = uuid.UUID(next(iter(actor.vestiging_ids)))
    fouten: list[FieldError] = []
    if actor.reikwijdte is Reikwijdte.VESTIGINGEN and (
        school_id is None or str(school_id) not in actor.vestiging_ids
    ):
        fouten.append(FieldError("schoolId", "buiten_bevoegdheid", "Kies een eigen vestiging."))
    elif school_id is not None and await uow.scholen.get(swv.id, school_id) is None:
        fouten.append(FieldError("schoolId", "onbekend", "Deze vestiging bestaat niet."))
    return school_id, fouten


async def _kind(  # noqa: PLR0917
    uow: UnitOfWork,
    actor: Actor,
    swv: SwvRow,
    melding: NieuweMelding,
    school_id: uuid.UUID | None,
    versleuteling: Versleuteling | None,
) -> LeerlingRow:
    """The existing child in scope, or the child registered inline (identity as the SWV works)."""
    if melding.leerling_id is not None:
        leerling = await uow.leerlingen.get(actor, melding.leerling_id)
        if leerling is None:
            raise InvalidInput(
                [FieldError("leerlingId", "onbekend", "Onbekend of buiten uw bevoegdheid.")]
            )
        return leerling
    kind = melding.kind
    assert kind is not None  # noqa: S101 (the schema asks for exactly one)
    if not mag(actor, Operatie.LEERLING_REGISTREREN):
        raise Forbidden("Uw rol registreert geen leerlingen; noem een bestaande leerlingId.")
    fouten = identiteit.controleer(swv, kind.identiteit, kind.geboortejaar, kind.geboortemaand)
    if kind.identiteit is not None and kind.identiteit.bsn and bsn_rechtsgrond(swv) is None:
        fouten.append(
            FieldError(
                "identiteit.bsn",
                "geen_rechtsgrond",
                "Dit samenwerkingsverband heeft geen rechtsgrond voor het BSN vastgelegd.",
            )
        )
    if kind.identiteit is not None and versleuteling is None:
        raise RuntimeError("identified registration needs the encryption key")
    if fouten:
        raise InvalidInput([FieldError(f"leerling.{f.name}", f.code, f.reason) for f in fouten])
    try:
        leerling = await leerlingen.registreer_leerling(
            uow,
            actor,
            leerlingen.NieuweLeerling(
                pseudoniem=kind.pseudoniem,
                geboortejaar=kind.geboortejaar,
                geboortemaand=kind.geboortemaand,
                regio=kind.regio,
                school_id=school_id,
                woongemeente=kind.woongemeente,
            ),
        )
    except InvalidInput as fout:
        fouten = [FieldError(f"leerling.{f.name}", f.code, f.reason) for f in fout.errors]
        raise InvalidInput(fouten) from None
    if kind.identiteit is not None and versleuteling is not None:
        # Writing an identity is not reading one: a school in an identified SWV sends it with
        # the melding (meldingsformulier); who may see it is decided when it is read.
        bsn = kind.identiteit.bsn
        if bsn is not None and await uow.leerlingen.bestaat_bsn(
            swv.id, identiteit.bsn_zoekhash(versleuteling, swv.id, bsn)
        ):
            raise Conflict("Deze leerling is al geregistreerd.")
        identiteit.sla_op(leerling, kind.identiteit, versleuteling)
        await uow.flush()
    return leerling


async def dien_in(
    uow: UnitOfWork,
    actor: Actor,
    melding: NieuweMelding,
    versleuteling: Versleuteling | None = None,
) -> Ingediend:
    """Receive a melding (aanpak thuiszitters §1.4, bijlage 2; Regioloket), append its facts;
    the same `bronReferentie` from the same source is the same melding."""
    async with uow.voor(actor):
        swv = await context.swv_van(uow, actor)
        bron = _bron(actor)
        if melding.bron_referentie is not None:
            bestaand = await uow.meldingen.op_bron(swv.id, bron, melding.bron_referentie)
            if bestaand is not None:
                if melding.leerling_id not in (None, bestaand.leerling_id) or (
                    bestaand.soort != melding.soort
                ):
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere melding.")
                uow.betreft = bestaand.leerling_id
                await uow.commit()
                return Ingediend(bestaand, False)
        fouten = _veldfouten(
            controleer_melding(
                melding.soort,
                melding.aard,
                melding.verzuim_begin,
                melding.verzuim_einde,
                melding.gevraagde_acties,
            )
        )
        school_id, school_fouten = await _school(uow, actor, swv, melding.school_id)
        fouten += school_fouten
        if fouten:
            raise InvalidInput(fouten)
        leerling = await _kind(uow, actor, swv, melding, school_id, versleuteling)
        uow.betreft = leerling.id
        nu = await context.klok(uow)
        row = MeldingRow(
            id=uuid.uuid4(),
            swv_id=swv.id,
            leerling_id=leerling.id,
            school_id=school_id,
            soort=str(melding.soort),
            status=str(MeldingStatus.ONTVANGEN),
            aard=str(melding.aard) if melding.aard else None,
            verzuim_begin=melding.verzuim_begin,
            verzuim_einde=melding.verzuim_einde,
            ouders_geinformeerd_op=melding.ouders_geinformeerd_op,
            gevraagde_acties=[str(a) for a in melding.gevraagde_acties],
            toelichting={k: v for k, v in melding.toelichting.items() if k in TOELICHTING and v},
            bron=bron,
            bron_referentie=melding.bron_referentie,
            ingediend_door=actor.id,
            ingediend_door_rol=str(actor.rol),
            ontvangen_op=nu,
            feit_ids=[],
            versie=1,
        )
        try:
            await uow.meldingen.add(row)
        except DubbeleBronReferentie:  # sent at the same moment by another request
            raise Conflict(
                "Deze bronReferentie is zojuist al ontvangen; probeer het opnieuw."
            ) from None
        feit_ids = []
        for voorstel in feiten_van_melding(
            melding.aard, melding.verzuim_begin, melding.verzuim_einde
        ):
            feit_ids.append(
                await _voeg_feit_toe(
                    uow,
                    actor,
                    leerling.id,
                    voorstel,
                    bron_referentie=f"melding:{row.id}:{voorstel.soort}",
                    school_id=school_id,
                )
            )
        row.feit_ids = [str(f) for f in feit_ids]
        await uow.meldingen.overgang(
            MeldingOvergangRow(
                melding_id=row.id,
                swv_id=swv.id,
                van=None,
                naar=str(MeldingStatus.ONTVANGEN),
                actie="ontvangen",
                door=actor.id,
                rol=str(actor.rol),
                op=nu,
                reden=None,
            )
        )
        await _kondig_aan(uow, row, None, MeldingStatus.ONTVANGEN, nu)
        await uow.commit()
        return Ingediend(row, True)


@dataclass(frozen=True, slots=True)
class MeldingFilter:
    status: tuple[MeldingStatus, ...] = ()
    school_id: uuid.UUID | None = None
    toegewezen_aan: str | None = None
    soort: MeldingSoort | None = None
    leerling_id: uuid.UUID | None = None
    ontvangen_vanaf: datetime | None = None
    ontvangen_tot: datetime | None = None
    contact_te_laat: bool | None = None


def contact_te_laat(row: MeldingRow, vandaag: date) -> bool:
    """The contact with the melder is overdue: assigned, and its due date has passed."""
    return (
        row.status == MeldingStatus.TOEGEWEZEN
        and row.contact_uiterlijk is not None
        and vandaag > row.contact_uiterlijk
    )


async def lijst(
    uow: UnitOfWork, actor: Actor, filter_: MeldingFilter, page: PageRequest
) -> tuple[Page[MeldingRow], date]:
    """The regisseur's inbox (or a school's own meldingen): newest first, filtered."""
    async with uow.voor(actor):
        vandaag = await context.vandaag(uow)
        if filter_.contact_te_laat is None:
            rows, total = await uow.meldingen.lijst(
                actor,
                offset=page.offset,
                limit=page.page_size,
                status=[str(s) for s in filter_.status],
                school_id=filter_.school_id,
                toegewezen_aan=filter_.toegewezen_aan,
                soort=str(filter_.soort) if filter_.soort else None,
                leerling_id=filter_.leerling_id,
                ontvangen_vanaf=filter_.ontvangen_vanaf,
                ontvangen_tot=filter_.ontvangen_tot,
            )
        else:
            alle, _ = await uow.meldingen.lijst(
                actor,
                offset=0,
                limit=1_000_000,
                status=[str(s) for s in filter_.status],
                school_id=filter_.school_id,
                toegewezen_aan=filter_.toegewezen_aan,
                soort=str(filter_.soort) if filter_.soort else None,
                leerling_id=filter_.leerling_id,
                ontvangen_vanaf=filter_.ontvangen_vanaf,
                ontvangen_tot=filter_.ontvangen_tot,
            )
            gekozen = [r for r in alle if contact_te_laat(r, vandaag) is filter_.contact_te_laat]
            rows, total = gekozen[page.offset : page.offset + page.page_size], len(gekozen)
        uow.getoond = sorted({r.leerling_id for r in rows})
        await uow.commit()
        return Page(rows, page.page, page.page_size, total), vandaag


async def haal(
    uow: UnitOfWork, actor: Actor, melding_id: uuid.UUID
) -> tuple[MeldingRow, list[MeldingOvergangRow], date]:
    """One melding in scope with its history; the read is audited on the child."""
    async with uow.voor(actor):
        row = await uow.meldingen.get(actor, melding_id)
        if row is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = row.leerling_id
        overgangen = await uow.meldingen.overgangen(row.id)
        vandaag = await context.vandaag(uow)
        await uow.commit()
        return row, overgangen, vandaag


@dataclass(frozen=True, slots=True)
class Stap:
    """A step in the melding's workflow, as the regisseur takes it."""

    actie: MeldingActie
    toegewezen_aan: str | None = None
    reden: Beeindigingsreden | None = None
    toelichting: str | None = None


def controleer_versie(versie: int, if_match: int) -> None:
    if versie != if_match:
        raise PreconditionFailed("Deze melding is intussen gewijzigd; haal haar opnieuw op.")


async def zet_stap(
    uow: UnitOfWork, actor: Actor, melding_id: uuid.UUID, *, versie: int, stap: Stap
) -> tuple[MeldingRow, date]:
    """Take one step (assign, register, open a case, close): the state machine decides, the
    step is a history row, the melding's state its projection."""
    async with uow.voor(actor):
        row = await uow.meldingen.get(actor, melding_id, lock=True)
        if row is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = row.leerling_id
        controleer_versie(row.versie, versie)
        if stap.actie is MeldingActie.TOEWIJZEN and not stap.toegewezen_aan:
            raise InvalidInput(
                [FieldError("toegewezenAan", "ontbreekt", "Noem aan wie de melding toevalt.")]
            )
        van = MeldingStatus(row.status)
        naar = overgang(van, stap.actie, actor.rol, MeldingSoort(row.soort), reden=stap.reden)
        if isinstance(naar, Weigering):
            raise DomainRuleViolation(naar.reden)
        nu = await context.klok(uow)
        if stap.actie is MeldingActie.TOEWIJZEN:
            swv = await context.swv_van(uow, actor)
            leerling = await uow.leerlingen.get(actor, row.leerling_id)
            regio: Regio = Regio(leerling.regio) if leerling else Regio.MIDDEN
            kalender = await schoolvakanties.laad_kalender(uow, swv.id, leerling_id=row.leerling_id)

            def werkdag(dag: date) -> bool:
                if kalender.dekt(dag):
                    return is_weekdag(dag) and not kalender.is_vakantiedag(dag, regio)
                return is_weekdag(dag)

            row.toegewezen_aan = stap.toegewezen_aan
            row.contact_uiterlijk = contact_uiterlijk(nu.date(), contact_werkdagen(swv), werkdag)
        if stap.actie is MeldingActie.AFSLUITEN:
            row.sluitreden = str(stap.reden)
        if stap.actie is MeldingActie.CASUS_OPENEN:
            casus = await casussen.open_uit_melding(uow, actor, row)
            row.casus_id = casus.id
        row.status = str(naar)
        row.versie += 1
        await uow.meldingen.overgang(
            MeldingOvergangRow(
                melding_id=row.id,
                swv_id=row.swv_id,
                van=str(van),
                naar=str(naar),
                actie=str(stap.actie),
                door=actor.id,
                rol=str(actor.rol),
                op=nu,
                reden=stap.toelichting or (str(stap.reden) if stap.reden else None),
            )
        )
        await _kondig_aan(uow, row, van, naar, nu)
        await uow.flush()
        await uow.commit()
        return row, nu.date()


@dataclass(frozen=True, slots=True)
class TeLaat:
    """A child whose unexcused absence reached day 29 without a melding from the school."""

    leerling_id: uuid.UUID
    pseudoniem: str
    verzuim_sinds: date
    dag: int


async def te_laat(
    uow: UnitOfWork, actor: Actor, peildatum: date | None
) -> tuple[list[TeLaat], date]:
    """Signal `melding-te-laat` on the children in scope (aanpak thuiszitters, actielijst)."""
    async with uow.voor(actor):
        dag = peildatum or await context.vandaag(uow)
        rows, _ = await uow.leerlingen.lijst(
            actor,
            offset=0,
            limit=1_000_000,
            peildatum=dag,
            categorieen=["B1", "B2a", "B2b"],
        )
        gemeld = await uow.meldingen.gemeld_sinds([r.id for r in rows], None)
        uit: list[TeLaat] = []
        for row in rows:
            _kind, status = await leerlingen.status_op(
                uow, actor, row.id, peildatum=dag, bekend_op=None
            )
            sinds = status.verzuim_sinds
            if sinds is not None and melding_te_laat(sinds, dag, row.id in gemeld):
                uit.append(TeLaat(row.id, row.pseudoniem, sinds, (dag - sinds).days + 1))
        uow.getoond = [t.leerling_id for t in uit]
        await uow.commit()
        return uit, dag


async def blank_vrije_tekst(uow: UnitOfWork, leerling_id: uuid.UUID) -> None:
    """Anonymisation: the intake form's free text, the source reference and the reasons in the
    history go; kinds, dates and states stay (inside the caller's anonymising block)."""
    for row in await uow.meldingen.te_anonimiseren(leerling_id):
        row.toelichting = {}
        row.bron_referentie = None
        for overgang_ in await uow.meldingen.overgangen(row.id):
            overgang_.reden = None
    await uow.flush()
