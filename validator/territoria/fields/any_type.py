"""`any` fields: every cell is valid as it is; only `required` and `enum` apply."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import FieldResult, FieldSpec, register
from .constraints import check_common_constraints


@register("any")
def check_any(field: FieldSpec, cells: pa.Array) -> FieldResult:
    type_error = np.zeros(len(cells), dtype=bool)
    ok = ~np.asarray(cells.is_null().to_numpy(zero_copy_only=False))
    return FieldResult(type_error=type_error, constraints=check_common_constraints(field, cells, cells, ok), keys=cells)
