"""``territoria.validate``: one call for a file, a URL, bytes or a Data Package.

Why here: the CLI, the GitHub Action and library users share this single entry
point, so they always get the same verdict for the same input. It resolves the
schema (``schema.resolve``), then hands the source to ``validation``: one table
(``validation.table``), or a package, declared or made of files given together
(``validation.package``).
"""
from __future__ import annotations

import os
import time
from typing import Any, Callable, Optional

from .columnar.keys import memory_limit as memory_limit_of
from .readers import SourceProblem, policy
from .report import Report, Task
from .schema import SchemaProblem
from .schema.resolve import resolve_schema
from .validation import sheets
from .validation.package import validate_files, validate_package
from .validation.table import DEFAULT_LIMIT_ERRORS, one_line, place_of, schema_task, validate_with_profile



def validate(source: Any, schema: Any = None, *, limit_errors: int = DEFAULT_LIMIT_ERRORS,
             format: Optional[str] = None, encoding: Optional[str] = None,
             delimiter: Optional[str] = None, sheet: Any = None, name: str = "",
             progress: Optional[Callable[[int], None]] = None, trusted: Optional[bool] = None,
             allow_private_network: Optional[bool] = None, memory_limit: Optional[int] = None,
             **limits) -> Report:
    """Validate ``source`` against ``schema`` and return a :class:`Report`.

    ``source``: a path, an http(s) URL, bytes or a binary file object; a path or
    URL ending in ``datapackage.json`` validates every resource of the package,
    foreign keys included; a list of paths or URLs with a package schema (a
    catalogue entry, a ``datapackage.json``) validates them together, each file
    matched to its table. ``schema``: a path, a URL, a dict, a catalogue name
    (``NAME``, ``NAME@VERSION``, ``NAME/RESOURCE@VERSION``) or None.

    Safety (README "Limits and safety"): ``trusted=True`` lets the descriptors
    name paths outside their folder (only for descriptors you wrote);
    ``allow_private_network=True`` lets downloads reach loopback and private
    addresses; the keyword arguments ``max_fields``, ``max_cell_bytes``,
    ``max_line_bytes``, ``max_uncompressed_bytes``, ``max_ratio``, ``max_cells`` and
    ``pattern_timeout`` raise or lower the bounds (:class:`~territoria.readers.policy.Limits`).
    ``memory_limit``: bytes the run should keep its peak memory under (default
    600 MB): key indexes past their share spill to a temporary folder.
    Whatever happens, the answer is a Report: a failure is a task that could not run.
    """
    from .schema.catalogue import catalogue_root

    chosen = policy.make(trusted, allow_private_network, limits, root=catalogue_root())
    with policy.applied(chosen), memory_limit_of(memory_limit):
        try:
            return _validate(source, schema, limit_errors=limit_errors, format=format, encoding=encoding,
                             delimiter=delimiter, sheet=sheet, name=name, progress=progress)
        except RecursionError:
            return Report(tasks=[Task.failed(name or place_of(source), "schema-error",
                                             "a descriptor is nested too deeply to be read")])
        except Exception as error:  # a bug must cost this source's verdict, never the caller's run
            if os.environ.get("TERRITORIA_DEBUG"):
                raise
            return Report(tasks=[Task.failed(name or place_of(source), "internal-error", one_line(error))])


def _validate(source: Any, schema: Any, *, limit_errors: int, format, encoding, delimiter, sheet, name,
              progress) -> Report:
    started = time.perf_counter()
    report = Report()
    place = name or place_of(source)
    try:
        profile = resolve_schema(schema) if schema is not None else None
    except SchemaProblem as problem:
        profile, report.tasks = None, [schema_task(place, problem)]
    except SourceProblem as problem:
        profile, report.tasks = None, [Task.failed(place, problem.code, problem.note)]
    if not report.tasks:
        if isinstance(source, (list, tuple)) or (sheets.wants_all(sheet) and not is_package(source)):
            source = list(source) if isinstance(source, (list, tuple)) else [source]
            files = validate_files(list(source), profile, limit_errors=limit_errors, format=format,
                                   encoding=encoding, delimiter=delimiter, sheet=sheet, progress=progress)
            report.tasks, report.errors = files.tasks, files.errors
        elif is_package(source):
            package = validate_package(source, profile, limit_errors=limit_errors, progress=progress)
            report.tasks, report.errors = package.tasks, package.errors
        else:
            options = dict(limit_errors=limit_errors, format=format, encoding=encoding, delimiter=delimiter,
                           sheet=sheet, name=name, progress=progress)
            report.tasks = [validate_with_profile(source, profile, options)]
    report.seconds = time.perf_counter() - started
    return report


def is_package(source: Any) -> bool:
    """A path or URL naming a Data Package descriptor."""
    if isinstance(source, (str, os.PathLike)):
        base = os.fspath(source).split("?", 1)[0].rstrip("/")
        return base.endswith("datapackage.json") or base.endswith("datapackage.yaml")
    return False
