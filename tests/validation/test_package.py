"""Data Packages: every resource validated, foreign keys to other resources and to itself."""
from __future__ import annotations

import io
import json

import territoria


def write_package(tmp_path, sites: str, measures: str, self_reference: bool = False):
    (tmp_path / "sites.csv").write_text(sites)
    (tmp_path / "measures.csv").write_text(measures)
    measure_schema = {
        "fields": [{"name": "site_id"}, {"name": "value"}, {"name": "parent"}],
        "foreignKeys": [{"fields": "site_id", "reference": {"resource": "sites", "fields": "id"}}],
    }
    if self_reference:
        measure_schema["foreignKeys"].append({"fields": "parent", "reference": {"resource": "", "fields": "value"}})
    descriptor = {
        "name": "test",
        "resources": [
            {"name": "sites", "path": "sites.csv", "schema": {"fields": [{"name": "id"}], "primaryKey": "id"}},
            {"name": "measures", "path": "measures.csv", "schema": measure_schema},
        ],
    }
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(descriptor))
    return path


def triples(task):
    return [(e["type"], e.get("rowNumber"), e.get("fieldName")) for e in task.errors]


def frictionless_triples(path):
    from frictionless import Package

    report = Package(str(path)).validate()
    return {task.name: [(e.type, getattr(e, "row_number", None), getattr(e, "field_name", None))
                        for e in task.errors] for task in report.tasks}


def test_foreign_keys_to_another_resource_match_frictionless(tmp_path):
    path = write_package(tmp_path, "id\nA\nB\n", "site_id,value,parent\nA,1,\nC,2,\n,3,\nB,4,\n")
    report = territoria.validate(str(path))
    assert [t.name for t in report.tasks] == ["sites", "measures"]
    expected = frictionless_triples(path)
    for task in report.tasks:
        assert triples(task) == [(t, r, f or None) if f == "" else (t, r, f) for t, r, f in expected[task.name]]
    measures = report.tasks[1]
    assert triples(measures) == [("foreign-key", 3, None)]
    assert measures.errors[0]["fieldValues"] == ["C"]


def test_self_reference_reads_the_whole_table_first(tmp_path):
    path = write_package(tmp_path, "id\nA\n", "site_id,value,parent\nA,1,2\nA,2,9\nA,3,1\n", self_reference=True)
    report = territoria.validate(str(path))
    assert triples(report.tasks[1]) == [("foreign-key", 3, None)]
    assert triples(report.tasks[1]) == frictionless_triples(path)["measures"]


def test_bytes_and_file_objects_are_sources():
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    data = b"a;b\n1;2\n5;6\n3\n"
    for source in (data, io.BytesIO(data)):
        report = territoria.validate(source, schema)
        assert triples(report.tasks[0]) == [("missing-cell", 4, "b")]


def test_missing_resource_file_is_reported_per_resource(tmp_path):
    path = write_package(tmp_path, "id\nA\n", "site_id,value,parent\nA,1,\n")
    (tmp_path / "sites.csv").unlink()
    report = territoria.validate(str(path))
    sites, measures = report.tasks
    assert sites.could_not_run and "no such file" in sites.errors[0]["note"]
    assert report.could_not_run
