"""The header row against the schema's fields, as frictionless pairs them.

Why its own module: which schema field checks which column is decided here once
per table; the batch checker and the key collectors only read the result.

Table Schema v2's ``fieldsMatch`` says how: ``exact`` (the default) pairs labels
and fields by position; ``equal``, ``subset``, ``superset`` and ``partial`` pair
them by name and differ only in what they tolerate: extra labels (``subset``,
``partial``) or absent fields, the required and primary-key ones aside
(``superset``, ``partial``); ``partial`` wants at least one match. Under name
matching, two equal labels make the pairing ambiguous: the table is not checked.
"""
from __future__ import annotations

from ..schema import SchemaProblem, TableSchema

BY_NAME = ("equal", "subset", "superset", "partial")
TOLERATES_EXTRA_LABELS = ("subset", "partial")
TOLERATES_MISSING_FIELDS = ("superset", "partial")


def fields_match(schema: TableSchema) -> str:
    mode = schema.descriptor.get("fieldsMatch", "exact") if isinstance(schema.descriptor, dict) else "exact"
    return mode if mode in BY_NAME else "exact"


def header_errors(labels: list, schema: TableSchema) -> list:
    """Label errors, as frictionless reports them (positional under ``fieldsMatch: exact``)."""
    mode = fields_match(schema)
    if mode != "exact":
        return _by_name_errors(labels, schema, mode)
    fields = schema.fields
    if len(labels) == len(fields) and all(labels) and len(set(labels)) == len(labels) and \
            all(label == spec.name for label, spec in zip(labels, fields)):
        return []  # the header is the fields' names, each once: nothing below can apply
    positions = {f.name: number for number, f in enumerate(fields, start=1)}
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
            error = _label_error("incorrect-label", label, spec.name, number)
            if label in positions:  # the label names another field: a column out of place
                error["expectedAt"] = positions[label]
            errors.append(error)
    return errors


def _by_name_errors(labels: list, schema: TableSchema, mode: str) -> list:
    names = {f.name for f in schema.fields}
    errors = []
    if mode not in TOLERATES_EXTRA_LABELS:
        errors += [_label_error("extra-label", label, "", number)
                   for number, label in enumerate(labels, start=1) if label not in names]
    if mode == "partial" and schema.fields and not names & set(labels):
        errors.append({"type": "unmatched-header", "rowNumber": None, "labels": list(labels), "note": ""})
    present = set(labels)
    missing = [f for f in schema.fields if f.name not in present]
    if mode in TOLERATES_MISSING_FIELDS:
        missing = [f for f in missing if f.constraints.get("required") or f.name in schema.primary_key]
    errors += [_label_error("missing-label", "", f.name, len(labels) + offset)
               for offset, f in enumerate(missing, start=1)]
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

    mode = fields_match(schema)
    if mode != "exact":
        return _by_name_fields(labels, schema, mode)
    matched = list(schema.fields[: len(labels)])
    if len(matched) == len(labels):  # no label beyond the schema: no field to add
        return matched
    names = [f.name for f in matched] + [str(label) for label in labels[len(matched):]]
    return matched + [FieldSpec.from_descriptor({"name": n, "type": "any"})
                      for n in _deduplicated(names)[len(matched):]]


def _by_name_fields(labels: list, schema: TableSchema, mode: str) -> list:
    """Each label's field by name, an ``any`` field named after a label that has none."""
    from ..fields import FieldSpec

    if len(set(labels)) != len(labels):
        raise SchemaProblem("header", [f'matching fields by name ("fieldsMatch": "{mode}") '
                                       "requires unique labels in the header"], ["error"])
    by_name = {f.name: f for f in schema.fields}
    matched = [by_name.get(label) for label in labels]
    names = _deduplicated([f.name if f is not None else str(label) for f, label in zip(matched, labels)])
    return [f if f is not None else FieldSpec.from_descriptor({"name": name, "type": "any"})
            for f, name in zip(matched, names)]


def _deduplicated(names: list) -> list:
    """The first occurrence keeps its name; a later one becomes ``{name}2``, ``{name}3``..."""
    used: set = set()
    unique_names = []
    for name in names:
        candidate, suffix = name, 2
        while candidate in used:
            candidate, suffix = f"{name}{suffix}", suffix + 1
        used.add(candidate)
        unique_names.append(candidate)
    return unique_names


def _label_error(kind: str, label: str, field_name: str, number: int, note: str = "") -> dict:
    return {"type": kind, "label": label, "fieldName": field_name, "fieldNumber": number,
            "rowNumber": None, "note": note}
