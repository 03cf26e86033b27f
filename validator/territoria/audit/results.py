"""The audit's results as data: ``results.parquet`` and ``results.csv``, and one JSON report per resource.

Why both formats: Parquet for the portal's own pipeline (typed, compact, read
back by the next run), CSV for a spreadsheet. One row per resource, in the
listing's order; ``error_types`` is a JSON object (``{"type-error": 3}``) in
both, so the two files hold the same text. Every file is written beside its
place and renamed over it: an interrupted run leaves the previous results whole.
"""
from __future__ import annotations

import json
import os
import tempfile
from typing import Callable

#: (column, pyarrow type name) of results.parquet, in order (results.csv has the same columns)
COLUMNS = (
    ("dataset", "string"), ("organization", "string"), ("resource", "string"), ("url", "string"),
    ("schema", "string"), ("schema_version", "string"), ("status", "string"), ("errors", "int64"),
    ("warnings", "int64"), ("error_types", "string"), ("rows", "int64"), ("bytes", "int64"),
    ("seconds", "float64"), ("checked_at", "string"), ("sha256", "string"),
    # beyond the list: what the next run and the dashboard need
    ("key", "string"), ("format", "string"), ("declared_schema", "string"), ("message", "string"),
    ("etag", "string"), ("last_modified", "string"), ("revalidated", "bool"), ("report", "string"),
    ("settings", "string"),
)
STATUSES = ("valid", "invalid", "failed", "skipped")
REPORTS = "reports"


def arrow_schema():
    import pyarrow as pa

    kinds = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(name, kinds[kind]) for name, kind in COLUMNS])


def report_path(key: str) -> str:
    """A resource's report, relative to the audit folder."""
    return f"{REPORTS}/{key}.json"


def write_report(output: str, key: str, text: str) -> str:
    path = os.path.join(output, report_path(key))
    replace(path, lambda handle: handle.write(text.encode("utf-8")))
    return report_path(key)


def write_results(output: str, rows: list) -> None:
    """results.parquet and results.csv, each whole or not at all."""
    import pyarrow.csv as csv
    import pyarrow.parquet as parquet

    table = to_table(rows)
    replace(os.path.join(output, "results.parquet"), lambda handle: parquet.write_table(table, handle))
    replace(os.path.join(output, "results.csv"), lambda handle: csv.write_csv(table, handle))


def to_table(rows: list):
    import pyarrow as pa

    schema = arrow_schema()
    columns = {name: [_cell(row.get(name), kind) for row in rows] for name, kind in COLUMNS}
    return pa.table(columns, schema=schema)


def _cell(value, kind: str):
    if kind == "string":
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return "" if value is None else str(value)
    return value


def read_results(output: str) -> list:
    """The rows of an earlier run in ``output`` (none when there is no readable results.parquet)."""
    return read_rows(os.path.join(output, "results.parquet"))


def read_rows(path: str) -> list:
    if not os.path.isfile(path):
        return []
    try:
        import pyarrow.parquet as parquet

        return parquet.read_table(path).to_pylist()
    except Exception:  # a damaged or foreign file: this run starts afresh, and replaces it
        return []


def replace(path: str, write: Callable) -> None:
    """Write a file through a temporary one beside it and a rename (``write`` gets a binary handle)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".territoria-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
