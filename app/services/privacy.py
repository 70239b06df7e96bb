"""AVG rights and retention: the inzage export of one child, and anonymisation in place of
records closed longer than the retention period (the register stays countable)."""

from __future__ import annotations

import hashlib
import typing
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.db.audit import AuditRegel, AuditRow
from app.db.escalaties import EscalatieRow, EscalatieStapRow
from app.db.leerlingen import FeitRow, LeerlingRow
from app.db.meldingen import MeldingRow
from app.db.session import UnitOfWork
from app.db.tlv import PlaatsingscheckRow
from app.domain.classificatie import Categorie
from app.domain.feiten import FEITKLASSEN, FeitSoort
from app.domain.privacy import Weergave, geboortedag_na_anonimiseren, verleden_weergaven
from app.domain.rapportage import LeerlingVoorRapport
from app.domain.regio import Vakantiekalender
from app.domain.status import Status
from app.domain.toegang import Actor
from app.services import (
    casussen,
    context,
    leerlingen,
    meldingen,
    projectie,
    schoolvakanties,
    tlv,
)
from app.services.errors import NotFound

VRIJE_TEKST = (
    "toelichting",
    "reden",
    "voorziening",
    "melder",
    # the monitor's kenmerken (regel 18): names, but together they could point at one child
    "klas",
    "niveau",
    "gemeente",
)
"""Payload fields that may hold free text (and so, by mistake, a name): blanked on anonymising.
Not `organisatie` of `jeugdhulp`: a name from the SWV's closed list (regel 18) that fills the
Inspectie register's "Betrokken jeugdhulp", so past registers keep it (decision 0046)."""

GESLOTEN = {Categorie.GEEN.value}


ANONIMISEREN = "onderhoud:anonimiseren"
"""The audit log's name for a maintenance run's anonymisation (one row per SWV per run)."""
GEBOORTEDAG_BEHOUDEN = "onderhoud:geboortedag-behouden"
"""The audit log's name for the children of a run that kept their exact birth day, because a
past register needs it (decision 0046); written per SWV only when there is one."""
ONDERHOUD = "systeem:onderhoud"
ONDERHOUD_ROUTE = "thuiszitters maintenance"


@dataclass(frozen=True, slots=True)
class Verstrekking:
    """A provision of the child's data to a recipient (AVG art. 15 lid 1 sub c)."""

    tijdstip: datetime
    ontvanger: str
    handeling: str
    rol: str


VERSTREKKINGEN: tuple[tuple[str, str, str], ...] = (
    ("POST", "/inspectie-indieningen", "Inspectie van het Onderwijs (ingediend register)"),
    ("GET", "/rapportages/inspectie/samenvatting", "Samenvatting van het Inspectieregister"),
    ("GET", "/rapportages/inspectie", "Inspectieregister (export)"),
    ("GET", "/rapportages/swv-overzicht", "SWV-overzicht (alleen aantallen)"),
    ("GET", "/rapportages/leerplichtoverleg", "Lijst voor het leerplichtoverleg"),
)
"""Which audited routes provide a child's data to whom: (method, route suffix, recipient)."""


def verstrekking(row: AuditRow) -> Verstrekking | None:
    """The provision an audit row records, if it records one (AVG art. 15 lid 1 sub c)."""
    methode, _, pad = row.route.partition(" ")
    for m, achtervoegsel, ontvanger in VERSTREKKINGEN:
        if methode == m and pad.endswith(achtervoegsel) and row.resultaat == "toegestaan":
            return Verstrekking(row.tijdstip, ontvanger, row.handeling, row.actor_rol)
    return None


@dataclass(frozen=True, slots=True)
class Inzage:
    leerling: LeerlingRow
    vestiging_ids: list[uuid.UUID]
    feiten: list[FeitRow]
    status: Status
    toegang: list[AuditRow]
    escalaties: list[tuple[EscalatieRow, list[EscalatieStapRow]]]
    tlvs: list[tlv.TlvMetStaat]
    plaatsingschecks: list[PlaatsingscheckRow]
    meldingen: list[MeldingRow]
    casussen: list[casussen.CasusDetail]

    @property
    def verstrekkingen(self) -> list[Verstrekking]:
        """Every register, list or overview that named this child, oldest first."""
        return [v for v in map(verstrekking, self.toegang) if v is not None]


async def inzage(uow: UnitOfWork, actor: Actor, leerling_id: uuid.UUID) -> Inzage:
    """Everything the register holds on one child (AVG art. 15), incl. who accessed it."""
    async with uow.voor(actor):
        leerling = await uow.leerlingen.get(actor, leerling_id)
        if leerling is None:
            raise NotFound(leerlingen.NIET_GEVONDEN)
        feiten = await uow.leerlingen.feiten(leerling.id)
        vestigingen = await uow.leerlingen.vestigingen_van(leerling.id)
        toegang = await uow.audit.over_leerling(leerling.id)
        escalaties = await uow.escalaties.van_leerling(leerling.id)
        stappen = await uow.escalaties.stappen_van([e.id for e in escalaties])
        checks = await uow.tlv.checks_van_kind(leerling.id)
        meldingrijen = await uow.meldingen.van_leerling(leerling.id)
        zaken = await casussen.van_leerling(uow, actor, leerling.id)
        tlvs = await tlv.tlvs_van_leerling(uow, actor, leerling_id)
        # The status joins this transaction: one snapshot, one audit row for the export.
        _leerling, status = await leerlingen.status_op(
            uow, actor, leerling_id, peildatum=None, bekend_op=None
        )
        await uow.commit()
    return Inzage(
        leerling,
        vestigingen,
        feiten,
        status,
        toegang,
        [(e, stappen.get(e.id, [])) for e in escalaties],
        tlvs,
        checks,
        meldingrijen,
        zaken,
    )


def _pseudoniem(leerling_id: uuid.UUID) -> str:
    return "anon-" + hashlib.sha256(leerling_id.bytes).hexdigest()[:12]


def _tekstvelden(soort: str) -> frozenset[str]:
    """The fields of a kind of fact that are declared as plain text (not an enumeration)."""
    klasse = FEITKLASSEN[FeitSoort(soort)]
    hints = typing.get_type_hints(klasse)
    return frozenset(
        naam
        for naam in VRIJE_TEKST
        if naam in hints and str in (hints[naam], *typing.get_args(hints[naam]))
    )


def zonder_vrije_tekst(payload: dict[str, Any], soort: str) -> dict[str, Any]:
    """The payload with its free-text fields blanked; enumerations (an ending reason) stay, so
    the fact still reads as the domain expects."""
    tekst = _tekstvelden(soort)
    schoon: dict[str, Any] = {}
    for sleutel, waarde in payload.items():
        if sleutel in tekst and isinstance(waarde, str) and waarde:
            schoon[sleutel] = ""
        elif isinstance(waarde, dict) and isinstance(waarde.get("soort"), str):
            schoon[sleutel] = zonder_vrije_tekst(waarde, waarde["soort"])
        else:
            schoon[sleutel] = waarde
    return schoon


@dataclass(frozen=True, slots=True)
class _Verleden:
    """One SWV's past views and the holiday calendar of each knowledge moment among them."""

    context: context.SwvContext
    weergaven: list[Weergave]
    kalenders: dict[datetime | None, Vakantiekalender | None]


async def _verleden(uow: UnitOfWork, swv_id: uuid.UUID, vandaag: date) -> _Verleden:
    """The views of the SWV's past that anonymisation must not change (decision 0046)."""
    swv = await uow.organisaties.swv(swv_id)
    assert swv is not None  # noqa: S101
    ctx = await context.laad_context(uow, swv)
    indieningen = await uow.rapportage.indieningsmomenten(swv_id)
    weergaven = verleden_weergaven(ctx.peildata, tot_en_met=vandaag, indieningen=indieningen)
    kalenders: dict[datetime | None, Vakantiekalender | None] = {None: ctx.kalender}
    for _peildatum, moment in indieningen:
        if moment not in kalenders:
            kalenders[moment] = await schoolvakanties.kalender_voor(
                uow, swv_id, ctx.beleid, bekend_op=moment
            )
    return _Verleden(ctx, weergaven, kalenders)


def _geboortedag_na_anonimiseren(
    leerling: LeerlingRow, feiten: list[FeitRow], verleden: _Verleden
) -> int | None:
    """The exact day only where a past view needs it, else only "born on the 1st" (LPW art.
    4a; decision 0046)."""
    if leerling.geboortedag in (None, 1):  # month precision, or "born on the 1st": as it is
        return leerling.geboortedag
    kind = LeerlingVoorRapport(
        leerling=projectie.leerling_van(leerling),
        feiten=[projectie.feit_van(f) for f in feiten],
        pseudoniem=leerling.pseudoniem,
    )
    return geboortedag_na_anonimiseren(
        kind,
        verleden.context.beleid,
        peildata=verleden.context.peildata,
        weergaven=verleden.weergaven,
        kalenders=verleden.kalenders,
    )


async def anonimiseer_verlopen(
    uow: UnitOfWork, *, bewaarjaren: int, nu: datetime | None = None
) -> int:
    """Anonymise children whose record is closed (no open category now, nothing recorded or
    valid for `bewaarjaren` years): identity and free text go, categories and dates stay.

    The child's projections are recomputed with the new pseudonym. Of the birth day only "born
    on the 1st" is kept, unless a past register, summary, overview or own monitor needs the
    exact day (decision 0046): past peildata keep what they said.
    Every run writes one audit row per SWV naming the children it anonymised, and one naming
    those that kept their birth day (AVG art. 5 lid 2).
    """
    async with uow.alle_swvs():
        moment = nu or await uow.klok()
        grens = moment - timedelta(days=round(365.25 * bewaarjaren))
        kandidaten = await uow.leerlingen.te_anonimiseren(grens)
        verleden: dict[uuid.UUID, _Verleden] = {}
        per_swv: dict[uuid.UUID, list[uuid.UUID]] = {
            swv_id: [] for swv_id in await uow.organisaties.alle_swv_ids()
        }
        dag_behouden: dict[uuid.UUID, list[uuid.UUID]] = {}
        await uow.leerlingen.sta_anonimiseren_toe(True)
        for leerling in kandidaten:
            perioden = await uow.leerlingen.perioden_op([leerling.id], moment.date())
            periode = perioden.get(leerling.id)
            if periode is not None and periode.categorie not in GESLOTEN:
                continue
            if leerling.swv_id not in verleden:
                verleden[leerling.swv_id] = await _verleden(uow, leerling.swv_id, moment.date())
            swv = verleden[leerling.swv_id]
            feiten = await uow.leerlingen.feiten(leerling.id)
            # Decided before anything changes: the past as the identified record gives it.
            geboortedag = _geboortedag_na_anonimiseren(leerling, feiten, swv)
            if geboortedag not in (None, 1):
                dag_behouden.setdefault(leerling.swv_id, []).append(leerling.id)
            leerling.pseudoniem = _pseudoniem(leerling.id)
            await uow.monitor.vergeet_aliassen(leerling.id)  # old codes lead back to the child
            leerling.naam_versleuteld = None
            leerling.adres_versleuteld = None
            leerling.bsn_versleuteld = None
            leerling.bsn_zoekhash = None
            leerling.geboortedag = geboortedag
            leerling.geanonimiseerd_op = moment
            await uow.flush()  # the facts' trigger checks that the child is anonymised
            for feit in feiten:
                schoon = zonder_vrije_tekst(feit.payload, feit.soort)
                if schoon != feit.payload:
                    feit.payload = schoon
                if feit.bron_referentie is not None:
                    feit.bron_referentie = None
            # Escalations: their free text (reasons, motivation, names) and references go;
            # roles, dates and decisions stay.
            for escalatie in await uow.escalaties.van_leerling(leerling.id):
                escalatie.bron_referentie = None
            for stap in await uow.escalaties.stappen_van_leerling(leerling.id):
                stap.toelichting = None
                stap.bron_referentie = None
            await uow.tlv.wis_vrije_tekst(leerling.id)
            await meldingen.blank_vrije_tekst(uow, leerling.id)
            await casussen.blank_vrije_tekst(uow, leerling.id)
            await uow.taken.wis_toelichting(leerling.id)  # outcomes and reasons of tasks
            await uow.leerplichtleveringen.vergeet(leerling.id)
            await projectie.projecteer(uow, leerling, swv.context, feiten, moment.date())
            per_swv.setdefault(leerling.swv_id, []).append(leerling.id)
        await uow.flush()
        await uow.leerlingen.sta_anonimiseren_toe(False)
        for swv_id, ids in sorted(per_swv.items()):
            await uow.audit.schrijf(_onderhoudsregel(swv_id, ANONIMISEREN, ids))
        for swv_id, ids in sorted(dag_behouden.items()):
            await uow.audit.schrijf(_onderhoudsregel(swv_id, GEBOORTEDAG_BEHOUDEN, ids))
        await uow.commit()
        return sum(len(ids) for ids in per_swv.values())


def _onderhoudsregel(swv_id: uuid.UUID, handeling: str, ids: list[uuid.UUID]) -> AuditRegel:
    """One audit row of a maintenance run: the kind of change and every child it touched."""
    return AuditRegel(
        swv_id=swv_id,
        actor_id=ONDERHOUD,
        actor_rol="systeem",
        handeling=handeling,
        route=ONDERHOUD_ROUTE,
        leerling_id=None,
        getoonde_leerlingen=sorted(ids) or None,
        resultaat="toegestaan",
        request_id=None,
    )


async def vergeet_idempotentie(uow: UnitOfWork, *, uren: int = 24) -> int:
    """Forget stored answers of idempotent requests older than `uren` hours."""
    async with uow.alle_swvs():
        aantal = await uow.idempotentie.ruim_op(uren)
        await uow.commit()
        return aantal
