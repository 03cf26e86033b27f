"""``territoria diff OLD NEW``: list the changes between two schema versions and classify them.

Why: semver is a promise to publishers. A file valid under 1.2.0 must stay
valid under 1.3.0; only a major version may reject files the previous version
accepted. The classes, from the publisher's point of view:

* **major** (breaking: a file valid before may now fail): a removed or renamed
  field or table, a new required field, a reordered field list, a narrower type
  (``number`` → ``integer``, ``string`` → anything), a new or changed format,
  a narrower constraint (``required`` or ``unique`` added, ``minimum`` raised,
  ``maximum`` lowered, an ``enum`` value removed, a ``pattern`` added or
  changed), a new or changed key (primary, foreign), a new or changed custom
  check, a changed unit (values would change meaning), a removed missing value.
* **minor** (compatible addition or relaxation): a new optional field or table,
  a wider type (``integer`` → ``number``, anything → ``string``/``any``), a
  wider constraint (``enum`` value added, ``maximum`` raised, ``required``
  dropped...), a removed key or custom check, a new custom check that only
  warns (``plausible-variation``), a new missing value.
* **patch**: text only (titles, descriptions, examples, labels, sources,
  keywords, licences, homepage...).

A property this module does not know is classified **major** when it changes
(conservative: a human decides whether it is really compatible).

OLD and NEW are catalogue references (``NAME@VERSION``,
``NAME/RESOURCE@VERSION``) or paths to a ``datapackage.json`` or a table schema.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional
from ..schema import as_list

MAJOR, MINOR, PATCH = "major", "minor", "patch"
_RANK = {PATCH: 1, MINOR: 2, MAJOR: 3}

#: properties whose change never changes which files are valid
TEXT_PROPERTIES = {
    "title", "title_en", "description", "description_en", "example", "examples", "enum_labels",
    "keywords", "sources", "contributors", "licenses", "homepage", "created", "image", "id",
    "profile", "version", "rdfType", "comment", "$schema", "territoria", "path", "format_description",
    "lastModified", "countryCode",
}
#: table-schema and package keys compared specially (not as plain properties)
_SPECIAL_TABLE = {"fields", "primaryKey", "foreignKeys", "missingValues", "custom_checks", "name"}
_SPECIAL_FIELD = {"name", "type", "format", "constraints", "unit", "trueValues", "falseValues", "missingValues"}

#: type → the types that accept every value it accepts (widening targets)
_WIDER_TYPES = {
    "integer": {"number", "string", "any"},
    "number": {"string", "any"},
    "year": {"integer", "number", "string", "any"},
}
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")


@dataclass(frozen=True)
class Change:
    level: str  # major | minor | patch
    where: str  # "resource/field" or "resource" or "package"
    message: str

    def __str__(self) -> str:
        return f"{self.level.upper():<5}  {self.where}: {self.message}"


class DiffInputError(Exception):
    pass


# --------------------------------------------------------------------------- loading


def load(reference: str) -> dict:
    """``{"package": dict-or-None, "tables": {resource name: table schema descriptor}}``."""
    if os.path.exists(reference):
        return _load_path(reference)
    from ..schema import SchemaProblem, catalogue

    try:
        profile = catalogue.resolve(reference)
    except SchemaProblem as problem:
        raise DiffInputError(str(problem))
    match = re.match(r"^[^/@]+/([^@]+)", reference)
    if match:
        return {"package": None, "tables": {match.group(1): profile.table().descriptor}}
    return _load_path(os.path.join(profile.base, "datapackage.json"))


def _read(path: str) -> Any:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DiffInputError(f"{path}: cannot read JSON: {error}")


def _load_path(path: str) -> dict:
    if os.path.isdir(path):
        path = os.path.join(path, "datapackage.json")
    descriptor = _read(path)
    if isinstance(descriptor, dict) and "fields" in descriptor:
        return {"package": None, "tables": {descriptor.get("name") or "table": descriptor}}
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DiffInputError(f"{path}: neither a Data Package nor a Table Schema")
    base = os.path.dirname(os.path.abspath(path))
    tables = {}
    for number, resource in enumerate(descriptor["resources"]):
        name = resource.get("name") or f"resource-{number}"
        schema = resource.get("schema")
        if isinstance(schema, str):
            schema = _read(schema if os.path.isabs(schema) else os.path.join(base, schema))
        tables[name] = schema if isinstance(schema, dict) else {"fields": []}
    return {"package": descriptor, "tables": tables}


def _checked(loaded: dict, reference: str) -> dict:
    """Refuse a schema that is itself invalid: the semver of a change to a broken schema means nothing."""
    from ..schema import schema_problems

    for name, table in loaded["tables"].items():
        problems = schema_problems(table)
        if problems:
            raise DiffInputError(f"{reference}: table {name!r} is not a valid Table Schema: "
                                 + "; ".join(note for _, note in problems[:3])
                                 + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""))
    return loaded


# --------------------------------------------------------------------------- comparing


def diff(old: dict, new: dict) -> list:
    """The changes from ``old`` to ``new`` (as returned by :func:`load`)."""
    changes: list = []
    if old["package"] is not None and new["package"] is not None:
        changes += list(_diff_package(old["package"], new["package"]))
    old_tables, new_tables = old["tables"], new["tables"]
    if len(old_tables) == 1 and len(new_tables) == 1 and (old["package"] is None or new["package"] is None):
        # two single table schemas: compare them whatever their names
        (name, old_table), = old_tables.items()
        (_, new_table), = new_tables.items()
        changes += list(diff_tables(old_table, new_table, name))
        return changes
    for name, table in old_tables.items():
        if name not in new_tables:
            changes.append(Change(MAJOR, name, "table (resource) removed"))
        else:
            changes += list(diff_tables(table, new_tables[name], name))
    for name, table in new_tables.items():
        if name not in old_tables:
            changes.append(Change(MINOR, name, "new table (resource) added"))
    return changes


def _diff_package(old: dict, new: dict) -> Iterator[Change]:
    if old.get("name") != new.get("name"):
        yield Change(MAJOR, "package", f"package renamed {old.get('name')!r} → {new.get('name')!r}")
    for key in sorted(set(old) | set(new)):
        if key in ("resources", "name", "version") or old.get(key) == new.get(key):
            continue
        yield _property_change("package", key, old.get(key), new.get(key))
    old_resources = {r.get("name"): r for r in old.get("resources", []) if isinstance(r, dict)}
    new_resources = {r.get("name"): r for r in new.get("resources", []) if isinstance(r, dict)}
    for name in old_resources.keys() & new_resources.keys():
        a, b = old_resources[name], new_resources[name]
        for key in sorted(set(a) | set(b)):
            if key in ("schema", "name") or a.get(key) == b.get(key):
                continue
            yield _property_change(name, key, a.get(key), b.get(key), resource=True)


def _property_change(where: str, key: str, old: Any, new: Any, resource: bool = False) -> Change:
    if key in TEXT_PROPERTIES or (resource and key in ("path", "profile")):
        return Change(PATCH, where, f"{key} changed (text only)")
    return Change(MAJOR, where, f"{key} changed from {_short(old)} to {_short(new)} (unknown property: assumed breaking)")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not None else "(absent)"
    return text if len(text) <= 60 else text[:57] + "..."


def diff_tables(old: dict, new: dict, table: str = "table") -> Iterator[Change]:
    """The changes between two table schema descriptors."""
    old_fields = [f for f in old.get("fields", []) if isinstance(f, dict)]
    new_fields = [f for f in new.get("fields", []) if isinstance(f, dict)]
    old_by_name = {f.get("name"): f for f in old_fields}
    new_by_name = {f.get("name"): f for f in new_fields}
    removed = [f for f in old_fields if f.get("name") not in new_by_name]
    added = [f for f in new_fields if f.get("name") not in old_by_name]
    renamed = {}
    for field in removed:
        position = old_fields.index(field)
        for candidate in added:
            if new_fields.index(candidate) == position and candidate.get("name") not in renamed.values() \
                    and _strip_text(field, "name") == _strip_text(candidate, "name"):
                renamed[field.get("name")] = candidate.get("name")
                break
    for field in removed:
        name = field.get("name")
        if name in renamed:
            yield Change(MAJOR, f"{table}/{name}", f"field renamed {name!r} → {renamed[name]!r}")
        else:
            yield Change(MAJOR, f"{table}/{name}", "field removed")
    for field in added:
        name = field.get("name")
        if name in renamed.values():
            continue
        if (field.get("constraints") or {}).get("required"):
            yield Change(MAJOR, f"{table}/{name}", "new required field")
        else:
            yield Change(MINOR, f"{table}/{name}", "new optional field")
    common_old = [f.get("name") for f in old_fields if f.get("name") in new_by_name]
    common_new = [f.get("name") for f in new_fields if f.get("name") in old_by_name]
    if common_old != common_new:
        yield Change(MAJOR, table, "field order changed (header checks compare labels in order)")
    for name in common_new:
        yield from diff_fields(old_by_name[name], new_by_name[name], f"{table}/{name}")
    yield from _diff_table_level(old, new, table)


def _strip_text(field: dict, *also: str) -> dict:
    return {k: v for k, v in field.items() if k not in TEXT_PROPERTIES and k not in also}


def _diff_table_level(old: dict, new: dict, table: str) -> Iterator[Change]:
    for key in sorted(set(old) | set(new)):
        if key in _SPECIAL_TABLE or old.get(key) == new.get(key):
            continue
        yield _property_change(table, key, old.get(key), new.get(key))
    # primary key: a superset of the old key columns accepts every file the old one did
    old_pk, new_pk = as_list(old.get("primaryKey")), as_list(new.get("primaryKey"))
    if old_pk != new_pk:
        if not new_pk:
            yield Change(MINOR, table, f"primary key {old_pk} removed")
        elif old_pk and set(old_pk) <= set(new_pk):
            yield Change(MINOR, table, f"primary key widened {old_pk} → {new_pk}")
        else:
            yield Change(MAJOR, table, f"primary key {'added' if not old_pk else 'changed'}: {old_pk or '(none)'} → {new_pk}")
    old_fks = [_normal_fk(fk) for fk in old.get("foreignKeys") or []]
    new_fks = [_normal_fk(fk) for fk in new.get("foreignKeys") or []]
    fresh = _new_optional_fields(old, new)
    for fk in new_fks:
        if fk not in old_fks:
            if set(fk[0]) <= fresh:  # an empty cell is never looked up
                yield Change(MINOR, table, f"new foreign key {fk[0]} → {fk[1]}{fk[2]} on new optional fields "
                                           f"{_EMPTY_BEFORE}")
            else:
                yield Change(MAJOR, table, f"new foreign key {fk[0]} → {fk[1]}{fk[2]}")
    for fk in old_fks:
        if fk not in new_fks:
            yield Change(MINOR, table, f"foreign key {fk[0]} → {fk[1]}{fk[2]} removed")
    old_missing = as_list(old.get("missingValues", [""]))
    new_missing = as_list(new.get("missingValues", [""]))
    for value in old_missing:
        if value not in new_missing:
            yield Change(MAJOR, table, f"missing value {value!r} no longer accepted")
    for value in new_missing:
        if value not in old_missing:
            yield Change(MINOR, table, f"new missing value {value!r}")
    old_checks = [json.dumps(c, sort_keys=True) for c in old.get("custom_checks") or []]
    new_checks = [json.dumps(c, sort_keys=True) for c in new.get("custom_checks") or []]
    for check in new_checks:
        if check not in old_checks:
            declared = json.loads(check)
            if _only_warns(declared):
                yield Change(MINOR, table, f"new or changed custom check {check} (warnings only: no file becomes invalid)")
            elif _reads_only(declared, fresh, new):
                yield Change(MINOR, table, f"new or changed custom check {check} on new optional fields only "
                                           f"{_EMPTY_BEFORE}")
            else:
                yield Change(MAJOR, table, f"new or changed custom check {check}")
    for check in old_checks:
        if check not in new_checks:
            yield Change(MINOR, table, f"custom check removed {check}")
    if old.get("name") != new.get("name") and old.get("name") and new.get("name"):
        yield Change(PATCH, table, f"table schema name {old.get('name')!r} → {new.get('name')!r} (resource names decide)")


def _normal_fk(fk: dict) -> tuple:
    reference = fk.get("reference") or {}
    return (tuple(as_list(fk.get("fields"))), reference.get("resource", ""), tuple(as_list(reference.get("fields"))))


def diff_fields(old: dict, new: dict, where: str) -> Iterator[Change]:
    old_type, new_type = old.get("type", "string") or "string", new.get("type", "string") or "string"
    if old_type != new_type:
        if new_type in _WIDER_TYPES.get(old_type, set()) or new_type == "any" or (new_type == "string" and old_type != "string"):
            yield Change(MINOR, where, f"type widened {old_type} → {new_type}")
        else:
            yield Change(MAJOR, where, f"type narrowed or changed {old_type} → {new_type}")
    old_format, new_format = old.get("format", "default") or "default", new.get("format", "default") or "default"
    if old_format != new_format and old_type == new_type:
        if new_format == "any" or (old_type == "string" and new_format == "default"):
            yield Change(MINOR, where, f"format widened {old_format!r} → {new_format!r}")
        else:
            yield Change(MAJOR, where, f"format changed {old_format!r} → {new_format!r}")
    if old.get("unit") != new.get("unit"):
        if old.get("unit") is None:
            yield Change(PATCH, where, f"unit {new.get('unit')!r} declared (documentation)")
        else:
            yield Change(MAJOR, where, f"unit changed {old.get('unit')!r} → {new.get('unit')!r} (values change meaning)")
    for key in ("trueValues", "falseValues", "missingValues"):
        if old.get(key) == new.get(key):
            continue
        if key not in old or key not in new:
            state = "added" if key in new else "removed"
            yield Change(MAJOR, where, f"{key} {state} (the accepted values change)")
            continue
        lost = [v for v in as_list(old[key]) if v not in as_list(new[key])]
        gained = [v for v in as_list(new[key]) if v not in as_list(old[key])]
        if lost:
            yield Change(MAJOR, where, f"{key}: {lost} no longer accepted")
        if gained:
            yield Change(MINOR, where, f"{key}: {gained} now accepted")
    for key in sorted(set(old) | set(new)):
        if key in _SPECIAL_FIELD or old.get(key) == new.get(key):
            continue
        yield _property_change(where, key, old.get(key), new.get(key))
    yield from diff_constraints(old.get("constraints") or {}, new.get("constraints") or {}, where)


def diff_constraints(old: dict, new: dict, where: str) -> Iterator[Change]:
    for key in ("required", "unique"):
        before, after = bool(old.get(key)), bool(new.get(key))
        if after and not before:
            yield Change(MAJOR, where, f"constraint {key} added")
        elif before and not after:
            yield Change(MINOR, where, f"constraint {key} removed")
    for key in _LOWER_BOUNDS + _UPPER_BOUNDS:
        if old.get(key) == new.get(key):
            continue
        if key not in new:
            yield Change(MINOR, where, f"constraint {key} removed (wider)")
        elif key not in old:
            yield Change(MAJOR, where, f"constraint {key} {new[key]!r} added (narrower)")
        else:
            narrower = _compare(old[key], new[key], lower=key in _LOWER_BOUNDS)
            if narrower is None:
                yield Change(MAJOR, where, f"constraint {key} changed {old[key]!r} → {new[key]!r}")
            elif narrower:
                verb = "raised" if key in _LOWER_BOUNDS else "lowered"
                yield Change(MAJOR, where, f"constraint {key} {verb} {old[key]!r} → {new[key]!r} (narrower)")
            else:
                verb = "lowered" if key in _LOWER_BOUNDS else "raised"
                yield Change(MINOR, where, f"constraint {key} {verb} {old[key]!r} → {new[key]!r} (wider)")
    if old.get("enum") != new.get("enum"):
        if "enum" not in new:
            yield Change(MINOR, where, "constraint enum removed (wider)")
        elif "enum" not in old:
            yield Change(MAJOR, where, "constraint enum added (narrower)")
        else:
            lost = [v for v in old["enum"] if v not in new["enum"]]
            gained = [v for v in new["enum"] if v not in old["enum"]]
            if lost:
                yield Change(MAJOR, where, f"enum value(s) removed: {', '.join(map(repr, lost))}")
            if gained:
                yield Change(MINOR, where, f"enum value(s) added: {', '.join(map(repr, gained))}")
            if not lost and not gained:
                yield Change(PATCH, where, "enum values reordered")
    if old.get("pattern") != new.get("pattern"):
        if "pattern" not in new:
            yield Change(MINOR, where, "constraint pattern removed (wider)")
        elif "pattern" not in old:
            yield Change(MAJOR, where, f"constraint pattern {new['pattern']!r} added (narrower)")
        else:
            yield Change(MAJOR, where, f"constraint pattern changed {old['pattern']!r} → {new['pattern']!r}")
    known = {"required", "unique", "enum", "pattern", *_LOWER_BOUNDS, *_UPPER_BOUNDS}
    for key in sorted((set(old) | set(new)) - known):
        if old.get(key) != new.get(key):
            yield Change(MAJOR, where, f"constraint {key} changed {_short(old.get(key))} → {_short(new.get(key))} (assumed breaking)")


def _compare(old: Any, new: Any, lower: bool) -> Optional[bool]:
    """True if the bound got narrower, False if wider, None if not comparable."""
    try:
        if isinstance(old, (int, float)) and isinstance(new, (int, float)):
            return new > old if lower else new < old
        if isinstance(old, str) and isinstance(new, str):  # ISO dates and times compare as text
            return new > old if lower else new < old
    except TypeError:
        pass
    return None


# --------------------------------------------------------------------------- verdicts


def required_bump(changes: list) -> Optional[str]:
    """The smallest version bump the changes require (None: no change)."""
    if not changes:
        return None
    return max((c.level for c in changes), key=_RANK.__getitem__)


def parse_version(version: str) -> tuple:
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)", version or "")
    if not match:
        raise ValueError(f"not a semantic version: {version!r}")
    return tuple(int(part) for part in match.groups())


def actual_bump(old_version: str, new_version: str) -> Optional[str]:
    """The bump from one version to the next (None if NEW is not greater)."""
    old, new = parse_version(old_version), parse_version(new_version)
    if new <= old:
        return None
    if new[0] > old[0]:
        return MAJOR
    if new[1] > old[1]:
        return MINOR
    return PATCH


def bump_problem(old_version: str, new_version: str, changes: list) -> Optional[str]:
    """Why NEW's number does not respect the changes from OLD, or None."""
    needed = required_bump(changes)
    done = actual_bump(old_version, new_version)
    if done is None:
        return f"version {new_version} does not come after {old_version}"
    if needed is not None and _RANK[done] < _RANK[needed]:
        return (f"{old_version} → {new_version} is a {done} bump, but the changes require a {needed.upper()} bump:\n"
                + "\n".join(f"  {c}" for c in changes if _RANK[c.level] > _RANK[done]))
    return None


def render(changes: list) -> str:
    lines = [str(c) for c in sorted(changes, key=lambda c: (-_RANK[c.level], c.where))]
    needed = required_bump(changes)
    lines.append("no change" if needed is None else f"requires a {needed.upper()} version bump")
    return "\n".join(lines) + "\n"


def main(old: str, new: str, out=None, err=None) -> int:
    import sys

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        changes = diff(_checked(load(old), old), _checked(load(new), new))
    except DiffInputError as error:
        print(f"territoria diff: {error}", file=err)
        return 2
    out.write(render(changes))
    return 0


def catalogue_bump_problems(root: Optional[str] = None) -> list:
    """For every entry, each consecutive pair of released versions whose numbers break the diff.

    ``root`` defaults to the installed catalogue. Pre-release folders
    (``1.1.0-draft``) are skipped: only released versions make promises.
    """
    from ..schema.catalogue import catalogue_root, version_key as _version_key

    root = root or catalogue_root()
    problems = []
    for entry in sorted(os.listdir(root)):
        entry_path = os.path.join(root, entry)
        if not os.path.isdir(entry_path) or entry.startswith((".", "_")):
            continue
        versions = sorted((v for v in os.listdir(entry_path)
                           if re.match(r"^\d+\.\d+\.\d+(\+[0-9A-Za-z.-]+)?$", v)
                           and os.path.isfile(os.path.join(entry_path, v, "datapackage.json"))),
                          key=_version_key)
        for old_version, new_version in zip(versions, versions[1:]):
            changes = diff(_load_path(os.path.join(entry_path, old_version)),
                           _load_path(os.path.join(entry_path, new_version)))
            problem = bump_problem(old_version, new_version, changes)
            if problem:
                problems.append(f"{entry}: {problem}")
    return problems


def _only_warns(check: dict) -> bool:
    """A check whose every rule is a warning, or declared ``"severity": "warning"`` (adding it to a
    released schema invalidates no file)."""
    from ..checks import CHECKS, load_all

    load_all()
    if isinstance(check, dict) and check.get("severity") == "warning":
        return True
    cls = CHECKS.get(check.get("name")) if isinstance(check, dict) else None
    return bool(cls is not None and cls.only_warns())


#: why a rule on new optional fields breaks no file of the previous version
_EMPTY_BEFORE = "(their cells are empty in the files of the previous version)"


def _new_optional_fields(old: dict, new: dict) -> set:
    """The fields ``new`` adds, not required: the files of the previous version add them empty."""
    before = {f.get("name") for f in old.get("fields") or [] if isinstance(f, dict)}
    return {f.get("name") for f in new.get("fields") or [] if isinstance(f, dict)
            and f.get("name") not in before and not (f.get("constraints") or {}).get("required")}


def _reads_only(check: dict, fresh: set, schema: dict) -> bool:
    """Whether a check reads only new optional fields and skips empty cells: then it finds nothing in
    the files of the previous version (their new columns are empty)."""
    from ..checks import CHECKS, CheckParamsError, load_all
    from ..fields import FieldSpec

    load_all()
    cls = CHECKS.get(check.get("name")) if isinstance(check, dict) else None
    if cls is None or not fresh:
        return False
    fields = [FieldSpec.from_descriptor(f) for f in schema.get("fields") or [] if isinstance(f, dict)]
    try:
        built = cls(check.get("params") or {}, fields)
    except (CheckParamsError, Exception):
        return False
    if built.needed_resources():
        return False
    if hasattr(built, "quiet_when_empty"):
        return built.quiet_when_empty(fresh)
    if built.fires_on_empty:
        return False
    named = set(_field_names_in(check.get("params"), {f.name for f in fields}))
    return bool(named) and named <= fresh


def _field_names_in(value, names: set):
    """Every string of a check's parameters that names a field of the schema (nested lists and objects too)."""
    if isinstance(value, str):
        if value in names:
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _field_names_in(item, names)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _field_names_in(item, names)
