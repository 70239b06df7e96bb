"""The SWV's policies as plain values, with the defaults of docs/domain.md (regels 3, 12-14, 17)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.classificatie import LANDELIJKE_THUISZITTERS, Categorie
from app.domain.feiten import AanbodGestart, AanbodSoort


class Weektelling(StrEnum):
    """How "4 weeks" and "3 months" are counted (docs/domain.md regel 14)."""

    KALENDERDAGEN = "kalenderdagen"
    LESWEKEN = "lesweken"


class ThuiswerkplanTelling(StrEnum):
    """When a thuiswerkplan counts as an offer that stops the Thuiszitterspact signal."""

    ALTIJD = "altijd"
    MET_SCHOOLTIJD = "met-schooltijd"  # regel 18: plan plus 2 x 2 hours supervised at school
    NOOIT = "nooit"


@dataclass(frozen=True, slots=True)
class DefinitieProfiel:
    """The categories an SWV counts as thuiszitter in its own lists (docs/domain.md regel 13)."""

    naam: str
    categorieen: frozenset[Categorie]


LANDELIJK_PROFIEL = DefinitieProfiel("landelijk", LANDELIJKE_THUISZITTERS)


@dataclass(frozen=True, slots=True)
class Frequentie:
    """Frequent sickness: at least ``aantal`` sick reports starting within ``dagen`` days."""

    aantal: int
    dagen: int


@dataclass(frozen=True, slots=True)
class Beleid:
    """Per-SWV settings; every default is the one docs/domain.md gives."""

    weektelling: Weektelling = Weektelling.KALENDERDAGEN
    b2_na_dagen: int = 28
    b2b_na_maanden: int = 3
    a1_na_dagen: int = 28
    a1_frequentie: Frequentie | None = field(default_factory=lambda: Frequentie(3, 84))
    signaal_verzuim_na_dagen: int = 21
    signaal_schorsing_na_dagen: int = 2
    signaal_tlv_na_dagen: int = 28
    tlv_hercheck_na_dagen: int = 7
    signaal_verzuimuren: float = 16.0
    signaal_verzuimuren_dagen: int = 28
    pact_na_maanden: int = 3
    thuiswerkplan_telt_als_aanbod: ThuiswerkplanTelling = ThuiswerkplanTelling.MET_SCHOOLTIJD
    thuiswerkplan_keer_op_school: int = 2
    thuiswerkplan_uren_op_school: float = 4.0
    vrijstelling_signaal_dagen: int = 61
    jeugdarts_oordeel_maakt_ongeoorloofd: bool = False  # regel 4: "kan", so no automatic switch
    profiel: DefinitieProfiel = LANDELIJK_PROFIEL
    verzuim_gemeld_telt: bool = False
    """Whether the SWV's own profile reads `verzuim-gemeld` as unexcused absence (regel 13)."""


def telt_als_aanbod(aanbod: AanbodGestart, beleid: Beleid) -> bool:
    """A passend aanbod stops the Pact signal; a thuiswerkplan only as the SWV's setting says,
    by default with supervised presence at school twice a week, 2 hours each (regel 18)."""
    if aanbod.aanbod is AanbodSoort.PASSEND_AANBOD:
        return True
    telling = beleid.thuiswerkplan_telt_als_aanbod
    if telling is not ThuiswerkplanTelling.MET_SCHOOLTIJD:
        return telling is ThuiswerkplanTelling.ALTIJD
    return (aanbod.keer_op_school_per_week or 0) >= beleid.thuiswerkplan_keer_op_school and (
        aanbod.uren_op_school_per_week or 0
    ) >= beleid.thuiswerkplan_uren_op_school
