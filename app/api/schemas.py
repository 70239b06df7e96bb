"""Shared building blocks of the request and response schemas (camelCase on the wire)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """Base of every response schema: camelCase fields."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class ApiInput(BaseModel):
    """Base of every request body: camelCase fields, unknown fields refused (no mass assignment)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


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
