"""Real-world corpus: Territoria's verdicts against frictionless-py 5.21's.

The read-only corpus (``shared/realworld``; env ``TERRITORIA_SHARED`` points
to its parent folder) holds French national schemas with their published data
files; ``MANIFEST.json`` records, for every data file, what frictionless 5.21
reports (``frictionless_verdict``: ``valid`` and the count of each error type).
One test per (entry, data file):

* ``tableschema`` entries: the file validated against the entry's schema;
* ``datapackage`` entries: the verdict is the one of the ``datapackage.json``
  (every resource, foreign keys across resources included), so the package
  itself is validated and the error counts of all its tasks are summed.

Territoria must give the same ``valid`` verdict and the same error count by
type, once the findings of the entry's Validata ``custom_checks`` (which
frictionless ignores, see the corpus README) are set aside. frictionless stops at 1000 errors by default, so when its total reaches
1000 only the error types are compared (each type it found must be found by
Territoria too). Verdicts come from the manifest, never from this file.
"""
from __future__ import annotations

import collections
import json
import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("TERRITORIA_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPUS = SHARED / "realworld"
MANIFEST = CORPUS / "MANIFEST.json"
MAX_BYTES = 5_000_000
FRICTIONLESS_LIMIT = 1000

if not MANIFEST.is_file():
    pytest.skip(f"real-world corpus not found at {CORPUS}", allow_module_level=True)


def _cases():
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    for entry in entries:
        for data_file, verdict in sorted(entry.get("frictionless_verdict", {}).items()):
            yield pytest.param(entry, data_file, verdict, id=f"{entry['id']}::{data_file.split('/', 1)[-1]}")


CASES = list(_cases())


def test_manifest_is_not_empty():
    assert CASES, MANIFEST


@pytest.mark.parametrize("entry, data_file, verdict", CASES)
def test_same_verdict_as_frictionless(entry, data_file, verdict):
    import territoria

    path = CORPUS / data_file
    if not path.is_file():
        pytest.fail(f"the manifest names {data_file}, which is not in the corpus")
    size = path.stat().st_size
    if entry["kind"] == "datapackage":
        size = sum((CORPUS / r).stat().st_size for r in entry.get("resources", []) if (CORPUS / r).is_file())
    if size > MAX_BYTES:
        pytest.skip(f"{data_file}: {size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB cap of this suite")

    if entry["kind"] == "datapackage":
        report = territoria.validate(str(path))
    else:
        report = territoria.validate(str(path), str(CORPUS / entry["schema"]))

    counts = collections.Counter()
    for error in report.errors:
        counts[error.get("type")] += 1
    for task in report.tasks:
        counts.update(task.counts_by_type)
    # Validata custom checks (the entry's ``custom_checks``) are Territoria
    # additions that frictionless ignores: their findings are set aside.
    custom = {name.replace("_", "-") for name in entry.get("custom_checks") or []}
    custom_counts = {t: n for t, n in counts.items() if t.replace("_", "-") in custom}
    counts = {t: n for t, n in counts.items() if t not in custom_counts}
    expected = dict(verdict.get("error_types") or {})
    expected_valid = verdict["valid"]
    if entry["kind"] != "datapackage":
        # Documented divergence (see differential/compare.py): a lone table whose schema
        # references another table is validated without that foreign key, with a warning.
        expected_valid, expected = _reference_without_cross_resource_keys(path, CORPUS / entry["schema"],
                                                                          expected_valid, expected, report)
    valid = not counts

    notes = verdict.get("notes")
    listed = [(e.get("type"), e.get("rowNumber"), e.get("fieldName"), str(e.get("note", ""))[:120])
              for task in report.tasks for e in task.errors[:8]]
    context = (f"\nfrictionless: valid={verdict['valid']} {expected}" + (f" notes={notes}" if notes else "")
               + f"\nterritoria:   valid={valid} {counts}"
               + (f" (custom checks set aside: {custom_counts})" if custom_counts else "")
               + f"\nfirst territoria errors: {listed}")

    assert valid == expected_valid, context
    if sum(expected.values()) >= FRICTIONLESS_LIMIT:
        missing = set(expected) - set(counts)
        assert not missing, f"error types {sorted(missing)} not found" + context
    else:
        assert counts == expected, context


def _reference_without_cross_resource_keys(path, schema_path, valid, expected, report):
    import json

    from differential.compare import without_cross_resource_foreign_keys

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    stripped, changed = without_cross_resource_foreign_keys(schema)
    if not changed:
        return valid, expected
    assert any(w["type"] == "foreign-key-warning" for t in report.tasks for w in t.warnings)
    from frictionless import Resource, Schema

    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(stripped))
    live = resource.validate(limit_errors=FRICTIONLESS_LIMIT)
    live_counts = dict(collections.Counter(e.type for t in live.tasks for e in t.errors))
    return live.valid, live_counts
