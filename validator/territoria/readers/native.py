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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

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
