"""One finding that names the cause of a wall of header errors (frictionless's errors stay)."""
from __future__ import annotations

import territoria

SCHEMA = {"fields": [{"name": "light_point_id"}, {"name": "latitude", "type": "number"},
                     {"name": "longitude", "type": "number"}]}


def _task(write_csv, text, schema=SCHEMA):
    return territoria.validate(str(write_csv(text)), schema).tasks[0]


def _warnings(task):
    return [w["type"] for w in task.warnings]


def test_columns_in_another_order(write_csv):
    task = _task(write_csv, "latitude,light_point_id,longitude\n45.1,LP-1,5.7\n")
    assert "column-order-warning" in _warnings(task)
    assert {e["type"] for e in task.errors} >= {"incorrect-label", "type-error"}  # frictionless's errors stay
    labels = [e for e in task.errors if e["type"] == "incorrect-label"]
    assert all("pas à sa place" in e["hint_fr"] for e in labels)
    cells = [e for e in task.errors if e["type"] == "type-error"]
    assert cells and all(e["hint_fr"] == territoria.rules.RULES["type-error"].hint_fr for e in cells)


def test_columns_in_order_give_no_such_warning(write_csv):
    assert _warnings(_task(write_csv, "light_point_id,latitude,longitude\nLP-1,45.1,5.7\n")) == []


def test_a_title_row_above_the_header(write_csv):
    task = _task(write_csv, "Inventaire 2024,,\n,,\nlight_point_id,latitude,longitude\nLP-1,45.1,5.7\n")
    [warning] = [w for w in task.warnings if w["type"] == "title-row-warning"]
    assert warning["headerRow"] == 3 and "ligne 3" in warning["message_fr"]


def test_spaces_around_a_column_name(write_csv):
    task = _task(write_csv, "light_point_id ,latitude,longitude\nLP-1,45.1,5.7\n")
    assert task.valid and _warnings(task) == ["label-whitespace-warning"]


def test_a_header_without_data(write_csv):
    task = _task(write_csv, "light_point_id,latitude,longitude\n")
    assert task.valid and _warnings(task) == ["no-data-warning"]


def test_the_last_optional_columns_missing_say_an_earlier_version(write_csv):
    schema = {"fields": [{"name": "a", "constraints": {"required": True}}, {"name": "b"},
                         {"name": "c"}, {"name": "d"}]}
    task = _task(write_csv, "a,b\n1,2\n", schema)
    advice = [w for w in task.warnings if w["type"] == "trailing-columns-warning"]
    assert len(advice) == 1 and advice[0]["count"] == 2 and advice[0]["fields"] == "c, d"
    assert "version antérieure" in advice[0]["message_fr"]
    assert sorted(e["type"] for e in task.errors) == ["missing-label", "missing-label"]  # frictionless's errors stay


def test_no_earlier_version_advice_when_a_missing_column_is_required_or_in_the_middle(write_csv):
    required = {"fields": [{"name": "a"}, {"name": "b", "constraints": {"required": True}}]}
    assert "trailing-columns-warning" not in _warnings(_task(write_csv, "a\n1\n", required))
    middle = {"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}
    assert "trailing-columns-warning" not in _warnings(_task(write_csv, "a,c\n1,3\n", middle))
