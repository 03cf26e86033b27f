"""Vectorised parsing shared by date, time and datetime (fixed-layout ISO texts
and simple ``strptime`` formats)."""
from __future__ import annotations

import re
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._core import days_from_civil, extract_groups, fraction_micros, int_column, offset_seconds, valid_ymd
from ..columnar.arrow import byte_matrix, from_numpy, string_layout, to_bool_numpy

TIME_PART = (
    r"(?P<H>[01][0-9]|2[0-3]):(?P<M>[0-5][0-9]):(?P<S>[0-5][0-9])"
    r"(?:\.(?P<f>[0-9]{1,6}))?(?P<z>Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)
ISO_DATETIME_RE = r"^(?P<Y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})[T ]" + TIME_PART + "$"
ISO_TIME_RE = "^" + TIME_PART + "$"

_DIRECTIVES = {
    "Y": r"(?P<Y>[0-9]{4})",
    "m": r"(?P<m>0[1-9]|1[0-2])",
    "d": r"(?P<d>0[1-9]|[12][0-9]|3[01])",
    "H": r"(?P<H>[01][0-9]|2[0-3])",
    "M": r"(?P<M>[0-5][0-9])",
    "S": r"(?P<S>[0-5][0-9])",
    "f": r"(?P<f>[0-9]{1,6})",
    "z": r"(?P<z>Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])",
}


def strptime_regex(fmt: str) -> Optional[str]:
    """A strict RE2 subset of what ``datetime.strptime(cell, fmt)`` accepts, or None."""
    if not isinstance(fmt, str):
        return None
    out = []
    seen = set()
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%":
            if i + 1 >= len(fmt):
                return None
            directive = fmt[i + 1]
            i += 2
            if directive == "%":
                out.append("%")
                continue
            if directive not in _DIRECTIVES or directive in seen:
                return None
            seen.add(directive)
            out.append(_DIRECTIVES[directive])
            continue
        if ch.isalnum() or ord(ch) > 127:
            if ch.isalpha() and ord(ch) < 128:
                out.append(re.escape(ch))  # strptime is case-insensitive: exact is a subset
            elif ch.isdigit():
                out.append(ch)
            else:
                return None
        elif ch.isspace():
            if ch != " ":
                return None
            out.append(" ")
        else:
            out.append(re.escape(ch))
        i += 1
    return "^" + "".join(out) + "$"


def components(cells: pa.Array, regex: str, defaults=(1900, 1, 1), fmt=None) -> dict:
    """Integer components of cells matching ``regex`` (named groups Y m d H M S f z)."""
    layout = strptime_layout(fmt) if fmt else None
    if layout is not None:
        return fixed_components(cells, layout, defaults)
    groups = extract_groups(cells, regex)
    n = len(cells)
    matched = to_bool_numpy(pc.is_valid(next(iter(groups.values())))) if groups else np.ones(n, bool)

    def get(name, default):
        if name in groups:
            return int_column(groups[name])
        return np.full(n, default, dtype=np.int64)

    result = {
        "Y": get("Y", defaults[0]),
        "m": get("m", defaults[1]),
        "d": get("d", defaults[2]),
        "H": get("H", 0),
        "M": get("M", 0),
        "S": get("S", 0),
        "f": fraction_micros(groups["f"]) if "f" in groups else np.zeros(n, dtype=np.int64),
    }
    if "z" in groups:
        z = groups["z"]
        # normalise +HHMM to +HH:MM
        z = pc.replace_substring_regex(z, r"^([+-][0-9]{2})([0-9]{2})$", r"\1:\2")
        offset, aware, valid_tz = offset_seconds(z)
    else:
        offset = np.zeros(n, dtype=np.int64)
        aware = np.zeros(n, dtype=bool)
        valid_tz = np.ones(n, dtype=bool)
    result["offset"] = offset
    result["aware"] = aware
    result["valid"] = matched & valid_ymd(result["Y"], result["m"], result["d"]) & valid_tz
    return result


def micros_of_day(c: dict) -> np.ndarray:
    return ((c["H"] * 60 + c["M"]) * 60 + c["S"]) * 1_000_000 + c["f"]


def timestamp_micros(c: dict) -> np.ndarray:
    days = days_from_civil(c["Y"], c["m"], c["d"])
    return days * 86_400_000_000 + micros_of_day(c) - c["offset"] * 1_000_000


def datetime_key(value):
    """Python datetime -> naive datetime for a timestamp[us] key (UTC if aware)."""
    offset = value.utcoffset()
    if offset is not None:
        value = (value - offset).replace(tzinfo=None)
    return value.replace(tzinfo=None)


def time_key(value):
    """Python time -> microseconds (minus the UTC offset if aware) for a duration[us] key."""
    micros = ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    offset = value.utcoffset()
    if offset is not None:
        micros -= (offset.days * 86400 + offset.seconds) * 1_000_000 + offset.microseconds
    return micros


def awareness(value):
    return value.utcoffset() is not None


def _windows(cells: pa.Array, head: int, tail: int, layout=None):
    """(lengths, first ``head`` bytes, last ``tail`` bytes) of every string, as
    numpy uint8 matrices read straight from the Arrow buffers (bytes outside a
    short cell are garbage: callers mask by length)."""
    starts, lengths, data = layout if layout is not None else string_layout(cells)
    first = byte_matrix(cells, head, (starts, lengths, data))
    if tail:
        tail_starts = np.maximum(starts + lengths - tail, 0)
        last = byte_matrix(cells, tail, (tail_starts, np.full(len(starts), -1), data))
    else:
        last = np.zeros((len(starts), 0), dtype=np.uint8)
    return lengths, first, last


def _digits(matrix: np.ndarray, columns) -> np.ndarray:
    """Every listed column of ``matrix`` holds an ASCII digit."""
    ok = np.ones(matrix.shape[0], dtype=bool)
    for col in columns:
        ok &= (matrix[:, col] - np.uint8(48)) <= 9
    return ok


def _two(d: np.ndarray, col: int) -> np.ndarray:
    """Two-digit value at ``col`` of a digit matrix (bytes minus 48), as int32."""
    return d[:, col].astype(np.int32) * 10 + d[:, col + 1]


def iso_direct(cells: pa.Array, time_start: int):
    """(handled, components): the cells certainly matching ISO_DATETIME_RE
    (time_start=11) or ISO_TIME_RE (time_start=0) without a fraction -- "...hh:mm:ss",
    "...Z" or "...+hh:mm" -- recognised and converted from one byte matrix
    (components are garbage outside ``handled``). Fractions are left to the regex."""
    t = time_start
    starts, lengths, data = string_layout(cells)
    n = len(starts)
    longest = int(lengths.max()) if n else 0
    if longest < t + 8:
        return np.zeros(n, dtype=bool), None
    width = min(longest, t + 14)
    m = byte_matrix(cells, width, (starts, lengths, data))
    d = m - np.uint8(48)  # digits become 0-9, anything else wraps above 9
    ok = (lengths == t + 8) | (lengths == t + 9) | (lengths == t + 14)
    digit_cols = [t, t + 1, t + 3, t + 4, t + 6, t + 7]
    if t:
        digit_cols += [0, 1, 2, 3, 5, 6, 8, 9]
        ok &= (m[:, 4] == 45) & (m[:, 7] == 45) & ((m[:, 10] == 84) | (m[:, 10] == 32))
    ok &= (d[:, digit_cols] <= 9).all(axis=1) & (m[:, t + 2] == 58) & (m[:, t + 5] == 58)
    hh, mi, ss = _two(d, t), _two(d, t + 3), _two(d, t + 6)
    ok &= (hh <= 23) & (mi <= 59) & (ss <= 59)
    offset = np.zeros(n, dtype=np.int32)
    aware = np.zeros(n, dtype=bool)
    if width > t + 8:
        zone = m[:, t + 8]
        zulu = (lengths == t + 9) & (zone == 90)
        signed = np.zeros(n, dtype=bool)
        if width == t + 14:
            signed = (lengths == t + 14) & ((zone == 43) | (zone == 45))
            signed &= (d[:, [t + 9, t + 10, t + 12, t + 13]] <= 9).all(axis=1) & (m[:, t + 11] == 58)
            zh, zm = _two(d, t + 9), _two(d, t + 12)
            signed &= (zh <= 23) & (zm <= 59)
            offset = np.where(signed, np.where(zone == 45, -1, 1) * (zh * 3600 + zm * 60), 0)
        ok &= (lengths == t + 8) | zulu | signed
        aware = zulu | signed
    else:
        ok &= lengths == t + 8
    if t:
        y = _two(d, 0) * 100 + _two(d, 2)
        mo, dd = _two(d, 5), _two(d, 8)
    else:
        y = np.full(n, 1900, dtype=np.int32)
        mo = dd = np.ones(n, dtype=np.int32)
    c = {"Y": y.astype(np.int64), "m": mo.astype(np.int64), "d": dd.astype(np.int64),
         "H": hh.astype(np.int64), "M": mi.astype(np.int64), "S": ss.astype(np.int64),
         "f": np.zeros(n, dtype=np.int64), "offset": offset.astype(np.int64), "aware": aware}
    c["valid"] = ok & valid_ymd(y, mo, dd)
    return ok, c


def layout_direct(cells: pa.Array, fmt: str, defaults=(1900, 1, 1)):
    """(handled, components) for a fixed-width ASCII strptime layout, or (None, None)."""
    plan = fixed_plan(fmt)
    if plan is None:
        return None, None
    width, layout, literals = plan
    starts, lengths, data = string_layout(cells)
    n = len(starts)
    ok = lengths == width
    m = byte_matrix(cells, width, (starts, lengths, data))
    d = m - np.uint8(48)
    for pos, byte in literals:
        ok &= m[:, pos] == byte
    digit_cols = [k for start, stop in layout.values() for k in range(start, stop)]
    if digit_cols:
        ok &= (d[:, digit_cols] <= 9).all(axis=1)
    limits = {"m": (1, 12), "d": (1, 31), "H": (0, 23), "M": (0, 59), "S": (0, 59)}
    c = {}
    for directive, (start, stop) in layout.items():
        value = _two(d, start)
        if stop - start == 4:
            value = value * 100 + _two(d, start + 2)
        if directive in limits:
            low, high = limits[directive]
            ok &= (value >= low) & (value <= high)
        c[directive] = value
    for name, default in (("Y", defaults[0]), ("m", defaults[1]), ("d", defaults[2]), ("H", 0), ("M", 0), ("S", 0)):
        c[name] = c[name].astype(np.int64) if name in c else np.full(n, default, dtype=np.int64)
    c["f"] = np.zeros(n, dtype=np.int64)
    c["offset"] = np.zeros(n, dtype=np.int64)
    c["aware"] = np.zeros(n, dtype=bool)
    c["valid"] = ok & valid_ymd(c["Y"], c["m"], c["d"])
    return ok, c


def direct_parts(cells: pa.Array, fmt: str):
    """The cells of a fixed-width strptime layout ``fmt`` (see
    :func:`layout_direct`), recognised and converted from the bytes: (handled,
    valid, days since 1970-01-01, seconds of the day) as numpy arrays (int32
    or int64: callers widen before multiplying), or None when no cell can take
    this path. Uses the compiled kernel when there is one, else numpy (same
    results)."""
    from ..columnar import kernels

    plan = fixed_plan(fmt)
    if plan is None:
        return None
    width, layout, literals = plan
    positions = [layout.get(d, (-1,))[0] for d in ("Y", "m", "d", "H", "M", "S")]
    fast = kernels.temporal_layout(cells, width, positions, literals, (1900, 1, 1))
    if fast is not None:
        return fast
    handled, c = layout_direct(cells, fmt)
    if handled is None or c is None:
        return None
    return handled, c["valid"], days_from_civil(c["Y"], c["m"], c["d"]), (c["H"] * 60 + c["M"]) * 60 + c["S"]


def iso_keys(cells: pa.Array, time_start: int):
    """The ISO cells without a fraction (see :func:`iso_direct`), recognised and
    converted from the bytes: (handled, valid, micros, aware), micros being the
    key -- microseconds since 1970-01-01 in UTC (wall time when naive) for
    date-times (time_start 11), microseconds of the day minus the UTC offset
    for times (time_start 0) -- or None when no cell can take this path."""
    from ..columnar import kernels

    fast = kernels.temporal_iso(cells, time_start)
    if fast is not None:
        return fast
    handled, c = iso_direct(cells, time_start)
    if handled is None or c is None:
        return None
    micros = timestamp_micros(c) if time_start else micros_of_day(c) - c["offset"] * 1_000_000
    return handled, c["valid"], micros, c["aware"]


def direct_keys(cells: pa.Array, key_type: pa.DataType, iso_start=None, fmt=None):
    """(handled, keys, aware) of the direct path of a datetime (``key_type``
    timestamp[us]) or time (duration[us]) column: ISO cells when ``iso_start``
    is given (11 or 0), else the fixed-width layout ``fmt``."""
    n = len(cells)
    nothing = np.zeros(n, dtype=bool), pa.nulls(n, key_type), None
    if iso_start is not None:
        parts = iso_keys(cells, iso_start)
        if parts is None:
            return nothing
        handled, valid, micros, aware = parts
        return handled, from_numpy(micros, key_type, valid), aware
    parts = direct_parts(cells, fmt)
    if parts is None:
        return nothing
    handled, valid, days, seconds = parts
    micros = seconds.astype(np.int64) * 1_000_000
    if pa.types.is_timestamp(key_type):
        micros += days.astype(np.int64) * 86_400_000_000
    return handled, from_numpy(micros, key_type, valid), None


def fixed_plan(fmt: str):
    """(width, layout, [(position, literal byte)]) of a fixed-width ASCII format."""
    if not isinstance(fmt, str) or any(ord(ch) > 127 for ch in fmt):
        return None
    if strptime_regex(fmt) is None:
        return None
    return _walk_fixed(fmt)


def _walk_fixed(fmt: str):
    """(width, {directive: (start, stop)}, [(position, literal byte)]) of a
    format accepted by :func:`strptime_regex`, or None when a directive has no
    fixed width (%f, %z)."""
    layout, literals = {}, []
    pos = i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            directive = fmt[i + 1]
            i += 2
            if directive == "%":
                literals.append((pos, ord("%")))
                pos += 1
                continue
            if directive in ("f", "z"):
                return None
            width = 4 if directive == "Y" else 2
            layout[directive] = (pos, pos + width)
            pos += width
            continue
        literals.append((pos, ord(fmt[i])))
        pos += 1
        i += 1
    return pos, layout, literals


def _number(matrix: np.ndarray, col: int, count: int) -> np.ndarray:
    value = np.zeros(matrix.shape[0], dtype=np.int64)
    for k in range(count):
        value = value * 10 + matrix[:, col + k].astype(np.int64) - 48
    return value


def iso_components(cells: pa.Array, time_start: int) -> dict:
    """Components of cells already matched by ISO_DATETIME_RE (time_start=11) or
    ISO_TIME_RE (time_start=0): fixed positions, then an optional fraction and offset.
    Rows not matched give garbage and are masked by the caller."""
    n = len(cells)
    t = time_start
    length, first, last = _windows(cells, t + 15, 6)
    if t:
        y, m, d = _number(first, 0, 4), _number(first, 5, 2), _number(first, 8, 2)
    else:
        y, m, d = np.full(n, 1900), np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    c = {"Y": y, "m": m, "d": d, "H": _number(first, t, 2), "M": _number(first, t + 3, 2), "S": _number(first, t + 6, 2)}
    tail_len = np.maximum(length - (t + 8), 0)
    zulu = (tail_len >= 1) & (last[:, 5] == ord("Z"))
    sign_char = last[:, 0]
    signed = (tail_len >= 6) & ((sign_char == ord("+")) | (sign_char == ord("-")))
    tz_len = np.where(zulu, 1, np.where(signed, 6, 0))
    has_frac = (tail_len >= 2) & (first[:, t + 8] == ord("."))
    frac_len = np.where(has_frac, tail_len - 1 - tz_len, 0)
    micros = np.zeros(n, dtype=np.int64)
    for k in range(6):
        digit = first[:, t + 9 + k].astype(np.int64) - 48
        micros += np.where(k < frac_len, digit, 0) * 10 ** (5 - k)
    c["f"] = micros
    hh = _number(last, 1, 2)
    mm = _number(last, 4, 2)
    sign = np.where(sign_char == ord("-"), -1, 1)
    c["offset"] = np.where(signed, sign * (hh * 3600 + mm * 60), 0)
    c["aware"] = zulu | signed
    c["valid"] = valid_ymd(y, m, d) & (~signed | ((hh <= 23) & (mm <= 59)))
    return c


def strptime_layout(fmt: str):
    """{directive: (start, stop)} when ``strptime_regex(fmt)`` only matches one fixed width."""
    if strptime_regex(fmt) is None:
        return None
    walked = _walk_fixed(fmt)
    return None if walked is None else walked[1]


def fixed_components(cells: pa.Array, layout: dict, defaults=(1900, 1, 1)) -> dict:
    n = len(cells)
    width = max((stop for _, stop in layout.values()), default=0)
    _, first, _ = _windows(cells, max(width, 1), 1)

    def get(name, default):
        if name in layout:
            start, stop = layout[name]
            return _number(first, start, stop - start)
        return np.full(n, default, dtype=np.int64)

    c = {
        "Y": get("Y", defaults[0]), "m": get("m", defaults[1]), "d": get("d", defaults[2]),
        "H": get("H", 0), "M": get("M", 0), "S": get("S", 0),
        "f": np.zeros(n, dtype=np.int64), "offset": np.zeros(n, dtype=np.int64),
        "aware": np.zeros(n, dtype=bool),
    }
    c["valid"] = valid_ymd(c["Y"], c["m"], c["d"])
    return c
