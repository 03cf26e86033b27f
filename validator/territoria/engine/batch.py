"""One batch of rows, checked column by column, then turned into records of errors.

Why two steps (``start``, ``complete``): the columns of a batch are cast and
checked on a pool of threads; while they are, the previous batch's results are
turned into :class:`~.listing.Record` objects (blank rows, cell counts, keys,
custom checks) and listed. A key column's task waits for the same column's
task of the previous batch, so the key index sees the rows in file order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import pyarrow as pa

from ..columnar.arrow import validity
from ..columnar.arrow import indices as positions_array
from ..columnar.keys import SeenKeys, hash_keys, key_budget
from ..fields.native import check_column
from ..readers import Batch, Table
from ..rules import Finding
from ..schema import SchemaProblem, TableSchema
from .cells import field_cells, text_bytes
from .findings import Findings, Lookup
from .header import expected_fields, field_missing_values
from .listing import InRow, Lister, Record, blank_row_record, cell_record
from .pool import COST, PARALLEL_ROWS, column_pool


@dataclass
class Started:
    """A batch whose columns are being checked: each item a result or a future of one."""

    batch: Batch
    items: list

    def results(self) -> list:
        return [item.result() if hasattr(item, "result") else item for item in self.items]


#: files smaller than this do not size their key indexes ahead
_RESERVE_FROM = 1 << 20


def lookup_budget(schema: TableSchema, lookups: int) -> Optional[int]:
    """The bytes each of the ``lookups`` referenced key sets of a table of ``schema`` may
    take: they share the memory limit with the table's own key indexes (unique
    fields, primary key), as :class:`BatchChecker` counts them."""
    own = {(name,) for name in schema.unique_fields}
    if schema.primary_key:
        own.add(tuple(schema.primary_key))
    return key_budget(lookups + len(own))


class BatchChecker:
    """Checks the batches of one table, in order, against its schema."""

    def __init__(self, table: Table, schema: TableSchema, findings: Findings, lookup: Lookup,
                 resource_name: str, related: Optional[dict] = None):
        self.schema = schema
        self.findings = findings
        self.width = len(table.labels)
        self.fields = expected_fields(table.labels, schema)
        self.field_index = {f.name: i for i, f in enumerate(self.fields)}
        self.lister = Lister(self.fields, schema.primary_key, findings)
        self.byte_count = table.byte_count if table.format in ("csv", "tsv") else None
        self.first_batch = True
        self.key_tasks: dict = {}  # one-field key column -> its latest task (None: done)
        # one index of seen keys per distinct key: a single-field primary key that is
        # also `unique` shares its index (and its per-batch lookup) with the unique check
        self.seen: dict = {}
        self.unique = [self.field_index[name] for name in schema.unique_fields if name in self.field_index]
        for index in self.unique:
            self.seen.setdefault((index,), SeenKeys())
            self.key_tasks[index] = None
        pk = schema.primary_key
        self.primary = None
        if pk and all(k in self.field_index for k in pk):
            self.primary = tuple(self.field_index[k] for k in pk)
            self.seen.setdefault(self.primary, SeenKeys())
            if len(self.primary) == 1:
                self.key_tasks[self.primary[0]] = None
        self.texts: dict = {}  # unique column -> the text of its cells once its index spilled
        self.foreign = []
        for fk in schema.foreign_keys:
            if not all(k in self.field_index for k in fk["fields"]):
                continue
            reference = fk["reference"]
            target = reference["resource"] or resource_name
            keys = lookup.get((target, tuple(reference["fields"])))
            if keys is not None:
                self.foreign.append((fk, keys))
        # the referenced key sets share the memory limit with this table's own indexes, sized by the one
        # rule validation.package and validation.table size those key sets with
        budget = lookup_budget(schema, len({id(keys) for _, keys in self.foreign}))
        for seen in self.seen.values():
            seen.budget = budget  # beyond it, an index spills to files (columnar.spill)
        # a foreign key whose referenced keys spilled: its (hash, row) pairs and key values
        # go to files, its missing keys are found at the end (_late_foreign_errors)
        self.probes: dict = {}
        self._probe_folder = None
        self.custom = self._custom_checks(related)

    def _custom_checks(self, related: Optional[dict]) -> list:
        descriptor = self.schema.descriptor
        if not (isinstance(descriptor, dict) and descriptor.get("custom_checks")):
            return []  # the checks package is not even imported
        from ..checks import CheckContext, CheckParamsError, build_checks

        try:
            checks, notices = build_checks(self.schema.descriptor, self.fields, CheckContext.of(self.schema))
        except CheckParamsError as error:
            raise SchemaProblem("custom_checks", [str(error)])
        if checks:
            from ..checks.cross_file import connect

            # checks needing another table get its columns, or are skipped with a warning
            checks, skipped = connect(checks, related)
            notices += skipped
        for warning in notices:
            warning.setdefault("severity", "warning")
            self.findings.warning_counts[warning["type"]] += 1
            self.findings.warnings.append(warning)
        return checks

    # -- step 1: the columns, on the pool --------------------------------------------

    def _check_column(self, batch: Batch, index: int, before=None):
        """Cast and check one column; hash it when it is a one-field key.

        Runs on a worker thread: it reads the batch and this column's spec only
        (no two tasks share a spec), and numpy/pyarrow release the GIL in their
        kernels, so the columns of a batch are checked on every core.
        """
        spec = self.fields[index]
        shared = batch.checked[index] if batch.checked is not None else None
        if shared is not None:  # checked with other small tables' columns (engine.together)
            result, present = shared
        else:
            result, present = check_column(spec, batch, index, lambda: field_cells(batch, index, spec, self.schema),
                                           field_missing_values(spec, self.schema))
        repeats = None
        if (index,) in self.seen:  # a one-field key: only this column's tasks touch its index
            where = np.flatnonzero(validity(result.keys))
            hashes = hash_keys([result.keys], [result.key_salt()])
            if before is not None:
                before.result()  # the previous batch's rows enter the index first
            repeats = (hashes, self.seen[(index,)].previous_rows(hashes[where], batch.row_numbers[where]))
        return result, present, repeats

    def start(self, batch: Batch) -> Started:
        """Start checking the columns of ``batch`` (on the pool when it is long)."""
        if self.first_batch:
            self.first_batch = False
            self._reserve_keys(batch)
        count = len(self.fields)
        pool = column_pool() if len(batch) >= PARALLEL_ROWS and count > 1 else None
        if pool is None:
            for index, future in self.key_tasks.items():
                if future is not None:
                    future.result()
                self.key_tasks[index] = None
            return Started(batch, [self._check_column(batch, index) for index in range(count)])
        # the slowest-to-check columns first, so that no worker idles at the end
        order = sorted(range(count), key=lambda i: -COST.get(self.fields[i].type, 1))
        futures = {}
        for index in order:
            before = self.key_tasks.get(index)
            futures[index] = pool.submit(self._check_column, batch, index, before)
            if index in self.key_tasks:
                self.key_tasks[index] = futures[index]
        return Started(batch, [futures[index] for index in range(count)])

    def _reserve_keys(self, batch: Batch) -> None:
        """Size the key indexes from the file size and the first batch's bytes per row."""
        if not self.seen or self.byte_count is None or len(batch) == 0 or self.byte_count < _RESERVE_FROM:
            return  # a small file's keys fit the first table (1,024 slots) or its first growth
        size = sum(text_bytes(column) for column in batch.columns) + len(batch) * max(self.width, 1)
        if size <= 0:
            return
        estimate = int(self.byte_count / (size / len(batch)) * 1.1)
        for seen in self.seen.values():
            seen.reserve(estimate)

    def check(self, batch: Batch) -> None:
        """Check one batch completely (``start`` then ``complete``)."""
        self.complete(self.start(batch))

    # -- step 2: records of errors, then the listing --------------------------------

    def complete(self, started: Started) -> None:
        batch = started.batch
        n = len(batch)
        counts = batch.cell_counts
        records: list = []
        blank = np.ones(n, dtype=bool) if self.fields else np.zeros(n, dtype=bool)
        keys, results = [], []
        hashed: dict = {}
        looked_up: dict = {}
        for index, (result, present, repeats) in enumerate(started.results()):
            keys.append(result.keys)
            results.append(result)
            if repeats is not None:  # hashed and looked up in the column's own task
                hashed[(index,)], looked_up[(index,)] = repeats
            blank &= ~present
            if result.type_error.any():
                records.append(cell_record(np.flatnonzero(result.type_error), index, "type-error"))
            for name, mask in result.constraints.items():
                if mask is not None and mask.any():
                    records.append(cell_record(np.flatnonzero(mask), index, "constraint-error", name))
        n_fields = len(self.fields)  # == self.width: one expected field per label
        if counts is not None:
            for position in range(n_fields, len(batch.columns)):
                rows = np.flatnonzero(counts > position)
                if len(rows):
                    records.append(Record(rows, InRow.EXTRA, position, "extra-cell", position))
            for position in range(0, n_fields):
                rows = np.flatnonzero(counts <= position)
                if len(rows):
                    records.append(Record(rows, InRow.MISSING, position, "missing-cell", position))
        # a blank row hides its cell errors (frictionless replaces them)
        if blank.any():
            for record in records:
                record.rows = record.rows[~blank[record.rows]]
            records.append(blank_row_record(np.flatnonzero(blank)))

        def hashes_of(indices: tuple) -> np.ndarray:
            """Full-length key hashes, computed once per batch per key (unique and PK share them)."""
            if indices not in hashed:
                hashed[indices] = hash_keys([keys[i] for i in indices], [results[i].key_salt() for i in indices])
            return hashed[indices]

        def all_null(indices: tuple) -> np.ndarray:
            mask = np.ones(n, dtype=bool)
            for i in indices:
                mask &= ~validity(keys[i])
            return mask

        def previous_rows(indices: tuple, where: np.ndarray) -> np.ndarray:
            if indices not in looked_up:
                looked_up[indices] = self.seen[indices].previous_rows(
                    hashes_of(indices)[where], batch.row_numbers[where])
            return looked_up[indices]

        for index in self.unique:
            where = np.flatnonzero(~all_null((index,)))
            if len(where):
                previous = previous_rows((index,), where)
                if self.seen[(index,)].spilled:  # its repeats are found at the end: keep their text
                    self._spilled_text(index).add(batch.row_numbers[where], batch.columns[index].take(positions_array(where)))
                dup = previous > 0
                if dup.any():
                    records.append(Record(where[dup], InRow.UNIQUE, index, "unique-error", index, previous[dup]))
        if self.primary is not None:
            indices = self.primary
            empty = all_null(indices)
            if empty.any():
                records.append(Record(np.flatnonzero(empty), InRow.PRIMARY, 0, "primary-key", "null"))
            where = np.flatnonzero(~empty)
            if len(where):
                previous = previous_rows(indices, where)
                dup = previous > 0
                if dup.any():
                    records.append(Record(where[dup], InRow.PRIMARY, 1, "primary-key", "duplicate", previous[dup]))
        for number, (fk, seen) in enumerate(self.foreign):
            indices = tuple(self.field_index[k] for k in fk["fields"])
            where = np.flatnonzero(~all_null(indices))
            if len(where) and seen.spilled:
                probes, values = self._probes(number)
                probes.add(hashes_of(indices)[where], batch.row_numbers[where])
                taken = positions_array(where)
                values.add(batch.row_numbers[where], [keys[i].take(taken) for i in indices])
            elif len(where):
                missing = ~seen.contains(hashes_of(indices)[where])
                if missing.any():
                    records.append(Record(where[missing], InRow.FOREIGN, number, "foreign-key", fk))
        if self.custom:
            records.extend(self._custom_records(batch, keys, blank))
        self.lister.emit(batch, records, keys)

    def _custom_records(self, batch: Batch, keys: list, blank: np.ndarray) -> list:
        from ..checks import BatchView

        view = BatchView(
            fields=self.fields,
            values={f.name: keys[i] for i, f in enumerate(self.fields)},
            cells={f.name: batch.columns[i] if i < len(batch.columns) else pa.nulls(len(batch), pa.string())
                   for i, f in enumerate(self.fields)},
            row_numbers=batch.row_numbers,
            blank=blank,
        )
        pool = column_pool() if len(batch) >= PARALLEL_ROWS and len(self.custom) > 1 else None
        if pool is None:
            outcomes = [check.check_batch(view) for check in self.custom]
        else:  # each check keeps its own state: checks of a batch run side by side
            outcomes = [future.result() for future in [pool.submit(check.check_batch, view) for check in self.custom]]
        records = []
        for number, (check, findings) in enumerate(zip(self.custom, outcomes)):
            for finding in findings or []:
                check.declares(finding.code)
                if finding.severity == "warning" or check.severity == "warning":
                    self.lister.add_warnings(finding, batch)
                elif finding.positions is not None and len(finding.positions):
                    records.append(Record(np.asarray(finding.positions), InRow.CUSTOM, number, "custom", finding))
        return records

    def _spilled_text(self, index: int):
        from ..columnar.spill import Texts

        if index not in self.texts:
            self.texts[index] = Texts(self.seen[(index,)].folder(), f"text-{index}")
        return self.texts[index]

    def _probes(self, number: int) -> tuple:
        """(the (hash, row) pairs, the key values) of foreign key ``number``, kept in files."""
        from ..columnar.spill import Folder, Partitions, Values

        if number not in self.probes:
            if self._probe_folder is None:
                self._probe_folder = Folder()
            folder = self._probe_folder.get()
            self.probes[number] = (Partitions(folder, f"fk-{number}"), Values(folder, f"fk-{number}"))
        return self.probes[number]

    def close(self) -> None:
        """Remove any spill files (an index that spilled holds some; so do the rows
        of a foreign key whose referenced keys spilled)."""
        for seen in self.seen.values():
            seen.close()
        if self._probe_folder is not None:
            self._probe_folder.close()
            self._probe_folder = None
        self.probes = {}

    def _late_key_errors(self) -> None:
        """The repeats of spilled key indexes, found now, placed in the listing where
        the in-memory check would have listed them (same rows, same previous rows)."""
        for indices, seen in self.seen.items():
            if not seen.spilled:
                continue
            texts = self.texts.get(indices[0]) if len(indices) == 1 and indices[0] in self.unique else None
            rows, previous = seen.finish()
            if not len(rows):
                seen.close()
                continue
            kinds = []
            if texts is not None:
                kinds.append(("unique-error", Record(rows, InRow.UNIQUE, indices[0], "unique-error").sort_key))
            if indices == self.primary:
                kinds.append(("primary-key", Record(rows, InRow.PRIMARY, 1, "primary-key").sort_key))
            for kind, rank in kinds:
                name = self.fields[indices[0]].name if kind == "unique-error" else ""

                def repeats(listed: list, kind=kind, name=name) -> list:
                    cells = texts.lookup(rows[listed]) if kind == "unique-error" and listed else {}
                    errors = []
                    for k in listed:
                        row, before = int(rows[k]), int(previous[k])
                        error = {"type": kind, "rowNumber": row}
                        if kind == "unique-error":
                            spec = self.fields[indices[0]]
                            error.update(fieldName=spec.name, fieldNumber=indices[0] + 1, cell=cells.get(row) or "")
                        else:
                            error["fieldNames"] = list(self.schema.primary_key)
                        error["previousRow"] = before
                        error["note"] = "the same as in the row at position %s" % before
                        errors.append(Finding(error, self.fields[indices[0]].descriptor if name else None))
                    return errors

                self._place_late(kind, name, rows, rank, repeats)
            seen.close()

    def _place_late(self, kind: str, name: str, rows: np.ndarray, rank: int, make) -> None:
        """Count the errors of ``kind`` found at the end in ``rows`` (row order), and list
        those the cap lets in where the in-memory check would have listed them: only
        the ones standing before the last listed error are made (``make(positions)``)."""
        findings = self.findings
        findings.total += len(rows)
        findings.by_type[kind] += len(rows)
        if name:
            findings.by_field[name] += len(rows)
        last = findings.places[-1] if len(findings.errors) >= findings.limit else (float("inf"), 0)
        listed = [k for k, row in enumerate(rows.tolist()) if (row, rank) < last][: findings.limit]
        for k, error in zip(listed, make(listed)):
            findings.place(error, (int(rows[k]), rank))

    def _late_foreign_errors(self) -> None:
        """The missing keys of foreign keys whose referenced keys spilled, found now a
        partition at a time, listed where the in-memory check would have listed them."""
        for number, (fk, seen) in enumerate(self.foreign):
            if number not in self.probes:
                continue
            probes, values = self.probes[number]
            rows = seen.missing(probes)
            if not len(rows):
                continue

            def missing(listed: list, fk=fk, values=values, rows=rows) -> list:
                found = values.lookup(rows[listed]) if listed else {}
                return [self.lister.foreign_error(fk, int(rows[k]), found[int(rows[k])]) for k in listed]

            self._place_late("foreign-key", "", rows, Record(rows, InRow.FOREIGN, number, "foreign-key").sort_key,
                             missing)

    def finish(self) -> None:
        """End-of-table findings: the repeats of spilled key indexes and the missing keys of
        foreign keys whose referenced keys spilled (in their rows), then
        those of cross-row checks, listed after the row-by-row errors."""
        self._late_key_errors()
        self._late_foreign_errors()
        for check in self.custom:
            for finding in check.finish() or []:
                check.declares(finding.code)
                if finding.severity == "warning" or check.severity == "warning":
                    self.lister.add_warnings(finding, None)
                    continue
                rows = np.asarray(finding.row_numbers if finding.row_numbers is not None else [])
                for k, row in enumerate(rows):
                    self.findings.add(self.lister.custom_error(finding, int(row), k, None, None))
