"""Helpers of the custom-check tests: validate a CSV text against fields and checks."""
from __future__ import annotations

import territoria


def findings(write_csv, csv: str, fields: list, checks: list, warnings: bool = False) -> list:
    """(type, rowNumber, fieldName, cell) of the custom-check findings (errors, or warnings)."""
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in fields], "custom_checks": checks}
    task = territoria.validate(str(write_csv(csv)), descriptor).tasks[0]
    items = task.warnings if warnings else task.errors
    core = {"blank-row", "type-error", "constraint-error", "dialect-warning"}
    return [(e["type"], e.get("rowNumber"), e.get("fieldName"), e.get("cell")) for e in items if e["type"] not in core]


def schema_error(write_csv, csv: str, fields: list, checks: list) -> str:
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in fields], "custom_checks": checks}
    task = territoria.validate(str(write_csv(csv)), descriptor).tasks[0]
    assert task.could_not_run and task.errors[0]["type"] == "schema-error", task.errors
    return task.errors[0]["note"]
