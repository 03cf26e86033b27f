"""Vectorised parsing shared by date, time and datetime (fixed-layout ISO texts
and simple ``strptime`` formats)."""
from __future__ import annotations

import re
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._core import (
    days_from_civil,
    extract_groups,
    fraction_micros,
    int_column,
    offset_seconds,
    slice_int,
    to_bool_numpy,
    valid_ymd,
)

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


def _windows(cells: pa.Array, head: int, tail: int):
    """(lengths, first ``head`` bytes, last ``tail`` bytes) of every string, as
    numpy uint8 matrices (zero-padded), read straight from the Arrow buffers."""
    n = len(cells)
    buffers = cells.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[cells.offset : cells.offset + n + 1].astype(np.int64)
    if buffers[2] is not None and buffers[2].size:
        data = np.frombuffer(buffers[2], dtype=np.uint8)[: int(offsets[-1]) if n else 0]
    else:
        data = np.zeros(0, dtype=np.uint8)
    pad = max(head, tail)
    padded = np.concatenate([np.zeros(pad, np.uint8), data, np.zeros(pad, np.uint8)])
    begin = offsets[:-1] + pad
    end = offsets[1:] + pad
    first = padded[begin[:, None] + np.arange(head)]
    last = padded[end[:, None] - tail + np.arange(tail)]
    return end - begin, first, last


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
    layout = {}
    pos = 0
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            directive = fmt[i + 1]
            i += 2
            if directive == "%":
                pos += 1
                continue
            if directive in ("f", "z"):
                return None
            width = 4 if directive == "Y" else 2
            layout[directive] = (pos, pos + width)
            pos += width
            continue
        pos += 1
        i += 1
    return layout


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
