"""The facts the register knows about a child, and their JSON-safe form.

Every fact has the date it is about (``geldig_vanaf``, valid time) and the moment the register
learned it (``geregistreerd_op``, recorded time, timezone-aware). A fact that starts a situation
holds from ``geldig_vanaf``; a fact that ends one gives the *first day on which the situation no
longer holds* (periods are half-open). Facts are never changed or deleted: a ``Correctie`` or an
``Intrekking`` refers to an earlier fact by id (docs/domain.md regel 15).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Final


class FeitSoort(StrEnum):
    """The kinds of fact, as named in the API and in the register's ``soort`` column."""

    INSCHRIJVING = "inschrijving"
    UITSCHRIJVING = "uitschrijving"
    NIET_INGESCHREVEN = "niet-ingeschreven"
    VERZUIM_GESTART = "verzuim-gestart"
    VERZUIM_BEEINDIGD = "verzuim-beeindigd"
    VERZUIM_GEMELD = "verzuim-gemeld"
    VERZUIMUREN = "verzuimuren"
    ZIEKMELDING = "ziekmelding"
    ZIEKMELDING_BEEINDIGD = "ziekmelding-beeindigd"
    JEUGDARTS_OORDEEL = "jeugdarts-oordeel"
    ONGEOORLOOFD_AANGEMERKT = "ongeoorloofd-aangemerkt"
    VRIJSTELLING_VERLEEND = "vrijstelling-verleend"
    VRIJSTELLING_BEEINDIGD = "vrijstelling-beeindigd"
    BESLUIT_11G = "besluit-11g"
    BESLUIT_11G_BEEINDIGD = "besluit-11g-beeindigd"
    SCHORSING_GESTART = "schorsing-gestart"
    SCHORSING_BEEINDIGD = "schorsing-beeindigd"
    TLV_AFGEGEVEN = "tlv-afgegeven"
    PLAATSING = "plaatsing"
    WACHT_OP_PLEK = "wacht-op-plek"
    AANBOD_GESTART = "aanbod-gestart"
    AANBOD_BEEINDIGD = "aanbod-beeindigd"
    GASTLEERLING = "gastleerling"
    GASTLEERLING_BEEINDIGD = "gastleerling-beeindigd"
    ONDERWIJS_HERVAT = "onderwijs-hervat"
    KWALIFICATIEPLICHT_BEEINDIGD = "kwalificatieplicht-beeindigd"
    ADMINISTRATIEVE_ONVOLKOMENHEID = "administratieve-onvolkomenheid"
    KLAS = "klas"
    NIVEAU = "niveau"
    WOONPLAATS = "woonplaats"
    SOORT_THUISZITTER = "soort-thuiszitter"
    REDEN_GEOORLOOFD = "reden-geoorloofd"
    JEUGDHULP = "jeugdhulp"
    GEMELD_BIJ_LOKET = "gemeld-bij-loket"
    CORRECTIE = "correctie"
    INTREKKING = "intrekking"


class VrijstellingGrond(StrEnum):
    """Legal ground of a vrijstelling (LPW art. 5 onder a/b/c, art. 5a, art. 15)."""

    ART_5_A = "art-5-a"
    ART_5_B = "art-5-b"
    ART_5_C = "art-5-c"
    ART_5A = "art-5a"
    ART_15 = "art-15"


class Belastbaarheid(StrEnum):
    """Jeugdarts verdict on whether a sick child can attend school (Aanpak thuiszitters §1.1)."""

    VOLLEDIG = "volledig"
    GEDEELTELIJK = "gedeeltelijk"
    NIET = "niet"


class AanbodSoort(StrEnum):
    """Kind of offer while a child is absent (docs/domain.md regels 10 and 12)."""

    PASSEND_AANBOD = "passend-aanbod"
    THUISWERKPLAN = "thuiswerkplan"


class Hervatting(StrEnum):
    """Whether education was resumed fully or only partly (docs/domain.md regel 10)."""

    VOLLEDIG = "volledig"
    GEDEELTELIJK = "gedeeltelijk"


class KwalificatieplichtEinde(StrEnum):
    """Grounds on which kwalificatieplicht ends before 18 (LPW art. 4a, Definities thuiszitters)."""

    STARTKWALIFICATIE = "startkwalificatie"
    PRAKTIJKONDERWIJS = "praktijkonderwijs"
    VSO_ARBEID = "vso-arbeid"
    VSO_DAGBESTEDING = "vso-dagbesteding"


class TlvSoort(StrEnum):
    """The kind of special education a TLV admits to (WPO art. 18a, WVO art. 17a)."""

    SBO = "sbo"
    SO = "so"
    VSO = "vso"


class TlvCategorie(StrEnum):
    """The funding category of an SO/VSO TLV (laag, midden, hoog)."""

    LAAG = "laag"
    MIDDEN = "midden"
    HOOG = "hoog"


class SoortThuiszitter(StrEnum):
    """Kind of thuiszitter as the school reports it (regel 18); never derived from facts."""

    SCHOOLWEIGERAAR = "schoolweigeraar"
    SCHOOLONTHOUDING = "schoolonthouding"
    SPIJBELAAR = "spijbelaar"
    MEDISCH = "medisch"


def meng_soorten(soorten: list[SoortThuiszitter]) -> SoortThuiszitter | None:
    """Medical reasons together with refusal count as schoolweigeraar (regel 18); None when the
    kinds stated cannot be brought to one."""
    uniek = set(soorten)
    if len(uniek) == 1:
        return uniek.pop()
    if uniek == {SoortThuiszitter.MEDISCH, SoortThuiszitter.SCHOOLWEIGERAAR}:
        return SoortThuiszitter.SCHOOLWEIGERAAR
    return None


class RedenGeoorloofd(StrEnum):
    """Why a child stays home with a valid reason, kept in the SWV's own monitor (regel 18)."""

    ZIEKTE = "ziekte"
    JEUGDARTS_ADVIES = "jeugdarts-advies"
    VRIJSTELLING = "vrijstelling"
    VERLOF = "verlof"
    SCHORSING = "schorsing"
    OVERIG = "overig"


class Beeindigingsreden(StrEnum):
    """Why an absence ended, as the SWV reports it (docs/domain.md regel 16)."""

    SCHOOLGANG_HERSTELD = "schoolgang-hersteld"
    VERHUIZING = "verhuizing"
    WISSELING_SCHOOL = "wisseling-school"
    ABSOLUUT_VERZUIMER = "absoluut-verzuimer"
    ONTHEFFING_VRIJSTELLING = "ontheffing-vrijstelling"
    ACHTTIEN_JAAR = "18-jaar-geworden"
    MELDING_VERKEERD = "melding-verkeerd"
    OVERIG = "overig"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Basis:
    soort: ClassVar[FeitSoort]
    volgorde: ClassVar[int] = 1  # same day, same moment: facts that end something go first
    id: str
    geldig_vanaf: date
    geregistreerd_op: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Inschrijving(_Basis):
    """Enrolled at a school vestiging from ``geldig_vanaf``."""

    soort: ClassVar[FeitSoort] = FeitSoort.INSCHRIJVING
    vestiging: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Uitschrijving(_Basis):
    """No longer enrolled at ``vestiging`` from ``geldig_vanaf`` (the first day not enrolled)."""

    soort: ClassVar[FeitSoort] = FeitSoort.UITSCHRIJVING
    volgorde: ClassVar[int] = 0
    vestiging: str
    reden: Beeindigingsreden | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NietIngeschreven(_Basis):
    """Known not to be enrolled at any school from ``geldig_vanaf`` (e.g. BRP-BRON check)."""

    soort: ClassVar[FeitSoort] = FeitSoort.NIET_INGESCHREVEN
    melder: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class VerzuimGestart(_Basis):
    """Unexcused absence while enrolled, from ``geldig_vanaf`` (day one)."""

    soort: ClassVar[FeitSoort] = FeitSoort.VERZUIM_GESTART


@dataclass(frozen=True, slots=True, kw_only=True)
class VerzuimBeeindigd(_Basis):
    """The unexcused absence ended; ``geldig_vanaf`` is the first day back."""

    soort: ClassVar[FeitSoort] = FeitSoort.VERZUIM_BEEINDIGD
    volgorde: ClassVar[int] = 0
    reden: Beeindigingsreden | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VerzuimGemeld(_Basis):
    """Absence of a nature not yet known, until ``einde`` (first day back): never counts
    nationally, only in a profile that asks; a correction settles it (regels 13 en 15)."""

    soort: ClassVar[FeitSoort] = FeitSoort.VERZUIM_GEMELD
    einde: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Verzuimuren(_Basis):
    """Hours of unexcused absence in the leswek starting ``geldig_vanaf`` (LPW art. 21)."""

    soort: ClassVar[FeitSoort] = FeitSoort.VERZUIMUREN
    uren: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Ziekmelding(_Basis):
    """Reported sick from ``geldig_vanaf``; who reported it, and whether return is uncertain."""

    soort: ClassVar[FeitSoort] = FeitSoort.ZIEKMELDING
    door_ouders: bool = True
    terugkeer_onzeker: bool = False  # whether a normal return to the school is uncertain


@dataclass(frozen=True, slots=True, kw_only=True)
class ZiekmeldingBeeindigd(_Basis):
    """The sickness ended; ``geldig_vanaf`` is the first day no longer sick."""

    soort: ClassVar[FeitSoort] = FeitSoort.ZIEKMELDING_BEEINDIGD
    volgorde: ClassVar[int] = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class JeugdartsOordeel(_Basis):
    """The jeugdarts's verdict on attending school, effective from ``geldig_vanaf``."""

    soort: ClassVar[FeitSoort] = FeitSoort.JEUGDARTS_OORDEEL
    belastbaarheid: Belastbaarheid


@dataclass(frozen=True, slots=True, kw_only=True)
class OngeoorloofdAangemerkt(_Basis):
    """After a jeugdarts verdict the sickness absence is designated unexcused (regel 4)."""

    soort: ClassVar[FeitSoort] = FeitSoort.ONGEOORLOOFD_AANGEMERKT


@dataclass(frozen=True, slots=True, kw_only=True)
class VrijstellingVerleend(_Basis):
    """Vrijstelling on a legal ground from ``geldig_vanaf`` (also used for a yearly renewal)."""

    soort: ClassVar[FeitSoort] = FeitSoort.VRIJSTELLING_VERLEEND
    grond: VrijstellingGrond


@dataclass(frozen=True, slots=True, kw_only=True)
class VrijstellingBeeindigd(_Basis):
    """The vrijstelling on ``grond`` ends; ``geldig_vanaf`` is its first day no longer valid."""

    soort: ClassVar[FeitSoort] = FeitSoort.VRIJSTELLING_BEEINDIGD
    volgorde: ClassVar[int] = 0
    grond: VrijstellingGrond
    reden: Beeindigingsreden | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Besluit11g(_Basis):
    """Vrijstelling van geregeld schoolbezoek, LPW art. 11 onder g (category C)."""

    soort: ClassVar[FeitSoort] = FeitSoort.BESLUIT_11G


@dataclass(frozen=True, slots=True, kw_only=True)
class Besluit11gBeeindigd(_Basis):
    """The art. 11 onder g decision no longer applies from ``geldig_vanaf``."""

    soort: ClassVar[FeitSoort] = FeitSoort.BESLUIT_11G_BEEINDIGD
    volgorde: ClassVar[int] = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SchorsingGestart(_Basis):
    """Suspended by the school from ``geldig_vanaf``."""

    soort: ClassVar[FeitSoort] = FeitSoort.SCHORSING_GESTART


@dataclass(frozen=True, slots=True, kw_only=True)
class SchorsingBeeindigd(_Basis):
    """The suspension ended; ``geldig_vanaf`` is the first day back."""

    soort: ClassVar[FeitSoort] = FeitSoort.SCHORSING_BEEINDIGD
    volgorde: ClassVar[int] = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class TlvAfgegeven(_Basis):
    """A toelaatbaarheidsverklaring (TLV) was issued on ``geldig_vanaf``."""

    soort: ClassVar[FeitSoort] = FeitSoort.TLV_AFGEGEVEN
    onderwijssoort: TlvSoort | None = None
    categorie: TlvCategorie | None = None
    geldig_tot: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Plaatsing(_Basis):
    """Placed at the new school from ``geldig_vanaf``; ends waiting for a place."""

    soort: ClassVar[FeitSoort] = FeitSoort.PLAATSING
    volgorde: ClassVar[int] = 0
    vestiging: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WachtOpPlek(_Basis):
    """Waiting for a place without any education from ``geldig_vanaf`` (docs/domain.md regel 6)."""

    soort: ClassVar[FeitSoort] = FeitSoort.WACHT_OP_PLEK


@dataclass(frozen=True, slots=True, kw_only=True)
class AanbodGestart(_Basis):
    """A passend aanbod or thuiswerkplan started on ``geldig_vanaf``; with a thuiswerkplan the
    supervised presence at school it includes: times and hours a week (regel 18)."""

    soort: ClassVar[FeitSoort] = FeitSoort.AANBOD_GESTART
    aanbod: AanbodSoort
    keer_op_school_per_week: int | None = None
    uren_op_school_per_week: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AanbodBeeindigd(_Basis):
    """The offer ended; ``geldig_vanaf`` is the first day without it."""

    soort: ClassVar[FeitSoort] = FeitSoort.AANBOD_BEEINDIGD
    volgorde: ClassVar[int] = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Gastleerling(_Basis):
    """Gastleerling at a voorziening from ``geldig_vanaf``, with or without restored rhythm."""

    soort: ClassVar[FeitSoort] = FeitSoort.GASTLEERLING
    voorziening: str
    ritme_hersteld: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class GastleerlingBeeindigd(_Basis):
    """No longer a gastleerling from ``geldig_vanaf``."""

    soort: ClassVar[FeitSoort] = FeitSoort.GASTLEERLING_BEEINDIGD
    volgorde: ClassVar[int] = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class OnderwijsHervat(_Basis):
    """Education resumed from ``geldig_vanaf``, fully or partly (docs/domain.md regel 10)."""

    soort: ClassVar[FeitSoort] = FeitSoort.ONDERWIJS_HERVAT
    volgorde: ClassVar[int] = 0
    hervatting: Hervatting
    reden: Beeindigingsreden | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KwalificatieplichtBeeindigd(_Basis):
    """Kwalificatieplicht ended on ``geldig_vanaf`` on a ground of LPW art. 4a (regel 1)."""

    soort: ClassVar[FeitSoort] = FeitSoort.KWALIFICATIEPLICHT_BEEINDIGD
    grond: KwalificatieplichtEinde


@dataclass(frozen=True, slots=True, kw_only=True)
class AdministratieveOnvolkomenheid(_Basis):
    """An explained enrolment gap ``geldig_vanaf``..``tot_en_met`` (docs/domain.md regel 7)."""

    soort: ClassVar[FeitSoort] = FeitSoort.ADMINISTRATIEVE_ONVOLKOMENHEID
    tot_en_met: date
    toelichting: str = ""


# -- kenmerken: what the SWV's own monitor records about a child (regel 18); no effect on the
# classification, each holds from ``geldig_vanaf`` until the next fact of its kind.


@dataclass(frozen=True, slots=True, kw_only=True)
class Klas(_Basis):
    """The child's class (leerjaar) from ``geldig_vanaf`` (regel 18)."""

    soort: ClassVar[FeitSoort] = FeitSoort.KLAS
    klas: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Niveau(_Basis):
    """The child's level of education from ``geldig_vanaf`` (regel 18)."""

    soort: ClassVar[FeitSoort] = FeitSoort.NIVEAU
    niveau: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Woonplaats(_Basis):
    """The gemeente the child lives in from ``geldig_vanaf`` (regel 18)."""

    soort: ClassVar[FeitSoort] = FeitSoort.WOONPLAATS
    gemeente: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SoortThuiszitterGemeld(_Basis):
    """The kind of thuiszitter the school reports from ``geldig_vanaf`` (regel 18)."""

    soort: ClassVar[FeitSoort] = FeitSoort.SOORT_THUISZITTER
    thuiszitter: SoortThuiszitter


@dataclass(frozen=True, slots=True, kw_only=True)
class RedenGeoorloofdGemeld(_Basis):
    """The reason for excused absence from ``geldig_vanaf`` (regel 18)."""

    soort: ClassVar[FeitSoort] = FeitSoort.REDEN_GEOORLOOFD
    reden: RedenGeoorloofd


@dataclass(frozen=True, slots=True, kw_only=True)
class Jeugdhulp(_Basis):
    """The youth-care organisation involved from ``geldig_vanaf`` (regel 18; the SWV's list)."""

    soort: ClassVar[FeitSoort] = FeitSoort.JEUGDHULP
    organisatie: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GemeldBijLoket(_Basis):
    """Reported at the SWV's verzuimloket on ``geldig_vanaf`` (regel 18: the month counts)."""

    soort: ClassVar[FeitSoort] = FeitSoort.GEMELD_BIJ_LOKET


@dataclass(frozen=True, slots=True, kw_only=True)
class Intrekking(_Basis):
    """Withdraws the fact ``betreft``; it no longer has any effect (docs/domain.md regel 15)."""

    soort: ClassVar[FeitSoort] = FeitSoort.INTREKKING
    betreft: str
    reden: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Correctie(_Basis):
    """Replaces the fact with id ``betreft`` by ``vervanging`` (docs/domain.md regel 15)."""

    soort: ClassVar[FeitSoort] = FeitSoort.CORRECTIE
    betreft: str
    reden: str
    vervanging: Feit


Feit = (
    Inschrijving
    | Uitschrijving
    | NietIngeschreven
    | VerzuimGestart
    | VerzuimBeeindigd
    | VerzuimGemeld
    | Verzuimuren
    | Ziekmelding
    | ZiekmeldingBeeindigd
    | JeugdartsOordeel
    | OngeoorloofdAangemerkt
    | VrijstellingVerleend
    | VrijstellingBeeindigd
    | Besluit11g
    | Besluit11gBeeindigd
    | SchorsingGestart
    | SchorsingBeeindigd
    | TlvAfgegeven
    | Plaatsing
    | WachtOpPlek
    | AanbodGestart
    | AanbodBeeindigd
    | Gastleerling
    | GastleerlingBeeindigd
    | OnderwijsHervat
    | KwalificatieplichtBeeindigd
    | AdministratieveOnvolkomenheid
    | Klas
    | Niveau
    | Woonplaats
    | SoortThuiszitterGemeld
    | RedenGeoorloofdGemeld
    | Jeugdhulp
    | GemeldBijLoket
    | Intrekking
    | Correctie
)

FEITKLASSEN: dict[FeitSoort, type[Feit]] = {cls.soort: cls for cls in typing.get_args(Feit)}


@dataclass(frozen=True, slots=True)
class Veldprobleem:
    """One problem with one field of a submitted fact; never carries the submitted value."""

    veld: str
    probleem: str


class OngeldigFeit(ValueError):
    """A fact payload that cannot be read; lists every field problem (NL API Design Rules)."""

    def __init__(self, problemen: list[Veldprobleem]) -> None:
        super().__init__("; ".join(f"{p.veld}: {p.probleem}" for p in problemen))
        self.problemen = tuple(problemen)


def _to_json(value: object) -> object:
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, _Basis):
        return {"soort": str(value.soort), **_velden(value)}
    return value


def _velden(feit: _Basis) -> dict[str, object]:
    return {f.name: _to_json(getattr(feit, f.name)) for f in dataclasses.fields(feit)}


def feit_naar_dict(feit: Feit) -> dict[str, object]:
    """A fact as a JSON-safe dict: dates as ISO strings, enumerations as their values."""
    return _velden(feit)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = hints
    return hints


def _parse(tp: Any, value: object, veld: str, problemen: list[Veldprobleem]) -> object:
    args = typing.get_args(tp)
    if isinstance(tp, types.UnionType) and type(None) in args:
        if value is None:
            return None
        tp = next(a for a in args if a is not type(None))
    if tp is str:
        if isinstance(value, str):
            return value
        problemen.append(Veldprobleem(veld, "moet tekst zijn"))
    elif tp is bool:
        if isinstance(value, bool):
            return value
        problemen.append(Veldprobleem(veld, "moet true of false zijn"))
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        problemen.append(Veldprobleem(veld, "moet een niet-negatief geheel getal zijn"))
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
        problemen.append(Veldprobleem(veld, "moet een niet-negatief getal zijn"))
    elif tp is datetime:
        return _parse_datetime(value, veld, problemen)
    elif tp is date:
        return _parse_date(value, veld, problemen)
    elif isinstance(tp, type) and issubclass(tp, StrEnum):
        if isinstance(value, str) and value in tp._value2member_map_:
            return tp(value)
        else:
            toegestaan = ", ".join(m.value for m in tp)
            problemen.append(Veldprobleem(veld, f"moet een van deze waarden zijn: {toegestaan}"))
    else:  # the replacement fact of a correction
        return _parse_vervanging(value, veld, problemen)
    return None


def _parse_date(value: object, veld: str, problemen: list[Veldprobleem]) -> object:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problemen.append(Veldprobleem(veld, "moet een datum zijn (JJJJ-MM-DD)"))
    return None


def _parse_datetime(value: object, veld: str, problemen: list[Veldprobleem]) -> object:
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return moment
    problemen.append(Veldprobleem(veld, "moet een tijdstip met tijdzone zijn (ISO 8601)"))
    return None


def _parse_vervanging(value: object, veld: str, problemen: list[Veldprobleem]) -> object:
    if not isinstance(value, dict) or not isinstance(value.get("soort"), str):
        problemen.append(Veldprobleem(veld, "moet een feit met een soort zijn"))
        return None
    data = {k: v for k, v in value.items() if k != "soort"}
    try:
        feit = feit_uit_dict(value["soort"], data)
    except OngeldigFeit as fout:
        problemen.extend(Veldprobleem(f"{veld}.{p.veld}", p.probleem) for p in fout.problemen)
        return None
    if isinstance(feit, Correctie | Intrekking):
        problemen.append(Veldprobleem(veld, "een correctie vervangt een feit, geen correctie"))
        return None
    return feit


MAX_ID_LENGTE = 36
"""A fact's id is a UUID as text (36 characters); a replacement names one too (regel 15)."""


def _gemengd(waarden: list[object]) -> object:
    """Several kinds of thuiszitter stated at once become one by the mixing rule (regel 18);
    a list that cannot be brought to one stays a list, which the field refuses."""
    if waarden and all(
        isinstance(w, str) and w in SoortThuiszitter._value2member_map_ for w in waarden
    ):
        gemengd = meng_soorten([SoortThuiszitter(str(w)) for w in waarden])
        if gemengd is not None:
            return gemengd.value
    return waarden


def feit_uit_dict(soort: str, data: dict[str, object]) -> Feit:
    """Read a fact from its JSON-safe dict; raises OngeldigFeit listing every field problem."""
    try:
        cls = FEITKLASSEN[FeitSoort(soort)]
    except ValueError:
        raise OngeldigFeit([Veldprobleem("soort", "onbekende soort feit")]) from None
    problemen: list[Veldprobleem] = []
    opgegeven = data.get("thuiszitter")
    if cls is SoortThuiszitterGemeld and isinstance(opgegeven, list):
        data = {**data, "thuiszitter": _gemengd(opgegeven)}
    hints = _hints(cls)
    kwargs: dict[str, object] = {}
    velden = {f.name: f for f in dataclasses.fields(cls)}
    for naam in data:
        if naam not in velden:
            problemen.append(Veldprobleem(naam, "onbekend veld"))
    for naam, veld in velden.items():
        if naam not in data:
            if veld.default is dataclasses.MISSING:
                problemen.append(Veldprobleem(naam, "ontbreekt"))
            continue
        kwargs[naam] = _parse(hints[naam], data[naam], naam, problemen)
    feit_id = kwargs.get("id")
    if not problemen and isinstance(feit_id, str) and not feit_id:
        problemen.append(Veldprobleem("id", "mag niet leeg zijn"))
    elif not problemen and isinstance(feit_id, str) and len(feit_id) > MAX_ID_LENGTE:
        problemen.append(Veldprobleem("id", f"mag hoogstens {MAX_ID_LENGTE} tekens zijn"))
    if problemen:
        raise OngeldigFeit(problemen)
    return cls(**kwargs)  # type: ignore[arg-type]


MAX_DAGEN_VOORUIT: Final = 366
EERSTE_GELDIG_VANAF: Final = date(1990, 1, 1)


def geldig_vanaf_fout(geldig_vanaf: date, vandaag: date) -> tuple[str, str] | None:
    """Code and reason when a fact's date is implausible: over a year ahead, or before 1990."""
    if geldig_vanaf > vandaag + timedelta(days=MAX_DAGEN_VOORUIT):
        return ("te_ver_vooruit", "Ligt meer dan een jaar in de toekomst.")
    if geldig_vanaf < EERSTE_GELDIG_VANAF:
        return ("te_oud", "Ligt voor 1990.")
    return None
