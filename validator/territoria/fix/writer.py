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

    def write(self, columns: list) -> None:
        if not columns or len(columns[0]) == 0:
            return
        self.writer.write_batch(pa.record_batch(columns, schema=self.schema))
        self.rows += len(columns[0])

    def commit(self) -> None:
        self.writer.close()
        self.sink.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        try:
            self.writer.close()
            self.sink.close()
        except Exception:  # already closed or broken: only the temporary file matters
            pass
        if os.path.exists(self.temporary):
            os.unlink(self.temporary)
