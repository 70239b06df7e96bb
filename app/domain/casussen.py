"""Casusregie: a case with an owner, a plan van aanpak evaluated weekly, and a closing reason.

States `open` → `plan-opgesteld` → `in-uitvoering` (↔ `geescaleerd` while an escalation runs)
→ `doel-gehaald` → `afgesloten` (aanpak thuiszitters §1.2, §2.1-2.2). A case never changes a
category itself: a plan action with an adapted programme appends `aanbod-gestart`, closing with
"schoolgang hersteld" appends `onderwijs-hervat` (`feiten_bij_*`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.domain.feiten import AanbodSoort, Beeindigingsreden, FeitSoort, Hervatting
from app.domain.meldingen import FeitVoorstel, Weigering
from app.domain.toegang import Rol


class CasusStatus(StrEnum):
    OPEN = "open"
    PLAN_OPGESTELD = "plan-opgesteld"
    IN_UITVOERING = "in-uitvoering"
    GEESCALEERD = "geescaleerd"
    DOEL_GEHAALD = "doel-gehaald"
    AFGESLOTEN = "afgesloten"


class CasusActie(StrEnum):
    PLAN_VASTSTELLEN = "plan-vaststellen"
    STARTEN = "starten"
    ESCALEREN = "escaleren"
    ESCALATIE_BEEINDIGEN = "escalatie-beeindigen"
    DOEL_BEHAALD = "doel-behaald"
    AFSLUITEN = "afsluiten"


class Coordinatie(StrEnum):
    """Who holds the casuscoördinatie: the school by default, or leerplicht (aanpak §2.2)."""

    SCHOOL = "school"
    LEERPLICHT = "leerplicht"
    SWV = "swv"


class PlanActieSoort(StrEnum):
    """Kinds of plan action; an adapted programme or thuiswerkplan is an offer (regel 10, 12)."""

    AANGEPAST_PROGRAMMA = "aangepast-programma"
    THUISWERKPLAN = "thuiswerkplan"
    GESPREK = "gesprek"
    ONDERZOEK = "onderzoek"
    HULPVERLENING = "hulpverlening"
    OVERIG = "overig"


class Contactpartij(StrEnum):
    """With whom a contactmoment was held (aanpak thuiszitters §2.1)."""

    OUDERS = "ouders"
    SCHOOL = "school"
    LEERPLICHT = "leerplicht"
    JEUGDARTS = "jeugdarts"
    KETENPARTNER = "ketenpartner"


class OverlegSoort(StrEnum):
    OT_BT = "ot-bt"
    DOORBRAAKOVERLEG = "doorbraakoverleg"


class DocumentSoort(StrEnum):
    """Documents exchanged under consent (Regioloket, uitgebreide melding)."""

    OPP = "opp"
    DOSSIER = "dossier"
    VERSLAG = "verslag"


SCENARIOVRAGEN = (
    "probleem_vraag",
    "wie_nodig",
    "mogelijkheden_afspraken",
    "doel",
    "casuscoordinatie",
    "scenarios_per_perspectief",
    "randvoorwaarden",
    "mandaat",
    "gedrag_volgens_afspraken",
    "wie_hakt_knoop_door",
    "doel_gehaald",
    "vervolgstap",
)
"""The 12 questions of the scenario model (aanpak thuiszitters §1.2), in their order."""

REGISSEURS = frozenset({Rol.REGISSEUR, Rol.BEGELEIDER})
CASUSWERKERS = REGISSEURS | {Rol.SCHOOLMEDEWERKER, Rol.LEERPLICHTAMBTENAAR}
"""Who works on a case: the SWV's regisseur and begeleiders, the school, leerplicht."""
ESCALEERDERS = REGISSEURS | {Rol.DIRECTEUR}
TOESTEMMING_VEREIST = frozenset({DocumentSoort.OPP, DocumentSoort.DOSSIER})

EVALUATIE_DAGEN = 7
"""Plans are evaluated weekly (aanpak thuiszitters §2.2 "wekelijks geëvalueerd")."""
CONTACT_OUDERS_DAGEN = 7
"""The school keeps weekly contact with the parents (aanpak thuiszitters §2.1)."""

_LOPEND = (CasusStatus.PLAN_OPGESTELD, CasusStatus.IN_UITVOERING, CasusStatus.GEESCALEERD)


def overgang(
    status: CasusStatus,
    actie: CasusActie,
    rol: Rol,
    *,
    reden: Beeindigingsreden | None = None,
) -> CasusStatus | Weigering:
    """The case's next state, or why not (aanpak thuiszitters §1.2, §2.1-2.2, §2.5; regel 16)."""
    if status is CasusStatus.AFGESLOTEN:
        return Weigering("De casus is afgesloten.")
    toegestaan = ESCALEERDERS if actie is CasusActie.ESCALEREN else CASUSWERKERS
    if rol not in toegestaan:
        return Weigering("Uw rol voert deze stap in een casus niet uit.")
    if actie is CasusActie.AFSLUITEN:
        if reden is None:
            return Weigering("Afsluiten vraagt een reden.")
        return CasusStatus.AFGESLOTEN
    if actie is CasusActie.PLAN_VASTSTELLEN:
        if status is CasusStatus.OPEN:
            return CasusStatus.PLAN_OPGESTELD
        if status in _LOPEND:
            return status  # a new version of the plan
        return Weigering("Het doel is gehaald; sluit de casus af.")
    volgorde = {
        CasusActie.STARTEN: (CasusStatus.PLAN_OPGESTELD, CasusStatus.IN_UITVOERING),
        CasusActie.ESCALEREN: (CasusStatus.IN_UITVOERING, CasusStatus.GEESCALEERD),
        CasusActie.ESCALATIE_BEEINDIGEN: (CasusStatus.GEESCALEERD, CasusStatus.IN_UITVOERING),
        CasusActie.DOEL_BEHAALD: (CasusStatus.IN_UITVOERING, CasusStatus.DOEL_GEHAALD),
    }
    van, naar = volgorde[actie]
    if status is not van:
        return Weigering(f"Deze stap kan alleen vanuit de status {van}.")
    return naar


def feiten_bij_plan(
    acties: list[tuple[PlanActieSoort, date]], eerder: list[tuple[PlanActieSoort, date]]
) -> list[FeitVoorstel]:
    """A new plan action "aangepast programma" or "thuiswerkplan" starts an offer: the fact
    `aanbod-gestart` (docs/domain.md regels 10 en 12); actions already in force append nothing."""
    voorstellen: list[FeitVoorstel] = []
    gezien = set(eerder)
    for soort, start in acties:
        if (soort, start) in gezien:
            continue
        gezien.add((soort, start))
        if soort is PlanActieSoort.AANGEPAST_PROGRAMMA:
            aanbod = AanbodSoort.PASSEND_AANBOD
        elif soort is PlanActieSoort.THUISWERKPLAN:
            aanbod = AanbodSoort.THUISWERKPLAN
        else:
            continue
        voorstellen.append(FeitVoorstel(FeitSoort.AANBOD_GESTART, start, {"aanbod": str(aanbod)}))
    return voorstellen


def feiten_bij_afsluiten(reden: Beeindigingsreden, datum: date) -> list[FeitVoorstel]:
    """Closing with "schoolgang hersteld" states the child is back: `onderwijs-hervat`
    (docs/domain.md regels 10 en 16)."""
    if reden is not Beeindigingsreden.SCHOOLGANG_HERSTELD:
        return []
    gegevens: dict[str, Any] = {"hervatting": str(Hervatting.VOLLEDIG), "reden": str(reden)}
    return [FeitVoorstel(FeitSoort.ONDERWIJS_HERVAT, datum, gegevens)]


class CasusSignaal(StrEnum):
    EVALUATIE_ACHTERSTALLIG = "evaluatie-achterstallig"
    CONTACT_OUDERS_ACHTERSTALLIG = "contact-ouders-achterstallig"


@dataclass(frozen=True, slots=True)
class Termijnen:
    """The case's due dates on a day, and the signals of those passed."""

    evaluatie_uiterlijk: date | None
    contact_ouders_uiterlijk: date | None
    signalen: tuple[CasusSignaal, ...]


def termijnen(
    status: CasusStatus,
    *,
    geopend_op: date,
    plan_sinds: date | None,
    laatste_evaluatie: date | None,
    laatste_contact_ouders: date | None,
    vandaag: date,
) -> Termijnen:
    """Evaluation due 7 days after the last one (or the plan), parent contact 7 days after the
    last (or the opening); overdue is a signal (aanpak thuiszitters §2.1-2.2 "wekelijks")."""
    if status in (CasusStatus.DOEL_GEHAALD, CasusStatus.AFGESLOTEN):
        return Termijnen(None, None, ())
    signalen: list[CasusSignaal] = []
    evaluatie = None
    basis = laatste_evaluatie or plan_sinds
    if status is not CasusStatus.OPEN and basis is not None:
        evaluatie = basis + timedelta(days=EVALUATIE_DAGEN)
        if vandaag > evaluatie:
            signalen.append(CasusSignaal.EVALUATIE_ACHTERSTALLIG)
    contact = (laatste_contact_ouders or geopend_op) + timedelta(days=CONTACT_OUDERS_DAGEN)
    if vandaag > contact:
        signalen.append(CasusSignaal.CONTACT_OUDERS_ACHTERSTALLIG)
    return Termijnen(evaluatie, contact, tuple(signalen))


@dataclass(frozen=True, slots=True)
class Toestemming:
    """Parents' consent to exchange a kind of document, from `gegeven_op` (Regioloket)."""

    soort: DocumentSoort
    gegeven_op: date
    geldig_tot_en_met: date | None = None
    """The last day the consent holds, inclusive."""
    ingetrokken_op: date | None = None

    def geldt_op(self, dag: date) -> bool:
        """Current: given, not past its last day (inclusive), not withdrawn on `dag`."""
        if self.gegeven_op > dag:
            return False
        if self.geldig_tot_en_met is not None and dag > self.geldig_tot_en_met:
            return False
        return self.ingetrokken_op is None or dag < self.ingetrokken_op


def mag_document_vastleggen(
    soort: DocumentSoort, toestemmingen: list[Toestemming], vandaag: date
) -> bool:
    """An OPP or dossier is exchanged only under a current consent of the parents (Regioloket)."""
    if soort not in TOESTEMMING_VEREIST:
        return True
    return any(t.soort is soort and t.geldt_op(vandaag) for t in toestemmingen)


def document_zichtbaar(
    soort: DocumentSoort,
    vastgelegd_door: Rol,
    rol: Rol,
    toestemmingen: list[Toestemming],
    vandaag: date,
) -> bool:
    """Without a current consent, an OPP or dossier is hidden from every other role than the
    one that recorded it (withdrawing consent hides it; Regioloket, AVG art. 7 lid 3)."""
    if rol is vastgelegd_door:
        return True
    return mag_document_vastleggen(soort, toestemmingen, vandaag)


def controleer_scenario(antwoorden: dict[str, str]) -> list[str]:
    """The scenario record holds only the 12 questions of aanpak thuiszitters §1.2: unknown keys."""
    return sorted(k for k in antwoorden if k not in SCENARIOVRAGEN)
