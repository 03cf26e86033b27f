"""``territoria schemas export --for validata``: schemas the national catalogue's validator runs.

The Validata test runs validata-table 0.12.5 itself. It cannot share Territoria's
environment (it pins frformat 0.4.1 and opening-hours-py < 0.7), so it lives in
its own virtual environment, ``.venv-validata`` at the repository root, which
``.ci/run`` builds (``python3 -m venv .venv-validata && .venv-validata/bin/pip install
validata-table==0.12.5``); ``TERRITORIA_VALIDATA_PYTHON`` may name another interpreter.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest

import territoria
from conftest import REPO
from territoria.authoring.export import for_validata
from territoria.cli import main
from territoria.schema import catalogue

VALIDATA_PYTHON = os.environ.get("TERRITORIA_VALIDATA_PYTHON") or str(REPO / ".venv-validata" / "bin" / "python")
RUNNER = Path(__file__).with_name("validata_runner.py")


def _tables():
    for entry in catalogue.entries():
        for version in entry.versions:
            for resource in entry.package(version)["resources"]:
                yield entry, version, resource


def test_exported_schemas_keep_what_validata_runs_and_say_what_they_leave():
    light_points = catalogue.resolve("street-lighting/light_points@2.0.0").table().descriptor
    exported, left = for_validata(light_points)
    names = [c["name"] for c in exported["custom_checks"]]
    assert names == ["cohesive-columns-value", "code-commune-insee"]
    assert exported["custom_checks"][1]["params"] == {"column": "insee_code", "cog": "latest"}
    assert "foreignKeys" not in exported
    assert [what for what, _, _ in left] == ["french-gps-coordinates", "coordinates-in-commune",
                                             "foreignKeys control_cabinet_id → control_cabinets"]
    latitude = next(f for f in exported["fields"] if f["name"] == "latitude")
    assert latitude["constraints"]["minimum"] >= -23 and latitude["constraints"]["maximum"] <= 52
    assert "Version exportée pour Validata" in exported["description"] and "control_cabinets" in exported["description"]
    assert "Exported for Validata" in exported["description_en"]
    assert "foreignKeys" in catalogue.resolve("street-lighting/light_points@2.0.0").table().descriptor


def test_a_check_declared_as_a_warning_is_left_out_for_validata():
    """Validata reports errors only: a warning there would reject the files the schema accepts."""
    table = {"fields": [{"name": "siren", "type": "string"}, {"name": "k", "type": "integer"}],
             "custom_checks": [{"name": "siren", "severity": "warning", "params": {"column": "siren"}},
                               {"name": "siren", "params": {"column": "siren"}}]}
    exported, left = for_validata(table)
    assert exported["custom_checks"] == [{"name": "siren", "params": {"column": "siren"}}]
    assert [(what, english) for what, english, _ in left] == [("siren", "a warning (Validata reports errors only)")]
    light_points = catalogue.resolve("street-lighting/light_points@2.1.0").table().descriptor
    assert "constraint-if" in [what for what, _, _ in for_validata(light_points)[1]]


def test_territoria_still_runs_the_exported_schema(tmp_path):
    """One schema for both tools: Territoria reads Validata's cog too."""
    folder = REPO / "schemas" / "street-lighting" / "2.0.0" / "examples"
    exported, _ = for_validata(catalogue.resolve("street-lighting/light_points@2.0.0").table().descriptor)
    assert territoria.validate(str(folder / "valid" / "light_points.csv"), exported).valid
    bad = territoria.validate(str(folder / "invalid-commune-code" / "light_points.csv"), exported)
    assert bad.tasks[0].counts_by_type == {"code-commune-insee": 1}


def test_the_command_prints_json_and_names_what_it_left(capsys):
    assert main(["schemas", "export", "waste-fill-level/containers@3.0.0", "--for", "validata"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["name"] == "containers"
    assert "left out: coordinates-in-commune" in captured.err
    assert main(["schemas", "export", "waste-fill-level/nothing", "--for", "validata"]) == 2


@pytest.mark.skipif(not os.path.exists(VALIDATA_PYTHON),
                    reason="validata-table's own environment is absent (.ci/run builds .venv-validata)")
def test_validata_runs_every_exported_table_and_finds_the_valid_examples_valid(tmp_path):
    pairs, where = [], []
    for entry, version, resource in _tables():
        table = catalogue.resolve(f"{entry.name}/{resource['name']}@{version}").table().descriptor
        exported, _ = for_validata(table)
        schema_path = tmp_path / f"{entry.name}-{version}-{resource['name']}.json"
        schema_path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
        examples = Path(entry.path) / version / "examples"
        for folder in sorted(examples.iterdir()):
            data = folder / f"{resource['name']}.csv"
            # every version's valid examples; the invalid ones of the newest version (Validata is slow)
            wanted = folder.name == "valid" or version == entry.latest
            if wanted and folder.is_dir() and (folder / "datapackage.json").exists() and data.is_file():
                pairs.append([str(data), str(schema_path)])
                where.append((entry.name, version, resource["name"], folder.name))
    pairs_path = tmp_path / "pairs.json"
    pairs_path.write_text(json.dumps(pairs), encoding="utf-8")
    done = subprocess.run([VALIDATA_PYTHON, str(RUNNER), str(pairs_path)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    assert len(results) == len(pairs) > 40
    for (entry, version, table, example), result in zip(where, results):
        check_errors = [e for e in result["errors"] if e[0] in ("check-error", "error", "resource-error")]
        assert not check_errors, (entry, version, table, example, check_errors)
        if example == "valid":
            assert result["valid"], (entry, version, table, result["errors"][:5])
