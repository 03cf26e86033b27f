"""The copy and the change log on disk: UTF-8 CSV, batch by batch, in place only when complete.

Why a temporary file beside the target: a run that fails half-way (a file
unreadable further on, an interruption) must leave neither a half-written copy
nor a previous copy damaged; the finished file replaces the target in one
``os.replace``.
"""
from __future__ import annotations

import os
import tempfile

import pyarrow as pa
import pyarrow.csv as pacsv

#: batches waiting to be written, at most
AHEAD = 2
#: what makes a CSV cell need quotes (the copy is comma-separated)
_SPECIAL = (b",", b'"', b"\n", b"\r")
_BARE = pacsv.WriteOptions(include_header=False, quoting_style="none")
_QUOTED = pacsv.WriteOptions(include_header=False, quoting_style="needed")


def _has_special(column: pa.Array) -> bool:
    """A text cell of the column holds a comma, a quote or a line break: one scan of its bytes, stopped at the
    first (a sliced column's buffer may hold more than its cells: at worst quotes that were not needed)."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return False
    data = column.buffers()[2]
    if data is None:
        return False
    text = data.to_pybytes()  # a batch's column, a few MB: four memchr scans beat one regex over it tenfold
    return any(special in text for special in _SPECIAL)


def _write_minimally_quoted(batch: pa.RecordBatch, sink) -> None:
    """The batch's rows, quoted only if a cell holds a comma, a quote or a line break (then pyarrow quotes
    every text cell of that batch): a copy reads like the file it repairs, as Python's csv writes it,
    not a quote around every cell."""
    import pyarrow.compute as pc

    special = any(_has_special(column) for column in batch.columns)
    if batch.num_columns == 1 and pa.types.is_string(batch.column(0).type):
        # an empty cell alone on its line would read as a blank row: it is written "" (a null too)
        column = batch.column(0)
        if column.null_count or pc.any(pc.equal(pc.utf8_length(column), 0)).as_py():
            batch, special = pa.record_batch([pc.fill_null(column, "")], names=batch.schema.names), True
    pacsv.write_csv(batch, sink, write_options=_QUOTED if special else _BARE)


class CsvOut:
    """A CSV file of text columns ``names``, written batch by batch (``write``), put in place by ``commit``."""

    def __init__(self, path: str, names: list, types: list = None):
        self.path = os.path.abspath(path)
        folder = os.path.dirname(self.path) or "."
        handle, self.temporary = tempfile.mkstemp(prefix=".territoria-", suffix=".csv.part", dir=folder)
        os.close(handle)
        self.schema = pa.schema([pa.field(f"c{i}", t or pa.string()) for i, t in
                                 enumerate(types or [pa.string()] * len(names))])
        self.sink = pa.OSFile(self.temporary, "wb")
        # the header is written by us: pyarrow's header would repeat the placeholder names
        header = pa.record_batch([pa.array([name], pa.string()) for name in names],
                                 names=[f"c{i}" for i in range(len(names))])
        _write_minimally_quoted(header, self.sink)
        self.rows = 0

        self._thread = None  # the writing thread, started by the first batch

    def write(self, columns: list) -> None:
        """Queue one batch; it is written on the file's own thread, in order, while the next is repaired
        (pyarrow's CSV writer releases the GIL). At most ``AHEAD`` batches wait, so memory stays bounded."""
        if not columns or len(columns[0]) == 0:
            return
        batch = pa.record_batch(columns, schema=self.schema)
        self.rows += len(columns[0])
        if self._thread is None:
            import queue
            import threading

            self._queue = queue.Queue(maxsize=AHEAD)
            self._failure = None
            self._thread = threading.Thread(target=self._drain, name="territoria-writer", daemon=True)
            self._thread.start()
        if self._failure is not None:
            raise self._failure
        self._queue.put(batch)

    def _drain(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._failure is None:
                try:
                    _write_minimally_quoted(batch, self.sink)
                except BaseException as error:  # handed to the next write, or to commit
                    self._failure = error

    def _finish(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            if self._failure is not None:
                raise self._failure

    def commit(self) -> None:
        self._finish()
        self.sink.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        try:
            self._finish()
        except BaseException:  # the run failed already: only the temporary file matters
            pass
        try:
            self.sink.close()
        except Exception:  # already closed or broken
            pass
        if os.path.exists(self.temporary):
            os.unlink(self.temporary)
