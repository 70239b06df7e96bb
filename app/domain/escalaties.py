"""Doorzettingskracht and doorzettingsmacht: the escalation that ends with a decision.

The SWV's protocol (docs/escalaties.md): the begeleider reports a (threatening) thuiszitter to the
SWV's directeur, who convenes an overleg with at least the ouders, the school van inschrijving,
the leerplichtambtenaar and the SWV, that ends only with concrete agreements with deadlines
(doorzettingskracht). When an agreement is not carried out within its deadline, the directeur
decides bindingly which school or institution offers the child a place (doorzettingsmacht). It
applies to children not enrolled anywhere too.

The machine is pure: `volgende(escalatie, stap, rol, vandaag, onderwijs)` gives the escalation
after the step, or a `Weigering`. Its status as of a day (`stand`) is derived from the recorded
steps, the clock (`vandaag`) and the child's education facts: a passed deadline reaches
doorzettingsmacht and a placement at the designated school carries the decision out without
anyone recording a step. Free text never enters the domain: a step only says whether a reason,
motivation or frame was given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.feiten import (
    Feit,
    Hervatting,
    Inschrijving,
    OnderwijsHervat,
    Plaatsing,
    Uitschrijving,
)
from app.domain.tijdlijn import geldende_feiten
from app.domain.toegang import Rol


class EscalatieStatus(StrEnum):
    """States of an escalation (docs/escalaties.md)."""

    GEMELD_BIJ_DIRECTEUR = "gemeld-bij-directeur"
    OVERLEG_GEORGANISEERD = "overleg-georganiseerd"
    OVERLEG_GEHOUDEN = "overleg-gehouden"
    AFSPRAKEN_GEMAAKT = "afspraken-gemaakt"
    IN_UITVOERING = "in-uitvoering"
    OPGELOST = "opgelost"
    DOORZETTINGSMACHT = "doorzettingsmacht"
    BESLUIT_GENOMEN = "besluit-genomen"
    BESLUIT_UITGEVOERD = "besluit-uitgevoerd"
    AFGESLOTEN = "afgesloten"


class Aanleiding(StrEnum):
    """Why the escalation was opened: the begeleider's report, leerplicht's request, or the
    Regioloket's doorbraakoverleg, which follows the same route."""

    MELDING_BEGELEIDER = "melding-begeleider"
    VERZOEK_LEERPLICHT = "verzoek-leerplicht"
    DOORBRAAKOVERLEG = "doorbraakoverleg"


class DeelnemerRol(StrEnum):
    """Who takes part in an overleg (docs/escalaties.md regel E1)."""

    OUDERS = "ouders"
    SCHOOL_VAN_INSCHRIJVING = "school-van-inschrijving"
    LEERPLICHTAMBTENAAR = "leerplichtambtenaar"
    SWV = "swv"
    SCHOOLBESTUUR = "schoolbestuur"
    KETENPARTNER = "ketenpartner"
    DESKUNDIGE = "deskundige"
    JEUGDARTS = "jeugdarts"


VERPLICHTE_DEELNEMERS: tuple[DeelnemerRol, ...] = (
    DeelnemerRol.OUDERS,
    DeelnemerRol.SCHOOL_VAN_INSCHRIJVING,
    DeelnemerRol.LEERPLICHTAMBTENAAR,
    DeelnemerRol.SWV,
)
"""Who at least takes part in the overleg, or is invited to it (docs/escalaties.md regel E1)."""


class DoorzettingsmachtBij(StrEnum):
    """Who holds doorzettingsmacht in the SWV: the Inspectie asks every SWV."""

    DIRECTEUR_SWV = "directeur-swv"
    BESTUUR_SWV = "bestuur-swv"
    ONAFHANKELIJKE_COMMISSIE = "onafhankelijke-commissie"
    ANDERS = "anders"


@dataclass(frozen=True, slots=True)
class EscalatieBeleid:
    """The SWV's settings for escalations; defaults: the directeur (regel E5) and a
    default term for agreements of 28 days (a choice: the seeds name no number)."""

    doorzettingsmacht_bij: DoorzettingsmachtBij = DoorzettingsmachtBij.DIRECTEUR_SWV
    afspraak_termijn_dagen: int = 28


class EscalatieSignaal(StrEnum):
    """Date-driven signals of an escalation."""

    TERMIJN_VERSTREKEN = "escalatie-termijn-verstreken"
    BESLUIT_NIET_UITGEVOERD = "besluit-niet-uitgevoerd"


# -- steps -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Geopend:
    """Reported to the directeur (docs/escalaties.md)."""

    datum: date
    aanleiding: Aanleiding


@dataclass(frozen=True, slots=True)
class Deelnemer:
    rol: DeelnemerRol
    aanwezig: bool
    """True: took part; False: invited."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Overleg:
    """An overleg planned, or held, with its participants."""

    id: str
    datum: date
    gehouden: bool
    deelnemers: tuple[Deelnemer, ...]
    ingeschreven: bool = True
    """Whether the child was enrolled at a school on the day (else no school van inschrijving)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Afspraak:
    """A concrete agreement with an owner and a deadline (docs/escalaties.md regel E2)."""

    id: str
    datum: date
    eigenaar: DeelnemerRol
    deadline: date


@dataclass(frozen=True, slots=True, kw_only=True)
class UitvoeringGestart:
    datum: date


@dataclass(frozen=True, slots=True, kw_only=True)
class Beoordeling:
    """An agreement marked kept or not kept; not kept needs a reason."""

    afspraak_id: str
    datum: date
    nagekomen: bool
    met_reden: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Besluit:
    """The directeur's binding decision: which school or institution offers a place, by when,
    within which frame, with a motivation (docs/escalaties.md regel E5)."""

    datum: date
    school_id: str | None
    instelling: bool
    plaatsen_uiterlijk: date
    met_kader: bool
    met_motivering: bool
    met_reden_voor_termijn: bool = False
    """Given when no agreement's deadline has passed yet."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Uitgevoerd:
    """A decision for an institution outside the register recorded as carried out."""

    datum: date


@dataclass(frozen=True, slots=True, kw_only=True)
class Afsluiting:
    datum: date
    met_reden: bool


Stap = (
    Geopend
    | Overleg
    | Afspraak
    | UitvoeringGestart
    | Beoordeling
    | Besluit
    | Uitgevoerd
    | Afsluiting
)


@dataclass(frozen=True, slots=True)
class Onderwijsfeit:
    """A fact that shows the child in education: placed, enrolled, or fully back."""

    soort: str
    datum: date
    vestiging: str | None


# -- the escalation and its refusals ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Escalatie:
    """The escalation as its recorded steps made it (the status without the clock)."""

    status: EscalatieStatus
    geopend_op: date
    overleggen: tuple[Overleg, ...] = ()
    afspraken: tuple[Afspraak, ...] = ()
    beoordelingen: tuple[Beoordeling, ...] = ()
    besluit: Besluit | None = None

    def beoordeling(self, afspraak_id: str) -> Beoordeling | None:
        return next((b for b in self.beoordelingen if b.afspraak_id == afspraak_id), None)


class WeigeringSoort(StrEnum):
    ONGELDIG = "ongeldig"
    """Invalid input (400): every error listed."""
    CONFLICT = "conflict"
    """Not in this state (409)."""
    NIET_BEVOEGD = "niet-bevoegd"
    """Not this role (403)."""
    NIET_GEVONDEN = "niet-gevonden"
    """The agreement named does not exist (404)."""


@dataclass(frozen=True, slots=True)
class Fout:
    veld: str
    code: str
    reden: str


@dataclass(frozen=True, slots=True)
class Weigering:
    """Why the step is refused."""

    soort: WeigeringSoort
    reden: str
    fouten: tuple[Fout, ...] = ()


@dataclass(frozen=True, slots=True)
class Stand:
    """The escalation as of a day: derived status, overdue agreements, signals."""

    status: EscalatieStatus
    verlopen: tuple[Afspraak, ...]
    signalen: tuple[EscalatieSignaal, ...]
    uitgevoerd_met: Onderwijsfeit | None


_S = EscalatieStatus
VOOR_BESLUIT = frozenset(
    {
        _S.GEMELD_BIJ_DIRECTEUR,
        _S.OVERLEG_GEORGANISEERD,
        _S.OVERLEG_GEHOUDEN,
        _S.AFSPRAKEN_GEMAAKT,
        _S.IN_UITVOERING,
    }
)
"""Doorzettingskracht: recorded states before any decision."""
_NA_OVERLEG = frozenset({_S.OVERLEG_GEHOUDEN, _S.AFSPRAKEN_GEMAAKT, _S.IN_UITVOERING})
_EERSTE_OVERLEG = frozenset({_S.GEMELD_BIJ_DIRECTEUR, _S.OVERLEG_GEORGANISEERD})
_BEOORDEELBAAR = frozenset(
    {_S.AFSPRAKEN_GEMAAKT, _S.IN_UITVOERING, _S.DOORZETTINGSMACHT, _S.BESLUIT_GENOMEN}
)
_OVERLEG_MOGELIJK = VOOR_BESLUIT | {_S.DOORZETTINGSMACHT}
"""Before a decision, and not resolved: an overleg or a decision can still be recorded."""


def onderwijsfeiten(feiten: Iterable[Feit]) -> tuple[Onderwijsfeit, ...]:
    """The facts in force that show the child placed, enrolled or fully back (docs/domain.md
    regel 10: partial resumption is not back)."""
    geldend, _ = geldende_feiten(feiten)
    uit: list[Onderwijsfeit] = []
    for feit in geldend:
        if isinstance(feit, Plaatsing | Inschrijving):
            uit.append(Onderwijsfeit(str(feit.soort), feit.geldig_vanaf, feit.vestiging))
        elif isinstance(feit, OnderwijsHervat) and feit.hervatting is Hervatting.VOLLEDIG:
            uit.append(Onderwijsfeit(str(feit.soort), feit.geldig_vanaf, None))
    return tuple(uit)


def ingeschreven_op(feiten: Iterable[Feit], datum: date) -> bool:
    """Whether the child is enrolled at any vestiging on the day (inschrijving until
    uitschrijving; regel E1 asks the school van inschrijving only of an enrolled child)."""
    geldend, _ = geldende_feiten(feiten)
    vestigingen: set[str] = set()
    for feit in geldend:
        if feit.geldig_vanaf > datum:
            break
        if isinstance(feit, Inschrijving):
            vestigingen.add(feit.vestiging)
        elif isinstance(feit, Uitschrijving):
            vestigingen.discard(feit.vestiging)
    return bool(vestigingen)


def verlopen_afspraken(escalatie: Escalatie, vandaag: date) -> tuple[Afspraak, ...]:
    """Agreements whose deadline passed without being kept (docs/escalaties.md regel E3)."""
    uit = []
    for afspraak in escalatie.afspraken:
        beoordeling = escalatie.beoordeling(afspraak.id)
        if afspraak.deadline < vandaag and not (beoordeling and beoordeling.nagekomen):
            uit.append(afspraak)
    return tuple(uit)


def stand(escalatie: Escalatie, vandaag: date, onderwijs: Sequence[Onderwijsfeit] = ()) -> Stand:
    """The status as of `vandaag`: back in education is opgelost; a passed deadline unmet is
    doorzettingsmacht; a placement at the designated school carries the decision out
    (docs/escalaties.md regels E3, E4, E6)."""
    status = escalatie.status
    verlopen = verlopen_afspraken(escalatie, vandaag)
    uitgevoerd_met = None
    signalen: list[EscalatieSignaal] = []
    if status in VOOR_BESLUIT:
        if any(escalatie.geopend_op <= f.datum <= vandaag for f in onderwijs):
            status = _S.OPGELOST
        elif verlopen:
            status = _S.DOORZETTINGSMACHT
            signalen.append(EscalatieSignaal.TERMIJN_VERSTREKEN)
    elif status is _S.BESLUIT_GENOMEN:
        besluit = escalatie.besluit
        assert besluit is not None  # noqa: S101 (a decision is what made this state)
        uitgevoerd_met = next(
            (
                f
                for f in onderwijs
                if f.vestiging is not None
                and f.vestiging == besluit.school_id
                and f.datum >= escalatie.geopend_op
            ),
            None,
        )
        if uitgevoerd_met is not None:
            status = _S.BESLUIT_UITGEVOERD
        elif besluit.plaatsen_uiterlijk < vandaag:
            signalen.append(EscalatieSignaal.BESLUIT_NIET_UITGEVOERD)
    return Stand(status, verlopen, tuple(signalen), uitgevoerd_met)


def ontbrekende_deelnemers(overleg: Overleg) -> tuple[DeelnemerRol, ...]:
    """The required parties neither present nor invited; the school van inschrijving is not
    required of a child enrolled nowhere (docs/escalaties.md regel E1)."""
    rollen = {d.rol for d in overleg.deelnemers}
    return tuple(
        rol
        for rol in VERPLICHTE_DEELNEMERS
        if rol not in rollen
        and not (rol is DeelnemerRol.SCHOOL_VAN_INSCHRIJVING and not overleg.ingeschreven)
    )


_ONTBREEKT = {
    DeelnemerRol.OUDERS: "De ouders namen niet deel en waren niet uitgenodigd.",
    DeelnemerRol.SCHOOL_VAN_INSCHRIJVING: (
        "De school van inschrijving nam niet deel en was niet uitgenodigd."
    ),
    DeelnemerRol.LEERPLICHTAMBTENAAR: (
        "De leerplichtambtenaar nam niet deel en was niet uitgenodigd."
    ),
    DeelnemerRol.SWV: "Het samenwerkingsverband nam niet deel en was niet uitgenodigd.",
}


def volgende(
    escalatie: Escalatie | None,
    stap: Stap,
    rol: Rol,
    vandaag: date,
    onderwijs: Sequence[Onderwijsfeit] = (),
) -> Escalatie | Weigering:
    """The escalation after the step, or why it is refused (docs/escalaties.md)."""
    weigering = _weigering(escalatie, stap, rol, vandaag, onderwijs)
    return weigering if weigering is not None else _pas_toe(escalatie, stap)


def herhaal(stappen: Iterable[Stap]) -> Escalatie | None:
    """The escalation its recorded steps made (each step was checked when it was recorded,
    against the clock and the facts of that day)."""
    escalatie: Escalatie | None = None
    for stap in stappen:
        escalatie = _pas_toe(escalatie, stap)
    return escalatie


def _weigering(
    escalatie: Escalatie | None,
    stap: Stap,
    rol: Rol,
    vandaag: date,
    onderwijs: Sequence[Onderwijsfeit],
) -> Weigering | None:
    if escalatie is None:
        if not isinstance(stap, Geopend):
            return _conflict("Deze escalatie is nog niet gemeld bij de directeur.")
        if stap.datum > vandaag:
            return _ongeldig([Fout("gemeldOp", "in_toekomst", "Ligt in de toekomst.")])
        return None
    huidig = stand(escalatie, vandaag, onderwijs).status
    if isinstance(stap, Geopend):
        return _conflict("Deze escalatie is al gemeld bij de directeur.")
    if isinstance(stap, Afsluiting):
        return _sluit(escalatie, stap, huidig, vandaag)
    if isinstance(stap, Overleg):
        return _overleg(escalatie, stap, huidig, vandaag)
    if isinstance(stap, Afspraak):
        return _afspraak(escalatie, stap, huidig, vandaag)
    if isinstance(stap, UitvoeringGestart):
        if not escalatie.afspraken:
            return _conflict(
                "Naar uitvoering kan alleen met ten minste één afspraak met eigenaar en termijn."
            )
        if huidig is not _S.AFSPRAKEN_GEMAAKT:
            return _conflict(f"Naar uitvoering kan alleen vanuit afspraken-gemaakt ({huidig}).")
        return _ongeldig(_datum_fouten(escalatie, stap.datum, vandaag, "datum"))
    if isinstance(stap, Beoordeling):
        return _beoordeel(escalatie, stap, huidig, vandaag)
    if isinstance(stap, Besluit):
        return _besluit(escalatie, stap, huidig, rol, vandaag)
    return _uitgevoerd(escalatie, stap, huidig, vandaag)


def _conflict(reden: str) -> Weigering:
    return Weigering(WeigeringSoort.CONFLICT, reden)


def _ongeldig(fouten: list[Fout]) -> Weigering | None:
    if not fouten:
        return None
    return Weigering(WeigeringSoort.ONGELDIG, "De stap bevat fouten; zie `errors`.", tuple(fouten))


def _datum_fouten(escalatie: Escalatie, datum: date, vandaag: date, veld: str) -> list[Fout]:
    if datum < escalatie.geopend_op:
        return [Fout(veld, "voor_melding", "Ligt voor de melding bij de directeur.")]
    if datum > vandaag:
        return [Fout(veld, "in_toekomst", "Ligt in de toekomst.")]
    return []


def _sluit(
    escalatie: Escalatie, stap: Afsluiting, huidig: EscalatieStatus, vandaag: date
) -> Weigering | None:
    if huidig is _S.AFGESLOTEN:
        return _conflict("Deze escalatie is al afgesloten.")
    fouten = _datum_fouten(escalatie, stap.datum, vandaag, "datum")
    if not stap.met_reden:
        fouten.append(Fout("reden", "ontbreekt", "Afsluiten vraagt een reden."))
    return _ongeldig(fouten)


def _overleg(
    escalatie: Escalatie, stap: Overleg, huidig: EscalatieStatus, vandaag: date
) -> Weigering | None:
    if huidig not in _OVERLEG_MOGELIJK:
        return _conflict(f"In deze status wordt geen overleg meer vastgelegd ({huidig}).")
    if not stap.gehouden:
        if stap.datum < escalatie.geopend_op:
            return _ongeldig(
                [Fout("datum", "voor_melding", "Ligt voor de melding bij de directeur.")]
            )
        return None
    fouten = _datum_fouten(escalatie, stap.datum, vandaag, "datum")
    fouten += [
        Fout("deelnemers", f"ontbreekt_{rol}", _ONTBREEKT[rol])
        for rol in ontbrekende_deelnemers(stap)
    ]
    return _ongeldig(fouten)


def _afspraak(
    escalatie: Escalatie, stap: Afspraak, huidig: EscalatieStatus, vandaag: date
) -> Weigering | None:
    if huidig not in _NA_OVERLEG | {_S.DOORZETTINGSMACHT}:
        return _conflict(
            "Afspraken worden gemaakt na een gehouden overleg, voor een besluit "
            f"(status: {huidig})."
        )
    fouten = _datum_fouten(escalatie, stap.datum, vandaag, "datum")
    if stap.deadline < stap.datum:
        fouten.append(Fout("deadline", "voor_afspraak", "Ligt voor de dag van de afspraak."))
    return _ongeldig(fouten)


def _beoordeel(
    escalatie: Escalatie, stap: Beoordeling, huidig: EscalatieStatus, vandaag: date
) -> Weigering | None:
    if not any(a.id == stap.afspraak_id for a in escalatie.afspraken):
        return Weigering(WeigeringSoort.NIET_GEVONDEN, "Deze afspraak bestaat niet.")
    if escalatie.beoordeling(stap.afspraak_id) is not None:
        return _conflict("Deze afspraak is al beoordeeld; een beoordeling wijzigt niet.")
    if huidig not in _BEOORDEELBAAR:
        return _conflict(f"In deze status worden afspraken niet beoordeeld ({huidig}).")
    fouten = _datum_fouten(escalatie, stap.datum, vandaag, "datum")
    if not stap.nagekomen and not stap.met_reden:
        fouten.append(Fout("reden", "ontbreekt", "Een niet nagekomen afspraak vraagt een reden."))
    return _ongeldig(fouten)


def _besluit(
    escalatie: Escalatie, stap: Besluit, huidig: EscalatieStatus, rol: Rol, vandaag: date
) -> Weigering | None:
    if rol is not Rol.DIRECTEUR:
        return Weigering(
            WeigeringSoort.NIET_BEVOEGD,
            "Alleen de directeur van het samenwerkingsverband besluit met doorzettingsmacht.",
        )
    if huidig not in _OVERLEG_MOGELIJK:
        return _conflict(f"In deze status wordt geen besluit meer genomen ({huidig}).")
    fouten = _datum_fouten(escalatie, stap.datum, vandaag, "datum")
    if (stap.school_id is None) == (not stap.instelling):
        fouten.append(
            Fout("aangewezen", "precies_een", "Wijs precies één school of instelling aan.")
        )
    if stap.plaatsen_uiterlijk < stap.datum:
        fouten.append(Fout("plaatsenUiterlijk", "voor_besluit", "Ligt voor het besluit."))
    if not stap.met_kader:
        fouten.append(Fout("kader", "ontbreekt", "Het besluit noemt het kader."))
    if not stap.met_motivering:
        fouten.append(Fout("motivering", "ontbreekt", "Het besluit is gemotiveerd."))
    if huidig is not _S.DOORZETTINGSMACHT and not stap.met_reden_voor_termijn:
        fouten.append(
            Fout(
                "redenVoorTermijn",
                "ontbreekt",
                "Geen termijn van een afspraak is verstreken: een besluit nu vraagt een reden.",
            )
        )
    return _ongeldig(fouten)


def _uitgevoerd(
    escalatie: Escalatie, stap: Uitgevoerd, huidig: EscalatieStatus, vandaag: date
) -> Weigering | None:
    if huidig is not _S.BESLUIT_GENOMEN:
        return _conflict(f"Er is geen besluit dat op uitvoering wacht (status: {huidig}).")
    assert escalatie.besluit is not None  # noqa: S101 (a decision is what made this state)
    if not escalatie.besluit.instelling:
        return _conflict(
            "Een besluit voor een school is uitgevoerd zodra de plaatsing of inschrijving bij "
            "die school is gemeld."
        )
    return _ongeldig(_datum_fouten(escalatie, stap.datum, vandaag, "datum"))


def _met(escalatie: Escalatie, status: EscalatieStatus | None, **wijziging: object) -> Escalatie:
    if status is not None:
        wijziging["status"] = status
    return dataclasses.replace(escalatie, **wijziging)  # type: ignore[arg-type]


def _pas_toe(escalatie: Escalatie | None, stap: Stap) -> Escalatie:
    if escalatie is None or isinstance(stap, Geopend):
        assert isinstance(stap, Geopend)  # noqa: S101 (the history begins with the report)
        return Escalatie(_S.GEMELD_BIJ_DIRECTEUR, stap.datum)
    if isinstance(stap, Overleg):
        status = None
        if escalatie.status in _EERSTE_OVERLEG:
            status = _S.OVERLEG_GEHOUDEN if stap.gehouden else _S.OVERLEG_GEORGANISEERD
        return _met(escalatie, status, overleggen=(*escalatie.overleggen, stap))
    if isinstance(stap, Afspraak):
        status = _S.AFSPRAKEN_GEMAAKT if escalatie.status is _S.OVERLEG_GEHOUDEN else None
        return _met(escalatie, status, afspraken=(*escalatie.afspraken, stap))
    if isinstance(stap, UitvoeringGestart):
        return _met(escalatie, _S.IN_UITVOERING)
    if isinstance(stap, Beoordeling):
        return _met(escalatie, None, beoordelingen=(*escalatie.beoordelingen, stap))
    if isinstance(stap, Besluit):
        return _met(escalatie, _S.BESLUIT_GENOMEN, besluit=stap)
    if isinstance(stap, Uitgevoerd):
        return _met(escalatie, _S.BESLUIT_UITGEVOERD)
    return _met(escalatie, _S.AFGESLOTEN)
