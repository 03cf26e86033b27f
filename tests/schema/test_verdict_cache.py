"""The verdict cache skips re-checking schemas known valid, and nothing else."""
import json
import os
import subprocess
import sys

import pytest

from territoria import schema as schema_module
from territoria.schema import verdict_cache

VALID = {"fields": [{"name": "id", "type": "integer"}]}
INVALID = {"fields": [{"name": "id", "type": "integer", "constraints": {"pattern": "^1$"}}]}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TERRITORIA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(verdict_cache, "_known", None)
    return tmp_path / "cache" / "valid-schemas.txt"


def test_a_valid_schema_is_remembered_and_not_checked_again(cache, monkeypatch):
    assert schema_module.schema_problems(VALID) == []
    assert cache.read_text().split() == [verdict_cache.verdict_key(VALID)]
    monkeypatch.setattr(verdict_cache, "_known", None)  # a new run reads the file

    def must_not_run(descriptor):
        raise AssertionError("a schema known valid was checked again")

    monkeypatch.setattr(schema_module, "_problems", must_not_run)
    assert schema_module.schema_problems(json.loads(json.dumps(VALID))) == []


def test_problems_are_never_cached(cache):
    first = schema_module.schema_problems(INVALID)
    assert first and schema_module.schema_problems(INVALID) == first
    assert not cache.exists()


def test_an_edited_schema_is_checked_again(cache):
    assert schema_module.schema_problems(VALID) == []
    edited = json.loads(json.dumps(VALID))
    edited["fields"][0]["constraints"] = {"pattern": "^1$"}  # not allowed on integers
    assert schema_module.schema_problems(edited)


def test_an_unusable_cache_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TERRITORIA_CACHE_DIR", str(blocker))
    monkeypatch.setattr(verdict_cache, "_known", None)
    assert schema_module.schema_problems(VALID) == []
    monkeypatch.setenv("TERRITORIA_CACHE_DIR", "")  # turned off
    monkeypatch.setattr(verdict_cache, "_known", None)
    assert schema_module.schema_problems(INVALID)


def test_a_second_run_does_not_import_jsonschema(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("id\n1\n2\n", encoding="utf-8")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(VALID), encoding="utf-8")
    code = ("import sys, territoria; r = territoria.validate(sys.argv[1], schema=sys.argv[2]); "
            "print(r.valid, 'jsonschema' in sys.modules)")
    env = dict(os.environ, TERRITORIA_CACHE_DIR=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", code, str(data), str(schema)], env=env,
                           capture_output=True, text=True, check=True).stdout.split() for _ in range(2)]
    assert runs == [["True", "True"], ["True", "False"]]
