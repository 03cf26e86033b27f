"""Workbook sheets: ``--sheet all`` validates each sheet (a use case's tables as one package), and a
default read of a notice sheet says where the data are."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import territoria
from conftest import REPO
from territoria.schema import catalogue
from territoria.validation import sheets

sys.path.insert(0, str(Path(__file__).parents[1] / "readers"))
from test_readers import row, s, write_ods  # noqa: E402

LATEST_SETS = [(entry.name, entry.latest, folder) for entry in catalogue.entries()
               for folder in sorted((Path(entry.path) / entry.latest / "examples").iterdir())
               if (folder / "datapackage.json").is_file()]


def _workbook(path: Path, tables: dict, notice_first: bool = True) -> Path:
    """An XLSX whose sheets are ``{name: csv path}`` (cells as text, as a CSV pasted into Excel)."""
    book = openpyxl.Workbook()
    first = book.active
    if notice_first:
        first.title = "Lisez-moi"
        first.append(["Inventaire publié par la commune"])
        first.append(["Les tables sont sur les feuilles suivantes."])
    for number, (name, source) in enumerate(tables.items()):
        sheet = first if (number == 0 and not notice_first) else book.create_sheet()
        sheet.title = name
        with open(source, newline="", encoding="utf-8") as handle:
            for values in csv.reader(handle):
                sheet.append(values)
    book.save(path)
    return path


def _by_table(report) -> dict:
    return {task.name: (task.valid, tuple(sorted(task.counts_by_type.items()))) for task in report.tasks}


@pytest.mark.parametrize("entry, version, folder", LATEST_SETS,
                         ids=[f"{e}@{v}/{f.name}" for e, v, f in LATEST_SETS])
def test_an_example_set_as_the_sheets_of_a_workbook_gives_its_package_verdict(tmp_path, entry, version, folder):
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: folder / r["path"] for r in descriptor["resources"] if r["path"].endswith(".csv")}
    if len(tables) != len(descriptor["resources"]):
        pytest.skip("a resource that is not a CSV")
    book = _workbook(tmp_path / "inventaire.xlsx", tables)
    as_package = territoria.validate(str(folder / "datapackage.json"))
    as_sheets = territoria.validate(str(book), f"{entry}@{version}", sheet="all")
    assert _by_table(as_sheets) == _by_table(as_package)
    assert {task.sheet for task in as_sheets.tasks} == set(tables)
    skipped = [w for task in as_sheets.tasks for w in task.warnings if w["type"] == "sheet-skipped-warning"]
    assert [w["sheet"] for w in skipped] == ["Lisez-moi"]


LIGHTS = REPO / "schemas" / "street-lighting" / "2.1.0" / "examples" / "valid" / "light_points.csv"


def test_a_notice_read_by_default_says_which_sheet_holds_the_data(tmp_path):
    book = _workbook(tmp_path / "points.xlsx", {"Points lumineux": LIGHTS})
    task = territoria.validate(str(book), "street-lighting/light_points").tasks[0]
    assert not task.valid and task.sheet == ""
    advice = [w for w in task.warnings if w["type"] == "sheet-warning"]
    assert len(advice) == 1 and advice[0]["sheet"] == "Points lumineux" and advice[0]["sheetNumber"] == 2
    assert '--sheet "Points lumineux"' in advice[0]["message_fr"] and "feuille 2" in advice[0]["message_fr"]
    chosen = territoria.validate(str(book), "street-lighting/light_points", sheet="Points lumineux").tasks[0]
    assert chosen.valid and chosen.sheet == "Points lumineux"
    assert not [w for w in chosen.warnings if w["type"] == "sheet-warning"]
    by_number = territoria.validate(str(book), "street-lighting/light_points", sheet=2).tasks[0]
    assert by_number.valid


def test_no_sheet_advice_when_the_first_sheet_is_the_data(tmp_path):
    book = _workbook(tmp_path / "points.xlsx", {"Points lumineux": LIGHTS}, notice_first=False)
    book_with_notice_after = openpyxl.load_workbook(book)
    book_with_notice_after.create_sheet("Notice").append(["light_point_id", "status"])
    book_with_notice_after.save(book)
    task = territoria.validate(str(book), "street-lighting/light_points").tasks[0]
    assert task.valid and not [w for w in task.warnings if w["type"].startswith("sheet")]


def test_an_ods_notice_sheet_and_every_sheet(tmp_path):
    path = write_ods(tmp_path / "codes.ods", {
        "Notice": row(s("Liste des codes publiés")),
        "codes": row(s("code"), s("label")) + row(s("A"), s("Alpha")) + row(s("B"), s("")),
    })
    schema = {"fields": [{"name": "code", "type": "string"},
                         {"name": "label", "type": "string", "constraints": {"required": True}}]}
    task = territoria.validate(str(path), schema).tasks[0]
    assert [w["sheet"] for w in task.warnings if w["type"] == "sheet-warning"] == ["codes"]
    report = territoria.validate(str(path), schema, sheet="all")
    assert [(t.sheet, t.error_count) for t in report.tasks] == [("codes", 1)]
    assert [w["sheet"] for w in report.tasks[0].warnings if w["type"] == "sheet-skipped-warning"] == ["Notice"]


def test_a_package_resource_names_its_sheet(tmp_path):
    book = _workbook(tmp_path / "points.xlsx", {"Points lumineux": LIGHTS})
    schema = json.loads(json.dumps(catalogue.resolve("street-lighting/light_points@2.1.0").table().descriptor))
    schema.pop("foreignKeys", None)
    for dialect in ({"sheet": "Points lumineux"}, {"excel": {"sheet": 2}}):
        package = {"name": "p", "resources": [{"name": "light_points", "path": "points.xlsx",
                                               "dialect": dialect, "schema": schema}]}
        (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
        task = territoria.validate(str(tmp_path / "datapackage.json")).tasks[0]
        assert task.valid and task.rows > 0, dialect


def test_the_cli_shows_the_sheet_of_each_report(tmp_path):
    book = _workbook(tmp_path / "points.xlsx", {"Points lumineux": LIGHTS})
    shown = subprocess.run([sys.executable, "-m", "territoria", "validate", str(book), "--schema",
                            "street-lighting/light_points", "--sheet", "all", "--lang", "fr"],
                           capture_output=True, text=True)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "points.xlsx, feuille « Points lumineux »" in shown.stdout
    assert "La feuille « Lisez-moi » ne nomme aucune des colonnes" in shown.stdout
    as_json = subprocess.run([sys.executable, "-m", "territoria", "validate", str(book), "--schema",
                              "street-lighting/light_points", "--sheet", "all", "--format", "json"],
                             capture_output=True, text=True)
    tasks = json.loads(as_json.stdout)["tasks"]
    assert [t["territoria"]["sheet"] for t in tasks] == ["Points lumineux"]


def test_a_workbook_of_too_many_sheets_is_one_clear_error(tmp_path, monkeypatch):
    book = _workbook(tmp_path / "points.xlsx", {"a": LIGHTS, "b": LIGHTS})
    monkeypatch.setattr(sheets, "MAX_SHEETS", 2)
    report = territoria.validate(str(book), "street-lighting/light_points", sheet="all")
    task = report.tasks[0]
    assert task.could_not_run and "3 sheets, more than the 2" in task.errors[0]["note"]


def test_sheet_all_leaves_a_csv_as_it_is(tmp_path):
    report = territoria.validate(str(LIGHTS), "street-lighting/light_points", sheet="all")
    assert [(t.valid, t.sheet) for t in report.tasks] == [(True, "")]
