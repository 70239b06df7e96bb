"""Dutch reasons for the validation errors of pydantic: every `title` and `detail` is Dutch.

A reason names what is wrong with a field, never the submitted value: it is built from the error
type and the bounds of the schema (`ctx`), not from pydantic's English message.
"""

from __future__ import annotations

from typing import Any

_DATUM = "Moet een datum zijn (JJJJ-MM-DD)."
_TIJDSTIP = "Moet een tijdstip met tijdzone zijn (ISO 8601)."
_GEHEEL = "Moet een geheel getal zijn."
_GETAL = "Moet een getal zijn."
_JANEE = "Moet true of false zijn."
_OBJECT = "Moet een object zijn."
_KEUZE = "Moet een van deze waarden zijn: {expected}."

REDENEN: dict[str, str] = {
    "missing": "Ontbreekt.",
    "extra_forbidden": "Onbekend veld.",
    "string_type": "Moet tekst zijn.",
    "string_too_short": "Te kort: minimaal {min_length} teken(s).",
    "string_too_long": "Te lang: maximaal {max_length} tekens.",
    "string_pattern_mismatch": "Heeft niet de vereiste vorm.",
    "int_type": _GEHEEL,
    "int_parsing": _GEHEEL,
    "int_from_float": _GEHEEL,
    "float_type": _GETAL,
    "float_parsing": _GETAL,
    "bool_type": _JANEE,
    "bool_parsing": _JANEE,
    "date_type": _DATUM,
    "date_parsing": _DATUM,
    "date_from_datetime_parsing": _DATUM,
    "date_from_datetime_inexact": _DATUM,
    "datetime_type": _TIJDSTIP,
    "datetime_parsing": _TIJDSTIP,
    "datetime_from_date_parsing": _TIJDSTIP,
    "timezone_aware": "Moet een tijdzone hebben.",
    "uuid_type": "Moet een uuid zijn.",
    "uuid_parsing": "Moet een uuid zijn.",
    "enum": _KEUZE,
    "literal_error": _KEUZE,
    "greater_than": "Moet groter zijn dan {gt}.",
    "greater_than_equal": "Moet minstens {ge} zijn.",
    "less_than": "Moet kleiner zijn dan {lt}.",
    "less_than_equal": "Mag hoogstens {le} zijn.",
    "too_short": "Te weinig elementen: minimaal {min_length}.",
    "too_long": "Te veel elementen: maximaal {max_length}.",
    "list_type": "Moet een lijst zijn.",
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "json_invalid": "Geen geldige JSON.",
    "json_type": "Geen geldige JSON.",
    "union_tag_invalid": "Onbekende soort.",
    "union_tag_not_found": "Ontbreekt: de soort.",
}


def nederlandse_reden(err: dict[str, Any]) -> str | None:
    """The Dutch reason for one pydantic error, or None when the type is not mapped."""
    sjabloon = REDENEN.get(str(err.get("type", "")))
    if sjabloon is None:
        return None
    ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    try:
        return sjabloon.format(**ctx)
    except (KeyError, IndexError):
        return sjabloon.split(":")[0].rstrip(".") + "."
