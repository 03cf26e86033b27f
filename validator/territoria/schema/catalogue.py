"""The schema catalogue shipped with Territoria (``schemas/``): list and resolve entries.

Why in the library: ``territoria validate FILE --schema waste-fill-level/measurements``
must work offline right after ``pip install``, so the released schema versions
travel inside the package and are resolved by name.
"""
from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from typing import Optional

from . import SchemaProblem

_REFERENCE = re.compile(r"^(?P<entry>[a-z0-9][a-z0-9-]*)(?:/(?P<resource>[a-z0-9_-]+))?(?:@(?P<version>[0-9][0-9A-Za-z.+-]*))?$")


@functools.lru_cache(maxsize=1)
def catalogue_root() -> Optional[str]:
    """Where the catalogue lives: inside the installed package, else the source tree (looked
    for once: every validation's policy names it, 200 files make 200 validations)."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package folder
    for candidate in (os.path.join(here, "_schemas"), os.path.join(here, "..", "..", "schemas")):
        if os.path.isdir(candidate):
            return os.path.normpath(candidate)
    return None


def version_key(version: str):
    """Semantic-versioning order: ``1.0.0-rc.1`` < ``1.0.0`` < ``1.0.1`` < ``1.10.0`` (build metadata ignored)."""
    core, _, pre = version.split("+", 1)[0].partition("-")
    numbers = tuple(int(p) if p.isdigit() else 0 for p in core.split("."))
    pre_parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return numbers, not pre, pre_parts


def is_release(version: str) -> bool:
    """Not a pre-release (``2.0.0-rc.1`` is one): only releases are the default of a name or a major."""
    return "-" not in version.split("+", 1)[0]


@dataclass
class Entry:
    name: str
    path: str

    @property
    def versions(self) -> list:
        found = [v for v in os.listdir(self.path)
                 if os.path.isfile(os.path.join(self.path, v, "datapackage.json"))]
        return sorted(found, key=version_key)

    @property
    def latest(self) -> str:
        """The newest release (a pre-release only when the entry has nothing else)."""
        released = [v for v in self.versions if is_release(v)]
        return (released or self.versions)[-1]

    def newest_of(self, prefix: str) -> Optional[str]:
        """The newest release of a major (``2``) or a minor (``2.1``) line, or None."""
        wanted = tuple(int(p) for p in prefix.split("."))
        found = [v for v in self.versions if is_release(v) and version_key(v)[0][:len(wanted)] == wanted]
        return found[-1] if found else None

    def package(self, version: Optional[str] = None) -> dict:
        version = version or self.latest
        with open(os.path.join(self.path, version, "datapackage.json"), encoding="utf-8") as handle:
            return json.load(handle)


def entries() -> list:
    root = catalogue_root()
    if root is None:
        return []
    found = []
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.isdir(path) and not name.startswith((".", "_")):
            entry = Entry(name, path)
            if entry.versions:
                found.append(entry)
    return found


def get_entry(name: str) -> Entry:
    for entry in entries():
        if entry.name == name:
            return entry
    known = ", ".join(e.name for e in entries()) or "none"
    raise SchemaProblem(name, [f"no catalogue entry named {name!r} (known: {known})"])


def resolve(reference: str):
    """``NAME[@VERSION]`` → the entry's profile (all its tables); ``NAME/RESOURCE[@VERSION]`` → a profile of
    that one table (a :class:`~territoria.schema.profile.SchemaProfile` either way)."""
    from .profile import SchemaProfile

    match = _REFERENCE.match(reference)
    if not match:
        raise SchemaProblem(reference, ["not a file, a URL or a catalogue name such as waste-fill-level/measurements@1.0.0"])
    entry = get_entry(match["entry"])
    version = match["version"] or entry.latest
    if version not in entry.versions and re.fullmatch(r"\d+(\.\d+)?", version):
        version = entry.newest_of(version) or version  # NAME@2: the newest 2.x.y, as <entry>/2/ on the site
    if version not in entry.versions:
        raise SchemaProblem(reference, [f"{entry.name} has no version {version} (versions: {', '.join(entry.versions)})"])
    base = os.path.join(entry.path, version)
    package = entry.package(version)
    profile = SchemaProfile(package, base)
    if match["resource"]:
        if match["resource"] not in profile.names:
            raise SchemaProblem(reference, [f"{entry.name}@{version} has no resource {match['resource']!r} "
                                            f"(resources: {', '.join(profile.names)})"])
        return SchemaProfile.of_table(profile.table(match["resource"]), match["resource"])
    return profile
