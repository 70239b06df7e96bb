"""Identifying details, only where an SWV has a legal basis (docs/privacy.md)."""

from __future__ import annotations

from enum import StrEnum


class PrivacyModus(StrEnum):
    """How an SWV holds children: pseudonymous (default) or identified (with a legal basis)."""

    GEPSEUDONIMISEERD = "gepseudonimiseerd"
    GEIDENTIFICEERD = "geidentificeerd"


def is_geldig_bsn(bsn: str) -> bool:
    """The elfproef of a BSN: nine digits, weights 9…2 and -1, sum divisible by 11."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit() or bsn == "000000000":
        return False
    gewichten = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(c) * w for c, w in zip(bsn, gewichten, strict=True)) % 11 == 0


def maskeer_bsn(bsn: str) -> str:
    """A BSN as shown to roles that need to recognise, not use, it: only the last 3 digits."""
    return "*" * 6 + bsn[-3:]
