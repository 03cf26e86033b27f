"""Keys beyond memory: (hash, row) pairs written to partition files, finished one by one.

Why partitions: a key index of 30 million distinct keys takes over 700 MB. Past its
memory budget, a ``keys.SeenKeys`` (unique, primaryKey) or ``keys.KeySet`` (the keys a
foreign key references) writes every key it is given to one of ``PARTITIONS`` files
chosen by the top bits of its hash (equal keys land in the same file), and at the end
of the table each file is read back alone and checked in row order, so that the index
of one partition at a time is in memory.

The files live in a private temporary folder (mode 0700), removed when the
index is closed; their writes are buffered, a few megabytes in memory at most.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from typing import Iterator, Optional

import numpy as np

from .hash_table import UInt64Table

#: files per spilled index: 64 partitions of a 30M-key file hold 0.5M keys each
PARTITION_BITS = 6
PARTITIONS = 1 << PARTITION_BITS
_PART_TYPE = np.uint8 if PARTITION_BITS <= 8 else np.uint16  # small integers: numpy sorts them by radix
_PAIR = np.dtype([("hash", "<u8"), ("row", "<i8")])
_FLUSH_BYTES = 4 << 20


class Partitions:
    """(hash, row) pairs, appended in file order, split by the top bits of the hash."""

    def __init__(self, folder: str, name: str) -> None:
        self.paths = [os.path.join(folder, f"{name}-{i:02d}.bin") for i in range(PARTITIONS)]
        self.pending: list = [[] for _ in range(PARTITIONS)]
        self.pending_bytes = 0
        self.count = 0

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        if not len(hashes):
            return
        # as the in-memory table stores them (a hash 0, e.g. of the number 0, under its stand-in),
        # so that the keys a table held and the ones given after it spilled meet in one file
        hashes = UInt64Table._prepare(hashes)
        pairs = np.empty(len(hashes), dtype=_PAIR)
        pairs["hash"] = hashes
        pairs["row"] = rows
        part = (np.asarray(hashes, dtype=np.uint64) >> np.uint64(64 - PARTITION_BITS)).astype(_PART_TYPE)
        order = np.argsort(part, kind="stable")  # file order kept within each partition (a radix sort)
        bounds = np.concatenate([[0], np.cumsum(np.bincount(part, minlength=PARTITIONS))])
        pairs = pairs[order]
        for i in np.flatnonzero(np.diff(bounds)):
            self.pending[i].append(pairs[bounds[i]:bounds[i + 1]])
        self.pending_bytes += pairs.nbytes
        self.count += len(pairs)
        if self.pending_bytes > _FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        for i, chunks in enumerate(self.pending):
            if chunks:
                with open(self.paths[i], "ab") as sink:
                    for chunk in chunks:
                        chunk.tofile(sink)
                self.pending[i] = []
        self.pending_bytes = 0

    def read(self, i: int) -> np.ndarray:
        """The pairs of partition ``i``, in the order they were added."""
        self.flush()
        if not os.path.exists(self.paths[i]):
            return np.zeros(0, dtype=_PAIR)
        return np.fromfile(self.paths[i], dtype=_PAIR)


class Folder:
    """A private temporary folder for the spill files of one table, made when first needed."""

    def __init__(self, parent: Optional[str] = None) -> None:
        self.parent = parent
        self.path: Optional[str] = None

    def get(self) -> str:
        if self.path is None:
            self.path = tempfile.mkdtemp(prefix="territoria-keys-", dir=self.parent)  # mode 0700
        return self.path

    def close(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


class Values:
    """Some typed columns of some rows, by row number, written as they come (Arrow IPC
    streams) and read back for the few rows an error listing needs.

    A key column's type may differ from batch to batch (a number field read as
    integers, then as decimals): each change of the columns' types starts a new
    stream, so every value reads back as it was written.
    """

    def __init__(self, folder: str, name: str) -> None:
        self.folder, self.name = folder, name
        self.paths: list = []
        self.writer = None
        self.schema = None

    def add(self, rows: np.ndarray, columns: list) -> None:
        import pyarrow as pa

        from .arrow import from_numpy

        if not len(rows):
            return
        batch = pa.record_batch([from_numpy(np.ascontiguousarray(rows, dtype=np.int64)), *columns],
                                names=["row"] + [f"c{i}" for i in range(len(columns))])
        if self.writer is None or not batch.schema.equals(self.schema):
            self._close()
            self.paths.append(os.path.join(self.folder, f"{self.name}-{len(self.paths)}.arrows"))
            self.writer, self.schema = pa.ipc.new_stream(self.paths[-1], batch.schema), batch.schema
        self.writer.write_batch(batch)

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def lookup(self, rows: np.ndarray) -> dict:
        """{row: [value of each column]} of the wanted rows (Python values, as ``as_py`` gives them)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from .arrow import from_numpy

        self._close()
        if not self.paths or not len(rows):
            return {}
        wanted = from_numpy(np.unique(np.asarray(rows, dtype=np.int64)))
        found: dict = {}
        for path in self.paths:
            # read, not mapped: the pages of a mapped file count in the process's memory
            with pa.OSFile(path) as source, pa.ipc.open_stream(source) as reader:
                for batch in reader:
                    kept = batch.filter(pc.is_in(batch.column(0), value_set=wanted))
                    if kept.num_rows:
                        columns = [kept.column(i).to_pylist() for i in range(1, kept.num_columns)]
                        found.update(zip(kept.column(0).to_pylist(), map(list, zip(*columns))))
        return found


class Texts(Values):
    """The text of some cells, by row number (a ``Values`` of one text column)."""

    def add(self, rows: np.ndarray, texts) -> None:
        import pyarrow as pa

        super().add(rows, [texts.cast(pa.string())])

    def lookup(self, rows: np.ndarray) -> dict:
        """{row: text} of the wanted rows."""
        return {row: values[0] for row, values in super().lookup(rows).items()}


def partitions_of(*spills: Partitions) -> Iterator[tuple]:
    """(index, pairs of each spill) for every partition, one partition in memory at a time."""
    for i in range(PARTITIONS):
        yield i, [spill.read(i) for spill in spills]
