"""`boolean` fields (frictionless fields/boolean.py): exact string membership in
trueValues (default "true", "True", "TRUE", "1") / falseValues (default "false",
"False", "FALSE", "0"); a text in both lists is False (the false mapping is
written last). No stripping. Fully vectorised with ``is_in``. Key: bool."""
from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from . import FieldSpec
from ._core import TypeSpec, make_checker

SUPPORTED = ("required", "enum")
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]


def boolean_spec(field: FieldSpec) -> TypeSpec:
    true_values = list(field.descriptor.get("trueValues", DEFAULT_TRUE))
    false_values = list(field.descriptor.get("falseValues", DEFAULT_FALSE))
    mapping = {}
    for value in true_values:
        mapping[value] = True
    for value in false_values:
        mapping[value] = False

    def reader(cell: Any):
        if cell is True or cell is False:
            return cell
        if isinstance(cell, str):
            return mapping.get(cell)
        return None

    trues = pa.array([k for k, v in mapping.items() if v and isinstance(k, str)], type=pa.string())
    falses = pa.array([k for k, v in mapping.items() if not v and isinstance(k, str)], type=pa.string())

    def fast_cast(cells):
        is_true = pc.is_in(cells, value_set=trues)
        is_false = pc.is_in(cells, value_set=falses)
        return pc.if_else(is_true, True, pc.if_else(is_false, False, pa.scalar(None, pa.bool_())))

    return TypeSpec(
        name="boolean",
        supported=SUPPORTED,
        value_reader=reader,
        to_key=bool,
        key_type=pa.bool_(),
        fast_regex="",
        fast_cast=fast_cast,
    )


check_boolean = make_checker("boolean", boolean_spec)
