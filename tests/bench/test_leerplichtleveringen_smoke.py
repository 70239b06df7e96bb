"""The leerplicht delivery benchmark still runs end to end: tiny numbers, counts only, no
timings."""

from __future__ import annotations

from bench import leerplichtleveringen


def test_leerplicht_benchmark_delivers_and_prints_its_ratio_to_copy_and_the_floors() -> None:
    lines: list[str] = []

    report = leerplichtleveringen.run(items=300, out=lines.append)

    assert report.tellingen == {"aangemaakt": 300}
    assert report.feiten == 300, "one niet-ingeschreven fact per item"
    assert report.perioden >= 300, "every new child projected"
    assert report.copy_s > 0
    assert report.delivery_s > 0
    assert report.geschreven["leerlingen"] == 300, "floor (ii) copies the rows of the real run"
    assert report.geschreven["feiten"] == 300
    assert report.geschreven["tijdlijn_perioden"] == report.perioden
    assert report.geschreven["register_rijen"] > 300, "a child is listed on several peildata"
    assert report.alles_copy_s > 0
    assert report.lezen_s > 0
    leerplichtleveringen.print_report(report, out=lines.append)
    printed = "\n".join(lines)
    assert "ratio to COPY" in printed
    assert "load average" in printed
    assert "CPU while processing" in printed
    assert "(ii)  COPY of all" in printed
    assert "ceiling of this design" in printed
    assert "(iii) body into pydantic" in printed
