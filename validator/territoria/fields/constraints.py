"""Constraint checks shared by the field types.

Mirrors ``create_cell_reader`` of frictionless ``schema/field.py``:

* only the constraints in the type's ``supported_constraints`` are checked, and
  only those whose value is not None (``unique`` is the engine's business);
* minimum/maximum/exclusive* and every enum entry are first cast with the type's
  value reader; ``pattern`` is compiled as ``re.compile("^{0}$".format(p))`` and
  applied with ``.match`` (so a top-level ``a|b`` is *not* a full match, and
  ``$`` also matches before a final newline);
* constraints are checked only where the cell cast; a null cell passes every
  constraint except ``required``;
* a comparison frictionless cannot make (naive vs aware datetime, a bound that
  does not cast, signalling NaN) raises inside frictionless; here it counts as
  a failure of that constraint.

Fast (vectorised) cells are compared through their keys; residue cells (distinct
texts parsed in Python) are checked with the very functions frictionless uses.
"""
from __future__ import annotations

import operator
import re
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import kernels
from ..columnar.arrow import (ascii_only, from_values, indices, numbers, string_layout, string_lengths,
                              to_bool_numpy, typed_scalar)
from . import FieldSpec
from ._core import Cast, TypeSpec
from ..readers.policy import current as _current_policy
from .pattern import SafePattern, fixed_width_program, re2_pattern, run_fixed_width

BOUND_OPS = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
_ARROW_BOUND_OPS = {
    "minimum": pc.greater_equal,
    "maximum": pc.less_equal,
    "exclusiveMinimum": pc.greater,
    "exclusiveMaximum": pc.less,
}
_NUMPY_BOUND_OPS = {
    "minimum": np.greater_equal,
    "maximum": np.less_equal,
    "exclusiveMinimum": np.greater,
    "exclusiveMaximum": np.less,
}


def _numeric_values(keys: pa.Array):
    """The values buffer of an int64/float64 array as numpy, without a copy (null
    slots hold arbitrary values: callers only read the fast cells), or None."""
    if not (pa.types.is_int64(keys.type) or pa.types.is_float64(keys.type)) or len(keys) == 0:
        return None
    buffer = keys.buffers()[1]
    if buffer is None:
        return None
    dtype = np.int64 if pa.types.is_int64(keys.type) else np.float64
    return np.frombuffer(buffer, dtype=dtype, count=len(keys), offset=keys.offset * 8)


# ----------------------------------------------------------- frictionless scalar checks


def _check_bound(constraint: Any, cell: Any, *, compare) -> bool:
    if cell is None:
        return True
    if cell != cell:  # NaN
        return False
    return bool(compare(cell, constraint))


class Members(list):
    """An ``enum``'s read entries: ``in`` as frictionless's list test, answered by one hashed set.

    Why: ``cell in [1,000,000 entries]`` scans the list for every distinct value
    (a 1M-value enum on 200k rows: minutes). Equal values hash alike for the
    types entries are read as (str, int, Decimal, float, bool, date...), so the
    set gives the list's answer; unhashable entries (objects, arrays) are
    still compared one by one. ``memo`` keeps what the vectorised path derives
    from the entries (keys, Arrow arrays), built once per field, not per batch.
    """

    def __init__(self, entries):
        super().__init__(entries)
        self.hashed, self.others = set(), []
        for entry in self:
            if entry is None or type(entry) in _HASH_AS_EQUAL:
                self.hashed.add(entry)
            else:  # e.g. isodate's Duration: P1Y == P12M, but their hashes differ
                self.others.append(entry)
        self.memo: dict = {}

    def __contains__(self, cell) -> bool:
        try:
            if cell in self.hashed:
                return True
        except TypeError:
            return any(cell == entry for entry in self)
        return any(cell == entry for entry in self.others)


def current_limits():
    return _current_policy().limits


def _hash_as_equal() -> frozenset:
    import datetime
    import decimal

    return frozenset((str, int, float, bool, decimal.Decimal, datetime.date, datetime.datetime, datetime.time,
                      datetime.timedelta))


#: the types whose equal values always hash alike (so a set answers as the list would)
_HASH_AS_EQUAL = _hash_as_equal()
_COMPILED: dict = {}  # id(field) -> (field, spec, timeout, checks): compiled once per field, not per batch


def compile_checks(field: FieldSpec, spec: TypeSpec) -> dict:
    """{name: (raw constraint, prepared constraint, check(cell) -> bool)} like frictionless.

    Compiled once per field and type spec (``_core.type_spec`` keeps one spec per
    field: 200 files of one schema read their bounds, enums and patterns once). A
    pattern's :class:`SafePattern` counts the cells that timed out; each call gets
    its own counter, as when every batch compiled its checks anew."""
    timeout = current_limits().pattern_timeout
    known = _COMPILED.get(id(field))
    if known is not None and known[0] is field and known[1] is spec and known[2] == timeout:
        checks = known[3]
    else:
        checks = _compile_checks(field, spec)
        if len(_COMPILED) >= 256:
            _COMPILED.clear()
        _COMPILED[id(field)] = (field, spec, timeout, checks)
    if "pattern" in checks and checks["pattern"][1] is not None:
        raw, prepared, _ = checks["pattern"]
        checks = dict(checks, pattern=(raw,) + _pattern_check(prepared.fresh()))
    return checks


def _compile_checks(field: FieldSpec, spec: TypeSpec) -> dict:
    checks = {}
    for name in spec.supported:
        raw = field.constraints.get(name)
        if raw is None:
            continue
        prepared = raw
        if name in BOUND_OPS:
            prepared = _safe_read(spec, raw)
            check = _bound_check(prepared, BOUND_OPS[name])
        elif name == "pattern":
            try:
                prepared = SafePattern(raw, field.name, current_limits().pattern_timeout)
            except (re.error, TypeError):
                # frictionless raises building the reader (e.g. "(?i)x": global
                # flags not at the start once "^" is prepended): every value fails
                prepared = None
            prepared, check = _pattern_check(prepared)
        elif name == "enum":
            prepared = Members([_safe_read(spec, entry) for entry in raw])
            check = (lambda values: lambda cell: cell is None or cell in values)(prepared)
        elif name == "minLength":
            check = (lambda c: lambda cell: cell is None or len(cell) >= c)(raw)
        elif name == "maxLength":
            check = (lambda c: lambda cell: cell is None or len(cell) <= c)(raw)
        elif name == "required":
            check = (lambda c: lambda cell: not (c and cell is None))(raw)
        else:
            continue
        checks[name] = (raw, prepared, check)
    return checks


def _pattern_check(pattern: "SafePattern | None") -> tuple:
    return pattern, (lambda cell: cell is None or (pattern is not None and pattern.passes(cell)))


def _bound_check(bound, compare):
    return lambda cell: _check_bound(bound, cell, compare=compare)


def _safe_read(spec: TypeSpec, value: Any):
    try:
        return spec.value_reader(value)
    except Exception:
        return None


def safe(check: Callable[[Any], bool], value: Any) -> bool:
    """True if the check passes; an exception (a frictionless crash) is a failure."""
    try:
        return bool(check(value))
    except Exception:
        return False


# ------------------------------------------------------------------------ the checker


def check_constraints(field: FieldSpec, spec: TypeSpec, cast: Cast) -> dict:
    n = len(cast.cells)
    checks = compile_checks(field, spec)
    result: dict = {}
    residue_rows = cast.present & ~cast.fast
    res_idx = None
    for name, (raw, prepared, check) in checks.items():
        if name == "required":
            result[name] = (~cast.present) if raw else np.zeros(n, dtype=bool)
            continue
        fails = np.zeros(n, dtype=bool)
        # residue cells: exact python checks, once per distinct text
        if cast.res_values and residue_rows.any():
            if res_idx is None:
                res_idx = cast.res_indices
            per_value = np.array(
                [v is not None and not safe(check, v) for v in cast.res_values], dtype=bool
            )
            where = np.flatnonzero(residue_rows)
            fails[where] = per_value[res_idx[where]]
        # fast cells: vectorised through the keys
        if cast.fast.any():
            fails |= _fast_fails(name, raw, prepared, check, spec, cast) & cast.fast
        result[name] = fails
    return result


def _fast_fails(name, raw, prepared, check, spec: TypeSpec, cast: Cast) -> np.ndarray:
    n = len(cast.cells)
    fast = cast.fast
    if name in BOUND_OPS:
        return _fast_bound(name, prepared, check, spec, cast)
    if name == "enum":
        return _fast_enum(prepared, check, spec, cast)
    if name in ("minLength", "maxLength"):
        if spec.fast_length is None:
            return _python_over(check, spec, cast, fast)
        lengths = spec.fast_length(cast.cells)  # only read where fast
        return (lengths < raw) if name == "minLength" else (lengths > raw)
    if name == "pattern":
        return _fast_pattern(raw, prepared, spec, cast)
    return np.zeros(n, dtype=bool)


def _python_over(check, spec: TypeSpec, cast: Cast, rows: np.ndarray) -> np.ndarray:
    """Exact check over the distinct texts of ``rows`` (re-read with the value reader)."""
    n = len(cast.cells)
    fails = np.zeros(n, dtype=bool)
    if not rows.any():
        return fails
    where = np.flatnonzero(rows)
    # compact first: encoding a mostly-null array still visits every slot
    encoded = cast.cells.take(indices(where)).dictionary_encode()
    texts = encoded.dictionary.to_pylist()
    per_value = np.array(
        [not safe(check, spec.value_reader(t)) for t in texts], dtype=bool
    )
    fails[where] = per_value[numbers(encoded.indices).astype(np.int64)]
    return fails


def _awareness(spec: TypeSpec, value) -> Any:
    getter = spec.extra.get("awareness")
    if getter is None:
        return None
    try:
        return getter(value)
    except Exception:
        return None


def _fast_bound(name, bound, check, spec: TypeSpec, cast: Cast) -> np.ndarray:
    n = len(cast.cells)
    if bound is None or bound != bound:
        # frictionless raises comparing with None; NaN bound: every comparison is False
        return np.ones(n, dtype=bool)
    try:
        bound_key = spec.to_key(bound)
    except Exception:
        return _python_over(check, spec, cast, cast.fast)
    if bound_key is None:
        return _python_over(check, spec, cast, cast.fast)
    try:
        scalar = typed_scalar(bound_key, cast.keys.type)
    except Exception:
        return _python_over(check, spec, cast, cast.fast)
    values = _numeric_values(cast.keys)
    if values is not None:  # one numpy pass: no Arrow result bitmap to unpack
        bound_value = values.dtype.type(scalar.as_py())
        passed = _NUMPY_BOUND_OPS[name](values, bound_value)
    else:
        passed = to_bool_numpy(_ARROW_BOUND_OPS[name](cast.keys, scalar))
    fails = ~passed
    bound_aware = _awareness(spec, bound)
    if cast.aware is not None and bound_aware is not None:
        mismatch = cast.aware != bound_aware
        fails |= mismatch
    if spec.inexact_keys or cast.inexact_keys:
        if values is not None:
            ties = (values == bound_value) & cast.fast
            if ties.any() and cast.direct is not None and _whole_bound(bound, bound_value):
                ties &= ~(cast.direct & (string_lengths(cast.cells) <= _EXACT_TEXT_LENGTH))
        else:
            ties = to_bool_numpy(pc.equal(cast.keys, scalar)) & cast.fast
        if ties.any():
            exact = _python_over(check, spec, cast, ties)
            fails = np.where(ties, exact, fails)
    return fails


#: A plain decimal text (``-?[0-9]+(\.[0-9]+)?``, no exponent: the cells a
#: type's direct path recognised) of at most this many bytes has fewer than 16
#: digits: if its double equals a whole bound below 2**53, its exact value
#: equals it too (a decimal m / 10**k with m < 10**15 that is not whole is at
#: least 10**-k away from any whole number, more than half a unit in the last
#: place of a double below 2**53), so such a tie needs no exact re-check.
_EXACT_TEXT_LENGTH = 15


def _whole_bound(bound, bound_value) -> bool:
    """The bound is exactly its double, a whole number below 2**53 in magnitude."""
    try:
        value = float(bound_value)
        return value.is_integer() and abs(value) < 2.0 ** 53 and bound == value
    except (TypeError, ValueError, OverflowError):
        return False


#: past this many entries an enum is tested through one Python set of its keys, built once, over
#: each batch's distinct values (Arrow's is_in would hash the whole enum again on every batch)
_HASHED_ENUM = 4096


def _in_set(keys: pa.Array, hashed: set) -> np.ndarray:
    encoded = keys.dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    hit = np.fromiter((value in hashed for value in distinct), dtype=bool, count=len(distinct))
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    positions = indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(positions >= 0, hit[np.maximum(positions, 0)] if len(hit) else False, False)


def _fast_enum(values, check, spec: TypeSpec, cast: Cast) -> np.ndarray:
    n = len(cast.cells)
    memo = values.memo if isinstance(values, Members) else {}
    keyed = memo.get("keyed")
    if keyed is None:
        entries = [v for v in values if v is not None]
        try:
            if any(_is_nan(v) for v in entries):
                raise ValueError("NaN in enum")
            if spec.extra.get("awareness") is None:  # one look, not one per entry of a 1M-value enum
                keyed = [(spec.to_key(v), None) for v in entries]
            else:
                keyed = [(spec.to_key(v), _awareness(spec, v)) for v in entries]
            if any(k is None for k, _ in keyed):
                raise ValueError("unkeyable enum entry")
        except Exception:
            keyed = False
        memo["keyed"] = keyed
    if keyed is False:
        return _python_over(check, spec, cast, cast.fast)
    key_type = cast.keys.type

    def member(which, subset):
        if not subset:
            return np.zeros(n, dtype=bool)
        if pa.types.is_string(key_type) and all(isinstance(k, str) for k in subset):
            compiled = kernels.index_in(cast.keys, subset)
            if compiled is not None:
                return compiled >= 0
        if len(subset) > _HASHED_ENUM and (pa.types.is_string(key_type) or pa.types.is_integer(key_type)
                                           or pa.types.is_floating(key_type)):
            hashed = memo.get(("hashed", which))
            if hashed is None:
                hashed = memo[("hashed", which)] = set(subset)
            return _in_set(cast.keys, hashed)
        value_set = memo.get((which, str(key_type)))
        if value_set is None:
            value_set = memo[(which, str(key_type))] = from_values(subset, key_type)
        return to_bool_numpy(pc.is_in(cast.keys, value_set=value_set))

    try:
        every = member("every", [k for k, _ in keyed])
    except Exception:
        return _python_over(check, spec, cast, cast.fast)

    if cast.aware is not None:
        aware_keys = [k for k, a in keyed if a]
        naive_keys = [k for k, a in keyed if not a]
        inside = np.where(cast.aware, member("aware", aware_keys), member("naive", naive_keys))
    else:
        inside = every
    fails = ~inside
    if (spec.inexact_keys or cast.inexact_keys) and inside.any():
        exact = _python_over(check, spec, cast, inside & cast.fast)
        fails = np.where(inside, exact, fails)
    return fails


def _is_nan(value) -> bool:
    try:
        return value != value
    except Exception:
        return True


# ---------------------------------------------------------------------------- pattern



def _fast_pattern(raw, prepared, spec: TypeSpec, cast: Cast) -> np.ndarray:
    """Pattern over the fast cells (whose value is the cell text itself)."""
    n = len(cast.cells)
    fast = cast.fast
    if prepared is None:
        return np.ones(n, dtype=bool)
    ascii_text = ascii_only(cast.cells, fast)
    regex = re2_pattern(raw, ascii_text=ascii_text)
    check = lambda cell: cell is None or prepared.passes(cell)  # noqa: E731
    if regex is None:
        return _python_over(check, spec, cast, fast)
    # Python "$" also matches before a final newline: cells with a newline go to Python
    _, _, data = string_layout(cast.cells)
    if len(data) and (data == 10).any():
        has_newline = to_bool_numpy(pc.match_substring(cast.cells, "\n")) & fast
    else:
        has_newline = np.zeros(n, dtype=bool)
    program = fixed_width_program(prepared.pattern) if ascii_text else None
    if program is not None:
        matched = run_fixed_width(program, cast.cells)
    else:
        matched = to_bool_numpy(pc.match_substring_regex(cast.cells, regex))
    fails = ~matched
    if has_newline.any():
        exact = _python_over(check, spec, cast, has_newline)
        fails = np.where(has_newline, exact, fails)
    return fails
