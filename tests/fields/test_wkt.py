"""``format: "wkt"``: the same verdict as frictionless, and a clear error without the extra."""
from __future__ import annotations

import json
import random

import pytest

import territoria
from territoria.cli import main
from territoria.fields import wkt

frictionless_wkt = pytest.importorskip("frictionless.vendors.wkt", reason="frictionless's WKT parser needs TatSu")

CASES = [
    "POINT (30 10)", "POINT(30 10)", "point (30 10)", "POINT EMPTY", "POINT Z (1 2 3)", "POINT ZM (1 2 3 4)",
    "POINT (1)", "POINT (1,2)", "POINT (1e3 2)", "POINT (.5 1)", "POINT (1. 2)", "POINT (nan 1)", "SRID=4326;POINT(1 2)",
    "POINT (1 2) trailing", "POINT(1 2)POINT(3 4)", " POINT (1 2)", "POINT (1 2)\n", "",
    "LINESTRING (30 10, 10 30, 40 40)", "LINESTRING (1 2)", "LINESTRING EMPTY",
    "POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))", "POLYGON ((0 0, 1 0, 1 1))", "TRIANGLE ((0 0, 1 0, 1 1, 0 0))",
    "MULTIPOINT ((10 40), (40 30))", "MULTIPOINT (10 40, 40 30)", "CIRCULARSTRING (1 0, 0 1, -1 0)",
    "COMPOUNDCURVE (CIRCULARSTRING (1 0, 0 1, -1 0), (-1 0, 1 0))", "CURVEPOLYGON (CIRCULARSTRING (0 0, 1 1, 0 0))",
    "MULTIPOLYGON (((30 20, 45 40, 10 40, 30 20)), ((15 5, 40 10, 10 20, 5 10, 15 5)))",
    "MULTISURFACE (CURVEPOLYGON ((0 0, 1 1, 0 0)), ((1 1, 2 2, 1 1)))", "TIN (((0 0, 1 0, 0 1, 0 0)))",
    "POLYHEDRALSURFACE (((0 0, 1 0, 0 1, 0 0)))", "GEOMETRYCOLLECTION (POINT (40 10), LINESTRING (10 10, 20 20))",
    "POINTZ (1 2 3)", "GEOMETRYCOLLECTION EMPTY", "MULTICURVE ((0 0, 1 1), CIRCULARSTRING (0 0, 1 1, 2 0))",
]


def _reference(text: str) -> bool:
    try:
        frictionless_wkt.Parser().parse(text)
    except Exception:
        return False
    return True


def _random_texts(count: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    keywords = ["POINT", "LINESTRING", "CIRCULARSTRING", "COMPOUNDCURVE", "CURVEPOLYGON", "POLYGON", "TRIANGLE",
                "MULTIPOINT", "MULTICURVE", "MULTILINESTRING", "MULTISURFACE", "MULTIPOLYGON", "POLYHEDRALSURFACE",
                "TIN", "GEOMETRYCOLLECTION", "Point"]

    def number():
        return rng.choice(["1", "-2.5", "+3", "1e3", ".5", "1.", "7E-2", "12", "0", "x" if rng.random() < 0.3 else "4"])

    def many(item, most=3):
        return "EMPTY" if rng.random() < 0.1 else "(" + ", ".join(item() for _ in range(rng.randint(1, most))) + ")"

    def coordinates():
        return " ".join(number() for _ in range(rng.choice([1, 2, 2, 2, 2, 3, 4, 5])))

    def geometry(depth=0):
        body = rng.choice([lambda: many(coordinates), lambda: many(lambda: many(coordinates)),
                           lambda: many(lambda: many(lambda: many(coordinates))),
                           lambda: many(lambda: geometry(depth + 1)) if depth < 2 else "EMPTY",
                           lambda: many(lambda: rng.choice(["CIRCULARSTRING " + many(coordinates),
                                                            many(coordinates), "CURVEPOLYGON EMPTY"]))])()
        return (rng.choice(keywords) + rng.choice(["", " Z", " M", " ZM", "Z"]) + rng.choice([" ", "", "\t"])
                + body + rng.choice(["", "", " ", " x", ")"]))

    return [geometry() for _ in range(count)]


@pytest.mark.parametrize("text", CASES)
def test_the_verdict_is_frictionless_on_each_case(text):
    assert wkt.is_wkt(text) == _reference(text), text


def test_the_verdict_is_frictionless_on_generated_geometries():
    texts = _random_texts(600)
    verdicts = [wkt.is_wkt(t) for t in texts]
    assert 40 < sum(verdicts) < 560  # both valid and invalid texts are tried
    assert [t for t, v in zip(texts, verdicts) if v != _reference(t)] == []


def test_a_wkt_field_in_a_report(write_csv):
    schema = {"fields": [{"name": "geometry", "type": "string", "format": "wkt"}]}
    report = territoria.validate(str(write_csv("geometry\nPOINT (1 2)\npoint (1 2)\n")), schema)
    assert [(e["type"], e["rowNumber"]) for e in report.tasks[0].errors] == [("type-error", 3)]


def test_without_the_extra_a_wkt_field_is_a_one_line_field_error(tmp_path, write_csv, capsys, monkeypatch):
    monkeypatch.setattr(wkt, "available", lambda: False)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"fields": [{"name": "geometry", "type": "string", "format": "wkt"}]}))
    code = main(["validate", str(write_csv("geometry\nPOINT (1 2)\n")), "--schema", str(schema), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 2
    assert "internal" not in out.lower() and "Traceback" not in out
    assert "A field of the schema is not valid" in out and "pip install 'territoria[wkt]'" in out
