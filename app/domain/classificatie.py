"""The Inspectie categories (Aanpak thuiszitters Bijlage 1) and their reference list."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Categorie(StrEnum):
    """A child's category on one day (Aanpak thuiszitters Bijlage 1; GEEN = none applies)."""

    A1 = "A1"
    A2A = "A2a"
    A2B = "A2b"
    A2C = "A2c"
    A2_OVERIG = "A2-overig"
    B1 = "B1"
    B2A = "B2a"
    B2B = "B2b"
    B3 = "B3"
    C = "C"
    GEEN = "geen"


INSPECTIE_A2 = "A2"
"""The Inspectie's code for a vrijstelling on a ground outside its A2a/A2b/A2c (regel 8)."""

_INSPECTIE_CODE: dict[Categorie, str] = {c: c.value for c in Categorie}
_INSPECTIE_CODE[Categorie.A2_OVERIG] = INSPECTIE_A2


def inspectie_code(categorie: Categorie) -> str:
    """The category as it leaves the system: A2-overig is the Inspectie's A2 (regel 8)."""
    return _INSPECTIE_CODE[categorie]


LANDELIJKE_THUISZITTERS: frozenset[Categorie] = frozenset(
    {Categorie.B2A, Categorie.B2B, Categorie.B3}
)
VERZUIM: frozenset[Categorie] = frozenset(
    {Categorie.B1, Categorie.B2A, Categorie.B2B, Categorie.B3}
)


@dataclass(frozen=True, slots=True)
class CategorieDefinitie:
    """One row of the reference list served by the ``classificaties`` endpoint."""

    categorie: Categorie
    omschrijving: str
    wettelijke_grondslag: str
    thuiszitter_landelijk: bool


CATEGORIEEN: tuple[CategorieDefinitie, ...] = (
    CategorieDefinitie(
        Categorie.A1,
        "Geoorloofd verzuim: langdurig of vaak ziek gemeld.",
        "LPW art. 11 onder d",
        False,
    ),
    CategorieDefinitie(
        Categorie.A2A,
        "Vrijstelling van inschrijving: op lichamelijke of psychische gronden niet geschikt "
        "om tot een school te worden toegelaten.",
        "LPW art. 5 onder a",
        False,
    ),
    CategorieDefinitie(
        Categorie.A2B,
        "Vrijstelling van inschrijving: bedenkingen van de ouders tegen de richting van het "
        "onderwijs op alle scholen binnen redelijke afstand.",
        "LPW art. 5 onder b",
        False,
    ),
    CategorieDefinitie(
        Categorie.A2C,
        "Vrijstelling van inschrijving: ingeschreven op een school in het buitenland en "
        "bezoekt die geregeld.",
        "LPW art. 5 onder c",
        False,
    ),
    CategorieDefinitie(
        Categorie.A2_OVERIG,
        "Vrijstelling op een andere grond (trekkend bestaan; 16-17 jaar met ander onderwijs); "
        "de grond wordt als gegeven bewaard. Geen categorie van de Inspectie: in exports, "
        "rapportages en indieningen heet zij A2 (vrijstelling, zonder a/b/c).",
        "LPW art. 5a, art. 15",
        False,
    ),
    CategorieDefinitie(
        Categorie.B1,
        "Relatief verzuim: ingeschreven en ongeoorloofd afwezig, tot en met 4 weken.",
        "LPW art. 2 en 21; Aanpak thuiszitters Bijlage 1",
        False,
    ),
    CategorieDefinitie(
        Categorie.B2A,
        "Langdurig relatief verzuim: ingeschreven, langer dan 4 weken en ten hoogste 3 maanden "
        "ongeoorloofd afwezig.",
        "Aanpak thuiszitters Bijlage 1",
        True,
    ),
    CategorieDefinitie(
        Categorie.B2B,
        "Langdurig relatief verzuim langer dan 3 maanden.",
        "Aanpak thuiszitters Bijlage 1",
        True,
    ),
    CategorieDefinitie(
        Categorie.B3,
        "Absoluut verzuim: leer- of kwalificatieplichtig, niet ingeschreven en geen vrijstelling.",
        "LPW art. 2 lid 1; Kamerbrief 3 februari 2016",
        True,
    ),
    CategorieDefinitie(
        Categorie.C,
        "Restcategorie: vrijstelling van geregeld schoolbezoek wegens andere gewichtige "
        "omstandigheden, na onderzoek door de leerplichtambtenaar.",
        "LPW art. 11 onder g; Awb art. 3:2",
        False,
    ),
    CategorieDefinitie(
        Categorie.GEEN,
        "Geen van de categorieën: naar school, kortdurend ziek, buiten de leerplicht, of "
        "gastleerling met hersteld schoolritme.",
        "docs/domain.md regels 2 en 9",
        False,
    ),
)
