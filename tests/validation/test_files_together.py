"""Files given together with a package schema are validated together, foreign keys included."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

import territoria
from conftest import REPO
from territoria import action
from territoria.schema import catalogue

SETS = [(entry.name, version, folder) for entry in catalogue.entries() for version in entry.versions
        for folder in sorted((Path(entry.path) / version / "examples").iterdir())
        if (folder / "datapackage.json").is_file()]


def _verdict(report) -> dict:
    return {(task.name, task.valid, tuple(sorted(task.counts_by_type.items()))) for task in report.tasks} | \
        {("package", tuple(sorted(e["type"] for e in report.errors)))}


@pytest.mark.parametrize("entry, version, folder", SETS, ids=[f"{e}@{v}/{f.name}" for e, v, f in SETS])
def test_an_example_set_given_as_files_gives_its_package_verdict(entry, version, folder):
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    files = [str(folder / r["path"]) for r in descriptor["resources"]]
    as_package = territoria.validate(str(folder / "datapackage.json"))
    as_files = territoria.validate(files, f"{entry}@{version}")
    assert _verdict(as_files) == _verdict(as_package)
    assert not [w for t in as_files.tasks for w in t.warnings if w["type"] == "foreign-key-warning"]


def test_files_renamed_are_matched_by_their_header(tmp_path):
    folder = REPO / "schemas" / "street-lighting" / "2.0.0" / "examples" / "invalid-unknown-control-cabinet"
    names = {"light_points.csv": "export-eclairage.csv", "control_cabinets.csv": "armoires.csv",
             "energy_observations.csv": "conso.csv"}
    for old, new in names.items():
        shutil.copy(folder / old, tmp_path / new)
    report = territoria.validate([str(tmp_path / n) for n in names.values()], "street-lighting@2.0.0")
    assert [(t.name, t.counts_by_type) for t in report.tasks] == [
        ("light_points", {"foreign-key": 1}), ("control_cabinets", {}), ("energy_observations", {})]
    assert [t.place for t in report.tasks] == [str(tmp_path / n) for n in names.values()]


def test_a_table_not_given_is_a_warning_and_only_then(tmp_path):
    folder = REPO / "schemas" / "street-lighting" / "2.0.0" / "examples" / "valid"
    report = territoria.validate([str(folder / "light_points.csv")], "street-lighting@2.0.0")
    [task] = report.tasks
    assert task.valid and [w["type"] for w in task.warnings] == ["foreign-key-warning"]
    assert "n'a pas été fournie" in task.warnings[0]["message_fr"]


def test_the_action_validates_the_readme_workflow_together(tmp_path):
    """paths: data/**/*.csv with schema: <entry>@<version> (the README's workflow)."""
    folder = REPO / "schemas" / "street-lighting" / "2.0.0" / "examples" / "invalid-unknown-control-cabinet"
    data = tmp_path / "repo" / "data"
    data.mkdir(parents=True)
    for csv in folder.glob("*.csv"):
        shutil.copy(csv, data / csv.name)
    env = {"GITHUB_WORKSPACE": str(tmp_path / "repo"), "INPUT_PATHS": "data/**/*.csv",
           "INPUT_SCHEMA": "street-lighting@2.0.0", "INPUT_REPORT": str(tmp_path / "report"),
           "GITHUB_OUTPUT": str(tmp_path / "outputs.txt")}
    assert action.main([], env=env, out=io.StringIO()) == 1
    outputs = (tmp_path / "outputs.txt").read_text()
    assert "valid=false" in outputs and "error-count=1" in outputs
