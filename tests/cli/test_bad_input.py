"""Bad input never crashes: one-line message saying what and where, exit 2, input untouched."""
from __future__ import annotations

import hashlib
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from territoria.cli import main


def run(capsys, *argv):
    code = main(["validate", *map(str, argv)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def schema_file(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"fields": [{"name": "id", "type": "string"}, {"name": "name", "type": "string"}]}))
    return path


@pytest.mark.parametrize("make, expected", [
    (lambda d: d / "missing.csv", "no such file"),
    (lambda d: d, "is a directory"),
    (lambda d: _write(d / "empty.csv", b""), "empty"),
    (lambda d: _write(d / "blank.csv", b"\n\n  \n"), "empty"),
    (lambda d: _write(d / "garbage.csv", bytes(range(256)) * 20), "binary"),
    (lambda d: _write(d / "fake.xlsx", b"PK\x03\x04 this is not a zip"), ""),
])
def test_unreadable_sources_exit_2_with_one_line(tmp_path, capsys, schema_file, make, expected):
    source = make(tmp_path)
    before = digest(source) if source.is_file() else None
    code, out, _ = run(capsys, source, "--schema", schema_file)
    assert code == 2
    assert "COULD NOT BE CHECKED" in out
    assert expected in out
    if before is not None:
        assert digest(source) == before


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("schema_text, expected", [
    ('{"fields": [', "not valid JSON"),
    ('[1, 2]', "must be a JSON object"),
    ('{"fields": [{"name": "a", "type": "nope"}], "primaryKey": ["zz"]}', "'nope' is not one of"),
    ('{"fields": [{"name": "a", "type": "nope"}], "primaryKey": ["zz"]}', "primaryKey: field 'zz' does not exist"),
    ('{"fields": [{"name": "a", "constraints": {"pattern": "(["}}]}', "invalid regular expression"),
    ('{"fields": [{"name": "a", "type": "integer", "example": "x"}]}', 'example value "x" for field "a" is not valid'),
])
def test_schemas_breaking_the_spec_are_listed(tmp_path, capsys, write_csv, schema_text, expected):
    data = write_csv("a\n1\n")
    schema = tmp_path / "bad.json"
    schema.write_text(schema_text)
    code, out, _ = run(capsys, data, "--schema", schema)
    assert code == 2
    assert expected in out
    assert str(schema) in out  # says where


def test_unknown_catalogue_name_is_a_clear_error(capsys, write_csv):
    code, out, _ = run(capsys, write_csv("a\n1\n"), "--schema", "no-such-entry@9.9.9")
    assert code == 2 and "no catalogue entry named 'no-such-entry'" in out


def test_cp1252_semicolon_file_is_a_warning_not_an_error(capsys, write_csv, schema_file):
    path = write_csv("id;name\n1;Saint-Étienne\n2;Orléans\n", encoding="cp1252")
    code, out, _ = run(capsys, path, "--schema", schema_file, "--lang", "fr")
    assert code == 0
    assert "VALIDE" in out and "cp1252" in out and "point-virgule" in out


def test_json_report_is_frictionless_shaped(capsys, write_csv, schema_file):
    path = write_csv("id,name\n1\n")
    code, out, _ = run(capsys, path, "--schema", schema_file, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False and report["stats"]["errors"] == 1
    error = report["tasks"][0]["errors"][0]
    assert {k: error[k] for k in ("type", "rowNumber", "fieldName", "fieldNumber")} == {
        "type": "missing-cell", "rowNumber": 2, "fieldName": "name", "fieldNumber": 2}
    assert error["severity"] == "error" and error["message_fr"] and error["hint_en"]


def test_each_path_gets_its_report_and_the_worst_exit_code(capsys, write_csv, schema_file, tmp_path):
    good = write_csv("id,name\n1,a\n", name="good.csv")
    bad = write_csv("id,name\n1\n", name="bad.csv")
    code, out, _ = run(capsys, good, bad, "--schema", schema_file)
    assert code == 1
    assert "good.csv" in out and "bad.csv" in out and "2 files checked" in out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash(tmp_path, capsys, schema_file, data):
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    code, _, _ = run(capsys, path, "--schema", schema_file)
    assert code in (0, 1, 2)
    assert path.read_bytes() == data


cells = st.text(alphabet=string.ascii_letters + string.digits + ' ,;"\n\r\té', max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, max_size=5), max_size=8), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_random_csv_shapes_never_crash(tmp_path, capsys, schema_file, rows, delimiter):
    text = "\n".join(delimiter.join(row) for row in [["id", "name"], *rows]) + "\n"
    path = tmp_path / "shape.csv"
    path.write_text(text)
    code, _, _ = run(capsys, path, "--schema", schema_file)
    assert code in (0, 1, 2)
