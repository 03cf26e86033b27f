"""Our mobility-counts entry accepts file sets valid under the national schema-comptage-mobilites."""
from __future__ import annotations

import json

import pytest

import territoria
from conftest import REPO, SHARED

NATIONAL = SHARED / "realworld" / "etalab__schema-comptage-mobilites"
ENTRY = REPO / "schemas" / "mobility-counts"
#: every released version of our entry must accept the national examples (2.0.0 and 3.0.0 add custom checks)
VERSIONS = sorted((p.name for p in ENTRY.iterdir() if (p / "datapackage.json").is_file()),
                  key=lambda v: tuple(int(x) for x in v.split(".")))

pytestmark = pytest.mark.skipif(not NATIONAL.is_dir(), reason="the shared real-world corpus is not beside the repository")


def package(tmp_path, files: dict, version: str = "1.0.0") -> str:
    ours = ENTRY / version
    descriptor = {"name": "national-example", "resources": [
        {"name": name, "path": str(NATIONAL / name / files[name]), "schema": str(ours / f"{name}.schema.json")}
        for name in ("site", "channel", "measure")]}
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(descriptor))
    return str(path)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("example", ["exemple-valide.csv", "exemple-valide-eco-compteur.csv"])
def test_national_valid_examples_are_valid_under_our_entry(tmp_path, example, version):
    report = territoria.validate(package(tmp_path, {n: example for n in ("site", "channel", "measure")}, version),
                                 trusted=True)  # a descriptor the test wrote, naming the shared corpus
    problems = [(t.name, e["type"], e.get("rowNumber"), e.get("fieldName")) for t in report.tasks for e in t.errors]
    assert report.valid, problems
    assert [t.rows > 0 for t in report.tasks] == [True, True, True]


@pytest.mark.parametrize("version", VERSIONS)
def test_national_invalid_channel_example_is_invalid_under_our_entry(tmp_path, version):
    files = {"site": "exemple-valide.csv", "channel": "exemple-invalide.csv", "measure": "exemple-valide.csv"}
    report = territoria.validate(package(tmp_path, files, version), trusted=True)
    channel = next(t for t in report.tasks if t.name == "channel")
    assert not channel.valid and not channel.could_not_run
    assert channel.counts_by_type.get("constraint-error", 0) >= 1
