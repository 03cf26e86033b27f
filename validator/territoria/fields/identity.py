"""When two cast values are the same key, exactly as frictionless compares them.

Keys (``FieldResult.keys``) are float64, int64 or microseconds, fast to hash and
to compare, and that is what the custom checks read. But ``unique``,
``primaryKey`` and ``foreignKeys`` compare the values frictionless reads, and
those are Python values: a ``number`` is a ``Decimal``, so
``12345678901234567890`` and ``…891`` (one float64) are two values, and so are
``0.1000000000000000055511151231257827`` and ``0.1``, or ``1e400`` and ``INF``;
``NaN`` equals nothing, not even itself; a naive time never equals an aware one.

So a type may give its keys a *salt* (``uint64``, 0 for most cells): the key
hash mixes it in, and two cells are the same key when both their key and their
salt agree. A number's salt is 0 exactly when its key identifies it (at most 15
significant digits, a float64 in the normal range or zero: decimal to double is
one to one there); other numbers are salted with a digest of their exact decimal
value, every NaN with a salt of its own, every aware date-time or time with one
constant that keeps it apart from the naive ones.
"""
from __future__ import annotations

import hashlib
import itertools
import threading
from decimal import Decimal, InvalidOperation
from typing import Optional

import numpy as np
import pyarrow as pa

#: the salt of an aware (UTC-offset) date-time or time; naive ones have 0
AWARE = np.uint64(0xA11A_2E5E_0FF5_E7A5)
_SMALLEST_NORMAL = 2.2250738585072014e-308
_unique = itertools.count(1)
_unique_lock = threading.Lock()


def fresh(count: int) -> np.ndarray:
    """``count`` salts never given before in this process (each NaN is its own key)."""
    with _unique_lock:
        first = next(_unique)
        for _ in range(count - 1):
            next(_unique)
    return (np.arange(first, first + count, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)


def decimal_salt(value) -> int:
    """The salt of one exact number (``Decimal`` or ``int``); -1 for a NaN (its own salt, see ``fresh``)."""
    try:
        exact = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return 0
    if exact.is_nan():
        return -1
    if exact.is_infinite():
        return 0  # Decimal("Infinity") == float("inf"): the key says it all
    if exact == 0:
        return 0
    normal = exact.normalize()
    if len(normal.as_tuple().digits) <= 15 and _SMALLEST_NORMAL <= abs(float(exact)) < float("inf"):
        return 0
    digest = hashlib.blake2b(str(normal).encode("ascii"), digest_size=8).digest()
    return (int.from_bytes(digest, "little") & ((1 << 62) - 1)) | 1  # positive: -1 is the NaN mark


def number_salts(values: list) -> np.ndarray:
    """Salts of several exact numbers (NaNs get fresh ones)."""
    salts = np.array([decimal_salt(v) for v in values], dtype=np.int64)
    nan = salts == -1
    out = salts.astype(np.uint64)
    if nan.any():
        out[nan] = fresh(int(nan.sum()))
    return out


def salts_for(rows: np.ndarray, texts: list, values: list, n: int) -> Optional[np.ndarray]:
    """A salt array of ``n`` cells: ``values[i]`` (read from ``texts[i]``) at ``rows[i]``; None if all 0.

    Equal texts share their salt (computed once), except NaNs, which never do.
    """
    if not len(rows):
        return None
    distinct: dict = {}
    for text, value in zip(texts, values):
        distinct.setdefault(text, value)
    per_text = dict(zip(distinct, (decimal_salt(v) for v in distinct.values())))
    salts = np.fromiter((per_text[t] for t in texts), dtype=np.int64, count=len(texts))
    if not salts.any():
        return None
    out = np.zeros(n, dtype=np.uint64)
    nan = salts == -1
    plain = salts.astype(np.uint64)
    if nan.any():
        plain[nan] = fresh(int(nan.sum()))
    out[rows] = plain
    return out


def _candidate_salts(cast, rows: np.ndarray, reader) -> Optional[np.ndarray]:
    texts = cast.cells.take(rows).to_pylist() if len(rows) else []
    values = [reader(text) for text in texts]
    return salts_for(rows, texts, values, len(cast.cells))


def number_salt(cast, spec) -> Optional[np.ndarray]:
    """Salts of a ``number`` column: only the cells whose float64 key may not identify them are read again."""
    from ..columnar.arrow import string_lengths, validity

    keys = cast.keys
    if len(keys) == 0 or keys.null_count == len(keys) or not pa.types.is_floating(keys.type):
        return None
    valid = validity(keys)
    values = keys.to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        doubtful = ~np.isfinite(values) | (np.abs(values) < _SMALLEST_NORMAL)
    if pa.types.is_string(cast.cells.type):
        doubtful |= string_lengths(cast.cells) > 15  # more than 15 digits, maybe
    doubtful &= valid
    if not doubtful.any():
        return None
    rows = np.flatnonzero(doubtful)
    if spec.extra.get("float_number"):  # frictionless compares floats: only NaN is never equal
        nan = np.isnan(values[rows])
        if not nan.any():
            return None
        out = np.zeros(len(keys), dtype=np.uint64)
        out[rows[nan]] = fresh(int(nan.sum()))
        return out
    return _candidate_salts(cast, rows, spec.value_reader)


def integer_salt(cast, spec) -> Optional[np.ndarray]:
    """Salts of an ``integer`` column: integers of 16 digits or more (beyond what a float64 key identifies)."""
    from ..columnar.arrow import validity

    keys = cast.keys
    if len(keys) == 0 or keys.null_count == len(keys):
        return None
    values = keys.to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        doubtful = validity(keys) & (np.abs(values.astype(np.float64)) >= 1e15)
    if not doubtful.any():
        return None
    return _candidate_salts(cast, np.flatnonzero(doubtful), spec.value_reader)


def temporal_salt(cast, spec) -> Optional[np.ndarray]:
    """Salts of a ``datetime`` or ``time`` column: aware values apart from naive ones."""
    n = len(cast.cells)
    aware = np.zeros(n, dtype=bool) if cast.aware is None else (cast.aware & cast.fast)
    if cast.res_values and (cast.present & ~cast.fast).any():
        per_value = np.array([v is not None and getattr(v, "utcoffset", lambda: None)() is not None
                              for v in cast.res_values], dtype=bool)
        residue = np.flatnonzero(cast.present & ~cast.fast)
        aware[residue] = per_value[cast.res_indices[residue]]
    if not aware.any():
        return None
    return np.where(aware, AWARE, np.uint64(0))
