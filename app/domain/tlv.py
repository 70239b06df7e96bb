"""The TLV-plaatsingscheck as a pure state machine (docs/tlv.md).

A toelaatbaarheidsverklaring (WPO art. 18a, WVO art. 17a) is issued by the SWV; four weeks after
issue the begeleider passend onderwijs calls the old and the new school: placed, still taught at
the old school (zorgplicht) while waiting for intake, or no education at all. Each step is a
transition `(staat, gebeurtenis, rol, vandaag) -> Overgang | Weigering`; the service stores every
transition as an append-only history row and the current state is the last row's `naar`.

The machine never changes a category: the service appends the facts a step states (`plaatsing`,
`wacht-op-plek`, `onderwijs-hervat`) beside it, and the ordinary fold classifies the child.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.toegang import Rol


class TlvStaat(StrEnum):
    """The states of a TLV's placement check (docs/tlv.md)."""

    AFGEGEVEN = "afgegeven"
    CHECK_GEPLAND = "check-gepland"
    GEPLAATST = "geplaatst"
    WACHT_OP_INSTROOM = "wacht-op-instroom"
    GEEN_ONDERWIJS = "geen-onderwijs"
    AFGEROND = "afgerond"
    INGETROKKEN = "ingetrokken"


class TlvGebeurtenis(StrEnum):
    """What can happen to a TLV: issue, plan the check, a check's outcome, the placement date
    entered by the secretariaat, withdrawal."""

    AFGEGEVEN = "afgegeven"
    CHECK_GEPLAND = "check-gepland"
    GEPLAATST = "geplaatst"
    WACHT_OP_INSTROOM = "wacht-op-instroom"
    ONDERWIJS_OUDE_SCHOOL = "onderwijs-oude-school"
    GEEN_ONDERWIJS = "geen-onderwijs"
    PLAATSINGSDATUM_INGEVOERD = "plaatsingsdatum-ingevoerd"
    INGETROKKEN = "ingetrokken"


UITKOMSTEN = frozenset(
    {
        TlvGebeurtenis.GEPLAATST,
        TlvGebeurtenis.WACHT_OP_INSTROOM,
        TlvGebeurtenis.ONDERWIJS_OUDE_SCHOOL,
        TlvGebeurtenis.GEEN_ONDERWIJS,
    }
)
"""The outcomes a begeleider records after calling the old and the new school."""

SWV_AFGEVERS = frozenset({Rol.REGISSEUR, Rol.DIRECTEUR, Rol.SECRETARIAAT})
"""Who issues and withdraws a TLV on behalf of the SWV (WPO art. 18a lid 6)."""
CONTROLEURS = frozenset({Rol.BEGELEIDER})
"""Who calls the schools and records the outcome (actielijst na afgifte TLV: begeleider)."""
INVOERDERS = frozenset({Rol.SECRETARIAAT})
"""Who enters the placement date in the administration (actielijst na afgifte TLV: secretariaat)."""

CHECK_NA_DAGEN = 28
"""Default: the check is due four weeks after issue (docs/tlv.md); an SWV setting."""
HERCHECK_NA_DAGEN = 7
"""Default: without an expected intake date, re-check after a week (a choice, docs/tlv.md)."""

_OPEN = frozenset({TlvStaat.CHECK_GEPLAND, TlvStaat.WACHT_OP_INSTROOM, TlvStaat.GEEN_ONDERWIJS})
"""States in which a check is due (the worklist)."""


@dataclass(frozen=True, slots=True)
class Stap:
    """A requested transition with the data its outcome carries."""

    gebeurtenis: TlvGebeurtenis
    datum: date | None = None
    """Placement date (geplaatst, plaatsingsdatum-ingevoerd), expected intake
    (wacht-op-instroom), the first day without education (geen-onderwijs), or the day
    education resumed at the old school (onderwijs-oude-school, after geen-onderwijs)."""


@dataclass(frozen=True, slots=True)
class Overgang:
    """An allowed transition: from, to, and the next check date (None: no check due)."""

    van: TlvStaat | None
    naar: TlvStaat
    gebeurtenis: TlvGebeurtenis
    volgende_check: date | None


class Aard(StrEnum):
    """Why a transition is refused: the role, the current state, or the submitted data."""

    ROL = "rol"
    STAAT = "staat"
    INVOER = "invoer"


@dataclass(frozen=True, slots=True)
class Weigering:
    """A refused transition and why (Dutch, shown to the caller; never the submitted value)."""

    aard: Aard
    reden: str
    veld: str | None = None


@dataclass(frozen=True, slots=True)
class Tlv:
    """What the machine needs to know of a TLV."""

    afgegeven_op: date
    staat: TlvStaat | None
    volgende_check: date | None = None


def checkdatum(afgegeven_op: date, check_na_dagen: int = CHECK_NA_DAGEN) -> date:
    """The first check: four weeks after issue (docs/tlv.md), an SWV setting."""
    return afgegeven_op + timedelta(days=check_na_dagen)


def _rol_mag(gebeurtenis: TlvGebeurtenis, rol: Rol) -> bool:
    if gebeurtenis in {TlvGebeurtenis.AFGEGEVEN, TlvGebeurtenis.INGETROKKEN}:
        return rol in SWV_AFGEVERS
    if gebeurtenis is TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD:
        return rol in INVOERDERS
    if gebeurtenis is TlvGebeurtenis.CHECK_GEPLAND:
        return rol in SWV_AFGEVERS | CONTROLEURS
    return rol in CONTROLEURS


_TOEGESTAAN: dict[TlvGebeurtenis, frozenset[TlvStaat | None]] = {
    TlvGebeurtenis.AFGEGEVEN: frozenset({None}),
    TlvGebeurtenis.CHECK_GEPLAND: frozenset({TlvStaat.AFGEGEVEN}),
    TlvGebeurtenis.GEPLAATST: _OPEN,
    TlvGebeurtenis.WACHT_OP_INSTROOM: _OPEN,
    TlvGebeurtenis.ONDERWIJS_OUDE_SCHOOL: _OPEN,
    TlvGebeurtenis.GEEN_ONDERWIJS: _OPEN,
    TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD: frozenset({TlvStaat.GEPLAATST}),
    TlvGebeurtenis.INGETROKKEN: frozenset(
        {
            TlvStaat.AFGEGEVEN,
            TlvStaat.CHECK_GEPLAND,
            TlvStaat.GEPLAATST,
            TlvStaat.WACHT_OP_INSTROOM,
            TlvStaat.GEEN_ONDERWIJS,
            TlvStaat.AFGEROND,
        }
    ),
}


def _datumfout(tlv: Tlv, stap: Stap, vandaag: date) -> Weigering | None:
    g, datum = stap.gebeurtenis, stap.datum
    if g in {
        TlvGebeurtenis.GEPLAATST,
        TlvGebeurtenis.GEEN_ONDERWIJS,
        TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD,
    }:
        if datum is None:
            return Weigering(Aard.INVOER, "Deze uitkomst vraagt een datum.", "datum")
        if datum < tlv.afgegeven_op:
            return Weigering(Aard.INVOER, "De datum ligt voor de afgifte van de TLV.", "datum")
    if g is TlvGebeurtenis.GEEN_ONDERWIJS and datum is not None and datum > vandaag:
        return Weigering(
            Aard.INVOER, "Geen onderwijs sinds een datum in de toekomst kan niet.", "datum"
        )
    if g is TlvGebeurtenis.WACHT_OP_INSTROOM and datum is not None and datum <= vandaag:
        return Weigering(Aard.INVOER, "De verwachte instroomdatum ligt niet na vandaag.", "datum")
    if g is TlvGebeurtenis.ONDERWIJS_OUDE_SCHOOL and datum is not None:
        if datum > vandaag:
            return Weigering(
                Aard.INVOER, "Het onderwijs kan niet in de toekomst hervat zijn.", "datum"
            )
        if datum < tlv.afgegeven_op:
            return Weigering(Aard.INVOER, "De datum ligt voor de afgifte van de TLV.", "datum")
    return None


def stap(
    tlv: Tlv,
    verzoek: Stap,
    rol: Rol,
    vandaag: date,
    *,
    check_na_dagen: int = CHECK_NA_DAGEN,
    hercheck_na_dagen: int = HERCHECK_NA_DAGEN,
) -> Overgang | Weigering:
    """One transition of the plaatsingscheck (docs/tlv.md), or the reason it is refused."""
    g = verzoek.gebeurtenis
    if not _rol_mag(g, rol):
        return Weigering(Aard.ROL, "Uw rol zet deze stap niet.")
    if tlv.staat not in _TOEGESTAAN[g]:
        huidig = tlv.staat.value if tlv.staat else "nieuw"
        return Weigering(Aard.STAAT, f"Deze stap kan niet in de staat '{huidig}'.")
    fout = _datumfout(tlv, verzoek, vandaag)
    if fout is not None:
        return fout
    hercheck = vandaag + timedelta(days=hercheck_na_dagen)
    if g is TlvGebeurtenis.AFGEGEVEN:
        return Overgang(None, TlvStaat.AFGEGEVEN, g, None)
    if g is TlvGebeurtenis.CHECK_GEPLAND:
        return Overgang(
            tlv.staat, TlvStaat.CHECK_GEPLAND, g, checkdatum(tlv.afgegeven_op, check_na_dagen)
        )
    if g is TlvGebeurtenis.GEPLAATST:
        return Overgang(tlv.staat, TlvStaat.GEPLAATST, g, None)
    if g is TlvGebeurtenis.WACHT_OP_INSTROOM:
        return Overgang(tlv.staat, TlvStaat.WACHT_OP_INSTROOM, g, verzoek.datum or hercheck)
    if g is TlvGebeurtenis.ONDERWIJS_OUDE_SCHOOL:
        return Overgang(tlv.staat, TlvStaat.WACHT_OP_INSTROOM, g, hercheck)
    if g is TlvGebeurtenis.GEEN_ONDERWIJS:
        return Overgang(tlv.staat, TlvStaat.GEEN_ONDERWIJS, g, hercheck)
    if g is TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD:
        return Overgang(tlv.staat, TlvStaat.AFGEROND, g, None)
    return Overgang(tlv.staat, TlvStaat.INGETROKKEN, g, None)


@dataclass(frozen=True, slots=True)
class Historie:
    """One stored transition: what happened, to which state, its date, when it was recorded,
    and the next check it planned."""

    gebeurtenis: TlvGebeurtenis
    naar: TlvStaat
    geregistreerd_op: datetime
    datum: date | None = None
    volgende_check: date | None = None


@dataclass(frozen=True, slots=True)
class Stand:
    """A TLV as its history tells it at a moment."""

    staat: TlvStaat
    volgende_check: date | None
    plaatsingsdatum: date | None
    geen_onderwijs_sinds: date | None
    overgangen: int
    """How many transitions were recorded by then."""


def stand_op(historie: Iterable[Historie], bekend_op: datetime | None = None) -> Stand | None:
    """The TLV as known at `bekend_op` (all history when None): the transitions recorded by
    then, in order (append-only history, docs/decisions/0010 bitemporality); None before it
    was issued."""
    stand: Stand | None = None
    for h in historie:
        if bekend_op is not None and h.geregistreerd_op > bekend_op:
            continue
        plaatsing = stand.plaatsingsdatum if stand else None
        geen = stand.geen_onderwijs_sinds if stand else None
        if h.gebeurtenis in {
            TlvGebeurtenis.GEPLAATST,
            TlvGebeurtenis.PLAATSINGSDATUM_INGEVOERD,
        }:
            plaatsing = h.datum
        elif h.gebeurtenis is TlvGebeurtenis.GEEN_ONDERWIJS:
            geen = h.datum
        stand = Stand(
            h.naar, h.volgende_check, plaatsing, geen, stand.overgangen + 1 if stand else 1
        )
    return stand


def is_open(staat: TlvStaat) -> bool:
    """Whether a check is due in this state (the worklist)."""
    return staat in _OPEN


def achterstallig(volgende_check: date | None, peildatum: date) -> bool:
    """A check is overdue when its date lies before the peildatum (docs/tlv.md)."""
    return volgende_check is not None and volgende_check < peildatum
