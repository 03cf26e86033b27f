"""Row checks with Validata's names: compare, cohesive, sum, one-of-required, year interval, hours, phone."""
from __future__ import annotations

import pytest

from checks_helpers import findings, schema_error

CMP = lambda op: [{"name": "compare-columns-value", "params": {"column": "a", "op": op, "column2": "b"}}]  # noqa: E731


@pytest.mark.parametrize("fields", [
    ["a", "b"],  # text fields: numbers compared as numbers (Validata)
    [{"name": "a", "type": "integer"}, {"name": "b", "type": "number"}],
])
def test_compare_numbers(write_csv, fields):
    csv = "a,b\n1,2\n3,2\n,5\n10,9\n9,10\n"
    assert findings(write_csv, csv, fields, CMP("<")) == [
        ("compare-columns-value", 3, "a", "3"), ("compare-columns-value", 5, "a", "10")]
    assert findings(write_csv, "a,b\n2,2\n3,2\n", fields, CMP(">=")) == []


def test_compare_dates_and_datetimes(write_csv):
    fields = [{"name": "a", "type": "date"}, {"name": "b", "type": "datetime"}]
    csv = "a,b\n2024-01-01,2024-01-02T00:00:00Z\n2024-01-03,2024-01-02T00:00:00+01:00\n"
    assert findings(write_csv, csv, fields, CMP("<")) == [("compare-columns-value", 3, "a", "2024-01-03")]


def test_compare_datetime_offsets(write_csv):
    fields = [{"name": "a", "type": "datetime"}, {"name": "b", "type": "datetime"}]
    # 10:00+02:00 is 08:00Z, before 09:00Z
    csv = "a,b\n2024-01-01T10:00:00+02:00,2024-01-01T09:00:00Z\n2024-01-01T10:00:00Z,2024-01-01T09:00:00Z\n"
    assert findings(write_csv, csv, fields, CMP(">")) == [
        ("compare-columns-value", 2, "a", "2024-01-01T10:00:00+02:00")]


def test_compare_text_and_not_comparable(write_csv):
    assert findings(write_csv, "a,b\nabc,abd\nx,2\n", ["a", "b"], CMP("<")) == [("compare-columns-value", 3, "a", "x")]


def test_compare_message_is_bilingual(write_csv):
    import territoria

    descriptor = {"fields": [{"name": "a"}, {"name": "b"}], "custom_checks": CMP("<")}
    error = territoria.validate(str(write_csv("a,b\n3,2\n")), descriptor).tasks[0].errors[0]
    assert error["message_fr"] == "Ligne 2 : la règle a (3) < b (2) n'est pas respectée."
    assert error["message_en"] == "Row 2: the rule a (3) < b (2) does not hold."
    assert error["hint_fr"] and error["hint_en"]


@pytest.mark.parametrize("params, expected", [
    ({"column": "a", "op": "=>", "column2": "b"}, "parameter 'op' must be one of"),
    ({"column": "a", "op": "<"}, "parameter 'column2' is required"),
    ({"column": "a", "op": "<", "column2": "zz"}, "field 'zz' is not in the schema"),
])
def test_compare_bad_params(write_csv, params, expected):
    note = schema_error(write_csv, "a,b\n1,2\n", ["a", "b"], [{"name": "compare-columns-value", "params": params}])
    assert expected in note


def test_an_unknown_parameter_is_ignored_with_a_warning(write_csv):
    """Validata ignores parameters a check does not read; Territoria too, but says so."""
    import territoria

    params = {"column": "a", "op": "<", "column2": "b", "colum3": "b"}
    descriptor = {"fields": [{"name": "a"}, {"name": "b"}], "custom_checks": [{"name": "compare-columns-value",
                                                                              "params": params}]}
    task = territoria.validate(str(write_csv("a,b\n3,2\n")), descriptor).tasks[0]
    assert [e["type"] for e in task.errors] == ["compare-columns-value"]
    [warning] = task.warnings
    assert warning["type"] == "check-parameter-ignored" and "colum3" in warning["message_en"]
    assert "colum3" in warning["message_fr"] and "il a été ignoré" in warning["message_fr"]


def test_absent_column_is_not_a_schema_error(write_csv):
    # the schema declares b but the file lacks it: a missing-label error, and the check is skipped
    import territoria

    descriptor = {"fields": [{"name": "a"}, {"name": "b"}], "custom_checks": CMP("<")}
    task = territoria.validate(str(write_csv("a\n3\n")), descriptor).tasks[0]
    assert not task.could_not_run
    assert [e["type"] for e in task.errors] == ["missing-label"]


def test_cohesive(write_csv):
    checks = [{"name": "cohesive-columns-value", "params": {"column": "a", "othercolumns": ["b", "c"]}}]
    csv = "a,b,c\n1,2,3\n1,,\n,,4\n, ,\n"
    assert findings(write_csv, csv, ["a", "b", "c"], checks) == [
        ("cohesive-columns-value", 3, "a", "1"), ("cohesive-columns-value", 4, "a", "")]
    assert "othercolumns" in schema_error(write_csv, "a\n1\n", ["a"], [
        {"name": "cohesive-columns-value", "params": {"column": "a", "othercolumns": []}}])


def test_sum(write_csv):
    checks = [{"name": "sum-columns-value", "params": {"column": "t", "columns": ["a", "b"]}}]
    fields = [{"name": "t", "type": "integer"}, "a", {"name": "b", "type": "number"}]
    assert findings(write_csv, "t,a,b\n5,2,3\n6,2,3\n,1,1\n", fields, checks) == [("sum-columns-value", 3, "t", "6")]
    assert findings(write_csv, "t,a,b\n0.3,0.1,0.2\n", ["t", "a", "b"], checks) == []  # float tolerance


def test_one_of_required(write_csv):
    for params in ({"column1": "a", "column2": "b"}, {"column": "a", "column2": "b"}):
        checks = [{"name": "one-of-required", "params": params}]
        assert findings(write_csv, "a,b,c\n1,,x\n,2,x\n,,x\n1,2,x\n", ["a", "b", "c"], checks) == [
            ("one-of-required", 4, "a", "")]


def test_year_interval(write_csv):
    csv = "y\n2023/2024\n2024\n2024/2023\nabc\n2024/2024\n"
    only = [{"name": "year-interval-value", "params": {"column": "y", "allow-year-only": "yes"}}]
    assert [f[1] for f in findings(write_csv, csv, ["y"], only)] == [4, 5, 6]
    strict = [{"name": "year-interval-value", "params": {"column": "y"}}]
    assert [f[1] for f in findings(write_csv, csv, ["y"], strict)] == [3, 4, 5, 6]
    assert "allow-year-only" in schema_error(write_csv, csv, ["y"], [
        {"name": "year-interval-value", "params": {"column": "y", "allow-year-only": "maybe"}}])


def test_opening_hours(write_csv):
    checks = [{"name": "opening-hours-value", "params": {"column": "h"}}]
    csv = 'h\n"Mo-Fr 08:00-12:00,13:30-17:00; Sa 09:00-12:00"\n24/7\n24/24\nlundi 9h-12h\n'
    assert findings(write_csv, csv, ["h"], checks) == [
        ("opening-hours-value", 4, "h", "24/24"), ("opening-hours-value", 5, "h", "lundi 9h-12h")]


def test_phone_number(write_csv):
    checks = [{"name": "phone-number-value", "params": {"column": "p"}}]
    csv = "p\n01 23 45 67 89\n+33 1 23 45 67 89\n3949\n+44 20 7946 0958\n12345\n0123\n"
    assert findings(write_csv, csv, ["p"], checks) == [
        ("phone-number-value", 6, "p", "12345"), ("phone-number-value", 7, "p", "0123")]


def test_error_types_are_documented():
    from territoria import checks
    from territoria.rules import RULES as ERROR_TYPES

    checks.load_all()
    codes = ["compare-columns-value", "cohesive-columns-value", "sum-columns-value", "one-of-required",
             "year-interval-value", "opening-hours-value", "phone-number-value", "french-siren-value",
             "french-siret-value", "code-commune-insee", "code-departement", "code-region", "code-postal",
             "code-fantoir", "nomenclature-actes", "french-gps-coordinates", "reversed-french-gps-coordinates",
             "coordinates-in-commune", "unique-combination", "monotonic-series", "time-step-mismatch",
             "time-step-overlap", "time-step-gap", "time-step-too-close", "plausible-variation"]
    for code in codes:
        error_type = ERROR_TYPES[code]
        assert error_type.message_en and error_type.message_fr and error_type.hint_en and error_type.hint_fr, code
    assert ERROR_TYPES["plausible-variation"].severity == "warning"
    for name, cls in checks.CHECKS.items():
        if not name.startswith("test-"):
            assert cls.__doc__, name
