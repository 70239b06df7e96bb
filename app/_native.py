"""Serve the compiled build of the domain's hot modules when it is there (docs/decisions/0013).

``tools/build_native.py`` (``make native``) compiles ``app.domain.tijdlijn`` and
``app.domain.datums`` with mypyc into ``build/native``, outside the package, with a manifest of
the source hashes. ``app/__init__.py`` calls ``laad()`` before anything imports the domain: when
the build is there, made from the sources as they are now, and ``THUISZITTERS_NATIVE`` is not
``0``, a finder at the front of ``sys.meta_path`` answers those module names (and mypyc's shared
library) with the compiled files. Every other import, and every import when the build is missing,
stale, switched off or when coverage is loaded (it measures Python lines; a compiled module has
none), goes the ordinary way: the pure modules. ``app.domain`` itself knows nothing of this and
stays standard library only.

Settings (environment, read once at import):
- ``THUISZITTERS_NATIVE``: ``0`` never, ``1`` always (an error when the build is unusable),
  unset: whenever the build is usable.
- ``THUISZITTERS_NATIVE_DIR``: where the build is; default ``build/native`` beside the ``app``
  package (the repository root in a checkout).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

_PAKKET = Path(__file__).resolve().parent  # the app package
_STANDAARD = _PAKKET.parent / "build" / "native"


class NativeNietBruikbaar(ImportError):
    """``THUISZITTERS_NATIVE=1`` while the compiled build is missing, stale or foreign."""


class _Vinder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules by name; everything else is left to the next finders."""

    def __init__(self, bestanden: Mapping[str, Path]) -> None:
        self.bestanden = dict(bestanden)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        bestand = self.bestanden.get(fullname)
        if bestand is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(bestand))
        return importlib.util.spec_from_file_location(fullname, bestand, loader=loader)


def bestanden(map_: Path, pakket: Path = _PAKKET) -> dict[str, Path] | str:
    """The compiled files by module name, or why the build in ``map_`` cannot be used."""
    manifest_pad = map_ / "manifest.json"
    if not manifest_pad.is_file():
        return f"no native build in {map_}"
    manifest = json.loads(manifest_pad.read_text(encoding="utf-8"))
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    if manifest.get("ext_suffix") != suffix:
        return f"the native build is for {manifest.get('ext_suffix')}, this Python needs {suffix}"
    uit: dict[str, Path] = {}
    for naam, bron in manifest["modules"].items():
        pad = pakket.parent / bron["bron"]
        if not pad.is_file() or hashlib.sha256(pad.read_bytes()).hexdigest() != bron["sha256"]:
            return f"the native build of {naam} was not made from the current {bron['bron']}"
        uit[naam] = map_.joinpath(*naam.split(".")).with_name(naam.rsplit(".", 1)[-1] + suffix)
    uit[manifest["group"] + "__mypyc"] = map_ / (manifest["group"] + "__mypyc" + suffix)
    ontbreekt = [str(p) for p in uit.values() if not p.is_file()]
    if ontbreekt:
        return f"the native build is incomplete: {', '.join(ontbreekt)} missing"
    return uit


def kies(omgeving: Mapping[str, str], pakket: Path = _PAKKET) -> dict[str, Path] | str:
    """The compiled files to serve under these settings, or why the pure modules run."""
    instelling = omgeving.get("THUISZITTERS_NATIVE", "").strip()
    if instelling == "0":
        return "THUISZITTERS_NATIVE=0"
    gevonden = bestanden(Path(omgeving.get("THUISZITTERS_NATIVE_DIR") or _STANDAARD), pakket)
    if isinstance(gevonden, dict):
        al = [naam for naam in gevonden if naam in sys.modules]
        if al:  # only when asked again after the domain was imported
            gevonden = f"already imported as pure modules: {', '.join(al)}"
        elif "coverage" in sys.modules:  # pytest --cov, coverage run: it would measure nothing
            gevonden = "coverage is loaded, and it can only measure the pure modules"
    if isinstance(gevonden, str) and instelling == "1":
        raise NativeNietBruikbaar(f"THUISZITTERS_NATIVE=1, but {gevonden}")
    return gevonden


_geladen: tuple[str, ...] = ()
_reden = "not loaded"


def laad(omgeving: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """Put the finder in front when the build is usable; returns the compiled module names."""
    global _geladen, _reden  # noqa: PLW0603 (the process-wide choice, made once at import)
    gekozen = kies(omgeving)
    if isinstance(gekozen, str):
        _reden = gekozen
        return ()
    sys.meta_path.insert(0, _Vinder(gekozen))
    _geladen = tuple(sorted(naam for naam in gekozen if naam.startswith("app.")))
    _reden = "native build loaded"
    return _geladen


def implementatie() -> str:
    """Which implementation of the hot domain modules this process runs, in words."""
    if _geladen:
        return f"compiled (mypyc: {', '.join(_geladen)})"
    return f"pure Python ({_reden})"


def actief() -> tuple[str, ...]:
    """The domain modules served compiled in this process."""
    return _geladen
