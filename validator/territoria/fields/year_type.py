"""`year` fields (frictionless fields/year.py): ``len(cell) == 4`` then ``int(cell)``
in 0..9999, so " 123", "+123", "1_23" and "0000" are years, "-123" is not.
Fast path: four ASCII digits. Key: int64."""
from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")


def year_reader(cell: Any):
    if not isinstance(cell, int):
        if not isinstance(cell, str):
            return None
        if len(cell) != 4:
            return None
        try:
            cell = int(cell)
        except Exception:
            return None
    if cell < 0 or cell > 9999:
        return None
    return cell


def year_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="year",
        supported=SUPPORTED,
        value_reader=year_reader,
        to_key=int,
        key_type=pa.int64(),
        fast_regex=r"^[0-9]{4}$",
        fast_cast=lambda cells: pc.cast(cells, pa.int64()),
    )


check_year = make_checker("year", year_spec)
