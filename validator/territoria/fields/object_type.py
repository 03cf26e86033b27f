"""`object` fields: ``json.loads(cell)`` must give a dict (NaN/Infinity literals
are accepted as Python's json does). minLength/maxLength count keys. Parsed once
per distinct text. Key: canonical JSON (1 == 1.0 == true, as in Python)."""
from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker
from ._json import canonical

SUPPORTED = ("required", "minLength", "maxLength", "enum")


def object_reader(cell: Any):
    if not isinstance(cell, dict):
        if not isinstance(cell, str):
            return None
        try:
            cell = json.loads(cell)
        except Exception:
            return None
        if not isinstance(cell, dict):
            return None
    return cell


def object_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="object",
        supported=SUPPORTED,
        value_reader=object_reader,
        to_key=canonical,
        key_type=pa.string(),
    )


check_object = make_checker("object", object_spec)
