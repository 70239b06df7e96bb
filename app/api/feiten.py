"""A child's facts over HTTP: the inbox (`POST /leerlingen/{id}/feiten`) and the history.

The old paths `/meldingen` and `/gebeurtenissen` answer until their `Sunset` date with the headers
`Deprecation`, `Sunset` and `Link` (API Design Rules API-18, API-19).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
import uuid
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import Field

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.idempotentie import IdempotencyDep
from app.api.leerlingen import PROBLEMEN_LEERLING, LeerlingId, NamensVeld, leerling_etag
from app.api.problems import problem_responses
from app.api.schemas import CONTRACT_SCHEMAS, ApiInput, ApiModel
from app.db.leerlingen import FeitRow
from app.domain.feiten import FEITKLASSEN, FeitSoort
from app.domain.toegang import Actor, Namens, Operatie
from app.services import feiten as feiten_service
from app.services.errors import NotFound

router = APIRouter(prefix="/leerlingen", tags=["Leerlingen"])

AFGESCHAFT_OP = date(2026, 12, 7)
"""The day the old inbox and history paths (`/meldingen`, `/gebeurtenissen`) were deprecated."""
ZONSONDERGANG = date(2027, 7, 1)
"""The day those paths stop answering (API Design Rules /core/transition-period, API-19)."""


# -- schemas -------------------------------------------------------------------------------


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


def _vrij_object(schema: dict[str, Any]) -> None:
    """An object whose fields depend on `soort`: no `additionalProp1` in the docs."""
    schema.pop("additionalProperties", None)


class Gebeurtenis(ApiModel):
    """One fact in the child's history, as the register received it."""

    id: uuid.UUID
    soort: str
    geldig_vanaf: date
    geregistreerd_op: datetime
    gegevens: dict[str, Any] = Field(
        json_schema_extra=_vrij_object,
        description="De velden van deze soort, zoals `Gegevens<Soort>` ze beschrijft; bij "
        "`inschrijving`, `uitschrijving` en `plaatsing` ook `vestiging` (het `schoolId`).",
    )
    bron: str
    bron_referentie: str | None
    school_id: uuid.UUID | None
    namens: Namens | None = Field(description="De bron namens wie het feit is vastgelegd.")


class GebeurtenisLijst(ApiModel):
    data: list[Gebeurtenis]


# -- the fact kinds in the contract, generated from the domain's dataclasses --------------------

_VESTIGING_UIT_SCHOOL_ID = {FeitSoort.INSCHRIJVING, FeitSoort.UITSCHRIJVING, FeitSoort.PLAATSING}
"""Kinds whose vestiging is the request's `schoolId`, never a field of `gegevens`."""
_SERVERVELDEN = {"id", "geldig_vanaf", "geregistreerd_op"}
_VELDBESCHRIJVING = {
    "betreft": "Id van het eerdere feit van deze leerling waarop dit feit betrekking heeft "
    "(`docs/domain.md` regel 15).",
    "reden": "Waarom; vrije tekst, nooit in een export voor de Inspectie.",
    "einde": "De eerste dag waarop de situatie niet meer geldt (halfopen).",
    "geldig_tot": "De eerste dag waarop de verklaring niet meer geldt (halfopen).",
    "tot_en_met": "De laatste dag (tot en met) van het verklaarde gat (`docs/domain.md` regel 7).",
    "uren": "Uren ongeoorloofd verzuim in de lesweek vanaf `geldigVanaf` (LPW art. 21).",
    "vestiging": "Id van de vestiging.",
}


def _naam(soort: FeitSoort) -> str:
    return "".join(deel.capitalize() for deel in str(soort).split("-"))


def _veld_schema(tp: Any, naam: str, enums: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The JSON schema of one dataclass field, and whether it may be null."""
    args = typing.get_args(tp)
    nullable = isinstance(tp, types.UnionType) and type(None) in args
    if nullable:
        tp = next(a for a in args if a is not type(None))
    schema: dict[str, Any]
    if tp is str:
        schema = (
            {"type": "string", "format": "uuid"}
            if naam in {"betreft", "vestiging", "id"}
            else {"type": "string"}
        )
    elif tp is bool:
        schema = {"type": "boolean"}
    elif tp is float:
        schema = {"type": "number", "minimum": 0}
    elif tp is datetime:
        schema = {"type": "string", "format": "date-time"}
    elif tp is date:
        schema = {"type": "string", "format": "date"}
    elif isinstance(tp, type) and issubclass(tp, StrEnum):
        enums[tp.__name__] = {
            "type": "string",
            "enum": [m.value for m in tp],
            "title": tp.__name__,
        }
        schema = {"$ref": f"#/components/schemas/{tp.__name__}"}
    else:  # the replacement fact of a correction
        schema = {"$ref": "#/components/schemas/Vervanging"}
    if naam in _VELDBESCHRIJVING:
        schema = {**schema, "description": _VELDBESCHRIJVING[naam]}
    if nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema, nullable


def _gegevens_schema(
    soort: FeitSoort, enums: dict[str, Any], *, vervanging: bool
) -> dict[str, Any]:
    """The fields of one fact kind, as the server reads them (`feit_uit_dict`)."""
    cls = FEITKLASSEN[soort]
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    if vervanging:
        properties["soort"] = {"type": "string", "const": str(soort)}
        required.append("soort")
    for veld in dataclasses.fields(cls):
        if not vervanging and (
            veld.name in _SERVERVELDEN
            or (veld.name == "vestiging" and soort in _VESTIGING_UIT_SCHOOL_ID)
        ):
            continue
        schema, _ = _veld_schema(hints[veld.name], veld.name, enums)
        properties[_camel(veld.name)] = schema
        if veld.default is dataclasses.MISSING and veld.default_factory is dataclasses.MISSING:
            required.append(_camel(veld.name))
    schema_: dict[str, Any] = {
        "type": "object",
        "title": ("Vervanging" if vervanging else "Gegevens") + _naam(soort),
        "description": f"De velden van een feit van soort `{soort}`.",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema_["required"] = required
    return schema_


def feit_schemas() -> dict[str, dict[str, Any]]:
    """One schema per fact kind (`oneOf` on `soort`), derived from the domain's dataclasses."""
    invoer = FeitInvoer.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}"
    )
    gemeen = {k: v for k, v in invoer["properties"].items() if k not in {"soort", "gegevens"}}
    enums: dict[str, Any] = {}
    schemas: dict[str, dict[str, Any]] = {}
    varianten: dict[str, str] = {}
    vervangingen: dict[str, str] = {}
    for soort in FeitSoort:
        naam = _naam(soort)
        schemas[f"Gegevens{naam}"] = _gegevens_schema(soort, enums, vervanging=False)
        heeft_verplicht = "required" in schemas[f"Gegevens{naam}"]
        schemas[f"FeitInvoer{naam}"] = {
            "type": "object",
            "title": f"FeitInvoer{naam}",
            "description": f"Een feit van soort `{soort}`.",
            "properties": {
                "soort": {"type": "string", "const": str(soort)},
                **{k: v for k, v in gemeen.items() if k == "geldigVanaf"},
                "gegevens": {"$ref": f"#/components/schemas/Gegevens{naam}"},
                **{k: v for k, v in gemeen.items() if k != "geldigVanaf"},
            },
            "required": ["soort", "geldigVanaf", *(["gegevens"] if heeft_verplicht else [])],
            "additionalProperties": False,
        }
        varianten[str(soort)] = f"#/components/schemas/FeitInvoer{naam}"
        if soort not in {FeitSoort.CORRECTIE, FeitSoort.INTREKKING}:
            schemas[f"Vervanging{naam}"] = _gegevens_schema(soort, enums, vervanging=True)
            vervangingen[str(soort)] = f"#/components/schemas/Vervanging{naam}"
    schemas["FeitInvoer"] = {
        "title": "FeitInvoer",
        "description": "Een feit over de leerling, zoals een school, leerplicht of het SWV het "
        "vastlegt; `soort` bepaalt de velden van `gegevens`. `einde` en `geldigTot` zijn de "
        "eerste dag waarop de situatie niet meer geldt (halfopen); `totEnMet` is de laatste dag "
        "(tot en met).",
        "oneOf": [{"$ref": ref} for ref in varianten.values()],
        "discriminator": {"propertyName": "soort", "mapping": varianten},
    }
    schemas["Vervanging"] = {
        "title": "Vervanging",
        "description": "Het feit dat een correctie in de plaats stelt van het feit `betreft`, "
        "met `id`, `geldigVanaf` en `geregistreerdOp` (`docs/domain.md` regel 15).",
        "oneOf": [{"$ref": ref} for ref in vervangingen.values()],
        "discriminator": {"propertyName": "soort", "mapping": vervangingen},
    }
    return {**enums, **schemas}


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


# -- routes ----------------------------------------------------------------------------------

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
            "ETag": leerling_etag(toegevoegd.leerling),
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


CONTRACT_SCHEMAS.update(feit_schemas())
