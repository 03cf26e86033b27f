"""Many small files of one schema in one run: read a few dozen ahead, check their columns as one.

Why: ``territoria validate dossier/*.csv --schema ...`` on 200 files of 20 rows
spent most of each file on fixed costs: its twelve columns' few dozen numpy and
pyarrow calls each, whatever the rows. :func:`planned` (``targets.run``) names the
files of the run in order; when the first of them is opened, :func:`take` opens
the next ones of the same schema and options too (small CSV files only, read
whole), checks their columns together (``engine.together``) and keeps each table,
its one batch already checked, for its own turn. Each file is still validated
alone, by ``validate_file``: the same task, findings and words; only the cast
and constraint checks of its cells were computed in company.

A file that cannot be read ahead (too big, ragged, not CSV, refused, anything)
is simply opened in its turn, as without this module.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
from typing import Any, Optional

from ..readers import Table
from ..readers.detect import SAMPLE_BYTES

#: files read ahead at once, and their bytes: bounded, so that memory stays a small file's
AHEAD_FILES = 64
AHEAD_BYTES = 4 << 20

#: the run's plan, set by :func:`planned` around ``targets.run``: a context variable, as the read policy and
#: the memory limit are (readers.policy, columnar.keys), so that a thread or a task of its own sees none
_plan: contextvars.ContextVar = contextvars.ContextVar("territoria_together", default=None)


class _Plan:
    def __init__(self, paths: list) -> None:
        self.paths = list(paths)
        self.position = {path: number for number, path in reversed(list(enumerate(self.paths)))}
        self.tried: set = set()
        self.ready: dict = {}  # path -> (key, Table)


@contextlib.contextmanager
def planned(paths: list):
    """The local files a run validates, in order, each with the same schema and options
    (``targets.run``): they may be read ahead. Outside, :func:`take` gives nothing."""
    token = _plan.set(_Plan(paths) if len(paths) > 1 else None)
    try:
        yield
    finally:
        _plan.reset(token)


def take(path: str, schema: Any, fmt: str, options: dict) -> Optional[Table]:
    """The table of ``path`` read ahead (its batch checked with its neighbours'), or None:
    then the caller opens it. ``options``: ``open_table``'s dialect, encoding and sheet."""
    plan = _plan.get()
    if plan is None or schema is None or fmt not in ("csv", "tsv") or path not in plan.position:
        return None
    key = (id(schema), fmt, repr(sorted(options.items())))
    if path not in plan.tried:
        _read_ahead(plan, plan.position[path], schema, fmt, options, key)
    ready = plan.ready.pop(path, None)
    if ready is None or ready[0] != key:
        return None
    return ready[1]


def _shareable(schema) -> bool:
    """Whether the columns' checks can be shared: no key compared with another table's
    (foreign keys) and no custom check reading the typed values."""
    descriptor = schema.descriptor if isinstance(schema.descriptor, dict) else {}
    return not schema.foreign_keys and not descriptor.get("custom_checks")


def _read_ahead(plan: _Plan, first: int, schema, fmt: str, options: dict, key: tuple) -> None:
    from ..engine import expected_fields
    from ..engine.header import field_missing_values
    from ..engine.together import check_together

    if not _shareable(schema):
        plan.tried.update(plan.paths[first:])
        return
    groups: dict = {}  # labels -> [(path, table, batch)]
    budget = AHEAD_BYTES
    for path in plan.paths[first:first + AHEAD_FILES]:
        if path in plan.tried:
            continue
        plan.tried.add(path)
        opened = _open_small(path, fmt, options, budget)
        if opened is None:
            continue
        table, batch, size = opened
        budget -= size
        groups.setdefault(tuple(table.labels), []).append((path, table, batch))
        if budget <= 0:
            break
    for labels, members in groups.items():
        fields = expected_fields(list(labels), schema)
        # a schema without "" among its missing values takes the exact reader (engine._validate)
        if all("" in field_missing_values(spec, schema) for spec in fields):
            check_together([batch for _, _, batch in members], fields, schema)
        for path, table, batch in members:
            plan.ready[path] = (key, _holding(table, batch))


def _open_small(path: str, fmt: str, options: dict, budget: int):
    """(table, its one batch, bytes) of a small regular CSV file read whole, or None."""
    from ..readers.open import detect_format, localise, open_table

    try:
        size = os.stat(path).st_size
        if size >= SAMPLE_BYTES or size > budget:
            return None
        local = localise(path)
        try:
            if local.temporary or detect_format(local.path, local.place, None) != fmt:
                return None
            table = open_table(local.path, fmt, **options)
            batches = list(table.batches())
        finally:
            local.cleanup()
    except Exception:  # read again in its turn, and failed there if it must: its task says why
        return None
    if len(batches) != 1 or batches[0].cell_counts is not None or len(batches[0].columns) != len(table.labels):
        return None
    return table, batches[0], size


def _holding(table: Table, batch) -> Table:
    """``table`` whose fast read gives the batch already read (the exact one reads the file again)."""
    reread = table.batches

    def batches(exact: bool = False):
        if exact:
            yield from reread(exact=True)
        else:
            yield batch

    table.batches = batches
    return table
