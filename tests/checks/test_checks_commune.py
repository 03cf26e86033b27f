"""coordinates-in-commune at commune level: the schema's table of commune extents (``commune_extents``)."""
from __future__ import annotations

import json
import os

import pytest

import territoria
from territoria.checks import CheckContext, CheckParamsError, build_checks
from territoria.checks import _commune_extents
from territoria.cli import main
from territoria.fields import FieldSpec

from checks_helpers import findings, schema_error

NUM = [{"name": "lat", "type": "number"}, {"name": "lon", "type": "number"}, "c"]
# approximate bounding boxes (WGS84) of Grenoble and Échirolles, which border it to the south
EXTENTS = "code,lon_min,lat_min,lon_max,lat_max\n38185,5.677,45.154,5.753,45.214\n38151,5.695,45.125,5.742,45.160\n"
GRENOBLE = "45.188,5.724"  # lat,lon: place Grenette
ECHIROLLES = "45.140,5.715"  # south of Grenoble's box, inside Échirolles'


@pytest.fixture
def extents(tmp_path):
    path = tmp_path / "commune_extents.csv"
    path.write_text(EXTENTS, encoding="utf-8")
    return path


def check(reference, **extra):
    params = {"latitude": "lat", "longitude": "lon", "commune": "c", **extra}
    if reference is not None:
        params["commune_extents"] = str(reference)
    return [{"name": "coordinates-in-commune", "params": params}]


def errors_of(write_csv, csv, checks, fields=NUM):
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in fields], "custom_checks": checks}
    task = territoria.validate(str(write_csv(csv)), descriptor).tasks[0]
    assert not task.could_not_run, task.errors
    return [e for e in task.errors if e["type"] == "coordinates-in-commune"]


def test_point_of_echirolles_declared_in_grenoble(write_csv, extents):
    csv = f"lat,lon,c\n{GRENOBLE},38185\n{ECHIROLLES},38185\n{ECHIROLLES},38151\n{GRENOBLE},38151\n"
    assert findings(write_csv, csv, NUM, check(extents)) == [
        ("coordinates-in-commune", 3, "c", "38185"), ("coordinates-in-commune", 5, "c", "38151")]
    # without the table, the département-level check cannot tell them apart (today's default)
    assert findings(write_csv, csv, NUM, check(None)) == []


def test_codes_missing_from_the_table_fall_back_to_the_departement(write_csv, extents):
    # 38421 (Saint-Martin-d'Hères) and 97411 (Saint-Denis, La Réunion) are not in the table
    csv = (f"lat,lon,c\n{ECHIROLLES},38421\n48.85,2.35,38421\n-21.1,55.5,38421\n"
           f"{GRENOBLE},97411\n-21.1,55.5,97411\n{ECHIROLLES},38185\n,,38185\n{GRENOBLE},\n")
    errors = errors_of(write_csv, csv, check(extents))
    assert [(e["rowNumber"], e["cell"]) for e in errors] == [(4, "38421"), (5, "97411"), (7, "38185")]
    assert [e["note"] for e in errors] == [
        "(lat -21.1, lon 55.5; bbox France)", "(lat 45.188, lon 5.724; bbox La Réunion)",
        "(lat 45.14, lon 5.715; bbox commune)"]
    assert "bbox commune" in errors[2]["message_fr"] and "38185" in errors[2]["message_en"]
    # rows outside the table add no other finding or warning
    task = territoria.validate(str(write_csv(csv)), {"fields": [{"name": "lat", "type": "number"},
                                                                 {"name": "lon", "type": "number"}, {"name": "c"}],
                                                      "custom_checks": check(extents)}).tasks[0]
    assert task.counts_by_type == {"coordinates-in-commune": 3}
    assert not [w for w in task.warnings if w["type"] != "dialect-warning"]


def test_default_notes_are_unchanged(write_csv):
    errors = errors_of(write_csv, "lat,lon,c\n-21.1,55.5,75056\n", check(None))
    assert errors[0]["note"] == "(lat -21.1, lon 55.5)"


def test_tolerance_widens_the_commune_box_in_kilometres(write_csv, extents):
    # 280 m south of Grenoble's box; about 390 m east of it (0.005° of longitude at 45°N)
    csv = "lat,lon,c\n45.1515,5.70,38185\n45.18,5.758,38185\n"
    assert [f[1] for f in findings(write_csv, csv, NUM, check(extents))] == [2, 3]
    assert [f[1] for f in findings(write_csv, csv, NUM, check(extents, tolerance_km=0.3))] == [3]
    assert findings(write_csv, csv, NUM, check(extents, tolerance_km=0.5)) == []


def test_geopoint_column(write_csv, extents):
    checks = [{"name": "coordinates-in-commune",
               "params": {"column": "g", "commune": "c", "commune_extents": str(extents)}}]
    csv = 'g,c\n"5.715,45.140",38185\n"5.715,45.140",38151\n'
    assert findings(write_csv, csv, [{"name": "g", "type": "geopoint"}, "c"], checks) == [
        ("coordinates-in-commune", 2, "c", "38185")]


def test_semicolon_decimal_comma_bom_and_spreadsheet_quirks(write_csv, tmp_path):
    """A table saved by a spreadsheet: ';', decimal comma, BOM, CRLF, extra columns, lost
    leading zero; a commune in two parts gets the union of its boxes."""
    path = tmp_path / "emprises.csv"
    path.write_bytes(("\ufeffnom;CODE;lon_min;lat_min;lon_max;lat_max\r\n"
                      "Grenoble;38185;5,677;45,154;5,753;45,214\r\n"
                      "Bourg-en-Bresse;1053;5,19;46,17;5,26;46,23\r\n"
                      "Échirolles;38151;5,695;45,125;5,742;45,140\r\n"
                      "Échirolles;38151;5,695;45,140;5,742;45,160\r\n").encode("utf-8"))
    csv = f"lat,lon,c\n{ECHIROLLES},38151\n45.155,5.70,38151\n46.20,5.22,01053\n{GRENOBLE},01053\n"
    assert findings(write_csv, csv, NUM, check(path)) == [("coordinates-in-commune", 5, "c", "01053")]
    extents = _commune_extents.load(str(path))
    assert sorted(extents.codes.to_pylist()) == ["01053", "38151", "38185"]


def test_insee_com_column_name_and_url_base(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("insee_com,lon_min,lat_min,lon_max,lat_max\n38185,5.677,45.154,5.753,45.214\n")
    assert _commune_extents.load(str(path)).codes.to_pylist() == ["38185"]
    assert _commune_extents.resolve("ref/c.csv", "https://example.org/schemas/x") == \
        "https://example.org/schemas/x/ref/c.csv"
    assert _commune_extents.resolve("https://example.org/c.csv", "/tmp") == "https://example.org/c.csv"


def test_the_table_is_read_once_per_content(tmp_path, extents):
    first = _commune_extents.load(str(extents))
    assert _commune_extents.load(str(extents)) is first
    extents.write_text(EXTENTS + "38421,5.73,45.16,5.80,45.20\n")
    assert "38421" in _commune_extents.load(str(extents)).codes.to_pylist()


def test_relative_path_without_schema_folder_is_read_from_the_current_directory(write_csv, extents, monkeypatch):
    monkeypatch.chdir(extents.parent)
    csv = f"lat,lon,c\n{ECHIROLLES},38185\n"
    assert findings(write_csv, csv, NUM, check("commune_extents.csv")) == [("coordinates-in-commune", 2, "c", "38185")]


def test_relative_path_is_read_from_the_schema_folder_given_to_build_checks(tmp_path, extents, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    fields = [FieldSpec.from_descriptor(f if isinstance(f, dict) else {"name": f}) for f in NUM]
    descriptor = {"fields": [], "custom_checks": check("commune_extents.csv")}
    [built], _ = build_checks(descriptor, fields, CheckContext(base=str(tmp_path)))
    assert built.extents.location == str(extents)
    with pytest.raises(CheckParamsError, match="read from the current directory"):
        build_checks(descriptor, fields)


def _schema_knows_its_folder() -> bool:
    from territoria.schema import TableSchema

    return "base" in getattr(TableSchema, "__dataclass_fields__", {})


@pytest.mark.skipif(not _schema_knows_its_folder(), reason="the engine does not pass the schema's folder yet")
def test_relative_path_is_read_from_the_schema_folder(tmp_path, write_csv, extents, monkeypatch):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"fields": NUM[:2] + [{"name": "c"}], "custom_checks": check("commune_extents.csv")}))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    task = territoria.validate(str(write_csv(f"lat,lon,c\n{ECHIROLLES},38185\n")), str(schema)).tasks[0]
    assert not task.could_not_run, task.errors
    assert [e["rowNumber"] for e in task.errors] == [2]


@pytest.mark.parametrize("content, expected", [
    (None, "not found"),
    ("code;lon_min;lat_min\n38185;5.6;45.1\n", "missing column(s) lon_max, lat_max"),
    ("insee;lon_min;lat_min;lon_max;lat_max\n38185;5.6;45.1;5.7;45.2\n", "missing column(s) code"),
    ("code,lon_min,lat_min,lon_max,lat_max\n", "no commune listed"),
    ("", "empty file"),
    ("code,lon_min,lat_min,lon_max,lat_max\n38185,5.6,45.1,5.7,45.2\n38151,x,45.1,5.7,45.2\n",
     "line 3: lon_min 'x' is not a number"),
    ("code,lon_min,lat_min,lon_max,lat_max\n38185,913000,6450000,919000,6457000\n", "Lambert 93"),
    ("code,lon_min,lat_min,lon_max,lat_max\n38185,5.7,45.1,5.6,45.2\n", "line 2: lon_min/lat_min greater"),
    ("code,lon_min,lat_min,lon_max,lat_max\n,5.6,45.1,5.7,45.2\n", "line 2: empty code"),
    ("code,lon_min,lat_min,lon_max,lat_max\n38185,5.6,45.1\n", "not a readable CSV"),
    (b"code,lon_min,lat_min,lon_max,lat_max\n38185,5.6,45.1,5.7,45.2 \xe9\n", "not UTF-8"),
])
def test_unusable_table_is_a_schema_error(write_csv, tmp_path, content, expected):
    path = tmp_path / "ref.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    note = schema_error(write_csv, f"lat,lon,c\n{GRENOBLE},38185\n", NUM, check(path))
    assert expected in note and "commune_extents" in note and str(path) in note
    assert "\n" not in note


def test_bad_parameter_values(write_csv, tmp_path):
    assert "must be the path or URL" in schema_error(write_csv, "lat,lon,c\n", NUM, check(None, commune_extents=3))
    assert "is not a file" in schema_error(write_csv, "lat,lon,c\n", NUM, check(tmp_path))
    # a misspelt parameter is ignored, as Validata ignores it, and said in a warning
    [warning] = findings(write_csv, f"lat,lon,c\n{GRENOBLE},38185\n", NUM, check(None, communes="x.csv"), warnings=True)
    assert warning[0] == "check-parameter-ignored"


def test_cli_missing_table_is_one_line_exit_2(tmp_path, capsys, write_csv):
    missing = tmp_path / "nowhere" / "commune_extents.csv"
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"fields": NUM[:2] + [{"name": "c"}], "custom_checks": check(missing)}))
    code = main(["validate", str(write_csv(f"lat,lon,c\n{GRENOBLE},38185\n")), "--schema", str(schema),
                 "--lang", "en", "--no-progress"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.out + captured.err
    lines = [line for line in captured.out.splitlines() if "commune_extents" in line]
    assert len(lines) == 1 and f"file {str(missing)!r} not found" in lines[0]


def test_cli_and_library_with_a_table(tmp_path, capsys, write_csv, extents):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"fields": NUM[:2] + [{"name": "c"}], "custom_checks": check(extents)}))
    good = write_csv(f"lat,lon,c\n{ECHIROLLES},38151\n", name="good.csv")
    bad = write_csv(f"lat,lon,c\n{ECHIROLLES},38185\n", name="bad.csv")
    assert territoria.validate(str(good), str(schema)).valid
    report = territoria.validate(str(bad), str(schema))
    assert not report.valid and report.tasks[0].counts_by_type == {"coordinates-in-commune": 1}
    assert main(["validate", str(good), "--schema", str(schema), "--no-progress"]) == 0
    assert main(["validate", str(bad), "--schema", str(schema), "--no-progress"]) == 1
    assert "Traceback" not in "".join(capsys.readouterr())
    assert os.path.exists(extents)
