"""Escalations: doorzettingskracht → doorzettingsmacht (docs/escalaties.md)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from pydantic import Field, model_validator

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import EERSTE_DATUM, LAATSTE_DATUM, ApiInput, ApiModel, Paginering
from app.db.escalaties import EscalatieRow, EscalatieStapRow
from app.domain.escalaties import (
    Aanleiding,
    DeelnemerRol,
    EscalatieSignaal,
    EscalatieStatus,
    ontbrekende_deelnemers,
)
from app.domain.toegang import Actor, Operatie
from app.services import escalaties as service

router = APIRouter(prefix="/escalaties", tags=["Escalaties"])

Lezer = Annotated[Actor, toegang(Operatie.ESCALATIE_LEZEN)]
Behandelaar = Annotated[Actor, toegang(Operatie.ESCALATIE_BEHANDELEN)]
Directeur = Annotated[Actor, toegang(Operatie.DOORZETTINGSMACHT_BESLUITEN)]
EscalatieId = Annotated[uuid.UUID, Path(alias="escalatieId", description="Id van de escalatie.")]
AfspraakId = Annotated[uuid.UUID, Path(alias="afspraakId", description="Id van de afspraak.")]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Verplicht: de `ETag` van de escalatie zoals u haar het laatst ophaalde. "
        "Zonder deze header 428, met een verouderde 412.",
    ),
]
Peildatum = Annotated[
    date | None,
    Query(
        description="De dag waartegen termijnen worden afgezet (JJJJ-MM-DD); standaard vandaag.",
        ge=EERSTE_DATUM,
        le=LAATSTE_DATUM,
    ),
]
Tekst = Annotated[str, Field(min_length=1, max_length=2000)]
Naam = Annotated[str, Field(min_length=1, max_length=200)]
BronReferentie = Field(
    default=None,
    min_length=1,
    max_length=200,
    description="Eigen kenmerk van het bronsysteem; dezelfde referentie is dezelfde stap.",
)
STAP_PROBLEMEN = problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428)


# -- schemas ---------------------------------------------------------------------------------


class EscalatieInvoer(ApiInput):
    """A child reported to the directeur of the SWV (docs/escalaties.md)."""

    leerling_id: uuid.UUID = Field(description="De leerling, ingeschreven of niet.")
    aanleiding: Aanleiding = Field(
        description="Melding van de begeleider, verzoek van leerplicht, of het doorbraakoverleg "
        "van het Regioloket."
    )
    gemeld_op: date | None = Field(
        default=None, ge=EERSTE_DATUM, description="Dag van de melding; standaard vandaag."
    )
    casus_id: uuid.UUID | None = Field(default=None, description="De casus, als die er is.")
    toelichting: Tekst | None = Field(default=None, description="Vrije tekst (nooit in exports).")
    bron_referentie: str | None = BronReferentie


class DeelnemerInvoer(ApiInput):
    rol: DeelnemerRol
    aanwezig: bool = Field(description="true: nam deel; false: was uitgenodigd.")
    organisatie: Naam | None = Field(default=None, description="Naam van de organisatie.")


class OverlegInvoer(ApiInput):
    """An overleg planned (`gehouden` false) or held, with its participants."""

    datum: date = Field(ge=EERSTE_DATUM, le=LAATSTE_DATUM)
    gehouden: bool
    deelnemers: list[DeelnemerInvoer] = Field(max_length=50)
    verslag: Tekst | None = None
    bron_referentie: str | None = BronReferentie


class AfspraakInvoer(ApiInput):
    """A concrete agreement: what, who (role and organisation), by when."""

    omschrijving: Tekst
    eigenaar: DeelnemerRol = Field(description="Wie de afspraak uitvoert (rol).")
    eigenaar_organisatie: Naam | None = None
    gemaakt_op: date | None = Field(
        default=None, ge=EERSTE_DATUM, description="Dag van de afspraak; standaard vandaag."
    )
    deadline: date | None = Field(
        default=None,
        le=LAATSTE_DATUM,
        description="Termijn; standaard de afspraaktermijn van het SWV na de afspraak.",
    )
    bron_referentie: str | None = BronReferentie


class BeoordelingInvoer(ApiInput):
    nagekomen: bool
    reden: Tekst | None = Field(default=None, description="Verplicht als niet nagekomen.")
    beoordeeld_op: date | None = Field(
        default=None, ge=EERSTE_DATUM, description="Dag van de beoordeling; standaard vandaag."
    )
    bron_referentie: str | None = BronReferentie


class StatuswijzigingInvoer(ApiInput):
    """To execution, a decision for an institution carried out, or closed (with a reason)."""

    status: Literal["in-uitvoering", "besluit-uitgevoerd", "afgesloten"] = Field(
        description="in-uitvoering, besluit-uitgevoerd (alleen bij een instelling) of afgesloten."
    )
    reden: Tekst | None = Field(default=None, description="Verplicht bij afsluiten.")
    met_ingang_van: date | None = Field(
        default=None, ge=EERSTE_DATUM, description="Dag van de wijziging; standaard vandaag."
    )
    bron_referentie: str | None = BronReferentie


class BesluitInvoer(ApiInput):
    """The directeur's binding decision (docs/escalaties.md regel E5): give exactly one of
    `schoolId` and `instelling`."""

    school_id: uuid.UUID | None = Field(default=None, description="Aangewezen vestiging.")
    instelling: Naam | None = Field(default=None, description="Aangewezen instelling.")
    kader: Tekst = Field(description="Het kader waarbinnen besloten is.")
    motivering: Tekst
    plaatsen_uiterlijk: date = Field(le=LAATSTE_DATUM, description="Plaatsen uiterlijk op.")
    reden_voor_termijn: Tekst | None = Field(
        default=None,
        description="Verplicht zolang geen termijn van een afspraak is verstreken.",
    )
    bron_referentie: str | None = BronReferentie

    @model_validator(mode="after")
    def _precies_een(self) -> BesluitInvoer:
        if (self.school_id is None) == (self.instelling is None):
            raise ValueError("geef precies één van schoolId en instelling")
        return self


class OverlegDeelnemer(ApiModel):
    rol: DeelnemerRol
    aanwezig: bool
    organisatie: str | None


class OverlegUit(ApiModel):
    id: uuid.UUID
    datum: date
    gehouden: bool
    deelnemers: list[OverlegDeelnemer]
    ontbrekend: list[DeelnemerRol] = Field(
        description="Verplichte deelnemers die niet deelnamen en niet waren uitgenodigd."
    )
    verslag: str | None


class Beoordeling(ApiModel):
    datum: date
    nagekomen: bool
    reden: str | None


class AfspraakUit(ApiModel):
    id: uuid.UUID
    datum: date
    omschrijving: str | None
    eigenaar: DeelnemerRol
    eigenaar_organisatie: str | None
    deadline: date
    verlopen: bool = Field(description="Termijn verstreken en niet nagekomen (op de peildatum).")
    beoordeling: Beoordeling | None


class Uitvoering(ApiModel):
    soort: str = Field(description="plaatsing of inschrijving bij de aangewezen school.")
    datum: date


class BesluitUit(ApiModel):
    datum: date
    school_id: uuid.UUID | None
    instelling: str | None
    kader: str | None
    motivering: str | None
    plaatsen_uiterlijk: date
    reden_voor_termijn: str | None
    uitgevoerd_met: Uitvoering | None


class EscalatieKern(ApiModel):
    """An escalation in the overview: its status as of the peildatum and what is overdue."""

    id: uuid.UUID
    leerling_id: uuid.UUID
    casus_id: uuid.UUID | None
    aanleiding: Aanleiding
    gemeld_op: date
    status: EscalatieStatus = Field(description="Status op de peildatum.")
    signalen: list[EscalatieSignaal]
    verlopen_afspraken: list[uuid.UUID]
    eerstvolgende_deadline: date | None = Field(
        description="De vroegste termijn van een nog niet beoordeelde afspraak."
    )
    plaatsen_uiterlijk: date | None


class EscalatieInLijst(EscalatieKern):
    pseudoniem: str | None


class EscalatieUit(EscalatieKern):
    """An escalation with its overleggen, afspraken and besluit."""

    peildatum: date
    toelichting: str | None
    overleggen: list[OverlegUit]
    afspraken: list[AfspraakUit]
    besluit: BesluitUit | None


class EscalatieLijst(ApiModel):
    peildatum: date
    data: list[EscalatieInLijst]
    paginering: Paginering


class EscalatieStap(ApiModel):
    """One step in the escalation's history: who, when, from, to, what."""

    id: uuid.UUID
    volgnummer: int
    soort: str
    datum: date
    van_status: EscalatieStatus | None
    naar_status: EscalatieStatus
    geregistreerd_op: datetime
    actor_rol: str
    gegevens: dict[str, Any]
    toelichting: dict[str, Any] | None


class StappenLijst(ApiModel):
    data: list[EscalatieStap]


class EscalatieInzage(ApiModel):
    """An escalation of the child with its whole history (AVG art. 15 inzage)."""

    id: uuid.UUID
    aanleiding: Aanleiding
    gemeld_op: date
    casus_id: uuid.UUID | None
    stappen: list[EscalatieStap]


# -- conversions -----------------------------------------------------------------------------


def _tekst(row: EscalatieStapRow | None, sleutel: str) -> Any:
    return None if row is None or row.toelichting is None else row.toelichting.get(sleutel)


def _kern(beeld: service.Beeld) -> dict[str, Any]:
    e, s = beeld.escalatie, beeld.stand
    open_termijnen = [a.deadline for a in e.afspraken if e.beoordeling(a.id) is None]
    return {
        "id": beeld.row.id,
        "leerling_id": beeld.row.leerling_id,
        "casus_id": beeld.row.casus_id,
        "aanleiding": Aanleiding(beeld.row.aanleiding),
        "gemeld_op": e.geopend_op,
        "status": s.status,
        "signalen": list(s.signalen),
        "verlopen_afspraken": [uuid.UUID(a.id) for a in s.verlopen],
        "eerstvolgende_deadline": min(open_termijnen, default=None),
        "plaatsen_uiterlijk": e.besluit.plaatsen_uiterlijk if e.besluit else None,
    }


def escalatie_antwoord(beeld: service.Beeld) -> EscalatieUit:
    e, s = beeld.escalatie, beeld.stand
    verlopen = {a.id for a in s.verlopen}
    overleggen = []
    for o in e.overleggen:
        row = beeld.stap(o.id)
        organisaties = _tekst(row, "organisaties") or []
        overleggen.append(
            OverlegUit(
                id=uuid.UUID(o.id),
                datum=o.datum,
                gehouden=o.gehouden,
                deelnemers=[
                    OverlegDeelnemer(
                        rol=d.rol,
                        aanwezig=d.aanwezig,
                        organisatie=(organisaties[i] or None) if i < len(organisaties) else None,
                    )
                    for i, d in enumerate(o.deelnemers)
                ],
                ontbrekend=list(ontbrekende_deelnemers(o)),
                verslag=_tekst(row, "verslag"),
            )
        )
    afspraken = []
    for a in e.afspraken:
        row = beeld.stap(a.id)
        b = e.beoordeling(a.id)
        b_row = next(
            (
                r
                for r in beeld.stappen
                if r.soort == "afspraak-beoordeeld" and r.gegevens.get("afspraakId") == a.id
            ),
            None,
        )
        afspraken.append(
            AfspraakUit(
                id=uuid.UUID(a.id),
                datum=a.datum,
                omschrijving=_tekst(row, "omschrijving"),
                eigenaar=a.eigenaar,
                eigenaar_organisatie=_tekst(row, "eigenaarOrganisatie"),
                deadline=a.deadline,
                verlopen=a.id in verlopen,
                beoordeling=Beoordeling(
                    datum=b.datum, nagekomen=b.nagekomen, reden=_tekst(b_row, "reden")
                )
                if b
                else None,
            )
        )
    besluit = None
    if e.besluit is not None:
        b_row = next((r for r in beeld.stappen if r.soort == "besluit-genomen"), None)
        uit = s.uitgevoerd_met
        besluit = BesluitUit(
            datum=e.besluit.datum,
            school_id=uuid.UUID(e.besluit.school_id) if e.besluit.school_id else None,
            instelling=_tekst(b_row, "instelling"),
            kader=_tekst(b_row, "kader"),
            motivering=_tekst(b_row, "motivering"),
            plaatsen_uiterlijk=e.besluit.plaatsen_uiterlijk,
            reden_voor_termijn=_tekst(b_row, "redenVoorTermijn"),
            uitgevoerd_met=Uitvoering(soort=uit.soort, datum=uit.datum) if uit else None,
        )
    return EscalatieUit(
        **_kern(beeld),
        peildatum=beeld.peildatum,
        toelichting=_tekst(beeld.stappen[0], "toelichting"),
        overleggen=overleggen,
        afspraken=afspraken,
        besluit=besluit,
    )


def inzage_van(row: EscalatieRow, stappen: list[EscalatieStapRow]) -> EscalatieInzage:
    return EscalatieInzage(
        id=row.id,
        aanleiding=Aanleiding(row.aanleiding),
        gemeld_op=row.geopend_op,
        casus_id=row.casus_id,
        stappen=[_stap(s) for s in stappen],
    )


def _stap(row: EscalatieStapRow) -> EscalatieStap:
    return EscalatieStap(
        id=row.id,
        volgnummer=row.volgnummer,
        soort=row.soort,
        datum=row.datum,
        van_status=EscalatieStatus(row.van_status) if row.van_status else None,
        naar_status=EscalatieStatus(row.naar_status),
        geregistreerd_op=row.geregistreerd_op,
        actor_rol=row.actor_rol,
        gegevens=row.gegevens,
        toelichting=row.toelichting,
    )


def _antwoord(gezet: service.Gezet) -> tuple[int, Any, dict[str, str]]:
    body = escalatie_antwoord(gezet.beeld).model_dump(mode="json", by_alias=True)
    headers = {
        "ETag": gezet.beeld.etag,
        "Content-Location": f"/v1/escalaties/{gezet.beeld.row.id}",
    }
    return (201 if gezet.nieuw else 200), body, headers


def _al_ontvangen() -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": "Deze stap was al ontvangen (bronReferentie)", "model": EscalatieUit}
    }


# -- routes ----------------------------------------------------------------------------------


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalatieUit,
    summary="Meld een leerling bij de directeur (doorzettingskracht)",
    description="Ook voor een leerling die nergens is ingeschreven, en voor het "
    "doorbraakoverleg van het Regioloket. Dezelfde `bronReferentie` van hetzelfde bronsysteem "
    "geeft 200 met de eerder geopende escalatie.",
    responses={
        200: {"description": "Deze escalatie was al geopend", "model": EscalatieUit},
        **problem_responses(400, 401, 403, 404, 409, 413, 422),
    },
)
async def create_escalatie(
    invoer: EscalatieInvoer, actor: Behandelaar, uow: UowDep, idempotency: IdempotencyDep
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        beeld, nieuw = await service.open_escalatie(
            uow,
            actor,
            service.NieuweEscalatie(
                leerling_id=invoer.leerling_id,
                aanleiding=invoer.aanleiding,
                gemeld_op=invoer.gemeld_op,
                casus_id=invoer.casus_id,
                toelichting=invoer.toelichting,
                bron_referentie=invoer.bron_referentie,
            ),
        )
        body = escalatie_antwoord(beeld).model_dump(mode="json", by_alias=True)
        headers = {"Location": f"/v1/escalaties/{beeld.row.id}", "ETag": beeld.etag}
        return (201 if nieuw else 200), body, headers

    return await idempotency.run(uow, actor, handle)


@router.get(
    "",
    response_model=EscalatieLijst,
    summary="Overzicht van de escalaties met hun status en verlopen afspraken",
    description="Voor de directeur en het SWV: elke escalatie binnen uw bevoegdheid, met de "
    "status op de peildatum. `verlopen=true` toont alleen escalaties met een verstreken "
    "termijn of een niet uitgevoerd besluit.",
    responses=problem_responses(400, 401, 403),
)
async def list_escalaties(
    request: Request,
    response: Response,
    actor: Lezer,
    uow: UowDep,
    page: PageDep,
    status_: Annotated[
        list[EscalatieStatus] | None,
        Query(alias="status", description="Alleen deze status(sen) op de peildatum."),
    ] = None,
    verlopen: Annotated[
        bool | None,
        Query(description="Alleen met (true) of zonder (false) verstreken termijn."),
    ] = None,
    leerling_id: Annotated[
        uuid.UUID | None, Query(alias="leerlingId", description="Alleen van deze leerling.")
    ] = None,
    peildatum: Peildatum = None,
) -> EscalatieLijst:
    result, dag = await service.lijst_escalaties(
        uow,
        actor,
        service.Filter(
            statussen=tuple(status_) if status_ else None,
            verlopen=verlopen,
            leerling_id=leerling_id,
            peildatum=peildatum,
        ),
        page,
    )
    return EscalatieLijst(
        peildatum=dag,
        data=[EscalatieInLijst(**_kern(b), pseudoniem=b.pseudoniem) for b in result.items],
        paginering=paginate(request, response, result),
    )


@router.get(
    "/{escalatieId}",
    response_model=EscalatieUit,
    summary="Eén escalatie met overleggen, afspraken en besluit, met ETag",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_escalatie(
    escalatie_id: EscalatieId,
    actor: Lezer,
    uow: UowDep,
    response: Response,
    peildatum: Peildatum = None,
) -> EscalatieUit:
    beeld = await service.haal_escalatie(uow, actor, escalatie_id, peildatum=peildatum)
    response.headers["ETag"] = beeld.etag
    return escalatie_antwoord(beeld)


@router.get(
    "/{escalatieId}/stappen",
    response_model=StappenLijst,
    summary="De geschiedenis van de escalatie: elke stap, wie, wanneer, van en naar",
    responses=problem_responses(400, 401, 403, 404),
)
async def list_stappen(escalatie_id: EscalatieId, actor: Lezer, uow: UowDep) -> StappenLijst:
    beeld = await service.haal_escalatie(uow, actor, escalatie_id)
    return StappenLijst(data=[_stap(s) for s in beeld.stappen])


@router.post(
    "/{escalatieId}/overleggen",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalatieUit,
    summary="Leg een overleg vast (gepland of gehouden)",
    description="Een gehouden overleg vraagt dat ouders, school van inschrijving, "
    "leerplichtambtenaar en SWV deelnamen of waren uitgenodigd; anders 400 met per ontbrekende "
    "partij een fout. Voor een leerling die op de dag van het overleg nergens is ingeschreven "
    "is de school van inschrijving niet vereist. Vraagt `If-Match`.",
    responses={**_al_ontvangen(), **STAP_PROBLEMEN},
)
async def create_overleg(
    escalatie_id: EscalatieId,
    invoer: OverlegInvoer,
    actor: Behandelaar,
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        gezet = await service.leg_overleg_vast(
            uow,
            actor,
            escalatie_id,
            service.NieuwOverleg(
                datum=invoer.datum,
                gehouden=invoer.gehouden,
                deelnemers=tuple((d.rol, d.aanwezig, d.organisatie) for d in invoer.deelnemers),
                verslag=invoer.verslag,
                bron_referentie=invoer.bron_referentie,
            ),
            if_match=if_match,
        )
        return _antwoord(gezet)

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{escalatieId}/afspraken",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalatieUit,
    summary="Leg een afspraak vast met eigenaar en termijn",
    description="Na een gehouden overleg. Zonder `deadline` geldt de afspraaktermijn van het "
    "SWV. Vraagt `If-Match`.",
    responses={**_al_ontvangen(), **STAP_PROBLEMEN},
)
async def create_afspraak(
    escalatie_id: EscalatieId,
    invoer: AfspraakInvoer,
    actor: Behandelaar,
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        gezet = await service.maak_afspraak(
            uow,
            actor,
            escalatie_id,
            service.NieuweAfspraak(
                datum=invoer.gemaakt_op,
                eigenaar=invoer.eigenaar,
                eigenaar_organisatie=invoer.eigenaar_organisatie,
                omschrijving=invoer.omschrijving,
                deadline=invoer.deadline,
                bron_referentie=invoer.bron_referentie,
            ),
            if_match=if_match,
        )
        return _antwoord(gezet)

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{escalatieId}/afspraken/{afspraakId}/beoordelingen",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalatieUit,
    summary="Beoordeel een afspraak: nagekomen of niet (met reden)",
    description="Eén keer per afspraak; een beoordeling wijzigt niet. Vraagt `If-Match`.",
    responses={**_al_ontvangen(), **STAP_PROBLEMEN},
)
async def create_beoordeling(
    escalatie_id: EscalatieId,
    afspraak_id: AfspraakId,
    invoer: BeoordelingInvoer,
    actor: Behandelaar,
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        gezet = await service.beoordeel_afspraak(
            uow,
            actor,
            escalatie_id,
            afspraak_id,
            nagekomen=invoer.nagekomen,
            reden=invoer.reden,
            datum=invoer.beoordeeld_op,
            if_match=if_match,
            bron_referentie=invoer.bron_referentie,
        )
        return _antwoord(gezet)

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{escalatieId}/statuswijzigingen",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalatieUit,
    summary="Naar uitvoering, besluit uitgevoerd (instelling) of afsluiten",
    description="`in-uitvoering` kan alleen met ten minste één afspraak met eigenaar en "
    "termijn (anders 409). Een besluit voor een school is uitgevoerd zodra de plaatsing of "
    "inschrijving bij die school is gemeld; dat hoeft niet hier. Afsluiten vraagt een reden. "
    "Vraagt `If-Match`.",
    responses={**_al_ontvangen(), **STAP_PROBLEMEN},
)
async def create_statuswijziging(
    escalatie_id: EscalatieId,
    invoer: StatuswijzigingInvoer,
    actor: Behandelaar,
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        gezet = await service.wijzig_status(
            uow,
            actor,
            escalatie_id,
            service.Overgang(
                naar=EscalatieStatus(invoer.status),
                reden=invoer.reden,
                datum=invoer.met_ingang_van,
                bron_referentie=invoer.bron_referentie,
            ),
            if_match=if_match,
        )
        return _antwoord(gezet)

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{escalatieId}/besluiten",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalatieUit,
    summary="Besluit met doorzettingsmacht (alleen de directeur)",
    description="Welke school of instelling de leerling een plek biedt, binnen welk kader, "
    "uiterlijk wanneer, met motivering. Zolang geen termijn van een afspraak is verstreken, "
    "vraagt het besluit een `redenVoorTermijn`. Vraagt `If-Match`.",
    responses={**_al_ontvangen(), **STAP_PROBLEMEN},
)
async def create_besluit(
    escalatie_id: EscalatieId,
    invoer: BesluitInvoer,
    actor: Directeur,
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        gezet = await service.besluit(
            uow,
            actor,
            escalatie_id,
            service.NieuwBesluit(
                school_id=invoer.school_id,
                instelling=invoer.instelling,
                kader=invoer.kader,
                motivering=invoer.motivering,
                plaatsen_uiterlijk=invoer.plaatsen_uiterlijk,
                reden_voor_termijn=invoer.reden_voor_termijn,
                bron_referentie=invoer.bron_referentie,
            ),
            if_match=if_match,
        )
        return _antwoord(gezet)

    return await idempotency.run(uow, actor, handle)
