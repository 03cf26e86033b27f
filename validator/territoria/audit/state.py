"""What a run remembers of the previous one in the same folder: verdicts to keep, and the history.

Why: a portal's files mostly do not change from one night to the next. A
resource keeps its previous verdict when nothing that decided it changed — the
same address and schema, the same validator and bounds (``settings``), a
verdict that was not a failure, its report still there — and the server says
the file did not change (304 to a conditional request on its ETag or
Last-Modified) or it comes back with the same SHA-256. Everything else is
checked again. ``history.parquet`` gets one line per schema and version per
run, so the dashboard can show the trend.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Optional

from .results import read_results, read_rows, replace

HISTORY = "history.parquet"
#: (column, pyarrow type name) of history.parquet
HISTORY_COLUMNS = (
    ("run_at", "string"), ("schema", "string"), ("schema_version", "string"), ("resources", "int64"),
    ("valid", "int64"), ("invalid", "int64"), ("failed", "int64"), ("skipped", "int64"), ("revalidated", "int64"),
)


def settings_of(limit_errors: int, safety: dict) -> str:
    """A digest of what decides a verdict besides the file and its schema: the validator's version and bounds."""
    from .. import __version__

    chosen = {"version": __version__, "limit_errors": limit_errors, "trusted": bool(safety.get("trusted")),
              "limits": dict(sorted((safety.get("limits") or {}).items()))}
    return hashlib.sha256(json.dumps(chosen, sort_keys=True, default=str).encode()).hexdigest()[:16]


class Previous:
    """The rows of the last run, by key."""

    def __init__(self, output: str, rows: list):
        self.output = output
        self.rows = {row.get("key"): row for row in rows if row.get("key")}

    @classmethod
    def load(cls, output: str) -> "Previous":
        return cls(output, read_results(output))

    def reusable(self, resource, settings: str) -> Optional[dict]:
        """The previous row of ``resource`` when its verdict may stand if the file is unchanged."""
        row = self.rows.get(resource.key)
        if row is None or row.get("status") not in ("valid", "invalid") or row.get("settings") != settings:
            return None
        if row.get("url") != resource.source or row.get("schema") != resource.schema_name \
                or row.get("schema_version") != resource.schema_version or not row.get("sha256"):
            return None
        report = row.get("report") or ""
        if not report or not os.path.isfile(os.path.join(self.output, report)):
            return None
        return row


# --- history -------------------------------------------------------------------------


def read_history(output: str) -> list:
    return read_rows(os.path.join(output, HISTORY))


def append_history(output: str, rows: list, run_at: str) -> list:
    """Add this run's counts (one line per schema and version) to history.parquet; returns the whole history."""
    import pyarrow as pa
    import pyarrow.parquet as parquet

    counts: dict = {}
    for row in rows:
        line = counts.setdefault((row.get("schema") or "", row.get("schema_version") or ""), {
            "run_at": run_at, "schema": row.get("schema") or "", "schema_version": row.get("schema_version") or "",
            "resources": 0, "valid": 0, "invalid": 0, "failed": 0, "skipped": 0, "revalidated": 0})
        line["resources"] += 1
        if row.get("status") in ("valid", "invalid", "failed", "skipped"):
            line[row["status"]] += 1
        line["revalidated"] += bool(row.get("revalidated")) and row.get("status") != "skipped"
    history = [h for h in read_history(output) if h.get("run_at") != run_at] + list(counts.values())
    kinds = {"string": pa.string(), "int64": pa.int64()}
    schema = pa.schema([(name, kinds[kind]) for name, kind in HISTORY_COLUMNS])
    table = pa.table({name: [h.get(name) for h in history] for name, _ in HISTORY_COLUMNS}, schema=schema)
    replace(os.path.join(output, HISTORY), lambda handle: parquet.write_table(table, handle))
    return history
