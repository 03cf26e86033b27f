"""The mapping format beyond renames, codes, units and constants, section by section, both ways (where
it acts, and where it must leave the cell as it was), and as hostile input (one line naming the key)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

import territoria
from territoria.cli import main
from territoria.fix.mapping import MappingProblem, load_mapping, mapping_from
from territoria.schema.resolve import resolve_schema

FIELDS = resolve_schema("street-lighting/light_points").table().fields

SCHEMA = {"fields": [
    {"name": "id", "type": "string", "constraints": {"required": True}},
    {"name": "code", "type": "string", "constraints": {"pattern": "^\\d{5}$"}},
    {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b", "none"]}},
    {"name": "height_m", "type": "number", "unit": "m"},
    {"name": "start", "type": "time"},
    {"name": "end", "type": "time"},
    {"name": "basis", "type": "string", "constraints": {"enum": ["no_personal_data", "public_task"]}},
    {"name": "installed", "type": "date"},
]}
PERIODS = {"fields": [
    {"name": "channel", "type": "string"},
    {"name": "start_datetime", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z"},
    {"name": "end_datetime", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z"},
    {"name": "count", "type": "number"},
]}


def _rows(path: Path) -> list:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _fix(tmp_path, text: str, mapping: dict, schema=None, encoding="utf-8"):
    """territoria.fix of ``text`` with ``mapping`` (written as a file beside it): (result, copy rows, log rows)."""
    source = tmp_path / "export.csv"
    source.write_bytes(text.encode(encoding))
    (tmp_path / "mapping.yml").write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    out, log = tmp_path / "copy.csv", tmp_path / "log.csv"
    result = territoria.fix(str(source), schema or SCHEMA, str(out), log=str(log), mapping=str(tmp_path / "mapping.yml"))
    return result, (_rows(out) if out.exists() else []), (_rows(log) if log.exists() else [])


def test_source_header_row_missing_values_and_kept_columns(tmp_path):
    text = ("Inventaire du 03/11/2026;;;;;\n"
            "N°;Code;Type;Haut.;Commentaire;Pose\n"
            "1004;1004;A;8,0;appelé M. D.;15/06/2021\n"
            "PL-7;38 185;NC;-;;NC\n")
    mapping = {"source": {"header_row": 2, "missing_values": ["NC", "-"]},
               "columns": {"N°": "id", "Code": "code", "Type": "kind", "Haut.": "height_m", "Pose": "installed"},
               "drop": ["Commentaire"], "prefix": {"id": "PL-"}, "zero_pad": {"code": 5},
               "decimals": {"height_m": {"max": 2}}}
    result, rows, log = _fix(tmp_path, text, mapping)
    assert [(r["id"], r["code"], r["kind"], r["height_m"], r["installed"]) for r in rows] == [
        ("PL-1004", "01004", "a", "8", "2021-06-15"),
        ("PL-7", "38185", "", "", "")]  # the prefix is not doubled; "38 185": digit-spaces, not padded
    rules = {(r["row"], r["field"]): r["rule"] for r in log}
    assert rules[("3", "id")] == "mapping-prefix" and rules[("3", "code")] == "mapping-zero-pad"
    assert rules[("4", "kind")] == "mapping-missing" and rules[("4", "installed")] == "mapping-missing"
    assert rules[("3", "height_m")] == "decimal-comma+mapping-decimals"
    assert rules[("", "Commentaire")] == "mapping-drop" and rules[("", "")] == "header-row"
    warned = {w["type"] for w in result.report.tasks[0].warnings}
    assert "fix-column-left-out" not in warned  # a dropped column is said in the log, not warned about
    assert "appelé" not in (tmp_path / "copy.csv").read_text(encoding="utf-8")
    # without the mapping's drop, the column is still left out of the copy, and that is a warning
    del mapping["drop"]
    result, _, _ = _fix(tmp_path, text, mapping)
    assert "fix-column-left-out" in {w["type"] for w in result.report.tasks[0].warnings}


def test_split_a_column_into_fields(tmp_path):
    text = "id;Extinction\nA;23h-5h\nB;0h30 - 5h30\nC;\nD;23h\nE;NC\n"
    mapping = {"source": {"missing_values": ["NC"]},
               "split": {"Extinction": {"separator": "-", "into": ["start", "end"]}}}
    result, rows, log = _fix(tmp_path, text, mapping)
    assert [(r["start"], r["end"]) for r in rows] == [("23:00:00", "05:00:00"), ("00:30:00", "05:30:00"),
                                                     ("", ""), ("", ""), ("", "")]
    [warning] = [w for w in result.report.tasks[0].warnings if w["type"] == "fix-split-mismatch"]
    assert "(row 5)" in warning["message_en"] and "2 parts" in warning["message_en"]  # "23h": never guessed
    assert "1 cellule de la colonne « Extinction » ne se découpe pas" in warning["message_fr"]
    assert {"row": "", "field": "start", "before": "Extinction", "after": "start", "rule": "mapping-split"} in log
    assert ("2", "start", "23h", "23:00:00", "french-time") in {tuple(r.values()) for r in log}


def test_unpivot_exclude_shift_and_one_column_into_two_fields(tmp_path):
    text = ("Site : Pont (Nantes);;\n"
            "Date;Nord;Sud\n"
            "29/03/2026 01:00;4;2\n"
            "\n"
            "29/03/2026 03:00;;7\n"
            "Total;4;9\n")
    mapping = {"source": {"header_row": 2, "timezone": "Europe/Paris"}, "exclude": {"Date": ["Total"]},
               "columns": {"Date": ["start_datetime", "end_datetime"]},
               "unpivot": {"value": "count", "columns": {"Nord": {"channel": "N"}, "Sud": {"channel": "S"}}},
               "shift": {"end_datetime": "PT1H"}}
    result, rows, log = _fix(tmp_path, text, mapping, schema=PERIODS)
    assert [tuple(r.values()) for r in rows] == [
        ("N", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "4"),  # an hour when clocks go forward
        ("", "", "", ""),  # the blank row, once
        ("N", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00", ""),  # empty: not measured, not 0
        ("S", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2"),
        ("S", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00", "7")]
    assert [r["row"] for r in log if r["rule"] == "mapping-exclude"] == ["6"]  # once, not once per pass
    assert [r["before"] for r in log if r["rule"] == "mapping-unpivot"] == ["Nord", "Sud"]
    assert result.report.tasks[0].counts_by_type == {"blank-row": 1}


@pytest.mark.parametrize("cell,duration,zone,expected", [
    ("2026-03-28T00:00:00+01:00", "P1D", "Europe/Paris", "2026-03-29T00:00:00+01:00"),
    ("2026-03-29T00:00:00+01:00", "P1D", "Europe/Paris", "2026-03-30T00:00:00+02:00"),  # a day of 23 hours
    ("2026-03-29T00:00:00+01:00", "PT24H", "Europe/Paris", "2026-03-30T01:00:00+02:00"),  # 24 hours elapsed
    ("2026-10-25T01:30:00+02:00", "PT1H", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
    ("2026-10-25T02:30:00+02:00", "PT1H", "Europe/Paris", "2026-10-25T02:30:00+01:00"),  # the repeated hour
    ("2026-03-02T07:00:00Z", "PT1H30M", None, "2026-03-02T08:30:00Z"),
    ("2026-03-02T07:00:00", "PT1H", None, "2026-03-02T08:00:00"),
    ("2026-03-02T07:00:00", "PT1H", "Europe/Paris", None),  # a naive time the zone did not place: unmoved
    ("2026-03-28T02:30:00+01:00", "P1D", "Europe/Paris", None),  # 02:30 does not exist on the 29th
    ("9990-01-01T00:00:00+01:00", "PT9999999999S", None, None),  # beyond the year 9999: unmoved, no traceback
])
def test_shift_moves_calendar_days_and_elapsed_time(cell, duration, zone, expected):
    from zoneinfo import ZoneInfo

    from territoria.fix.steps import duration_of, shift_text

    days, seconds = duration_of(duration)
    assert shift_text(cell, days, seconds, ZoneInfo(zone) if zone else None) == expected


def test_a_date_time_the_shift_cannot_move_keeps_its_source_text(tmp_path):
    text = "channel;Début\nA;25/10/2026 02:30\nB;25/10/2026 04:00\n"  # 02:30 happens twice that night
    mapping = {"source": {"timezone": "Europe/Paris"}, "columns": {"Début": ["start_datetime", "end_datetime"]},
               "shift": {"end_datetime": "PT1H"}}
    result, rows, _ = _fix(tmp_path, text, mapping, schema=PERIODS)
    assert [(r["start_datetime"], r["end_datetime"]) for r in rows] == [
        ("25/10/2026 02:30", "25/10/2026 02:30"), ("2026-10-25T04:00:00+01:00", "2026-10-25T05:00:00+01:00")]
    assert result.exit_status == 1  # the repeated hour stays an error of both columns, never a guess


def test_codes_case_and_conditional_constants(tmp_path):
    text = ("id;Type;Perso;Base\n"
            "a;Sans objet;N;\n"
            "b;a;O;Mission (6.1.e)\n"
            "c;A;O;\n"       # personal data, no legal basis: stays empty (and is not invented)
            "d;B;N;Mission (6.1.e)\n")  # the source's own value is never overwritten
    mapping = {"columns": {"Type": "kind", "Base": "basis"},
               "codes": {"kind": {"Sans objet": ""}, "basis": {"Mission (6.1.e)": "public_task"}},
               "case": {"id": "upper"},
               "constants": {"basis": {"value": "no_personal_data", "when": {"Perso": "N"}}}}
    result, rows, log = _fix(tmp_path, text, mapping)
    assert [(r["id"], r["kind"], r["basis"]) for r in rows] == [
        ("A", "", "no_personal_data"), ("B", "a", "public_task"), ("C", "a", ""), ("D", "b", "public_task")]
    assert ("2", "basis", "", "no_personal_data", "mapping-condition") in {tuple(r.values()) for r in log}
    assert ("2", "kind", "Sans objet", "", "mapping-code") in {tuple(r.values()) for r in log}
    assert "fix-column-left-out" not in {w["type"] for w in result.report.tasks[0].warnings}  # Perso is read


def test_distinct_keeps_the_first_row_of_each_key(tmp_path):
    text = "id;Type\np1;A\nP1;B\np2;A\n\np1;A\n"
    mapping = {"case": {"id": "upper"}, "columns": {"Type": "kind"}, "distinct": "id"}
    result, rows, log = _fix(tmp_path, text, mapping)
    assert [(r["id"], r["kind"]) for r in rows] == [("P1", "a"), ("P2", "a")]  # the blank row is now the last
    assert [(r["row"], r["field"], r["before"]) for r in log if r["rule"] == "mapping-distinct"] == [
        ("3", "id", "P1"), ("6", "id", "P1")]
    assert [r["row"] for r in log if r["rule"] == "trailing-blank-row"] == ["5"]
    assert not any(r["row"] in ("3", "6") and r["rule"] != "mapping-distinct" for r in log)  # not in the copy


def test_the_mapping_names_its_export_and_its_schema(tmp_path, capsys):
    (tmp_path / "export.csv").write_text("N°;Type\n1;A\n", encoding="utf-8")
    (tmp_path / "mapping.yml").write_text(
        "schema: street-lighting/light_points@2.1.0\nsource: {file: export.csv}\nexpected: expected.csv\n"
        "columns: {N°: light_point_id, Type: lamp_technology}\nprefix: {light_point_id: PL-}\n", encoding="utf-8")
    out = tmp_path / "copy.csv"
    assert main(["fix", "--mapping", str(tmp_path / "mapping.yml"), "-o", str(out), "--lang", "en"]) == 1
    assert _rows(out)[0]["light_point_id"] == "PL-1"  # invalid only for the required columns it lacks
    assert main(["fix", "-o", str(out)]) == 2
    assert "give the file to repair" in capsys.readouterr().out


def test_the_format_of_the_tests_mappings_still_reads():
    mapping = load_mapping(str(Path(__file__).parent / "legacy-mapping.yml"), FIELDS)
    assert mapping.columns["TY_LAMPE"] == ["lamp_technology"] and mapping.units == {"power_w": "kW"}


@pytest.mark.parametrize("data,message", [
    ({"source": {"header_row": 0}}, "source/header_row: expected a whole number from 1 to 100"),
    ({"source": {"header_row": "2"}}, "source/header_row: expected a whole number"),
    ({"source": {"sheet": 2}}, "source: unknown key 'sheet'"),
    ({"source": {"timezone": "Mars/Olympus"}}, "source/timezone: 'Mars/Olympus' is not a time zone"),
    ({"source": {"encoding": "klingon"}}, "source/encoding: unknown encoding 'klingon'"),
    ({"source": {"delimiter": ";;"}}, "source/delimiter: a delimiter is one character"),
    ({"source": {"missing_values": [["NC"]]}}, "source/missing_values: expected a text"),
    ({"source": {"file": "/etc/passwd"}}, "source/file: expected a path relative to the mapping's folder"),
    ({"source": {"file": "../../../etc/passwd"}}, "is outside the descriptor's folder"),
    ({"expected": "https://example.org/x.csv"}, "expected: expected a path relative"),
    ({"schema": ["street-lighting"]}, "schema: expected a text"),
    ({"columns": {"X": ["latitude", "nowhere"]}}, "columns/X: 'nowhere' is not a field of the schema"),
    ({"columns": {"X": "latitude", "Y": ["latitude"]}}, "columns/Y: the field latitude is already filled by columns/X"),
    ({"columns": {"D": ["switch_off_start", "switch_off_end"]}, "codes": {"D": {"1": "x"}}},
     "codes/D: the column feeds several fields (switch_off_start, switch_off_end): name the field"),
    ({"columns": {"E": "operator"}, "drop": ["E"]}, "drop/E: the column is also named in columns"),
    ({"split": {"E": {"separator": "-"}}}, "split/E: expected separator"),
    ({"split": {"E": {"separator": "-", "into": ["switch_off_start"]}}}, "split/E/into: expected a list of 2 to 50"),
    ({"split": {"E": {"separator": "-", "into": ["switch_off_start", "dusk"]}}}, "split/E/into: 'dusk' is not a field"),
    ({"split": {"E": {"separator": "", "into": ["switch_off_start", "switch_off_end"]}}},
     "split/E/separator: expected a text of 1 to 200"),
    ({"unpivot": {"value": "power_w"}}, "unpivot: expected value"),
    ({"unpivot": {"value": "power_w", "columns": {"A": {"power_w": "1"}}}},
     "unpivot/columns/A: the field power_w is already filled by unpivot"),
    ({"unpivot": {"value": "power_w", "columns": {"A": {"status": "lit"}}}},
     "unpivot/columns/A/status: 'lit' is not a code of status"),
    ({"exclude": {"Etat": [{"a": 1}]}}, "exclude/Etat: expected a text"),
    ({"distinct": ["nowhere"]}, "distinct/nowhere: neither a field of the schema nor a renamed column"),
    ({"codes": {"status": {"1": ["in_service"]}}}, "codes/status/1: expected a text"),
    ({"constants": {"status": "lit"}}, "constants/status: 'lit' is not a code of status"),
    ({"constants": {"status": {"value": "removed"}}}, "constants/status: a constant is one value, or value and when"),
    ({"constants": {"status": {"value": "removed", "when": {"ETAT": "D"}}, "Etat": "in_service"},
      "columns": {"Etat": "status"}}, "constants/Etat: the field status is already filled by constants/status"),
    ({"case": {"operator": "title"}}, "case/operator: expected upper or lower"),
    ({"case": {"power_w": "upper"}}, "case/power_w: power_w is not a string field"),
    ({"prefix": {"power_w": "W-"}}, "prefix/power_w: power_w is not a string field"),
    ({"zero_pad": {"insee_code": 500}}, "zero_pad/insee_code: expected a whole number from 1 to 64"),
    ({"decimals": {"operator": 2}}, "decimals/operator: operator is not a number field"),
    ({"decimals": {"latitude": {"min": 2}}}, "decimals/latitude: expected a count of decimals, or {max: a count}"),
    ({"decimals": {"latitude": 99}}, "decimals/latitude: expected a whole number from 0 to 15"),
    ({"shift": {"installation_date": "P1D"}}, "shift/installation_date: installation_date is not a date-time field"),
    ({"shift": {"installation_date": "P1M"}}, "shift/installation_date: 'P1M' is not an ISO 8601 duration"),
])
def test_a_wrong_section_is_one_line_naming_its_key(tmp_path, data, message):
    with pytest.raises(MappingProblem) as raised:
        mapping_from(data, FIELDS, "map.yml", folder=str(tmp_path))
    assert message in str(raised.value) and "\n" not in str(raised.value)
    from territoria.rules.notes import french
    from test_french import english_words

    said = french(str(raised.value))
    assert said != str(raised.value) and english_words(said.rsplit(" : ", 1)[-1]) == [], said  # the key is a name


def test_a_hostile_mapping_file_is_refused_in_one_line(tmp_path):
    aliased = tmp_path / "aliases.yml"
    aliased.write_text("a: &a [x, x, x]\nb: &b [*a, *a, *a]\ndrop: [*b, *b, *b]\n", encoding="utf-8")
    with pytest.raises(MappingProblem, match=r"aliases \(\*name\) are not accepted \(line 2\)"):
        load_mapping(str(aliased), FIELDS)
    tagged = tmp_path / "tagged.yml"
    tagged.write_text("columns: !!python/object/apply:os.system [echo owned]\n", encoding="utf-8")
    with pytest.raises(MappingProblem, match="not valid YAML"):
        load_mapping(str(tagged), FIELDS)
    big = tmp_path / "big.yml"
    big.write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(MappingProblem, match="at most 1024 KB"):
        load_mapping(str(big), FIELDS)


def test_a_column_the_mapping_reads_must_be_in_the_source(tmp_path, capsys):
    (tmp_path / "export.csv").write_text("id;Etat\n1;A\n", encoding="utf-8")
    (tmp_path / "mapping.yml").write_text("exclude: {ETAT_OLD: [Test]}\n", encoding="utf-8")
    out = tmp_path / "copy.csv"
    code = main(["fix", str(tmp_path / "export.csv"), "--schema", "street-lighting/light_points", "-o", str(out),
                 "--mapping", str(tmp_path / "mapping.yml"), "--lang", "fr"])
    shown = capsys.readouterr().out
    assert code == 2 and not out.exists()
    assert "exclude/ETAT_OLD : la source n'a pas de colonne « ETAT_OLD »" in shown  # rows to leave out, never copied
