"""`yearmonth` fields (frictionless fields/yearmonth.py): ``cell.split("-")`` into
exactly two parts, ``int()`` each (so " 2020-1", "2020-+1", "+2020-01" are valid;
"-2020-01" is not), month 1..12. Values compare as (year, month) tuples; list
enum entries like [2020, 13] are taken as they are. Fast path:
"YYYY-MM". Key: int64 year * 100 + month."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from . import FieldSpec
from ..columnar.arrow import from_numpy, validity
from ._core import TypeSpec, slice_int
from .checker import make_checker

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")


class yearmonth(NamedTuple):
    year: int
    month: int


def yearmonth_reader(cell: Any):
    if isinstance(cell, (tuple, list)):
        if len(cell) != 2:
            return None
        cell = yearmonth(year=cell[0], month=cell[1])
    elif isinstance(cell, str):
        try:
            year, month = cell.split("-")
            year = int(year)
            month = int(month)
            if month < 1 or month > 12:
                return None
            cell = yearmonth(year, month)
        except Exception:
            return None
    else:
        return None
    return cell


def yearmonth_key(value) -> int:
    year, month = value
    if type(year) is not int or type(month) is not int or not 0 <= month <= 99:
        raise ValueError("no order-preserving key")
    return year * 100 + month


def fast_cast(cells):
    year = slice_int(cells, 0, 4)
    month = slice_int(cells, 5, 7)
    valid = validity(cells)
    return from_numpy(np.asarray(year * 100 + month, dtype=np.int64), pa.int64(), valid)


def yearmonth_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="yearmonth",
        supported=SUPPORTED,
        value_reader=yearmonth_reader,
        to_key=yearmonth_key,
        key_type=pa.int64(),
        fallback_key_type=pa.float64(),
        fast_regex=r"^[0-9]{4}-(?:0[1-9]|1[0-2])$",
        fast_cast=fast_cast,
    )


check_yearmonth = make_checker("yearmonth", yearmonth_spec)
