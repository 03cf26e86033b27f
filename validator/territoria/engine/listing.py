"""From the errors found in a batch to the dicts a report lists.

Why apart from the checks: a broken file can have millions of errors, and only
the first ``limit_errors`` are listed. So the batch checker produces
:class:`Record` objects (one kind of error, as an array of row positions), the
:class:`Lister` counts every one of them exactly and builds a dict only for the
errors that will be listed, in the order frictionless lists them: row by row,
and within a row by :attr:`Record.sort_key`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Optional

import numpy as np

from ..readers import Batch
from ..rules import Finding
from .cells import cell_text, key_value
from .findings import Findings


class InRow(IntEnum):
    """Where each kind of error stands within one row, as frictionless lists them."""

    CELL = 0  # blank row, then type and constraint errors, column by column
    EXTRA = 1
    MISSING = 2
    UNIQUE = 3
    PRIMARY = 4
    FOREIGN = 5
    CUSTOM = 6


#: the order of a cell's constraint errors (frictionless's ``create_cell_reader``)
CONSTRAINT_ORDER = ["required", "minLength", "maxLength", "minimum", "maximum",
                    "exclusiveMinimum", "exclusiveMaximum", "pattern", "enum"]
_CELL_KINDS = ("type-error", "constraint-error", "unique-error", "missing-cell")


@dataclass
class Record:
    """Errors of one kind found in one batch, before any of them is listed.

    ``rows``: positions in the batch; ``place``/``rank``: where the kind stands
    within a row (:class:`InRow`) and its rank there (a column number, a
    constraint's order); ``kind``: the error type, or ``"custom"`` for a custom
    check's finding; ``detail``/``extra``: what the error's dict needs (the
    column, the constraint, the previous rows of a duplicate, the finding).
    """

    rows: np.ndarray
    place: InRow
    rank: int
    kind: str
    detail: Any = None
    extra: Any = None

    @property
    def sort_key(self) -> int:
        """The order of this record's errors among the errors of one row."""
        return int(self.place) * 10_000 + self.rank + 100

    @property
    def code(self) -> str:
        return self.detail.code if self.kind == "custom" else self.kind


def cell_record(rows: np.ndarray, column: int, kind: str, constraint: Optional[str] = None) -> Record:
    """A type error (``constraint`` None) or a constraint error of one column."""
    rank = column * 64
    if constraint is not None:
        rank += CONSTRAINT_ORDER.index(constraint) + 1 if constraint in CONSTRAINT_ORDER else 60
    return Record(rows, InRow.CELL, rank, kind, column, constraint)


def blank_row_record(rows: np.ndarray) -> Record:
    return Record(rows, InRow.CELL, -1, "blank-row")


class Lister:
    """Counts every record's errors and lists the first ones as dicts."""

    def __init__(self, fields: list, primary_key: list, findings: Findings) -> None:
        self.fields = fields
        self.field_index = {f.name: i for i, f in enumerate(fields)}
        self.primary_key = list(primary_key)
        self.findings = findings

    def emit(self, batch: Batch, records: list, keys: list) -> None:
        findings = self.findings
        for record in records:  # exact counts, whatever the cap
            if not len(record.rows):
                continue
            findings.total += len(record.rows)
            findings.by_type[record.code] += len(record.rows)
            name = self._field_name(record)
            if name:
                findings.by_field[name] += len(record.rows)
        room = findings.room
        if room == 0 or not records:
            return
        positions = np.concatenate([r.rows for r in records])
        if not len(positions):
            return
        order_in_row = np.concatenate([np.full(len(r.rows), r.sort_key, dtype=np.int64) for r in records])
        which = np.concatenate([np.full(len(r.rows), i, dtype=np.int64) for i, r in enumerate(records)])
        offsets = np.concatenate([np.arange(len(r.rows)) for r in records])
        for k in np.lexsort((order_in_row, positions))[:room]:
            record = records[which[k]]
            findings.errors.append(self._build(batch, record, int(positions[k]), int(offsets[k]), keys))
            findings.places.append((int(batch.row_numbers[positions[k]]), int(order_in_row[k])))

    def _field_name(self, record: Record) -> str:
        if record.kind == "custom":
            return record.detail.field_name
        if record.kind in _CELL_KINDS:
            return self.fields[record.detail].name
        return ""

    def _build(self, batch: Batch, record: Record, position: int, offset: int, keys: list) -> dict:
        row_number = int(batch.row_numbers[position])
        kind, detail, extra = record.kind, record.detail, record.extra
        if kind == "custom":
            return self.custom_error(detail, row_number, offset, batch, position)
        error = {"type": kind, "rowNumber": row_number}
        if kind in _CELL_KINDS:
            spec = self.fields[detail]
            error["fieldName"] = spec.name
            error["fieldNumber"] = detail + 1
            error["cell"] = "" if kind == "missing-cell" else cell_text(batch, detail, position)
            if kind == "type-error":
                error["note"] = f'type is "{spec.type}/{spec.format}"'
                error["fieldType"], error["fieldFormat"] = spec.type, spec.format
            elif kind == "constraint-error":
                note, value = constraint_words(spec, extra, self.__dict__.setdefault("_words", {}))
                error["note"] = note
                error["constraint"], error["constraintValue"] = extra, value
            elif kind == "unique-error":
                error["previousRow"] = int(extra[offset])
                error["note"] = "the same as in the row at position %s" % error["previousRow"]
            else:
                error["note"] = ""
        elif kind == "extra-cell":
            error.update(fieldName="", fieldNumber=detail + 1, cell=cell_text(batch, detail, position), note="")
        elif kind == "blank-row":
            error["note"] = ""
        elif kind == "primary-key":
            error["fieldNames"] = list(self.primary_key)
            if detail == "null":
                error["note"] = 'cells composing the primary keys are all "None"'
            else:
                error["previousRow"] = int(extra[offset])
                error["note"] = "the same as in the row at position %s" % error["previousRow"]
        elif kind == "foreign-key":
            return self.foreign_error(detail, row_number,
                                      [key_value(keys[self.field_index[k]], position) for k in detail["fields"]])
        # its words are given when it is first read (rules.Finding)
        return Finding(error, self.fields[detail].descriptor if kind in _CELL_KINDS else None)

    def foreign_error(self, fk: dict, row_number: int, values: list) -> dict:
        """The error of a key of foreign key ``fk`` (its typed ``values``) not found in the referenced table."""
        reference = fk["reference"]
        error = {"type": "foreign-key", "rowNumber": row_number, "fieldNames": list(fk["fields"]),
                 "fieldValues": values, "referenceName": reference["resource"],
                 "referenceFieldNames": list(reference["fields"]),
                 "note": 'for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
                     ", ".join(fk["fields"]), ", ".join(str(v) for v in values),
                     reference["resource"], ", ".join(reference["fields"]))}
        return Finding(error, None)

    def custom_error(self, finding, row_number: int, k: int, batch: Optional[Batch], position) -> dict:
        """The dict of a custom check's ``k``-th finding (``position`` in ``batch``, if still there)."""
        error = {"type": finding.code, "rowNumber": row_number, "fieldName": finding.field_name or "",
                 "note": finding.notes[k] if finding.notes else finding.note}
        if finding.field_name in self.field_index:
            error["fieldNumber"] = self.field_index[finding.field_name] + 1
        if finding.cells is not None:
            error["cell"] = "" if finding.cells[k] is None else str(finding.cells[k])
        elif batch is not None and finding.field_name in self.field_index:
            error["cell"] = cell_text(batch, self.field_index[finding.field_name], position)
        index = self.field_index.get(finding.field_name)
        return Finding(error, self.fields[index].descriptor if index is not None else None)

    def add_warnings(self, finding, batch: Optional[Batch]) -> None:
        """A warning-severity finding: counted, and listed up to the cap."""
        findings = self.findings
        if finding.positions is not None and batch is not None:
            rows = batch.row_numbers[np.asarray(finding.positions)]
        else:
            rows = np.asarray(finding.row_numbers if finding.row_numbers is not None else [])
        findings.warning_counts[finding.code] += len(rows)
        for k, row in enumerate(rows):
            if len(findings.warnings) >= findings.limit:
                break
            position = int(finding.positions[k]) if finding.positions is not None and batch is not None else None
            error = self.custom_error(finding, int(row), k, batch, position)
            error["severity"] = "warning"
            findings.warnings.append(error)


#: a constraint shown whole in each error up to this many characters (a 1M-value enum is 12 MB:
#: 1,000 listed errors would hold 12 GB of copies); past it, its start and its size
SHOWN_CONSTRAINT_CHARS = 1000
SHOWN_ENUM_VALUES = 100


def constraint_words(spec, name: str, cache: dict) -> tuple:
    """``(note, value)`` of a broken constraint, the note worded as frictionless words it, computed
    once per field and constraint (``cache``) and bounded: a huge ``enum`` is shown by its first
    values and its size."""
    key = (spec.name, name)
    if key in cache:
        return cache[key]
    value = spec.constraints.get(name)
    note = f'constraint "{name}" is "{value}"'
    if len(note) > SHOWN_CONSTRAINT_CHARS:
        size = len(value) if isinstance(value, (list, tuple)) else None
        note = note[:SHOWN_CONSTRAINT_CHARS] + (f"… ({size} values)" if size else "…") + '"'
        if isinstance(value, (list, tuple)) and len(value) > SHOWN_ENUM_VALUES:
            value = list(value[:SHOWN_ENUM_VALUES]) + ["…"]
    cache[key] = (note, value)
    return note, value
