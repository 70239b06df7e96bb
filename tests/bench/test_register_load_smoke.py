"""The register load benchmark still runs end to end: tiny numbers, counts only, no timings."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from bench import register_floor, register_inproc, register_load


def test_register_benchmark_produces_its_rows() -> None:
    lines: list[str] = []

    report = register_load.run(
        children=50, seconds=0.4, concurrency=4, rounds=1, client="raw", out=lines.append
    )

    assert len(report.seeded.leerling_ids) == 50
    assert report.seeded.feiten > 0
    assert report.seeded.perioden > 0
    assert [s.name for s in report.scenarios] == ["status", "melding", "lijst", "lijst-alleen"]
    for scenario in report.scenarios:
        assert "app" in scenario.measured
        assert "floor" in scenario.measured
        for naam, measured in scenario.measured.items():
            assert measured.result.ok > 0, (scenario.name, naam)
            assert measured.result.errors == 0, (scenario.name, naam, measured.result.statuses)
    register_load.print_report(report, out=lines.append)
    printed = "\n".join(lines)
    assert "status        app ÷ floor" in printed
    assert "lijst         app ÷ floor    : req/s" in printed
    assert "list first page" in printed
    assert "load average (1/5/15 min): start" in printed


def test_register_benchmark_runs_only_the_chosen_scenario() -> None:
    """`--scenario lijst`: the list under load alone, judged against its targets."""
    lines: list[str] = []

    report = register_load.run(
        children=30,
        seconds=0.2,
        concurrency=2,
        rounds=1,
        client="raw",
        only=("lijst",),
        out=lines.append,
    )

    assert [s.name for s in report.scenarios] == ["lijst"]
    assert report.scenarios[0].measured["app"].result.errors == 0
    assert report.scenarios[0].measured["floor"].result.errors == 0
    register_load.print_report(report, out=lines.append)
    assert "target req/s >= 50%" in "\n".join(lines)


def test_in_process_benchmark_runs_both_applications_without_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every request of both applications answered 2xx (it raises otherwise); both lines print."""
    assert register_inproc.main(["--children", "30", "--requests", "10"]) == 0
    printed = capsys.readouterr().out
    assert "status   app" in printed
    assert "melding  app" in printed
    assert "lijst    app" in printed


async def test_the_floor_sends_the_lists_sql_word_for_word() -> None:
    """The floor's list is the repository's: the count and the page that start from the
    periods (decision 0047), word for word."""
    sql = await register_floor.lijst_sql(str(uuid.uuid4()), date(2026, 12, 7))

    assert sql == [register_floor.LIJST_TOTAAL, register_floor.LIJST_PAGINA]
