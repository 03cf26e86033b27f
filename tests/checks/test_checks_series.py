"""Cross-row checks: unique combinations, monotonic series, time steps, plausible variations."""
from __future__ import annotations

import pytest

import territoria
from checks_helpers import findings, schema_error

DT = {"type": "datetime"}


def test_unique_combination(write_csv):
    checks = [{"name": "unique-combination", "params": {"columns": ["k", "t"]}}]
    csv = "k,t\na,1\nb,1\na,2\na,1\n,1\n,1\n"
    assert findings(write_csv, csv, ["k", "t"], checks) == [("unique-combination", 5, "k", "a")]
    assert "columns" in schema_error(write_csv, csv, ["k", "t"], [{"name": "unique-combination", "params": {"columns": "k"}}])


def test_unique_combination_across_batches(write_csv):
    rows = "".join(f"m{i % 100},{i}\n" for i in range(300_000))
    descriptor = {"fields": [{"name": "k"}, {"name": "t", "type": "integer"}],
                  "custom_checks": [{"name": "unique-combination", "params": {"columns": ["k", "t"]}}]}
    task = territoria.validate(str(write_csv("k,t\n" + rows + "m5,5\n")), descriptor).tasks[0]
    assert [(e["type"], e["rowNumber"], e["note"]) for e in task.errors] == [("unique-combination", 300_002, "7")]


def test_monotonic_file_order(write_csv):
    checks = [{"name": "monotonic-series", "params": {"key": "k", "column": "v"}}]
    fields = ["k", {"name": "v", "type": "number"}]
    csv = "k,v\na,1\nb,5\na,2\na,2\nb,4\na,1\nc,\nc,3\n"
    assert findings(write_csv, csv, fields, checks) == [("monotonic-series", 6, "v", "4"), ("monotonic-series", 7, "v", "1")]
    strict = [{"name": "monotonic-series", "params": {"key": "k", "column": "v", "direction": "increasing"}}]
    assert [f[1] for f in findings(write_csv, csv, fields, strict)] == [5, 6, 7]


def test_monotonic_across_batches(write_csv):
    rows = "".join(f"m{i % 10},{i}\n" for i in range(300_000))
    descriptor = {"fields": [{"name": "k"}, {"name": "v", "type": "integer"}],
                  "custom_checks": [{"name": "monotonic-series", "params": {"key": "k", "column": "v"}}]}
    task = territoria.validate(str(write_csv("k,v\n" + rows + "m3,5\n")), descriptor).tasks[0]
    assert [(e["type"], e["rowNumber"], e["cell"]) for e in task.errors] == [("monotonic-series", 300_002, "5")]


def test_monotonic_order_by_unsorted_file(write_csv):
    checks = [{"name": "monotonic-series", "params": {"key": "k", "column": "v", "order_by": "t"}}]
    fields = ["k", {"name": "t", **DT}, {"name": "v", "type": "number"}]
    csv = ("k,t,v\na,2024-01-03T00:00:00Z,3\nb,2024-01-01T00:00:00Z,9\na,2024-01-01T00:00:00Z,1\n"
           "a,2024-01-02T00:00:00Z,5\n")
    # sorted by t, a's series is 1, 5, 3: the row holding 3 goes backwards
    assert findings(write_csv, csv, fields, checks) == [("monotonic-series", 2, "v", "3")]


def test_monotonic_timestamps_strictly_increase(write_csv):
    checks = [{"name": "monotonic-series", "params": {"key": "s", "column": "t", "direction": "increasing"}}]
    csv = "s,t\nx,2024-01-01T00:00:00Z\nx,2024-01-01T00:00:00Z\nx,2024-01-01T00:01:00Z\n"
    assert findings(write_csv, csv, ["s", {"name": "t", **DT}], checks) == [("monotonic-series", 3, "t", "2024-01-01T00:00:00Z")]


def test_monotonic_bad_direction(write_csv):
    assert "direction" in schema_error(write_csv, "k,v\na,1\n", ["k", "v"], [
        {"name": "monotonic-series", "params": {"key": "k", "column": "v", "direction": "up"}}])


PERIODS = ["k", {"name": "s", **DT}, {"name": "e", **DT}]


def test_time_step_periods(write_csv):
    checks = [{"name": "time-step-consistency", "params": {"key": "k", "start": "s", "end": "e", "time_step": "PT1H"}}]
    csv = ("k,s,e\na,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z\nb,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z\n"
           "a,2024-01-01T01:00:00Z,2024-01-01T02:00:00Z\na,2024-01-01T03:00:00Z,2024-01-01T04:00:00Z\n"
           "a,2024-01-01T03:30:00Z,2024-01-01T05:00:00Z\na,2024-01-01T05:00:00Z,\n")
    assert findings(write_csv, csv, PERIODS, checks) == [
        ("time-step-mismatch", 6, "e", "2024-01-01T05:00:00Z"),
        ("time-step-overlap", 6, "s", "2024-01-01T03:30:00Z"),
        ("time-step-gap", 5, "s", "2024-01-01T03:00:00Z")]


def test_time_step_valid_series_unsorted(write_csv):
    checks = [{"name": "time-step-consistency", "params": {"key": "k", "start": "s", "end": "e", "time_step": 3600}}]
    csv = ("k,s,e\na,2024-01-01T01:00:00Z,2024-01-01T02:00:00Z\na,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z\n"
           "a,2024-01-01T03:00:00+01:00,2024-01-01T04:00:00+01:00\n")
    assert findings(write_csv, csv, PERIODS, checks) == []


def test_time_step_min_step(write_csv):
    checks = [{"name": "time-step-consistency", "params": {"key": "k", "start": "s", "min_step": "PT1M"}}]
    csv = "k,s\na,2024-01-01T00:00:00Z\nb,2024-01-01T00:00:10Z\na,2024-01-01T00:00:30Z\na,2024-01-01T00:01:30Z\n"
    assert findings(write_csv, csv, ["k", {"name": "s", **DT}], checks) == [("time-step-too-close", 4, "s", "2024-01-01T00:00:30Z")]


@pytest.mark.parametrize("params, expected", [
    ({"start": "s", "time_step": "15 minutes"}, "ISO 8601 duration"),
    ({"start": "s"}, "nothing to check"),
    ({"start": "k", "time_step": 60}, "must be of type date or datetime"),
])
def test_time_step_bad_params(write_csv, params, expected):
    assert expected in schema_error(write_csv, "k,s,e\na,2024-01-01T00:00:00Z,\n", PERIODS,
                                    [{"name": "time-step-consistency", "params": params}])


def test_plausible_variation_is_a_warning(write_csv):
    checks = [{"name": "plausible-variation", "params": {"key": "k", "column": "v", "max_drop": 50}}]
    fields = ["k", {"name": "v", "type": "number"}, {"name": "emptied", "type": "boolean"}]
    csv = "k,v,emptied\na,90,false\na,10,false\na,20,false\nb,95,false\nb,5,true\n"
    assert findings(write_csv, csv, fields, checks) == []
    assert findings(write_csv, csv, fields, checks, warnings=True) == [
        ("plausible-variation", 3, "v", "10"), ("plausible-variation", 6, "v", "5")]
    with_reset = [{"name": "plausible-variation", "params": {"key": "k", "column": "v", "max_drop": 50, "reset_column": "emptied"}}]
    assert findings(write_csv, csv, fields, with_reset, warnings=True) == [("plausible-variation", 3, "v", "10")]


def test_plausible_variation_order_by(write_csv):
    checks = [{"name": "plausible-variation", "params": {"key": "k", "column": "v", "order_by": "t", "max_rise": 30}}]
    fields = ["k", {"name": "t", **DT}, {"name": "v", "type": "number"}]
    csv = "k,t,v\na,2024-01-02T00:00:00Z,80\na,2024-01-01T00:00:00Z,10\n"
    assert findings(write_csv, csv, fields, checks, warnings=True) == [("plausible-variation", 2, "v", "80")]
    assert "max_drop" in schema_error(write_csv, csv, fields, [{"name": "plausible-variation", "params": {"key": "k", "column": "v"}}])
