"""The calendar's service and CLI (docs/domain.md regel 14): loading per school year, versions
as known on a moment, and the two commands."""

from __future__ import annotations

import argparse
import json
import uuid
from datetime import date
from pathlib import Path

import pytest

from app.cli import _schoolvakanties, build_parser, main
from app.db.leerlingen import LeerlingRow, LeerlingVestigingRow
from app.db.session import UnitOfWork
from app.domain.beleid import Beleid, Weektelling
from app.domain.regio import Regio
from app.domain.schoolvakanties import KalenderMetAfwijkingen, Schoolvakanties
from app.domain.toegang import Rol
from app.services import schoolvakanties
from app.services.errors import InvalidInput
from tests.builders import Swv

FIXTURES = Path(__file__).parent.parent / "fixtures"
LESWEKEN = Beleid(weektelling=Weektelling.LESWEKEN)


def test_not_json_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as fout:
        schoolvakanties.lees_json(b"{kapot")
    assert [e.name for e in fout.value.errors] == ["bestand"]


def test_a_list_of_documents_splits_per_school_year() -> None:
    een = json.loads((FIXTURES / "schoolvakanties-2026-2027-synthetisch.json").read_text("utf-8"))
    twee = json.loads((FIXTURES / "schoolvakanties-2028-2029-synthetisch.json").read_text("utf-8"))
    jaren = schoolvakanties.lees_opendata([een, twee])
    assert [naam for naam, _ in jaren] == ["2026-2027", "2028-2029"]
    # the school year is stored normalised (the real files carry spaces)
    assert jaren[0][1]["schoolyear"] == "2026-2027"


def test_the_same_school_year_twice_in_one_file_is_invalid_input() -> None:
    een = json.loads((FIXTURES / "schoolvakanties-2026-2027-synthetisch.json").read_text("utf-8"))
    with pytest.raises(InvalidInput) as fout:
        schoolvakanties.lees_opendata([een, een])
    assert [e.name for e in fout.value.errors] == ["bestand"]


async def test_kalenderdagen_need_no_calendar(uow: UnitOfWork, swv_a: Swv) -> None:
    async with uow.voor(swv_a.actor(Rol.BEHEERDER)):
        assert await schoolvakanties.kalender_voor(uow, swv_a.id, Beleid()) is None


async def test_regel_14_cli_loads_a_file_and_sets_a_vestiging_s_days_off(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    inhoud = (FIXTURES / "schoolvakanties-2026-2027-synthetisch.json").read_bytes()
    await _schoolvakanties(
        uow,
        argparse.Namespace(command="load-schoolvakanties", swv="AA", inhoud=inhoud),
    )
    await _schoolvakanties(
        uow,
        argparse.Namespace(
            command="set-schoolvakantie-afwijkingen",
            swv="AA",
            vestiging="90AA00",
            periode=["2027-03-01:2027-03-05", "2027-06-11"],
        ),
    )
    async with uow.voor(swv_a.actor(Rol.BEHEERDER)):
        algemeen = await schoolvakanties.kalender_voor(uow, swv_a.id, LESWEKEN)
        assert isinstance(algemeen, Schoolvakanties)
        assert algemeen.is_vakantiedag(date(2026, 11, 16), Regio.MIDDEN)  # the loaded herfst
        versies = await uow.schoolvakanties.versies(swv_a.id)
    assert [v.soort for v in versies] == ["afwijkingen", "opendata"]
    assert versies[1].geregistreerd_door == "cli:load-schoolvakanties"
    assert versies[0].inhoud["perioden"] == [
        {"eersteDag": "2027-03-01", "laatsteDag": "2027-03-05"},
        {"eersteDag": "2027-06-11", "laatsteDag": "2027-06-11"},
    ]


async def test_regel_14_a_child_gets_the_days_off_of_its_vestiging(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    beheerder = swv_a.actor(Rol.BEHEERDER)
    await schoolvakanties.zet_afwijkingen(
        uow, beheerder, swv_a.scholen[1], [(date(2027, 3, 1), date(2027, 3, 5))]
    )
    async with uow.alle_swvs():
        leerling = LeerlingRow(
            id=uuid.uuid4(),
            swv_id=swv_a.id,
            pseudoniem="900001",
            geboortejaar=2014,
            geboortemaand=3,
            regio="midden",
        )
        uow.session.add(leerling)
        await uow.flush()
        uow.session.add(LeerlingVestigingRow(leerling_id=leerling.id, school_id=swv_a.scholen[1]))
        await uow.flush()
        eigen = await schoolvakanties.kalender_voor(
            uow, swv_a.id, LESWEKEN, leerling_id=leerling.id
        )
        await uow.commit()
    assert isinstance(eigen, KalenderMetAfwijkingen)
    assert eigen.is_vakantiedag(date(2027, 3, 3), Regio.MIDDEN)


def test_cli_names_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="niet te lezen"):
        main(["load-schoolvakanties", str(tmp_path / "ontbreekt.json"), "--swv", "AA"])
    args = build_parser().parse_args(
        ["set-schoolvakantie-afwijkingen", "--swv", "AA", "--vestiging", "90AA00"]
    )
    assert args.periode == []


async def test_cli_refuses_a_malformed_period(uow: UnitOfWork, swv_a: Swv) -> None:
    with pytest.raises(InvalidInput):
        await _schoolvakanties(
            uow,
            argparse.Namespace(
                command="set-schoolvakantie-afwijkingen",
                swv="AA",
                vestiging="90AA00",
                periode=["1 maart"],
            ),
        )
    with pytest.raises(SystemExit, match="onbekende vestiging"):
        await _schoolvakanties(
            uow,
            argparse.Namespace(
                command="set-schoolvakantie-afwijkingen", swv="AA", vestiging="99ZZ99", periode=[]
            ),
        )
