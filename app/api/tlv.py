"""TLVs and their plaatsingschecks (docs/tlv.md): issue under a child, list for the SWV, the
begeleider's worklist, record a check, enter the placement date, withdraw."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from pydantic import AwareDatetime, Field, model_validator

from app.api.auth import toegang
from app.api.deps import PageDep, UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.pagination import paginate
from app.api.problems import problem_responses
from app.api.schemas import EERSTE_DATUM, LAATSTE_DATUM, ApiInput, ApiModel, Paginering
from app.db.tlv import PlaatsingscheckRow, TlvOvergangRow
from app.domain.feiten import TlvCategorie, TlvSoort
from app.domain.tlv import TlvGebeurtenis, TlvStaat
from app.domain.toegang import Actor, Operatie
from app.services import tlv as service

router = APIRouter(tags=["TLV"])

LeerlingId = Annotated[uuid.UUID, Path(alias="leerlingId", description="Id van de leerling.")]
TlvId = Annotated[uuid.UUID, Path(alias="tlvId", description="Id van de TLV.")]
BekendOp = Annotated[
    AwareDatetime | None,
    Query(
        alias="bekendOp",
        description="De TLV zoals bekend op dit moment (ISO 8601 met tijdzone); standaard nu.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="De `ETag` van de TLV zoals u haar het laatst ophaalde. Zonder deze "
        "header 428 (waar verplicht), met een verouderde 412.",
    ),
]
Uitkomst = Literal["geplaatst", "wacht-op-instroom", "onderwijs-oude-school", "geen-onderwijs"]
_DATUMVELD = {
    "geplaatst": "plaatsingsdatum",
    "wacht-op-instroom": "verwachte_instroom",
    "onderwijs-oude-school": "hervat_op",
    "geen-onderwijs": "geen_onderwijs_sinds",
}


# -- schemas ---------------------------------------------------------------------------------


class TlvInvoer(ApiInput):
    """A toelaatbaarheidsverklaring as the SWV issued it."""

    afgegeven_op: date = Field(description="Datum van afgifte.", ge=EERSTE_DATUM, le=LAATSTE_DATUM)
    onderwijssoort: TlvSoort = Field(description="Soort onderwijs: sbo, so of vso.")
    categorie: TlvCategorie | None = Field(
        default=None, description="Bekostigingscategorie (laag, midden, hoog); niet bij sbo."
    )
    geldig_tot_en_met: date | None = Field(
        default=None,
        description="Laatste dag (tot en met) waarop de TLV geldt; leeg: onbepaald.",
        ge=EERSTE_DATUM,
        le=LAATSTE_DATUM,
    )
    school_herkomst_id: uuid.UUID | None = Field(
        default=None, description="Vestiging van herkomst (de oude school, zorgplicht)."
    )
    school_beoogd_id: uuid.UUID | None = Field(
        default=None, description="Beoogde vestiging (de nieuwe school)."
    )
    bron_referentie: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Eigen kenmerk van het bronsysteem; dezelfde referentie is dezelfde TLV.",
    )


class Overgang(ApiModel):
    """One transition in the TLV's history (append-only)."""

    van: TlvStaat | None
    naar: TlvStaat
    gebeurtenis: TlvGebeurtenis
    stapdatum: date | None = Field(
        description="Datum van de stap: afgifte, plaatsing, verwachte instroom, geen onderwijs "
        "sinds, hervat op."
    )
    volgende_check: date | None
    rol: str
    geregistreerd_op: datetime
    check_id: uuid.UUID | None


class Tlv(ApiModel):
    """A TLV with its state as known now or at `bekendOp`."""

    id: uuid.UUID
    leerling_id: uuid.UUID
    afgegeven_op: date
    onderwijssoort: TlvSoort
    categorie: TlvCategorie | None
    geldig_tot_en_met: date | None = Field(
        description="Laatste dag (tot en met) waarop de TLV geldt; leeg: onbepaald."
    )
    school_herkomst_id: uuid.UUID | None
    school_beoogd_id: uuid.UUID | None
    staat: TlvStaat
    volgende_check: date | None = Field(description="Datum waarop de volgende check vervalt.")
    plaatsingsdatum: date | None
    geen_onderwijs_sinds: date | None
    intrekkingsreden: str | None
    feit_id: uuid.UUID | None = Field(description="Het feit `tlv-afgegeven` bij deze TLV.")
    bekend_op: datetime | None
    geschiedenis: list[Overgang]


class TlvLijst(ApiModel):
    data: list[Tlv]


class TlvPagina(ApiModel):
    data: list[Tlv]
    paginering: Paginering


class TeControleren(ApiModel):
    """A check due on the worklist."""

    tlv_id: uuid.UUID
    leerling_id: uuid.UUID
    staat: TlvStaat
    checkdatum: date
    achterstallig: bool = Field(description="De check verviel vóór de peildatum.")
    afgegeven_op: date
    school_herkomst_id: uuid.UUID | None
    school_beoogd_id: uuid.UUID | None


class Werklijst(ApiModel):
    peildatum: date
    data: list[TeControleren]
    paginering: Paginering


class CheckInvoer(ApiInput):
    """The calls with the old and the new school, and what they told: one date field, the
    one that belongs to the outcome."""

    uitkomst: Uitkomst = Field(
        description="geplaatst (`plaatsingsdatum`, `schoolId`), wacht-op-instroom (onderwijs "
        "op de oude school; `verwachteInstroom`, anders een hercheck na een week), "
        "onderwijs-oude-school (`hervatOp` na geen onderwijs), geen-onderwijs "
        "(`geenOnderwijsSinds`: de eerste dag zonder onderwijs)."
    )
    gecontroleerd_op: date | None = Field(
        default=None, description="Dag van de gesprekken; standaard vandaag."
    )
    oude_school_gesproken: bool = Field(default=True)
    nieuwe_school_gesproken: bool = Field(default=True)
    plaatsingsdatum: date | None = Field(
        default=None, ge=EERSTE_DATUM, le=LAATSTE_DATUM, description="Bij geplaatst."
    )
    verwachte_instroom: date | None = Field(
        default=None, ge=EERSTE_DATUM, le=LAATSTE_DATUM, description="Bij wacht-op-instroom."
    )
    hervat_op: date | None = Field(
        default=None,
        ge=EERSTE_DATUM,
        le=LAATSTE_DATUM,
        description="Bij onderwijs-oude-school; standaard de dag van de check.",
    )
    geen_onderwijs_sinds: date | None = Field(
        default=None, ge=EERSTE_DATUM, le=LAATSTE_DATUM, description="Bij geen-onderwijs."
    )
    school_id: uuid.UUID | None = Field(
        default=None, description="Vestiging van plaatsing; standaard de beoogde."
    )

    @model_validator(mode="after")
    def _een_datumveld(self) -> CheckInvoer:
        eigen = _DATUMVELD[self.uitkomst]
        vreemd = [v for v in _DATUMVELD.values() if v != eigen and getattr(self, v) is not None]
        if vreemd:
            raise ValueError("alleen het datumveld van deze uitkomst mag mee")
        return self

    @property
    def datum(self) -> date | None:
        """The date of the outcome, from its own field."""
        waarde: date | None = getattr(self, _DATUMVELD[self.uitkomst])
        return waarde

    toelichting: str | None = Field(
        default=None,
        max_length=2000,
        description="Vrije tekst; nooit in een Inspectie-export, gewist bij anonimisering.",
    )
    bron_referentie: str | None = Field(default=None, min_length=1, max_length=200)


class Plaatsingscheck(ApiModel):
    id: uuid.UUID
    tlv_id: uuid.UUID
    gecontroleerd_op: date
    oude_school_gesproken: bool
    nieuwe_school_gesproken: bool
    uitkomst: Uitkomst
    plaatsingsdatum: date | None
    verwachte_instroom: date | None
    hervat_op: date | None
    geen_onderwijs_sinds: date | None
    school_id: uuid.UUID | None
    toelichting: str | None
    feit_id: uuid.UUID | None = Field(description="Het feit dat de uitkomst vastlegde.")
    geregistreerd_op: datetime


class PlaatsingscheckLijst(ApiModel):
    data: list[Plaatsingscheck]


class TlvWijziging(ApiInput):
    """The secretariaat enters the placement date (merge patch)."""

    plaatsingsdatum: date = Field(ge=EERSTE_DATUM, le=LAATSTE_DATUM)


class TlvIntrekkingInvoer(ApiInput):
    reden: str = Field(min_length=1, max_length=500, description="Waarom (vrije tekst).")


# -- conversions -----------------------------------------------------------------------------


def _overgang(o: TlvOvergangRow) -> Overgang:
    return Overgang(
        van=TlvStaat(o.van) if o.van else None,
        naar=TlvStaat(o.naar),
        gebeurtenis=TlvGebeurtenis(o.gebeurtenis),
        stapdatum=o.datum,
        volgende_check=o.volgende_check,
        rol=o.rol,
        geregistreerd_op=o.geregistreerd_op,
        check_id=o.check_id,
    )


def tlv_van(m: service.TlvMetStaat, bekend_op: datetime | None = None) -> Tlv:
    t, s = m.tlv, m.stand
    return Tlv(
        id=t.id,
        leerling_id=t.leerling_id,
        afgegeven_op=t.afgegeven_op,
        onderwijssoort=TlvSoort(t.onderwijssoort),
        categorie=TlvCategorie(t.categorie) if t.categorie else None,
        geldig_tot_en_met=t.geldig_tot,
        school_herkomst_id=t.school_herkomst_id,
        school_beoogd_id=t.school_beoogd_id,
        staat=s.staat,
        volgende_check=s.volgende_check,
        plaatsingsdatum=s.plaatsingsdatum,
        geen_onderwijs_sinds=s.geen_onderwijs_sinds,
        intrekkingsreden=t.intrekkingsreden if s.staat is TlvStaat.INGETROKKEN else None,
        feit_id=t.feit_id,
        bekend_op=bekend_op,
        geschiedenis=[_overgang(o) for o in m.overgangen],
    )


def plaatsingscheck_van(c: PlaatsingscheckRow) -> Plaatsingscheck:
    datums = dict.fromkeys(_DATUMVELD.values())
    datums[_DATUMVELD[c.uitkomst]] = c.datum
    return Plaatsingscheck(
        id=c.id,
        tlv_id=c.tlv_id,
        gecontroleerd_op=c.gecontroleerd_op,
        oude_school_gesproken=c.oude_school_gesproken,
        nieuwe_school_gesproken=c.nieuwe_school_gesproken,
        uitkomst=c.uitkomst,
        school_id=c.school_id,
        toelichting=c.toelichting,
        feit_id=c.feit_id,
        geregistreerd_op=c.geregistreerd_op,
        **datums,
    )


def _body(model: ApiModel) -> Any:
    return model.model_dump(mode="json", by_alias=True)


# -- routes ----------------------------------------------------------------------------------


@router.post(
    "/leerlingen/{leerlingId}/tlvs",
    status_code=status.HTTP_201_CREATED,
    response_model=Tlv,
    summary="Geef een TLV af (SWV) en plan de plaatsingscheck",
    description=(
        "Legt de toelaatbaarheidsverklaring vast, plant de plaatsingscheck "
        "(`signaalTlvNaDagen` na afgifte, standaard 28 dagen) en voegt in dezelfde transactie "
        "het feit `tlv-afgegeven` toe met deze TLV als bron. Dezelfde `bronReferentie` is "
        "dezelfde TLV (200)."
    ),
    responses={
        200: {"description": "Deze TLV was al vastgelegd", "model": Tlv},
        **problem_responses(400, 401, 403, 404, 409, 413, 422),
    },
)
async def create_tlv(
    leerling_id: LeerlingId,
    invoer: TlvInvoer,
    actor: Annotated[Actor, toegang(Operatie.TLV_AFGEVEN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        afgegeven = await service.geef_af(
            uow,
            actor,
            leerling_id,
            service.NieuweTlv(
                afgegeven_op=invoer.afgegeven_op,
                onderwijssoort=invoer.onderwijssoort,
                categorie=invoer.categorie,
                geldig_tot_en_met=invoer.geldig_tot_en_met,
                school_herkomst_id=invoer.school_herkomst_id,
                school_beoogd_id=invoer.school_beoogd_id,
                bron_referentie=invoer.bron_referentie,
            ),
        )
        tlv = afgegeven.tlv.tlv
        headers = {"Location": f"/v1/tlvs/{tlv.id}", "ETag": service.etag(tlv)}
        return (201 if afgegeven.nieuw else 200), _body(tlv_van(afgegeven.tlv)), headers

    return await idempotency.run(uow, actor, handle)


@router.get(
    "/leerlingen/{leerlingId}/tlvs",
    response_model=TlvLijst,
    summary="De TLV's van de leerling, met hun staat",
    responses=problem_responses(400, 401, 403, 404),
)
async def list_tlvs_van_leerling(
    leerling_id: LeerlingId,
    actor: Annotated[Actor, toegang(Operatie.TLV_LEZEN)],
    uow: UowDep,
    bekend_op: BekendOp = None,
) -> TlvLijst:
    items = await service.tlvs_van_leerling(uow, actor, leerling_id, bekend_op=bekend_op)
    return TlvLijst(data=[tlv_van(m, bekend_op) for m in items])


@router.get(
    "/tlvs",
    response_model=TlvPagina,
    summary="TLV's in uw bevoegdheid",
    responses=problem_responses(400, 401, 403),
)
async def list_tlvs(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.TLV_LEZEN)],
    uow: UowDep,
    page: PageDep,
    staat: Annotated[list[TlvStaat] | None, Query(description="Alleen deze staat/staten.")] = None,
    school_id: Annotated[
        uuid.UUID | None,
        Query(alias="schoolId", description="Alleen TLV's met deze oude of beoogde vestiging."),
    ] = None,
) -> TlvPagina:
    resultaat = await service.lijst_tlvs(
        uow,
        actor,
        service.TlvFilter(staten=tuple(staat) if staat else None, school_id=school_id),
        page,
    )
    return TlvPagina(
        data=[tlv_van(m) for m in resultaat.items],
        paginering=paginate(request, response, resultaat),
    )


@router.get(
    "/plaatsingschecks",
    response_model=Werklijst,
    summary="Werklijst: plaatsingschecks die op de peildatum vervallen of verlopen zijn",
    description=(
        "Open checks (staat `check-gepland`, `wacht-op-instroom` of `geen-onderwijs`) met een "
        "checkdatum op of vóór de peildatum, vroegste eerst; `achterstallig` als de checkdatum "
        "vóór de peildatum ligt."
    ),
    responses=problem_responses(400, 401, 403),
)
async def list_plaatsingschecks(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.TLV_LEZEN)],
    uow: UowDep,
    page: PageDep,
    peildatum: Annotated[
        date | None,
        Query(
            description="Checks die uiterlijk op deze dag vervallen; standaard vandaag.",
            ge=EERSTE_DATUM,
            le=LAATSTE_DATUM,
        ),
    ] = None,
    school_id: Annotated[
        uuid.UUID | None,
        Query(alias="schoolId", description="Alleen TLV's met deze oude of beoogde vestiging."),
    ] = None,
) -> Werklijst:
    resultaat, dag = await service.werklijst(
        uow, actor, peildatum=peildatum, school_id=school_id, page=page
    )
    data = [
        TeControleren(
            tlv_id=item.tlv.tlv.id,
            leerling_id=item.tlv.tlv.leerling_id,
            staat=item.tlv.stand.staat,
            checkdatum=item.checkdatum,
            achterstallig=item.achterstallig,
            afgegeven_op=item.tlv.tlv.afgegeven_op,
            school_herkomst_id=item.tlv.tlv.school_herkomst_id,
            school_beoogd_id=item.tlv.tlv.school_beoogd_id,
        )
        for item in resultaat.items
    ]
    return Werklijst(peildatum=dag, data=data, paginering=paginate(request, response, resultaat))


@router.get(
    "/tlvs/{tlvId}",
    response_model=Tlv,
    summary="Eén TLV met haar geschiedenis, met ETag",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_tlv(
    tlv_id: TlvId,
    actor: Annotated[Actor, toegang(Operatie.TLV_LEZEN)],
    uow: UowDep,
    response: Response,
    bekend_op: BekendOp = None,
) -> Tlv:
    met, _checks = await service.lees_tlv(uow, actor, tlv_id, bekend_op=bekend_op)
    if bekend_op is None:
        response.headers["ETag"] = service.etag(met.tlv)
    return tlv_van(met, bekend_op)


@router.patch(
    "/tlvs/{tlvId}",
    response_model=Tlv,
    summary="Voer de plaatsingsdatum in (secretariaat)",
    description=(
        "Na de check `geplaatst` voert het secretariaat de plaatsingsdatum in: de TLV is "
        "`afgerond`. Wijkt de datum af van die van de check, dan wordt het feit `plaatsing` "
        "gecorrigeerd. Vraagt `If-Match`."
    ),
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 428),
)
async def update_tlv(
    tlv_id: TlvId,
    invoer: TlvWijziging,
    actor: Annotated[Actor, toegang(Operatie.TLV_PLAATSING_INVOEREN)],
    uow: UowDep,
    response: Response,
    if_match: IfMatch = None,
) -> Tlv:
    met = await service.voer_plaatsing_in(
        uow, actor, tlv_id, invoer.plaatsingsdatum, if_match=if_match
    )
    response.headers["ETag"] = service.etag(met.tlv)
    return tlv_van(met)


@router.post(
    "/tlvs/{tlvId}/intrekkingen",
    status_code=status.HTTP_201_CREATED,
    response_model=Tlv,
    summary="Trek een TLV in, met reden (SWV)",
    description=(
        "Kan in elke staat. Vóór een plaatsing wordt ook het feit `tlv-afgegeven` ingetrokken, "
        "zodat het signaal 'geen plaatsing na de TLV' vervalt. Vraagt `If-Match`."
    ),
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428),
)
async def withdraw_tlv(
    tlv_id: TlvId,
    invoer: TlvIntrekkingInvoer,
    actor: Annotated[Actor, toegang(Operatie.TLV_AFGEVEN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        met = await service.trek_in(uow, actor, tlv_id, invoer.reden, if_match=if_match)
        headers = {"Content-Location": f"/v1/tlvs/{tlv_id}", "ETag": service.etag(met.tlv)}
        return 201, _body(tlv_van(met)), headers

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/tlvs/{tlvId}/plaatsingschecks",
    status_code=status.HTTP_201_CREATED,
    response_model=Plaatsingscheck,
    summary="Leg een plaatsingscheck vast (begeleider)",
    description=(
        "De gesprekken met de oude en de nieuwe school en hun uitkomst. De uitkomst voegt in "
        "dezelfde transactie het feit toe dat zij vaststelt, met de check als bron: "
        "`geplaatst` → `plaatsing`; `geen-onderwijs` → `wacht-op-plek` vanaf `datum`; "
        "weer onderwijs na `geen-onderwijs` → `onderwijs-hervat`. Dezelfde `bronReferentie` "
        "is dezelfde check (200). `If-Match` is optioneel: meegestuurd moet hij kloppen."
    ),
    responses={
        200: {"description": "Deze check was al vastgelegd", "model": Plaatsingscheck},
        **problem_responses(400, 401, 403, 404, 409, 412, 413, 422),
    },
)
async def create_plaatsingscheck(
    tlv_id: TlvId,
    invoer: CheckInvoer,
    actor: Annotated[Actor, toegang(Operatie.TLV_CONTROLEREN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        vastgelegd = await service.leg_check_vast(
            uow,
            actor,
            tlv_id,
            service.NieuweCheck(
                uitkomst=TlvGebeurtenis(invoer.uitkomst),
                gecontroleerd_op=invoer.gecontroleerd_op,
                oude_school_gesproken=invoer.oude_school_gesproken,
                nieuwe_school_gesproken=invoer.nieuwe_school_gesproken,
                datum=invoer.datum,
                school_id=invoer.school_id,
                toelichting=invoer.toelichting,
                bron_referentie=invoer.bron_referentie,
            ),
            if_match=if_match,
        )
        headers = {
            "Location": f"/v1/tlvs/{tlv_id}/plaatsingschecks/{vastgelegd.check.id}",
            "ETag": service.etag(vastgelegd.tlv.tlv),
        }
        return (
            (201 if vastgelegd.nieuw else 200),
            _body(plaatsingscheck_van(vastgelegd.check)),
            headers,
        )

    return await idempotency.run(uow, actor, handle)


@router.get(
    "/tlvs/{tlvId}/plaatsingschecks",
    response_model=PlaatsingscheckLijst,
    summary="De vastgelegde plaatsingschecks van een TLV",
    responses=problem_responses(400, 401, 403, 404),
)
async def list_plaatsingschecks_van_tlv(
    tlv_id: TlvId,
    actor: Annotated[Actor, toegang(Operatie.TLV_LEZEN)],
    uow: UowDep,
) -> PlaatsingscheckLijst:
    checks = await service.checks_van(uow, actor, tlv_id)
    return PlaatsingscheckLijst(data=[plaatsingscheck_van(c) for c in checks])


@router.get(
    "/tlvs/{tlvId}/plaatsingschecks/{checkId}",
    response_model=Plaatsingscheck,
    summary="Eén vastgelegde plaatsingscheck",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_plaatsingscheck(
    tlv_id: TlvId,
    check_id: Annotated[uuid.UUID, Path(alias="checkId", description="Id van de check.")],
    actor: Annotated[Actor, toegang(Operatie.TLV_LEZEN)],
    uow: UowDep,
) -> Plaatsingscheck:
    check = await service.check_van(uow, actor, tlv_id, check_id)
    return plaatsingscheck_van(check)
