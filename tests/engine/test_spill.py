"""Key indexes past their memory budget spill to files and give exactly the in-memory report.

A tiny budget (forced here) makes the unique and primary-key indexes spill after a
few hundred keys; repeats found at the end must land in the listing where the
in-memory check lists them (row order, then the order within a row), with the same
previous rows, whatever the error cap, and the counts must be the same.
"""
from __future__ import annotations

import glob
import os
import random
import tempfile

import pytest

import territoria
from territoria.columnar import keys
from territoria.readers import csv_reader

SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"unique": True}},
        {"name": "site", "type": "string"},
        {"name": "at", "type": "integer"},
        {"name": "value", "type": "number", "constraints": {"maximum": 90}},
        {"name": "code", "type": "integer", "constraints": {"unique": True}},
    ],
    "primaryKey": ["site", "at"],
}


def _rows(seed: int, n: int):
    rng = random.Random(seed)
    for i in range(n):
        ident = f"R{i:06d}" if rng.random() > 0.02 else f"R{rng.randrange(max(i, 1)):06d}"  # a repeat, earlier
        site, at = f"S{i % 97}", i // 97
        if rng.random() < 0.02:  # the same (site, at) as an earlier row
            j = rng.randrange(max(i - 1, 1))
            site, at = f"S{j % 97}", j // 97
        if rng.random() < 0.005:
            site, at = "", ""  # an empty primary key
        value = rng.choice(["12.5", "95", "x", "", "90"])
        code = str(i) if rng.random() > 0.01 else str(rng.randrange(max(i, 1)))
        yield ",".join([ident, site, str(at), value, code])


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "readings.csv"
    path.write_text("id,site,at,value,code\n" + "\n".join(_rows(7, 6000)) + "\n", encoding="utf-8")
    return path


def _report(path, limit, spill, monkeypatch, budget=30_000):
    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 1 << 13)  # batches of about 350 rows
    if spill:
        monkeypatch.setattr(keys, "RESERVED", 0)
        monkeypatch.setattr(keys, "_MINIMUM_BUDGET", 0)
    report = territoria.validate(str(path), SCHEMA, limit_errors=limit,
                                 memory_limit=3 * budget if spill else None)
    task = report.to_dict()["tasks"][0]
    task["stats"].pop("seconds")
    return task


@pytest.mark.parametrize("budget", [1, 30_000], ids=["spilled-at-once", "spilled-later"])
@pytest.mark.parametrize("limit", [3, 40, 200, 100_000])
def test_a_spilled_index_gives_the_in_memory_report(data, monkeypatch, limit, budget):
    spilled = []
    original = keys.SeenKeys._spill
    monkeypatch.setattr(keys.SeenKeys, "_spill", lambda self: spilled.append(1) or original(self))
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "territoria-keys-*")))
    in_memory = _report(data, limit, False, monkeypatch)
    assert spilled == []
    on_disk = _report(data, limit, True, monkeypatch, budget)
    assert len(spilled) == 3  # both unique indexes and the primary key's
    assert on_disk == in_memory
    counts = in_memory["territoria"]["errorCountsByType"]
    assert counts["unique-error"] > 100 and counts["primary-key"] > 100
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "territoria-keys-*"))) == before  # removed


def test_memory_limit_is_a_command_line_flag(data, tmp_path):
    import json

    from territoria.cli import main

    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    assert main(["validate", str(data), "--schema", str(tmp_path / "schema.json"), "--memory-limit", "200M",
                 "--no-progress", "--format", "json", "--output", str(tmp_path / "r.json")]) == 1
    assert main(["validate", str(data), "--memory-limit", "lots"]) == 2
