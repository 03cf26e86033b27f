"""A Table Schema ``pattern`` as a vectorised program: RE2, or a fixed-width byte test.

frictionless compiles a pattern with Python's ``re`` as ``^{pattern}$`` and
applies ``.match``. Two faster programs give the same verdicts where they apply:

* RE2 (``pyarrow.compute.match_substring_regex``) for patterns whose syntax
  means the same thing in both engines; on ASCII-only cells the shorthand
  classes ``\\d``, ``\\w``, ``\\s`` are spelt out as ASCII classes first;
* a *fixed-width program* for the many identifier patterns that are a union of
  fully anchored sequences of character classes (``^LP-\\d{9}$``): a table per
  position, tested on the bytes (by the compiled kernel when present).
"""
from __future__ import annotations

import copy
import functools
import re
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import kernels
from ..columnar.arrow import byte_matrix, string_layout, strings


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
        pc.match_substring_regex(strings(["a"]), candidate)
    except Exception:
        return None
    return candidate


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


# ---------------------------------------------------------------- the bounded Python fallback

#: patterns whose cells timed out: given up on after this many, for the rest of the run
MAX_TIMEOUTS = 10
_timeouts: list = []  # (field name, cell, seconds) not checked, drained by the API into warnings
_timeouts_lock = __import__("threading").Lock()


def drain_timeouts() -> list:
    """The cells a pattern gave up on since the last call (the API turns them into warnings)."""
    with _timeouts_lock:
        found = list(_timeouts)
        _timeouts.clear()
    return found


class SafePattern:
    """``re.match("^{p}$", cell)`` as frictionless applies it, with bounded time.

    Why: the cells RE2 cannot take (a pattern RE2 cannot express, a cell with a
    newline) used to go to Python's ``re``, which backtracks without bound:
    ``^(a+)+$`` on 27 ``a`` and a ``!`` takes 12 s, twice that with each more
    ``a``, and holds the interpreter while it does. Here they go to the
    ``regex`` package (``re``'s syntax and semantics with ``V0``), which defuses
    most such patterns itself and stops any cell after ``timeout`` seconds; such
    a cell is *not checked* (neither valid nor an error) and reported as a
    ``pattern-timeout`` warning; after ``MAX_TIMEOUTS`` of them the pattern is no
    longer tried. A pattern ``regex`` cannot compile keeps ``re`` (unbounded).
    """

    def __init__(self, raw: str, field_name: str = "", timeout: float = 1.0):
        import regex

        self.pattern = "^{0}$".format(raw)
        self.python = re.compile(self.pattern)  # raises as frictionless does on a broken pattern
        try:
            self.bounded = regex.compile(self.pattern, flags=regex.V0)
        except Exception:  # a syntax regex reads otherwise: keep the reference's engine
            self.bounded = None
        self.field_name, self.timeout, self.timeouts = field_name, timeout, 0

    def fresh(self) -> "SafePattern":
        """The same compiled pattern with its own count of timed-out cells."""
        twin = copy.copy(self)
        twin.timeouts = 0
        return twin

    def passes(self, cell: str) -> bool:
        """True when the cell matches, or could not be checked in time (then a warning says so)."""
        if self.bounded is None:
            return bool(self.python.match(cell))
        if self.timeouts >= MAX_TIMEOUTS:
            return True
        try:
            return bool(self.bounded.match(cell, timeout=self.timeout))
        except TimeoutError:
            self.timeouts += 1
            with _timeouts_lock:
                _timeouts.append((self.field_name, cell, self.timeout, self.timeouts >= MAX_TIMEOUTS))
            return True

    def match(self, cell: str) -> bool:  # the name the callers of a compiled re use
        return self.passes(cell)
