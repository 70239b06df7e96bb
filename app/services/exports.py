"""Writers for the Inspectie register and its summary: JSON, CSV and XLSX (issue 6).

Every writer takes the rows as an iterable and writes to a binary file-like object, so a large
register streams with bounded memory (XLSX through openpyxl's write-only mode). The output is a
function of the input only: the XLSX document properties and zip timestamps come from the
``gemaakt_op`` argument, never from the clock, so the same report gives the same bytes.
The column layout is ``KOLOMMEN_V1``; docs/rapportage.md explains every column and choice.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.chart import BarChart, Reference  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

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
    """One register column: stable key (JSON), header text, XLSX width, format and value."""

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
        "categorie_peildatum",
        "Categorie op peildatum",
        12,
        Formaat.TEKST,
        lambda r: inspectie_code(r.categorie_peildatum),
    ),
    Kolom(
        "hoogste_categorie",
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
    Kolom("duur_dagen", "Duur (dagen)", 10, Formaat.GETAL, lambda r: r.duur_dagen),
    Kolom("duurklasse", "Duurklasse", 22, Formaat.TEKST, lambda r: r.duurklasse.value),
    Kolom(
        "ziek_gemeld_door_ouders",
        "Ziek gemeld door ouders",
        10,
        Formaat.JA_NEE,
        lambda r: r.ziek_gemeld_door_ouders,
    ),
    Kolom("aanbod", "Aanbod of thuiswerkplan", 16, Formaat.TEKST, lambda r: _enum(r.aanbod)),
    Kolom("jeugdhulp", "Betrokken jeugdhulp", 24, Formaat.TEKST, lambda r: r.jeugdhulp),
    Kolom("maand_beeindigd", "Maand beëindigd", 10, Formaat.TEKST, lambda r: r.maand_beeindigd),
    Kolom(
        "reden_beeindigd",
        "Reden beëindiging",
        22,
        Formaat.TEKST,
        lambda r: _enum(r.reden_beeindigd),
    ),
    Kolom(
        "pact_overschreden",
        "Thuiszitterspact overschreden",
        10,
        Formaat.JA_NEE,
        lambda r: r.pact_overschreden,
    ),
    Kolom("aantal_episodes", "Aantal episodes", 10, Formaat.GETAL, lambda r: r.aantal_episodes),
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
        "bekend_op": None if kop.bekend_op is None else kop.bekend_op.isoformat(),
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


def samenvatting_naar_dict(s: Samenvatting) -> dict[str, object]:
    """The summary as a JSON-safe dict; every count key present, in a fixed order."""
    return {
        "formaat": "thuiszitters-samenvatting",
        "versie": KOLOMMEN_VERSIE,
        "peildatum": s.peildatum.isoformat(),
        "schooljaar": s.schooljaar,
        "vorige_peildatum": None if s.vorige_peildatum is None else s.vorige_peildatum.isoformat(),
        "aantal": s.aantal,
        "actief": s.actief,
        "per_categorie": _telling(s.per_categorie),
        "per_categorie_schooljaar": _telling(s.per_categorie_schooljaar),
        "per_typering": _telling(s.per_typering),
        "per_leeftijdsgroep": _telling(s.per_leeftijdsgroep),
        "per_duurklasse": _telling(s.per_duurklasse),
        "mutaties": None if s.mutaties is None else _telling(s.mutaties),
        "verdwenen": s.verdwenen,
        "pact_overschreden": s.pact_overschreden,
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


def schrijf_samenvatting_csv(s: Samenvatting, uit: IO[bytes]) -> None:
    """The summary as CSV lines ``onderdeel;sleutel;aantal`` (empty count: no previous report)."""
    with _Csv(uit) as writer:
        writer.writerow(["onderdeel", "sleutel", "aantal"])
        writer.writerow(["peildatum", s.peildatum.isoformat(), None])
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


class _VasteZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed timestamp and mode: reproducible bytes."""

    def __init__(self, uit: IO[bytes], moment: datetime) -> None:
        super().__init__(uit, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        tijd = moment.astimezone(UTC) if moment.tzinfo else moment
        self.vast = (
            max(tijd.year, 1980),
            tijd.month,
            tijd.day,
            tijd.hour,
            tijd.minute,
            tijd.second,
        )

    def _info(self, naam: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(naam, self.vast)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str],
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        del compress_type, compresslevel
        naam = arcname if arcname is not None else os.fspath(filename)
        with open(filename, "rb") as bron, self.open(self._info(naam), "w") as doel:
            shutil.copyfileobj(bron, doel, 1 << 20)


def _kopcel(ws: Any, waarde: object) -> Any:
    cel = WriteOnlyCell(ws, value=waarde)
    cel.font = Font(bold=True)
    return cel


def _register_blad(
    wb: Any, rijen: Iterable[Any], kolommen: Sequence[Kolom], naam: str = "Register"
) -> None:
    ws = wb.create_sheet(naam)
    for i, k in enumerate(kolommen, start=1):
        ws.column_dimensions[get_column_letter(i)].width = k.breedte
    ws.freeze_panes = "A2"
    ws.append([_kopcel(ws, k.kop) for k in kolommen])
    datums = [i for i, k in enumerate(kolommen) if k.formaat is Formaat.DATUM]
    for rij in rijen:
        waarden: list[Any] = [_tekst(k.waarde(rij)) for k in kolommen]
        for i in datums:
            waarde = kolommen[i].waarde(rij)
            if waarde is not None:
                cel = WriteOnlyCell(ws, value=waarde)
                cel.number_format = XLSX_DATUMFORMAAT
                waarden[i] = cel
        ws.append(waarden)


def _samenvatting_blad(
    wb: Any,
    kop: RegisterKop,
    s: Samenvatting,
    reeks: Sequence[tuple[date, Mapping[str, int]]],
    versie: int,
) -> None:
    ws = wb.create_sheet("Samenvatting")
    for letter, breedte in (("A", 26), ("B", 24), ("C", 10), ("D", 10), ("E", 10)):
        ws.column_dimensions[letter].width = breedte
    datum = WriteOnlyCell(ws, value=kop.peildatum)
    datum.number_format = XLSX_DATUMFORMAAT
    ws.append([_kopcel(ws, "Thuiszittersregister: samenvatting")])
    ws.append(["Peildatum", datum])
    ws.append(["Schooljaar", kop.schooljaar])
    ws.append(["Telt vanaf", kop.vanaf.isoformat()])
    vorige = s.vorige_peildatum
    ws.append(["Vorige peildatum", None if vorige is None else vorige.isoformat()])
    ws.append(["Kolomindeling register", f"v{versie}"])
    ws.append([])
    ws.append([_kopcel(ws, "Onderdeel"), _kopcel(ws, "Sleutel"), _kopcel(ws, "Aantal")])
    regels = _samenvatting_regels(s)
    for regel in regels:
        ws.append(list(regel))
    ws.append([])
    categorieen = [c.value for c in INSPECTIE_CATEGORIEEN]
    eerste = 8 + len(regels) + 2  # the row of the chart table's header
    ws.append([_kopcel(ws, "Peildatum"), *(_kopcel(ws, c) for c in categorieen)])
    for peildatum, telling in reeks:
        ws.append([peildatum.isoformat(), *(telling.get(c, 0) for c in categorieen)])
    laatste = eerste + len(reeks)
    grafiek = BarChart()
    grafiek.type = "col"
    grafiek.grouping = "clustered"
    grafiek.title = "Thuiszitters per categorie per peildatum"
    grafiek.y_axis.title = "Aantal kinderen"
    grafiek.x_axis.title = "Peildatum"
    data = Reference(ws, min_col=2, max_col=1 + len(categorieen), min_row=eerste, max_row=laatste)
    grafiek.add_data(data, titles_from_data=True)
    grafiek.set_categories(Reference(ws, min_col=1, min_row=eerste + 1, max_row=laatste))
    grafiek.width, grafiek.height = 18, 9
    ws.add_chart(grafiek, "F2")


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
) -> None:
    """A workbook with a "Register" sheet (``kolommen``) and a "Samenvatting" sheet and chart.

    ``reeks`` gives the counts per category per peildatum for the chart (oldest first); by
    default only this summary's peildatum. Rows stream through openpyxl's write-only mode.
    """
    if reeks is None:
        reeks = [(samenvatting.peildatum, dict(samenvatting.per_categorie))]
    wb = Workbook(write_only=True)
    moment = gemaakt_op.astimezone(UTC).replace(tzinfo=None) if gemaakt_op.tzinfo else gemaakt_op
    wb.properties.creator = "thuiszitters"
    wb.properties.title = f"Thuiszittersregister {kop.schooljaar}, peildatum {kop.peildatum}"
    wb.properties.created = moment
    wb.properties.modified = moment
    _register_blad(wb, rijen, kolommen)
    _samenvatting_blad(wb, kop, samenvatting, reeks, versie)
    archief = _VasteZip(uit, gemaakt_op)
    ExcelWriter(wb, archief).save()


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
    wb = Workbook(write_only=True)
    moment = gemaakt_op.astimezone(UTC).replace(tzinfo=None) if gemaakt_op.tzinfo else gemaakt_op
    wb.properties.creator = "thuiszitters"
    wb.properties.title = titel
    wb.properties.created = moment
    wb.properties.modified = moment
    _register_blad(wb, rijen, kolommen, blad)
    archief = _VasteZip(uit, gemaakt_op)
    ExcelWriter(wb, archief).save()
