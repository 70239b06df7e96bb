"""The permission matrix and row scope of each role (deny by default)."""

from __future__ import annotations

import pytest

from app.domain.feiten import FeitSoort
from app.domain.toegang import (
    RECHTEN,
    REIKWIJDTE,
    Actor,
    Feitrecht,
    Namens,
    Operatie,
    Reikwijdte,
    Rol,
    feitrecht,
    mag,
)


def actor(rol: Rol) -> Actor:
    return Actor(id="a", rol=rol, swv_id="s")


def test_every_role_has_a_scope_and_a_row_in_the_matrix() -> None:
    assert set(REIKWIJDTE) == set(Rol)
    assert set(RECHTEN) == set(Rol)


@pytest.mark.parametrize(
    ("rol", "reikwijdte"),
    [
        (Rol.SCHOOLMEDEWERKER, Reikwijdte.VESTIGINGEN),
        (Rol.LEERPLICHTAMBTENAAR, Reikwijdte.GEMEENTEN),
        (Rol.REGISSEUR, Reikwijdte.SWV),
        (Rol.BEHEERDER, Reikwijdte.GEEN),
        (Rol.FUNCTIONARIS_GEGEVENSBESCHERMING, Reikwijdte.GEEN),
        (Rol.INSPECTIE_EXPORT, Reikwijdte.GEEN),
        (Rol.BESTUUR, Reikwijdte.GEEN),
        (Rol.KETENPARTNER, Reikwijdte.VESTIGINGEN),
    ],
)
def test_scope_follows_the_role(rol: Rol, reikwijdte: Reikwijdte) -> None:
    assert actor(rol).reikwijdte is reikwijdte


def test_roles_without_children_cannot_read_children() -> None:
    for rol in (
        Rol.BEHEERDER,
        Rol.FUNCTIONARIS_GEGEVENSBESCHERMING,
        Rol.INSPECTIE_EXPORT,
    ):
        assert not mag(actor(rol), Operatie.LEERLING_LEZEN)


def test_only_the_directeur_decides_doorzettingsmacht() -> None:
    allowed = {rol for rol in Rol if mag(actor(rol), Operatie.DOORZETTINGSMACHT_BESLUITEN)}
    assert allowed == {Rol.DIRECTEUR}


def test_only_the_fg_reads_the_audit_log() -> None:
    allowed = {rol for rol in Rol if mag(actor(rol), Operatie.AUDIT_LEZEN)}
    assert allowed == {Rol.FUNCTIONARIS_GEGEVENSBESCHERMING}


def test_inspectie_export_role_sees_only_anonymised_reports() -> None:
    assert RECHTEN[Rol.INSPECTIE_EXPORT] == {
        Operatie.RAPPORT_INSPECTIE,
        Operatie.CLASSIFICATIE_LEZEN,
    }


def test_beheerder_manages_users_but_sees_no_child() -> None:
    beheerder = actor(Rol.BEHEERDER)
    assert mag(beheerder, Operatie.GEBRUIKER_BEHEREN)
    assert not any(
        mag(beheerder, op)
        for op in (Operatie.LEERLING_LEZEN, Operatie.IDENTITEIT_INZIEN, Operatie.FEIT_MELDEN)
    )


def test_a_system_token_is_limited_to_its_scopes_within_its_role() -> None:
    systeem = Actor(
        id="c",
        rol=Rol.SCHOOLSYSTEEM,
        swv_id="s",
        is_systeem=True,
        scopes=frozenset({"feit:melden"}),
    )
    assert mag(systeem, Operatie.FEIT_MELDEN)
    assert not mag(systeem, Operatie.LEERLING_LEZEN)
    breed = Actor(
        id="c",
        rol=Rol.SCHOOLSYSTEEM,
        swv_id="s",
        is_systeem=True,
        scopes=frozenset({"audit:lezen"}),
    )
    assert not mag(breed, Operatie.AUDIT_LEZEN)


# -- who may state which fact (docs/domain.md, "Wie meldt welk feit") ------------------------

_SCHOOL = {"schoolmedewerker", "schoolsysteem"}
_LEERPLICHT = {"leerplichtambtenaar", "leerplichtsysteem"}
_SWV = {"begeleider-passend-onderwijs", "regisseur-thuiszitters", "secretariaat", "directeur"}
_ALLE = _SCHOOL | _LEERPLICHT | _SWV
VERWACHT: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            "inschrijving",
            "uitschrijving",
            "verzuim-gestart",
            "verzuim-beeindigd",
            "verzuim-gemeld",
            "verzuimuren",
            "ziekmelding",
            "ziekmelding-beeindigd",
            "schorsing-gestart",
            "schorsing-beeindigd",
            "jeugdarts-oordeel",
            "onderwijs-hervat",
            "administratieve-onvolkomenheid",
            "woonplaats",
            "reden-geoorloofd",
            "jeugdhulp",
        ],
        _ALLE,
    ),
    **dict.fromkeys(
        [
            "niet-ingeschreven",
            "vrijstelling-verleend",
            "vrijstelling-beeindigd",
            "besluit-11g",
            "besluit-11g-beeindigd",
            "kwalificatieplicht-beeindigd",
            "ongeoorloofd-aangemerkt",
        ],
        _LEERPLICHT,
    ),
    "tlv-afgegeven": _SWV,
    **dict.fromkeys(
        ["plaatsing", "wacht-op-plek", "klas", "niveau", "soort-thuiszitter"], _SCHOOL | _SWV
    ),
    # A ketenpartner states what happens at its voorziening: gastleerling and aanbod.
    **dict.fromkeys(
        ["aanbod-gestart", "aanbod-beeindigd", "gastleerling", "gastleerling-beeindigd"],
        _SCHOOL | _SWV | {"ketenpartner"},
    ),
    "gemeld-bij-loket": _SWV,
    "correctie": set(),
    "intrekking": set(),
}
"""The fact-kind matrix written out independently of FEITRECHTEN: every cell is checked."""


@pytest.mark.parametrize("soort", list(FeitSoort))
def test_fact_kind_matrix_every_cell(soort: FeitSoort) -> None:
    """Who may state which fact: each fact kind × role, stated by the role itself."""
    namens = Namens.JEUGDARTS if soort is FeitSoort.JEUGDARTS_OORDEEL else None
    for rol in Rol:
        verwacht = Feitrecht.TOEGESTAAN if rol in VERWACHT[soort] else Feitrecht.GEEN_RECHT
        assert feitrecht(rol, soort, namens) is verwacht, (soort, rol)


@pytest.mark.parametrize(
    "soort",
    [
        FeitSoort.VRIJSTELLING_VERLEEND,
        FeitSoort.VRIJSTELLING_BEEINDIGD,
        FeitSoort.BESLUIT_11G,
        FeitSoort.BESLUIT_11G_BEEINDIGD,
        FeitSoort.NIET_INGESCHREVEN,
        FeitSoort.KWALIFICATIEPLICHT_BEEINDIGD,
    ],
)
def test_leerplicht_decisions_only_by_leerplicht_or_the_regisseur_on_its_behalf(
    soort: FeitSoort,
) -> None:
    """LPW art. 5, 5a, 11 onder g: decisions of leerplicht; the regisseur names it as source."""
    assert feitrecht(Rol.REGISSEUR, soort, None) is Feitrecht.GEEN_RECHT
    assert feitrecht(Rol.REGISSEUR, soort, Namens.LEERPLICHT) is Feitrecht.TOEGESTAAN
    assert feitrecht(Rol.LEERPLICHTAMBTENAAR, soort, Namens.LEERPLICHT) is Feitrecht.TOEGESTAAN
    for rol in (Rol.SCHOOLMEDEWERKER, Rol.BEGELEIDER, Rol.SECRETARIAAT, Rol.DIRECTEUR):
        assert feitrecht(rol, soort, Namens.LEERPLICHT) is Feitrecht.GEEN_RECHT, rol


def test_namens_leerplicht_only_for_a_kind_leerplicht_states() -> None:
    """The regisseur cannot state the SWV's own TLV as if leerplicht decided it."""
    assert feitrecht(Rol.REGISSEUR, FeitSoort.TLV_AFGEGEVEN, Namens.LEERPLICHT) is (
        Feitrecht.GEEN_RECHT
    )
    assert feitrecht(Rol.LEERPLICHTSYSTEEM, FeitSoort.TLV_AFGEGEVEN, Namens.LEERPLICHT) is (
        Feitrecht.GEEN_RECHT
    )


def test_jeugdarts_oordeel_names_the_jeugdarts_or_ggd_as_source() -> None:
    """A jeugdarts-oordeel is the jeugdarts's verdict: without that source it is refused."""
    for rol in (Rol.SCHOOLMEDEWERKER, Rol.REGISSEUR, Rol.LEERPLICHTAMBTENAAR):
        assert feitrecht(rol, FeitSoort.JEUGDARTS_OORDEEL, None) is Feitrecht.BRON_ONTBREEKT
        assert feitrecht(rol, FeitSoort.JEUGDARTS_OORDEEL, Namens.LEERPLICHT) is (
            Feitrecht.BRON_ONTBREEKT
        )
        assert feitrecht(rol, FeitSoort.JEUGDARTS_OORDEEL, Namens.GGD) is Feitrecht.TOEGESTAAN


def test_namens_jeugdarts_only_on_a_jeugdarts_oordeel() -> None:
    """Only the jeugdarts-oordeel has the jeugdarts or GGD as its source."""
    assert feitrecht(Rol.REGISSEUR, FeitSoort.ZIEKMELDING, Namens.GGD) is (
        Feitrecht.NAMENS_ONGELDIG
    )


def test_secretariaat_corrects_facts_and_submits_the_register() -> None:
    """The secretariaat keeps the register and submits it (the SWV's division of tasks)."""
    actor = Actor(id="s", rol=Rol.SECRETARIAAT, swv_id="x")
    assert mag(actor, Operatie.FEIT_CORRIGEREN)
    assert mag(actor, Operatie.RAPPORT_INDIENEN)


def test_escalations_are_handled_by_the_swv_and_read_by_the_parties() -> None:
    """docs/escalaties.md: the begeleider reports to the directeur; school and leerplicht take part
    in the overleg and read their own children's escalations; systems do not."""
    behandelen = {rol for rol in Rol if mag(actor(rol), Operatie.ESCALATIE_BEHANDELEN)}
    assert behandelen == {Rol.BEGELEIDER, Rol.REGISSEUR, Rol.DIRECTEUR}
    lezen = {rol for rol in Rol if mag(actor(rol), Operatie.ESCALATIE_LEZEN)}
    assert lezen == behandelen | {Rol.SCHOOLMEDEWERKER, Rol.LEERPLICHTAMBTENAAR}


def test_tlvs_are_issued_by_swv_roles_checked_by_the_begeleider_closed_by_the_secretariaat() -> (
    None
):
    """TLV roles (Aanpak thuiszitters §2.4.2, docs/bronnen.md): regisseur, directeur and
    secretariaat issue and withdraw; the begeleider records checks; the secretariaat enters the
    placement date."""
    afgevers = {rol for rol in Rol if mag(actor(rol), Operatie.TLV_AFGEVEN)}
    assert afgevers == {Rol.REGISSEUR, Rol.DIRECTEUR, Rol.SECRETARIAAT}
    controleurs = {rol for rol in Rol if mag(actor(rol), Operatie.TLV_CONTROLEREN)}
    assert controleurs == {Rol.BEGELEIDER}
    invoerders = {rol for rol in Rol if mag(actor(rol), Operatie.TLV_PLAATSING_INVOEREN)}
    assert invoerders == {Rol.SECRETARIAAT}
    lezers = {rol for rol in Rol if mag(actor(rol), Operatie.TLV_LEZEN)}
    assert lezers == {rol for rol in Rol if mag(actor(rol), Operatie.LEERLING_LEZEN)}


def test_only_leerplicht_roles_deliver_leerplicht_lists_in_bulk() -> None:
    """Bulk deliveries append leerplicht's facts: only leerplicht."""
    allowed = {rol for rol in Rol if mag(actor(rol), Operatie.LEERPLICHT_AANLEVEREN)}
    assert allowed == {Rol.LEERPLICHTAMBTENAAR, Rol.LEERPLICHTSYSTEEM}


def test_only_the_regisseur_decides_a_koppelvoorstel() -> None:
    allowed = {rol for rol in Rol if mag(actor(rol), Operatie.KOPPELING_BESLISSEN)}
    assert allowed == {Rol.REGISSEUR}


def test_bestuur_reads_the_groslijst_aggregates_only() -> None:
    """Schoolbesturen, OPR and bestuur get the groslijst as aggregates (WPO art. 18a lid 8): the
    SWV overview, never the Inspectie rows; reading a child is scoped to no child (404)."""
    assert RECHTEN[Rol.BESTUUR] == {
        Operatie.LEERLING_LEZEN,
        Operatie.TLV_LEZEN,
        Operatie.RAPPORT_SWV,
        Operatie.SCHOOL_LEZEN,
        Operatie.CLASSIFICATIE_LEZEN,
    }
    assert REIKWIJDTE[Rol.BESTUUR] is Reikwijdte.GEEN


def test_ketenpartner_reports_and_reads_only_its_voorziening() -> None:
    """A ketenpartner is scoped to its voorziening (a vestiging) and states gastleerling and
    aanbod facts only; no identity, no BSN, no reports, no workflows."""
    assert REIKWIJDTE[Rol.KETENPARTNER] is Reikwijdte.VESTIGINGEN
    assert RECHTEN[Rol.KETENPARTNER] == {
        Operatie.LEERLING_LEZEN,
        Operatie.TLV_LEZEN,
        Operatie.FEIT_MELDEN,
        Operatie.FEIT_CORRIGEREN,
        Operatie.SCHOOL_LEZEN,
        Operatie.CLASSIFICATIE_LEZEN,
    }
    toegestaan = {
        s for s in FeitSoort if feitrecht(Rol.KETENPARTNER, s, None) is Feitrecht.TOEGESTAAN
    }
    assert toegestaan == {
        FeitSoort.GASTLEERLING,
        FeitSoort.GASTLEERLING_BEEINDIGD,
        FeitSoort.AANBOD_GESTART,
        FeitSoort.AANBOD_BEEINDIGD,
    }
