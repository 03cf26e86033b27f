"""``territoria fix`` end to end: a messy export becomes a copy Territoria and frictionless find valid,
with a log naming each change; what cannot be repaired stays and is reported; the input never changes."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

import territoria
from territoria.cli import main
from territoria.schema.resolve import resolve_schema

HERE = Path(__file__).parent
EXPORT = HERE / "points-lumineux-export.csv"
SCHEMA = "street-lighting/light_points"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _log(path: Path) -> list:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def fixed(tmp_path):
    before = _digest(EXPORT)
    out, log = tmp_path / "points.csv", tmp_path / "changes.csv"
    result = territoria.fix(str(EXPORT), SCHEMA, str(out), log=str(log))
    assert _digest(EXPORT) == before, "the input was modified"
    return result, out, log


def test_the_messy_export_becomes_a_valid_copy(fixed):
    result, out, log = fixed
    assert territoria.validate(str(EXPORT), SCHEMA).tasks[0].error_count > 50  # as it was exported
    assert result.valid and result.exit_status == 0, result.report.tasks[0].errors[:3]
    data = out.read_bytes()
    data.decode("utf-8")  # UTF-8, comma-separated, in the schema's column order
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    schema = resolve_schema(SCHEMA).table()
    assert rows[0] == schema.field_names and len(rows) == 6
    assert rows[3][2:4] == ["45.18702", "5.72810"]  # the swapped row
    assert territoria.validate(str(out), SCHEMA).valid


def test_frictionless_finds_the_copy_valid_too(fixed, monkeypatch):
    frictionless = pytest.importorskip("frictionless")
    _, out, _ = fixed
    monkeypatch.chdir(out.parent)  # frictionless reads relative paths only
    descriptor = dict(resolve_schema(SCHEMA).table().descriptor)
    descriptor.pop("foreignKeys")  # frictionless refuses a lone table whose key points to another table
    descriptor.pop("custom_checks")
    report = frictionless.validate(out.name, schema=frictionless.Schema.from_descriptor(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_log_names_each_change_and_nothing_else(fixed):
    result, out, log = fixed
    lines = _log(log)
    file_level = [line for line in lines if not line["row"]]
    assert {"rule": "encoding", "before": "cp1252", "after": "utf-8", "field": "", "row": ""} in file_level
    assert {"rule": "delimiter", "before": ";", "after": ",", "field": "", "row": ""} in file_level
    assert {"row": "", "field": "status", "before": "État", "after": "status", "rule": "header-match"} in file_level
    assert {"row": "", "field": "operator", "before": "", "after": "", "rule": "missing-column"} in file_level
    cells = {(line["row"], line["field"]): line for line in lines if line["row"]}
    assert cells[("4", "latitude")] == {"row": "4", "field": "latitude", "before": "5,72810", "after": "45.18702",
                                        "rule": "decimal-comma+swapped-lat-lon"}
    assert cells[("2", "status")]["after"] == "in_service" and cells[("2", "status")]["rule"] == "enum-label"
    assert cells[("6", "remote_management")]["before"] == "NON"
    assert ("3", "latitude") not in cells  # a valid cell is not in the log
    # every cell line is a real change, and the copy holds its "after"
    copy = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    for (row, field), line in cells.items():
        assert line["before"] != line["after"]
        assert copy[int(row) - 2][field] == line["after"]
    # the summary counts the same changes
    counted = sum(n for rule, n in result.changes.items() if rule in {"decimal-comma", "enum-label", "french-date"})
    assert counted == sum(1 for line in cells.values() for r in line["rule"].split("+")
                          if r in {"decimal-comma", "enum-label", "french-date"})
    summary = result.report.tasks[0].warnings[0]
    assert summary["type"] == "fix-summary" and "decimal-comma 9" in summary["message_en"]
    assert "cellule" in summary["message_fr"] and str(log) in summary["message_fr"]


def _with_unrepairable(tmp_path) -> Path:
    text = EXPORT.read_bytes().decode("cp1252")
    text = text.replace("PL-38185-00103;38185;", "PL-38185-00103;38000;")  # a postcode in an INSEE column
    text = text.replace("Iodures (halogénures) métalliques", "ballast")  # an unknown code
    text = text.replace("39;3000;5 200", "39;7 500;5 200", 1)  # out of range, once its spaces are gone
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_what_cannot_be_repaired_stays_and_is_reported(tmp_path):
    source = _with_unrepairable(tmp_path)
    out = tmp_path / "copy.csv"
    result = territoria.fix(str(source), SCHEMA, str(out), log=str(tmp_path / "log.csv"))
    assert result.exit_status == 1
    task = result.report.tasks[0]
    found = {(e["rowNumber"], e["fieldName"], e["type"], e.get("cell")) for e in task.errors}
    assert (2, "colour_temperature_k", "constraint-error", "7500") in found  # spaces removed, value kept
    assert (5, "lamp_technology", "constraint-error", "ballast") in found
    assert any(e["type"] == "code-commune-insee" and e["rowNumber"] == 6 for e in task.errors)
    copy = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert copy[4]["insee_code"] == "38000" and copy[3]["lamp_technology"] == "ballast"


def test_the_cli_exit_codes_and_the_output_that_is_an_input(tmp_path, capsys):
    out = tmp_path / "copy.csv"
    assert main(["fix", str(EXPORT), "--schema", SCHEMA, "--output", str(out), "--lang", "en"]) == 0
    assert "VALID" in capsys.readouterr().out
    assert main(["fix", str(_with_unrepairable(tmp_path)), "--schema", SCHEMA, "-o", str(out),
                 "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["tasks"][0]["territoria"]["warnings"][0]["type"] == "fix-summary"
    before = _digest(EXPORT)
    assert main(["fix", str(EXPORT), "--schema", SCHEMA, "-o", str(EXPORT)]) == 2
    assert "may not be the source" in capsys.readouterr().out and _digest(EXPORT) == before
    assert main(["fix", str(EXPORT), "--schema", SCHEMA, "-o", str(out), "--log", str(out)]) == 2
    assert main(["fix", str(EXPORT), "--schema", SCHEMA, "-o", str(out), "--report", str(EXPORT)]) == 2
    assert _digest(EXPORT) == before
    assert main(["fix", str(EXPORT), "--schema", SCHEMA, "-o", str(tmp_path / "no" / "such" / "dir.csv")]) == 2
    assert main(["fix", str(tmp_path / "missing.csv"), "--schema", SCHEMA, "-o", str(out)]) == 2
    assert main(["fix", str(EXPORT), "--schema", "no-such-schema", "-o", str(out)]) == 2
    assert main(["fix", str(EXPORT), "--schema", SCHEMA]) == 2  # no --output
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_a_failed_run_leaves_no_copy(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_bytes(b"a;b\n\xff\xfe\x00\x01;2\n")  # binary: cannot be read
    out = tmp_path / "copy.csv"
    result = territoria.fix(str(source), SCHEMA, str(out))
    assert result.exit_status == 2 and not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".territoria-")]


def _fix_text(tmp_path, text: str):
    """territoria.fix of ``text`` against two fields a (number) and b (string): (result, copy, log)."""
    schema = {"fields": [{"name": "a", "type": "number"}, {"name": "b", "type": "string"}]}
    source = tmp_path / "s.csv"
    source.write_text(text, encoding="utf-8")
    out, log = tmp_path / "o.csv", tmp_path / "l.csv"
    return territoria.fix(str(source), schema, str(out), log=str(log)), out, log


def test_rows_keep_their_numbers_and_blank_rows_at_the_end_are_dropped(tmp_path):
    result, out, log = _fix_text(tmp_path, "a;b\n1,5;x\n;\n2,5;y\n;\n;\n")
    assert out.read_text().splitlines() == ["a,b", "1.5,x", ",", "2.5,y"]  # quoted only where a cell needs it
    lines = _log(log)
    assert [(line["row"], line["rule"]) for line in lines if line["row"]] == [
        ("2", "decimal-comma"), ("4", "decimal-comma"), ("5", "trailing-blank-row"), ("6", "trailing-blank-row")]
    assert result.report.tasks[0].counts_by_type == {"blank-row": 1}  # a blank row inside stays, and is reported


def test_ragged_rows_are_padded_and_no_cell_is_dropped(tmp_path):
    result, out, log = _fix_text(tmp_path, "a,b\n\"1,5\",x\n2\n3,y,,\n4,z,lost?\n")
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows == [["a", "b", ""], ["1.5", "x", ""], ["2", "", ""], ["3", "y", ""], ["4", "z", "lost?"]]
    assert {(line["row"], line["rule"]) for line in _log(log)} >= {("3", "row-width"), ("4", "row-width")}
    assert not result.valid  # the extra cell's column is reported, never dropped


def test_a_spreadsheet_is_repaired_into_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date de pose", "Télégestion"])
    sheet.append(["15/06/2021", "oui"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    schema = {"fields": [{"name": "installation_date", "title": "Date de pose", "type": "date"},
                         {"name": "remote_management", "title": "Télégestion", "type": "boolean"}]}
    out, log = tmp_path / "o.csv", tmp_path / "l.csv"
    result = territoria.fix(str(path), schema, str(out), log=str(log))
    assert result.valid and out.read_text().splitlines()[1] == "2021-06-15,true"
    assert {"row": "", "field": "", "before": "xlsx", "after": "csv", "rule": "format"} in _log(log)


def test_a_package_schema_needs_its_table_named(tmp_path):
    result = territoria.fix(str(EXPORT), "street-lighting", str(tmp_path / "o.csv"))
    assert result.exit_status == 2 and "say which one" in result.report.tasks[0].errors[0]["note"]


def test_territoria_fix_is_the_package_and_the_function():
    import territoria.fix as room

    assert callable(territoria.fix) and territoria.fix is room and callable(room.fix)


def test_a_conformant_file_is_copied_without_a_single_change(tmp_path):
    """The file-level rules both ways: UTF-8, commas, the schema's names in its order: nothing to log."""
    source = HERE.parents[1] / "schemas" / "street-lighting" / "2.1.0" / "examples" / "valid" / "light_points.csv"
    out, log = tmp_path / "copy.csv", tmp_path / "log.csv"
    result = territoria.fix(str(source), SCHEMA, str(out), log=str(log))
    assert result.valid and result.changes == {} and _log(log) == []
    original = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")))) == original
    summary = result.report.tasks[0].warnings[0]
    assert summary["type"] == "fix-summary" and "nothing needed repairing" in summary["message_en"]
