"""One name per feature in every layer (AGENTS.md, "Feature map").

A feature module in one layer must have its namesake where it should: a route module in
`app/services`, a repository in `app/services`, a use-case module a test file
`tests/<layer>/test_<f>.py`, a route module `tests/api/test_<f>.py`. A package counts as a module
of its name. The allow-lists below are the deliberate exceptions, each with its reason; a new
feature never goes on them without one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
TESTS = ROOT / "tests"

# Plumbing, not features: shared by every feature of the layer.
INFRA: dict[str, frozenset[str]] = {
    "api": frozenset(
        {
            "app",  # the application factory
            "auth",  # the authentication dependency of every route
            "deps",  # shared dependencies (the unit of work)
            "health",  # liveness and readiness, no use case
            "middleware",
            "openapi",  # building the contract
            "pagination",
            "problems",  # RFC 9457 problems
            "schemas",  # the base request and response models
            "validatie",  # Dutch reasons for the validation errors of the library
        }
    ),
    "db": frozenset({"base", "embedded", "fouten", "models", "session"}),
    "services": frozenset({"errors", "pagination", "context"}),  # context: SwvContext, the clock
    "domain": frozenset({"data", "datums"}),  # shipped data files, date arithmetic
}

# Deliberate exceptions, per rule: (module, reason).
API_ZONDER_SERVICE: dict[str, str] = {
    "classificaties": "a static reference list straight from app.domain.classificatie",
}
DB_ZONDER_SERVICE: dict[str, str] = {
    "organisaties": "the SWV and its settings rows; used by services.instellingen and context",
}
SERVICE_ZONDER_TEST: dict[str, str] = {
    "idempotentie": "its replay and refusals are tested over HTTP with each create route",
}
API_ZONDER_TEST: dict[str, str] = {
    "classificaties": "covered by tests/api/test_toegangsmatrix.py and the contract test",
    "idempotentie": "the Idempotency-Key header of every create, tested with each create route",
}


def _modules(laag: str) -> set[str]:
    pad = APP / laag
    bestanden = {p.stem for p in pad.glob("*.py") if p.stem != "__init__"}
    pakketten = {p.name for p in pad.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    return (bestanden | pakketten) - INFRA[laag]


def _testbestanden(laag: str | None = None) -> set[str]:
    basis = TESTS / laag if laag else TESTS
    return {p.stem.removeprefix("test_") for p in basis.rglob("test_*.py")}


def test_every_route_module_has_its_service() -> None:
    zonder = _modules("api") - _modules("services") - API_ZONDER_SERVICE.keys()
    assert not zonder, f"app/api modules without app/services namesake: {sorted(zonder)}"


def test_every_repository_has_its_service() -> None:
    zonder = _modules("db") - _modules("services") - DB_ZONDER_SERVICE.keys()
    assert not zonder, f"app/db modules without app/services namesake: {sorted(zonder)}"


def test_every_service_has_a_test_module() -> None:
    zonder = _modules("services") - _testbestanden() - SERVICE_ZONDER_TEST.keys()
    assert not zonder, f"app/services modules without tests/**/test_<name>.py: {sorted(zonder)}"


def test_every_route_module_has_api_tests() -> None:
    zonder = _modules("api") - _testbestanden("api") - API_ZONDER_TEST.keys()
    assert not zonder, f"app/api modules without tests/api/test_<name>.py: {sorted(zonder)}"


@pytest.mark.parametrize(
    "lijst",
    [API_ZONDER_SERVICE, DB_ZONDER_SERVICE, SERVICE_ZONDER_TEST, API_ZONDER_TEST],
)
def test_allow_lists_hold_no_stale_entries(lijst: dict[str, str]) -> None:
    """An exception that no longer exists (the module was renamed or removed) leaves the list."""
    alle = set().union(*(_modules(laag) for laag in ("api", "db", "services")))
    assert set(lijst) <= alle
