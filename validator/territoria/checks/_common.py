"""Shared helpers of the custom checks: parameter parsing and vectorised column access.

Why here: every check reads its parameters the same way (a clear
``CheckParamsError`` naming the parameter, never a crash) and needs the same
views of a column (is the cell filled? its number? its text?), computed on whole
arrays. Checks that validate a format run their validator once per *distinct*
value (``distinct_valid``), never once per row.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import CheckFinding, CheckParamsError, CustomCheck
from ..columnar.arrow import keep_where, numbers as arrow_numbers, to_bool_numpy, validity

_NUMERIC = (pa.types.is_integer, pa.types.is_floating, pa.types.is_decimal)
_TEMPORAL = (pa.types.is_date, pa.types.is_timestamp)


class Check(CustomCheck):
    """A custom check with declared parameters.

    ``allowed`` lists the parameter names the check accepts (aliases included).
    Any other name is ignored, as Validata ignores it, but never silently: the
    report gets a ``check-parameter-ignored`` warning naming it (a misspelt
    parameter would otherwise disable part of a rule unnoticed).
    """

    allowed: tuple = ()

    def __init__(self, params, fields, context=None):
        if not isinstance(params, dict):
            raise CheckParamsError("'params' must be an object")
        super().__init__(params, fields, context)
        self.verdicts: dict = {}  # format checks: value -> valid?, kept across batches
        self.ignored_params = sorted(set(self.params) - set(self.allowed))

    # -- parameters -------------------------------------------------------
    def field_param(self, *keys: str, required: bool = True) -> Optional[str]:
        """The first of ``keys`` present (aliases), which must name a schema field."""
        for key in keys:
            if key in self.params:
                return self.require_field(key)
        if required:
            raise CheckParamsError(f"parameter {keys[0]!r} is required (a field name)")
        return None

    def fields_param(self, key: str, required: bool = True, allow_single: bool = True) -> list:
        value = self.params.get(key)
        if value is None:
            if required:
                raise CheckParamsError(f"parameter {key!r} is required (a list of field names)")
            return []
        if isinstance(value, str) and allow_single:
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise CheckParamsError(f"parameter {key!r} must be a non-empty list of field names")
        names = []
        for name in value:
            if name not in self.fields:
                if name not in self.schema_field_names:
                    raise CheckParamsError(f"parameter {key!r}: field {name!r} is not in the schema")
                self.absent.add(name)
            names.append(name)
        return names

    def choice_param(self, key: str, options: Iterable, default=None):
        options = list(options)
        value = self.params.get(key, default)
        if value not in options:
            raise CheckParamsError(
                f"parameter {key!r} must be one of {', '.join(map(str, options))} (got {value!r})")
        return value

    def number_param(self, key: str, default=None, minimum: Optional[float] = None) -> Optional[float]:
        value = self.params.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CheckParamsError(f"parameter {key!r} must be a number (got {value!r})")
        if minimum is not None and value < minimum:
            raise CheckParamsError(f"parameter {key!r} must be at least {minimum} (got {value!r})")
        return float(value)

    def flag_param(self, *keys: str, default: bool = False) -> bool:
        """A yes/no parameter: true/false, or Validata's "yes"/"no" strings."""
        for key in keys:
            if key in self.params:
                value = self.params[key]
                if isinstance(value, bool):
                    return value
                if isinstance(value, str) and value.strip().lower() in ("yes", "oui", "true", "1"):
                    return True
                if isinstance(value, str) and value.strip().lower() in ("no", "non", "false", "0"):
                    return False
                raise CheckParamsError(f"parameter {key!r} must be true/false or \"yes\"/\"no\" (got {value!r})")
        return default


# -- column access ---------------------------------------------------------
def raw(view, name: str) -> pa.Array:
    """The raw text of a column (all null when the file lacks the column)."""
    cells = view.cells.get(name)
    if cells is None:
        return pa.nulls(len(view.row_numbers), pa.string())
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
        cells = pc.cast(cells, pa.string())
    return cells


def typed(view, name: str) -> pa.Array:
    """The cast values of a column (null where missing, blank or not castable)."""
    values = view.values.get(name)
    if values is None:
        return pa.nulls(len(view.row_numbers), pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values


def filled(view, name: str) -> np.ndarray:
    """True where the cell holds something (not null, not only spaces), castable or not."""
    cells = raw(view, name)
    return validity(cells) & (arrow_numbers(pc.utf8_length(pc.utf8_trim_whitespace(cells))) > 0)


def text(view, name: str) -> pa.Array:
    """The trimmed text of the filled cells, null elsewhere."""
    cells = raw(view, name)
    trimmed = pc.utf8_trim_whitespace(cells)
    return keep_where(trimmed, arrow_numbers(pc.utf8_length(trimmed)) > 0)


def is_numeric_type(t) -> bool:
    return any(test(t) for test in _NUMERIC)


def is_temporal_type(t) -> bool:
    return any(test(t) for test in _TEMPORAL)


def numbers(view, name: str) -> np.ndarray:
    """float64 values of a column, NaN where empty or not a number.

    Numeric fields give their cast values; text fields (Validata schemas often
    declare numbers as strings) are parsed, decimal comma accepted.
    """
    values = typed(view, name)
    if is_numeric_type(values.type):
        return float_values(values)
    return parse_numbers(text(view, name))


def float_values(values: pa.Array) -> np.ndarray:
    """float64 values of a numeric column, NaN where null."""
    values = pc.cast(values, pa.float64())
    floats = arrow_numbers(values)
    return np.where(validity(values), floats, np.nan) if values.null_count else floats.copy()


def parse_numbers(strings: pa.Array) -> np.ndarray:
    """Text as float64 (a decimal comma read as a point), NaN where it is no number:
    what ``pandas.to_numeric(errors="coerce")`` reads (Python's ``float`` without
    its digit separators and non-ASCII digits), once per distinct text."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    encoded = pc.replace_substring(strings, ",", ".").dictionary_encode()
    table = np.array([_float(t) for t in encoded.dictionary.to_pylist()] + [np.nan], dtype=np.float64)
    positions = arrow_numbers(encoded.indices).astype(np.int64)
    if encoded.null_count:
        positions = np.where(validity(encoded.indices), positions, len(table) - 1)
    return table[positions]


def _float(text: str) -> float:
    if not text.isascii() or "_" in text:
        return np.nan
    try:
        return float(text)
    except ValueError:
        return np.nan


def _np_bool(array) -> np.ndarray:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return to_bool_numpy(array)


def np_bool(array) -> np.ndarray:
    return _np_bool(array)


def distinct_valid(strings: pa.Array, is_valid: Callable[[str], bool], cache: Optional[dict] = None) -> np.ndarray:
    """True where a non-null value fails ``is_valid``.

    The validator runs once per *distinct* value of the batch, and, with a
    ``cache`` (a dict kept by the check), once per distinct value of the file:
    verdicts are remembered up to ``CACHE_LIMIT`` values.
    """
    present = pc.is_valid(strings)
    if not pc.any(present).as_py():
        return np.zeros(len(strings), dtype=bool)
    distinct = pc.unique(pc.drop_null(strings)).to_pylist()
    bad = []
    for value in distinct:
        verdict = cache.get(value) if cache is not None else None
        if verdict is None:
            verdict = _safe(is_valid, value)
            if cache is not None and len(cache) < CACHE_LIMIT:
                cache[value] = verdict
        if not verdict:
            bad.append(value)
    if not bad:
        return np.zeros(len(strings), dtype=bool)
    return _np_bool(pc.is_in(strings, value_set=pa.array(bad, strings.type)))


CACHE_LIMIT = 200_000


def _safe(is_valid, value) -> bool:
    try:
        return bool(is_valid(value))
    except Exception:  # a validator that raises on odd input: the value is not valid
        return False


class LazyNotes:
    """One note per finding, built only when the engine lists that finding.

    The engine lists at most ``limit_errors`` findings; building a note for each
    of a million failing rows would cost more than the check itself.
    """

    def __init__(self, count: int, build: Callable[[int], str]):
        self.count = count
        self.build = build

    def __len__(self):
        return self.count

    def __bool__(self):
        return self.count > 0

    def __getitem__(self, k):
        return self.build(int(k))


class LazyCells(LazyNotes):
    pass


def finding(code: str, mask_or_positions, field_name: str = "", note: str = "", notes=None,
            severity: str = "error") -> list:
    """A one-element list with the finding, or an empty list when nothing failed."""
    positions = mask_or_positions
    if isinstance(positions, np.ndarray) and positions.dtype == bool:
        positions = np.flatnonzero(positions)
    if positions is None or not len(positions):
        return []
    return [CheckFinding(code, positions=np.asarray(positions), field_name=field_name, note=note,
                         notes=notes, severity=severity)]


def show(value) -> str:
    """A cell value for a note: numbers without a useless '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")


def duration_seconds(value, key: str) -> float:
    """A duration parameter in seconds: a number, or an ISO 8601 duration (PT15M, P1D)."""
    if isinstance(value, bool):
        raise CheckParamsError(f"parameter {key!r} must be seconds or an ISO 8601 duration")
    if isinstance(value, (int, float)):
        if value <= 0:
            raise CheckParamsError(f"parameter {key!r} must be positive")
        return float(value)
    if isinstance(value, str):
        match = _ISO_DURATION.match(value.strip())
        if match and value.strip() not in ("P", "PT"):
            parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
            seconds = parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
            if seconds > 0:
                return seconds
    raise CheckParamsError(f"parameter {key!r} must be seconds or an ISO 8601 duration like PT15M (got {value!r})")
