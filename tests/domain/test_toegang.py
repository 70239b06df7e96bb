"""The permission matrix and row scope of each role (issue 5: deny by default)."""

from __future__ import annotations

import pytest

from app.domain.toegang import RECHTEN, REIKWIJDTE, Actor, Operatie, Reikwijdte, Rol, mag


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
    ],
)
def test_scope_follows_the_role(rol: Rol, reikwijdte: Reikwijdte) -> None:
    assert actor(rol).reikwijdte is reikwijdte


def test_roles_without_children_cannot_read_children() -> None:
    for rol in (Rol.BEHEERDER, Rol.FUNCTIONARIS_GEGEVENSBESCHERMING, Rol.INSPECTIE_EXPORT):
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


def test_only_leerplicht_roles_deliver_leerplicht_lists_in_bulk() -> None:
    """Bulk deliveries append leerplicht's facts: only leerplicht."""
    allowed = {rol for rol in Rol if mag(actor(rol), Operatie.LEERPLICHT_AANLEVEREN)}
    assert allowed == {Rol.LEERPLICHTAMBTENAAR, Rol.LEERPLICHTSYSTEEM}


def test_only_the_regisseur_decides_a_koppelvoorstel() -> None:
    allowed = {rol for rol in Rol if mag(actor(rol), Operatie.KOPPELING_BESLISSEN)}
    assert allowed == {Rol.REGISSEUR}
