"""`duration` fields: ``isodate.parse_duration(cell)`` (timedelta, or
isodate.Duration when years/months are present). Parsed once per distinct text.
Key: "months|microseconds" text, equal exactly when isodate says equal."""
from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

import pyarrow as pa

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker

SUPPORTED = ("required", "enum")


def duration_reader(cell: Any):
    import isodate

    if not isinstance(cell, (isodate.Duration, datetime.timedelta)):
        if not isinstance(cell, str):
            return None
        try:
            cell = isodate.parse_duration(cell)
        except Exception:
            return None
    return cell


def duration_key(value) -> str:
    if isinstance(value, datetime.timedelta):
        months, delta = Fraction(0), value
    else:
        months = Fraction(value.years) * 12 + Fraction(value.months)
        delta = value.tdelta
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{months}|{micros}"


def duration_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="duration",
        supported=SUPPORTED,
        value_reader=duration_reader,
        to_key=duration_key,
        key_type=pa.string(),
    )


check_duration = make_checker("duration", duration_spec)
