"""The reference's edge cases: where Territoria once disagreed with frictionless v5, now the same.

Each case is a minimal file and schema; ``check`` (test_differential) compares
error types, rows and fields with frictionless-py on the same input. Where
frictionless crashes instead of reporting (a signalling NaN in a key), the test
states the sensible report Territoria gives instead.
"""
from __future__ import annotations

import pytest

import territoria
from test_differential import check


def _csv(rows: list) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def _unique(field_type: str, **extra) -> dict:
    return {"fields": [{"name": "k", "type": field_type, "constraints": {"unique": True}, **extra}]}


@pytest.mark.parametrize("field_type, cells", [
    ("number", ["12345678901234567890", "12345678901234567891"]),  # one float64, two decimals
    ("number", ["0.1000000000000000055511151231257827", "0.1"]),
    ("number", ["1e400", "INF"]),
    ("number", ["1e-400", "0"]),
    ("number", ["NaN", "NaN", "nan"]),  # NaN equals nothing
    ("number", ["1.0", "1", "1.00", "-0", "0", "0.0"]),  # equal decimals stay duplicates
    ("number", ["12345678901234567890", "12345678901234567890.0"]),
    ("integer", ["9007199254740993", "9007199254740992", "1000000000000000"]),
    ("time", ["12:30:00Z", "12:30:00", "12:30:00+00:00"]),  # naive and aware apart
    ("datetime", ["2024-01-01T12:30:00Z", "2024-01-01T12:30:00", "2024-01-01T13:30:00+01:00"]),
])
def test_unique_keys_compare_as_frictionless(tmp_path, field_type, cells):
    check(tmp_path, _csv(["k"] + cells), _unique(field_type))


def test_primary_and_foreign_keys_compare_exact_numbers(tmp_path):
    schema = {"fields": [{"name": "id", "type": "number"}, {"name": "parent", "type": "number"}],
              "primaryKey": ["id"],
              "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]}
    rows = ["id,parent", "12345678901234567890,", "12345678901234567891,12345678901234567890",
            "NaN,12345678901234567892", "0.1,0.1000000000000000055511151231257827"]
    check(tmp_path, _csv(rows), schema)


def test_a_signalling_nan_gives_a_report_where_frictionless_crashes(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(_csv(["k", "sNaN", "sNaN", "1"]))
    report = territoria.validate(str(path), _unique("number"))
    assert not report.could_not_run and report.valid
