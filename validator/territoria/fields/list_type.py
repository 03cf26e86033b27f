"""`list` fields: ``cell.split(delimiter)`` (default ","), every item read with the
*default* format reader of itemType (string, integer, boolean, number, datetime,
date, time; default string); one bad item makes the cell a type error.
minLength/maxLength count items. Vectorised: the items of all cells are split
with ``pc.split_pattern`` and cast by the item type's own fast/residue path.
Key: the cell text."""
from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import FieldSpec
from ._core import SPEC_FACTORIES, TypeSpec, cast_column
from .checker import make_checker
from ..columnar.arrow import filled_numbers, from_numpy, numbers, to_bool_numpy, typed_scalar

SUPPORTED = ("required", "minLength", "maxLength")


def _item_spec(field: FieldSpec) -> TypeSpec:
    from . import _load_type_modules

    _load_type_modules()
    item_type = field.descriptor.get("itemType", "string")
    item_field = FieldSpec.from_descriptor({"name": field.name, "type": item_type})
    return SPEC_FACTORIES[item_type](item_field)


def list_spec(field: FieldSpec) -> TypeSpec:
    delimiter = field.descriptor.get("delimiter", ",")
    item_spec = _item_spec(field)
    item_reader = item_spec.value_reader

    def reader(cell: Any):
        if isinstance(cell, str):
            cell = cell.split(delimiter)
        elif isinstance(cell, tuple):
            cell = list(cell)
        elif not isinstance(cell, list):
            return None
        items = []
        for item in cell:
            item = item_reader(item)
            if item is None:
                return None
            items.append(item)
        return items

    def fast_cast(cells):
        lists = pc.split_pattern(cells, delimiter)
        items = pc.list_flatten(lists)
        parents = numbers(pc.list_parent_indices(lists))
        item_cast = cast_column(item_spec, items)
        bad = np.zeros(len(cells), dtype=np.int64)
        np.add.at(bad, parents, (~item_cast.ok).astype(np.int64))
        good = (bad == 0) & to_bool_numpy(pc.is_valid(cells))
        return pc.if_else(from_numpy(np.asarray(good, dtype=bool)), cells, typed_scalar(None, pa.string()))

    def fast_length(cells):
        counts = pc.count_substring(cells, delimiter)
        return filled_numbers(counts, 0) + 1

    usable = isinstance(delimiter, str) and delimiter != ""
    return TypeSpec(
        name="list",
        supported=SUPPORTED,
        value_reader=reader,
        to_key=lambda items: repr(items),
        key_type=pa.string(),
        fast_regex="" if usable else None,
        fast_cast=fast_cast if usable else None,
        fast_length=fast_length,
    )


check_list = make_checker("list", list_spec)
