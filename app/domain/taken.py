"""Actielijsten: tasks generated from the SWV's calendar and the register (docs/domain.md,
"Actielijsten"), their states, and the registry other workflows plug their generators into.

A generator is a pure function `(context, vandaag) -> task specs`. The same rule, subject and
period always give the same key, so generating twice, or from two workers at once, creates each
task once; a changed peildatum gives the same key with new dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from app.domain.classificatie import LANDELIJKE_THUISZITTERS
from app.domain.datums import schooljaar_eindjaar
from app.domain.rapportage import Peildata
from app.domain.toegang import Rol


class Taakstatus(StrEnum):
    """A task's state; `gepland` and `te-laat` are derived from the dates, never stored."""

    GEPLAND = "gepland"
    OPEN = "open"
    TE_LAAT = "te-laat"
    AFGEROND = "afgerond"
    NIET_VAN_TOEPASSING = "niet-van-toepassing"


AFGESLOTEN = frozenset({Taakstatus.AFGEROND, Taakstatus.NIET_VAN_TOEPASSING})
TE_DOEN = frozenset({Taakstatus.GEPLAND, Taakstatus.OPEN, Taakstatus.TE_LAAT})
"""The states of a task not yet closed (stored `open`): what a worklist shows by default."""


@dataclass(frozen=True, slots=True)
class TaakSpec:
    """A task a rule asks for: `(code, onderwerp, periode)` is its identity within the SWV."""

    code: str
    rol: Rol
    onderwerp: str
    periode: str
    opent_op: date
    vervalt_op: date
    leerling_id: str | None = None
    school_id: str | None = None
    peildatum: date | None = None


@dataclass(frozen=True, slots=True)
class ThuiszitterStart:
    """A child became a (national) thuiszitter on `start` (day 29, docs/domain.md regel 4)."""

    leerling_id: str
    start: date


@dataclass(frozen=True, slots=True)
class GeplandeCheck:
    """A TLV whose plaatsingscheck is planned (`volgende_check`, docs/tlv.md): one task per
    due check; a recorded check or a withdrawn TLV has none."""

    tlv_id: str
    leerling_id: str
    vervalt_op: date


@dataclass(frozen=True, slots=True)
class Contacttermijn:
    """An assigned melding: contact with the reporter by `contact_uiterlijk` (docs/meldingen.md)."""

    melding_id: str
    leerling_id: str
    soort: str
    contact_uiterlijk: date
    school_id: str | None = None


@dataclass(frozen=True, slots=True)
class Casustermijn:
    """An open case's weekly due dates (aanpak thuiszitters §2.1-2.2 "wekelijks"), for the
    organisation that holds the casuscoördinatie (`school`, `leerplicht`, `swv`)."""

    casus_id: str
    leerling_id: str
    coordinatie: str
    contact_ouders: date
    evaluatie: date | None = None
    school_id: str | None = None


@dataclass(frozen=True, slots=True)
class Afspraaktermijn:
    """An escalation's agreement not yet judged: due at its deadline, for its owner
    (docs/escalaties.md regel E2)."""

    escalatie_id: str
    afspraak_id: str
    leerling_id: str
    eigenaar: str
    datum: date
    deadline: date


@dataclass(frozen=True, slots=True)
class Besluittermijn:
    """The directeur's decision not yet carried out: place the child by `plaatsen_uiterlijk`
    (docs/escalaties.md regel E5)."""

    escalatie_id: str
    besluit_id: str
    leerling_id: str
    datum: date
    plaatsen_uiterlijk: date


@dataclass(frozen=True, slots=True)
class LopendeVrijstelling:
    """A vrijstelling still in force (LPW art. 5, 15): renewed each school year."""

    leerling_id: str
    feit_id: str


@dataclass(frozen=True, slots=True)
class Termijnen:
    """The SWV's lead times for the actielijsten; defaults are choices (docs/domain.md)."""

    navraag_dagen_voor_peildatum: int = 28
    horizon_dagen: int = 60
    inhaal_dagen: int = 14


@dataclass(frozen=True, slots=True)
class Context:
    """What the generators may know of one SWV on a day: no personal data, only ids and dates."""

    peildata: Peildata
    scholen: tuple[str, ...] = ()
    thuiszitters: tuple[ThuiszitterStart, ...] = ()
    tlvs: tuple[GeplandeCheck, ...] = ()
    meldingen: tuple[Contacttermijn, ...] = ()
    casussen: tuple[Casustermijn, ...] = ()
    afspraken: tuple[Afspraaktermijn, ...] = ()
    besluiten: tuple[Besluittermijn, ...] = ()
    vrijstellingen: tuple[LopendeVrijstelling, ...] = ()
    termijnen: Termijnen = field(default_factory=Termijnen)


Generator = Callable[[Context, date], Iterable[TaakSpec]]

GENERATOREN: dict[str, Generator] = {}
"""Generators by task code: the workflows (meldingen, TLV, escalaties) register theirs here."""


def generator(code: str) -> Callable[[Generator], Generator]:
    """Register the generator of the tasks with this code (one per code)."""

    def registreer(functie: Generator) -> Generator:
        if code in GENERATOREN:
            raise ValueError(f"generator voor {code!r} bestaat al")
        GENERATOREN[code] = functie
        return functie

    return registreer


def genereer(context: Context, vandaag: date) -> list[TaakSpec]:
    """Every task the registered rules ask for on `vandaag`, each key once."""
    gezien: dict[tuple[str, str, str], TaakSpec] = {}
    for code in sorted(GENERATOREN):
        for spec in GENERATOREN[code](context, vandaag):
            gezien.setdefault((spec.code, spec.onderwerp, spec.periode), spec)
    return list(gezien.values())


def status(opgeslagen: Taakstatus, opent_op: date, vervalt_op: date, vandaag: date) -> Taakstatus:
    """The state shown: a closed task stays closed; otherwise gepland, open or te-laat by date."""
    if opgeslagen in AFGESLOTEN:
        return opgeslagen
    if vandaag < opent_op:
        return Taakstatus.GEPLAND
    if vandaag > vervalt_op:
        return Taakstatus.TE_LAAT
    return Taakstatus.OPEN


class Actie(StrEnum):
    """What a person does with a task."""

    AFRONDEN = "afronden"
    NIET_VAN_TOEPASSING = "niet-van-toepassing"


@dataclass(frozen=True, slots=True)
class Weigering:
    """Why a transition is refused; `soort` maps onto the answer (conflict, geen-toegang)."""

    soort: str
    reden: str


def overgang(
    opgeslagen: Taakstatus, actie: Actie, rol: Rol, taak_rol: Rol, *, toelichting: str | None
) -> Taakstatus | Weigering:
    """A task is closed once, by its role, with an outcome or a reason (actielijsten)."""
    if rol is not taak_rol:
        return Weigering("geen-toegang", "Deze taak hoort bij een andere rol.")
    if opgeslagen in AFGESLOTEN:
        return Weigering("conflict", "Deze taak is al afgesloten.")
    if not (toelichting or "").strip():
        veld = "uitkomst" if actie is Actie.AFRONDEN else "reden"
        return Weigering("ongeldig", f"Noem de {veld}.")
    if actie is Actie.AFRONDEN:
        return Taakstatus.AFGEROND
    return Taakstatus.NIET_VAN_TOEPASSING


# -- the quarterly cycle ---------------------------------------------------------------------


def periode_van(peildata: Peildata, peildatum: date) -> str:
    """A peildatum's stable key: school year and place (`2027-1`), not its date, so moving a
    peildatum moves its tasks instead of making new ones."""
    jaar = peildata.schooljaar(peildatum)
    return f"{jaar}-{peildata.van_schooljaar(jaar).index(peildatum) + 1}"


def rond_peildata(peildata: Peildata, vandaag: date, horizon: int, inhaal: int) -> list[date]:
    """The peildata whose cycle runs on `vandaag`: from `horizon` days before each peildatum to
    `inhaal` days after its delivery deadline (a worker that was down still makes the task, and
    it shows late)."""
    eindjaar = schooljaar_eindjaar(vandaag)
    kandidaten = sorted(
        {d for j in (eindjaar - 1, eindjaar, eindjaar + 1) for d in peildata.van_schooljaar(j)}
    )
    return [
        p
        for p in kandidaten
        if p - timedelta(days=horizon)
        <= vandaag
        <= peildata.uiterste_leverdatum(p) + timedelta(days=inhaal)
    ]


CYCLUS = ("belronde", "navraag", "leerplichtoverleg", "groslijst", "inspectie")
"""The steps of the quarterly cycle, in order (docs/domain.md, "Actielijsten")."""


@dataclass(frozen=True, slots=True)
class Stap:
    """One step of a peildatum's cycle: how many of its tasks are done, open and late."""

    code: str
    totaal: int
    afgerond: int
    open: int
    te_laat: int
    status: Taakstatus


def stap(code: str, statussen: list[Taakstatus]) -> Stap:
    """A step is done when all its tasks are closed, late when one is late, otherwise open
    (or planned while none has opened)."""
    afgerond = sum(s in AFGESLOTEN for s in statussen)
    te_laat = sum(s is Taakstatus.TE_LAAT for s in statussen)
    lopend = [s for s in statussen if s not in AFGESLOTEN]
    if not lopend:
        status = Taakstatus.AFGEROND if statussen else Taakstatus.GEPLAND
    elif te_laat:
        status = Taakstatus.TE_LAAT
    elif all(s is Taakstatus.GEPLAND for s in lopend):
        status = Taakstatus.GEPLAND
    else:
        status = Taakstatus.OPEN
    return Stap(code, len(statussen), afgerond, len(lopend) - te_laat, te_laat, status)


def _per_peildatum(
    code: str,
    rol: Rol,
    opent: Callable[[Peildata, date, Termijnen], date],
    vervalt: Callable[[Peildata, date, Termijnen], date],
) -> Generator:
    def genereer_code(context: Context, vandaag: date) -> Iterable[TaakSpec]:
        pd, t = context.peildata, context.termijnen
        for p in rond_peildata(pd, vandaag, t.horizon_dagen, t.inhaal_dagen):
            yield TaakSpec(
                code, rol, "", periode_van(pd, p), opent(pd, p, t), vervalt(pd, p, t), peildatum=p
            )

    return genereer_code


def _voor_peildatum(pd: Peildata, p: date, t: Termijnen) -> date:
    return p - timedelta(days=t.navraag_dagen_voor_peildatum)


def _dag_voor(pd: Peildata, p: date, t: Termijnen) -> date:
    return p - timedelta(days=1)


def _op_peildatum(pd: Peildata, p: date, t: Termijnen) -> date:
    return p


def _leverdatum(pd: Peildata, p: date, t: Termijnen) -> date:
    return pd.uiterste_leverdatum(p)


generator("belronde")(_per_peildatum("belronde", Rol.REGISSEUR, _voor_peildatum, _dag_voor))
generator("leerplichtoverleg")(
    _per_peildatum("leerplichtoverleg", Rol.BEGELEIDER, _voor_peildatum, _dag_voor)
)
generator("groslijst")(_per_peildatum("groslijst", Rol.REGISSEUR, _op_peildatum, _leverdatum))
generator("inspectie")(_per_peildatum("inspectie", Rol.SECRETARIAAT, _op_peildatum, _leverdatum))


@generator("navraag")
def _navraag(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """Ask each school for its (dreigende) thuiszitters before each peildatum."""
    pd, t = context.peildata, context.termijnen
    for p in rond_peildata(pd, vandaag, t.horizon_dagen, t.inhaal_dagen):
        for school in context.scholen:
            yield TaakSpec(
                "navraag",
                Rol.BEGELEIDER,
                school,
                periode_van(pd, p),
                _voor_peildatum(pd, p, t),
                _dag_voor(pd, p, t),
                school_id=school,
                peildatum=p,
            )


def _recent(datum: date, vandaag: date, horizon: int) -> bool:
    return vandaag - timedelta(days=horizon) <= datum <= vandaag


@generator("digidoor")
def _digidoor(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """Day 29: the begeleider has the school report the thuiszitter."""
    for s in context.thuiszitters:
        if _recent(s.start, vandaag, context.termijnen.horizon_dagen):
            yield TaakSpec(
                "digidoor", Rol.BEGELEIDER, s.leerling_id, s.start.isoformat(), s.start, s.start,
                leerling_id=s.leerling_id,
            )  # fmt: skip


@generator("register")
def _register(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """Day 29: the secretariaat updates the register and informs the coördinator."""
    for s in context.thuiszitters:
        if _recent(s.start, vandaag, context.termijnen.horizon_dagen):
            yield TaakSpec(
                "register", Rol.SECRETARIAAT, s.leerling_id, s.start.isoformat(), s.start, s.start,
                leerling_id=s.leerling_id,
            )  # fmt: skip


WORKFLOWTAKEN = frozenset(
    {"tlv-check", "zorgplicht", "advies", "evaluatie", "contact-ouders", "escalatie-afspraak",
     "besluit-uitvoeren"}
)  # fmt: skip
"""Tasks that follow a workflow's state: when the step is taken (or the workflow ends) the
rule no longer asks for the task and the open task is closed as not applicable."""

WORKFLOW_OPENT_DAGEN = 7
"""A workflow task opens a week before it is due (a choice, docs/domain.md "Actielijsten")."""


def _workflowtaak(  # noqa: PLR0917 (each argument is one part of the key or the dates)
    code: str,
    rol: Rol,
    onderwerp: str,
    vervalt: date,
    vandaag: date,
    horizon: int,
    leerling_id: str,
    school_id: str | None = None,
    *,
    opent: date | None = None,
) -> Iterable[TaakSpec]:
    if vandaag < vervalt - timedelta(days=horizon):
        return
    begin = opent if opent is not None else vervalt - timedelta(days=WORKFLOW_OPENT_DAGEN)
    yield TaakSpec(
        code, rol, onderwerp, vervalt.isoformat(), min(begin, vervalt), vervalt,
        leerling_id=leerling_id, school_id=school_id,
    )  # fmt: skip


@generator("tlv-check")
def _tlv_check(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """The plaatsingscheck on the TLV's planned check date ("De aanpak thuiszitters" §2.4.2):
    one task per due check, subject the TLV, period the due day."""
    for c in context.tlvs:
        yield from _workflowtaak(
            "tlv-check", Rol.BEGELEIDER, c.tlv_id, c.vervalt_op, vandaag,
            context.termijnen.horizon_dagen, c.leerling_id,
        )  # fmt: skip


def _contact(code: str) -> Generator:
    def genereer_code(context: Context, vandaag: date) -> Iterable[TaakSpec]:
        """Contact the reporter of an assigned melding by `contactUiterlijk`: a question to
        the SWV (uitgebreid) is `advies`, a report is `zorgplicht` (docs/meldingen.md)."""
        for m in context.meldingen:
            if ("advies" if m.soort == "uitgebreid" else "zorgplicht") == code:
                yield from _workflowtaak(
                    code, Rol.REGISSEUR, m.melding_id, m.contact_uiterlijk, vandaag,
                    context.termijnen.horizon_dagen, m.leerling_id, m.school_id,
                )  # fmt: skip

    return genereer_code


generator("zorgplicht")(_contact("zorgplicht"))
generator("advies")(_contact("advies"))

_COORDINATOR = {"school": Rol.SCHOOLMEDEWERKER, "leerplicht": Rol.LEERPLICHTAMBTENAAR}
"""The role of the organisation that holds a case's casuscoördinatie; otherwise the SWV's
begeleider."""


@generator("evaluatie")
def _evaluatie(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """Evaluate the plan 7 days after the last evaluation or the plan (aanpak thuiszitters
    §2.1-2.2 "wekelijks"), by the casuscoördinator's organisation."""
    for c in context.casussen:
        if c.evaluatie is not None:
            rol = _COORDINATOR.get(c.coordinatie, Rol.BEGELEIDER)
            yield from _workflowtaak(
                "evaluatie", rol, c.casus_id, c.evaluatie, vandaag,
                context.termijnen.horizon_dagen, c.leerling_id, c.school_id,
            )  # fmt: skip


@generator("contact-ouders")
def _contact_ouders(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """Contact the parents 7 days after the last contact or the opening (aanpak thuiszitters
    §2.1-2.2 "wekelijks"), by the casuscoördinator's organisation."""
    for c in context.casussen:
        rol = _COORDINATOR.get(c.coordinatie, Rol.BEGELEIDER)
        yield from _workflowtaak(
            "contact-ouders", rol, c.casus_id, c.contact_ouders, vandaag,
            context.termijnen.horizon_dagen, c.leerling_id, c.school_id,
        )  # fmt: skip


_EIGENAAR = {
    "school-van-inschrijving": Rol.SCHOOLMEDEWERKER,
    "leerplichtambtenaar": Rol.LEERPLICHTAMBTENAAR,
}
"""The role that carries out an agreement of its owner organisation; the SWV's begeleider
follows the others (ouders, schoolbestuur, ketenpartner, ...)."""


@generator("escalatie-afspraak")
def _escalatie_afspraak(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """An agreement made at the escalation overleg, due at its deadline, for its owner
    organisation (docs/escalaties.md regel E2)."""
    for a in context.afspraken:
        yield from _workflowtaak(
            "escalatie-afspraak", _EIGENAAR.get(a.eigenaar, Rol.BEGELEIDER), a.afspraak_id,
            a.deadline, vandaag, context.termijnen.horizon_dagen, a.leerling_id, opent=a.datum,
        )  # fmt: skip


@generator("besluit-uitvoeren")
def _besluit_uitvoeren(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """The directeur sees the binding decision carried out by its place-by date
    (docs/escalaties.md regel E5)."""
    for b in context.besluiten:
        yield from _workflowtaak(
            "besluit-uitvoeren", Rol.DIRECTEUR, b.besluit_id, b.plaatsen_uiterlijk, vandaag,
            context.termijnen.horizon_dagen, b.leerling_id, opent=b.datum,
        )  # fmt: skip


@generator("vrijstelling-verlengen")
def _vrijstelling_verlengen(context: Context, vandaag: date) -> Iterable[TaakSpec]:
    """A vrijstelling is renewed before 1 July for the next school year (LPW art. 5, 15)."""
    jaar = schooljaar_eindjaar(vandaag)
    opent, vervalt = date(jaar, 5, 1), date(jaar, 6, 30)
    if vandaag < opent - timedelta(days=context.termijnen.horizon_dagen):
        return
    for v in context.vrijstellingen:
        yield TaakSpec(
            "vrijstelling-verlengen", Rol.LEERPLICHTAMBTENAAR, v.feit_id, str(jaar), opent,
            vervalt, leerling_id=v.leerling_id,
        )  # fmt: skip


# -- transitions of the timeline that deserve an event ---------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodeKort:
    """A projected period of a child's timeline: category, first day, last day (or open)."""

    categorie: str
    start: date
    einde: date | None


@dataclass(frozen=True, slots=True)
class Overgang:
    """A change in a child's timeline on `datum`, as an event kind with its categories."""

    soort: str
    datum: date
    categorie: str | None
    vorige: str | None


_THUISZITTER = frozenset(str(c) for c in LANDELIJKE_THUISZITTERS)


def overgangen(perioden: Iterable[PeriodeKort]) -> list[Overgang]:
    """Category changes and the starts and ends of thuiszitten (docs/domain.md regel 4) in a
    timeline: what `leerling.categorie-gewijzigd` and `leerling.thuiszitter-*` announce."""
    rij = sorted(perioden, key=lambda p: p.start)
    uit: list[Overgang] = []
    vorige: PeriodeKort | None = None
    for p in rij:
        aansluitend = vorige is not None and vorige.einde == p.start - timedelta(days=1)
        voor = vorige.categorie if vorige is not None and aansluitend else None
        if (
            vorige is not None
            and vorige.categorie in _THUISZITTER
            and (not aansluitend or p.categorie not in _THUISZITTER)
        ):
            assert vorige.einde is not None  # noqa: S101 (a period followed by another ends)
            uit.append(_einde(vorige.einde))
        if voor != p.categorie and (voor is not None or p.categorie != "geen"):
            uit.append(Overgang("leerling.categorie-gewijzigd", p.start, p.categorie, voor))
        if p.categorie in _THUISZITTER and voor not in _THUISZITTER:
            uit.append(Overgang("leerling.thuiszitter-gestart", p.start, p.categorie, voor))
        vorige = p
    if vorige is not None and vorige.categorie in _THUISZITTER and vorige.einde is not None:
        uit.append(_einde(vorige.einde))
    return uit


def _einde(laatste_dag: date) -> Overgang:
    return Overgang("leerling.thuiszitter-beeindigd", laatste_dag + timedelta(days=1), None, None)


def thuiszitter_starts(leerling_id: str, perioden: Iterable[PeriodeKort]) -> list[ThuiszitterStart]:
    """The days a child became a thuiszitter, for the day-29 tasks."""
    return [
        ThuiszitterStart(leerling_id, o.datum)
        for o in overgangen(perioden)
        if o.soort == "leerling.thuiszitter-gestart"
    ]
