"""Children in the register: registration, lists, search, status and timeline.

Their facts (the inbox and the history) are in `app/api/feiten.py`, the inzage export in
`app/api/privacy.py`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
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
from app.db.leerlingen import LeerlingRecord, LeerlingRow
from app.domain.classificatie import LANDELIJKE_THUISZITTERS, Categorie
from app.domain.status import Signaal, Status
from app.domain.tijdlijn import Tijdlijn
from app.domain.toegang import Actor, Namens, Operatie
from app.services import identiteit as identiteit_service
from app.services import leerlingen as service
from app.services import tlv as tlv_service

router = APIRouter(prefix="/leerlingen", tags=["Leerlingen"])

Regio = Literal["noord", "midden", "zuid"]
LeerlingId = Annotated[uuid.UUID, Path(alias="leerlingId", description="Id van de leerling.")]
Peildatum = Annotated[
    date | None,
    Query(
        description="Peildatum (JJJJ-MM-DD); standaard vandaag.", ge=EERSTE_DATUM, le=LAATSTE_DATUM
    ),
]
BekendOp = Annotated[
    AwareDatetime | None,
    Query(
        alias="bekendOp",
        description="Zoals bekend op dit moment (ISO 8601 met tijdzone); standaard nu.",
    ),
]
PROBLEMEN_LEERLING = problem_responses(400, 401, 403, 404)
NamensVeld = Annotated[
    Namens | None,
    Field(
        description="De bron namens wie u het feit vastlegt: `leerplicht` (de regisseur legt een "
        "besluit van leerplicht vast), of `jeugdarts`/`ggd` (verplicht bij een "
        "jeugdarts-oordeel). Zie `docs/domain.md`, Wie meldt welk feit."
    ),
]


# -- schemas ---------------------------------------------------------------------------------


class Identiteit(ApiModel):
    """What your role may see of the child's identity; the BSN masked unless your role uses it."""

    naam: str | None
    geboortedatum: date | None
    adres: str | None
    bsn: str | None


class LeerlingInvoer(ApiInput):
    """A child to register, pseudonymous by default: no name, BSN, address or exact birth date
    (`identiteit` only where the SWV works identified)."""

    pseudoniem: str = Field(
        pattern=r"^[A-Za-z0-9-]{4,40}$",
        description=(
            "Pseudoniemcode die de school toekent, bijvoorbeeld 231801 (Definities "
            "thuiszitters, docs/bronnen.md). Het register zet er bij een school of gemeente een "
            "eigen, ondoorzichtig voorvoegsel voor (v1c9e4b2a/231801); met dat voorvoegsel "
            "hoogstens 40 tekens."
        ),
        examples=["231801"],
    )
    geboortejaar: int = Field(ge=1990, le=2100, description="Geboortejaar.")
    geboortemaand: int = Field(ge=1, le=12, description="Geboortemaand (1-12).")
    regio: Regio = Field(description="Vakantieregio van de school.")
    school_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "Vestiging die de leerling aanmeldt (verplicht voor scholen); geen inschrijving: "
            "meld die als feit `inschrijving`."
        ),
    )
    woongemeente: str | None = Field(
        default=None, pattern=r"^GM[0-9]{4}$", description="CBS-code van de woongemeente."
    )
    identiteit: IdentiteitInvoer | None = None


class Leerling(ApiModel):
    """A child in the register."""

    id: uuid.UUID
    pseudoniem: str
    geboortejaar: int
    geboortemaand: int
    regio: Regio
    identiteit: Identiteit | None = Field(
        default=None, description="Alleen voor rollen die de identiteit mogen zien."
    )


class LeerlingOpPeildatum(Leerling):
    categorie: Categorie = Field(description="Categorie op de peildatum (zoals nu bekend).")
    thuiszitter: bool = Field(description="Thuiszitter volgens de landelijke definitie.")
    categorie_sinds: date | None = Field(description="Begin van de huidige periode.")


class LeerlingLijst(ApiModel):
    peildatum: date
    data: list[LeerlingOpPeildatum]
    paginering: Paginering
    totalen: dict[str, int] | None = Field(
        default=None,
        description="Met `totalen=true`: aantal leerlingen per categorie op de peildatum voor het "
        "hele filter (alle pagina's); niet bij `bekendOp` en `signaal`.",
    )


class ZoekVraag(ApiInput):
    """Search by identifying details: always in a body, never in a URL. Give exactly one."""

    pseudoniem: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{4,40}$")
    bsn: str | None = Field(default=None, pattern=r"^[0-9]{9}$")

    @model_validator(mode="after")
    def _precies_een(self) -> ZoekVraag:
        if (self.pseudoniem is None) == (self.bsn is None):
            raise ValueError("geef precies één van pseudoniem en bsn")
        return self


class LeerlingZoekresultaat(ApiModel):
    data: list[Leerling]


class Signalering(ApiModel):
    signaal: str
    reden: str
    feit_ids: list[str]


class Verklaring(ApiModel):
    regel: str = Field(description="De regel die de categorie bepaalde (docs/domain.md).")
    feit_ids: list[str] = Field(description="De feiten die haar bepaalden.")


class TlvOpStatus(ApiModel):
    """A TLV's state on the status page (docs/tlv.md); details at `/tlvs/{tlvId}`."""

    tlv_id: uuid.UUID
    afgegeven_op: date
    onderwijssoort: str
    staat: str
    volgende_check: date | None
    check_achterstallig: bool = Field(description="De check verviel vóór de peildatum.")
    plaatsingsdatum: date | None


class LeerlingStatus(ApiModel):
    """The child's situation on a peildatum, with its explanation."""

    leerling_id: uuid.UUID
    peildatum: date
    bekend_op: datetime | None
    categorie: Categorie
    thuiszitter_landelijk: bool
    thuiszitter_profiel: bool
    sinds: date | None
    verzuim_sinds: date | None
    duur_dagen: int | None
    duur_lesweken: int | None
    signalen: list[Signalering]
    verklaring: Verklaring
    tlvs: list[TlvOpStatus] = Field(
        default_factory=list, description="De TLV's van de leerling met hun staat (zoals bekend)."
    )


class Periode(ApiModel):
    categorie: Categorie
    start: date
    tot_en_met: date | None = Field(
        description="Laatste dag (tot en met) van de periode; leeg als zij nog loopt."
    )
    regel: str
    feit_ids: list[str]
    eindreden: str | None


class Dataprobleem(ApiModel):
    datum: date
    beschrijving: str
    feit_ids: list[str]


class LeerlingTijdlijn(ApiModel):
    leerling_id: uuid.UUID
    tot: date
    bekend_op: datetime | None
    perioden: list[Periode]
    dataproblemen: list[Dataprobleem]


# -- conversions -----------------------------------------------------------------------------


def leerling_antwoord(row: LeerlingRow, actor: Actor, request: Request) -> Leerling:
    """The child as this actor may see it (identity fields by role)."""
    gezien = identiteit_service.toon(row, actor, getattr(request.app.state, "versleuteling", None))
    return Leerling(
        id=row.id,
        pseudoniem=row.pseudoniem,
        geboortejaar=row.geboortejaar,
        geboortemaand=row.geboortemaand,
        regio=row.regio,
        identiteit=Identiteit(
            naam=gezien.naam, geboortedatum=gezien.geboortedatum, adres=gezien.adres, bsn=gezien.bsn
        )
        if gezien
        else None,
    )


def leerling_etag(row: LeerlingRow | LeerlingRecord) -> str:
    return f'"{row.id}-{row.versie}"'


def status_van(leerling_id: uuid.UUID, s: Status, bekend_op: datetime | None) -> LeerlingStatus:
    return LeerlingStatus(
        leerling_id=leerling_id,
        peildatum=s.peildatum,
        bekend_op=bekend_op,
        categorie=s.categorie,
        thuiszitter_landelijk=s.thuiszitter_landelijk,
        thuiszitter_profiel=s.thuiszitter_profiel,
        sinds=s.sinds,
        verzuim_sinds=s.verzuim_sinds,
        duur_dagen=s.duur_dagen,
        duur_lesweken=s.duur_lesweken,
        signalen=[
            Signalering(signaal=str(x.signaal), reden=x.reden, feit_ids=list(x.feit_ids))
            for x in s.signalen
        ],
        verklaring=Verklaring(regel=s.verklaring.regel, feit_ids=list(s.verklaring.feit_ids)),
    )


def tijdlijn_van(
    leerling_id: uuid.UUID, t: Tijdlijn, bekend_op: datetime | None
) -> LeerlingTijdlijn:
    return LeerlingTijdlijn(
        leerling_id=leerling_id,
        tot=t.tot,
        bekend_op=bekend_op,
        perioden=[
            Periode(
                categorie=p.categorie,
                start=p.start,
                tot_en_met=p.einde,
                regel=p.regel,
                feit_ids=list(p.feit_ids),
                eindreden=str(p.eindreden) if p.eindreden else None,
            )
            for p in t.perioden
        ],
        dataproblemen=[
            Dataprobleem(datum=d.datum, beschrijving=d.beschrijving, feit_ids=list(d.feit_ids))
            for d in t.dataproblemen
        ],
    )


# -- routes ----------------------------------------------------------------------------------


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Leerling,
    summary="Registreer een leerling (gepseudonimiseerd)",
    description=(
        "Legt de leerling vast, zonder feiten. Registreren *bij* een school (`schoolId`) zegt "
        "alleen wie de leerling aanmeldt en wie de leerling mag zien; het zegt **niets over de "
        "inschrijving**. Meld die als feit `inschrijving` (of via `/inschrijvingen`), of "
        "`niet-ingeschreven` als de leerling nergens staat ingeschreven. Zolang geen feit iets "
        "over de inschrijving zegt, wordt de leerling nooit B3 (regel 7); een leerling zonder "
        "feiten, en verzuim zonder bekende inschrijving, geven het signaal `dataprobleem`."
    ),
    responses=problem_responses(400, 401, 403, 409, 413, 422),
)
async def create_leerling(
    invoer: LeerlingInvoer,
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_REGISTREREN)],
    uow: UowDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        row = await service.registreer_leerling(
            uow,
            actor,
            service.NieuweLeerling(
                pseudoniem=invoer.pseudoniem,
                geboortejaar=invoer.geboortejaar,
                geboortemaand=invoer.geboortemaand,
                regio=invoer.regio,
                school_id=invoer.school_id,
                woongemeente=invoer.woongemeente,
                identiteit=identiteit_service.Identiteit(
                    naam=invoer.identiteit.naam,
                    geboortedatum=invoer.identiteit.geboortedatum,
                    adres=invoer.identiteit.adres,
                    bsn=invoer.identiteit.bsn,
                )
                if invoer.identiteit
                else None,
            ),
            getattr(request.app.state, "versleuteling", None),
        )
        body = leerling_antwoord(row, actor, request).model_dump(mode="json", by_alias=True)
        return 201, body, {"Location": f"/v1/leerlingen/{row.id}", "ETag": leerling_etag(row)}

    return await idempotency.run(uow, actor, handle)


@router.get(
    "",
    response_model=LeerlingLijst,
    summary="Leerlingen in uw bevoegdheid, met hun categorie op een peildatum",
    responses=problem_responses(400, 401, 403),
)
async def list_leerlingen(
    request: Request,
    response: Response,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    page: PageDep,
    peildatum: Peildatum = None,
    school_id: Annotated[
        uuid.UUID | None, Query(alias="schoolId", description="Alleen deze vestiging.")
    ] = None,
    categorie: Annotated[
        list[Categorie] | None, Query(description="Alleen deze categorie(en) op de peildatum.")
    ] = None,
    thuiszitter: Annotated[
        bool | None, Query(description="Alleen thuiszitters (landelijke definitie).")
    ] = None,
    signaal: Annotated[
        Signaal | None,
        Query(description="Alleen leerlingen met dit signaal op de peildatum (trager: per kind)."),
    ] = None,
    bekend_op: BekendOp = None,
    thuiszitter_profiel: Annotated[
        bool | None,
        Query(
            alias="thuiszitterProfiel",
            description="Alleen thuiszitters volgens de eigen definitie van het SWV (profiel).",
        ),
    ] = None,
    sorteer: Annotated[
        str,
        Query(
            pattern=r"^-?(pseudoniem|geboortejaar|categorie|categorieSinds)$",
            description="Sorteer op een kolom van de lijst; `-` ervoor sorteert aflopend.",
        ),
    ] = "pseudoniem",
    met_totalen: Annotated[
        bool,
        Query(
            alias="totalen",
            description="Ook het aantal per categorie voor het hele filter (`totalen`).",
        ),
    ] = False,
    gewijzigd_sinds: Annotated[
        AwareDatetime | None,
        Query(
            alias="gewijzigdSinds",
            description=(
                "Alleen leerlingen die sinds dit moment (ISO 8601 met tijdzone, inclusief) zijn "
                "geregistreerd, een feit kregen of zijn geanonimiseerd: om bij te blijven zonder "
                "alles te lezen. Neem het moment van uw vorige verzoek, met een marge van een "
                "minuut. Een categorie die alleen door het verstrijken van de tijd wisselt, telt "
                "niet als wijziging."
            ),
        ),
    ] = None,
) -> LeerlingLijst:
    result, dag, totalen = await service.lijst_leerlingen(
        uow,
        actor,
        service.LeerlingFilter(
            school_id=school_id,
            peildatum=peildatum,
            categorieen=tuple(categorie) if categorie else None,
            alleen_thuiszitters=bool(thuiszitter),
            bekend_op=bekend_op,
            signaal=signaal,
            thuiszitter_profiel=bool(thuiszitter_profiel),
            sorteer=sorteer.removeprefix("-"),
            aflopend=sorteer.startswith("-"),
            met_totalen=met_totalen,
            gewijzigd_sinds=gewijzigd_sinds,
        ),
        page,
    )
    data = []
    for item in result.items:
        periode = item.periode
        cat = Categorie(periode.categorie) if periode else Categorie.GEEN
        data.append(
            LeerlingOpPeildatum(
                id=item.leerling.id,
                pseudoniem=item.leerling.pseudoniem,
                geboortejaar=item.leerling.geboortejaar,
                geboortemaand=item.leerling.geboortemaand,
                regio=item.leerling.regio,
                categorie=cat,
                thuiszitter=cat in LANDELIJKE_THUISZITTERS,
                categorie_sinds=periode.start if periode else None,
            )
        )
    return LeerlingLijst(
        peildatum=dag,
        data=data,
        paginering=paginate(request, response, result),
        totalen=totalen,
    )


@router.post(
    "/zoeken",
    response_model=LeerlingZoekresultaat,
    summary="Zoek een leerling op pseudoniemcode (in de body, nooit in de URL)",
    responses=problem_responses(400, 401, 403, 413),
)
async def search_leerlingen(
    vraag: ZoekVraag,
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_ZOEKEN)],
    uow: UowDep,
) -> LeerlingZoekresultaat:
    rows = await service.zoek_leerlingen(
        uow,
        actor,
        pseudoniem=vraag.pseudoniem,
        bsn=vraag.bsn,
        versleuteling=getattr(request.app.state, "versleuteling", None),
    )
    return LeerlingZoekresultaat(data=[leerling_antwoord(r, actor, request) for r in rows])


@router.get(
    "/{leerlingId}",
    response_model=Leerling,
    summary="Eén leerling",
    responses=PROBLEMEN_LEERLING,
)
async def get_leerling(
    leerling_id: LeerlingId,
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    response: Response,
) -> Leerling:
    row = await service.haal_leerling(uow, actor, leerling_id)
    response.headers["ETag"] = leerling_etag(row)
    return leerling_antwoord(row, actor, request)


@router.get(
    "/{leerlingId}/status",
    response_model=LeerlingStatus,
    summary="Status van de leerling op een peildatum, met uitleg",
    responses=PROBLEMEN_LEERLING,
)
async def get_status(
    leerling_id: LeerlingId,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    peildatum: Peildatum = None,
    bekend_op: BekendOp = None,
) -> LeerlingStatus:
    _leerling, s, tlvs = await tlv_service.status_met_tlvs(
        uow, actor, leerling_id, peildatum=peildatum, bekend_op=bekend_op
    )
    antwoord = status_van(leerling_id, s, bekend_op)
    antwoord.tlvs = [
        TlvOpStatus(
            tlv_id=t.tlv_id,
            afgegeven_op=t.afgegeven_op,
            onderwijssoort=str(t.onderwijssoort),
            staat=str(t.stand.staat),
            volgende_check=t.stand.volgende_check,
            check_achterstallig=t.achterstallig,
            plaatsingsdatum=t.stand.plaatsingsdatum,
        )
        for t in tlvs
    ]
    return antwoord


@router.get(
    "/{leerlingId}/tijdlijn",
    response_model=LeerlingTijdlijn,
    summary="Tijdlijn van de leerling: opeenvolgende perioden met hun categorie",
    responses=PROBLEMEN_LEERLING,
)
async def get_tijdlijn(
    leerling_id: LeerlingId,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    tot: Annotated[
        date | None,
        Query(
            description="Tot en met deze datum; standaard vandaag.",
            ge=EERSTE_DATUM,
            le=LAATSTE_DATUM,
        ),
    ] = None,
    bekend_op: BekendOp = None,
) -> LeerlingTijdlijn:
    _leerling, t = await service.tijdlijn_van(uow, actor, leerling_id, tot=tot, bekend_op=bekend_op)
    return tijdlijn_van(leerling_id, t, bekend_op)
