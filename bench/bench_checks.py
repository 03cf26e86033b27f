"""What custom checks cost: one synthetic table validated without, then with, its checks.

Usage::

    python bench/bench_checks.py                 # 1,000,000 rows
    python bench/bench_checks.py --rows 200000 --repeat 1

The table has the columns the row checks read (numbers, dates, a year interval,
SIRET, phone numbers, opening hours, INSEE codes, coordinates, a meter series).
It prints the time without checks, with all row checks, with each check alone,
and the overhead in seconds and percent. Format checks validate each *distinct*
value once; the pools below hold a few thousand distinct values, as real files do.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

FIELDS = [
    {"name": "meter_id", "type": "string"},
    {"name": "start", "type": "datetime"},
    {"name": "end", "type": "datetime"},
    {"name": "index_m3", "type": "number"},
    {"name": "total", "type": "integer"},
    {"name": "part1", "type": "integer"},
    {"name": "part2", "type": "integer"},
    {"name": "budget_year", "type": "string"},
    {"name": "budget_name", "type": "string"},
    {"name": "siret", "type": "string"},
    {"name": "rna", "type": "string"},
    {"name": "phone", "type": "string"},
    {"name": "hours", "type": "string"},
    {"name": "insee_code", "type": "string"},
    {"name": "latitude", "type": "number"},
    {"name": "longitude", "type": "number"},
]

ROW_CHECKS = [
    {"name": "compare-columns-value", "params": {"column": "end", "op": ">", "column2": "start"}},
    {"name": "cohesive-columns-value", "params": {"column": "budget_year", "othercolumns": ["budget_name"]}},
    {"name": "sum-columns-value", "params": {"column": "total", "columns": ["part1", "part2"]}},
    {"name": "one-of-required", "params": {"column1": "siret", "column2": "rna"}},
    {"name": "year-interval-value", "params": {"column": "budget_year", "allow-year-only": "yes"}},
    {"name": "opening-hours-value", "params": {"column": "hours"}},
    {"name": "phone-number-value", "params": {"column": "phone"}},
    {"name": "siret", "params": {"column": "siret"}},
    {"name": "code-commune-insee", "params": {"column": "insee_code", "version": "2024"}},
    {"name": "french-gps-coordinates", "params": {"latitude": "latitude", "longitude": "longitude"}},
    {"name": "coordinates-in-commune", "params": {"latitude": "latitude", "longitude": "longitude", "commune": "insee_code"}},
]
SERIES_CHECKS = [
    {"name": "unique-combination", "params": {"columns": ["meter_id", "start"]}},
    {"name": "monotonic-series", "params": {"key": "meter_id", "column": "index_m3"}},
    {"name": "time-step-consistency", "params": {"key": "meter_id", "start": "start", "end": "end", "time_step": "PT1H"}},
]


def _luhn_siret(rng, n):
    from stdnum.fr import siret

    out = []
    while len(out) < n:
        base = "".join(rng.choice(list("0123456789"), 13))
        for digit in "0123456789":
            if siret.is_valid(base + digit):
                out.append(base + digit)
                break
    return out


def generate(path: str, rows: int, seed: int = 7) -> None:
    from frformat.formats.code_commune_insee_frozenset import CODES_COMMUNES_INSEE_COG_2024

    rng = np.random.default_rng(seed)
    meters = 1000
    meter = np.arange(rows) % meters
    step = np.arange(rows) // meters
    start = np.datetime64("2024-01-01T00:00:00", "s") + step.astype("timedelta64[h]")
    end = start + np.timedelta64(1, "h")
    iso = lambda a: np.char.add(np.datetime_as_string(a, unit="s").astype(str), "Z")  # noqa: E731
    part1 = rng.integers(0, 100, rows)
    part2 = rng.integers(0, 100, rows)
    sirets = np.array(_luhn_siret(rng, 500) + ["12345678901234"])
    phones = np.array([f"0{rng.integers(1, 6)} {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)}"
                       for _ in range(2000)] + ["12345"])
    hours = np.array(["Mo-Fr 08:00-12:00,13:30-17:00", "24/7", "Mo-Sa 09:00-19:00", "Tu-Su 10:00-18:00; PH off", "24/24"])
    communes = np.array(sorted(c for c in CODES_COMMUNES_INSEE_COG_2024 if not c.startswith("97"))[:5000])
    years = np.array(["2023/2024", "2024", "2024/2025", ""])
    year = years[rng.integers(0, len(years), rows)]
    table = pa.table({
        "meter_id": pa.array(np.char.add("M", meter.astype(str))),
        "start": pa.array(iso(start)),
        "end": pa.array(iso(end)),
        "index_m3": pa.array(step * 1.5 + meter),
        "total": pa.array(part1 + part2),
        "part1": pa.array(part1),
        "part2": pa.array(part2),
        "budget_year": pa.array(year),
        "budget_name": pa.array(np.where(year == "", "", "Principal")),
        "siret": pa.array(sirets[rng.integers(0, len(sirets), rows)]),
        "rna": pa.array(np.full(rows, "W123456789")),
        "phone": pa.array(phones[rng.integers(0, len(phones), rows)]),
        "hours": pa.array(hours[rng.integers(0, len(hours), rows)]),
        "insee_code": pa.array(communes[rng.integers(0, len(communes), rows)]),
        "latitude": pa.array(np.round(rng.uniform(43.0, 50.0, rows), 6)),
        "longitude": pa.array(np.round(rng.uniform(-1.0, 7.0, rows), 6)),
    })
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def instrument() -> dict:
    """Wrap every registered check so that the time spent inside it is added up by name."""
    from territoria import checks

    checks.load_all()
    spent: dict = {}

    def wrap(cls, method):
        original = getattr(cls, method)

        def timed_method(self, *args):
            began = time.perf_counter()
            result = list(original(self, *args) or [])
            spent[self.name] = spent.get(self.name, 0.0) + time.perf_counter() - began
            return result

        setattr(cls, method, timed_method)

    defining = {(klass, method) for cls in checks.CHECKS.values() for klass in cls.__mro__
                for method in ("check_batch", "finish") if method in klass.__dict__}
    for klass, method in defining:
        wrap(klass, method)
    return spent


def timed(path: str, checks: list, repeat: int) -> tuple:
    import territoria

    best, report = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        report = territoria.validate(path, {"fields": FIELDS, "custom_checks": checks})
        best = min(best, time.perf_counter() - began)
    task = report.tasks[0]
    assert not task.could_not_run, task.errors[:1]
    return best, task.error_count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--each", action="store_true", help="also time each check alone")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "validator"))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"checks_{args.rows}.csv")
        began = time.perf_counter()
        generate(path, args.rows)
        print(f"{args.rows:,} rows, {os.path.getsize(path) / 1e6:.0f} MB, generated in {time.perf_counter() - began:.1f} s")
        timed(path, ROW_CHECKS + SERIES_CHECKS, 1)  # warm-up: imports, frformat's tables, OS cache
        base, _ = timed(path, [], args.repeat)
        print(f"{'no custom check':32} {base:7.2f} s")
        rows_time, errors = timed(path, ROW_CHECKS, args.repeat)
        print(f"{'all %d row checks' % len(ROW_CHECKS):32} {rows_time:7.2f} s  overhead {rows_time - base:+6.2f} s "
              f"({100 * (rows_time - base) / base:+.0f} %)  errors {errors:,}")
        all_time, errors = timed(path, ROW_CHECKS + SERIES_CHECKS, args.repeat)
        print(f"{'+ %d cross-row checks' % len(SERIES_CHECKS):32} {all_time:7.2f} s  overhead {all_time - base:+6.2f} s "
              f"({100 * (all_time - base) / base:+.0f} %)  errors {errors:,}")
        # the checks' own time, measured inside them (immune to the noise of reading the file)
        spent = instrument()
        timed(path, ROW_CHECKS + SERIES_CHECKS, 1)
        print("time inside each check (check_batch + finish):")
        for check in ROW_CHECKS + SERIES_CHECKS:
            print(f"  {check['name']:30} {spent.pop(check['name'], 0.0):6.2f} s")
        if args.each:
            for check in ROW_CHECKS + SERIES_CHECKS:
                seconds, errors = timed(path, [check], args.repeat)
                print(f"  alone: {check['name']:30} {seconds - base:+6.2f} s  errors {errors:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
