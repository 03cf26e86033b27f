"""Readers turn a source (CSV, TSV, XLSX, ODS, JSON, Parquet) into batches of text cells.

Why text: Table Schema semantics are defined on the textual form of a cell, so
every reader hands the engine the cells as strings (``pyarrow.StringArray``),
one array per column position, in batches of rows with their row numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

import numpy as np
import pyarrow as pa


TABULAR_EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods",
    ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson",
    ".parquet": "parquet", ".pq": "parquet",
}
#: the extensions that surely name a table (a ``.json`` or ``.txt`` file may be anything)
TABLE_EXTENSIONS = {k: v for k, v in TABULAR_EXTENSIONS.items() if k not in (".json", ".txt")}


class SourceProblem(Exception):
    """The source could not be read; ``code`` is the frictionless error type."""

    def __init__(self, code: str, note: str):
        super().__init__(note)
        self.code = code
        self.note = note


class NeedsExactRead(Exception):
    """Raised by a fast reader when the file needs the exact, row-by-row path.

    The engine then starts the table again with ``table.batches(exact=True)``.
    """


@dataclass
class Batch:
    """Consecutive data rows of a table, column by column.

    ``columns[i]`` holds the cells at position ``i`` (0-based) as text; it is
    null where the row has no cell at that position. ``cell_counts`` is the
    number of cells of each row, or None when every row has exactly
    ``len(labels)`` cells (the fast path).
    """

    columns: list
    row_numbers: np.ndarray
    cell_counts: Optional[np.ndarray] = None
    #: per column, its (FieldResult, present) already computed with other tables' columns
    #: (``engine.together``), or None: the engine checks that column itself
    checked: Optional[list] = None

    def __len__(self) -> int:
        return len(self.row_numbers)


@dataclass
class Table:
    """A readable table: its header labels and a factory of batches."""

    labels: list
    header_row: int
    batches: "callable"  # (exact: bool = False) -> Iterator[Batch]
    format: str
    encoding: Optional[str] = None
    dialect_notes: list = field(default_factory=list)  # tolerated dialect, for warnings
    byte_count: Optional[int] = None
    raw_labels: Optional[list] = None  # the header cells before frictionless's strip (advice only)


def string_array(values: list) -> pa.Array:
    from ..columnar.arrow import strings

    return strings(values)


def batches_from_rows(rows: Iterator[list], first_row_number: int, width: int, batch_size: int) -> Iterator[Batch]:
    """Group Python rows (lists of text cells or None) into batches.

    Used by the readers whose source library yields rows (spreadsheets, JSON,
    and the exact CSV path for ragged files); the cost is one list per row,
    paid only on those sources.
    """
    row_number = first_row_number
    buffer: list = []
    for row in rows:
        buffer.append(row)
        if len(buffer) >= batch_size:
            yield _batch(buffer, row_number, width)
            row_number += len(buffer)
            buffer = []
    if buffer:
        yield _batch(buffer, row_number, width)


def _batch(rows: list, first: int, width: int) -> Batch:
    counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    max_width = max(width, int(counts.max()) if len(counts) else 0)
    columns = []
    for position in range(max_width):
        columns.append(string_array([r[position] if position < len(r) else None for r in rows]))
    regular = bool((counts == width).all())
    return Batch(
        columns=columns,
        row_numbers=np.arange(first, first + len(rows), dtype=np.int64),
        cell_counts=None if regular else counts,
    )


def prefetch(batches: Iterator, depth: int = 2) -> Iterator:
    """Iterate ``batches`` in a background thread, ``depth`` batches ahead.

    Why: pyarrow parses CSV blocks with the GIL released, so on a machine with
    two cores the next batch is parsed while the current one is checked.
    Exceptions are re-raised in the consumer; stopping early stops the thread.
    The first two batches are read in the consumer's thread: most files are one
    batch long, and a thread started per file would cost more than it saves
    (the second is parsed while the pool checks the first).
    """
    batches = iter(batches)
    for _ in range(2):
        try:
            item = next(batches)
        except StopIteration:
            return
        yield item
    import queue
    import threading

    slots: "queue.Queue" = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce():
        try:
            for item in batches:
                while not stop.is_set():
                    try:
                        slots.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            slots.put(("end", done))
        except BaseException as error:  # handed to the consumer
            slots.put(("error", error))

    worker = threading.Thread(target=produce, name="territoria-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = slots.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        while worker.is_alive():
            try:
                slots.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)
