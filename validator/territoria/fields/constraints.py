"""Constraint checks shared by the field types (placeholder, completed by the fields work)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import FieldSpec


def check_common_constraints(field: FieldSpec, cells: pa.Array, keys: pa.Array, ok: np.ndarray) -> dict:
    """Return {constraint: failing mask} for the constraints declared on `field`."""
    result = {}
    c = field.constraints
    if c.get("required"):
        result["required"] = pc.is_null(cells).to_numpy(zero_copy_only=False)
    return result
