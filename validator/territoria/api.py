"""``territoria.validate``: one call for a file, a URL, bytes or a Data Package.

Why here: the CLI, the GitHub Action and library users share this single entry
point, so they always get the same verdict for the same input. It reads as the
pipeline does: resolve the schema, open the source (detect, read), check every
batch (``engine``), then describe the findings (``rules``) into a ``Report``.
"""
from __future__ import annotations

import os
import time
from typing import Any, Callable, Optional

from . import engine, rules
from .columnar.keys import SeenKeys, memory_limit as memory_limit_of
from .readers import SourceProblem, Table
from .readers.open import detect_format, is_url, localise, open_table
from .report import Report, Task, task_name
from .rules.words import dialect_note
from .schema import SchemaProblem, TableSchema, read_json, table_schema_from_descriptor
from .schema.profile import SchemaProfile
from .schema.resolve import resolve_schema

DEFAULT_LIMIT_ERRORS = 1000


def validate(source: Any, schema: Any = None, *, limit_errors: int = DEFAULT_LIMIT_ERRORS,
             format: Optional[str] = None, encoding: Optional[str] = None,
             delimiter: Optional[str] = None, sheet: Any = None, name: str = "",
             progress: Optional[Callable[[int], None]] = None, memory_limit: Optional[int] = None) -> Report:
    """Validate ``source`` against ``schema`` and return a :class:`Report`.

    ``source``: a path, an http(s) URL, bytes or a binary file object; a path or
    URL ending in ``datapackage.json`` validates every resource of the package,
    foreign keys included. ``schema``: a path, a URL, a dict, a catalogue name
    (``NAME``, ``NAME@VERSION``, ``NAME/RESOURCE@VERSION``) or None.
    ``memory_limit``: bytes the run should keep its peak memory under (default
    600 MB): key indexes past their share spill to a temporary folder.
    """
    with memory_limit_of(memory_limit):
        return _validate(source, schema, limit_errors, format, encoding, delimiter, sheet, name, progress)


def _validate(source, schema, limit_errors, format, encoding, delimiter, sheet, name, progress) -> Report:
    started = time.perf_counter()
    report = Report()
    place = name or _place(source)
    try:
        profile = resolve_schema(schema) if schema is not None else None
    except SchemaProblem as problem:
        profile, report.tasks = None, [schema_task(place, problem)]
    except SourceProblem as problem:
        profile, report.tasks = None, [Task.failed(place, problem.code, problem.note)]
    if not report.tasks:
        if is_package(source):
            report.tasks = validate_package(source, profile, limit_errors=limit_errors, progress=progress)
        else:
            options = dict(limit_errors=limit_errors, format=format, encoding=encoding, delimiter=delimiter,
                           sheet=sheet, name=name, progress=progress)
            report.tasks = [_validate_with_profile(source, profile, options)]
    report.seconds = time.perf_counter() - started
    return report


def _validate_with_profile(source: Any, profile: Optional[SchemaProfile], options: dict) -> Task:
    """One file against the table of ``profile`` it is for (by its name, when the profile has several)."""
    if profile is None:
        return validate_file(source, None, **options)
    resource = profile.match([options.get("name") or "", _place(source)]) if not profile.lone else None
    try:
        schema = profile.table(resource)
    except SchemaProblem as problem:
        return schema_task(options.get("name") or _place(source), problem)
    return validate_file(source, schema, **options)


def schema_task(place: str, problem: SchemaProblem) -> Task:
    """A task that could not run because of its schema: one error per problem, typed as frictionless types it."""
    task = Task(name=task_name(place), place=place)
    task.fail(schema_errors(problem))
    return task


def schema_errors(problem: SchemaProblem) -> list:
    return [{"type": code, "note": f"{problem.where}: {note}"} for code, note in zip(problem.codes, problem.notes)]


def _place(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return "<bytes>"


def is_package(source: Any) -> bool:
    """A path or URL naming a Data Package descriptor."""
    if isinstance(source, (str, os.PathLike)):
        base = os.fspath(source).split("?", 1)[0].rstrip("/")
        return base.endswith("datapackage.json") or base.endswith("datapackage.yaml")
    return False


# --- one table -------------------------------------------------------------------------

def validate_file(source: Any, schema: Optional[TableSchema], *, limit_errors: int = DEFAULT_LIMIT_ERRORS,
                  format: Optional[str] = None, encoding: Optional[str] = None,
                  delimiter: Optional[str] = None, sheet: Any = None, name: str = "",
                  lookup: Optional[dict] = None, resource_name: str = "",
                  progress: Optional[Callable[[int], None]] = None,
                  related: Optional[dict] = None) -> Task:
    """Validate one table; whatever happens, answer a :class:`Task` (a failure is a task that could not run)."""
    started = time.perf_counter()
    place = _place(source)
    task = Task(name=name or task_name(place), place=place)
    local = None
    try:
        local = localise(source, name_hint=name if not isinstance(source, str) else "")
        task.place = local.place
        fmt = detect_format(local.path, local.place, format)
        table = open_table(local.path, fmt, dialect={"delimiter": delimiter} if delimiter else None,
                           encoding=encoding, sheet=sheet)
        task.format, task.encoding, task.bytes = table.format, table.encoding, table.byte_count
        if schema is None:
            schema = _structure_only_schema(table)
            task.warnings.append(_warning("no-schema-warning", ""))
        task.fields = len(schema.fields)
        task.schema = schema.descriptor.get("name", "") if isinstance(schema.descriptor, dict) else ""
        if schema.foreign_keys and lookup is None:
            lookup = _self_lookup(table, schema, resource_name)
            # Deliberate divergence: frictionless refuses to validate a lone table whose
            # schema references another table; we check everything else and say so.
            for fk in schema.foreign_keys:
                target = fk["reference"]["resource"]
                if target not in ("", resource_name):
                    shown = f"({', '.join(fk['fields'])} → {target}.{', '.join(fk['reference']['fields'])})"
                    task.warnings.append(_warning("foreign-key-warning", shown))
        outcome = engine.validate_table(table, schema, limit_errors=limit_errors, lookup=lookup,
                                        resource_name=resource_name, on_batch=progress, related=related)
        _fill(task, outcome, {f.name: f.descriptor for f in schema.fields})
        if table.dialect_notes:
            task.warnings.append(rules.describe({"type": "dialect-warning", "dialect": list(table.dialect_notes),
                                                 "note": dialect_note(table.dialect_notes)}))
    except SourceProblem as problem:
        task.fail([{"type": problem.code, "note": problem.note}])
    except SchemaProblem as problem:
        task.fail(schema_errors(problem))
    except MemoryError:
        task.fail([{"type": "source-error", "note": "out of memory while reading the source"}])
    except Exception as error:  # a bug must cost one file's verdict, never the whole run
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        task.fail([{"type": "internal-error", "note": f"{type(error).__name__}: {error}"}])
    finally:
        if local is not None:
            local.cleanup()
    task.seconds = time.perf_counter() - started
    return task


def _structure_only_schema(table: Table) -> TableSchema:
    names = [label if label else f"field{i}" for i, label in enumerate(table.labels, start=1)]
    return table_schema_from_descriptor({"fields": [{"name": n, "type": "string"} for n in names]})


def _self_lookup(table: Table, schema: TableSchema, resource_name: str) -> dict:
    lookup = {}
    for fk in schema.foreign_keys:
        reference = fk["reference"]
        if reference["resource"] not in ("", resource_name):
            continue
        key = (reference["resource"] or resource_name, tuple(reference["fields"]))
        if key not in lookup:
            seen = SeenKeys()
            engine.collect_keys(table, schema, reference["fields"], seen)
            lookup[key] = seen
    return lookup


def _fill(task: Task, outcome: engine.TableOutcome, fields: dict) -> None:
    findings = outcome.findings
    for error in findings.errors:  # the listed ones are given their words when read (rules.Finding)
        if not isinstance(error, rules.Finding):
            rules.describe(error, fields.get(error.get("fieldName")))
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


# --- Data Packages ---------------------------------------------------------------------

def validate_package(source: Any, profile: Optional[SchemaProfile] = None, *, limit_errors: int,
                     progress=None) -> list:
    """Every resource of the package at ``source`` (foreign keys and cross-file checks included),
    against the schema each declares, or against the table of ``profile`` of the same name."""
    place = _place(source)
    try:
        descriptor = read_json(place, "data package")
    except SchemaProblem as problem:
        return [schema_task(place, problem)]
    except SourceProblem as problem:
        return [Task.failed(place, problem.code, problem.note)]
    base = place.rsplit("/", 1)[0] if is_url(place) else os.path.dirname(place)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return [Task.failed(place, "schema-error", f"{place}: a data package needs a non-empty 'resources' list")]
    schemas: dict = {}
    tasks = []
    prepared = []
    for number, resource in enumerate(resources):
        name = resource.get("name") or f"resource{number + 1}"
        try:
            schema = _resource_schema(resource, base, profile, name)
        except SchemaProblem as problem:
            tasks.append(schema_task(name, problem))
            continue
        except SourceProblem as problem:
            tasks.append(Task.failed(name, problem.code, problem.note))
            continue
        schemas[name] = schema
        prepared.append((name, resource, schema))
    by_name = {name: resource for name, resource, _ in prepared}
    for name, resource, schema in prepared:
        lookup = {}
        missing_reference = None
        for fk in (schema.foreign_keys if schema else []):
            target = fk["reference"]["resource"] or name
            key = (target, tuple(fk["reference"]["fields"]))
            if key in lookup:
                continue
            if target not in by_name:
                missing_reference = target
                continue
            seen = SeenKeys()
            try:
                table = _open_resource(by_name[target], base)
                engine.collect_keys(table, schemas[target], list(key[1]), seen)
            except (SourceProblem, SchemaProblem):
                pass  # the referenced resource's own task reports why it cannot be read
            lookup[key] = seen
        related = _related_columns(schema, by_name, schemas, base)
        location = _resource_location(resource, base)
        dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
        task = validate_file(location, schema, limit_errors=limit_errors, name=name, lookup=lookup,
                             resource_name=name, related=related, format=resource.get("format"),
                             encoding=resource.get("encoding"), delimiter=dialect.get("delimiter"),
                             progress=progress)
        if missing_reference:
            task.errors.insert(0, rules.describe({
                "type": "schema-error",
                "note": f"foreign key to resource {missing_reference!r}, which the package does not have"}))
            task.error_count += 1
            task.could_not_run = True
        tasks.append(task)
    return tasks


def _related_columns(schema: Optional[TableSchema], by_name: dict, schemas: dict, base: str) -> dict:
    """The columns of other resources that the table's cross-file checks need.

    ``{resource: {field: typed pyarrow array}}``, or a reason string (``"unreadable"``,
    ``"no-schema"``) when the resource is in the package but cannot serve; a resource
    the package lacks is left out (``checks.cross_file.connect`` says so in a warning).
    """
    if schema is None:
        return {}
    import pyarrow as pa

    from .checks.cross_file import needed_columns

    related: dict = {}
    for target, names in needed_columns(schema).items():
        if target not in by_name:
            continue
        if schemas.get(target) is None:
            related[target] = "unreadable" if target not in schemas else "no-schema"
            continue
        try:
            table = _open_resource(by_name[target], base)
            related[target] = engine.collect_columns(table, schemas[target], names)
        except (SourceProblem, SchemaProblem, pa.ArrowException):
            related[target] = "unreadable"  # the resource's own task reports why
    return related


def _resource_location(resource: dict, base: str) -> str:
    path = resource.get("path")
    if isinstance(path, list):
        path = path[0] if path else None
    if not isinstance(path, str) or not path:
        raise SourceProblem("source-error", f"resource {resource.get('name')!r} has no path")
    if is_url(path) or os.path.isabs(path):
        return path
    if is_url(base):
        return f"{base}/{path}"
    return os.path.join(base, path)


def _open_resource(resource: dict, base: str) -> Table:
    location = _resource_location(resource, base)
    local = localise(location)
    return open_table(local.path, detect_format(local.path, local.place, resource.get("format")),
                      encoding=resource.get("encoding"))


def _resource_schema(resource: dict, base: str, profile: Optional[SchemaProfile], name: str) -> Optional[TableSchema]:
    if profile is not None:
        if not profile.lone and name not in profile.names:
            raise SchemaProblem(name, [f"the schema's package has no resource named {name!r}"])
        return profile.table(name)
    schema = resource.get("schema")
    if schema is None:
        return None
    from .schema import load_table_schema

    if isinstance(schema, dict) or (isinstance(schema, str) and not is_url(schema) and not os.path.isabs(schema)):
        return load_table_schema(schema, base=base)
    return load_table_schema(schema)
