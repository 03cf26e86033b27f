"""`datetime` fields (frictionless fields/datetime.py).

default: ``cell[16] == ":"`` and ``len(cell) >= 19`` guard, then
``dateutil.parser.isoparse(cell)`` (any single separator character, "24:00:00"
is midnight of the next day, fractions beyond 6 digits truncated, offsets
Z/+HH/+HHMM/+HH:MM); any: ``dateutil.parser.parse``; otherwise
``datetime.strptime(cell, format)``.

Fast path: "YYYY-MM-DD[T ]hh:mm:ss[.ffffff][Z|+hh:mm]" (and simple strptime
layouts), converted in numpy. Key: timestamp[us], UTC for aware values, wall
time for naive ones (frictionless never equates naive and aware values and
raises comparing them with a bound: here that is a constraint failure).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa

from . import FieldSpec
from ..columnar.arrow import from_numpy
from ._core import TypeSpec
from .checker import make_checker
from .identity import temporal_salt
from ._temporal import direct_keys, ISO_DATETIME_RE, iso_components, awareness, components, datetime_key, strptime_regex, timestamp_micros
from .string_type import field_format

SUPPORTED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")


def datetime_reader(fmt: str):
    def reader(cell: Any):
        from dateutil import parser  # here: most files have no residue to parse (16 ms)

        if not isinstance(cell, datetime):
            if not isinstance(cell, str):
                return None
            try:
                if fmt == "default":
                    assert cell[16] == ":"
                    assert len(cell) >= 19
                    cell = parser.isoparse(cell)
                elif fmt == "any":
                    cell = parser.parse(cell)
                else:
                    cell = datetime.strptime(cell, fmt)
            except Exception:
                return None
        return cell

    return reader


def datetime_spec(field: FieldSpec) -> TypeSpec:
    fmt = field_format(field)
    regex = None
    if fmt == "default":
        regex = ISO_DATETIME_RE
    elif fmt != "any":
        regex = strptime_regex(fmt)

    def fast_cast(cells):
        c = iso_components(cells, 11) if regex == ISO_DATETIME_RE else components(cells, regex, fmt=fmt)
        keys = from_numpy(timestamp_micros(c), pa.timestamp("us"), c["valid"])
        return keys, c["aware"]

    def direct(cells):
        return direct_keys(cells, pa.timestamp("us"), iso_start=11 if regex == ISO_DATETIME_RE else None, fmt=fmt)

    return TypeSpec(
        name="datetime",
        supported=SUPPORTED,
        value_reader=datetime_reader(fmt),
        to_key=datetime_key,
        key_type=pa.timestamp("us"),
        fast_regex=regex,
        fast_cast=fast_cast if regex else None,
        fast_direct=direct if regex else None,
        extra={"awareness": awareness},
        key_salt=temporal_salt,
    )


check_datetime = make_checker("datetime", datetime_spec)
