"""The validation report: the contract between the engine and every renderer.

Its JSON form is structurally compatible with frictionless-py v5's report
(``valid``, ``stats``, ``tasks[].errors[]`` with ``type``, ``rowNumber``,
``fieldName``, ``fieldNumber``, ``cell``, ``note``, ``message``); Territoria
adds ``severity``, French and English messages and hints, exact error counts
by type and by field, and structured warnings.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from . import rules


@dataclass
class Task:
    """The outcome of one table (one file, or one resource of a package)."""

    name: str
    place: str
    errors: list = field(default_factory=list)  # listed errors (capped)
    warnings: list = field(default_factory=list)  # warning dicts
    error_count: int = 0
    counts_by_type: dict = field(default_factory=dict)
    counts_by_field: dict = field(default_factory=dict)
    rows: int = 0
    labels: list = field(default_factory=list)
    fields: int = 0
    bytes: Optional[int] = None
    seconds: float = 0.0
    format: str = ""
    encoding: Optional[str] = None
    schema: str = ""
    could_not_run: bool = False  # the tool failed to read the source, not a data finding
    sheet: str = ""  # the workbook sheet read, when one was chosen (``--sheet``)

    @classmethod
    def failed(cls, place: str, code: str, note: str, *, name: str = "") -> "Task":
        """A task the tool could not run (a missing file, a portal that did not answer...)."""
        task = cls(name=name or task_name(place), place=place, could_not_run=True)
        task.fail([{"type": code, "note": note}])
        return task

    def fail(self, errors: list) -> None:
        """Replace the task's findings by these problems of the tool or the schema (each note one line)."""
        for error in errors:
            if isinstance(error.get("note"), str):
                error["note"] = " ".join(error["note"].split())
        self.errors = [rules.describe(error) for error in errors]
        self.error_count = len(self.errors)
        self.counts_by_type = {}
        for error in self.errors:
            self.counts_by_type[error["type"]] = self.counts_by_type.get(error["type"], 0) + 1
        self.could_not_run = True

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def to_dict(self, lang: str = "en", listed: bool = True) -> dict:
        """The task as frictionless lays it out; ``message`` (and the ``warnings`` strings) in ``lang``.
        ``listed=False`` leaves ``errors`` empty (the JSON writer streams them)."""
        return {
            "name": self.name,
            "type": "table",
            "valid": self.valid,
            "place": self.place,
            "labels": self.labels,
            "stats": {
                "errors": self.error_count,
                "warnings": len(self.warnings),
                "seconds": round(self.seconds, 3),
                "rows": self.rows,
                "fields": self.fields,
                "bytes": self.bytes,
            },
            "warnings": [w.get(f"message_{lang}") or w.get("message_en", "") for w in self.warnings],
            "errors": _in_language(self.errors, lang) if listed else [],
            "territoria": {
                "format": self.format,
                "encoding": self.encoding,
                "schema": self.schema,
                "couldNotRun": self.could_not_run,
                **({"sheet": self.sheet} if self.sheet else {}),
                "errorsListed": len(self.errors),
                "errorsTruncated": self.truncated,
                "errorCountsByType": self.counts_by_type,
                "errorCountsByField": self.counts_by_field,
                "warnings": _in_language(self.warnings, lang),
            },
        }


@dataclass
class Report:
    """Every task of one run (several files, a package's resources), and the run's own problems."""

    tasks: list = field(default_factory=list)
    seconds: float = 0.0
    errors: list = field(default_factory=list)  # problems outside any table (e.g. the package)

    @property
    def valid(self) -> bool:
        return not self.errors and all(t.valid for t in self.tasks)

    @property
    def could_not_run(self) -> bool:
        return bool(self.errors) or any(t.could_not_run for t in self.tasks)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(t.error_count for t in self.tasks)

    @property
    def warning_count(self) -> int:
        return sum(len(t.warnings) for t in self.tasks)

    def flatten(self, keys: list) -> list:
        """Like frictionless's ``Report.flatten``: one list of values per listed error."""
        return [[error.get(key) for key in keys] for task in self.tasks for error in task.errors]

    def to_dict(self, lang: str = "en", listed: bool = True) -> dict:
        return {
            "valid": self.valid,
            "stats": {
                "tasks": len(self.tasks),
                "errors": self.error_count,
                "warnings": self.warning_count,
                "seconds": round(self.seconds, 3),
            },
            "warnings": [],
            "errors": _in_language(self.errors, lang),
            "tasks": [t.to_dict(lang, listed) for t in self.tasks],
        }

    @classmethod
    def combine(cls, reports: list) -> "Report":
        """One report of several runs, in their order."""
        return cls(tasks=[t for r in reports for t in r.tasks], errors=[e for r in reports for e in r.errors],
                   seconds=sum(r.seconds for r in reports))


def _in_language(findings: list, lang: str) -> list:
    """The findings with ``message`` in ``lang`` (frictionless's one message; both stay as message_fr/en)."""
    if lang == "en":
        return findings
    return [dict(f, message=f.get(f"message_{lang}") or f.get("message", "")) for f in findings]


FAIL_ON = ("error", "warning", "never")


def exit_status(report: Report, fail_on: str = "error") -> int:
    """0 valid, 1 invalid (or warnings, with ``fail_on="warning"``), 2 something could not be checked;
    always 0 with ``fail_on="never"``."""
    if fail_on == "never":
        return 0
    if report.could_not_run:
        return 2
    if not report.valid:
        return 1
    if fail_on == "warning" and report.warning_count:
        return 1
    return 0


def task_name(place: str) -> str:
    """A task's name from its place: the file name without its extension."""
    base = os.path.basename(place.split("?", 1)[0].rstrip("/")) or place
    return os.path.splitext(base)[0]
