"""Differential tests: Territoria against frictionless-py v5 on the same CSV.

Territoria promises the same error types, row numbers and field names as
frictionless-py on the same input. Every case writes one CSV, validates it with
both, and compares the sorted multisets of ``(type, rowNumber, fieldName)``
(Territoria with a large ``limit_errors``) and Territoria's exact
``counts_by_type`` with the frictionless error count of each type.

* ``test_seeded``: seeded valid tables + schemas (tests/differential/generator.py)
  with one seeded mutation each; ids name the seed, the mutation and the
  field variant it hit, e.g. ``seed17-decimal-comma-number``. Reproduce one
  with ``make_case(17)``.
* ``test_type``: per field variant, a table with valid cells and cells of the
  wrong type.
* ``test_handwritten``: one deterministic case per mutation kind.

A case whose schema uses a field type Territoria does not implement yet is
skipped (it turns on when the type lands); every other difference fails.
"""
from __future__ import annotations

import collections
import json
import os
import random

import pytest

pytest.importorskip("frictionless")

from differential.compare import (  # noqa: E402
    Unsupported, diff_message, frictionless_errors, territoria_errors, territoria_task,
    without_cross_resource_foreign_keys,
)
from differential.generator import TABLESCHEMA_V2, VARIANTS, make_case  # noqa: E402

SEED_COUNT = int(os.environ.get("TERRITORIA_DIFF_SEEDS", "200"))


def check(tmp_path, data: bytes, schema: dict, name: str = "data.csv") -> None:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        ours, counts = territoria_errors(path, schema)
    except Unsupported as problem:
        pytest.skip(f"territoria: {problem}")
    theirs = frictionless_errors(path, schema)
    context = (f"\n--- schema ---\n{json.dumps(schema, ensure_ascii=False)}"
               f"\n--- csv ({len(data)} bytes) ---\n{data[:1500]!r}")
    assert ours == theirs, diff_message(theirs, ours, counts) + context
    expected_counts = dict(collections.Counter(error_type for error_type, _, _ in theirs))
    assert counts == expected_counts, f"counts_by_type {counts} != frictionless {expected_counts}" + context
    if without_cross_resource_foreign_keys(schema)[1]:
        warnings = [w["type"] for w in territoria_task(path, schema).warnings]
        assert "foreign-key-warning" in warnings, "an unchecked foreign key must be said" + context


# --------------------------------------------------------------------------- seeded

SEEDED = [make_case(seed) for seed in range(SEED_COUNT)]


@pytest.mark.parametrize("case", SEEDED, ids=[case.id for case in SEEDED])
def test_seeded(tmp_path, case):
    check(tmp_path, case.data, case.schema)


def test_seeded_cases_cover_every_mutation_and_variant():
    """The generator really exercises every mutation kind and every field variant."""
    from differential.generator import MUTATION_NAMES

    used = " ".join(case.id for case in SEEDED)
    missing = [name for name in MUTATION_NAMES if f"-{name}-" not in used and f"-{name}+" not in used]
    assert not missing, f"mutations never drawn in {SEED_COUNT} seeds: {missing}"
    fields = {f["name"] for case in SEEDED for f in case.schema["fields"]}
    absent = [v.key for v in VARIANTS if not any(name.endswith(v.key.replace("-", "_")) for name in fields)]
    assert not absent, absent


def test_generator_is_deterministic():
    assert make_case(17).data == make_case(17).data
    assert make_case(17).schema == make_case(17).schema


# --------------------------------------------------------------------------- per type


def _type_case(variant_class):
    rng = random.Random(variant_class.key)
    variant = variant_class(rng, "valeur")
    variant.descriptor.pop("constraints", None)
    variant.constraints = {}
    rows = [[str(i + 1), variant.value(i)] for i in range(4)]
    rows += [[str(len(rows) + k + 1), text] for k, text in enumerate(variant.wrong())]
    rows.append([str(len(rows) + 1), ""])  # a missing value
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "valeur"])
    writer.writerows(rows)
    schema = {"fields": [{"name": "id", "type": "integer"}, variant.descriptor]}
    return out.getvalue().encode(), schema


@pytest.mark.parametrize("variant_class", VARIANTS, ids=[v.key for v in VARIANTS])
def test_type(tmp_path, variant_class):
    data, schema = _type_case(variant_class)
    check(tmp_path, data, schema)


# --------------------------------------------------------------------------- hand-written

BASE = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "nom", "type": "string", "constraints": {"required": True, "maxLength": 20}},
        {"name": "montant", "type": "number", "constraints": {"minimum": 0, "maximum": 1000}},
        {"name": "date", "type": "date"},
        {"name": "parent", "type": "integer"},
    ],
    "primaryKey": ["id", "nom"],
    "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}],
}
HEADER = "id,nom,montant,date,parent"
ROWS = ["1,alpha,10.5,2020-01-01,", "2,bravo,20,2020-02-01,1", "3,charlie,30.25,2020-03-01,2"]


def base_csv(rows=None, header=HEADER, sep="\n") -> bytes:
    return (sep.join([header] + (ROWS if rows is None else rows)) + sep).encode()


def with_row(index, text):
    rows = list(ROWS)
    rows[index] = text
    return base_csv(rows)


def schema_with(**changes):
    schema = json.loads(json.dumps(BASE))
    schema.update(changes)
    return schema


def field_schema(*fields, **extra):
    schema = {"fields": list(fields)}
    schema.update(extra)
    return schema


INT2 = field_schema({"name": "id", "type": "integer"}, {"name": "n", "type": "integer"})
SEMICOLON_ROWS = ["1;alpha;10,5;2020-01-01;", "2;bravo;20;2020-02-01;1"]

HANDWRITTEN = [
    ("valid", base_csv(), BASE),
    ("valid-crlf", base_csv(sep="\r\n"), BASE),
    ("wrong-type-number", with_row(1, "2,bravo,abc,2020-02-01,1"), BASE),
    ("wrong-type-integer-id", with_row(1, "deux,bravo,20,2020-02-01,1"), BASE),
    ("out-of-range-maximum", with_row(1, "2,bravo,1500,2020-02-01,1"), BASE),
    ("out-of-range-minimum", with_row(1, "2,bravo,-1,2020-02-01,1"), BASE),
    ("out-of-range-maxlength", with_row(1, "2," + "b" * 25 + ",20,2020-02-01,1"), BASE),
    ("decimal-comma", with_row(1, '2,bravo,"20,5",2020-02-01,1'), BASE),
    ("dd-mm-yyyy", with_row(1, "2,bravo,20,01/02/2020,1"), BASE),
    ("blank-required", with_row(1, "2,,20,2020-02-01,1"), BASE),
    ("blank-required-key", with_row(1, ",bravo,20,2020-02-01,1"), BASE),
    ("duplicate-row-primary-key", base_csv(ROWS + [ROWS[1]]), BASE),
    ("duplicate-row-no-key", base_csv(ROWS + [ROWS[1]]), {"fields": BASE["fields"]}),
    ("primary-key-empty-list", b"id\n1\n1\n", dict(field_schema({"name": "id", "type": "integer"}),
                                                      primaryKey=[])),
    ("duplicate-unique", base_csv(ROWS + ["4,delta,20,2020-02-01,1"]),
     schema_with(fields=[dict(f, constraints=dict(f.get("constraints", {}), unique=True))
                         if f["name"] == "montant" else f for f in BASE["fields"]])),
    ("foreign-key-missing", with_row(2, "3,charlie,30.25,2020-03-01,9"), BASE),
    ("foreign-key-composite", b"id,code,pid,pcode\n1,A,,\n2,B,1,A\n3,C,1,B\n",
     field_schema({"name": "id", "type": "integer"}, {"name": "code", "type": "string"},
                  {"name": "pid", "type": "integer"}, {"name": "pcode", "type": "string"},
                  primaryKey=["id", "code"],
                  foreignKeys=[{"fields": ["pid", "pcode"],
                                "reference": {"resource": "", "fields": ["id", "code"]}}])),
    ("drop-cell-last", with_row(1, "2,bravo,20,2020-02-01"), BASE),
    ("drop-cell-middle", with_row(1, "2,bravo,2020-02-01,1"), BASE),
    ("add-cell", with_row(1, "2,bravo,20,2020-02-01,1,extra"), BASE),
    ("empty-line", base_csv(ROWS[:1] + [""] + ROWS[1:]), BASE),
    ("empty-line-at-end", base_csv(ROWS + ["", ""]), BASE),
    ("empty-line-missing-values-without-empty", b"id,n\n1,2\n\n3,4\n",
     dict(INT2, missingValues=["NA"])),
    ("delimiters-row", base_csv(ROWS[:1] + [",,,,"] + ROWS[1:]), BASE),
    ("delimiters-row-short", base_csv(ROWS[:1] + [",,"] + ROWS[1:]), BASE),
    ("rename-label", base_csv(header="id,nom,Montant,date,parent"), BASE),
    ("rename-label-leading-space", b"a, b,c\n1,2,3\n",
     field_schema(*({"name": n, "type": "integer"} for n in "abc"))),
    ("rename-label-trailing-space", b"a,b ,c\n1,2,3\n",
     field_schema(*({"name": n, "type": "integer"} for n in "abc"))),
    ("remove-label", base_csv(header="id,nom,montant,parent"), BASE),
    ("remove-column", b"id,nom,date,parent\n1,alpha,2020-01-01,\n2,bravo,2020-02-01,1\n", BASE),
    ("duplicate-label", base_csv(header="id,nom,montant,montant,parent"), BASE),
    ("blank-label", base_csv(header="id,nom,,date,parent"), BASE),
    ("extra-column", b"id,nom,montant,date,parent,extra\n1,alpha,10.5,2020-01-01,,x\n2,bravo,20,2020-02-01,1,y\n",
     BASE),
    ("extra-column-first", b"extra,id,nom,montant,date,parent\nx,1,alpha,10.5,2020-01-01,\n", BASE),
    ("quoted-delimiter", with_row(1, '2,"bravo, junior",20,2020-02-01,1'), BASE),
    ("quoted-newline", with_row(1, '2,"bravo\njunior",20,2020-02-01,1'), BASE),
    ("quoted-newline-row-numbers", base_csv(['1,"a\nb\nc",10,2020-01-01,', "2,b,abc,2020-02-01,1"]), BASE),
    ("number-whitespace", with_row(1, "2,bravo, 20 ,2020-02-01,1"), BASE),
    ("integer-whitespace", with_row(1, " 2 ,bravo,20,2020-02-01,1"), BASE),
    ("semicolon", base_csv(SEMICOLON_ROWS, header=HEADER.replace(",", ";")), BASE),
    ("semicolon-ragged", b"id;n\n1;2\n3\n", INT2),
    ("cp1252-accents", "id,nom,montant,date,parent\n1,élodie,10,2020-01-01,\n2,garçon,20,2020-02-01,1\n"
     .encode("cp1252"), BASE),
    ("cp1252-accented-label", "id,nom,montant,date,parent,pré\n1,a,10,2020-01-01,,é\n".encode("cp1252"), BASE),
    ("utf8-bom", b"\xef\xbb\xbf" + base_csv(), BASE),
    ("missing-values-custom", with_row(1, "2,bravo,NA,2020-02-01,1"), schema_with(missingValues=["", "NA"])),
    ("missing-values-without-empty", with_row(1, "2,bravo,,2020-02-01,"), schema_with(missingValues=["NA"])),
    ("exclusive-bounds-v2", b"id\n1\n0\n5\n",
     field_schema({"name": "id", "type": "integer", "constraints": {"exclusiveMinimum": 0,
                                                                   "exclusiveMaximum": 5}},
                  **{"$schema": TABLESCHEMA_V2})),
    ("exclusive-bounds-v1-schema", b"id\n1\n0\n",
     field_schema({"name": "id", "type": "integer", "constraints": {"exclusiveMinimum": 0}})),
    ("schema-name-not-a-slug", b"id\n1\n",
     dict(field_schema({"name": "id", "type": "integer"}), name="Attributs des arbres")),
    ("field-example-invalid", b"id,photo\n1,https://example.org/a.png\n",
     field_schema({"name": "id", "type": "integer"},
                  {"name": "photo", "type": "string", "format": "uri", "example": "url/a.png"})),
    ("foreign-key-other-resource", b"id,ref\n1,1\n",
     field_schema({"name": "id", "type": "integer"}, {"name": "ref", "type": "integer"},
                  foreignKeys=[{"fields": ["ref"], "reference": {"resource": "autre", "fields": ["id"]}}])),
    ("enum-pattern", b"c,p\nA,ab1\nZ,AB\n",
     field_schema({"name": "c", "type": "string", "constraints": {"enum": ["A", "B"]}},
                  {"name": "p", "type": "string", "constraints": {"pattern": "[a-z]+[0-9]"}})),
    ("minlength-maxlength", b"s\nab\nabcdef\nabcd\n",
     field_schema({"name": "s", "type": "string", "constraints": {"minLength": 3, "maxLength": 5}})),
    ("string-formats", b"e,u,i\na@b.org,https://x.org,1b4e28ba-2fa1-11d2-883f-0016d3cca427\nnope,nope,nope\n",
     field_schema({"name": "e", "type": "string", "format": "email"},
                  {"name": "u", "type": "string", "format": "uri"},
                  {"name": "i", "type": "string", "format": "uuid"})),
    ("number-options", b'a,b,c\n"1 234,5",1.234,12 %\n"1,2",1.2,\xe2\x82\xac5\n',
     field_schema({"name": "a", "type": "number", "decimalChar": ",", "groupChar": " "},
                  {"name": "b", "type": "number", "decimalChar": ","},
                  {"name": "c", "type": "number", "bareNumber": False})),
    ("boolean-values", b"a,b\ntrue,oui\nyes,true\n0,non\n",
     field_schema({"name": "a", "type": "boolean"},
                  {"name": "b", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]})),
    ("temporal-formats", b"d,t,dt,y,ym,du\n2020-01-31,10:00:00,2020-01-31T10:00:00Z,2020,2020-01,P1D\n"
                         b"2020-02-30,24:00:00,2020-01-31,20,2020-13,1D\n",
     field_schema({"name": "d", "type": "date"}, {"name": "t", "type": "time"},
                  {"name": "dt", "type": "datetime"}, {"name": "y", "type": "year"},
                  {"name": "ym", "type": "yearmonth"}, {"name": "du", "type": "duration"})),
    ("date-formats", b"a,p\n5 Jan 2020,31/01/2020\nnot a date,2020-01-31\n",
     field_schema({"name": "a", "type": "date", "format": "any"},
                  {"name": "p", "type": "date", "format": "%d/%m/%Y"})),
    ("geo-json", b'g,ga,go,gj,o,a\n"2.3,45.1","[2.3, 45.1]","{""lon"": 2.3, ""lat"": 45.1}",'
                 b'"{""type"": ""Point"", ""coordinates"": [2.3, 45.1]}","{""a"": 1}","[1, 2]"\n'
                 b'"200,45","[2.3]","{""lon"": 2.3}","{""type"": ""Dot""}","[1]","{}"\n',
     field_schema({"name": "g", "type": "geopoint"},
                  {"name": "ga", "type": "geopoint", "format": "array"},
                  {"name": "go", "type": "geopoint", "format": "object"},
                  {"name": "gj", "type": "geojson"}, {"name": "o", "type": "object"},
                  {"name": "a", "type": "array"})),
    ("temporal-bounds", b"d,t,y\n2020-01-01,10:00:00,2020\n1850-01-01,03:00:00,1850\n",
     field_schema({"name": "d", "type": "date", "constraints": {"minimum": "1990-01-01"}},
                  {"name": "t", "type": "time", "constraints": {"minimum": "06:00:00"}},
                  {"name": "y", "type": "year", "constraints": {"minimum": 1900}})),
]


@pytest.mark.parametrize("data, schema", [pytest.param(d, s, id=i) for i, d, s in HANDWRITTEN])
def test_handwritten(tmp_path, data, schema):
    check(tmp_path, data, schema)
