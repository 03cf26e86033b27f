"""Date and time repairs: French dates (``15/06/2021``, ``15/06/21`` when certain), date-times and times.

They apply to fields of the default format only (and, for date-times, the
ISO formats ``%Y-%m-%dT%H:%M:%S`` with or without ``%z``): a field that
declares another format reads its cells that way, and a French-looking cell may
be its declared form.
"""
from __future__ import annotations

import datetime as _dt

import pyarrow as pa
import pyarrow.compute as pc

from ...columnar.arrow import strings, to_bool_numpy, typed_scalar
from . import FALSE, matches, none_of, repair, text_scalar, where


def _extract(cells: pa.Array, pattern: str):
    """(found, parts): one pass of the pattern; ``found`` is False where it does not match."""
    parts = pc.extract_regex(cells, pattern)
    return pc.fill_null(pc.is_valid(parts), FALSE), parts

_DAY_MONTH = "(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/"


def _default_format(field, type_name: str) -> bool:
    return field.type == type_name and field.format == "default"


def iso_datetime_field(field) -> bool:
    """A date-time field whose cells are ISO text: the default format or ``%Y-%m-%dT%H:%M:%S[%z]``."""
    return field.type == "datetime" and field.format in ("default", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z")


def _pad(text: pa.Array, width: int) -> pa.Array:
    return pc.utf8_lpad(text, width, "0")


_EMPTY, _ZEROS = typed_scalar("", pa.string()), typed_scalar("00", pa.string())


def _empty(text: pa.Array) -> pa.Array:
    """True where the text is empty (an optional group that did not match)."""
    return pc.equal(pc.utf8_length(text), typed_scalar(0, pa.int32()))


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*[text_scalar(p) if isinstance(p, str) else p for p in parts], _EMPTY)


@repair("french-date", lambda f: _default_format(f, "date"))
def french_date(cells, field, context):
    """``15/06/2021`` → ``2021-06-15`` (day/month/year, the French order; ``5/6/2021`` too).

    A spreadsheet's midnight (``15/06/2021 00:00`` or ``00:00:00``) is the same
    date. A day or month that does not exist (``31/02/2021``) is refused by the
    field's type check and left as it was.
    """
    pattern = f"^\\s*{_DAY_MONTH}(?P<y>[0-9]{{4}})(?: 00:00(?::00)?)?\\s*$"
    found, parts = _extract(cells, pattern)
    if none_of(found):
        return cells
    day, month, year = (pc.struct_field(parts, k) for k in ("d", "m", "y"))
    return where(found, _join(year, "-", _pad(month, 2), "-", _pad(day, 2)), cells)


def _bounds(field) -> tuple:
    """The field's (lowest, highest) allowed date, or None where it declares none."""
    constraints = field.constraints

    def read(key, shift):
        value = constraints.get(key)
        try:
            day = _dt.date.fromisoformat(str(value)) if value is not None else None
        except ValueError:
            return None
        return day + _dt.timedelta(days=shift) if day is not None else None

    low = read("minimum", 0) or read("exclusiveMinimum", 1)
    high = read("maximum", 0) or read("exclusiveMaximum", -1)
    return low, high


def short_year_century(day: int, month: int, yy: int, low, high):
    """The one date ``dd/mm/yy`` can be inside [low, high], or None (no bounds, none, or several)."""
    if low is None or high is None:
        return None
    found = []
    for century in range(low.year // 100, high.year // 100 + 1):
        try:
            candidate = _dt.date(century * 100 + yy, month, day)
        except ValueError:
            continue
        if low <= candidate <= high:
            found.append(candidate)
    return found[0] if len(found) == 1 else None


@repair("short-year-date", lambda f: _default_format(f, "date"))
def short_year_date(cells, field, context):
    """``15/06/21`` → ``2021-06-15``, only when a single century is possible.

    The rule: the field declares both a lowest and a highest date
    (``minimum``/``exclusiveMinimum`` and ``maximum``/``exclusiveMaximum``), and
    exactly one century puts the date between them (``minimum`` 2000-01-01 and
    ``maximum`` 2099-12-31: ``15/06/21`` is 2021). Without both bounds, or when
    two centuries fit (bounds more than a century apart), the cell is left as it
    was and reported (``fix-ambiguous-year``): a two-digit year is never guessed.
    """
    if none_of(pc.match_substring(cells, "/")):  # a literal search first: french-date took the others
        return cells
    pattern = f"^\\s*{_DAY_MONTH}(?P<y>[0-9]{{2}})\\s*$"
    found = matches(cells, pattern)
    if none_of(found):
        return cells
    low, high = _bounds(field)
    distinct = pc.unique(pc.filter(cells, found))
    answers = []
    for text in distinct.to_pylist():
        d, m, y = (int(p) for p in text.strip().split("/"))
        date = short_year_century(d, m, y, low, high)
        answers.append(date.isoformat() if date else None)
    mapped = pc.take(strings(answers), pc.index_in(cells, value_set=distinct))
    resolved = pc.and_(found, pc.is_valid(mapped))
    context.note("fix-ambiguous-year", field, to_bool_numpy(pc.and_(found, pc.is_null(mapped))))
    return where(resolved, mapped, cells)


@repair("french-datetime", iso_datetime_field)
def french_datetime(cells, field, context):
    """``15/06/2021 23:00`` → ``2021-06-15T23:00:00`` (``23h00`` and seconds accepted).

    The result has no UTC offset: on a field whose format requires one
    (``%z``) it is kept only once ``local-time-offset`` gives it its offset
    (``--timezone``); otherwise the cell is left as it was.
    """
    pattern = (f"^\\s*{_DAY_MONTH}(?P<y>[0-9]{{4}})[ T]+(?P<H>[0-9]{{1,2}})[:hH](?P<M>[0-9]{{2}})"
               "(?::(?P<S>[0-9]{2}))?\\s*$")
    found, parts = _extract(cells, pattern)
    if none_of(found):
        return cells
    d, m, y, hh, mm, ss = (pc.struct_field(parts, k) for k in ("d", "m", "y", "H", "M", "S"))
    seconds = pc.if_else(_empty(ss), _ZEROS, ss)
    text = _join(y, "-", _pad(m, 2), "-", _pad(d, 2), "T", _pad(hh, 2), ":", mm, ":", seconds)
    return where(found, text, cells)


@repair("iso-datetime", iso_datetime_field)
def iso_datetime(cells, field, context):
    """``2021-06-15T23:00`` → ``2021-06-15T23:00:00``; ``2021-06-15 23:00:00`` → ``…T23:00:00``.

    Seconds are added where they are missing; on a field of an explicit format
    (``%Y-%m-%dT%H:%M:%S…``) the space between date and time becomes the ``T``
    that format requires. A cell that already reads is never touched (the
    default format accepts the space).
    """
    pattern = ("^\\s*(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})(?P<sep>[ T])(?P<hm>[0-9]{2}:[0-9]{2})"
               "(?P<s>:[0-9]{2}(?:\\.[0-9]+)?)?(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})?\\s*$")
    found, parts = _extract(cells, pattern)
    if none_of(found):
        return cells
    day, sep, hm, s, zone = (pc.struct_field(parts, k) for k in ("day", "sep", "hm", "s", "zone"))
    no_seconds = _empty(s)
    needs = no_seconds if field.format == "default" else pc.or_(no_seconds, pc.equal(sep, text_scalar(" ")))
    text = _join(day, "T", hm, pc.if_else(no_seconds, text_scalar(":00"), s), zone)
    return where(pc.and_(found, needs), text, cells)


@repair("french-time", lambda f: _default_format(f, "time"))
def french_time(cells, field, context):
    """``23h00``, ``23h``, ``9h30``, ``23:00``, ``9:00:00`` → ``23:00:00``, ``09:30:00``…

    Hours and minutes written the French way (``h``) or without seconds or the
    leading zero become ``HH:MM:SS``. An hour or minute out of range (``25h00``)
    is refused by the field's type check and left as it was.
    """
    pattern = ("^\\s*(?P<H>[0-9]{1,2})(?:\\s*[hH]\\s*(?P<Mh>[0-9]{2})?|:(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?)\\s*$")
    found, parts = _extract(cells, pattern)
    if none_of(found):
        return cells
    hh, mh, mm, ss = (pc.struct_field(parts, k) for k in ("H", "Mh", "M", "S"))
    minutes = pc.if_else(pc.invert(_empty(mh)), mh, pc.if_else(pc.invert(_empty(mm)), mm, _ZEROS))
    seconds = pc.if_else(pc.invert(_empty(ss)), ss, _ZEROS)
    return where(found, _join(_pad(hh, 2), ":", minutes, ":", seconds), cells)
