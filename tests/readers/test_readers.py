"""XLSX, ODS, XLS, JSON, NDJSON and Parquet readers: same verdicts as frictionless-py v5.

Every fixture is built here in tmp_path (openpyxl for XLSX, a hand-written
content.xml for ODS — so repeated rows/cells can be exercised —, json for
JSON, pyarrow for Parquet) and validated by both territoria and frictionless;
the sets of (type, rowNumber, fieldName) must be equal.

Native cells: frictionless's field readers accept or reject some Python values
by type (an int in a string field is a type error). The readers report those
cells in ``NativeBatch.kinds`` and ``spreadsheet.native_cells`` turns them into
verdicts (``engine.check_cells`` calls it per column).
"""
from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile

import numpy as np
import pyarrow as pa
import pytest

import territoria
from territoria.fields import FIELD_TYPES, _load_type_modules
from territoria.readers import SourceProblem
from territoria.readers.spreadsheet import detect_header_row, open_spreadsheet_table
from territoria.fields.native import native_cells
from territoria.readers.native import KIND_BOOL, KIND_DATETIME, KIND_FLOAT, KIND_INT, KIND_TEXT, NativeBatch, cell_text

warnings.filterwarnings("ignore", module="openpyxl")
_load_type_modules()


def needs(*types):
    missing = [t for t in types if t not in FIELD_TYPES]
    if missing:
        pytest.skip(f"field types not implemented yet: {missing}")


# ------------------------------------------------------------------ comparing


def ours(path, schema, **options):
    report = territoria.validate(str(path), schema, **options).to_dict()
    return sorted((e["type"], e.get("rowNumber") or 0, e.get("fieldName") or "")
                  for task in report["tasks"] for e in task["errors"])


def theirs(path, schema, *, format=None, sheet=None):
    frictionless = pytest.importorskip("frictionless")
    from frictionless.resources import TableResource

    options = {}
    if format:
        options["format"] = format
    if sheet is not None:
        from frictionless.formats import ExcelControl, OdsControl
        control = OdsControl(sheet=sheet) if str(path).endswith(".ods") else ExcelControl(sheet=sheet)
        options["control"] = control
    resource = TableResource(path=path.name, basepath=str(path.parent), schema=frictionless.Schema.from_descriptor(schema), **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = resource.validate()
    return sorted((e[0], e[1] or 0, e[2] or "") for e in report.flatten(["type", "rowNumber", "fieldName"]))


def same(path, schema, *, format=None, sheet=None):
    expected = theirs(path, schema, format=format, sheet=sheet)
    got = ours(path, schema, format=format, sheet=sheet)
    assert got == expected
    return got


def fields(**types):
    return {"fields": [{"name": n, "type": t} if isinstance(t, str) else {"name": n, **t}
                       for n, t in types.items()]}


# ------------------------------------------------------------------ builders


def write_xlsx(path, rows, *, sheets=None, cells=()):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for (r, c, value) in cells:
        sheet.cell(row=r, column=c, value=value)
    for name, extra in (sheets or {}).items():
        other = book.create_sheet(name)
        for row in extra:
            other.append(row)
    book.save(path)
    return path


_ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
             '<office:body><office:spreadsheet>')
_ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                 '<manifest:file-entry manifest:full-path="/" '
                 'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                 '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                 '</manifest:manifest>')


def write_ods(path, tables: dict):
    body = "".join(f'<table:table table:name="{name}">{xml}</table:table>' for name, xml in tables.items())
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", _ODS_HEAD + body + "</office:spreadsheet></office:body></office:document-content>")
    return path


def s(text, repeat=None):
    rep = f' table:number-columns-repeated="{repeat}"' if repeat else ""
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{text}</text:p></table:table-cell>'


def f(value):
    return f'<table:table-cell office:value-type="float" office:value="{value}"/>'


EMPTY = "<table:table-cell/>"


def row(*cells, repeat=None):
    rep = f' table:number-rows-repeated="{repeat}"' if repeat else ""
    return f"<table:table-row{rep}>" + "".join(cells) + "</table:table-row>"


def write_parquet(path, columns: dict):
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path)
    return path


# ------------------------------------------------------------------ XLSX


def test_xlsx_valid_table(tmp_path):
    needs("integer", "number", "date")
    path = write_xlsx(tmp_path / "ok.xlsx", [
        ["id", "name", "score", "day"],
        [1, "a", 2.5, dt.datetime(2024, 3, 15)],
        [2, "b", 3.0, dt.datetime(2024, 3, 16)],
    ])
    schema = fields(id="integer", name="string", score="number", day="date")
    assert same(path, schema) == []


def test_xlsx_broken_table(tmp_path):
    needs("integer")
    path = write_xlsx(tmp_path / "broken.xlsx", [
        ["id", "name", "note"],
        [1, "a", "x"],
        ["one", 5, None],         # type errors: text in integer, number in string
        [None, None, None],       # blank row
        [3, "b", "y", "extra"],   # a 4th column: every row is padded, header gets extra-label
        [4.5, None, None],
    ], cells=[(9, 1, 7), (11, 2, None)])  # row 8 absent from the file, trailing empty rows
    got = same(path, fields(id="integer", name="string", note="string"))
    assert ("extra-label", 0, "") in got
    assert ("type-error", 3, "name") in got
    assert ("blank-row", 8, "") in got and ("blank-row", 11, "") in got


def test_xlsx_string_and_any_fields(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [
        ["code", "anything"],
        ["A1", 1],
        [12, True],
        [dt.datetime(2024, 1, 1, 9, 30), dt.time(10, 0)],
        [None, "z"],
    ])
    schema = fields(code={"type": "string", "constraints": {"required": True}}, anything="any")
    got = same(path, schema)
    assert ("type-error", 3, "code") in got and ("constraint-error", 5, "code") in got


def test_xlsx_native_temporal_and_boolean(tmp_path):
    needs("date", "datetime", "time", "boolean", "year", "number", "integer")
    path = write_xlsx(tmp_path / "t.xlsx", [
        ["d", "d_fmt", "dt", "t", "flag", "y", "n", "i"],
        [dt.datetime(2024, 3, 15), dt.datetime(2024, 3, 15), dt.datetime(2024, 3, 15, 10, 5), dt.time(10, 0),
         True, 12, 12.5, 3.0],
        [dt.datetime(2024, 3, 15, 10, 0), "15/03/2024", dt.datetime(2024, 3, 15), "10:00:00",
         False, 2024, 7, 1e20],
        ["2024-03-15", dt.datetime(2024, 3, 15, 1, 0), "2024-03-15", dt.datetime(2024, 1, 1, 10, 0),
         "yes", True, "1,5", 2.5],
        [12, 5, 5, dt.time(1, 2, 3), 1, -5, True, True],
    ])
    schema = fields(d="date", d_fmt={"type": "date", "format": "%d/%m/%Y"}, dt="datetime", t="time",
                    flag={"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]}, y="year",
                    n={"type": "number", "decimalChar": ","}, i="integer")
    got = same(path, schema)
    assert ("type-error", 3, "d") in got          # a datetime that is not midnight in a date field
    assert ("type-error", 2, "d_fmt") not in got  # a native date ignores the field's format


def test_xlsx_sheet_choice(tmp_path):
    path = write_xlsx(tmp_path / "sheets.xlsx", [["a"], ["x"]], sheets={"Second": [["b", "c"], ["1", None]]})
    schema = fields(b="string", c="string")
    assert same(path, schema, sheet="Second") == []
    assert same(path, schema, sheet=2) == []
    assert ours(path, schema, sheet="Nope") == [("format-error", 0, "")]
    assert ours(path, schema, sheet=5) == [("format-error", 0, "")]


def test_xlsx_reader_batches(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [[" id ", None, 3], [1, "a", 2.0], [None, None, None]])
    table = open_spreadsheet_table(str(path), "xlsx")
    assert table.labels == ["id", "", "3"] and table.header_row == 1 and table.encoding is None
    (batch,) = list(table.batches())
    assert isinstance(batch, NativeBatch)
    assert batch.row_numbers.tolist() == [2, 3] and batch.cell_counts is None
    assert [c.to_pylist() for c in batch.columns] == [["1", None], ["a", None], ["2", None]]
    assert batch.kinds[0].tolist() == [KIND_INT, KIND_TEXT] and batch.native[1] is None


def test_xlsx_corrupt_file_exit_code(tmp_path, capsys):
    from territoria.cli import main

    good = write_xlsx(tmp_path / "good.xlsx", [["a"], ["x"]])
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:1500])
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(fields(a="string")))
    assert main(["validate", str(truncated), "--schema", str(schema), "--no-progress"]) == 2
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert ours(truncated, fields(a="string")) == [("format-error", 0, "")]


def test_xlsx_damaged_sheet_xml(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [["a"]] + [[f"v{i}"] for i in range(50)])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    report = territoria.validate(str(damaged), fields(a="string")).to_dict()
    (task,) = report["tasks"]
    assert [e["type"] for e in task["errors"]] == ["format-error"]
    assert "\n" not in task["errors"][0]["note"]


# ------------------------------------------------------------------ XLS (optional)


def test_xls_missing_sheet_is_format_error(tmp_path):
    pytest.importorskip("xlrd")
    path = tmp_path / "fake.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0not really an xls")
    with pytest.raises(SourceProblem) as caught:
        open_spreadsheet_table(str(path), "xls")
    assert caught.value.code == "format-error"


# ------------------------------------------------------------------ ODS


def _ods_sample(tmp_path):
    data = (row(s("id"), s("name"), s("score"))
            + row(f(1), s("a"), f("2.5"))
            + row(f("2.0"), f(5), '<table:table-cell office:value-type="string"><text:p>x<text:s text:c="2"/>y'
                  '</text:p><text:p>two</text:p></table:table-cell>')
            + row(f(3), s("b"), repeat=3)             # expanded: 3 rows
            + row(EMPTY, repeat=2)                    # 2 blank rows
            + row(f(4), s("q", repeat=3))             # 3 cells: padded width 4, extra label
            + row(s("x"), s("c"), f(1))
            + row(f(6), s("d"), f(1), repeat=40)      # >= 32: kept once (ezodf)
            + row('<table:table-cell office:value-type="date" office:date-value="2024-03-15"/>',
                  '<table:table-cell office:value-type="boolean" office:boolean-value="true"/>',
                  '<table:table-cell office:value-type="time" office:time-value="PT10H00M00S"/>')
            + row(EMPTY, repeat=1048000))             # LibreOffice's trailing rows: once
    return write_ods(tmp_path / "t.ods", {"Other": row(s("z")), "Data": data})


def test_ods_string_fields(tmp_path):
    pytest.importorskip("ezodf")
    path = _ods_sample(tmp_path)
    schema = fields(id="string", name="string", score="string")
    got = same(path, schema, sheet="Data")
    assert ("blank-row", 7, "") in got and ("blank-row", 8, "") in got and ("type-error", 3, "name") in got


def test_ods_typed_fields(tmp_path):
    pytest.importorskip("ezodf")
    needs("integer", "number")
    path = _ods_sample(tmp_path)
    schema = fields(id="integer", name="string", score="number")
    same(path, schema, sheet=2)
    assert same(path, fields(z="string")) == []   # the first sheet by default


def test_ods_reader_rows(tmp_path):
    path = _ods_sample(tmp_path)
    table = open_spreadsheet_table(str(path), "ods", sheet="Data")
    assert table.labels == ["id", "name", "score", ""]
    (batch,) = list(table.batches())
    assert batch.row_numbers.tolist() == list(range(2, 14))
    assert batch.columns[2].to_pylist()[1] == "x  y\ntwo"
    assert batch.columns[0].to_pylist()[:2] == ["1", "2"]       # whole floats are ints
    assert batch.columns[2].to_pylist()[10] == "PT10H00M00S"    # ODS times stay text
    assert batch.kinds[1][10] == KIND_BOOL


def test_ods_damaged(tmp_path):
    path = tmp_path / "bad.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", _ODS_HEAD + "<table:table")
    assert ours(path, fields(a="string")) == [("format-error", 0, "")]


# ------------------------------------------------------------------ JSON / NDJSON


def _json_frictionless():
    pytest.importorskip("ijson")
    pytest.importorskip("jsonlines")


def test_json_array_of_arrays(tmp_path):
    _json_frictionless()
    needs("integer", "number")
    path = tmp_path / "a.json"
    path.write_text(json.dumps([["a", "b", "c"], [1, 2.5, "x"], [3.0, 1, 5], [1.5, None, None], [1, 2],
                                [1, 2, "z", 4], [], [True, "3", [1]]]))
    got = same(path, fields(a="integer", b="number", c="string"), format="json")
    assert {("missing-cell", 5, "c"), ("extra-cell", 6, ""), ("blank-row", 7, "")} <= set(got)


def test_json_array_of_objects(tmp_path):
    _json_frictionless()
    needs("integer", "number")
    path = tmp_path / "o.json"
    path.write_text(json.dumps([{"a": 1, "b": 2, "c": "x"}, {"a": 2, "c": "y", "d": 9},
                                {"a": "q", "b": {"k": 1}, "c": None}, {}]))
    got = same(path, fields(a="integer", b="number", c="string"), format="json")
    assert ("blank-row", 5, "") in got


def test_json_types_and_header_detection(tmp_path):
    _json_frictionless()
    needs("integer", "year", "boolean", "array", "object")
    path = tmp_path / "t.json"
    path.write_text('[["a","b","c","d","e","f"],[3.0,12,true,[1],{"x":1},5],'
                    '[1E2,true,1,"[2]","{}",{"q":[1]}],[1.5,2024.0,"true",{"a":1},[1],1.25]]')
    schema = fields(a="integer", b="year", c="boolean", d="array", e="object", f="any")
    same(path, schema, format="json")
    ragged = tmp_path / "ragged.json"
    ragged.write_text(json.dumps([["a", "b", "c"], [1], [2], [3], [4]]))  # header found on row 2
    assert same(ragged, fields(a="string", b="string", c="string"), format="json")


def test_json_string_fields(tmp_path):
    _json_frictionless()
    path = tmp_path / "s.json"
    path.write_text(json.dumps([["a", "b"], ["x", 1], [None, "y"], [" ", True], [None, None]]))
    got = same(path, fields(a="string", b="any"), format="json")
    assert ("blank-row", 5, "") in got


@pytest.mark.parametrize("text", [
    '[["a","b"],[1,2],', '[["a","b"],[1 2]]', '{"a": 1}', "[]", '[["a"], 5]', "[1, 2]", "[[]]",
])
def test_json_unreadable(tmp_path, text):
    _json_frictionless()
    path = tmp_path / "bad.json"
    path.write_text(text)
    assert ours(path, fields(a="string")) == theirs(path, fields(a="string"), format="json") \
        == [("source-error", 0, "")]


def test_json_error_note_has_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[["a"],\n["x"],\n["y" "z"]]')
    (task,) = territoria.validate(str(path), fields(a="string")).to_dict()["tasks"]
    assert "line 3 column" in task["errors"][0]["note"]


def test_json_streams_across_chunks(tmp_path, monkeypatch):
    from territoria.readers import json_reader

    monkeypatch.setattr(json_reader, "CHUNK_CHARS", 7)
    path = tmp_path / "big.json"
    rows = [["id", "text"]] + [[i, "é" * (i % 5) + '"q"'] for i in range(300)] + [[12345678901234567890, "n"]]
    path.write_text(json.dumps(rows, ensure_ascii=False))
    table = json_reader.open_json_table(str(path))
    cells = [v for batch in table.batches() for v in batch.columns[1].to_pylist()]
    numbers = [v for batch in table.batches() for v in batch.columns[0].to_pylist()]
    assert cells == [r[1] for r in rows[1:]] and numbers[-1] == "12345678901234567890"


def test_ndjson(tmp_path):
    _json_frictionless()
    needs("number")
    path = tmp_path / "d.ndjson"
    path.write_text('{"a":1,"b":2,"c":"x"}\n{"a":2,"b":"nope","c":"y"}\n{"a":3,"b":2.5,"c":7}\n')
    assert same(path, fields(a="any", b="number", c="string"), format="ndjson") == [
        ("type-error", 3, "b"), ("type-error", 4, "c")]
    blank_line = tmp_path / "e.ndjson"
    blank_line.write_text('["a"]\n["x"]\n\n["y"]\n')
    assert ours(blank_line, fields(a="string")) == theirs(blank_line, fields(a="string"), format="ndjson") \
        == [("source-error", 0, "")]


# ------------------------------------------------------------------ Parquet


def test_parquet_valid_and_type_errors(tmp_path):
    needs("integer", "number", "boolean", "date", "datetime")
    path = write_parquet(tmp_path / "p.parquet", {
        "i": pa.array([1, 2, 3], pa.int64()),
        "f": pa.array([1.5, 2.0, 1e20]),
        "s": pa.array(["a", None, "c"]),
        "b": pa.array([True, False, None]),
        "d": pa.array([dt.date(2024, 1, 1), None, dt.date(2024, 1, 2)]),
        "ts": pa.array([dt.datetime(2024, 1, 1, 10), dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3)]),
    })
    typed = fields(i="integer", f="number", s="string", b="boolean", d="date", ts="datetime")
    assert same(path, typed) == []
    as_integers = fields(i="integer", f="integer", s="string", b="integer", d="string", ts="date")
    got = same(path, as_integers)
    assert ("type-error", 2, "f") in got and ("type-error", 2, "d") in got


def test_parquet_typed_columns_against_frictionless(tmp_path):
    """Numbers, integers, booleans and dates are checked from their typed values
    (``fields.native.check_typed``): bounds (ties included), enums, uniqueness,
    whole and fractional floats in an integer field, as frictionless reads them."""
    needs("integer", "number", "boolean", "date")
    path = write_parquet(tmp_path / "typed.parquet", {
        "lat": pa.array([45.5, 90.0, 90.5, -90.0, -91.0, 0.0, 45.5]),
        "pct": pa.array([0.0, 100.0, 100.25, 0.0, -0.5, 50.0, 7.0]),
        "power": pa.array([18, 0, -5, 250, 400, 18, 12000], pa.int64()),
        "kelvin": pa.array([3000.0, 2700.5, 4000.0, 1e20, 6500.0, 2200.0, 500.0]),
        "remote": pa.array([True, False, True, True, False, False, True]),
        "day": pa.array([dt.date(2024, 1, 1), dt.date(1999, 12, 31), dt.date(2024, 2, 29), dt.date(2030, 1, 1),
                         dt.date(2000, 1, 1), dt.date(2020, 6, 1), dt.date(2024, 1, 1)]),
        "code": pa.array([1, 2, 3, 4, 5, 6, 1], pa.int32()),
    })
    schema = {"fields": [
        {"name": "lat", "type": "number", "constraints": {"minimum": -90, "maximum": 90, "unique": True}},
        {"name": "pct", "type": "number", "constraints": {"minimum": -0.25, "maximum": 100}},
        {"name": "power", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000, "enum": [0, 18, 250, 400]}},
        {"name": "kelvin", "type": "integer", "constraints": {"minimum": 1000, "maximum": 10000}},
        {"name": "remote", "type": "boolean", "constraints": {"enum": [True]}},
        {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2024-12-31"}},
        {"name": "code", "type": "integer", "constraints": {"unique": True}},
    ]}
    got = same(path, schema)
    assert ("type-error", 3, "kelvin") in got and ("unique-error", 8, "lat") in got


def test_parquet_reader_text(tmp_path):
    from territoria.readers.parquet_reader import open_parquet_table

    path = write_parquet(tmp_path / "q.parquet", {
        "i": pa.array([1, None], pa.int32()), "f": pa.array([3.0, 0.5]),
        "ts": pa.array([dt.datetime(2024, 1, 1, 10, 0, 0, 500), None]),
        "l": pa.array([[1, 2], None]), "st": pa.array([{"x": 1}, None]),
    })
    table = open_parquet_table(str(path))
    assert table.labels == ["i", "f", "ts", "l", "st"] and table.encoding is None
    (batch,) = list(table.batches())
    assert [c.to_pylist() for c in batch.columns] == [
        ["1", None], ["3", "0.5"], ["2024-01-01T10:00:00.000500", None], ["[1, 2]", None], ['{"x": 1}', None]]
    assert batch.kinds[0].tolist() == [KIND_INT, KIND_TEXT] and batch.kinds[1].tolist() == [KIND_FLOAT] * 2
    assert batch.row_numbers.tolist() == [2, 3]


def test_parquet_null_integer_differs_from_frictionless(tmp_path):
    """A null is an empty cell. frictionless goes through pandas (an int column with nulls
    becomes float) and, depending on the row's other columns, the null reaches the
    integer field as None or as NaN (then a type error "nan"); we always read null."""
    needs("integer")
    path = write_parquet(tmp_path / "n.parquet", {"i": pa.array([1, None, 3], pa.int64()), "s": ["a", "b", "c"]})
    assert ours(path, fields(i="integer", s="string")) == []


def test_parquet_corrupt(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 20)
    assert ours(path, fields(a="string")) == [("format-error", 0, "")]


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize("value, text, kind", [
    (12, "12", KIND_INT), (3.0, "3", KIND_FLOAT), (12.5, "12.5", KIND_FLOAT), (1e20, "100000000000000000000", KIND_FLOAT),
    (True, "true", KIND_BOOL), (dt.datetime(2024, 3, 15, 10), "2024-03-15T10:00:00", KIND_DATETIME),
    (None, None, KIND_TEXT), ("x", "x", KIND_TEXT),
])
def test_cell_text(value, text, kind):
    assert cell_text(value) == (text, kind)


def test_detect_header_row():
    assert detect_header_row([["a", "b", "c"], [1], [2], [3], [4]]) == 2
    assert detect_header_row([["a", "b", "c"], [1], [2], [3]]) == 1
    assert detect_header_row([["a", "b"], [1, 2]]) == 1
    assert detect_header_row([]) == 1


def test_native_cells_rules():
    from territoria.fields import FieldSpec

    cells = pa.array(["12", "x", "true", None])
    kinds = np.array([KIND_INT, KIND_TEXT, KIND_BOOL, KIND_TEXT], dtype=np.int8)
    _, forced = native_cells(FieldSpec.from_descriptor({"name": "s", "type": "string"}), cells, kinds)
    assert forced.tolist() == [True, False, True, False]
    rewritten, forced = native_cells(FieldSpec.from_descriptor({"name": "y", "type": "year"}), cells, kinds)
    assert rewritten.to_pylist() == ["0012", "x", "0001", None] and forced is None
