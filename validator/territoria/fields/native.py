"""Native (typed) source cells seen by a field, as frictionless reads them.

A spreadsheet, JSON or Parquet cell that was a number, a date or a boolean in
the source reaches the engine as text plus its kind (``readers.native``).
frictionless's value reader of each field type accepts some Python types and
rejects others, and reads an accepted value through the field's own format
(``decimalChar``, ``trueValues``, a date ``format``...). This module decides,
per field type, which kinds are type errors and rewrites the others to the text
the field parses to the same value.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..readers.native import (KIND_BOOL, KIND_DATE, KIND_DATETIME, KIND_DICT, KIND_DURATION, KIND_FLOAT,
                              KIND_INT, KIND_LIST, KIND_TEXT, KIND_TIME, cell_text)
from . import check_field


_ALL_NATIVE = frozenset(range(1, 11))


ACCEPTED_KINDS = {
    # field type -> native kinds frictionless's value reader accepts (others: type error)
    "any": _ALL_NATIVE,
    "string": frozenset(),
    "integer": frozenset({KIND_INT, KIND_FLOAT}),       # float: only whole (the text says)
    "number": frozenset({KIND_INT, KIND_FLOAT}),
    "boolean": frozenset({KIND_BOOL}),
    "date": frozenset({KIND_DATE, KIND_DATETIME}),      # datetime: only at 00:00:00
    "datetime": frozenset({KIND_DATETIME}),
    "time": frozenset({KIND_TIME}),
    "year": frozenset({KIND_INT, KIND_BOOL}),           # int: only 0..9999
    "yearmonth": frozenset({KIND_LIST}),                # list: only [year, month]
    "duration": frozenset({KIND_DURATION}),
    "array": frozenset({KIND_LIST}),
    "object": frozenset({KIND_DICT}),
    "geojson": frozenset({KIND_DICT}),
    "geopoint": frozenset({KIND_LIST}),
    "list": frozenset({KIND_LIST}),
}


def native_cells(field, cells: pa.Array, kinds: Optional[np.ndarray]):
    """Adapt one column of a :class:`NativeBatch` to a field, as frictionless reads natives.

    ``field`` is a ``FieldSpec``; ``cells`` the column after missing values
    were nulled; ``kinds`` the batch's ``kinds[i]`` (or None). Returns
    ``(cells, forced)``: ``cells`` with native cells rewritten to the text the
    field's own format parses to the value frictionless reads (nulls kept
    where they were), and ``forced``, a bool array (or None) of cells that are
    type errors because frictionless rejects that Python type for that field.
    """
    if kinds is None or field.type not in ACCEPTED_KINDS or field.type == "any":
        return cells, None
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    valid = pc_is_valid(cells)
    where = np.flatnonzero((kinds != KIND_TEXT) & valid)
    if not len(where):
        return cells, None
    accepted = ACCEPTED_KINDS[field.type]
    forced = np.zeros(len(cells), dtype=bool)
    texts = None
    rewrite = _REWRITERS.get(field.type)
    for i in where:
        kind = int(kinds[i])
        if kind not in accepted:
            forced[i] = True
            continue
        if rewrite is None:
            continue
        if texts is None:
            texts = cells.to_pylist()
        new = rewrite(field, texts[i], kind)
        if new is _REJECT:
            forced[i] = True
        else:
            texts[i] = new
    if texts is not None:
        cells = pa.array(texts, type=pa.string())
    return cells, (forced if forced.any() else None)


def pc_is_valid(cells: pa.Array) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.is_valid(cells).to_numpy(zero_copy_only=False)


_REJECT = object()


def _rewrite_number(field, text, kind):
    # frictionless casts native numbers directly: decimalChar/groupChar/bareNumber do not apply
    decimal_char = field.get("decimalChar", ".")
    if decimal_char != "." and "." in text:
        text = text.replace(".", decimal_char)
    return text


def _rewrite_boolean(field, text, kind):
    values = field.get("trueValues" if text == "true" else "falseValues")
    if values is None:
        return text
    return values[0] if values else text


def _strftime(field, value, default: str):
    fmt = field.format
    if fmt in ("default", "any", None, ""):
        return default
    try:
        return value.strftime(fmt)
    except Exception:
        return default


def _rewrite_date(field, text, kind):
    day = _dt.date.fromisoformat(text[:10])
    if kind == KIND_DATETIME:
        moment = _dt.datetime.fromisoformat(text)
        if moment.hour or moment.minute or moment.second:
            return _REJECT
    return _strftime(field, day, day.isoformat())


def _rewrite_datetime(field, text, kind):
    return _strftime(field, _dt.datetime.fromisoformat(text), text)


def _rewrite_time(field, text, kind):
    return _strftime(field, _dt.time.fromisoformat(text), text)


def _rewrite_year(field, text, kind):
    number = 1 if text == "true" else 0 if text == "false" else int(text)
    if number < 0 or number > 9999:
        return _REJECT
    return f"{number:04d}"


def _rewrite_yearmonth(field, text, kind):
    value = json.loads(text)
    if len(value) != 2:
        return _REJECT
    try:
        return f"{int(value[0]):04d}-{int(value[1]):02d}"
    except (TypeError, ValueError):
        return _REJECT


def _rewrite_geopoint(field, text, kind):
    value = json.loads(text)
    try:
        lon, lat = value
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return _REJECT
    except Exception:
        return _REJECT
    if field.format == "array":
        return json.dumps([lon, lat])
    if field.format == "object":
        return json.dumps({"lon": lon, "lat": lat})
    return f"{lon},{lat}"


def _rewrite_list(field, text, kind):
    items = json.loads(text)
    delimiter = field.get("delimiter", ",")
    parts = []
    for item in items:
        part, item_kind = cell_text(item)
        if part is None or item_kind in (KIND_LIST, KIND_DICT):
            return _REJECT
        parts.append(part)
    return delimiter.join(parts)


_REWRITERS = {
    "number": _rewrite_number,
    "boolean": _rewrite_boolean,
    "date": _rewrite_date,
    "datetime": _rewrite_datetime,
    "time": _rewrite_time,
    "year": _rewrite_year,
    "yearmonth": _rewrite_yearmonth,
    "geopoint": _rewrite_geopoint,
    "list": _rewrite_list,
}


def check_cells(spec, cells: pa.Array, batch, index: int):
    """``check_field`` on column ``index`` of ``batch`` (a ``readers.Batch``), plus the native rule: cells that were numbers, dates or
    booleans in the source are read as frictionless reads those native values
    (and are type errors where it rejects that Python type for the field)."""
    kinds = getattr(batch, "kinds", None)
    forced = None
    if kinds is not None and index < len(kinds) and kinds[index] is not None:
        cells, forced = native_cells(spec, cells, kinds[index])
    result = check_field(spec, cells)
    if forced is not None:
        result.type_error = result.type_error | forced
        result.constraints = {k: (m & ~forced if m is not None else None) for k, m in result.constraints.items()}
        result.keys = pc.if_else(pa.array(forced), pa.scalar(None, result.keys.type), result.keys)
        if result.salt_of is not None:
            salt_of = result.salt_of
            result.salt_of = lambda: _unsalted(salt_of(), forced)
    return result


def _unsalted(salt, forced):
    return None if salt is None else np.where(forced, np.uint64(0), salt)
