"""The implementation of the hot domain modules under test is the one asked for (ADR 0013)."""

from __future__ import annotations

import os
import sys

from app import _native
from app.domain import datums, tijdlijn


def test_the_requested_implementation_of_the_fold_is_the_one_under_test() -> None:
    gevraagd = os.environ.get("THUISZITTERS_NATIVE")
    gecompileerd = [m.__name__ for m in (tijdlijn, datums) if not str(m.__file__).endswith(".py")]
    if gevraagd == "1":
        assert gecompileerd == ["app.domain.tijdlijn", "app.domain.datums"]
        assert _native.actief() == ("app.domain.datums", "app.domain.tijdlijn")
    elif gevraagd == "0":
        assert gecompileerd == []
        assert _native.implementatie() == "pure Python (THUISZITTERS_NATIVE=0)"


def test_coverage_never_measures_a_compiled_domain() -> None:
    coverage = sys.modules.get("coverage")
    if coverage is not None and coverage.Coverage.current() is not None:
        assert _native.actief() == (), "coverage of app.domain needs the pure modules"
