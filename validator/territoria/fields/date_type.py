"""`date` fields (frictionless fields/date.py).

default: ``datetime.strptime(cell, "%Y-%m-%d")`` (so "2020-1-5" and "2020-01- 5"
are valid dates); any: ``dateutil.parser.parse(cell).date()``; otherwise
``datetime.strptime(cell, format).date()``. Fast path: zero-padded layouts of
the format, validated (leap years, year >= 1) and converted in numpy. Key: date32.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from . import FieldSpec
from ..columnar.arrow import from_numpy
from ._core import TypeSpec
from .checker import make_checker
from ._temporal import components, days_from_civil, direct_parts, strptime_regex
from .string_type import field_format

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")


def date_reader(fmt: str):
    def reader(cell: Any):
        if isinstance(cell, datetime):
            t = cell.time()
            if t.hour == 0 and t.minute == 0 and t.second == 0:
                return datetime(cell.year, cell.month, cell.day).date()
            return None
        if isinstance(cell, date):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "default":
                return datetime.strptime(cell, "%Y-%m-%d").date()
            elif fmt == "any":
                from dateutil import parser

                return parser.parse(cell).date()
            else:
                return datetime.strptime(cell, fmt).date()
        except Exception:
            return None

    return reader


def date_spec(field: FieldSpec) -> TypeSpec:
    fmt = field_format(field)
    regex = None
    if fmt == "default":
        regex = strptime_regex("%Y-%m-%d")
    elif fmt != "any":
        regex = strptime_regex(fmt)

    def fast_cast(cells):
        c = components(cells, regex, fmt="%Y-%m-%d" if fmt == "default" else fmt)
        days = days_from_civil(c["Y"], c["m"], c["d"])
        return from_numpy(days.astype(np.int32), pa.date32(), c["valid"])

    layout_fmt = "%Y-%m-%d" if fmt == "default" else fmt

    def direct(cells):
        parts = direct_parts(cells, layout_fmt)
        if parts is None:
            return np.zeros(len(cells), dtype=bool), pa.nulls(len(cells), pa.date32()), None
        handled, valid, days, _seconds = parts
        return handled, from_numpy(days.astype(np.int32, copy=False), pa.date32(), valid), None

    return TypeSpec(
        name="date",
        supported=SUPPORTED,
        value_reader=date_reader(fmt),
        to_key=lambda value: value,
        key_type=pa.date32(),
        fast_regex=regex,
        fast_cast=fast_cast if regex else None,
        fast_direct=direct if regex else None,
    )


check_date = make_checker("date", date_spec)
