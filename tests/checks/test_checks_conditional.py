"""``constraint-if``: a Table Schema constraint held on the rows a condition selects; and a check
declared ``"severity": "warning"`` (how a check enters a minor version)."""
from __future__ import annotations

import pytest

import territoria
from checks_helpers import findings, schema_error

FIELDS = ["id", "lighting_category", {"name": "colour_temperature_k", "type": "integer"}]
CAP = {"name": "constraint-if", "params": {"column": "colour_temperature_k", "constraints": {"maximum": 3000},
                                           "when": {"column": "lighting_category", "values": ["a", "d", "e"]}}}
CSV = ("id,lighting_category,colour_temperature_k\n1,a,2700\n2,d,4000\n3,b,4000\n4,e,\n5,,5000\n6,e,3000\n"
       "7,d,x\n")


def test_the_3000_k_cap_holds_only_for_categories_a_d_and_e(write_csv):
    # row 3 is category b (no cap), row 4 is empty (nothing to cap), row 8 is a type error (said once, by
    # the field itself)
    assert findings(write_csv, CSV, FIELDS, [CAP]) == [("constraint-if", 3, "colour_temperature_k", "4000")]


def test_the_message_says_the_rule_in_both_languages(write_csv):
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in FIELDS], "custom_checks": [CAP]}
    error = next(e for e in territoria.validate(str(write_csv(CSV)), descriptor).tasks[0].errors
                 if e["type"] == "constraint-if")
    assert error["message_fr"] == ("Ligne 3 : la règle lighting_category = d ⇒ colour_temperature_k ≤ 3000 (4000) "
                                   "n'est pas respectée.")
    assert error["message_en"].startswith("Row 3: the rule lighting_category = d")


def test_required_if(write_csv):
    checks = [{"name": "constraint-if", "params": {"column": "colour_temperature_k",
                                                   "constraints": {"required": True},
                                                   "when": {"column": "lighting_category", "value": "e"}}}]
    assert findings(write_csv, CSV, FIELDS, checks) == [("constraint-if", 5, "colour_temperature_k", "")]


def test_a_typed_condition_and_an_enum(write_csv):
    fields = [{"name": "served", "type": "integer"}, {"name": "step", "type": "string"}]
    checks = [{"name": "constraint-if", "params": {"column": "step", "constraints": {"enum": ["P1D", "P1M"]},
                                                   "when": {"column": "served", "values": [1, 2, 3]}}}]
    csv = "served,step\n0,PT1H\n2,PT1H\n2,P1D\n12,PT1H\n"
    assert findings(write_csv, csv, fields, checks) == [("constraint-if", 3, "step", "PT1H")]


def test_declared_as_a_warning_it_warns_and_the_file_stays_valid(write_csv):
    warning = dict(CAP, severity="warning")
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in FIELDS], "custom_checks": [warning]}
    task = territoria.validate(str(write_csv(CSV.replace("7,d,x\n", ""))), descriptor).tasks[0]
    assert task.valid
    assert [(w["type"], w["rowNumber"], w["severity"]) for w in task.warnings
            if w["type"] == "constraint-if"] == [("constraint-if", 3, "warning")]


@pytest.mark.parametrize("declaration, words", [
    (dict(CAP, severity="fatal"), 'severity must be "error" or "warning"'),
    ({"name": "constraint-if", "params": {"column": "colour_temperature_k", "constraints": {"maximum": "abc"},
                                          "when": {"column": "lighting_category", "values": ["a"]}}},
     'constraint "maximum" is "abc": the bound is not a number'),
    ({"name": "constraint-if", "params": {"column": "colour_temperature_k", "constraints": {"unique": True},
                                          "when": {"column": "lighting_category", "values": ["a"]}}},
     "'unique' is not one a row may be held to"),
    ({"name": "constraint-if", "params": {"column": "colour_temperature_k", "constraints": {"maximum": 1},
                                          "when": {"column": "nowhere", "values": ["a"]}}},
     "field 'nowhere' is not in the schema"),
    ({"name": "constraint-if", "params": {"column": "colour_temperature_k", "constraints": {"maximum": 1},
                                          "when": {"column": "lighting_category", "values": []}}},
     "must name at least one value"),
])
def test_a_wrong_declaration_is_a_schema_error(write_csv, declaration, words):
    assert words in schema_error(write_csv, CSV, FIELDS, [declaration])


def test_several_conditions_all_hold_and_a_bound_is_read_by_the_column_type(write_csv):
    """The order's cap applies to installations from 1 January 2020: a 1985 mercury lamp is not held to it."""
    fields = FIELDS + [{"name": "installation_date", "type": "date"}]
    checks = [{"name": "constraint-if", "params": {
        "column": "colour_temperature_k", "constraints": {"maximum": 3000},
        "when": [{"column": "lighting_category", "values": ["a", "d", "e"]},
                 {"column": "installation_date", "minimum": "2020-01-01"}]}}]
    csv = ("id,lighting_category,colour_temperature_k,installation_date\n1,a,4000,1985-05-01\n2,a,4000,2021-06-15\n"
           "3,a,4000,\n4,b,4000,2022-01-01\n5,d,3500,2020-01-01\n")
    assert findings(write_csv, csv, fields, checks) == [("constraint-if", 3, "colour_temperature_k", "4000"),
                                                        ("constraint-if", 6, "colour_temperature_k", "3500")]
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in fields], "custom_checks": checks}
    error = territoria.validate(str(write_csv(csv)), descriptor).tasks[0].errors[0]
    assert "lighting_category = a, installation_date = 2021-06-15 ⇒ colour_temperature_k ≤ 3000 (4000)" in error["note"]
    wrong = [dict(checks[0], params=dict(checks[0]["params"], when=[{"column": "installation_date",
                                                                     "minimum": "janvier 2020"}]))]
    assert "the bound is not a valid date" in schema_error(write_csv, csv, fields, wrong)


def test_a_file_without_the_condition_columns_is_not_held_to_the_rule(write_csv):
    fields = FIELDS + [{"name": "installation_date", "type": "date"}]
    checks = [{"name": "constraint-if", "params": {
        "column": "colour_temperature_k", "constraints": {"maximum": 3000},
        "when": [{"column": "lighting_category", "values": ["a"]}, {"column": "installation_date", "minimum": "2020-01-01"}]}}]
    descriptor = {"fields": [f if isinstance(f, dict) else {"name": f} for f in fields], "custom_checks": checks}
    task = territoria.validate(str(write_csv("id,lighting_category,colour_temperature_k\n1,a,4000\n")), descriptor).tasks[0]
    assert not task.could_not_run and [e["type"] for e in task.errors] == ["missing-label"]
