"""``territoria fix``: the source repaired into a conformant copy, every change logged, the copy validated.

The pipeline, batch by batch on the readers the validator uses: open the source
(``readers.open``), match its header to the schema (:mod:`.header`), repair each
column (:mod:`.repairs`, with the mapping file's steps, :mod:`.mapping`), then
each point (:mod:`.points`), write the copy in the schema's column order
(UTF-8, comma) and the change log (:mod:`.changelog`), and validate the copy
with ``api.validate``: its report, with the repair's own findings as warnings,
is the answer. The source is only ever read.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import rules
from ..api import DEFAULT_LIMIT_ERRORS, schema_task, validate as validate_source
from ..readers import Batch, NeedsExactRead, SourceProblem, Table
from ..readers.open import detect_format, localise, open_table
from ..report import Report, Task, exit_status
from ..schema import SchemaProblem, TableSchema
from .changelog import ChangeLog
from .header import HeaderPlan, match_header
from .inputs import FixProblem, MappingInput, check_paths, table_schema as table_schema_of, time_zone
from .mapping import Mapping, MappingProblem
from .points import PointRepairs
from .repairs import Context, Repair, differs, repair_column, where
from .reshape import Distinct, label_positions, position_of, split_parts, trimmed_in
from .steps import decimals_text, shift_cells
from .writer import CsvOut

#: rows of a note kept to show in the report
SHOWN_ROWS = 10
#: batches at least this long have their columns repaired side by side
PARALLEL_ROWS = 20_000
_columns_pool = None


def _pool():
    """One pool of threads per process, one per core."""
    global _columns_pool
    if _columns_pool is None:
        from concurrent.futures import ThreadPoolExecutor

        _columns_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="territoria-fix")
    return _columns_pool


@dataclass
class FixResult:
    """What ``territoria.fix`` answers: the report of the copy, and what was changed."""

    report: Report
    output: str
    log: Optional[str] = None
    changes: dict = dataclass_field(default_factory=dict)  # rule -> cells (or columns, rows) changed

    @property
    def valid(self) -> bool:
        return self.report.valid

    @property
    def exit_status(self) -> int:
        """0: the copy is valid; 1: written, with errors no rule may fix; 2: could not run."""
        return exit_status(self.report)


def fix(source: Any, schema: Any, output: str, *, log: Optional[str] = None, timezone: Optional[str] = None,
        mapping: Any = None, limit_errors: int = DEFAULT_LIMIT_ERRORS, format: Optional[str] = None,
        encoding: Optional[str] = None, delimiter: Optional[str] = None, sheet: Any = None) -> FixResult:
    """Repair ``source`` against ``schema`` into ``output`` (UTF-8 CSV), log every change in ``log``
    (CSV ``row,field,before,after,rule``), then validate the copy.

    ``source`` and ``schema`` as for ``territoria.validate``; ``timezone``: the
    IANA zone naive local date-times were recorded in (``Europe/Paris``);
    ``mapping``: a mapping file (path) or its content (dict), see
    :mod:`territoria.fix.mapping`; the file it names (``source/file``) and its
    ``schema`` stand for ``source`` and ``schema`` when they are None, and its
    ``source`` settings for ``timezone``, ``encoding`` and ``delimiter``. Never
    raises for bad input: a repair that cannot run answers a report that says
    why (exit status 2).
    """
    started = time.perf_counter()
    place = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<bytes>"
    output = os.fspath(output)
    try:
        given = MappingInput(mapping)
        if source is None:
            source = given.source()
            if source is None:
                raise FixProblem("give the file to repair (FILE, or source/file in the mapping)")
            place = source
        if schema is None:
            schema = given.schema()
        check_paths(source, schema, output, log, mapping)
        table_schema = table_schema_of(schema, place)
        plan_mapping = given.checked(table_schema.fields)
        zone = time_zone(timezone or plan_mapping.timezone)
        counts, warnings = _repair(source, table_schema, output, log, zone, plan_mapping, format=format,
                                   encoding=encoding or plan_mapping.encoding,
                                   delimiter=delimiter or plan_mapping.delimiter, sheet=sheet)
    except SchemaProblem as problem:
        return _failed(Report(tasks=[schema_task(place, problem)]), output, log, started)
    except SourceProblem as problem:
        return _failed(Report(tasks=[Task.failed(place, problem.code, problem.note)]), output, log, started)
    except (FixProblem, MappingProblem) as problem:
        return _failed(Report(tasks=[Task.failed(place, "fix-error", str(problem))]), output, log, started)
    except MemoryError:
        return _failed(Report(tasks=[Task.failed(place, "source-error", "out of memory while repairing")]),
                       output, log, started)
    except OSError as error:
        note = f"{getattr(error, 'filename', '') or output}: {error.strerror or error}"
        return _failed(Report(tasks=[Task.failed(place, "fix-error", note)]), output, log, started)
    report = validate_source(output, table_schema, limit_errors=limit_errors)
    for task in report.tasks:
        task.warnings[:0] = warnings
    report.seconds = time.perf_counter() - started
    return FixResult(report, output, log, counts)


def _failed(report: Report, output: str, log: Optional[str], started: float) -> FixResult:
    report.seconds = time.perf_counter() - started
    return FixResult(report, output, log)


# -- the repair -------------------------------------------------------------------------

def _repair(source, schema: TableSchema, output: str, log: Optional[str], zone, mapping: Mapping, *,
            format, encoding, delimiter, sheet) -> tuple:
    local = localise(source)
    try:
        fmt = detect_format(local.path, local.place, format)
        table = open_table(local.path, fmt, dialect={"delimiter": delimiter} if delimiter else None,
                           encoding=encoding, sheet=sheet, header_row=mapping.header_row)
        plan = match_header(table.labels, schema.fields, mapping.columns, reserved=mapping.reserved(),
                            filled=mapping.fed())
        try:
            run = _Run(table, schema, plan, mapping, zone, output, log, exact=False)
            return run.go()
        except NeedsExactRead:  # a ragged row: the copy starts again on the exact reader
            run = _Run(table, schema, plan, mapping, zone, output, log, exact=True)
            return run.go()
    finally:
        local.cleanup()


def constant_repair(value: str) -> Repair:
    def mapping_constant(cells, field, context):
        """The mapping file's constant, where the source has no value."""
        return pc.fill_null(cells, value)

    return Repair("mapping-constant", lambda f: True, mapping_constant)


class _Run:
    """One pass over the source (one per unpivoted column), writing the copy and the log; ``go`` answers
    (counts, warnings)."""

    def __init__(self, table: Table, schema: TableSchema, plan: HeaderPlan, mapping: Mapping, zone,
                 output: str, log: Optional[str], exact: bool):
        self.table, self.schema, self.plan, self.mapping = table, schema, plan, mapping
        self.exact = exact
        self.width = len(table.labels)
        self.context = Context(timezone=zone)
        self.points = PointRepairs(schema, decimals=mapping.decimals)
        self.overflow = self._overflow() if exact else 0
        self.names = [f.name for f in schema.fields]
        self.output, self.log_path = output, log
        self.notes: dict = {}  # (code, field, kind) -> [count, first rows, details]
        self.pending_blank: list = []
        self.at = label_positions(table.labels, mapping)
        self.unpivoted = list(mapping.unpivot.columns) if mapping.unpivot else []
        self.passes = max(1, len(self.unpivoted))
        self.distinct = Distinct() if mapping.distinct else None
        self.feeds = self._feeds()
        self.absent = [i for i, feed in enumerate(self.feeds) if feed is None or feed[0] == "empty"]
        self.constant_columns = {i: mapping.constants[name] for i, name in enumerate(self.names)
                                 if i in self.absent and name in mapping.constants}
        self.steps = []
        for i, spec in enumerate(schema.fields):
            after = mapping.after(spec)
            if i not in self.absent and spec.name in mapping.constants:
                after = after + (constant_repair(mapping.constants[spec.name]),)
            self.steps.append((mapping.before(spec), after))
        used = {self.at[label] for label in mapping.used() if label in self.at}
        self.left_out = [entry for entry in plan.left_out if entry[0] not in used]

    def _feeds(self) -> list:
        """Where each field's cells come from: ("column", position), ("split", k, part), ("value",) (the
        unpivoted cells), ("pass", name) (an unpivoted column's constant), ("empty",) (no column, but a
        conditional constant), or None (absent)."""
        feeds: list = [("column", p) if p is not None else None for p in self.plan.positions]
        index = {name: i for i, name in enumerate(self.names)}
        for k, split in enumerate(self.mapping.split):
            for part, name in enumerate(split.into):
                if name:
                    feeds[index[name]] = ("split", k, part)
        if self.mapping.unpivot:
            feeds[index[self.mapping.unpivot.value]] = ("value",)
            for constants in self.mapping.unpivot.columns.values():
                for name in constants:
                    feeds[index[name]] = ("pass", name)
        for condition in self.mapping.conditions:
            if feeds[index[condition.field]] is None:
                feeds[index[condition.field]] = ("empty",)
        return feeds

    def _overflow(self) -> int:
        """Columns the copy keeps after the schema's for rows with cells beyond the header (never dropped)."""
        widest = 0
        for batch in self.table.batches(exact=True):
            if batch.cell_counts is None:
                continue
            for position in range(self.width, len(batch.columns)):
                cells = batch.columns[position]
                if pc.any(pc.greater(pc.fill_null(pc.utf8_length(cells), 0), 0)).as_py():
                    widest = max(widest, position - self.width + 1)
        return widest

    def go(self) -> tuple:
        copy = CsvOut(self.output, self.names + [""] * self.overflow)
        changes = ChangeLog(self.log_path)
        try:
            self._file_changes(changes)
            for turn in range(self.passes):
                for batch in self.table.batches(exact=self.exact):
                    self._batch(batch, copy, changes, turn)
                if self.pending_blank:  # blank rows at the end of the source (of its first pass)
                    if turn == 0:
                        rows = np.array(self.pending_blank, dtype=np.int64)
                        changes.row_changes(rows, "", [""] * len(rows), [""] * len(rows), "trailing-blank-row")
                    self.pending_blank = []
            copy.commit()
            changes.commit()
        except BaseException:
            copy.discard()
            changes.discard()
            raise
        return dict(changes.counts), self._warnings(changes)

    # -- file level ------------------------------------------------------------------
    def _file_changes(self, changes: ChangeLog) -> None:
        table, plan, mapping = self.table, self.plan, self.mapping
        if table.format not in ("csv", "tsv"):
            changes.file_change("", table.format, "csv", "format", "file")
        if table.encoding and table.encoding != "utf-8":
            changes.file_change("", table.encoding, "utf-8", "encoding", "file")
        source_delimiter = dict(table.dialect_notes).get("delimiter") or ("\t" if table.format == "tsv" else ",")
        if table.format in ("csv", "tsv") and source_delimiter != ",":
            changes.file_change("", source_delimiter, ",", "delimiter", "file")
        if table.header_row > 1:
            changes.file_change("", str(table.header_row), "1", "header-row", "file")
        for i, name in enumerate(self.names):
            feed = self.feeds[i]
            if feed is not None and feed[0] == "split":
                label = table.labels[self.at[mapping.split[feed[1]].label]]
                changes.file_change(name, label, name, "mapping-split")
                continue
            if feed is not None and feed[0] in ("value", "pass"):
                continue
            position = plan.positions[i]
            if position is None:
                changes.file_change(name, "", "", "missing-column")
                if i in self.constant_columns:
                    changes.file_change(name, "", self.constant_columns[i], "mapping-constant")
                continue
            label = plan.labels[position]
            if label != name:
                changes.file_change(name, label, name, plan.how[i])
            if position != i:
                changes.file_change(name, str(position + 1), str(i + 1), "column-order")
        for label in self.unpivoted:
            changes.file_change(mapping.unpivot.value, table.labels[self.at[label]], mapping.unpivot.value,
                                "mapping-unpivot")
        dropped = {position_of(table.labels, label) for label in mapping.drop}
        for position, label in enumerate(table.labels):
            if position in dropped:
                changes.file_change(label, label, "", "mapping-drop")
        for position, label, reason in plan.left_out:  # (dropped, split and unpivoted columns are not in it)
            changes.file_change(label, label, "", "extra-column")

    # -- one batch -------------------------------------------------------------------
    def _source(self, batch, position: int) -> pa.Array:
        if position >= len(batch.columns):
            return pa.array([""] * len(batch), pa.string())
        column = batch.columns[position]
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        return pc.fill_null(column, "") if column.null_count else column

    def _kept(self, batch, changes: ChangeLog, turn: int):
        """The batch without the rows the mapping excludes (logged on the first pass)."""
        if not self.mapping.exclude or not len(batch):
            return batch
        out = np.zeros(len(batch), dtype=bool)
        for label, values in self.mapping.exclude.items():
            cells = self._source(batch, self.at[label])
            found = trimmed_in(cells, values)
            fresh = found & ~out
            if turn == 0 and fresh.any():
                where_ = np.flatnonzero(fresh)
                changes.row_changes(batch.row_numbers[where_], self.table.labels[self.at[label]],
                                    cells.take(pa.array(where_)).to_pylist(), [""] * len(where_), "mapping-exclude")
            out |= found
        return _rows_of(batch, ~out) if out.any() else batch

    def _batch(self, batch, copy: CsvOut, changes: ChangeLog, turn: int = 0) -> None:
        batch = self._kept(batch, changes, turn)
        n = len(batch)
        if n == 0:
            return
        sources = [self._source(batch, p) for p in range(self.width)]
        blank = np.ones(n, dtype=bool)
        for column in sources:
            blank &= pc.equal(pc.utf8_length(column), 0).to_numpy(zero_copy_only=False)
        if turn > 0 and blank.any():  # a blank row is copied once, on the first pass
            if blank.all():
                return
            batch = _rows_of(batch, ~blank)
            sources = [column.filter(pa.array(~blank)) for column in sources]
            blank = blank[~blank]
            n = len(batch)
        rows = batch.row_numbers
        self.context.notes = []
        parts = self._split(sources, rows)
        originals = {}
        out = []
        work = []
        for i, spec in enumerate(self.schema.fields):
            feed = self.feeds[i]
            if feed is None or feed[0] == "pass":
                value = self.constant_columns.get(i, "") if feed is None else \
                    self.mapping.unpivot.columns[self.unpivoted[turn]].get(feed[1], "")
                column = pa.array([value] * n, pa.string())
                if value and blank.any():
                    column = where(pa.array(blank), pa.scalar("", pa.string()), column)
                out.append(column)
                continue
            if feed[0] == "column":
                originals[spec.name] = sources[feed[1]]
            elif feed[0] == "split":
                originals[spec.name] = parts[feed[1]][feed[2]]
            elif feed[0] == "value":
                originals[spec.name] = sources[self.at[self.unpivoted[turn]]]
            else:  # "empty": no column, a conditional constant
                originals[spec.name] = pa.array([""] * n, pa.string())
            work.append(spec)
            out.append(None)
        # the columns side by side on the cores (pyarrow's kernels release the GIL)
        pool = _pool() if n >= PARALLEL_ROWS and len(work) > 1 else None
        if pool is None:
            results = [self._column(spec, originals[spec.name], blank) for spec in work]
        else:
            results = [f.result() for f in [pool.submit(self._column, spec, originals[spec.name], blank)
                                            for spec in work]]
        repaired = {spec.name: result for spec, result in zip(work, results)}
        if self.points:
            for name, mask, rule, text in self.points.apply({k: r.cells for k, r in repaired.items()}, rows):
                repaired[name].mark(mask, rule, text)
        self._late(repaired, originals, sources, blank)
        for i, spec in enumerate(self.schema.fields):
            if spec.name in repaired:
                out[i] = repaired[spec.name].cells
        keep = self._distinct(out, blank, rows, changes)
        changed = []
        for i, spec in enumerate(self.schema.fields):
            result = repaired.get(spec.name)
            if result is None:
                continue
            where_ = np.flatnonzero(result.bits if keep is None else result.bits * keep)
            if len(where_):
                take = pa.array(where_)
                changed.append((rows[where_], i, spec.name, originals[spec.name].take(take),
                                result.cells.take(take), result.rule_names(where_)))
        changes.cell_changes(changed)
        if batch.cell_counts is not None and turn == 0:
            self._row_widths(batch, changes)
        for p in range(self.overflow):
            out.append(self._source(batch, self.width + p))
        self._collect_notes(rows)
        if keep is not None:
            mask = pa.array(keep)
            out, blank, rows = [column.filter(mask) for column in out], blank[keep], rows[keep]
        self._write(out, blank, rows, copy)

    def _split(self, sources: list, rows: np.ndarray) -> list:
        """The parts of each split column of the batch (a cell of another count of parts is noted)."""
        out = []
        for split in self.mapping.split:
            parts, mismatched = split_parts(sources[self.at[split.label]], split.separator, len(split.into),
                                            self.mapping.missing_values)
            if mismatched.any():
                self.context.notes.append(("fix-split-mismatch", self.table.labels[self.at[split.label]],
                                           mismatched, {"parts": len(split.into), "separator": split.separator}))
            out.append(parts)
        return out

    def _late(self, repaired: dict, originals: dict, sources: list, blank: np.ndarray) -> None:
        """The mapping's steps on the repaired cells (after the points): decimals, shifts, conditional constants."""
        for name, count in self.mapping.decimals.items():
            result = repaired.get(name)
            if result is not None:
                text = decimals_text(result.cells, count)
                moved = differs(result.cells, text) & ~blank
                if moved.any():
                    result.mark(moved, "mapping-decimals", text)
        for name, duration in self.mapping.shift.items():
            result = repaired.get(name)
            if result is None:
                continue
            text, moved = shift_cells(result.cells, duration, self.context.timezone)
            changed = differs(result.cells, text) & moved & ~blank
            if changed.any():
                result.mark(changed, "mapping-shift", text)
            if not moved.all():  # a date-time that cannot be moved keeps the source's text (and its error)
                back = ~moved
                result.cells = pc.if_else(pa.array(back), originals[name], result.cells)
                result.bits[back] = 0
        for condition in self.mapping.conditions:
            result = repaired.get(condition.field)
            if result is None:
                continue
            empty = pc.fill_null(pc.equal(pc.utf8_length(pc.fill_null(result.cells, "")), 0), True)
            listed = trimmed_in(sources[self.at[condition.label]], condition.values)
            mask = listed & np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool) & ~blank
            if mask.any():
                result.mark(mask, "mapping-condition", pa.array([condition.value] * len(mask), pa.string()))

    def _distinct(self, out: list, blank: np.ndarray, rows: np.ndarray, changes: ChangeLog):
        """The rows to keep (None: all) once the rows repeating an earlier row's key are left out (logged)."""
        if self.distinct is None:
            return None
        positions = [self.names.index(name) for name in self.mapping.distinct]
        repeated, keys = self.distinct.repeats([out[i] for i in positions], blank)
        if not repeated.any():
            return None
        where_ = np.flatnonzero(repeated)
        changes.row_changes(rows[where_], ", ".join(self.mapping.distinct), [keys[k] for k in where_],
                            [""] * len(where_), "mapping-distinct")
        return ~repeated

    def _column(self, spec, cells: pa.Array, blank: np.ndarray):
        """One column of a batch through its repairs (on a worker thread: it reads only its own column)."""
        before, after = self.steps[self.names.index(spec.name)]
        result = repair_column(cells, spec, self.context, before=before, after=after,
                               missing=list(spec.get("missingValues", self.schema.missing_values)))
        if blank.any() and result.bits[blank].any():  # a blank row stays blank (and is reported)
            result.bits[blank] = 0
            result.cells = pc.if_else(pa.array(blank), cells, result.cells)
        return result

    def _row_widths(self, batch, changes: ChangeLog) -> None:
        counts = batch.cell_counts
        odd = np.flatnonzero(counts != self.width)
        if not len(odd):
            return
        rows = batch.row_numbers[odd]
        changes.row_changes(rows, "", [f"{int(c)} cells" for c in counts[odd]],
                            [f"{self.width + self.overflow} cells"] * len(odd), "row-width")

    def _write(self, out: list, blank: np.ndarray, rows: np.ndarray, copy: CsvOut) -> None:
        """Write the batch, holding back blank rows until a row with data follows them (blank rows
        at the very end are dropped and logged)."""
        filled = np.flatnonzero(~blank)
        if not len(filled):
            self.pending_blank.extend(rows.tolist())
            return
        if self.pending_blank:
            empty = pa.array([""] * len(self.pending_blank), pa.string())
            copy.write([empty] * len(out))
            self.pending_blank = []
        last = int(filled[-1]) + 1
        copy.write([column.slice(0, last) for column in out])
        self.pending_blank.extend(rows[last:].tolist())

    # -- what the report says ----------------------------------------------------------
    def _collect_notes(self, rows: np.ndarray) -> None:
        for code, name, mask, details in self.context.notes:
            key = (code, name, details.get("kind", ""))
            entry = self.notes.setdefault(key, [0, [], details])
            positions = np.flatnonzero(mask)
            entry[0] += len(positions)
            if len(entry[1]) < SHOWN_ROWS:
                entry[1].extend(rows[positions[: SHOWN_ROWS - len(entry[1])]].tolist())

    def _warnings(self, changes: ChangeLog) -> list:
        warnings = [rules.describe({
            "type": "fix-summary", "severity": "warning", "output": self.output, "log": self.log_path or "",
            "cells": changes.cells,
            "changes": [{"rule": rule, "count": count, "scope": changes.scopes.get(rule, "cell")}
                        for rule, count in changes.counts.items()]})]
        for position, label, reason in self.left_out:
            warnings.append(rules.describe({"type": "fix-column-left-out", "severity": "warning", "label": label,
                                            "fieldNumber": position + 1, "note": reason}))
        for i in self.absent:
            spec = self.schema.fields[i]
            warnings.append(rules.describe({
                "type": "fix-column-added", "severity": "warning", "fieldName": spec.name, "fieldNumber": i + 1,
                "required": bool(spec.constraints.get("required")), "constant": self.constant_columns.get(i, "")}))
        for (code, name, kind), (count, shown, details) in self.notes.items():
            extra = {k: v for k, v in details.items() if k not in ("kind", "timezone")}
            warnings.append(rules.describe(dict(extra, **{
                "type": code, "severity": "warning", "fieldName": name, "count": count, "kind": kind,
                "rows": ", ".join(map(str, shown)) + (", …" if count > len(shown) else ""),
                "timezone": details.get("timezone", "")})))
        return warnings


def _rows_of(batch, keep: np.ndarray):
    """The batch's rows at ``keep`` (a boolean mask)."""
    mask = pa.array(keep)
    return Batch(columns=[column.filter(mask) for column in batch.columns], row_numbers=batch.row_numbers[keep],
                 cell_counts=None if batch.cell_counts is None else batch.cell_counts[keep])
