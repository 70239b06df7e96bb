"""Use cases of escalations: doorzettingskracht → doorzettingsmacht (docs/escalaties.md).

Each step is checked by the pure machine (`app.domain.escalaties.volgende`) against the status
as of today (the database's clock) and the child's facts, then appended as a history row; the
status is always the projection of the steps. Nothing is editable after the fact. A change names
the version it was based on (`If-Match`: the escalation's ETag counts its steps). Reads audit the
child; the directeur's decision is audited under its own operation (`doorzettingsmacht:besluiten`).

No step appends a fact: the steps state agreements and decisions, not the child's education.
The decision is carried out by the `plaatsing` or `inschrijving` the school reports as usual;
`stand` derives it from the child's facts when an escalation is read (docs/escalaties.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.db.escalaties import EscalatieRow, EscalatieStapRow
from app.db.fouten import DubbeleBronReferentie
from app.db.organisaties import SwvInstellingen, SwvRow
from app.db.session import UnitOfWork
from app.domain.escalaties import (
    Aanleiding,
    Afsluiting,
    Afspraak,
    Beoordeling,
    Besluit,
    Deelnemer,
    DeelnemerRol,
    DoorzettingsmachtBij,
    Escalatie,
    EscalatieBeleid,
    EscalatieStatus,
    Geopend,
    Onderwijsfeit,
    Overleg,
    Stand,
    Stap,
    Uitgevoerd,
    UitvoeringGestart,
    Weigering,
    WeigeringSoort,
    herhaal,
    ingeschreven_op,
    onderwijsfeiten,
    stand,
    volgende,
)
from app.domain.feiten import Feit
from app.domain.toegang import Actor
from app.services import context as swv_context
from app.services import notificaties
from app.services.context import instellingen_van, klok
from app.services.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ServiceError,
)
from app.services.leerlingen import NIET_GEVONDEN as LEERLING_NIET_GEVONDEN
from app.services.pagination import Page, PageRequest
from app.services.projectie import feit_van

NIET_GEVONDEN = "Deze escalatie bestaat niet of valt buiten uw bevoegdheid."

_SOORT: dict[type, str] = {
    Geopend: "gemeld",
    Overleg: "overleg",
    Afspraak: "afspraak-gemaakt",
    UitvoeringGestart: "uitvoering-gestart",
    Beoordeling: "afspraak-beoordeeld",
    Besluit: "besluit-genomen",
    Uitgevoerd: "besluit-uitgevoerd",
    Afsluiting: "afgesloten",
}
"""The `soort` of each step in the history."""


def escalatiebeleid_van(swv: SwvRow | SwvInstellingen) -> EscalatieBeleid:
    """The SWV's escalation settings (defaults in `EscalatieBeleid`, marked as a choice)."""
    beleid = swv.beleid or {}
    standaard = EscalatieBeleid()
    return EscalatieBeleid(
        doorzettingsmacht_bij=DoorzettingsmachtBij(
            beleid.get("doorzettingsmacht_bij", standaard.doorzettingsmacht_bij)
        ),
        afspraak_termijn_dagen=int(
            beleid.get("afspraak_termijn_dagen", standaard.afspraak_termijn_dagen)
        ),
    )


# -- the stored steps and the domain's -------------------------------------------------------


def _gegevens(stap: Stap) -> dict[str, Any]:
    """The structured part of a step, as stored (no free text)."""
    if isinstance(stap, Geopend):
        return {"aanleiding": str(stap.aanleiding)}
    if isinstance(stap, Overleg):
        return {
            "gehouden": stap.gehouden,
            "ingeschreven": stap.ingeschreven,
            "deelnemers": [{"rol": str(d.rol), "aanwezig": d.aanwezig} for d in stap.deelnemers],
        }
    if isinstance(stap, Afspraak):
        return {"eigenaar": str(stap.eigenaar), "deadline": stap.deadline.isoformat()}
    if isinstance(stap, Beoordeling):
        return {
            "afspraakId": stap.afspraak_id,
            "nagekomen": stap.nagekomen,
            "metReden": stap.met_reden,
        }
    if isinstance(stap, Besluit):
        return {
            "schoolId": stap.school_id,
            "instelling": stap.instelling,
            "plaatsenUiterlijk": stap.plaatsen_uiterlijk.isoformat(),
            "metRedenVoorTermijn": stap.met_reden_voor_termijn,
        }
    return {}


def _stap_van(row: EscalatieStapRow) -> Stap:
    g, datum = row.gegevens, row.datum
    if row.soort == "gemeld":
        return Geopend(datum=datum, aanleiding=Aanleiding(g["aanleiding"]))
    if row.soort == "overleg":
        return Overleg(
            id=str(row.id),
            datum=datum,
            gehouden=bool(g["gehouden"]),
            ingeschreven=bool(g["ingeschreven"]),
            deelnemers=tuple(
                Deelnemer(DeelnemerRol(d["rol"]), bool(d["aanwezig"])) for d in g["deelnemers"]
            ),
        )
    if row.soort == "afspraak-gemaakt":
        return Afspraak(
            id=str(row.id),
            datum=datum,
            eigenaar=DeelnemerRol(g["eigenaar"]),
            deadline=date.fromisoformat(g["deadline"]),
        )
    if row.soort == "uitvoering-gestart":
        return UitvoeringGestart(datum=datum)
    if row.soort == "afspraak-beoordeeld":
        return Beoordeling(
            afspraak_id=g["afspraakId"],
            datum=datum,
            nagekomen=bool(g["nagekomen"]),
            met_reden=bool(g["metReden"]),
        )
    if row.soort == "besluit-genomen":
        return Besluit(
            datum=datum,
            school_id=g["schoolId"],
            instelling=bool(g["instelling"]),
            plaatsen_uiterlijk=date.fromisoformat(g["plaatsenUiterlijk"]),
            met_kader=True,
            met_motivering=True,
            met_reden_voor_termijn=bool(g["metRedenVoorTermijn"]),
        )
    if row.soort == "besluit-uitgevoerd":
        return Uitgevoerd(datum=datum)
    return Afsluiting(datum=datum, met_reden=True)


def _fout(weigering: Weigering) -> ServiceError:
    if weigering.soort is WeigeringSoort.ONGELDIG:
        return InvalidInput([FieldError(f.veld, f.code, f.reden) for f in weigering.fouten])
    if weigering.soort is WeigeringSoort.NIET_BEVOEGD:
        return Forbidden(weigering.reden)
    if weigering.soort is WeigeringSoort.NIET_GEVONDEN:
        return NotFound(weigering.reden)
    return Conflict(weigering.reden)


def etag(row: EscalatieRow, stappen: Sequence[EscalatieStapRow]) -> str:
    """The version of an escalation: its id and the number of its steps."""
    return f'"{row.id}-{len(stappen)}"'


def _controleer_versie(huidig: str, if_match: str | None) -> None:
    """`If-Match` is required (428; `*` protects nothing) and must name the current version (412);
    RFC 9110 13.1.1."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "Deze wijziging vraagt een If-Match-header met de ETag van de escalatie."
        )
    kandidaten = {t.strip() for t in if_match.split(",")}
    if "*" in kandidaten:
        # `*` matches any version, so it would not protect against a lost update.
        raise PreconditionRequired(
            "If-Match: * is hier niet genoeg: stuur de ETag van de escalatie zoals u haar las."
        )
    if huidig not in kandidaten:
        raise PreconditionFailed(
            "De escalatie is intussen gewijzigd: haal haar opnieuw op en gebruik de nieuwe ETag."
        )


@dataclass(frozen=True, slots=True)
class Beeld:
    """An escalation as the API shows it: its row, history, projection and status today."""

    row: EscalatieRow
    pseudoniem: str | None
    stappen: list[EscalatieStapRow]
    escalatie: Escalatie
    stand: Stand
    peildatum: date

    @property
    def etag(self) -> str:
        return etag(self.row, self.stappen)

    def stap(self, stap_id: str) -> EscalatieStapRow | None:
        return next((s for s in self.stappen if str(s.id) == stap_id), None)


def _beeld(
    row: EscalatieRow,
    stappen: list[EscalatieStapRow],
    onderwijs: Sequence[Onderwijsfeit],
    peildatum: date,
    pseudoniem: str | None = None,
) -> Beeld:
    escalatie = herhaal(_stap_van(s) for s in stappen)
    assert escalatie is not None  # noqa: S101 (every escalation is stored with its report)
    return Beeld(
        row, pseudoniem, stappen, escalatie, stand(escalatie, peildatum, onderwijs), peildatum
    )


async def _feiten(uow: UnitOfWork, leerling_id: uuid.UUID) -> list[Feit]:
    return [feit_van(f) for f in await uow.leerlingen.feiten(leerling_id)]


def _bron(actor: Actor) -> str:
    return actor.id if actor.is_systeem else f"swv:{actor.swv_id}"


def _toelichting(**teksten: str | None) -> dict[str, Any] | None:
    gegeven = {k: v for k, v in teksten.items() if v}
    return gegeven or None


# -- opening ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NieuweEscalatie:
    leerling_id: uuid.UUID
    aanleiding: Aanleiding
    gemeld_op: date | None = None
    casus_id: uuid.UUID | None = None
    toelichting: str | None = None
    bron_referentie: str | None = None


async def open_escalatie(
    uow: UnitOfWork, actor: Actor, nieuw: NieuweEscalatie
) -> tuple[Beeld, bool]:
    """Report a child to the directeur (docs/escalaties.md), enrolled or not; the same
    `bronReferentie` from the same source is the same escalation (False: not new)."""
    async with uow.voor(actor):
        kind = await uow.leerlingen.kind(actor, nieuw.leerling_id)
        if kind is None:
            raise NotFound(LEERLING_NIET_GEVONDEN)
        uow.betreft = kind.id
        bron = _bron(actor)
        vandaag = await swv_context.vandaag(uow)
        if nieuw.bron_referentie is not None:
            bestaand = await uow.escalaties.op_bron(kind.swv_id, bron, nieuw.bron_referentie)
            if bestaand is not None:
                if bestaand.leerling_id != kind.id:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere leerling.")
                stappen = await uow.escalaties.stappen(bestaand.id)
                onderwijs = onderwijsfeiten(await _feiten(uow, kind.id))
                beeld = _beeld(bestaand, stappen, onderwijs, vandaag, kind.pseudoniem)
                await uow.commit()
                return beeld, False
        stap = Geopend(datum=nieuw.gemeld_op or vandaag, aanleiding=nieuw.aanleiding)
        uitkomst = volgende(None, stap, actor.rol, vandaag)
        if isinstance(uitkomst, Weigering):
            raise _fout(uitkomst)
        nu = await klok(uow)
        row = EscalatieRow(
            id=uuid.uuid4(),
            swv_id=kind.swv_id,
            leerling_id=kind.id,
            casus_id=nieuw.casus_id,
            aanleiding=str(nieuw.aanleiding),
            geopend_op=stap.datum,
            geregistreerd_op=nu,
            geopend_door=actor.id,
            bron=bron,
            bron_referentie=nieuw.bron_referentie,
        )
        try:
            await uow.escalaties.add(row)
        except DubbeleBronReferentie:  # opened at the same moment by another request
            raise Conflict(
                "Deze bronReferentie is zojuist al gebruikt; herhaal het verzoek."
            ) from None
        stap_row = _stap_row(row, 1, stap, van=None, naar=uitkomst.status, actor=actor, nu=nu)
        stap_row.toelichting = _toelichting(toelichting=nieuw.toelichting)
        await uow.escalaties.voeg_stap_toe(stap_row)
        await _kondig_aan(uow, row, stap_row)
        onderwijs = onderwijsfeiten(await _feiten(uow, kind.id))
        beeld = _beeld(row, [stap_row], onderwijs, vandaag, kind.pseudoniem)
        await uow.commit()
        return beeld, True


async def _kondig_aan(uow: UnitOfWork, row: EscalatieRow, stap: EscalatieStapRow) -> None:
    """A step's event (`escalatie.<stap>`) in the step's transaction; ids and kinds only."""
    data: dict[str, Any] = {
        "escalatieId": str(row.id),
        "leerlingId": str(row.leerling_id),
        "stapId": str(stap.id),
        "status": stap.naar_status,
    }
    if stap.van_status is not None:
        data["vorigeStatus"] = stap.van_status
    if "deadline" in stap.gegevens:
        data["deadline"] = stap.gegevens["deadline"]
    if "plaatsenUiterlijk" in stap.gegevens:
        data["plaatsenUiterlijk"] = stap.gegevens["plaatsenUiterlijk"]
    await notificaties.publiceer(
        uow,
        row.swv_id,
        f"escalatie.{stap.soort}",
        row.id,
        nu=stap.geregistreerd_op,
        leerling_id=row.leerling_id,
        data=data,
    )


def _stap_row(
    row: EscalatieRow,
    volgnummer: int,
    stap: Stap,
    *,
    van: EscalatieStatus | None,
    naar: EscalatieStatus,
    actor: Actor,
    nu: Any,
    stap_id: uuid.UUID | None = None,
    bron_referentie: str | None = None,
) -> EscalatieStapRow:
    return EscalatieStapRow(
        id=stap_id or uuid.uuid4(),
        escalatie_id=row.id,
        swv_id=row.swv_id,
        volgnummer=volgnummer,
        soort=_SOORT[type(stap)],
        datum=stap.datum,
        van_status=None if van is None else str(van),
        naar_status=str(naar),
        geregistreerd_op=nu,
        actor_id=actor.id,
        actor_rol=str(actor.rol),
        gegevens=_gegevens(stap),
        toelichting=None,
        bron_referentie=bron_referentie,
    )


# -- steps -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What a step is built from: the escalation, today, the child's facts, the SWV."""

    escalatie: Escalatie
    vandaag: date
    feiten: list[Feit]
    beleid: EscalatieBeleid
    swv_id: uuid.UUID


Maak = Callable[[uuid.UUID, Context], Stap]


@dataclass(frozen=True, slots=True)
class Gezet:
    """The escalation after a step, and the step (`nieuw` False: a repeated bronReferentie)."""

    beeld: Beeld
    stap: EscalatieStapRow
    nieuw: bool


async def _zet_stap(  # noqa: PLR0917 (each argument is one part of every step)
    uow: UnitOfWork,
    actor: Actor,
    escalatie_id: uuid.UUID,
    soort: str,
    maak: Maak,
    if_match: str | None,
    bron_referentie: str | None,
    toelichting: dict[str, Any] | None,
    controleer: Callable[[UnitOfWork, Context, Stap], Any] | None = None,
) -> Gezet:
    """Load, check against the machine as of today, append the step, commit: one transaction,
    under a row lock on the escalation so concurrent steps are serialised."""
    async with uow.voor(actor):
        row = await uow.escalaties.get(actor, escalatie_id, lock=True)
        if row is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = row.leerling_id
        vandaag = await swv_context.vandaag(uow)
        feiten = await _feiten(uow, row.leerling_id)
        onderwijs = onderwijsfeiten(feiten)
        stappen = await uow.escalaties.stappen(row.id)
        if bron_referentie is not None:
            bestaand = await uow.escalaties.stap_op_bron(row.id, bron_referentie)
            if bestaand is not None:
                if bestaand.soort != soort:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een andere stap.")
                beeld = _beeld(row, stappen, onderwijs, vandaag)
                await uow.commit()
                return Gezet(beeld, bestaand, False)
        _controleer_versie(etag(row, stappen), if_match)
        escalatie = herhaal(_stap_van(s) for s in stappen)
        assert escalatie is not None  # noqa: S101 (every escalation is stored with its report)
        swv = await instellingen_van(uow, actor)
        context = Context(escalatie, vandaag, feiten, escalatiebeleid_van(swv), swv.id)
        stap_id = uuid.uuid4()
        stap = maak(stap_id, context)
        uitkomst = volgende(escalatie, stap, actor.rol, vandaag, onderwijs)
        if isinstance(uitkomst, Weigering):
            raise _fout(uitkomst)
        if controleer is not None:
            await controleer(uow, context, stap)
        van = stand(escalatie, vandaag, onderwijs).status
        naar = stand(uitkomst, vandaag, onderwijs).status
        nu = await klok(uow)
        stap_row = _stap_row(
            row,
            len(stappen) + 1,
            stap,
            van=van,
            naar=naar,
            actor=actor,
            nu=nu,
            stap_id=stap_id,
            bron_referentie=bron_referentie,
        )
        stap_row.toelichting = toelichting
        try:
            await uow.escalaties.voeg_stap_toe(stap_row)
        except DubbeleBronReferentie:  # the escalation's row lock makes this unlikely
            raise Conflict(
                "Deze bronReferentie is zojuist al gebruikt; herhaal het verzoek."
            ) from None
        await _kondig_aan(uow, row, stap_row)
        beeld = _beeld(row, [*stappen, stap_row], onderwijs, vandaag)
        await uow.commit()
        return Gezet(beeld, stap_row, True)


@dataclass(frozen=True, slots=True)
class NieuwOverleg:
    datum: date
    gehouden: bool
    deelnemers: tuple[tuple[DeelnemerRol, bool, str | None], ...]
    """(role, took part, organisation name)."""
    verslag: str | None = None
    bron_referentie: str | None = None


async def leg_overleg_vast(
    uow: UnitOfWork,
    actor: Actor,
    escalatie_id: uuid.UUID,
    overleg: NieuwOverleg,
    *,
    if_match: str | None,
) -> Gezet:
    """An overleg planned or held; held only with ouders, school van inschrijving (of an
    enrolled child), leerplichtambtenaar and SWV present or invited (docs/escalaties.md E1)."""

    def maak(stap_id: uuid.UUID, c: Context) -> Stap:
        return Overleg(
            id=str(stap_id),
            datum=overleg.datum,
            gehouden=overleg.gehouden,
            deelnemers=tuple(Deelnemer(rol, aanwezig) for rol, aanwezig, _ in overleg.deelnemers),
            ingeschreven=ingeschreven_op(c.feiten, overleg.datum),
        )

    organisaties = [o or "" for _, _, o in overleg.deelnemers]
    toelichting: dict[str, Any] | None = _toelichting(verslag=overleg.verslag)
    if any(organisaties):
        toelichting = {**(toelichting or {}), "organisaties": organisaties}
    return await _zet_stap(
        uow,
        actor,
        escalatie_id,
        "overleg",
        maak,
        if_match,
        overleg.bron_referentie,
        toelichting,
    )


@dataclass(frozen=True, slots=True)
class NieuweAfspraak:
    datum: date | None
    eigenaar: DeelnemerRol
    eigenaar_organisatie: str | None
    omschrijving: str
    deadline: date | None = None
    bron_referentie: str | None = None


async def maak_afspraak(
    uow: UnitOfWork,
    actor: Actor,
    escalatie_id: uuid.UUID,
    afspraak: NieuweAfspraak,
    *,
    if_match: str | None,
) -> Gezet:
    """A concrete agreement with an owner and a deadline; without a deadline the SWV's
    default term applies (docs/escalaties.md regel E2; the default is a choice)."""

    def maak(stap_id: uuid.UUID, c: Context) -> Stap:
        datum = afspraak.datum or c.vandaag
        termijn = timedelta(days=c.beleid.afspraak_termijn_dagen)
        return Afspraak(
            id=str(stap_id),
            datum=datum,
            eigenaar=afspraak.eigenaar,
            deadline=afspraak.deadline or datum + termijn,
        )

    return await _zet_stap(
        uow,
        actor,
        escalatie_id,
        "afspraak-gemaakt",
        maak,
        if_match,
        afspraak.bron_referentie,
        _toelichting(
            omschrijving=afspraak.omschrijving,
            eigenaarOrganisatie=afspraak.eigenaar_organisatie,
        ),
    )


async def beoordeel_afspraak(
    uow: UnitOfWork,
    actor: Actor,
    escalatie_id: uuid.UUID,
    afspraak_id: uuid.UUID,
    *,
    nagekomen: bool,
    reden: str | None,
    datum: date | None,
    if_match: str | None,
    bron_referentie: str | None = None,
) -> Gezet:
    """An agreement marked kept or not kept; not kept needs a reason; never changed after."""

    def maak(_stap_id: uuid.UUID, c: Context) -> Stap:
        return Beoordeling(
            afspraak_id=str(afspraak_id),
            datum=datum or c.vandaag,
            nagekomen=nagekomen,
            met_reden=bool(reden),
        )

    return await _zet_stap(
        uow,
        actor,
        escalatie_id,
        "afspraak-beoordeeld",
        maak,
        if_match,
        bron_referentie,
        _toelichting(reden=reden),
    )


@dataclass(frozen=True, slots=True)
class Overgang:
    """A step without details of its own: to execution, carried out, closed."""

    naar: EscalatieStatus
    reden: str | None = None
    datum: date | None = None
    bron_referentie: str | None = None


OVERGANGEN = (
    EscalatieStatus.IN_UITVOERING,
    EscalatieStatus.BESLUIT_UITGEVOERD,
    EscalatieStatus.AFGESLOTEN,
)


async def wijzig_status(
    uow: UnitOfWork,
    actor: Actor,
    escalatie_id: uuid.UUID,
    overgang: Overgang,
    *,
    if_match: str | None,
) -> Gezet:
    """To execution (only with an agreement), a decision for an institution carried out, or
    closed with a reason (docs/escalaties.md regel E2)."""
    if overgang.naar not in OVERGANGEN:
        raise InvalidInput(
            [
                FieldError(
                    "status", "ongeldig", "Kies in-uitvoering, besluit-uitgevoerd of afgesloten."
                )
            ]
        )

    def maak(_stap_id: uuid.UUID, c: Context) -> Stap:
        datum = overgang.datum or c.vandaag
        if overgang.naar is EscalatieStatus.IN_UITVOERING:
            return UitvoeringGestart(datum=datum)
        if overgang.naar is EscalatieStatus.BESLUIT_UITGEVOERD:
            return Uitgevoerd(datum=datum)
        return Afsluiting(datum=datum, met_reden=bool(overgang.reden))

    soort = {
        EscalatieStatus.IN_UITVOERING: "uitvoering-gestart",
        EscalatieStatus.BESLUIT_UITGEVOERD: "besluit-uitgevoerd",
        EscalatieStatus.AFGESLOTEN: "afgesloten",
    }[overgang.naar]
    return await _zet_stap(
        uow,
        actor,
        escalatie_id,
        soort,
        maak,
        if_match,
        overgang.bron_referentie,
        _toelichting(reden=overgang.reden),
    )


@dataclass(frozen=True, slots=True)
class NieuwBesluit:
    school_id: uuid.UUID | None
    instelling: str | None
    kader: str
    motivering: str
    plaatsen_uiterlijk: date
    reden_voor_termijn: str | None = None
    bron_referentie: str | None = None


async def besluit(
    uow: UnitOfWork,
    actor: Actor,
    escalatie_id: uuid.UUID,
    nieuw: NieuwBesluit,
    *,
    if_match: str | None,
) -> Gezet:
    """The directeur's binding decision: which school or institution offers the child a place,
    by when, within which frame; before any deadline passed, with a reason (regel E5)."""

    def maak(_stap_id: uuid.UUID, c: Context) -> Stap:
        return Besluit(
            datum=c.vandaag,
            school_id=None if nieuw.school_id is None else str(nieuw.school_id),
            instelling=bool(nieuw.instelling),
            plaatsen_uiterlijk=nieuw.plaatsen_uiterlijk,
            met_kader=bool(nieuw.kader.strip()),
            met_motivering=bool(nieuw.motivering.strip()),
            met_reden_voor_termijn=bool(nieuw.reden_voor_termijn),
        )

    async def controleer(uow: UnitOfWork, c: Context, _stap: Stap) -> None:
        if nieuw.school_id is not None and await uow.scholen.get(c.swv_id, nieuw.school_id) is None:
            raise InvalidInput(
                [FieldError("schoolId", "onbekend", "Deze vestiging bestaat niet in uw SWV.")]
            )

    return await _zet_stap(
        uow,
        actor,
        escalatie_id,
        "besluit-genomen",
        maak,
        if_match,
        nieuw.bron_referentie,
        _toelichting(
            kader=nieuw.kader,
            motivering=nieuw.motivering,
            instelling=nieuw.instelling,
            redenVoorTermijn=nieuw.reden_voor_termijn,
        ),
        controleer,
    )


# -- reading ---------------------------------------------------------------------------------


async def haal_escalatie(
    uow: UnitOfWork, actor: Actor, escalatie_id: uuid.UUID, *, peildatum: date | None = None
) -> Beeld:
    """One escalation in scope with its history and status as of `peildatum` (default today);
    missing and out of scope answer alike."""
    async with uow.voor(actor):
        row = await uow.escalaties.get(actor, escalatie_id)
        if row is None:
            raise NotFound(NIET_GEVONDEN)
        uow.betreft = row.leerling_id
        dag = peildatum or await swv_context.vandaag(uow)
        stappen = await uow.escalaties.stappen(row.id)
        onderwijs = onderwijsfeiten(await _feiten(uow, row.leerling_id))
        beeld = _beeld(row, stappen, onderwijs, dag)
        await uow.commit()  # the audit row of this read
        return beeld


@dataclass(frozen=True, slots=True)
class Filter:
    statussen: tuple[EscalatieStatus, ...] | None = None
    verlopen: bool | None = None
    """True: only with an overdue agreement or decision (a signal); False: only without."""
    leerling_id: uuid.UUID | None = None
    peildatum: date | None = None


async def lijst_escalaties(
    uow: UnitOfWork, actor: Actor, filter_: Filter, page: PageRequest
) -> tuple[Page[Beeld], date]:
    """The directeur's overview: every escalation in scope with its status and overdue
    agreements as of `peildatum` (default today), filtered on status and overdue."""
    async with uow.voor(actor):
        dag = filter_.peildatum or await swv_context.vandaag(uow)
        rows = await uow.escalaties.lijst(actor, leerling_id=filter_.leerling_id)
        stappen = await uow.escalaties.stappen_van([r.id for r, _ in rows])
        feiten = await uow.leerlingen.feiten_van(list({r.leerling_id for r, _ in rows}))
        onderwijs = {
            leerling_id: onderwijsfeiten(feit_van(f) for f in lijst)
            for leerling_id, lijst in feiten.items()
        }
        gevonden = []
        for row, pseudoniem in rows:
            beeld = _beeld(
                row, stappen.get(row.id, []), onderwijs.get(row.leerling_id, ()), dag, pseudoniem
            )
            if filter_.statussen and beeld.stand.status not in filter_.statussen:
                continue
            if filter_.verlopen is not None and bool(beeld.stand.signalen) != filter_.verlopen:
                continue
            gevonden.append(beeld)
        items = gevonden[page.offset : page.offset + page.page_size]
        uow.getoond = list(dict.fromkeys(b.row.leerling_id for b in items))
        await uow.commit()
        return Page(items, page.page, page.page_size, len(gevonden)), dag
