"""Tests for the school holiday calendar (docs/domain.md regel 14)."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from importlib import resources
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.regio import Regio, Vakantiekalender
from app.domain.schoolvakanties import (
    KalenderOntbreektError,
    Schooljaar,
    SchoolvakantieFormaatError,
    SchoolvakantieFoutenError,
    Schoolvakanties,
    Vakantieperiode,
    VrijePeriode,
    laad_meegeleverde_kalender,
    lees_schoolvakanties,
    schooljaar_van,
)

NOORD, MIDDEN, ZUID = Regio.NOORD, Regio.MIDDEN, Regio.ZUID


@pytest.fixture(scope="module")
def kalender() -> Schoolvakanties:
    return laad_meegeleverde_kalender()


def _document(schoolyear: str = "2030-2031", **vakantie: Any) -> dict[str, Any]:
    """A small document in the Rijksoverheid shape, with the quirks of the real data."""
    herfst: dict[str, Any] = {
        "type": "Herfstvakantie ",
        "compulsorydates": "false",
        "regions": [
            {
                "region": "noord",
                "startdate": "2030-10-19T00:00:00.000Z",
                "enddate": "2030-10-27T22:59:00.000Z",
            },
            {
                "region": "midden",
                "startdate": "2030-10-12T00:00:00.000Z",
                "enddate": "2030-10-20T21:59:00.000Z",
            },
            {
                "region": "zuid",
                "startdate": "2030-10-12T00:00:00.000Z",
                "enddate": "2030-10-20T21:59:00.000Z",
            },
        ],
    }
    herfst.update(vakantie)
    return {
        "content": [
            {
                "schoolyear": schoolyear,
                "vacations": [
                    herfst,
                    {
                        "type": "Kerstvakantie",
                        "compulsorydates": True,
                        "regions": [
                            {
                                "region": "heel Nederland",
                                "startdate": "2030-12-21T00:00:00.000Z",
                                "enddate": "2031-01-05T22:59:00.000Z",
                            }
                        ],
                    },
                    {
                        "type": "Zomervakantie",
                        "compulsorydates": "true",
                        "regions": [
                            {
                                "region": "noord",
                                "startdate": "2031-07-12T00:00:00.000Z",
                                "enddate": "2031-08-24T21:59:00.000Z",
                            },
                            {
                                "region": "midden",
                                "startdate": "2031-07-19T00:00:00.000Z",
                                "enddate": "2031-08-31T21:59:00.000Z",
                            },
                            {
                                "region": "zuid",
                                "startdate": "2031-07-05T00:00:00.000Z",
                                "enddate": "2031-08-17T21:59:00.000Z",
                            },
                        ],
                    },
                ],
            }
        ]
    }


# --- the shipped files ---------------------------------------------------------------------------


def test_shipped_calendar_covers_the_shipped_school_years(kalender: Schoolvakanties) -> None:
    assert kalender.schooljaren == (
        "2023-2024",
        "2024-2025",
        "2025-2026",
        "2026-2027",
        "2027-2028",
    )


def test_shipped_calendar_satisfies_the_protocol(kalender: Schoolvakanties) -> None:
    protocol: Vakantiekalender = kalender
    assert protocol.is_vakantiedag(date(2025, 7, 5), ZUID)


@pytest.mark.parametrize(
    ("regio", "eerste", "laatste"),
    [
        (NOORD, date(2024, 7, 20), date(2024, 9, 1)),
        (MIDDEN, date(2024, 7, 13), date(2024, 8, 25)),
        (ZUID, date(2024, 7, 6), date(2024, 8, 18)),
        (NOORD, date(2025, 7, 12), date(2025, 8, 24)),
        (MIDDEN, date(2025, 7, 19), date(2025, 8, 31)),
        (ZUID, date(2025, 7, 5), date(2025, 8, 17)),
        (NOORD, date(2026, 7, 4), date(2026, 8, 16)),
        (MIDDEN, date(2026, 7, 18), date(2026, 8, 30)),
        (ZUID, date(2026, 7, 11), date(2026, 8, 23)),
        (NOORD, date(2027, 7, 10), date(2027, 8, 22)),
        (MIDDEN, date(2027, 7, 17), date(2027, 8, 29)),
        (ZUID, date(2027, 7, 24), date(2027, 9, 5)),
        (NOORD, date(2028, 7, 15), date(2028, 8, 27)),
        (MIDDEN, date(2028, 7, 8), date(2028, 8, 20)),
        (ZUID, date(2028, 7, 22), date(2028, 9, 3)),
    ],
)
def test_zomervakantie_per_region(
    kalender: Schoolvakanties, regio: Regio, eerste: date, laatste: date
) -> None:
    assert not kalender.is_vakantiedag(eerste - timedelta(days=1), regio)
    assert kalender.is_vakantiedag(eerste, regio)
    assert kalender.is_vakantiedag(laatste, regio)
    dag_erna = laatste + timedelta(days=1)
    # The day after the last shipped summer is beyond the data, not a school day.
    assert not kalender.dekt(dag_erna) or not kalender.is_vakantiedag(dag_erna, regio)
    periode = kalender.vakantie_op(eerste, regio)
    assert periode is not None
    assert (periode.soort, periode.eerste_dag, periode.laatste_dag) == (
        "Zomervakantie",
        eerste,
        laatste,
    )
    assert periode.verplicht


def test_herfstvakantie_2024_is_regional_and_advised(kalender: Schoolvakanties) -> None:
    # 2024-10-19T00:00:00.000Z is Saturday 19 October: the first day in zuid only.
    assert kalender.is_vakantiedag(date(2024, 10, 19), ZUID)
    assert not kalender.is_vakantiedag(date(2024, 10, 19), NOORD)
    assert not kalender.is_vakantiedag(date(2024, 10, 19), MIDDEN)
    # 2024-10-27T22:59:00.000Z (the night summer time ended) is still Sunday 27 October.
    assert kalender.is_vakantiedag(date(2024, 10, 27), ZUID)
    assert not kalender.is_vakantiedag(date(2024, 10, 28), ZUID)
    assert kalender.is_vakantiedag(date(2024, 11, 3), MIDDEN)
    periode = kalender.vakantie_op(date(2024, 10, 21), ZUID)
    assert periode is not None
    assert not periode.verplicht


def test_kerstvakantie_heel_nederland_applies_to_every_region(kalender: Schoolvakanties) -> None:
    for regio in Regio:
        assert kalender.is_vakantiedag(date(2025, 12, 20), regio)
        assert kalender.is_vakantiedag(date(2026, 1, 4), regio)
        assert not kalender.is_vakantiedag(date(2026, 1, 5), regio)
        assert not kalender.is_vakantiedag(date(2025, 12, 19), regio)


def test_every_shipped_period_runs_saturday_to_sunday(kalender: Schoolvakanties) -> None:
    for regio in Regio:
        perioden = kalender.perioden(regio)
        assert len(perioden) == 25
        for periode in perioden:
            assert periode.eerste_dag.weekday() == 5
            assert periode.laatste_dag.weekday() == 6


def test_shipped_files_keep_the_rijksoverheid_shape() -> None:
    for naam in ("2023-2024", "2024-2025", "2025-2026", "2026-2027", "2027-2028"):
        tekst = resources.files("app.domain.data").joinpath(f"schoolvakanties-{naam}.json")
        document = json.loads(tekst.read_text("utf-8"))
        assert document["content"][0]["schoolyear"] == naam
        soorten = [v["type"] for v in document["content"][0]["vacations"]]
        assert soorten == [
            "Herfstvakantie",
            "Kerstvakantie",
            "Voorjaarsvakantie",
            "Meivakantie",
            "Zomervakantie",
        ]


# --- dekt: no data is not the same as no holiday -------------------------------------------------


def test_dekt_spans_consecutive_years_without_gaps(kalender: Schoolvakanties) -> None:
    assert kalender.dekt(date(2024, 9, 1))  # last summer day of noord in 2023-2024
    assert kalender.dekt(date(2024, 9, 2))  # first day after it belongs to 2024-2025
    assert kalender.dekt(date(2026, 8, 31))  # 2026-2027 follows 2025-2026 without a gap
    assert kalender.dekt(date(2028, 9, 3))  # last summer day of zuid in 2027-2028
    assert not kalender.dekt(date(2028, 9, 4))
    # The first loaded year starts at its first holiday: the previous summer is unknown.
    assert kalender.dekt(date(2023, 10, 14))
    assert not kalender.dekt(date(2023, 10, 13))


def test_no_data_raises_instead_of_answering_no_holiday(kalender: Schoolvakanties) -> None:
    with pytest.raises(KalenderOntbreektError, match="geen schoolvakantiegegevens") as fout:
        kalender.is_vakantiedag(date(2028, 10, 20), NOORD)
    assert fout.value.schooljaar == "2028-2029"
    assert fout.value.datum == date(2028, 10, 20)
    assert fout.value.bekend[-1] == "2027-2028"
    assert "schooljaar 2028-2029" in str(fout.value)
    with pytest.raises(KalenderOntbreektError):
        kalender.lesdagen_tussen(date(2028, 8, 1), date(2028, 9, 30), NOORD)


def test_empty_calendar_covers_nothing() -> None:
    leeg = Schoolvakanties([])
    assert leeg.schooljaren == ()
    assert not leeg.dekt(date(2025, 1, 1))
    with pytest.raises(KalenderOntbreektError, match=r"geen$"):
        leeg.is_vakantiedag(date(2025, 1, 1), NOORD)


def test_non_consecutive_years_do_not_cover_the_gap() -> None:
    later = _document("2032-2033")
    for vakantie in later["content"][0]["vacations"]:
        for regio in vakantie["regions"]:
            for veld in ("startdate", "enddate"):
                regio[veld] = regio[veld].replace("2031-", "2033-").replace("2030-", "2032-")
    kalender = Schoolvakanties(lees_schoolvakanties([_document(), later]))
    assert kalender.schooljaren == ("2030-2031", "2032-2033")
    assert not kalender.dekt(date(2032, 9, 15))
    assert kalender.dekt(date(2032, 10, 12))


# --- lesdagen and lesweken -----------------------------------------------------------------------


def test_lesweken_skip_a_week_that_is_entirely_holiday(kalender: Schoolvakanties) -> None:
    # Noord has herfstvakantie 18-26 October 2025; zuid had it 11-19 October.
    start, eind = date(2025, 10, 13), date(2025, 11, 9)
    assert kalender.lesweken_tussen(start, eind, NOORD) == 3
    assert kalender.lesdagen_tussen(start, eind, NOORD) == 15
    assert kalender.lesweken_tussen(date(2025, 10, 20), date(2025, 11, 2), NOORD) == 1
    assert kalender.lesweken_tussen(date(2025, 10, 20), date(2025, 11, 2), ZUID) == 2
    assert kalender.lesdagen_tussen(date(2025, 10, 20), date(2025, 11, 2), ZUID) == 10


def test_a_partly_holiday_week_still_counts() -> None:
    kalender = Schoolvakanties.uit_json(json.dumps(_document()))
    # Kerstvakantie ends Sunday 5 January 2031; the week of Monday 30 December 2030 has
    # no lesdag, the week of 16 December has five.
    assert kalender.lesweken_tussen(date(2030, 12, 16), date(2031, 1, 5), NOORD) == 1
    # A range starting on a Friday before a holiday counts that week for its one lesdag.
    assert kalender.lesweken_tussen(date(2030, 12, 20), date(2031, 1, 6), NOORD) == 2
    assert kalender.lesdagen_tussen(date(2030, 12, 20), date(2031, 1, 6), NOORD) == 2


def test_weekends_are_never_lesdagen(kalender: Schoolvakanties) -> None:
    assert not kalender.is_lesdag(date(2025, 9, 6), NOORD)
    assert kalender.is_lesdag(date(2025, 9, 8), NOORD)
    assert kalender.lesdagen_tussen(date(2025, 9, 6), date(2025, 9, 7), NOORD) == 0
    assert kalender.lesweken_tussen(date(2025, 9, 6), date(2025, 9, 7), NOORD) == 0


def test_reversed_range_is_rejected(kalender: Schoolvakanties) -> None:
    with pytest.raises(ValueError, match="before start"):
        kalender.lesdagen_tussen(date(2025, 9, 10), date(2025, 9, 9), NOORD)


# --- parsing quirks of the real data -------------------------------------------------------------


def test_trailing_spaces_and_string_booleans_are_accepted() -> None:
    document = _document(schoolyear=" 2030 - 2031 ")
    document["content"][0]["vacations"][0]["regions"][0]["region"] = " Noord "
    (jaar,) = lees_schoolvakanties(document)
    assert jaar.naam == "2030-2031"
    herfst = [p for p in jaar.perioden if p.soort == "Herfstvakantie"]
    assert {p.regio for p in herfst} == set(Regio)
    assert not any(p.verplicht for p in herfst)
    kerst = [p for p in jaar.perioden if p.soort == "Kerstvakantie"]
    assert {p.regio for p in kerst} == set(Regio)
    assert all(p.verplicht for p in kerst)


@pytest.mark.parametrize(
    ("startdate", "enddate"),
    [
        # As the API writes them: midnight UTC start, 23:59 local end.
        ("2030-10-12T00:00:00.000Z", "2030-10-20T21:59:00.000Z"),
        # Local midnight written in UTC (the evening before in UTC).
        ("2030-10-11T22:00:00.000Z", "2030-10-20T00:00:00Z"),
        # Explicit offsets and plain dates.
        ("2030-10-12T00:00:00+02:00", "2030-10-20"),
        ("2030-10-12", "2030-10-20T23:59:59"),
    ],
)
def test_timestamps_become_dutch_local_dates(startdate: str, enddate: str) -> None:
    document = _document()
    document["content"][0]["vacations"][0]["regions"][1].update(
        startdate=startdate, enddate=enddate
    )
    kalender = Schoolvakanties(lees_schoolvakanties(document))
    periode = kalender.vakantie_op(date(2030, 10, 15), MIDDEN)
    assert periode is not None
    assert (periode.eerste_dag, periode.laatste_dag) == (date(2030, 10, 12), date(2030, 10, 20))


def test_winter_and_summer_time_offsets() -> None:
    # 22:30 UTC is 23:30 local in winter but already the next day (00:30) in summer.
    document = _document()
    kerst = document["content"][0]["vacations"][1]["regions"][0]
    kerst["enddate"] = "2031-01-05T22:30:00.000Z"
    zomer = document["content"][0]["vacations"][2]["regions"][0]
    zomer["enddate"] = "2031-08-23T22:30:00.000Z"
    (jaar,) = lees_schoolvakanties(document)
    einden = {p.soort: p.laatste_dag for p in jaar.perioden if p.regio is NOORD}
    assert einden["Kerstvakantie"] == date(2031, 1, 5)
    assert einden["Zomervakantie"] == date(2031, 8, 24)


def test_a_list_of_documents_is_accepted() -> None:
    kalender = Schoolvakanties(lees_schoolvakanties([_document()]))
    assert kalender.schooljaren == ("2030-2031",)


def test_vakantieperiode_and_schooljaar_helpers() -> None:
    periode = Vakantieperiode(
        "2030-2031", "Test", NOORD, date(2030, 10, 1), date(2030, 10, 2), True
    )
    assert periode.bevat(date(2030, 10, 2))
    assert not periode.bevat(date(2030, 10, 3))
    jaar = Schooljaar("2030-2031", 2030, (periode,))
    assert (jaar.eerste_vakantiedag, jaar.laatste_vakantiedag) == (
        date(2030, 10, 1),
        date(2030, 10, 2),
    )


# --- malformed input -----------------------------------------------------------------------------


def _met(pad: tuple[Any, ...], waarde: Any) -> dict[str, Any]:
    document = copy.deepcopy(_document())
    doel: Any = document
    for stap in pad[:-1]:
        doel = doel[stap]
    if waarde is _WEG:
        del doel[pad[-1]]
    else:
        doel[pad[-1]] = waarde
    return document


_WEG = object()
_VAK = ("content", 0, "vacations", 0)
_REG = (*_VAK, "regions", 0)


@pytest.mark.parametrize(
    ("document", "melding"),
    [
        ([], "de lijst met documenten is leeg"),
        ("tekst", "verwacht een JSON-object"),
        ({}, "'content' moet een niet-lege lijst zijn"),
        ({"content": []}, "'content' moet een niet-lege lijst zijn"),
        ({"content": ["x"]}, r"content\[0\]: verwacht een JSON-object"),
        (_met(("content", 0, "schoolyear"), _WEG), "'schoolyear' moet een niet-lege tekst zijn"),
        (_met(("content", 0, "schoolyear"), "  "), "'schoolyear' moet een niet-lege tekst zijn"),
        (_met(("content", 0, "schoolyear"), "2030"), "moet de vorm 2024-2025 hebben"),
        (_met(("content", 0, "schoolyear"), "20a0-2031"), "moet de vorm 2024-2025 hebben"),
        (_met(("content", 0, "schoolyear"), "2030-2032"), "twee opeenvolgende jaren"),
        (_met(("content", 0, "vacations"), {}), "'vacations' moet een niet-lege lijst zijn"),
        (_met((*_VAK, "type"), 3), "'type' moet een niet-lege tekst zijn"),
        (_met((*_VAK, "compulsorydates"), "ja"), "'compulsorydates' moet true of false zijn"),
        (_met((*_VAK, "compulsorydates"), _WEG), "'compulsorydates' moet true of false zijn"),
        (_met((*_VAK, "regions"), []), "'regions' moet een niet-lege lijst zijn"),
        (_met((*_VAK, "regions", 0), None), r"regions\[0\]: verwacht een JSON-object"),
        (_met((*_REG, "region"), "oost"), "noord, midden, zuid of heel Nederland"),
        (_met((*_REG, "startdate"), _WEG), "'startdate' moet een niet-lege ISO-tijdstempel zijn"),
        (_met((*_REG, "enddate"), 20301027), "'enddate' moet een niet-lege ISO-tijdstempel zijn"),
        (_met((*_REG, "startdate"), "19-10-2030"), "'startdate' is geen geldige ISO-tijdstempel"),
        (_met((*_REG, "enddate"), "2030-10-01T00:00:00Z"), "'enddate' ligt voor 'startdate'"),
        (_met((*_REG, "startdate"), "2030-07-01T00:00:00Z"), "buiten schooljaar 2030-2031"),
        (_met((*_REG, "enddate"), "2031-10-01T00:00:00Z"), "buiten schooljaar 2030-2031"),
    ],
)
def test_malformed_input_raises_a_clear_error(document: object, melding: str) -> None:
    with pytest.raises(SchoolvakantieFormaatError, match=melding):
        lees_schoolvakanties(document)


def test_invalid_json_text_is_a_format_error() -> None:
    with pytest.raises(SchoolvakantieFormaatError, match="geen geldige JSON"):
        Schoolvakanties.uit_json("{niet json")
    with pytest.raises(SchoolvakantieFormaatError, match="geen geldige JSON"):
        Schoolvakanties.uit_json(b"\xff\xfe\x00")


def test_a_school_year_given_twice_is_rejected() -> None:
    with pytest.raises(SchoolvakantieFormaatError, match="meer dan eens"):
        Schoolvakanties(lees_schoolvakanties([_document(), _document()]))


def test_a_broken_shipped_file_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    kapot = {"schoolvakanties-2099-2100.json": "{kapot", "README": "genegeerd"}

    class Bestand:
        def __init__(self, naam: str) -> None:
            self.name = naam

        def read_text(self, encoding: str) -> str:
            return kapot[self.name]

    class Map:
        def iterdir(self) -> list[Bestand]:
            return [Bestand(naam) for naam in kapot]

    nep_resources = SimpleNamespace(files=lambda _pakket: Map())
    monkeypatch.setattr("app.domain.schoolvakanties.resources", nep_resources)
    with pytest.raises(SchoolvakantieFormaatError, match=r"schoolvakanties-2099-2100\.json"):
        laad_meegeleverde_kalender()


# --- the school years 2026-2027 and 2027-2028 (rule 14: the Rijksoverheid's dates) -----------


@pytest.mark.parametrize(
    ("regio", "dag", "soort"),
    [
        (NOORD, date(2026, 10, 12), "Herfstvakantie"),
        (MIDDEN, date(2026, 10, 19), "Herfstvakantie"),
        (ZUID, date(2026, 10, 19), "Herfstvakantie"),
        (MIDDEN, date(2026, 12, 21), "Kerstvakantie"),
        (NOORD, date(2027, 2, 22), "Voorjaarsvakantie"),
        (ZUID, date(2027, 2, 15), "Voorjaarsvakantie"),
        (ZUID, date(2027, 4, 26), "Meivakantie"),
        (NOORD, date(2027, 10, 18), "Herfstvakantie"),
        (ZUID, date(2027, 10, 25), "Herfstvakantie"),
        (NOORD, date(2028, 1, 3), "Kerstvakantie"),
        (NOORD, date(2028, 2, 21), "Voorjaarsvakantie"),
        (MIDDEN, date(2028, 2, 28), "Voorjaarsvakantie"),
        (MIDDEN, date(2028, 5, 1), "Meivakantie"),
    ],
)
def test_regel_14_shipped_holidays_of_2026_2027_and_2027_2028(
    kalender: Schoolvakanties, regio: Regio, dag: date, soort: str
) -> None:
    periode = kalender.vakantie_op(dag, regio)
    assert periode is not None
    assert periode.soort == soort


def test_regel_14_regional_herfst_2026_differs_per_region(kalender: Schoolvakanties) -> None:
    assert kalender.is_vakantiedag(date(2026, 10, 12), NOORD)
    assert not kalender.is_vakantiedag(date(2026, 10, 12), MIDDEN)
    assert not kalender.is_vakantiedag(date(2026, 10, 19), NOORD)
    assert kalender.is_lesdag(date(2027, 3, 1), NOORD)


def test_schooljaar_van_starts_on_1_august() -> None:
    assert schooljaar_van(date(2027, 3, 1)) == "2026-2027"
    assert schooljaar_van(date(2027, 7, 31)) == "2026-2027"
    assert schooljaar_van(date(2027, 8, 1)) == "2027-2028"


# --- loaded years replace shipped ones; a vestiging's own days off ----------------------------


def test_regel_14_a_loaded_year_replaces_the_shipped_year_of_the_same_name(
    kalender: Schoolvakanties,
) -> None:
    eigen = _document("2026-2027")
    for vakantie in eigen["content"][0]["vacations"]:
        for regio in vakantie["regions"]:
            for veld in ("startdate", "enddate"):
                regio[veld] = regio[veld].replace("2031-", "2027-").replace("2030-", "2026-")
    nieuw = kalender.met_schooljaren(lees_schoolvakanties(eigen))
    assert nieuw.schooljaren == kalender.schooljaren
    # the loaded file has no voorjaarsvakantie: 22 February 2027 is a lesdag for noord now
    assert kalender.is_vakantiedag(date(2027, 2, 22), NOORD)
    assert not nieuw.is_vakantiedag(date(2027, 2, 22), NOORD)
    assert nieuw.is_vakantiedag(date(2025, 12, 22), NOORD)  # other years stay


def test_regel_14_a_vestiging_s_days_off_count_as_holiday(kalender: Schoolvakanties) -> None:
    vrij = VrijePeriode(date(2027, 3, 1), date(2027, 3, 5))
    eigen = kalender.met_afwijkingen([vrij])
    assert eigen.schooljaren == kalender.schooljaren
    assert eigen.is_vakantiedag(date(2027, 3, 3), NOORD)
    assert not kalender.is_vakantiedag(date(2027, 3, 3), NOORD)
    assert not eigen.is_vakantiedag(date(2027, 3, 8), NOORD)
    assert eigen.is_vakantiedag(date(2027, 2, 22), NOORD)  # the region's holiday stays
    assert eigen.dekt(date(2027, 3, 3))
    assert not eigen.dekt(date(2028, 10, 1))
    with pytest.raises(KalenderOntbreektError):
        eigen.is_vakantiedag(date(2028, 10, 1), NOORD)


def test_every_format_error_of_a_file_is_listed_at_once() -> None:
    document = _met((*_REG, "region"), "oost")
    document["content"][0]["vacations"][1]["compulsorydates"] = "ja"
    document["content"][0]["vacations"][2]["regions"][1]["enddate"] = "2030-08-01T00:00:00Z"
    with pytest.raises(SchoolvakantieFoutenError) as fout:
        lees_schoolvakanties([document, "tekst"])
    plaatsen = [plaats for plaats, _ in fout.value.fouten]
    assert plaatsen == [
        "document[0].content[0].vacations[0].regions[0]",
        "document[0].content[0].vacations[1]",
        "document[0].content[0].vacations[2].regions[1]",
        "document[1]",
    ]
