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
        header = pa.table({f"c{i}": pa.array([name], pa.string()) for i, name in enumerate(names)})
        pacsv.write_csv(header, self.sink, write_options=pacsv.WriteOptions(include_header=False))
        self.writer = pacsv.CSVWriter(self.sink, self.schema,
                                      write_options=pacsv.WriteOptions(include_header=False))
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
                    self.writer.write_batch(batch)
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
        self.writer.close()
        self.sink.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        try:
            self._finish()
        except BaseException:  # the run failed already: only the temporary file matters
            pass
        try:
            self.writer.close()
            self.sink.close()
        except Exception:  # already closed or broken
            pass
        if os.path.exists(self.temporary):
            os.unlink(self.temporary)
