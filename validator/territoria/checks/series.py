"""Cross-row checks: unique combinations, monotonic series, time steps, plausible variations.

These names are Territoria's own (Validata has no cross-row check). Series are
identified by ``key`` (one field or a list; no key = one series for the whole
table) and ordered:

* **in file order** by default: each row is compared with the previous row *of
  the same key* in the file. State is bounded: the last value of each key
  (about 24 bytes per distinct key), computed batch by batch with numpy.
* **by ``order_by``** when given: rows of each key are sorted by that field
  (ties in file order) at the end of the table, from compact columns kept
  meanwhile (about 32 bytes per row); findings are then listed after the
  row-by-row errors.

A row whose key, order or value is empty is left out of its series (``required``
says whether a cell may be empty).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import CheckFinding, CheckParamsError, register
from ._common import (Check, LazyNotes, duration_seconds, finding, is_numeric_type,
                      is_temporal_type, np_bool, parse_numbers, show, text, typed)
from ..columnar.hash_table import UInt64Table
from ..columnar.keys import hash_keys
from ..rules import check_rule
from .cross_file import _name_param, _names_param, as_float, events_between, key_columns, kind_of

class KeyedState:
    """Per-key memory of the last (value, row) seen, vectorised like ``keys.SeenKeys``."""

    def __init__(self, width: int = 1):
        self.codes = UInt64Table(1 << 12)  # key hash -> its code, a row of ``last`` and ``row``
        self.count = 0
        self.width = width
        self.last = np.zeros((1 << 12, width))
        self.row = np.zeros(1 << 12, dtype=np.int64)

    def _factorize(self, hashes: np.ndarray) -> np.ndarray:
        """The code of each key hash, new keys numbered from ``count`` on."""
        codes = self.codes.get(hashes)
        new = codes < 0
        if new.any():
            distinct = np.unique(hashes[new])
            self.codes.put(distinct, np.arange(self.count, self.count + len(distinct), dtype=np.int64))
            self.count += len(distinct)
            codes[new] = self.codes.get(hashes[new])
        return codes

    def previous(self, hashes: np.ndarray, values: np.ndarray, rows: np.ndarray):
        """(previous values, previous rows) per position, in file order per key; then remember."""
        if len(hashes) == 0:
            return np.zeros((0, self.width)), np.zeros(0, dtype=np.int64)
        codes = self._factorize(np.ascontiguousarray(hashes, dtype=np.uint64))
        if self.count > len(self.row):
            size = max(self.count, 2 * len(self.row))
            last = np.zeros((size, self.width))
            last[: len(self.last)] = self.last
            row = np.zeros(size, dtype=np.int64)
            row[: len(self.row)] = self.row
            self.last, self.row = last, row
        prev_values = self.last[codes].copy()
        prev_rows = self.row[codes].copy()
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        repeated = sorted_codes[1:] == sorted_codes[:-1]
        later, earlier = order[1:][repeated], order[:-1][repeated]
        prev_values[later] = values[earlier]
        prev_rows[later] = rows[earlier]
        # the last occurrence of each code in the batch is remembered
        last_of_code = np.ones(len(order), dtype=bool)
        last_of_code[:-1] = ~repeated
        keep = order[last_of_code]
        self.last[codes[keep]] = values[keep]
        self.row[codes[keep]] = rows[keep]
        return prev_values, prev_rows


def series_values(view, name: str) -> tuple:
    """(float64 values, kind) of a column: numbers as they are, dates and datetimes as
    microseconds since the epoch (exact in float64), text parsed as numbers."""
    values = typed(view, name)
    if is_numeric_type(values.type):
        return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False), "number"
    if is_temporal_type(values.type):
        if pa.types.is_date(values.type):
            values = pc.cast(values, pa.timestamp("us"))
        elif values.type.unit != "us":
            values = pc.cast(values, pa.timestamp("us", values.type.tz))
        micro = pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)
        return np.asarray(micro, dtype=np.float64), "instant"
    return parse_numbers(text(view, name)), "number"


def show_value(value: float, kind: str) -> str:
    if kind == "instant":
        if value != value:
            return ""
        return str(np.datetime64(int(value), "us").astype("datetime64[s]")) + "Z"
    return show(float(value))


def show_seconds(seconds: float) -> str:
    return f"{show(float(seconds))} s"


class SeriesCheck(Check):
    """Common parameters: ``key`` (field or list, optional) and ``order_by`` (optional)."""

    def init_series(self, order_by: bool = True):
        self.keys = self.fields_param("key", required=False) if "key" in self.params else []
        self.order_by = self.field_param("order_by", required=False) if order_by else None
        self.kept = []  # order_by mode: compact columns per batch

    def key_hashes(self, view):
        n = len(view.row_numbers)
        if not self.keys:
            return np.zeros(n, dtype=np.uint64), np.ones(n, dtype=bool)
        columns = [typed(view, k) for k in self.keys]
        present = np.ones(n, dtype=bool)
        for column in columns:
            present &= np_bool(pc.is_valid(column))
        return hash_keys(columns), present

    def sorted_kept(self):
        """The kept columns of every batch, sorted by key then order (ties in file order)."""
        if not self.kept:
            return None
        columns = [np.concatenate([batch[i] for batch in self.kept]) for i in range(len(self.kept[0]))]
        self.kept = []
        keys, order, rows = columns[0], columns[1], columns[2]
        index = np.lexsort((rows, order, keys))
        return [c[index] for c in columns]


# -- unique-combination ----------------------------------------------------------
@register
class UniqueCombination(Check):
    """The values of ``columns`` taken together are unique in the table (rows with an empty one are skipped)."""

    name = "unique-combination"
    allowed = ("columns",)
    rules = (
        check_rule(
            "unique-combination",
            "Repeated combination",
            "Combinaison répétée",
            "Row {rowNumber}: this combination of values (from {fieldName} = \"{cell}\") already appears in row {note}.",
            "Ligne {rowNumber} : cette combinaison de valeurs (à partir de {fieldName} = « {cell} ») figure déjà à la ligne {note}.",
            "Remove the duplicate row, or correct the value that makes it look like the other one.",
            "Supprimez la ligne en double, ou corrigez la valeur qui la fait ressembler à l'autre.",
            example={"rowNumber": 9, "fieldName": "container_id", "cell": "CT-0042", "note": "4"}),
    )
    example = {"name": "unique-combination", "params": {"columns": ["container_id", "measured_at"]}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.columns = self.fields_param("columns", allow_single=False)
        from ..columnar.keys import SeenKeys

        self.seen = SeenKeys()

    def check_batch(self, view):
        if set(self.columns) & self.absent:
            return []
        columns = [typed(view, c) for c in self.columns]
        present = ~view.blank
        for column in columns:
            present &= np_bool(pc.is_valid(column))
        where = np.flatnonzero(present)
        if not len(where):
            return []
        previous = self.seen.previous_rows(hash_keys(columns)[where], view.row_numbers[where])
        dup = previous > 0
        positions = where[dup]
        prev = previous[dup]
        return finding(self.code, positions, self.columns[0],
                       notes=LazyNotes(len(positions), lambda k: str(int(prev[k]))))


# -- monotonic-series --------------------------------------------------------------
_DIRECTIONS = {
    "increasing": (np.greater, "≤"), "non-decreasing": (np.greater_equal, "<"),
    "decreasing": (np.less, "≥"), "non-increasing": (np.less_equal, ">"),
}


@register
class MonotonicSeries(SeriesCheck):
    """Per ``key``, ``column`` follows ``direction`` (increasing, non-decreasing, decreasing,
    non-increasing; default non-decreasing) in file order, or in ``order_by`` order."""

    name = "monotonic-series"
    allowed = ("key", "column", "direction", "order_by")
    rules = (
        check_rule(
            "monotonic-series",
            "Series out of order",
            "Série dans le désordre",
            "Row {rowNumber}: {fieldName} breaks the declared order of its series: {note}.",
            "Ligne {rowNumber} : {fieldName} ne respecte pas l'ordre déclaré de sa série : {note}.",
            "A cumulative index never goes down and timestamps of a sensor always move forward: check the value, the key of the row, or a meter replacement (start a new meter id).",
            "Un index cumulé ne baisse jamais et l'horodatage d'un capteur avance toujours : vérifiez la valeur, la clé de la ligne, ou un remplacement de compteur (nouvel identifiant).",
            example={"rowNumber": 12, "fieldName": "index_m3", "note": "1520 → 1498 (non-decreasing)"}),
    )
    example = {"name": "monotonic-series", "params": {"key": "metering_point_id", "order_by": "end_datetime", "column": "index_m3", "direction": "non-decreasing"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.init_series()
        self.column = self.field_param("column")
        self.direction = self.choice_param("direction", _DIRECTIONS, "non-decreasing")
        self.holds, self.symbol = _DIRECTIONS[self.direction]
        self.state = KeyedState()
        self.kind = "number"

    def _note(self, prev, cur):
        return f"{show_value(prev, self.kind)} → {show_value(cur, self.kind)} ({self.direction})"

    def check_batch(self, view):
        if ({self.column, *self.keys} | ({self.order_by} if self.order_by else set())) & self.absent:
            return []
        hashes, present = self.key_hashes(view)
        values, self.kind = series_values(view, self.column)
        present &= ~np.isnan(values) & ~view.blank
        if self.order_by:
            order, _ = series_values(view, self.order_by)
            present &= ~np.isnan(order)
            where = np.flatnonzero(present)
            self.kept.append((hashes[where], order[where], view.row_numbers[where].astype(np.int64), values[where]))
            return []
        where = np.flatnonzero(present)
        if not len(where):
            return []
        prev, prev_rows = self.state.previous(hashes[where], values[where, None], view.row_numbers[where])
        prev = prev[:, 0]
        has_prev = prev_rows > 0
        fails = has_prev & ~self.holds(values[where], prev)
        positions = where[fails]
        p_vals, c_vals = prev[fails], values[positions]
        return finding(self.code, positions, self.column,
                       notes=LazyNotes(len(positions), lambda k: self._note(p_vals[k], c_vals[k])))

    def finish(self):
        columns = self.sorted_kept()
        if columns is None:
            return []
        keys, _, rows, values = columns
        same = keys[1:] == keys[:-1]
        fails = np.zeros(len(keys), dtype=bool)
        fails[1:] = same & ~self.holds(values[1:], values[:-1])
        at = np.flatnonzero(fails)
        if not len(at):
            return []
        order = np.argsort(rows[at], kind="stable")
        at = at[order]
        return [CheckFinding(
            self.code, row_numbers=rows[at], field_name=self.column,
            cells=LazyNotes(len(at), lambda k: show_value(values[at[k]], self.kind)),
            notes=LazyNotes(len(at), lambda k: self._note(values[at[k] - 1], values[at[k]])))]


# -- time-step-consistency ----------------------------------------------------------
@register
class TimeStepConsistency(SeriesCheck):
    """Periods ``[start, end)`` of each ``key`` series, sorted by start:

    * ``time_step`` (seconds or ISO 8601 duration): each period lasts exactly that
      (a missing ``end`` is taken as ``start + time_step``), else ``time-step-mismatch``;
    * periods never overlap (``time-step-overlap``) and, when ``contiguous`` (default
      true when periods have an end or a time step), leave no gap (``time-step-gap``);
    * ``min_step`` (seconds or ISO duration): consecutive starts of a series are at
      least that far apart (``time-step-too-close``), e.g. one measurement per minute.
    """

    name = "time-step-consistency"
    allowed = ("key", "start", "end", "time_step", "min_step", "contiguous")
    rules = (
        check_rule(
            "time-step-mismatch",
            "Period of the wrong length",
            "Période de mauvaise durée",
            "Row {rowNumber}: the length of the period does not match the declared time step ({note}).",
            "Ligne {rowNumber} : la durée de la période ne correspond pas au pas de temps déclaré ({note}).",
            "Each period must last exactly the time step (end = start + time step); check the start and end of the row.",
            "Chaque période doit durer exactement le pas de temps (fin = début + pas de temps) ; vérifiez le début et la fin de la ligne.",
            example={"rowNumber": 4, "fieldName": "end_datetime", "note": "1800 s ≠ 3600 s"}),
        check_rule(
            "time-step-overlap",
            "Overlapping periods",
            "Périodes qui se chevauchent",
            "Row {rowNumber}: the period starting at {cell} overlaps the previous period of the same series ({note}).",
            "Ligne {rowNumber} : la période commençant à {cell} chevauche la période précédente de la même série ({note}).",
            "Periods of one series are [start, end) and follow each other without overlapping: remove the duplicate or fix the dates.",
            "Les périodes d'une série sont [début, fin) et se suivent sans se chevaucher : supprimez le doublon ou corrigez les dates.",
            example={"rowNumber": 5, "fieldName": "start_datetime", "cell": "2024-03-01T10:30:00+01:00", "note": "2024-03-01T10:00:00+01:00 → 2024-03-01T11:00:00+01:00"}),
        check_rule(
            "time-step-gap",
            "Missing period",
            "Période manquante",
            "Row {rowNumber}: the period starting at {cell} leaves a gap after the previous period of the same series ({note}).",
            "Ligne {rowNumber} : la période commençant à {cell} laisse un trou après la période précédente de la même série ({note}).",
            "Every period must be present, even when nothing was counted (write 0); leave the value empty when it was not measured.",
            "Chaque période doit figurer, même sans passage (écrivez 0) ; laissez la valeur vide si elle n'a pas été mesurée.",
            example={"rowNumber": 5, "fieldName": "start_datetime", "cell": "2024-03-01T12:00:00+01:00", "note": "2024-03-01T11:00:00+01:00 → 2024-03-01T12:00:00+01:00"}),
        check_rule(
            "time-step-too-close",
            "Measurements too close",
            "Mesures trop rapprochées",
            "Row {rowNumber}: {cell} comes only {note} after the previous measurement of the same series.",
            "Ligne {rowNumber} : {cell} ne vient que {note} après la mesure précédente de la même série.",
            "The schema allows at most one measurement per minimum interval and key: remove the repeated measurement or check the timestamp.",
            "Le schéma autorise au plus une mesure par intervalle minimal et par clé : supprimez la mesure répétée ou vérifiez l'horodatage.",
            example={"rowNumber": 7, "fieldName": "measured_at", "cell": "2024-03-01T10:00:20+01:00", "note": "20 s"}),
    )
    example = {"name": "time-step-consistency", "params": {"key": "channel_id", "start": "start_datetime", "end": "end_datetime", "time_step": "PT1H"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.init_series(order_by=False)
        self.start = self.field_param("start")
        self.end = self.field_param("end", required=False)
        for name in (self.start, self.end):
            spec = self.fields.get(name) if name else None
            if spec is not None and spec.type not in ("date", "datetime"):
                raise CheckParamsError(f"field {name!r} must be of type date or datetime (it is {spec.type!r})")
        self.step = duration_seconds(self.params["time_step"], "time_step") if "time_step" in self.params else None
        self.min_step = duration_seconds(self.params["min_step"], "min_step") if "min_step" in self.params else None
        periods = self.end is not None or self.step is not None
        self.contiguous = self.flag_param("contiguous", default=periods)
        if self.contiguous and not periods:
            raise CheckParamsError("'contiguous' needs periods: give 'end' or 'time_step'")
        if not periods and self.min_step is None:
            raise CheckParamsError("nothing to check: give 'end', 'time_step' or 'min_step'")

    def check_batch(self, view):
        if ({self.start, *self.keys} | ({self.end} if self.end else set())) & self.absent:
            return []
        start, _ = series_values(view, self.start)
        end = series_values(view, self.end)[0] if self.end else np.full(len(start), np.nan)
        out = []
        if self.step is not None:
            step_us = self.step * 1e6
            duration = end - start
            with np.errstate(invalid="ignore"):
                bad = ~np.isnan(duration) & (np.abs(duration - step_us) > 0.5) & ~view.blank
            positions = np.flatnonzero(bad)
            d = duration[positions]
            out += finding("time-step-mismatch", positions, self.end or self.start,
                           notes=LazyNotes(len(positions), lambda k: f"{show_seconds(d[k] / 1e6)} ≠ {show_seconds(self.step)}"))
            end = np.where(np.isnan(end), start + step_us, end)
        hashes, present = self.key_hashes(view)
        present &= ~np.isnan(start) & ~view.blank
        where = np.flatnonzero(present)
        self.kept.append((hashes[where], start[where], view.row_numbers[where].astype(np.int64), end[where]))
        return out

    def finish(self):
        columns = self.sorted_kept()
        if columns is None:
            return []
        keys, start, rows, end = columns
        same = np.zeros(len(keys), dtype=bool)
        same[1:] = keys[1:] == keys[:-1]
        prev_start = np.r_[np.nan, start[:-1]]
        prev_end = np.r_[np.nan, end[:-1]]
        out = []
        with np.errstate(invalid="ignore"):
            if self.end is not None or self.step is not None:
                overlap = same & ~np.isnan(prev_end) & (start < prev_end)
                out += self._findings("time-step-overlap", overlap, rows, start,
                                      lambda i: f"{show_value(prev_start[i], 'instant')} → {show_value(prev_end[i], 'instant')}")
                if self.contiguous:
                    gap = same & ~np.isnan(prev_end) & (start > prev_end)
                    out += self._findings("time-step-gap", gap, rows, start,
                                          lambda i: f"{show_value(prev_end[i], 'instant')} → {show_value(start[i], 'instant')}")
            if self.min_step is not None:
                close = same & ((start - prev_start) < self.min_step * 1e6)
                out += self._findings("time-step-too-close", close, rows, start,
                                      lambda i: show_seconds((start[i] - prev_start[i]) / 1e6))
        return out

    def _findings(self, code, mask, rows, start, note):
        at = np.flatnonzero(mask)
        if not len(at):
            return []
        at = at[np.argsort(rows[at], kind="stable")]
        return [CheckFinding(code, row_numbers=rows[at], field_name=self.start,
                             cells=LazyNotes(len(at), lambda k: show_value(start[at[k]], "instant")),
                             notes=LazyNotes(len(at), lambda k: note(at[k])))]


# -- plausible-variation -------------------------------------------------------------
@register
class PlausibleVariation(SeriesCheck):
    """A warning when ``column`` falls by more than ``max_drop`` or rises by more than
    ``max_rise`` between consecutive rows of a ``key`` series (file or ``order_by``
    order), unless the row is marked as an event by ``reset_column`` (a boolean
    true or any filled cell, e.g. an emptying), or an event of its key recorded in
    another table of the data package happened in (previous ``order_by``, current
    ``order_by``].

    That other table: ``reset_resource`` (its name), ``reset_key`` (its key fields,
    matched with ``key``; default: the same names) and ``reset_time`` (its event
    date or datetime, compared with ``order_by``, which it requires). Without that
    table (a lone file, a package lacking it) the rule is skipped with one
    ``cross-file-check-skipped`` warning rather than flagging every emptying."""

    name = "plausible-variation"
    allowed = ("key", "column", "order_by", "max_drop", "max_rise", "reset_column",
               "reset_resource", "reset_key", "reset_time")
    rules = (
        check_rule(
            "plausible-variation",
            "Implausible variation",
            "Variation peu plausible",
            "Row {rowNumber}: {fieldName} jumps {note} since the previous value of its series.",
            "Ligne {rowNumber} : {fieldName} passe {note} depuis la valeur précédente de sa série.",
            "Check the value: a sensor fault, a unit change or a missing event (an emptying, a reset) can explain it; declare the event if there was one.",
            "Vérifiez la valeur : une panne de capteur, un changement d'unité ou un événement non déclaré (vidage, remise à zéro) peut l'expliquer ; déclarez l'événement s'il a eu lieu.",
            example={"rowNumber": 8, "fieldName": "fill_level_pct", "note": "85 → 10 (−75, max drop 50)"},
            severity="warning"),
    )
    example = {"name": "plausible-variation", "params": {"key": "container_id", "order_by": "measured_at", "column": "fill_level_pct", "max_drop": 50, "reset_resource": "emptyings", "reset_key": "container_id", "reset_time": "emptied_at"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.init_series()
        self.column = self.field_param("column")
        self.max_drop = self.number_param("max_drop", minimum=0)
        self.max_rise = self.number_param("max_rise", minimum=0)
        if self.max_drop is None and self.max_rise is None:
            raise CheckParamsError("give 'max_drop', 'max_rise' or both")
        self.reset = self.field_param("reset_column", required=False)
        self.state = KeyedState()
        self.reset_resource = None
        if "reset_resource" in self.params:
            self.reset_resource = _name_param(self.params, "reset_resource")
            if not self.order_by:
                raise CheckParamsError("'reset_resource' needs 'order_by' (the time of each value)")
            self.reset_keys = _names_param(self.params, "reset_key", default=self.keys)
            if len(self.reset_keys) != len(self.keys):
                raise CheckParamsError("'reset_key' must name as many fields as 'key'")
            self.reset_time = _name_param(self.params, "reset_time")
            self.event_keys, self.event_times = np.zeros(0, dtype=np.uint64), np.zeros(0)
        elif "reset_key" in self.params or "reset_time" in self.params:
            raise CheckParamsError("'reset_key' and 'reset_time' need 'reset_resource'")

    def needed_resources(self):
        if self.reset_resource is None:
            return []
        return [(self.reset_resource, [*self.reset_keys, self.reset_time])]

    def attach(self, resource, columns):
        times = columns[self.reset_time]
        spec = self.fields.get(self.order_by)
        expected = "instant" if spec is not None and spec.type in ("date", "datetime") else "number"
        if kind_of(times) != expected:
            raise CheckParamsError(f"{self.reset_time!r} and {self.order_by!r} must both be dates/datetimes or both numbers")
        if self.reset_keys:
            hashes, present = key_columns([columns[k] for k in self.reset_keys])
        else:  # one series for the whole table: every event counts
            hashes, present = np.zeros(len(times), dtype=np.uint64), np.ones(len(times), dtype=bool)
        values = as_float(times)
        present &= ~np.isnan(values)
        self.event_keys, self.event_times = hashes[present], values[present]

    def _reset(self, view):
        if not self.reset or self.reset in self.absent:
            return np.zeros(len(view.row_numbers), dtype=bool)
        values = typed(view, self.reset)
        if pa.types.is_boolean(values.type):
            return np_bool(values)
        from ._common import filled

        return filled(view, self.reset)

    def _jumps(self, prev, cur):
        bad = np.zeros(len(cur), dtype=bool)
        with np.errstate(invalid="ignore"):
            if self.max_drop is not None:
                bad |= (prev - cur) > self.max_drop
            if self.max_rise is not None:
                bad |= (cur - prev) > self.max_rise
        return bad

    def check_batch(self, view):
        if ({self.column, *self.keys} | ({self.order_by} if self.order_by else set())) & self.absent:
            return []
        hashes, present = self.key_hashes(view)
        values, _ = series_values(view, self.column)
        present &= ~np.isnan(values) & ~view.blank
        reset = self._reset(view)
        if self.order_by:
            order, _ = series_values(view, self.order_by)
            present &= ~np.isnan(order)
            where = np.flatnonzero(present)
            self.kept.append((hashes[where], order[where], view.row_numbers[where].astype(np.int64),
                              values[where], reset[where].astype(np.float64)))
            return []
        where = np.flatnonzero(present)
        if not len(where):
            return []
        prev, prev_rows = self.state.previous(hashes[where], values[where, None], view.row_numbers[where])
        prev = prev[:, 0]
        bad = (prev_rows > 0) & self._jumps(prev, values[where]) & ~reset[where]
        positions = where[bad]
        p_vals, c_vals = prev[bad], values[positions]
        return finding(self.code, positions, self.column, severity="warning",
                       notes=LazyNotes(len(positions), lambda k: f"{show(float(p_vals[k]))} → {show(float(c_vals[k]))}"))

    def finish(self):
        columns = self.sorted_kept()
        if columns is None:
            return []
        keys, order, rows, values, reset = columns
        bad = np.zeros(len(keys), dtype=bool)
        bad[1:] = (keys[1:] == keys[:-1]) & self._jumps(values[:-1], values[1:]) & (reset[1:] == 0)
        at = np.flatnonzero(bad)
        if self.reset_resource is not None and len(at):
            # an event of the series' key in (previous time, this time] explains the jump
            explained = events_between(self.event_keys, self.event_times, keys[at], order[at - 1], order[at])
            at = at[~explained]
        if not len(at):
            return []
        at = at[np.argsort(rows[at], kind="stable")]
        return [CheckFinding(
            self.code, row_numbers=rows[at], field_name=self.column, severity="warning",
            cells=LazyNotes(len(at), lambda k: show(float(values[at[k]]))),
            notes=LazyNotes(len(at), lambda k: f"{show(float(values[at[k] - 1]))} → {show(float(values[at[k]]))}"))]
