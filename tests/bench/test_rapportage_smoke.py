"""The rapportage benchmark still runs end to end: tiny numbers, counts only, no timings."""

from __future__ import annotations

from bench import rapportage


def test_rapportage_benchmark_produces_its_results() -> None:
    lines: list[str] = []

    report = rapportage.run(children=200, xlsx_rows=500, profile=True, appends=3, out=lines.append)

    assert report.seeded is not None
    assert len(report.seeded.leerling_ids) == 200
    assert report.seeded.feiten > 0
    assert report.seeded.register_rijen > 0
    r = report.register
    assert r is not None
    assert r.service.aantal > 0
    assert r.service == r.floor  # the service's register and the SQL floor count the same
    assert r.fold == r.floor  # and so does the fold path (bekendOp: everything known)
    assert r.identical, "the projection's register is the fold's, byte for byte"
    assert len(r.service_s) == len(r.floor_s) == rapportage.REPEATS
    assert r.profile is not None
    assert "projection path" in r.profile
    assert [a.soort for a in r.appends] == ["listed", "other"]
    listed = r.appends[0]
    assert len(listed.met_s) + len(listed.zonder_s) > 0
    assert listed.rijen > 0, "an append on a listed child writes its register rows"
    assert r.appends[1].rijen == 0
    for fmt in ("xlsx", "csv"):
        export = report.exports[fmt]
        assert export["rows"] == 500, fmt
        assert export["bytes"] > 0, fmt
        assert export["rss_peak_mb"] > 0, fmt
    rapportage.print_report(report, out=lines.append)
    printed = "\n".join(lines)
    assert "counts agree   : yes" in printed
    assert "identical (JSON bytes, summary): yes" in printed
    assert "XLSX / CSV" in printed
