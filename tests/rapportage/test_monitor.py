"""The SWV's own monitor (regel 18): fields, as known on, valid reasons, never the Inspectie's."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from app.domain.beleid import Beleid
from app.domain.feiten import (
    AanbodGestart,
    AanbodSoort,
    GemeldBijLoket,
    Jeugdhulp,
    Klas,
    Niveau,
    RedenGeoorloofd,
    RedenGeoorloofdGemeld,
    SoortThuiszitter,
    SoortThuiszitterGemeld,
    VerzuimGestart,
    Woonplaats,
    Ziekmelding,
)
from app.domain.monitor import GEOORLOOFD, MonitorRij, monitor_rijen
from app.domain.rapportage import register_kop
from app.services.exports import (
    KOLOMMEN_V1,
    rij_naar_dict,
    schrijf_register_csv,
    schrijf_register_json,
    schrijf_tabel_xlsx,
)
from app.services.monitor import FORMAAT, MONITOR_KOLOMMEN
from tests.domain.bouwers import d, feit, moment
from tests.rapportage.bouwers import enige_rij, ingeschreven, kind


def _kind() -> object:
    return kind(
        "261801",
        [
            ingeschreven("2026-08-24"),
            feit(VerzuimGestart, "2026-09-07"),
            feit(Klas, "2026-09-01", klas="2b"),
            feit(Niveau, "2026-09-01", niveau="vmbo-gt"),
            feit(Woonplaats, "2026-09-01", gemeente="Demostad"),
            feit(GemeldBijLoket, "2026-09-21"),
            feit(
                SoortThuiszitterGemeld,
                "2026-09-07",
                geregistreerd="2026-10-01",
                thuiszitter=SoortThuiszitter.SCHOOLWEIGERAAR,
            ),
            feit(Jeugdhulp, "2026-09-07", geregistreerd="2026-10-01", organisatie="Wijkteam Demo"),
            feit(AanbodGestart, "2026-10-05", aanbod=AanbodSoort.THUISWERKPLAN),
        ],
        gemeente="Registergemeente",
    )


def _monitor(
    kinderen: list[object], peildatum: str, bekend_op: str | None = None
) -> list[MonitorRij]:
    kop = register_kop(d(peildatum), bekend_op=moment(bekend_op) if bekend_op else None)
    return list(monitor_rijen(kinderen, Beleid(), kop))  # type: ignore[arg-type]


def test_soort_stated_on_1_october_shows_on_1_december_and_not_as_known_before() -> None:
    """Regels 15 and 18: the monitor and the Inspectie register show the soort as known."""
    k = _kind()
    (rij,) = _monitor([k], "2026-12-01")
    assert rij.soort is SoortThuiszitter.SCHOOLWEIGERAAR
    assert rij.jeugdhulp == "Wijkteam Demo"
    (eerder,) = _monitor([k], "2026-12-01", bekend_op="2026-09-30")
    assert eerder.soort is None
    assert eerder.jeugdhulp is None
    inspectie = enige_rij(k, "2026-12-01")  # type: ignore[arg-type]
    assert (inspectie.soort, inspectie.jeugdhulp) == (
        SoortThuiszitter.SCHOOLWEIGERAAR,
        "Wijkteam Demo",
    )
    assert enige_rij(k, "2026-12-01", bekend_op="2026-09-30").soort is None  # type: ignore[arg-type]


def test_monitor_row_has_every_field_of_the_seed_list() -> None:
    """Regel 18: klas, woonplaats, niveau, month reported, typering, thuiswerkplan, ..."""
    (rij,) = _monitor([_kind()], "2026-12-01")
    assert (rij.klas, rij.niveau, rij.woonplaats) == ("2b", "vmbo-gt", "Demostad")
    assert rij.maand_gemeld == "2026-09"
    assert rij.typering == "thuiszitter"
    assert rij.categorie_peildatum == "B2a"
    assert rij.ziek_gemeld_door_ouders is False
    assert rij.aanbod is AanbodSoort.THUISWERKPLAN
    assert rij.aanbod_voldoende is False  # no hours at school: not a sufficient fundament
    assert rij.pact_overschreden is False  # not yet 3 months
    assert rij.leeftijd == 14


def test_klas_niveau_woonplaats_in_the_monitor_and_never_in_the_inspectie_export() -> None:
    """The monitor is the SWV's own: the Inspectie layout has no klas, niveau or woonplaats."""
    sleutels = {k.sleutel for k in KOLOMMEN_V1}
    assert not sleutels & {"klas", "niveau", "woonplaats", "maand_gemeld", "reden_geoorloofd"}
    (rij,) = _monitor([_kind()], "2026-12-01")
    als_dict = rij_naar_dict(rij, MONITOR_KOLOMMEN)
    assert als_dict["klas"] == "2b"
    assert als_dict["woonplaats"] == "Demostad"
    assert als_dict["niveau"] == "vmbo-gt"


def test_woonplaats_falls_back_to_the_registered_gemeente() -> None:
    """Without a woonplaats kenmerk the child's gemeente in the register is its woonplaats."""
    k = kind(
        "261802", [ingeschreven("2026-08-24"), feit(VerzuimGestart, "2026-09-07")], gemeente="G"
    )
    (rij,) = _monitor([k], "2026-12-01")
    assert rij.woonplaats == "G"
    assert rij.klas is None
    assert rij.aanbod is None


def test_excused_absence_is_in_the_monitor_with_its_reason() -> None:
    """Regel 18 footnote 1: the own monitor also keeps who stays home with a valid reason."""
    ziek = kind(
        "261803",
        [
            ingeschreven("2026-08-24"),
            feit(Ziekmelding, "2026-10-01"),
            feit(RedenGeoorloofdGemeld, "2026-10-01", reden=RedenGeoorloofd.ZIEKTE),
        ],
    )
    op_school = kind("261804", [ingeschreven("2026-08-24")])
    (rij,) = _monitor([ziek, op_school], "2026-12-01")
    assert rij.typering == GEOORLOOFD
    assert rij.categorie_peildatum == "A1"
    assert rij.reden_geoorloofd is RedenGeoorloofd.ZIEKTE
    assert rij.startdatum is None
    assert rij.pact_overschreden is None


def test_an_ended_episode_reports_the_offer_of_its_last_day() -> None:
    """The offer shown is the one running on the episode's last day, as in the register."""
    from app.domain.feiten import VerzuimBeeindigd

    k = kind(
        "261805",
        [
            ingeschreven("2026-08-24"),
            feit(VerzuimGestart, "2026-09-07"),
            feit(
                AanbodGestart,
                "2026-09-14",
                aanbod=AanbodSoort.THUISWERKPLAN,
                keer_op_school_per_week=2,
                uren_op_school_per_week=4.0,
            ),
            feit(VerzuimBeeindigd, "2026-11-02"),
        ],
    )
    (rij,) = _monitor([k], "2026-12-01")
    assert rij.maand_beeindigd == "2026-11"
    assert rij.aanbod_voldoende is True
    assert (rij.keer_op_school_per_week, rij.uren_op_school_per_week) == (2, 4.0)


def test_monitor_exports_json_csv_xlsx_reproducibly() -> None:
    """The same rows give the same bytes; CSV uses the Dutch decimal comma."""
    rijen = _monitor([_kind()], "2026-12-01")
    kop = register_kop(d("2026-12-01"))
    uit = io.BytesIO()
    schrijf_register_json(kop, rijen, uit, kolommen=MONITOR_KOLOMMEN, formaat=FORMAAT)
    body = json.loads(uit.getvalue())
    assert body["formaat"] == FORMAAT
    assert body["rijen"][0]["klas"] == "2b"
    csv = io.BytesIO()
    schrijf_register_csv(rijen, csv, kolommen=MONITOR_KOLOMMEN)
    assert "Woonplaats" in csv.getvalue().decode("utf-8-sig")
    moment_ = datetime(2026, 12, 7, tzinfo=UTC)
    a, b = io.BytesIO(), io.BytesIO()
    for doel in (a, b):
        schrijf_tabel_xlsx(
            "t", rijen, doel, gemaakt_op=moment_, kolommen=MONITOR_KOLOMMEN, blad="M"
        )
    assert a.getvalue() == b.getvalue()


def test_register_window_school_year_or_cumulative_since_a_date() -> None:
    """Regel 19: the register counts the school year, or cumulatively since a date: then a child
    back at school last school year stays listed."""
    from app.domain.feiten import VerzuimBeeindigd
    from app.domain.rapportage import Peildata, inspectie_register

    k = kind(
        "251801",
        [
            ingeschreven("2024-08-26"),
            feit(VerzuimGestart, "2025-01-06"),
            feit(VerzuimBeeindigd, "2025-04-07"),
        ],
    )
    schooljaar = inspectie_register([k], Beleid(), peildatum=d("2026-12-01"))
    assert schooljaar.kop.vanaf == d("2026-08-01")
    assert schooljaar.rijen == ()
    cumulatief = Peildata(cumulatief_vanaf=d("2024-08-01"))
    reg = inspectie_register([k], Beleid(), peildatum=d("2026-12-01"), peildata=cumulatief)
    assert reg.kop.vanaf == d("2024-08-01")
    assert [r.maand_beeindigd for r in reg.rijen] == ["2025-04"]
    later = Peildata(cumulatief_vanaf=d("2026-10-01"))  # never narrower than the school year
    assert register_kop(d("2026-12-01"), peildata=later).vanaf == d("2026-08-01")
