"""One table: a file, a URL or bytes against one Table Schema, whatever happens, answered as a Task.

It reads as the pipeline does: open the source (detect, read), check every
batch (``engine``), describe the findings (``rules``). A failure of the tool on
the input is a task that could not run, never an exception.
"""
from __future__ import annotations

import os
import time
from typing import Any, Callable, Optional

from .. import engine, rules
from ..columnar.keys import KeySet
from ..fields.pattern import drain_timeouts
from ..readers import SourceProblem, Table
from ..readers.open import SPREADSHEET_FORMATS, detect_format, localise, open_table
from ..report import Task, task_name
from ..rules.words import dialect_note
from ..schema import SchemaProblem, TableSchema, table_schema_from_descriptor
from ..schema.profile import SchemaProfile
from . import advice, sheets, together

DEFAULT_LIMIT_ERRORS = 1000


def validate_with_profile(source: Any, profile: Optional[SchemaProfile], options: dict) -> Task:
    """One file against the table of ``profile`` it is for (by its name, when the profile has several)."""
    if profile is None:
        return validate_file(source, None, **options)
    shown = os.path.basename(place_of(source).split("?", 1)[0].rstrip("/"))
    sheet = options.get("sheet") if isinstance(options.get("sheet"), str) else ""
    resource = profile.match([options.get("name") or "", sheet, shown]) if not profile.lone else None
    try:
        schema = profile.table(resource)
    except SchemaProblem as problem:
        return schema_task(options.get("name") or place_of(source), problem)
    except SourceProblem as problem:  # a schema path the policy refuses, a schema that cannot be fetched
        return Task.failed(options.get("name") or place_of(source), problem.code, problem.note)
    return validate_file(source, schema, **options)


def schema_task(place: str, problem: SchemaProblem) -> Task:
    """A task that could not run because of its schema: one error per problem, typed as frictionless types it."""
    task = Task(name=task_name(place), place=place)
    task.fail(schema_errors(problem))
    return task


def schema_errors(problem: SchemaProblem) -> list:
    where = f"{problem.where}: " if problem.where else ""
    return [{"type": code, "note": " ".join(f"{where}{note}".split())}
            for code, note in zip(problem.codes, problem.notes)]


def one_line(error: BaseException) -> str:
    """``Type: message`` on one line, at most 300 characters (what a failed task's note says)."""
    text = " ".join(str(error).split())
    return (f"{type(error).__name__}: {text}" if text else type(error).__name__)[:300]


def place_of(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return "<bytes>"


def validate_file(source: Any, schema: Optional[TableSchema], *, limit_errors: int = DEFAULT_LIMIT_ERRORS,
                  format: Optional[str] = None, encoding: Optional[str] = None,
                  delimiter: Optional[str] = None, sheet: Any = None, name: str = "",
                  lookup: Optional[dict] = None, resource_name: str = "",
                  progress: Optional[Callable[[int], None]] = None,
                  related: Optional[dict] = None) -> Task:
    """Validate one table; whatever happens, answer a :class:`Task` (a failure is a task that could not run)."""
    started = time.perf_counter()
    place = place_of(source)
    task = Task(name=name or task_name(place), place=place)
    local = None
    own_lookup: dict = {}  # the keys of the table's foreign keys to itself (spill files removed at the end)
    try:
        local = localise(source, name_hint=name if not isinstance(source, str) else "")
        task.place = local.place
        fmt = detect_format(local.path, local.place, format)
        opening = dict(dialect={"delimiter": delimiter} if delimiter else None, encoding=encoding, sheet=sheet)
        table = together.take(local.path, schema, fmt, opening) or open_table(local.path, fmt, **opening)
        task.format, task.encoding, task.bytes = table.format, table.encoding, table.byte_count
        if sheet not in (None, "") and table.format in SPREADSHEET_FORMATS:
            task.sheet = str(sheet)
        described = schema is not None
        if schema is None:
            schema = _structure_only_schema(table)
            task.warnings.append(_warning("no-schema-warning", ""))
        task.fields = len(schema.fields)
        task.schema = schema.descriptor.get("name", "") if isinstance(schema.descriptor, dict) else ""
        if schema.foreign_keys and lookup is None:
            lookup = own_lookup
            _self_lookup(table, schema, resource_name, own_lookup)
            # Deliberate divergence: frictionless refuses to validate a lone table whose
            # schema references another table; we check everything else and say so.
            for fk in schema.foreign_keys:
                target = fk["reference"]["resource"]
                if target not in ("", resource_name):
                    shown = f"({', '.join(fk['fields'])} → {target}.{', '.join(fk['reference']['fields'])})"
                    task.warnings.append(_warning("foreign-key-warning", shown))
        describer = _Describer(schema, advice.misplaced_fields(table, schema) if described else set())
        drain_timeouts()
        outcome = engine.validate_table(table, schema, limit_errors=limit_errors, lookup=lookup,
                                        resource_name=resource_name, on_batch=progress,
                                        related=related, on_errors=describer.catch_up)
        _fill(task, outcome, describer)
        for field_name, cell, seconds, _ in drain_timeouts():
            shown = cell if len(cell) <= 200 else cell[:200] + "…"
            task.warnings.append(rules.describe({"type": "pattern-timeout", "fieldName": field_name,
                                                 "cell": shown, "note": f"{seconds:g} s"}))
        if described:
            task.warnings += advice.header_advice(table, schema, outcome.rows)
            if sheet in (None, "") and table.format in SPREADSHEET_FORMATS:
                elsewhere = sheets.data_elsewhere(local.path, table.format, schema, list(table.labels))
                task.warnings += [elsewhere] if elsewhere else []
        if table.dialect_notes:
            task.warnings.append(rules.describe({"type": "dialect-warning", "dialect": list(table.dialect_notes),
                                                 "note": dialect_note(table.dialect_notes)}))
    except SourceProblem as problem:
        task.fail([{"type": problem.code, "note": " ".join(problem.note.split())}])
    except SchemaProblem as problem:
        task.fail(schema_errors(problem))
    except MemoryError:
        task.fail([{"type": "source-error", "note": "out of memory while reading the source"}])
    except RecursionError:
        task.fail([{"type": "source-error", "note": "the source is nested too deeply to be read"}])
    except OSError as error:  # a full disk, a file gone while read: the input, not a bug
        task.fail([{"type": "source-error", "note": f"{error.strerror or one_line(error)}"
                                                    + (f": {error.filename}" if error.filename else "")}])
    except Exception as error:  # a bug must cost one file's verdict, never the whole run
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        task.fail([{"type": "internal-error", "note": one_line(error)}])
    finally:
        for keys in own_lookup.values():
            keys.close()
        if local is not None:
            local.cleanup()
    task.seconds = time.perf_counter() - started
    return task


def _structure_only_schema(table: Table) -> TableSchema:
    names = [label if label else f"field{i}" for i, label in enumerate(table.labels, start=1)]
    return table_schema_from_descriptor({"fields": [{"name": n, "type": "string"} for n in names]})


def _self_lookup(table: Table, schema: TableSchema, resource_name: str, lookup: dict) -> None:
    """The keys the table's foreign keys to itself reference, into ``lookup``."""
    wanted = {tuple(fk["reference"]["fields"]) for fk in schema.foreign_keys
              if fk["reference"]["resource"] in ("", resource_name)}
    budget = engine.lookup_budget(schema, len(wanted))
    for fk in schema.foreign_keys:
        reference = fk["reference"]
        if reference["resource"] not in ("", resource_name):
            continue
        key = (reference["resource"] or resource_name, tuple(reference["fields"]))
        if key not in lookup:
            lookup[key] = seen = KeySet(budget)
            engine.collect_keys(table, schema, reference["fields"], seen)


class _Describer:
    """Prepares listed findings for their words as they come (the engine calls
    ``catch_up`` after each batch): a :class:`rules.Finding` describes itself when
    first read, knowing its field and whether hints about its value would mislead
    (a misplaced column); any other finding is described here."""

    def __init__(self, schema: TableSchema, misplaced: set = frozenset()) -> None:
        self.by_name = {f.name: f.descriptor for f in schema.fields}
        self.misplaced = misplaced  # fields whose column stands elsewhere: no hint about their cells
        self.errors: Optional[list] = None
        self.done = 0

    def catch_up(self, errors: list) -> None:
        if errors is not self.errors:  # a restart on the exact reader lists errors anew
            self.errors, self.done = errors, 0
        for error in errors[self.done:]:
            name = dict.get(error, "fieldName")  # dict's own get: reading a Finding would describe it
            misplaced = name in self.misplaced and dict.get(error, "rowNumber") is not None  # a cell, not a label
            if isinstance(error, rules.Finding):
                error.value_hints = not misplaced
                if error.field is None:
                    error.field = self.by_name.get(name)
            else:
                rules.describe(error, self.by_name.get(name), value_hints=not misplaced)
        self.done = len(errors)


def _fill(task: Task, outcome: engine.TableOutcome, describer: _Describer) -> None:
    findings = outcome.findings
    describer.catch_up(findings.errors)
    task.errors = findings.errors
    task.error_count = findings.total
    for warning in findings.warnings:
        task.warnings.append(rules.describe(warning))
    task.counts_by_type = dict(findings.by_type)
    task.counts_by_field = dict(findings.by_field)
    task.rows = outcome.rows
    task.labels = outcome.labels
    if findings.truncated:
        task.warnings.append(_warning("error-limit-warning", str(findings.limit)))


def _warning(code: str, note: str) -> dict:
    return rules.describe({"type": code, "note": note, "severity": "warning"})
