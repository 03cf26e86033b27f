"""Published datasets: from a portal dataset reference to the files to validate.

Why here: a publisher wants to check what is *published*, not only the files in
a repository. A data.gouv.fr dataset lists its resources and the schema each one
declares; a CKAN ``package_show`` lists resources; an Opendatasoft dataset has a
CSV export. Each is turned into :class:`Target` objects (a URL, the schema to
use, warnings to attach), validated one by one so that a failure costs one file,
never the run.

Reference syntax (``--dataset`` in the CLI, ``datasets:`` in the Action):

- ``datagouv:<id-or-slug>``: a data.gouv.fr dataset; the portal address is
  ``TERRITORIA_DATAGOUV_URL`` (default ``https://www.data.gouv.fr``);
- ``datagouv:<base>#<id-or-slug>``: the same on another udata portal;
- ``https://www.data.gouv.fr/fr/datasets/<slug>/``: a dataset page address;
- ``ckan:<base>#<package-id-or-name>``: a CKAN package (``/api/3/action/package_show``);
- ``ods:<base>#<dataset-id>``: an Opendatasoft dataset (its CSV export, API v2.1).
"""
from __future__ import annotations

import glob
import json
import os
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Optional

from .readers import SourceProblem
from .readers.open import TABULAR_EXTENSIONS, is_url

DATAGOUV_DEFAULT = "https://www.data.gouv.fr"
API_MAX_BYTES = 20 << 20  # a portal's JSON answer, never the data itself

# Declared formats we can validate (a portal's "format" field, lowercased).
TABULAR_FORMATS = {
    "csv": "csv", "tsv": "tsv", "xlsx": "xlsx", "xls": "xls", "ods": "ods",
    "parquet": "parquet", "ndjson": "ndjson", "jsonl": "ndjson",
    "text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
_URL_ONLY_EXTENSIONS = {k: v for k, v in TABULAR_EXTENSIONS.items() if k not in (".json", ".txt")}


class PortalProblem(Exception):
    """A dataset that could not even be listed (unknown reference, API down, bad answer)."""

    def __init__(self, code: str, note: str):
        super().__init__(note)
        self.code = code
        self.note = note


@dataclass
class Target:
    """One thing to validate: a local path or a URL, with the schema to use."""

    source: str
    schema: Any = None
    name: str = ""
    format: Optional[str] = None
    dataset: str = ""  # the portal reference it comes from, if any
    warnings: list = field(default_factory=list)  # warning dicts added to its task(s)
    problem: Optional[tuple] = None  # (code, note): nothing could be read at all


@dataclass
class Skipped:
    """A published resource deliberately not validated (not a table: PDF, ZIP, map...)."""

    dataset: str
    title: str
    url: str
    format: str


# --- references ------------------------------------------------------------

_DATAGOUV_PAGE = re.compile(r"^(?P<base>https?://[^/]+)/(?:[a-z]{2}/)?datasets/(?P<id>[^/?#]+)/?(?:[?#].*)?$", re.I)


def parse_reference(reference: str) -> tuple:
    """``(kind, base, identifier)`` for a dataset reference, or PortalProblem."""
    text = reference.strip()
    kind, _, rest = text.partition(":")
    kind = kind.lower()
    if kind in ("http", "https"):
        match = _DATAGOUV_PAGE.match(text)
        if match:
            return "datagouv", match["base"].rstrip("/"), match["id"]
    elif kind in ("datagouv", "ckan", "ods") and rest:
        if "#" in rest:
            base, _, identifier = rest.rpartition("#")
        elif kind == "datagouv":
            base, identifier = "", rest
        else:
            base, identifier = "", ""
        base = base.rstrip("/")
        if kind == "datagouv" and not base:
            base = os.environ.get("TERRITORIA_DATAGOUV_URL", DATAGOUV_DEFAULT).rstrip("/")
        if base and not is_url(base):
            raise PortalProblem("scheme-error", f"{reference}: the portal address {base!r} is not an http(s) URL")
        if base and identifier.strip():
            return kind, base, identifier.strip()
    raise PortalProblem(
        "scheme-error",
        f"{reference}: not a dataset reference (expected datagouv:<id>, datagouv:<base>#<id>, "
        "ckan:<base>#<id> or ods:<base>#<id>)",
    )


def _get_json(url: str, reference: str) -> Any:
    from .readers.remote import fetch_bytes

    try:
        data = fetch_bytes(url, max_bytes=API_MAX_BYTES)
    except SourceProblem as problem:
        raise PortalProblem("scheme-error", f"{reference}: the portal did not answer: {problem.note}")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise PortalProblem("source-error", f"{reference}: the portal's answer ({url}) is not valid JSON")


def _quote(identifier: str) -> str:
    return urllib.parse.quote(identifier, safe="")


def list_resources(reference: str) -> list:
    """The dataset's resources as dicts ``{title, url, format, schema}`` (schema: dict or None)."""
    kind, base, identifier = parse_reference(reference)
    if kind == "ods":
        url = (f"{base}/api/explore/v2.1/catalog/datasets/{_quote(identifier)}/exports/csv"
               "?delimiter=%2C&with_bom=false")
        return [{"title": identifier, "url": url, "format": "csv", "schema": None, "name": identifier}]
    if kind == "datagouv":
        answer = _get_json(f"{base}/api/1/datasets/{_quote(identifier)}/", reference)
        resources = answer.get("resources") if isinstance(answer, dict) else None
    else:
        answer = _get_json(f"{base}/api/3/action/package_show?id={_quote(identifier)}", reference)
        if not isinstance(answer, dict) or answer.get("success") is not True:
            message = ""
            if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
                message = f": {answer['error'].get('message', '')}"
            raise PortalProblem("scheme-error", f"{reference}: CKAN package_show failed{message}")
        result = answer.get("result")
        resources = result.get("resources") if isinstance(result, dict) else None
    if not isinstance(resources, list):
        raise PortalProblem("source-error", f"{reference}: the portal's answer has no list of resources")
    found = []
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            continue
        url = resource.get("url") or ""
        title = resource.get("title") or resource.get("name") or f"resource {number}"
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else None
        found.append({"title": str(title), "url": str(url), "format": str(resource.get("format") or ""),
                      "schema": schema, "name": str(resource.get("name") or title)})
    return found


def tabular_format(declared: str, url: str) -> Optional[str]:
    """The reader format for a published resource, or None when it is not a table."""
    declared = (declared or "").strip().lower().lstrip(".")
    if declared in TABULAR_FORMATS:
        return TABULAR_FORMATS[declared]
    if declared:
        return None
    extension = os.path.splitext(urllib.parse.urlsplit(url).path)[1].lower()
    return _URL_ONLY_EXTENSIONS.get(extension)


# --- schemas ---------------------------------------------------------------

def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def pick_table(entry_reference: str, hints: list) -> Optional[str]:
    """For a catalogue entry with several tables, the table whose name the file's name shows."""
    from .schema import catalogue
    from .schema import SchemaProblem

    name, _, version = entry_reference.partition("@")
    try:
        entry = catalogue.get_entry(name)
        package = entry.package(version or None)
    except (SchemaProblem, OSError, ValueError):
        return None
    tables = [r.get("name", "") for r in package.get("resources", []) if r.get("name")]
    words = [_normal(os.path.basename(urllib.parse.urlsplit(h).path) if is_url(h) else os.path.basename(h))
             for h in hints if h]
    words += [_normal(h) for h in hints if h]
    # The longest table name contained in a hint wins ("water_readings" before "readings").
    for table in sorted(tables, key=len, reverse=True):
        if any(_normal(table) and _normal(table) in word for word in words):
            return f"{name}/{table}" + (f"@{version}" if version else "")
    return None


def schema_for_file(schema: Any, hints: list) -> Any:
    """The user's schema, narrowed to one table when it names a multi-table catalogue entry.

    ``--schema waste-fill-level`` with ``mesures-measurements.csv`` means the
    ``measurements`` table; a datapackage.json keeps the whole entry.
    """
    if not isinstance(schema, str) or not schema or "/" in schema.split("@", 1)[0] or is_url(schema):
        return schema
    if os.path.exists(schema) or schema.endswith(".json"):
        return schema
    if any(_is_package_path(h) for h in hints):
        return schema
    from .schema import catalogue
    from .schema import SchemaProblem

    try:
        resolved = catalogue.resolve(schema)
    except SchemaProblem:
        return schema
    if isinstance(resolved, dict) and resolved.get("__package__"):
        return pick_table(schema, hints) or schema
    return schema


def _is_package_path(text: str) -> bool:
    return isinstance(text, str) and text.split("?", 1)[0].rstrip("/").endswith(("datapackage.json", "datapackage.yaml"))


def declared_schema(declared: dict, hints: list) -> tuple:
    """``(catalogue reference or None, warning dict or None)`` for a schema a portal declares."""
    from .schema import catalogue
    from .schema import SchemaProblem

    name = str(declared.get("name") or "").strip()
    version = str(declared.get("version") or "").strip()
    shown = name + (f"@{version}" if version else "")
    if not name:
        return None, None
    candidates = [name]
    if "/" in name:
        candidates += [name.split("/", 1)[1], name.rsplit("/", 1)[1]]
    entry_versions = None
    for candidate in dict.fromkeys(candidates):
        entry_name = candidate.split("/", 1)[0]
        try:
            entry = catalogue.get_entry(entry_name)
        except SchemaProblem:
            continue
        entry_versions = entry.versions
        if version and version not in entry.versions:
            continue
        reference = candidate + (f"@{version}" if version else "")
        try:
            resolved = catalogue.resolve(reference)
        except SchemaProblem:
            continue
        if isinstance(resolved, dict) and resolved.get("__package__"):
            narrowed = pick_table(reference, hints)
            if narrowed:
                return narrowed, None
            return None, portal_warning(
                f"The portal declares the schema {shown}, a catalogue entry with several tables; "
                "the file's name does not tell which one, so only its structure was checked.",
                f"Le portail déclare le schéma {shown}, une entrée du catalogue à plusieurs tables ; "
                "le nom du fichier ne dit pas laquelle, seule sa structure a été vérifiée.")
        return reference, None
    if entry_versions is not None:
        return None, portal_warning(
            f"The portal declares the schema {shown}, but the Territoria catalogue has no such version "
            f"(versions: {', '.join(entry_versions)}).",
            f"Le portail déclare le schéma {shown}, mais le catalogue Territoria n'a pas cette version "
            f"(versions : {', '.join(entry_versions)}).")
    return None, portal_warning(
        f"The portal declares the schema {shown}, which is not in the Territoria catalogue.",
        f"Le portail déclare le schéma {shown}, qui n'est pas dans le catalogue Territoria.")


def portal_warning(message_en: str, message_fr: str) -> dict:
    return {
        "type": "portal-schema-warning", "severity": "warning", "note": message_en,
        "title": "Declared schema", "tags": [],
        "message_en": message_en, "message_fr": message_fr, "message": message_en,
        "hint_en": "Pass the action's `schema` input (or --schema) to choose the schema yourself.",
        "hint_fr": "Indiquez l'entrée `schema` de l'action (ou --schema) pour choisir le schéma vous-même.",
    }


# --- targets ---------------------------------------------------------------

def dataset_targets(reference: str, schema: Any = None) -> tuple:
    """``(targets, skipped)`` for one dataset reference; a failure is one target with a problem."""
    try:
        resources = list_resources(reference)
    except PortalProblem as problem:
        return [Target(source=reference, name=reference, dataset=reference,
                       problem=(problem.code, problem.note))], []
    targets, skipped = [], []
    for resource in resources:
        url = resource["url"]
        fmt = tabular_format(resource["format"], url)
        if not is_url(url):
            targets.append(Target(source=url or resource["title"], name=resource["title"], dataset=reference,
                                  problem=("scheme-error", f"{reference}: resource {resource['title']!r} "
                                                           f"has no http(s) address ({url!r})")))
            continue
        if fmt is None:
            skipped.append(Skipped(reference, resource["title"], url, resource["format"]))
            continue
        hints = [resource["title"], resource.get("name", ""), url]
        target = Target(source=url, name=_task_name(resource["title"], url), format=fmt, dataset=reference)
        chosen, warning = (None, None)
        if resource.get("schema"):
            chosen, warning = declared_schema(resource["schema"], hints)
        if warning:
            target.warnings.append(warning)
        target.schema = schema_for_file(schema, hints) if schema else chosen
        targets.append(target)
    if not targets and not skipped:
        targets.append(Target(source=reference, name=reference, dataset=reference,
                              problem=("source-error", f"{reference}: the dataset has no resources")))
    return targets, skipped


def _task_name(title: str, url: str) -> str:
    base = os.path.splitext(os.path.basename(urllib.parse.urlsplit(url).path))[0]
    return title if title and title != base else base or title


def path_targets(patterns: list, schema: Any = None, root: str = ".") -> list:
    """Targets for files, directories or globs (``**`` allowed, ``!pattern`` excludes), relative to root."""
    included, excluded, targets = [], set(), []
    for pattern in patterns:
        if pattern.startswith("!"):
            excluded.update(os.path.normpath(p) for p in _expand(pattern[1:], root))
    for pattern in patterns:
        if pattern.startswith("!"):
            continue
        if is_url(pattern):
            targets.append(Target(source=pattern, schema=schema_for_file(schema, [pattern])))
            continue
        matches = [m for m in _expand(pattern, root) if os.path.normpath(m) not in excluded]
        if not matches:
            targets.append(Target(source=pattern, name=pattern,
                                  problem=("scheme-error", f"{pattern}: no file matches")))
            continue
        for match in matches:
            if match not in included:
                included.append(match)
                targets.append(Target(source=match, schema=schema_for_file(schema, [match])))
    return targets


def _expand(pattern: str, root: str) -> list:
    full = pattern if os.path.isabs(pattern) else os.path.join(root, pattern)
    if glob.has_magic(pattern):
        found = sorted(p for p in glob.glob(full, recursive=True) if os.path.isfile(p))
    elif os.path.isdir(full):
        package = os.path.join(full, "datapackage.json")
        if os.path.isfile(package):
            found = [package]
        else:
            found = sorted(
                os.path.join(folder, name)
                for folder, _, names in os.walk(full) for name in names
                if os.path.splitext(name)[1].lower() in _URL_ONLY_EXTENSIONS and not name.startswith(".")
            )
    else:
        found = [full] if os.path.exists(full) else []
    return [os.path.normpath(p) for p in found]


def validate_target(target: Target, *, limit_errors: int = 1000, **options):
    """Validate one target; a listing problem or a download failure is a failed task, never an exception."""
    from .api import _failed_task, validate
    from .report import Report

    if target.problem:
        code, note = target.problem
        task = _failed_task(target.source, code, note)
        if target.name:
            task.name = target.name
        return Report(tasks=[task])
    if target.format:
        options.setdefault("format", target.format)
    report = validate(target.source, target.schema, limit_errors=limit_errors,
                      name=target.name if target.dataset else "", **options)
    for task in report.tasks:
        task.warnings.extend(dict(w) for w in target.warnings)
    return report
