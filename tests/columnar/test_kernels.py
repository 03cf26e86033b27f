"""The compiled kernels (territoria._kernels) agree with the numpy fallbacks.

Every kernel replaces a numpy function that stays in the package for machines
without a C compiler. Here each one is run against its fallback (the kernels
switched off by setting ``kernels._c`` to None) on random cells built from the
characters that matter to it, and against Python's own parsers; then whole
validations are compared with and without the kernels.
"""
import os
import re
import shutil
from datetime import date, datetime

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

import territoria
from territoria.columnar import kernels
from territoria.fields import _core, _temporal
from territoria.fields.pattern import fixed_width_program, run_fixed_width
from territoria.columnar.hash_table import UInt64Table
from territoria.columnar.keys import _string_hash

pytestmark = pytest.mark.skipif(
    os.environ.get("TERRITORIA_NO_KERNELS") or (
        not kernels.available() and shutil.which("cc") is None and shutil.which("gcc") is None),
    reason="kernels switched off, or no C compiler: the package runs on its numpy fallbacks",
)


def test_the_install_built_the_kernels():
    """With a C compiler at hand, ``pip install`` builds the module (it is optional
    only so that installs without a compiler still work)."""
    assert kernels.available()


def numpy_only(function, *args):
    """``function(*args)`` on the numpy fallbacks."""
    saved = kernels._c
    kernels._c = None
    try:
        return function(*args)
    finally:
        kernels._c = saved


def _cells(texts):
    return pa.array(texts, type=pa.string())


def _sliced(texts):
    """The same cells at a non-zero offset into bigger buffers (a batch slice)."""
    return pa.array(["x" * 7, None] + list(texts) + ["tail"], type=pa.string()).slice(2, len(texts))


def text_from(alphabet, max_size=24):
    return st.one_of(st.none(), st.text(alphabet=alphabet, max_size=max_size))


NUMBERS = st.lists(
    st.one_of(
        text_from("0123456789-.", 30),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.integers(-10**20, 10**20).map(str),
    ),
    max_size=60,
)


@given(NUMBERS)
@settings(max_examples=120, deadline=None)
def test_decimal_is_an_exact_subset_of_the_plain_form(texts):
    for cells in (_cells(texts), _sliced(texts)):
        ok, values = kernels.decimal(cells, fraction=True)
        plain = _core.plain_decimal_mask(cells, fraction=True)
        for i, text in enumerate(texts):
            if ok[i]:
                assert plain[i], text
                assert values[i] == float(text), text
                assert values[i] != 0 or not np.signbit(values[i]), text  # -0 keyed as 0
            elif text is not None and plain[i]:
                all_digits = text.lstrip("-").replace(".", "")
                decimals = len(text.partition(".")[2])
                # only inexact or very long forms are left to the slow path
                assert len(all_digits.lstrip("0")) > 15 or decimals > 22 or len(all_digits) > 19, text


@given(st.lists(st.one_of(text_from("0123456789-+ ", 22), st.integers(-10**19, 10**19).map(str)), max_size=60))
@settings(max_examples=120, deadline=None)
def test_integer_takes_exactly_the_short_signed_digit_strings(texts):
    ok, values = kernels.integer(_sliced(texts))
    for i, text in enumerate(texts):
        expected = text is not None and re.fullmatch(r"-?[0-9]{1,18}", text) is not None
        assert ok[i] == expected, text
        if expected:
            assert values[i] == int(text)


TEMPORAL_CHARS = "0123456789-:T Z+/"
LAYOUTS = ["%Y-%m-%d", "%d/%m/%Y", "%H:%M", "%Y-%m-%dT%H:%M:%S", "%m%Y"]


@pytest.mark.parametrize("layout", LAYOUTS)
@given(data=st.data())
@settings(max_examples=30, deadline=None)
def test_layout_agrees_with_the_numpy_layout(layout, data):
    moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
    texts = data.draw(st.lists(st.one_of(text_from(TEMPORAL_CHARS, 12), moments.map(lambda m: m.strftime(layout))), max_size=40))
    cells = _sliced(texts)
    compiled = _temporal.direct_parts(cells, layout)
    fallback = numpy_only(lambda: _temporal.direct_parts(cells, layout))
    _same_parts(compiled, fallback, texts)
    handled, valid, days = compiled[:3]
    for i, text in enumerate(texts):
        if handled[i] and valid[i]:
            parsed = datetime.strptime(text, layout)
            assert days[i] == (parsed.date() - date(1970, 1, 1)).days


ISO = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))


@pytest.mark.parametrize("time_start", [0, 11])
@given(data=st.data())
@settings(max_examples=40, deadline=None)
def test_iso_agrees_with_the_numpy_iso(time_start, data):
    def iso(moment, zone):
        text = moment.strftime("%Y-%m-%dT%H:%M:%S" if time_start else "%H:%M:%S")
        return text + zone

    zones = st.sampled_from(["", "Z", "+02:00", "-11:30", "+24:00", "+01:60", "z", "+0100"])
    texts = data.draw(st.lists(st.one_of(text_from(TEMPORAL_CHARS, 26), st.builds(iso, ISO, zones)), max_size=40))
    cells = _sliced(texts)
    compiled = _temporal.iso_keys(cells, time_start)
    fallback = numpy_only(lambda: _temporal.iso_keys(cells, time_start))
    _same_parts(compiled, fallback, texts)


def _same_parts(compiled, fallback, texts):
    if fallback is None:  # numpy found no candidate at all
        assert not compiled[0].any()
        return
    handled = compiled[0]
    assert np.array_equal(handled, fallback[0]), texts
    assert np.array_equal(compiled[1], fallback[1]), texts
    for got, expected in zip(compiled[2:], fallback[2:]):
        assert np.array_equal(np.asarray(got)[handled], np.asarray(expected)[handled]), texts


PATTERNS = [r"^LP-\d{9}$", r"^([013-9]\d|2[AB1-9])\d{3}$", r"^[A-Z]{2}\d?$", r"^(?:ab|c.)$", r"^\d{5}$"]


@pytest.mark.parametrize("pattern", PATTERNS)
@given(texts=st.lists(text_from("0123456789ABLP-abc.", 13), max_size=50))
@settings(max_examples=30, deadline=None)
def test_fixed_width_patterns_agree_with_numpy_and_re(pattern, texts):
    program = fixed_width_program(pattern)
    assert program is not None
    cells = _sliced(texts)
    matched = run_fixed_width(program, cells)
    assert np.array_equal(matched, numpy_only(run_fixed_width, program, cells))
    for i, text in enumerate(texts):
        if text is not None:
            assert matched[i] == bool(re.match(pattern, text)), text


@given(st.lists(st.one_of(st.none(), st.text(max_size=40), st.text(max_size=130)), max_size=50))
@settings(max_examples=40, deadline=None)
def test_string_hash_equals_the_numpy_hash(texts):
    cells = _sliced(texts)
    assert np.array_equal(_string_hash(cells), numpy_only(_string_hash, cells))


@given(st.lists(st.tuples(st.integers(0, 2**64 - 1).filter(lambda k: k != 0x9E3779B97F4A7C15), st.integers(0, 2**40)), max_size=300), st.integers(1, 5))  # not the stand-in of key 0
@settings(max_examples=30, deadline=None)
def test_hash_table_kernels_agree_with_the_numpy_rounds(pairs, batches):
    compiled, fallback = UInt64Table(), UInt64Table()
    expected: dict = {}
    for chunk in np.array_split(np.arange(len(pairs)), batches):
        seen = {}
        for i in chunk:  # swap takes distinct keys
            seen[pairs[i][0]] = pairs[i][1]
        keys = np.array(list(seen), dtype=np.uint64)
        values = np.array(list(seen.values()), dtype=np.int64)
        replaced = compiled.swap(keys, values)
        assert np.array_equal(replaced, numpy_only(fallback.swap, keys, values))
        assert list(replaced) == [expected.get(int(k), -1) for k in keys]
        for k, v in seen.items():
            expected[k] = v
    probe = np.array([k for k, _ in pairs] + [12345, 2**63], dtype=np.uint64)
    assert np.array_equal(compiled.get(probe), numpy_only(fallback.get, probe))
    assert len(compiled) == len(fallback)


def test_a_validation_reports_the_same_with_and_without_kernels(tmp_path):
    """Every common form and every kind of broken cell of the fast paths, in a
    file big enough for the parallel engine."""
    rows = ["id,code,lat,power,day,moment,hour,flag"]
    forms = [
        ("LP-000000001", "2A004", "45.5", "12", "2020-02-29", "2020-01-01T10:00:00Z", "10:00:00", "true"),
        ("LP-00000001", "2C004", "45,5", "-3", "2021-02-29", "2020-01-01T24:00:00", "25:00:00", "oui"),
        ("LP-000000003", "75056", "-0", "0012", "2020-13-01", "2020-01-01 10:00:00+02:00", "10:00:00+01:00", "false"),
        ("LP-000000004", "7505", "1e3", "1234567890123456789", "20-01-01", "2020-01-01T10:00:00.5", "10:00", ""),
        ("LP-000000005", "", "0.1000000000000000055511151231257827", "", "", "2020-01-01T10:00", "", "1"),
    ]
    for i in range(21_000):
        row = list(forms[i % len(forms)])
        row[0] = f"LP-{i:09d}" if i % 997 else row[0]
        rows.append(",".join(row))
    path = tmp_path / "forms.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    schema = {"fields": [
        {"name": "id", "type": "string", "constraints": {"unique": True, "pattern": r"^LP-\d{9}$"}},
        {"name": "code", "type": "string", "constraints": {"pattern": r"^([013-9]\d|2[AB1-9])\d{3}$"}},
        {"name": "lat", "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
        {"name": "power", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
        {"name": "moment", "type": "datetime"},
        {"name": "hour", "type": "time"},
        {"name": "flag", "type": "boolean"},
    ], "primaryKey": ["id"]}

    def run():
        report = territoria.validate(str(path), schema=schema, limit_errors=10**6).to_dict()
        report["stats"].pop("seconds", None)
        for task in report["tasks"]:
            task["stats"].pop("seconds", None)
        return report

    with_kernels = run()
    without = numpy_only(run)
    assert with_kernels["stats"]["errors"] > 25_000
    assert with_kernels == without


@given(st.lists(st.integers(0, 40), max_size=200), st.integers(1, 4))
@settings(max_examples=60, deadline=None)
def test_previous_rows_agree_with_and_without_kernels(values, batches):
    """Repeated keys inside a batch: the kernel's ordered pass and the numpy
    sort-based path give every row the last earlier row of its key."""
    from territoria.columnar.keys import SeenKeys

    compiled, fallback = SeenKeys(), SeenKeys()
    hashes = (np.array(values, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x2545F4914F6CDD1D)  # no 0
    for chunk in np.array_split(np.arange(len(values)), batches):
        rows = chunk.astype(np.int64) + 2
        expected = numpy_only(fallback.previous_rows, hashes[chunk], rows)
        assert np.array_equal(compiled.previous_rows(hashes[chunk], rows), expected)


@given(st.lists(text_from("abLEDé01", 4), max_size=50), st.lists(st.text(alphabet="abLEDé01", max_size=4), max_size=20))
@settings(max_examples=60, deadline=None)
def test_index_in_finds_the_first_position_of_each_text(texts, value_set):
    index = kernels.index_in(_sliced(texts), value_set)
    if len(value_set) > kernels.SMALL_SET:
        assert index is None
        return
    for i, text in enumerate(texts):
        expected = value_set.index(text) if text is not None and text in value_set else -1
        assert index[i] == expected, (text, value_set)


@pytest.mark.parametrize("compiled", [True, False])
def test_hash_table_values_widen_beyond_int32(compiled):
    """Row numbers are stored as int32 until one does not fit: then every stored
    value is kept and the new ones too."""
    def run():
        table = UInt64Table()
        keys = np.arange(1, 2001, dtype=np.uint64) * np.uint64(0x2545F4914F6CDD1D)
        table.swap(keys[:1000], np.arange(1000, dtype=np.int64))
        big = np.arange(1000, dtype=np.int64) + 2**40
        assert np.array_equal(table.swap(keys[1000:], big), np.full(1000, -1))
        assert np.array_equal(table.get(keys), np.concatenate([np.arange(1000), big]))
        assert np.array_equal(table.swap(keys[:2], np.array([-2**35, 7])), [0, 1])
        table.swap(np.arange(3000, 20000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15 - 2), np.arange(17000))
        assert np.array_equal(table.get(keys[:3]), [-2**35, 7, 2])
    run() if compiled else numpy_only(run)
