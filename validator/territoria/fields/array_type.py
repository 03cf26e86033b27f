"""`array` fields: ``json.loads`` to a list. minLength/maxLength count items.
With ``arrayItem``, when the array itself cast and passed its own constraints,
each item is read by a field built from arrayItem (type "any" by default, its
own missingValues, default [""], compared with ``str(item)``): an item type
error makes the cell a type error, a failing item constraint is reported under
that constraint's name; both can happen on one cell, as in frictionless.
Parsed once per distinct text. Key: canonical JSON."""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa

from . import FieldResult, FieldSpec, register
from ._core import SPEC_FACTORIES, TypeSpec, cast_column# noqa: F401
from ..columnar.arrow import normalise_cells
from ._json import canonical
from .constraints import check_constraints, compile_checks, safe

SUPPORTED = ("required", "minLength", "maxLength", "enum")


def array_reader(cell: Any):
    if not isinstance(cell, list):
        if isinstance(cell, str):
            try:
                cell = json.loads(cell)
            except Exception:
                return None
            if not isinstance(cell, list):
                return None
        elif isinstance(cell, tuple):
            cell = list(cell)
        else:
            return None
    return cell


def array_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="array",
        supported=SUPPORTED,
        value_reader=array_reader,
        to_key=canonical,
        key_type=pa.string(),
    )


SPEC_FACTORIES["array"] = array_spec


def python_cell_reader(descriptor: dict):
    """A frictionless-like cell reader: cell -> (value, set of failing names incl. "type")."""
    from . import _load_type_modules

    _load_type_modules()
    field = FieldSpec.from_descriptor(descriptor)
    spec = SPEC_FACTORIES[field.type](field)
    checks = compile_checks(field, spec)
    missing_values = descriptor.get("missingValues", [""])
    missing_values = [m for m in missing_values if isinstance(m, str)] + [
        m.get("value") for m in missing_values if isinstance(m, dict)
    ]

    def read(cell: Any):
        notes = set()
        if str(cell) in missing_values:
            cell = None
        if cell is not None:
            cell = spec.value_reader(cell)
            if cell is None:
                notes.add("type")
        if not notes:
            for name, (_, _, check) in checks.items():
                if not safe(check, cell):
                    notes.add(name)
        return cell, notes

    return read


@register("array")
def check_array(field: FieldSpec, cells: pa.Array) -> FieldResult:
    cells = normalise_cells(cells)
    spec = array_spec(field)
    cast = cast_column(spec, cells)
    type_error = cast.present & ~cast.ok
    constraints = check_constraints(field, spec, cast)
    item = field.descriptor.get("arrayItem")
    if item and cast.res_values:
        descriptor = dict(item)
        descriptor.pop("arrayItem", None)
        descriptor.setdefault("name", field.name)
        descriptor.setdefault("type", "any")
        read_item = python_cell_reader(descriptor)
        own = compile_checks(field, spec)
        n_values = len(cast.res_values)
        per_name: dict = {}
        for position, value in enumerate(cast.res_values):
            if value is None or not all(safe(check, value) for _, _, check in own.values()):
                continue
            names = set()
            for element in list(value):
                _, notes = read_item(element)
                names |= notes
            for name in names:
                per_name.setdefault(name, np.zeros(n_values, dtype=bool))[position] = True
        if per_name:
            idx = cast.res_indices
            rows = np.flatnonzero(cast.present & ~cast.fast)
            for name, flags in per_name.items():
                mask = np.zeros(len(cells), dtype=bool)
                mask[rows] = flags[idx[rows]]
                if name == "type":
                    type_error = type_error | mask
                else:
                    constraints[name] = constraints.get(name, np.zeros(len(cells), dtype=bool)) | mask
    return FieldResult(type_error=type_error, constraints=constraints, keys=cast.keys)
