"""`boolean` fields (frictionless fields/boolean.py): exact string membership in
trueValues (default "true", "True", "TRUE", "1") / falseValues (default "false",
"False", "FALSE", "0"); a text in both lists is False (the false mapping is
written last). No stripping. Fully vectorised with ``is_in``. Key: bool."""
from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import kernels
from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker
from ..columnar.arrow import filled_numbers, from_numpy, strings, validity

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

    texts = [k for k in mapping if isinstance(k, str)]
    value_set = strings(texts)
    truth = np.array([mapping[k] for k in texts] + [False], dtype=bool)

    def fast_cast(cells):
        compiled = kernels.index_in(cells, texts)
        if compiled is not None:
            found = compiled >= 0
            return from_numpy(truth[np.where(found, compiled, len(texts))], pa.bool_(), found)
        # one hash lookup: position in the (deduplicated) value list, null if absent
        index = pc.index_in(cells, value_set=value_set)
        found = validity(index)
        positions = filled_numbers(index, len(texts))
        return from_numpy(truth[positions], pa.bool_(), found)

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
