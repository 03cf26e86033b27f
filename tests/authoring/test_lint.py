"""``territoria lint``: each house rule on a small catalogue built in tmp_path, and the real catalogue."""
from __future__ import annotations

import copy
import json

import pytest

from territoria import cli
from territoria.authoring.lint import expected_unit, lint

TEXT = {"title": "Titre", "title_en": "Title", "description": "Description.", "description_en": "Description."}

TABLE = {
    "name": "measurements",
    **TEXT,
    "version": "1.0.0",
    "fields": [
        {"name": "container_id", **TEXT, "type": "string", "example": "PAV-1", "constraints": {"required": True}},
        {"name": "fill_level_pct", **TEXT, "type": "number", "unit": "%", "example": "72",
         "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "min_flow_m3_h", **TEXT, "type": "number", "unit": "m3/h", "example": 18.2},
    ],
    "primaryKey": ["container_id"],
}

PACKAGE = {
    "name": "demo",
    **TEXT,
    "version": "1.0.0",
    "licenses": [{"name": "etalab-2.0"}],
    "created": "2026-11-29",
    "territoria": {"lastModified": "2026-11-29",
                   "follows": [{"name": "smart-data-models/dataModel.WasteManagement", "version": "WasteObserved 0.0.1",
                                "commit": "952dca8b1b9b2b5fe8e82dcba25599316ab1478e"}]},
    "resources": [{"name": "measurements", **TEXT, "path": "examples/valid/measurements.csv",
                   "profile": "tabular-data-resource", "schema": "measurements.schema.json"}],
}


def _dump(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def make_catalogue(tmp_path, table=None, package=None, changelog="# Changelog\n\n## 1.0.0 — 2026-11-29\n\n- First.\n",
                   readme="# Demo\n\nContext.\n", version="1.0.0"):
    root = tmp_path / "schemas"
    entry = root / "demo"
    folder = entry / version
    _dump(folder / "measurements.schema.json", table if table is not None else TABLE)
    _dump(folder / "datapackage.json", package if package is not None else PACKAGE)
    valid = folder / "examples" / "valid"
    valid.mkdir(parents=True)
    (valid / "measurements.csv").write_text("container_id,fill_level_pct,min_flow_m3_h\nPAV-1,72,1\n")
    _dump(valid / "datapackage.json", {"resources": [{"name": "measurements", "path": "measurements.csv",
                                                      "schema": "../../measurements.schema.json"}]})
    invalid = folder / "examples" / "invalid-range"
    invalid.mkdir(parents=True)
    _dump(invalid / "datapackage.json", {"resources": [{"name": "measurements", "path": "m.csv",
                                                        "schema": "../../measurements.schema.json"}]})
    _dump(invalid / "expected-errors.json", [{"resource": "measurements", "type": "constraint-error",
                                              "rowNumber": 2, "fieldName": "fill_level_pct"}])
    if changelog is not None:
        (entry / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    if readme is not None:
        (entry / "README.md").write_text(readme, encoding="utf-8")
    return root


def rules(root):
    findings, unreadable = lint(str(root))
    assert unreadable == []
    return [(f.rule, f.message) for f in findings]


def table_with(change):
    table = copy.deepcopy(TABLE)
    change(table)
    return table


def field(table, name):
    return next(f for f in table["fields"] if f["name"] == name)


def test_a_clean_catalogue_has_no_finding(tmp_path):
    assert rules(make_catalogue(tmp_path)) == []


def test_the_real_catalogue_passes_lint():
    findings, unreadable = lint()
    assert unreadable == [] and findings == [], "\n".join(map(str, unreadable + findings))


@pytest.mark.parametrize("label, change, rule, text", [
    ("camelCase name", lambda t: field(t, "container_id").update(name="containerId"),
     "snake-case", "'containerId': name is not English snake_case (e.g. 'container_id')"),
    ("missing title_en", lambda t: field(t, "container_id").pop("title_en"),
     "bilingual", "field 'container_id' has no title_en"),
    ("missing description", lambda t: t.pop("description"), "bilingual", "table schema has no description"),
    ("missing example", lambda t: field(t, "container_id").pop("example"),
     "example", "field 'container_id' has no example"),
    ("example of the wrong type", lambda t: field(t, "fill_level_pct").update(example="soixante"),
     "example", "example 'soixante' is not a valid number"),
    ("example breaking a constraint", lambda t: field(t, "fill_level_pct").update(example=172),
     "example", "example 172 breaks the constraint(s) maximum"),
    ("unit suffix without unit", lambda t: field(t, "fill_level_pct").pop("unit"),
     "unit", "name ends in a unit suffix but no unit is declared (add \"unit\": '%')"),
    ("unit not matching the suffix", lambda t: field(t, "min_flow_m3_h").update(unit="L/s"),
     "unit", "unit 'L/s' does not match the name's suffix (expected UCUM 'm3/h')"),
    ("unit without suffix", lambda t: field(t, "container_id").update(unit="1"),
     "unit", "declares unit '1' but its name has no unit suffix"),
    ("table schema version", lambda t: t.update(version="0.9.0"),
     "version", "table schema version '0.9.0' differs from its folder '1.0.0'"),
    ("Table Schema metaschema", lambda t: field(t, "container_id").update(type="text"),
     "metaschema", "Table Schema: fields/0/type: 'text' is not one of"),
    ("primary key on a missing field", lambda t: t.update(primaryKey=["nope"]),
     "metaschema", "primaryKey: field 'nope' does not exist"),
])
def test_table_schema_rules(tmp_path, label, change, rule, text):
    found = rules(make_catalogue(tmp_path, table=table_with(change)))
    assert any(r == rule and text in m for r, m in found), found


@pytest.mark.parametrize("label, change, rule, text", [
    ("package version differs", lambda p: p.update(version="1.0.1"),
     "version", "package version '1.0.1' differs from its folder '1.0.0'"),
    ("package version missing", lambda p: p.pop("version"), "version", "package has no version"),
    ("package title_en missing", lambda p: p.pop("title_en"), "bilingual", "package has no title_en"),
    ("resource description_en missing", lambda p: p["resources"][0].pop("description_en"),
     "bilingual", "resource 'measurements' has no description_en"),
    ("resource name not snake_case", lambda p: p["resources"][0].update(name="Measurements"),
     "snake-case", "resource 'Measurements': name is not snake_case"),
    ("schema file missing", lambda p: p["resources"][0].update(schema="nope.schema.json"),
     "schema-missing", "schema file 'nope.schema.json' does not exist"),
    ("data path missing", lambda p: p["resources"][0].update(path="examples/valid/nope.csv"),
     "resource-path", "path 'examples/valid/nope.csv' does not exist"),
    ("Data Package metaschema", lambda p: p.update(resources=[]),
     "metaschema", "Data Package: resources: [] should be non-empty"),
    ("package name differs from its folder", lambda p: p.update(name="other"),
     "entry-name", "package name 'other' differs from its entry folder 'demo'"),
])
def test_package_rules(tmp_path, label, change, rule, text):
    package = copy.deepcopy(PACKAGE)
    change(package)
    found = rules(make_catalogue(tmp_path, package=package))
    assert any(r == rule and text in m for r, m in found), found


def test_changelog_needs_a_heading_per_version(tmp_path):
    found = rules(make_catalogue(tmp_path, changelog="# Changelog\n\n## 0.9.0\n"))
    assert ("changelog", "no '## 1.0.0' heading for version 1.0.0") in found


def test_changelog_and_readme_missing(tmp_path):
    found = rules(make_catalogue(tmp_path, changelog=None, readme=None))
    assert ("changelog", "CHANGELOG.md is missing") in found
    assert ("readme", "README.md is missing or empty") in found


def test_invalid_example_set_needs_expected_errors(tmp_path):
    root = make_catalogue(tmp_path)
    (root / "demo" / "1.0.0" / "examples" / "invalid-range" / "expected-errors.json").unlink()
    assert ("examples", "invalid example set has no expected-errors.json") in rules(root)


def test_warning_example_set_needs_expected_warnings(tmp_path):
    root = make_catalogue(tmp_path)
    warning = root / "demo" / "1.0.0" / "examples" / "warning-drop"
    _dump(warning / "datapackage.json", {"resources": [{"name": "measurements", "path": "m.csv",
                                                        "schema": "../../measurements.schema.json"}]})
    assert ("examples", "warning example set has no expected-warnings.json") in rules(root)
    _dump(warning / "expected-warnings.json", [])
    assert ("examples", "must be a non-empty JSON list of expected warnings") in rules(root)
    _dump(warning / "expected-warnings.json", [{"resource": "measurements", "type": "plausible-variation",
                                               "rowNumber": 3, "fieldName": "fill_level_pct"}])
    assert rules(root) == []


def test_following_a_national_schema_relaxes_the_naming_rules(tmp_path):
    table = table_with(lambda t: t["fields"].append(
        {"name": "time_step", **TEXT, "type": "number", "unit": "s", "example": "900"}))
    assert any(r == "unit" for r, _ in rules(make_catalogue(tmp_path / "a", table=table)))
    package = copy.deepcopy(PACKAGE)
    package["territoria"] = {"follows": "etalab/schema-comptage-mobilites", "lastModified": "2026-11-29"}
    assert rules(make_catalogue(tmp_path / "b", table=table, package=package)) == []


@pytest.mark.parametrize("name, unit", [
    ("power_w", "W"), ("energy_kwh", "kW.h"), ("subscribed_power_kva", "kV.A"), ("temperature_cel", "Cel"),
    ("fill_level_pct", "%"), ("capacity_l", "L"), ("min_flow_m3_h", "m3/h"), ("burning_hours_h", "h"),
    ("container_id", None), ("status", None), ("household_count", None),
])
def test_expected_unit(name, unit):
    assert expected_unit(name) == unit


def test_lint_accepts_an_entry_a_version_folder_and_single_files(tmp_path):
    root = make_catalogue(tmp_path, table=table_with(lambda t: field(t, "container_id").pop("example")))
    for path in (root / "demo", root / "demo" / "1.0.0", root / "demo" / "1.0.0" / "datapackage.json",
                 root / "demo" / "1.0.0" / "measurements.schema.json"):
        findings, _ = lint(str(path))
        assert [f.rule for f in findings] == ["example"], path


def test_cli_output_and_exit_codes(tmp_path, capsys):
    clean = make_catalogue(tmp_path / "clean")
    assert cli.main(["lint", str(clean)]) == 0
    capsys.readouterr()

    broken = make_catalogue(tmp_path / "broken", table=table_with(lambda t: field(t, "fill_level_pct").pop("unit")))
    assert cli.main(["lint", str(broken)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    path, rule, message = lines[0].split(": ", 2)
    assert path.endswith("measurements.schema.json") and rule == "unit" and "fill_level_pct" in message

    assert cli.main(["lint", str(tmp_path / "does-not-exist")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli.main(["lint", str(bad)]) == 2
    assert "unreadable: not valid JSON" in capsys.readouterr().out


def test_unparseable_schema_inside_the_catalogue_exits_2(tmp_path, capsys):
    root = make_catalogue(tmp_path)
    (root / "demo" / "1.0.0" / "measurements.schema.json").write_text("{", encoding="utf-8")
    assert cli.main(["lint", str(root)]) == 2
    assert "measurements.schema.json: unreadable:" in capsys.readouterr().out


def test_a_bound_that_is_not_a_number_is_a_lint_error(tmp_path):
    descriptor = {"title": "t", "title_en": "t", "description": "d", "description_en": "d",
                  "fields": [{"name": "level_pct", "type": "number", "unit": "%", "constraints": {"minimum": "abc"},
                              "title": "t", "title_en": "t", "description": "d", "description_en": "d",
                              "example": 1}]}
    path = tmp_path / "table.schema.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    findings, _ = lint(str(path))
    assert any(f.rule == "metaschema" and 'constraint "minimum" is "abc": the bound is not a number' in f.message
               for f in findings), findings


# --- the versioning policy (schemas/README.md) ------------------------------------------------------

def _add_version(root, version, package_change=None):
    """A copy of demo 1.0.0 as ``version`` (its package changed by ``package_change``)."""
    import shutil

    entry = root / "demo"
    shutil.copytree(entry / "1.0.0", entry / version)
    path = entry / version / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["version"] = version
    if package_change:
        package_change(package)
    _dump(path, package)
    table = json.loads((entry / version / "measurements.schema.json").read_text(encoding="utf-8"))
    table["version"] = version
    _dump(entry / version / "measurements.schema.json", table)


def test_the_latest_version_carries_its_dates_and_what_it_follows(tmp_path):
    root = make_catalogue(tmp_path, changelog="# Changelog\n\n## 1.1.0\n\n- More.\n\n## 1.0.0\n\n- First.\n")

    def unmarked(package):
        package.pop("created")
        package.pop("territoria")

    _add_version(root, "1.1.0", unmarked)
    found = [m for r, m in rules(root) if r == "policy"]
    assert any(m.startswith("created must be an ISO date") for m in found)
    assert any(m.startswith("territoria.lastModified must be an ISO date") for m in found)
    assert any(m.startswith("territoria.follows must name what the version follows") for m in found)


def test_a_version_released_before_the_policy_is_left_as_it_is(tmp_path):
    root = make_catalogue(tmp_path, changelog="# Changelog\n\n## 1.1.0\n\n- More.\n\n## 1.0.0\n\n- First.\n")
    path = root / "demo" / "1.0.0" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package.pop("territoria")
    _dump(path, package)
    _add_version(root, "1.1.0", lambda p: p.update(territoria={"lastModified": "2026-12-01", "follows": "etalab/x"}))
    assert [m for r, m in rules(root) if r == "policy"] == []


def test_follows_needs_a_name_and_a_version_per_reference(tmp_path):
    package = copy.deepcopy(PACKAGE)
    package["territoria"]["follows"] = [{"name": "cnig/eclext"}]
    found = rules(make_catalogue(tmp_path, package=package))
    assert any(r == "policy" and "territoria.follows" in m for r, m in found)


def test_a_major_version_needs_a_migration_note(tmp_path):
    changelog = "# Changelog\n\n## 2.0.0 — 2026-12-01\n\n- Field renamed.\n\n## 1.0.0\n\n- First.\n"
    root = make_catalogue(tmp_path, changelog=changelog)
    _add_version(root, "2.0.0")
    assert ("policy", "major version 2.0.0 needs a migration note in its CHANGELOG section") in rules(root)
    (root / "demo" / "CHANGELOG.md").write_text(changelog.replace("- Field renamed.", "- Field renamed.\n\n"
                                                                  "### Migration\n\nRename the column."),
                                               encoding="utf-8")
    assert [m for r, m in rules(root) if r == "policy"] == []
