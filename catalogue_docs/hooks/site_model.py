"""Read the catalogue (``schemas/``) into plain objects the site generators use.

Why a model of its own: the site must show every entry and every version, and
the page, template and ``schemas.json`` generators all need the same view of
it (versions sorted, latest marked, short bilingual titles). Reading it once
here keeps them consistent. Nothing here writes files.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field


from territoria.schema.catalogue import is_release, version_key  # noqa: E402  (one order for the tool and the site)


def text(item: dict, key: str, lang: str) -> str:
    """``item[key]`` in ``lang``: ``key`` is French, ``key_en`` English (falls back to the other)."""
    if lang == "en":
        return item.get(f"{key}_en") or item.get(key) or ""
    return item.get(key) or item.get(f"{key}_en") or ""


@dataclass
class Resource:
    name: str
    schema_file: str  # file name inside the version folder
    schema: dict
    package_resource: dict

    def title(self, lang: str) -> str:
        return text(self.schema, "title", lang) or text(self.package_resource, "title", lang) or self.name

    def description(self, lang: str) -> str:
        return text(self.schema, "description", lang) or text(self.package_resource, "description", lang)

    @property
    def fields(self) -> list:
        return self.schema.get("fields") or []

    @property
    def primary_key(self) -> list:
        return as_list(self.schema.get("primaryKey"))

    @property
    def foreign_keys(self) -> list:
        """``[(fields, resource, reference_fields)]``; an empty resource means the table itself."""
        found = []
        for fk in self.schema.get("foreignKeys") or []:
            reference = fk.get("reference") or {}
            found.append((as_list(fk.get("fields")), reference.get("resource") or "",
                          as_list(reference.get("fields"))))
        return found


@dataclass
class ExampleSet:
    name: str  # "valid", "invalid-<what>" or "warning-<what>" (valid data that must raise warnings)
    path: str
    files: list  # file names (CSV first, then descriptors)
    expected_errors: list  # [{"resource", "type", "rowNumber", "fieldName"}]
    expected_warnings: list = field(default_factory=list)  # the same, from expected-warnings.json

    @property
    def valid(self) -> bool:
        return self.name == "valid"

    @property
    def kind(self) -> str:
        """"valid", "warning" or "invalid"."""
        return "valid" if self.valid else "warning" if self.name.startswith("warning-") else "invalid"


@dataclass
class Version:
    entry: "Entry"
    version: str
    path: str
    package: dict
    resources: list = field(default_factory=list)
    examples: list = field(default_factory=list)

    @property
    def is_latest(self) -> bool:
        return self.version == self.entry.latest

    def files(self) -> list:
        """Every file of the version folder, as paths relative to it (sorted)."""
        found = []
        for folder, _dirs, names in os.walk(self.path):
            for name in names:
                found.append(os.path.relpath(os.path.join(folder, name), self.path).replace(os.sep, "/"))
        return sorted(found)


@dataclass
class Entry:
    name: str
    path: str
    readme: str
    changelog: str
    versions: list = field(default_factory=list)  # Version objects, oldest first

    @property
    def latest(self) -> str:
        return self.latest_version.version

    @property
    def latest_version(self) -> Version:
        """The newest release (a pre-release only when the entry has nothing else)."""
        released = [v for v in self.versions if is_release(v.version)]
        return (released or self.versions)[-1]

    def newest_by_major(self) -> dict:
        """``{major: newest release of that major}``: what ``<entry>/<major>/`` serves."""
        newest: dict = {}
        for version in self.versions:
            if is_release(version.version):
                newest[version.version.split(".", 1)[0]] = version
        return newest

    def short_title(self, lang: str) -> str:
        """"Street lighting — éclairage public" (README title) → the part in ``lang``."""
        first = next((line[2:].strip() for line in self.readme.splitlines() if line.startswith("# ")), "")
        if " — " in first:
            english, french = (part.strip() for part in first.split(" — ", 1))
            chosen = english if lang == "en" else french
            return chosen[:1].upper() + chosen[1:]
        title = text(self.latest_version.package, "title", lang) or self.name
        return title.split(":")[0].strip()

    def title(self, lang: str) -> str:
        return text(self.latest_version.package, "title", lang) or self.name

    def description(self, lang: str) -> str:
        return text(self.latest_version.package, "description", lang)

    def changelog_section(self, version: str) -> str:
        """The body of the ``## <version>`` section of CHANGELOG.md (empty if none)."""
        lines, inside = [], False
        for line in self.changelog.splitlines():
            if line.startswith("## "):
                heading = line[3:].strip()
                inside = heading == version or heading.startswith(version + " ") or heading.startswith(f"[{version}]")
                continue
            if inside:
                lines.append(line)
        return "\n".join(lines).strip()


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def _load_json(path: str):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _load_examples(version_path: str) -> list:
    root = os.path.join(version_path, "examples")
    if not os.path.isdir(root):
        return []
    sets = []
    names = sorted(os.listdir(root), key=lambda n: (n != "valid", n))
    for name in names:
        path = os.path.join(root, name)
        if not os.path.isfile(os.path.join(path, "datapackage.json")):
            continue  # an example set is a data package; legacy/ is an export to repair, shown apart
        files = sorted(os.listdir(path), key=lambda f: (not f.endswith(".csv"), f))
        expected = _load_expected(os.path.join(path, "expected-errors.json"), "errors")
        warnings = _load_expected(os.path.join(path, "expected-warnings.json"), "warnings")
        sets.append(ExampleSet(name, path, files, expected, warnings))
    return sets


def _load_expected(path: str, key: str) -> list:
    expected = _load_json(path) if os.path.isfile(path) else []
    if isinstance(expected, dict):  # tolerate {"errors": [...]} / {"warnings": [...]}
        expected = expected.get(key) or []
    return expected


def load_catalogue(schemas_dir: str) -> list:
    """Every entry of ``schemas_dir`` with every released version, sorted by name."""
    entries = []
    for name in sorted(os.listdir(schemas_dir)):
        path = os.path.join(schemas_dir, name)
        if not os.path.isdir(path) or name.startswith((".", "_")):
            continue
        entry = Entry(name, path, _read(os.path.join(path, "README.md")), _read(os.path.join(path, "CHANGELOG.md")))
        numbers = [v for v in os.listdir(path) if os.path.isfile(os.path.join(path, v, "datapackage.json"))]
        for number in sorted(numbers, key=version_key):
            version_path = os.path.join(path, number)
            package = _load_json(os.path.join(version_path, "datapackage.json"))
            version = Version(entry, number, version_path, package)
            for package_resource in package.get("resources", []):
                schema_ref = package_resource.get("schema")
                if isinstance(schema_ref, dict):
                    schema, schema_file = schema_ref, ""
                else:
                    schema_file = schema_ref
                    schema = _load_json(os.path.join(version_path, schema_ref))
                version.resources.append(Resource(package_resource.get("name", ""), schema_file, schema, package_resource))
            version.examples = _load_examples(version_path)
            entry.versions.append(version)
        if entry.versions:
            entries.append(entry)
    return entries
