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

from . import FieldSpec
from ._core import Cast, TypeSpec, keep_where, to_bool_numpy

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


# ----------------------------------------------------------- frictionless scalar checks


def _check_bound(constraint: Any, cell: Any, *, compare) -> bool:
    if cell is None:
        return True
    if cell != cell:  # NaN
        return False
    return bool(compare(cell, constraint))


def compile_checks(field: FieldSpec, spec: TypeSpec) -> dict:
    """{name: (raw constraint, prepared constraint, check(cell) -> bool)} like frictionless."""
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
                prepared = re.compile("^{0}$".format(raw))
            except (re.error, TypeError):
                # frictionless raises building the reader (e.g. "(?i)x": global
                # flags not at the start once "^" is prepended): every value fails
                prepared = None
            check = (lambda p: lambda cell: cell is None or (p is not None and bool(p.match(cell))))(prepared)
        elif name == "enum":
            prepared = [_safe_read(spec, entry) for entry in raw]
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
                res_idx = cast.res_indices.to_numpy(zero_copy_only=False)
            per_value = np.array(
                [v is not None and not safe(check, v) for v in cast.res_values], dtype=bool
            )
            where = np.flatnonzero(residue_rows)
            fails[where] = per_value[res_idx[where].astype(np.int64)]
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
        lengths = spec.fast_length(keep_where(cast.cells, fast))
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
    encoded = keep_where(cast.cells, rows).dictionary_encode()
    texts = encoded.dictionary.to_pylist()
    per_value = np.array(
        [not safe(check, spec.value_reader(t)) for t in texts], dtype=bool
    )
    idx = encoded.indices.to_numpy(zero_copy_only=False)
    where = np.flatnonzero(rows)
    fails[where] = per_value[idx[where].astype(np.int64)]
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
        scalar = pa.scalar(bound_key, type=cast.keys.type)
    except Exception:
        return _python_over(check, spec, cast, cast.fast)
    passed = to_bool_numpy(_ARROW_BOUND_OPS[name](cast.keys, scalar))
    fails = ~passed
    bound_aware = _awareness(spec, bound)
    if cast.aware is not None and bound_aware is not None:
        mismatch = cast.aware != bound_aware
        fails |= mismatch
    if spec.inexact_keys:
        ties = to_bool_numpy(pc.equal(cast.keys, scalar)) & cast.fast
        if ties.any():
            exact = _python_over(check, spec, cast, ties)
            fails = np.where(ties, exact, fails)
    return fails


def _fast_enum(values, check, spec: TypeSpec, cast: Cast) -> np.ndarray:
    n = len(cast.cells)
    entries = [v for v in values if v is not None]
    try:
        if any(_is_nan(v) for v in entries):
            raise ValueError("NaN in enum")
        keyed = [(spec.to_key(v), _awareness(spec, v)) for v in entries]
        if any(k is None for k, _ in keyed):
            raise ValueError("unkeyable enum entry")
    except Exception:
        return _python_over(check, spec, cast, cast.fast)
    key_type = cast.keys.type

    def member(subset):
        if not subset:
            return np.zeros(n, dtype=bool)
        return to_bool_numpy(pc.is_in(cast.keys, value_set=pa.array(subset, type=key_type)))

    try:
        member([k for k, _ in keyed])
    except Exception:
        return _python_over(check, spec, cast, cast.fast)

    if cast.aware is not None:
        aware_keys = [k for k, a in keyed if a]
        naive_keys = [k for k, a in keyed if not a]
        inside = np.where(cast.aware, member(aware_keys), member(naive_keys))
    else:
        inside = member([k for k, _ in keyed])
    fails = ~inside
    if spec.inexact_keys and inside.any():
        exact = _python_over(check, spec, cast, inside & cast.fast)
        fails = np.where(inside, exact, fails)
    return fails


def _is_nan(value) -> bool:
    try:
        return value != value
    except Exception:
        return True


# ---------------------------------------------------------------------------- pattern

_UNSAFE_FOR_RE2 = re.compile(r"\\[dDwWsSbBZAuUN0-9gpP]|\(\?(?!:|P<)|\[\[|\{,")
_UNSAFE_FOR_RE2_ON_ASCII = re.compile(r"\\[dDwWsSZAuUN0-9gpP]|\(\?(?!:|P<)|\[\[|\{,")


_ASCII_CLASSES = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f "}


def ascii_translation(pattern: str):
    """The pattern with \\d, \\w, \\s (and negations) spelt as ASCII classes, or None.

    Why: on ASCII-only text, Python's Unicode-aware shorthand classes are exactly
    these sets (Python's \\s also counts \\x1c-\\x1f), so the pattern can run in
    RE2, vectorised, with the same verdicts. \\b is also the same on ASCII text.
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            lower = nxt.lower()
            if lower in _ASCII_CLASSES:
                body = _ASCII_CLASSES[lower]
                if in_class:
                    if nxt.isupper():
                        return None  # a negated shorthand inside a class: keep Python
                    out.append(body)
                else:
                    out.append(f"[^{body}]" if nxt.isupper() else f"[{body}]")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def re2_pattern(pattern: str, ascii_text: bool = False):
    """An RE2 regex with the boolean semantics of ``re.match("^{p}$")``, or None.

    ``ascii_text``: every cell it will run on is ASCII, so shorthand classes may
    be translated (see :func:`ascii_translation`).
    """
    unsafe = _UNSAFE_FOR_RE2
    if ascii_text:
        translated = ascii_translation(pattern)
        if translated is not None:
            pattern = translated
            unsafe = _UNSAFE_FOR_RE2_ON_ASCII  # \\b and \\B agree on ASCII text
    if unsafe.search(pattern):
        return None
    if any(ord(ch) > 127 for ch in pattern):
        return None  # case folding / class ranges: keep Python semantics
    candidate = "^(?:^{0}$)".format(pattern)
    try:
        pc.match_substring_regex(pa.array(["a"]), candidate)
    except Exception:
        return None
    return candidate


def _fast_pattern(raw, prepared, spec: TypeSpec, cast: Cast) -> np.ndarray:
    """Pattern over the fast cells (whose value is the cell text itself)."""
    n = len(cast.cells)
    fast = cast.fast
    if prepared is None:
        return np.ones(n, dtype=bool)
    ascii_text = pc.all(pc.string_is_ascii(keep_where(cast.cells, fast))).as_py() is not False
    regex = re2_pattern(raw, ascii_text=ascii_text)
    check = lambda cell: cell is None or bool(prepared.match(cell))  # noqa: E731
    if regex is None:
        return _python_over(check, spec, cast, fast)
    # Python "$" also matches before a final newline: cells with a newline go to Python
    has_newline = to_bool_numpy(pc.match_substring(cast.cells, "\n")) & fast
    matched = to_bool_numpy(pc.match_substring_regex(cast.cells, regex))
    fails = ~matched
    if has_newline.any():
        exact = _python_over(check, spec, cast, has_newline)
        fails = np.where(has_newline, exact, fails)
    return fails


def check_common_constraints(field: FieldSpec, cells: pa.Array, keys: pa.Array, ok: np.ndarray) -> dict:
    """Backward-compatible helper: only ``required`` (kept for older callers)."""
    result = {}
    if field.constraints.get("required"):
        result["required"] = to_bool_numpy(pc.is_null(cells))
    return result
