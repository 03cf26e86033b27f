"""What a mapping file changes beyond a column's cells: rows left out, a column split into fields, rows
repeating a key, constants given by another column.

Why apart from the repairs: a repair sees one column; these read several
columns, or decide which rows the copy has. Each stays columnar (one batch at
a time, pyarrow kernels), and what it does is logged by the runner like any
repair: ``mapping-exclude`` and ``mapping-distinct`` rows, ``mapping-split``
columns, ``mapping-constant`` cells.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .mapping import Mapping, MappingProblem
from .repairs.codes import normal


def position_of(labels: list, label: str) -> Optional[int]:
    """The position of ``label`` in the source's header: as written, else the one label of its normal form."""
    if label in labels:
        return labels.index(label)
    found = [p for p, other in enumerate(labels) if normal(other) == normal(label)]
    return found[0] if len(found) == 1 else None


def label_positions(labels: list, mapping: Mapping) -> dict:
    """label -> position of every column the mapping reads besides its renames (a dropped column may be
    absent; a split, unpivoted, excluding or condition column may not: its rows would go wrong)."""
    needed = [(f"split/{s.label}", s.label) for s in mapping.split]
    needed += [(f"unpivot/columns/{label}", label) for label in (mapping.unpivot.columns if mapping.unpivot else {})]
    needed += [(f"exclude/{label}", label) for label in mapping.exclude]
    needed += [(f"constants/{c.field}/when", c.label) for c in mapping.conditions]
    out = {}
    for key, label in needed:
        position = position_of(labels, label)
        if position is None:
            raise MappingProblem(f"{mapping.place}: {key}: no column {label!r} in the source")
        out[label] = position
    return out


def trimmed_in(cells: pa.Array, values: list) -> np.ndarray:
    """True where the cell, trimmed, is one of ``values``."""
    found = pc.is_in(pc.utf8_trim_whitespace(cells), value_set=pa.array(values, pa.string()))
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def split_parts(cells: pa.Array, separator: str, count: int, missing: list) -> tuple:
    """``(parts, mismatched)``: the ``count`` trimmed parts of each cell split at ``separator``; a cell
    that does not split into exactly ``count`` parts gives empty parts and is ``mismatched`` (an empty
    cell, or one of the ``missing`` values, gives empty parts and is not)."""
    pieces = pc.split_pattern(cells, separator)
    fits = pc.equal(pc.list_value_length(pieces), count)
    empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(cells)), 0)
    if missing:
        empty = pc.or_(empty, pc.is_in(pc.utf8_trim_whitespace(cells), value_set=pa.array(missing, pa.string())))
    fits = pc.and_(pc.fill_null(fits, False), pc.invert(pc.fill_null(empty, True)))
    mismatched = pc.and_(pc.invert(fits), pc.invert(pc.fill_null(empty, True)))
    filler = pa.scalar(separator * (count - 1), pa.string())
    even = pc.split_pattern(pc.if_else(fits, cells, filler), separator)  # every list has count parts
    parts = [pc.if_else(fits, pc.utf8_trim_whitespace(pc.list_element(even, k)), pa.scalar("", pa.string()))
             for k in range(count)]
    return parts, np.asarray(mismatched.to_numpy(zero_copy_only=False), dtype=bool)


class Distinct:
    """The keys met so far (across batches): a row whose key was met is a repeat (bounded by the
    distinct keys, as a primary key check)."""

    def __init__(self):
        self.seen: set = set()

    def repeats(self, columns: list, skip: np.ndarray) -> tuple:
        """``(repeated, keys)`` over one batch: True where the row's values of ``columns`` were met
        before (rows at ``skip``, blank ones, are never repeats); ``keys`` the text of each key."""
        joined = pc.binary_join_element_wise(*[pc.fill_null(c, "") for c in columns], "\x1f")
        keys = joined.to_pylist()
        repeated = np.zeros(len(keys), dtype=bool)
        for k, key in enumerate(keys):
            if skip[k]:
                continue
            if key in self.seen:
                repeated[k] = True
            else:
                self.seen.add(key)
        return repeated, [key.replace("\x1f", " | ") for key in keys]


__all__ = ["position_of", "label_positions", "trimmed_in", "split_parts", "Distinct"]
