"""The optional compiled fast paths (``territoria._kernels``), behind numpy-shaped calls.

Why optional: the C module is built when the package is installed with a C
compiler at hand (``setup.py`` marks it optional). Without it every caller
falls back to its numpy code, which gives the same results more slowly: each
function here returns None when the module is missing (or switched off with
``TERRITORIA_NO_KERNELS=1``), or when the array is not a plain ``string``
array, and the caller then takes its numpy path. Tests compare both paths.
"""
from __future__ import annotations

import os
from typing import Optional

import numpy as np
import pyarrow as pa


def _load():
    if os.environ.get("TERRITORIA_NO_KERNELS"):
        return None
    try:
        from . import _kernels
    except ImportError:
        return None
    return _kernels


_c = _load()


def available() -> bool:
    """Whether the compiled module is in use."""
    return _c is not None


def _buffers(cells: pa.Array):
    """(offsets, data) of a StringArray as the kernels take them, or None."""
    if _c is None or not isinstance(cells, pa.Array) or cells.type != pa.string():
        return None
    from .arrow import string_offsets

    data = cells.buffers()[2]
    return string_offsets(cells), data if data is not None else b""


def match_fixed(cells: pa.Array, program) -> Optional[np.ndarray]:
    """The verdicts of a fixed-width pattern program (see
    ``constraints.fixed_width_program``): bool per cell."""
    layout = _buffers(cells)
    if layout is None:
        return None
    widths = np.array([width for width, _ in program], dtype=np.int32)
    tables = [np.asarray(table, dtype=np.uint8) for _, alternative in program for table in alternative]
    packed = np.concatenate(tables) if tables else np.zeros(0, dtype=np.uint8)
    out = np.empty(len(cells), dtype=bool)
    _c.match_fixed(*layout, widths, packed, out)
    return out


def _parsed(kernel, cells: pa.Array, dtype, *options):
    """(ok, values) of a kernel that parses each cell into one number."""
    layout = _buffers(cells)
    if layout is None:
        return None
    ok = np.empty(len(cells), dtype=bool)
    values = np.empty(len(cells), dtype=dtype)
    kernel(*layout, *options, ok, values)
    return ok, values


def decimal(cells: pa.Array, fraction: bool):
    """(ok, float64 values) for cells ``-?[0-9]+(\\.[0-9]+)?`` (without the
    fraction when ``fraction`` is False) whose double is correctly rounded by
    one division (see the C docstring); -0 becomes 0."""
    return _parsed(_c.decimal if _c else None, cells, np.float64, bool(fraction))


def integer(cells: pa.Array):
    """(ok, int64 values) for cells ``-?[0-9]{1,18}``."""
    return _parsed(_c.integer if _c else None, cells, np.int64)


def temporal_layout(cells: pa.Array, width: int, positions, literals, defaults):
    """(handled, valid, days, seconds) of a fixed-width strptime layout:
    ``positions`` = start of Y, m, d, H, M, S (-1 when absent), ``literals`` =
    [(position, byte)], ``defaults`` = (year, month, day)."""
    layout = _buffers(cells)
    if layout is None:
        return None
    n = len(cells)
    handled, valid = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
    days, seconds = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
    _c.layout(
        *layout, int(width), np.asarray(positions, dtype=np.int32),
        np.asarray(literals, dtype=np.int32).reshape(-1), np.asarray(defaults, dtype=np.int32),
        handled, valid, days, seconds,
    )
    return handled, valid, days, seconds


def temporal_iso(cells: pa.Array, time_start: int):
    """(handled, valid, micros, aware) of ISO date-times (time_start 11: micros
    since 1970-01-01 in UTC, or wall time when naive) or times (time_start 0:
    micros of the day minus the UTC offset), without a fraction."""
    layout = _buffers(cells)
    if layout is None:
        return None
    n = len(cells)
    handled, valid, aware = (np.empty(n, dtype=bool) for _ in range(3))
    micros = np.empty(n, dtype=np.int64)
    _c.iso(*layout, int(time_start), handled, valid, micros, aware)
    return handled, valid, micros, aware


#: Beyond this many texts, a hash lookup (pyarrow's index_in) beats comparing each.
SMALL_SET = 16


def index_in(cells: pa.Array, texts: list) -> Optional[np.ndarray]:
    """Position of each cell's text in ``texts`` (a few distinct strings), -1 when
    absent or null; None without the kernels or for more than SMALL_SET texts."""
    layout = _buffers(cells)
    if layout is None or len(texts) > SMALL_SET:
        return None
    from .arrow import strings

    set_layout = _buffers(strings(texts))
    index = np.empty(len(cells), dtype=np.int32)
    _c.index_in(*layout, *set_layout, index)
    if cells.null_count:
        from .arrow import validity

        index[~validity(cells)] = -1
    return index


def string_hash(cells: pa.Array, long_limit: int) -> Optional[np.ndarray]:
    """The per-string hash of ``territoria.keys`` for strings up to
    ``long_limit`` bytes (0 for longer ones: the caller hashes them)."""
    layout = _buffers(cells)
    if layout is None:
        return None
    out = np.empty(len(cells), dtype=np.uint64)
    _c.string_hash(*layout, int(long_limit), out)
    return out


def table_swap(table_keys: np.ndarray, table_values: np.ndarray, size: int,
               keys: np.ndarray, values: np.ndarray) -> Optional[tuple]:
    """(replaced values, number of keys added) of ``hash_table.UInt64Table.swap``
    done in place on its arrays, or None without the compiled module."""
    if _c is None:
        return None
    replaced = np.empty(len(keys), dtype=np.int64)
    added = _c.table_swap(table_keys, table_values, int(size), keys, values, replaced)
    return replaced, added


def table_get(table_keys: np.ndarray, table_values: np.ndarray, keys: np.ndarray) -> Optional[np.ndarray]:
    """``hash_table.UInt64Table.get`` on its arrays, or None without the compiled module."""
    if _c is None:
        return None
    found = np.empty(len(keys), dtype=np.int64)
    _c.table_get(table_keys, table_values, keys, found)
    return found


def json_tokens(lines: pa.Array, needle: bytes) -> Optional[tuple]:
    """(begin, end, kind) of a key's value token in each line of flat JSON objects
    (see the C docstring; ``readers.ndjson_reader._Tokens`` is the numpy version),
    or None without the compiled module."""
    layout = _buffers(lines)
    if layout is None:
        return None
    n = len(lines)
    begin, end = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    flag = np.empty(n, dtype=np.int8)
    _c.json_tokens(*layout, needle, begin, end, flag)
    return begin, end, flag
