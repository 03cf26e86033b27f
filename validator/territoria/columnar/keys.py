"""Hashed keys for unique, primaryKey and foreignKeys checks across batches.

Why hashes: remembering every key of a 10-million-row file as Python objects
would take gigabytes. Each key (one value or a tuple of values) becomes a
64-bit hash computed straight from the Arrow buffers (in C, or numpy), and seen keys
live in a numpy open-addressing table (``hash_table``), each with the last row
where it was seen: about 17 bytes per distinct key, vectorised lookups that
release the GIL, no Python object per row. Past a memory budget (``--memory-limit``),
both kinds of index (``SeenKeys`` for unique and primaryKey, ``KeySet`` for the keys a
foreign key references) spill to partition files (``columnar.spill``).
"""
from __future__ import annotations

import contextlib
import contextvars
import os
from typing import Optional

import numpy as np
import pyarrow as pa

from .arrow import from_numpy, numbers, validity
from .hash_table import UInt64Table, _capacity_for

_FNV_PRIME = np.uint64(0x100000001B3)
_NULL_HASH = np.uint64(0x9E3779B97F4A7C15)
_LONG_STRING = 96  # beyond this many bytes, hash strings with BLAKE2 instead
_LONG_TAG = np.uint64(0x6A09E667F3BCC909)  # keeps the two rules apart
_BYTES_PER_SLOT = 12  # a uint64 hash and an int32 row (``hash_table``)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the whole hash."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def _string_hash(array: pa.Array) -> np.ndarray:
    """A 64-bit hash of each string's bytes and length.

    Each string is hashed by a rule that depends on its own bytes only, never
    on the other strings of the batch or on the array type, so that one value
    hashes alike in every batch and every table (unique across batches, foreign
    keys across files). Strings up to ``_LONG_STRING`` bytes are laid out as a
    zero-padded (rows, 8k) byte matrix whose 8-byte words are mixed in one
    vectorised step each (an identifier of 12 bytes costs two steps over the
    batch, not twelve); longer ones, rare in keys, are hashed by BLAKE2.
    """
    from . import kernels
    from .arrow import byte_matrix, string_layout, string_lengths

    if pa.types.is_large_string(array.type):
        array = array.cast(pa.string())  # a batch holds far less than 2 GB of text
    hashes = kernels.string_hash(array, _LONG_STRING)
    if hashes is not None:
        return _hash_long(array, string_lengths(array) > _LONG_STRING, hashes)
    layout = string_layout(array)
    starts, lengths, data = layout
    n = len(starts)
    long = lengths > _LONG_STRING
    short_lengths = lengths[~long]
    width = max(8, -(-int(short_lengths.max() if len(short_lengths) else 0) // 8) * 8)
    matrix = byte_matrix(array, width, layout)
    if n and int(lengths.min()) < width:
        if not matrix.flags.writeable:
            matrix = matrix.copy()
        matrix[np.arange(width)[None, :] >= lengths[:, None]] = 0  # bytes past the end
    words = np.ascontiguousarray(matrix).view(np.uint64)
    hashes = lengths.astype(np.uint64) * _FNV_PRIME
    with np.errstate(over="ignore"):
        hashes = _mix(hashes ^ words[:, 0]) if n else hashes
        for column in range(1, words.shape[1]):
            # only words holding some of the string's bytes
            mixed = _mix(hashes ^ words[:, column])
            hashes = np.where(lengths > 8 * column, mixed, hashes)
    return _hash_long(array, long, hashes)


def _hash_long(array: pa.Array, long: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """``hashes`` with the strings longer than ``_LONG_STRING`` bytes hashed by BLAKE2
    (one call per long string: they are rare in keys)."""
    if long.any():
        from hashlib import blake2b

        texts = array.filter(from_numpy(long)).to_pylist()
        digests = [int.from_bytes(blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
                   for text in texts]
        hashes[long] = _mix(np.array(digests, dtype=np.uint64) ^ _LONG_TAG)
    return hashes


def _column_hash(array) -> np.ndarray:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    # every column is hashed as its buffers lie (a null slot hashes as whatever it
    # holds) and the null hash is put over the null slots below: no copy, no fill
    valid = validity(array) if array.null_count else None
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        hashes = _string_hash(array)
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        # Python compares 1 == 1.0 == Decimal("1"): hash numbers in one domain.
        values = numbers(array.cast(pa.float64(), safe=False))
        values = values + 0.0  # -0.0 == 0.0
        hashes = _mix(values.view(np.uint64))
    elif pa.types.is_boolean(kind):
        hashes = _mix(numbers(array).astype(np.uint64) + np.uint64(7))
    elif pa.types.is_temporal(kind):
        width = kind.bit_width
        integer = array.view(pa.int64() if width == 64 else pa.int32())
        hashes = _mix(numbers(integer).astype(np.int64).view(np.uint64) ^ np.uint64(width))
    else:
        hashes = _string_hash(array.cast(pa.string()))
    if valid is not None:
        hashes[~valid] = _NULL_HASH
    return hashes


#: the peak RSS a run keeps under by default (``--memory-limit``)
DEFAULT_MEMORY_LIMIT = 600 << 20
#: what a run holds besides its key indexes: the interpreter and libraries (~100 MB),
#: the batches in flight and what the allocators keep (measured at 10M rows: ~310 MB)
RESERVED = 330 << 20
_MINIMUM_BUDGET = 16 << 20
_LIMIT = contextvars.ContextVar("territoria_memory_limit", default=None)


@contextlib.contextmanager
def memory_limit(limit: Optional[int]):
    """Within this block, the key indexes of a table share ``limit - RESERVED`` bytes
    (None: DEFAULT_MEMORY_LIMIT, or TERRITORIA_MEMORY_LIMIT)."""
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def key_budget(tables: int) -> Optional[int]:
    """The bytes each of ``tables`` key indexes of one table may take."""
    limit = _LIMIT.get()
    if limit is None:
        limit = parse_size(os.environ.get("TERRITORIA_MEMORY_LIMIT", "")) or DEFAULT_MEMORY_LIMIT
    return max(_MINIMUM_BUDGET, (limit - RESERVED) // max(tables, 1))


def parse_size(text: str) -> Optional[int]:
    """Bytes of "600M", "2G", "512k" or a plain number of bytes; None if empty or unreadable."""
    text = (text or "").strip().upper().removesuffix("B")
    factor = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1) if text else 1
    number = text[:-1] if text[-1:] in ("K", "M", "G") else text
    try:
        value = float(number)
    except ValueError:
        return None
    return int(value * factor) if value > 0 else None


def hash_keys(columns: list, salts: "list | None" = None) -> np.ndarray:
    """uint64 hash per row of one or more pyarrow arrays (a null hashes to a constant).

    ``salts``: per column, None or a uint64 array mixed into the hash where it is
    not 0 (``fields.identity``: values equal as keys only when their salts agree).
    """
    combined = None
    with np.errstate(over="ignore"):
        for number, column in enumerate(columns):
            hashes = _column_hash(column)
            salt = salts[number] if salts is not None and number < len(salts) else None
            if salt is not None:
                hashes = np.where(salt != 0, _mix(hashes ^ _mix(salt)), hashes)
            combined = hashes if combined is None else _mix(combined * np.uint64(31) + hashes)
    return combined


class _Budgeted:
    """A key table held in memory up to ``budget`` bytes (None: no bound), and the
    private folder its spill files go to once past it."""

    def __init__(self, budget: Optional[int] = None) -> None:
        self._table = UInt64Table()
        self.budget = budget
        self._folder = None

    def _fits(self, more: int) -> bool:
        if self.budget is None:
            return True
        return _capacity_for(len(self._table) + more) * _BYTES_PER_SLOT <= self.budget

    def folder(self) -> str:
        """The private folder of this index's spill files (made when first asked for)."""
        from .spill import Folder

        if self._folder is None:
            self._folder = Folder()
        return self._folder.get()

    def close(self) -> None:
        """Remove the spill files, if any (the answers they held are lost)."""
        if self._folder is not None:
            self._folder.close()
            self._folder = None


class SeenKeys(_Budgeted):
    """Keys seen so far, each with the last row number where it was seen.

    Backed by ``hash_table.UInt64Table`` (key hashes to their last row):
    vectorised lookups and updates that release the GIL, so the key check of
    a batch runs beside the other columns' checks; about 17 bytes per key.

    ``budget``: the bytes the table may take (None: no bound). A table that would
    grow past it is spilled (``columnar.spill``): its keys, and every key given
    afterwards, go to partition files, and :meth:`finish` finds the repeated ones
    at the end, a partition at a time; meanwhile :meth:`previous_rows` answers 0
    (no earlier row known) for the keys it spills.
    """

    def __init__(self, budget: Optional[int] = None) -> None:
        super().__init__(budget)
        self._before = None  # the keys held when the table was spilled, each with its last row
        self._after = None  # the keys given since, in file order

    @property
    def spilled(self) -> bool:
        return self._after is not None

    def reserve(self, keys: int) -> None:
        """Size the table for about ``keys`` distinct keys before the first one is
        added: growing a hash table rehashes it, which costs as much as filling it."""
        if len(self._table) == 0:
            keys = int(min(keys, 1 << 27))
            while self.budget is not None and keys > 0 and _capacity_for(keys) * _BYTES_PER_SLOT > self.budget:
                smaller = _capacity_for(keys) // 2 * 7 // 10  # the largest table within the budget
                keys = smaller if _capacity_for(smaller) < _capacity_for(keys) else 0
            self._table = UInt64Table(keys)

    def _spill(self) -> None:
        from .spill import Partitions

        self._before = Partitions(self.folder(), "before")
        self._after = Partitions(self.folder(), "after")
        for keys, rows in self._table.items(chunk=1 << 20):  # a few MB at a time
            self._before.add(keys, rows)
        self._table = UInt64Table()  # its memory is given back

    def previous_rows(self, hashes: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each key, the last earlier row with the same key (0 if none, or not
        known yet once spilled: :meth:`finish` tells); then remember them."""
        if len(hashes) == 0:
            return np.zeros(0, dtype=np.int64)
        if not self.spilled and not self._fits(len(hashes)):
            self._spill()
        if self.spilled:
            self._after.add(np.ascontiguousarray(hashes, dtype=np.uint64), np.ascontiguousarray(rows, dtype=np.int64))
            return np.zeros(len(hashes), dtype=np.int64)
        keys = np.ascontiguousarray(hashes, dtype=np.uint64)
        rows = np.ascontiguousarray(rows, dtype=np.int64)
        previous = self._table.swap_in_order(keys, rows)  # compiled: repeats handled in order
        if previous is not None:
            previous[previous < 0] = 0
            return previous
        ordered = np.sort(keys)
        repeats = ordered[1:][ordered[1:] == ordered[:-1]]
        if not len(repeats):  # the usual case: one probe per key reads and writes
            previous = self._table.swap(keys, rows)
            previous[previous < 0] = 0
            return previous
        # a key repeated inside the batch: its first occurrence gets the row from
        # earlier batches, the later ones the row of the occurrence before them.
        # Only the rows holding a repeated key are ordered.
        repeated = UInt64Table(len(repeats))
        repeated.put(repeats, np.zeros(len(repeats), dtype=np.int64))
        holders = np.flatnonzero(repeated.get(keys) >= 0)
        order = holders[np.argsort(keys[holders], kind="stable")]
        sorted_keys = keys[order]
        same = sorted_keys[1:] == sorted_keys[:-1]  # order[i + 1] repeats order[i]
        first = np.concatenate([[True], ~same])
        last = np.concatenate([~same, [True]])
        distinct = np.ones(len(keys), dtype=bool)
        distinct[order[~last]] = False  # each key once, at its last occurrence
        previous = np.zeros(len(keys), dtype=np.int64)
        previous[distinct] = np.maximum(self._table.swap(keys[distinct], rows[distinct]), 0)
        previous[order[first]] = previous[order[last]]
        previous[order[1:][same]] = rows[order[:-1][same]]
        return previous

    def finish(self) -> tuple:
        """(rows, previous rows) of the repeated keys :meth:`previous_rows` spilled,
        in row order, as the table would have answered them (:meth:`close` then
        removes the files)."""
        if not self.spilled:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        from .spill import partitions_of

        found_rows, found_previous = [], []
        for _, (before, after) in partitions_of(self._before, self._after):
            if not len(after):
                continue
            index = SeenKeys()
            index._table = UInt64Table(len(before) + len(after))
            index.add(before["hash"], before["row"])
            previous = index.previous_rows(after["hash"], after["row"])
            repeated = previous > 0
            found_rows.append(after["row"][repeated])
            found_previous.append(previous[repeated])
        if not found_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        rows, previous = np.concatenate(found_rows), np.concatenate(found_previous)
        order = np.argsort(rows, kind="stable")
        return rows[order], previous[order]

    def close(self) -> None:
        super().close()
        self._before = self._after = None

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """True where the key was added before."""
        if len(hashes) == 0:
            return np.zeros(0, dtype=bool)
        return self._table.get(hashes) >= 0

    def add(self, hashes: np.ndarray, rows: "np.ndarray | None" = None) -> None:
        if len(hashes) == 0:
            return
        values = np.ones(len(hashes), dtype=np.int64) if rows is None else rows
        self._table.put(hashes, values)


class KeySet(_Budgeted):
    """The keys of a referenced table (a foreign key's lookup): is a key among them?

    In memory (``hash_table``, about 17 bytes a key) while within ``budget``; past
    it, every key goes to partition files (``columnar.spill``), :meth:`contains`
    can no longer answer, and the referencing table hands its (hash, row) pairs to
    :meth:`missing` instead, which answers at the table's end a partition at a time.
    Either way the answer is the same: membership of the 64-bit hash.
    """

    def __init__(self, budget: Optional[int] = None) -> None:
        super().__init__(budget)
        self._keys = None  # the partition files, once spilled

    @property
    def spilled(self) -> bool:
        return self._keys is not None

    def _fits(self, more: int) -> bool:
        """Whether ``more`` keys fit, the table's growth included: it holds its old slots and
        its new ones at once (the set is not sized ahead: a referenced table's size is not known)."""
        if self.budget is None:
            return True
        held = len(self._table._keys)
        needed = _capacity_for(len(self._table) + more)
        return (needed + (held if needed > held else 0)) * _BYTES_PER_SLOT <= self.budget

    def add(self, hashes: np.ndarray) -> None:
        if len(hashes) == 0:
            return
        hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
        if not self.spilled and not self._fits(len(hashes)):
            from .spill import Partitions

            self._keys = Partitions(self.folder(), "referenced")
            for keys, _ in self._table.items(chunk=1 << 20):  # a few MB at a time
                self._keys.add(keys, np.zeros(len(keys), dtype=np.int64))
            self._table = UInt64Table()  # its memory is given back
        if self.spilled:
            self._keys.add(hashes, np.zeros(len(hashes), dtype=np.int64))
        else:
            _put_all(self._table, hashes)

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """True where the key is among the referenced ones (in memory only: see :meth:`missing`)."""
        if self.spilled:
            raise RuntimeError("a spilled key set answers through missing()")
        if len(hashes) == 0:
            return np.zeros(0, dtype=bool)
        return self._table.get(hashes) >= 0

    def missing(self, probes) -> np.ndarray:
        """The rows of ``probes`` (a ``spill.Partitions`` of (hash, row) pairs, partitioned
        as this set's files) whose key is not in the set, in row order."""
        from .spill import partitions_of

        found = []
        for _, (referenced, probe) in partitions_of(self._keys, probes):
            if not len(probe):
                continue
            table = UInt64Table(len(referenced))  # the partition's keys, and only them, in memory
            _put_all(table, referenced["hash"])
            found.append(probe["row"][table.get(probe["hash"]) < 0])
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.sort(np.concatenate(found), kind="stable")

    def close(self) -> None:
        super().close()
        self._keys = None


def _put_all(table: UInt64Table, hashes: np.ndarray) -> None:
    """Add keys (repeats allowed) to a table used as a set: in one compiled pass when the
    kernels are built (``put`` sorts the keys to find repeats first)."""
    ones = np.ones(len(hashes), dtype=np.int64)
    if table.swap_in_order(hashes, ones) is None:
        table.put(hashes, ones)
