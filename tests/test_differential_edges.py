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


V2 = "https://datapackage.org/profiles/2.0/tableschema.json"


@pytest.mark.parametrize("mode", ["exact", "equal", "subset", "superset", "partial"])
@pytest.mark.parametrize("header, row", [("X", "1"), ("b,a", "x,1"), ("a", "1"), ("a,b,c", "x,y,z"), ("c,a", "z,x"),
                                         ("a,", "1,2")])
def test_fields_match_pairs_labels_as_frictionless(tmp_path, mode, header, row):
    schema = {"$schema": V2, "fieldsMatch": mode,
              "fields": [{"name": "a", "type": "integer"}, {"name": "b", "constraints": {"required": mode == "partial"}}]}
    check(tmp_path, _csv([header, row, row]), schema)


@pytest.mark.parametrize("mode", ["equal", "subset", "superset", "partial"])
def test_duplicate_labels_make_name_matching_ambiguous(tmp_path, mode):
    path = tmp_path / "data.csv"
    path.write_bytes(_csv(["a,a", "x,1"]))
    task = territoria.validate(str(path), {"$schema": V2, "fieldsMatch": mode,
                                           "fields": [{"name": "a", "type": "integer"}]}).tasks[0]
    assert [e["type"] for e in task.errors] == ["error"] and task.rows == 0
    assert "requires unique labels" in task.errors[0]["note"]


def _package_errors_both(tmp_path, resources: list, package: dict = None) -> tuple:
    import json

    import frictionless

    (tmp_path / "a.csv").write_text("id,ref\n1,x\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", **(package or {}), "resources": resources}))
    theirs = frictionless.validate(str(tmp_path / "datapackage.json"))
    ours = territoria.validate(str(tmp_path / "datapackage.json"))
    return ({"package": sorted(e.type for e in theirs.errors),
             "tasks": {t.name: sorted((e.type, getattr(e, "row_number", None)) for e in t.errors) for t in theirs.tasks}},
            {"package": sorted(e["type"] for e in ours.errors),
             "tasks": {t.name: sorted((e["type"], e.get("rowNumber")) for e in t.errors) for t in ours.tasks}}, ours)


B = {"name": "b", "path": "b.csv", "schema": {"fields": [{"name": "id", "type": "integer"}]}}


def test_a_foreign_key_to_a_resource_the_package_lacks(tmp_path):
    a = {"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "ref"}],
                                                  "foreignKeys": [{"fields": "ref", "reference": {"resource": "zz",
                                                                                                  "fields": "id"}}]}}
    theirs, ours, report = _package_errors_both(tmp_path, [a, B])
    assert ours == theirs == {"package": [], "tasks": {"a": [("resource-error", None)], "b": []}}
    assert report.tasks[0].rows == 0  # not checked, as frictionless


@pytest.mark.parametrize("schema_a", [
    {"fields": [{"name": "id", "type": "integer", "constraints": {"exclusiveMinimum": 0}}, {"name": "ref"}]},
    {"$schema": V2, "fields": [{"name": "id", "type": "integer", "constraints": {"exclusiveMinimum": 0}},
                               {"name": "ref"}]},  # the package's own $schema decides, not the table's
    {"fields": [{"name": "id", "type": "nope"}, {"name": "ref"}]},
    {"fields": [{"name": "id", "type": "integer", "example": "x"}, {"name": "ref"}]},
])
def test_a_broken_resource_schema_rejects_the_whole_package(tmp_path, schema_a):
    theirs, ours, report = _package_errors_both(tmp_path, [{"name": "a", "path": "a.csv", "schema": schema_a}, B])
    assert ours == theirs and len(ours["package"]) == 1 and not ours["tasks"]
    assert report.could_not_run


def test_a_v2_package_allows_v2_properties(tmp_path):
    schema_a = {"fields": [{"name": "id", "type": "integer", "constraints": {"exclusiveMinimum": 0}}, {"name": "ref"}]}
    package = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"}
    theirs, ours, _ = _package_errors_both(tmp_path, [{"name": "a", "path": "a.csv", "schema": schema_a}, B], package)
    assert ours == theirs == {"package": [], "tasks": {"a": [], "b": []}}


@pytest.mark.parametrize("padding", [6, 7, 8])
@pytest.mark.parametrize("character", ["€", "😀"])
def test_a_character_cut_by_the_end_of_the_sample_after_a_bom(tmp_path, padding, character):
    """The encoding sample is 1 MiB: a multibyte character may straddle its end, BOM or not."""
    data = b"\xef\xbb\xbfa\n" + b"x" * (1048576 - padding) + character.encode() + b"\n"
    check(tmp_path, data, {"fields": [{"name": "a"}]})
