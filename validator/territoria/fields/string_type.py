"""`string` fields: any text casts; formats email/uri/uuid/binary restrict it."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import FieldResult, FieldSpec, register
from .constraints import check_common_constraints


@register("string")
def check_string(field: FieldSpec, cells: pa.Array) -> FieldResult:
    present = pc.is_valid(cells).to_numpy(zero_copy_only=False)
    type_error = np.zeros(len(cells), dtype=bool)
    # TODO(fields helper): formats email, uri, uuid, binary (exact as frictionless).
    keys = cells
    constraints = check_common_constraints(field, cells, keys, ok=present & ~type_error)
    return FieldResult(type_error=type_error, constraints=constraints, keys=keys)
