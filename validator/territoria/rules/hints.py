"""Hints for French spreadsheet habits that break a schema.

Why: a data officer who typed ``12,5`` or ``15/03/2024`` gets the error
frictionless reports (a type error) plus the expected form of *her* value, so
she knows what to change without reading the specification.
"""
from __future__ import annotations

import re

_DECIMAL_COMMA = re.compile(r"^\s*([+-]?\d[\d\s\u202f\u00a0.]*),(\d+)\s*$")
_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_FRENCH_DATETIME = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_FRENCH_BOOLEANS = {"oui": "true", "non": "false", "vrai": "true", "faux": "false", "o": "true", "n": "false"}


def specific_hint(error: dict, field_descriptor: dict) -> "tuple[str, str] | None":
    """(hint_fr, hint_en) for a listed type error, or None when no habit is recognised."""
    if error.get("type") != "type-error":
        return None
    cell = error.get("cell") or ""
    field_type = field_descriptor.get("type", "string")
    if field_type in ("number", "integer"):
        match = _DECIMAL_COMMA.match(cell)
        if match and field_descriptor.get("decimalChar", ".") == ".":
            integer = re.sub(r"[\s\u202f\u00a0.]", "", match.group(1))
            expected = f"{integer}.{match.group(2)}"
            return (f"le séparateur décimal attendu est le point : {expected}",
                    f"the expected decimal separator is a point: {expected}")
        if re.match(r"^\s*[+-]?\d{1,3}([\s\u202f\u00a0]\d{3})+\s*$", cell):
            expected = re.sub(r"[\s\u202f\u00a0]", "", cell)
            return (f"écrivez le nombre sans espace entre les milliers : {expected}",
                    f"write the number without thousands separators: {expected}")
    if field_type in ("date", "datetime") and field_descriptor.get("format", "default") == "default":
        match = _FRENCH_DATETIME.match(cell) if field_type == "datetime" else _FRENCH_DATE.match(cell)
        if match:
            day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
            expected = f"{year}-{month:02d}-{day:02d}"
            if field_type == "datetime":
                seconds = match.group(6) or "00"
                expected += f"T{int(match.group(4)):02d}:{match.group(5)}:{seconds}"
            return (f"la date s'écrit année-mois-jour (ISO 8601) : {expected}",
                    f"dates are written year-month-day (ISO 8601): {expected}")
    if field_type == "boolean":
        expected = _FRENCH_BOOLEANS.get(cell.strip().lower())
        if expected and not field_descriptor.get("trueValues"):
            return (f"les booléens s'écrivent true ou false : {expected}",
                    f"booleans are written true or false: {expected}")
    return None
