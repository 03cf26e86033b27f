"""What the engine found in one table: listed errors (capped) and exact counts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Findings:
    """Errors of one table: the listed ones (capped) and exact counts."""

    limit: int
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # findings of severity "warning" (capped too)
    warning_counts: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    by_field: Counter = field(default_factory=Counter)
    total: int = 0

    def add(self, error: dict) -> None:
        self.total += 1
        self.by_type[error["type"]] += 1
        if error.get("fieldName"):
            self.by_field[error["fieldName"]] += 1
        if len(self.errors) < self.limit:
            self.errors.append(error)

    @property
    def room(self) -> int:
        return max(self.limit - len(self.errors), 0)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.errors)


@dataclass
class TableOutcome:
    findings: Findings
    rows: int
    labels: list


Lookup = dict  # {(resource name, tuple of fields): SeenKeys}
