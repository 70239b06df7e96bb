"""The SWV's settings (beheerder): week counting, own profile, thresholds, privacy mode."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response
from pydantic import Field, model_validator

from app.api.auth import toegang
from app.api.deps import UowDep
from app.api.problems import problem_responses
from app.api.schemas import ApiInput, ApiModel
from app.db.organisaties import SwvRow
from app.domain.beleid import Beleid, ThuiswerkplanTelling
from app.domain.classificatie import Categorie
from app.domain.escalaties import DoorzettingsmachtBij
from app.domain.identiteit import PrivacyModus
from app.domain.toegang import Actor, Operatie
from app.services import instellingen as service
from app.services.context import beleid_van, jeugdhulp_organisaties, peildata_van
from app.services.errors import PreconditionFailed, PreconditionRequired
from app.services.escalaties import escalatiebeleid_van
from app.services.meldingen import bsn_rechtsgrond, contact_werkdagen

router = APIRouter(prefix="/instellingen", tags=["Instellingen"])
Beheerder = Annotated[Actor, toegang(Operatie.INSTELLINGEN_BEHEREN)]
_NAAM = r"^[^0-9@]*([0-9][^0-9@]*){0,4}$"  # a name, not a note (app/domain/kenmerken.py)


class Instellingen(ApiModel):
    """The settings of your SWV; where the sources are silent, docs/domain.md's default applies."""

    code: str
    naam: str
    privacy_modus: PrivacyModus
    rechtsgrond: str | None
    weektelling: Literal["kalenderdagen", "lesweken"] = Field(
        description="Hoe '4 weken' en '3 maanden' tellen (docs/domain.md regel 14)."
    )
    profiel: list[Categorie] = Field(
        description="Wat het SWV zelf als thuiszitter telt (regel 13)."
    )
    b2_na_dagen: int
    a1_na_dagen: int
    signaal_verzuim_na_dagen: int
    signaal_schorsing_na_dagen: int
    signaal_tlv_na_dagen: int = Field(
        description="Plaatsingscheck en signaal zoveel dagen na afgifte van een TLV (4 weken)."
    )
    tlv_hercheck_na_dagen: int = Field(
        description="Volgende plaatsingscheck zonder verwachte instroomdatum (keuze, docs/tlv.md)."
    )
    pact_na_maanden: int
    thuiswerkplan_telt_als_aanbod: ThuiswerkplanTelling = Field(
        description=(
            "Wanneer een thuiswerkplan het signaal Thuiszitterspact stopt: altijd, nooit, of "
            "met-schooltijd (standaard): met begeleide aanwezigheid op school van minstens "
            "`thuiswerkplanKeerOpSchool` keer en `thuiswerkplanUrenOpSchool` uur per week."
        )
    )
    thuiswerkplan_keer_op_school: int
    thuiswerkplan_uren_op_school: float
    jeugdarts_oordeel_maakt_ongeoorloofd: bool = Field(
        description=(
            "Of een oordeel van de jeugdarts (geheel of gedeeltelijk belastbaar) bij een lopende "
            "ziekmelding het verzuim zelf ongeoorloofd maakt (regel 4). Standaard niet: het "
            "verzuim 'kan' dan ongeoorloofd worden aangemerkt, met het feit "
            "`ongeoorloofd-aangemerkt`."
        )
    )
    peildata: list[str] = Field(description="Peildata per schooljaar als MM-DD, in volgorde.")
    leverdag: int = Field(description="Uiterste leverdag na elke peildatum (dag van de maand).")
    doorzettingsmacht_bij: DoorzettingsmachtBij = Field(
        description="Wie in het SWV doorzettingsmacht heeft (de Inspectie vraagt het); "
        "standaard de directeur (docs/escalaties.md)."
    )
    afspraak_termijn_dagen: int = Field(
        description="Standaardtermijn in dagen van een afspraak in een escalatie; 28 is een "
        "keuze, de bronnen noemen geen getal."
    )
    verzuim_gemeld_telt: bool = Field(
        description="Telt verzuim van nog onbekende aard (`verzuim-gemeld`) in het eigen profiel "
        "als ongeoorloofd? Nooit landelijk (regel 13). Standaard nee."
    )
    melding_contact_werkdagen: int = Field(
        description="Werkdagen na toewijzing van een melding voor contact met de melder "
        "(keuze; standaard 5)."
    )
    bsn_rechtsgrond: str | None = Field(
        description="Vastgelegde rechtsgrond voor het BSN in meldingen (UAVG art. 46); zonder "
        "deze geen BSN in een melding."
    )
    jeugdhulp_organisaties: list[str] = Field(
        description="Jeugdhulporganisaties waaruit het kenmerk `jeugdhulp` kiest (eigen monitor)."
    )
    registervenster: Literal["schooljaar", "cumulatief"] = Field(
        description="Het venster van het register: dit schooljaar (standaard), of cumulatief "
        "vanaf `registerVanaf` over de schooljaren heen; zie docs/rapportage.md."
    )
    register_vanaf: date | None


class InstellingenWijziging(ApiInput):
    """Only what you send changes (JSON merge patch semantics)."""

    privacy_modus: PrivacyModus | None = None
    rechtsgrond: str | None = Field(default=None, min_length=5, max_length=500)
    weektelling: Literal["kalenderdagen", "lesweken"] | None = None
    profiel: list[Categorie] | None = Field(default=None, min_length=1)
    b2_na_dagen: int | None = Field(default=None, ge=1, le=120)
    a1_na_dagen: int | None = Field(default=None, ge=1, le=365)
    signaal_verzuim_na_dagen: int | None = Field(default=None, ge=1, le=120)
    signaal_schorsing_na_dagen: int | None = Field(default=None, ge=1, le=60)
    signaal_tlv_na_dagen: int | None = Field(default=None, ge=1, le=365)
    tlv_hercheck_na_dagen: int | None = Field(default=None, ge=1, le=90)
    pact_na_maanden: int | None = Field(default=None, ge=1, le=24)
    thuiswerkplan_telt_als_aanbod: ThuiswerkplanTelling | None = None
    thuiswerkplan_keer_op_school: int | None = Field(default=None, ge=0, le=10)
    thuiswerkplan_uren_op_school: float | None = Field(default=None, ge=0, le=40)
    jeugdarts_oordeel_maakt_ongeoorloofd: bool | None = None
    peildata: list[Annotated[str, Field(pattern=r"^[0-9]{2}-[0-9]{2}$")]] | None = Field(
        default=None, min_length=1, max_length=12
    )
    leverdag: int | None = Field(default=None, ge=1, le=28)
    doorzettingsmacht_bij: DoorzettingsmachtBij | None = None
    afspraak_termijn_dagen: int | None = Field(default=None, ge=1, le=180)
    verzuim_gemeld_telt: bool | None = None
    melding_contact_werkdagen: int | None = Field(default=None, ge=1, le=30)
    bsn_rechtsgrond: str | None = Field(default=None, min_length=5, max_length=500)
    jeugdhulp_organisaties: (
        list[Annotated[str, Field(min_length=1, max_length=80, pattern=_NAAM)]] | None
    ) = Field(default=None, max_length=200)
    registervenster: Literal["schooljaar", "cumulatief"] | None = None
    register_vanaf: date | None = Field(default=None, ge=date(2014, 8, 1), le=date(2100, 1, 1))

    @model_validator(mode="after")
    def _venster(self) -> InstellingenWijziging:
        if self.registervenster == "cumulatief" and self.register_vanaf is None:
            raise ValueError("een cumulatief register noemt registerVanaf")
        return self


def _antwoord(swv: SwvRow, response: Response) -> Instellingen:
    beleid: Beleid = beleid_van(swv)
    peildata = peildata_van(swv)
    escalaties = escalatiebeleid_van(swv)
    response.headers["ETag"] = f'"{swv.versie}"'
    return Instellingen(
        code=swv.code,
        naam=swv.naam,
        privacy_modus=PrivacyModus(swv.privacy_modus),
        rechtsgrond=swv.rechtsgrond,
        weektelling=beleid.weektelling.value,
        profiel=sorted(beleid.profiel.categorieen),
        b2_na_dagen=beleid.b2_na_dagen,
        a1_na_dagen=beleid.a1_na_dagen,
        signaal_verzuim_na_dagen=beleid.signaal_verzuim_na_dagen,
        signaal_schorsing_na_dagen=beleid.signaal_schorsing_na_dagen,
        signaal_tlv_na_dagen=beleid.signaal_tlv_na_dagen,
        tlv_hercheck_na_dagen=beleid.tlv_hercheck_na_dagen,
        pact_na_maanden=beleid.pact_na_maanden,
        thuiswerkplan_telt_als_aanbod=beleid.thuiswerkplan_telt_als_aanbod,
        thuiswerkplan_keer_op_school=beleid.thuiswerkplan_keer_op_school,
        thuiswerkplan_uren_op_school=beleid.thuiswerkplan_uren_op_school,
        jeugdarts_oordeel_maakt_ongeoorloofd=beleid.jeugdarts_oordeel_maakt_ongeoorloofd,
        peildata=[f"{m:02d}-{d:02d}" for m, d in peildata.dagen],
        leverdag=peildata.leverdag,
        doorzettingsmacht_bij=escalaties.doorzettingsmacht_bij,
        afspraak_termijn_dagen=escalaties.afspraak_termijn_dagen,
        verzuim_gemeld_telt=beleid.verzuim_gemeld_telt,
        melding_contact_werkdagen=contact_werkdagen(swv),
        bsn_rechtsgrond=bsn_rechtsgrond(swv),
        jeugdhulp_organisaties=list(jeugdhulp_organisaties(swv)),
        registervenster="schooljaar" if peildata.cumulatief_vanaf is None else "cumulatief",
        register_vanaf=peildata.cumulatief_vanaf,
    )


@router.get(
    "",
    response_model=Instellingen,
    summary="De instellingen van uw samenwerkingsverband",
    responses=problem_responses(401, 403),
)
async def get_instellingen(actor: Beheerder, uow: UowDep, response: Response) -> Instellingen:
    return _antwoord(await service.lees(uow, actor), response)


@router.patch(
    "",
    response_model=Instellingen,
    summary="Wijzig de instellingen (If-Match verplicht); de tijdlijnen worden herberekend",
    responses=problem_responses(400, 401, 403, 412, 413, 428),
)
async def update_instellingen(
    invoer: InstellingenWijziging,
    actor: Beheerder,
    uow: UowDep,
    response: Response,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Instellingen:
    if if_match is None:
        raise PreconditionRequired("Stuur de ETag van de instellingen mee in If-Match.")
    try:
        versie = int(if_match.strip().strip('"'))
    except ValueError:
        raise PreconditionFailed("De ETag in If-Match hoort niet bij deze instellingen.") from None
    velden = invoer.model_dump(exclude_none=True)
    beleid = {k: v for k, v in velden.items() if k not in {"privacy_modus", "rechtsgrond"}}
    if "doorzettingsmacht_bij" in beleid:
        beleid["doorzettingsmacht_bij"] = str(beleid["doorzettingsmacht_bij"])
    if "profiel" in beleid:
        beleid["profiel"] = sorted(str(c) for c in beleid["profiel"])
    if "register_vanaf" in beleid:
        beleid["register_vanaf"] = beleid["register_vanaf"].isoformat()
    swv = await service.wijzig(
        uow,
        actor,
        versie=versie,
        wijziging=service.Wijziging(
            beleid=beleid, privacy_modus=invoer.privacy_modus, rechtsgrond=invoer.rechtsgrond
        ),
    )
    return _antwoord(swv, response)
