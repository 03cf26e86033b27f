"""The header row against the schema's fields, as frictionless pairs them (``fieldsMatch: exact``).

Why its own module: which schema field checks which column is decided here once
per table; the batch checker and the key collectors only read the result.
"""
from __future__ import annotations

from ..schema import TableSchema


def header_errors(labels: list, schema: TableSchema) -> list:
    """Label errors, positional as in frictionless (``fieldsMatch: exact``)."""
    fields = schema.fields
    errors = []
    for number in range(len(fields) + 1, len(labels) + 1):
        errors.append(_label_error("extra-label", labels[number - 1], "", number))
    for number in range(len(labels) + 1, len(fields) + 1):
        errors.append(_label_error("missing-label", "", fields[number - 1].name, number))
    for number, (spec, label) in enumerate(zip(fields, labels), start=1):
        if not label:
            errors.append(_label_error("blank-label", "", spec.name, number))
            continue
        earlier = [str(n) for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
        if earlier:
            errors.append(_label_error("duplicate-label", label, spec.name, number,
                                       note='at position "%s"' % ", ".join(earlier)))
            continue
        if label != spec.name:
            errors.append(_label_error("incorrect-label", label, spec.name, number))
    return errors


def field_missing_values(spec, schema: TableSchema) -> list:
    values = spec.get("missingValues")
    return list(values) if values is not None else schema.missing_values


def expected_fields(labels: list, schema: TableSchema) -> list:
    """The fields the data rows are checked against, as frictionless pairs them.

    Each label position gets the schema field at that position; a label beyond
    the schema gets an ``any`` field named after it (so its cells count for
    blank and missing cells but are never type-checked); schema fields beyond
    the labels are dropped (their absence is already a missing-label error).
    """
    from ..fields import FieldSpec

    matched = list(schema.fields[: len(labels)])
    names = [f.name for f in matched] + [str(label) for label in labels[len(matched):]]
    used: set = set()
    unique_names = []
    for name in names:
        candidate, suffix = name, 2
        while candidate in used:
            candidate, suffix = f"{name}{suffix}", suffix + 1
        used.add(candidate)
        unique_names.append(candidate)
    extra = [FieldSpec.from_descriptor({"name": n, "type": "any"}) for n in unique_names[len(matched):]]
    return matched + extra


def _label_error(kind: str, label: str, field_name: str, number: int, note: str = "") -> dict:
    return {"type": kind, "label": label, "fieldName": field_name, "fieldNumber": number,
            "rowNumber": None, "note": note}
