"""Typed sub-resources of a child backed by start and end facts (verzuimperiodes, …).

One table (`BRONNEN`) describes each resource: its path, its start and end fact, and the typed
fields of its start fact. From it come the request and response schemas of each resource (so
the contract is precise) and its routes (one generic implementation), with stable operationIds
such as `createVerzuimperiode`, `endVerzuimperiode`, `withdrawVerzuimperiode`.

Every change needs `If-Match` with the period's `ETag` (428 without it, 412 when stale).

Resources (all under `/leerlingen/{leerlingId}/`; start fact → end fact):

| path | start fact | end fact |
|---|---|---|
| `inschrijvingen` | `inschrijving` | `uitschrijving` (same vestiging) |
| `verzuimperiodes` | `verzuim-gestart` | `verzuim-beeindigd` |
| `ziekmeldingen` | `ziekmelding` | `ziekmelding-beeindigd` |
| `vrijstellingen` | `vrijstelling-verleend` | `vrijstelling-beeindigd` (same grond) |
| `schorsingen` | `schorsing-gestart` | `schorsing-beeindigd` |
| `aanbod` | `aanbod-gestart` | `aanbod-beeindigd` |
| `jeugdarts-oordelen` | `jeugdarts-oordeel` | none (a later verdict replaces it) |
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, Path, Response, status
from pydantic import BaseModel, Field, create_model

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.feiten import Gebeurtenis, gebeurtenis
from app.api.idempotentie import IdempotencyDep
from app.api.leerlingen import BekendOp, LeerlingId, NamensVeld
from app.api.problems import HERNOEMDE_VELDEN, problem_responses
from app.api.schemas import ApiInput, ApiModel
from app.domain.feiten import (
    AanbodSoort,
    Beeindigingsreden,
    Belastbaarheid,
    FeitSoort,
    VrijstellingGrond,
    feit_naar_dict,
)
from app.domain.perioden import Periode, PeriodeSoort, PeriodeStatus
from app.domain.toegang import Actor, Operatie
from app.services import perioden as service

router = APIRouter(prefix="/leerlingen/{leerlingId}", tags=["Leerlingen"])

PeriodeId = Annotated[
    uuid.UUID,
    Path(
        alias="periodeId",
        description="Id van de periode: het id van haar oorspronkelijke startfeit.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Verplicht: de `ETag` van de periode zoals u haar het laatst ophaalde. "
        "Zonder deze header 428, met een verouderde 412.",
    ),
]
_TOT_EN_MET = (
    "Laatste dag (tot en met) waarop de situatie gold. Het eindfeit in `feiten` draagt als "
    "`geldigVanaf` de eerste dag waarop zij niet meer gold: `totEnMet` + 1 dag."
)
_OUDE_EINDDATUM = {
    "einddatum": "Dit veld heet nu `totEnMet`: de laatste dag (tot en met) waarop de situatie "
    "gold. `einddatum` is in deze API altijd de eerste dag waarop zij niet meer geldt."
}
"""The period resources called their inclusive last day `einddatum` until it became `totEnMet`."""
_F = TypeVar("_F", bound=Callable[..., Any])
_APART = frozenset({"school_id", "tot_en_met"})
"""Request fields the service takes on their own, not as fields of the fact."""
_FEITVELD = {"school_id": "vestiging"}
"""API field names that differ from the fact's own field names."""


# -- the table -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Veld:
    """A field of the start fact as the API shows it (snake_case here, camelCase on the wire)."""

    type: Any
    beschrijving: str
    standaard: Any = ...


@dataclass(frozen=True, slots=True)
class Bron:
    """One typed period resource under a child."""

    pad: str
    enkelvoud: str
    meervoud: str
    omschrijving: str
    soort: PeriodeSoort
    velden: dict[str, Veld] = field(default_factory=dict)
    eindreden: bool = False

    @property
    def schema(self) -> str:
        return "".join(deel.capitalize() for deel in self.enkelvoud.split("_"))

    @property
    def beeindigbaar(self) -> bool:
        return self.soort.einde is not None


BRONNEN: tuple[Bron, ...] = (
    Bron(
        pad="inschrijvingen",
        enkelvoud="inschrijving",
        meervoud="inschrijvingen",
        omschrijving="inschrijving",
        soort=PeriodeSoort(FeitSoort.INSCHRIJVING, FeitSoort.UITSCHRIJVING, sleutel="vestiging"),
        velden={"school_id": Veld(uuid.UUID, "Vestiging waarop de leerling is ingeschreven.")},
        eindreden=True,
    ),
    Bron(
        pad="verzuimperiodes",
        enkelvoud="verzuimperiode",
        meervoud="verzuimperiodes",
        omschrijving="verzuimperiode",
        soort=PeriodeSoort(FeitSoort.VERZUIM_GESTART, FeitSoort.VERZUIM_BEEINDIGD),
        eindreden=True,
    ),
    Bron(
        pad="ziekmeldingen",
        enkelvoud="ziekmelding",
        meervoud="ziekmeldingen",
        omschrijving="ziekmelding",
        soort=PeriodeSoort(FeitSoort.ZIEKMELDING, FeitSoort.ZIEKMELDING_BEEINDIGD),
        velden={
            "door_ouders": Veld(bool, "Of de ouders de leerling ziek meldden.", standaard=True)
        },
    ),
    Bron(
        pad="vrijstellingen",
        enkelvoud="vrijstelling",
        meervoud="vrijstellingen",
        omschrijving="vrijstelling",
        soort=PeriodeSoort(
            FeitSoort.VRIJSTELLING_VERLEEND, FeitSoort.VRIJSTELLING_BEEINDIGD, sleutel="grond"
        ),
        velden={
            "grond": Veld(VrijstellingGrond, "Wettelijke grond (LPW art. 5 onder a/b/c, 5a, 15).")
        },
        eindreden=True,
    ),
    Bron(
        pad="schorsingen",
        enkelvoud="schorsing",
        meervoud="schorsingen",
        omschrijving="schorsing",
        soort=PeriodeSoort(FeitSoort.SCHORSING_GESTART, FeitSoort.SCHORSING_BEEINDIGD),
    ),
    Bron(
        pad="aanbod",
        enkelvoud="aanbod",
        meervoud="aanbod",
        omschrijving="aanbod",
        soort=PeriodeSoort(FeitSoort.AANBOD_GESTART, FeitSoort.AANBOD_BEEINDIGD),
        velden={"aanbod": Veld(AanbodSoort, "Soort aanbod (docs/domain.md regels 10 en 12).")},
    ),
    Bron(
        pad="jeugdarts-oordelen",
        enkelvoud="jeugdarts_oordeel",
        meervoud="jeugdarts_oordelen",
        omschrijving="jeugdarts-oordeel",
        soort=PeriodeSoort(FeitSoort.JEUGDARTS_OORDEEL),
        velden={
            "belastbaarheid": Veld(
                Belastbaarheid,
                "Oordeel van de jeugdarts over schoolbezoek (docs/domain.md regel 4).",
            )
        },
    ),
)


# -- schemas ---------------------------------------------------------------------------------


class StartInvoer(ApiInput):
    """Base of the request that starts a period."""

    namens: NamensVeld = None

    startdatum: date = Field(description="Eerste dag waarop de situatie geldt.")
    bron_referentie: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Eigen kenmerk van het bronsysteem; dezelfde referentie is dezelfde melding.",
    )


class EindeInvoer(ApiInput):
    """Base of the request that ends a period."""

    namens: NamensVeld = None

    tot_en_met: date = Field(description=_TOT_EN_MET)


class CorrectieInvoer(ApiInput):
    """Base of a correction: the whole corrected start, and why."""

    namens: NamensVeld = None

    startdatum: date = Field(description="De juiste eerste dag.")
    reden: str = Field(
        min_length=1, max_length=500, description="Waarom de periode gecorrigeerd wordt."
    )


class IntrekkingInvoer(ApiInput):
    """Withdraw a period that was reported in error; the history keeps it."""

    namens: NamensVeld = None

    reden: str = Field(
        min_length=1, max_length=500, description="Waarom de periode ingetrokken wordt."
    )


class PeriodeBasis(ApiModel):
    """Base of every period in a response."""

    id: uuid.UUID = Field(
        description="Id van de periode: het id van het oorspronkelijke startfeit; blijft "
        "gelijk na correcties."
    )
    startdatum: date = Field(description="Eerste dag waarop de situatie gold.")


class IngetrokkenPeriode(ApiModel):
    """The withdrawal facts appended to the child's history."""

    periode_id: uuid.UUID = Field(description="De ingetrokken periode.")
    data: list[Gebeurtenis] = Field(description="De toegevoegde intrekkingen.")


@dataclass(frozen=True, slots=True)
class Modellen:
    """The schemas of one resource, generated from its row in the table."""

    invoer: type[StartInvoer]
    einde: type[EindeInvoer]
    correctie: type[CorrectieInvoer]
    periode: type[PeriodeBasis]
    lijst: type[ApiModel]

    @classmethod
    def van(cls, bron: Bron) -> Modellen:
        naam = bron.schema

        def velden(verplicht: bool) -> dict[str, Any]:
            return {
                k: (v.type, Field(... if verplicht else v.standaard, description=v.beschrijving))
                for k, v in bron.velden.items()
            }

        periode_velden: dict[str, Any] = {}
        correctie_velden: dict[str, Any] = {}
        einde_velden: dict[str, Any] = {}
        if bron.beeindigbaar:
            periode_velden["tot_en_met"] = (date | None, Field(description=_TOT_EN_MET))
            periode_velden["status"] = (
                PeriodeStatus,
                Field(
                    description="`beeindigd` zodra een einde is vastgelegd (ook als de "
                    "laatste dag nog komt), anders `lopend`."
                ),
            )
            correctie_velden["tot_en_met"] = (
                date | None,
                Field(
                    default=None,
                    description="De juiste laatste dag (tot en met), als die ook fout was.",
                ),
            )
        periode_velden |= velden(verplicht=True)
        if bron.eindreden:
            periode_velden["eindreden"] = (
                Beeindigingsreden | None,
                Field(description="Reden van beëindiging (docs/domain.md regel 16), als gemeld."),
            )
            einde_velden["reden"] = (
                Beeindigingsreden | None,
                Field(default=None, description="Reden van beëindiging (docs/domain.md regel 16)."),
            )
        periode = create_model(
            naam,
            __base__=PeriodeBasis,
            __module__=__name__,
            __doc__=f"Een {bron.omschrijving} van de leerling, zoals nu bekend.",
            **periode_velden,
        )
        return cls(
            invoer=create_model(
                f"{naam}Invoer",
                __base__=StartInvoer,
                __module__=__name__,
                __doc__=f"Een nieuwe {bron.omschrijving}.",
                **velden(verplicht=False),
            ),
            einde=create_model(
                f"{naam}Einde",
                __base__=EindeInvoer,
                __module__=__name__,
                __doc__=f"Het einde van een {bron.omschrijving}.",
                **einde_velden,
            ),
            correctie=create_model(
                f"{naam}Correctie",
                __base__=CorrectieInvoer,
                __module__=__name__,
                __doc__=f"Een correctie van een {bron.omschrijving}: de hele juiste start.",
                **velden(verplicht=True),
                **correctie_velden,
            ),
            periode=periode,
            lijst=create_model(
                f"{naam}Lijst",
                __base__=ApiModel,
                __module__=__name__,
                __doc__=f"{bron.pad.capitalize()} van de leerling, zoals bekend.",
                data=(list[periode], ...),
            ),
        )


# -- conversions -----------------------------------------------------------------------------


def _gegevens(invoer: BaseModel, basis: type[BaseModel]) -> dict[str, Any]:
    """The start or end fact's own fields from a request (snake_case, JSON values): what the
    resource adds to its base schema, less the fields the service takes on their own."""
    return invoer.model_dump(mode="json", exclude={*basis.model_fields, *_APART})


def _weergave(bron: Bron, periode: Periode) -> dict[str, Any]:
    feit = feit_naar_dict(periode.start)
    data: dict[str, Any] = {"id": periode.id, "startdatum": periode.startdatum}
    if bron.beeindigbaar:
        data["tot_en_met"] = periode.tot_en_met
        data["status"] = periode.status
    for naam in bron.velden:
        data[naam] = feit[_FEITVELD.get(naam, naam)]
    if bron.eindreden:
        data["eindreden"] = getattr(periode.einde, "reden", None)
    return data


def _met_lichaam(endpoint: _F, model: type[BaseModel]) -> _F:
    """Give a generic endpoint this resource's own body schema: FastAPI reads the body's model
    from the parameter's annotation, which the generic code can only name by its base class."""
    endpoint.__annotations__["invoer"] = model
    return endpoint


def _headers(leerling_id: uuid.UUID, bron: Bron, periode: Periode) -> dict[str, str]:
    return {
        "Location": f"/v1/leerlingen/{leerling_id}/{bron.pad}/{periode.id}",
        "ETag": periode.etag,
    }


# -- routes ----------------------------------------------------------------------------------


def voeg_routes_toe(router: APIRouter, bron: Bron) -> None:
    """The routes of one resource: create, list, get, end (if it can end), correct, withdraw."""
    m = Modellen.van(bron)
    soort = bron.soort
    lijst = f"/{bron.pad}"
    item = f"/{bron.pad}/{{periodeId}}"
    wat = bron.omschrijving

    def periode_van(p: Periode) -> BaseModel:
        return m.periode.model_validate(_weergave(bron, p))

    async def create(
        leerling_id: LeerlingId,
        invoer: StartInvoer,
        actor: Annotated[Actor, toegang(Operatie.FEIT_MELDEN)],
        uow: UowDep,
        idempotency: IdempotencyDep,
    ) -> Any:
        async def handle() -> tuple[int, Any, dict[str, str]]:
            periode, nieuw = await service.open_periode(
                uow,
                actor,
                soort,
                leerling_id,
                service.NieuwePeriode(
                    startdatum=invoer.startdatum,
                    gegevens=_gegevens(invoer, StartInvoer),
                    school_id=getattr(invoer, "school_id", None),
                    bron_referentie=invoer.bron_referentie,
                    namens=invoer.namens,
                ),
            )
            body = periode_van(periode).model_dump(mode="json", by_alias=True)
            return (201 if nieuw else 200), body, _headers(leerling_id, bron, periode)

        return await idempotency.run(uow, actor, handle)

    router.add_api_route(
        lijst,
        _met_lichaam(create, m.invoer),
        methods=["POST"],
        name=f"create_{bron.enkelvoud}",
        status_code=status.HTTP_201_CREATED,
        response_model=m.periode,
        summary=f"Meld een {wat}",
        description=(
            f"Voegt het startfeit `{soort.start}` toe aan de geschiedenis van de leerling. "
            "Een tweede melding met dezelfde `bronReferentie` van hetzelfde bronsysteem is "
            "dezelfde melding en geeft 200 met de eerder gemelde periode."
        ),
        responses={
            200: {"description": "Deze melding was al ontvangen", "model": m.periode},
            **problem_responses(400, 401, 403, 404, 409, 413, 422),
        },
    )

    async def list_(
        leerling_id: LeerlingId,
        actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
        uow: UowDep,
        bekend_op: BekendOp = None,
    ) -> Any:
        perioden = await service.lijst_perioden(uow, actor, soort, leerling_id, bekend_op=bekend_op)
        return m.lijst.model_validate({"data": [_weergave(bron, p) for p in perioden]})

    router.add_api_route(
        lijst,
        list_,
        methods=["GET"],
        name=f"list_{bron.meervoud}",
        response_model=m.lijst,
        summary=f"{bron.pad.capitalize()} van de leerling",
        description="Correcties en intrekkingen zijn verwerkt; `feiten` toont alles.",
        responses=problem_responses(400, 401, 403, 404),
    )

    async def get(
        leerling_id: LeerlingId,
        periode_id: PeriodeId,
        actor: Annotated[Actor, toegang(Operatie.LEERLING_LEZEN)],
        uow: UowDep,
        response: Response,
    ) -> Any:
        periode = await service.haal_periode(uow, actor, soort, leerling_id, periode_id)
        response.headers["ETag"] = periode.etag
        return periode_van(periode)

    router.add_api_route(
        item,
        get,
        methods=["GET"],
        name=f"get_{bron.enkelvoud}",
        response_model=m.periode,
        summary=f"Eén {wat}, met ETag",
        responses=problem_responses(400, 401, 403, 404),
    )

    if bron.beeindigbaar:
        HERNOEMDE_VELDEN[f"end_{bron.enkelvoud}"] = _OUDE_EINDDATUM
        HERNOEMDE_VELDEN[f"correct_{bron.enkelvoud}"] = _OUDE_EINDDATUM

        async def end(
            leerling_id: LeerlingId,
            periode_id: PeriodeId,
            invoer: EindeInvoer,
            actor: Annotated[Actor, toegang(Operatie.FEIT_MELDEN)],
            uow: UowDep,
            response: Response,
            if_match: IfMatch = None,
        ) -> Any:
            periode = await service.beeindig_periode(
                uow,
                actor,
                soort,
                leerling_id,
                periode_id,
                if_match=if_match,
                einde=service.Einde(
                    tot_en_met=invoer.tot_en_met,
                    gegevens=_gegevens(invoer, EindeInvoer),
                    namens=invoer.namens,
                ),
            )
            response.headers["ETag"] = periode.etag
            return periode_van(periode)

        router.add_api_route(
            item,
            _met_lichaam(end, m.einde),
            methods=["PATCH"],
            name=f"end_{bron.enkelvoud}",
            response_model=m.periode,
            summary=f"Beëindig een {wat}",
            description=(
                f"Voegt het eindfeit `{soort.einde}` toe, gedateerd op de dag na `totEnMet` "
                "(de laatste dag, tot en met). "
                "Vraagt `If-Match`. Een al beëindigde periode geeft 409: corrigeer dan haar "
                "einde met een correctie."
            ),
            responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 428),
        )

    async def correct(
        leerling_id: LeerlingId,
        periode_id: PeriodeId,
        invoer: CorrectieInvoer,
        actor: Annotated[Actor, toegang(Operatie.FEIT_CORRIGEREN)],
        uow: UowDep,
        idempotency: IdempotencyDep,
        if_match: IfMatch = None,
    ) -> Any:
        async def handle() -> tuple[int, Any, dict[str, str]]:
            periode, feit = await service.corrigeer_periode(
                uow,
                actor,
                soort,
                leerling_id,
                periode_id,
                if_match=if_match,
                correctie=service.PeriodeCorrectie(
                    startdatum=invoer.startdatum,
                    reden=invoer.reden,
                    gegevens=_gegevens(invoer, CorrectieInvoer),
                    school_id=getattr(invoer, "school_id", None),
                    tot_en_met=getattr(invoer, "tot_en_met", None),
                    namens=invoer.namens,
                ),
            )
            body = periode_van(periode).model_dump(mode="json", by_alias=True)
            headers = _headers(leerling_id, bron, periode)
            headers["Content-Location"] = headers.pop("Location")
            headers["Location"] = f"/v1/leerlingen/{leerling_id}/feiten/{feit.id}"
            return 201, body, headers

        return await idempotency.run(uow, actor, handle)

    router.add_api_route(
        f"{item}/correcties",
        _met_lichaam(correct, m.correctie),
        methods=["POST"],
        name=f"correct_{bron.enkelvoud}",
        status_code=status.HTTP_201_CREATED,
        response_model=m.periode,
        summary=f"Corrigeer een {wat}",
        description=(
            "Voegt een `correctie` toe die het startfeit vervangt (en het eindfeit, als de "
            "laatste dag (`totEnMet`) of de vestiging/grond verandert); het oorspronkelijke "
            "feit blijft in "
            "`feiten`, en wat vóór de correctie bekend was blijft op te vragen met "
            "`bekendOp`. Vraagt `If-Match`. De respons is de gecorrigeerde periode "
            "(`Content-Location`, `ETag`); `Location` wijst naar de correctie."
        ),
        responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428),
    )

    async def withdraw(
        leerling_id: LeerlingId,
        periode_id: PeriodeId,
        invoer: IntrekkingInvoer,
        actor: Annotated[Actor, toegang(Operatie.FEIT_CORRIGEREN)],
        uow: UowDep,
        idempotency: IdempotencyDep,
        if_match: IfMatch = None,
    ) -> Any:
        async def handle() -> tuple[int, Any, dict[str, str]]:
            rows = await service.trek_periode_in(
                uow,
                actor,
                soort,
                leerling_id,
                periode_id,
                if_match=if_match,
                reden=invoer.reden,
                namens=invoer.namens,
            )
            body = IngetrokkenPeriode(
                periode_id=periode_id, data=[gebeurtenis(r) for r in rows]
            ).model_dump(mode="json", by_alias=True)
            location = f"/v1/leerlingen/{leerling_id}/feiten/{rows[0].id}"
            return 201, body, {"Location": location}

        return await idempotency.run(uow, actor, handle)

    router.add_api_route(
        f"{item}/intrekkingen",
        withdraw,
        methods=["POST"],
        name=f"withdraw_{bron.enkelvoud}",
        status_code=status.HTTP_201_CREATED,
        response_model=IngetrokkenPeriode,
        summary=f"Trek een {wat} in",
        description=(
            "Voegt een `intrekking` van het startfeit toe, en van het eindfeit als geen andere "
            "periode het deelt. Daarna is de periode weg (404), maar `feiten` toont "
            "alles. Vraagt `If-Match`."
        ),
        responses=problem_responses(400, 401, 403, 404, 412, 413, 422, 428),
    )


for _bron in BRONNEN:
    voeg_routes_toe(router, _bron)
