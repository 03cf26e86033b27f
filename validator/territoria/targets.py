"""What to validate: files, folders, globs, URLs and portal datasets, each with its schema.

Why one place: the command line and the GitHub Action take the same inputs and
must give the same verdict and the same JSON report. Both call :func:`collect`
(what to validate, and the portal resources deliberately not validated), then
:func:`run` (each target validated in isolation: a failure costs one file,
never the run), then :func:`~territoria.report.exit_status`.

Paths: a file; a folder (its ``datapackage.json`` if it has one, else every table
file below it); a glob (``**`` allowed; a line starting with ``!`` excludes).
"""
from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from . import rules
from .readers.open import TABLE_EXTENSIONS, is_url
from .report import Report, Task


@dataclass
class Target:
    """One thing to validate: a local path or a URL, with the schema to use."""

    source: str
    schema: Any = None
    name: str = ""
    format: Optional[str] = None
    dataset: str = ""  # the portal reference it comes from, if any
    warnings: list = field(default_factory=list)  # warning findings added to its task(s)
    problem: Optional[tuple] = None  # (code, note): nothing could be read at all
    members: list = field(default_factory=list)  # files validated together as one package (its tables)


@dataclass
class Skipped:
    """A published resource deliberately not validated (not a table: PDF, ZIP, map...)."""

    dataset: str
    title: str
    url: str
    format: str


@dataclass
class Plan:
    """The targets of a run, in input order, and the resources left out."""

    targets: list
    skipped: list


def collect(paths=(), urls=(), datasets=(), schema: Any = None, *, root: str = ".") -> Plan:
    """Targets for paths (relative to ``root``), then URLs, then portal datasets."""
    targets = path_targets(list(paths), schema, root) if paths else []
    for url in urls:
        if is_url(url):
            targets.append(Target(source=url, schema=schema_for_file(schema, [url])))
        else:
            targets.append(Target(source=url, name=url, problem=("scheme-error", f"{url}: not an http(s) URL")))
    if targets and _is_package_schema(schema):
        targets = _together(targets, schema)
    skipped: list = []
    for reference in datasets:
        found, left = dataset_targets(reference, schema)
        targets += found
        skipped += left
    return Plan(targets, skipped)


def _is_package_schema(schema: Any) -> bool:
    """Whether the schema describes several tables (a catalogue entry, a ``datapackage.json``)."""
    if schema is None:
        return False
    from .schema import SchemaProblem
    from .schema.resolve import resolve_schema
    from .readers import SourceProblem

    try:
        return not resolve_schema(schema).lone
    except (SchemaProblem, SourceProblem):
        return False  # each target's validation says what is wrong with the schema


def _together(targets: list, schema: Any) -> list:
    """The data files given with a package schema, as one target: they are validated together."""
    members = [t for t in targets if not t.problem and not t.dataset and not is_package_path(t.source)]
    if not members:
        return targets
    together = Target(source=members[0].source, schema=schema, members=[t.source for t in members])
    first = targets.index(members[0])
    rest = [t for t in targets if t not in members]
    return rest[:first] + [together] + rest[first:]


def run(targets: list, *, limit_errors: int = 1000,
        progress: Optional[Callable[[Target], Any]] = None, **options) -> Report:
    """Validate each target in turn and combine their reports.

    ``progress(target)``: a context manager with an ``advance(rows)`` method,
    entered around each target (the command line's progress bar).
    """
    from .validation import together

    reports = []
    resolved: dict = {}  # one resolution per schema reference: 200 files, one schema read and checked
    with together.planned(_read_ahead(targets, resolved)):
        for target in targets:
            reports.append(_run_one(target, resolved, limit_errors, progress, options))
    return Report.combine(reports)


def _read_ahead(targets: list, resolved: dict) -> list:
    """The local files of the run that ``validation.together`` may read ahead: plain paths
    (no format, no dataset, not a package) whose schema is one table (a lone profile)."""
    from .schema.profile import SchemaProfile

    candidates = [t for t in targets if not (
        t.problem or t.members or t.format or t.dataset or not isinstance(t.source, str) or is_url(t.source)
        or is_package_path(t.source) or not isinstance(t.schema, str))]
    if len(candidates) < 2:
        return []
    paths = []
    for target in candidates:
        if target.schema not in resolved:
            try:
                resolved[target.schema] = _resolved(target.schema)
            except Exception:  # said by that target's own validation, in its turn
                continue
        if isinstance(resolved[target.schema], SchemaProfile) and resolved[target.schema].lone:
            paths.append(target.source)
    return paths


def _run_one(target: Target, resolved: dict, limit_errors: int, progress, options: dict) -> Report:
    """One target validated, whatever happens, as a report."""
    try:
        bar = progress(target) if progress else contextlib.nullcontext()
        with bar as shown:
            advance = getattr(shown, "advance", None)
            if isinstance(target.schema, str) and not target.problem:
                if target.schema not in resolved:
                    resolved[target.schema] = _resolved(target.schema)
                target = dataclasses.replace(target, schema=resolved[target.schema])
            return validate_target(target, limit_errors=limit_errors, progress=advance, **options)
    except Exception as error:  # isolation: one target's failure never costs the others theirs
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        text = " ".join(str(error).split())
        note = (f"{type(error).__name__}: {text}" if text else type(error).__name__)[:300]
        return Report(tasks=[Task.failed(str(target.source), "internal-error", note, name=target.name)])


def _resolved(schema: str) -> Any:
    """The SchemaProfile a reference names, or the reference itself when it cannot be
    resolved (each target's validation then reports why)."""
    from .readers import SourceProblem
    from .schema import SchemaProblem
    from .schema.resolve import resolve_schema

    try:
        return resolve_schema(schema)
    except (SchemaProblem, SourceProblem):
        return schema


def validate_target(target: Target, *, limit_errors: int = 1000, **options) -> Report:
    """Validate one target; a listing problem or a download failure is a failed task, never an exception."""
    from .api import validate

    if target.problem:
        code, note = target.problem
        return Report(tasks=[Task.failed(target.source, code, note, name=target.name)])
    if target.format:
        options.setdefault("format", target.format)
    source = target.members if target.members else target.source
    report = validate(source, target.schema, limit_errors=limit_errors,
                      name=target.name if target.dataset else "", **options)
    for task in report.tasks:
        task.warnings.extend(rules.describe(dict(w)) for w in target.warnings)
    return report


# --- schemas -------------------------------------------------------------------------

def schema_for_file(schema: Any, hints: list) -> Any:
    """The user's schema, narrowed to one table when it names a multi-table catalogue entry.

    ``--schema waste-fill-level`` with ``mesures-measurements.csv`` means the
    ``measurements`` table; a datapackage.json keeps the whole entry.
    """
    if not isinstance(schema, str) or not schema or "/" in schema.split("@", 1)[0] or is_url(schema):
        return schema
    if os.path.exists(schema) or schema.endswith(".json"):
        return schema
    if any(is_package_path(h) for h in hints):
        return schema
    from .schema import SchemaProblem, catalogue

    try:
        profile = catalogue.resolve(schema)
    except SchemaProblem:
        return schema
    if profile.lone:
        return schema
    table = profile.match(hints)
    if table is None:
        return schema
    entry, _, version = schema.partition("@")
    return f"{entry}/{table}" + (f"@{version}" if version else "")


def is_package_path(text: str) -> bool:
    return isinstance(text, str) and text.split("?", 1)[0].rstrip("/").endswith(("datapackage.json", "datapackage.yaml"))


# --- portal datasets ----------------------------------------------------------------

def dataset_targets(reference: str, schema: Any = None) -> tuple:
    """``(targets, skipped)`` for one dataset reference; a failure is one target with a problem."""
    from .portals import PortalProblem, declared_schema, list_resources, tabular_format

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
        target = Target(source=url, name=resource_name(resource["title"], url), format=fmt, dataset=reference)
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


def resource_name(title: str, url: str) -> str:
    base = os.path.splitext(os.path.basename(urllib.parse.urlsplit(url).path))[0]
    return title if title and title != base else base or title


# --- paths ---------------------------------------------------------------------------

def path_targets(patterns: list, schema: Any = None, root: str = ".") -> list:
    """Targets for files, folders or globs (``!pattern`` excludes), relative to ``root``."""
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
            if os.path.isdir(_under(pattern, root)):
                targets.append(Target(source=pattern, name=pattern, problem=(
                    "scheme-error", f"{pattern}: is a directory with no datapackage.json and no data file")))
            elif glob.has_magic(pattern):
                targets.append(Target(source=pattern, name=pattern,
                                      problem=("scheme-error", f"{pattern}: no file matches")))
            else:  # a plain path: its validation says what is wrong with it (no such file...)
                targets.append(Target(source=_under(pattern, root), schema=schema_for_file(schema, [pattern])))
            continue
        for match in matches:
            if match not in included:
                included.append(match)
                targets.append(Target(source=match, schema=schema_for_file(schema, [match])))
    return targets


def _under(pattern: str, root: str) -> str:
    return pattern if os.path.isabs(pattern) or root in ("", ".") else os.path.join(root, pattern)


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
                if os.path.splitext(name)[1].lower() in TABLE_EXTENSIONS and not name.startswith(".")
            )
    else:
        found = [full] if os.path.exists(full) else []
    return [os.path.normpath(p) for p in found]
