"""The column steps a mapping file adds to a field's repairs: missing values, case, zero padding, a
prefix, a fixed count of decimals, a shift of date-times.

Why steps and not rules: what they do is right only because the person who
knows the export said so in its mapping (``NC`` means "unknown" in this
tool's exports, its identifiers lack the ``PL-`` the schema's have); each is
one small :class:`~territoria.fix.repairs.Repair`, run in the field's chain
and guarded by the field's type check like every repair, and named in the
change log (``mapping-missing``, ``mapping-case``...).
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .repairs import Repair, matches, where

_NUMBER = "^\\s*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*$"
#: an ISO 8601 duration of days and clock time (weeks, months and years have no fixed length)
DURATION = re.compile(r"^P(?:(?P<days>\d{1,5})D)?(?:T(?:(?P<hours>\d{1,6})H)?(?:(?P<minutes>\d{1,8})M)?"
                      r"(?:(?P<seconds>\d{1,10})S)?)?$")


def _always(field) -> bool:
    return True


def missing_step(values: list) -> Repair:
    def mapping_missing(cells, field, context):
        """``NC``, ``-``: a cell the mapping's ``source.missing_values`` lists (trimmed) becomes empty."""
        found = pc.fill_null(pc.is_in(pc.utf8_trim_whitespace(cells), value_set=pa.array(values, pa.string())), False)
        if not pc.any(found).as_py():
            return cells
        return pc.if_else(found, pa.scalar(None, pa.string()), cells)

    return Repair("mapping-missing", _always, mapping_missing)


def case_step(how: str) -> Repair:
    def mapping_case(cells, field, context):
        """``pav-69123-0412`` → ``PAV-69123-0412`` (``case: {field: upper}``; or ``lower``)."""
        return pc.utf8_upper(cells) if how == "upper" else pc.utf8_lower(cells)

    return Repair("mapping-case", _always, mapping_case)


def zero_pad_step(width: int) -> Repair:
    def mapping_zero_pad(cells, field, context):
        """``1004`` → ``01004`` (``zero_pad: {insee_code: 5}``): digits a spreadsheet read as a number
        get back the leading zeros it took; a cell with anything but digits is left as it is."""
        digits = matches(cells, "^[0-9]+$")
        if not pc.any(digits).as_py():
            return cells
        return where(digits, pc.utf8_lpad(cells, width, "0"), cells)

    return Repair("mapping-zero-pad", _always, mapping_zero_pad)


def prefix_step(prefix: str) -> Repair:
    def mapping_prefix(cells, field, context):
        """``38185-00001`` → ``PL-38185-00001`` (``prefix: {light_point_id: "PL-"}``); a cell that
        already starts with the prefix is left as it is."""
        bare = pc.invert(pc.fill_null(pc.starts_with(cells, prefix), True))
        if not pc.any(bare).as_py():
            return cells
        return where(bare, pc.binary_join_element_wise(prefix, cells, ""), cells)

    return Repair("mapping-prefix", _always, mapping_prefix)


def fixed(value: Decimal, decimals: tuple) -> str:
    """``value`` rounded half away from zero to ``decimals`` (``(count, exact)``): with exactly ``count``
    decimals (``4.8358`` → ``4.83580``), or at most ``count``, trailing zeros dropped (``8.0`` → ``8``)."""
    count, exact = decimals
    rounded = value.quantize(Decimal(1).scaleb(-count), rounding=ROUND_HALF_UP)
    out = format(rounded if exact else rounded.normalize(), "f")
    return out[1:] if out.startswith("-") and not out.strip("-0.") else out  # no "-0.00"


def decimals_text(cells: pa.Array, decimals: tuple) -> pa.Array:
    """Plain decimal texts written with ``decimals`` (``(count, exact)``, see :func:`fixed`); other cells
    as they were."""
    plain = matches(cells, _NUMBER)
    if not pc.any(plain).as_py():
        return cells
    distinct = pc.unique(pc.filter(cells, plain))
    answers = []
    for text in distinct.to_pylist():
        try:
            answers.append(fixed(Decimal(text.strip()), decimals))
        except InvalidOperation:
            answers.append(None)
    mapped = pc.take(pa.array(answers, pa.string()), pc.index_in(cells, value_set=distinct))
    return where(pc.and_(plain, pc.is_valid(mapped)), mapped, cells)


def degrees_text(values: np.ndarray, decimals: Optional[tuple]) -> pa.Array:
    """Computed degrees as text: to the decimals a mapping asks (``(count, exact)``), else to 7
    (about a centimetre), the shortest text that reads back the same."""
    count, exact = decimals or (7, False)
    if not exact:
        return pa.array(np.round(values, count)).cast(pa.string())
    return pa.array([None if v != v else f"{v:.{count}f}" for v in values.tolist()], pa.string())


def duration_of(text: str) -> Optional[tuple]:
    """``(days, seconds)`` of an ISO 8601 duration of days and clock time (``P1D``, ``PT1H``,
    ``P1DT12H``), or None."""
    found = DURATION.match(text)
    if not found or text in ("P", "PT") or text.endswith("T"):
        return None
    parts = {k: int(v or 0) for k, v in found.groupdict().items()}
    return parts["days"], parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"]


_DATETIME = ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
             "(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$")


def shift_text(text: str, days: int, seconds: int, zone) -> Optional[str]:
    """See :func:`_shift_text`; None too when the result leaves the calendar (years 1 to 9999)."""
    try:
        return _shift_text(text, days, seconds, zone)
    except (OverflowError, ValueError):
        return None


def _shift_text(text: str, days: int, seconds: int, zone) -> Optional[str]:
    """``text`` (ISO date-time) moved by ``days`` calendar days, then ``seconds`` of elapsed time, or None
    when that moment cannot be said (a naive time in a zone that changes its clocks that day).

    Why two parts: a day is a calendar day (midnight to midnight, 23 or 25 hours when clocks
    change); an hour is sixty minutes of elapsed time (``PT1H`` after ``01:00+01:00`` on the night
    clocks go forward is ``03:00+02:00``). With the zone (``source.timezone``, ``--timezone``), the
    result gets the offset the zone has at that moment; without it, the offset the cell has.
    """
    from .repairs.zones import local_offset, offset_text

    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.year < 2 or moment.year > 9998:
        return None
    if moment.tzinfo is None and zone is not None:  # a naive cell a zone could not place
        return None
    if days:
        local = (moment.replace(tzinfo=None) if zone is None or moment.tzinfo is None
                 else moment.astimezone(zone).replace(tzinfo=None)) + _dt.timedelta(days=days)
        if moment.tzinfo is None:
            moment = local
        elif zone is None:
            moment = local.replace(tzinfo=moment.tzinfo)
        else:
            offset, _why = local_offset(local, zone)
            if offset is None:
                return None
            moment = local.replace(tzinfo=_dt.timezone(offset))
    if seconds:
        moment = moment + _dt.timedelta(seconds=seconds)  # an aware moment: elapsed time
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if zone is not None:
        moment = moment.astimezone(zone)
    offset = moment.utcoffset()
    suffix = "Z" if text.endswith("Z") and not offset else offset_text(offset)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + suffix


def shift_cells(cells: pa.Array, duration: tuple, zone) -> tuple:
    """``(shifted cells, moved)``: each ISO date-time cell moved by ``duration`` (``(days, seconds)``);
    ``moved`` is False where a cell holds a value that could not be moved (the caller puts its
    source text back: a period's end is never its start by default)."""
    days, seconds = duration
    iso = matches(cells, _DATETIME)
    distinct = pc.unique(pc.filter(cells, iso))
    answers = pa.array([shift_text(t, days, seconds, zone) for t in distinct.to_pylist()], pa.string())
    mapped = pc.take(answers, pc.index_in(cells, value_set=distinct))
    shifted = where(pc.is_valid(mapped), mapped, cells)
    moved = pc.or_(pc.is_null(cells), pc.is_valid(mapped))
    return shifted, np.asarray(pc.fill_null(moved, False).to_numpy(zero_copy_only=False), dtype=bool)


__all__ = ["missing_step", "case_step", "zero_pad_step", "prefix_step", "decimals_text", "degrees_text",
           "duration_of", "shift_text", "shift_cells", "fixed"]
