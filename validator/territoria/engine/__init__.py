"""The columnar validation engine: one table against one Table Schema.

Why columnar: every check is a vectorised operation over a batch of rows of one
column (a pyarrow array), producing boolean masks. Errors exist as arrays of
row positions until they are listed; only the first ``limit_errors`` become
Python dicts, while counts by type and field stay exact for the whole file.
The order of errors within a row, and which errors a blank row hides, follow
frictionless-py v5 so that reports can be compared error for error.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..fields.native import check_cells
from ..columnar.arrow import keep_where, string_layout, to_bool_numpy, validity
from ..columnar.keys import SeenKeys, hash_keys
from ..readers import Batch, NeedsExactRead, Table
from ..schema import TableSchema

# Rank of each kind of error within a row (frictionless's order).
_CELL, _EXTRA, _MISSING, _UNIQUE, _PRIMARY, _FOREIGN, _CUSTOM = 0, 1, 2, 3, 4, 5, 6
_CONSTRAINT_ORDER = ["required", "minLength", "maxLength", "minimum", "maximum",
                     "exclusiveMinimum", "exclusiveMaximum", "pattern", "enum"]


@dataclass
class Findings:
    """Errors of one table: the listed ones (capped) and exact counts."""

    limit: int
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # findings of severity "warning" (capped too)
    warning_counts: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    by_field: Counter = field(default_factory=Counter)
    total: int = 0

    def add(self, error: dict) -> None:
        self.total += 1
        self.by_type[error["type"]] += 1
        if error.get("fieldName"):
            self.by_field[error["fieldName"]] += 1
        if len(self.errors) < self.limit:
            self.errors.append(error)

    @property
    def room(self) -> int:
        return max(self.limit - len(self.errors), 0)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.errors)


@dataclass
class TableOutcome:
    findings: Findings
    rows: int
    labels: list


Lookup = dict  # {(resource name, tuple of fields): SeenKeys}


def header_errors(labels: list, schema: TableSchema) -> list:
    """Label errors, positional as in frictionless (``fieldsMatch: exact``)."""
    fields = schema.fields
    errors = []
    for number in range(len(fields) + 1, len(labels) + 1):
        errors.append(_label_error("extra-label", labels[number - 1], "", number))
    for number in range(len(labels) + 1, len(fields) + 1):
        errors.append(_label_error("missing-label", "", fields[number - 1].name, number))
    for number, (spec, label) in enumerate(zip(fields, labels), start=1):
        if not label:
            errors.append(_label_error("blank-label", "", spec.name, number))
            continue
        earlier = [str(n) for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
        if earlier:
            errors.append(_label_error("duplicate-label", label, spec.name, number,
                                       note='at position "%s"' % ", ".join(earlier)))
            continue
        if label != spec.name:
            errors.append(_label_error("incorrect-label", label, spec.name, number))
    return errors


def _field_missing_values(spec, schema: TableSchema) -> list:
    values = spec.get("missingValues")
    return list(values) if values is not None else schema.missing_values


def expected_fields(labels: list, schema: TableSchema) -> list:
    """The fields the data rows are checked against, as frictionless pairs them.

    Each label position gets the schema field at that position; a label beyond
    the schema gets an ``any`` field named after it (so its cells count for
    blank and missing cells but are never type-checked); schema fields beyond
    the labels are dropped (their absence is already a missing-label error).
    """
    from ..fields import FieldSpec

    matched = list(schema.fields[: len(labels)])
    names = [f.name for f in matched] + [str(label) for label in labels[len(matched):]]
    used: set = set()
    unique_names = []
    for name in names:
        candidate, suffix = name, 2
        while candidate in used:
            candidate, suffix = f"{name}{suffix}", suffix + 1
        used.add(candidate)
        unique_names.append(candidate)
    extra = [FieldSpec.from_descriptor({"name": n, "type": "any"}) for n in unique_names[len(matched):]]
    return matched + extra


def _label_error(kind: str, label: str, field_name: str, number: int, note: str = "") -> dict:
    return {"type": kind, "label": label, "fieldName": field_name, "fieldNumber": number,
            "rowNumber": None, "note": note}


def validate_table(table: Table, schema: TableSchema, *, limit_errors: int = 1000,
                   lookup: Optional[Lookup] = None, resource_name: str = "",
                   on_batch: Optional[Callable[[int], None]] = None,
                   related: Optional[dict] = None,
                   on_errors: Optional[Callable[[list], None]] = None) -> TableOutcome:
    """Check every row of ``table``; restart on the exact reader if the fast one gives up.

    ``related``: columns of the package's other tables for cross-file checks
    (``checks.cross_file``); None when the table is validated alone.
    ``on_errors``: called with the list of listed errors after each batch (it
    only grows; a restart on the exact reader starts a new list), so that the
    caller can describe them while the next batch is checked.
    """
    try:
        return _validate(table, schema, limit_errors, lookup, resource_name, on_batch, exact=False,
                         related=related, on_errors=on_errors)
    except NeedsExactRead:
        return _validate(table, schema, limit_errors, lookup, resource_name, on_batch, exact=True,
                         related=related, on_errors=on_errors)


def _validate(table, schema, limit_errors, lookup, resource_name, on_batch, exact, related=None,
              on_errors=None) -> TableOutcome:
    findings = Findings(limit=limit_errors)
    # frictionless (like Python's csv module) reads an empty line as a row with no
    # cells, which pyarrow reads as empty cells: the same thing unless "" is not a
    # missing value, a rare schema that takes the exact path from the start
    exact = exact or any("" not in _field_missing_values(spec, schema)
                         for spec in expected_fields(table.labels, schema))
    for error in header_errors(table.labels, schema):
        findings.add(error)
    checker = _BatchChecker(table, schema, findings, lookup or {}, resource_name, related)
    rows = 0
    pending = None  # a batch whose columns are being checked while the next one starts
    for batch in table.batches(exact=exact):
        started = checker.start(batch)
        if pending is not None:
            checker.complete(pending)
            rows += len(pending.batch)
            if on_batch:
                on_batch(len(pending.batch))
            if on_errors:
                on_errors(findings.errors)
        pending = started
    if pending is not None:
        checker.complete(pending)
        rows += len(pending.batch)
        if on_batch:
            on_batch(len(pending.batch))
    checker.finish()
    return TableOutcome(findings=findings, rows=rows, labels=list(table.labels))


@dataclass
class _Started:
    """A batch whose columns are being checked: each item a result or a future of one."""

    batch: Batch
    items: list

    def results(self) -> list:
        return [item.result() if hasattr(item, "result") else item for item in self.items]


class _BatchChecker:
    def __init__(self, table: Table, schema: TableSchema, findings: Findings, lookup: Lookup,
                 resource_name: str, related: Optional[dict] = None):
        self.schema = schema
        self.findings = findings
        self.width = len(table.labels)
        self.fields = expected_fields(table.labels, schema)
        self.field_index = {f.name: i for i, f in enumerate(self.fields)}
        self.byte_count = table.byte_count if table.format in ("csv", "tsv") else None
        self.first_batch = True
        self.key_tasks: dict = {}  # one-field key column -> its latest task (None: done)
        # one index of seen keys per distinct key: a single-field primary key that is
        # also `unique` shares its index (and its per-batch lookup) with the unique check
        self.seen: dict = {}
        self.unique = [self.field_index[name] for name in schema.unique_fields if name in self.field_index]
        for index in self.unique:
            self.seen.setdefault((index,), SeenKeys())
            self.key_tasks[index] = None
        pk = schema.primary_key
        self.primary = None
        if pk and all(k in self.field_index for k in pk):
            self.primary = tuple(self.field_index[k] for k in pk)
            self.seen.setdefault(self.primary, SeenKeys())
            if len(self.primary) == 1:
                self.key_tasks[self.primary[0]] = None
        self.foreign = []
        for fk in schema.foreign_keys:
            if not all(k in self.field_index for k in fk["fields"]):
                continue
            reference = fk["reference"]
            target = reference["resource"] or resource_name
            keys = lookup.get((target, tuple(reference["fields"])))
            if keys is not None:
                self.foreign.append((fk, keys))
        from ..checks import CheckParamsError, build_checks
        from ..schema import SchemaProblem

        try:
            self.custom = build_checks(schema.descriptor, self.fields, base=schema.base)
        except CheckParamsError as error:
            raise SchemaProblem("custom_checks", [str(error)])
        if self.custom:
            from ..checks.cross_file import connect

            # checks needing another table get its columns, or are skipped with a warning
            self.custom, skipped = connect(self.custom, related)
            for warning in skipped:
                self.findings.warning_counts[warning["type"]] += 1
                self.findings.warnings.append(warning)

    def _check_column(self, batch: Batch, index: int, before=None):
        """Cast and check one column; hash it when it is a one-field key.

        Runs on a worker thread: it reads the batch and this column's spec only
        (no two tasks share a spec), and numpy/pyarrow release the GIL in their
        kernels, so the columns of a batch are checked on every core.
        """
        spec = self.fields[index]
        cells = field_cells(batch, index, spec, self.schema)
        result = check_cells(spec, cells, batch, index)
        present = validity(cells)
        repeats = None
        if (index,) in self.seen:  # a one-field key: only this column's tasks touch its index
            where = np.flatnonzero(validity(result.keys))
            hashes = hash_keys([result.keys])
            if before is not None:
                before.result()  # the previous batch's rows enter the index first
            repeats = (hashes, self.seen[(index,)].previous_rows(hashes[where], batch.row_numbers[where]))
        return result, present, repeats

    def start(self, batch: Batch) -> "_Started":
        """Start checking the columns of ``batch`` (on the pool when it is long);
        ``complete`` then turns their results into errors, batch after batch.

        While the columns of one batch are checked, the errors of the previous
        one are built and its custom checks run, so no core waits for the
        slowest column of a batch. Tasks are queued in batch order and a key
        column's task waits for the same column's task of the previous batch,
        so the key index sees rows in file order.
        """
        if self.first_batch:
            self.first_batch = False
            self._reserve_keys(batch)
        count = len(self.fields)
        pool = column_pool() if len(batch) >= PARALLEL_ROWS and count > 1 else None
        if pool is None:
            for index, future in self.key_tasks.items():
                if future is not None:
                    future.result()
                self.key_tasks[index] = None
            return _Started(batch, [self._check_column(batch, index) for index in range(count)])
        # the slowest-to-check columns first, so that no worker idles at the end
        order = sorted(range(count), key=lambda i: -_COST.get(self.fields[i].type, 1))
        futures = {}
        for index in order:
            before = self.key_tasks.get(index)
            futures[index] = pool.submit(self._check_column, batch, index, before)
            if index in self.key_tasks:
                self.key_tasks[index] = futures[index]
        return _Started(batch, [futures[index] for index in range(count)])

    def _reserve_keys(self, batch: Batch) -> None:
        """Size the key indexes from the file size and the first batch's bytes per row."""
        if not self.seen or self.byte_count is None or len(batch) == 0:
            return
        text_bytes = sum(_text_bytes(column) for column in batch.columns) + len(batch) * max(self.width, 1)
        if text_bytes <= 0:
            return
        estimate = int(self.byte_count / (text_bytes / len(batch)) * 1.1)
        for seen in self.seen.values():
            seen.reserve(estimate)

    def check(self, batch: Batch) -> None:
        """Check one batch completely (``start`` then ``complete``)."""
        self.complete(self.start(batch))

    def complete(self, started: "_Started") -> None:
        batch = started.batch
        n = len(batch)
        fields = self.fields
        counts = batch.cell_counts
        records = []  # (row positions, rank, sub-rank, builder)
        blank = np.ones(n, dtype=bool) if fields else np.zeros(n, dtype=bool)
        keys = []
        hashed: dict = {}
        looked_up: dict = {}
        for index, (result, present, repeats) in enumerate(started.results()):
            keys.append(result.keys)
            if repeats is not None:  # hashed and looked up in the column's own task
                hashed[(index,)], looked_up[(index,)] = repeats
            blank &= ~present
            if result.type_error.any():
                records.append((np.flatnonzero(result.type_error), _CELL, index * 64,
                                ("type-error", index, None)))
            for name, mask in result.constraints.items():
                if mask is not None and mask.any():
                    rank = _CONSTRAINT_ORDER.index(name) + 1 if name in _CONSTRAINT_ORDER else 60
                    records.append((np.flatnonzero(mask), _CELL, index * 64 + rank,
                                    ("constraint-error", index, name)))
        n_fields = len(fields)  # == self.width: one expected field per label
        if counts is not None:
            for position in range(n_fields, len(batch.columns)):
                rows = np.flatnonzero(counts > position)
                if len(rows):
                    records.append((rows, _EXTRA, position, ("extra-cell", position, None)))
            for position in range(0, n_fields):
                rows = np.flatnonzero(counts <= position)
                if len(rows):
                    records.append((rows, _MISSING, position, ("missing-cell", position, None)))
        # a blank row hides its cell errors (frictionless replaces them)
        if blank.any():
            records = [(rows[~blank[rows]], *rest) for rows, *rest in records]
            records.append((np.flatnonzero(blank), _CELL, -1, ("blank-row", None, None)))

        def hashes_of(indices: tuple) -> np.ndarray:
            """Full-length key hashes, computed once per batch per key (unique and PK share them)."""
            if indices not in hashed:
                hashed[indices] = hash_keys([keys[i] for i in indices])
            return hashed[indices]

        def all_null(indices: tuple) -> np.ndarray:
            mask = np.ones(n, dtype=bool)
            for i in indices:
                mask &= pc.is_null(keys[i]).to_numpy(zero_copy_only=False)
            return mask

        def previous_rows(indices: tuple, where: np.ndarray) -> np.ndarray:
            if indices not in looked_up:
                looked_up[indices] = self.seen[indices].previous_rows(
                    hashes_of(indices)[where], batch.row_numbers[where])
            return looked_up[indices]

        for index in self.unique:
            where = np.flatnonzero(~all_null((index,)))
            if len(where):
                previous = previous_rows((index,), where)
                dup = previous > 0
                if dup.any():
                    records.append((where[dup], _UNIQUE, index, ("unique-error", index, previous[dup])))
        if self.primary is not None:
            indices = self.primary
            empty = all_null(indices)
            if empty.any():
                records.append((np.flatnonzero(empty), _PRIMARY, 0, ("primary-key", "null", None)))
            where = np.flatnonzero(~empty)
            if len(where):
                previous = previous_rows(indices, where)
                dup = previous > 0
                if dup.any():
                    records.append((where[dup], _PRIMARY, 1, ("primary-key", "duplicate", previous[dup])))
        for number, (fk, seen) in enumerate(self.foreign):
            indices = tuple(self.field_index[k] for k in fk["fields"])
            where = np.flatnonzero(~all_null(indices))
            if len(where):
                missing = ~seen.contains(hashes_of(indices)[where])
                if missing.any():
                    records.append((where[missing], _FOREIGN, number, ("foreign-key", fk, None)))
        if self.custom:
            records.extend(self._custom_records(batch, keys, blank))
        self._emit(batch, records, keys)

    def _custom_records(self, batch: Batch, keys: list, blank: np.ndarray) -> list:
        from ..checks import BatchView

        view = BatchView(
            fields=self.fields,
            values={f.name: keys[i] for i, f in enumerate(self.fields)},
            cells={f.name: batch.columns[i] if i < len(batch.columns) else pa.nulls(len(batch), pa.string())
                   for i, f in enumerate(self.fields)},
            row_numbers=batch.row_numbers,
            blank=blank,
        )
        pool = column_pool() if len(batch) >= PARALLEL_ROWS and len(self.custom) > 1 else None
        if pool is None:
            outcomes = [check.check_batch(view) for check in self.custom]
        else:  # each check keeps its own state: checks of a batch run side by side
            outcomes = [future.result() for future in [pool.submit(check.check_batch, view) for check in self.custom]]
        records = []
        for number, findings in enumerate(outcomes):
            for finding in findings or []:
                if finding.severity == "warning":
                    self._add_warnings(finding, batch)
                elif finding.positions is not None and len(finding.positions):
                    records.append((np.asarray(finding.positions), _CUSTOM, number, ("custom", finding, None)))
        return records

    def finish(self) -> None:
        """End-of-table findings of cross-row checks, listed after the row-by-row errors."""
        for check in self.custom:
            for finding in check.finish() or []:
                if finding.severity == "warning":
                    self._add_warnings(finding, None)
                    continue
                rows = np.asarray(finding.row_numbers if finding.row_numbers is not None else [])
                for k, row in enumerate(rows):
                    error = self._custom_error(finding, int(row), k, None, None)
                    self.findings.add(error)

    def _add_warnings(self, finding, batch: Optional[Batch]) -> None:
        if finding.positions is not None and batch is not None:
            rows = batch.row_numbers[np.asarray(finding.positions)]
        else:
            rows = np.asarray(finding.row_numbers if finding.row_numbers is not None else [])
        self.findings.warning_counts[finding.code] += len(rows)
        for k, row in enumerate(rows):
            if len(self.findings.warnings) >= self.findings.limit:
                break
            position = int(finding.positions[k]) if finding.positions is not None and batch is not None else None
            error = self._custom_error(finding, int(row), k, batch, position)
            error["severity"] = "warning"
            self.findings.warnings.append(error)

    def _custom_error(self, finding, row_number: int, k: int, batch: Optional[Batch], position) -> dict:
        error = {"type": finding.code, "rowNumber": row_number, "fieldName": finding.field_name or "",
                 "note": finding.notes[k] if finding.notes else finding.note}
        if finding.field_name in self.field_index:
            error["fieldNumber"] = self.field_index[finding.field_name] + 1
        if finding.cells is not None:
            error["cell"] = "" if finding.cells[k] is None else str(finding.cells[k])
        elif batch is not None and finding.field_name in self.field_index:
            error["cell"] = _cell(batch, self.field_index[finding.field_name], position)
        return error

    def _emit(self, batch: Batch, records: list, keys: list) -> None:
        findings = self.findings
        # exact counts, whatever the cap
        for rows, rank, sub, (kind, detail, extra) in records:
            if not len(rows):
                continue
            findings.total += len(rows)
            findings.by_type[detail.code if kind == "custom" else kind] += len(rows)
            name = self._field_name(kind, detail)
            if name:
                findings.by_field[name] += len(rows)
        room = findings.room
        if room == 0 or not records:
            return
        # order the first `room` errors as frictionless would list them
        positions = np.concatenate([r[0] for r in records])
        if not len(positions):
            return
        ranks = np.concatenate([np.full(len(r[0]), r[1] * 10_000 + r[2] + 100, dtype=np.int64) for r in records])
        which = np.concatenate([np.full(len(r[0]), i, dtype=np.int64) for i, r in enumerate(records)])
        offsets = np.concatenate([np.arange(len(r[0])) for r in records])
        order = np.lexsort((ranks, positions))[:room]
        for k in order:
            rows, _, _, (kind, detail, extra) = records[which[k]]
            position = int(positions[k])
            findings.errors.append(self._build(batch, kind, detail, extra, position, int(offsets[k]), keys))

    def _field_name(self, kind: str, detail) -> str:
        if kind == "custom":
            return detail.field_name
        if kind in ("type-error", "constraint-error", "unique-error", "missing-cell"):
            return self.fields[detail].name
        return ""

    def _build(self, batch: Batch, kind: str, detail, extra, position: int, offset: int, keys: list) -> dict:
        row_number = int(batch.row_numbers[position])
        if kind == "custom":
            return self._custom_error(detail, row_number, offset, batch, position)
        error = {"type": kind, "rowNumber": row_number}
        if kind in ("type-error", "constraint-error", "unique-error", "missing-cell"):
            spec = self.fields[detail]
            error["fieldName"] = spec.name
            error["fieldNumber"] = detail + 1
            error["cell"] = "" if kind == "missing-cell" else _cell(batch, detail, position)
            if kind == "type-error":
                error["note"] = f'type is "{spec.type}/{spec.format}"'
                error["fieldType"], error["fieldFormat"] = spec.type, spec.format
            elif kind == "constraint-error":
                value = spec.constraints.get(extra)
                error["note"] = f'constraint "{extra}" is "{value}"'
                error["constraint"], error["constraintValue"] = extra, value
            elif kind == "unique-error":
                error["previousRow"] = int(extra[offset])
                error["note"] = "the same as in the row at position %s" % error["previousRow"]
            else:
                error["note"] = ""
        elif kind == "extra-cell":
            error.update(fieldName="", fieldNumber=detail + 1, cell=_cell(batch, detail, position), note="")
        elif kind == "blank-row":
            error["note"] = ""
        elif kind == "primary-key":
            error["fieldNames"] = list(self.schema.primary_key)
            if detail == "null":
                error["note"] = 'cells composing the primary keys are all "None"'
            else:
                error["previousRow"] = int(extra[offset])
                error["note"] = "the same as in the row at position %s" % error["previousRow"]
        elif kind == "foreign-key":
            fk = detail
            values = [_value(keys[self.field_index[k]], position) for k in fk["fields"]]
            error["fieldNames"] = list(fk["fields"])
            error["fieldValues"] = values
            error["referenceName"] = fk["reference"]["resource"]
            error["referenceFieldNames"] = list(fk["reference"]["fields"])
            error["note"] = 'for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
                ", ".join(fk["fields"]), ", ".join(str(v) for v in values),
                fk["reference"]["resource"], ", ".join(fk["reference"]["fields"]))
        return error


# Batches this long are checked column by column on a pool of threads; shorter
# ones serially (thread hand-offs would cost more than they save).
PARALLEL_ROWS = 20_000
# Relative cost of checking a column of each type (scheduling order only).
_COST = {"datetime": 4, "date": 3, "number": 3, "time": 3, "integer": 2, "geopoint": 3}
_POOL = None


def column_pool():
    """The process-wide pool of column-checking threads (None on one core)."""
    global _POOL
    if _POOL is None:
        import os
        from concurrent.futures import ThreadPoolExecutor

        workers = min(os.cpu_count() or 1, 4)
        _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="territoria-columns") if workers > 1 else False
    return _POOL or None


def _text_bytes(column) -> int:
    """Bytes of text in a string column (once per table: sizes the key indexes)."""
    if isinstance(column, pa.ChunkedArray):
        return sum(_text_bytes(chunk) for chunk in column.chunks)
    if pa.types.is_string(column.type) and len(column):
        return int(string_layout(column)[1].sum())
    return 0


def _cell(batch: Batch, position_in_row: int, row: int) -> str:
    if position_in_row >= len(batch.columns):
        return ""
    value = batch.columns[position_in_row][row].as_py()
    return "" if value is None else str(value)


def _value(column: pa.Array, row: int):
    value = column[row].as_py()
    return value


def field_cells(batch: Batch, index: int, spec, schema: TableSchema) -> pa.Array:
    """Column ``index`` of ``batch`` as one array of text cells, its missing values
    null (a column the row does not reach: all null)."""
    raw = batch.columns[index] if index < len(batch.columns) else pa.nulls(len(batch), pa.string())
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    return null_missing_values(raw, _field_missing_values(spec, schema))


def null_missing_values(raw: pa.Array, missing: list) -> pa.Array:
    """The column with its missing values (``missingValues``) turned into nulls.

    The default ``[""]`` is decided from the string offsets alone (an empty cell
    has equal start and end offsets), without comparing any text.
    """
    if not missing or len(raw) == 0:
        return raw
    if missing == [""] and pa.types.is_string(raw.type):
        offsets = np.frombuffer(raw.buffers()[1], dtype=np.int32, count=len(raw) + 1, offset=raw.offset * 4)
        is_missing = offsets[1:] == offsets[:-1]
        if raw.null_count:
            is_missing &= raw.is_valid().to_numpy(zero_copy_only=False)
        if not is_missing.any():
            return raw
    else:
        is_missing = to_bool_numpy(pc.is_in(raw, value_set=pa.array(missing, pa.string())))
        if not is_missing.any():
            return raw
    return keep_where(raw, ~is_missing)  # a new validity bitmap over the same text buffers


def collect_keys(table: Table, schema: TableSchema, key_fields: list, lookup_seen: SeenKeys) -> None:
    """Remember the typed keys of a referenced table (rows whose key is all null are skipped)."""
    index = {f.name: i for i, f in enumerate(schema.fields)}
    if not all(k in index for k in key_fields):
        return

    def run(exact: bool):
        for batch in table.batches(exact=exact):
            n = len(batch)
            columns = []
            for name in key_fields:
                i = index[name]
                spec = schema.fields[i]
                columns.append(check_cells(spec, field_cells(batch, i, spec, schema), batch, i).keys)
            empty = np.ones(n, dtype=bool)
            for column in columns:
                empty &= pc.is_null(column).to_numpy(zero_copy_only=False)
            if not empty.all():
                lookup_seen.add(hash_keys(columns)[~empty])

    try:
        run(False)
    except NeedsExactRead:
        run(True)


def collect_columns(table: Table, schema: TableSchema, names: list) -> dict:
    """Typed values of some columns of a table, all rows, for cross-file checks.

    ``{field name: pyarrow array}``, cast as ``check_cells`` casts them (null where
    the cell is missing or not castable), batches concatenated; a field the schema
    lacks, or the file lacks at its position, is left out.
    """
    index = {f.name: i for i, f in enumerate(schema.fields)}
    wanted = [n for n in dict.fromkeys(names) if n in index and index[n] < len(table.labels)]

    def run(exact: bool) -> dict:
        parts: dict = {name: [] for name in wanted}
        for batch in table.batches(exact=exact):
            for name in wanted:
                i = index[name]
                spec = schema.fields[i]
                values = check_cells(spec, field_cells(batch, i, spec, schema), batch, i).keys
                if isinstance(values, pa.ChunkedArray):
                    values = values.combine_chunks()
                parts[name].append(values)
        out = {}
        for name, chunks in parts.items():
            if not chunks:
                out[name] = pa.array([], pa.string())
            elif len({c.type for c in chunks}) == 1:
                out[name] = pa.concat_arrays(chunks)
            else:  # a column typed differently across batches (all-null batches): unify
                kind = next(c.type for c in chunks if not pa.types.is_null(c.type))
                out[name] = pa.concat_arrays([c.cast(kind) if c.type != kind else c for c in chunks])
        return out

    try:
        return run(False)
    except NeedsExactRead:
        return run(True)
