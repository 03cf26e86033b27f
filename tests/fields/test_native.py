"""Typed (Parquet) columns checked from their values give what their text gives.

``fields.native.check_typed`` decides a number, integer, boolean or date field over
a typed Arrow column per column, without making the text; the reference is the text
way (``readers.native.arrow_text`` then ``check_cells`` with the cells' kinds), which
the differential tests compare with frictionless. Every result must be identical:
type errors, each constraint's failures, and the keys (unique, primary and foreign
keys read them). A change of a field type's keys or verdicts that the typed way does
not follow fails here.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow as pa
import pytest

from territoria.fields import FieldSpec, _load_type_modules
from territoria.fields.native import check_cells, check_typed
from territoria.readers.native import KIND_TEXT, NativeBatch, arrow_kind, arrow_text

_load_type_modules()

FLOATS = [0.0, -0.0, 1.0, 2.5, -7.25, 90.0, 90.00000000000001, 1e20, 2.0 ** 53, 2.0 ** 53 + 2, 2.0 ** 63,
          1e-7, 0.1, 0.30000000000000004, float("nan"), float("inf"), float("-inf"), None, 3.0, -91.0, 100.0]
INTEGERS = [0, 1, -1, 18, 2 ** 31, -2 ** 40, 2 ** 62, None, 1000, 10000, 10001, 999]
COLUMNS = {
    "float64": pa.array(FLOATS, pa.float64()),
    "float32": pa.array([1.5, None, 3.0, float("nan"), 0.1], pa.float32()),
    "int64": pa.array(INTEGERS, pa.int64()),
    "int32": pa.array([1, None, -5, 2 ** 31 - 1], pa.int32()),
    "uint64": pa.array([0, 2 ** 63 - 1, 2 ** 64 - 1, None, 7], pa.uint64()),
    "bool": pa.array([True, False, None, True], pa.bool_()),
    "date32": pa.array([dt.date(2024, 1, 1), None, dt.date(1, 1, 1), dt.date(9999, 12, 31)], pa.date32()),
    "date64": pa.array([dt.date(2024, 2, 29), dt.date(2020, 1, 1), None], pa.date64()),
}
FIELDS = [
    {"type": "number"},
    {"type": "number", "constraints": {"required": True, "minimum": -90, "maximum": 90}},
    {"type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 100.0}},
    {"type": "number", "constraints": {"minimum": 0.1, "maximum": "1e20"}},
    {"type": "number", "constraints": {"enum": [0, 2.5, "90", 0.1]}},
    {"type": "number", "decimalChar": ","},
    {"type": "integer"},
    {"type": "integer", "constraints": {"required": True, "minimum": 0, "maximum": 10000}},
    {"type": "integer", "constraints": {"enum": [1, 18, 1000, "2"]}},
    {"type": "integer", "bareNumber": False},
    {"type": "boolean"},
    {"type": "boolean", "constraints": {"required": True, "enum": [True]}},
    {"type": "date"},
    {"type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2024-01-31"}},
    {"type": "date", "format": "any"},
]


def _text_way(spec: FieldSpec, column: pa.Array):
    text = arrow_text(column)
    valid = np.asarray(text.is_valid())
    kinds = np.where(valid, arrow_kind(column.type), KIND_TEXT).astype(np.int8)
    batch = NativeBatch(columns=[text], row_numbers=np.arange(2, 2 + len(text)), native=[valid], kinds=[kinds])
    return check_cells(spec, text, batch, 0), valid


def _same_keys(a: pa.Array, b: pa.Array) -> bool:
    left, right = a.to_pylist(), b.to_pylist()
    if len(left) != len(right):
        return False
    for x, y in zip(left, right):
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        if x != y or type(x) is not type(y):
            return False
    return True


def _spec(descriptor: dict) -> FieldSpec:
    return FieldSpec.from_descriptor({"name": "x", **descriptor})


#: the (field, column) pairs the typed way decides (the others read the text)
PAIRS = [(d, name) for d in FIELDS for name in COLUMNS if check_typed(_spec(d), COLUMNS[name]) is not None]


@pytest.mark.parametrize("descriptor, name", PAIRS,
                         ids=[f"{d['type']}{sorted(d.get('constraints', {}))}-{n}" for d, n in PAIRS])
def test_typed_columns_read_as_their_text(descriptor, name):
    spec = _spec(descriptor)
    column = COLUMNS[name]
    result, present = check_typed(spec, column)
    expected, expected_present = _text_way(spec, column)
    assert present.tolist() == expected_present.tolist()
    assert result.type_error.tolist() == expected.type_error.tolist()
    assert sorted(result.constraints) == sorted(expected.constraints)
    for constraint, mask in expected.constraints.items():
        assert result.constraints[constraint].tolist() == mask.tolist(), constraint
    assert _same_keys(result.keys, expected.keys)


def test_a_fresh_process_reads_a_parquet_file(tmp_path):
    """The typed way loads the field type it needs (the type modules load one by one)."""
    import subprocess
    import sys

    import pyarrow.parquet as pq

    from conftest import REPO

    pq.write_table(pa.table({"x": pa.array([1.5, 95.0])}), tmp_path / "n.parquet")
    (tmp_path / "s.json").write_text('{"fields": [{"name": "x", "type": "number", "constraints": {"maximum": 90}}]}')
    done = subprocess.run([sys.executable, "-m", "territoria", "validate", str(tmp_path / "n.parquet"), "--schema",
                           str(tmp_path / "s.json"), "--format", "json"], capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO / "validator"), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 1, done.stderr
    assert '"constraint-error"' in done.stdout


def test_which_pairs_take_the_typed_way():
    def typed(descriptor, name):
        return check_typed(_spec(descriptor), COLUMNS[name]) is not None

    assert len(PAIRS) >= 50
    assert typed({"type": "number"}, "float64") and typed({"type": "integer"}, "int64")
    assert typed({"type": "boolean"}, "bool") and typed({"type": "date"}, "date32")
    # formats and words the text would change, and types read as text, keep the text way
    assert not typed({"type": "boolean", "trueValues": ["oui"]}, "bool")
    assert not typed({"type": "date", "format": "%d/%m/%Y"}, "date32")
    assert not typed({"type": "string"}, "int64") and not typed({"type": "datetime"}, "date32")
