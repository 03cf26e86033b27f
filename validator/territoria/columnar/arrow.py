"""Views of Arrow arrays as numpy: validity bitmaps, string offsets and bytes.

Why here: the field types, the key hashes, the compiled kernels and the engine
all read the raw buffers of Arrow arrays; these helpers depend on nothing of
Territoria's, so every stage can use them without an import circle.
"""
from __future__ import annotations

import datetime as _dt
import sys
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
    return to_bool_numpy_slow(array)


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
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
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
    """Any array as numpy bool (non-zero values True, nulls False)."""
    values = numbers(array).astype(bool)
    if array.null_count:
        values &= validity(array)
    return values


def normalise_cells(cells) -> pa.Array:
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    if not isinstance(cells, pa.Array):
        cells = strings(list(cells))
    if pa.types.is_large_string(cells.type) or pa.types.is_null(cells.type):
        cells = cells.cast(pa.string())
    return cells


def mask_to_array(mask: np.ndarray) -> pa.Array:
    return from_numpy(np.asarray(mask, dtype=bool))


# --- building arrays without pyarrow's pandas probe ------------------------------------
# ``pa.array``, ``pa.scalar``, ``Array.to_numpy`` (and a compute call given a
# Python scalar) ask pyarrow's C++ layer to import pandas, about 0.3 s, once a
# process: on a 20-row file that is half of the run. These helpers build the same
# arrays from their buffers, which never reaches that probe.

_SHORT_LIST = 4096  # longer lists are built by pa.array (see ``strings``)
_NUMPY_TYPES = {np.dtype(np.bool_): pa.bool_(), np.dtype(np.int8): pa.int8(), np.dtype(np.int16): pa.int16(),
                np.dtype(np.int32): pa.int32(), np.dtype(np.int64): pa.int64(), np.dtype(np.uint8): pa.uint8(),
                np.dtype(np.uint16): pa.uint16(), np.dtype(np.uint32): pa.uint32(), np.dtype(np.uint64): pa.uint64(),
                np.dtype(np.float32): pa.float32(), np.dtype(np.float64): pa.float64()}


def _bitmap(valid: Optional[np.ndarray]):
    if valid is None:
        return None
    return pa.py_buffer(np.packbits(np.asarray(valid, dtype=bool), bitorder="little"))


def from_numpy(values: np.ndarray, type_: Optional[pa.DataType] = None,
               valid: Optional[np.ndarray] = None) -> pa.Array:
    """A pyarrow array over a 1-d numpy array of a fixed-width type (bool packed
    into bits), null where ``valid`` is False; ``type_`` may reinterpret the values
    (int32 as date32, int64 as timestamp). Falls back to ``pa.array`` otherwise."""
    values = np.asarray(values)
    kind = _NUMPY_TYPES.get(values.dtype)
    type_ = type_ or kind
    if kind is None or values.ndim != 1 or type_.bit_width != (1 if kind == pa.bool_() else 8 * values.itemsize):
        return pa.array(values, type=type_, mask=None if valid is None else ~np.asarray(valid, dtype=bool))
    n = len(values)
    if kind == pa.bool_():
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
    else:
        data = pa.py_buffer(np.ascontiguousarray(values))
    null_count = -1 if valid is not None else 0
    return pa.Array.from_buffers(type_, n, [_bitmap(valid), data], null_count=null_count)


def strings(values: list) -> pa.Array:
    """A StringArray of Python ``str`` (or None) values, built from its buffers
    (by ``pa.array`` itself for long lists: it is faster, and the probe is then
    a small part of the work)."""
    if len(values) > _SHORT_LIST or "pandas" in sys.modules:
        return pa.array(values, type=pa.string())
    encoded = [b"" if v is None else v.encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    if offsets[-1] >= 2 ** 31:
        return pa.array(values, type=pa.string())
    nulls = [v is None for v in values]
    valid = None if not any(nulls) else ~np.array(nulls, dtype=bool)
    return pa.Array.from_buffers(pa.string(), len(values),
                                 [_bitmap(valid), pa.py_buffer(offsets.astype(np.int32)),
                                  pa.py_buffer(b"".join(encoded))], null_count=-1 if valid is not None else 0)


def indices(positions) -> pa.Array:
    """int64 positions (``take``'s argument) as a pyarrow array."""
    return from_numpy(np.ascontiguousarray(positions, dtype=np.int64))


def from_values(values: list, type_: pa.DataType) -> pa.Array:
    """``pa.array(values, type_)`` for Python values (None for null), built without
    the probe for the key types of the field types: str (string), int / float / bool
    (numbers, booleans, ``duration[us]`` from microseconds), ``date`` (date32) and
    naive ``datetime`` (timestamp[us]); raises as ``pa.array`` would on a value the
    type cannot hold (OverflowError, ArrowInvalid). Other values: ``pa.array``."""
    present = [v for v in values if v is not None]
    if pa.types.is_string(type_) and all(isinstance(v, str) for v in present):
        return strings(values)
    convert = _CONVERTERS.get(_converter_kind(type_))
    if convert is None or len(values) > _SHORT_LIST:
        return pa.array(values, type=type_)
    wanted, dtype, to_number = convert
    if not all(wanted(v) for v in present):
        return pa.array(values, type=type_)
    valid = np.array([v is not None for v in values], dtype=bool)
    filled = np.array([to_number(v) if v is not None else 0 for v in values], dtype=dtype)  # OverflowError as pa.array
    array = from_numpy(filled, type_ if pa.types.is_temporal(type_) else None, None if valid.all() else valid)
    return array if array.type == type_ else array.cast(type_)


def _converter_kind(type_: pa.DataType) -> str:
    if pa.types.is_boolean(type_):
        return "bool"
    if pa.types.is_integer(type_):
        return "int"
    if pa.types.is_floating(type_):
        return "float"
    if type_ == pa.date32():
        return "date"
    if type_ == pa.timestamp("us"):
        return "timestamp"
    if type_ == pa.duration("us"):
        return "duration"
    return ""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_EPOCH = _dt.datetime(1970, 1, 1)
_CONVERTERS = {
    # kind: (accepted Python values, numpy dtype, value -> number)
    "bool": (lambda v: isinstance(v, bool), np.bool_, bool),
    "int": (_is_int, np.int64, int),
    "float": (lambda v: _is_int(v) or isinstance(v, float), np.float64, float),
    "duration": (_is_int, np.int64, int),
    "date": (lambda v: type(v) is _dt.date, np.int32, lambda v: v.toordinal() - 719163),
    "timestamp": (lambda v: type(v) is _dt.datetime and v.tzinfo is None, np.int64,
                  lambda v: (v - _EPOCH) // _dt.timedelta(microseconds=1)),
}


def typed_scalar(value, type_: pa.DataType) -> pa.Scalar:
    """``pa.scalar(value, type_)``, built without the probe for None, bools, numbers
    and text (a safe cast: a value the type cannot hold raises, as ``pa.scalar``
    does); other values (dates, decimals...) through ``pa.scalar`` itself. The
    bounds of a schema are asked for again at every batch: they are kept."""
    key = (type(value), value, type_)
    try:
        found = _SCALARS.get(key)
    except TypeError:  # an unhashable value
        return _typed_scalar(value, type_)
    if found is None:
        if len(_SCALARS) > 1024:
            _SCALARS.clear()
        found = _SCALARS[key] = _typed_scalar(value, type_)
    return found


_SCALARS: dict = {}


def _typed_scalar(value, type_: pa.DataType) -> pa.Scalar:
    if value is None:
        return pa.nulls(1, type_)[0]
    if isinstance(value, str):
        return strings([value]).cast(type_)[0]
    if isinstance(value, (bool, float)) or (isinstance(value, int) and -2 ** 63 <= value < 2 ** 63):
        source = from_numpy(np.array([value], dtype=bool if isinstance(value, bool) else
                                     np.float64 if isinstance(value, float) else np.int64))
        if pa.types.is_boolean(source.type) != pa.types.is_boolean(type_):
            return pa.scalar(value, type_)  # pa.scalar's own rule (True as 1, or an error)
        return source.cast(type_)[0]
    return pa.scalar(value, type_)


def numbers(array) -> np.ndarray:
    """The values of a fixed-width array as numpy (a view when possible; null
    slots hold whatever the buffer holds, booleans unpacked). For other types
    (strings, nested) the ordinary ``to_numpy`` copy."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = array.type
    if pa.types.is_boolean(kind):
        return _bits(array.buffers()[1], array.offset, len(array)) if len(array) else np.zeros(0, dtype=bool)
    for dtype, arrow_type in _NUMPY_TYPES.items():
        if arrow_type.bit_width == getattr(kind, "bit_width", None) and _same_layout(kind, arrow_type):
            buffer = array.buffers()[1]
            if buffer is None or len(array) == 0:
                return np.zeros(len(array), dtype=dtype)
            return np.frombuffer(buffer, dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)
    return array.to_numpy(zero_copy_only=False)


def filled_numbers(array, fill) -> np.ndarray:
    """``numbers(array)`` with ``fill`` in the null slots (a new array)."""
    values = numbers(array)
    return np.where(validity(array), values, fill) if array.null_count else values.copy()


def _same_layout(kind: pa.DataType, arrow_type: pa.DataType) -> bool:
    if kind == arrow_type:
        return True
    # temporal types are stored as int32 / int64
    return pa.types.is_temporal(kind) and pa.types.is_signed_integer(arrow_type) and not pa.types.is_boolean(kind)


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
        return pc.if_else(mask_to_array(mask), cells, typed_scalar(None, cells.type))
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
