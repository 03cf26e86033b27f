"""The columns of several small tables of one schema, cast and checked as one.

Why: a 20-row file's column costs a few dozen numpy and pyarrow calls, and on 20
rows their fixed cost (microseconds each) is nearly all of it: twelve columns
were most of a small file's time. What a cell's cast and constraint checks
answer depends on that cell alone (a fast form is recognised cell by cell, the
residue is read once per distinct text, bounds, enums, lengths and patterns are
tested per cell), so the columns of tables read with the same fields can be
concatenated, checked once, and the answers cut back into each table's batch
(``Batch.checked``). Each table then goes through the engine as it would alone:
its blank rows, cell counts, keys and listing are its own.

What is not shared, so that no verdict can differ: a column whose keys came out
of another type than the field's (a value beyond it sent the whole column to the
fallback type, which the table alone might not have needed) is checked per table
again; and when a pattern timed out on some cell, nothing is shared (the
per-table checks then report each timeout in its own table).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..fields import FieldResult
from ..fields.native import check_column
from ..readers import Batch
from ..schema import TableSchema
from .cells import field_cells
from .header import field_missing_values


def check_together(batches: list, fields: list, schema: TableSchema) -> bool:
    """Set ``checked`` on each of ``batches`` (one batch of text cells per table, every
    row of the fields' width, no typed or native columns): per column, the
    ``(FieldResult, present)`` it would get alone, or None for a column left to it.
    False when nothing is shared."""
    from ..fields._core import type_spec
    from ..fields.pattern import drain_timeouts

    if len(batches) < 2 or not fields or not all(len(batch) for batch in batches):
        return False
    width = len(fields)
    starts = np.cumsum([0] + [len(batch) for batch in batches])
    combined = Batch(columns=[pa.concat_arrays([batch.columns[i] for batch in batches]) for i in range(width)],
                     row_numbers=np.concatenate([batch.row_numbers for batch in batches]))
    shared = [[None] * width for _ in batches]
    try:
        for index, spec in enumerate(fields):
            result, present = check_column(spec, combined, index,
                                           lambda: field_cells(combined, index, spec, schema),
                                           field_missing_values(spec, schema))
            if result.keys.type != type_spec(spec).key_type:
                continue  # keys of a fallback type: each table decides its own
            salts = _Salts(result)
            # each table gets views of the combined masks, read-only: a change in place would
            # reach its neighbours' (none is made: an attempt raises rather than spreads)
            type_error, present = _frozen(result.type_error), _frozen(present)
            constraints = {name: (_frozen(mask) if mask is not None else None)
                           for name, mask in result.constraints.items()}
            # which tables have any failure of each constraint, in one call: the others get
            # None, which the engine reads as no failure (as it reads an all-False mask)
            failing = {name: np.logical_or.reduceat(mask, starts[:-1]) if mask is not None else None
                       for name, mask in constraints.items()}
            for number, (start, end) in enumerate(zip(starts[:-1].tolist(), starts[1:].tolist())):
                part = FieldResult(
                    type_error=type_error[start:end],
                    constraints={name: (mask[start:end] if mask is not None and failing[name][number] else None)
                                 for name, mask in constraints.items()},
                    keys=result.keys.slice(start, end - start),
                    salt_of=salts.part(start, end) if result.salt_of is not None else None,
                )
                shared[number][index] = (part, present[start:end])
    finally:
        timed_out = drain_timeouts()
    if timed_out:
        return False
    for batch, checked in zip(batches, shared):
        batch.checked = checked
    return True


def _frozen(mask: np.ndarray) -> np.ndarray:
    mask = np.asarray(mask)
    mask.flags.writeable = False
    return mask


class _Salts:
    """The key salts of the combined column, computed once if a table asks for its share."""

    def __init__(self, result: FieldResult) -> None:
        self.result, self.done, self.salts = result, False, None

    def part(self, start: int, end: int):
        def salt_of():
            if not self.done:
                self.salts, self.done = self.result.key_salt(), True
            return None if self.salts is None else _frozen(self.salts)[start:end]
        return salt_of
