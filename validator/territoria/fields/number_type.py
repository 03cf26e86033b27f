"""`number` fields (frictionless fields/number.py).

The cell is ``.strip()``-ed, then (only if groupChar, decimalChar or bareNumber
is *declared*, even with its default value) processed: bareNumber=false strips
leading non-digit/non-minus and trailing non-digit characters, groupChar is
removed, a "." with a non-"." decimalChar is a type error, decimalChar becomes
".". Then ``Decimal(cell)`` (``float(cell)`` with floatNumber): so "1e5", "NaN",
"-Infinity", "1_000", "+5", ".5", "5." and Unicode digits are numbers.

Fast path: plain decimals converted by the compiled kernel when their double
is one correctly rounded division (``kernels.decimal``), then plain
decimal/exponent texts (or digits with the declared group and decimal
characters) cast by pyarrow to float64 (correctly rounded, like
``float(Decimal)``). Keys are float64 (-0 normalised to 0); where a fast key
equals a bound or an enum entry, the exact Decimal comparison is redone.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import kernels
from . import FieldSpec
from ._core import TypeSpec, plain_decimal_mask
from .checker import make_checker
from .identity import number_salt
from ..columnar.arrow import from_numpy, keep_where, typed_scalar

_ZERO = typed_scalar(0.0, pa.float64())  # -0.0 + 0.0 == 0.0

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")

PLAIN_RE = r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"
NON_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")


def number_reader(field: FieldSpec):
    descriptor = field.descriptor
    bare_number = descriptor.get("bareNumber", True)
    float_number = descriptor.get("floatNumber", False)
    decimal_char = descriptor.get("decimalChar", ".")
    group_char = descriptor.get("groupChar", "")
    pattern = None if bare_number else NON_BARE
    processor = None
    if {"groupChar", "decimalChar", "bareNumber"} & set(descriptor):

        def processor(cell: str):
            if pattern:
                cell = pattern.sub("", cell)
            cell = cell.replace(group_char, "")
            if decimal_char != "." and "." in cell:
                return None
            return cell.replace(decimal_char, ".")

    primary, secondary = (float, Decimal) if float_number else (Decimal, float)

    def reader(cell: Any):
        if isinstance(cell, str):
            cell = cell.strip()
            if processor:
                cell = processor(cell)
                if cell is None:
                    return None
            try:
                return primary(cell)
            except Exception:
                return None
        elif isinstance(cell, primary):
            return cell
        elif cell is True or cell is False:
            return None
        elif isinstance(cell, int):
            return cell
        elif isinstance(cell, secondary):
            return primary(str(cell) if primary is Decimal else cell)
        return None

    return reader


def number_key(value: Any):
    return float(value) + 0.0


def number_spec(field: FieldSpec) -> TypeSpec:
    descriptor = field.descriptor
    decimal_char = descriptor.get("decimalChar", ".")
    group_char = descriptor.get("groupChar", "")
    processing = bool({"groupChar", "decimalChar", "bareNumber"} & set(descriptor))
    fast_regex = None
    fast_cast = None
    direct = None
    if not processing:
        fast_regex = PLAIN_RE

        def direct(cells):  # -?[0-9]+(\.[0-9]+)?, a subset of PLAIN_RE, without RE2
            compiled = kernels.decimal(cells, fraction=True)
            if compiled is not None:  # the exactly convertible ones; the rest take the regex
                handled, values = compiled
                return handled, from_numpy(values, pa.float64(), handled), None
            handled = plain_decimal_mask(cells, fraction=True)
            return handled, fast_cast(keep_where(cells, handled)), None

        def fast_cast(cells):
            return pc.add(pc.cast(cells, pa.float64()), _ZERO)

    elif _usable(decimal_char, group_char):
        group = f"(?:{re.escape(group_char)}[0-9]+)*" if group_char else ""
        fast_regex = rf"^-?[0-9]+{group}(?:{re.escape(decimal_char)}[0-9]+)?$"

        def fast_cast(cells):
            if group_char:
                cells = pc.replace_substring(cells, group_char, "")
            if decimal_char != ".":
                cells = pc.replace_substring(cells, decimal_char, ".")
            return pc.add(pc.cast(cells, pa.float64()), _ZERO)

    return TypeSpec(
        name="number",
        supported=SUPPORTED,
        value_reader=number_reader(field),
        to_key=number_key,
        key_type=pa.float64(),
        fast_regex=fast_regex,
        fast_cast=fast_cast,
        fast_direct=direct,
        inexact_keys=True,
        extra={"float_number": bool(descriptor.get("floatNumber", False))},
        key_salt=number_salt,
    )


def _usable(decimal_char, group_char) -> bool:
    if not isinstance(decimal_char, str) or not isinstance(group_char, str):
        return False
    if not decimal_char or decimal_char == group_char:
        return False
    for ch in decimal_char + group_char:
        if ch.isdigit() or ch in "-+eE" or ch.isspace() or ord(ch) > 127:
            return False
    if group_char and (group_char in decimal_char or decimal_char in group_char):
        return False
    return True


check_number = make_checker("number", number_spec)
