"""Cross-file checks: rules that compare a table with another table of its data package.

Why: Table Schema and row checks see one table, but the smart-territory
standards have rules spanning two (a fill level may fall only if the container
was emptied, recorded in another table; a count's period lasts its channel's
time stepd in the channel table).

How it works:

* a check declares the columns of other tables it needs with
  ``needed_resources() -> [(resource name, [field names])]``;
* when a Data Package is validated, the package code (``api._related_columns``)
  reads those columns of the named resources before validating the table: typed
  with that resource's schema exactly as ``check_cells`` types them, all rows,
  each column one pyarrow array (batches concatenated; no Python rows);
* the engine then calls ``connect``, which hands them to each check with
  ``check.attach(resource, {field: array})`` before the first batch.

When the other table is not available the check does not run, and the task gets
**one warning** (``cross-file-check-skipped``) naming the rule and the reason: the
file was validated alone (outside its package), the package has no such
resource, the resource lacks a needed column, or it could not be read. Never an
error: the same table schema serves lone files and packages, and a publisher may
publish a package without the optional table a rule refers to (e.g. no emptyings
table). So a resource name in a check's parameters is never a schema error; a
misspelt one shows up as that warning. Field names of the table itself are
checked as for every check (a schema error when unknown).

Keys are matched across tables by their typed values (hashed like foreign keys),
so the key fields of both tables should have the same type.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import CheckContext, CheckParamsError, build_checks, register
from ._common import (Check, LazyNotes, filled, finding, is_numeric_type, is_temporal_type,
                      np_bool, parse_numbers, show, text, typed)
from ..rules import check_rule
from ..columnar.keys import hash_keys

_SKIPPED = "cross-file-check-skipped"  # declared with the core rules (the framework raises it)


def skipped_warning(rule: str, resource: str, fields: list, reason: str, **details) -> dict:
    """The warning of a cross-file check that could not run (a bare finding; the rules give it words)."""
    from ..rules.words import UNAVAILABLE

    english = UNAVAILABLE[reason][0].format(resource=resource, **details)
    return {"type": _SKIPPED, "rowNumber": None, "severity": "warning",
            "rule": rule, "referenceName": resource, "referenceFields": ", ".join(fields),
            "reason": reason, "details": details,
            "note": f"{rule} needs {resource} ({', '.join(fields)}): {english}"}


def needed_columns(schema) -> dict:
    """``{resource: [field names]}`` the schema's custom checks need from other tables
    (empty when its custom checks are wrong: the table's validation reports that)."""
    try:
        checks, _ = build_checks(schema.descriptor, schema.fields, CheckContext.of(schema))
    except CheckParamsError:
        return {}
    needs: dict = {}
    for check in checks:
        for resource, names in check.needed_resources():
            needs.setdefault(resource, [])
            needs[resource] += [n for n in names if n not in needs[resource]]
    return needs


def connect(checks: list, related) -> tuple:
    """Give each check the columns it needs; return (checks that run, warnings of those skipped).

    ``related``: None for a table validated alone, else ``{resource: {field: array}}``
    with a reason string instead of the dict when that resource cannot serve.
    """
    running, warnings = [], []
    for check in checks:
        needs = check.needed_resources()
        if not needs:
            running.append(check)
            continue
        warning = None
        for resource, names in needs:
            warning = _unavailable(check.name, resource, names, related)
            if warning:
                break
        if warning is None:
            try:
                for resource, names in needs:
                    check.attach(resource, {n: related[resource][n] for n in names})
            except CheckParamsError as error:
                resource, names = needs[0]
                warning = skipped_warning(check.name, resource, names, "unusable", detail=str(error))
        if warning:
            warnings.append(warning)
        else:
            running.append(check)
    return running, warnings


def _unavailable(rule: str, resource: str, names: list, related):
    from ..rules.words import UNAVAILABLE

    if related is None:
        return skipped_warning(rule, resource, names, "alone")
    columns = related.get(resource)
    if columns is None:
        return skipped_warning(rule, resource, names, "no-resource")
    if isinstance(columns, str):
        return skipped_warning(rule, resource, names, columns if columns in UNAVAILABLE else "unreadable")
    for name in names:
        if name not in columns:
            return skipped_warning(rule, resource, names, "no-column", column=name)
    return None


# -- helpers shared by cross-file checks --------------------------------------------
def as_float(values: pa.Array) -> np.ndarray:
    """float64 of a typed column: numbers as they are, dates and datetimes as
    microseconds since the epoch (exact in float64), text parsed as a number; NaN if empty."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if is_numeric_type(values.type):
        return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    if is_temporal_type(values.type):
        if pa.types.is_date(values.type):
            values = pc.cast(values, pa.timestamp("us"))
        elif values.type.unit != "us":
            values = pc.cast(values, pa.timestamp("us", values.type.tz))
        micro = pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)
        return np.asarray(micro, dtype=np.float64)
    if pa.types.is_null(values.type):
        return np.full(len(values), np.nan)
    strings = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
    return parse_numbers(strings)


def kind_of(values: pa.Array) -> str:
    """"instant" for dates and datetimes, "number" otherwise (how ``as_float`` reads them)."""
    return "instant" if is_temporal_type(values.type) else "number"


def key_columns(columns: list) -> tuple:
    """(uint64 hashes, present) of key columns (present: no key part is null)."""
    n = len(columns[0])
    present = np.ones(n, dtype=bool)
    for column in columns:
        present &= np_bool(pc.is_valid(column))
    return hash_keys(columns), present


def events_between(event_keys: np.ndarray, event_times: np.ndarray, keys: np.ndarray,
                   after: np.ndarray, upto: np.ndarray) -> np.ndarray:
    """True where an event of the same key happened at a time in ``(after, upto]``.

    Vectorised: keys become codes and times ranks (over events and bounds
    together), so each (key, time) pair is one sortable int64 and every query is
    two binary searches in the sorted events.
    """
    n = len(keys)
    if n == 0 or len(event_keys) == 0:
        return np.zeros(n, dtype=bool)
    m = len(event_keys)
    _, codes = np.unique(np.concatenate([event_keys, keys]), return_inverse=True)
    event_codes, query_codes = codes[:m].astype(np.int64), codes[m:].astype(np.int64)
    times = np.unique(np.concatenate([event_times, after, upto]))
    width = np.int64(len(times) + 1)
    events = np.sort(event_codes * width + np.searchsorted(times, event_times))
    high = np.searchsorted(events, query_codes * width + np.searchsorted(times, upto), side="right")
    low = np.searchsorted(events, query_codes * width + np.searchsorted(times, after), side="right")
    return high > low


def show_seconds(seconds: float) -> str:
    return f"{show(float(seconds))} s"


# -- period-matches-referenced-time-step -------------------------------------------------
@register
class PeriodMatchesReferencedTimeStep(Check):
    """Each row's period ``[start, end)`` lasts the time step declared, in seconds, by
    the row it refers to in another table of the data package; ``end`` may be empty
    only when that row declares a time step.

    Parameters: ``key`` (field or list) of this table, matched with ``resource_key``
    (default: the same names) of the table ``resource``, whose column ``time_step``
    holds the step in seconds. ``require_end`` (default true): an empty ``end`` is an
    error when the referenced row has no time step (``period-end-required``).
    ``local_days`` (default true): when the step is a whole number of days, a period
    one hour shorter or longer is accepted, a local calendar day across a
    daylight-saving change (as in the national schema's own example). Rows whose key
    is empty or not found in the other table are left to the foreign-key check. A
    referenced key repeated in the other table uses its first row. Without the other
    table the rule is skipped with a ``cross-file-check-skipped`` warning.
    """

    name = "period-matches-referenced-time-step"
    allowed = ("key", "start", "end", "resource", "resource_key", "time_step", "require_end", "local_days")
    rules = (
        check_rule(
            "referenced-time-step-mismatch",
            "Period not the declared time step",
            "Période différente du pas de temps déclaré",
            "Row {rowNumber}: the period [start, {fieldName}) does not last the time step declared by the row it refers to ({note}).",
            "Ligne {rowNumber} : la période [début, {fieldName}) ne dure pas le pas de temps déclaré par la ligne à laquelle elle renvoie ({note}).",
            "Make end − start equal the time step declared in the other table (e.g. the channel's time_step, in seconds), or correct that time step.",
            "Faites en sorte que fin − début soit égal au pas de temps déclaré dans l'autre table (par ex. le time_step du channel, en secondes), ou corrigez ce pas de temps.",
            example={"rowNumber": 6, "fieldName": "end_datetime", "note": "3600 s ≠ 900 s, channel CH-12"}),
        check_rule(
            "period-end-required",
            "End of period required",
            "Fin de période obligatoire",
            "Row {rowNumber}: {fieldName} is empty, and the row it refers to ({note}) declares no time step to deduce it from.",
            "Ligne {rowNumber} : {fieldName} est vide, et la ligne à laquelle elle renvoie ({note}) ne déclare pas de pas de temps pour la déduire.",
            "Fill in the end of the period, or declare the time step (in seconds) on the row of the other table (e.g. the channel's time_step).",
            "Renseignez la fin de la période, ou déclarez le pas de temps (en secondes) sur la ligne de l'autre table (par ex. le time_step du channel).",
            example={"rowNumber": 6, "fieldName": "end_datetime", "note": "channel CH-12"}),
    )
    example = {"name": "period-matches-referenced-time-step", "params": {"key": "channel_id", "start": "start_datetime", "end": "end_datetime", "resource": "channel", "resource_key": "channel_id", "time_step": "time_step"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.keys = self.fields_param("key")
        self.start = self.field_param("start")
        self.end = self.field_param("end")
        for name in (self.start, self.end):
            spec = self.fields.get(name)
            if spec is not None and spec.type not in ("date", "datetime"):
                raise CheckParamsError(f"field {name!r} must be of type date or datetime (it is {spec.type!r})")
        self.resource = _name_param(self.params, "resource")
        self.resource_keys = _names_param(self.params, "resource_key", default=self.keys)
        if len(self.resource_keys) != len(self.keys):
            raise CheckParamsError("'resource_key' must name as many fields as 'key'")
        self.time_step = _name_param(self.params, "time_step")
        self.require_end = self.flag_param("require_end", default=True)
        self.local_days = self.flag_param("local_days", default=True)
        self.ref_keys = np.zeros(0, dtype=np.uint64)
        self.ref_steps = np.zeros(0)

    def needed_resources(self):
        return [(self.resource, [*self.resource_keys, self.time_step])]

    def attach(self, resource, columns):
        hashes, present = key_columns([columns[k] for k in self.resource_keys])
        steps = as_float(columns[self.time_step])
        if kind_of(columns[self.time_step]) != "number":
            raise CheckParamsError(f"{self.time_step!r} must hold seconds (a number), not dates")
        # first row of each key (a repeated key is the other table's primary-key error)
        self.ref_keys, first = np.unique(hashes[present], return_index=True)
        self.ref_steps = steps[present][first]

    def check_batch(self, view):
        if {*self.keys, self.start, self.end} & self.absent or not len(self.ref_keys):
            return []
        hashes, present = key_columns([typed(view, k) for k in self.keys])
        present &= ~view.blank
        at = np.minimum(np.searchsorted(self.ref_keys, hashes), len(self.ref_keys) - 1)
        found = present & (self.ref_keys[at] == hashes)
        step = np.where(found, self.ref_steps[at], np.nan)
        start = as_float(typed(view, self.start))
        end = as_float(typed(view, self.end))
        out = []
        with np.errstate(invalid="ignore"):
            seconds = (end - start) / 1e6
            wrong = found & ~np.isnan(step) & ~np.isnan(seconds) & (np.abs(seconds - step) > 5e-7)
            if self.local_days:
                whole_days = (step > 0) & (np.mod(step, 86400) == 0)
                wrong &= ~(whole_days & (np.abs(np.abs(seconds - step) - 3600) <= 5e-7))
        positions = np.flatnonzero(wrong)
        missing = found & np.isnan(step) & ~filled(view, self.end) if self.require_end else None
        if not len(positions) and (missing is None or not missing.any()):
            return out
        who = text(view, self.keys[0])  # the referenced key, shown in the notes
        if len(positions):
            d, s = seconds[positions], step[positions]
            out += finding("referenced-time-step-mismatch", positions, self.end, notes=LazyNotes(
                len(positions), lambda k: f"{show_seconds(d[k])} ≠ {show_seconds(s[k])}, "
                                          f"{self.resource} {who[int(positions[k])].as_py()}"))
        if missing is not None:
            positions_end = np.flatnonzero(missing)
            out += finding("period-end-required", positions_end, self.end, notes=LazyNotes(
                len(positions_end), lambda k: f"{self.resource} {who[int(positions_end[k])].as_py()}"))
        return out


def _name_param(params: dict, key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CheckParamsError(f"parameter {key!r} is required (a name)")
    return value


def _names_param(params: dict, key: str, default: list) -> list:
    value = params.get(key)
    if value is None:
        return list(default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise CheckParamsError(f"parameter {key!r} must be a field name or a non-empty list of them")
    return value
