"""Views of Arrow arrays as numpy: validity bitmaps, string offsets and bytes.

Why here: the field types, the key hashes, the compiled kernels and the engine
all read the raw buffers of Arrow arrays; these helpers depend on nothing of
Territoria's, so every stage can use them without an import circle.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def to_bool_numpy(array) -> np.ndarray:
    """A pyarrow boolean array (nulls as False) as a numpy bool array."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n = len(array)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if pa.types.is_boolean(array.type):
        # straight from the bitmaps: no intermediate arrays
        values = _bits(array.buffers()[1], array.offset, n)
        if array.null_count:
            values = values & validity(array)
        return values
    if array.null_count:
        array = pc.fill_null(array, False)
    return array.to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _bits(buffer, offset: int, n: int) -> np.ndarray:
    """``n`` bits of an Arrow bitmap from bit ``offset``, as a numpy bool array."""
    first = offset // 8
    stop = (offset + n + 7) // 8
    raw = np.frombuffer(buffer, dtype=np.uint8, count=stop - first, offset=first)
    bits = np.unpackbits(raw, bitorder="little")
    start = offset - first * 8
    return bits[start : start + n].view(bool)


def validity(array) -> np.ndarray:
    """True where ``array`` is not null (numpy bool), read from the validity bitmap."""
    n = len(array)
    if array.null_count == 0:
        return np.ones(n, dtype=bool)
    if array.null_count == n:
        return np.zeros(n, dtype=bool)
    buffer = array.buffers()[0]
    if buffer is None:  # e.g. a NullArray slice
        return to_bool_numpy_slow(pc.is_valid(array))
    return _bits(buffer, array.offset, n).copy()


def to_bool_numpy_slow(array) -> np.ndarray:
    if array.null_count:
        array = pc.fill_null(array, False)
    return array.to_numpy(zero_copy_only=False).astype(bool, copy=False)


def normalise_cells(cells) -> pa.Array:
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    if not isinstance(cells, pa.Array):
        cells = pa.array(cells, type=pa.string())
    if pa.types.is_large_string(cells.type) or pa.types.is_null(cells.type):
        cells = cells.cast(pa.string())
    return cells


def mask_to_array(mask: np.ndarray) -> pa.Array:
    return pa.array(mask, type=pa.bool_())


def _flat_buffers(type_: pa.DataType) -> bool:
    """Types whose ``buffers()`` are [validity, ...own buffers] (no children)."""
    return (
        pa.types.is_string(type_)
        or pa.types.is_large_string(type_)
        or pa.types.is_binary(type_)
        or pa.types.is_boolean(type_)
        or pa.types.is_integer(type_)
        or pa.types.is_floating(type_)
        or pa.types.is_temporal(type_)
    )


def keep_where(cells: pa.Array, mask: np.ndarray) -> pa.Array:
    """``cells`` with null wherever ``mask`` is False.

    Zero-copy for flat types: the same value buffers with a new validity bitmap
    (``if_else`` would copy every string)."""
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    n = len(cells)
    mask = np.asarray(mask, dtype=bool)
    if not _flat_buffers(cells.type) or n == 0:
        return pc.if_else(mask_to_array(mask), cells, pa.scalar(None, cells.type))
    if cells.null_count:
        mask = mask & validity(cells)
    offset = cells.offset
    if offset:
        mask = np.concatenate([np.zeros(offset, dtype=bool), mask])
    bitmap = pa.py_buffer(np.packbits(mask, bitorder="little"))
    buffers = cells.buffers()
    return pa.Array.from_buffers(cells.type, n, [bitmap] + buffers[1:], offset=offset)


def string_offsets(cells: pa.Array) -> np.ndarray:
    """The n + 1 int32 offsets of a StringArray, as a numpy view (no copy)."""
    n = len(cells)
    buffer = cells.buffers()[1]
    if n == 0 or buffer is None:
        return np.zeros(n + 1, dtype=np.int32)
    return np.frombuffer(buffer, dtype=np.int32, count=n + 1, offset=cells.offset * 4)


def string_lengths(cells: pa.Array) -> np.ndarray:
    """Bytes of each string of a StringArray (null slots: their raw lengths), int32."""
    return np.diff(string_offsets(cells))


def string_layout(cells: pa.Array):
    """(starts, lengths, data) of a StringArray: int64 starts and lengths into ``data``
    (a uint8 numpy view of the value buffer). Null slots have their raw lengths."""
    n = len(cells)
    buffers = cells.buffers()
    offsets = string_offsets(cells)
    if buffers[2] is not None and buffers[2].size:
        data = np.frombuffer(buffers[2], dtype=np.uint8, count=int(offsets[-1]) if n else 0)
    else:
        data = np.zeros(0, dtype=np.uint8)
    starts = offsets[:-1].astype(np.int64)
    lengths = np.diff(offsets).astype(np.int64)
    return starts, lengths, data


def byte_matrix(cells: pa.Array, width: int, layout=None) -> np.ndarray:
    """(n, width) uint8 matrix: the first ``width`` bytes of every cell (garbage
    beyond a shorter cell's end; callers mask by length). A plain reshape when
    every cell is exactly ``width`` bytes long and contiguous."""
    starts, lengths, data = layout if layout is not None else string_layout(cells)
    n = len(starts)
    if n == 0 or width <= 0:
        return np.zeros((n, max(width, 0)), dtype=np.uint8)
    if len(data) == n * width and starts[0] == 0 and (lengths == width).all():
        return data.reshape(n, width)
    if int(starts[-1]) + width > len(data):  # Arrow offsets are non-decreasing
        data = np.concatenate([data, np.zeros(width, dtype=np.uint8)])  # rows near the end
    windows = np.lib.stride_tricks.sliding_window_view(data, width)
    return windows[starts]


def pick_bytes(data: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """data[positions], out-of-range positions clipped (garbage: callers mask them)."""
    if len(data) == 0:
        return np.zeros(len(positions), dtype=np.uint8)
    return np.take(data, positions, mode="clip")


def pool_empty(size: int, dtype) -> np.ndarray:
    """An uninitialised numpy array in Arrow's memory pool: large numpy temporaries
    can cost more in fresh-page faults than in arithmetic; the pool reuses memory."""
    dtype = np.dtype(dtype)
    buffer = pa.allocate_buffer(max(size, 1) * dtype.itemsize)
    return np.frombuffer(buffer, dtype=dtype, count=size)


def ascii_only(cells: pa.Array, rows: Optional[np.ndarray] = None) -> bool:
    """Every non-null cell (of ``rows``) is ASCII. A cheap byte scan of the value
    buffer first; pyarrow's exact per-cell test only if that buffer has high bytes."""
    if len(cells) == 0:
        return True
    _, _, data = string_layout(cells)
    if len(data) == 0 or int(data.max()) < 128:
        return True
    subset = cells if rows is None else keep_where(cells, rows)
    return pc.all(pc.string_is_ascii(subset)).as_py() is not False
