"""Renumbering pseudonyms from a mapping file (regel 18), through the CLI's path."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.cli import _hernummer, main
from app.db.leerlingen import LeerlingRow
from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services.errors import InvalidInput
from app.services.monitor import lees_omzetting
from tests.builders import Swv


def test_a_mapping_file_is_read_with_header_and_either_separator() -> None:
    """Regel 18: the old numbers are converted once, from the school's list."""
    tekst = "\ufeffoud;nieuw\n231801;261801\n\n231802,261802\n"
    assert lees_omzetting(tekst) == [("231801", "261801"), ("231802", "261802")]


@pytest.mark.parametrize("tekst", ["231801\n", "231801;26@1\n", "oud;nieuw\n", ""])
def test_a_malformed_mapping_file_is_refused_by_line(tekst: str) -> None:
    with pytest.raises(InvalidInput) as fout:
        lees_omzetting(tekst)
    assert all("@" not in e.reason for e in fout.value.errors)


async def test_cli_renumbers_from_a_file_and_keeps_the_old_codes(
    uow: UnitOfWork, swv_a: Swv, capsys: pytest.CaptureFixture[str]
) -> None:
    async with uow.alle_swvs():
        for code in ("231801", "231802"):
            uow.session.add(
                LeerlingRow(
                    swv_id=swv_a.id,
                    pseudoniem=code,
                    geboortejaar=2013,
                    geboortemaand=5,
                    regio="midden",
                )
            )
        await uow.flush()
        await uow.commit()
    await _hernummer(uow, argparse.Namespace(swv="AA", inhoud="231801;261801\n231802;261802\n"))
    assert capsys.readouterr().out.splitlines() == ["231801 -> 261801", "231802 -> 261802"]
    async with uow.voor(swv_a.actor(Rol.REGISSEUR)):
        assert await uow.monitor.aliassen(swv_a.id) == {"231801": "261801", "231802": "261802"}
        await uow.commit()


def test_cli_names_an_unreadable_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="niet te lezen"):
        main(["renumber-pseudonyms", str(tmp_path / "ontbreekt.csv"), "--swv", "AA"])
