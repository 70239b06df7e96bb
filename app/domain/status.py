"""A child's status on a peildatum: category, thuiszitter or not, since when, signals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar, cast

from app.domain.beleid import Beleid, telt_als_aanbod
from app.domain.classificatie import LANDELIJKE_THUISZITTERS, VERZUIM, Categorie
from app.domain.datums import plus_maanden, schooljaar_eindjaar
from app.domain.feiten import (
    Feit,
    VerzuimBeeindigd,
    VerzuimGemeld,
    VerzuimGestart,
    VrijstellingGrond,
    VrijstellingVerleend,
)
from app.domain.leerling import Leerling
from app.domain.regio import Vakantiekalender
from app.domain.tijdlijn import Dataprobleem, _geldend, _Vouw


class Signaal(StrEnum):
    """Kinds of signal on a peildatum (docs/domain.md regels 8, 11, 12 and 17)."""

    DREIGEND_THUISZITTER = "dreigend-thuiszitter"
    THUISZITTERSPACT = "thuiszitterspact-overschreden"
    VRIJSTELLING_VERNIEUWEN = "vrijstelling-vernieuwen"
    DATAPROBLEEM = "dataprobleem"


@dataclass(frozen=True, slots=True)
class Signalering:
    """One signal with its reason in words and the facts it rests on."""

    signaal: Signaal
    reden: str
    feit_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verklaring:
    """Which rule and which facts made the category what it is."""

    regel: str
    feit_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Status:
    """A child's situation on ``peildatum`` as known on ``bekend_op``."""

    leerling_id: str
    peildatum: date
    categorie: Categorie
    thuiszitter_landelijk: bool
    thuiszitter_profiel: bool
    sinds: date | None
    verzuim_sinds: date | None
    duur_dagen: int | None
    duur_lesweken: int | None
    signalen: tuple[Signalering, ...]
    verklaring: Verklaring


_T = TypeVar("_T")


def _snel(cls: type[_T]) -> type[_T]:
    """``cls`` for values made once per child: same arguments, and what it returns is a ``cls``.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``: for a Status
    with its Verklaring about 22,000 instructions, more than a sixth of classifying a child. The
    class returned is a subclass with the same slots and plain attribute assignment; its
    ``__init__`` fills the fields and then makes the instance a ``cls`` (same layout, so CPython
    allows it), about 7,000 instructions. The result is equal to, as frozen as and of the exact type
    of ``cls(...)``. Only for slotted dataclasses without defaults or ``__post_init__``.
    """
    velden = [f.name for f in fields(cast("Any", cls))]
    bron = f"def __init__(self, {', '.join(velden)}):\n"
    bron += "".join(f"    self.{v} = {v}\n" for v in velden)
    bron += "    self.__class__ = cls\n"
    ruimte: dict[str, Any] = {"cls": cls}
    exec(bron, ruimte)  # noqa: S102 (how dataclasses itself builds __init__; field names only)
    # Both object's: only then does CPython assign attributes without a call per field.
    gewoon = {"__setattr__": object.__setattr__, "__delattr__": object.__delattr__}
    tweeling = type(f"_{cls.__name__}", (cls,), {"__slots__": (), **gewoon, **ruimte})
    return cast("type[_T]", tweeling)


_Status = _snel(Status)
_Verklaring = _snel(Verklaring)


def _lesdagen(kalender: Vakantiekalender, vouw: _Vouw, van: date, tot_en_met: date) -> int:
    regio = vouw.leerling.regio
    dagen = 0
    d = van
    while d <= tot_en_met:
        if not kalender.is_vakantiedag(d, regio):
            dagen += 1
        d += timedelta(days=1)
    return dagen


# Tuples, not sets: membership by identity/str equality avoids Enum.__hash__ (a Python call).
_LANDELIJK = tuple(LANDELIJKE_THUISZITTERS)
_VERZUIM = tuple(VERZUIM)
# Read per child; ``Categorie.A1`` would go through EnumType.__getattr__ (Python 3.11) each time.
_A1, _B1 = Categorie.A1, Categorie.B1


def _terug(
    raw: list[tuple[date, Categorie, str, tuple[str, ...]]], groep: tuple[Categorie, ...]
) -> date:
    k = len(raw) - 1
    while k > 0 and raw[k - 1][1] in groep:
        k -= 1
    return raw[k][0]


def bepaal_status(
    leerling: Leerling,
    feiten: Iterable[Feit],
    beleid: Beleid,
    *,
    peildatum: date,
    bekend_op: datetime | None = None,
    kalender: Vakantiekalender | None = None,
) -> Status:
    """Category, thuiszitter (national and SWV profile), duration and signals on a peildatum."""
    geldend, problemen = _geldend(feiten, bekend_op)
    vouw = _Vouw(leerling, beleid, kalender)
    vouw.vouwen(geldend, peildatum)
    raw = vouw.raw
    if not raw:
        leeg = _dataproblemen(problemen, vouw, peildatum)
        if not geldend:  # regel 7: a registered child about whom nothing is known is a problem
            leeg.append(Signalering(Signaal.DATAPROBLEEM, "geen feiten bekend"))
        return _Status(
            leerling.id, peildatum, Categorie.GEEN, False, False, None, None, None, None,
            tuple(leeg), _Verklaring("geen feiten", ()),
        )  # fmt: skip
    _start, categorie, regel, ids = raw[-1]
    landelijk = categorie in _LANDELIJK
    sinds = _terug(raw, _LANDELIJK) if landelijk else vouw.categorie_sinds
    verzuim_sinds = _terug(raw, _VERZUIM) if categorie in _VERZUIM else None
    duur = (peildatum - sinds).days + 1
    lesweken = None
    if vouw.kalender is not None:
        lesweken = _lesdagen(vouw.kalender, vouw, sinds, peildatum) // 7

    signalen: list[Signalering] = []
    if not landelijk and (
        vouw.schorsing is not None
        or vouw.tlv is not None
        or vouw.uren
        or categorie is _A1
        or categorie is _B1
    ):  # only then can a rule-17 signal apply
        signalen.extend(_dreigend(vouw, categorie, peildatum))
    if landelijk and verzuim_sinds is not None:
        aanbod = vouw.aanbod
        heeft_aanbod = aanbod is not None and telt_als_aanbod(aanbod, beleid)
        if not heeft_aanbod and peildatum >= plus_maanden(verzuim_sinds, beleid.pact_na_maanden):
            signalen.append(
                Signalering(
                    Signaal.THUISZITTERSPACT,
                    f"langer dan {beleid.pact_na_maanden} maanden thuis zonder passend aanbod",
                    ids,
                )
            )
    if vouw.vrijstellingen:  # regel 8: the yearly kennisgeving (LPW art. 6)
        signalen.extend(_vernieuwing(vouw, geldend, peildatum))
    if problemen or vouw.problemen:
        signalen.extend(_dataproblemen(problemen, vouw, peildatum))
    return _Status(  # positional (in field order): measurably cheaper per child than keywords
        leerling.id,
        peildatum,
        categorie,
        landelijk,
        _in_profiel(vouw, geldend, categorie, peildatum),
        sinds,
        verzuim_sinds,
        duur,
        lesweken,
        tuple(signalen),
        _Verklaring(regel, ids),
    )


def _als_verzuim(feiten: list[Feit]) -> list[Feit]:
    """The facts with each `verzuim-gemeld` read as unexcused absence (its end included)."""
    uit: list[Feit] = []
    for f in feiten:
        if isinstance(f, VerzuimGemeld):
            uit.append(
                VerzuimGestart(
                    id=f.id, geldig_vanaf=f.geldig_vanaf, geregistreerd_op=f.geregistreerd_op
                )
            )
            if f.einde is not None:
                uit.append(
                    VerzuimBeeindigd(
                        id=f"{f.id}:einde",
                        geldig_vanaf=f.einde,
                        geregistreerd_op=f.geregistreerd_op,
                    )
                )
        else:
            uit.append(f)
    uit.sort(key=lambda f: f.geldig_vanaf)
    return uit


def _in_profiel(vouw: _Vouw, geldend: list[Feit], categorie: Categorie, peildatum: date) -> bool:
    """Thuiszitter in the SWV's own profile: an SWV that asks for it reads `verzuim-gemeld` as
    unexcused absence there, never nationally (docs/domain.md regel 13)."""
    beleid = vouw.beleid
    if not beleid.verzuim_gemeld_telt or not any(type(f) is VerzuimGemeld for f in geldend):
        return categorie in beleid.profiel.categorieen
    profiel = _Vouw(vouw.leerling, beleid, vouw.kalender)
    profiel.vouwen(_als_verzuim(geldend), peildatum)
    return bool(profiel.raw) and profiel.raw[-1][1] in beleid.profiel.categorieen


def _dreigend(vouw: _Vouw, categorie: Categorie, peildatum: date) -> list[Signalering]:
    beleid = vouw.beleid
    uit: list[Signalering] = []
    signaal = Signaal.DREIGEND_THUISZITTER
    schorsing = vouw.schorsing
    if schorsing is not None and peildatum >= vouw.na(
        schorsing.geldig_vanaf, beleid.signaal_schorsing_na_dagen
    ):
        reden = f"geschorst langer dan {beleid.signaal_schorsing_na_dagen} dagen"
        uit.append(Signalering(signaal, reden, (schorsing.id,)))
    if categorie is Categorie.A1 and vouw.ziek is not None and vouw.ziek.terugkeer_onzeker:
        uit.append(
            Signalering(signaal, "langdurig of vaak ziek, terugkeer onzeker", (vouw.ziek.id,))
        )
    if (
        categorie is Categorie.B1
        and vouw.run_start is not None
        and peildatum >= vouw.na(vouw.run_start, beleid.signaal_verzuim_na_dagen)
    ):
        ids = tuple(i for i in (vouw.verzuim_id, vouw.wacht_id) if i is not None)
        uit.append(Signalering(signaal, "ongeoorloofd verzuim nadert 4 weken", ids))
    tlv = vouw.tlv
    if tlv is not None and peildatum >= vouw.na(tlv.geldig_vanaf, beleid.signaal_tlv_na_dagen):
        reden = f"geen plaatsing {beleid.signaal_tlv_na_dagen} dagen na de TLV"
        uit.append(Signalering(signaal, reden, (tlv.id,)))
    if not vouw.uren:
        return uit
    if vouw.kalender is None:  # regel 17: 28 calendar days stand in for four lesweken
        grens = peildatum - timedelta(days=beleid.signaal_verzuimuren_dagen)
        termijn = f"{beleid.signaal_verzuimuren_dagen} dagen"
    else:  # regel 17 with regel 14: four consecutive lesweken (LPW art. 21)
        grens = _lesweken_terug(vouw.kalender, vouw, peildatum, _LESWEKEN_LPW_21) - _DAG
        termijn = f"{_LESWEKEN_LPW_21} opeenvolgende lesweken"
    recent = [u for u in vouw.uren if grens < u.geldig_vanaf <= peildatum]
    if recent and sum(u.uren for u in recent) >= beleid.signaal_verzuimuren:
        reden = (
            f"{beleid.signaal_verzuimuren:g} uur ongeoorloofd verzuim in {termijn} (LPW art. 21)"
        )
        uit.append(Signalering(signaal, reden, tuple(u.id for u in recent)))
    return uit


_DAG = timedelta(days=1)
_LESWEKEN_LPW_21 = 4


def _lesweken_terug(kalender: Vakantiekalender, vouw: _Vouw, peildatum: date, aantal: int) -> date:
    """The Monday of the ``aantal``-th leswek back, counting the peildatum's week (LPW art. 21).

    A leswek is a week (Monday to Sunday) with at least one weekday that is not a school holiday
    of the child's region; whole holiday weeks are skipped, so the weeks are consecutive lesweken.
    """
    regio = vouw.leerling.regio
    maandag = peildatum - timedelta(days=peildatum.weekday())
    gevonden = 0
    while True:
        dagen = (maandag + timedelta(days=k) for k in range(5))
        if any(not kalender.is_vakantiedag(dag, regio) for dag in dagen):
            gevonden += 1
            if gevonden == aantal:
                return maandag
        maandag -= timedelta(days=7)


JAARLIJKSE_KENNISGEVING: dict[VrijstellingGrond, str] = {
    VrijstellingGrond.ART_5_A: "art. 5 onder a",
    VrijstellingGrond.ART_5_B: "art. 5 onder b",
    VrijstellingGrond.ART_5_C: "art. 5 onder c",
    VrijstellingGrond.ART_5A: "art. 5a",
}
"""Grounds whose vrijstelling needs a kennisgeving before 1 July of every school year (regel 8).

LPW art. 6: the kennisgeving for a vrijstelling on art. 5 (and, via art. 5a, for the travelling
life) is made "telkens vóór 1 juli" before the school year it is for. Art. 15 is a decision of
the college for a stated period, not a yearly kennisgeving: no renewal signal.
"""


def _vernieuwing(vouw: _Vouw, geldend: list[Feit], peildatum: date) -> list[Signalering]:
    """Regel 8: a renewal signal per running ground with a yearly kennisgeving (LPW art. 6)."""
    uit: list[Signalering] = []
    for grond, artikel in JAARLIJKSE_KENNISGEVING.items():
        lopend = vouw.vrijstellingen.get(grond)
        if lopend is None:
            continue
        laatste = max(
            f.geldig_vanaf
            for f in geldend
            if isinstance(f, VrijstellingVerleend) and f.grond is grond
        )
        jaar = schooljaar_eindjaar(laatste)
        deadline = date(jaar, 7, 1)
        if peildatum < deadline - timedelta(days=vouw.beleid.vrijstelling_signaal_dagen):
            continue
        reden = f"vrijstelling {artikel} moet vóór 1 juli {jaar} vernieuwd worden (LPW art. 6)"
        uit.append(Signalering(Signaal.VRIJSTELLING_VERNIEUWEN, reden, (lopend,)))
    return uit


def _dataproblemen(
    problemen: list[Dataprobleem], vouw: _Vouw, peildatum: date
) -> list[Signalering]:
    """Regel 11: contradictions and dangling facts up to the peildatum, as signals."""
    if not problemen and not vouw.problemen:
        return []
    return [
        Signalering(Signaal.DATAPROBLEEM, p.beschrijving, p.feit_ids)
        for p in (*problemen, *vouw.problemen)
        if p.datum <= peildatum
    ]
