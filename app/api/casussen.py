"""Casusregie: a case with a coördinator, a versioned plan van aanpak, weekly evaluations, the
scenario model, meetings, contactmomenten, consents and documents (aanpak thuiszitters §1.2,
§2.1-2.2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.meldingen import Datum, IfMatch, Tekst, etag, versie_uit
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel, Paginering
from app.db.casussen import DocumentRow, ToestemmingRow, VerslagRow
from app.domain.casussen import (
    SCENARIOVRAGEN,
    CasusActie,
    CasusSignaal,
    CasusStatus,
    Contactpartij,
    Coordinatie,
    DocumentSoort,
    OverlegSoort,
    PlanActieSoort,
)
from app.domain.feiten import Beeindigingsreden
from app.domain.toegang import Actor, Operatie
from app.services import casussen as service

router = APIRouter(prefix="/casussen", tags=["Casussen"])

CasusId = Annotated[uuid.UUID, Path(alias="casusId", description="Id van de casus.")]
Lezer = Annotated[Actor, toegang(Operatie.CASUS_LEZEN)]
Werker = Annotated[Actor, toegang(Operatie.CASUS_BIJWERKEN)]
Naam = Annotated[str, Field(min_length=1, max_length=100)]
FOUTEN_WIJZIGING = problem_responses(400, 401, 403, 404, 409, 412, 413, 428)
# 428: an If-Match that is sent must name a version (empty or `*` is not enough).
FOUTEN_TOEVOEGING = problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428)


# -- schemas ---------------------------------------------------------------------------------


class CasusInvoer(ApiInput):
    """Open a case on a child in your scope (a melding opens one itself)."""

    leerling_id: uuid.UUID
    school_id: uuid.UUID | None = Field(default=None, description="Vestiging van de casus.")
    coordinatie: Coordinatie | None = Field(
        default=None, description="Standaard de school; leerplicht als leerplicht opent."
    )
    bron_referentie: str | None = Field(default=None, min_length=1, max_length=200)


class Scenario(ApiInput):
    """The 12 questions of the scenario model (aanpak thuiszitters §1.2): send those answered."""

    probleem_vraag: Tekst | None = None
    wie_nodig: Tekst | None = None
    mogelijkheden_afspraken: Tekst | None = None
    doel: Tekst | None = None
    casuscoordinatie: Tekst | None = None
    scenarios_per_perspectief: Tekst | None = None
    randvoorwaarden: Tekst | None = None
    mandaat: Tekst | None = None
    gedrag_volgens_afspraken: Tekst | None = None
    wie_hakt_knoop_door: Tekst | None = None
    doel_gehaald: Tekst | None = None
    vervolgstap: Tekst | None = None


class ScenarioAntwoord(ApiModel):
    probleem_vraag: str | None = None
    wie_nodig: str | None = None
    mogelijkheden_afspraken: str | None = None
    doel: str | None = None
    casuscoordinatie: str | None = None
    scenarios_per_perspectief: str | None = None
    randvoorwaarden: str | None = None
    mandaat: str | None = None
    gedrag_volgens_afspraken: str | None = None
    wie_hakt_knoop_door: str | None = None
    doel_gehaald: str | None = None
    vervolgstap: str | None = None


class RegieInvoer(ApiInput):
    """Who coordinates, the mediator on a vertrouwensbreuk, the scenario record (merge)."""

    coordinatie: Coordinatie | None = None
    coordinator: Naam | None = Field(default=None, description="De casuscoördinator.")
    vertrouwensbreuk: bool | None = None
    mediator: Naam | None = Field(default=None, description="Alleen bij een vertrouwensbreuk.")
    scenario: Scenario | None = None


class PlanActieInvoer(ApiInput):
    wat: Tekst
    soort: PlanActieSoort = Field(
        description="`aangepast-programma` en `thuiswerkplan` voegen het feit `aanbod-gestart` toe."
    )
    rol: Naam = Field(description="Wie: de rol (bv. zorgcoördinator, leerplichtambtenaar).")
    organisatie: Naam
    uiterlijk: Datum
    start: Datum | None = Field(
        default=None, description="Begin van het aanbod; standaard vandaag."
    )


class PlanInvoer(ApiInput):
    doel: Tekst
    acties: list[PlanActieInvoer] = Field(min_length=1, max_length=50)


class PlanActie(ApiModel):
    wat: str
    soort: PlanActieSoort
    rol: str
    organisatie: str
    uiterlijk: date
    start: date | None


class Plan(ApiModel):
    versie: int
    doel: str
    acties: list[PlanActie]
    vastgesteld_op: datetime
    door: str


class CasusStapInvoer(ApiInput):
    actie: Literal["starten", "escaleren", "escalatie-beeindigen", "doel-behaald", "afsluiten"] = (
        Field(description="De stap; een plan stelt u vast met POST .../plannen.")
    )
    reden: Beeindigingsreden | None = Field(
        default=None, description="Bij afsluiten verplicht (docs/domain.md regel 16)."
    )
    datum: Datum | None = Field(
        default=None,
        json_schema_extra={"format": "date"},
        description="Bij `schoolgang-hersteld`: eerste dag terug; standaard vandaag.",
    )
    toelichting: Tekst | None = None


class Evaluatie(ApiInput):
    soort: Literal["evaluatie"]
    datum: Datum
    voortgang: Tekst
    doel_gehaald: bool


class VerslagDeelnemer(ApiInput):
    rol: Naam
    organisatie: Naam
    aanwezig: bool


class Afspraak(ApiInput):
    wat: Tekst
    wie: Naam
    uiterlijk: Datum


class Overleg(ApiInput):
    soort: Literal["overleg"]
    datum: Datum
    overleg: OverlegSoort
    deelnemers: list[VerslagDeelnemer] = Field(min_length=1, max_length=30)
    ouders_uitgenodigd: bool
    afspraken: list[Afspraak] = Field(default_factory=list, max_length=30)


class Contactmoment(ApiInput):
    soort: Literal["contactmoment"]
    datum: Datum
    met: Contactpartij
    samenvatting: Tekst | None = None


class VerslagInvoer(ApiInput):
    verslag: Annotated[Evaluatie | Overleg | Contactmoment, Field(discriminator="soort")]


class VerslagAntwoord(ApiModel):
    id: uuid.UUID
    soort: str
    datum: date
    gegevens: dict[str, Any]
    door: str
    vastgelegd_op: datetime


class ToestemmingInvoer(ApiInput):
    soort: DocumentSoort
    gegeven_op: Datum
    geldig_tot_en_met: Datum | None = Field(
        default=None,
        description="Laatste dag (tot en met) waarop de toestemming geldt; leeg: onbepaald.",
        json_schema_extra={"format": "date"},
    )


class ToestemmingIntrekkingInvoer(ApiInput):
    datum: Datum | None = Field(
        default=None, description="Standaard vandaag.", json_schema_extra={"format": "date"}
    )


class ToestemmingAntwoord(ApiModel):
    id: uuid.UUID
    soort: DocumentSoort
    gegeven_op: date
    geldig_tot_en_met: date | None = Field(
        description="Laatste dag (tot en met) waarop de toestemming geldt; leeg: onbepaald."
    )
    ingetrokken_op: date | None


class DocumentInvoer(ApiInput):
    """A document's metadata: where it is (e.g. an OPP in the school's system), never the file."""

    soort: DocumentSoort
    titel: str = Field(min_length=1, max_length=200)
    referentie: str = Field(min_length=1, max_length=300, description="Kenmerk in de bron.")


class DocumentAntwoord(ApiModel):
    id: uuid.UUID
    soort: DocumentSoort
    titel: str
    referentie: str
    vastgelegd_door_rol: str
    vastgelegd_op: datetime


class CasusOvergang(ApiModel):
    van: CasusStatus | None
    naar: CasusStatus
    actie: str
    door: str
    rol: str
    op: datetime
    reden: str | None


class Termijnen(ApiModel):
    evaluatie_uiterlijk: date | None = Field(
        description="Wekelijkse evaluatie (aanpak thuiszitters §2.2)."
    )
    contact_ouders_uiterlijk: date | None = Field(description="Wekelijks contact (§2.1).")
    signalen: list[CasusSignaal]


class Casus(ApiModel):
    id: uuid.UUID
    leerling_id: uuid.UUID
    melding_id: uuid.UUID | None
    school_id: uuid.UUID | None
    status: CasusStatus
    coordinatie: Coordinatie
    coordinator: str | None
    vertrouwensbreuk: bool
    mediator: str | None
    sluitreden: Beeindigingsreden | None
    geopend_op: datetime
    bron_referentie: str | None
    termijnen: Termijnen


class CasusDetail(Casus):
    scenario: ScenarioAntwoord
    plannen: list[Plan]
    verslagen: list[VerslagAntwoord]
    toestemmingen: list[ToestemmingAntwoord]
    documenten: list[DocumentAntwoord]
    geschiedenis: list[CasusOvergang]


class CasusLijst(ApiModel):
    peildatum: date
    data: list[Casus]
    paginering: Paginering


# -- conversions -----------------------------------------------------------------------------


def _camel(naam: str) -> str:
    kop, *rest = naam.split("_")
    return kop + "".join(p.capitalize() for p in rest)


def _json(data: Any) -> Any:
    if isinstance(data, dict):
        return {_camel(k): _json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json(v) for v in data]
    return data


def casus_van(item: service.CasusMetTermijnen) -> Casus:
    c, t = item.casus, item.termijnen
    return Casus(
        id=c.id,
        leerling_id=c.leerling_id,
        melding_id=c.melding_id,
        school_id=c.school_id,
        status=CasusStatus(c.status),
        coordinatie=Coordinatie(c.coordinatie),
        coordinator=c.coordinator,
        vertrouwensbreuk=c.vertrouwensbreuk,
        mediator=c.mediator,
        sluitreden=Beeindigingsreden(c.sluitreden) if c.sluitreden else None,
        geopend_op=c.geopend_op,
        bron_referentie=c.bron_referentie,
        termijnen=Termijnen(
            evaluatie_uiterlijk=t.evaluatie_uiterlijk,
            contact_ouders_uiterlijk=t.contact_ouders_uiterlijk,
            signalen=list(t.signalen),
        ),
    )


def verslag_van(v: VerslagRow) -> VerslagAntwoord:
    return VerslagAntwoord(
        id=v.id,
        soort=v.soort,
        datum=v.datum,
        gegevens=_json(v.gegevens),
        door=v.door,
        vastgelegd_op=v.vastgelegd_op,
    )


def toestemming_van(t: ToestemmingRow) -> ToestemmingAntwoord:
    return ToestemmingAntwoord(
        id=t.id,
        soort=DocumentSoort(t.soort),
        gegeven_op=t.gegeven_op,
        geldig_tot_en_met=t.geldig_tot,
        ingetrokken_op=t.ingetrokken_op,
    )


def document_van(d: DocumentRow) -> DocumentAntwoord:
    return DocumentAntwoord(
        id=d.id,
        soort=DocumentSoort(d.soort),
        titel=d.titel,
        referentie=d.referentie,
        vastgelegd_door_rol=d.vastgelegd_door_rol,
        vastgelegd_op=d.vastgelegd_op,
    )


def detail_van(d: service.CasusDetail) -> CasusDetail:
    basis = casus_van(service.CasusMetTermijnen(d.casus, d.termijnen))
    return CasusDetail(
        **basis.model_dump(),
        scenario=ScenarioAntwoord(**{k: d.casus.scenario.get(k) for k in SCENARIOVRAGEN}),
        plannen=[
            Plan(
                versie=p.versie,
                doel=p.doel,
                acties=[
                    PlanActie(
                        wat=a["wat"],
                        soort=PlanActieSoort(a["soort"]),
                        rol=a["rol"],
                        organisatie=a["organisatie"],
                        uiterlijk=date.fromisoformat(a["uiterlijk"]),
                        start=date.fromisoformat(a["start"]) if a.get("start") else None,
                    )
                    for a in p.acties
                ],
                vastgesteld_op=p.vastgesteld_op,
                door=p.door,
            )
            for p in d.plannen
        ],
        verslagen=[verslag_van(v) for v in d.verslagen],
        toestemmingen=[toestemming_van(t) for t in d.toestemmingen],
        documenten=[document_van(x) for x in d.documenten],
        geschiedenis=[
            CasusOvergang(
                van=CasusStatus(o.van) if o.van else None,
                naar=CasusStatus(o.naar),
                actie=o.actie,
                door=o.door,
                rol=o.rol,
                op=o.op,
                reden=o.reden,
            )
            for o in d.overgangen
        ],
    )


def _antwoord(response: Response, d: service.CasusDetail) -> CasusDetail:
    response.headers["ETag"] = etag(d.casus.id, d.casus.versie)
    return detail_van(d)


def _optioneel(if_match: str | None, casus_id: uuid.UUID) -> int | None:
    return None if if_match is None else versie_uit(if_match, casus_id)


# -- routes ----------------------------------------------------------------------------------


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CasusDetail,
    summary="Open een casus op een leerling (zonder melding)",
    responses={
        200: {"description": "Deze casus bestond al (bronReferentie)", "model": CasusDetail},
        **problem_responses(400, 401, 403, 409, 413, 422),
    },
)
async def create_casus(
    invoer: CasusInvoer, actor: Werker, uow: UowDep, idempotency: IdempotencyDep
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        geopend = await service.open_casus(
            uow,
            actor,
            service.NieuweCasus(
                leerling_id=invoer.leerling_id,
                school_id=invoer.school_id,
                coordinatie=invoer.coordinatie,
                bron_referentie=invoer.bron_referentie,
            ),
        )
        detail = await service.haal(uow, actor, geopend.casus.id)
        body = detail_van(detail).model_dump(mode="json", by_alias=True)
        headers = {
            "Location": f"/v1/casussen/{geopend.casus.id}",
            "ETag": etag(geopend.casus.id, detail.casus.versie),
        }
        return (201 if geopend.nieuw else 200), body, headers

    return await idempotency.run(uow, actor, handle)


@router.get(
    "",
    response_model=CasusLijst,
    summary="Casussen in uw bevoegdheid, met termijnen en signalen",
    responses=problem_responses(400, 401, 403),
)
async def list_casussen(
    request: Request,
    response: Response,
    actor: Lezer,
    uow: UowDep,
    page: PageDep,
    status_: Annotated[
        list[CasusStatus] | None, Query(alias="status", description="Alleen deze status(sen).")
    ] = None,
    school_id: Annotated[uuid.UUID | None, Query(alias="schoolId")] = None,
    leerling_id: Annotated[uuid.UUID | None, Query(alias="leerlingId")] = None,
    signaal: Annotated[
        CasusSignaal | None, Query(description="Alleen casussen met dit signaal vandaag.")
    ] = None,
) -> CasusLijst:
    result, dag = await service.lijst(
        uow,
        actor,
        service.CasusFilter(
            status=tuple(status_ or ()),
            school_id=school_id,
            leerling_id=leerling_id,
            signaal=signaal,
        ),
        page,
        None,
    )
    return CasusLijst(
        peildatum=dag,
        data=[casus_van(i) for i in result.items],
        paginering=paginate(request, response, result),
    )


@router.get(
    "/{casusId}",
    response_model=CasusDetail,
    summary="Eén casus met plan, verslagen, toestemmingen, documenten en geschiedenis",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_casus(
    casus_id: CasusId, response: Response, actor: Lezer, uow: UowDep
) -> CasusDetail:
    return _antwoord(response, await service.haal(uow, actor, casus_id))


@router.patch(
    "/{casusId}",
    response_model=CasusDetail,
    summary="Wijzig coördinatie, mediator of scenariomodel (If-Match verplicht)",
    responses=FOUTEN_WIJZIGING,
)
async def update_casus(
    casus_id: CasusId,
    invoer: RegieInvoer,
    response: Response,
    actor: Werker,
    uow: UowDep,
    if_match: IfMatch = None,
) -> CasusDetail:
    versie = versie_uit(if_match, casus_id)
    scenario = invoer.scenario.model_dump(exclude_none=True) if invoer.scenario else None
    detail = await service.wijzig_regie(
        uow,
        actor,
        casus_id,
        versie=versie,
        regie=service.Regie(
            coordinatie=invoer.coordinatie,
            coordinator=invoer.coordinator,
            vertrouwensbreuk=invoer.vertrouwensbreuk,
            mediator=invoer.mediator,
            scenario=scenario,
        ),
    )
    return _antwoord(response, detail)


@router.post(
    "/{casusId}/plannen",
    status_code=status.HTTP_201_CREATED,
    response_model=CasusDetail,
    summary="Stel een (nieuwe versie van het) plan van aanpak vast (If-Match verplicht)",
    responses=FOUTEN_WIJZIGING,
)
async def create_casus_plan(
    casus_id: CasusId,
    invoer: PlanInvoer,
    response: Response,
    actor: Werker,
    uow: UowDep,
    if_match: IfMatch = None,
) -> CasusDetail:
    versie = versie_uit(if_match, casus_id)
    detail = await service.stel_plan_vast(
        uow,
        actor,
        casus_id,
        versie=versie,
        doel=invoer.doel,
        acties=[
            service.PlanActie(
                wat=a.wat,
                soort=a.soort,
                rol=a.rol,
                organisatie=a.organisatie,
                uiterlijk=a.uiterlijk,
                start=a.start,
            )
            for a in invoer.acties
        ],
    )
    response.headers["Location"] = f"/v1/casussen/{casus_id}"
    return _antwoord(response, detail)


@router.post(
    "/{casusId}/stappen",
    response_model=CasusDetail,
    summary="Zet een stap: starten, escaleren, doel behaald of afsluiten (If-Match verplicht)",
    description=(
        "`open` → `plan-opgesteld` (plan vastgesteld) → `in-uitvoering` (↔ `geescaleerd`) → "
        "`doel-gehaald` → `afgesloten` (met `reden`). Afsluiten met `schoolgang-hersteld` "
        "voegt het feit `onderwijs-hervat` toe. Elke stap is een regel in de geschiedenis."
    ),
    responses=FOUTEN_WIJZIGING,
)
async def create_casus_stap(
    casus_id: CasusId,
    invoer: CasusStapInvoer,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.CASUS_BIJWERKEN)],
    uow: UowDep,
    if_match: IfMatch = None,
) -> CasusDetail:
    versie = versie_uit(if_match, casus_id)
    detail = await service.zet_stap(
        uow,
        actor,
        casus_id,
        versie=versie,
        stap=service.CasusStap(
            actie=CasusActie(invoer.actie),
            reden=invoer.reden,
            datum=invoer.datum,
            toelichting=invoer.toelichting,
        ),
    )
    return _antwoord(response, detail)


@router.post(
    "/{casusId}/verslagen",
    status_code=status.HTTP_201_CREATED,
    response_model=VerslagAntwoord,
    summary="Leg een evaluatie, overleg (OT/BT, doorbraak) of contactmoment vast",
    description="If-Match is optioneel: meegestuurd moet het de huidige ETag van de casus zijn.",
    responses=FOUTEN_TOEVOEGING,
)
async def create_casus_verslag(
    casus_id: CasusId,
    invoer: VerslagInvoer,
    actor: Werker,
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    versie = _optioneel(if_match, casus_id)
    v = invoer.verslag
    gegevens = v.model_dump(mode="json", exclude={"soort", "datum"})

    async def handle() -> tuple[int, Any, dict[str, str]]:
        row, detail = await service.leg_verslag_vast(
            uow,
            actor,
            casus_id,
            versie=versie,
            verslag=service.Verslag(soort=v.soort, datum=v.datum, gegevens=gegevens),
        )
        body = verslag_van(row).model_dump(mode="json", by_alias=True)
        return 201, body, {"ETag": etag(casus_id, detail.casus.versie)}

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{casusId}/toestemmingen",
    status_code=status.HTTP_201_CREATED,
    response_model=ToestemmingAntwoord,
    summary="Leg een toestemming van de ouders vast (voor een OPP of dossier)",
    responses=FOUTEN_TOEVOEGING,
)
async def create_casus_toestemming(
    casus_id: CasusId,
    invoer: ToestemmingInvoer,
    actor: Werker,
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        row, _detail = await service.geef_toestemming(
            uow,
            actor,
            casus_id,
            soort=invoer.soort,
            gegeven_op=invoer.gegeven_op,
            geldig_tot_en_met=invoer.geldig_tot_en_met,
        )
        body = toestemming_van(row).model_dump(mode="json", by_alias=True)
        return 201, body, {"ETag": etag(row.id, row.versie)}

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{casusId}/toestemmingen/{toestemmingId}/intrekking",
    response_model=ToestemmingAntwoord,
    summary="Trek een toestemming in: het document is dan verborgen voor andere rollen",
    responses=FOUTEN_WIJZIGING,
)
async def create_toestemming_intrekking(
    casus_id: CasusId,
    toestemming_id: Annotated[uuid.UUID, Path(alias="toestemmingId")],
    invoer: ToestemmingIntrekkingInvoer,
    response: Response,
    actor: Werker,
    uow: UowDep,
    if_match: IfMatch = None,
) -> ToestemmingAntwoord:
    versie = versie_uit(if_match, toestemming_id)
    row, _detail = await service.trek_toestemming_in(
        uow, actor, casus_id, toestemming_id, versie=versie, datum=invoer.datum
    )
    response.headers["ETag"] = etag(row.id, row.versie)
    return toestemming_van(row)


@router.post(
    "/{casusId}/documenten",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentAntwoord,
    summary="Leg een document vast (alleen metadata); een OPP alleen met geldende toestemming",
    responses=FOUTEN_TOEVOEGING,
)
async def create_casus_document(
    casus_id: CasusId,
    invoer: DocumentInvoer,
    actor: Werker,
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        row, _detail = await service.leg_document_vast(
            uow,
            actor,
            casus_id,
            soort=invoer.soort,
            titel=invoer.titel,
            referentie=invoer.referentie,
        )
        return 201, document_van(row).model_dump(mode="json", by_alias=True), {}

    return await idempotency.run(uow, actor, handle)
