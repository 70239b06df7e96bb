"""Writers for the Inspectie register and its summary: JSON, CSV and XLSX.

Every writer takes the rows as an iterable and writes to a binary file-like object, so a large
register streams with bounded memory (XLSX through XlsxWriter's constant-memory mode). The
output is a function of the input only: the XLSX document properties and zip timestamps come
from the ``gemaakt_op`` argument, never from the clock, so the same report gives the same bytes.
The column layout is ``KOLOMMEN_V1``; docs/rapportage.md explains every column and choice.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_rowcol_to_cell_fast  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from app.domain.classificatie import inspectie_code
from app.domain.rapportage import (
    INSPECTIE_CATEGORIEEN,
    InspectieRij,
    RegisterKop,
    Samenvatting,
    SwvOverzicht,
    Telling,
)

FORMAAT = "thuiszitters-inspectieregister"
KOLOMMEN_VERSIE = 1
CSV_SCHEIDINGSTEKEN = ";"  # Dutch Excel's list separator (the decimal separator is a comma)
XLSX_DATUMFORMAAT = "dd-mm-yyyy"

Waarde = str | int | float | bool | date | tuple[str, ...] | None


class Formaat(StrEnum):
    """How a column's value is written: text, whole number, date, or ja/nee."""

    TEKST = "tekst"
    GETAL = "getal"
    DATUM = "datum"
    JA_NEE = "ja-nee"


@dataclass(frozen=True, slots=True)
class Kolom:
    """One register column: camelCase key (JSON), header text, XLSX width, format and value."""

    sleutel: str
    kop: str
    breedte: float
    formaat: Formaat
    waarde: Callable[[Any], Waarde]
    """The value of a row: an ``InspectieRij`` here, a ``MonitorRij`` in the SWV's monitor."""


def _enum(waarde: StrEnum | None) -> str | None:
    return None if waarde is None else waarde.value


KOLOMMEN_V1: tuple[Kolom, ...] = (
    Kolom("pseudoniem", "Pseudoniem", 12, Formaat.TEKST, lambda r: r.pseudoniem),
    Kolom("leeftijd", "Leeftijd op peildatum", 10, Formaat.GETAL, lambda r: r.leeftijd),
    Kolom("typering", "Typering", 18, Formaat.TEKST, lambda r: r.typering.value),
    Kolom("soort", "Soort thuiszitter", 18, Formaat.TEKST, lambda r: _enum(r.soort)),
    Kolom(
        "categoriePeildatum",
        "Categorie op peildatum",
        12,
        Formaat.TEKST,
        lambda r: inspectie_code(r.categorie_peildatum),
    ),
    Kolom(
        "hoogsteCategorie",
        "Hoogste categorie schooljaar",
        12,
        Formaat.TEKST,
        lambda r: inspectie_code(r.hoogste_categorie),
    ),
    Kolom(
        "verloop",
        "Verloop categorieën",
        18,
        Formaat.TEKST,
        lambda r: tuple(inspectie_code(c) for c in r.verloop),
    ),
    Kolom("startdatum", "Startdatum", 12, Formaat.DATUM, lambda r: r.startdatum),
    Kolom(
        "einddatum", "Einddatum (eerste dag niet meer)", 12, Formaat.DATUM, lambda r: r.einddatum
    ),
    Kolom("duurDagen", "Duur (dagen)", 10, Formaat.GETAL, lambda r: r.duur_dagen),
    Kolom("duurklasse", "Duurklasse", 22, Formaat.TEKST, lambda r: r.duurklasse.value),
    Kolom(
        "ziekGemeldDoorOuders",
        "Ziek gemeld door ouders",
        10,
        Formaat.JA_NEE,
        lambda r: r.ziek_gemeld_door_ouders,
    ),
    Kolom("aanbod", "Aanbod of thuiswerkplan", 16, Formaat.TEKST, lambda r: _enum(r.aanbod)),
    Kolom("jeugdhulp", "Betrokken jeugdhulp", 24, Formaat.TEKST, lambda r: r.jeugdhulp),
    Kolom("maandBeeindigd", "Maand beëindigd", 10, Formaat.TEKST, lambda r: r.maand_beeindigd),
    Kolom(
        "redenBeeindigd",
        "Reden beëindiging",
        22,
        Formaat.TEKST,
        lambda r: _enum(r.reden_beeindigd),
    ),
    Kolom(
        "pactOverschreden",
        "Thuiszitterspact overschreden",
        10,
        Formaat.JA_NEE,
        lambda r: r.pact_overschreden,
    ),
    Kolom("aantalEpisodes", "Aantal episodes", 10, Formaat.GETAL, lambda r: r.aantal_episodes),
)
"""Version 1 of the register layout; a changed Inspectie form becomes ``KOLOMMEN_V2``."""


# -- values per format -----------------------------------------------------------------------


def _json_waarde(waarde: Waarde) -> object:
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, tuple):
        return list(waarde)
    return waarde


_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _tekst(waarde: Waarde) -> str | int | None:
    """The text shown in CSV and XLSX; free text never starts like a spreadsheet formula."""
    if waarde is None:
        return None
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, int):
        return waarde
    if isinstance(waarde, float):
        return f"{waarde:g}".replace(".", ",")  # Dutch decimal comma
    if isinstance(waarde, date):
        return waarde.isoformat()
    tekst = ", ".join(waarde) if isinstance(waarde, tuple) else waarde
    return "'" + tekst if tekst.startswith(_FORMULE) else tekst


def _kop_dict(kop: RegisterKop) -> dict[str, object]:
    return {
        "peildatum": kop.peildatum.isoformat(),
        "schooljaar": kop.schooljaar,
        "vanaf": kop.vanaf.isoformat(),
        "bekendOp": None if kop.bekend_op is None else kop.bekend_op.isoformat(),
    }


def _dump(waarde: object) -> str:
    return json.dumps(waarde, ensure_ascii=False, separators=(",", ":"))


# -- JSON ------------------------------------------------------------------------------------


def rij_naar_dict(rij: Any, kolommen: Sequence[Kolom] = KOLOMMEN_V1) -> dict[str, object]:
    """A row as a JSON-safe dict in column order: dates ISO, unknown values null."""
    return {k.sleutel: _json_waarde(k.waarde(rij)) for k in kolommen}


def schrijf_register_json(
    kop: RegisterKop,
    rijen: Iterable[Any],
    uit: IO[bytes],
    *,
    kolommen: Sequence[Kolom] = KOLOMMEN_V1,
    versie: int = KOLOMMEN_VERSIE,
    formaat: str = FORMAAT,
) -> None:
    """The register (or the SWV's monitor) as UTF-8 JSON, one row per line, as rows arrive."""
    uit.write(
        (
            "{"
            f'"formaat":{_dump(formaat)},"versie":{versie},"kop":{_dump(_kop_dict(kop))},'
            f'"kolommen":{_dump([k.sleutel for k in kolommen])},"rijen":['
        ).encode()
    )
    scheiding = "\n"
    for rij in rijen:
        uit.write((scheiding + _dump(rij_naar_dict(rij, kolommen))).encode())
        scheiding = ",\n"
    uit.write(b"\n]}\n")


def _telling(telling: Telling) -> dict[str, int]:
    return dict(telling)


def samenvatting_naar_dict(
    s: Samenvatting, doorzettingsmacht_bij: str | None = None
) -> dict[str, object]:
    """The summary as a JSON-safe dict; every count key present, in a fixed order. With
    `doorzettingsmacht_bij`, also who holds doorzettingsmacht in the SWV (the Inspectie asks)."""
    extra = {} if doorzettingsmacht_bij is None else {"doorzettingsmachtBij": doorzettingsmacht_bij}
    return {
        "formaat": "thuiszitters-samenvatting",
        "versie": KOLOMMEN_VERSIE,
        "peildatum": s.peildatum.isoformat(),
        "schooljaar": s.schooljaar,
        "vorigePeildatum": None if s.vorige_peildatum is None else s.vorige_peildatum.isoformat(),
        "aantal": s.aantal,
        "actief": s.actief,
        "perCategorie": _telling(s.per_categorie),
        "perCategorieSchooljaar": _telling(s.per_categorie_schooljaar),
        "perTypering": _telling(s.per_typering),
        "perLeeftijdsgroep": _telling(s.per_leeftijdsgroep),
        "perDuurklasse": _telling(s.per_duurklasse),
        "mutaties": None if s.mutaties is None else _telling(s.mutaties),
        "verdwenen": s.verdwenen,
        "pactOverschreden": s.pact_overschreden,
        **extra,
    }


def schrijf_samenvatting_json(s: Samenvatting, uit: IO[bytes]) -> None:
    """The summary as indented UTF-8 JSON."""
    tekst = json.dumps(samenvatting_naar_dict(s), ensure_ascii=False, indent=2)
    uit.write((tekst + "\n").encode())


# -- CSV -------------------------------------------------------------------------------------


class _Csv:
    """A csv writer on a binary stream: UTF-8 with BOM, ``;``, CRLF (Excel NL opens it as is)."""

    def __init__(self, uit: IO[bytes]) -> None:
        self.tekst = io.TextIOWrapper(uit, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.tekst, delimiter=CSV_SCHEIDINGSTEKEN, lineterminator="\r\n")

    def __enter__(self) -> Any:
        return self.writer

    def __exit__(self, *exc: object) -> None:
        self.tekst.flush()
        self.tekst.detach()  # the caller owns the stream: do not close it


def schrijf_register_csv(
    rijen: Iterable[Any], uit: IO[bytes], *, kolommen: Sequence[Kolom] = KOLOMMEN_V1
) -> None:
    """The register as CSV: a header row of ``kop`` texts, then one line per row."""
    with _Csv(uit) as writer:
        writer.writerow([k.kop for k in kolommen])
        for rij in rijen:
            writer.writerow([_tekst(k.waarde(rij)) for k in kolommen])


def _samenvatting_regels(s: Samenvatting) -> list[tuple[str, str, int | None]]:
    regels: list[tuple[str, str, int | None]] = [
        ("totaal", "aantal", s.aantal),
        ("totaal", "actief", s.actief),
        ("totaal", "pact-overschreden", s.pact_overschreden),
    ]
    delen: list[tuple[str, Telling | None]] = [
        ("categorie-op-peildatum", s.per_categorie),
        ("categorie-in-schooljaar", s.per_categorie_schooljaar),
        ("typering", s.per_typering),
        ("leeftijdsgroep", s.per_leeftijdsgroep),
        ("duurklasse", s.per_duurklasse),
        ("sinds-vorige-peildatum", s.mutaties),
    ]
    for onderdeel, telling in delen:
        for sleutel, aantal in telling or ():
            regels.append((onderdeel, sleutel, aantal))
    regels.append(("sinds-vorige-peildatum", "niet-meer-in-register", s.verdwenen))
    return regels


def schrijf_samenvatting_csv(
    s: Samenvatting, uit: IO[bytes], doorzettingsmacht_bij: str | None = None
) -> None:
    """The summary as CSV lines ``onderdeel;sleutel;aantal`` (empty count: no previous report);
    with `doorzettingsmacht_bij`, a line saying who holds doorzettingsmacht (the Inspectie asks)."""
    with _Csv(uit) as writer:
        writer.writerow(["onderdeel", "sleutel", "aantal"])
        writer.writerow(["peildatum", s.peildatum.isoformat(), None])
        if doorzettingsmacht_bij is not None:
            writer.writerow(["doorzettingsmacht-bij", doorzettingsmacht_bij, None])
        for regel in _samenvatting_regels(s):
            writer.writerow(regel)


def schrijf_overzicht_csv(overzicht: SwvOverzicht, uit: IO[bytes]) -> None:
    """The SWV overview as CSV: ``indeling;groep;<kolommen>``, suppressed cells as ``<drempel``."""
    verborgen = f"<{overzicht.drempel}"
    with _Csv(uit) as writer:
        writer.writerow(["indeling", "groep", *overzicht.kolommen])
        indelingen = (
            ("swv", (overzicht.totaal,)),
            ("school", overzicht.per_school),
            ("gemeente", overzicht.per_gemeente),
        )
        for indeling, groepen in indelingen:
            for g in groepen:
                cellen = [verborgen if c is None else c for c in g.cellen]
                writer.writerow([indeling, _tekst(g.groep), *cellen])


# -- XLSX ------------------------------------------------------------------------------------


def _vaste_tijd(pad: str, moment: datetime) -> None:
    """Give every entry of the zip at `pad` one fixed timestamp, in place: the local header's and
    the central directory's DOS date and time (XlsxWriter dates its entries in 1980)."""
    tijd = moment.astimezone(UTC) if moment.tzinfo else moment
    dos_tijd = (tijd.hour << 11) | (tijd.minute << 5) | (tijd.second // 2)
    dos_datum = ((max(tijd.year, 1980) - 1980) << 9) | (tijd.month << 5) | tijd.day
    veld = struct.pack("<HH", dos_tijd, dos_datum)
    with zipfile.ZipFile(pad) as archief:
        lokaal = [i.header_offset for i in archief.infolist()]
        centraal_start = archief.start_dir
        aantal = len(lokaal)
    with open(pad, "r+b") as f:
        for offset in lokaal:  # local file header: signature, version, flags, method, time
            f.seek(offset)
            if f.read(4) != b"PK\x03\x04":
                raise ValueError("unexpected zip layout")
            f.seek(offset + 10)
            f.write(veld)
        f.seek(centraal_start)
        for _ in range(aantal):  # central header: ..., made by, needed, flags, method, time
            kop = f.read(46)
            if kop[:4] != b"PK\x01\x02":
                raise ValueError("unexpected zip layout")
            f.seek(-46 + 12, os.SEEK_CUR)
            f.write(veld)
            naam, extra, commentaar = struct.unpack("<HHH", kop[28:34])
            f.seek(46 - 16 + naam + extra + commentaar, os.SEEK_CUR)


_BIJZONDER = re.compile(r"[&<>\x00-\x1f]|_x[0-9A-Fa-f]{4}_|^\s|\s$")
"""Text that needs XML escaping, Excel's `_xHHHH_` escape, or `xml:space`: XlsxWriter's path."""


class _Registerblad(Worksheet):  # type: ignore[misc]
    """The register sheet: XlsxWriter's worksheet with a shorter path for its ordinary cells.

    In constant-memory mode each row is written out as XML when the next begins; most time
    went into the general cell writer. Plain text (nothing to escape) and numbers take a direct
    path here, producing the XML the general writer does; anything else goes through it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._stijlen: dict[int, str] = {}

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        soort = type(cell).__name__
        opmaak = cell.format
        if opmaak is None and (
            row in self.row_info
            or (col in self.col_info and self.col_info[col].column_format is not None)
        ):
            super()._write_cell(row, col, cell)  # a row's or column's own format applies
            return
        stijl = ""
        if opmaak is not None:
            stijl = self._stijlen.get(id(opmaak), "")
            if not stijl:
                stijl = self._stijlen[id(opmaak)] = f' s="{opmaak._get_xf_index()}"'
        ref = xl_rowcol_to_cell_fast(row, col)
        if soort == "String" and not _BIJZONDER.search(cell.string):
            self.fh.write(f'<c r="{ref}"{stijl} t="inlineStr"><is><t>{cell.string}</t></is></c>')
        elif soort in ("Number", "Datetime"):
            self.fh.write(f'<c r="{ref}"{stijl}><v>{cell.number:.16G}</v></c>')
        else:
            super()._write_cell(row, col, cell)


def _breedte(k: Kolom) -> float:
    """Wide enough for the header text to read in Excel (about one unit per character)."""
    return max(k.breedte, round(len(k.kop) * 1.1 + 2, 1))


def _register_blad(
    wb: Any, rijen: Iterable[Any], kolommen: Sequence[Kolom], naam: str = "Register"
) -> None:
    ws = wb.add_worksheet(naam, worksheet_class=_Registerblad)
    vet = wb.add_format({"bold": True})
    datum = wb.add_format({"num_format": XLSX_DATUMFORMAAT})
    for i, k in enumerate(kolommen):
        ws.set_column(i, i, _breedte(k))
    ws.freeze_panes(1, 0)
    for i, k in enumerate(kolommen):
        ws.write_string(0, i, k.kop, vet)
    # Explicit writers per cell: `write` would turn text starting with "=" into a formula. The
    # undecorated ones: the public ones only add parsing of "A1" cell names (XlsxWriter 3.3).
    tekst, getal = ws._write_string, ws._write_number
    serieel: dict[date, float] = {}  # a date as Excel's serial number, once per date
    for r, rij in enumerate(rijen, start=1):
        for i, k in enumerate(kolommen):
            waarde = k.waarde(rij)
            if waarde is None:
                continue
            if type(waarde) is str:
                tekst(r, i, "'" + waarde if waarde.startswith(_FORMULE) else waarde)
            elif isinstance(waarde, date):
                nummer = serieel.get(waarde)
                if nummer is None:
                    nummer = serieel[waarde] = ws._convert_date_time(waarde)
                getal(r, i, nummer, datum)
            else:
                getoond = _tekst(waarde)
                if isinstance(getoond, str):
                    tekst(r, i, getoond)
                elif getoond is not None:
                    getal(r, i, getoond)


def _samenvatting_blad(
    wb: Any,
    kop: RegisterKop,
    s: Samenvatting,
    reeks: Sequence[tuple[date, Mapping[str, int]]],
    versie: int,
    *,
    doorzettingsmacht_bij: str | None = None,
) -> None:
    ws = wb.add_worksheet("Samenvatting")
    vet = wb.add_format({"bold": True})
    datum = wb.add_format({"num_format": XLSX_DATUMFORMAAT})
    for kolom, breedte in enumerate((26, 24, 10, 10, 10)):
        ws.set_column(kolom, kolom, breedte)
    regel = 0

    def schrijf(*cellen: object, opmaak: Any = None) -> None:
        nonlocal regel
        for kolom, cel in enumerate(cellen):
            if isinstance(cel, str):
                ws.write_string(regel, kolom, cel, opmaak)
            elif isinstance(cel, date):
                ws.write_datetime(regel, kolom, cel, datum)
            elif isinstance(cel, int):
                ws.write_number(regel, kolom, cel, opmaak)
        regel += 1

    schrijf("Thuiszittersregister: samenvatting", opmaak=vet)
    schrijf("Peildatum", kop.peildatum)
    schrijf("Schooljaar", kop.schooljaar)
    schrijf("Telt vanaf", kop.vanaf.isoformat())
    vorige = s.vorige_peildatum
    schrijf("Vorige peildatum", None if vorige is None else vorige.isoformat())
    schrijf("Kolomindeling register", f"v{versie}")
    if doorzettingsmacht_bij is not None:
        schrijf("Doorzettingsmacht bij", doorzettingsmacht_bij)
    schrijf()
    schrijf("Onderdeel", "Sleutel", "Aantal", opmaak=vet)
    for onderdeel, sleutel, aantal in _samenvatting_regels(s):
        schrijf(onderdeel, sleutel, aantal)
    schrijf()
    categorieen = [c.value for c in INSPECTIE_CATEGORIEEN]
    eerste = regel  # the chart table's header (0-based)
    schrijf("Peildatum", *categorieen, opmaak=vet)
    for peildatum, telling in reeks:
        schrijf(peildatum.isoformat(), *(telling.get(c, 0) for c in categorieen))
    laatste = regel - 1
    grafiek = wb.add_chart({"type": "column"})
    for kolom in range(1, 1 + len(categorieen)):
        grafiek.add_series(
            {
                "name": ["Samenvatting", eerste, kolom],
                "categories": ["Samenvatting", eerste + 1, 0, laatste, 0],
                "values": ["Samenvatting", eerste + 1, kolom, laatste, kolom],
            }
        )
    grafiek.set_title({"name": "Thuiszitters per categorie per peildatum"})
    grafiek.set_y_axis({"name": "Aantal kinderen"})
    grafiek.set_x_axis({"name": "Peildatum"})
    grafiek.set_size({"width": 680, "height": 340})  # 18 by 9 cm
    ws.insert_chart("F2", grafiek)


def schrijf_xlsx(
    kop: RegisterKop,
    rijen: Iterable[InspectieRij],
    samenvatting: Samenvatting,
    uit: IO[bytes],
    *,
    gemaakt_op: datetime,
    reeks: Sequence[tuple[date, Mapping[str, int]]] | None = None,
    kolommen: Sequence[Kolom] = KOLOMMEN_V1,
    versie: int = KOLOMMEN_VERSIE,
    doorzettingsmacht_bij: str | None = None,
) -> None:
    """A workbook with a "Register" sheet (``kolommen``) and a "Samenvatting" sheet and chart.

    ``reeks`` gives the counts per category per peildatum for the chart (oldest first); by
    default only this summary's peildatum. Rows stream through XlsxWriter's constant-memory mode
    (each row goes to a temporary file as it is written) into a temporary workbook file, whose
    zip entries then get `gemaakt_op` as their timestamp before it is copied to ``uit``.
    """
    if reeks is None:
        reeks = [(samenvatting.peildatum, dict(samenvatting.per_categorie))]
    moment = gemaakt_op.astimezone(UTC).replace(tzinfo=None) if gemaakt_op.tzinfo else gemaakt_op
    with tempfile.TemporaryDirectory(prefix="thuiszitters-xlsx-") as tmp:
        pad = os.path.join(tmp, "register.xlsx")
        wb = xlsxwriter.Workbook(
            pad, {"constant_memory": True, "tmpdir": tmp, "strings_to_numbers": False}
        )
        wb.set_properties(
            {
                "author": "thuiszitters",
                "title": f"Thuiszittersregister {kop.schooljaar}, peildatum {kop.peildatum}",
                "created": moment,
            }
        )
        _register_blad(wb, rijen, kolommen)
        _samenvatting_blad(
            wb, kop, samenvatting, reeks, versie, doorzettingsmacht_bij=doorzettingsmacht_bij
        )
        wb.close()
        _vaste_tijd(pad, gemaakt_op)
        with open(pad, "rb") as bron:
            shutil.copyfileobj(bron, uit, 1 << 20)


def schrijf_tabel_xlsx(
    titel: str,
    rijen: Iterable[Any],
    uit: IO[bytes],
    *,
    gemaakt_op: datetime,
    kolommen: Sequence[Kolom],
    blad: str,
) -> None:
    """A workbook with one sheet of rows in ``kolommen`` (the SWV's monitor), as reproducible
    as the register's: the same rows and ``gemaakt_op`` give the same bytes."""
    moment = gemaakt_op.astimezone(UTC).replace(tzinfo=None) if gemaakt_op.tzinfo else gemaakt_op
    with tempfile.TemporaryDirectory(prefix="thuiszitters-xlsx-") as tmp:
        pad = os.path.join(tmp, "tabel.xlsx")
        wb = xlsxwriter.Workbook(
            pad, {"constant_memory": True, "tmpdir": tmp, "strings_to_numbers": False}
        )
        wb.set_properties({"author": "thuiszitters", "title": titel, "created": moment})
        _register_blad(wb, rijen, kolommen, blad)
        wb.close()
        _vaste_tijd(pad, gemaakt_op)
        with open(pad, "rb") as bron:
            shutil.copyfileobj(bron, uit, 1 << 20)
