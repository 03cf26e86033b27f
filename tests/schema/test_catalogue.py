"""The schema catalogue: entries resolve, examples give exactly their listed errors, released folders never change."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import territoria
from territoria.rules import RULES
from territoria.schema import catalogue
from territoria.authoring import lock as lockfile
from territoria.schema import TableSchema

ROOT = Path(catalogue.catalogue_root())
ENTRY_FOLDERS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
VERSIONS = [(e.name, v) for e in catalogue.entries() for v in e.versions]
EXAMPLE_SETS = sorted(
    (entry, version, folder.name)
    for entry, version in VERSIONS
    for folder in (ROOT / entry / version / "examples").iterdir()
    if folder.is_dir() and (folder / "datapackage.json").is_file()
)
VALID_SETS = [s for s in EXAMPLE_SETS if s[2] == "valid"]
INVALID_SETS = [s for s in EXAMPLE_SETS if s[2].startswith("invalid")]
#: valid data that must raise warnings (e.g. a warning-only custom check), listed in expected-warnings.json
WARNING_SETS = [s for s in EXAMPLE_SETS if s[2].startswith("warning-")]


def _ids(sets):
    return ["/".join(s) for s in sets]


def _summary(report) -> str:
    lines = []
    for task in report.tasks:
        for error in task.errors:
            lines.append(f"{task.name}: {error['type']} row {error.get('rowNumber')} field {error.get('fieldName')}"
                         f" {error.get('note', '')}")
    return "\n".join(lines + [str(e) for e in report.errors])


def test_every_entry_is_listed():
    assert ENTRY_FOLDERS, "the catalogue is empty"
    assert [e.name for e in catalogue.entries()] == ENTRY_FOLDERS
    assert {"waste-fill-level", "street-lighting", "water-metering", "mobility-counts"} <= set(ENTRY_FOLDERS)


@pytest.mark.parametrize("entry, version", VERSIONS, ids=[f"{e}@{v}" for e, v in VERSIONS])
def test_every_version_and_resource_resolves(entry, version):
    resolved = catalogue.resolve(f"{entry}@{version}")
    package = catalogue.get_entry(entry).package(version)
    if len(package["resources"]) > 1:
        assert resolved.descriptor["name"] == entry
    for resource in package["resources"]:
        schema = catalogue.resolve(f"{entry}/{resource['name']}@{version}").table()
        assert isinstance(schema, TableSchema) and schema.fields


@pytest.mark.parametrize("entry, version", VERSIONS, ids=[f"{e}@{v}" for e, v in VERSIONS])
def test_every_version_has_a_valid_example_and_invalid_ones(entry, version):
    sets = [s[2] for s in EXAMPLE_SETS if s[:2] == (entry, version)]
    assert "valid" in sets
    assert any(s.startswith("invalid-") for s in sets)


@pytest.mark.parametrize("entry, version, example", VALID_SETS, ids=_ids(VALID_SETS))
def test_valid_example_is_valid(entry, version, example):
    report = territoria.validate(str(ROOT / entry / version / "examples" / example / "datapackage.json"))
    assert not report.could_not_run, _summary(report)
    assert report.valid, _summary(report)
    names = {r["name"] for r in catalogue.get_entry(entry).package(version)["resources"]}
    assert {t.name for t in report.tasks} == names


@pytest.mark.parametrize("entry, version, example", INVALID_SETS, ids=_ids(INVALID_SETS))
def test_invalid_example_gives_exactly_its_expected_errors(entry, version, example):
    folder = ROOT / entry / version / "examples" / example
    expected = json.loads((folder / "expected-errors.json").read_text(encoding="utf-8"))
    report = territoria.validate(str(folder / "datapackage.json"))
    assert not report.could_not_run, _summary(report)
    got = sorted(((t.name, e["type"], e.get("rowNumber"), e.get("fieldName")) for t in report.tasks for e in t.errors),
                 key=repr)
    want = sorted(((e["resource"], e["type"], e["rowNumber"], e["fieldName"]) for e in expected), key=repr)
    assert got == want, _summary(report)
    assert not report.valid


def _expected(folder: Path, name: str) -> list:
    path = folder / name
    if not path.is_file():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    return sorted(((e["resource"], e["type"], e["rowNumber"], e["fieldName"]) for e in items), key=repr)


#: warnings that name a likely cause beside the errors (validation/advice.py): the errors are the set's point
ADVICE = {code for code, rule in RULES.items() if rule.raised_by in ("validation.advice", "validation.sheets")}


def _warnings(report) -> list:
    return sorted(((t.name, w["type"], w.get("rowNumber"), w.get("fieldName")) for t in report.tasks for w in t.warnings
                   if w["type"] not in ADVICE), key=repr)


@pytest.mark.parametrize("entry, version, example", EXAMPLE_SETS, ids=_ids(EXAMPLE_SETS))
def test_example_gives_exactly_its_expected_warnings(entry, version, example):
    """No set warns unless expected-warnings.json says so: a cross-file check skipped in an example
    (a misspelt resource or column in its parameters) would show up here as an unexpected warning."""
    folder = ROOT / entry / version / "examples" / example
    report = territoria.validate(str(folder / "datapackage.json"))
    assert _warnings(report) == _expected(folder, "expected-warnings.json")


@pytest.mark.parametrize("entry, version, example", WARNING_SETS, ids=_ids(WARNING_SETS))
def test_warning_example_is_valid_and_warns(entry, version, example):
    folder = ROOT / entry / version / "examples" / example
    assert _expected(folder, "expected-warnings.json"), "a warning-* set lists its warnings in expected-warnings.json"
    assert not (folder / "expected-errors.json").exists()
    report = territoria.validate(str(folder / "datapackage.json"))
    assert not report.could_not_run and report.valid, _summary(report)


def test_latest_version_is_the_default():
    """NAME without @VERSION resolves to the newest version, compared numerically."""
    for entry in catalogue.entries():
        newest = max((v for v in entry.versions if catalogue.is_release(v)),
                     key=lambda v: tuple(int(x) for x in v.split(".")))
        assert entry.latest == newest
        package = catalogue.get_entry(entry.name).package(newest)
        for resource in package["resources"]:
            assert (catalogue.resolve(f"{entry.name}/{resource['name']}").table().descriptor
                    == catalogue.resolve(f"{entry.name}/{resource['name']}@{newest}").table().descriptor)


# --------------------------------------------------------------------------- immutability


def test_every_released_version_is_locked():
    """A new released version folder must be recorded with `territoria lock`."""
    problems, new = lockfile.check(str(ROOT))
    assert new == [], f"not in {lockfile.LOCK_NAME} yet: {new}; run `territoria lock`"


def test_released_versions_never_change():
    """A released folder's content hash must match schemas/versions.lock (publish changes as a new version)."""
    problems, _ = lockfile.check(str(ROOT))
    assert problems == [], "\n".join(problems)


def test_lock_file_is_well_formed():
    data = json.loads((ROOT / lockfile.LOCK_NAME).read_text(encoding="utf-8"))
    for key, value in data.items():
        if key == lockfile.FILES_KEY:
            assert set(value) == set(data) - {lockfile.FILES_KEY}
            continue
        entry, _, version = key.partition("/")
        assert (ROOT / entry / version / "datapackage.json").is_file(), key
        assert value.startswith("sha256:") and len(value) == len("sha256:") + 64


def _copy_catalogue(tmp_path):
    import shutil

    target = tmp_path / "schemas"
    shutil.copytree(ROOT, target)
    return target


def test_lock_detects_a_changed_released_file_and_names_it(tmp_path):
    root = _copy_catalogue(tmp_path)
    entry, version = VERSIONS[0]
    with open(root / entry / version / "datapackage.json", "a", encoding="utf-8") as handle:
        handle.write("\n")
    (root / entry / version / "extra.txt").write_text("x", encoding="utf-8")
    problems, _ = lockfile.check(str(root))
    assert len(problems) == 1
    assert f"released version {entry}/{version} changed" in problems[0]
    assert "changed datapackage.json" in problems[0] and "added extra.txt" in problems[0]


def test_lock_command_adds_new_versions_and_refuses_to_rewrite_released_ones(tmp_path, capsys):
    from territoria import cli

    root = _copy_catalogue(tmp_path)
    entry, version = VERSIONS[0]
    before = (root / lockfile.LOCK_NAME).read_text(encoding="utf-8")

    # a new version is a new folder: locked by `territoria lock`
    import shutil

    shutil.copytree(root / entry / version, root / entry / "99.0.0")
    shutil.copytree(root / entry / version, root / entry / "99.1.0-draft")  # pre-releases are never locked
    assert cli.main(["lock", "--catalogue", str(root), "--check"]) == 1
    assert cli.main(["lock", "--catalogue", str(root)]) == 0
    assert f"locked {entry}/99.0.0" in capsys.readouterr().out
    lock = lockfile.read_lock(str(root))
    assert f"{entry}/99.0.0" in lock["versions"] and f"{entry}/99.1.0-draft" not in lock["versions"]
    assert cli.main(["lock", "--catalogue", str(root), "--check"]) == 0

    # changing a released version is refused, and the lock is left untouched
    after_new = (root / lockfile.LOCK_NAME).read_text(encoding="utf-8")
    assert after_new != before
    (root / entry / version / "README-extra.md").write_text("edit", encoding="utf-8")
    assert cli.main(["lock", "--catalogue", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"released version {entry}/{version} changed (added README-extra.md)" in err
    assert (root / lockfile.LOCK_NAME).read_text(encoding="utf-8") == after_new

    # removing a released version is refused too
    (root / entry / version / "README-extra.md").unlink()
    shutil.rmtree(root / entry / "99.0.0")
    assert cli.main(["lock", "--catalogue", str(root)]) == 1
    assert "its folder is gone" in capsys.readouterr().err


def test_folder_hash_depends_on_paths_and_bytes(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "x.csv").write_bytes(b"1\n")
    first = lockfile.folder_hash(str(a))
    (a / "x.csv").rename(a / "y.csv")
    assert lockfile.folder_hash(str(a)) != first
    (a / "y.csv").rename(a / "x.csv")
    assert lockfile.folder_hash(str(a)) == first
    (a / ".DS_Store").write_bytes(b"junk")
    assert lockfile.folder_hash(str(a)) == first
    (a / "x.csv").write_bytes(b"1\r\n")
    assert lockfile.folder_hash(str(a)) != first


def test_catalogue_cli_lists_and_shows(capsys):
    from territoria import cli

    assert cli.main(["schemas", "list"]) == 0
    out = capsys.readouterr().out
    for name in ENTRY_FOLDERS:
        assert name in out
    assert cli.main(["schemas", "show", "waste-fill-level/measurements@1.0.0"]) == 0
    assert "fill_level_pct" in capsys.readouterr().out


def test_a_major_or_minor_line_resolves_to_its_newest_release():
    for entry in catalogue.entries():
        for version in entry.versions:
            major = version.split(".")[0]
            newest = max((v for v in entry.versions if v.split(".")[0] == major and catalogue.is_release(v)),
                         key=catalogue.version_key)
            assert catalogue.resolve(f"{entry.name}@{major}").descriptor["version"] == newest


def test_versions_sort_as_semver_and_a_pre_release_is_never_the_default():
    ordered = ["1.0.0-alpha", "1.0.0-rc.1", "1.0.0-rc.2", "1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1"]
    assert sorted(reversed(ordered), key=catalogue.version_key) == ordered

    class Listed(catalogue.Entry):
        versions = ordered

    entry = Listed("demo", "/nowhere")
    assert entry.latest == "1.10.0" and entry.newest_of("1") == "1.10.0" and entry.newest_of("1.0") == "1.0.0"
    assert entry.newest_of("2") is None


def test_a_files_own_name_tells_its_table_before_its_folders():
    """A portal's address names the dataset too: ``.../invalid-duplicate-channel/measure.csv`` is a measure file."""
    from territoria.schema import catalogue

    profile = catalogue.resolve("mobility-counts@3.1.0")
    assert profile.match(["http://x.org/files/counts-duplicate-channel/measure.csv"]) == "measure"
    assert profile.match(["exports/channel/site_operator.csv"]) == "site_operator"
    assert profile.match(["http://x.org/channel/data.csv"]) == "channel"  # the folders when the name says nothing
