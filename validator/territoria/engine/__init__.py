"""The columnar validation engine: one table against one Table Schema.

Why columnar: every check is a vectorised operation over a batch of rows of one
column (a pyarrow array), producing boolean masks. Errors exist as arrays of
row positions until they are listed; only the first ``limit_errors`` become
Python dicts, while counts by type and field stay exact for the whole file.
The order of errors within a row, and which errors a blank row hides, follow
frictionless-py v5 so that reports can be compared error for error.
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np
import pyarrow as pa

from ..columnar.arrow import strings, validity
from ..columnar.keys import KeySet, hash_keys
from ..fields.native import check_column
from ..readers import NeedsExactRead, Table
from ..schema import TableSchema
from .batch import BatchChecker, lookup_budget
from .cells import field_cells
from .findings import Findings, Lookup, TableOutcome
from .header import expected_fields, field_missing_values, header_errors

__all__ = ["validate_table", "collect_keys", "collect_columns", "header_errors", "expected_fields",
           "lookup_budget", "Findings", "TableOutcome"]


def validate_table(table: Table, schema: TableSchema, *, limit_errors: int = 1000,
                   lookup: Optional[Lookup] = None, resource_name: str = "",
                   on_batch: Optional[Callable[[int], None]] = None,
                   related: Optional[dict] = None,
                   on_errors: Optional[Callable[[list], None]] = None) -> TableOutcome:
    """Check every row of ``table``; restart on the exact reader if the fast one gives up.

    ``related``: columns of the package's other tables for cross-file checks
    (``checks.cross_file``); None when the table is validated alone.
    ``on_errors``: called with the list of listed errors after each batch (it
    only grows; a restart on the exact reader starts a new list), so that the
    caller can describe them while the next batch is checked.
    """
    try:
        return _validate(table, schema, limit_errors, lookup, resource_name, on_batch, exact=False,
                         related=related, on_errors=on_errors)
    except NeedsExactRead:
        return _validate(table, schema, limit_errors, lookup, resource_name, on_batch, exact=True,
                         related=related, on_errors=on_errors)


def _validate(table, schema, limit_errors, lookup, resource_name, on_batch, exact, related=None,
              on_errors=None) -> TableOutcome:
    findings = Findings(limit=limit_errors)
    # frictionless (like Python's csv module) reads an empty line as a row with no
    # cells, which pyarrow reads as empty cells: the same thing unless "" is not a
    # missing value, a rare schema that takes the exact path from the start
    exact = exact or any("" not in field_missing_values(spec, schema)
                         for spec in expected_fields(table.labels, schema))
    for error in header_errors(table.labels, schema):
        findings.add(error, (0, 0))
    checker = BatchChecker(table, schema, findings, lookup or {}, resource_name, related)
    rows = 0
    pending = None  # a batch whose columns are being checked while the next one starts
    try:
        for batch in table.batches(exact=exact):
            started = checker.start(batch)
            if pending is not None:
                checker.complete(pending)
                rows += len(pending.batch)
                if on_batch:
                    on_batch(len(pending.batch))
                if on_errors:
                    on_errors(findings.errors)
            pending = started
        if pending is not None:
            checker.complete(pending)
            rows += len(pending.batch)
            if on_batch:
                on_batch(len(pending.batch))
        checker.finish()
    finally:
        checker.close()
    return TableOutcome(findings=findings, rows=rows, labels=list(table.labels))


def collect_keys(table: Table, schema: TableSchema, key_fields: list, lookup_seen: KeySet) -> None:
    """Remember the typed keys of a referenced table (rows whose key is all null are skipped)."""
    index = {f.name: i for i, f in enumerate(schema.fields)}
    if not all(k in index for k in key_fields):
        return

    def run(exact: bool):
        for batch in table.batches(exact=exact):
            n = len(batch)
            columns, salts = [], []
            for name in key_fields:
                i = index[name]
                spec = schema.fields[i]
                result = check_column(spec, batch, i, lambda: field_cells(batch, i, spec, schema),
                                      field_missing_values(spec, schema))[0]
                columns.append(result.keys)
                salts.append(result.key_salt())
            empty = np.ones(n, dtype=bool)
            for column in columns:
                empty &= ~validity(column)
            if not empty.all():
                lookup_seen.add(hash_keys(columns, salts)[~empty])

    try:
        run(False)
    except NeedsExactRead:
        run(True)


def collect_columns(table: Table, schema: TableSchema, names: list) -> dict:
    """Typed values of some columns of a table, all rows, for cross-file checks.

    ``{field name: pyarrow array}``, cast as ``check_cells`` casts them (null where
    the cell is missing or not castable), batches concatenated; a field the schema
    lacks, or the file lacks at its position, is left out.
    """
    index = {f.name: i for i, f in enumerate(schema.fields)}
    wanted = [n for n in dict.fromkeys(names) if n in index and index[n] < len(table.labels)]

    def run(exact: bool) -> dict:
        parts: dict = {name: [] for name in wanted}
        for batch in table.batches(exact=exact):
            for name in wanted:
                i = index[name]
                spec = schema.fields[i]
                values = check_column(spec, batch, i, lambda: field_cells(batch, i, spec, schema),
                                      field_missing_values(spec, schema))[0].keys
                if isinstance(values, pa.ChunkedArray):
                    values = values.combine_chunks()
                parts[name].append(values)
        out = {}
        for name, chunks in parts.items():
            if not chunks:
                out[name] = strings([])
            elif len({c.type for c in chunks}) == 1:
                out[name] = pa.concat_arrays(chunks)
            else:  # a column typed differently across batches (all-null batches): unify
                kind = next(c.type for c in chunks if not pa.types.is_null(c.type))
                out[name] = pa.concat_arrays([c.cast(kind) if c.type != kind else c for c in chunks])
        return out

    try:
        return run(False)
    except NeedsExactRead:
        return run(True)
