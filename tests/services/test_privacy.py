"""What anonymisation blanks in a fact, per kind of fact (AVG art. 5 lid 1 sub e): free text
goes; the youth-care organisation, a name from the SWV's closed list (regel 18) in the Inspectie
register's "Betrokken jeugdhulp", stays so that past registers read as they did (decision 0046)."""

from __future__ import annotations

import typing

from app.domain.feiten import FEITKLASSEN, FeitSoort
from app.services.privacy import VRIJE_TEKST, zonder_vrije_tekst

GEEN_VRIJE_TEKST = {
    "id": "the fact's own id",
    "vestiging": "a school's id",
    "betreft": "the id of the fact corrected or withdrawn",
}
"""Text fields that hold an identifier, never free text."""

UIT_GESLOTEN_LIJST = {(FeitSoort.JEUGDHULP, "organisatie")}
"""(kind, field) whose text is a name from the SWV's closed list (regel 18): kept."""


def _tekstvelden(soort: FeitSoort) -> set[str]:
    hints = typing.get_type_hints(FEITKLASSEN[soort])
    return {
        naam
        for naam, tp in hints.items()
        if naam != "soort" and (tp is str or str in typing.get_args(tp))
    }


def test_every_text_field_of_every_kind_of_fact_is_blanked_or_declared_not_free_text() -> None:
    """A new text field is blanked on anonymising or is declared here, per kind of fact."""
    for soort in FeitSoort:
        for veld in _tekstvelden(soort):
            assert (
                veld in VRIJE_TEKST
                or veld in GEEN_VRIJE_TEKST
                or (soort, veld) in UIT_GESLOTEN_LIJST
            ), f"{soort.value}.{veld}"


def test_organisatie_is_a_field_of_jeugdhulp_only() -> None:
    """Kept by field name, so no other kind of fact may have a free-text `organisatie`."""
    assert {s for s in FeitSoort if "organisatie" in _tekstvelden(s)} == {FeitSoort.JEUGDHULP}
    assert "organisatie" not in VRIJE_TEKST


def test_anonymising_keeps_the_youth_care_organisation_and_blanks_the_other_kenmerken() -> None:
    """Regel 18 and decision 0046: "Betrokken jeugdhulp" survives; klas, niveau and woonplaats,
    which only feed the SWV's own monitor, go."""
    assert zonder_vrije_tekst({"organisatie": "Wijkteam Demostad"}, "jeugdhulp") == {
        "organisatie": "Wijkteam Demostad"
    }
    assert zonder_vrije_tekst({"klas": "2b"}, "klas") == {"klas": ""}
    assert zonder_vrije_tekst({"niveau": "vmbo-gt"}, "niveau") == {"niveau": ""}
    assert zonder_vrije_tekst({"gemeente": "Demostad"}, "woonplaats") == {"gemeente": ""}


def test_a_correction_keeps_the_organisation_of_its_replacement_and_loses_its_reason() -> None:
    """A corrected jeugdhulp fact feeds the register through its replacement: it keeps the name;
    the correction's reason is free text and goes."""
    correctie = {
        "betreft": "f-1",
        "reden": "Gesproken met Fictieve Ouder",
        "vervanging": {"soort": "jeugdhulp", "id": "f-2", "organisatie": "Wijkteam Demostad"},
    }
    assert zonder_vrije_tekst(correctie, "correctie") == {
        "betreft": "f-1",
        "reden": "",
        "vervanging": {"soort": "jeugdhulp", "id": "f-2", "organisatie": "Wijkteam Demostad"},
    }
