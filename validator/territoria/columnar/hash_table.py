"""An open-addressing hash table of 64-bit keys to integer values, in numpy.

Why not pandas' C hash table: it holds the GIL for its whole loop, so while it
runs, the threads checking the other columns of a batch stand still (10M-row
benchmark: 16.4 s with this table, 17.7-19.9 s with pandas'; equal at 1M rows). Here a
batch of keys is probed together: each round gathers the slots of every key
still looking, with numpy kernels that release the GIL. Memory is 12 bytes per
slot, about 17 per key at the 70 % load kept: values (row numbers) are stored
as int32 until one does not fit, when the values array is widened to int64
(16 bytes per slot). With the compiled kernels
(``territoria.kernels``) a batch is probed in one C loop, without the GIL
either; the numpy rounds below are the fallback, on the same arrays.

Keys are expected to be well-mixed hashes (``keys.hash_keys``): the slot is
their low bits. Key 0 marks an empty slot, so a key 0 is stored as another
constant (a 2**-64 collision, like any other hash collision).
"""
from __future__ import annotations

import numpy as np

from . import kernels

_ZERO_STAND_IN = np.uint64(0x9E3779B97F4A7C15)
_MIN_CAPACITY = 1 << 10


def _capacity_for(count: int) -> int:
    """Smallest power of two holding ``count`` keys under 70 % load."""
    capacity = _MIN_CAPACITY
    while count * 10 > capacity * 7:
        capacity *= 2
    return capacity


class UInt64Table:
    """Distinct uint64 keys, each with an int64 value (last written wins)."""

    def __init__(self, expected: int = 0) -> None:
        self._allocate(_capacity_for(expected))

    def _allocate(self, capacity: int, value_type=np.int32) -> None:
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._values = np.zeros(capacity, dtype=value_type)
        self._mask = np.uint64(capacity - 1)
        self._slot_mask = np.int64(capacity - 1)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    @staticmethod
    def _prepare(keys: np.ndarray) -> np.ndarray:
        keys = np.ascontiguousarray(keys, dtype=np.uint64)
        zero = keys == 0
        return np.where(zero, _ZERO_STAND_IN, keys) if zero.any() else keys

    def _fit(self, values: np.ndarray) -> np.ndarray:
        """``values`` as int64, the stored values widened to int64 first if
        some value does not fit in their int32 (a file beyond 2**31 rows)."""
        values = np.ascontiguousarray(values, dtype=np.int64)
        if self._values.dtype != np.int64 and len(values):
            low, high = np.iinfo(self._values.dtype).min, np.iinfo(self._values.dtype).max
            if int(values.min()) < low or int(values.max()) > high:
                self._values = self._values.astype(np.int64)
        return values

    def _make_room(self, keys: np.ndarray, values: np.ndarray) -> tuple:
        """(keys, values) ready to store: keys with 0 stood in for, values as int64
        (the stored ones widened if need be), the table grown to keep its load."""
        keys = self._prepare(keys)
        values = self._fit(values)
        if (self.size + len(keys)) * 10 > len(self._keys) * 7:
            self._grow(self.size + len(keys))
        return keys, values

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """Home slot of each key: its low bits, as int64 indexes (numpy would
        convert uint64 indexes at every use)."""
        return (keys & self._mask).view(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 where the key is absent."""
        keys = self._prepare(keys)
        compiled = kernels.table_get(self._keys, self._values, keys)
        if compiled is not None:
            return compiled
        found = np.full(len(keys), -1, dtype=np.int64)
        positions = np.arange(len(keys))
        slots = self._slots(keys)
        while len(positions):
            held = self._keys[slots]
            hit = held == keys
            if hit.any():
                found[positions[hit]] = self._values[slots[hit]]
            going_on = (held != 0) & ~hit
            positions, keys = positions[going_on], keys[going_on]
            slots = (slots[going_on] + 1) & self._slot_mask
        return found

    def swap(self, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Store ``values`` under ``keys`` (which must be distinct) and return the
        values they replace (-1 for new keys): one probe sequence per key for both."""
        keys, values = self._make_room(keys, values)
        compiled = kernels.table_swap(self._keys, self._values, self.size, keys, values)
        if compiled is not None:
            replaced, added = compiled
            self.size += added
            return replaced
        replaced = np.full(len(keys), -1, dtype=np.int64)
        positions = np.arange(len(keys))
        slots = self._slots(keys)
        while len(positions):
            held = self._keys[slots]
            empty = held == 0
            if empty.any():
                # keys racing for one empty slot: one write wins, re-reading tells which
                claimed = slots[empty]
                self._keys[claimed] = keys[empty]
                held[empty] = self._keys[claimed]
            done = held == keys
            existing = done & ~empty
            if existing.any():
                replaced[positions[existing]] = self._values[slots[existing]]
            self._values[slots[done]] = values[done]
            self.size += int(np.count_nonzero(done & empty))
            going_on = ~done
            positions, keys, values = positions[going_on], keys[going_on], values[going_on]
            slots = (slots[going_on] + 1) & self._slot_mask
        return replaced

    def swap_in_order(self, keys: np.ndarray, values: np.ndarray):
        """Like :meth:`swap`, but keys may repeat: they are stored one after the
        other, so a repeated key gets the value of its previous occurrence.
        Only with the compiled kernels (one sequential C loop); None without."""
        if not kernels.available():
            return None
        keys, values = self._make_room(keys, values)
        replaced, added = kernels.table_swap(self._keys, self._values, self.size, keys, values)
        self.size += added
        return replaced

    def put(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Store ``values`` under ``keys``; a key given twice keeps its last value."""
        keys = np.ascontiguousarray(keys, dtype=np.uint64)
        values = np.ascontiguousarray(values, dtype=np.int64)
        if len(keys) > 1:
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            repeated = ordered[1:] == ordered[:-1]
            if repeated.any():
                last = np.ones(len(order), dtype=bool)
                last[:-1] = ~repeated
                chosen = order[last]
                keys, values = keys[chosen], values[chosen]
        self.swap(keys, values)

    def items(self, chunk: int = 1 << 20):
        """(keys, int64 values) of the stored keys, ``chunk`` slots at a time."""
        for start in range(0, len(self._keys), chunk):
            keys = self._keys[start:start + chunk]
            used = keys != 0
            yield keys[used], self._values[start:start + chunk][used].astype(np.int64)

    def _grow(self, needed: int) -> None:
        used = self._keys != 0
        keys, values = self._keys[used], self._values[used]
        self._allocate(_capacity_for(needed), self._values.dtype)
        self.swap(keys, values)
