"""`integer` fields (frictionless fields/integer.py).

The cell is ``.strip()``-ed, with bareNumber=false leading non-digit/non-minus
and trailing non-digit characters are removed, then ``int(cell)``: so " 12 ",
"+5", "1_000", "-0" and Unicode digits are integers while "1.0", "1e3" are
type errors. groupChar/decimalChar do not apply to integers.

Fast path: ``-?[0-9]{1,18}`` cast by pyarrow to int64. Keys are int64 (float64
if some residue value does not fit in int64).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from . import FieldSpec
from ..columnar.arrow import from_numpy
from ._core import TypeSpec
from .checker import make_checker
from .identity import integer_salt

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
FAST_RE = r"^-?[0-9]{1,18}$"
NON_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")


def integer_reader(field: FieldSpec):
    pattern = None if field.descriptor.get("bareNumber", True) else NON_BARE

    def reader(cell: Any):
        if isinstance(cell, str):
            cell = cell.strip()
            if pattern:
                cell = pattern.sub("", cell)
            try:
                return int(cell)
            except Exception:
                return None
        elif cell is True or cell is False:
            return None
        elif isinstance(cell, int):
            return cell
        elif isinstance(cell, float) and cell.is_integer():
            return int(cell)
        elif isinstance(cell, Decimal) and cell % 1 == 0:
            return int(cell)
        return None

    return reader


def integer_key(value: Any):
    return int(value)


def fast_cast(cells):
    return pc.cast(cells, pa.int64())


def direct(cells):
    """Cells of FAST_RE's form without RE2, cast: with the compiled kernels all
    of them (``-?[0-9]{1,18}``); with numpy, ASCII digits only (the common case),
    at most 18 of them, the rest (e.g. negative numbers) getting the regex."""
    from ..columnar import kernels
    from ..columnar.arrow import keep_where, string_layout, to_bool_numpy

    compiled = kernels.integer(cells)  # -?[0-9]{1,18}, negative numbers included
    if compiled is not None:
        handled, values = compiled
        return handled, from_numpy(values, pa.int64(), handled), None
    _, lengths, _ = string_layout(cells)
    handled = to_bool_numpy(pc.ascii_is_decimal(cells)) & (lengths >= 1) & (lengths <= 18)
    return handled, fast_cast(keep_where(cells, handled)), None


def integer_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="integer",
        supported=SUPPORTED,
        value_reader=integer_reader(field),
        to_key=integer_key,
        key_type=pa.int64(),
        fallback_key_type=pa.float64(),
        fast_regex=FAST_RE,
        fast_cast=fast_cast,
        fast_direct=direct,
        key_salt=integer_salt,
    )


check_integer = make_checker("integer", integer_spec)
