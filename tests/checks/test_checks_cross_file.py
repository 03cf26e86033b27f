"""Cross-file checks: rules comparing a table with another table of its data package."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import territoria
from conftest import REPO, SHARED

DT = {"type": "datetime"}
SKIPPED = "cross-file-check-skipped"

WASTE_CHECK = {"name": "plausible-variation", "params": {
    "key": "container_id", "order_by": "measured_at", "column": "fill_level_pct", "max_drop": 50,
    "reset_resource": "emptyings", "reset_key": "container_id", "reset_time": "emptied_at"}}
MEASUREMENTS = {"fields": [{"name": "container_id"}, {"name": "measured_at", **DT},
                           {"name": "fill_level_pct", "type": "number"}],
                "custom_checks": [WASTE_CHECK]}
EMPTYINGS = {"fields": [{"name": "container_id"}, {"name": "emptied_at", **DT}]}

PERIOD_CHECK = {"name": "period-matches-referenced-time-step", "params": {
    "key": "channel_id", "start": "start_datetime", "end": "end_datetime",
    "resource": "channel", "resource_key": "channel_id", "time_step": "time_step"}}
MEASURE = {"fields": [{"name": "channel_id"}, {"name": "start_datetime", **DT}, {"name": "end_datetime", **DT},
                      {"name": "count", "type": "number"}],
           "custom_checks": [PERIOD_CHECK]}
CHANNEL = {"fields": [{"name": "channel_id"}, {"name": "time_step", "type": "number"}]}


def package(tmp_path, tables: dict) -> str:
    """Write a data package: ``{name: (schema dict, csv text)}``; returns its datapackage.json."""
    resources = []
    for name, (schema, csv) in tables.items():
        (tmp_path / f"{name}.csv").write_text(csv)
        (tmp_path / f"{name}.schema.json").write_text(json.dumps(schema))
        resources.append({"name": name, "path": f"{name}.csv", "schema": f"{name}.schema.json"})
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}))
    return str(tmp_path / "datapackage.json")


def task_of(report, name):
    return next(t for t in report.tasks if t.name == name)


def items(task, warnings=False):
    found = task.warnings if warnings else task.errors
    return [(e["type"], e.get("rowNumber"), e.get("cell")) for e in found]


# -- waste: a fill level may fall only around an emptying ---------------------------------
MEASURED = """container_id,measured_at,fill_level_pct
A,2024-01-01T08:00:00Z,90
B,2024-01-01T08:00:00Z,95
A,2024-01-02T08:00:00Z,10
B,2024-01-02T08:00:00Z,12
A,2024-01-03T08:00:00Z,85
C,2024-01-01T08:00:00Z,80
A,2024-01-04T08:00:00Z,5
C,2024-01-02T08:00:00Z,20
"""
# A emptied between its 1st and 2nd measurement and exactly at its 4th (inclusive bound);
# B's only emptying is at its previous measurement (exclusive bound); C emptied after its drop
EMPTIED = """container_id,emptied_at
A,2024-01-01T12:00:00Z
A,2024-01-04T08:00:00Z
B,2024-01-01T08:00:00Z
C,2024-01-03T08:00:00Z
,2024-01-01T09:00:00Z
"""


def test_drop_without_emptying_warns(tmp_path):
    report = territoria.validate(package(tmp_path, {"measurements": (MEASUREMENTS, MEASURED),
                                                    "emptyings": (EMPTYINGS, EMPTIED)}))
    task = task_of(report, "measurements")
    assert task.errors == [] and report.valid
    assert items(task, warnings=True) == [("plausible-variation", 5, "12"), ("plausible-variation", 9, "20")]


def test_emptying_of_another_container_does_not_excuse(tmp_path):
    emptied = "container_id,emptied_at\nZ,2024-01-01T12:00:00Z\n"
    report = territoria.validate(package(tmp_path, {"measurements": (MEASUREMENTS, MEASURED),
                                                    "emptyings": (EMPTYINGS, emptied)}))
    rows = [row for kind, row, _ in items(task_of(report, "measurements"), warnings=True)]
    assert rows == [4, 5, 8, 9]


def test_waste_rule_in_a_lone_file_is_skipped_with_one_warning(tmp_path):
    (tmp_path / "m.csv").write_text(MEASURED)
    task = territoria.validate(str(tmp_path / "m.csv"), MEASUREMENTS).tasks[0]
    assert task.errors == [] and not task.could_not_run
    assert [w["type"] for w in task.warnings] == [SKIPPED]
    warning = task.warnings[0]
    assert warning["severity"] == "warning"
    assert "plausible-variation" in warning["message_en"] and "alone" in warning["message_en"]
    assert "plausible-variation" in warning["message_fr"] and "seul" in warning["message_fr"]
    assert "emptyings" in warning["message_fr"] and warning["hint_fr"] and warning["hint_en"]


@pytest.mark.parametrize("tables, reason", [
    ({}, "no-resource"),
    ({"emptyings": ({"fields": [{"name": "container_id"}, {"name": "date", **DT}]}, "container_id,date\n")},
     "no-column"),
    ({"emptyings": ({"fields": [{"name": "container_id"}, {"name": "emptied_at"}]}, EMPTIED)}, "unusable"),
])
def test_waste_rule_without_a_usable_emptyings_table(tmp_path, tables, reason):
    report = territoria.validate(package(tmp_path, {"measurements": (MEASUREMENTS, MEASURED), **tables}))
    task = task_of(report, "measurements")
    assert task.errors == [] and [w["type"] for w in task.warnings] == [SKIPPED]
    assert task.warnings[0]["reason"] == reason


def test_unreadable_emptyings_table(tmp_path):
    path = package(tmp_path, {"measurements": (MEASUREMENTS, MEASURED), "emptyings": (EMPTYINGS, EMPTIED)})
    (tmp_path / "emptyings.csv").unlink()
    task = task_of(territoria.validate(path), "measurements")
    assert [(w["type"], w["reason"]) for w in task.warnings] == [(SKIPPED, "unreadable")]


def test_waste_rule_parameters(write_csv):
    from checks_helpers import schema_error

    fields = ["k", {"name": "t", **DT}, {"name": "v", "type": "number"}]
    base = {"key": "k", "column": "v", "max_drop": 50, "reset_resource": "e", "reset_time": "t"}
    no_order = schema_error(write_csv, "k,t,v\n", fields, [{"name": "plausible-variation", "params": base}])
    assert "order_by" in no_order
    orphan = {"key": "k", "column": "v", "max_drop": 50, "reset_time": "t"}
    assert "reset_resource" in schema_error(write_csv, "k,t,v\n", fields, [{"name": "plausible-variation", "params": orphan}])


def test_events_between_matches_brute_force():
    from territoria.checks.cross_file import events_between

    rng = np.random.default_rng(0)
    event_keys = rng.integers(0, 5, 200).astype(np.uint64)
    event_times = rng.integers(0, 100, 200).astype(float)
    keys = rng.integers(0, 7, 500).astype(np.uint64)
    after = rng.integers(0, 100, 500).astype(float)
    upto = after + rng.integers(0, 10, 500)
    expected = [bool(((event_keys == k) & (event_times > a) & (event_times <= u)).any())
                for k, a, u in zip(keys, after, upto)]
    assert events_between(event_keys, event_times, keys, after, upto).tolist() == expected


# -- mobility: a count's period lasts its channel's time step -------------------------------
CHANNELS = """channel_id,time_step
Q,900
N,
D,86400
"""
COUNTS = """channel_id,start_datetime,end_datetime,count
Q,2024-01-01T00:00:00Z,2024-01-01T00:15:00Z,3
Q,2024-01-01T00:15:00Z,2024-01-01T00:45:00Z,5
Q,2024-01-01T00:45:00Z,,2
N,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,1
N,2024-01-01T01:00:00Z,,1
D,2024-03-31T00:00:00+01:00,2024-03-31T23:00:00+01:00,7
D,2024-10-27T00:00:00+02:00,2024-10-28T00:00:00+01:00,7
D,2024-11-01T00:00:00+01:00,2024-11-01T22:00:00+01:00,7
X,2024-01-01T00:00:00Z,,1
"""


def test_period_matches_channel_time_step(tmp_path):
    report = territoria.validate(package(tmp_path, {"measure": (MEASURE, COUNTS), "channel": (CHANNEL, CHANNELS)}))
    task = task_of(report, "measure")
    assert items(task) == [("referenced-time-step-mismatch", 3, "2024-01-01T00:45:00Z"),
                           ("period-end-required", 6, ""),
                           ("referenced-time-step-mismatch", 9, "2024-11-01T22:00:00+01:00")]
    assert task.errors[0]["note"] == "1800 s ≠ 900 s, channel Q"
    assert task.errors[1]["note"] == "channel N"
    assert "pas de temps" in task.errors[0]["message_fr"] and task.errors[1]["hint_en"]
    assert task.warnings == []


def test_period_rule_options(tmp_path):
    check = {"name": PERIOD_CHECK["name"], "params": {**PERIOD_CHECK["params"], "require_end": False,
                                                       "local_days": False}}
    report = territoria.validate(package(tmp_path, {"measure": ({**MEASURE, "custom_checks": [check]}, COUNTS),
                                                    "channel": (CHANNEL, CHANNELS)}))
    assert [row for _, row, _ in items(task_of(report, "measure"))] == [3, 7, 8, 9]


def test_period_rule_in_a_lone_file(write_csv):
    task = territoria.validate(str(write_csv(COUNTS)), MEASURE).tasks[0]
    assert task.errors == [] and [w["type"] for w in task.warnings] == [SKIPPED]
    assert "period-matches-referenced-time-step" in task.warnings[0]["message_en"]


def test_period_rule_parameters(write_csv):
    from checks_helpers import schema_error

    fields = MEASURE["fields"]
    params = dict(PERIOD_CHECK["params"])
    del params["resource"]
    assert "resource" in schema_error(write_csv, COUNTS.splitlines()[0] + "\n", fields, [{"name": PERIOD_CHECK["name"], "params": params}])
    params = {**PERIOD_CHECK["params"], "start": "count"}
    assert "date or datetime" in schema_error(write_csv, COUNTS.splitlines()[0] + "\n", fields, [{"name": PERIOD_CHECK["name"], "params": params}])


# -- the national schema-comptage-mobilites examples pass ------------------------------------
NATIONAL = SHARED / "realworld" / "etalab__schema-comptage-mobilites"


def _latest(use_case: str):
    versions = [p for p in (REPO / "schemas" / use_case).iterdir() if p.is_dir() and p.name[0].isdigit()]
    return max(versions, key=lambda p: tuple(int(x) for x in p.name.split(".")))


@pytest.mark.skipif(not NATIONAL.exists(), reason="shared national corpus not available")
@pytest.mark.parametrize("example", ["exemple-valide", "exemple-valide-eco-compteur"])
def test_national_mobility_examples_pass(tmp_path, example):
    latest = _latest("mobility-counts")
    for name in ("site", "channel"):
        shutil.copy(latest / f"{name}.schema.json", tmp_path)
    measure = json.loads((latest / "measure.schema.json").read_text())
    measure["custom_checks"] = [c for c in measure.get("custom_checks") or [] if c["name"] != PERIOD_CHECK["name"]]
    measure["custom_checks"].append(PERIOD_CHECK)
    (tmp_path / "measure.schema.json").write_text(json.dumps(measure))
    resources = [{"name": name, "path": str(NATIONAL / name / f"{example}.csv"), "schema": f"{name}.schema.json"}
                 for name in ("site", "channel", "measure")]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "national", "resources": resources}))
    task = task_of(territoria.validate(str(tmp_path / "datapackage.json"), trusted=True), "measure")  # our own descriptor
    ours = {"referenced-time-step-mismatch", "period-end-required", SKIPPED}
    assert not [e for e in task.errors + task.warnings if e["type"] in ours]
    assert task.rows > 0
    # the rule did run: break one period and it is caught
    lines = (NATIONAL / "measure" / f"{example}.csv").read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = cells[2]  # end = start
    (tmp_path / "measure.csv").write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    resources[2]["path"] = "measure.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "national", "resources": resources}))
    task = task_of(territoria.validate(str(tmp_path / "datapackage.json"), trusted=True), "measure")  # our own descriptor
    assert [(e["type"], e["rowNumber"]) for e in task.errors if e["type"] in ours] == [
        ("referenced-time-step-mismatch", 2)]
