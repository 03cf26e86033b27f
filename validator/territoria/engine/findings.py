"""What the engine found in one table: listed errors (capped) and exact counts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Findings:
    """Errors of one table: the listed ones (capped) and exact counts."""

    limit: int
    errors: list = field(default_factory=list)
    #: (row number, rank within the row) of each listed error, to place late ones
    places: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # findings of severity "warning" (capped too)
    warning_counts: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    by_field: Counter = field(default_factory=Counter)
    total: int = 0

    def add(self, error: dict, place: tuple = (float("inf"), 0)) -> None:
        """Count an error, and list it if there is room (``place``: where it stands;
        by default after every row's errors)."""
        self.count(error)
        if len(self.errors) < self.limit:
            self.errors.append(error)
            self.places.append(place)

    def count(self, error: dict) -> None:
        self.total += 1
        self.by_type[error["type"]] += 1
        if error.get("fieldName"):
            self.by_field[error["fieldName"]] += 1

    def place(self, error: dict, place: tuple) -> None:
        """List an error found late (a spilled key's repeat; counted by the caller)
        where it stands among the listed ones, as if it had been found in its row:
        the listing stays the one the whole file read in memory gives."""
        import bisect

        at = bisect.bisect_right(self.places, place)
        if at < self.limit:
            self.errors.insert(at, error)
            self.places.insert(at, place)
            if len(self.errors) > self.limit:
                del self.errors[self.limit:], self.places[self.limit:]

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


Lookup = dict  # {(resource name, tuple of fields): columnar.keys.KeySet}
