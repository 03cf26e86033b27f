"""The validation report: the contract between the engine and every renderer.

Its JSON form is structurally compatible with frictionless-py v5's report
(``valid``, ``stats``, ``tasks[].errors[]`` with ``type``, ``rowNumber``,
``fieldName``, ``fieldNumber``, ``cell``, ``note``, ``message``); Territoria
adds ``severity``, French and English messages and hints, exact error counts
by type and by field, and structured warnings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from . import rules as registry

_TAGS = {
    "header": ["#table", "#header", "#label"],
    "row": ["#table", "#row"],
    "cell": ["#table", "#row", "#cell"],
    "source": [],
    "schema": [],
    "table": ["#table"],
}


def enrich(error: dict) -> dict:
    """Add title, description, tags, severity, messages and hints to a bare error."""
    error_type = registry.ERROR_TYPES.get(error["type"])
    if error_type is None:
        error.setdefault("severity", "error")
        return error
    error.setdefault("severity", error_type.severity)
    error.setdefault("title", error_type.title_en)
    error.setdefault("tags", list(_TAGS.get(error_type.scope, [])))
    error.setdefault("note", "")
    error["message_en"] = registry.message(error, "en")
    error["message_fr"] = registry.message(error, "fr")
    error.setdefault("message", error["message_en"])
    error["hint_en"] = registry.hint(error, "en")
    error["hint_fr"] = registry.hint(error, "fr")
    return error


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

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def to_dict(self) -> dict:
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
            "warnings": [w["message_en"] for w in self.warnings],
            "errors": self.errors,
            "territoria": {
                "format": self.format,
                "encoding": self.encoding,
                "schema": self.schema,
                "couldNotRun": self.could_not_run,
                "errorsListed": len(self.errors),
                "errorsTruncated": self.truncated,
                "errorCountsByType": self.counts_by_type,
                "errorCountsByField": self.counts_by_field,
                "warnings": self.warnings,
            },
        }


@dataclass
class Report:
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

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "stats": {
                "tasks": len(self.tasks),
                "errors": self.error_count,
                "warnings": self.warning_count,
                "seconds": round(self.seconds, 3),
            },
            "warnings": [],
            "errors": self.errors,
            "tasks": [t.to_dict() for t in self.tasks],
        }
