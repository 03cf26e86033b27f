"""NDJSON through pyarrow's JSON reader reads what frictionless reads, line for line.

``readers.ndjson_reader`` parses blocks of lines with pyarrow and reads the keys whose
values mix JSON types from their tokens (a compiled kernel, or numpy); every other
line takes ``json.loads``. Generated files mix everything that tells those ways
apart: numbers of both kinds, big and negative-zero integers, NaN, strings with
escapes, quotes, braces and unicode, booleans, nulls, keys in another order or
missing or extra, spaces around colons. Small blocks make every file many blocks.
"""
from __future__ import annotations

import json
import random

import pytest

from territoria.columnar import kernels
from territoria.readers import ndjson_reader

from test_readers import fields, ours, same, theirs

SCHEMA = fields(id={"type": "integer", "constraints": {"unique": True}},
                lat={"type": "number", "constraints": {"minimum": -90, "maximum": 90}},
                n={"type": "integer", "constraints": {"minimum": 0}},
                year="year", flag="boolean", label={"type": "string", "constraints": {"maxLength": 12}},
                day="date", any="any")
VALUES = [0, -0.0, 1, -5, 12, 2020, 1.5, -91.25, 90.0, 1e3, 2.5e-3, 2 ** 53 + 1, True, False, None,
          "", "x", "12", "oui", "2024-02-30", "2024-01-15", 'say "hi"', "a\\b", "{[brace]}", "é€😀", "tab\tnl\n",
          "\"latitude\": 3"]


def _value(rng: random.Random):
    return rng.choice(VALUES)


def _line(rng: random.Random, number: int, mixed: bool) -> str:
    row = {"id": number, "lat": rng.uniform(-100, 100) if not mixed else _value(rng),
           "n": rng.choice([1, 5, 250]) if not mixed else _value(rng),
           "year": rng.choice([1999, 2024] if not mixed else [1999, 2024.0, "2020"]),
           "flag": rng.choice([True, False]) if not mixed else _value(rng), "label": rng.choice(["a", "bb", "c" * 20]),
           "day": rng.choice(["2024-01-15", "2024-1-5", None]), "any": _value(rng) if mixed else rng.random()}
    keys = list(row)
    if rng.random() < 0.1:
        rng.shuffle(keys)
    if rng.random() < 0.05:
        keys.remove(rng.choice(keys[1:]))
    body = {k: row[k] for k in keys}
    if rng.random() < 0.05:
        body["extra"] = _value(rng)
    text = json.dumps(body, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.05:
        text = text.replace('": ', '" : ', 1)
    return text


def _write(path, seed: int, rows: int = 120, mixed: bool = True):
    rng = random.Random(seed)
    lines = [_line(rng, number, mixed and rng.random() < 0.3) for number in range(rows)]
    if not mixed:
        lines = [json.dumps(json.loads(line)) for line in lines]  # no extra spaces, one key order
    path.write_text("\n".join(lines) + ("\n" if seed % 2 else ""), encoding="utf-8")
    return path


@pytest.fixture(params=["kernels", "numpy"])
def ways(request, monkeypatch):
    """Small blocks (many per file); the token kernel, or its numpy version."""
    monkeypatch.setattr(ndjson_reader, "BLOCK_BYTES", 700)
    if request.param == "numpy":
        monkeypatch.setattr(kernels, "json_tokens", lambda lines, needle: None)
    elif not kernels.available():
        pytest.skip("the compiled kernels are not built")
    return request.param


@pytest.mark.parametrize("seed", range(12))
def test_generated_ndjson_against_frictionless(tmp_path, ways, seed):
    same(_write(tmp_path / "data.ndjson", seed), SCHEMA)


def test_clean_typed_ndjson_against_frictionless(tmp_path, ways):
    same(_write(tmp_path / "clean.ndjson", 99, rows=300, mixed=False), SCHEMA)


def test_typed_blocks_take_pyarrow(tmp_path, monkeypatch):
    """A file of consistently typed keys never takes the line by line way."""
    path = _write(tmp_path / "clean.ndjson", 5, rows=300, mixed=False)
    monkeypatch.setattr(ndjson_reader, "BLOCK_BYTES", 700)
    taken = []
    original = ndjson_reader._slow_block
    monkeypatch.setattr(ndjson_reader, "_slow_block", lambda *a: taken.append(a) or original(*a))
    assert ours(path, SCHEMA) == theirs(path, SCHEMA)
    assert taken == []


@pytest.mark.parametrize("text", [
    '{"a": 1}\n\n{"a": 2}\n',            # an empty line
    '{"a": 1}\n   \n',                   # a blank one
    '{"a": 1} {"a": 2}\n',               # two values on a line
    '{"a": 1}\n[1]\n',                   # not an object
    '{"a": 1}\n{"a": 1}x\n',             # trailing junk
    '{"a": 1}\n{"a": 01}\n',             # a leading zero
    '{"a": 1}\n{"a": 1, "a": "x"}\n',    # a key twice (the last one counts)
    '{"a": 1}\n{"a": NaN}\n{"a": Infinity}\n',  # JSON has no NaN: whether it is read is the loader's
    '{"a": 1}\n{"a": 100000000000000000000}\n',  # beyond 64 bits
    '{"a": 1.5}\n{"a": 12345678901234567890}\n',
    '{"a": [1, 2]}\n{"a": 3}\n',         # a nested value in the first line
    '{"a": "x"}\n{"a": {"b": 1}}\n',
    '\ufeff{"a": "x"}\n{"a": "y"}\n',    # a BOM
])
def test_odd_lines_as_frictionless_reads_them(tmp_path, ways, text):
    path = tmp_path / "odd.ndjson"
    path.write_text(text, encoding="utf-8")
    assert ours(path, fields(a="any")) == theirs(path, fields(a="any"))
