"""Row, header and table checks of the engine, compared with frictionless v5's behaviour."""
from __future__ import annotations

import territoria

STRING_SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "name", "type": "string"},
    ],
    "primaryKey": ["id"],
}


def triples(report):
    return [(e["type"], e.get("rowNumber"), e.get("fieldName")) for t in report.tasks for e in t.errors]


def test_ragged_and_blank_rows_are_numbered_as_records(write_csv):
    path = write_csv('id,name\n1,a\n\n2,"b\nc"\n,\n3,x,y\n4\n')
    report = territoria.validate(str(path), STRING_SCHEMA)
    assert triples(report) == [
        ("blank-row", 3, None), ("primary-key", 3, None),
        ("blank-row", 5, None), ("primary-key", 5, None),
        ("extra-cell", 6, ""), ("missing-cell", 7, "name"),
    ]
    assert not report.valid


def test_header_errors_are_positional(write_csv):
    path = write_csv("id,id,other,more\n1,2,3,4\n")
    schema = {"fields": [{"name": "id"}, {"name": "name"}, {"name": "x"}]}
    report = territoria.validate(str(path), schema)
    assert triples(report) == [
        ("extra-label", None, ""), ("duplicate-label", None, "name"), ("incorrect-label", None, "x"),
    ]


def test_extra_label_columns_count_as_fields_and_missing_fields_are_dropped(write_csv):
    path = write_csv("a,b,c\n1,2,3\n1,2,3,4\n1\n")
    two = {"fields": [{"name": "a"}, {"name": "b"}]}
    assert triples(territoria.validate(str(path), two)) == [
        ("extra-label", None, ""), ("extra-cell", 3, ""), ("missing-cell", 4, "b"), ("missing-cell", 4, "c"),
    ]
    four = {"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d", "constraints": {"required": True}}]}
    assert triples(territoria.validate(str(path), four)) == [
        ("missing-label", None, "d"), ("extra-cell", 3, ""), ("missing-cell", 4, "b"), ("missing-cell", 4, "c"),
    ]


def test_duplicates_across_batches_are_found_with_previous_row(write_csv, monkeypatch):
    from territoria.readers import csv_reader

    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 64)  # force many small batches
    lines = ["id,name"] + [f"{i % 50},n{i}" for i in range(200)]
    path = write_csv("\n".join(lines) + "\n")
    report = territoria.validate(str(path), STRING_SCHEMA, limit_errors=10_000)
    task = report.tasks[0]
    assert task.counts_by_type == {"unique-error": 150, "primary-key": 150}
    first = next(e for e in task.errors if e["type"] == "unique-error")
    assert first["rowNumber"] == 52 and first["previousRow"] == 2


def test_counts_stay_exact_when_details_are_capped(write_csv):
    path = write_csv("id,name\n" + "\n".join(",x" for _ in range(500)) + "\n")
    report = territoria.validate(str(path), STRING_SCHEMA, limit_errors=7)
    task = report.tasks[0]
    assert len(task.errors) == 7
    assert task.error_count == 1000  # required + primary-key on each of 500 rows
    assert task.counts_by_type == {"constraint-error": 500, "primary-key": 500}
    assert any(w["type"] == "error-limit-warning" for w in task.warnings)
