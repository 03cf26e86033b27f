"""Parquet reading: column names are the labels, values cast to text by pyarrow.

Why vectorised: a Parquet file is already columnar; every column of a record
batch is cast to text in one pyarrow compute call, never row by row (nested
types — lists, structs — are the exception: they become JSON text per value).

The text forms match the spreadsheet and JSON readers (see ``cell_text`` in
``spreadsheet.py``): whole floats and decimals as integers ("3", not "3.0" or
"1e+20"), timestamps in ISO 8601 with "T", booleans "true"/"false". Each batch
is a ``NativeBatch``: every non-null cell of a non-string column is native,
with the column's kind.

Where frictionless-py v5 differs (it reads the whole file into pandas and
iterates ``DataFrame.iterrows``): an integer column with nulls becomes float,
and its nulls reach the field as NaN, a *type error* ("nan") in an integer
field and a valid NaN in a number field; a null timestamp is NaT, a type error
in a string field. We read a null as an empty cell, as the file says.
"""
from __future__ import annotations

import json
import os
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import Batch, SourceProblem, Table
from .native import (KIND_BOOL, KIND_DATE, KIND_DATETIME, KIND_DICT, KIND_DURATION, KIND_FLOAT, KIND_INT,
                     KIND_LIST, KIND_OTHER, KIND_TEXT, KIND_TIME, NativeBatch, _json_default, cell_text)

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
            columns, natives, kinds = [], [], []
            for column in record_batch.columns:
                text, kind = column_text(column)
                columns.append(text)
                if kind == KIND_TEXT:
                    natives.append(None)
                    kinds.append(None)
                else:
                    valid = pc.is_valid(text).to_numpy(zero_copy_only=False)
                    kinds.append(np.where(valid, kind, KIND_TEXT).astype(np.int8))
                    natives.append(valid)
            yield NativeBatch(columns=columns, row_numbers=np.arange(next_row, next_row + n, dtype=np.int64),
                              native=natives, kinds=kinds)
            next_row += n

    return Table(labels=labels, header_row=1, batches=batches, format="parquet", encoding=None,
                 byte_count=os.path.getsize(path))


def _one_line(error: Exception) -> str:
    return (" ".join(str(error).split()) or type(error).__name__)[:300]


def column_text(column: pa.Array) -> "tuple[pa.Array, int]":
    """A column as a StringArray (null stays null) and the kind of its values."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind_of = column.type
    if pa.types.is_dictionary(kind_of):
        return column_text(column.dictionary_decode())
    if pa.types.is_null(kind_of):
        return pa.nulls(len(column), pa.string()), KIND_TEXT
    if pa.types.is_string(kind_of) or pa.types.is_large_string(kind_of) or pa.types.is_string_view(kind_of):
        return pc.cast(column, pa.string()), KIND_TEXT
    if pa.types.is_boolean(kind_of):
        return pc.cast(column, pa.string()), KIND_BOOL
    if pa.types.is_integer(kind_of):
        return pc.cast(column, pa.string()), KIND_INT
    if pa.types.is_floating(kind_of):
        return _float_text(column), KIND_FLOAT
    if pa.types.is_decimal(kind_of):
        text = pc.cast(column, pa.string())
        # "3.00" → "3" (frictionless reads Decimal("3.00") as a whole number)
        return pc.replace_substring_regex(text, pattern=r"\.0*$", replacement=""), KIND_FLOAT
    if pa.types.is_timestamp(kind_of):
        text = pc.cast(column, pa.string())
        return pc.replace_substring(text, pattern=" ", replacement="T", max_replacements=1), KIND_DATETIME
    if pa.types.is_date(kind_of):
        return pc.cast(pc.cast(column, pa.date32()), pa.string()), KIND_DATE
    if pa.types.is_time(kind_of):
        return pc.cast(column, pa.string()), KIND_TIME
    if pa.types.is_binary(kind_of) or pa.types.is_large_binary(kind_of) or pa.types.is_fixed_size_binary(kind_of):
        try:
            return pc.cast(pc.cast(column, pa.binary()), pa.string()), KIND_OTHER
        except pa.ArrowInvalid:
            values = [None if v is None else v.decode("utf-8", "replace") for v in column.to_pylist()]
            return pa.array(values, pa.string()), KIND_OTHER
    if pa.types.is_duration(kind_of):
        return _per_value(column), KIND_DURATION
    if pa.types.is_struct(kind_of):
        return _per_value(column, as_json=True), KIND_DICT
    if (pa.types.is_list(kind_of) or pa.types.is_large_list(kind_of) or pa.types.is_fixed_size_list(kind_of)
            or pa.types.is_map(kind_of)):
        return _per_value(column, as_json=True), KIND_LIST
    try:
        return pc.cast(column, pa.string()), KIND_OTHER
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _per_value(column), KIND_OTHER


def _float_text(column: pa.Array) -> pa.Array:
    """Floats as text; whole finite values within int64 written as integers."""
    column = pc.cast(column, pa.float64())
    text = pc.cast(column, pa.string())
    finite = pc.fill_null(pc.is_finite(column), False)
    whole = pc.and_(finite, pc.equal(pc.floor(column), column))
    whole = pc.fill_null(whole, False)
    if not pc.any(whole).as_py():
        return text
    small = pc.and_(whole, pc.less(pc.abs(column), 2.0 ** 62))
    safe = pc.if_else(small, column, 0.0)
    integers = pc.cast(pc.cast(safe, pa.int64()), pa.string())
    text = pc.if_else(small, integers, text)
    huge = pc.and_(whole, pc.invert(small))
    if pc.any(huge).as_py():
        values = text.to_pylist()
        floats = column.to_pylist()
        for i in np.flatnonzero(huge.to_numpy(zero_copy_only=False)):
            values[i] = str(int(floats[i]))
        text = pa.array(values, pa.string())
    return text


def _per_value(column: pa.Array, as_json: bool = False) -> pa.Array:
    values = []
    for value in column.to_pylist():
        if value is None:
            values.append(None)
        elif as_json:
            values.append(json.dumps(value, ensure_ascii=False, default=_json_default))
        else:
            values.append(cell_text(value)[0])
    return pa.array(values, pa.string())
