"""Hypothesis strategies for facts: any kind, valid values, aware registration moments."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from hypothesis import strategies as st

from app.domain.feiten import FEITKLASSEN, Correctie, Feit, Intrekking

DAGEN = st.dates(min_value=date(2023, 8, 1), max_value=date(2024, 12, 31))
MOMENTEN = st.integers(min_value=0, max_value=600 * 24).map(
    lambda uren: datetime(2023, 8, 1, tzinfo=UTC) + timedelta(hours=uren)
)
IDS = st.uuids().map(str)
BASISKLASSEN = [c for c in FEITKLASSEN.values() if c not in (Correctie, Intrekking)]


def _voor(tp: Any) -> st.SearchStrategy[Any]:
    args = typing.get_args(tp)
    if isinstance(tp, types.UnionType):
        return st.one_of(*(_voor(a) for a in args))
    if tp is type(None):
        return st.none()
    if tp is str:
        return st.text(max_size=8)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(min_value=0, max_value=10)
    if tp is float:
        return st.floats(min_value=0, max_value=40, allow_nan=False)
    if tp is date:
        return DAGEN
    if tp is datetime:
        return MOMENTEN
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return st.sampled_from(list(tp))
    return basisfeit()


def feit_van(cls: type[Any]) -> st.SearchStrategy[Feit]:
    hints = typing.get_type_hints(cls)
    velden = {f.name: _voor(hints[f.name]) for f in dataclasses.fields(cls)}
    velden["id"] = IDS
    return st.builds(cls, **velden)


def basisfeit() -> st.SearchStrategy[Feit]:
    return st.one_of(*(feit_van(c) for c in BASISKLASSEN))


ELK_FEIT = st.one_of(*(feit_van(c) for c in FEITKLASSEN.values()))
