"""The change log: one line per changed cell, row or column, ``row,field,before,after,rule``.

Why every change: the data officer publishes the copy and must be able to say
what differs from her export, and a pipeline keeps the log beside the data.
File-level changes (encoding, delimiter, format, columns renamed, moved,
added or left out) have an empty ``row``; cell changes carry the row number of
the source (the header is row 1; the copy keeps every row at its place, except
blank rows at the very end, which it drops and logs). Cells no rule changed
are not in the log. The counts by rule feed the report's summary.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .writer import CsvOut

COLUMNS = ("row", "field", "before", "after", "rule")


class ChangeLog:
    """Counts every change by rule (and by what it changed: cell, row, column, file); writes them to ``path``."""

    def __init__(self, path: Optional[str]):
        self.out = CsvOut(path, list(COLUMNS), [pa.int64()] + [pa.string()] * 4) if path else None
        self.counts: Counter = Counter()
        self.scopes: dict = {}
        self.cells = 0  # distinct cells changed (a cell two rules changed counts once)

    def _count(self, rule: str, scope: str, n: int = 1) -> None:
        for name in rule.split("+"):
            self.counts[name] += n
            self.scopes.setdefault(name, scope)

    def file_change(self, field: str, before: str, after: str, rule: str, scope: str = "column") -> None:
        self._count(rule, scope)
        if self.out:
            self.out.write([pa.array([None], pa.int64()), pa.array([field]), pa.array([before]),
                            pa.array([after]), pa.array([rule])])

    def row_changes(self, rows: np.ndarray, field: str, before: list, after: list, rule: str) -> None:
        """Changes of whole rows (short rows padded, blank rows dropped at the end)."""
        if not len(rows):
            return
        self._count(rule, "row", len(rows))
        if self.out:
            n = len(rows)
            self.out.write([pa.array(rows, pa.int64()), pa.array([field] * n, pa.string()),
                            pa.array(before, pa.string()), pa.array(after, pa.string()),
                            pa.array([rule] * n, pa.string())])

    def cell_changes(self, parts: list) -> None:
        """One batch of cell changes: ``[(rows, field position, field name, before, after, rules)]``,
        written in row order, then field order."""
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return
        for _, _, _, _, _, names in parts:
            self.cells += len(names)
            counted = pc.value_counts(names)
            for rule, count in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist()):
                self._count(rule, "cell", count)
        if not self.out:
            return
        rows = np.concatenate([p[0] for p in parts])
        positions = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int64) for p in parts])
        order = np.lexsort((positions, rows))
        take = pa.array(order)
        names = {p[1]: p[2] for p in parts}
        lookup = np.zeros(max(names) + 1, dtype=np.int64)
        distinct = sorted(names)
        lookup[distinct] = np.arange(len(distinct))
        fields = pa.array([names[k] for k in distinct], pa.string()).take(pa.array(lookup[positions[order]]))
        before = pa.concat_arrays([p[3] for p in parts])
        after = pa.concat_arrays([p[4] for p in parts])
        rules = pa.concat_arrays([p[5] for p in parts])
        self.out.write([pa.array(rows[order], pa.int64()), fields, before.take(take), after.take(take),
                        rules.take(take)])

    def commit(self) -> None:
        if self.out:
            self.out.commit()

    def discard(self) -> None:
        if self.out:
            self.out.discard()
