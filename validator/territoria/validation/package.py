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
import urllib.parse
from typing import Any, Optional

from .. import engine, rules
from ..columnar.keys import SeenKeys
from ..readers import SourceProblem, Table, trust
from ..readers.open import detect_format, is_url, localise, open_table
from ..report import Report, Task
from ..schema import SchemaProblem, TableSchema, declares_version_2, read_json
from ..schema.profile import SchemaProfile
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
    validated alone against the profile (which then says what is wrong).
    """
    if profile is None or profile.lone:
        return Report.combine([Report(tasks=[validate_with_profile(s, profile, dict(
            options, limit_errors=limit_errors, name="", progress=progress))]) for s in sources])
    matched, alone = match_files(sources, profile)
    resources = []
    for name, source in matched.items():
        declared = next(r for r in profile.resources if (r.get("name") or "") == name)
        resources.append({"name": name, "path": os.path.abspath(source) if not is_url(source) else source,
                          "schema": declared.get("schema")})
    report = Report()
    if resources:
        report = validate_descriptor({"name": profile.name, "resources": resources}, None, profile,
                                     limit_errors=limit_errors, progress=progress, given=set(matched),
                                     **options)
    for source in alone:
        report.tasks.append(validate_with_profile(source, profile, dict(
            options, limit_errors=limit_errors, name="", progress=progress)))
    given = {os.path.abspath(s) if not is_url(s) else s: s for s in sources}
    order = {s: n for n, s in enumerate(sources)}
    for task in report.tasks:  # each place as the user wrote it
        task.place = given.get(task.place, task.place)
    report.tasks.sort(key=lambda t: order.get(t.place, len(order)))
    return report


def match_files(sources: list, profile: SchemaProfile) -> tuple:
    """``({table: source}, [sources left alone])``: by the file's name first, then by its header
    (the table holding most of the file's labels, at least ``HEADER_MATCH`` of the table's fields)."""
    matched: dict = {}
    unmatched = []
    for source in sources:
        table = profile.match([_file_name(source)])
        if table and table not in matched:
            matched[table] = source
        else:
            unmatched.append(source)
    alone = []
    for source in unmatched:
        table = _match_by_header(source, profile, set(matched))
        if table:
            matched[table] = source
        else:
            alone.append(source)
    return matched, alone


def _file_name(source: str) -> str:
    """The name a file shows (its folders may name other tables: ``invalid-duplicate-channel/site.csv``)."""
    path = urllib.parse.urlsplit(source).path if is_url(source) else source
    return os.path.basename(path.rstrip("/"))


def _match_by_header(source: str, profile: SchemaProfile, taken: set) -> Optional[str]:
    if is_url(source) or not os.path.isfile(source):
        return None  # a URL is matched by its name only (its header would cost a download)
    try:
        labels = set(open_table(source, detect_format(source, source)).labels)
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
        lookup, not_given = {}, []
        for fk in foreign_keys:
            target = fk["reference"]["resource"] or name
            key = (target, tuple(fk["reference"]["fields"]))
            if target in absent:
                not_given.append(fk)
                continue
            if key in lookup:
                continue
            seen = SeenKeys()
            try:
                with _open_resource(by_name[target], paths_base) as table:
                    engine.collect_keys(table, schemas[target], list(key[1]), seen)
            except (SourceProblem, SchemaProblem, OSError):
                pass  # the referenced resource's own task reports why it cannot be read
            lookup[key] = seen
        related = _related_columns(schema, by_name, schemas, paths_base, absent)
        try:
            location, fmt = _resource_source(resource, paths_base, name)
        except SourceProblem as problem:
            tasks.append(Task.failed(name, problem.code, problem.note, name=name))
            continue
        dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
        task = validate_file(location, schema, limit_errors=limit_errors, name=name, lookup=lookup,
                             resource_name=name, related=related,
                             format=_text(fmt) or options.get("format"),
                             encoding=_text(resource.get("encoding")) or options.get("encoding"),
                             delimiter=_text(dialect.get("delimiter")) or options.get("delimiter"),
                             sheet=options.get("sheet"), progress=progress)
        for fk in not_given:
            task.warnings.append(rules.describe({"type": "foreign-key-warning", "severity": "warning",
                                                 "note": _foreign_key_shown(fk)}))
        tasks.append(task)
    return Report(tasks=tasks)


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
            dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
            delimiter = _text(dialect.get("delimiter"))
            return open_table(self.local.path, detect_format(self.local.path, self.local.place, _text(fmt)),
                              dialect={"delimiter": delimiter} if delimiter else None,
                              encoding=_text(resource.get("encoding")))
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
