"""Children in the register: registration, lists, search, their facts (the inbox and the
history), status and timeline."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import AwareDatetime, Field, model_validator

from app.api.auth import toegang
from app.api.casussen import CasusDetail, detail_van
from app.api.deps import PageDep, UowDep
from app.api.escalaties import EscalatieInzage, inzage_van
from app.api.idempotency import IdempotencyDep
from app.api.meldingen import Melding, melding_van
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
from app.api.tlv import Plaatsingscheck, Tlv, plaatsingscheck_van, tlv_van
from app.db.leerlingen import FeitRow, Kind, LeerlingRow
from app.domain.classificatie import Categorie
from app.domain.feiten import FeitSoort
from app.domain.status import Signaal, Status
from app.domain.tijdlijn import Tijdlijn
from app.domain.toegang import Actor, Namens, Operatie
from app.services import feiten as feiten_service
from app.services import identiteit as identiteit_service
from app.services import leerlingen as service
from app.services import privacy as privacy_service
from app.services import tlv as tlv_service
from app.services.errors import NotFound

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

AFGESCHAFT_OP = date(2026, 12, 7)
"""The day the old inbox and history paths (`/meldingen`, `/gebeurtenissen`) were deprecated."""
ZONSONDERGANG = date(2027, 7, 1)
"""The day those paths stop answering (API Design Rules /core/transition-period, API-19)."""


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
        description="Pseudoniemcode die de school toekent, bijvoorbeeld 231801 (seed 004).",
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


class FeitInvoer(ApiInput):
    """A fact about the child, as a school, leerplicht or the SWV states it."""

    soort: FeitSoort = Field(description="Soort feit; zie `docs/domain.md`.")
    geldig_vanaf: date = Field(description="De datum waarop het feit betrekking heeft.")
    gegevens: dict[str, Any] = Field(
        default_factory=dict,
        description="Velden die bij deze soort horen (camelCase), bijvoorbeeld "
        '`{"doorOuders": true}` bij een ziekmelding.',
    )
    bron_referentie: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Eigen kenmerk van het bronsysteem; dezelfde referentie is dezelfde melding.",
    )
    school_id: uuid.UUID | None = Field(
        default=None, description="Vestiging waarover of waardoor gemeld wordt."
    )
    namens: NamensVeld = None


class Gebeurtenis(ApiModel):
    """One fact in the child's history, as the register received it."""

    id: uuid.UUID
    soort: str
    geldig_vanaf: date
    geregistreerd_op: datetime
    gegevens: dict[str, Any]
    bron: str
    bron_referentie: str | None
    school_id: uuid.UUID | None
    namens: Namens | None = Field(description="De bron namens wie het feit is vastgelegd.")


class GebeurtenisLijst(ApiModel):
    data: list[Gebeurtenis]


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
    einde: date | None
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

_CAMEL = re.compile(r"_([a-z0-9])")
_SNAKE = re.compile(r"([A-Z])")


def _camel(naam: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), naam)


def _snake(naam: str) -> str:
    return _SNAKE.sub(lambda m: "_" + m.group(1).lower(), naam)


def _sleutels(data: Any, omzetten: Any) -> Any:
    if isinstance(data, dict):
        return {omzetten(k): _sleutels(v, omzetten) for k, v in data.items()}
    return data


def gebeurtenis(row: FeitRow) -> Gebeurtenis:
    return Gebeurtenis(
        id=row.id,
        soort=row.soort,
        geldig_vanaf=row.geldig_vanaf,
        geregistreerd_op=row.geregistreerd_op,
        gegevens=_sleutels(row.payload, _camel),
        bron=row.bron,
        bron_referentie=row.bron_referentie,
        school_id=row.school_id,
        namens=Namens(row.namens) if row.namens else None,
    )


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


def _etag(row: LeerlingRow | Kind) -> str:
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
                einde=p.einde,
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
        return 201, body, {"Location": f"/v1/leerlingen/{row.id}", "ETag": _etag(row)}

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
                thuiszitter=cat in {Categorie.B2A, Categorie.B2B, Categorie.B3},
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
    response.headers["ETag"] = _etag(row)
    return leerling_antwoord(row, actor, request)


_FEIT_MELDEN_OMSCHRIJVING = (
    "Voegt een feit toe aan de geschiedenis van de leerling; er wordt nooit iets "
    "overschreven. Een tweede melding met dezelfde `bronReferentie` van hetzelfde "
    "bronsysteem en dezelfde inhoud is dezelfde melding en geeft 200 met het eerder vastgelegde "
    "feit; met andere inhoud geeft zij 409 met het id van het eerdere feit. Velden die de server "
    "zet (`id`, `geldigVanaf`, `geregistreerdOp`) horen niet in `gegevens` (400). "
    "Correcties (`correctie`) en intrekkingen (`intrekking`) verwijzen met "
    "`gegevens.betreft` naar een eerder feit en vragen een `gegevens.reden`. Welke rol welk "
    "feit mag vastleggen staat in `docs/domain.md` (Wie meldt welk feit); een feit dat uw rol "
    "niet mag vastleggen geeft 403 en er wordt niets opgeslagen."
)
_FEIT_MELDEN_ANTWOORDEN: dict[int | str, dict[str, Any]] = {
    200: {"description": "Dit feit was al ontvangen", "model": Gebeurtenis},
    **problem_responses(400, 401, 403, 404, 409, 413, 422),
}


async def _meld_feit(
    leerling_id: uuid.UUID,
    invoer: FeitInvoer,
    actor: Actor,
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    async def handle() -> tuple[int, Any, dict[str, str]]:
        toegevoegd = await feiten_service.meld_feit(
            uow,
            actor,
            leerling_id,
            feiten_service.NieuwFeit(
                soort=str(invoer.soort),
                geldig_vanaf=invoer.geldig_vanaf,
                gegevens=_sleutels(invoer.gegevens, _snake),
                bron_referentie=invoer.bron_referentie,
                school_id=invoer.school_id,
                namens=invoer.namens,
            ),
        )
        body = gebeurtenis(toegevoegd.feit).model_dump(mode="json", by_alias=True)
        headers = {
            "Location": f"/v1/leerlingen/{leerling_id}/feiten/{toegevoegd.feit.id}",
            "ETag": _etag(toegevoegd.leerling),
        }
        return (201 if toegevoegd.nieuw else 200), body, headers

    return await idempotency.run(uow, actor, handle)


@router.post(
    "/{leerlingId}/feiten",
    status_code=status.HTTP_201_CREATED,
    response_model=Gebeurtenis,
    summary="Leg een feit over de leerling vast",
    description=_FEIT_MELDEN_OMSCHRIJVING,
    responses=_FEIT_MELDEN_ANTWOORDEN,
)
async def create_feit(
    leerling_id: LeerlingId,
    invoer: FeitInvoer,
    actor: Annotated[Actor, toegang(Operatie.FEIT_MELDEN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    return await _meld_feit(leerling_id, invoer, actor, uow, idempotency)


def _afgeschaft(response: Response, opvolger: str) -> None:
    """Deprecation (RFC 9745), Sunset (RFC 8594) and the successor (API Design Rules API-18)."""
    response.headers["Deprecation"] = (
        f"@{int(datetime.combine(AFGESCHAFT_OP, time(), UTC).timestamp())}"
    )
    response.headers["Sunset"] = format_datetime(
        datetime.combine(ZONSONDERGANG, time(), UTC), usegmt=True
    )
    response.headers["Link"] = f'<{opvolger}>; rel="successor-version"'


_AFGESCHAFT = (
    " **Afgeschaft**: gebruik `{pad}`. Dit pad antwoordt tot de `Sunset`-datum "
    f"({ZONSONDERGANG.isoformat()}) met de headers `Deprecation`, `Sunset` en `Link`."
)


@router.post(
    "/{leerlingId}/meldingen",
    status_code=status.HTTP_201_CREATED,
    response_model=Gebeurtenis,
    summary="Meld een feit over de leerling (afgeschaft)",
    description=_FEIT_MELDEN_OMSCHRIJVING
    + _AFGESCHAFT.format(pad="POST /leerlingen/{leerlingId}/feiten"),
    responses=_FEIT_MELDEN_ANTWOORDEN,
    deprecated=True,
)
async def create_melding(
    leerling_id: LeerlingId,
    invoer: FeitInvoer,
    actor: Annotated[Actor, toegang(Operatie.FEIT_MELDEN)],
    uow: UowDep,
    idempotency: IdempotencyDep,
) -> Any:
    antwoord = await _meld_feit(leerling_id, invoer, actor, uow, idempotency)
    _afgeschaft(antwoord, f"/v1/leerlingen/{leerling_id}/feiten")
    return antwoord


@router.get(
    "/{leerlingId}/feiten",
    response_model=GebeurtenisLijst,
    summary="De hele geschiedenis van de leerling: elk feit zoals ontvangen",
    responses=PROBLEMEN_LEERLING,
)
async def list_feiten(
    leerling_id: LeerlingId,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
) -> GebeurtenisLijst:
    _leerling, rows = await feiten_service.lijst_feiten(uow, actor, leerling_id)
    return GebeurtenisLijst(data=[gebeurtenis(r) for r in rows])


@router.get(
    "/{leerlingId}/gebeurtenissen",
    response_model=GebeurtenisLijst,
    summary="De hele geschiedenis van de leerling (afgeschaft)",
    description=_AFGESCHAFT.format(pad="GET /leerlingen/{leerlingId}/feiten").strip(),
    responses=PROBLEMEN_LEERLING,
    deprecated=True,
)
async def list_gebeurtenissen(
    leerling_id: LeerlingId,
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    response: Response,
) -> GebeurtenisLijst:
    _leerling, rows = await feiten_service.lijst_feiten(uow, actor, leerling_id)
    _afgeschaft(response, f"/v1/leerlingen/{leerling_id}/feiten")
    return GebeurtenisLijst(data=[gebeurtenis(r) for r in rows])


async def _een_feit(
    uow: UowDep, actor: Actor, leerling_id: uuid.UUID, feit_id: uuid.UUID
) -> Gebeurtenis:
    _leerling, rows = await feiten_service.lijst_feiten(uow, actor, leerling_id)
    for row in rows:
        if row.id == feit_id:
            return gebeurtenis(row)
    raise NotFound("Dit feit bestaat niet bij deze leerling.")


@router.get(
    "/{leerlingId}/feiten/{feitId}",
    response_model=Gebeurtenis,
    summary="Eén feit uit de geschiedenis van de leerling",
    responses=PROBLEMEN_LEERLING,
)
async def get_feit(
    leerling_id: LeerlingId,
    feit_id: Annotated[uuid.UUID, Path(alias="feitId")],
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
) -> Gebeurtenis:
    return await _een_feit(uow, actor, leerling_id, feit_id)


@router.get(
    "/{leerlingId}/gebeurtenissen/{gebeurtenisId}",
    response_model=Gebeurtenis,
    summary="Eén gebeurtenis uit de geschiedenis van de leerling (afgeschaft)",
    description=_AFGESCHAFT.format(pad="GET /leerlingen/{leerlingId}/feiten/{feitId}").strip(),
    responses=PROBLEMEN_LEERLING,
    deprecated=True,
)
async def get_gebeurtenis(
    leerling_id: LeerlingId,
    gebeurtenis_id: Annotated[uuid.UUID, Path(alias="gebeurtenisId")],
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    response: Response,
) -> Gebeurtenis:
    feit = await _een_feit(uow, actor, leerling_id, gebeurtenis_id)
    _afgeschaft(response, f"/v1/leerlingen/{leerling_id}/feiten/{gebeurtenis_id}")
    return feit


class Inzage(ApiModel):
    """Everything the register holds on one child (AVG art. 15), with who accessed it."""

    leerling: Leerling
    vestiging_ids: list[uuid.UUID]
    gebeurtenissen: list[Gebeurtenis]
    status: LeerlingStatus
    toegang: list[dict[str, Any]] = Field(
        description="Wie de gegevens raadpleegde of wijzigde: tijdstip, rol, handeling, resultaat."
    )
    escalaties: list[EscalatieInzage] = Field(
        description="Escalaties (doorzettingskracht en -macht) met hun hele geschiedenis."
    )
    tlvs: list[Tlv] = Field(default_factory=list, description="De TLV's met hun geschiedenis.")
    plaatsingschecks: list[Plaatsingscheck] = Field(default_factory=list)
    meldingen: list[Melding] = Field(description="De meldingen over deze leerling.")
    casussen: list[CasusDetail] = Field(description="De casussen van deze leerling.")


@router.get(
    "/{leerlingId}/inzage",
    response_model=Inzage,
    summary="Inzage-export: alles wat over deze leerling is vastgelegd (AVG art. 15)",
    responses=PROBLEMEN_LEERLING,
)
async def get_inzage(
    leerling_id: LeerlingId,
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.INZAGE_EXPORTEREN)],
    uow: UowDep,
) -> Inzage:
    result = await privacy_service.inzage(uow, actor, leerling_id)
    return Inzage(
        leerling=leerling_antwoord(result.leerling, actor, request),
        vestiging_ids=result.vestiging_ids,
        gebeurtenissen=[gebeurtenis(r) for r in result.feiten],
        status=status_van(leerling_id, result.status, None),
        toegang=[
            {
                "tijdstip": a.tijdstip.isoformat(),
                "rol": a.actor_rol,
                "handeling": a.handeling,
                "resultaat": a.resultaat,
            }
            for a in result.toegang
        ],
        escalaties=[inzage_van(e, stappen) for e, stappen in result.escalaties],
        tlvs=[tlv_van(t) for t in result.tlvs],
        plaatsingschecks=[plaatsingscheck_van(c) for c in result.plaatsingschecks],
        meldingen=[melding_van(m, result.status.peildatum) for m in result.meldingen],
        casussen=[detail_van(c) for c in result.casussen],
    )


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
