"""The rapportage benchmark still runs end to end: tiny numbers, counts only, no timings."""

from __future__ import annotations

from bench import rapportage


def test_rapportage_benchmark_produces_its_results() -> None:
    lines: list[str] = []

    report = rapportage.run(children=200, xlsx_rows=500, profile=True, out=lines.append)

    assert report.seeded is not None
    assert len(report.seeded.leerling_ids) == 200
    assert report.seeded.feiten > 0
    r = report.register
    assert r is not None
    assert r.read_children == 200
    assert r.service.aantal > 0
    assert r.service == r.floor  # the service's register and the SQL floor count the same
    assert len(r.floor_s) == rapportage.FLOOR_REPEATS
    assert r.profile is not None
    assert "worker thread" in r.profile
    for fmt in ("xlsx", "csv"):
        export = report.exports[fmt]
        assert export["rows"] == 500, fmt
        assert export["bytes"] > 0, fmt
        assert export["rss_peak_mb"] > 0, fmt
    rapportage.print_report(report, out=lines.append)
    printed = "\n".join(lines)
    assert "counts agree   : yes" in printed
    assert "XLSX / CSV" in printed
