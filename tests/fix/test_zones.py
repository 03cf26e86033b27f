"""``local-time-offset``: naive local date-times get their zone's offset, right on both sides of a
daylight saving change; the hour skipped and the hour repeated are left as they were and reported."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest

import territoria
from territoria.fields import FieldSpec
from territoria.fix.repairs import Context, repair_column, repair_value

ZONED = FieldSpec.from_descriptor({"name": "start", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z"})
DEFAULT = FieldSpec.from_descriptor({"name": "start", "type": "datetime"})
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("cell,expected", [
    ("2024-03-30T23:00:00", "2024-03-30T23:00:00+01:00"),  # winter, the night before the change
    ("2024-03-31T01:59:59", "2024-03-31T01:59:59+01:00"),  # the last second of winter time
    ("2024-03-31T03:00:00", "2024-03-31T03:00:00+02:00"),  # the first of summer time
    ("2024-07-14T12:00:00", "2024-07-14T12:00:00+02:00"),
    ("2024-10-27T01:59:00", "2024-10-27T01:59:00+02:00"),  # before the repeated hour
    ("2024-10-27T03:00:00", "2024-10-27T03:00:00+01:00"),  # after it
    ("15/06/2021 23:00", "2021-06-15T23:00:00+02:00"),  # a French date-time, then its offset
    ("2021-01-15 08:30", "2021-01-15T08:30:00+01:00"),
])
def test_the_offset_is_the_zones_at_that_moment(cell, expected):
    context = Context(timezone=PARIS)
    assert repair_value(cell, ZONED, context)[0] == expected
    assert not context.notes


@pytest.mark.parametrize("cell,kind", [("2024-03-31T02:30:00", "nonexistent"), ("2024-10-27T02:30:00", "ambiguous")])
def test_a_skipped_or_repeated_hour_is_left_and_noted(cell, kind):
    context = Context(timezone=PARIS)
    assert repair_value(cell, ZONED, context) is None
    [(code, name, mask, details)] = [n for n in context.notes if n[3].get("kind") == kind]
    assert code == "fix-ambiguous-local-time" and name == "start" and mask.tolist() == [True]


def test_cells_with_an_offset_and_fields_without_a_zone_are_left():
    context = Context(timezone=PARIS)
    assert repair_value("2024-07-14T12:00:00Z", ZONED, context) is None
    assert repair_value("2024-07-14T12:00:00+00:00", ZONED, context) is None
    # without --timezone: nothing changes, and the field that needs an offset says so
    context = Context()
    assert repair_value("2024-07-14T12:00:00", ZONED, context) is None
    assert [n[0] for n in context.notes] == ["fix-timezone-needed"]
    context = Context()
    assert repair_value("2024-07-14T12:00:00", DEFAULT, context) is None and not context.notes


def test_a_year_of_quarter_hours_matches_zoneinfo_value_by_value():
    """The vectorised path (one offset per local day) against zoneinfo on every value."""
    start = np.datetime64("2024-01-01T00:00:00")
    moments = start + np.arange(0, 366 * 96) * np.timedelta64(15, "m")
    texts = [str(m) for m in moments]
    result = repair_column(pa.array(texts), DEFAULT, Context(timezone=PARIS))
    import datetime as dt

    for text, out in zip(texts, result.cells.to_pylist()):
        moment = dt.datetime.fromisoformat(text)
        early, late = moment.replace(tzinfo=PARIS, fold=0), moment.replace(tzinfo=PARIS, fold=1)
        if early.utcoffset() != late.utcoffset():
            assert out == text
        else:
            assert dt.datetime.fromisoformat(out).utcoffset() == early.utcoffset(), text


def test_end_to_end_with_timezone(tmp_path):
    source = tmp_path / "energy.csv"
    source.write_text("control_cabinet_id;start_datetime;end_datetime;energy_kwh;burning_hours_h\n"
                      "ARM-1;30/03/2024 23:00;31/03/2024 01:00;12,5;2\n"
                      "ARM-1;31/03/2024 01:00;31/03/2024 03:00;6,1;1\n"
                      "ARM-1;27/10/2024 02:30;27/10/2024 04:00;3;1\n", encoding="utf-8")
    out = tmp_path / "energy-fixed.csv"
    result = territoria.fix(str(source), "street-lighting/energy_observations", str(out), timezone="Europe/Paris")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "2024-03-30T23:00:00+01:00,2024-03-31T01:00:00+01:00" in lines[1]
    assert "2024-03-31T01:00:00+01:00,2024-03-31T03:00:00+02:00" in lines[2]
    assert "27/10/2024 02:30,2024-10-27T04:00:00+01:00" in lines[3]  # the repeated hour is left
    task = result.report.tasks[0]
    [warning] = [w for w in task.warnings if w["type"] == "fix-ambiguous-local-time"]
    assert "Europe/Paris" in warning["message_en"] and "4" in warning["message_en"]  # its row
    assert result.exit_status == 1 and task.counts_by_type.get("type-error") == 1
    refused = territoria.fix(str(source), "street-lighting/energy_observations", str(out), timezone="Mars/Olympus")
    assert refused.exit_status == 2 and "Mars/Olympus" in refused.report.tasks[0].errors[0]["message_en"]
