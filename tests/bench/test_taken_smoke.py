"""The worklist and events benchmark still runs end to end: tiny numbers, no timings."""

from __future__ import annotations

from bench import taken


def test_taken_benchmark_runs_and_prints() -> None:
    lines: list[str] = []
    report = taken.run(children=60, tasks=400, events=20, out=lines.append)
    assert report.page_items == 20
    assert report.zelfde_sql, "the floor must run the service's SQL word for word"
    assert report.tasks == 400
    assert len(report.service_ms) == len(report.floor_ms) == taken.REPEATS
    assert report.delivered == report.received == 20
    taken.print_report(report, out=lines.append)
    printed = "\n".join(lines)
    assert "worklist page 1" in printed
    assert "ratio" in printed
    assert "load" in printed
