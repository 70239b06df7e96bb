"""Golden files for every export, the XLSX read back with openpyxl, and reproducible bytes.

Regenerate them after an intended change with ``UPDATE_GOLDEN=1 pytest tests/rapportage``
and review the diff.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from app.domain.beleid import Beleid
from app.domain.classificatie import Categorie
from app.domain.feiten import (
    AanbodGestart,
    AanbodSoort,
    Beeindigingsreden,
    Belastbaarheid,
    Inschrijving,
    JeugdartsOordeel,
    OngeoorloofdAangemerkt,
    SoortThuiszitter,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    VrijstellingGrond,
    VrijstellingVerleend,
    Ziekmelding,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.rapportage import (
    InspectieRegister,
    InspectieRij,
    LeerlingVoorRapport,
    Samenvatting,
    inspectie_register,
    samenvatting,
    swv_overzicht,
)
from app.services.exports import (
    KOLOMMEN_V1,
    rij_naar_dict,
    schrijf_overzicht_csv,
    schrijf_register_csv,
    schrijf_register_json,
    schrijf_samenvatting_csv,
    schrijf_samenvatting_json,
    schrijf_xlsx,
)
from tests.domain.bouwers import d, feit
from tests.rapportage.bouwers import enige_rij, ingeschreven, kind

GOLDEN = Path(__file__).parent / "golden"
GEMAAKT_OP = datetime(2024, 12, 10, 9, 30, tzinfo=UTC)


def vaste_regio() -> list[LeerlingVoorRapport]:
    """A small fixed region: one child per situation the register knows."""
    school = "99AA00"

    def i(datum: str = "2023-08-21") -> Any:
        return feit(Inschrijving, datum, vestiging=school, id=f"i{datum}")

    def k(p: str, geboorte: Geboorte, feiten: list[Any], **extra: Any) -> LeerlingVoorRapport:
        return LeerlingVoorRapport(
            leerling=Leerling(f"intern-{p}", geboorte),
            feiten=tuple(feiten),
            pseudoniem=p,
            vestiging=school,
            gemeente="Demostad",
            **extra,
        )

    return [
        k(
            "241801",
            Geboorte(2011, 5, 17),  # identified mode: the exact date must never leave
            [i(), feit(VerzuimGestart, "2024-08-26", id="a1"),
             feit(AanbodGestart, "2024-10-07", aanbod=AanbodSoort.THUISWERKPLAN, id="a2",
                  keer_op_school_per_week=2, uren_op_school_per_week=4.0)],
            soort=SoortThuiszitter.SCHOOLWEIGERAAR,
            jeugdhulp="Wijkteam Demostad",
        ),
        k(
            "241802",
            Geboorte(2009, 11),
            [i(), feit(VerzuimGestart, "2024-09-16", id="b1"),
             feit(VerzuimBeeindigd, "2024-11-18", reden=Beeindigingsreden.SCHOOLGANG_HERSTELD,
                  id="b2")],
            soort=SoortThuiszitter.SPIJBELAAR,
        ),
        k(
            "241803",
            Geboorte(2013, 2),
            [i(), feit(Ziekmelding, "2024-09-02", door_ouders=True, id="c1"),
             feit(JeugdartsOordeel, "2024-09-23", belastbaarheid=Belastbaarheid.GEDEELTELIJK,
                  id="c2"),
             feit(OngeoorloofdAangemerkt, "2024-09-23", id="c3")],
            soort=SoortThuiszitter.MEDISCH,
        ),
        k("241804", Geboorte(2008, 4),
          [i(), feit(Uitschrijving, "2024-10-14", vestiging=school, id="d1")]),
        k("241805", Geboorte(2016, 7),
          [feit(VrijstellingVerleend, "2024-08-01", grond=VrijstellingGrond.ART_5_A, id="e1")]),
        k("241806", Geboorte(2012, 1), [i()]),  # at school: never in the register
    ]  # fmt: skip


def registers() -> tuple[InspectieRegister, Samenvatting, list[LeerlingVoorRapport]]:
    regio = vaste_regio()
    vorig = inspectie_register(regio, Beleid(), peildatum=d("2024-09-01"))
    nu = inspectie_register(regio, Beleid(), peildatum=d("2024-12-01"))
    return nu, samenvatting(nu, vorig), regio


def schrijf(functie: Callable[[io.BytesIO], None]) -> bytes:
    uit = io.BytesIO()
    functie(uit)
    return uit.getvalue()


def golden(naam: str, inhoud: bytes) -> None:
    pad = GOLDEN / naam
    if os.environ.get("UPDATE_GOLDEN"):
        pad.write_bytes(inhoud)
    assert inhoud == pad.read_bytes(), f"{naam} differs from its golden file"


def xlsx_bytes(reg: InspectieRegister, s: Samenvatting) -> bytes:
    reeks = [
        (d("2024-09-01"), {"B2a": 0, "B2b": 1, "B3": 0, "A2a": 1}),
        (s.peildatum, dict(s.per_categorie)),
    ]
    return schrijf(
        lambda b: schrijf_xlsx(reg.kop, reg.rijen, s, b, gemaakt_op=GEMAAKT_OP, reeks=reeks)
    )


def xlsx_inhoud(data: bytes) -> dict[str, Any]:
    wb = load_workbook(io.BytesIO(data))
    bladen: dict[str, Any] = {}
    for ws in wb.worksheets:
        bladen[ws.title] = [
            [c.isoformat() if isinstance(c, datetime) else c for c in rij]
            for rij in ws.iter_rows(values_only=True)
        ]
    return {"bladen": bladen}


def test_golden_register_json() -> None:
    reg, _s, _r = registers()
    data = schrijf(lambda b: schrijf_register_json(reg.kop, reg.rijen, b))
    golden("register.json", data)
    geladen = json.loads(data)
    assert geladen["versie"] == 1
    assert geladen["kolommen"] == [k.sleutel for k in KOLOMMEN_V1]
    assert [r["pseudoniem"] for r in geladen["rijen"]] == [r.pseudoniem for r in reg.rijen]


def test_golden_register_csv_semicolon_utf8_bom_crlf() -> None:
    reg, _s, _r = registers()
    data = schrijf(lambda b: schrijf_register_csv(reg.rijen, b))
    golden("register.csv", data)
    assert data.startswith(b"\xef\xbb\xbf")
    regels = data.decode("utf-8-sig").split("\r\n")
    assert regels[0].split(";") == [k.kop for k in KOLOMMEN_V1]
    assert (
        len(regels) == len(reg.rijen) + 2
    )  # header, rows, and the empty string after the last CRLF


def test_golden_samenvatting_json_and_csv() -> None:
    _reg, s, _r = registers()
    golden("samenvatting.json", schrijf(lambda b: schrijf_samenvatting_json(s, b)))
    golden("samenvatting.csv", schrijf(lambda b: schrijf_samenvatting_csv(s, b)))


def test_golden_swv_overzicht_csv_marks_suppressed_cells() -> None:
    _reg, _s, regio = registers()
    overzicht = swv_overzicht(regio, Beleid(), peildatum=d("2024-12-01"))
    data = schrijf(lambda b: schrijf_overzicht_csv(overzicht, b))
    golden("overzicht.csv", data)
    assert b";<5;" in data


def test_golden_xlsx_read_back_sheets_header_cells_and_chart() -> None:
    reg, s, _r = registers()
    data = xlsx_bytes(reg, s)
    inhoud = xlsx_inhoud(data)
    golden("register.xlsx.json", (json.dumps(inhoud, ensure_ascii=False, indent=1) + "\n").encode())
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Register", "Samenvatting"]
    assert [c.value for c in wb["Register"][1]] == [k.kop for k in KOLOMMEN_V1]
    assert wb["Register"].max_row == len(reg.rijen) + 1
    grafieken = wb["Samenvatting"]._charts
    assert len(grafieken) == 1
    assert grafieken[0].tagname == "barChart"
    assert len(grafieken[0].series) == 4
    assert wb.properties.created == GEMAAKT_OP.replace(tzinfo=None)
    assert wb.properties.modified == GEMAAKT_OP.replace(tzinfo=None)


def test_xlsx_is_byte_reproducible_whatever_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    reg, s, _r = registers()
    eerste = xlsx_bytes(reg, s)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    tweede = xlsx_bytes(reg, s)
    assert eerste == tweede
    with zipfile.ZipFile(io.BytesIO(eerste)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 12, 10, 9, 30, 0)}


def test_writers_stream_rows_from_a_generator() -> None:
    reg, s, _r = registers()
    gezien: list[str] = []

    def stroom() -> Iterator[InspectieRij]:
        for rij in reg.rijen:
            gezien.append(rij.pseudoniem)
            yield rij

    uit = io.BytesIO()
    schrijf_xlsx(reg.kop, stroom(), s, uit, gemaakt_op=GEMAAKT_OP)
    assert gezien == [r.pseudoniem for r in reg.rijen]
    assert load_workbook(uit)["Register"].max_row == len(reg.rijen) + 1


def test_csv_free_text_never_starts_a_formula() -> None:
    reg, _s, _r = registers()
    rij = dataclasses.replace(reg.rijen[0], jeugdhulp="=HYPERLINK(1)")
    data = schrijf(lambda b: schrijf_register_csv([rij], b)).decode("utf-8-sig")
    assert ";'=HYPERLINK(1);" in data


def test_rule_8_a2_overig_leaves_the_system_as_the_inspecties_a2() -> None:
    """Regel 8: A2-overig (art. 5a, art. 15) is no Inspectie category; exports say A2."""
    k = kind(
        "250001",
        [
            ingeschreven(),
            feit(VerzuimGestart, "2024-08-26"),
            feit(Uitschrijving, "2024-10-14", vestiging="99AA00"),
            feit(VrijstellingVerleend, "2024-10-14", grond=VrijstellingGrond.ART_15),
        ],
    )
    rij = enige_rij(k, "2024-12-01")
    assert rij.categorie_peildatum is Categorie.A2_OVERIG
    uit = rij_naar_dict(rij)
    assert (uit["categoriePeildatum"], uit["hoogsteCategorie"], uit["verloop"]) == (
        "A2",
        "B2a",
        ["B2a"],
    )
    csv_tekst = schrijf(lambda b: schrijf_register_csv([rij], b)).decode("utf-8-sig")
    assert ";A2;B2a;" in csv_tekst
    assert "A2-overig" not in csv_tekst
    overzicht = swv_overzicht([k], Beleid(), peildatum=d("2024-12-01"), drempel=1)
    totaal = dict(zip(overzicht.kolommen, overzicht.totaal.cellen, strict=True))
    assert totaal["A2"] == 1
    assert "A2-overig" not in overzicht.kolommen


@pytest.mark.parametrize("doorzettingsmacht_bij", [None, "directeur-swv"])
def test_who_holds_doorzettingsmacht_is_in_the_summary_and_the_chart_still_fits(
    doorzettingsmacht_bij: str | None,
) -> None:
    """The Inspectie asks every SWV who holds doorzettingsmacht; the summary says it
    (an SWV setting, no child data), and the chart still reads its own table."""
    reg, s, _r = registers()
    data = schrijf(
        lambda b: schrijf_xlsx(
            reg.kop, reg.rijen, s, b, gemaakt_op=GEMAAKT_OP,
            doorzettingsmacht_bij=doorzettingsmacht_bij,
        )
    )  # fmt: skip
    ws = load_workbook(io.BytesIO(data))["Samenvatting"]
    regels = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert regels.get("Doorzettingsmacht bij") == doorzettingsmacht_bij
    titel = ws._charts[0].series[0].tx.strRef.f  # e.g. Samenvatting!$B$36
    rij = int(titel.rsplit("!", 1)[1].replace("$", "")[1:])
    assert ws[f"A{rij}"].value == "Peildatum"
    tekst = schrijf(lambda b: schrijf_samenvatting_csv(s, b, doorzettingsmacht_bij)).decode(
        "utf-8-sig"
    )
    assert ("doorzettingsmacht-bij;directeur-swv;" in tekst) == bool(doorzettingsmacht_bij)
    if doorzettingsmacht_bij is not None:
        from app.services.exports import samenvatting_naar_dict

        assert samenvatting_naar_dict(s, doorzettingsmacht_bij)["doorzettingsmachtBij"] == (
            doorzettingsmacht_bij
        )


def test_xlsx_header_columns_are_wide_enough_to_read() -> None:
    reg, s, _r = registers()
    blad = load_workbook(io.BytesIO(xlsx_bytes(reg, s)))["Register"]
    breedtes = {  # adjacent columns of one width are one <col min max> element
        n: d.width for d in blad.column_dimensions.values() for n in range(d.min, d.max + 1)
    }
    for i, k in enumerate(KOLOMMEN_V1, start=1):
        assert breedtes[i] >= len(k.kop), k.kop


def test_xlsx_free_text_is_text_never_a_formula() -> None:
    reg, s, _r = registers()
    rij = dataclasses.replace(reg.rijen[0], jeugdhulp="=HYPERLINK(1)")
    uit = io.BytesIO()
    schrijf_xlsx(reg.kop, [rij], s, uit, gemaakt_op=GEMAAKT_OP)
    blad = load_workbook(uit)["Register"]
    kolom = [k.sleutel for k in KOLOMMEN_V1].index("jeugdhulp") + 1
    assert blad.cell(row=2, column=kolom).value == "'=HYPERLINK(1)"
    assert blad.cell(row=2, column=kolom).data_type == "s"


def test_bevroren_indiening_met_snake_case_sleutels_vergelijkt_met_camelcase() -> None:
    """Submissions frozen before the camelCase report keep their bytes; comparing still works."""
    from app.services.rapportage import _camel_sleutels, verschillen

    oud = {"pseudoniem": "X1", "categorie_peildatum": "B2a", "duur_dagen": 20}
    nu = {"pseudoniem": "X1", "categoriePeildatum": "B2a", "duurDagen": 21}
    uit = verschillen([_camel_sleutels(oud)], [nu])
    assert [(v.pseudoniem, v.soort, v.velden) for v in uit] == [("X1", "gewijzigd", ("duurDagen",))]
