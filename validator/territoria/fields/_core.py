"""The cast-with-residue machinery shared by every field type.

How a column is cast (no per-row Python loop):

1. A strict RE2 regular expression (``pc.match_substring_regex``) recognises
   the common, unambiguous textual forms of the type. Those cells are cast by
   a vectorised ``fast_cast`` (pyarrow / numpy); it may return null for a cell
   it declines (e.g. "2021-02-29"), which sends that cell to the residue.
2. Every other non-null cell is the *residue*. It is dictionary-encoded and the
   exact scalar reader (a line-by-line mirror of the frictionless value reader)
   runs once per DISTINCT residue text. Results are scattered back with
   ``take``.

The fast regex must only accept texts the scalar reader also accepts, with the
same value; the differential tests in tests/test_fields.py check that.

A :class:`TypeSpec` describes one field (type + options) to this machinery and
to the constraint checker (constraints.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Callable, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.arrow import (filled_numbers, from_numpy, from_values, indices, keep_where, numbers, pick_bytes,
                              pool_empty, string_layout, to_bool_numpy, typed_scalar, validity)

#: type name -> number of DISTINCT residue texts parsed in Python (for tests/profiling)
RESIDUE_COUNTER: Counter = Counter()

#: type name -> factory(FieldSpec) -> TypeSpec (used by array items and list items)
SPEC_FACTORIES: dict = {}


def reset_residue_counter() -> None:
    RESIDUE_COUNTER.clear()


_SPECS: dict = {}  # id(field) -> (field, factory, spec)


def type_spec(field, factory: "Callable | None" = None) -> "TypeSpec":
    """The TypeSpec of ``field`` (a ``FieldSpec``), built once per field: 200 files of
    one schema, or the batches of one big file, share it (and the constraint checks
    compiled for it, ``constraints.compile_checks``). A spec is never changed once
    built (a cast that needs inexact keys says so on its :class:`Cast`)."""
    factory = factory or SPEC_FACTORIES[field.type]
    known = _SPECS.get(id(field))
    if known is not None and known[0] is field and known[1] is factory:
        return known[2]
    spec = factory(field)
    if len(_SPECS) >= 256:
        _SPECS.clear()
    _SPECS[id(field)] = (field, factory, spec)
    return spec


@dataclass
class TypeSpec:
    """How to cast and compare the values of one field."""

    name: str
    supported: tuple
    #: exact mirror of the frictionless value reader (also applied to constraint values)
    value_reader: Callable[[Any], Any]
    #: python value (as returned by value_reader) -> key scalar of ``key_type``
    to_key: Callable[[Any], Any]
    key_type: pa.DataType
    fast_regex: Optional[str] = None
    #: StringArray (null where not fast) -> key array (null: send to the residue)
    fast_cast: Optional[Callable[[pa.Array], pa.Array]] = None
    #: keys of fast cells may be approximations (float64 for Decimal): recheck ties exactly
    inexact_keys: bool = False
    #: key type used if some key does not fit ``key_type`` (e.g. huge integers)
    fallback_key_type: Optional[pa.DataType] = None
    #: vectorised len() of fast cells (for minLength/maxLength), if the type has lengths
    fast_length: Optional[Callable[[pa.Array], np.ndarray]] = None
    #: every non-null text is valid and fast_cast(cells) gives all keys (no regex at all)
    fast_all: bool = False
    #: cells -> numpy mask of cells certainly matching ``fast_regex`` (a cheap
    #: vectorised subset test on the bytes); the regex then runs only on the others
    fast_precheck: Optional[Callable[[pa.Array], np.ndarray]] = None
    #: cells -> (handled mask, keys, aware or None): recognises AND converts the
    #: common forms from the bytes (keys null where declined: residue); the
    #: regex + fast_cast then run only on the other cells. Replaces fast_precheck.
    fast_direct: Optional[Callable[[pa.Array], tuple]] = None
    #: fast cells carry an awareness flag (datetime/time): np.ndarray or None
    extra: dict = dataclass_field(default_factory=dict)
    #: (cast, spec) -> uint64 salts of the keys or None (``fields.identity``): where the key
    #: alone does not say whether two values are equal as frictionless compares them
    key_salt: Optional[Callable[[Any, Any], Optional[np.ndarray]]] = None


@dataclass
class Cast:
    cells: pa.Array
    present: np.ndarray  # non-null cell
    fast: np.ndarray  # cast by the vectorised path
    ok: np.ndarray  # cast succeeded (fast or residue)
    keys: pa.Array
    res_indices: np.ndarray  # int64: index into res_texts/res_values of each residue cell (0 elsewhere; empty without residue)
    res_texts: list  # distinct residue texts
    res_values: list  # their python values (None: type error)
    aware: Optional[np.ndarray] = None  # fast datetime/time cells with an offset
    direct: Optional[np.ndarray] = None  # cells the type's direct path recognised (plain forms)
    #: some key did not fit the spec's key type: the keys are of its fallback type,
    #: approximations whose ties the constraint checks recheck exactly
    inexact_keys: bool = False



def plain_decimal_mask(cells: pa.Array, fraction: bool, max_length: int = 63) -> np.ndarray:
    """Cells of the form ``-?[0-9]+`` (``-?[0-9]+(\\.[0-9]+)?`` with ``fraction``),
    at most ``max_length`` (< 64) bytes, read from the Arrow buffers (no regex).

    One pass codes each byte (1 for a non-digit, +64 for a "."), one cumulative
    sum gives per cell ``non-digits + 64 * dots`` (unambiguous below 64 bytes;
    int32 wrap-around cancels in the difference), then the first, second and last
    bytes pin the sign and the position of the point."""
    n = len(cells)
    if n == 0:
        return np.zeros(0, dtype=bool)
    starts, lengths, data = string_layout(cells)
    size = len(data)
    if size == 0:
        return np.zeros(n, dtype=bool)
    code = pool_empty(size, np.uint8)
    np.subtract(data, np.uint8(48), out=code)
    np.greater(code, np.uint8(9), out=code.view(bool))
    if fraction:
        dots = pool_empty(size, np.uint8)
        np.equal(data, np.uint8(46), out=dots.view(bool))
        np.left_shift(dots, np.uint8(6), out=dots)
        np.add(code, dots, out=code)
    total = pool_empty(size + 1, np.int32)
    total[0] = 0
    np.cumsum(code, dtype=np.int32, out=total[1:])
    ends = starts + lengths
    score = total[ends] - total[starts]
    first = pick_bytes(data, starts)
    last = pick_bytes(data, ends - 1)
    second_digit = (pick_bytes(data, starts + 1) - np.uint8(48)) <= 9
    last_digit = (last - np.uint8(48)) <= 9
    minus = first == 45
    sized = (lengths >= 1) & (lengths <= max_length)
    ok = (score == 0) | ((score == 1) & minus & (lengths >= 2))
    if fraction:
        first_digit = (first - np.uint8(48)) <= 9
        ok |= (score == 65) & first_digit & last_digit
        ok |= (score == 66) & minus & second_digit & last_digit
    return ok & sized


_NO_RESIDUE = np.zeros(0, dtype=np.int64)


def cast_column(spec: TypeSpec, cells: pa.Array) -> Cast:
    n = len(cells)
    present = validity(cells)
    fast = np.zeros(n, dtype=bool)
    fast_keys = None
    aware = None
    direct_rows = None
    has_present = n > 0 and (cells.null_count < n)
    if spec.fast_all and spec.fast_cast is not None and has_present:
        # every text is valid and is its own key (string default): nothing to do
        fast_keys = spec.fast_cast(cells)
        fast = present
    elif spec.fast_regex is not None and spec.fast_cast is not None and has_present:
        parts = []  # (rows, keys, aware) of the vectorised casts
        matched = np.zeros(n, dtype=bool)
        handled = np.zeros(n, dtype=bool)
        if spec.fast_regex == "":
            matched = present
        else:
            if spec.fast_direct is not None:
                # the common forms, recognised and converted straight from the bytes
                handled, direct_keys, direct_aware = spec.fast_direct(cells)
                handled = handled & present
                direct_rows = handled
                if handled.any():
                    parts.append((handled, direct_keys, direct_aware))
            elif spec.fast_precheck is not None:
                matched = spec.fast_precheck(cells) & present
            rest = present & ~matched & ~handled
            if rest.all():
                matched = to_bool_numpy(pc.match_substring_regex(cells, spec.fast_regex)) & present
            elif rest.any():
                # string kernels run over null slots too: compact the few cells left
                where = np.flatnonzero(rest)
                subset = cells.take(indices(where))
                matched = matched.copy()
                matched[where] = to_bool_numpy(pc.match_substring_regex(subset, spec.fast_regex))
        if matched.any():
            candidate = cells if matched.all() or (matched == present).all() else keep_where(cells, matched)
            result = spec.fast_cast(candidate)
            parts.append((matched,) + (result if isinstance(result, tuple) else (result, None)))
        pieces = []
        for rows, part_keys, part_aware in parts:
            part_fast = rows & validity(part_keys)
            if part_keys.null_count != n - int(part_fast.sum()):
                part_keys = keep_where(part_keys, part_fast)
            fast = fast | part_fast
            pieces.append(part_keys)
            if part_aware is not None or aware is not None:
                base = aware if aware is not None else np.zeros(n, dtype=bool)
                aware = np.where(rows, part_aware if part_aware is not None else False, base)
        if len(pieces) == 1:
            fast_keys = pieces[0]
        elif pieces:
            if pieces[1].type != pieces[0].type:
                pieces[1] = pieces[1].cast(pieces[0].type)
            fast_keys = pc.coalesce(*pieces)
    residue = present & ~fast
    res_texts: list = []
    res_values: list = []
    res_indices = _NO_RESIDUE  # read only where there is a residue
    res_keys = None
    ok = fast.copy()
    inexact = False
    if residue.any():
        res_indices = np.zeros(n, dtype=np.int64)
        # the residue is a few cells: compact them before encoding (encoding a
        # mostly-null array still visits every slot)
        where = np.flatnonzero(residue)
        encoded = cells.take(indices(where)).dictionary_encode()
        compact_indices = numbers(encoded.indices).astype(np.int64)
        res_indices[where] = compact_indices
        res_texts = encoded.dictionary.to_pylist()
        RESIDUE_COUNTER[spec.name] += len(res_texts)
        reader = spec.value_reader
        res_values = [reader(text) for text in res_texts]
        key_list = []
        for value in res_values:
            key = None
            if value is not None:
                try:
                    key = spec.to_key(value)
                except Exception:
                    key = None
            key_list.append(key)
        valid = np.array([v is not None for v in res_values], dtype=bool)
        ok[where] = valid[compact_indices]
        key_type = spec.key_type
        try:
            dictionary_keys = from_values(key_list, key_type)
        except (pa.ArrowInvalid, OverflowError, TypeError):
            key_type = spec.fallback_key_type or pa.string()
            inexact = True
            dictionary_keys = pa.array([_fallback(k, key_type) for k in key_list], type=key_type)
            if fast_keys is not None:
                fast_keys = fast_keys.cast(key_type, safe=False)
        if dictionary_keys.null_count < len(dictionary_keys):  # else: only type errors, no key to add
            res_keys = dictionary_keys.take(from_numpy(res_indices, pa.int64(), residue))
    if fast_keys is None and res_keys is None:
        keys = pa.nulls(n, type=spec.key_type)
    elif fast_keys is None:
        keys = res_keys
    elif res_keys is None:
        keys = fast_keys
    else:
        if res_keys.type != fast_keys.type:
            res_keys = res_keys.cast(fast_keys.type, safe=False)
        keys = pc.coalesce(fast_keys, res_keys)
    if direct_rows is not None:
        direct_rows = direct_rows & fast  # a key is kept only where the direct cast succeeded
    return Cast(cells, present, fast, ok, keys, res_indices, res_texts, res_values, aware, direct_rows, inexact)


def _fallback(key, key_type):
    if key is None:
        return None
    if pa.types.is_floating(key_type):
        return float(key)
    return str(key)


# ---------------------------------------------------------------- numpy calendar helpers


def int_column(strings: pa.Array) -> np.ndarray:
    """Digits-only strings (null allowed, becomes 0) as int64 numpy."""
    return filled_numbers(pc.cast(strings, pa.int64()), 0)


def slice_int(cells: pa.Array, start: int, stop: int) -> np.ndarray:
    """int(cell[start:stop]) for rows whose bytes there are ASCII digits (else garbage/0).

    Reads the string buffers directly with numpy: callers only use rows already
    validated by a fixed-layout regex."""
    n = len(cells)
    if not pa.types.is_string(cells.type) or start < 0 or stop <= start:
        return int_column(pc.utf8_slice_codeunits(cells, start, stop))
    buffers = cells.buffers()
    result = np.zeros(n, dtype=np.int64)
    if n == 0 or buffers[2] is None or buffers[2].size == 0:
        return result
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[cells.offset : cells.offset + n + 1].astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    begin = offsets[:-1]
    long_enough = (offsets[1:] - begin) >= stop
    last = len(data) - 1
    for k in range(start, stop):
        digit = data[np.minimum(begin + k, last)].astype(np.int64) - 48
        result = result * 10 + digit
    result[~long_enough] = 0
    return result


def days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (vectorised)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def valid_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Python ``date(y, m, d)`` would succeed."""
    good_month = (m >= 1) & (m <= 12)
    mm = np.where(good_month, m, 1)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    limit = _MONTH_DAYS[mm] + ((mm == 2) & leap)
    return (y >= 1) & (y <= 9999) & good_month & (d >= 1) & (d <= limit)


def extract_groups(cells: pa.Array, regex: str) -> dict:
    """Named groups of ``regex`` as string arrays (null where no match)."""
    struct = pc.extract_regex(cells, regex)
    return {struct.type.field(i).name: pc.struct_field(struct, [i]) for i in range(struct.type.num_fields)}


def fraction_micros(frac: pa.Array) -> np.ndarray:
    """Fraction digits (1-6, null or "" allowed) as microseconds."""
    frac = pc.fill_null(frac, "")
    padded = pc.utf8_rpad(frac, 6, "0")
    return int_column(pc.utf8_slice_codeunits(padded, 0, 6))


def offset_seconds(tz: pa.Array) -> tuple:
    """(offset seconds, aware, valid) from "", "Z", "+HH:MM" strings (null = "")."""
    tz = pc.fill_null(tz, typed_scalar("", pa.string()))
    aware = numbers(pc.utf8_length(tz)) != 0
    is_signed = numbers(pc.utf8_length(tz)) > 1
    sign = np.where(to_bool_numpy(pc.starts_with(tz, "-")), -1, 1)
    hh = np.where(is_signed, slice_int(keep_where(tz, is_signed), 1, 3), 0)
    mm = np.where(is_signed, slice_int(keep_where(tz, is_signed), 4, 6), 0)
    valid = (hh <= 23) & (mm <= 59)
    return sign * (hh * 3600 + mm * 60), aware, valid


def null_where(values: np.ndarray, valid: np.ndarray, type_: pa.DataType) -> pa.Array:
    return from_numpy(values, type_, valid)
