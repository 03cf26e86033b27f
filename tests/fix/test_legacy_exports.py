"""The catalogue's legacy exports are ``territoria fix``'s test material: every mapping found under
``schemas/<entry>/<version>/examples/legacy/`` repairs its export into the file it names as ``expected``.

"The same" is exact on what a CSV says: the copy and the expected file, read as CSV, have the same header
and the same rows in the same order, every cell the same text, recomputed coordinates included (Lambert 93
→ WGS84 by pyproj, written with the mapping's decimals). Only the bytes of the quoting differ: ``fix``
writes every cell quoted, the catalogue's examples quote only where CSV needs it. The copy then validates
without an error against the entry's table, by itself too, and the export is never modified.
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

import territoria
from territoria.fix.mapping import mapping_schema, mapping_source_file, read_mapping
from territoria.schema.catalogue import catalogue_root, entries

ROOT = Path(catalogue_root())
MAPPINGS = sorted(ROOT.glob("*/*/examples/legacy/mapping*.yml"))


def _csv(path: Path) -> list:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_every_entry_has_a_legacy_export_with_its_mapping():
    latest = {f"{entry.name}/{entry.latest}" for entry in entries()}
    found = {str(path.relative_to(ROOT).parents[2]) for path in MAPPINGS}
    assert latest and latest <= found, f"no legacy export with a mapping for {sorted(latest - found)}"


@pytest.mark.parametrize("mapping", MAPPINGS, ids=[str(p.relative_to(ROOT)) for p in MAPPINGS])
def test_the_legacy_export_is_repaired_into_its_expected_file(mapping, tmp_path):
    folder = str(mapping.parent)
    data = read_mapping(str(mapping))
    source = Path(mapping_source_file(data, str(mapping), folder))
    schema = mapping_schema(data, str(mapping), folder)
    expected = (mapping.parent / data["expected"]).resolve()
    assert source.is_file() and schema and expected.is_file(), "a legacy mapping names its export, table and result"
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out, log = tmp_path / "copy.csv", tmp_path / "log.csv"

    result = territoria.fix(None, None, str(out), mapping=str(mapping), log=str(log))  # all from the mapping

    task = result.report.tasks[0]
    assert result.exit_status == 0 and not task.errors, task.errors[:3]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before, "the export was modified"
    copy, wanted = _csv(out), _csv(expected)
    assert copy[0] == wanted[0], "header"
    assert len(copy) == len(wanted), f"{len(copy) - 1} rows, {len(wanted) - 1} expected"
    for number, (got, row) in enumerate(zip(copy[1:], wanted[1:]), start=2):
        differing = {name: (a, b) for name, a, b in zip(wanted[0], got, row) if a != b}
        assert not differing, f"row {number}: {differing}"
    again = territoria.validate(str(out), schema)
    assert again.valid, again.tasks[0].errors[:3]
    assert result.changes and _csv(log)[0] == ["row", "field", "before", "after", "rule"]  # every change, by rule


def test_the_readme_shows_a_real_mapping():
    """The README's example of the format is a part of the street-lighting mapping, as it is."""
    import re

    import yaml

    from conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```yaml\n(# (schemas/\S+/mapping\.yml)\n.*?)```", text, re.S)
    shown, real = yaml.safe_load(block[0]), read_mapping(str(REPO / block[1]))
    assert shown and set(shown) <= set(real)
    for section, value in shown.items():
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict) and isinstance(real[section].get(key), dict):
                    assert item.items() <= real[section][key].items(), (section, key)
                else:
                    assert real[section].get(key) == item, (section, key)
        else:
            assert real[section] == value, section
