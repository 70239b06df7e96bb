"""Workflow meldingen: a school, its system or leerplicht reports a child; the regisseur's inbox,
assignment, registration, a case, closing (aanpak thuiszitters §1.4, Bijlage 2; Regioloket)."""

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
from app.api.schemas import (
    EERSTE_DATUM,
    LAATSTE_DATUM,
    ApiInput,
    ApiModel,
    IdentiteitInvoer,
    Paginering,
)
from app.db.meldingen import MeldingOvergangRow, MeldingRow
from app.domain.feiten import Beeindigingsreden
from app.domain.meldingen import Aard, GevraagdeActie, MeldingActie, MeldingSoort, MeldingStatus
from app.domain.toegang import Actor, Operatie
from app.services import identiteit as identiteit_service
from app.services import meldingen as service
from app.services.errors import PreconditionFailed, PreconditionRequired

router = APIRouter(prefix="/meldingen", tags=["Meldingen"])

MeldingId = Annotated[uuid.UUID, Path(alias="meldingId", description="Id van de melding.")]
Datum = Annotated[date, Field(ge=EERSTE_DATUM, le=LAATSTE_DATUM)]
Tekst = Annotated[str, Field(min_length=1, max_length=2000)]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="De ETag van de melding zoals u haar ophaalde."),
]


def versie_uit(if_match: str | None, id_: uuid.UUID) -> int:
    """The version an `If-Match` names for this resource: 428 without it or with `*`, 412 when it
    is not this resource's ETag (RFC 9110 §13.1.1)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("Stuur de ETag van het object mee in If-Match.")
    if "*" in {t.strip() for t in if_match.split(",")}:
        # `*` matches any version, so it would not protect against a lost update.
        raise PreconditionRequired("If-Match: * is hier niet genoeg: stuur de ETag van het object.")
    for kandidaat in if_match.split(","):
        tekst = kandidaat.strip().removeprefix("W/").strip('"')
        prefix = f"{id_}-"
        if tekst.startswith(prefix) and tekst[len(prefix) :].isdigit():
            return int(tekst[len(prefix) :])
    raise PreconditionFailed("De ETag in If-Match hoort niet bij dit object.")


def etag(id_: uuid.UUID, versie: int) -> str:
    return f'"{id_}-{versie}"'


# -- schemas ---------------------------------------------------------------------------------


class KindInvoer(ApiInput):
    """A child not yet in the register, registered with the melding: pseudonymous, or with
    `identiteit` where the SWV works identified (BSN only with its recorded legal basis)."""

    pseudoniem: str = Field(pattern=r"^[A-Za-z0-9-]{4,40}$", examples=["231801"])
    geboortejaar: int = Field(ge=1990, le=2100)
    geboortemaand: int = Field(ge=1, le=12)
    regio: Literal["noord", "midden", "zuid"] = Field(description="Vakantieregio van de school.")
    woongemeente: str | None = Field(default=None, pattern=r"^GM[0-9]{4}$")
    identiteit: IdentiteitInvoer | None = None


class NieuweMeldingInvoer(ApiInput):
    """A melding as the meldingsformulier (aanpak thuiszitters, bijlage 2) and Regioloket ask."""

    soort: MeldingSoort = Field(
        description="beperkt (alleen het verzuim, voor de telling), uitgebreid (een vraag aan "
        "het SWV) of dreigend (nog geen 4 weken, of een risico)."
    )
    leerling_id: uuid.UUID | None = Field(default=None, description="Een bekende leerling.")
    leerling: KindInvoer | None = Field(
        default=None, description="Of: een nieuwe leerling, geregistreerd met de melding."
    )
    school_id: uuid.UUID | None = Field(
        default=None, description="De meldende vestiging (voor scholen: de eigen; standaard)."
    )
    aard: Aard | None = Field(
        default=None, description="ongeoorloofd, geoorloofd-ziek of onbepaald (nog niet bekend)."
    )
    verzuim_begin: Datum | None = None
    verzuim_einde: Datum | None = Field(
        default=None,
        description="Eerste dag weer op school (halfopen: het verzuim eindigt ervoor).",
    )
    ouders_geinformeerd_op: Datum | None = None
    gevraagde_acties: list[GevraagdeActie] = Field(default_factory=list, max_length=4)
    aanleiding: Tekst | None = None
    contactpersoon: str | None = Field(
        default=None, min_length=1, max_length=200, description="Contactpersoon op de school."
    )
    korte_beschrijving: Tekst | None = None
    gepleegde_interventies: Tekst | None = None
    betrokken_hulpverlening: Tekst | None = None
    klas: str | None = Field(default=None, min_length=1, max_length=40)
    niveau: str | None = Field(default=None, min_length=1, max_length=40)
    bijzonderheden_schoolloopbaan: Tekst | None = None
    bron_referentie: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Kenmerk in het bronsysteem (Digidoor, TOP-dossier): dezelfde referentie "
        "is dezelfde melding.",
        examples=["DD-1"],
    )

    @model_validator(mode="after")
    def _precies_een_leerling(self) -> NieuweMeldingInvoer:
        if (self.leerling_id is None) == (self.leerling is None):
            raise ValueError("geef precies één van leerlingId en leerling")
        return self


class MeldingOvergang(ApiModel):
    """One step in the melding's history: who, when, from, to, why."""

    van: MeldingStatus | None
    naar: MeldingStatus
    actie: str
    door: str
    rol: str
    op: datetime
    reden: str | None


class Melding(ApiModel):
    """A melding, with its state, due date and the facts it appended."""

    id: uuid.UUID
    leerling_id: uuid.UUID
    school_id: uuid.UUID | None
    soort: MeldingSoort
    status: MeldingStatus
    aard: Aard | None
    verzuim_begin: date | None
    verzuim_einde: date | None = Field(
        description="Eerste dag weer op school (halfopen: het verzuim eindigt ervoor)."
    )
    ouders_geinformeerd_op: date | None
    gevraagde_acties: list[GevraagdeActie]
    aanleiding: str | None = None
    contactpersoon: str | None = None
    korte_beschrijving: str | None = None
    gepleegde_interventies: str | None = None
    betrokken_hulpverlening: str | None = None
    klas: str | None = None
    niveau: str | None = None
    bijzonderheden_schoolloopbaan: str | None = None
    bron_referentie: str | None
    ontvangen_op: datetime
    toegewezen_aan: str | None
    contact_uiterlijk: date | None = Field(
        description="Uiterlijk contact met de melder (instelling, standaard 5 werkdagen)."
    )
    contact_te_laat: bool
    sluitreden: Beeindigingsreden | None
    casus_id: uuid.UUID | None
    feit_ids: list[uuid.UUID] = Field(description="De feiten die de melding toevoegde.")
    geschiedenis: list[MeldingOvergang] | None = Field(
        default=None, description="Alleen bij het ophalen van één melding."
    )


class MeldingLijst(ApiModel):
    data: list[Melding]
    paginering: Paginering


class MeldingStapInvoer(ApiInput):
    """A step in the melding's workflow (regisseur or begeleider)."""

    actie: MeldingActie
    toegewezen_aan: str | None = Field(
        default=None, min_length=1, max_length=100, description="Bij toewijzen: aan wie."
    )
    reden: Beeindigingsreden | None = Field(
        default=None, description="Bij afsluiten verplicht (docs/domain.md regel 16)."
    )
    toelichting: str | None = Field(default=None, min_length=1, max_length=2000)


class TeLaatMelding(ApiModel):
    leerling_id: uuid.UUID
    pseudoniem: str
    verzuim_sinds: date
    dag: int = Field(description="Dag van het verzuim op de peildatum (vanaf 1).")
    signaal: Literal["melding-te-laat"] = "melding-te-laat"


class TeLaatLijst(ApiModel):
    peildatum: date
    data: list[TeLaatMelding]


def melding_van(
    row: MeldingRow, vandaag: date, overgangen: list[MeldingOvergangRow] | None = None
) -> Melding:
    tekst = row.toelichting or {}
    return Melding(
        id=row.id,
        leerling_id=row.leerling_id,
        school_id=row.school_id,
        soort=MeldingSoort(row.soort),
        status=MeldingStatus(row.status),
        aard=Aard(row.aard) if row.aard else None,
        verzuim_begin=row.verzuim_begin,
        verzuim_einde=row.verzuim_einde,
        ouders_geinformeerd_op=row.ouders_geinformeerd_op,
        gevraagde_acties=[GevraagdeActie(a) for a in row.gevraagde_acties],
        **{k: tekst.get(k) for k in service.TOELICHTING},
        bron_referentie=row.bron_referentie,
        ontvangen_op=row.ontvangen_op,
        toegewezen_aan=row.toegewezen_aan,
        contact_uiterlijk=row.contact_uiterlijk,
        contact_te_laat=service.contact_te_laat(row, vandaag),
        sluitreden=Beeindigingsreden(row.sluitreden) if row.sluitreden else None,
        casus_id=row.casus_id,
        feit_ids=[uuid.UUID(f) for f in row.feit_ids],
        geschiedenis=[
            MeldingOvergang(
                van=MeldingStatus(o.van) if o.van else None,
                naar=MeldingStatus(o.naar),
                actie=o.actie,
                door=o.door,
                rol=o.rol,
                op=o.op,
                reden=o.reden,
            )
            for o in overgangen
        ]
        if overgangen is not None
        else None,
    )


# -- routes ----------------------------------------------------------------------------------


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Melding,
    summary="Meld een leerling (beperkt, uitgebreid of dreigend)",
    description=(
        "Een school (of haar systeem, zoals Digidoor of TOP-dossier) meldt voor de eigen "
        "vestiging, leerplicht voor de eigen gemeente. De melding voegt in dezelfde transactie "
        "de feiten toe die zij vaststelt: `ongeoorloofd` → `verzuim-gestart` (met een einde ook "
        "`verzuim-beeindigd`), `geoorloofd-ziek` → `ziekmelding`, `onbepaald` → "
        "`verzuim-gemeld` (telt nooit landelijk). Dezelfde `bronReferentie` van hetzelfde "
        "bronsysteem is dezelfde melding: 200 met de eerder ontvangen melding."
    ),
    responses={
        200: {"description": "Deze melding was al ontvangen", "model": Melding},
        **problem_responses(400, 401, 403, 409, 413, 422),
    },
)
async def create_workflow_melding(
    invoer: NieuweMeldingInvoer,
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.MELDING_INDIENEN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        kind = invoer.leerling
        ingediend = await service.dien_in(
            uow,
            actor,
            service.NieuweMelding(
                soort=invoer.soort,
                leerling_id=invoer.leerling_id,
                kind=service.NieuwKind(
                    pseudoniem=kind.pseudoniem,
                    geboortejaar=kind.geboortejaar,
                    geboortemaand=kind.geboortemaand,
                    regio=kind.regio,
                    woongemeente=kind.woongemeente,
                    identiteit=identiteit_service.Identiteit(
                        naam=kind.identiteit.naam,
                        geboortedatum=kind.identiteit.geboortedatum,
                        adres=kind.identiteit.adres,
                        bsn=kind.identiteit.bsn,
                    )
                    if kind.identiteit
                    else None,
                )
                if kind
                else None,
                school_id=invoer.school_id,
                aard=invoer.aard,
                verzuim_begin=invoer.verzuim_begin,
                verzuim_einde=invoer.verzuim_einde,
                ouders_geinformeerd_op=invoer.ouders_geinformeerd_op,
                gevraagde_acties=tuple(invoer.gevraagde_acties),
                toelichting={
                    k: v for k in service.TOELICHTING if (v := getattr(invoer, k)) is not None
                },
                bron_referentie=invoer.bron_referentie,
            ),
            getattr(request.app.state, "versleuteling", None),
        )
        row = ingediend.melding
        vandaag = row.ontvangen_op.date()
        body = melding_van(row, vandaag).model_dump(mode="json", by_alias=True)
        headers = {"Location": f"/v1/meldingen/{row.id}", "ETag": etag(row.id, row.versie)}
        return (201 if ingediend.nieuw else 200), body, headers

    return await idempotency.run(uow, actor, handle)


@router.get(
    "",
    response_model=MeldingLijst,
    summary="Meldingen in uw bevoegdheid: de inbox van de regisseur",
    responses=problem_responses(400, 401, 403),
)
async def list_meldingen(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.MELDING_LEZEN)],
    uow: UowDep,
    page: PageDep,
    status_: Annotated[
        list[MeldingStatus] | None, Query(alias="status", description="Alleen deze status(sen).")
    ] = None,
    school_id: Annotated[
        uuid.UUID | None, Query(alias="schoolId", description="Alleen deze vestiging.")
    ] = None,
    toegewezen_aan: Annotated[
        str | None, Query(alias="toegewezenAan", max_length=100, description="Behandelaar.")
    ] = None,
    soort: Annotated[MeldingSoort | None, Query(description="Alleen deze soort.")] = None,
    leerling_id: Annotated[
        uuid.UUID | None, Query(alias="leerlingId", description="Alleen deze leerling.")
    ] = None,
    ontvangen_vanaf: Annotated[
        AwareDatetime | None,
        Query(alias="ontvangenVanaf", description="Ontvangen op of na (ISO 8601, met tijdzone)."),
    ] = None,
    ontvangen_tot: Annotated[
        AwareDatetime | None,
        Query(alias="ontvangenTot", description="Ontvangen voor (ISO 8601, met tijdzone)."),
    ] = None,
    contact_te_laat: Annotated[
        bool | None,
        Query(
            alias="contactTeLaat", description="Alleen meldingen waarvan het contact te laat is."
        ),
    ] = None,
) -> MeldingLijst:
    result, vandaag = await service.lijst(
        uow,
        actor,
        service.MeldingFilter(
            status=tuple(status_ or ()),
            school_id=school_id,
            toegewezen_aan=toegewezen_aan,
            soort=soort,
            leerling_id=leerling_id,
            ontvangen_vanaf=ontvangen_vanaf,
            ontvangen_tot=ontvangen_tot,
            contact_te_laat=contact_te_laat,
        ),
        page,
    )
    return MeldingLijst(
        data=[melding_van(r, vandaag) for r in result.items],
        paginering=paginate(request, response, result),
    )


@router.get(
    "/te-laat",
    response_model=TeLaatLijst,
    summary="Signaal melding-te-laat: dag 29 ongeoorloofd verzuim en nog geen melding",
    responses=problem_responses(400, 401, 403),
)
async def list_te_late_meldingen(
    actor: Annotated[Actor, toegang(Operatie.MELDING_LEZEN)],
    uow: UowDep,
    peildatum: Annotated[
        date | None,
        Query(
            description="Peildatum (JJJJ-MM-DD); standaard vandaag.",
            ge=EERSTE_DATUM,
            le=LAATSTE_DATUM,
        ),
    ] = None,
) -> TeLaatLijst:
    rijen, dag = await service.te_laat(uow, actor, peildatum)
    return TeLaatLijst(
        peildatum=dag,
        data=[
            TeLaatMelding(
                leerling_id=r.leerling_id,
                pseudoniem=r.pseudoniem,
                verzuim_sinds=r.verzuim_sinds,
                dag=r.dag,
            )
            for r in rijen
        ],
    )


@router.get(
    "/{meldingId}",
    response_model=Melding,
    summary="Eén melding, met haar geschiedenis",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_melding(
    melding_id: MeldingId,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.MELDING_LEZEN)],
    uow: UowDep,
) -> Melding:
    row, overgangen, vandaag = await service.haal(uow, actor, melding_id)
    response.headers["ETag"] = etag(row.id, row.versie)
    return melding_van(row, vandaag, overgangen)


@router.post(
    "/{meldingId}/stappen",
    response_model=Melding,
    summary="Zet een stap: toewijzen, registreren, casus openen of afsluiten (If-Match verplicht)",
    description=(
        "`ontvangen` → `toegewezen` (met `toegewezenAan`; contact met de melder uiterlijk na "
        "de ingestelde werkdagen) → `geregistreerd` (beperkt) of `casus-geopend` (uitgebreid, "
        "dreigend; de casus wordt in dezelfde transactie geopend) → `afgesloten` (met `reden`). "
        "Elke stap is een regel in de geschiedenis."
    ),
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 428),
)
async def create_melding_stap(
    melding_id: MeldingId,
    invoer: MeldingStapInvoer,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.MELDING_BEHANDELEN)],
    uow: UowDep,
    if_match: IfMatch = None,
) -> Melding:
    versie = versie_uit(if_match, melding_id)
    row, vandaag = await service.zet_stap(
        uow,
        actor,
        melding_id,
        versie=versie,
        stap=service.Stap(
            actie=invoer.actie,
            toegewezen_aan=invoer.toegewezen_aan,
            reden=invoer.reden,
            toelichting=invoer.toelichting,
        ),
    )
    response.headers["ETag"] = etag(row.id, row.versie)
    return melding_van(row, vandaag)
