"""The loader of the compiled build (app/_native.py, docs/decisions/0013), on made-up builds."""

from __future__ import annotations

import hashlib
import json
import sys
import sysconfig
from pathlib import Path

import pytest

from app import _native

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


def _build(tmp_path: Path, naam: str = "tijdlijn", inhoud: bytes = b"x = 1\n") -> tuple[Path, Path]:
    """A source tree with one module and a matching 'build' of it (the files only)."""
    bron = tmp_path / "src"
    (bron / "app" / "domain").mkdir(parents=True)
    (bron / "app" / "domain" / f"{naam}.py").write_bytes(inhoud)
    build = tmp_path / "native"
    (build / "app" / "domain").mkdir(parents=True)
    (build / "app" / "domain" / f"{naam}{SUFFIX}").write_bytes(b"")
    (build / f"groep__mypyc{SUFFIX}").write_bytes(b"")
    manifest = {
        "group": "groep",
        "ext_suffix": SUFFIX,
        "modules": {
            f"app.domain.{naam}": {
                "bron": f"app/domain/{naam}.py",
                "sha256": hashlib.sha256(inhoud).hexdigest(),
            }
        },
    }
    (build / "manifest.json").write_text(json.dumps(manifest))
    return bron / "app", build


def test_a_build_made_from_the_current_sources_is_served_by_module_name(tmp_path: Path) -> None:
    pakket, build = _build(tmp_path)
    gevonden = _native.bestanden(build, pakket)
    assert gevonden == {
        "app.domain.tijdlijn": build / "app" / "domain" / f"tijdlijn{SUFFIX}",
        "groep__mypyc": build / f"groep__mypyc{SUFFIX}",
    }
    assert isinstance(gevonden, dict)
    vinder = _native._Vinder(gevonden)
    spec = vinder.find_spec("app.domain.tijdlijn", None)
    assert spec is not None
    assert spec.origin == str(build / "app" / "domain" / f"tijdlijn{SUFFIX}")
    assert vinder.find_spec("app.domain.status", None) is None


def test_a_build_of_other_sources_is_never_used(tmp_path: Path) -> None:
    pakket, build = _build(tmp_path)
    (pakket / "domain" / "tijdlijn.py").write_text("x = 2\n")
    reden = _native.bestanden(build, pakket)
    assert reden == "the native build of app.domain.tijdlijn was not made from the current " + (
        "app/domain/tijdlijn.py"
    )


def test_a_build_for_another_python_or_with_files_missing_is_never_used(tmp_path: Path) -> None:
    pakket, build = _build(tmp_path)
    (build / f"groep__mypyc{SUFFIX}").unlink()
    assert "incomplete" in str(_native.bestanden(build, pakket))
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["ext_suffix"] = ".cpython-39-x86_64-linux-gnu.so"
    (build / "manifest.json").write_text(json.dumps(manifest))
    assert "this Python needs" in str(_native.bestanden(build, pakket))
    assert (
        _native.bestanden(tmp_path / "nergens", pakket) == f"no native build in {tmp_path}/nergens"
    )


def test_the_setting_switches_it_off_or_demands_it(tmp_path: Path) -> None:
    pakket, build = _build(tmp_path)
    assert _native.kies({"THUISZITTERS_NATIVE": "0"}) == "THUISZITTERS_NATIVE=0"
    leeg = {"THUISZITTERS_NATIVE_DIR": str(tmp_path)}
    assert _native.kies(leeg) == f"no native build in {tmp_path}"
    with pytest.raises(_native.NativeNietBruikbaar, match="no native build"):
        _native.kies({**leeg, "THUISZITTERS_NATIVE": "1"})
    al_geladen = {"THUISZITTERS_NATIVE_DIR": str(build), "THUISZITTERS_NATIVE": "1"}
    with pytest.raises(_native.NativeNietBruikbaar, match="already imported"):
        _native.kies(al_geladen, pakket)  # this process imported app.domain.tijdlijn long ago


def test_under_coverage_the_pure_modules_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pakket, build = _build(tmp_path, "nooit_geladen")
    omgeving = {"THUISZITTERS_NATIVE_DIR": str(build)}
    monkeypatch.delitem(sys.modules, "coverage", raising=False)
    assert isinstance(_native.kies(omgeving, pakket), dict)
    monkeypatch.setitem(sys.modules, "coverage", sys)
    assert _native.kies(omgeving, pakket) == (
        "coverage is loaded, and it can only measure the pure modules"
    )
    with pytest.raises(_native.NativeNietBruikbaar, match="coverage"):
        _native.kies({**omgeving, "THUISZITTERS_NATIVE": "1"}, pakket)
