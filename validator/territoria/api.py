"""``territoria.validate``: one call for a file, a URL, bytes or a Data Package.

Why here: the CLI, the GitHub Action and library users share this single entry
point, so they always get the same verdict for the same input.
"""
from __future__ import annotations

import os
import time
from typing import Any, Callable, Optional

from . import engine
from .rules.hints import specific_hint
from .columnar.keys import SeenKeys
from .readers import SourceProblem, Table
from .report import Report, Task, enrich
from .schema import SchemaProblem, TableSchema, load_table_schema, read_json, table_schema_from_descriptor
from .readers.open import detect_format, is_url, localise, open_table

DEFAULT_LIMIT_ERRORS = 1000


def validate(source: Any, schema: Any = None, *, limit_errors: int = DEFAULT_LIMIT_ERRORS,
             format: Optional[str] = None, encoding: Optional[str] = None,
             delimiter: Optional[str] = None, sheet: Any = None, name: str = "",
             progress: Optional[Callable[[int], None]] = None) -> Report:
    """Validate ``source`` against ``schema`` and return a :class:`Report`.

    ``source``: a path, an http(s) URL, bytes or a binary file object; a path or
    URL ending in ``datapackage.json`` validates every resource of the package,
    foreign keys included. ``schema``: a path, a URL, a dict, a catalogue name
    (``NAME``, ``NAME@VERSION``, ``NAME/RESOURCE@VERSION``) or None.
    """
    started = time.perf_counter()
    report = Report()
    if _is_package(source) and schema is None:
        report.tasks = _validate_package(source, limit_errors=limit_errors, progress=progress)
    else:
        try:
            resolved = resolve_schema(schema) if schema is not None else None
        except SchemaProblem as problem:
            report.tasks = [_schema_task(name or _place(source), problem)]
            report.seconds = time.perf_counter() - started
            return report
        except SourceProblem as problem:
            report.tasks = [_failed_task(name or _place(source), problem.code, problem.note, schema=True)]
            report.seconds = time.perf_counter() - started
            return report
        if isinstance(resolved, dict) and resolved.get("__package__"):
            report.tasks = _validate_package(source, limit_errors=limit_errors, progress=progress,
                                             profile=resolved)
        else:
            report.tasks = [validate_one(source, resolved, limit_errors=limit_errors, format=format,
                                         encoding=encoding, delimiter=delimiter, sheet=sheet,
                                         name=name, progress=progress)]
    report.seconds = time.perf_counter() - started
    return report


def _schema_note(problem: SchemaProblem) -> str:
    return f"{problem.where}: " + "; ".join(problem.notes)


def _schema_errors(problem: SchemaProblem) -> list:
    """One error per problem, typed as frictionless types it (schema-error, field-error)."""
    return [enrich({"type": code, "note": f"{problem.where}: {note}"})
            for code, note in zip(problem.codes, problem.notes)]


def _schema_task(place: str, problem: SchemaProblem) -> Task:
    task = Task(name=_task_name(place), place=place, could_not_run=True)
    _fail_with_schema(task, problem)
    return task


def _fail_with_schema(task: Task, problem: SchemaProblem) -> None:
    from collections import Counter

    task.errors = _schema_errors(problem)
    task.error_count = len(task.errors)
    task.counts_by_type = dict(Counter(e["type"] for e in task.errors))
    task.could_not_run = True


def _place(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return "<bytes>"


def _is_package(source: Any) -> bool:
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        base = text.split("?", 1)[0].rstrip("/")
        return base.endswith("datapackage.json") or base.endswith("datapackage.yaml")
    return False


def resolve_schema(schema: Any):
    """A TableSchema from a path, URL, dict or catalogue reference."""
    if isinstance(schema, (TableSchema, dict)):
        return load_table_schema(schema)
    text = os.fspath(schema)
    if is_url(text) or os.path.exists(text) or text.endswith(".json"):
        if os.path.isfile(text) or is_url(text):
            descriptor = read_json(text, "schema")
            if isinstance(descriptor, dict) and "resources" in descriptor and "fields" not in descriptor:
                return {"__package__": True, "descriptor": descriptor, "base": os.path.dirname(text)}
        return load_table_schema(text)
    from .schema import catalogue

    return catalogue.resolve(text)


def _failed_task(place: str, code: str, note: str, *, schema: bool = False) -> Task:
    task = Task(name=_task_name(place), place=place, could_not_run=True)
    task.errors = [enrich({"type": code, "note": note})]
    task.error_count = 1
    task.counts_by_type = {code: 1}
    return task


def _task_name(place: str) -> str:
    base = os.path.basename(place.split("?", 1)[0].rstrip("/")) or place
    return os.path.splitext(base)[0]


def validate_one(source: Any, schema: Optional[TableSchema], *, limit_errors: int = DEFAULT_LIMIT_ERRORS,
                 format: Optional[str] = None, encoding: Optional[str] = None,
                 delimiter: Optional[str] = None, sheet: Any = None, name: str = "",
                 lookup: Optional[dict] = None, resource_name: str = "",
                 progress: Optional[Callable[[int], None]] = None,
                 related: Optional[dict] = None) -> Task:
    started = time.perf_counter()
    place = _place(source)
    task = Task(name=name or _task_name(place), place=place)
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
        describer = _ErrorDescriber(schema)
        outcome = engine.validate_table(table, schema, limit_errors=limit_errors, lookup=lookup,
                                        resource_name=resource_name, on_batch=progress,
                                        related=related, on_errors=describer.catch_up)
        _fill(task, outcome, describer)
        _dialect_warnings(task, table)
    except SourceProblem as problem:
        task.errors = [enrich({"type": problem.code, "note": problem.note})]
        task.error_count, task.counts_by_type, task.could_not_run = 1, {problem.code: 1}, True
    except SchemaProblem as problem:
        _fail_with_schema(task, problem)
    except MemoryError:
        task.errors = [enrich({"type": "source-error", "note": "out of memory while reading the source"})]
        task.error_count, task.counts_by_type, task.could_not_run = 1, {"source-error": 1}, True
    except Exception as error:  # a bug must cost one file's verdict, never the whole run
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        note = f"{type(error).__name__}: {error}"
        task.errors = [enrich({"type": "internal-error", "note": note})]
        task.error_count, task.counts_by_type, task.could_not_run = 1, {"internal-error": 1}, True
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


class _ErrorDescriber:
    """Adds messages and hints to listed errors as they come: the engine calls
    ``catch_up`` after each batch, while the next one is being checked, so the
    1,000 errors of a broken file are not all described at the end of the run."""

    def __init__(self, schema: TableSchema) -> None:
        self.by_name = {f.name: f.descriptor for f in schema.fields}
        self.errors: Optional[list] = None
        self.done = 0

    def catch_up(self, errors: list) -> None:
        if errors is not self.errors:  # a restart on the exact reader lists errors anew
            self.errors, self.done = errors, 0
        for error in errors[self.done:]:
            if error.get("type") == "type-error":
                hint = specific_hint(error, self.by_name.get(error.get("fieldName"), {}))
                if hint:
                    error["hint_fr"], error["hint_en"] = hint
            enrich(error)
        self.done = len(errors)


def _fill(task: Task, outcome: engine.TableOutcome, describer: _ErrorDescriber) -> None:
    findings = outcome.findings
    describer.catch_up(findings.errors)
    task.errors = findings.errors
    task.error_count = findings.total
    for warning in findings.warnings:
        task.warnings.append(enrich(warning))
    task.counts_by_type = dict(findings.by_type)
    task.counts_by_field = dict(findings.by_field)
    task.rows = outcome.rows
    task.labels = outcome.labels
    if findings.truncated:
        task.warnings.append(_warning("error-limit-warning", str(findings.limit)))


def _warning(code: str, note: str) -> dict:
    return enrich({"type": code, "note": note, "severity": "warning"})


def _dialect_warnings(task: Task, table: Table) -> None:
    parts_en, parts_fr = [], []
    for kind, value in table.dialect_notes:
        if kind == "encoding":
            parts_en.append(f"the {value} encoding (not UTF-8)")
            parts_fr.append(f"l'encodage {value} (et non UTF-8)")
        elif kind == "bom":
            parts_en.append("a UTF-8 byte order mark")
            parts_fr.append("une marque d'ordre des octets UTF-8 (BOM)")
        elif kind == "delimiter":
            shown = {"\t": "tab", ";": "semicolon ;", "|": "pipe |"}.get(value, value)
            shown_fr = {"\t": "la tabulation", ";": "le point-virgule ;", "|": "la barre verticale |"}.get(value, value)
            parts_en.append(f"the delimiter {shown}")
            parts_fr.append(f"le séparateur {shown_fr}")
    if parts_en:
        warning = _warning("dialect-warning", " and ".join(parts_en))
        warning["message_fr"] = f"Le fichier a été lu avec {' et '.join(parts_fr)}."
        task.warnings.append(warning)


# --- Data Packages ---------------------------------------------------------

def _validate_package(source: Any, *, limit_errors: int, progress=None, profile: Optional[dict] = None) -> list:
    place = _place(source)
    try:
        descriptor = read_json(place, "data package")
    except SchemaProblem as problem:
        return [_schema_task(place, problem)]
    except SourceProblem as problem:
        return [_failed_task(place, problem.code, problem.note)]
    base = place.rsplit("/", 1)[0] if is_url(place) else os.path.dirname(place)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return [_failed_task(place, "schema-error", f"{place}: a data package needs a non-empty 'resources' list")]
    schemas: dict = {}
    tasks = []
    prepared = []
    for number, resource in enumerate(resources):
        name = resource.get("name") or f"resource{number + 1}"
        try:
            schema = _resource_schema(resource, base, profile, name)
        except SchemaProblem as problem:
            tasks.append(_schema_task(name, problem))
            continue
        except SourceProblem as problem:
            tasks.append(_failed_task(name, problem.code, problem.note))
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
        task = validate_one(location, schema, limit_errors=limit_errors, name=name, lookup=lookup,
                            resource_name=name, related=related, format=resource.get("format"),
                            encoding=resource.get("encoding"),
                            delimiter=(resource.get("dialect") or {}).get("delimiter")
                            if isinstance(resource.get("dialect"), dict) else None,
                            progress=progress)
        if missing_reference:
            task.errors.insert(0, enrich({"type": "schema-error",
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


def _resource_schema(resource: dict, base: str, profile: Optional[dict], name: str) -> Optional[TableSchema]:
    if profile:
        for candidate in profile["descriptor"].get("resources", []):
            if candidate.get("name") == name and candidate.get("schema") is not None:
                return load_table_schema(candidate["schema"], base=profile["base"])
        raise SchemaProblem(name, [f"the schema's package has no resource named {name!r}"])
    schema = resource.get("schema")
    if schema is None:
        return None
    if isinstance(schema, dict) or (isinstance(schema, str) and not is_url(schema) and not os.path.isabs(schema)):
        return load_table_schema(schema, base=base)
    return load_table_schema(schema)
