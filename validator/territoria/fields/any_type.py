"""`any` fields: every cell casts to itself (the text); enum compares texts with
the raw enum entries (a non-string entry never matches). Key: the text."""
from __future__ import annotations

import pyarrow as pa

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker

SUPPORTED = ("required", "enum")


def any_key(value):
    if not isinstance(value, str):
        raise TypeError("any keys are texts")
    return value


def any_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="any",
        supported=SUPPORTED,
        value_reader=lambda cell: cell,
        to_key=any_key,
        key_type=pa.string(),
        fast_regex="",
        fast_cast=lambda cells: cells,
    )


check_any = make_checker("any", any_spec)
