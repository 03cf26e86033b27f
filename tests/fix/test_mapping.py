"""Legacy exports: a mapping file renames columns, maps codes, converts units and fills constants;
``--suggest-mapping`` drafts one from the header it sees."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

import territoria
from territoria.cli import main
from territoria.fields import FieldSpec
from territoria.fix.mapping import MappingProblem, convert, mapping_from, unit_in_label
from territoria.schema.resolve import resolve_schema

HERE = Path(__file__).parent
LEGACY, MAPPING = HERE / "legacy-export.csv", HERE / "legacy-mapping.yml"
SCHEMA = "street-lighting/light_points"
FIELDS = resolve_schema(SCHEMA).table().fields


def _rows(path: Path) -> list:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_legacy_export_is_repaired_with_its_mapping(tmp_path):
    out, log = tmp_path / "copy.csv", tmp_path / "log.csv"
    result = territoria.fix(str(LEGACY), SCHEMA, str(out), mapping=str(MAPPING), log=str(log))
    assert result.valid, result.report.tasks[0].errors[:3]
    rows = _rows(out)
    assert [r["lamp_technology"] for r in rows] == ["led", "led", "sodium_high_pressure", "metal_halide"]
    assert [r["power_w"] for r in rows] == ["39", "39", "100", "70"]  # kW -> W, exactly
    assert {r["operator"] for r in rows} == {"Ville de Grenoble"}
    assert [r["status"] for r in rows] == ["in_service", "in_service", "in_service", "out_of_service"]
    assert abs(float(rows[0]["latitude"]) - 45.18843) < 1e-6 and abs(float(rows[0]["longitude"]) - 5.72451) < 1e-6
    changes = {(r["row"], r["field"]): r["rule"] for r in _rows(log)}
    assert changes[("2", "power_w")] == "decimal-comma+mapping-unit"
    assert changes[("2", "lamp_technology")] == "mapping-code"
    assert changes[("2", "latitude")] == "lambert93"
    assert changes[("", "operator")] == "mapping-constant"
    # without the mapping: nothing is guessed, the copy keeps the codes and is reported
    bare = territoria.fix(str(LEGACY), SCHEMA, str(tmp_path / "bare.csv"))
    assert bare.exit_status == 1


def test_units_convert_exactly_and_only_within_a_dimension():
    assert convert("0.039", "kW", "W") == "39"
    assert convert("1500", "W", "kW") == "1.5"
    assert convert("20", "Cel", "K") == "293.15" and convert("273.15", "K", "Cel") == "0"
    assert convert("0.25", "1", "%") == "25"
    assert convert("abc", "kW", "W") is None
    assert unit_in_label("Puissance (kW)") == "kW" and unit_in_label("PUISS_KW") == "kW"
    with pytest.raises(MappingProblem, match="cannot convert 'kg' to 'W'"):
        mapping_from({"units": {"power_w": "kg"}}, FIELDS)


@pytest.mark.parametrize("data,message", [
    ([1, 2], "a mapping is a set of sections"),
    ({"colonnes": {}}, "unknown section 'colonnes'"),
    ({"columns": {"X": "no_such_field"}}, "not a field of the schema"),
    ({"codes": {"lamp_technology": {"20": "diode"}}}, "'diode' is not a code of lamp_technology"),
    ({"codes": {"nowhere": {"1": "led"}}}, "neither a field of the schema nor a renamed column"),
    ({"units": {"operator": "kW"}}, "not a number field"),
    ({"units": {"latitude": "km"}}, "declares no unit"),
    ({"constants": {"operator": ["a", "b"]}}, "a constant is one value"),
])
def test_a_wrong_mapping_is_one_line_naming_its_key(data, message):
    with pytest.raises(MappingProblem, match=message):
        mapping_from(data, FIELDS)


def test_a_wrong_mapping_file_stops_the_repair(tmp_path, capsys):
    bad = tmp_path / "map.yml"
    bad.write_text("columns: [unclosed\n", encoding="utf-8")
    assert main(["fix", str(LEGACY), "--schema", SCHEMA, "-o", str(tmp_path / "o.csv"), "--mapping", str(bad)]) == 2
    assert "not valid YAML" in capsys.readouterr().out and not (tmp_path / "o.csv").exists()


def test_the_suggested_mapping_is_a_loadable_draft(tmp_path, capsys):
    draft = tmp_path / "draft.yml"
    assert main(["fix", "--suggest-mapping", str(LEGACY), "--schema", SCHEMA, "-o", str(draft)]) == 0
    text = draft.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert set(data) == {"columns", "codes", "units", "constants"}
    assert data["columns"]["ID_PL"] is None  # unknown names are left to the person who knows
    assert "closest: insee_code" in text and "closest: installation_date" in text  # INSEE, DATE_POSE
    assert "closest: power_w" in text  # PUISS_KW: "puiss" begins the French title's "puissance"
    assert "operator: ~" in text and "(required)" not in text.split("operator")[1].split("\n")[0]
    mapping_from(data, FIELDS)  # loads as it is
    # filled in, it repairs the export; codes and units it found are listed
    data["columns"].update({"ID_PL": "light_point_id", "INSEE": "insee_code", "X_L93": "longitude", "Y_L93": "latitude",
                            "TY_LAMPE": "lamp_technology", "PUISS_KW": "power_w", "ETAT": "status",
                            "DATE_POSE": "installation_date"})
    draft.write_text(yaml.safe_dump(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["fix", "--suggest-mapping", str(LEGACY), "--schema", SCHEMA, "--mapping", str(draft)]) == 0


def test_the_suggestion_lists_unknown_codes_and_units(tmp_path, capsys):
    source = tmp_path / "export.csv"
    source.write_text("Identifiant du point lumineux;Technologie de la source;Puissance (kW);Etat\n"
                      "PL-1;20;0,039;En service\nPL-2;LED;0,1;HS\n", encoding="utf-8")
    fields = [FieldSpec.from_descriptor(dict(f.descriptor, unit="W") if f.name == "power_w" else f.descriptor)
              for f in FIELDS]
    schema = dict(resolve_schema(SCHEMA).table().descriptor, fields=[f.descriptor for f in fields])
    schema.pop("foreignKeys"), schema.pop("custom_checks"), schema.pop("primaryKey")
    schema["fields"] = [dict(f, title="Puissance (kW)") if f["name"] == "power_w" else f for f in schema["fields"]]
    text = territoria.fix.suggest_mapping(str(source), schema)
    data = yaml.safe_load(text)
    assert data["codes"] == {"lamp_technology": {"20": None}, "status": {"HS": None}}  # LED, En service: labels
    assert data["units"] == {"power_w": "kW"}
    assert "light_point_id   # absent" not in text
