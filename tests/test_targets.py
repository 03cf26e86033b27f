"""What to validate: the command line and the Action share ``targets`` and write the same report."""
from __future__ import annotations

import io
import json
import os
import shutil

import pytest

from conftest import REPO
from territoria import action, targets
from territoria.cli import main

WASTE = REPO / "schemas" / "waste-fill-level" / "1.0.0" / "examples"


@pytest.fixture
def workspace(tmp_path):
    """A publisher's repository: data/<set>/ holds one example set's tables, data/ the table schemas
    (the example packages name them as ../../<table>.schema.json, hence the extra level)."""
    root = tmp_path / "repo"
    shutil.copytree(WASTE / "valid", root / "data" / "sets" / "valid")
    shutil.copytree(WASTE / "invalid-fill-level-out-of-range", root / "data" / "sets" / "broken")
    for schema in (REPO / "schemas" / "waste-fill-level" / "1.0.0").glob("*.schema.json"):
        shutil.copy(schema, root / "data")
    return root


def _without_timings(report: dict) -> dict:
    report["stats"].pop("seconds")
    for task in report["tasks"]:
        task["stats"].pop("seconds")
    return report


def test_cli_and_action_write_the_same_json(workspace, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    paths = ["data/sets/valid/*.csv", "data/sets/broken/measurements.csv"]
    cli_code = main(["validate", *paths, "--schema", "waste-fill-level@1.0.0", "--format", "json", "--lang", "fr"])
    from_cli = json.loads(capsys.readouterr().out)
    env = {"GITHUB_WORKSPACE": str(workspace), "INPUT_PATHS": "\n".join(paths),
           "INPUT_SCHEMA": "waste-fill-level@1.0.0", "INPUT_REPORT": str(tmp_path / "report"), "INPUT_LANG": "fr"}
    action_code = action.main([], env=env, out=io.StringIO())
    from_action = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert cli_code == action_code == 1
    assert len(from_cli["tasks"]) == 4 and from_cli["stats"]["errors"] == 1
    assert _without_timings(from_cli) == _without_timings(from_action)


def test_a_folder_with_a_datapackage_is_a_package(workspace, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    # the package names its schemas as ../../<table>.schema.json, outside its folder: on the
    # command line that needs --trusted, as in frictionless (the Action allows the workspace)
    assert main(["validate", "data/sets/broken", "--format", "json", "--trusted"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {t["name"] for t in report["tasks"]} == {"containers", "measurements", "emptyings"}
    assert report["stats"]["errors"] == 1


def test_a_folder_without_a_datapackage_gives_its_tables(workspace):
    (workspace / "data" / "sets" / "broken" / "datapackage.json").unlink()
    found = targets.collect(["data/sets/broken"], root=str(workspace)).targets
    assert sorted(os.path.basename(t.source) for t in found) == ["containers.csv", "emptyings.csv", "measurements.csv"]


def test_globs_exclusions_and_missing_paths(workspace):
    plan = targets.collect(["data/**/*.csv", "!data/sets/broken/*", "nothing/*.csv", "missing.csv"],
                           root=str(workspace))
    sources = [t.source for t in plan.targets]
    assert sorted(os.path.basename(s) for s in sources[:3]) == ["containers.csv", "emptyings.csv", "measurements.csv"]
    assert all("broken" not in s for s in sources[:3])
    glob_miss, missing = plan.targets[3:]
    assert glob_miss.problem == ("scheme-error", "nothing/*.csv: no file matches")
    assert missing.problem is None and missing.source.endswith("missing.csv")  # its validation says "no such file"


def test_an_empty_folder_is_one_line(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "is a directory with no datapackage.json and no data file" in out


def test_a_catalogue_entry_is_narrowed_to_the_table_a_file_name_shows():
    assert targets.schema_for_file("waste-fill-level@1.0.0", ["x/measurements.csv"]) == \
        "waste-fill-level/measurements@1.0.0"
    assert targets.schema_for_file("waste-fill-level", ["x/unrelated.csv"]) == "waste-fill-level"
    assert targets.schema_for_file("waste-fill-level", ["x/datapackage.json"]) == "waste-fill-level"
