"""Who is asking: the actor of a request, its role and the organisations it acts for.

Row scoping follows from the role (docs/privacy.md, docs/domain.md):
SWV-wide roles see every child of their SWV; a schoolmedewerker or school system the children
enrolled at or reported by its own vestigingen; a leerplichtambtenaar or leerplicht system the
children living in its gemeenten; the other roles no child at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.feiten import FeitSoort


class Rol(StrEnum):
    """Roles of people and systems."""

    SCHOOLMEDEWERKER = "schoolmedewerker"
    LEERPLICHTAMBTENAAR = "leerplichtambtenaar"
    BEGELEIDER = "begeleider-passend-onderwijs"
    REGISSEUR = "regisseur-thuiszitters"
    SECRETARIAAT = "secretariaat"
    DIRECTEUR = "directeur"
    FUNCTIONARIS_GEGEVENSBESCHERMING = "functionaris-gegevensbescherming"
    BEHEERDER = "beheerder"
    INSPECTIE_EXPORT = "inspectie-export"
    SCHOOLSYSTEEM = "schoolsysteem"
    LEERPLICHTSYSTEEM = "leerplichtsysteem"
    BESTUUR = "bestuur"
    """Schoolbesturen, ondersteuningsplanraad and bestuur of the SWV: the groslijst's aggregates
    only (WPO art. 18a lid 8, WVO art. 17a lid 8), never a child."""
    KETENPARTNER = "ketenpartner"
    """A ketenpartner running a voorziening where a child can be gastleerling: reports and reads
    only the children of its voorziening (registered as a vestiging of the SWV)."""


class Reikwijdte(StrEnum):
    """Which children a role may see."""

    SWV = "swv"
    VESTIGINGEN = "vestigingen"
    GEMEENTEN = "gemeenten"
    GEEN = "geen"


REIKWIJDTE: dict[Rol, Reikwijdte] = {
    Rol.SCHOOLMEDEWERKER: Reikwijdte.VESTIGINGEN,
    Rol.SCHOOLSYSTEEM: Reikwijdte.VESTIGINGEN,
    Rol.LEERPLICHTAMBTENAAR: Reikwijdte.GEMEENTEN,
    Rol.LEERPLICHTSYSTEEM: Reikwijdte.GEMEENTEN,
    Rol.BEGELEIDER: Reikwijdte.SWV,
    Rol.REGISSEUR: Reikwijdte.SWV,
    Rol.SECRETARIAAT: Reikwijdte.SWV,
    Rol.DIRECTEUR: Reikwijdte.SWV,
    Rol.FUNCTIONARIS_GEGEVENSBESCHERMING: Reikwijdte.GEEN,
    Rol.BEHEERDER: Reikwijdte.GEEN,
    Rol.INSPECTIE_EXPORT: Reikwijdte.GEEN,
    Rol.BESTUUR: Reikwijdte.GEEN,
    Rol.KETENPARTNER: Reikwijdte.VESTIGINGEN,
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The person or system behind a request, and the organisations it acts for."""

    id: str
    rol: Rol
    swv_id: str
    vestiging_ids: frozenset[str] = frozenset()
    gemeente_ids: frozenset[str] = frozenset()
    is_systeem: bool = False
    scopes: frozenset[str] | None = None
    """For systems: the OAuth2 scopes of the token (operations); None means the whole role."""
    sessie_id: str | None = None
    """For people: the login session behind the token (ending it ends the access)."""
    token_id: str | None = None
    """For systems: the `jti` of the token (logging out puts it on the revocation list)."""
    token_verloopt_op: int | None = None
    """For systems: when that token expires (unix seconds); its revocation is kept until then."""

    @property
    def reikwijdte(self) -> Reikwijdte:
        """Which children this actor may see (by role)."""
        return REIKWIJDTE[self.rol]


class Operatie(StrEnum):
    """What a route does, as named in the permission matrix."""

    LEERLING_LEZEN = "leerling:lezen"
    LEERLING_REGISTREREN = "leerling:registreren"
    LEERLING_ZOEKEN = "leerling:zoeken"
    FEIT_MELDEN = "feit:melden"
    FEIT_CORRIGEREN = "feit:corrigeren"
    IDENTITEIT_INZIEN = "identiteit:inzien"
    BSN_INZIEN = "bsn:inzien"
    INZAGE_EXPORTEREN = "inzage:exporteren"
    SCHOOL_LEZEN = "school:lezen"
    SCHOOL_BEHEREN = "school:beheren"
    CLASSIFICATIE_LEZEN = "classificatie:lezen"
    RAPPORT_INSPECTIE = "rapport:inspectie"
    RAPPORT_SWV = "rapport:swv"
    RAPPORT_INDIENEN = "rapport:indienen"
    DOORZETTINGSMACHT_BESLUITEN = "doorzettingsmacht:besluiten"
    ESCALATIE_LEZEN = "escalatie:lezen"
    ESCALATIE_BEHANDELEN = "escalatie:behandelen"
    AUDIT_LEZEN = "audit:lezen"
    GEBRUIKER_BEHEREN = "gebruiker:beheren"
    INSTELLINGEN_BEHEREN = "instellingen:beheren"
    TLV_LEZEN = "tlv:lezen"
    TLV_AFGEVEN = "tlv:afgeven"
    TLV_CONTROLEREN = "tlv:controleren"
    TLV_PLAATSING_INVOEREN = "tlv:plaatsing-invoeren"
    MELDING_INDIENEN = "melding:indienen"
    MELDING_LEZEN = "melding:lezen"
    MELDING_BEHANDELEN = "melding:behandelen"
    CASUS_LEZEN = "casus:lezen"
    CASUS_BIJWERKEN = "casus:bijwerken"
    TAAK_LEZEN = "taak:lezen"
    TAAK_AFHANDELEN = "taak:afhandelen"
    NOTIFICATIE_LEZEN = "notificatie:lezen"
    ABONNEMENT_BEHEREN = "abonnement:beheren"
    LEERPLICHT_AANLEVEREN = "leerplicht:aanleveren"
    KOPPELING_BESLISSEN = "koppeling:beslissen"


_O = Operatie
_MELDER = frozenset(
    {
        _O.LEERLING_LEZEN,
        _O.LEERLING_REGISTREREN,
        _O.LEERLING_ZOEKEN,
        _O.FEIT_MELDEN,
        _O.FEIT_CORRIGEREN,
        _O.SCHOOL_LEZEN,
        _O.CLASSIFICATIE_LEZEN,
        _O.TLV_LEZEN,
    }
)

# Escalations (docs/escalaties.md): the SWV's begeleider reports to the directeur and works the
# case with the regisseur; school and leerplicht take part in the overleg and read the
# escalations of their own children; only the directeur decides (doorzettingsmacht).
_ESCALEREN = frozenset({_O.ESCALATIE_LEZEN, _O.ESCALATIE_BEHANDELEN})

# Workflow meldingen and casussen (aanpak thuiszitters §1.4, §2.1-2.2; Regioloket): schools and
# leerplicht send and follow their own, the SWV's regisseur and begeleiders take them in.
_INDIENER = frozenset({_O.MELDING_INDIENEN, _O.MELDING_LEZEN, _O.CASUS_LEZEN})
_CASUSWERKER = _INDIENER | {_O.CASUS_BIJWERKEN}
_REGIE = _CASUSWERKER | {_O.MELDING_BEHANDELEN}
_MEELEZER = frozenset({_O.MELDING_LEZEN, _O.CASUS_LEZEN})

RECHTEN: dict[Rol, frozenset[Operatie]] = {
    Rol.SCHOOLMEDEWERKER: _MELDER | _CASUSWERKER | {_O.ESCALATIE_LEZEN},
    Rol.SCHOOLSYSTEEM: _MELDER | _INDIENER,
    Rol.LEERPLICHTAMBTENAAR: _MELDER
    | _CASUSWERKER
    | {_O.IDENTITEIT_INZIEN, _O.BSN_INZIEN, _O.ESCALATIE_LEZEN, _O.LEERPLICHT_AANLEVEREN},
    Rol.LEERPLICHTSYSTEEM: _MELDER
    | _INDIENER
    | {_O.IDENTITEIT_INZIEN, _O.BSN_INZIEN, _O.LEERPLICHT_AANLEVEREN},
    Rol.BEGELEIDER: (_MELDER - {_O.LEERLING_REGISTREREN})
    | _REGIE
    | {_O.RAPPORT_SWV, _O.TLV_CONTROLEREN}
    | _ESCALEREN,
    Rol.REGISSEUR: _MELDER
    | _REGIE
    | _ESCALEREN
    | {
        _O.IDENTITEIT_INZIEN,
        _O.INZAGE_EXPORTEREN,
        _O.RAPPORT_SWV,
        _O.RAPPORT_INSPECTIE,
        _O.RAPPORT_INDIENEN,
        _O.TLV_AFGEVEN,
        _O.KOPPELING_BESLISSEN,
    },
    Rol.SECRETARIAAT: _MELDER
    | {
        _O.RAPPORT_SWV,
        _O.RAPPORT_INSPECTIE,
        _O.RAPPORT_INDIENEN,
        _O.TLV_AFGEVEN,
        _O.TLV_PLAATSING_INVOEREN,
    }
    | _MEELEZER,
    Rol.DIRECTEUR: frozenset(
        {
            _O.LEERLING_LEZEN,
            _O.SCHOOL_LEZEN,
            _O.CLASSIFICATIE_LEZEN,
            _O.RAPPORT_SWV,
            _O.RAPPORT_INSPECTIE,
            _O.RAPPORT_INDIENEN,
            _O.DOORZETTINGSMACHT_BESLUITEN,
            *_ESCALEREN,
            _O.TLV_LEZEN,
            _O.TLV_AFGEVEN,
            _O.MELDING_LEZEN,
            _O.CASUS_LEZEN,
            _O.CASUS_BIJWERKEN,
        }
    ),
    Rol.FUNCTIONARIS_GEGEVENSBESCHERMING: frozenset(
        {_O.AUDIT_LEZEN, _O.SCHOOL_LEZEN, _O.CLASSIFICATIE_LEZEN}
    ),
    Rol.BEHEERDER: frozenset(
        {
            _O.GEBRUIKER_BEHEREN,
            _O.INSTELLINGEN_BEHEREN,
            _O.SCHOOL_BEHEREN,
            _O.SCHOOL_LEZEN,
            _O.CLASSIFICATIE_LEZEN,
        }
    ),
    Rol.INSPECTIE_EXPORT: frozenset({_O.RAPPORT_INSPECTIE, _O.CLASSIFICATIE_LEZEN}),
    # The groslijst goes to the schoolbesturen, the ondersteuningsplanraad and the bestuur as
    # aggregates with small cells suppressed (docs/rapportage.md): no child, no export of rows.
    # Reading a child is scoped to none (Reikwijdte.GEEN): any child answers 404, lists are empty.
    Rol.BESTUUR: frozenset(
        {
            _O.LEERLING_LEZEN,
            _O.TLV_LEZEN,
            _O.RAPPORT_SWV,
            _O.SCHOOL_LEZEN,
            _O.CLASSIFICATIE_LEZEN,
        }
    ),
    # A ketenpartner reports what happens at its voorziening and reads those children only.
    Rol.KETENPARTNER: frozenset(
        {
            _O.LEERLING_LEZEN,
            _O.TLV_LEZEN,
            _O.FEIT_MELDEN,
            _O.FEIT_CORRIGEREN,
            _O.SCHOOL_LEZEN,
            _O.CLASSIFICATIE_LEZEN,
        }
    ),
}
"""The permission matrix: the single source of truth of who may do what (deny by default)."""

_TAKEN = frozenset({_O.TAAK_LEZEN, _O.TAAK_AFHANDELEN, _O.NOTIFICATIE_LEZEN})
for _rol in (
    Rol.SCHOOLMEDEWERKER,
    Rol.LEERPLICHTAMBTENAAR,
    Rol.BEGELEIDER,
    Rol.REGISSEUR,
    Rol.SECRETARIAAT,
    Rol.DIRECTEUR,
):
    RECHTEN[_rol] |= _TAKEN  # actielijsten and the change feed (docs/domain.md, "Actielijsten")
for _rol in (Rol.SCHOOLSYSTEEM, Rol.LEERPLICHTSYSTEEM):
    RECHTEN[_rol] |= {_O.NOTIFICATIE_LEZEN, _O.ABONNEMENT_BEHEREN}  # webhooks, the change feed


def mag(actor: Actor, operatie: Operatie) -> bool:
    """Whether the actor's role, and its token's scopes if any, allow the operation."""
    if operatie not in RECHTEN.get(actor.rol, frozenset()):
        return False
    return actor.scopes is None or str(operatie) in actor.scopes


# -- who may state which fact ----------------------------------------------------------------


class Namens(StrEnum):
    """The source a fact is stated for when the caller records it on that source's behalf."""

    LEERPLICHT = "leerplicht"
    JEUGDARTS = "jeugdarts"
    GGD = "ggd"


SCHOOLROLLEN = frozenset({Rol.SCHOOLMEDEWERKER, Rol.SCHOOLSYSTEEM})
LEERPLICHTROLLEN = frozenset({Rol.LEERPLICHTAMBTENAAR, Rol.LEERPLICHTSYSTEEM})
SWV_ROLLEN = frozenset({Rol.BEGELEIDER, Rol.REGISSEUR, Rol.SECRETARIAAT, Rol.DIRECTEUR})
_IEDEREEN = SCHOOLROLLEN | LEERPLICHTROLLEN | SWV_ROLLEN
_F = FeitSoort

FEITRECHTEN: dict[FeitSoort, frozenset[Rol]] = {
    # Enrolment: the school, leerplicht (LPW art. 18) and the SWV's registration of it.
    _F.INSCHRIJVING: _IEDEREEN,
    _F.UITSCHRIJVING: _IEDEREEN,
    # Absence, sickness and suspension: reported by the school (LPW art. 21, 21a), known to
    # leerplicht, recorded by the SWV when it hears of it.
    _F.VERZUIM_GESTART: _IEDEREEN,
    _F.VERZUIM_BEEINDIGD: _IEDEREEN,
    # Absence of a nature not yet known (a melding "nog onbepaald"): whoever reports absence.
    _F.VERZUIM_GEMELD: _IEDEREEN,
    _F.VERZUIMUREN: _IEDEREEN,
    _F.ZIEKMELDING: _IEDEREEN,
    _F.ZIEKMELDING_BEEINDIGD: _IEDEREEN,
    _F.SCHORSING_GESTART: _IEDEREEN,
    _F.SCHORSING_BEEINDIGD: _IEDEREEN,
    # The jeugdarts's verdict: anyone may record it, always naming the jeugdarts/GGD as source.
    _F.JEUGDARTS_OORDEEL: _IEDEREEN,
    # Decisions of the leerplichtambtenaar/college (LPW art. 5, 5a, 15, 11 onder g, 4a).
    _F.NIET_INGESCHREVEN: LEERPLICHTROLLEN,
    _F.VRIJSTELLING_VERLEEND: LEERPLICHTROLLEN,
    _F.VRIJSTELLING_BEEINDIGD: LEERPLICHTROLLEN,
    _F.BESLUIT_11G: LEERPLICHTROLLEN,
    _F.BESLUIT_11G_BEEINDIGD: LEERPLICHTROLLEN,
    _F.KWALIFICATIEPLICHT_BEEINDIGD: LEERPLICHTROLLEN,
    # After a jeugdarts verdict the absence "kan" be designated unexcused (regel 4): leerplicht's.
    _F.ONGEOORLOOFD_AANGEMERKT: LEERPLICHTROLLEN,
    # The toelaatbaarheidsverklaring is the SWV's decision (WPO art. 18a, WVO art. 17a).
    _F.TLV_AFGEGEVEN: SWV_ROLLEN,
    # Placement, waiting, offers and resumption: the SWV's workflows and the receiving school.
    _F.PLAATSING: SCHOOLROLLEN | SWV_ROLLEN,
    _F.WACHT_OP_PLEK: SCHOOLROLLEN | SWV_ROLLEN,
    # A ketenpartner states that a child is its gastleerling or follows its aanbod, and when not.
    _F.AANBOD_GESTART: SCHOOLROLLEN | SWV_ROLLEN | {Rol.KETENPARTNER},
    _F.AANBOD_BEEINDIGD: SCHOOLROLLEN | SWV_ROLLEN | {Rol.KETENPARTNER},
    _F.GASTLEERLING: SCHOOLROLLEN | SWV_ROLLEN | {Rol.KETENPARTNER},
    _F.GASTLEERLING_BEEINDIGD: SCHOOLROLLEN | SWV_ROLLEN | {Rol.KETENPARTNER},
    _F.ONDERWIJS_HERVAT: _IEDEREEN,
    # A gap in the administration is seen by whoever keeps it: school, leerplicht, SWV.
    _F.ADMINISTRATIEVE_ONVOLKOMENHEID: _IEDEREEN,
    # The SWV's own monitor (regel 18): the school reports class, level, kind of thuiszitter;
    # residence, excused-absence reason and youth care are known to school, leerplicht and SWV;
    # the report at the SWV's verzuimloket is the SWV's own.
    _F.KLAS: SCHOOLROLLEN | SWV_ROLLEN,
    _F.NIVEAU: SCHOOLROLLEN | SWV_ROLLEN,
    _F.SOORT_THUISZITTER: SCHOOLROLLEN | SWV_ROLLEN,
    _F.WOONPLAATS: _IEDEREEN,
    _F.REDEN_GEOORLOOFD: _IEDEREEN,
    _F.JEUGDHULP: _IEDEREEN,
    _F.GEMELD_BIJ_LOKET: SWV_ROLLEN,
}
"""Who may state which fact kind (deny by default); a correction or withdrawal of a fact needs
the right to state that fact's kind. Documented in docs/domain.md, "Wie meldt welk feit"."""

NAMENS_LEERPLICHT: frozenset[Rol] = frozenset({Rol.REGISSEUR})
"""Roles that may state leerplicht's facts on its behalf, naming leerplicht as the source."""

BRON_VERPLICHT: dict[FeitSoort, frozenset[Namens]] = {
    _F.JEUGDARTS_OORDEEL: frozenset({Namens.JEUGDARTS, Namens.GGD}),
}
"""Fact kinds that must name their source: the jeugdarts's verdict is the jeugdarts's."""


class Feitrecht(StrEnum):
    """The answer to "may this role state this fact kind, on this behalf"."""

    TOEGESTAAN = "toegestaan"
    GEEN_RECHT = "geen-recht"
    BRON_ONTBREEKT = "bron-ontbreekt"
    NAMENS_ONGELDIG = "namens-ongeldig"


def feitrecht(rol: Rol, soort: FeitSoort, namens: Namens | None) -> Feitrecht:
    """Whether a role may state a fact kind, itself or on behalf of its source (FEITRECHTEN)."""
    bronnen = BRON_VERPLICHT.get(soort)
    if bronnen is not None and namens not in bronnen:
        return Feitrecht.BRON_ONTBREEKT
    if bronnen is None and namens in {Namens.JEUGDARTS, Namens.GGD}:
        return Feitrecht.NAMENS_ONGELDIG
    rollen = FEITRECHTEN.get(soort, frozenset())
    if namens is Namens.LEERPLICHT:
        if rol in LEERPLICHTROLLEN:
            return Feitrecht.TOEGESTAAN if rol in rollen else Feitrecht.GEEN_RECHT
        if rol not in NAMENS_LEERPLICHT or not rollen & LEERPLICHTROLLEN:
            return Feitrecht.GEEN_RECHT
        return Feitrecht.TOEGESTAAN
    return Feitrecht.TOEGESTAAN if rol in rollen else Feitrecht.GEEN_RECHT
