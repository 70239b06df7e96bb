"""Shared building blocks of the request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import types
from datetime import date, datetime
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NaiveDatetime,
    model_validator,
)
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """Base of every response schema: camelCase fields."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class ApiInput(BaseModel):
    """Base of every request body: camelCase fields, unknown fields refused (no mass assignment)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _streng(cls, data: Any) -> Any:
        """No loose parsing: a number is a JSON number, a truth value a JSON boolean and a date a
        string (`"2013"` is not an integer, `12` is not a date). A loose value is replaced by a
        marker the field's own validation refuses, so every error keeps its place."""
        if not isinstance(data, dict):
            return data
        result = dict(data)
        for naam, veld in cls.model_fields.items():
            for sleutel in {naam, veld.alias or naam}:
                if sleutel in result and _los(kale_soorten(veld.annotation), result[sleutel]):
                    result[sleutel] = LOS
        return result


class _Los:
    """A loose value: no type of the contract accepts it."""

    def __repr__(self) -> str:
        return "los"


LOS = _Los()


def _los(soorten: set[Any], waarde: Any) -> bool:
    """Is `waarde` a loose spelling for these types (a string for a number, ...)?"""
    if waarde is None or str in soorten:
        return False
    if soorten & {int, float} and isinstance(waarde, str | bool):
        return True
    if bool in soorten and not isinstance(waarde, bool):
        return True
    return bool(soorten & {date, datetime}) and isinstance(waarde, int | float | bool)


def kale_soorten(annotatie: Any) -> set[Any]:
    """The plain types in an annotation: `Annotated`, `Optional` and unions unwrapped."""
    origin = get_origin(annotatie)
    if origin is Annotated:
        return kale_soorten(get_args(annotatie)[0])
    if origin is Union or origin is types.UnionType:
        return set().union(*(kale_soorten(a) for a in get_args(annotatie)))
    if origin is not None:
        return {origin}
    if annotatie in {AwareDatetime, NaiveDatetime}:
        return {datetime}
    return {annotatie}


class IdentiteitInvoer(ApiInput):
    """Identifying details: only for an SWV that works identified, with a legal basis."""

    naam: str | None = Field(default=None, min_length=1, max_length=200)
    geboortedatum: date | None = None
    adres: str | None = Field(default=None, min_length=1, max_length=300)
    bsn: str | None = Field(default=None, pattern=r"^[0-9]{9}$", description="Elfproef.")


class Paginering(ApiModel):
    """Where this page stands in the whole list."""

    pagina: int = Field(description="Nummer van deze pagina (vanaf 1).")
    pagina_grootte: int = Field(description="Maximaal aantal items per pagina.")
    totaal: int = Field(description="Aantal items in de hele lijst.")
    totaal_paginas: int = Field(description="Aantal pagina's.")


EERSTE_DATUM = date(1990, 1, 1)
LAATSTE_DATUM = date(2100, 12, 31)
"""Dates the register can reason about; outside them a query is invalid input (400)."""


CONTRACT_SCHEMAS: dict[str, dict[str, Any]] = {}
"""Schemas the contract states beyond what pydantic derives (e.g. the fact kinds from the
domain's dataclasses); `build_openapi` puts them in `components.schemas`, replacing a
pydantic-derived schema of the same name."""
