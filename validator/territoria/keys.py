"""Hashed keys for unique, primaryKey and foreignKeys checks across batches.

Why hashes: remembering every key of a 10-million-row file as Python objects
would take gigabytes. Each key (one value or a tuple of values) becomes a
64-bit hash computed by pandas in C; seen keys are kept as sorted numpy arrays
in a few levels that merge as they grow (a small log-structured index), so
memory is 16 bytes per distinct key and lookups are vectorised.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

NULL_ROW = 0


def hash_keys(columns: list) -> np.ndarray:
    """uint64 hash per row of one or more pyarrow arrays (nulls hash too)."""
    import pandas as pd

    frame = pd.DataFrame({str(i): _to_pandas(c) for i, c in enumerate(columns)})
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


def _to_pandas(array: pa.Array):
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.to_numpy(zero_copy_only=False)
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type) or pa.types.is_decimal(array.type):
        # Python compares 1 == 1.0 == Decimal("1"): hash numbers in one domain.
        return array.cast(pa.float64()).to_pandas()
    return array.to_pandas()


class SeenKeys:
    """Keys seen so far, each with the last row number where it was seen."""

    def __init__(self) -> None:
        self._levels: list = []  # [(sorted hashes, rows)], oldest first

    def previous_rows(self, hashes: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each key, the last earlier row with the same key, or 0; then remember them."""
        previous = np.zeros(len(hashes), dtype=np.int64)
        if len(hashes) == 0:
            return previous
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        same_as_before = sorted_hashes[1:] == sorted_hashes[:-1]
        previous[order[1:][same_as_before]] = rows[order[:-1][same_as_before]]
        first_in_batch = np.ones(len(hashes), dtype=bool)
        first_in_batch[order[1:][same_as_before]] = False
        lookup = np.flatnonzero(first_in_batch)
        if len(lookup):
            found = self._lookup(hashes[lookup])
            previous[lookup] = found
        # remember the last occurrence of each key of this batch
        last = np.ones(len(sorted_hashes), dtype=bool)
        last[:-1] = ~same_as_before
        self._add(sorted_hashes[last], rows[order][last])
        return previous

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        return self._lookup(hashes) != NULL_ROW

    def add(self, hashes: np.ndarray, rows: "np.ndarray | None" = None) -> None:
        if rows is None:
            rows = np.ones(len(hashes), dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        last = np.ones(len(sorted_hashes), dtype=bool)
        last[:-1] = sorted_hashes[1:] != sorted_hashes[:-1]
        self._add(sorted_hashes[last], rows[order][last])

    def _lookup(self, hashes: np.ndarray) -> np.ndarray:
        found = np.zeros(len(hashes), dtype=np.int64)
        pending = np.ones(len(hashes), dtype=bool)
        for level_hashes, level_rows in reversed(self._levels):  # newest first
            if not pending.any():
                break
            where = np.flatnonzero(pending)
            positions = np.searchsorted(level_hashes, hashes[where])
            positions = np.minimum(positions, len(level_hashes) - 1)
            hit = level_hashes[positions] == hashes[where]
            found[where[hit]] = level_rows[positions[hit]]
            pending[where[hit]] = False
        return found

    def _add(self, sorted_hashes: np.ndarray, rows: np.ndarray) -> None:
        if len(sorted_hashes) == 0:
            return
        self._levels.append((sorted_hashes, rows.astype(np.int64)))
        while len(self._levels) > 1 and len(self._levels[-2][0]) <= 2 * len(self._levels[-1][0]):
            newer = self._levels.pop()
            older = self._levels.pop()
            hashes = np.concatenate([older[0], newer[0]])
            rows_ = np.concatenate([older[1], newer[1]])
            order = np.argsort(hashes, kind="stable")
            hashes, rows_ = hashes[order], rows_[order]
            keep = np.ones(len(hashes), dtype=bool)
            keep[:-1] = hashes[1:] != hashes[:-1]  # keep the newer of equal keys
            self._levels.append((hashes[keep], rows_[keep]))
