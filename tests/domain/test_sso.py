"""Single sign-on mapping: claims of the SWV's OpenID provider to a role (docs/frontend.md)."""

from __future__ import annotations

from app.domain.sso import (
    ALGORITMEN,
    MFA_VEREIST,
    Koppeling,
    Toewijzing,
    Weigering,
    koppel,
    mfa_voldaan,
)
from app.domain.toegang import Rol

SCHOOL = Koppeling("groups", "school-a", Rol.SCHOOLMEDEWERKER, frozenset({"v1"}))
SCHOOL_B = Koppeling("groups", "school-b", Rol.SCHOOLMEDEWERKER, frozenset({"v2"}))
BESTUUR = Koppeling("roles", "opr", Rol.BESTUUR)
LEERPLICHT = Koppeling("groups", "lpa", Rol.LEERPLICHTAMBTENAAR, gemeente_ids=frozenset({"g"}))
ALLE = [SCHOOL, SCHOOL_B, BESTUUR, LEERPLICHT]


def test_only_asymmetric_algorithms_never_none_or_hmac() -> None:
    assert frozenset({"RS256", "ES256", "EdDSA"}) == ALGORITMEN
    assert not {"none", "HS256", "HS384", "HS512"} & ALGORITMEN


def test_a_group_maps_to_its_role_and_vestiging() -> None:
    claims = {"groups": ["school-a", "iets-anders"], "amr": ["pwd", "mfa"]}
    assert koppel(claims, ALLE) == Toewijzing(Rol.SCHOOLMEDEWERKER, frozenset({"v1"}), frozenset())


def test_two_rules_of_one_role_give_all_their_organisations() -> None:
    claims = {"groups": ["school-a", "school-b"], "amr": ["mfa"]}
    uitkomst = koppel(claims, ALLE)
    assert isinstance(uitkomst, Toewijzing)
    assert uitkomst.vestiging_ids == {"v1", "v2"}


def test_a_string_claim_matches_like_a_list_of_one() -> None:
    claims = {"groups": "lpa", "amr": ["otp"]}
    uitkomst = koppel(claims, ALLE)
    assert isinstance(uitkomst, Toewijzing)
    assert uitkomst.gemeente_ids == {"g"}


def test_an_unmapped_user_is_refused() -> None:
    assert koppel({"groups": ["onbekend"], "amr": ["mfa"]}, ALLE) is Weigering.ONGEKOPPELD
    assert koppel({"groups": 42}, ALLE) is Weigering.ONGEKOPPELD
    assert koppel({}, ALLE) is Weigering.ONGEKOPPELD


def test_two_roles_are_refused_an_actor_has_one() -> None:
    claims = {"groups": ["school-a", "lpa"], "amr": ["mfa"]}
    assert koppel(claims, ALLE) is Weigering.MEERDERE_ROLLEN


def test_roles_that_see_children_need_a_second_factor() -> None:
    """MFA of the provider (RFC 8176 amr, or an accepted acr) for every role that sees children."""
    assert koppel({"groups": ["school-a"], "amr": ["pwd"]}, ALLE) is Weigering.MFA_ONTBREEKT
    assert Rol.SCHOOLMEDEWERKER in MFA_VEREIST
    assert Rol.BEHEERDER in MFA_VEREIST


def test_the_aggregate_role_needs_no_second_factor() -> None:
    uitkomst = koppel({"roles": ["opr"], "amr": ["pwd"]}, ALLE)
    assert uitkomst == Toewijzing(Rol.BESTUUR, frozenset(), frozenset())


def test_an_accepted_acr_counts_as_multi_factor() -> None:
    assert mfa_voldaan({"acr": "urn:swv:mfa"}, ["urn:swv:mfa"])
    assert not mfa_voldaan({"acr": "urn:swv:pwd"}, ["urn:swv:mfa"])
    assert not mfa_voldaan({"acr": 3}, ["3"])
    assert not mfa_voldaan({"amr": "pwd"}, [])
    uitkomst = koppel({"groups": "school-a", "acr": "urn:swv:mfa"}, ALLE, ["urn:swv:mfa"])
    assert isinstance(uitkomst, Toewijzing)
