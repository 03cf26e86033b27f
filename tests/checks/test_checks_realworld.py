"""National schemas that declare Validata custom checks validate here with them."""
from __future__ import annotations

import json

import pytest

import territoria
from conftest import SHARED

REALWORLD = SHARED / "realworld"
pytestmark = pytest.mark.skipif(not (REALWORLD / "MANIFEST.json").exists(), reason="shared corpus not available")


def _entries():
    if not (REALWORLD / "MANIFEST.json").exists():
        return []
    return [e for e in json.loads((REALWORLD / "MANIFEST.json").read_text()) if e.get("custom_checks")]


def _examples():
    return [(e["schema"], f, True) for e in _entries() for f in e["valid_examples"]] + \
           [(e["schema"], f, False) for e in _entries() for f in e["invalid_examples"]]


@pytest.mark.parametrize("schema, data, published_valid", _examples())
def test_examples_validate_with_their_checks(schema, data, published_valid):
    task = territoria.validate(str(REALWORLD / data), str(REALWORLD / schema)).tasks[0]
    types = {e["type"] for e in task.errors}
    assert not task.could_not_run and not types & {"schema-error", "internal-error"}, task.errors[:3]
    frictionless = json.loads((REALWORLD / "MANIFEST.json").read_text())
    verdict = next(e for e in frictionless if e["schema"] == schema)["frictionless_verdict"].get(data, {})
    if published_valid and verdict.get("valid"):
        # examples published as valid, that frictionless accepts, pass the custom checks too
        assert task.valid, task.errors[:3]


def _header_only(schema_path):
    descriptor = json.loads(schema_path.read_text())
    return descriptor, ",".join(f["name"] for f in descriptor["fields"]) + "\n"


@pytest.mark.parametrize("schema", sorted({e["schema"] for e in _entries()}))
def test_every_declared_check_builds(schema, write_csv):
    """Each schema's custom_checks are known, with valid parameters (no example needed)."""
    descriptor, header = _header_only(REALWORLD / schema)
    task = territoria.validate(str(write_csv(header)), descriptor).tasks[0]
    assert not task.could_not_run, task.errors[:1]


def test_subventions_spot_checks():
    base = REALWORLD / "betagouv__SCDL-Subvention-DataSubvention"
    task = territoria.validate(str(base / "exemples/exemple_invalide_erreurs_cellules.csv"), str(base / "schema.json")).tasks[0]
    siret = [e for e in task.errors if e["type"] == "french-siret-value"]
    assert siret and all(e["fieldName"] in ("idAttribuant", "idBeneficiaire") for e in siret)
    # "21860194600000" has a wrong Luhn key; "32402138500000.0" is a spreadsheet float
    cells = {e["cell"] for e in siret}
    assert "21860194600000" in cells and "32402138500000.0" in cells
    assert any(e["type"] == "one-of-required" for e in task.errors)


def test_deliberations_checks_on_synthetic_rows(write_csv):
    """SCDL délibérations declares 11 checks and publishes no example: a good row passes, a bad one fails each."""
    descriptor = json.loads((REALWORLD / "datagouv__schema.data.gouv.fr/scdl/deliberations/schema.json").read_text())
    names = [f["name"] for f in descriptor["fields"]]
    good = {"COLL_SIRET": "21860194600013", "BUDGET_ANNEE": "2023/2024", "BUDGET_NOM": "Principal",
            "PREF_DATE": "2024-02-01", "DELIB_DATE": "2024-01-15", "VOTE_EFFECTIF": "30", "VOTE_REEL": "29",
            "VOTE_POUR": "20", "VOTE_CONTRE": "5", "VOTE_ABSTENTION": "4", "DELIB_MATIERE_NOM": "Urbanisme/Droit de préemption"}
    bad = dict(good, COLL_SIRET="21860194600000", BUDGET_ANNEE="2024/2023", BUDGET_NOM="", PREF_DATE="2024-01-01",
               VOTE_REEL="31", DELIB_MATIERE_NOM="Culture/Musées")
    rows = [",".join(row.get(n, "") for n in names) for row in (good, bad)]
    task = territoria.validate(str(write_csv(",".join(names) + "\n" + "\n".join(rows) + "\n")), descriptor).tasks[0]
    custom = {(e["type"], e["rowNumber"]) for e in task.errors if e["type"] not in ("constraint-error", "type-error")}
    assert {row for _, row in custom} == {3}
    assert {t for t, _ in custom} >= {"french-siret-value", "year-interval-value", "cohesive-columns-value",
                                      "compare-columns-value", "sum-columns-value", "nomenclature-actes"}
