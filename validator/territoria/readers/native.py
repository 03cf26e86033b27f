"""Typed source cells (spreadsheets, JSON, Parquet) as text plus the kind of value they were.

Why: frictionless's field readers accept or reject some values by *Python
type* (an int in a ``string`` field is a type error; a datetime at midnight is
a valid ``date``). Text alone cannot carry that, so readers of typed sources
yield :class:`NativeBatch` objects: the text of each cell (the form our field
types parse to the value frictionless reads) and, per column, the ``KIND_*``
code of each cell. What each field type then makes of a kind is the fields'
business (``territoria.fields.native``).
"""
from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.arrow import strings
from . import Batch

# What a cell was in the source, before it became text (int8 codes).
# What a cell was in the source, before it became text (int8 codes).
KIND_TEXT = 0      # a str, or no value (None): the ordinary text path applies


KIND_INT = 1       # int (never bool)


KIND_FLOAT = 2     # float or Decimal; a whole value is written "3", not "3.0"


KIND_BOOL = 3      # bool, written "true" / "false"


KIND_DATETIME = 4  # datetime.datetime, written ISO 8601 with "T"


KIND_DATE = 5      # datetime.date, written YYYY-MM-DD


KIND_TIME = 6      # datetime.time, written HH:MM:SS[.ffffff]


KIND_DURATION = 7  # datetime.timedelta, written ISO 8601 "P...T...S"


KIND_LIST = 8      # list/tuple (JSON array), written as JSON


KIND_DICT = 9      # dict (JSON object), written as JSON


KIND_OTHER = 10    # anything else, written with str()


@dataclass
class NativeBatch(Batch):
    """A batch whose cells came from typed (non-text) values.

    ``native[i]`` / ``kinds[i]``: numpy bool / int8 arrays for column ``i``, or
    None when every cell of that column was text or empty in the source.
    """

    native: Optional[list] = None
    kinds: Optional[list] = None
    typed: Optional[list] = None  # the source's typed Arrow columns (Parquet), for ``fields.native``


def _json_default(value: Any):
    if isinstance(value, Decimal):
        return float(value) if not value == value.to_integral_value() else int(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _duration_text(value: _dt.timedelta) -> str:
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    value = abs(value)
    days, seconds, micro = value.days, value.seconds, value.microseconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}P{days}D" if days else f"{sign}P"
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if secs or micro or not (days or hours or minutes):
        time += f"{secs}.{micro:06d}".rstrip("0").rstrip(".") + "S" if micro else f"{secs}S"
    return text + ("T" + time if time else "")


def _number_text(value) -> str:
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    # Decimal
    if value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def cell_text(value: Any) -> "tuple[Optional[str], int]":
    """The text our field types parse to the value frictionless reads, and the kind."""
    if value is None:
        return None, KIND_TEXT
    if isinstance(value, str):
        return value, KIND_TEXT
    if value is True or value is False:
        return ("true" if value else "false"), KIND_BOOL
    if isinstance(value, int):
        return str(value), KIND_INT
    if isinstance(value, (float, Decimal)):
        return _number_text(value), KIND_FLOAT
    if isinstance(value, _dt.datetime):
        return value.isoformat(), KIND_DATETIME
    if isinstance(value, _dt.date):
        return value.isoformat(), KIND_DATE
    if isinstance(value, _dt.time):
        return value.isoformat(), KIND_TIME
    if isinstance(value, _dt.timedelta):
        return _duration_text(value), KIND_DURATION
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False, default=_json_default), KIND_LIST
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default), KIND_DICT
    return str(value), KIND_OTHER


# --- typed Arrow columns (Parquet, NDJSON) as text ---------------------------------------

_UTC = ("UTC", "Etc/UTC", "+00:00", "Z", "utc")


def _is_text(kind_of: pa.DataType) -> bool:
    return (pa.types.is_null(kind_of) or pa.types.is_string(kind_of) or pa.types.is_large_string(kind_of)
            or pa.types.is_string_view(kind_of))


def _is_list(kind_of: pa.DataType) -> bool:
    return (pa.types.is_list(kind_of) or pa.types.is_large_list(kind_of) or pa.types.is_fixed_size_list(kind_of)
            or pa.types.is_map(kind_of))


#: (test of an Arrow type, the kind of its values), in order
_KINDS_OF_TYPES = (
    (_is_text, KIND_TEXT), (pa.types.is_boolean, KIND_BOOL), (pa.types.is_integer, KIND_INT),
    (pa.types.is_floating, KIND_FLOAT), (pa.types.is_decimal, KIND_FLOAT), (pa.types.is_timestamp, KIND_DATETIME),
    (pa.types.is_date, KIND_DATE), (pa.types.is_time, KIND_TIME), (pa.types.is_duration, KIND_DURATION),
    (pa.types.is_struct, KIND_DICT), (_is_list, KIND_LIST),
)


def arrow_kind(kind_of: pa.DataType) -> int:
    """The ``KIND_*`` of every value of an Arrow type (what its text is made from)."""
    if pa.types.is_dictionary(kind_of):
        return arrow_kind(kind_of.value_type)
    return next((kind for test, kind in _KINDS_OF_TYPES if test(kind_of)), KIND_OTHER)


def arrow_text(column) -> pa.Array:
    """A typed Arrow column as the text our field types parse to the value frictionless
    reads (null stays null): see ``cell_text``, whose forms it follows."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind_of = column.type
    if pa.types.is_dictionary(kind_of):
        return arrow_text(column.dictionary_decode())
    kind = arrow_kind(kind_of)
    if pa.types.is_null(kind_of):
        return pa.nulls(len(column), pa.string())
    if kind == KIND_FLOAT:
        if pa.types.is_floating(kind_of):
            return _float_text(column)
        # "3.00" → "3" (frictionless reads Decimal("3.00") as a whole number)
        return pc.replace_substring_regex(pc.cast(column, pa.string()), pattern=r"\.0*$", replacement="")
    if kind == KIND_DATETIME:
        return _timestamp_text(column)
    if kind == KIND_DATE:
        return pc.cast(pc.cast(column, pa.date32()), pa.string())
    if kind in (KIND_DICT, KIND_LIST):
        return _per_value(column, as_json=True)
    if kind == KIND_DURATION:
        return _per_value(column)
    if pa.types.is_binary(kind_of) or pa.types.is_large_binary(kind_of) or pa.types.is_fixed_size_binary(kind_of):
        try:
            return pc.cast(pc.cast(column, pa.binary()), pa.string())
        except pa.ArrowInvalid:
            return strings([None if v is None else v.decode("utf-8", "replace") for v in column.to_pylist()])
    try:  # text, booleans, integers, times, and anything Arrow writes as text
        return pc.cast(column, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _per_value(column)


def _timestamp_text(column: pa.Array) -> pa.Array:
    """ISO 8601 with "T"; an aware timestamp with its offset ("Z" in UTC).

    Arrow formats a zoned timestamp through the time-zone database, 3 µs a value;
    UTC ones are formatted as naive (their stored values are UTC) and given the "Z"."""
    zone = column.type.tz
    if zone is None or zone in _UTC:
        text = pc.cast(column.cast(pa.timestamp(column.type.unit)), pa.string())
        text = pc.binary_replace_slice(text, 10, 11, "T")
        return text if zone is None else pc.binary_replace_slice(text, 1 << 30, 1 << 30, "Z")
    text = pc.cast(column, pa.string())
    return pc.replace_substring(text, pattern=" ", replacement="T", max_replacements=1)


class TextColumns(Sequence):
    """The text of a batch's typed columns, each made when first read.

    Why lazy: making text of a float or a timestamp column costs more than checking
    it; a number, integer, boolean or date field checks the typed values
    themselves, so their text is made only if an error is listed or a custom
    check reads the cells."""

    def __init__(self, typed: list) -> None:
        self._typed = list(typed)
        self._text: list = [None] * len(self._typed)

    def __len__(self) -> int:
        return len(self._typed)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        text = self._text[index]
        if text is None:
            text = self._text[index] = arrow_text(self._typed[index])
        return text

def _float_text(column: pa.Array) -> pa.Array:
    """Floats as text; whole finite values within int64 written as integers."""
    column = pc.cast(column, pa.float64())
    text = pc.cast(column, pa.string())
    finite = pc.fill_null(pc.is_finite(column), False)
    whole = pc.and_(finite, pc.equal(pc.floor(column), column))
    whole = pc.fill_null(whole, False)
    if not pc.any(whole).as_py():
        return text
    small = pc.and_(whole, pc.less(pc.abs(column), 2.0 ** 62))
    safe = pc.if_else(small, column, 0.0)
    integers = pc.cast(pc.cast(safe, pa.int64()), pa.string())
    text = pc.if_else(small, integers, text)
    huge = pc.and_(whole, pc.invert(small))
    if pc.any(huge).as_py():
        values = text.to_pylist()
        floats = column.to_pylist()
        for i in np.flatnonzero(huge.to_numpy(zero_copy_only=False)):
            values[i] = str(int(floats[i]))
        text = strings(values)
    return text


def _per_value(column: pa.Array, as_json: bool = False) -> pa.Array:
    values = []
    for value in column.to_pylist():
        if value is None:
            values.append(None)
        elif as_json:
            values.append(json.dumps(value, ensure_ascii=False, default=_json_default))
        else:
            values.append(cell_text(value)[0])
    return strings(values)
