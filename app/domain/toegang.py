"""Who is asking: the actor of a request, its role and the organisations it acts for.

Row scoping follows from the role (DOMAIN.md, privacy; issue "identity and access"):
SWV-wide roles see every child of their SWV; a schoolmedewerker or school system the children
enrolled at or reported by its own vestigingen; a leerplichtambtenaar or leerplicht system the
children living in its gemeenten; the other roles no child at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    AUDIT_LEZEN = "audit:lezen"
    GEBRUIKER_BEHEREN = "gebruiker:beheren"
    INSTELLINGEN_BEHEREN = "instellingen:beheren"
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
    }
)

RECHTEN: dict[Rol, frozenset[Operatie]] = {
    Rol.SCHOOLMEDEWERKER: _MELDER,
    Rol.SCHOOLSYSTEEM: _MELDER,
    Rol.LEERPLICHTAMBTENAAR: _MELDER
    | {_O.IDENTITEIT_INZIEN, _O.BSN_INZIEN, _O.LEERPLICHT_AANLEVEREN},
    Rol.LEERPLICHTSYSTEEM: _MELDER
    | {_O.IDENTITEIT_INZIEN, _O.BSN_INZIEN, _O.LEERPLICHT_AANLEVEREN},
    Rol.BEGELEIDER: (_MELDER - {_O.LEERLING_REGISTREREN}) | {_O.RAPPORT_SWV},
    Rol.REGISSEUR: _MELDER
    | {
        _O.IDENTITEIT_INZIEN,
        _O.INZAGE_EXPORTEREN,
        _O.RAPPORT_SWV,
        _O.RAPPORT_INSPECTIE,
        _O.RAPPORT_INDIENEN,
        _O.KOPPELING_BESLISSEN,
    },
    Rol.SECRETARIAAT: (_MELDER - {_O.FEIT_CORRIGEREN}) | {_O.RAPPORT_SWV, _O.RAPPORT_INSPECTIE},
    Rol.DIRECTEUR: frozenset(
        {
            _O.LEERLING_LEZEN,
            _O.SCHOOL_LEZEN,
            _O.CLASSIFICATIE_LEZEN,
            _O.RAPPORT_SWV,
            _O.RAPPORT_INSPECTIE,
            _O.RAPPORT_INDIENEN,
            _O.DOORZETTINGSMACHT_BESLUITEN,
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
}
"""The permission matrix: the single source of truth of who may do what (deny by default)."""


def mag(actor: Actor, operatie: Operatie) -> bool:
    """Whether the actor's role, and its token's scopes if any, allow the operation."""
    if operatie not in RECHTEN.get(actor.rol, frozenset()):
        return False
    return actor.scopes is None or str(operatie) in actor.scopes
