"""Typed sub-resources of a child backed by start and end facts (verzuimperiodes, …)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/leerlingen/{leerlingId}", tags=["Leerlingen"])
