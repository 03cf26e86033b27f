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
from ..columnar.arrow import from_numpy, indices, keep_where, numbers, strings, validity
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
    native = (kinds != KIND_TEXT) & validity(cells)
    if not native.any():
        return cells, None
    accepted = ACCEPTED_KINDS[field.type]
    forced = np.zeros(len(cells), dtype=bool)
    rewritten = np.zeros(len(cells), dtype=bool)
    # decided per kind, not per cell: a Parquet column has one kind, a JSON one a few
    for kind in np.flatnonzero(np.bincount(kinds[native], minlength=_KINDS)):
        if kind not in accepted:
            forced |= native & (kinds == kind)
        elif not _unchanged(field, int(kind)):
            rewritten |= native & (kinds == kind)
    if rewritten.any():
        rewrite = _REWRITERS[field.type]
        texts = cells.to_pylist()
        for i in np.flatnonzero(rewritten):
            new = rewrite(field, texts[i], int(kinds[i]))
            if new is _REJECT:
                forced[i] = True
            else:
                texts[i] = new
        cells = strings(texts)
    return cells, (forced if forced.any() else None)


_KINDS = 11  # KIND_TEXT .. KIND_OTHER
_PLAIN_FORMATS = ("default", "any", None, "")


def _unchanged(field, kind: int) -> bool:
    """Whether every native cell of ``kind`` keeps its text for ``field`` (the
    rewriter would return it as it is): the cells of such a kind need no look."""
    if field.type not in _REWRITERS:
        return True
    if field.type == "number":
        return field.get("decimalChar", ".") == "."
    if field.type == "boolean":
        return field.get("trueValues") is None and field.get("falseValues") is None
    if field.type in ("datetime", "time"):
        return field.format in _PLAIN_FORMATS
    if field.type == "date":
        return kind == KIND_DATE and field.format in _PLAIN_FORMATS
    return False


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


def check_column(spec, batch, index: int, text_cells, missing: list) -> tuple:
    """(FieldResult, present mask) of column ``index`` of ``batch`` for field ``spec``.

    ``text_cells()`` gives the column as text with its missing values nulled (what
    :func:`check_cells` reads). A typed column of a Parquet batch is checked from
    its values when the field reads them as they are (numbers, integers, booleans,
    dates): the same verdicts and keys as through their text, which is then never
    made (``tests/fields`` compare both ways)."""
    typed = getattr(batch, "typed", None)
    if typed is not None and index < len(typed) and not [m for m in missing if m != ""]:
        outcome = check_typed(spec, typed[index])
        if outcome is not None:
            return outcome
    cells = text_cells()
    return check_cells(spec, cells, batch, index), validity(cells)


def check_typed(spec, column: pa.Array):
    """(FieldResult, present) of a typed Arrow column read as frictionless reads its
    native values, or None when this field type and Arrow type take the text way.

    Per column, not per cell: a float in a number field is its own key; in an
    integer field a whole float within 2**53 is that integer; an int is itself;
    a bool in a plain boolean field, a date in a plain date field likewise. Every
    other present cell (a NaN, a fraction in an integer field, an integer beyond
    int64...) goes the text way: its text is made and cast as any text is."""
    from . import FieldResult
    from ._core import SPEC_FACTORIES, type_spec
    from .constraints import check_constraints

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    present = validity(column)
    if spec.type in ("number", "integer") and (pa.types.is_integer(kind) or pa.types.is_float32(kind)
                                               or pa.types.is_float64(kind)):
        values = numbers(column)
        with np.errstate(invalid="ignore"):
            if pa.types.is_floating(kind):
                values = values.astype(np.float64, copy=False)
                if spec.type == "number":
                    fast, keys = present & np.isfinite(values), values + 0.0  # -0.0 == 0.0
                else:
                    fast = present & (np.floor(values) == values) & (np.abs(values) < 2.0 ** 53)
                    keys = np.where(fast, values, 0).astype(np.int64)
            else:
                fast = present & ~(values > np.iinfo(np.int64).max) if pa.types.is_uint64(kind) else present
                keys = values.astype(np.float64) + 0.0 if spec.type == "number" else values.astype(np.int64)
        key_type = pa.float64() if spec.type == "number" else pa.int64()
        keys = from_numpy(np.ascontiguousarray(keys), key_type, fast)
    elif spec.type == "boolean" and pa.types.is_boolean(kind) and _unchanged(spec, KIND_BOOL):
        fast, keys = present, column
    elif spec.type == "date" and pa.types.is_date(kind) and _unchanged(spec, KIND_DATE):
        fast, keys = present, column.cast(pa.date32())
    else:
        return None
    if spec.type not in SPEC_FACTORIES:
        from . import _load_type_modules

        _load_type_modules(spec.type)
    plan = type_spec(spec)
    cast = _native_cast(plan, column, present, fast, keys)
    constraints = check_constraints(spec, plan, cast)
    return FieldResult(type_error=present & ~cast.ok, constraints=constraints, keys=cast.keys), present


class _LazyText:
    """The text of a typed column, made for the rows asked for only (the constraint
    checks read the text of a few cells: bound ties, values they cannot compare)."""

    def __init__(self, column: pa.Array) -> None:
        self.column = column

    def __len__(self) -> int:
        return len(self.column)

    def take(self, rows) -> pa.Array:
        from ..readers.native import arrow_text

        return arrow_text(self.column.take(rows))


def _native_cast(type_spec, column: pa.Array, present: np.ndarray, fast: np.ndarray, keys: pa.Array):
    """The ``Cast`` of a typed column: its ``fast`` cells keyed by ``keys`` (null
    elsewhere), the other present cells cast through their text (``cast_column``)."""
    from ._core import Cast, cast_column

    n = len(column)
    residue = present & ~fast
    if not residue.any():
        return Cast(_LazyText(column), present, fast, fast.copy(), keys, np.zeros(0, dtype=np.int64), [], [])
    from ..readers.native import arrow_text

    where = np.flatnonzero(residue)
    sub = cast_column(type_spec, arrow_text(column.take(indices(where))))
    positions = np.zeros(n, dtype=np.int64)
    positions[where] = np.arange(len(where))
    scattered = sub.keys.take(from_numpy(positions, pa.int64(), residue))  # the residue's keys, in place
    if scattered.type != keys.type:  # a residue value beyond the key type (see _core.cast_column)
        keys = keys.cast(scattered.type, safe=False)
    keys = pc.coalesce(keys, scattered)
    ok = fast.copy()
    ok[where] = sub.ok
    fast = fast.copy()
    fast[where] = sub.fast  # their text took the vectorised way: keyed exactly
    res_indices = np.zeros(0, dtype=np.int64)
    if sub.res_texts:
        res_indices = np.zeros(n, dtype=np.int64)
        res_indices[where] = sub.res_indices if len(sub.res_indices) else 0
    return Cast(_LazyText(column), present, fast, ok, keys, res_indices, sub.res_texts, sub.res_values,
                inexact_keys=sub.inexact_keys)


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
        result.keys = keep_where(result.keys, ~forced)
        if result.salt_of is not None:
            salt_of = result.salt_of
            result.salt_of = lambda: _unsalted(salt_of(), forced)
    return result


def _unsalted(salt, forced):
    return None if salt is None else np.where(forced, np.uint64(0), salt)
