"""Parquet reading: column names are the labels, the typed columns kept as they are.

Why typed: a Parquet column already holds numbers, dates or booleans; turning
them into text to parse them back costed five to ten times the check itself. Each
batch is a ``NativeBatch`` holding the typed columns (``typed``): a number,
integer, boolean or date field checks those values per column
(``fields.native.check_typed``); any other field reads the column's text, made
when first asked for (``readers.native.TextColumns``), in one pyarrow compute
call per column, never row by row (nested types — lists, structs — are the
exception: they become JSON text per value). Batches are decoded in a thread,
one ahead of the one being checked.

The text forms match the spreadsheet and JSON readers (see ``cell_text`` in
``readers/native.py``): whole floats and decimals as integers ("3", not "3.0" or
"1e+20"), timestamps in ISO 8601 with "T", booleans "true"/"false"; every
non-null cell of a non-string column is native, with the column's kind.

Where frictionless-py v5 differs (it reads the whole file into pandas and
iterates ``DataFrame.iterrows``): an integer column with nulls becomes float,
and its nulls reach the field as NaN, a *type error* ("nan") in an integer
field and a valid NaN in a number field; a null timestamp is NaT, a type error
in a string field. We read a null as an empty cell, as the file says.
"""
from __future__ import annotations

import os
from typing import Iterator

import numpy as np
import pyarrow as pa

from ..columnar.arrow import validity
from . import Batch, SourceProblem, Table, prefetch
from .native import KIND_TEXT, NativeBatch, TextColumns, arrow_kind, arrow_text

BATCH_ROWS = 65_536


def open_parquet_table(path: str) -> Table:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
    except Exception as error:
        raise SourceProblem("format-error", f"invalid Parquet file: {_one_line(error)}")
    labels = [str(name).strip() for name in schema.names]  # as frictionless strips labels

    def batches(exact: bool = False) -> Iterator[Batch]:
        # decoded in a thread, one batch ahead, while the previous one is checked
        return prefetch(_batches(), depth=1)

    def _batches() -> Iterator[Batch]:
        try:
            reader = pq.ParquetFile(path)
            record_batches = reader.iter_batches(batch_size=BATCH_ROWS, use_threads=True)
        except Exception as error:
            raise SourceProblem("format-error", f"invalid Parquet file: {_one_line(error)}")
        next_row = 2
        while True:
            try:
                record_batch = next(record_batches)
            except StopIteration:
                return
            except Exception as error:
                raise SourceProblem("format-error", f"invalid Parquet file: {_one_line(error)}")
            n = record_batch.num_rows
            if n == 0:
                continue
            typed = [column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
                     for column in record_batch.columns]
            natives, kinds = [], []
            for column in typed:
                kind = arrow_kind(column.type)
                if kind == KIND_TEXT:
                    natives.append(None)
                    kinds.append(None)
                else:
                    valid = validity(column)
                    kinds.append(np.where(valid, kind, KIND_TEXT).astype(np.int8))
                    natives.append(valid)
            # the text of a column is made only if something reads it: a number or a
            # date field checks the typed values themselves (``fields.native``)
            yield NativeBatch(columns=TextColumns(typed), row_numbers=np.arange(next_row, next_row + n, dtype=np.int64),
                              native=natives, kinds=kinds, typed=typed)
            next_row += n

    return Table(labels=labels, header_row=1, batches=batches, format="parquet", encoding=None,
                 byte_count=os.path.getsize(path))


def _one_line(error: Exception) -> str:
    return (" ".join(str(error).split()) or type(error).__name__)[:300]


def column_text(column: pa.Array) -> "tuple[pa.Array, int]":
    """A column as a StringArray (null stays null) and the kind of its values."""
    return arrow_text(column), arrow_kind(column.type)
