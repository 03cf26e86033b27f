"""Differential tests of territoria.fields against frictionless-py v5.

For every (descriptor, cells) case, each cell is read by frictionless
``Field.create_cell_reader()`` and its verdict -- type error? which constraints
fail? -- must equal the masks returned by ``check_field``. Cells for which
frictionless raises (e.g. comparing naive and aware datetimes) are skipped
(territoria reports them as constraint failures).
"""
from __future__ import annotations

import random
import string

import numpy as np
import pyarrow as pa
import pytest

frictionless = pytest.importorskip("frictionless")
from frictionless import Field  # noqa: E402

from territoria.fields import FieldSpec, check_field  # noqa: E402
from territoria.fields._core import RESIDUE_COUNTER, reset_residue_counter  # noqa: E402


# ------------------------------------------------------------------------ harness


def frictionless_verdicts(descriptor, cells):
    try:
        reader = Field.from_descriptor(dict(descriptor)).create_cell_reader()
    except Exception:
        return [None] * len(cells)  # frictionless cannot even build the reader
    verdicts = []
    for cell in cells:
        try:
            _, notes = reader(cell)
        except Exception:
            verdicts.append(None)  # frictionless crashes on this cell
            continue
        notes = dict(notes or {})
        verdicts.append(("type" in notes, frozenset(k for k in notes if k != "type")))
    return verdicts


def territoria_verdicts(descriptor, cells):
    arrow_cells = pa.array([None if c == "" else c for c in cells], type=pa.string())
    result = check_field(FieldSpec.from_descriptor(dict(descriptor)), arrow_cells)
    n = len(cells)
    assert len(result.type_error) == n and len(result.keys) == n
    verdicts = []
    for i in range(n):
        names = frozenset(name for name, mask in result.constraints.items() if mask[i])
        verdicts.append((bool(result.type_error[i]), names))
    return verdicts, result


def assert_same(descriptor, cells):
    cells = list(cells)
    expected = frictionless_verdicts(descriptor, cells)
    actual, result = territoria_verdicts(descriptor, cells)
    mismatches = [
        (cell, want, got)
        for cell, want, got in zip(cells, expected, actual)
        if want is not None and want != got
    ]
    assert not mismatches, f"{descriptor}: {mismatches[:15]}"
    return result


def rnd(seed):
    return random.Random(seed)


def random_texts(seed, alphabet, count=300, max_len=8):
    r = rnd(seed)
    return ["".join(r.choice(alphabet) for _ in range(r.randint(0, max_len))) for _ in range(count)]


# -------------------------------------------------------------------------- cells

NUMBER_CELLS = [
    "1", "-1", "0", "-0", "+5", " 12 ", "\t7\n", "1.5", "1.", ".5", "-.5", "1e5", "1E+05", "1e-3",
    "-1.5e-300", "1e400", "-1e400", "1e-400", "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity",
    "inf", "-inf", "infinity", "1_000", "1__0", "_1", "0x10", "1,5", "1.000,5", "1,000.5", "1 000",
    "€5", "5€", "$1,000.50", "abc", "--1", "+-1", "1-", "١٢٣", "12345678901234567890",
    "1.00000000000000000001", "0.99999999999999999999", "9007199254740993", "0.1", "0.10",
    "00012", "1e", "e5", ".", "-", "+", " ", "1.5.2", "3", "10", "10.0", "2", "4.9999999999999999999",
    "5", "5.0000000000000000001", "-5", "-5.0", "1.5 ",
]
TIE_CELLS = [
    "0", "-0", "0.0", "-0.0", "00.000", "0e5", "1e-400", "-1e-400", "0.00000000000000000001",
    "-0.000000000000000000001", "0.000000000000001", "1", "1.0", "1.000000000000000", "1.0000000000000001",
    "0.99999999999999999", "1.00000000000000000000001", "0000000000000001", "1e0", "10e-1", "-1",
]
INTEGER_CELLS = [
    "1", "-1", "0", "-0", "+5", " 12 ", "1.0", "1.5", "1e3", "1_000", "١٢٣", "00012",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234",
    "999999999999999999", "1,000", "$5", "5$", "abc", "", "--1", "5", "10", "2", "3", "4", "6", "-5",
]
BOOLEAN_CELLS = ["true", "True", "TRUE", "tRue", "1", "0", "false", "False", "FALSE", " true", "yes", "no", "t", "f", "2"]
DATE_CELLS = [
    "2020-01-01", "2020-1-1", "2020-01- 1", "2020-02-29", "2021-02-29", "1900-02-29", "2000-02-29",
    "0000-01-01", "0001-01-01", "9999-12-31", "2020-13-01", "2020-00-10", "2020-12-32", "2020-04-31",
    "20200101", "2020/01/01", "01/02/2020", "31/12/2020", "2020-01-01T00:00:00", " 2020-01-01",
    "2020-01-01 ", "2020-1-01", "99999-01-01", "2021-06-15", "2019-12-31", "2020-06-30", "x",
]
TIME_CELLS = [
    "10:00:00", "00:00:00", "23:59:59", "24:00:00", "24:00:01", "25:00:00", "10:60:00", "10:00:60",
    "10:00:00.5", "10:00:00,5", "10:00:00.123456", "10:00:00.1234567", "10:00:00Z", "10:00:00z",
    "10:00:00+01:00", "10:00:00-01:00", "10:00:00+0100", "10:00:00+01", "10:00:00+00:00",
    "10:00:00-00:00", "10:00:00+24:00", "10:00:00+23:60", "10:00", "1:00:00", "10:0:00", "10:00:00 ",
    " 10:00:00", "100000", "10:00:00.", "12:30:00", "06:00:00", "11:00:00+01:00", "09:00:00-01:00",
]
DATETIME_CELLS = [
    "2020-01-01T10:00:00", "2020-01-01 10:00:00", "2020-01-01x10:00:00", "2020-01-01T10:00:00Z",
    "2020-01-01T10:00:00z", "2020-01-01T10:00:00+01:00", "2020-01-01T10:00:00-05:30",
    "2020-01-01T10:00:00+0100", "2020-01-01T10:00:00+01", "2020-01-01T10:00:00+00:00",
    "2020-01-01T10:00:00.123", "2020-01-01T10:00:00,123", "2020-01-01T10:00:00.1234567",
    "2020-01-01T24:00:00", "2020-12-31T24:00:00Z", "2020-01-01T24:00:01", "2020-02-30T10:00:00",
    "2020-02-29T10:00:00", "2021-02-29T10:00:00", "0000-01-01T00:00:00", "2020-01-01T10:00",
    "2020-01-01T10:00:0", "20200101T100000", "2020-01-01T1000:00", "2020-W01-1T10:00:00",
    "2020-001T10:00:00", "2020-01-01T10:00:00 ", " 2020-01-01T10:00:00", "2020-01-01T10:00:00+24:00",
    "2020-01-01T10:60:00", "2019-12-31T23:59:59", "2020-06-01T00:00:00Z", "2020-06-01T02:00:00+02:00",
    "2020-06-01T00:00:00", "2021-01-01T00:00:00Z",
]
YEAR_CELLS = ["2020", "0000", "9999", "-123", "+123", " 123", "1_23", "202", "20201", "abcd", "2 20", "1999", "2021", "١٢٣٤"]
YEARMONTH_CELLS = [
    "2020-01", "2020-1", "2020-12", "2020-13", "2020-00", " 2020-01", "2020-01 ", "+2020-01", "2020-+1",
    "-2020-01", "2020", "2020-01-01", "20-01", "99999-01", "2020_1-01", "2019-12", "2021-06", "abc",
]
DURATION_CELLS = ["P1Y", "P1Y2M3DT4H5M6S", "PT1H", "PT60M", "P1D", "PT24H", "P0D", "PT0S", "P", "1Y", "P1.5Y", "PT1.5S", "-P1D", "P1W", "p1d", "P12M", "x"]
GEOPOINT_DEFAULT = ["90, 45", "90,45", " 90 , 45 ", "180,90", "180.0000000001,0", "-180,-90", "181,0", "0,91", "1,2,3", "1", "a,b", "NaN,1", "1e1,2", "1_0,2", "[1,2]", "0, 0"]
GEOPOINT_ARRAY = ["[90, 45]", "[90,45,1]", "[\"90\", \"45\"]", "[181, 0]", "[]", "{}", "[0.1, 0.2]", "[true, false]", "90,45", "[1e1, 2]"]
GEOPOINT_OBJECT = ['{"lon": 90, "lat": 45}', '{"lat": 45, "lon": 90}', '{"lon": "90", "lat": "45"}', '{"lon": 90}', '{"lon": 90, "lat": 45, "x": 1}', '{"lon": 200, "lat": 0}', '{"lon": true, "lat": false}', "[90, 45]", '{"a": 1, "b": 2}']
OBJECT_CELLS = ['{}', '{"a": 1}', '{"a": 1.0}', '{"a": true}', '[]', '[1]', '1', '"x"', 'null', '{"a": NaN}', "{'a': 1}", '{"a": 1, "b": 2}', ' {"a": 1} ', '{"a": {"b": [1, 2]}}', 'x', '{"a":1,"a":2}']
ARRAY_CELLS = ['[]', '[1]', '[1, 2, 3]', '[1.0]', '[true]', '{}', '1', '"x"', 'null', '[NaN]', '[[1], [2]]', ' [1] ', '["a", "b"]', '["", "x"]', '[null]', '[1, "2", 3]', '["10", "20"]', '["a", 5]']
GEOJSON_CELLS = [
    '{"type": "Point", "coordinates": [1, 2]}', '{"type": "Point", "coordinates": [1]}', '{"type": "Point"}',
    '{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}', '{"type": "Feature", "geometry": null, "properties": null}',
    '{"type": "Foo"}', '{}', '[]', 'x', '{"type": "FeatureCollection", "features": []}',
]
TOPOJSON_CELLS = ['{"type": "Topology", "objects": {}, "arcs": []}', '{"type": "Topology"}', '{"type": "Point", "coordinates": [1, 2]}', '{}', 'x']
STRING_CELLS = [
    "a", "abc", "abcd", "ABC", "é", "日本語", "abc\n", "a\nb", " abc", "ab c", "x" * 20, "123", "a1", "1a",
    "abcabc", "b", "ab", "\u00e9t\u00e9", "a|b", "aXb", "😀", "_", "\t",
]
EMAIL_CELLS = ["a@b.com", "a.b@c.org", "a@b", "@b.com", "a@", "a b@c.com", "a@b.c", "user+tag@example.co.uk", "x", "a@localhost", "a@-b.com", "ü@ü.de"]
URI_CELLS = ["http://example.com", "https://a.b/c?d=e#f", "example.com", "ftp://x", "mailto:a@b.com", "http://", "//x.com", "x:y", "http://exa mple.com", "urn:isbn:123"]
UUID_CELLS = [
    "2bc1c94f-0deb-43e9-92a1-4775189ec9f8", "2BC1C94F-0DEB-43E9-92A1-4775189EC9F8", "2bc1c94f0deb43e992a14775189ec9f8",
    "{2bc1c94f-0deb-43e9-92a1-4775189ec9f8}", "urn:uuid:2bc1c94f-0deb-43e9-92a1-4775189ec9f8",
    "2bc1c94f-0deb-43e9-92a1-4775189ec9f", "2bc1c94f-0deb-43e9-92a1-4775189ec9fg", "x", " 2bc1c94f-0deb-43e9-92a1-4775189ec9f8",
    "2bc1c94f-0deb43e9-92a1-4775189ec9f8",
]
BINARY_CELLS = ["", "YQ==", "YWJj", "YWI=", "YQ", "YQ=", "Y", "!!!!", "YW Jj", "YWJj\n", "é", "YWJjZA==", "====", "YQ==YQ=="]
LIST_CELLS = ["a,b,c", "a", "", "a,,b", ",", "1,2,3", "1, 2", "1,x", "true,false", "1.5,2", "2020-01-01,2021-02-29", "a;b;c", "10:00:00,25:00:00"]


# -------------------------------------------------------------------------- cases


def number_random(seed):
    r = rnd(seed)
    cells = random_texts(seed, "0123456789.-+eE_ ,", 300, 7)
    for _ in range(300):
        value = r.uniform(-1e6, 1e6)
        cells.append(r.choice([f"{value:.{r.randint(0, 8)}f}", repr(value), f"{value:e}", str(int(value))]))
    return cells


def date_random(seed, fmt="%Y-%m-%d"):
    r = rnd(seed)
    cells = []
    for _ in range(300):
        y, m, d = r.randint(1, 2400), r.randint(0, 13), r.randint(0, 32)
        cells.append(fmt.replace("%Y", f"{y:04d}").replace("%m", f"{m:02d}").replace("%d", f"{d:02d}"))
    return cells


def datetime_random(seed):
    r = rnd(seed)
    cells = []
    for _ in range(400):
        y, mo, d = r.randint(1, 2400), r.randint(1, 12), r.randint(1, 31)
        h, mi, s = r.randint(0, 24), r.randint(0, 60), r.randint(0, 60)
        frac = r.choice(["", "." + str(r.randint(0, 999999)).zfill(r.randint(1, 7))])
        tz = r.choice(["", "Z", "+01:00", "-05:30", f"+{r.randint(0, 25):02d}:{r.randint(0, 60):02d}"])
        sep = r.choice(["T", " ", "T"])
        cells.append(f"{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}{frac}{tz}")
    return cells


def time_random(seed):
    return [c[11:] for c in datetime_random(seed)]


BOUNDS_NUM = {"minimum": 2, "maximum": 5, "exclusiveMinimum": 1, "exclusiveMaximum": 10}

CASES = [
    # number
    ({"type": "number"}, NUMBER_CELLS + number_random(1)),
    ({"type": "number", "constraints": {"minimum": 2, "maximum": "5", "required": True}}, NUMBER_CELLS + number_random(2)),
    ({"type": "number", "constraints": {"exclusiveMinimum": 1, "exclusiveMaximum": 10.5}}, NUMBER_CELLS + number_random(3)),
    ({"type": "number", "constraints": {"minimum": "4.9999999999999999999", "maximum": 5.0}}, NUMBER_CELLS),
    # ties with whole bounds: only short plain texts are exactly their double
    ({"type": "number", "constraints": {"minimum": 0, "maximum": 1}}, NUMBER_CELLS + TIE_CELLS),
    ({"type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 1.0}}, NUMBER_CELLS + TIE_CELLS),
    ({"type": "number", "constraints": {"minimum": "1.0000000000000001", "maximum": "0.0"}}, TIE_CELLS),
    ({"type": "number", "constraints": {"enum": [1, "2", 3.0, "0.1", "5.0000000000000000001", "x"]}}, NUMBER_CELLS + number_random(4)),
    ({"type": "number", "floatNumber": True, "constraints": {"minimum": 2, "enum": [5, "10", 0.1]}}, NUMBER_CELLS + number_random(5)),
    ({"type": "number", "decimalChar": ",", "groupChar": "."}, NUMBER_CELLS + number_random(6)),
    ({"type": "number", "groupChar": ",", "constraints": {"maximum": 1000}}, NUMBER_CELLS + number_random(7)),
    ({"type": "number", "bareNumber": False, "constraints": {"minimum": 0}}, NUMBER_CELLS + number_random(8)),
    ({"type": "number", "bareNumber": False, "groupChar": ",", "decimalChar": "."}, NUMBER_CELLS + number_random(9)),
    ({"type": "number", "decimalChar": "."}, NUMBER_CELLS),
    ({"type": "number", "groupChar": " ", "decimalChar": ","}, NUMBER_CELLS + ["1 000,5", "1 000 000"]),
    # integer
    ({"type": "integer"}, INTEGER_CELLS + number_random(10)),
    ({"type": "integer", "constraints": {"minimum": 2, "maximum": "5", "exclusiveMaximum": 5.0, "required": True}}, INTEGER_CELLS + number_random(11)),
    ({"type": "integer", "constraints": {"enum": [1, "2", 3.0, 4.5, "x", 99999999999999999999999]}}, INTEGER_CELLS),
    ({"type": "integer", "constraints": {"maximum": 99999999999999999999999, "exclusiveMinimum": -9223372036854775809}}, INTEGER_CELLS),
    ({"type": "integer", "bareNumber": False, "constraints": {"minimum": 0}}, INTEGER_CELLS + number_random(12)),
    # boolean
    ({"type": "boolean"}, BOOLEAN_CELLS),
    ({"type": "boolean", "trueValues": ["yes", "1"], "falseValues": ["no", "1"], "constraints": {"enum": [True, "1"]}}, BOOLEAN_CELLS),
    ({"type": "boolean", "constraints": {"enum": [True], "required": True}}, BOOLEAN_CELLS),
    # date
    ({"type": "date"}, DATE_CELLS + date_random(20)),
    ({"type": "date", "constraints": {"minimum": "2020-01-01", "exclusiveMaximum": "2021-01-01", "enum": ["2020-06-30", "2021-06-15", "x"]}}, DATE_CELLS + date_random(21)),
    ({"type": "date", "format": "%d/%m/%Y", "constraints": {"maximum": "01/01/2020"}}, DATE_CELLS + date_random(22, "%d/%m/%Y") + ["1/2/2020", " 1/02/2020"]),
    ({"type": "date", "format": "%Y%m%d"}, DATE_CELLS + date_random(23, "%Y%m%d")),
    ({"type": "date", "format": "any"}, DATE_CELLS[:12] + ["Jan 5 2020", "5 January 2020", "2020"]),
    ({"type": "date", "format": "%m-%d"}, ["02-29", "02-28", "12-31", "13-01", "2-3"]),
    # time
    ({"type": "time"}, TIME_CELLS + time_random(30)),
    ({"type": "time", "constraints": {"minimum": "06:00:00", "maximum": "12:30:00"}}, [c for c in TIME_CELLS if "+" not in c and "Z" not in c and "-" not in c] + ["10:00:00", "05:59:59.999999"]),
    ({"type": "time", "constraints": {"minimum": "10:00:00+00:00", "enum": ["11:00:00+01:00", "10:00:00Z"]}}, ["10:00:00Z", "11:00:00+01:00", "09:00:00-01:00", "10:00:00+00:00", "09:59:59Z", "11:00:00Z", "12:00:00+01:00", "09:00:00+01:00"]),
    ({"type": "time", "constraints": {"enum": ["10:00:00", "11:00:00+01:00"]}}, TIME_CELLS + time_random(31)),
    ({"type": "time", "format": "%H:%M"}, ["10:00", "1:00", "24:00", "10:60", "10:00:00", "23:59"]),
    # datetime
    ({"type": "datetime"}, DATETIME_CELLS + datetime_random(40)),
    ({"type": "datetime", "constraints": {"minimum": "2020-01-01T00:00:00Z", "exclusiveMaximum": "2021-01-01T00:00:00+00:00"}}, DATETIME_CELLS + datetime_random(41)),
    ({"type": "datetime", "constraints": {"maximum": "2020-06-01T00:00:00", "enum": ["2020-06-01T00:00:00", "2020-06-01T00:00:00Z", "2019-12-31T23:59:59"]}}, DATETIME_CELLS + datetime_random(42)),
    ({"type": "datetime", "format": "%d/%m/%Y %H:%M"}, ["01/02/2020 10:00", "1/2/2020 10:00", "31/02/2020 10:00", "01/02/2020 24:00", "01/02/2020  10:00", "01/02/2020 10:00:00"]),
    ({"type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z", "constraints": {"minimum": "2020-01-01T00:00:00+0000"}}, ["2020-01-01T10:00:00+0100", "2020-01-01T10:00:00+01:00", "2020-01-01T10:00:00Z", "2020-01-01T10:00:00", "2019-12-31T23:00:00-0100", "2019-12-31T23:00:00+0100", "2020-01-01T10:00:00+2400"]),
    ({"type": "datetime", "format": "any"}, DATETIME_CELLS[:10] + ["Jan 5 2020 10:00", "2020"]),
    ({"type": "datetime", "format": "%Y-%m-%dT%H:%M:%S.%f"}, ["2020-01-01T10:00:00.5", "2020-01-01T10:00:00.123456", "2020-01-01T10:00:00.1234567", "2020-01-01T10:00:00"]),
    # year, yearmonth
    ({"type": "year", "constraints": {"minimum": 1999, "maximum": "2020", "enum": [2020, "1999", True, "0000"]}}, YEAR_CELLS + [f"{i:04d}" for i in range(0, 3000, 7)]),
    ({"type": "yearmonth", "constraints": {"minimum": "2019-12", "exclusiveMaximum": [2021, 6], "enum": ["2020-01", [2019, 12], [2021, 13]]}}, YEARMONTH_CELLS),
    ({"type": "yearmonth"}, YEARMONTH_CELLS + [f"{y:04d}-{m:02d}" for y in range(1990, 2030) for m in range(0, 14)]),
    # duration
    ({"type": "duration", "constraints": {"enum": ["PT1H", "P1Y", "P0D"]}}, DURATION_CELLS),
    # geopoint
    ({"type": "geopoint", "constraints": {"enum": ["90, 45", [0, 0]]}}, GEOPOINT_DEFAULT),
    ({"type": "geopoint", "format": "array", "constraints": {"enum": ["[90, 45]", [0.1, 0.2]]}}, GEOPOINT_ARRAY),
    ({"type": "geopoint", "format": "object"}, GEOPOINT_OBJECT),
    # geojson
    ({"type": "geojson"}, GEOJSON_CELLS),
    ({"type": "geojson", "format": "topojson"}, TOPOJSON_CELLS),
    # object, array
    ({"type": "object", "constraints": {"minLength": 1, "maxLength": 1, "enum": [{"a": 1}, '{"a": {"b": [1, 2]}}']}}, OBJECT_CELLS),
    ({"type": "array", "constraints": {"minLength": 1, "maxLength": 2, "enum": [[1], "[1.0, 2]", ["a", "b"]]}}, ARRAY_CELLS),
    ({"type": "array", "arrayItem": {"type": "integer", "constraints": {"minimum": 2, "required": True}}}, ARRAY_CELLS),
    ({"type": "array", "constraints": {"maxLength": 2}, "arrayItem": {"type": "string", "constraints": {"enum": ["a", "b"]}}}, ARRAY_CELLS),
    # list
    ({"type": "list"}, LIST_CELLS),
    ({"type": "list", "itemType": "integer", "constraints": {"minLength": 2, "maxLength": 3}}, LIST_CELLS + ["1,2,3,4", "1,+2", " 1,2"]),
    ({"type": "list", "itemType": "number", "delimiter": ";"}, LIST_CELLS + ["1;2.5;1e3", "1;NaN"]),
    ({"type": "list", "itemType": "boolean"}, LIST_CELLS),
    ({"type": "list", "itemType": "date"}, LIST_CELLS),
    ({"type": "list", "itemType": "time"}, LIST_CELLS),
    ({"type": "list", "itemType": "datetime"}, LIST_CELLS + ["2020-01-01T10:00:00,2020-01-01T10:00:00Z"]),
    # string
    ({"type": "string"}, STRING_CELLS),
    ({"type": "string", "constraints": {"minLength": 2, "maxLength": 3, "required": True}}, STRING_CELLS + [""]),
    ({"type": "string", "constraints": {"pattern": "a|b"}}, STRING_CELLS),
    ({"type": "string", "constraints": {"pattern": "[a-c]+"}}, STRING_CELLS),
    ({"type": "string", "constraints": {"pattern": "\\w+"}}, STRING_CELLS),
    ({"type": "string", "constraints": {"pattern": "(?i)ABC"}}, STRING_CELLS),
    ({"type": "string", "constraints": {"pattern": "a.c|.*"}}, STRING_CELLS),
    ({"type": "string", "constraints": {"pattern": "x{2,}|\\d{3}"}}, STRING_CELLS),
    ({"type": "string", "constraints": {"pattern": ".{1,3}", "enum": ["a", "abc", "é", 5]}}, STRING_CELLS),
    ({"type": "string", "format": "email", "constraints": {"maxLength": 8}}, EMAIL_CELLS),
    ({"type": "string", "format": "uri"}, URI_CELLS),
    ({"type": "string", "format": "uuid", "constraints": {"pattern": "[0-9a-f-]+"}}, UUID_CELLS),
    ({"type": "string", "format": "binary", "constraints": {"minLength": 4}}, BINARY_CELLS + random_texts(50, "YWJjQ=+/ !", 200, 9)),
    # any
    ({"type": "any", "constraints": {"enum": ["a", 1, "1"], "required": True}}, STRING_CELLS + ["1", ""]),
    ({"type": "any"}, STRING_CELLS),
]


def _case_id(case):
    descriptor, _ = case
    return "-".join(f"{k}={v}" for k, v in descriptor.items())[:80]


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_same_verdicts_as_frictionless(case):
    descriptor, cells = case
    descriptor = {"name": "f", **descriptor}
    assert_same(descriptor, cells)


# ---------------------------------------------------------------------------- keys


def test_number_keys_are_canonical():
    result = check_field(FieldSpec.from_descriptor({"name": "n", "type": "number"}), pa.array(["1", "1.0", "-0", "0", "1e2", " 100 ", "x", None]))
    assert result.keys.type == pa.float64()
    assert result.keys.to_pylist() == [1.0, 1.0, 0.0, 0.0, 100.0, 100.0, None, None]


def test_datetime_keys_are_utc_for_aware_values():
    cells = pa.array(["2020-01-01T10:00:00+01:00", "2020-01-01T09:00:00Z", "2020-01-01T09:00:00", "2020-01-01T24:00:00"])
    result = check_field(FieldSpec.from_descriptor({"name": "d", "type": "datetime"}), cells)
    keys = result.keys.to_pylist()
    assert keys[0] == keys[1] == keys[2]
    assert str(keys[3]) == "2020-01-02 00:00:00"


def test_integer_keys_fall_back_to_float_for_huge_values():
    result = check_field(FieldSpec.from_descriptor({"name": "i", "type": "integer"}), pa.array(["1", "123456789012345678901234"]))
    assert result.keys.type == pa.float64()


# ---------------------------------------------------------------------- fast path


@pytest.mark.parametrize(
    "descriptor, make",
    [
        ({"type": "number", "constraints": {"minimum": 0, "maximum": 1e9}}, lambda r, i: f"{r.uniform(0, 1e6):.{i % 5}f}"),
        ({"type": "number", "groupChar": ",", "decimalChar": "."}, lambda r, i: f"{r.uniform(0, 1e7):,.2f}"),
        ({"type": "integer", "constraints": {"minimum": 0, "enum": list(range(0, 1000))}}, lambda r, i: str(r.randint(0, 999))),
        ({"type": "date", "constraints": {"minimum": "1900-01-01"}}, lambda r, i: f"{r.randint(1900, 2100)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"),
        ({"type": "datetime"}, lambda r, i: f"2020-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}{['', 'Z', '+02:00', '.123'][i % 4]}"),
        ({"type": "time"}, lambda r, i: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"),
        ({"type": "string", "constraints": {"pattern": "[a-z]+[0-9]*", "maxLength": 10}}, lambda r, i: "".join(r.choice(string.ascii_lowercase) for _ in range(5)) + str(i)),
        ({"type": "string", "format": "uuid"}, lambda r, i: "%08x-0deb-43e9-92a1-4775189ec9f8" % i),
        ({"type": "boolean"}, lambda r, i: r.choice(["true", "false", "1", "0"])),
        ({"type": "year"}, lambda r, i: str(r.randint(1000, 2999))),
        ({"type": "yearmonth"}, lambda r, i: f"{r.randint(1000, 2999)}-{r.randint(1, 12):02d}"),
        ({"type": "list", "itemType": "integer"}, lambda r, i: f"{i},{i + 1}"),
    ],
)
def test_common_values_take_the_vectorised_path(descriptor, make):
    r = rnd(7)
    n = 200_000
    base = [make(r, i) for i in range(2000)]
    cells = pa.array([base[i % len(base)] for i in range(n)], type=pa.string())
    reset_residue_counter()
    result = check_field(FieldSpec.from_descriptor({"name": "f", **descriptor}), cells)
    assert not result.type_error.any()
    assert all(not mask.any() for mask in result.constraints.values())
    assert sum(RESIDUE_COUNTER.values()) == 0, dict(RESIDUE_COUNTER)
    # a sample still agrees with frictionless
    assert_same({"name": "f", **descriptor}, base[:200])


def test_residue_is_parsed_once_per_distinct_value():
    cells = pa.array([" 1", "+2", "x"] * 10_000 + ["3"] * 10, type=pa.string())
    reset_residue_counter()
    result = check_field(FieldSpec.from_descriptor({"name": "i", "type": "integer"}), cells)
    assert RESIDUE_COUNTER["integer"] == 3
    assert int(result.type_error.sum()) == 10_000


def test_nulls_pass_every_constraint_but_required():
    descriptor = {"name": "n", "type": "number", "constraints": {"required": True, "minimum": 5, "enum": [6]}}
    result = check_field(FieldSpec.from_descriptor(descriptor), pa.array([None, "1", "6"], type=pa.string()))
    assert result.constraints["required"].tolist() == [True, False, False]
    assert result.constraints["minimum"].tolist() == [False, True, False]
    assert result.constraints["enum"].tolist() == [False, True, False]


def test_unsupported_constraints_are_ignored():
    descriptor = {"name": "b", "type": "boolean", "constraints": {"minimum": 1, "pattern": "x", "unique": True}}
    result = check_field(FieldSpec.from_descriptor(descriptor), pa.array(["true"]))
    assert result.constraints == {}


def test_pattern_frictionless_cannot_compile_fails_every_value():
    descriptor = {"name": "s", "type": "string", "constraints": {"pattern": "(?i)abc"}}
    result = check_field(FieldSpec.from_descriptor(descriptor), pa.array(["abc", None]))
    assert result.constraints["pattern"].tolist() == [True, False]


def test_chunked_and_empty_input():
    spec = FieldSpec.from_descriptor({"name": "n", "type": "number", "constraints": {"minimum": 1}})
    result = check_field(spec, pa.chunked_array([pa.array(["1", "0"]), pa.array(["x"])]))
    assert result.type_error.tolist() == [False, False, True]
    assert result.constraints["minimum"].tolist() == [False, True, False]
    empty = check_field(spec, pa.array([], type=pa.string()))
    assert len(empty.type_error) == 0 and len(empty.keys) == 0


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_fast_path_agrees_with_scalar_reader(case):
    """Every cell the vectorised path accepts gets the key of the exact scalar reader."""
    from territoria.fields._core import SPEC_FACTORIES, cast_column
    from territoria.columnar.arrow import normalise_cells
    from territoria.fields import _load_type_modules

    _load_type_modules()
    descriptor, cells = case
    field = FieldSpec.from_descriptor({"name": "f", **descriptor})
    if field.type not in SPEC_FACTORIES:
        pytest.skip("no TypeSpec")
    spec = SPEC_FACTORIES[field.type](field)
    arrow_cells = normalise_cells(pa.array([None if c == "" else c for c in cells], type=pa.string()))
    cast = cast_column(spec, arrow_cells)
    keys = cast.keys.to_pylist()
    for i in np.flatnonzero(cast.fast):
        value = spec.value_reader(cells[i])
        assert value is not None, cells[i]
        if field.type == "list":
            continue  # list keys are the cell text
        expected = spec.to_key(value)
        if pa.types.is_floating(cast.keys.type):
            expected = float(expected)
        expected = pa.array([expected], type=cast.keys.type).to_pylist()[0]
        assert keys[i] == expected, (cells[i], keys[i], expected)


@pytest.mark.parametrize("type_name", ["string", "number", "integer", "boolean", "date", "time", "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "object", "array", "list", "any"])
def test_all_null_columns(type_name):
    spec = FieldSpec.from_descriptor({"name": "f", "type": type_name, "constraints": {"required": True}})
    result = check_field(spec, pa.nulls(3, type=pa.string()))
    assert result.type_error.tolist() == [False] * 3
    assert result.constraints["required"].tolist() == [True] * 3
    assert result.keys.null_count == 3


# ------------------------------------------- byte-level fast paths (no RE2 on common forms)


def _mutations(seeds, seed, count=400):
    """Near-miss variants of well-formed cells: one or two characters replaced,
    inserted or dropped (hits every branch of the byte-level recognisers)."""
    r = rnd(seed)
    out = []
    for _ in range(count):
        cell = list(r.choice(seeds))
        for _ in range(r.randint(0, 2)):
            i = r.randrange(len(cell) + 1)
            ch = r.choice("0123456789-:.T Z+x/9")
            op = r.random()
            if op < 0.4 and cell:
                cell[min(i, len(cell) - 1)] = ch
            elif op < 0.7:
                cell.insert(i, ch)
            elif cell:
                del cell[min(i, len(cell) - 1)]
        out.append("".join(cell))
    return list(seeds) + out


BYTE_LEVEL_CASES = [
    ({"type": "number", "constraints": {"minimum": -90, "maximum": 90}},
     _mutations(["48.573425", "-0.138339", "90", "-90.0", "0", "-0", "5.", ".5", "1e5", "12"], 1)),
    ({"type": "number", "constraints": {"enum": ["1.5", "-2", "0"]}},
     _mutations(["1.5", "1.50", "-2", "-2.0", "0", "-0.0", "3"], 2)),
    ({"type": "integer", "constraints": {"minimum": 0, "maximum": 10000}},
     _mutations(["250", "-5", "0", "007", "999999999999999999", "1234567890123456789"], 3)),
    ({"type": "date", "constraints": {"minimum": "2000-01-01"}},
     _mutations(["2017-05-03", "1991-12-05", "2020-02-29", "2021-02-29", "0001-01-01"], 4)),
    ({"type": "date", "format": "%d/%m/%Y"}, _mutations(["31/12/2020", "01/02/2020", "29/02/2021"], 5)),
    ({"type": "datetime", "constraints": {"maximum": "2020-01-01T00:00:00Z"}},
     _mutations(["2015-06-26T04:01:34Z", "2018-07-18 06:15:16", "2020-01-01T10:00:00+05:30",
                 "2020-01-01T10:00:00.123Z", "2019-12-31T23:59:59-01:00"], 6)),
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M"}, _mutations(["2020-01-01 10:30", "2020-02-30 10:30"], 7)),
    ({"type": "time", "constraints": {"minimum": "06:00:00"}},
     _mutations(["10:00:00", "23:59:59Z", "05:00:00+01:00", "12:00:00.5"], 8)),
    ({"type": "time", "format": "%H:%M"}, _mutations(["10:30", "23:59", "24:00"], 9)),
    ({"type": "boolean", "trueValues": ["oui", "1", "x"], "falseValues": ["non", "0", "x"]},
     ["oui", "non", "1", "0", "x", "X", "true", "", "Oui"]),
    ({"type": "string", "constraints": {"pattern": "LP-\\d{9}"}},
     _mutations(["LP-000000001", "LP-12345678", "lp-000000001"], 10) + ["LP-000000001\n", "LP-00000000١"]),
    ({"type": "string", "constraints": {"pattern": "([013-9]\\d|2[AB1-9])\\d{3}"}},
     _mutations(["49123", "2A004", "2B123", "20123", "2C123"], 11)),
    ({"type": "string", "constraints": {"pattern": "[A-Z]{2}-?\\d|x(a|b$)|\\W\\S."}},
     ["AB1", "AB-1", "A-1", "xa", "xb", "xb\n", " a.", "-a-", "\ta\t", "ab-1"]),
    ({"type": "string", "constraints": {"maxLength": 3, "minLength": 2, "enum": ["ab", "abc", "été", "abcd"]}},
     ["a", "ab", "abc", "abcd", "été", "étés", "Ab"]),
]


@pytest.mark.parametrize("case", BYTE_LEVEL_CASES, ids=[_case_id(c) for c in BYTE_LEVEL_CASES])
def test_byte_level_paths_agree_with_frictionless(case):
    descriptor, cells = case
    assert_same({"name": "f", **descriptor}, cells)


@pytest.mark.parametrize("case", BYTE_LEVEL_CASES, ids=[_case_id(c) for c in BYTE_LEVEL_CASES])
def test_byte_level_paths_on_sliced_and_uniform_arrays(case):
    """Arrays with an offset (slices of a batch) and columns where every cell has
    the same length (the reshape path) give the same verdicts and keys."""
    descriptor, cells = case
    spec = FieldSpec.from_descriptor({"name": "f", **descriptor})
    full = pa.array(["pad", "pad"] + [None if c == "" else c for c in cells], type=pa.string())
    sliced = full.slice(2)
    plain = pa.array([None if c == "" else c for c in cells], type=pa.string())
    a, b = check_field(spec, sliced), check_field(spec, plain)
    assert a.type_error.tolist() == b.type_error.tolist()
    assert {k: v.tolist() for k, v in a.constraints.items()} == {k: v.tolist() for k, v in b.constraints.items()}
    assert a.keys.to_pylist() == b.keys.to_pylist()
    width = max((len(c.encode()) for c in cells if c), default=0)
    uniform = [c for c in cells if c and len(c.encode()) == width]
    if uniform:
        assert_same({"name": "f", **descriptor}, uniform)


def test_fixed_width_pattern_program_matches_python_re():
    import re

    from territoria.fields.pattern import fixed_width_program, run_fixed_width

    patterns = [r"LP-\d{9}", r"([013-9]\d|2[AB1-9])\d{3}", r"[^a-c.]\w\s\D(?:x|yz){2}.", r"\d{2,4}",
                r"x(a|b$)", r"a$|b", r"a^b", r"(?:^a)b", r"[A-Z]{2}-?\d", r"\W\S.", r"a{0}b", r"[^\d]",
                r"a?", r"(?P<x>a)b", r"[\]a-]", r"\x41\.", r"[^\s\d]?", r"[\x00-\x7f]", r"[a-cx-z0\x7f]"]
    unsupported = [r"a|b", r"a*", r"(?i)ab", r"(a)\1", r"a\b", r"(?=a)a"]
    cells = random_texts(12, "abcxyz0129 -._AB\t\x1c\x7f]\\A.\x00", count=5000, max_len=9)
    cells += ["LP-123456789", "2A123", "01234", "AB-1", "AB1", "xb", "1234"]
    array = pa.array(cells)
    for pattern in patterns:
        full = "^{0}$".format(pattern)
        program = fixed_width_program(full)
        assert program is not None, pattern
        want = [bool(re.compile(full).match(c)) for c in cells]
        assert run_fixed_width(program, array).tolist() == want, pattern
        assert run_fixed_width(program, array.slice(3)).tolist() == want[3:], pattern
    for pattern in unsupported:
        assert fixed_width_program("^{0}$".format(pattern)) is None, pattern


def test_common_forms_skip_the_residue():
    """The byte-level recognisers take the common forms: no Python parsing."""
    reset_residue_counter()
    cases = [
        ({"type": "number"}, ["48.573425", "-0.138339", "90", "-7"]),
        ({"type": "integer"}, ["250", "0", "-5"]),
        ({"type": "date"}, ["2017-05-03", "1991-12-05"]),
        ({"type": "datetime"}, ["2015-06-26T04:01:34Z", "2018-07-18 06:15:16", "2018-07-18T06:15:16-02:00"]),
        ({"type": "time"}, ["04:01:34Z", "06:15:16"]),
        ({"type": "boolean"}, ["true", "False", "0"]),
    ]
    for descriptor, cells in cases:
        assert_same({"name": "f", **descriptor}, cells * 50)
    assert sum(RESIDUE_COUNTER.values()) == 0, dict(RESIDUE_COUNTER)
