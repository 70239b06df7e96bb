"""The summary of a register and the SWV's aggregate overview."""

from __future__ import annotations

from app.domain.beleid import Beleid
from app.domain.feiten import (
    Besluit11g,
    Intrekking,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    VrijstellingGrond,
    VrijstellingVerleend,
    Ziekmelding,
)
from app.domain.leerling import Geboorte
from app.domain.rapportage import (
    OVERZICHT_KOLOMMEN,
    Groepsrij,
    Mutatie,
    VorigeStand,
    inspectie_register,
    mutatie,
    onderdrukken,
    samenvatting,
    swv_overzicht,
)
from tests.domain.bouwers import d, feit
from tests.rapportage.bouwers import SCHOOL, ingeschreven, kind, register


def verzuim(start: str, einde: str | None = None) -> list:  # type: ignore[type-arg]
    feiten = [ingeschreven(), feit(VerzuimGestart, start, id=f"v-{start}")]
    if einde:
        feiten.append(feit(VerzuimBeeindigd, einde))
    return feiten


def test_counts_per_category_typing_age_and_duration() -> None:
    kinderen = [
        kind("1", verzuim("2024-10-01")),  # B2a on 1 December, 12 years
        kind("2", verzuim("2024-08-26"), geboorte=Geboorte(2008, 1)),  # B2b, 16
        kind("3", verzuim("2024-09-02", "2024-11-04")),  # ended
        kind("4", [feit(VrijstellingVerleend, "2024-09-02", grond=VrijstellingGrond.ART_5_A)]),
        kind("5", [ingeschreven(), feit(Uitschrijving, "2024-11-25", vestiging=SCHOOL)]),
    ]
    s = samenvatting(register(kinderen, "2024-12-01"), None)
    assert (s.aantal, s.actief) == (5, 4)
    assert dict(s.per_categorie) == {"B2a": 1, "B2b": 1, "B3": 1, "A2a": 1}
    assert dict(s.per_categorie_schooljaar) == {"B2a": 3, "B2b": 1, "B3": 1, "A2a": 1}
    assert dict(s.per_typering) == {"thuiszitter": 3, "absoluut-verzuimer": 1, "vrijstelling": 1}
    assert dict(s.per_leeftijdsgroep) == {"4-11": 0, "12-15": 4, "16-17": 1, "18+": 0}
    assert dict(s.per_duurklasse) == {
        "tot-4-weken": 1,
        "4-weken-tot-3-maanden": 3,
        "langer-dan-3-maanden": 1,
    }
    assert s.pact_overschreden == 1
    assert (s.mutaties, s.verdwenen, s.vorige_peildatum) == (None, None, None)


def test_new_ended_continuing_since_previous_peildatum_by_pseudonym() -> None:
    fout = feit(VerzuimGestart, "2024-09-02", id="fout")
    intrekking = feit(
        Intrekking, "2024-09-02", geregistreerd="2025-01-10", betreft="fout", reden="x"
    )
    kinderen = [
        kind("lopend", verzuim("2024-09-02")),
        kind("beeindigd", verzuim("2024-09-02", "2025-01-06")),
        kind("nieuw", verzuim("2025-01-06")),
        kind("eerder", verzuim("2024-08-26", "2024-10-28")),
        kind(
            "opnieuw",
            [*verzuim("2024-08-26", "2024-10-28"), feit(VerzuimGestart, "2025-01-06")],
        ),
        kind("verdwenen", [ingeschreven(), fout, intrekking]),
    ]
    vorig = register(kinderen, "2024-12-01", bekend_op="2024-12-10")
    nu = register(kinderen, "2025-03-01")
    s = samenvatting(nu, vorig)
    per = {r.pseudoniem: r for r in vorig.rijen}
    assert {r.pseudoniem: mutatie(r, per.get(r.pseudoniem)) for r in nu.rijen} == {
        "lopend": Mutatie.LOPEND,
        "beeindigd": Mutatie.BEEINDIGD,
        "nieuw": Mutatie.NIEUW,
        "eerder": Mutatie.EERDER_BEEINDIGD,
        "opnieuw": Mutatie.NIEUW,
    }
    assert dict(s.mutaties or ()) == {
        "nieuw": 2,
        "lopend": 1,
        "beeindigd": 1,
        "eerder-beeindigd": 1,
    }
    assert s.verdwenen == 1
    assert s.vorige_peildatum == d("2024-12-01")
    stand = VorigeStand.van(vorig)
    assert stand.rijen["eerder"] == (d("2024-08-26"), False)
    assert samenvatting(nu, stand) == s, "the previous register's stand is all it compares"


# -- the SWV overview -------------------------------------------------------------------------


def index(kolom: str) -> int:
    return OVERZICHT_KOLOMMEN.index(kolom)


def test_swv_overview_counts_per_school_and_gemeente_with_the_fuller_picture() -> None:
    kinderen = [
        kind("1", [ingeschreven(), feit(Ziekmelding, "2024-09-02", terugkeer_onzeker=True)],
             vestiging="99AA00",
             gemeente="Demostad"),
        kind("2", [feit(VrijstellingVerleend, "2024-09-02", grond=VrijstellingGrond.ART_5_B)],
             gemeente="Demostad"),
        kind("3", [ingeschreven(), feit(Besluit11g, "2024-09-02")], vestiging="99AB00"),
        kind("4", verzuim("2024-11-08"), vestiging="99AB00", gemeente="Voorbeelddorp"),
        kind("5", verzuim("2024-08-26"), vestiging="99AB00", gemeente="Voorbeelddorp"),
        kind("6", [ingeschreven()], vestiging="99AA00", gemeente="Demostad"),
    ]  # fmt: skip
    o = swv_overzicht(kinderen, Beleid(), peildatum=d("2024-12-01"), drempel=1)
    totaal = dict(zip(o.kolommen, o.totaal.cellen, strict=True))
    assert totaal["A1"] == 1
    assert totaal["A2b"] == 1
    assert totaal["C"] == 1
    assert totaal["B1"] == 1
    assert totaal["B2b"] == 1
    assert totaal["thuiszitter-landelijk"] == 1
    assert totaal["dreigend-thuiszitter"] == 2  # A1 with uncertain return; B1 nearing 4 weeks
    assert totaal["thuiszitterspact-overschreden"] == 1
    assert [g.groep for g in o.per_school] == ["99AA00", "99AB00", "onbekend"]
    assert [g.groep for g in o.per_gemeente] == ["Demostad", "Voorbeelddorp", "onbekend"]
    assert o.per_school[1].cellen[index("B2b")] == 1


def test_swv_overview_suppresses_small_cells_no_child_identifiable() -> None:
    kinderen = [
        kind(f"{i}", [ingeschreven(), feit(Ziekmelding, "2024-09-02")], vestiging="99AA00")
        for i in range(6)
    ] + [kind("x", [ingeschreven(), feit(Ziekmelding, "2024-09-02")], vestiging="99AB00")]
    o = swv_overzicht(kinderen, Beleid(), peildatum=d("2024-12-01"))
    a1 = index("A1")
    assert o.drempel == 5
    assert o.totaal.cellen[a1] == 7
    # 1 at 99AB00 is hidden; 6 at 99AA00 would give it away (7 - 6), so it is hidden too.
    assert [g.cellen[a1] for g in o.per_school] == [None, None]
    assert o.totaal.cellen[index("C")] == 0


def test_suppression_prefers_a_nonzero_cell_and_skips_when_the_total_is_hidden() -> None:
    rijen = [
        Groepsrij("a", (0, 2, 3)),
        Groepsrij("b", (9, 0, 0)),
        Groepsrij("c", (7, 8, 0)),
    ]
    totaal = Groepsrij("totaal", (16, 10, None))
    uit = onderdrukken(rijen, totaal, 5)
    assert [r.cellen for r in uit] == [(0, None, None), (9, 0, 0), (7, None, 0)]
    alleen = onderdrukken([Groepsrij("a", (2,))], Groepsrij("totaal", (None,)), 5)
    assert alleen[0].cellen == (None,)
    nullen = onderdrukken([Groepsrij("a", (2,)), Groepsrij("b", (0,))], Groepsrij("t", (7,)), 5)
    assert [r.cellen for r in nullen] == [(None,), (None,)]
    enkel = onderdrukken([Groepsrij("a", (2,))], Groepsrij("t", (7,)), 5)
    assert enkel[0].cellen == (None,)


def test_swv_overview_refuses_a_threshold_below_one() -> None:
    try:
        swv_overzicht([], Beleid(), peildatum=d("2024-12-01"), drempel=0)
    except ValueError:
        return
    raise AssertionError("drempel 0 accepted")


def test_register_over_an_empty_region_is_empty() -> None:
    reg = inspectie_register([], Beleid(), peildatum=d("2024-12-01"))
    assert reg.rijen == ()
    assert samenvatting(reg, reg).mutaties == (
        ("nieuw", 0),
        ("lopend", 0),
        ("beeindigd", 0),
        ("eerder-beeindigd", 0),
    )
