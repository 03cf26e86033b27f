"""Foreign keys whose referenced keys spill to files give exactly the in-memory report.

A tiny memory limit (forced here) makes the referenced key sets of a package spill
after a few hundred keys; the missing keys, found at the table's end a partition
at a time, must land in the listing where the in-memory check lists them (row
order, then the order within a row), with the same values and messages, whatever
the error cap; and the spill files must be gone after the run, even a failed one.
"""
from __future__ import annotations

import glob
import json
import os
import random
import tempfile

import pytest

import territoria
from territoria.columnar import keys
from territoria.readers import csv_reader

SITES = 1500


def _package(folder, rows: int = 5000, seed: int = 11) -> str:
    """sites (an integer id, a composite (code, zone)) and readings referencing them three
    ways: by id, by (code, zone), and by their own parent reading (a same-resource key)."""
    rng = random.Random(seed)
    sites = ["id,code,zone"] + [f"{i},C{i},{i % 7}" for i in range(1, SITES + 1) if i % 97]
    readings = ["rid,site_id,site_code,zone,parent,value"]
    for i in range(rows):
        site = rng.randrange(1, SITES + 120)  # past SITES, or a multiple of 97: not a site
        if rng.random() < 0.03:
            site = ""  # a null key: skipped
        code, zone = f"C{rng.randrange(1, SITES)}", 0
        zone = int(code[1:]) % 7 if rng.random() > 0.03 else 9  # zone 9: no such pair
        if rng.random() < 0.02:
            code, zone = "", ""  # both null: skipped
        elif rng.random() < 0.01:
            code = ""  # one of two null: looked up, as in memory
        parent = rng.randrange(0, rows + 50) if rng.random() > 0.05 else ""
        if i in (0, rows - 1):
            site, parent = SITES + 5000, rows + 7000  # missing keys in the first and last rows
        readings.append(f"{i},{site},{code},{zone},{parent},{rng.choice(['1.5', 'x', '3'])}")
    (folder / "sites.csv").write_text("\n".join(sites) + "\n", encoding="utf-8")
    (folder / "readings.csv").write_text("\n".join(readings) + "\n", encoding="utf-8")
    descriptor = {"name": "fk", "resources": [
        {"name": "sites", "path": "sites.csv", "schema": {
            "fields": [{"name": "id", "type": "integer"}, {"name": "code", "type": "string"},
                       {"name": "zone", "type": "integer"}],
            "primaryKey": ["id"]}},
        {"name": "readings", "path": "readings.csv", "schema": {
            "fields": [{"name": "rid", "type": "integer"}, {"name": "site_id", "type": "integer"},
                       {"name": "site_code", "type": "string"}, {"name": "zone", "type": "integer"},
                       {"name": "parent", "type": "integer"}, {"name": "value", "type": "number"}],
            "primaryKey": ["rid"],
            "foreignKeys": [
                {"fields": ["site_id"], "reference": {"resource": "sites", "fields": ["id"]}},
                {"fields": ["site_code", "zone"], "reference": {"resource": "sites", "fields": ["code", "zone"]}},
                {"fields": ["parent"], "reference": {"resource": "", "fields": ["rid"]}},
            ]}},
    ]}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return str(path)


@pytest.fixture
def package(tmp_path):
    return _package(tmp_path)


def _spill_folders() -> set:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "territoria-keys-*")))


def _report(path, limit, monkeypatch, budget=None):
    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 1 << 13)  # batches of a few hundred rows
    if budget is not None:
        monkeypatch.setattr(keys, "RESERVED", 0)
        monkeypatch.setattr(keys, "_MINIMUM_BUDGET", 0)
    report = territoria.validate(path, limit_errors=limit, memory_limit=budget)
    tasks = report.to_dict()["tasks"]
    for task in tasks:
        task["stats"].pop("seconds")
        task.pop("place", None)
    return tasks


def _spills(monkeypatch) -> list:
    """The key sets that answered from their files, one entry each time."""
    answered = []
    original = keys.KeySet.missing
    monkeypatch.setattr(keys.KeySet, "missing", lambda self, probes: answered.append(1) or original(self, probes))
    return answered


@pytest.mark.parametrize("budget", [1, 60_000], ids=["spilled-at-once", "spilled-later"])
@pytest.mark.parametrize("limit", [2, 25, 300, 100_000])
def test_spilled_foreign_keys_give_the_in_memory_report(package, monkeypatch, limit, budget):
    answered = _spills(monkeypatch)
    before = _spill_folders()
    in_memory = _report(package, limit, monkeypatch)
    assert answered == []
    on_disk = _report(package, limit, monkeypatch, budget)
    assert len(answered) == 3  # by id, by (code, zone), by parent
    assert on_disk == in_memory
    assert _spill_folders() == before  # removed
    readings = in_memory[1]
    assert readings["territoria"]["errorCountsByType"]["foreign-key"] > 300
    if limit == 100_000:
        errors = [e for e in readings["errors"] if e["type"] == "foreign-key"]
        assert errors[0]["rowNumber"] == 2 and errors[-1]["rowNumber"] == 5001  # the first and last rows
        assert {tuple(e["fieldNames"]) for e in errors} == {("site_id",), ("site_code", "zone"), ("parent",)}
        assert any(e["fieldValues"] == [SITES + 5000] for e in errors)  # typed values, as in memory
        assert any(e["fieldValues"][0] is None for e in errors)  # a composite key half null is looked up
        assert not any(e["fieldValues"] == [None] for e in errors)  # a null key is skipped


def test_a_lone_table_with_a_key_to_itself_spills_alike(tmp_path, monkeypatch):
    path = _package(tmp_path)
    schema = json.loads((tmp_path / "datapackage.json").read_text())["resources"][1]["schema"]
    schema["foreignKeys"] = schema["foreignKeys"][2:]  # parent -> rid only
    answered = _spills(monkeypatch)
    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 1 << 13)

    def report(budget):
        task = territoria.validate(os.path.join(os.path.dirname(path), "readings.csv"), schema,
                                   memory_limit=budget).to_dict()["tasks"][0]
        task["stats"].pop("seconds")
        return task

    in_memory = report(None)
    monkeypatch.setattr(keys, "RESERVED", 0)
    monkeypatch.setattr(keys, "_MINIMUM_BUDGET", 0)
    assert report(1) == in_memory and len(answered) == 1
    assert in_memory["territoria"]["errorCountsByType"]["foreign-key"] > 40


def test_spill_files_are_removed_when_the_run_fails(package, monkeypatch):
    def broken(self, probes):
        assert glob.glob(os.path.join(self.folder(), "*")) and probes.count  # files were written
        raise RuntimeError("boom")

    monkeypatch.setattr(keys.KeySet, "missing", broken)
    monkeypatch.delenv("TERRITORIA_DEBUG", raising=False)
    before = _spill_folders()
    tasks = _report(package, 100, monkeypatch, budget=1)
    assert tasks[1]["errors"][0]["type"] == "internal-error"
    assert _spill_folders() == before


def test_a_key_set_answers_alike_in_memory_and_spilled(monkeypatch):
    import numpy as np

    from territoria.columnar.spill import Folder, Partitions

    rng = np.random.default_rng(3)
    referenced = rng.integers(0, 2 ** 63, 5000, dtype=np.uint64)
    probe = np.concatenate([rng.choice(referenced, 3000), rng.integers(0, 2 ** 63, 1000, dtype=np.uint64)])
    rng.shuffle(probe)
    rows = np.arange(2, len(probe) + 2)
    held, spilled = keys.KeySet(), keys.KeySet(budget=20_000)
    for part in np.array_split(referenced, 10):
        held.add(part)
        spilled.add(part)
    assert not held.spilled and spilled.spilled
    with pytest.raises(RuntimeError):
        spilled.contains(probe)
    folder = Folder()
    try:
        probes = Partitions(folder.get(), "probe")
        for part, at in zip(np.array_split(probe, 7), np.array_split(rows, 7)):
            probes.add(part, at)
        expected = rows[~held.contains(probe)]
        assert len(expected) >= 900
        assert spilled.missing(probes).tolist() == expected.tolist()
    finally:
        folder.close()
        spilled.close()
    assert not os.path.exists(folder.path or "") and spilled._folder is None
