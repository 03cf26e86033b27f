"""``territoria lint [PATH]``: check catalogue descriptors and the house rules.

Why a linter: a schema that breaks the Table Schema specification, lacks an
English title or a unit, or is released without a changelog entry would be
caught only by a careful reviewer. Each rule below is one small function that
yields :class:`Finding` objects (``path: rule: message``), so a new rule is a
new function, and the output stays one finding per line.

What PATH may be: the catalogue root (the default), one entry folder
(``schemas/waste-fill-level``), one version folder (``.../1.0.0``), a
``datapackage.json`` or a single table schema file.

House rules (see ``docs``/DESIGN "The catalogue"):

* ``metaschema``: packages against ``profiles/data-package.json``, table
  schemas against ``profiles/table-schema.json`` (both with jsonschema).
* ``snake-case``: field and resource names are English ``snake_case``
  (``^[a-z][a-z0-9]*(_[a-z0-9]+)*$``). An entry that follows a national schema
  declares it in its ``datapackage.json`` (``"territoria": {"follows":
  "etalab/schema-comptage-mobilites"}``): the names are then the national
  schema's, and only the naming rules (``snake-case``, and the "unit without a
  unit suffix" half of ``unit``) are relaxed for it.
* ``bilingual``: ``title``, ``title_en``, ``description``, ``description_en``
  on the package, every resource, every table schema and every field.
* ``example``: every field has an ``example``, and the example is itself
  valid for the field (type and constraints; skipped for a type the validator
  does not implement yet).
* ``unit``: a field whose name ends in a unit suffix (``_w``, ``_kwh``,
  ``_m3_h``...) declares the matching UCUM ``unit``, and a field with a ``unit``
  has a unit suffix.
* ``version``: the package (and each table schema that states one) has a
  ``version`` equal to its folder name.
* ``changelog`` / ``readme``: each entry has ``README.md`` and a
  ``CHANGELOG.md`` with a ``## <version>`` heading for every version folder.
* ``policy`` (``schemas/README.md``, "Versioning"): the latest version of an
  entry, and every version made under the policy (its ``datapackage.json``
  has ``territoria.lastModified``), carries ``created`` and
  ``territoria.lastModified`` (ISO dates) and records what it follows
  (``territoria.follows``: a national schema's name, or a list of references
  with their ``name`` and ``version``); a major version under the policy has a
  migration note in its CHANGELOG section. Versions released before the
  policy are locked as they are.
* ``schema-missing`` / ``resource-path``: the files a resource names exist.
* ``examples``: ``examples/valid/datapackage.json`` exists, every
  ``examples/invalid-*`` set has a ``datapackage.json`` and a well-formed
  ``expected-errors.json``, and every ``examples/warning-*`` set (valid data
  that must raise warnings, e.g. of a warning-only custom check) has a
  ``datapackage.json`` and a well-formed ``expected-warnings.json``.

Exit codes of the command: 0 no finding, 1 findings, 2 unreadable input.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
VERSION_FOLDER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")

#: name suffix -> UCUM code
UNIT_SUFFIXES = {
    "w": "W",
    "k": "K",
    "lm": "lm",
    "m3": "m3",
    "kg": "kg",
    "l": "L",
    "cel": "Cel",
    "pct": "%",
    "m": "m",
    "mm": "mm",
    "kwh": "kW.h",
    "h": "h",
    "s": "s",
    "kva": "kV.A",
}

TEXT_KEYS = ("title", "title_en", "description", "description_en")
EXPECTED_ERROR_KEYS = ("resource", "type", "rowNumber", "fieldName")


class LintInputError(Exception):
    """PATH cannot be linted at all (missing, unreadable, not JSON)."""


@dataclass(frozen=True)
class Finding:
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.rule}: {self.message}"


# --------------------------------------------------------------------------- helpers


def _display(path: str) -> str:
    path = os.path.abspath(path)
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _read_json(path: str, unreadable: list) -> Optional[object]:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        unreadable.append(Finding(_display(path), "unreadable", f"cannot read the file: {error}"))
    except json.JSONDecodeError as error:
        unreadable.append(Finding(_display(path), "unreadable",
                                  f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"))
    return None


_package_validator = None


def data_package_problems(descriptor: object) -> list:
    """Every way ``descriptor`` breaks Territoria's Data Package metaschema."""
    global _package_validator
    if not isinstance(descriptor, dict):
        return ["a Data Package must be a JSON object"]
    if _package_validator is None:
        import jsonschema

        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "schema", "profiles", "data-package.json")
        with open(path, encoding="utf-8") as handle:
            _package_validator = jsonschema.Draft7Validator(json.load(handle))
    problems = []
    for error in sorted(_package_validator.iter_errors(descriptor), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        problems.append(f"{where}: {error.message}")
    return problems


def _follows(package: Optional[dict]) -> Optional[str]:
    if not isinstance(package, dict):
        return None
    extra = package.get("territoria")
    if isinstance(extra, dict) and isinstance(extra.get("follows"), str):
        return extra["follows"]
    return None


def expected_unit(name: str) -> Optional[str]:
    """The UCUM unit a field name's suffix calls for (``min_flow_m3_h`` → ``m3/h``), or None."""
    parts = name.split("_")
    if len(parts) < 2 or parts[-1] not in UNIT_SUFFIXES:
        return None
    unit = UNIT_SUFFIXES[parts[-1]]
    if len(parts) >= 3 and parts[-2] in UNIT_SUFFIXES:
        unit = f"{UNIT_SUFFIXES[parts[-2]]}/{unit}"
    return unit


def _example_text(example: object) -> str:
    if isinstance(example, bool):
        return "true" if example else "false"
    if isinstance(example, (dict, list)):
        return json.dumps(example, ensure_ascii=False)
    return str(example)


def example_problem(field: dict) -> Optional[str]:
    """Why the field's ``example`` is not a valid cell for the field, or None.

    Returns None as well when the field's type is not implemented by the
    validator (the check is skipped, not failed).
    """
    try:
        import pyarrow as pa

        from ..fields import FieldSpec, check_field

        spec = FieldSpec.from_descriptor(field)
        result = check_field(spec, pa.array([_example_text(field["example"])], type=pa.string()))
    except (ImportError, ValueError, NotImplementedError, KeyError):
        return None
    if bool(result.type_error[0]):
        return f"example {field['example']!r} is not a valid {spec.type}"
    failed = sorted(name for name, mask in result.constraints.items()
                    if name not in ("required", "unique") and bool(mask[0]))
    if failed:
        return f"example {field['example']!r} breaks the constraint(s) {', '.join(failed)}"
    return None


# --------------------------------------------------------------------------- rules


def _text_rule(place: str, what: str, descriptor: dict) -> Iterator[Finding]:
    missing = [key for key in TEXT_KEYS
               if not isinstance(descriptor.get(key), str) or not descriptor.get(key).strip()]
    if missing:
        yield Finding(place, "bilingual", f"{what} has no {', '.join(missing)} (French and English title and description required)")


@dataclass(frozen=True)
class TableContext:
    """What a table rule knows besides the descriptor: where it is, its version folder, the
    national schema it follows (whose names are kept as they are)."""

    place: str
    version: Optional[str] = None
    follows: Optional[str] = None


def table_bilingual(descriptor: dict, context: TableContext) -> Iterator[Finding]:
    """``bilingual``: the table schema has French and English titles and descriptions."""
    yield from _text_rule(context.place, "table schema", descriptor)


def table_version(descriptor: dict, context: TableContext) -> Iterator[Finding]:
    """``version``: a table schema that states a version states its folder's."""
    if context.version is not None and "version" in descriptor and descriptor["version"] != context.version:
        yield Finding(context.place, "version",
                      f"table schema version {descriptor['version']!r} differs from its folder {context.version!r}")


def field_snake_case(field: dict, context: TableContext) -> Iterator[Finding]:
    """``snake-case``: field names are English snake_case (unless a followed national schema names them)."""
    name = field["name"]
    if not SNAKE_CASE.match(name) and not context.follows:
        yield Finding(context.place, "snake-case", f"field {name!r}: name is not English snake_case (e.g. {_snake(name)!r})")


def field_bilingual(field: dict, context: TableContext) -> Iterator[Finding]:
    """``bilingual``: every field has French and English titles and descriptions."""
    yield from _text_rule(context.place, f"field {field['name']!r}", field)


def field_example(field: dict, context: TableContext) -> Iterator[Finding]:
    """``example``: every field has an example, valid for the field."""
    what = f"field {field['name']!r}"
    if "example" not in field:
        yield Finding(context.place, "example", f"{what} has no example")
        return
    problem = example_problem(field)
    if problem:
        yield Finding(context.place, "example", f"{what}: {problem}")


def field_unit(field: dict, context: TableContext) -> Iterator[Finding]:
    """``unit``: a unit suffix declares its UCUM unit, and a declared unit has its suffix."""
    name, what = field["name"], f"field {field['name']!r}"
    wanted = expected_unit(name)
    unit = field.get("unit")
    if wanted and unit is None:
        yield Finding(context.place, "unit", f"{what}: the name ends in a unit suffix but no unit is declared (add \"unit\": {wanted!r})")
    elif wanted and unit != wanted:
        yield Finding(context.place, "unit", f"{what}: unit {unit!r} does not match the name's suffix (expected UCUM {wanted!r})")
    elif unit is not None and not wanted and not context.follows:
        suffixes = ", ".join(f"_{s}" for s in UNIT_SUFFIXES)
        yield Finding(context.place, "unit", f"{what}: declares unit {unit!r} but its name has no unit suffix ({suffixes})")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        yield Finding(context.place, "unit", f"{what}: unit must be a non-empty UCUM code")


#: the house rules of a table schema, then of each of its fields, in the order findings are listed
TABLE_RULES = [table_bilingual, table_version]
FIELD_RULES = [field_snake_case, field_bilingual, field_example, field_unit]


def lint_table_schema(path: str, descriptor: object, *, version: Optional[str] = None,
                      follows: Optional[str] = None) -> Iterator[Finding]:
    """The findings for one table schema descriptor read from ``path``: the metaschema, then the house rules."""
    from ..schema import metaschema_problems

    context = TableContext(_display(path), version, follows)
    for problem in metaschema_problems(descriptor):
        yield Finding(context.place, "metaschema", f"Table Schema: {problem}")
    if not isinstance(descriptor, dict):
        return
    for rule in TABLE_RULES:
        yield from rule(descriptor, context)
    fields = descriptor.get("fields") if isinstance(descriptor.get("fields"), list) else []
    for field in fields:
        if isinstance(field, dict) and isinstance(field.get("name"), str):
            for rule in FIELD_RULES:
                yield from rule(field, context)


def _snake(name: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return text or "name"


def lint_package(path: str, unreadable: list, *, check_examples: bool = True) -> Iterator[Finding]:
    """The findings for one ``datapackage.json`` and the table schemas it names."""
    place = _display(path)
    package = _read_json(path, unreadable)
    if package is None:
        if not os.path.exists(path):
            yield Finding(place, "missing", "datapackage.json not found")
        return
    base = os.path.dirname(os.path.abspath(path))
    folder = os.path.basename(base)
    version = folder if VERSION_FOLDER.match(folder) else None
    for problem in data_package_problems(package):
        yield Finding(place, "metaschema", f"Data Package: {problem}")
    if not isinstance(package, dict):
        return
    follows = _follows(package)
    yield from _text_rule(place, "package", package)
    if version is not None:
        if "version" not in package:
            yield Finding(place, "version", f"package has no version (expected {version!r}, its folder name)")
        elif package["version"] != version:
            yield Finding(place, "version", f"package version {package['version']!r} differs from its folder {version!r}")
    resources = package.get("resources") if isinstance(package.get("resources"), list) else []
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        name = resource.get("name", "?")
        what = f"resource {name!r}"
        if isinstance(name, str) and not SNAKE_CASE.match(name) and not follows:
            yield Finding(place, "snake-case", f"{what}: name is not snake_case (e.g. {_snake(name)!r})")
        yield from _text_rule(place, what, resource)
        data_path = resource.get("path")
        for item in data_path if isinstance(data_path, list) else [data_path]:
            if isinstance(item, str) and not re.match(r"^https?://", item) and not os.path.exists(os.path.join(base, item)):
                yield Finding(place, "resource-path", f"{what}: path {item!r} does not exist")
        schema = resource.get("schema")
        if schema is None:
            yield Finding(place, "schema-missing", f"{what} has no schema")
        elif isinstance(schema, dict):
            yield from lint_table_schema(path, schema, version=version, follows=follows)
        elif isinstance(schema, str) and not re.match(r"^https?://", schema):
            schema_path = os.path.join(base, schema)
            if not os.path.isfile(schema_path):
                yield Finding(place, "schema-missing", f"{what}: schema file {schema!r} does not exist")
                continue
            descriptor = _read_json(schema_path, unreadable)
            if descriptor is not None:
                yield from lint_table_schema(schema_path, descriptor, version=version, follows=follows)
    if check_examples and os.path.isdir(os.path.join(base, "examples")):
        yield from lint_examples(os.path.join(base, "examples"), unreadable)


def lint_examples(folder: str, unreadable: list) -> Iterator[Finding]:
    if not os.path.isfile(os.path.join(folder, "valid", "datapackage.json")):
        yield Finding(_display(folder), "examples", "no valid/datapackage.json example set")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not os.path.isdir(path):
            continue
        if name.startswith("invalid"):
            kind, listing, what = "invalid", "expected-errors.json", "errors"
        elif name.startswith("warning-"):
            kind, listing, what = "warning", "expected-warnings.json", "warnings"
        else:
            continue
        if not os.path.isfile(os.path.join(path, "datapackage.json")):
            yield Finding(_display(path), "examples", f"{kind} example set has no datapackage.json")
        expected_path = os.path.join(path, listing)
        if not os.path.isfile(expected_path):
            yield Finding(_display(path), "examples", f"{kind} example set has no {listing}")
            continue
        expected = _read_json(expected_path, unreadable)
        if expected is None:
            continue
        if not isinstance(expected, list) or not expected:
            yield Finding(_display(expected_path), "examples", f"must be a non-empty JSON list of expected {what}")
            continue
        for number, item in enumerate(expected):
            if not isinstance(item, dict) or any(key not in item for key in EXPECTED_ERROR_KEYS):
                yield Finding(_display(expected_path), "examples",
                              f"item {number}: needs the keys {', '.join(EXPECTED_ERROR_KEYS)}")


def lint_entry(folder: str, unreadable: list) -> Iterator[Finding]:
    """An entry: README.md, CHANGELOG.md with one heading per version, each version folder."""
    versions = sorted(v for v in os.listdir(folder)
                      if os.path.isdir(os.path.join(folder, v)) and VERSION_FOLDER.match(v))
    if not versions:
        yield Finding(_display(folder), "version", "entry has no version folder (e.g. 1.0.0/)")
    readme = os.path.join(folder, "README.md")
    if not os.path.isfile(readme) or not open(readme, encoding="utf-8", errors="replace").read().strip():
        yield Finding(_display(readme), "readme", "README.md is missing or empty")
    yield from _changelog(folder, versions)
    for version in versions:
        yield from lint_package(os.path.join(folder, version, "datapackage.json"), unreadable)
    yield from _versioning_policy(folder, versions)


def _changelog(folder: str, versions: Iterable[str]) -> Iterator[Finding]:
    path = os.path.join(folder, "CHANGELOG.md")
    if not os.path.isfile(path):
        yield Finding(_display(path), "changelog", "CHANGELOG.md is missing")
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    headings = set(re.findall(r"^##\s+\[?v?([0-9][0-9A-Za-z.+-]*)\]?", text, flags=re.MULTILINE))
    for version in versions:
        if version not in headings:
            yield Finding(_display(path), "changelog", f"no '## {version}' heading for version {version}")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$")


def _versioning_policy(folder: str, versions: list) -> Iterator[Finding]:
    """The rules of ``schemas/README.md`` ("Versioning") on the versions made under them."""
    from ..schema.catalogue import version_key as _version_key

    ordered = sorted(versions, key=_version_key)
    changelog = os.path.join(folder, "CHANGELOG.md")
    text = open(changelog, encoding="utf-8", errors="replace").read() if os.path.isfile(changelog) else ""
    for number, version in enumerate(ordered):
        path = os.path.join(folder, version, "datapackage.json")
        package = _read_json(path, []) if os.path.isfile(path) else None
        if not isinstance(package, dict):
            continue
        extra = package.get("territoria") if isinstance(package.get("territoria"), dict) else {}
        under_policy = "lastModified" in extra
        if not under_policy and version != ordered[-1]:
            continue  # released before the policy: locked as it is
        place = _display(path)
        for key, value in (("created", package.get("created")), ("territoria.lastModified", extra.get("lastModified"))):
            if not isinstance(value, str) or not _ISO_DATE.match(value):
                yield Finding(place, "policy", f"{key} must be an ISO date (the version's release and last change)")
        follows = extra.get("follows")
        if not (isinstance(follows, str) and follows) and not (
                isinstance(follows, list) and follows
                and all(isinstance(r, dict) and r.get("name") and r.get("version") for r in follows)):
            yield Finding(place, "policy", "territoria.follows must name what the version follows: a national "
                                           "schema, or a list of references with their name and version")
        major, minor, patch = _version_key(version)[0]
        if number > 0 and major >= 1 and minor == 0 and patch == 0 and "-" not in version:
            section = _changelog_section(text, version)
            if "migration" not in section.lower():
                yield Finding(_display(changelog), "policy",
                              f"major version {version} needs a migration note in its CHANGELOG section")


def _changelog_section(text: str, version: str) -> str:
    match = re.search(rf"^##\s+\[?v?{re.escape(version)}\b.*?(?=^##\s|\Z)", text, flags=re.MULTILINE | re.S)
    return match.group(0) if match else ""


def lint_catalogue(root: str, unreadable: list) -> Iterator[Finding]:
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.isdir(path) and not name.startswith((".", "_")):
            if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", name):
                yield Finding(_display(path), "entry-name", "entry folder names are lowercase kebab-case")
            yield from lint_entry(path, unreadable)
            for version in os.listdir(path):
                package = os.path.join(path, version, "datapackage.json")
                if VERSION_FOLDER.match(version) and os.path.isfile(package):
                    data = _read_json(package, [])
                    if isinstance(data, dict) and data.get("name") not in (None, name):
                        yield Finding(_display(package), "entry-name",
                                      f"package name {data.get('name')!r} differs from its entry folder {name!r}")


# --------------------------------------------------------------------------- entry point


def lint(path: Optional[str] = None) -> tuple:
    """``(findings, unreadable)`` for PATH (default: the whole catalogue).

    Raises :class:`LintInputError` when PATH does not exist or is not something
    the linter knows.
    """
    if path is None:
        from ..schema.catalogue import catalogue_root

        path = catalogue_root()
        if path is None:
            raise LintInputError("no schema catalogue found")
    if not os.path.exists(path):
        raise LintInputError(f"{path}: no such file or directory")
    unreadable: list = []
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "datapackage.json")):
            findings = list(lint_package(os.path.join(path, "datapackage.json"), unreadable))
            parent = os.path.dirname(os.path.abspath(path))
            if VERSION_FOLDER.match(os.path.basename(os.path.abspath(path))):
                findings += list(_changelog(parent, [os.path.basename(os.path.abspath(path))]))
        elif any(VERSION_FOLDER.match(n) and os.path.isdir(os.path.join(path, n)) for n in os.listdir(path)):
            findings = list(lint_entry(path, unreadable))
        else:
            findings = list(lint_catalogue(path, unreadable))
    else:
        descriptor = _read_json(path, unreadable)
        if descriptor is None:
            if not unreadable:
                raise LintInputError(f"{path}: cannot read the file")
            return [], unreadable
        if isinstance(descriptor, dict) and "resources" in descriptor:
            findings = list(lint_package(path, unreadable))
        elif isinstance(descriptor, dict) and "fields" in descriptor:
            folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
            findings = list(lint_table_schema(path, descriptor,
                                              version=folder if VERSION_FOLDER.match(folder) else None))
        else:
            raise LintInputError(f"{path}: neither a Data Package (no 'resources') nor a Table Schema (no 'fields')")
    return _unique(findings), _unique(unreadable)


def _unique(findings: list) -> list:
    seen, result = set(), []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            result.append(finding)
    return result


def main(path: Optional[str] = None, out=None, err=None) -> int:
    import sys

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        findings, unreadable = lint(path)
    except LintInputError as error:
        print(f"territoria lint: {error}", file=err)
        return 2
    for finding in unreadable + findings:
        print(finding, file=out)
    if unreadable:
        return 2
    if findings:
        print(f"{len(findings)} finding(s)", file=err)
        return 1
    print("lint: no finding", file=err)
    return 0
