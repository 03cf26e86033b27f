"""A batch's columns as the field checks and the error listing read them."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.arrow import keep_where, string_layout, strings, to_bool_numpy, validity
from ..readers import Batch
from ..schema import TableSchema
from .header import field_missing_values


def field_cells(batch: Batch, index: int, spec, schema: TableSchema) -> pa.Array:
    """Column ``index`` of ``batch`` as one array of text cells, its missing values
    null (a column the row does not reach: all null)."""
    raw = batch.columns[index] if index < len(batch.columns) else pa.nulls(len(batch), pa.string())
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    return null_missing_values(raw, field_missing_values(spec, schema))


def null_missing_values(raw: pa.Array, missing: list) -> pa.Array:
    """The column with its missing values (``missingValues``) turned into nulls.

    The default ``[""]`` is decided from the string offsets alone (an empty cell
    has equal start and end offsets), without comparing any text.
    """
    if not missing or len(raw) == 0:
        return raw
    if missing == [""] and pa.types.is_string(raw.type):
        offsets = np.frombuffer(raw.buffers()[1], dtype=np.int32, count=len(raw) + 1, offset=raw.offset * 4)
        is_missing = offsets[1:] == offsets[:-1]
        if raw.null_count:
            is_missing &= validity(raw)
        if not is_missing.any():
            return raw
    else:
        is_missing = to_bool_numpy(pc.is_in(raw, value_set=strings(missing)))
        if not is_missing.any():
            return raw
    return keep_where(raw, ~is_missing)  # a new validity bitmap over the same text buffers


def text_bytes(column) -> int:
    """Bytes of text in a string column (once per table: sizes the key indexes)."""
    if isinstance(column, pa.ChunkedArray):
        return sum(text_bytes(chunk) for chunk in column.chunks)
    if pa.types.is_string(column.type) and len(column):
        return int(string_layout(column)[1].sum())
    return 0


def cell_text(batch: Batch, position_in_row: int, row: int) -> str:
    if position_in_row >= len(batch.columns):
        return ""
    value = batch.columns[position_in_row][row].as_py()
    return "" if value is None else str(value)


def key_value(column: pa.Array, row: int):
    value = column[row].as_py()
    return value
