"""results.parquet / results.csv, whole or not at all; what a next run may keep; the history."""
from __future__ import annotations

import csv
import json

import pytest

from territoria.audit import results, state
from territoria.audit.listing import Resource


def row(**values) -> dict:
    base = {"key": "k1", "dataset": "Mesures", "organization": "Métropole de Lyon", "resource": "mesures",
            "url": "https://example.org/mesures.csv", "schema": "waste-fill-level/measurements",
            "schema_version": "1.0.0", "status": "invalid", "errors": 2, "warnings": 1,
            "error_types": {"type-error": 2}, "rows": 10, "bytes": None, "seconds": 0.5,
            "checked_at": "2026-12-01T02:00:00Z", "sha256": "ab" * 32, "format": "csv", "declared_schema": "",
            "message": "Ligne 3 : « 12,5 »", "etag": '"x"', "last_modified": "", "revalidated": True,
            "report": "reports/k1.json", "settings": "s"}
    base.update(values)
    return base


def test_results_round_trip_in_both_formats(tmp_path):
    rows = [row(), row(key="k2", status="skipped", error_types={}, errors=0, bytes=12, report="")]
    results.write_results(str(tmp_path), rows)
    back = results.read_results(str(tmp_path))
    assert [r["key"] for r in back] == ["k1", "k2"]
    assert back[0]["error_types"] == '{"type-error": 2}' and back[0]["bytes"] is None and back[1]["bytes"] == 12
    with open(tmp_path / "results.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == [name for name, _ in results.COLUMNS]
    assert json.loads(table[0]["error_types"]) == {"type-error": 2} and table[0]["message"] == "Ligne 3 : « 12,5 »"


def test_a_failed_write_leaves_the_previous_results(tmp_path):
    results.write_results(str(tmp_path), [row()])
    before = (tmp_path / "results.parquet").read_bytes()

    def broken(handle):
        handle.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        results.replace(str(tmp_path / "results.parquet"), broken)
    assert (tmp_path / "results.parquet").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".territoria-")] == []


def test_a_damaged_results_file_means_a_fresh_start(tmp_path):
    (tmp_path / "results.parquet").write_bytes(b"not parquet")
    assert results.read_results(str(tmp_path)) == []


def resource(**values) -> Resource:
    base = dict(key="k1", source="https://example.org/mesures.csv", schema_name="waste-fill-level/measurements",
                schema_version="1.0.0")
    base.update(values)
    return Resource(**base)


def test_a_verdict_is_kept_only_when_nothing_that_made_it_changed(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "k1.json").write_text("{}")
    previous = state.Previous(str(tmp_path), [row(), row(key="k2", status="failed", report="reports/k1.json")])
    assert previous.reusable(resource(), "s")["key"] == "k1"
    assert previous.reusable(resource(), "other settings") is None  # another validator version or bounds
    assert previous.reusable(resource(source="https://example.org/moved.csv"), "s") is None
    assert previous.reusable(resource(schema_version="2.0.0"), "s") is None
    assert previous.reusable(resource(key="k2"), "s") is None  # a failure is always tried again
    assert previous.reusable(resource(key="new"), "s") is None
    (tmp_path / "reports" / "k1.json").unlink()
    assert previous.reusable(resource(), "s") is None  # its report is gone


def test_settings_change_with_the_bounds():
    assert state.settings_of(1000, {}) == state.settings_of(1000, {"limits": {}})
    assert state.settings_of(1000, {}) != state.settings_of(10, {})
    assert state.settings_of(1000, {}) != state.settings_of(1000, {"limits": {"max_fields": 10}})


def test_the_history_grows_by_one_run_per_audit(tmp_path):
    first = [row(), row(key="k2", status="valid"), row(key="k3", status="skipped", schema="", schema_version="")]
    state.append_history(str(tmp_path), first, "2026-11-30T02:00:00Z")
    history = state.append_history(str(tmp_path), [row(status="valid", revalidated=False)], "2026-12-01T02:00:00Z")
    runs = {}
    for line in history:
        runs.setdefault(line["run_at"], []).append(line)
    assert sorted(runs) == ["2026-11-30T02:00:00Z", "2026-12-01T02:00:00Z"]
    [measurements] = [line for line in runs["2026-11-30T02:00:00Z"] if line["schema"]]
    assert (measurements["resources"], measurements["valid"], measurements["invalid"]) == (2, 1, 1)
    assert runs["2026-12-01T02:00:00Z"][0]["revalidated"] == 0
    assert state.read_history(str(tmp_path)) == history
