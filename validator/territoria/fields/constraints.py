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

import functools
import operator
import re
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import kernels
from . import FieldSpec
from ._core import Cast, TypeSpec, ascii_only, string_layout, string_lengths, to_bool_numpy

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
    encoded = cast.cells.take(pa.array(where, type=pa.int64())).dictionary_encode()
    texts = encoded.dictionary.to_pylist()
    per_value = np.array(
        [not safe(check, spec.value_reader(t)) for t in texts], dtype=bool
    )
    fails[where] = per_value[encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
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
    if spec.inexact_keys:
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
        if pa.types.is_string(key_type) and all(isinstance(k, str) for k in subset):
            compiled = kernels.index_in(cast.keys, subset)
            if compiled is not None:
                return compiled >= 0
        return to_bool_numpy(pc.is_in(cast.keys, value_set=pa.array(subset, type=key_type)))

    try:
        every = member([k for k, _ in keyed])
    except Exception:
        return _python_over(check, spec, cast, cast.fast)

    if cast.aware is not None:
        aware_keys = [k for k, a in keyed if a]
        naive_keys = [k for k, a in keyed if not a]
        inside = np.where(cast.aware, member(aware_keys), member(naive_keys))
    else:
        inside = every
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


@functools.lru_cache(maxsize=512)
def re2_pattern(pattern: str, ascii_text: bool = False):
    """An RE2 regex with the boolean semantics of ``re.match("^{p}$")``, or None.

    ``ascii_text``: every cell it will run on is ASCII, so shorthand classes may
    be translated (see :func:`ascii_translation`). Cached: each batch of a
    column asks again, and trying RE2 on the candidate has a cost.
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
    ascii_text = ascii_only(cast.cells, fast)
    regex = re2_pattern(raw, ascii_text=ascii_text)
    check = lambda cell: cell is None or bool(prepared.match(cell))  # noqa: E731
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


# ------------------------------------------------- fixed-width patterns, in numpy

from functools import lru_cache  # noqa: E402

_ASCII = np.arange(256) < 128
_MAX_ALTERNATIVES = 64
_MAX_WIDTH = 256


class _NotFixed(Exception):
    pass


def _table(chars=(), negate=False) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    for c in chars:
        if c < 128:
            table[c] = True
    if negate:
        table = ~table & _ASCII
    return table


def _category_table(category) -> np.ndarray:
    """Python's (Unicode) shorthand classes restricted to ASCII characters."""
    from re import _constants as C

    digits = range(48, 58)
    word = [c for c in range(128) if chr(c).isalnum() or c == 95]
    space = [c for c in range(128) if chr(c).isspace()]  # \t\n\v\f\r, \x1c-\x1f, " "
    tables = {
        C.CATEGORY_DIGIT: _table(digits),
        C.CATEGORY_NOT_DIGIT: _table(digits, negate=True),
        C.CATEGORY_WORD: _table(word),
        C.CATEGORY_NOT_WORD: _table(word, negate=True),
        C.CATEGORY_SPACE: _table(space),
        C.CATEGORY_NOT_SPACE: _table(space, negate=True),
    }
    if category not in tables:
        raise _NotFixed(category)
    return tables[category]


def _class_table(items) -> np.ndarray:
    from re import _constants as C

    table = np.zeros(256, dtype=bool)
    negate = False
    for op, arg in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            table |= _table([arg])
        elif op is C.RANGE:
            table |= _table(range(arg[0], min(arg[1], 127) + 1))
        elif op is C.CATEGORY:
            table |= _category_table(arg)
        else:
            raise _NotFixed(op)
    return (~table & _ASCII) if negate else table


def _expand(items) -> list:
    """Every path through the parsed pattern as a tuple of position tables, with
    "B" / "E" marking the start / end anchors."""
    from re import _constants as C

    alternatives = [()]
    for op, arg in items:
        if op is C.LITERAL:
            options = [(_table([arg]),)]
        elif op is C.NOT_LITERAL:
            options = [(_table([arg], negate=True),)]
        elif op is C.ANY:
            options = [(_table([10], negate=True),)]  # no DOTALL: anything but "\n"
        elif op is C.IN:
            options = [(_class_table(arg),)]
        elif op is C.AT:
            if arg in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                options = [("B",)]
            elif arg in (C.AT_END, C.AT_END_STRING):
                options = [("E",)]
            else:
                raise _NotFixed(arg)
        elif op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = arg
            if add_flags or del_flags:
                raise _NotFixed("scoped flags")
            options = _expand(sub)
        elif op is C.BRANCH:
            options = [alt for branch in arg[1] for alt in _expand(branch)]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = arg
            if high is C.MAXREPEAT or high > _MAX_WIDTH:
                raise _NotFixed("unbounded repeat")
            unit = _expand(sub)
            options = []
            for count in range(low, high + 1):
                paths = [()]
                for _ in range(count):
                    paths = [p + u for p in paths for u in unit]
                    if len(paths) > _MAX_ALTERNATIVES:
                        raise _NotFixed("too many alternatives")
                options.extend(paths)
        else:
            raise _NotFixed(op)
        alternatives = [a + o for a in alternatives for o in options]
        if len(alternatives) > _MAX_ALTERNATIVES:
            raise _NotFixed("too many alternatives")
    return alternatives


@lru_cache(maxsize=256)
def fixed_width_program(pattern: str):
    """[(width, tables)] such that, on ASCII text without "\\n",
    ``re.compile(pattern).match(cell)`` succeeds iff some (width, tables) has
    ``len(cell) == width`` and ``tables[i][cell[i]]`` at every position; or None
    when the pattern is not a union of fully anchored fixed-width sequences."""
    import re
    from re import _parser

    try:
        parsed = _parser.parse(pattern, 0)
        if parsed.state.flags & ~re.UNICODE:
            return None
        alternatives = _expand(list(parsed))
    except (_NotFixed, re.error, RecursionError, TypeError, ValueError, AttributeError):
        return None
    program = []
    for alternative in alternatives:
        # .match anchors the start anyway; the end must be anchored after the last position
        body = [x for x in alternative if not isinstance(x, str)]
        marks = [i for i, x in enumerate(alternative) if isinstance(x, str)]
        ends = [i for i in marks if alternative[i] == "E"]
        if not ends or any(i < len(alternative) - 1 and alternative[i] == "E"
                           and any(not isinstance(y, str) for y in alternative[i + 1:]) for i in ends):
            return None
        if any(alternative[i] == "B" and any(not isinstance(y, str) for y in alternative[:i]) for i in marks):
            continue  # a start anchor after a character: never matches
        if len(body) > _MAX_WIDTH:
            return None
        program.append((len(body), tuple(body)))
    return program


def run_fixed_width(program, cells: pa.Array) -> np.ndarray:
    """The verdicts of a :func:`fixed_width_program` over the cells (by bytes)."""
    from ._core import byte_matrix

    n = len(cells)
    if not program or n == 0:
        return np.zeros(n, dtype=bool)
    compiled = kernels.match_fixed(cells, program)
    if compiled is not None:
        return compiled
    starts, lengths, data = string_layout(cells)
    matched = np.zeros(n, dtype=bool)
    width = max(w for w, _ in program)
    matrix = byte_matrix(cells, max(width, 1), (starts, lengths, data))
    for w, tables in program:
        ok = lengths == w
        groups: dict = {}
        for i, table in enumerate(tables):
            if table[_ASCII].all():
                continue  # any ASCII character
            groups.setdefault(table.tobytes(), (table, []))[1].append(i)
        for table, columns in groups.values():
            sub = matrix[:, columns]
            ok &= _member(table, sub).all(axis=1)
        matched |= ok
    return matched


def _member(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    """table[values] for a uint8 array, as range tests when the set is a few ranges."""
    padded = np.concatenate([[False], table, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    ranges = list(zip(edges[0::2], edges[1::2] - 1))
    if not ranges:
        return np.zeros(values.shape, dtype=bool)
    if len(ranges) > 3:
        return table[values]
    result = None
    for low, high in ranges:
        inside = (values - np.uint8(low)) <= np.uint8(high - low)  # uint8 wrap-around
        result = inside if result is None else (result | inside)
    return result


def check_common_constraints(field: FieldSpec, cells: pa.Array, keys: pa.Array, ok: np.ndarray) -> dict:
    """Backward-compatible helper: only ``required`` (kept for older callers)."""
    result = {}
    if field.constraints.get("required"):
        result["required"] = to_bool_numpy(pc.is_null(cells))
    return result
