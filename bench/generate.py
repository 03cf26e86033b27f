"""Generate a synthetic street-lighting inventory CSV and its Table Schema.

Usage::

    python bench/generate.py --rows 1000000            # bench/data/lighting_1000000.csv
    python bench/generate.py --rows 20 --error-rate 0  # a tiny, valid file
    python bench/generate.py --rows 1000000 --strings-only

The file is written in chunks of ``CHUNK_ROWS`` rows (memory stays bounded
whatever ``--rows`` is: about 100 MB at most), each chunk from its own seeded
generator ``default_rng([seed, chunk_index])``. So the output is deterministic,
and the N-row file is an exact prefix of any larger file with the same seed and
error rate (the frictionless comparison in ``run.py`` relies on this).

About ``error_rate`` (default 0.001, i.e. 0.1 %) of the cells of each column
are replaced by a seeded invalid value (wrong type, out of range, bad pattern,
not in enum, too long, duplicate id, missing required value), so that the
validators have errors to report. Cells are quoted only when needed (RFC 4180), like most
published files. Speed: about 1M rows in 5 s and 10M rows in under a minute.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")
CHUNK_ROWS = 100_000
DEFAULT_SEED = 20240611

INSEE_PATTERN = r"^([013-9]\d|2[AB1-9])\d{3}$"
ID_PATTERN = r"^LP-\d{9}$"
TECHNOLOGIES = ["LED", "SHP", "MH", "CFL", "HPM", "LPS", "IND"]
COMMENTS = [
    "Mât acier galvanisé, crosse simple",
    "Lanterne remplacée après sinistre",
    "Console murale; façade classée",
    "Abaissement de puissance 22h-6h",
    "Détecteur de présence (piétons)",
    "Candélabre de style, quartier historique",
    'Réglage "ULOR" vérifié par le prestataire',
    "Armoire de commande n° 12",
]


def schema(strings_only: bool = False) -> dict:
    """The Table Schema; ``strings_only`` keeps every column as a string.

    The string-only variant keeps the constraints a string field supports
    (required, unique, pattern, enum, maxLength) and drops minimum/maximum.
    """
    fields = [
        {"name": "light_point_id", "type": "string", "title": "Identifiant du point lumineux",
         "constraints": {"required": True, "unique": True, "pattern": ID_PATTERN}},
        {"name": "insee_code", "type": "string", "title": "Code INSEE de la commune",
         "constraints": {"required": True, "pattern": INSEE_PATTERN}},
        {"name": "latitude", "type": "number",
         "constraints": {"required": True, "minimum": -90, "maximum": 90}},
        {"name": "longitude", "type": "number",
         "constraints": {"required": True, "minimum": -180, "maximum": 180}},
        {"name": "power_w", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "lamp_technology", "type": "string", "constraints": {"enum": TECHNOLOGIES}},
        {"name": "installation_date", "type": "date"},
        {"name": "last_maintenance", "type": "datetime"},
        {"name": "remote_management", "type": "boolean"},
        {"name": "colour_temperature_k", "type": "integer",
         "constraints": {"minimum": 1000, "maximum": 10000}},
        {"name": "upward_light_ratio_pct", "type": "number",
         "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "comment", "type": "string", "constraints": {"maxLength": 200}},
    ]
    if strings_only:
        for field in fields:
            field["type"] = "string"
            for key in ("minimum", "maximum"):
                field.get("constraints", {}).pop(key, None)
            if not field.get("constraints"):
                field.pop("constraints", None)
    return {"fields": fields, "missingValues": [""]}


COLUMNS = [f["name"] for f in schema()["fields"]]

# Invalid values injected per column (chosen at random among them).
INVALID = {
    "light_point_id": ["", "LP-12345", "lp-000000001", "<duplicate>"],
    "insee_code": ["2C123", "1234", "000001", "", "20123"],
    "latitude": ["95.5", "n/a", "-91", "48,85", ""],
    "longitude": ["181.2", "abc", "2.35E", "-200"],
    "power_w": ["-5", "12.5", "70W", "cent"],
    "lamp_technology": ["Halogen", "led", "Sodium"],
    "installation_date": ["31/12/2020", "2021-02-30", "2019-13-01", "hier"],
    "last_maintenance": ["yesterday", "2022-14-01T10:00:00Z", "2021-06-01 25:00"],
    "remote_management": ["maybe", "oui", "2"],
    "colour_temperature_k": ["9000.5", "12000", "500", "warm"],
    "upward_light_ratio_pct": ["120.5", "-1", "3%", "x"],
    "comment": ["Très long commentaire " * 12],
}


def _insee_pool() -> np.ndarray:
    departments = [f"{d:02d}" for d in range(1, 96) if d != 20] + ["2A", "2B"]
    departments += ["971", "972", "973", "974", "976"]
    rng = np.random.default_rng(7)
    codes = []
    for dep in departments:
        width = 5 - len(dep)
        for number in rng.choice(10 ** width - 1, size=40, replace=False) + 1:
            codes.append(f"{dep}{number:0{width}d}")
    return np.array(codes, dtype=object)


_POOL = None


def _fmt(values: np.ndarray, decimals: int) -> pa.Array:
    return pc.cast(pa.array(np.round(values, decimals)), pa.string())


def chunk(start: int, n: int, chunk_index: int, seed: int, error_rate: float) -> pa.Table:
    """Rows ``start .. start+n-1`` as a table of string columns."""
    global _POOL
    if _POOL is None:
        _POOL = pa.array(_insee_pool(), pa.string())
    rng = np.random.default_rng([seed, chunk_index])
    ids = pc.binary_join_element_wise(
        "LP-", pc.utf8_lpad(pc.cast(pa.array(np.arange(start, start + n) + 1), pa.string()), 9, "0"), "")
    insee = _POOL.take(pa.array(rng.integers(0, len(_POOL), n)))
    latitude = _fmt(rng.uniform(41.3, 51.1, n), 6)
    longitude = _fmt(rng.uniform(-5.1, 9.6, n), 6)
    power = pc.cast(pa.array(rng.choice([18, 25, 35, 50, 70, 100, 150, 250, 400], n)), pa.string())
    technology = pa.array(np.array(TECHNOLOGIES, dtype=object)[
        rng.choice(len(TECHNOLOGIES), n, p=[.55, .2, .1, .05, .04, .03, .03])], pa.string())
    days = rng.integers(np.datetime64("1985-01-01").astype(int), np.datetime64("2024-06-01").astype(int), n)
    installed = pc.cast(pa.array(days.astype("datetime64[D]")), pa.string())
    seconds = rng.integers(np.datetime64("2015-01-01T00:00:00").astype("datetime64[s]").astype(np.int64),
                           np.datetime64("2024-06-01T00:00:00").astype("datetime64[s]").astype(np.int64), n)
    maintained = pa.array(np.char.add(np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s"), "Z"),
                          pa.string())
    remote = pa.array(np.where(rng.random(n) < 0.3, "true", "false").astype(object), pa.string())
    kelvin = pc.cast(pa.array(rng.choice([1800, 2200, 2700, 3000, 4000, 5000, 6500], n)), pa.string())
    ulr = _fmt(rng.uniform(0, 25, n) * (rng.random(n) < 0.6), 1)
    comment_pick = rng.integers(0, len(COMMENTS), n)
    comment = pa.array(np.where(rng.random(n) < 0.8, "", np.array(COMMENTS, dtype=object)[comment_pick]),
                       pa.string())
    columns = [ids, insee, latitude, longitude, power, technology, installed, maintained, remote,
               kelvin, ulr, comment]
    if error_rate > 0:
        for j, name in enumerate(COLUMNS):
            bad = rng.random(n) < error_rate
            if not bad.any():
                continue
            choices = np.array(INVALID[name], dtype=object)[rng.integers(0, len(INVALID[name]), n)]
            if name == "light_point_id":  # a duplicate: the id of the row before (or a later one)
                dup = (choices == "<duplicate>") & bad
                if dup.any():
                    previous = np.array(ids.to_pylist(), dtype=object)[np.maximum(np.arange(n) - 1, 0)]
                    choices[dup] = previous[dup]
            columns[j] = pc.if_else(pa.array(bad), pa.array(choices, pa.string()), columns[j])
    return pa.Table.from_arrays(columns, names=COLUMNS)


def _quote(column: pa.ChunkedArray) -> pa.Array:
    """RFC 4180 minimal quoting: only cells holding a comma, a quote or a newline."""
    needs = pc.match_substring_regex(column, '[,"\\r\\n]')
    if not pc.any(needs).as_py():
        return column
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, column)


def paths(rows: int, out_dir: str = DATA_DIR, strings_only: bool = False, name: str = "") -> tuple:
    base = name or f"lighting_{rows}"
    csv_path = os.path.join(out_dir, base + ".csv")
    schema_path = os.path.join(out_dir, "lighting.strings.schema.json" if strings_only
                               else "lighting.schema.json")
    return csv_path, schema_path


def write_schema(path: str, strings_only: bool = False) -> str:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(schema(strings_only), handle, ensure_ascii=False, indent=2)
    return path


def generate(rows: int, csv_path: str, *, seed: int = DEFAULT_SEED, error_rate: float = 0.001,
             quiet: bool = False) -> str:
    """Write ``rows`` data rows (plus the header) to ``csv_path``, streaming."""
    os.makedirs(os.path.dirname(csv_path) or ".", exist_ok=True)
    started = time.perf_counter()
    tmp = csv_path + ".part"
    with open(tmp, "w", encoding="utf-8", newline="") as sink:
        sink.write(",".join(COLUMNS) + "\n")
        for index, start in enumerate(range(0, rows, CHUNK_ROWS)):
            table = chunk(start, min(CHUNK_ROWS, rows - start), index, seed, error_rate)
            lines = pc.binary_join_element_wise(*[_quote(c) for c in table.columns], ",")
            sink.write("\n".join(lines.to_pylist()))
            sink.write("\n")
            if not quiet and index % 20 == 19:
                print(f"  generate: {start + table.num_rows:,} rows", file=sys.stderr)
    os.replace(tmp, csv_path)
    if not quiet:
        size = os.path.getsize(csv_path) / 1e6
        print(f"generate: {rows:,} rows, {size:,.1f} MB -> {csv_path} "
              f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return csv_path


def ensure(rows: int, *, strings_only: bool = False, seed: int = DEFAULT_SEED, error_rate: float = 0.001,
           name: str = "", out_dir: str = DATA_DIR, force: bool = False, quiet: bool = False) -> tuple:
    """Generate the CSV (unless it already exists) and write the schema; return both paths."""
    csv_path, schema_path = paths(rows, out_dir, strings_only, name)
    write_schema(schema_path, strings_only)
    stamp = csv_path + ".params.json"
    params = {"rows": rows, "seed": seed, "error_rate": error_rate, "chunk": CHUNK_ROWS}
    current = None
    if os.path.exists(stamp):
        with open(stamp) as handle:
            current = json.load(handle)
    if force or not os.path.exists(csv_path) or current != params:
        generate(rows, csv_path, seed=seed, error_rate=error_rate, quiet=quiet)
        with open(stamp, "w") as handle:
            json.dump(params, handle)
    return csv_path, schema_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--error-rate", type=float, default=0.001, help="fraction of invalid cells per column")
    parser.add_argument("--strings-only", action="store_true", help="write the all-string schema variant")
    parser.add_argument("--name", default="", help="file base name (default lighting_ROWS)")
    parser.add_argument("--out-dir", default=DATA_DIR)
    parser.add_argument("--force", action="store_true", help="regenerate even if the file exists")
    args = parser.parse_args(argv)
    csv_path, schema_path = ensure(args.rows, strings_only=args.strings_only, seed=args.seed,
                                   error_rate=args.error_rate, name=args.name, out_dir=args.out_dir,
                                   force=args.force)
    print(csv_path)
    print(schema_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
