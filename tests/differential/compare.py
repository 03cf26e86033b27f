"""Run Territoria and frictionless-py on the same file and normalise their errors.

An error is compared as ``(type, rowNumber, fieldName)``: ``rowNumber`` is None
for errors that are not about a row (labels, the source, the schema) and
``fieldName`` is None where the error names no field. Empty field names are
kept as "" (frictionless names the field of an extra cell "").
"""
from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Optional

LIMIT = 100_000
RESOURCE_V2 = "https://datapackage.org/profiles/2.0/dataresource.json"


class Unsupported(Exception):
    """Territoria does not implement a field type of the schema yet."""


def _key(error_type, row_number, field_name):
    return (str(error_type), row_number if isinstance(row_number, int) else None,
            field_name if isinstance(field_name, str) else None)


def without_cross_resource_foreign_keys(schema: dict) -> tuple:
    """(schema without foreign keys to other resources, whether any was removed).

    Documented divergence: frictionless refuses to validate a lone table whose
    schema references another table (``resource-error``); Territoria checks the
    rest and warns (``foreign-key-warning``). The reference verdict is then the
    one frictionless gives without those foreign keys.
    """
    keys = schema.get("foreignKeys") or []
    kept = [fk for fk in keys if (fk.get("reference") or {}).get("resource", "") in ("", None)]
    if len(kept) == len(keys):
        return schema, False
    stripped = dict(schema)
    stripped["foreignKeys"] = kept
    return stripped, True


def sniffer_fallback_delimiter(csv_path: Path):
    """Territoria's delimiter when ``csv.Sniffer`` gives up on frictionless's sample, else None.

    Documented divergence: there frictionless assumes a comma; Territoria takes the
    candidate that splits the header. The comparison then tells frictionless that
    delimiter, so that everything else is still compared.
    """
    import csv

    from territoria.readers.detect import detect_dialect, detect_encoding, sample_lines

    data = Path(csv_path).read_bytes()[: 1 << 20]
    try:
        encoding = detect_encoding(data)
        text = data.decode(encoding, errors="replace")
    except Exception:
        return None
    try:
        csv.Sniffer().sniff("".join(sample_lines(text)), ",\t;|")
        return None
    except csv.Error:
        delimiter = detect_dialect(text, encoding).delimiter
        return delimiter if delimiter != "," else None


def frictionless_errors(csv_path: Path, schema: dict, **resource_options) -> list:
    """frictionless 5.x errors of one standalone resource (self-referencing
    foreign keys need no package).

    The schema is written next to the CSV and given by path, as a user of
    ``frictionless validate --schema`` would: an invalid schema descriptor
    then shows in the report (``schema-error``, ``field-error``) instead of
    raising. Paths are relative to ``basepath`` because frictionless refuses
    absolute paths as unsafe."""
    from frictionless import Resource

    csv_path = Path(csv_path)
    schema, _ = without_cross_resource_foreign_keys(schema)
    delimiter = sniffer_fallback_delimiter(csv_path) if csv_path.suffix in (".csv", ".tsv", ".txt") else None
    if delimiter and "control" not in resource_options:
        from frictionless.formats import CsvControl

        resource_options["control"] = CsvControl(delimiter=delimiter)
    schema_path = csv_path.with_name(csv_path.stem + ".schema.json")
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    if "2.0" in str(schema.get("$schema", "")):
        # a v2 Table Schema (exclusive bounds) inside a v1 resource is still
        # gated as v1 by frictionless: make the resource v2 as well
        descriptor = {"$schema": RESOURCE_V2, "name": "data", "path": csv_path.name,
                      "schema": schema_path.name}
        descriptor.update(resource_options)
        resource = Resource.from_descriptor(descriptor, basepath=str(csv_path.parent))
    else:
        resource = Resource(path=csv_path.name, basepath=str(csv_path.parent),
                            schema=schema_path.name, **resource_options)
    report = resource.validate(limit_errors=LIMIT)
    return sorted((_key(*row) for row in report.flatten(["type", "rowNumber", "fieldName"])),
                  key=_sort_key)


def territoria_task(csv_path: Path, schema: dict, **options):
    import territoria

    report = territoria.validate(str(csv_path), schema, limit_errors=LIMIT, **options)
    assert len(report.tasks) == 1, report.tasks
    task = report.tasks[0]
    for error in task.errors:
        if error.get("type") == "internal-error" and "unsupported field type" in str(error.get("note")):
            raise Unsupported(error.get("note"))
    return task


def territoria_errors(csv_path: Path, schema: dict, **options) -> tuple[list, dict]:
    """Territoria's (sorted error keys, counts by type); raises :class:`Unsupported`
    when a field type is not implemented yet."""
    task = territoria_task(csv_path, schema, **options)
    keys = sorted((_key(e.get("type"), e.get("rowNumber"), e.get("fieldName")) for e in task.errors),
                  key=_sort_key)
    return keys, dict(task.counts_by_type)


def _sort_key(item):
    error_type, row, field = item
    return (row if row is not None else -1, error_type, field if field is not None else "")


def diff_message(theirs: list, ours: list, counts: Optional[dict] = None) -> str:
    a, b = collections.Counter(theirs), collections.Counter(ours)
    only_f = sorted((a - b).elements(), key=_sort_key)
    only_t = sorted((b - a).elements(), key=_sort_key)
    lines = [f"frictionless: {len(theirs)} errors, territoria: {len(ours)} errors"]
    if only_f:
        lines.append("only frictionless: " + repr(only_f[:30]))
    if only_t:
        lines.append("only territoria:   " + repr(only_t[:30]))
    if counts is not None:
        lines.append(f"territoria counts_by_type: {counts}")
    return "\n".join(lines)
