"""`time` fields (frictionless fields/time.py).

default: ``cell[5] == ":"`` and ``len(cell) >= 8`` guard, then
``isoparse("2000-01-01T" + cell).timetz()`` (so "24:00:00" is 00:00:00,
"10:00:00,5" and "10:00:00+01" are valid); any: ``dateutil.parser.parse(cell).timetz()``;
otherwise ``datetime.strptime(cell, format).timetz()``.

Fast path: "hh:mm:ss[.ffffff][Z|+hh:mm]". Key: duration[us] since midnight,
minus the UTC offset for aware values (Python compares aware times that way,
without wrapping around midnight).
"""
from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pyarrow as pa

from . import FieldSpec
from ..columnar.arrow import from_numpy
from ._core import TypeSpec
from .checker import make_checker
from .identity import temporal_salt
from ._temporal import direct_keys, ISO_TIME_RE, iso_components, awareness, components, micros_of_day, strptime_regex, time_key
from .string_type import field_format

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")


def time_reader(fmt: str):
    from dateutil import parser

    def reader(cell: Any):
        if not isinstance(cell, time):
            if not isinstance(cell, str):
                return None
            try:
                if fmt == "default":
                    assert cell[5] == ":"
                    assert len(cell) >= 8
                    cell = parser.isoparse(f"2000-01-01T{cell}").timetz()
                elif fmt == "any":
                    cell = parser.parse(cell).timetz()
                else:
                    cell = datetime.strptime(cell, fmt).timetz()
            except Exception:
                return None
        return cell

    return reader


def time_spec(field: FieldSpec) -> TypeSpec:
    fmt = field_format(field)
    regex = None
    if fmt == "default":
        regex = ISO_TIME_RE
    elif fmt != "any":
        regex = strptime_regex(fmt)

    def fast_cast(cells):
        c = iso_components(cells, 0) if regex == ISO_TIME_RE else components(cells, regex, fmt=fmt)
        micros = micros_of_day(c) - c["offset"] * 1_000_000
        return from_numpy(micros, pa.duration("us"), c["valid"]), c["aware"]

    def direct(cells):
        return direct_keys(cells, pa.duration("us"), iso_start=0 if regex == ISO_TIME_RE else None, fmt=fmt)

    return TypeSpec(
        name="time",
        supported=SUPPORTED,
        value_reader=time_reader(fmt),
        to_key=time_key,
        key_type=pa.duration("us"),
        fast_regex=regex,
        fast_cast=fast_cast if regex else None,
        fast_direct=direct if regex else None,
        extra={"awareness": awareness},
        key_salt=temporal_salt,
    )


check_time = make_checker("time", time_spec)
