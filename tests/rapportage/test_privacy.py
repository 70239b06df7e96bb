"""No identifying field in any Inspectie export, and the generator's promises.

The scanner looks for a person's name, an exact birth date, a nine-digit number that passes the
BSN elfproef, a Dutch postcode or street address, and the register's internal child ids. It is
tested on planted values first, so that a silent scanner cannot pass.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import date

import pytest

from app.domain.beleid import Beleid
from app.domain.classificatie import Categorie
from app.domain.rapportage import LeerlingVoorRapport, inspectie_register, samenvatting
from app.domain.status import bepaal_status
from app.services.demo.generator import genereer_kinderen, genereer_scholen
from app.services.exports import (
    schrijf_register_csv,
    schrijf_register_json,
    schrijf_samenvatting_csv,
    schrijf_samenvatting_json,
    schrijf_xlsx,
)
from tests.rapportage.test_exports import GEMAAKT_OP, vaste_regio

NAMEN = (
    "Jan", "Sanne", "Daan", "Emma", "Noah", "Julia", "Lucas", "Mila", "Sem", "Tess",
    "de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
)  # fmt: skip
POSTCODE = re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b")
STRAAT = re.compile(r"\b\w+(straat|laan|weg|plein|gracht|singel|kade)\s+\d+", re.IGNORECASE)
NEGEN_CIJFERS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def elfproef(nummer: str) -> bool:
    """The BSN check: sum of the first eight digits times 9..2, minus the last, divisible by 11."""
    cijfers = [int(c) for c in nummer]
    som = sum(c * w for c, w in zip(cijfers[:8], range(9, 1, -1), strict=True)) - cijfers[8]
    return som % 11 == 0


def vondsten(tekst: str, kinderen: Iterable[LeerlingVoorRapport]) -> list[str]:
    """Every identifying value found in ``tekst``; empty when the export is clean."""
    gevonden: list[str] = []
    for naam in NAMEN:
        if re.search(rf"\b{re.escape(naam)}\b", tekst):
            gevonden.append(f"naam {naam}")
    gevonden += [f"bsn {m}" for m in NEGEN_CIJFERS.findall(tekst) if elfproef(m)]
    gevonden += [f"postcode {m}" for m in POSTCODE.findall(tekst)]
    gevonden += [f"adres {m.group(0)}" for m in STRAAT.finditer(tekst)]
    for k in kinderen:
        g = k.leerling.geboorte
        if g.dag is not None:
            geboren = date(g.jaar, g.maand, g.dag)
            for vorm in (geboren.isoformat(), geboren.strftime("%d-%m-%Y")):
                if vorm in tekst:
                    gevonden.append(f"geboortedatum {vorm}")
        if k.leerling.id in tekst:
            gevonden.append(f"intern id {k.leerling.id}")
    return gevonden


def xlsx_tekst(data: bytes) -> str:
    """All text of the workbook's parts: cells, shared strings, properties, chart."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def alle_exports(kinderen: list[LeerlingVoorRapport], peildatum: date) -> dict[str, str]:
    beleid = Beleid()
    reg = inspectie_register(kinderen, beleid, peildatum=peildatum)
    s = samenvatting(reg, None)
    uit: dict[str, str] = {}
    schrijvers: tuple[tuple[str, Callable[[io.BytesIO], None]], ...] = (
        ("register.json", lambda b: schrijf_register_json(reg.kop, reg.rijen, b)),
        ("register.csv", lambda b: schrijf_register_csv(reg.rijen, b)),
        ("samenvatting.json", lambda b: schrijf_samenvatting_json(s, b)),
        ("samenvatting.csv", lambda b: schrijf_samenvatting_csv(s, b)),
    )
    for naam, schrijver in schrijvers:
        buffer = io.BytesIO()
        schrijver(buffer)
        uit[naam] = buffer.getvalue().decode("utf-8-sig")
    buffer = io.BytesIO()
    schrijf_xlsx(reg.kop, reg.rijen, s, buffer, gemaakt_op=GEMAAKT_OP)
    uit["register.xlsx"] = xlsx_tekst(buffer.getvalue())
    return uit


@pytest.mark.parametrize(
    ("geplant", "soort"),
    [
        ("contact: Jan de Vries", "naam"),
        ("123456782", "bsn"),
        ("3511 AB", "postcode"),
        ("Stationsstraat 12", "adres"),
        ("2011-05-17", "geboortedatum"),
        ("17-05-2011", "geboortedatum"),
        ("intern-241801", "intern id"),
    ],
)
def test_scanner_finds_planted_identifying_values(geplant: str, soort: str) -> None:
    assert any(v.startswith(soort) for v in vondsten(f"x;{geplant};y", vaste_regio()))


def test_scanner_elfproef() -> None:
    assert elfproef("123456782")
    assert not elfproef("123456789")


def test_no_identifying_field_in_any_inspectie_export() -> None:
    kinderen = vaste_regio() + list(genereer_kinderen(1500, seed=11))
    for peildatum in (date(2024, 12, 1), date(2025, 6, 1)):
        for naam, tekst in alle_exports(kinderen, peildatum).items():
            assert vondsten(tekst, kinderen) == [], naam


# -- the generator ----------------------------------------------------------------------------


def test_generator_is_deterministic_for_a_seed() -> None:
    assert list(genereer_kinderen(200, seed=3)) == list(genereer_kinderen(200, seed=3))
    assert list(genereer_kinderen(50, seed=3)) != list(genereer_kinderen(50, seed=4))
    assert genereer_scholen(3) == genereer_scholen(3)


def test_generator_streams_and_any_child_regenerates_on_its_own() -> None:
    stroom = genereer_kinderen(10**9, seed=3)  # lazily: never materialised
    eerste = [next(stroom) for _ in range(120)]
    assert eerste == list(genereer_kinderen(120, seed=3))


def test_generator_region_is_fictitious_and_plausible() -> None:
    kinderen = list(genereer_kinderen(4000, seed=1))
    assert len({k.pseudoniem for k in kinderen}) == len(kinderen)
    assert all(re.fullmatch(r"P\d{7}", k.pseudoniem) for k in kinderen)
    assert all(k.leerling.geboorte.dag is None for k in kinderen)
    assert all((k.vestiging or "").startswith("99") for k in kinderen)
    feiten = sum(len(k.feiten) for k in kinderen)
    assert 4 * len(kinderen) < feiten < 12 * len(kinderen)
    gezien: set[Categorie] = set()
    for k in kinderen:
        for peildatum in (date(2024, 12, 1), date(2025, 3, 1)):
            gezien.add(bepaal_status(k.leerling, k.feiten, Beleid(), peildatum=peildatum).categorie)
    assert {
        Categorie.A1,
        Categorie.A2A,
        Categorie.B1,
        Categorie.B2A,
        Categorie.B2B,
        Categorie.B3,
        Categorie.C,
        Categorie.GEEN,
    } <= gezien
