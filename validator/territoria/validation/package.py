"""Data Packages: the tables of a package validated together, foreign keys and cross-file rules included.

Two ways in. A ``datapackage.json`` (:func:`validate_package`) names its
resources and their schemas. Or a publisher gives the files of a use case with
its schema (``territoria validate lights.csv cabinets.csv --schema
street-lighting``): :func:`validate_files` matches each file to a table of the
schema (by its name, else by its header) and validates them as one package. A
table the schema knows but that was not given is then said in a warning, never
an error: publishing two of three tables is legitimate.

As frictionless, a declared package whose resource schemas break the
specification is not validated at all (its first problem is the report's own
error), and a foreign key to a resource the package lacks is a
``resource-error`` of that resource, which is then not checked.
"""
from __future__ import annotations

import os
from typing import Any, Optional

from .. import engine, rules
from ..columnar.keys import KeySet
from ..readers import SourceProblem, Table, trust
from ..readers.open import detect_format, is_url, localise, open_table
from ..report import Report, Task
from ..schema import SchemaProblem, TableSchema, declares_version_2, read_json
from ..schema.profile import SchemaProfile
from . import sheets
from .table import place_of, schema_errors, schema_task, validate_file, validate_with_profile

#: share of a table's fields a file's header must hold to be matched to it by its header
HEADER_MATCH = 0.5


def validate_package(source: Any, profile: Optional[SchemaProfile] = None, *, limit_errors: int,
                     progress=None) -> Report:
    """Every resource of the package at ``source``, against the schema each declares, or against
    the table of ``profile`` of the same name."""
    place = place_of(source)
    try:
        descriptor = read_json(place, "data package")
    except SchemaProblem as problem:
        return Report(tasks=[schema_task(place, problem)])
    except SourceProblem as problem:
        return Report(tasks=[Task.failed(place, problem.code, problem.note)])
    base = place.rsplit("/", 1)[0] if is_url(place) else os.path.dirname(place)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return Report(tasks=[Task.failed(place, "schema-error", f"{place}: a data package needs a non-empty 'resources' list")])
    return validate_descriptor(descriptor, base, profile, limit_errors=limit_errors, progress=progress)


def validate_files(sources: list, profile: Optional[SchemaProfile], *, limit_errors: int, progress=None,
                   **options) -> Report:
    """Files given together: each matched to a table of ``profile`` and validated as one package.

    A file no table matches, or a second file for an already matched table, is
    validated alone against the profile (which then says what is wrong). Under
    ``sheet="all"`` each sheet of a workbook is one of the files (matched by the
    sheet's name, then by its header).
    """
    given, cleanup = sheets.entries(sources, options.get("sheet"))
    if sheets.wants_all(options.get("sheet")):
        options = dict(options, sheet=None)
    try:
        return _validate_entries(given, profile, limit_errors=limit_errors, progress=progress, **options)
    finally:
        cleanup()


def _validate_entries(given: list, profile: Optional[SchemaProfile], *, limit_errors: int, progress,
                      **options) -> Report:
    def alone(entry: sheets.Entry) -> Task:
        return validate_with_profile(entry.path, profile, dict(
            options, limit_errors=limit_errors, name=entry.sheet or "", progress=progress,
            sheet=entry.sheet or options.get("sheet")))

    notices: list = []
    if profile is not None:
        given, notices = sheets.set_aside(given, _field_names(profile))
    if profile is None or profile.lone:
        report = Report(tasks=[alone(entry) for entry in given])
    else:
        matched, unmatched = match_files(given, profile)
        resources = []
        for name, entry in matched.items():
            declared = next(r for r in profile.resources if (r.get("name") or "") == name)
            path = entry.path
            resources.append({"name": name, "path": os.path.abspath(path) if not is_url(path) else path,
                              "schema": declared.get("schema"),
                              **({"dialect": {"sheet": entry.sheet}} if entry.sheet else {})})
        report = Report()
        if resources:
            report = validate_descriptor({"name": profile.name, "resources": resources}, None, profile,
                                         limit_errors=limit_errors, progress=progress, given=set(matched),
                                         **options)
        report.tasks += [alone(entry) for entry in unmatched]
    places = {}
    for number, entry in enumerate(given):
        if isinstance(entry.path, str):
            places[os.path.abspath(entry.path) if not is_url(entry.path) else entry.path] = entry.place
            places[entry.path] = entry.place
    for task in report.tasks:  # each place as the user wrote it
        task.place = places.get(task.place, task.place)
    order = {(entry.place, entry.sheet): number for number, entry in enumerate(given)}
    report.tasks.sort(key=lambda task: order.get((task.place, task.sheet or None), len(order)))
    for entry in notices:  # said on the first task of the same workbook
        task = next((t for t in report.tasks if t.place == entry.place), None)
        if task is not None:
            task.warnings.append(sheets.notice_warning(entry))
    return report


def _field_names(profile: SchemaProfile) -> set:
    names: set = set()
    for name in profile.names or [None]:
        try:
            names |= set(profile.table(name).field_names)
        except (SchemaProblem, SourceProblem):
            continue
    return names


def match_files(given: list, profile: SchemaProfile) -> tuple:
    """``({table: entry}, [entries left alone])``: by the name a file (or sheet) shows first, then by
    its header (the table holding most of its labels, at least ``HEADER_MATCH`` of the table's fields)."""
    matched: dict = {}
    unmatched = []
    for entry in given:
        table = profile.match([entry.shown])
        if table and table not in matched:
            matched[table] = entry
        else:
            unmatched.append(entry)
    alone = []
    for entry in unmatched:
        table = _match_by_header(entry, profile, set(matched))
        if table:
            matched[table] = entry
        else:
            alone.append(entry)
    return matched, alone


def _match_by_header(entry: sheets.Entry, profile: SchemaProfile, taken: set) -> Optional[str]:
    source = entry.path
    if not isinstance(source, str) or is_url(source) or not os.path.isfile(source):
        return None  # a URL is matched by its name only (its header would cost a download)
    try:
        labels = set(open_table(source, detect_format(source, source), sheet=entry.sheet).labels)
    except (SourceProblem, OSError, ValueError):
        return None
    best, best_share = None, 0.0
    for name in profile.names:
        if name in taken:
            continue
        try:
            fields = profile.table(name).field_names
        except SchemaProblem:
            continue
        share = len(labels & set(fields)) / max(len(fields), 1)
        if share > best_share:
            best, best_share = name, share
    return best if best_share >= HEADER_MATCH else None


def validate_descriptor(descriptor: dict, base: Optional[str], profile: Optional[SchemaProfile] = None, *,
                        limit_errors: int, progress=None, given: Optional[set] = None, **options) -> Report:
    """The resources of a package descriptor, validated together.

    ``base``: the descriptor's folder or URL, against which (and inside which,
    see ``readers.trust``) its paths are resolved. ``given``: the package was
    assembled from files the user gave (its paths are hers, never restricted);
    a foreign key or a cross-file rule towards a table of ``profile`` that was
    not given is a warning (the table "was not given"), not an error.
    """
    paths_base = None if given is not None else base
    version_2 = declares_version_2(descriptor)
    schemas: dict = {}
    tasks = []
    prepared = []
    for number, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            tasks.append(Task.failed(f"resource{number + 1}", "schema-error",
                                     f"resources/{number} is not an object"))
            continue
        name = resource.get("name") if isinstance(resource.get("name"), str) and resource.get("name") \
            else f"resource{number + 1}"
        try:
            schema = _resource_schema(resource, base, profile, name, version_2)
        except SchemaProblem as problem:
            first = schema_errors(problem)[0]
            return Report(errors=[rules.describe(dict(first, note=f"{name}: {first['note']}"))])
        except SourceProblem as problem:
            tasks.append(Task.failed(name, problem.code, problem.note))
            continue
        schemas[name] = schema
        prepared.append((name, resource, schema))
    by_name = {name: resource for name, resource, _ in prepared}
    absent = set(profile.names) - set(by_name) if given is not None and profile is not None else set()
    for name, resource, schema in prepared:
        foreign_keys = schema.foreign_keys if schema else []
        missing = [fk["reference"]["resource"] for fk in foreign_keys
                   if fk["reference"]["resource"] and fk["reference"]["resource"] not in by_name
                   and fk["reference"]["resource"] not in absent]
        if missing:  # frictionless: one resource-error, and the resource is not checked
            tasks.append(Task.failed(_place_or(resource, paths_base, name), "resource-error",
                                     f'failed to handle a foreign key for resource "{name}" as resource '
                                     f'"{missing[0]}" does not exist', name=name))
            continue
        lookup: dict = {}
        try:  # the referenced keys, in memory or (past their budget) in files removed at the end
            task = _validate_resource(name, resource, schema, lookup, by_name, schemas, paths_base, absent,
                                      limit_errors, progress, options)
        finally:
            for keys in lookup.values():
                keys.close()
        tasks.append(task)
    return Report(tasks=tasks)


def _validate_resource(name: str, resource: dict, schema: Optional[TableSchema], lookup: dict, by_name: dict,
                       schemas: dict, paths_base: Optional[str], absent: set, limit_errors: int, progress,
                       options: dict) -> Task:
    """One resource of a package: the keys its foreign keys reference read into ``lookup``
    (closed by the caller), then the resource validated against them."""
    foreign_keys, not_given = schema.foreign_keys if schema else [], []
    wanted = {(fk["reference"]["resource"] or name, tuple(fk["reference"]["fields"])) for fk in foreign_keys}
    budget = engine.lookup_budget(schema, len({key for key in wanted if key[0] not in absent})) if schema else None
    for fk in foreign_keys:
        target = fk["reference"]["resource"] or name
        key = (target, tuple(fk["reference"]["fields"]))
        if target in absent:
            not_given.append(fk)
            continue
        if key in lookup:
            continue
        lookup[key] = seen = KeySet(budget)
        try:
            with _open_resource(by_name[target], paths_base) as table:
                engine.collect_keys(table, schemas[target], list(key[1]), seen)
        except (SourceProblem, SchemaProblem, OSError):
            pass  # the referenced resource's own task reports why it cannot be read
    related = _related_columns(schema, by_name, schemas, paths_base, absent)
    try:
        location, fmt = _resource_source(resource, paths_base, name)
    except SourceProblem as problem:
        return Task.failed(name, problem.code, problem.note, name=name)
    dialect = _dialect(resource)
    task = validate_file(location, schema, limit_errors=limit_errors, name=name, lookup=lookup,
                         resource_name=name, related=related,
                         format=_text(fmt) or options.get("format"),
                         encoding=_text(resource.get("encoding")) or options.get("encoding"),
                         delimiter=_text(dialect.get("delimiter")) or options.get("delimiter"),
                         sheet=_sheet(dialect) or options.get("sheet"), progress=progress)
    for fk in not_given:
        task.warnings.append(rules.describe({"type": "foreign-key-warning", "severity": "warning",
                                             "note": _foreign_key_shown(fk)}))
    return task


def _foreign_key_shown(fk: dict) -> str:
    reference = fk["reference"]
    return f"({', '.join(fk['fields'])} → {reference['resource']}.{', '.join(reference['fields'])})"


def _place_or(resource: dict, base: Optional[str], name: str) -> str:
    try:
        location, _ = _resource_source(resource, base, name)
    except SourceProblem:
        return name
    return location if isinstance(location, str) else name


def _related_columns(schema: Optional[TableSchema], by_name: dict, schemas: dict, base: str,
                     absent: set = frozenset()) -> dict:
    """The columns of other resources that the table's cross-file checks need.

    ``{resource: {field: typed pyarrow array}}``, or a reason string (``"unreadable"``,
    ``"no-schema"``, ``"not-given"``) when the resource cannot serve; a resource the
    package lacks is left out (``checks.cross_file.connect`` says so in a warning).
    """
    if schema is None:
        return {}
    import pyarrow as pa

    from ..checks.cross_file import needed_columns

    related: dict = {}
    for target, names in needed_columns(schema).items():
        if target in absent:
            related[target] = "not-given"
            continue
        if target not in by_name:
            continue
        if schemas.get(target) is None:
            related[target] = "unreadable" if target not in schemas else "no-schema"
            continue
        try:
            with _open_resource(by_name[target], base) as table:
                related[target] = engine.collect_columns(table, schemas[target], names)
        except (SourceProblem, SchemaProblem, pa.ArrowException, OSError):
            related[target] = "unreadable"  # the resource's own task reports why
    return related


def _dialect(resource: dict) -> dict:
    return resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}


def _sheet(dialect: dict) -> Any:
    """The sheet a resource's dialect names: ``{"sheet": ...}`` (Data Package v1, our own
    assembled packages) or frictionless v5's ``{"excel": {"sheet": ...}}`` / ``{"ods": ...}``."""
    for control in (dialect, dialect.get("excel"), dialect.get("ods")):
        if isinstance(control, dict) and isinstance(control.get("sheet"), (str, int)) \
                and not isinstance(control.get("sheet"), bool):
            return control["sheet"]
    return None


def _text(value: Any) -> Optional[str]:
    """A descriptor's string option, or None when it is anything else."""
    return value if isinstance(value, str) and value else None


def _resource_source(resource: dict, base: Optional[str], name: str) -> tuple:
    """``(location or bytes, format)``: the resource's path, checked against the package's folder
    (:mod:`~territoria.readers.trust`), or its inline ``data`` as JSON bytes."""
    data = resource.get("data")
    if data is not None and resource.get("path") is None:
        if not isinstance(data, list) or not data:
            raise SourceProblem("source-error", f"resource {name!r}: inline data must be a non-empty list of rows")
        import json

        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8"), "json"
    path = resource.get("path")
    if isinstance(path, list):
        path = path[0] if path else None
    if not isinstance(path, str) or not path:
        raise SourceProblem("source-error", f"resource {name!r} has no path")
    return trust.resolve(path, base, f"resource {name!r}"), resource.get("format")


class _open_resource:
    """A referenced resource's table, opened for a foreign-key or cross-file read, and its
    download or temp file removed when the read is done (``with _open_resource(...) as table``)."""

    def __init__(self, resource: dict, base: Optional[str]):
        self.resource, self.base, self.local = resource, base, None

    def __enter__(self) -> Table:
        resource = self.resource
        location, fmt = _resource_source(resource, self.base, str(resource.get("name") or ""))
        self.local = localise(location, name_hint="inline.json" if isinstance(location, bytes) else "")
        try:
            dialect = _dialect(resource)
            delimiter = _text(dialect.get("delimiter"))
            return open_table(self.local.path, detect_format(self.local.path, self.local.place, _text(fmt)),
                              dialect={"delimiter": delimiter} if delimiter else None,
                              encoding=_text(resource.get("encoding")), sheet=_sheet(dialect))
        except BaseException:
            self.local.cleanup()
            raise

    def __exit__(self, *exc) -> None:
        if self.local is not None:
            self.local.cleanup()


def _resource_schema(resource: dict, base: str, profile: Optional[SchemaProfile], name: str,
                     version_2: bool) -> Optional[TableSchema]:
    if profile is not None:
        if not profile.lone and name not in profile.names:
            raise SchemaProblem(name, [f"the schema's package has no resource named {name!r}"])
        return profile.table(name)
    schema = resource.get("schema")
    if schema is None:
        return None
    from ..schema import load_table_schema

    if isinstance(schema, dict):
        return load_table_schema(schema, base=base, version_2=version_2)
    if not isinstance(schema, str):
        raise SchemaProblem(name, ["a resource's schema must be a path, a URL or an object"])
    return load_table_schema(trust.resolve(schema, base, f"resource {name!r}: schema"), version_2=version_2)
