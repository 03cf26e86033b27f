"""Number repairs: the field's unit written in the cell, the percent sign, thousands separators, the decimal comma.

They apply to ``number`` (and, for thousands, ``integer``) fields that declare
none of ``decimalChar`` (other than "."), ``groupChar`` or ``bareNumber``:
such a field reads its cells its own way, and what looks like a French habit
may be its declared form.
"""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from . import NULL_TEXT, declares, matches, none_of, repair, where

#: the spaces spreadsheets put between groups of digits: space, no-break space, narrow no-break space
SPACES = "[ \\x{00A0}\\x{202F}]"


def _plain_number_field(field, types=("number",)) -> bool:
    if field.type not in types:
        return False
    if declares(field, "groupChar", "bareNumber"):
        return False
    return field.get("decimalChar", ".") == "."


def is_percentage(field) -> bool:
    """A proportion field: named ``*_pct`` (the catalogue's rule) or with the unit ``%``."""
    return field.name.endswith("_pct") or field.get("unit") == "%"


#: how a spreadsheet writes a UCUM unit, besides its code
UNIT_SPELLINGS = {"Cel": ("°C",), "m3": ("m³",), "m3/h": ("m³/h",), "kW.h": ("kWh",), "kV.A": ("kVA",),
                  "L": ("l",), "m2": ("m²",)}


def _unit_field(field) -> bool:
    unit = field.get("unit")
    return (_plain_number_field(field, ("number", "integer")) and isinstance(unit, str) and bool(unit.strip())
            and unit != "%")


@repair("unit-suffix", _unit_field)
def unit_suffix(cells, field, context):
    """``3000 K`` → ``3000`` on a field of unit ``K``; ``5 200 lm`` → ``5 200`` (then ``thousands-separator``).

    The field's own unit (its UCUM code, or its usual spelling: ``°C``, ``m³``,
    ``kWh``) after a number says nothing the field does not: it goes. Any other
    unit is left, and stays an error: ``42 kW`` on a field in watts is never
    read as 42 W (a mapping file's ``units`` converts it).
    """
    unit = field.get("unit")
    spellings = (unit,) + UNIT_SPELLINGS.get(unit, ())
    if all(none_of(pc.fill_null(pc.match_substring(cells, s), False)) for s in spellings):  # a literal search first
        return cells
    names = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    pattern = f"^\\s*(?P<n>[+-]?[0-9][0-9 .,\\x{{00A0}}\\x{{202F}}]*?)\\s*(?:{names})\\s*$"
    parts = pc.extract_regex(cells, pattern)
    found = pc.fill_null(pc.is_valid(parts), False)
    if none_of(found):
        return cells
    return where(found, pc.struct_field(parts, "n"), cells)


@repair("percent-sign", lambda f: _plain_number_field(f) and is_percentage(f))
def percent_sign(cells, field, context):
    """``12 %`` → ``12`` on a percentage field (named ``*_pct`` or of unit ``%``).

    The field already holds percentages (0–100), so the sign says nothing more;
    the number itself is never scaled. Applies only before a number (digits,
    separators) followed by ``%``; ``0,5 %`` then goes on to ``decimal-comma``.
    """
    if none_of(pc.match_substring(cells, "%")):  # a literal search first: most columns have no sign
        return cells
    pattern = "^\\s*[+-]?[0-9][0-9 .,\\x{00A0}\\x{202F}]*\\s*%\\s*$"
    found = matches(cells, pattern)
    if none_of(found):
        return cells
    stripped = pc.utf8_trim(pc.replace_substring_regex(cells, "%", ""), " \t\u00a0\u202f")
    return where(found, stripped, cells)


_GROUPED_BY_SPACES = f"^\\s*[+-]?[0-9]{{1,3}}(?:{SPACES}[0-9]{{3}})+(?:[.,][0-9]+)?\\s*$"
_GROUPED_BY_DOTS = "^\\s*[+-]?[0-9]{1,3}(?:(?:\\.[0-9]{3}){2,}(?:,[0-9]+)?|(?:\\.[0-9]{3})+,[0-9]+)\\s*$"


@repair("thousands-separator", lambda f: _plain_number_field(f, ("number", "integer")))
def thousands_separator(cells, field, context):
    """``5 200`` → ``5200``; ``1.234.567`` → ``1234567``; ``1.234,5`` → ``1234,5`` (then ``decimal-comma``).

    Spaces (also no-break and narrow no-break spaces) between groups of three
    digits are always thousands separators. Dots are, only where they cannot be
    a decimal point: two groups or more (``1.234.567``), or groups followed by
    a decimal comma (``1.234,5``). A lone ``1.234`` is a valid number (one
    point two three four) and is never touched.
    """
    found = matches(cells, f"(?:{_GROUPED_BY_SPACES})|(?:{_GROUPED_BY_DOTS})")  # one pass over the column
    if none_of(found):
        return cells
    dotted = pc.and_(found, matches(cells, _GROUPED_BY_DOTS))
    out = where(found, pc.utf8_trim_whitespace(pc.replace_substring_regex(cells, SPACES, "")), cells)
    return where(dotted, pc.replace_substring(out, ".", ""), out)


@repair("decimal-comma", _plain_number_field)
def decimal_comma(cells, field, context):
    """``45,18879`` → ``45.18879``: the decimal comma of French spreadsheets becomes a point.

    Only one comma between digits (``12,5``, ``-0,25``): a comma is never a
    thousands separator in a French export, and ``1,234,567`` (two commas, an
    English grouping) is left as it is.
    """
    if none_of(pc.match_substring(cells, ",")):  # a literal search first
        return cells
    found = matches(cells, "^\\s*[+-]?[0-9]+,[0-9]+\\s*$")
    if none_of(found):
        return cells
    return where(found, pc.replace_substring(pc.utf8_trim_whitespace(cells), ",", "."), cells)


def parse_number_text(cells: pa.Array) -> pa.Array:
    """float64 of plain decimal texts (null elsewhere), for the point and unit repairs."""
    plain = matches(cells, "^\\s*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\s*$")
    texts = pc.if_else(plain, pc.utf8_trim_whitespace(cells), NULL_TEXT)
    return pc.cast(texts, pa.float64())
