"""The one finding that says what is really wrong, when a header makes a wall of errors.

frictionless reports, and so do we, the errors it defines: columns in another
order give an ``incorrect-label`` per column and a type error per cell; a title
row above the header gives blank and incorrect labels. Those stay, exactly. But
a data officer needs the cause, so this module adds one warning per cause, with
the fix: reorder the columns, delete the title rows, remove the spaces around a
column name; and it says when a file has a header but no data.
"""
from __future__ import annotations

from typing import Optional

from .. import rules
from ..readers import Table
from ..schema import TableSchema

#: share of the schema's fields a later row must name to be the real header
_HEADER_MATCH = 0.5
_LOOK_AHEAD = 5  # rows below the first one tried as the real header


def header_advice(table: Table, schema: TableSchema, rows: int) -> list:
    """Warning findings about the header and the emptiness of ``table`` (bare; described here)."""
    names = [f.name for f in schema.fields]
    labels = list(table.labels)
    advice = []
    known = [label for label in labels if label in names]
    if len(known) >= 2 and len(set(known)) == len(known) and known != [n for n in names if n in known]:
        advice.append({"type": "column-order-warning", "expected": names, "labels": labels,
                       "note": "the columns of the schema, in another order"})
    elif names and labels != names:
        title = _title_rows(table, names)
        if title:
            advice.append({"type": "title-row-warning", "headerRow": title + 1,
                           "note": f"the column names are on row {title + 1}"})
    raw = getattr(table, "raw_labels", None) or []
    for number, (label, original) in enumerate(zip(labels, raw), start=1):
        if original != label and label in names:
            advice.append({"type": "label-whitespace-warning", "fieldNumber": number, "label": original,
                           "fieldName": label, "note": f"label {original!r} read as {label!r}"})
    missing = names[len(labels):]
    if labels and missing and labels == names[:len(labels)] and not any(
            f.constraints.get("required") or f.name in schema.primary_key for f in schema.fields[len(labels):]):
        advice.append({"type": "trailing-columns-warning", "count": len(missing), "fields": ", ".join(missing),
                       "note": f"{len(missing)} optional columns at the end"})
    if rows == 0 and labels:
        advice.append({"type": "no-data-warning", "note": "a header and no data row"})
    return [rules.describe(dict(item, severity="warning")) for item in advice]


def misplaced_fields(table: Table, schema: TableSchema) -> set:
    """The schema fields whose column is elsewhere in the file (hints about their cells would mislead)."""
    names = [f.name for f in schema.fields]
    labels = list(table.labels)
    present = set(labels)
    return {name for position, name in enumerate(names)
            if name in present and (position >= len(labels) or labels[position] != name)}


def _title_rows(table: Table, names: list) -> Optional[int]:
    """How many rows stand above the real header (a title, a blank line), if one of the next rows is it."""
    wanted = set(names)
    batches = None
    try:
        batches = table.batches(exact=True)
        first = next(iter(batches), None)
    except Exception:  # advice must never cost the verdict
        return None
    finally:
        if batches is not None and hasattr(batches, "close"):
            batches.close()
    if first is None or not len(first):
        return None
    for offset in range(min(_LOOK_AHEAD, len(first))):
        cells = {str(column[offset].as_py() or "").strip() for column in first.columns}
        if len(cells & wanted) >= max(1, int(len(wanted) * _HEADER_MATCH)):
            return offset + 1
    return None
