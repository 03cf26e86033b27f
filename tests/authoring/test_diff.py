"""``territoria diff``: every class of change, the verdict, and the semver check of a catalogue."""
from __future__ import annotations

import copy
import json

import pytest

from territoria import cli
from territoria.authoring.diff import (
    MAJOR, MINOR, PATCH, actual_bump, bump_problem, catalogue_bump_problems, diff, load, render, required_bump,
)

BASE = {
    "name": "measurements",
    "title": "Mesures",
    "title_en": "Measurements",
    "description": "Mesures de remplissage.",
    "description_en": "Fill-level measurements.",
    "fields": [
        {"name": "container_id", "type": "string", "title": "Conteneur", "constraints": {"required": True}},
        {"name": "fill_level_pct", "type": "number", "unit": "%", "title": "Remplissage",
         "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "waste_stream", "type": "string", "constraints": {"enum": ["glass", "paper"]}},
        {"name": "insee_code", "type": "string", "constraints": {"pattern": "^\\d{5}$"}},
        {"name": "battery_pct", "type": "number", "unit": "%"},
    ],
    "primaryKey": ["container_id"],
}


def _field(descriptor, name):
    return next(f for f in descriptor["fields"] if f["name"] == name)


def _remove_field(d):
    d["fields"] = [f for f in d["fields"] if f["name"] != "battery_pct"]


def _rename_field(d):
    _field(d, "battery_pct")["name"] = "battery_level_pct"


def _new_required_field(d):
    d["fields"].append({"name": "sensor_id", "type": "string", "constraints": {"required": True}})


def _narrow_type(d):
    _field(d, "fill_level_pct")["type"] = "integer"


def _lower_maximum(d):
    _field(d, "fill_level_pct")["constraints"]["maximum"] = 90


def _raise_minimum(d):
    _field(d, "fill_level_pct")["constraints"]["minimum"] = 10


def _remove_enum_value(d):
    _field(d, "waste_stream")["constraints"]["enum"] = ["glass"]


def _change_pattern(d):
    _field(d, "insee_code")["constraints"]["pattern"] = "^([013-9]\\d|2[AB1-9])\\d{3}$"


def _add_required(d):
    _field(d, "battery_pct")["constraints"] = {"required": True}


def _add_unique(d):
    _field(d, "battery_pct")["constraints"] = {"unique": True}


def _reorder(d):
    d["fields"][1], d["fields"][2] = d["fields"][2], d["fields"][1]


def _change_unit(d):
    _field(d, "battery_pct")["unit"] = "1"


def _add_foreign_key(d):
    d["foreignKeys"] = [{"fields": "container_id", "reference": {"resource": "containers", "fields": "container_id"}}]


def _change_format(d):
    _field(d, "container_id")["format"] = "uuid"


def _new_optional_field(d):
    d["fields"].append({"name": "temperature_cel", "type": "number", "unit": "Cel"})


def _add_enum_value(d):
    _field(d, "waste_stream")["constraints"]["enum"].append("biowaste")


def _raise_maximum(d):
    _field(d, "fill_level_pct")["constraints"]["maximum"] = 120


def _widen_type(d):
    _field(d, "fill_level_pct")["type"] = "string"
    _field(d, "fill_level_pct")["constraints"] = {}


def _drop_required(d):
    _field(d, "container_id")["constraints"] = {}


def _drop_pattern(d):
    _field(d, "insee_code")["constraints"] = {}


def _text_title(d):
    d["title"] = "Mesures de remplissage"
    _field(d, "fill_level_pct")["title"] = "Taux de remplissage (%)"


def _text_description(d):
    d["description_en"] = "Fill-level measurements sent by the sensors."
    _field(d, "container_id")["description"] = "Identifiant du conteneur."
    _field(d, "container_id")["example"] = "PAV-1"


def _add_error_check(d):
    d["custom_checks"] = [{"name": "monotonic-series", "params": {"key": "container_id", "column": "fill_level_pct"}}]


def _add_warning_check(d):
    # plausible-variation only ever warns: no file valid before becomes invalid
    d["custom_checks"] = [{"name": "plausible-variation",
                           "params": {"key": "container_id", "column": "fill_level_pct", "max_drop": 50}}]


CASES = [
    ("removed field", _remove_field, MAJOR, "field removed"),
    ("renamed field", _rename_field, MAJOR, "field renamed 'battery_pct' → 'battery_level_pct'"),
    ("new required field", _new_required_field, MAJOR, "new required field"),
    ("type narrowed number→integer", _narrow_type, MAJOR, "type narrowed or changed number → integer"),
    ("maximum lowered", _lower_maximum, MAJOR, "maximum lowered"),
    ("minimum raised", _raise_minimum, MAJOR, "minimum raised"),
    ("enum value removed", _remove_enum_value, MAJOR, "enum value(s) removed: 'paper'"),
    ("pattern changed", _change_pattern, MAJOR, "pattern changed"),
    ("required added", _add_required, MAJOR, "constraint required added"),
    ("unique added", _add_unique, MAJOR, "constraint unique added"),
    ("fields reordered", _reorder, MAJOR, "field order changed"),
    ("unit changed", _change_unit, MAJOR, "unit changed"),
    ("foreign key added", _add_foreign_key, MAJOR, "new foreign key"),
    ("format added", _change_format, MAJOR, "format changed 'default' → 'uuid'"),
    ("custom check added", _add_error_check, MAJOR, "new or changed custom check"),
    ("warning-only check added", _add_warning_check, MINOR, "warnings only: no file becomes invalid"),
    ("new optional field", _new_optional_field, MINOR, "new optional field"),
    ("enum value added", _add_enum_value, MINOR, "enum value(s) added: 'biowaste'"),
    ("maximum raised", _raise_maximum, MINOR, "maximum raised 100 → 120"),
    ("type widened number→string", _widen_type, MINOR, "type widened number → string"),
    ("required dropped", _drop_required, MINOR, "constraint required removed"),
    ("pattern removed", _drop_pattern, MINOR, "constraint pattern removed"),
    ("title changed", _text_title, PATCH, "title changed (text only)"),
    ("description and example changed", _text_description, PATCH, "description_en changed (text only)"),
]


def _new_fields(d, *names):
    d["fields"] += [{"name": name, "type": "string"} for name in names]


def _checks(d, *declared):
    d["custom_checks"] = list(declared)


def _declared_warning_check(d):
    _checks(d, {"name": "compare-columns-value", "severity": "warning",
                "params": {"column": "fill_level_pct", "op": "<=", "column2": "battery_pct"}})


def _check_on_new_fields(d):
    _new_fields(d, "operator_siren")
    _checks(d, {"name": "siren", "params": {"column": "operator_siren"}})


def _emptiness_check_on_new_fields(d):
    _new_fields(d, "site_a", "site_b")
    _checks(d, {"name": "one-of-required", "params": {"column1": "site_a", "column2": "site_b"}})


def _check_mixing_old_and_new_fields(d):
    _new_fields(d, "capacity_pct")
    _checks(d, {"name": "compare-columns-value", "params": {"column": "fill_level_pct", "op": "<=",
                                                             "column2": "capacity_pct"}})


def _conditional_check_selected_by_a_new_field(d):
    _new_fields(d, "lighting_category")
    _checks(d, {"name": "constraint-if", "params": {"column": "fill_level_pct", "constraints": {"maximum": 50},
                                                     "when": {"column": "lighting_category", "values": ["a"]}}})


def _conditional_check_selected_by_an_old_field(d):
    _checks(d, {"name": "constraint-if", "params": {"column": "fill_level_pct", "constraints": {"maximum": 50},
                                                     "when": {"column": "waste_stream", "values": ["glass"]}}})


def _foreign_key_on_new_fields(d):
    _new_fields(d, "site_id")
    d["foreignKeys"] = [{"fields": ["site_id"], "reference": {"resource": "sites", "fields": ["site_id"]}}]


POLICY_CASES = [
    ("check declared as a warning", _declared_warning_check, MINOR, "warnings only"),
    ("check on new optional fields", _check_on_new_fields, MINOR, "on new optional fields only"),
    ("emptiness check on new fields", _emptiness_check_on_new_fields, MAJOR, "new or changed custom check"),
    ("check reading an old field", _check_mixing_old_and_new_fields, MAJOR, "new or changed custom check"),
    ("conditional check on a new condition", _conditional_check_selected_by_a_new_field, MINOR, "new optional fields"),
    ("conditional check on an old condition", _conditional_check_selected_by_an_old_field, MAJOR, "custom check"),
    ("foreign key on new optional fields", _foreign_key_on_new_fields, MINOR, "on new optional fields"),
]


@pytest.mark.parametrize("label, change, level, text", POLICY_CASES, ids=[c[0] for c in POLICY_CASES])
def test_a_rule_new_in_a_version_is_minor_only_when_no_file_of_the_previous_one_breaks(tmp_path, label, change,
                                                                                        level, text):
    new = copy.deepcopy(BASE)
    change(new)
    changes = diff(load(_write(tmp_path / "old.json", BASE)), load(_write(tmp_path / "new.json", new)))
    assert required_bump(changes) == level, render(changes)
    assert any(c.level == level and text in c.message for c in changes), render(changes)


def _write(path, descriptor):
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("label, change, level, text", CASES, ids=[c[0] for c in CASES])
def test_each_class_of_change(tmp_path, label, change, level, text):
    new = copy.deepcopy(BASE)
    change(new)
    old_path = _write(tmp_path / "old.schema.json", BASE)
    new_path = _write(tmp_path / "new.schema.json", new)
    changes = diff(load(old_path), load(new_path))
    assert required_bump(changes) == level, render(changes)
    assert any(c.level == level and text in c.message for c in changes), render(changes)


def test_type_narrowing_lattice():
    from territoria.authoring.diff import diff_fields

    def level(old_type, new_type):
        return [c.level for c in diff_fields({"name": "x", "type": old_type}, {"name": "x", "type": new_type}, "t/x")]

    assert level("number", "integer") == [MAJOR]
    assert level("string", "number") == [MAJOR]
    assert level("date", "datetime") == [MAJOR]
    assert level("integer", "number") == [MINOR]
    assert level("date", "string") == [MINOR]
    assert level("boolean", "any") == [MINOR]


def test_identical_schemas_have_no_change(tmp_path):
    path = _write(tmp_path / "a.json", BASE)
    changes = diff(load(path), load(path))
    assert changes == [] and required_bump(changes) is None
    assert render(changes).strip() == "no change"


def test_package_level_changes(tmp_path):
    """Tables added and removed between two Data Packages, and package text."""
    def package(folder, resources, title):
        folder.mkdir()
        for name in resources:
            _write(folder / f"{name}.schema.json", {"name": name, "fields": [{"name": "id", "type": "string"}]})
        return _write(folder / "datapackage.json", {
            "name": "demo", "title": title, "version": folder.name,
            "resources": [{"name": n, "path": f"{n}.csv", "schema": f"{n}.schema.json"} for n in resources],
        })

    old = package(tmp_path / "1.0.0", ["sites", "counts"], "Démo")
    new = package(tmp_path / "1.1.0", ["sites", "events"], "Démonstration")
    changes = diff(load(old), load(new))
    messages = {(c.level, c.where, c.message) for c in changes}
    assert (MAJOR, "counts", "table (resource) removed") in messages
    assert (MINOR, "events", "new table (resource) added") in messages
    assert (PATCH, "package", "title changed (text only)") in messages


def test_catalogue_references_resolve():
    """NAME@VERSION and NAME/RESOURCE@VERSION of the real catalogue load and compare equal to themselves."""
    package = load("waste-fill-level@1.0.0")
    assert set(package["tables"]) == {"containers", "measurements", "emptyings"}
    table = load("waste-fill-level/measurements@1.0.0")
    assert list(table["tables"]) == ["measurements"]
    assert diff(package, load("waste-fill-level@1.0.0")) == []


def test_cli_diff_prints_changes_and_verdict(tmp_path, capsys):
    new = copy.deepcopy(BASE)
    _new_optional_field(new)
    _text_title(new)
    code = cli.main(["diff", _write(tmp_path / "old.json", BASE), _write(tmp_path / "new.json", new)])
    out = capsys.readouterr().out
    assert code == 0
    assert "MINOR  measurements/temperature_cel: new optional field" in out
    assert "PATCH  measurements: title changed (text only)" in out
    assert out.strip().splitlines()[-1] == "requires a MINOR version bump"


def test_cli_diff_unknown_reference(capsys):
    assert cli.main(["diff", "no-such-entry@1.0.0", "waste-fill-level@1.0.0"]) == 2
    assert "no catalogue entry" in capsys.readouterr().err


@pytest.mark.parametrize("old, new, expected", [
    ("1.0.0", "2.0.0", MAJOR), ("1.0.0", "1.1.0", MINOR), ("1.2.3", "1.2.4", PATCH),
    ("1.9.0", "2.0.0", MAJOR), ("1.0.0", "1.0.0", None), ("2.0.0", "1.9.9", None),
])
def test_actual_bump(old, new, expected):
    assert actual_bump(old, new) == expected


def test_bump_problem_verdicts():
    from territoria.authoring.diff import Change

    major = [Change(MAJOR, "t/x", "field removed")]
    minor = [Change(MINOR, "t/y", "new optional field")]
    assert bump_problem("1.0.0", "2.0.0", major) is None
    assert "require a MAJOR bump" in bump_problem("1.0.0", "1.1.0", major)
    assert bump_problem("1.0.0", "1.1.0", minor) is None
    assert bump_problem("1.0.0", "2.0.0", minor) is None  # a bigger bump than needed is allowed
    assert "require a MINOR bump" in bump_problem("1.0.0", "1.0.1", minor)
    assert "does not come after" in bump_problem("1.1.0", "1.0.0", [])


# --------------------------------------------------------------------------- the catalogue's own numbering


def _catalogue_with_versions(root, versions):
    """An entry ``demo`` with one folder per (version, table schema descriptor)."""
    for version, table in versions:
        folder = root / "demo" / version
        folder.mkdir(parents=True)
        _write(folder / "measurements.schema.json", table)
        _write(folder / "datapackage.json", {
            "name": "demo", "version": version,
            "resources": [{"name": "measurements", "path": "m.csv", "schema": "measurements.schema.json"}],
        })
    return str(root)


@pytest.mark.parametrize("label, change, level, text", CASES, ids=[c[0] for c in CASES])
def test_catalogue_numbering_follows_the_diff(tmp_path, label, change, level, text):
    """The semver check used on the real catalogue, exercised on each class of change."""
    new = copy.deepcopy(BASE)
    change(new)
    right = {MAJOR: "2.0.0", MINOR: "1.1.0", PATCH: "1.0.1"}[level]
    root = _catalogue_with_versions(tmp_path / "right", [("1.0.0", BASE), (right, new)])
    assert catalogue_bump_problems(root) == []
    if level != PATCH:
        wrong = {MAJOR: "1.1.0", MINOR: "1.0.1"}[level]
        root = _catalogue_with_versions(tmp_path / "wrong", [("1.0.0", BASE), (wrong, new)])
        problems = catalogue_bump_problems(root)
        assert len(problems) == 1 and f"require a {level.upper()} bump" in problems[0]


def test_catalogue_numbering_orders_versions_numerically(tmp_path):
    v2 = copy.deepcopy(BASE)
    _new_optional_field(v2)
    v10 = copy.deepcopy(v2)
    _remove_field(v10)
    root = _catalogue_with_versions(tmp_path, [("1.2.0", BASE), ("1.9.0", v2), ("1.10.0", v10)])
    problems = catalogue_bump_problems(root)
    assert len(problems) == 1 and "1.9.0 → 1.10.0" in problems[0]


def test_released_catalogue_versions_are_numbered_as_their_diff_requires():
    """Every consecutive pair of released versions in schemas/ respects semver."""
    assert catalogue_bump_problems() == []


def test_diff_refuses_a_schema_that_is_itself_invalid(tmp_path, capsys):
    from territoria.authoring.diff import main

    good = {"fields": [{"name": "a", "type": "number"}]}
    bad = {"fields": [{"name": "a", "type": "number", "constraints": {"minimum": "abc"}}]}
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert main(str(tmp_path / "good.json"), str(tmp_path / "bad.json")) == 2
    err = capsys.readouterr().err
    assert "is not a valid Table Schema" in err and "the bound is not a number" in err
