"""Checking columns and custom checks on a thread pool changes nothing in reports.

Batches of at least ``engine.PARALLEL_ROWS`` rows are checked column by column
on worker threads (and their custom checks side by side). The differential
tests use small files, which take the serial path; these tests validate files
big enough for the parallel path, with errors in every column and custom
checks that keep state across batches, and compare with the serial path.
"""
import importlib.util
import os

import pytest

import territoria
from conftest import REPO
from territoria import engine

BENCH = os.path.join(str(REPO), "bench")


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(BENCH, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _both_paths(monkeypatch, *args, **kwargs):
    parallel = territoria.validate(*args, limit_errors=10**6, **kwargs).to_dict()
    monkeypatch.setattr(engine.batch, "PARALLEL_ROWS", 10**12)
    serial = territoria.validate(*args, limit_errors=10**6, **kwargs).to_dict()
    for report in (parallel, serial):
        report["stats"].pop("seconds", None)
        for task in report["tasks"]:
            task["stats"].pop("seconds", None)
    return parallel, serial


@pytest.fixture(scope="module")
def lighting(tmp_path_factory):
    generate = _bench_module("generate")
    folder = tmp_path_factory.mktemp("lighting")
    path = str(folder / "lighting.csv")
    generate.generate(100_000, path, seed=3, error_rate=0.01, quiet=True)  # a parallel batch (8 MB), then a serial one
    return path, generate.write_schema(str(folder / "lighting.schema.json"))


def test_typed_columns_and_unique_keys_agree(lighting, monkeypatch):
    path, schema = lighting
    parallel, serial = _both_paths(monkeypatch, path, schema=schema)
    assert parallel["stats"]["errors"] > 1000  # errors in many columns, unique ones included
    assert {e["type"] for e in parallel["tasks"][0]["errors"]} >= {"type-error", "constraint-error", "unique-error"}
    assert parallel == serial


def test_custom_checks_agree(tmp_path, monkeypatch):
    checks = _bench_module("bench_checks")
    path = str(tmp_path / "checks.csv")
    checks.generate(path, 45_000)
    schema = {"fields": checks.FIELDS, "custom_checks": checks.ROW_CHECKS + checks.SERIES_CHECKS}
    parallel, serial = _both_paths(monkeypatch, path, schema=schema)
    assert parallel["stats"]["errors"] > 100
    assert parallel == serial


def test_key_index_sees_batches_in_file_order_even_when_a_task_is_slow(lighting, monkeypatch):
    """The key column's task of batch 2 must wait for batch 1's, whatever the timing:
    here batch 1's hashing is made slow, so an unchained batch 2 would overtake it."""
    import threading
    import time

    path, schema = lighting
    expected = territoria.validate(path, schema=schema, limit_errors=10**6).to_dict()["tasks"][0]["errors"]
    real_hash_keys, calls, lock = engine.batch.hash_keys, [], threading.Lock()

    def slow_first_hash(columns, salts=None):
        with lock:
            calls.append(1)
            first = len(calls) == 1
        if first:
            time.sleep(0.5)
        return real_hash_keys(columns, salts)

    monkeypatch.setattr(engine.batch, "hash_keys", slow_first_hash)
    got = territoria.validate(path, schema=schema, limit_errors=10**6).to_dict()["tasks"][0]["errors"]
    assert [e for e in got if e["type"] == "unique-error"] == [e for e in expected if e["type"] == "unique-error"]
    assert got == expected
