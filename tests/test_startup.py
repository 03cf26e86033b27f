"""A tiny validation imports only what it needs: start-up is most of a small file's time.

Why a test: importing pandas (about 0.3 s, reached through pyarrow's pandas probe in
``pa.array``, ``pa.scalar`` and ``Array.to_numpy``), jsonschema (0.1 s, needed only
to check a schema not yet known valid), or the Action and portal code costs more than
validating a 20-row file. Timings belong to ``bench/``; this test pins *which*
modules a run loads, which does not depend on the machine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO

#: modules a plain ``territoria validate`` of a small CSV must never load
HEAVY = ("pandas", "territoria.action", "territoria.portals", "territoria.readers.remote",
         "territoria.authoring", "openpyxl", "odf", "requests", "mkdocs", "subprocess",
         "validators", "rfc3986", "tatsu")
#: ... and which a file without odd cells never needs (the exact readers of the residue)
RESIDUE_ONLY = ("dateutil",)

SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": "^LP-[0-9]{3}$"}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["LED", "SHP"]}},
        {"name": "power_w", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "latitude", "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
        {"name": "installed", "type": "date"},
        {"name": "checked", "type": "datetime"},
        {"name": "remote", "type": "boolean"},
        {"name": "comment", "type": "string", "constraints": {"maxLength": 20}},
    ],
    "primaryKey": ["id"],
}
VALID = "id,kind,power_w,latitude,installed,checked,remote,comment\n" + "".join(
    f"LP-{i:03d},LED,{10 + i},45.{i:02d},2021-06-{i % 28 + 1:02d},2024-01-02T03:04:05Z,true,ok\n" for i in range(20))
INVALID = VALID + "LP-001,XXX,-3,95.5,15/06/2021,hier,oui,a comment far too long to pass\n,,x,y,,,,\n"

_PROBE = """
import json, sys
from territoria.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules(tmp_path, data: str, *options: str, cache: str = "") -> tuple:
    (tmp_path / "data.csv").write_text(data, encoding="utf-8")
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO / "validator"), TERRITORIA_CACHE_DIR=cache)
    done = subprocess.run([sys.executable, "-c", _PROBE, "validate", "data.csv", "--schema", "schema.json",
                           "--no-progress", *options],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    outcome = json.loads(done.stderr.strip().splitlines()[-1])
    return outcome["code"], set(outcome["modules"])


def _loaded(modules: set, names) -> list:
    return sorted(m for m in modules for name in names if m == name or m.startswith(name + "."))


@pytest.mark.parametrize("data, code", [(VALID, 0), (INVALID, 1)], ids=["valid", "invalid"])
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_small_csv_loads_no_heavy_module(tmp_path, data, code, output):
    cache = str(tmp_path / "cache")
    first_code, first = _modules(tmp_path, data, "--format", output, cache=cache)
    assert first_code == code
    assert "jsonschema" in first  # a schema never seen is checked against the Table Schema profile
    again_code, again = _modules(tmp_path, data, "--format", output, cache=cache)
    assert again_code == code
    assert _loaded(again, HEAVY + ("jsonschema",)) == []
    assert _loaded(first, HEAVY) == []
    if code == 0:
        assert _loaded(first, RESIDUE_ONLY) == []


def test_only_the_field_types_of_the_schema_are_loaded(tmp_path):
    _, modules = _modules(tmp_path, VALID, cache=str(tmp_path / "cache"))
    types = {m.rsplit(".", 1)[1] for m in modules if m.startswith("territoria.fields.") and m.endswith("_type")}
    assert types == {"string_type", "integer_type", "number_type", "date_type", "datetime_type", "boolean_type"}
