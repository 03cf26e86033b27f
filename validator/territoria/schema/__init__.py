"""Loading Table Schema and Data Package descriptors, and checking them.

Why check first: a schema that breaks the specification would make every data
error meaningless, so descriptors are checked against the Table Schema
metaschema (with jsonschema) and a few structural rules (primary and foreign
keys name existing fields, patterns compile) before any row is read.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..fields import FieldSpec


class SchemaProblem(Exception):
    """The schema (or package) descriptor cannot be used; ``notes`` lists why.

    ``codes`` gives, for each note, the frictionless error type it matches:
    ``field-error`` for a problem of one field, ``schema-error`` otherwise.
    """

    def __init__(self, where: str, notes: list, codes: Optional[list] = None):
        self.where = where
        self.notes = notes
        self.codes = codes or ["schema-error"] * len(notes)
        super().__init__((f"{where}: " if where else "") + "; ".join(notes))


@dataclass
class TableSchema:
    descriptor: dict
    fields: list  # list[FieldSpec]
    missing_values: list
    primary_key: list
    foreign_keys: list  # [{"fields": [...], "reference": {"resource": str, "fields": [...]}}]
    unique_fields: list = field(default_factory=list)
    base: Optional[str] = None  # folder or URL the schema was read from (for files it names)

    @property
    def field_names(self) -> list:
        return [f.name for f in self.fields]


def as_list(value: Any) -> list:
    """A Table Schema "field name or list of names" value as a list (anything else: empty)."""
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, (list, tuple)) else []


#: the largest descriptor read (a schema with a 1M-value enum is about 12 MB)
MAX_DESCRIPTOR_BYTES = 64 << 20


def read_json(location: str, what: str) -> Any:
    """Read a JSON descriptor from a path or URL, with a one-line error.

    Only a regular file is opened (a FIFO would block the run for ever), at most
    ``MAX_DESCRIPTOR_BYTES`` of it; a document nested too deeply for the parser
    is refused rather than crashing it.
    """
    if re.match(r"^https?://", location):
        from ..readers.remote import fetch_bytes

        data = fetch_bytes(location, max_bytes=MAX_DESCRIPTOR_BYTES)
    else:
        import stat

        try:
            info = os.stat(location)
        except OSError:
            raise SchemaProblem(location, [f"{what} not found"])
        if stat.S_ISDIR(info.st_mode):
            raise SchemaProblem(location, [f"{what} is a directory, not a JSON file"])
        if not stat.S_ISREG(info.st_mode):
            raise SchemaProblem(location, [f"{what} is not a regular file (a pipe or a device), not read"])
        if info.st_size > MAX_DESCRIPTOR_BYTES:
            raise SchemaProblem(location, [f"{what} is larger than {MAX_DESCRIPTOR_BYTES} bytes"])
        try:
            with open(location, "rb") as handle:
                data = handle.read(MAX_DESCRIPTOR_BYTES + 1)
        except OSError as error:
            raise SchemaProblem(location, [f"{what} cannot be read ({error.strerror or error})"])
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SchemaProblem(location, [f"{what} is not UTF-8 text"])
    except json.JSONDecodeError as error:
        raise SchemaProblem(location, [f"{what} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"])
    except RecursionError:
        raise SchemaProblem(location, [f"{what} is nested too deeply to be read"])


_metaschema_validator = None


def metaschema_problems(descriptor: Any) -> list:
    """Every way the descriptor breaks the Table Schema specification (notes only)."""
    return [note for _, note in schema_problems(descriptor)]


def schema_problems(descriptor: Any, version_2: Optional[bool] = None) -> list:
    """Every way the descriptor breaks the specification, as (error type, note) pairs.

    Beyond the metaschema, the rules frictionless v5 enforces on a field (a
    constraint its type does not support, an example its type cannot read,
    ``required`` outside ``constraints``, exclusive bounds without a v2
    ``$schema``) are field errors, so both tools refuse the same schemas.
    ``version_2``: whether v2 properties are allowed, when the descriptor's own
    ``$schema`` does not decide (a table of a package: the package's does).
    """
    if not isinstance(descriptor, dict):
        return [("schema-error", "a Table Schema must be a JSON object")]
    from .verdict_cache import known_valid, remember_valid, verdict_key

    try:
        missing = _missing_extras(descriptor)  # outside the cache: an extra may be uninstalled since
        key = verdict_key(descriptor if version_2 is None else {"table": descriptor, "version_2": version_2})
        if known_valid(key):
            return missing
        problems = _problems(descriptor, version_2)
    except RecursionError:
        return [("schema-error", "the descriptor is nested too deeply to be checked")]
    if not problems:
        remember_valid(key)
    return problems + missing


def _missing_extras(descriptor: dict) -> list:
    """Field errors for formats that need an optional extra which is not installed."""
    fields = descriptor.get("fields") if isinstance(descriptor.get("fields"), list) else []
    uses_wkt = any(isinstance(f, dict) and f.get("type", "string") in ("string", None) and f.get("format") == "wkt"
                   for f in fields)
    if not uses_wkt:
        return []
    from ..fields import wkt

    if wkt.available():
        return []
    return [("field-error", f"fields/{number}: format \"wkt\" needs an optional package: {wkt.INSTALL_HINT}")
            for number, f in enumerate(fields)
            if isinstance(f, dict) and f.get("type", "string") in ("string", None) and f.get("format") == "wkt"]


def _problems(descriptor: dict, version_2: Optional[bool] = None) -> list:
    global _metaschema_validator
    if _metaschema_validator is None:
        import jsonschema

        path = os.path.join(os.path.dirname(__file__), "profiles", "table-schema.json")
        with open(path, encoding="utf-8") as handle:
            _metaschema_validator = jsonschema.Draft7Validator(json.load(handle))
    problems = []
    for error in sorted(_metaschema_validator.iter_errors(descriptor), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        where = "/".join(str(p) for p in path) or "(root)"
        code = "field-error" if len(path) >= 2 and path[0] == "fields" else "schema-error"
        problems.append((code, f"{where}: {error.message}"))
    fields = descriptor.get("fields") if isinstance(descriptor.get("fields"), list) else []
    names = [f.get("name") for f in fields if isinstance(f, dict)]
    if len(set(names)) != len(names):
        problems.append(("schema-error", "fields: the names of the fields are not unique"))
    for key in as_list(descriptor.get("primaryKey")):
        if key not in names:
            problems.append(("schema-error", f"primaryKey: field {key!r} does not exist"))
    foreign_keys = descriptor.get("foreignKeys")
    for number, fk in enumerate(foreign_keys if isinstance(foreign_keys, list) else []):
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            continue
        source = as_list(fk.get("fields"))
        for key in source:
            if key not in names:
                problems.append(("schema-error", f"foreignKeys/{number}/fields: field {key!r} does not exist"))
        if len(source) != len(as_list(fk["reference"].get("fields"))):
            problems.append(("schema-error", f"foreignKeys/{number}: fields and reference fields differ in number"))
    for number, field_descriptor in enumerate(fields):
        constraints = field_descriptor.get("constraints") if isinstance(field_descriptor, dict) else None
        pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as error:
                problems.append(("field-error", f"fields/{number}/constraints/pattern: invalid regular expression: {error}"))
    if version_2 is None:
        version_2 = declares_version_2(descriptor)
    for number, field_descriptor in enumerate(fields):
        if isinstance(field_descriptor, dict):
            problems.extend(("field-error", f"fields/{number}: {note}")
                            for note in _field_rule_problems(field_descriptor, version_2))
    return problems


_SUPPORTED_CONSTRAINTS = {
    "string": {"required", "minLength", "maxLength", "pattern", "enum"},
    "number": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "integer": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "date": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "time": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "datetime": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "year": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "yearmonth": {"required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"},
    "boolean": {"required", "enum"},
    "object": {"required", "minLength", "maxLength", "enum"},
    "array": {"required", "minLength", "maxLength", "enum"},
    "list": {"required", "minLength", "maxLength", "enum"},
    "duration": {"required", "enum"},
    "geopoint": {"required", "enum"},
    "geojson": {"required", "enum"},
    "any": {"required", "enum"},
}


def declares_version_2(descriptor: dict) -> bool:
    """Whether a descriptor's ``$schema`` names a v2 profile (Table Schema or Data Package)."""
    return any(marker in str(descriptor.get("$schema", "")) for marker in ("2.0", "/v2"))


def constraint_problems(descriptor: dict) -> list:
    """What is wrong with a field's constraints (unsupported by its type, a bound it cannot read):
    the rules a ``constraint-if`` check's constraints obey as a field's own do."""
    kept = {k: v for k, v in descriptor.items() if k not in ("example", "required")}
    return _field_rule_problems(kept, True)


def _field_rule_problems(descriptor: dict, version_2: bool) -> list:
    """frictionless's field rules beyond the metaschema (see ``Field.metadata_validate``)."""
    problems = []
    field_type = descriptor.get("type", "string") or "string"
    constraints = descriptor.get("constraints") if isinstance(descriptor.get("constraints"), dict) else {}
    supported = _SUPPORTED_CONSTRAINTS.get(field_type)
    if supported is None:
        return problems  # an unknown type is already a metaschema error
    for name in constraints:
        if name not in supported | {"unique"}:
            problems.append(f'constraint "{name}" is not supported by type "{field_type}"')
    if not version_2:
        for name in ("exclusiveMinimum", "exclusiveMaximum"):
            if name in constraints:
                problems.append(f'constraint "{name}" requires Table Schema v2 (declare "$schema")')
    for name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = constraints.get(name)
        if name in supported and bound is not None and not _example_reads(descriptor, field_type, bound):
            what = "a number" if field_type in ("number", "integer", "year") else f"a valid {field_type}"
            problems.append(f'constraint "{name}" is "{bound}": the bound is not {what}')
    example = descriptor.get("example")
    if example and not _example_reads(descriptor, field_type, example):
        problems.append(f'example value "{example}" for field "{descriptor.get("name")}" is not valid')
    if "required" in descriptor:
        problems.append('"required" should be set as "constraints.required"')
    return problems


def _example_reads(descriptor: dict, field_type: str, example: Any) -> bool:
    """Whether the field's type (and format, true/false values) can read the example."""
    from ..columnar.arrow import strings
    from ..fields import FieldSpec, check_field

    kept = {"name": descriptor.get("name", ""), "type": field_type, "format": descriptor.get("format", "default")}
    if field_type == "boolean":
        for key in ("trueValues", "falseValues"):
            if key in descriptor:
                kept[key] = descriptor[key]
    text = example if isinstance(example, str) else json.dumps(example)
    try:
        return not bool(check_field(FieldSpec.from_descriptor(kept), strings([text])).type_error[0])
    except Exception:
        return False


def load_table_schema(source: Any, base: Optional[str] = None, version_2: Optional[bool] = None) -> TableSchema:
    """A TableSchema from a dict, a path or a URL (relative to ``base`` if given); ``version_2`` as in
    :func:`schema_problems`."""
    where = "schema"
    if isinstance(source, TableSchema):
        return source
    if isinstance(source, (str, os.PathLike)):
        location = str(source)
        if base and not re.match(r"^https?://", location) and not os.path.isabs(location):
            location = os.path.join(base, location)  # callers with untrusted bases check it first (trust)
        where = location
        descriptor = read_json(location, "schema")
        if re.match(r"^https?://", location):
            base = location.split("?", 1)[0].rsplit("/", 1)[0]
        else:
            base = os.path.dirname(os.path.abspath(location))
    elif isinstance(source, dict):
        descriptor = source  # keeps the ``base`` it was given (its package's folder)
        where = ""  # no place of its own: the caller names it (a resource, the command line)
    else:
        raise SchemaProblem(where, [f"unsupported schema source {type(source).__name__}"])
    problems = schema_problems(descriptor, version_2)
    if problems:
        raise SchemaProblem(where, [note for _, note in problems], [code for code, _ in problems])
    schema = table_schema_from_descriptor(descriptor)
    schema.base = base
    return schema


def table_schema_from_descriptor(descriptor: dict) -> TableSchema:
    fields = [FieldSpec.from_descriptor(f) for f in descriptor["fields"]]
    foreign_keys = []
    for fk in descriptor.get("foreignKeys") or []:
        foreign_keys.append({
            "fields": as_list(fk["fields"]),
            "reference": {
                "resource": fk["reference"].get("resource", ""),
                "fields": as_list(fk["reference"]["fields"]),
            },
        })
    return TableSchema(
        descriptor=descriptor,
        fields=fields,
        missing_values=list(descriptor.get("missingValues", [""])),
        primary_key=as_list(descriptor.get("primaryKey")),
        foreign_keys=foreign_keys,
        unique_fields=[f.name for f in fields if f.constraints.get("unique")],
    )
