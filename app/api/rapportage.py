"""The quarterly Inspectie report, its summary, the SWV overview, and submissions.

Exports are chosen with the `Accept` header: JSON (default), CSV (`text/csv`) or XLSX. Large
files are written to a spooled temporary file (memory-bounded, spilling to disk) and streamed.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.problems import problem_responses
from app.api.schemas import CONTRACT_SCHEMAS, EERSTE_DATUM, LAATSTE_DATUM, ApiInput, ApiModel
from app.domain.toegang import Actor, Operatie
from app.services import rapportage as service
from app.services.exports import (
    FORMAAT,
    KOLOMMEN_V1,
    Formaat,
    samenvatting_naar_dict,
    schrijf_overzicht_csv,
    schrijf_register_csv,
    schrijf_register_json,
    schrijf_samenvatting_csv,
    schrijf_xlsx,
)

router = APIRouter(tags=["Rapportage"])

JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 8 * 1024 * 1024

Peildatum = Annotated[
    date, Query(description="De peildatum (JJJJ-MM-DD).", ge=EERSTE_DATUM, le=LAATSTE_DATUM)
]
BekendOp = Annotated[
    AwareDatetime | None,
    Query(alias="bekendOp", description="Zoals bekend op dit moment; standaard nu."),
]
IndieningId = Annotated[uuid.UUID, Path(alias="indieningId")]


def _formaat(request: Request, toegestaan: tuple[str, ...]) -> str:
    accept = request.headers.get("accept", JSON)
    for media in (m.split(";")[0].strip() for m in accept.split(",")):
        if media in toegestaan:
            return media
        if media in {"*/*", "application/*"}:
            return toegestaan[0]
    return toegestaan[0]


def _bestand(schrijf: Any) -> Iterator[bytes]:
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        schrijf(spool)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk
    finally:
        spool.close()


def _antwoord(schrijf: Any, media: str, naam: str) -> StreamingResponse:
    extensie = {JSON: "json", CSV: "csv", XLSX: "xlsx"}[media]
    # A sync iterator: Starlette runs it in a worker thread, so writing never blocks the loop.
    return StreamingResponse(
        _bestand(schrijf),
        media_type=media + ("; charset=utf-8" if media == CSV else ""),
        headers={"Content-Disposition": f'attachment; filename="{naam}.{extensie}"'},
    )


# -- typed report schemas (contract only: the JSON is streamed as the exports write it) -------

_EINDE = (
    "de eerste dag waarop de situatie niet meer geldt (halfopen), zoals `einddatum`, `einde` en "
    "`geldigTot` overal in deze API."
)
_KOLOMSCHEMA: dict[Formaat, dict[str, Any]] = {
    Formaat.TEKST: {"type": ["string", "null"]},
    Formaat.GETAL: {"type": ["integer", "null"]},
    Formaat.DATUM: {"type": ["string", "null"], "format": "date"},
    Formaat.JA_NEE: {"type": ["boolean", "null"]},
}


def _rij_schema() -> dict[str, Any]:
    """One register row, derived from the columns the export writes (`KOLOMMEN_V1`)."""
    properties: dict[str, Any] = {}
    for kolom in KOLOMMEN_V1:
        schema = dict(_KOLOMSCHEMA[kolom.formaat])
        if kolom.sleutel == "verloop":
            schema = {"type": "array", "items": {"type": "string"}}
        schema["description"] = kolom.kop + ("; " + _EINDE if kolom.sleutel == "einddatum" else "")
        properties[kolom.sleutel] = schema
    return {
        "type": "object",
        "title": "InspectieRegisterRij",
        "description": "Eén rij van het register: één kind, geanonimiseerd (docs/rapportage.md).",
        "properties": properties,
        "required": [k.sleutel for k in KOLOMMEN_V1],
        "additionalProperties": False,
    }


class RegisterKop(ApiModel):
    """The head of a register export."""

    peildatum: date
    schooljaar: str = Field(description="Het schooljaar, bijvoorbeeld `2026-2027`.")
    vanaf: date = Field(description="De eerste dag van het schooljaar die meetelt.")
    bekend_op: datetime | None = Field(description="Het register zoals bekend op dit moment.")


class InspectieRegister(ApiModel):
    """The Inspectie register on a peildatum (the JSON export)."""

    formaat: Literal["thuiszitters-inspectieregister"] = FORMAAT  # type: ignore[assignment]
    versie: int = Field(description="Versie van de kolomindeling.")
    kop: RegisterKop
    kolommen: list[str] = Field(description="De sleutels van de rijen, in kolomvolgorde.")
    rijen: list[dict[str, Any]] = Field(description="Eén rij per kind (`InspectieRegisterRij`).")


class InspectieSamenvatting(ApiModel):
    """Counts per category, age, duration; new, ended and running (docs/rapportage.md)."""

    formaat: Literal["thuiszitters-samenvatting"]
    versie: int
    peildatum: date
    schooljaar: str
    vorige_peildatum: date | None
    aantal: int
    actief: int
    per_categorie: dict[str, int] = Field(description="Categorie op de peildatum.")
    per_categorie_schooljaar: dict[str, int] = Field(description="Categorie in het schooljaar.")
    per_typering: dict[str, int]
    per_leeftijdsgroep: dict[str, int]
    per_duurklasse: dict[str, int]
    mutaties: dict[str, int] | None = Field(description="Sinds de vorige peildatum.")
    verdwenen: int
    pact_overschreden: int
    doorzettingsmacht_bij: str | None = Field(
        default=None, description="Wie in het SWV doorzettingsmacht heeft."
    )


class OverzichtGroep(ApiModel):
    """One row of the SWV overview: a school, a gemeente or the total."""

    groep: str
    cellen: dict[str, int | None] = Field(
        description="Aantal per kolom; `null` is onderdrukt (1 tot de drempel), zodat geen "
        "kind herkenbaar is."
    )


class Doorzettingsmacht(ApiModel):
    belegd_bij: str
    afspraak_termijn_dagen: int


class SwvOverzicht(ApiModel):
    """The SWV's overview: counts only, per school and gemeente."""

    peildatum: date
    drempel: int = Field(description="Cellen van 1 tot dit aantal worden onderdrukt.")
    totaal: OverzichtGroep
    per_school: list[OverzichtGroep]
    per_gemeente: list[OverzichtGroep]
    doorzettingsmacht: Doorzettingsmacht


def _component(model: type[ApiModel]) -> None:
    schema = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    for naam, sub in schema.pop("$defs", {}).items():
        CONTRACT_SCHEMAS[naam] = sub
    CONTRACT_SCHEMAS[model.__name__] = schema


_OMSCHRIJVINGEN = {
    "InspectieRegister": "Het thuiszittersregister voor de Inspectie op een peildatum (JSON).",
    "RegisterKop": "De kop van het register: peildatum, schooljaar en kennisstand.",
    "InspectieSamenvatting": "Aantallen per categorie, typering, leeftijdsgroep en duurklasse; "
    "nieuw, beëindigd en lopend sinds de vorige peildatum.",
    "SwvOverzicht": "Het overzicht voor het SWV: alleen aantallen, per school en gemeente.",
    "OverzichtGroep": "Eén rij van het overzicht: een school, een gemeente of het totaal.",
    "Doorzettingsmacht": "Wie in het SWV doorzettingsmacht heeft, en de afspraaktermijn.",
}
for _model in (InspectieRegister, InspectieSamenvatting, SwvOverzicht):
    _component(_model)
for _naam, _omschrijving in _OMSCHRIJVINGEN.items():
    CONTRACT_SCHEMAS[_naam]["description"] = _omschrijving
CONTRACT_SCHEMAS["InspectieRegisterRij"] = _rij_schema()
CONTRACT_SCHEMAS["InspectieRegister"]["properties"]["rijen"]["items"] = {
    "$ref": "#/components/schemas/InspectieRegisterRij"
}


def _ref(naam: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{naam}"}


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Het register (JSON, CSV of XLSX naar de `Accept`-header).",
        "content": {
            JSON: {"schema": _ref("InspectieRegister")},
            CSV: {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **problem_responses(400, 401, 403),
}


def json_of_csv(beschrijving: str, schema: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses of a report served as JSON or CSV."""
    return {
        200: {
            "description": beschrijving,
            "content": {JSON: {"schema": _ref(schema)}, CSV: {"schema": {"type": "string"}}},
        },
        **problem_responses(400, 401, 403),
    }


@router.get(
    "/rapportages/inspectie",
    summary="Het thuiszittersregister voor de Inspectie op een peildatum (geanonimiseerd)",
    description="Cumulatief binnen het schooljaar, landelijke definitie (B2a, B2b, B3) en "
    "vrijstellingen 5 onder a; zie docs/rapportage.md. JSON, CSV of XLSX (met samenvatting en "
    "grafiek) naar de `Accept`-header.",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
)
async def get_inspectie_rapport(
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)],
    uow: UowDep,
    peildatum: Peildatum,
    bekend_op: BekendOp = None,
) -> StreamingResponse:
    media = _formaat(request, (JSON, CSV, XLSX))
    rapport = await service.inspectie_rapport(uow, actor, peildatum=peildatum, bekend_op=bekend_op)
    register = rapport.register
    naam = f"thuiszitters-{peildatum.isoformat()}"
    if media == CSV:
        return _antwoord(lambda uit: schrijf_register_csv(register.rijen, uit), media, naam)
    if media == XLSX:
        reeks = [
            (d, tellingen) for d, tellingen in await service.reeks(uow, actor) if d < peildatum
        ] + [(peildatum, dict(rapport.samenvatting.per_categorie))]
        gemaakt_op = bekend_op or datetime.now(UTC)

        def xlsx(uit: IO[bytes]) -> None:
            schrijf_xlsx(
                register.kop, register.rijen, rapport.samenvatting, uit,
                gemaakt_op=gemaakt_op, reeks=reeks,
                doorzettingsmacht_bij=rapport.doorzettingsmacht_bij,
            )  # fmt: skip

        return _antwoord(xlsx, XLSX, naam)
    return _antwoord(
        lambda uit: schrijf_register_json(register.kop, register.rijen, uit), media, naam
    )


@router.get(
    "/rapportages/inspectie/samenvatting",
    summary="Samenvatting: aantallen per categorie, leeftijd, duur; nieuw, beëindigd, lopend",
    response_class=StreamingResponse,
    responses=json_of_csv("De samenvatting (JSON of CSV).", "InspectieSamenvatting"),
)
async def get_inspectie_samenvatting(
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)],
    uow: UowDep,
    peildatum: Peildatum,
    bekend_op: BekendOp = None,
) -> StreamingResponse:
    media = _formaat(request, (JSON, CSV))
    rapport = await service.inspectie_rapport(uow, actor, peildatum=peildatum, bekend_op=bekend_op)
    naam = f"samenvatting-{peildatum.isoformat()}"
    if media == CSV:
        return _antwoord(
            lambda uit: schrijf_samenvatting_csv(
                rapport.samenvatting, uit, rapport.doorzettingsmacht_bij
            ),
            CSV,
            naam,
        )
    inhoud = json.dumps(
        samenvatting_naar_dict(rapport.samenvatting, rapport.doorzettingsmacht_bij),
        ensure_ascii=False,
    )
    return StreamingResponse([inhoud.encode()], media_type=JSON)


@router.get(
    "/rapportages/swv-overzicht",
    summary="Het volledige beeld voor het SWV: per school en gemeente, alleen aantallen",
    description="A1, elke vrijstelling, C, B1–B3, dreigend thuiszitters, Thuiszitterspact en "
    "dataproblemen; in JSON ook wie doorzettingsmacht heeft en de afspraaktermijn. Cellen van "
    "1 tot 4 worden onderdrukt, zodat geen kind herkenbaar is.",
    response_class=StreamingResponse,
    responses=json_of_csv("Het overzicht (JSON of CSV).", "SwvOverzicht"),
)
async def get_swv_overzicht(
    request: Request,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_SWV)],
    uow: UowDep,
    peildatum: Peildatum,
    bekend_op: BekendOp = None,
) -> StreamingResponse:
    media = _formaat(request, (JSON, CSV))
    overzicht = await service.overzicht(uow, actor, peildatum=peildatum, bekend_op=bekend_op)
    result, beleid = overzicht.tabel, overzicht.escalatiebeleid
    naam = f"swv-overzicht-{peildatum.isoformat()}"
    if media == CSV:
        return _antwoord(lambda uit: schrijf_overzicht_csv(result, uit), CSV, naam)

    def groep(g: Any) -> dict[str, Any]:
        return {"groep": g.groep, "cellen": dict(zip(result.kolommen, g.cellen, strict=True))}

    inhoud = {
        "peildatum": peildatum.isoformat(),
        "drempel": result.drempel,
        "totaal": groep(result.totaal),
        "perSchool": [groep(g) for g in result.per_school],
        "perGemeente": [groep(g) for g in result.per_gemeente],
        "doorzettingsmacht": {
            "belegdBij": str(beleid.doorzettingsmacht_bij),
            "afspraakTermijnDagen": beleid.afspraak_termijn_dagen,
        },
    }
    return StreamingResponse([json.dumps(inhoud, ensure_ascii=False).encode()], media_type=JSON)


class IndieningInvoer(ApiInput):
    peildatum: date = Field(
        description="Een peildatum: 1 december, 1 maart, 1 juni of 1 september."
    )


class Indiening(ApiModel):
    """A frozen report: exactly what was submitted, with its SHA-256."""

    id: uuid.UUID
    peildatum: date
    bekend_op: datetime = Field(description="Het register zoals bekend op dit moment.")
    ingediend_door: str
    sha256: str
    aantal_rijen: int
    per_categorie: dict[str, int]


class IndieningLijst(ApiModel):
    data: list[Indiening]


class Verschil(ApiModel):
    pseudoniem: str
    soort: Literal["nieuw", "vervallen", "gewijzigd"]
    velden: list[str]


class Verschillen(ApiModel):
    data: list[Verschil]


@router.post(
    "/inspectie-indieningen",
    status_code=status.HTTP_201_CREATED,
    response_model=Indiening,
    summary="Dien het register van een peildatum in: bevroren, met inhoudshash",
    responses=problem_responses(400, 401, 403, 413),
)
async def create_indiening(
    invoer: IndieningInvoer,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INDIENEN)],
    uow: UowDep,
) -> Indiening:
    return Indiening.model_validate(await service.dien_in(uow, actor, peildatum=invoer.peildatum))


@router.get(
    "/inspectie-indieningen",
    response_model=IndieningLijst,
    summary="Ingediende registers",
    responses=problem_responses(401, 403),
)
async def list_indieningen(
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)], uow: UowDep
) -> IndieningLijst:
    rows = await service.indieningen(uow, actor)
    return IndieningLijst(data=[Indiening.model_validate(r) for r in rows])


@router.get(
    "/inspectie-indieningen/{indieningId}",
    response_model=Indiening,
    summary="Eén ingediend register (metadata)",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_indiening(
    indiening_id: IndieningId,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)],
    uow: UowDep,
) -> Indiening:
    return Indiening.model_validate(await service.indiening(uow, actor, indiening_id))


@router.get(
    "/inspectie-indieningen/{indieningId}/register",
    summary="Het ingediende register, byte voor byte zoals ingediend (JSON)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Het bevroren register, byte voor byte; indieningen van voor de "
            "camelCase-sleutels hebben de snake_case-sleutels van toen.",
            "content": {JSON: {"schema": {"type": "object"}}},
        },
        **problem_responses(400, 401, 403, 404),
    },
)
async def get_indiening_register(
    indiening_id: IndieningId,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)],
    uow: UowDep,
) -> StreamingResponse:
    row = await service.indiening(uow, actor, indiening_id)
    return StreamingResponse(
        [row.inhoud],
        media_type=JSON,
        headers={"ETag": f'"{row.sha256}"'},
    )


@router.get(
    "/inspectie-indieningen/{indieningId}/verschillen",
    response_model=Verschillen,
    summary="Wat verschilt tussen het ingediende register en dezelfde peildatum zoals nu bekend",
    responses=problem_responses(400, 401, 403, 404),
)
async def get_indiening_verschillen(
    indiening_id: IndieningId,
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)],
    uow: UowDep,
) -> Verschillen:
    _row, result = await service.verschillen_met_nu(uow, actor, indiening_id)
    return Verschillen(
        data=[
            Verschil(pseudoniem=v.pseudoniem, soort=v.soort, velden=list(v.velden)) for v in result
        ]
    )


@router.get(
    "/rapportages/inspectie/verschillen",
    response_model=Verschillen,
    summary="Wat verschilt tussen de registers van twee peildata",
    responses=problem_responses(400, 401, 403),
)
async def get_verschillen_tussen_peildata(
    actor: Annotated[Actor, toegang(Operatie.RAPPORT_INSPECTIE)],
    uow: UowDep,
    van: Annotated[
        date, Query(description="De eerste peildatum.", ge=EERSTE_DATUM, le=LAATSTE_DATUM)
    ],
    tot: Annotated[
        date, Query(description="De tweede peildatum.", ge=EERSTE_DATUM, le=LAATSTE_DATUM)
    ],
    bekend_op: BekendOp = None,
) -> Verschillen:
    result = await service.tussen_peildata(uow, actor, van=van, tot=tot, bekend_op=bekend_op)
    return Verschillen(
        data=[
            Verschil(pseudoniem=v.pseudoniem, soort=v.soort, velden=list(v.velden)) for v in result
        ]
    )


class OverlegRegel(ApiModel):
    leerling_id: uuid.UUID
    pseudoniem: str
    reden: Literal["absoluut-verzuim", "vrijstelling", "besluit-11g", "frequent-verzuim"]
    categorie: str
    sinds: date | None


class Leerplichtoverleg(ApiModel):
    peildatum: date
    data: list[OverlegRegel]


@router.get(
    "/rapportages/leerplichtoverleg",
    response_model=Leerplichtoverleg,
    summary="De lijst voor het kwartaaloverleg met leerplicht (binnen uw bevoegdheid)",
    description="Absoluut verzuim, vrijstellingen en 11g-besluiten, en frequent verzuim "
    "(16 uur in 4 weken, LPW art. 21) op de peildatum; voor een leerplichtambtenaar de "
    "leerlingen van de eigen gemeente(n).",
    responses=problem_responses(400, 401, 403),
)
async def get_leerplichtoverleg(
    actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
    uow: UowDep,
    peildatum: Peildatum,
) -> Leerplichtoverleg:
    regels = await service.leerplichtoverleg(uow, actor, peildatum=peildatum)
    return Leerplichtoverleg(
        peildatum=peildatum,
        data=[
            OverlegRegel(
                leerling_id=r.leerling.id,
                pseudoniem=r.leerling.pseudoniem,
                reden=r.reden,
                categorie=r.categorie,
                sinds=r.sinds,
            )
            for r in regels
        ],
    )
