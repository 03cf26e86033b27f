"""The UTC offset of naive local date-times, given the zone they were recorded in (``--timezone``)."""
from __future__ import annotations

import datetime as _dt
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...columnar.arrow import strings, to_bool_numpy, typed_scalar
from . import NULL_TEXT, matches, none_of, repair, text_scalar, where
from .temporal import iso_datetime_field

_NAIVE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?$"
_DAY = 86_400


def needs_offset(field) -> bool:
    """The field's format requires a UTC offset (``%z``): a naive cell is an error there."""
    return "%z" in field.format


def offset_text(offset: _dt.timedelta) -> str:
    """``+02:00`` (``+00:09:21`` for a historical offset of seconds): what both ISO 8601
    and ``strptime``'s ``%z`` read."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def local_offset(moment: _dt.datetime, zone) -> "tuple[Optional[_dt.timedelta], str]":
    """(offset, "") of a naive local time in ``zone``, or (None, why): "ambiguous" (the hour
    repeated when clocks go back) or "nonexistent" (the hour skipped when they go forward)."""
    early = moment.replace(tzinfo=zone, fold=0)
    late = moment.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early.utcoffset(), ""
    back = early.astimezone(_dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    return None, ("ambiguous" if back == moment else "nonexistent")


def _day_offsets(days: list, zone) -> list:
    """The one offset of each local day (days since 1970-01-01), or None on a day whose
    offset changes (checked at every hour, both folds: zones change on the hour or half-hour)."""
    out = []
    epoch = _dt.datetime(1970, 1, 1)
    for day in days:
        start = epoch + _dt.timedelta(days=day)
        seen = set()
        for hour in range(0, 25):
            for minutes in (0, 30):
                moment = start + _dt.timedelta(hours=hour, minutes=minutes)
                for fold in (0, 1):
                    seen.add(moment.replace(tzinfo=zone, fold=fold).utcoffset())
            if len(seen) > 1:
                break
        out.append(offset_text(seen.pop()) if len(seen) == 1 else None)
    return out


@repair("local-time-offset", iso_datetime_field)
def local_time_offset(cells, field, context):
    """``2024-03-30T23:00:00`` → ``2024-03-30T23:00:00+01:00`` with ``--timezone Europe/Paris``.

    A naive local date-time gets the UTC offset its zone had at that moment
    (``zoneinfo``, the IANA database), right on both sides of a daylight saving
    change. The hour that does not exist (clocks forward: ``2024-03-31T02:30``)
    and the hour that happens twice (clocks back: ``2024-10-27T02:30``) are left
    as they were and reported (``fix-ambiguous-local-time``). Without
    ``--timezone``, naive cells of a field that requires an offset are reported
    (``fix-timezone-needed``). Cells with an offset or ``Z`` are never touched.
    """
    naive = matches(cells, _NAIVE)
    if none_of(naive):
        return cells
    zone = context.timezone
    if zone is None:
        if needs_offset(field):
            context.note("fix-timezone-needed", field, to_bool_numpy(naive))
        return cells
    seconds = pc.cast(pc.strptime(pc.utf8_slice_codeunits(pc.if_else(naive, cells, NULL_TEXT), 0, 19),
                                  format="%Y-%m-%dT%H:%M:%S", unit="s", error_is_null=True), pa.int64())
    day = pc.floor(pc.divide(pc.cast(seconds, pa.float64()), typed_scalar(float(_DAY), pa.float64())))
    day = pc.cast(day, pa.int64())
    distinct = pc.unique(pc.drop_null(day))
    offsets = strings(_day_offsets(distinct.to_pylist(), zone))
    offset = pc.take(offsets, pc.index_in(day, value_set=distinct))
    text = pc.binary_join_element_wise(cells, offset, text_scalar(""))
    out = where(pc.and_(naive, pc.is_valid(offset)), text, cells)
    # the days of a change: each distinct value on its own
    changing = pc.and_(pc.and_(naive, pc.is_valid(day)), pc.is_null(offset))
    if none_of(changing):
        return out
    values = pc.unique(pc.filter(cells, changing))
    answers, why = [], []
    for value in values.to_pylist():
        found, reason = local_offset(_dt.datetime.fromisoformat(value), zone)
        answers.append(value + offset_text(found) if found is not None else None)
        why.append(reason)
    positions = pc.index_in(cells, value_set=values)
    answer = pc.take(strings(answers), positions)
    out = where(pc.and_(changing, pc.is_valid(answer)), answer, out)
    reasons = pc.take(strings(why), positions)
    for kind in ("ambiguous", "nonexistent"):
        mask = to_bool_numpy(pc.and_(changing, pc.equal(reasons, text_scalar(kind))))
        context.note("fix-ambiguous-local-time", field, np.asarray(mask, dtype=bool), kind=kind,
                     timezone=str(getattr(zone, "key", zone)))
    return out
