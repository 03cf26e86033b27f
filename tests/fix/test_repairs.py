"""Every cell repair rule both ways: where it applies, and where it must not (the cell stays as it was)."""
from __future__ import annotations

import pyarrow as pa
import pytest

from territoria import rules
from territoria.fields import FieldSpec
from territoria.fix.repairs import REPAIRS, Context, for_field, repair_column, repair_value

NUMBER = {"name": "power_w", "type": "number"}
INTEGER = {"name": "colour_temperature_k", "type": "integer"}
PCT = {"name": "upward_light_ratio_pct", "type": "number", "constraints": {"minimum": 0, "maximum": 100}}
DATE = {"name": "installation_date", "type": "date"}
BOUNDED_DATE = {"name": "d", "type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2099-12-31"}}
DATETIME = {"name": "start", "type": "datetime"}
ZONED = {"name": "start", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z"}
TIME = {"name": "switch_off_start", "type": "time"}
BOOLEAN = {"name": "remote_management", "type": "boolean"}
STATUS = {"name": "status", "type": "string", "constraints": {"enum": ["in_service", "out_of_service", "removed"]},
          "enum_labels": {"in_service": {"fr": "En service", "en": "In service"},
                          "out_of_service": {"fr": "Hors service (en panne ou déconnecté)", "en": "Out of service"},
                          "removed": {"fr": "Déposé", "en": "Removed"}}}

KELVIN = {"name": "colour_temperature_k", "type": "integer", "unit": "K"}
LUMENS = {"name": "luminous_flux_lm", "type": "number", "unit": "lm"}
CELSIUS = {"name": "temperature", "type": "number", "unit": "Cel"}
SIREN = {"name": "operator_siren", "type": "string", "constraints": {"pattern": "^\\d{9}$"}}

APPLIES = [
    # (field, cell, repaired, rules)
    (NUMBER, "45,18879", "45.18879", ["decimal-comma"]),
    (NUMBER, " -0,25 ", "-0.25", ["decimal-comma"]),
    (NUMBER, "5 200", "5200", ["thousands-separator"]),
    (NUMBER, "5\u00a0200", "5200", ["thousands-separator"]),
    (NUMBER, "1\u202f234\u202f567", "1234567", ["thousands-separator"]),
    (NUMBER, "1 234,5", "1234.5", ["thousands-separator", "decimal-comma"]),
    (NUMBER, "1.234.567", "1234567", ["thousands-separator"]),
    (NUMBER, "1.234,5", "1234.5", ["thousands-separator", "decimal-comma"]),
    (INTEGER, "3 000", "3000", ["thousands-separator"]),
    (PCT, "12 %", "12", ["percent-sign"]),
    (PCT, "1,5%", "1.5", ["percent-sign", "decimal-comma"]),
    (DATE, "15/06/2021", "2021-06-15", ["french-date"]),
    (DATE, "5/6/2021", "2021-06-05", ["french-date"]),
    (DATE, "15/06/2021 00:00:00", "2021-06-15", ["french-date"]),
    (BOUNDED_DATE, "15/06/21", "2021-06-15", ["short-year-date"]),
    (DATETIME, "15/06/2021 23:00", "2021-06-15T23:00:00", ["french-datetime"]),
    (DATETIME, "15/06/2021 23h05:30", "2021-06-15T23:05:30", ["french-datetime"]),
    (DATETIME, "2021-06-15T23:00", "2021-06-15T23:00:00", ["iso-datetime"]),
    (TIME, "23h00", "23:00:00", ["french-time"]),
    (TIME, "23h", "23:00:00", ["french-time"]),
    (TIME, "9h30", "09:30:00", ["french-time"]),
    (TIME, "23:00", "23:00:00", ["french-time"]),
    (TIME, "9:00:00", "09:00:00", ["french-time"]),
    (BOOLEAN, "oui", "true", ["french-boolean"]),
    (BOOLEAN, "NON", "false", ["french-boolean"]),
    (BOOLEAN, " Vrai ", "true", ["french-boolean"]),
    (BOOLEAN, "faux", "false", ["french-boolean"]),
    (BOOLEAN, "x", "true", ["french-boolean"]),
    (STATUS, "En service", "in_service", ["enum-label"]),
    (STATUS, "in service", "in_service", ["enum-label"]),
    (STATUS, "IN_SERVICE", "in_service", ["enum-label"]),
    (STATUS, "depose", "removed", ["enum-label"]),
    (STATUS, "Hors service (en panne ou déconnecté)", "out_of_service", ["enum-label"]),
    (KELVIN, "3000 K", "3000", ["unit-suffix"]),
    (KELVIN, " 2700K ", "2700", ["unit-suffix"]),
    (LUMENS, "5 200 lm", "5200", ["unit-suffix", "thousands-separator"]),
    (CELSIUS, "12,5 °C", "12.5", ["unit-suffix", "decimal-comma"]),
    (SIREN, "200 046 977", "200046977", ["digit-spaces"]),
    (SIREN, "213\u00a0801\u202f855", "213801855", ["digit-spaces"]),
]

LEFT = [
    # (field, cell): a valid cell, or one no rule may repair with certainty
    (NUMBER, "45.18879"),  # valid
    (NUMBER, "1.234"),  # one point two three four, or a thousand? valid as it is: never touched
    (NUMBER, "1,234,567"),  # an English grouping: not a French export's
    (NUMBER, "12 %"),  # not a percentage field
    (NUMBER, "douze"),
    (INTEGER, "1.234"),  # ambiguous
    (INTEGER, "2,5"),  # an integer has no decimal comma
    ({"name": "n", "type": "number", "decimalChar": ","}, "1 234"),  # the field reads its own way
    ({"name": "n", "type": "number", "bareNumber": False}, "12 %"),
    (DATE, "2021-06-15"),  # valid
    (DATE, "31/02/2021"),  # no such day: the type check refuses the result
    (DATE, "15/06/21"),  # two-digit year, no bounds: two centuries possible
    ({"name": "d", "type": "date", "constraints": {"minimum": "1950-01-01", "maximum": "2099-12-31"}}, "15/06/51"),
    ({"name": "d", "type": "date", "format": "%d/%m/%Y"}, "15/06/2021"),  # its declared form
    (DATETIME, "2021-06-15 23:00:00"),  # the default format reads it
    (DATETIME, "2021-06-15T23:00:00+02:00"),
    (ZONED, "15/06/2021 23:00"),  # no offset and no --timezone: left as it was
    (TIME, "23:00:00"),
    (TIME, "25h00"),
    (TIME, "23h75"),
    (BOOLEAN, "true"),
    (BOOLEAN, "1"),
    (BOOLEAN, "peut-être"),
    ({"name": "b", "type": "boolean", "trueValues": ["O"], "falseValues": ["N"]}, "oui"),
    (STATUS, "in_service"),
    (STATUS, "en panne"),  # no code or label says so
    (STATUS, "ballast"),  # an unknown code stays an error
    ({"name": "insee_code", "type": "string", "constraints": {"pattern": "^([013-9]\\d|2[AB1-9])\\d{3}$"}}, "38000"),
    (KELVIN, "42 W"),  # another unit than the field's: never read as its own
    ({"name": "power_w", "type": "number", "unit": "W"}, "0,042 kW"),  # a conversion is a mapping's units
    (KELVIN, "3000 k"),  # k is not K
    (KELVIN, "K"),
    (SIREN, "200046977"),  # valid
    (SIREN, "200 046 97"),  # eight digits: the pattern refuses it joined too
    ({"name": "phone", "type": "string"}, "04 76 00 00 00"),  # no pattern says what the digits should be
    ({"name": "code", "type": "string", "constraints": {"pattern": "^\\d{3} \\d{3}$"}}, "123 456"),  # valid
]


@pytest.mark.parametrize("descriptor,cell,expected,names", APPLIES, ids=lambda v: str(v)[:30])
def test_the_rule_applies(descriptor, cell, expected, names):
    assert repair_value(cell, descriptor) == (expected, names)


@pytest.mark.parametrize("descriptor,cell", LEFT, ids=lambda v: str(v)[:30])
def test_the_rule_must_not_apply(descriptor, cell):
    assert repair_value(cell, descriptor) is None


def test_every_rule_is_documented_and_tested_both_ways():
    for_field(FieldSpec.from_descriptor(NUMBER))  # loads the modules
    tested = {name for *_, names in APPLIES for name in names} | {"local-time-offset"}  # zones: test_zones.py
    assert {r.name for r in REPAIRS} <= tested
    for repair in REPAIRS:
        assert len(repair.doc) > 80, repair.name


def test_a_column_is_repaired_in_one_pass_and_missing_values_are_never_touched():
    spec = FieldSpec.from_descriptor({"name": "power_w", "type": "number"})
    cells = pa.array(["1,5", "", None, "NA", "2", "3,25", "abc"], pa.string())
    result = repair_column(cells, spec, Context(), missing=["", "NA"])
    assert result.cells.to_pylist() == ["1.5", "", None, "NA", "2", "3.25", "abc"]
    assert result.changed().tolist() == [True, False, False, False, False, True, False]
    assert result.rule_names(result.changed().nonzero()[0]).to_pylist() == ["decimal-comma", "decimal-comma"]


def test_a_repair_the_type_check_refuses_is_put_back():
    spec = FieldSpec.from_descriptor({"name": "n", "type": "integer"})
    result = repair_column(pa.array(["1.234,5", "1.234.567"]), spec)
    assert result.cells.to_pylist() == ["1.234,5", "1234567"]


def test_hints_are_the_repairs_one_value_form():
    """The validator's hint and the fix's change come from the same definition."""
    for descriptor, cell, expected, names in APPLIES:
        finding = {"type": "type-error" if descriptor is not STATUS else "constraint-error", "cell": cell,
                   "rowNumber": 2, "fieldName": descriptor["name"], "constraint": "enum"}
        rules.describe(finding, descriptor)
        assert finding["repair"] == "+".join(names), cell
        assert finding["hint_en"].endswith(expected) and finding["hint_fr"].endswith(expected), finding
    kept = rules.describe({"type": "type-error", "cell": "45,18879", "rowNumber": 4, "fieldName": "latitude"},
                          {"type": "number"})
    assert kept["hint_fr"] == "le séparateur décimal attendu est le point : 45.18879"
    plain = rules.describe({"type": "type-error", "cell": "douze", "rowNumber": 4, "fieldName": "n"}, {"type": "number"})
    assert "repair" not in plain and plain["hint_en"] == rules.get("type-error").hint_en


@pytest.mark.parametrize("descriptor,values", [
    (NUMBER, ["45,2", "5 200", "12", "", "douze", "1.234"]),
    (BOOLEAN, ["oui", "non", "x", "", "true", "peut-être"]),
    (DATE, ["15/06/2021", "15/06/21", "31/02/2021", "2021-06-15"]),
    ({"name": "start", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z"},
     ["2024-10-27T02:30:00", "2024-03-30T23:00:00", "15/06/2021 23:00", "2024-03-31T02:30:00"]),
])
def test_a_repetitive_column_is_repaired_by_distinct_value_with_the_same_result(descriptor, values, monkeypatch):
    """Codes, times, booleans repeat: their repairs run once per distinct value; cells, rules and notes
    are those of the cell-by-cell run."""
    from zoneinfo import ZoneInfo

    import territoria.fix.repairs as repairs

    spec = FieldSpec.from_descriptor(descriptor)
    cells = pa.array([values[i % len(values)] for i in range(5000)], pa.string())
    zone = ZoneInfo("Europe/Paris")
    by_distinct, context = repair_column(cells, spec, Context(timezone=zone)), Context(timezone=zone)
    assert repairs._repetitive(cells)
    monkeypatch.setattr(repairs, "SAMPLE", 10 ** 9)  # no column is repetitive enough: cell by cell
    by_cell = repair_column(cells, spec, context)
    assert by_distinct.cells.equals(by_cell.cells)
    assert (by_distinct.bits == by_cell.bits).all()
    again = Context(timezone=zone)
    monkeypatch.setattr(repairs, "SAMPLE", 2048)
    repair_column(cells, spec, again)
    assert [(c, n, m.tolist(), d) for c, n, m, d in again.notes] == [(c, n, m.tolist(), d) for c, n, m, d in context.notes]


def test_a_code_list_longer_than_the_lookup_bound_is_matched_exactly_only(monkeypatch):
    """A 1M-value enum (a list of SIRENs, say) would cost seconds and hundreds of MB to normalise, for a
    hint nobody needs: past the bound, a code in another case is left as it is (and stays an error)."""
    from territoria.fix.repairs import codes

    many = {"name": "code", "type": "string", "constraints": {"enum": ["in_service", "removed", "other"]}}
    assert repair_value("IN_SERVICE", many) == ("in_service", ["enum-label"])
    monkeypatch.setattr(codes, "LOOKUP_MAX_CODES", 2)
    monkeypatch.setattr(codes, "_PER_FIELD", {})
    assert repair_value("IN_SERVICE", dict(many)) is None
    short = {"name": "code", "type": "string", "constraints": {"enum": ["in_service", "removed"]}}
    assert repair_value("IN_SERVICE", short) == ("in_service", ["enum-label"])  # at the bound: still matched


def test_the_summary_of_a_copy_counts_its_cells_in_words():
    one = rules.describe({"type": "fix-summary", "changes": [{"rule": "decimal-comma", "count": 1, "scope": "cell"}]})
    assert "1 cellule modifiée (" in one["message_fr"] and "1 cell changed (" in one["message_en"]
    many = rules.describe({"type": "fix-summary", "changes": [{"rule": "french-date", "count": 3, "scope": "cell"}]})
    assert "3 cellules modifiées (" in many["message_fr"] and "3 cells changed (" in many["message_en"]


@pytest.mark.parametrize("code", ["fix-timezone-needed", "fix-split-mismatch", "fix-ambiguous-year",
                                  "fix-ambiguous-local-time"])
def test_what_a_repair_left_is_said_in_the_singular_and_in_the_plural(code):
    finding = {"fieldName": "c", "parts": 2, "separator": "-", "timezone": "Europe/Paris", "kind": "ambiguous"}
    one = rules.describe({**finding, "type": code, "count": 1, "rows": "4"})
    many = rules.describe({**finding, "type": code, "count": 3, "rows": "4, 9, 12"})
    for words in (one["message_en"], one["message_fr"], many["message_en"], many["message_fr"]):
        assert "(s)" not in words, words
    assert "(row 4)" in one["message_en"] and "(ligne 4)" in one["message_fr"] and " elle " not in many["message_fr"]
    assert "(rows 4, 9, 12)" in many["message_en"] and "(lignes 4, 9, 12)" in many["message_fr"]
    assert " they " not in one["message_en"] and " elles " not in one["message_fr"]
