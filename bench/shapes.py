"""The data of every shape the benchmark measures, generated once into ``bench/data/``.

Each shape is the street-lighting inventory of ``generate.py`` (or a table of its own
where the shape needs other columns), written the way users bring it:

* ``parquet``: typed columns (float64, int64, date32, timestamp[UTC], bool, text);
  cells the CSV has as unreadable text carry a typed out-of-range value instead
  (Parquet has one type per column), and no column but text has nulls: frictionless
  reads Parquet through pandas, where a null integer becomes NaN, a documented
  divergence the benchmark keeps out of its verdict comparison;
* ``ndjson``: one JSON object per row, numbers and booleans as JSON values, the
  unreadable cells as JSON strings (so that type errors stay);
* ``xlsx``: typed cells, written by openpyxl's write-only mode, which writes no
  ``<dimension>`` tag (the sheet a reader cannot size without scanning it);
* ``gzip``: the CSV, gzip'ed;
* ``strings``: free text, ``email``, ``uri``, ``uuid``, ``binary`` and two patterns;
* ``keys``: a unique identifier and a composite primary key (site, time);
* ``errors``: the lighting CSV with 30 % of its cells broken;
* ``many``: 200 files of 20 rows.

Every generator writes in chunks of ``generate.CHUNK_ROWS`` rows from a seeded
generator per chunk (memory stays bounded, the N-row file is a prefix of bigger
ones, so frictionless can be timed on a prefix), and skips files that exist with the
same parameters (a ``.params.json`` stamp beside each).
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import generate

DATA_DIR = generate.DATA_DIR
CHUNK = generate.CHUNK_ROWS


def _fresh(path: str, params: dict) -> bool:
    """Whether ``path`` exists, made with ``params``."""
    stamp = path + ".params.json"
    if not os.path.exists(path) or not os.path.exists(stamp):
        return False
    with open(stamp, encoding="utf-8") as handle:
        return json.load(handle) == params


def _stamp(path: str, params: dict) -> None:
    with open(path + ".params.json", "w", encoding="utf-8") as handle:
        json.dump(params, handle)


def _schema(name: str, descriptor: dict) -> str:
    path = os.path.join(DATA_DIR, name)
    os.makedirs(DATA_DIR, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(descriptor, handle, ensure_ascii=False, indent=2)
    return path


def _chunks(rows: int, seed: int, error_rate: float):
    for index, start in enumerate(range(0, rows, CHUNK)):
        yield generate.chunk(start, min(CHUNK, rows - start), index, seed, error_rate)


# --------------------------------------------------------------------------- typed lighting

#: typed columns: name -> (arrow type, out-of-range stand-in for a cell that does not parse)
TYPED = {
    "latitude": (pa.float64(), 95.5),
    "longitude": (pa.float64(), -200.0),
    "power_w": (pa.int64(), -5),
    "installation_date": (pa.date32(), None),
    "last_maintenance": (pa.timestamp("s", tz="UTC"), None),
    "remote_management": (pa.bool_(), None),
    "colour_temperature_k": (pa.int64(), 12000),
    "upward_light_ratio_pct": (pa.float64(), 120.5),
}


_FILLER = {"double": "0", "int64": "0", "bool": "false", "date32[day]": "2000-01-01"}


def _parses(text: str, kind: pa.DataType) -> bool:
    try:
        pa.array([text]).cast(kind)
        return True
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False


def typed_chunk(table: pa.Table) -> tuple:
    """(typed table, {column: mask of the cells that did not parse}) of a string chunk:
    an empty cell becomes the type's filler, a cell that does not parse (one of
    ``generate.INVALID``) its column's out-of-range stand-in (or the filler)."""
    columns, broken = [], {}
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        if name in TYPED:
            kind, stand_in = TYPED[name]
            filler = _FILLER.get(str(kind), "2000-01-01T00:00:00Z")
            unparsable = [t for t in generate.INVALID[name] if t and not _parses(t, kind)]
            bad = pc.is_in(column, value_set=pa.array(unparsable or ["\0"], pa.string()))
            text = pc.if_else(pc.or_(bad, pc.equal(column, "")), filler, column)
            column = text.cast(kind)
            if stand_in is not None:
                column = pc.if_else(bad, pa.scalar(stand_in, kind), column)
            broken[name] = bad.to_numpy(zero_copy_only=False)
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names), broken


def ensure_parquet(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.001) -> tuple:
    """The lighting inventory as Parquet, and the same rows as CSV (for the ratio)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = os.path.join(DATA_DIR, f"lighting_{rows}.parquet")
    twin = os.path.join(DATA_DIR, f"lighting_{rows}.parquet.csv")
    params = {"rows": rows, "seed": seed, "error_rate": error_rate, "chunk": CHUNK, "v": 2}
    _, schema = generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
    if not (_fresh(path, params) and os.path.exists(twin)):
        writer = None
        with open(twin + ".part", "wb") as sink:
            for number, table in enumerate(_chunks(rows, seed, error_rate)):
                typed, _ = typed_chunk(table)
                if writer is None:
                    writer = pq.ParquetWriter(path + ".part", typed.schema)
                writer.write_table(typed, row_group_size=CHUNK)
                text = pa.Table.from_arrays([_as_text(c) for c in typed.columns], names=typed.column_names)
                pacsv.write_csv(text, sink, write_options=pacsv.WriteOptions(include_header=number == 0))
        writer.close()
        os.replace(path + ".part", path)
        os.replace(twin + ".part", twin)
        _stamp(path, params)
    return path, twin, schema


def _as_text(column) -> pa.Array:
    """A typed column as the text a CSV of the same data holds."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_timestamp(column.type):
        return pc.strftime(column, "%Y-%m-%dT%H:%M:%SZ")
    if pa.types.is_boolean(column.type):
        return pc.if_else(column, "true", "false")
    if pa.types.is_floating(column.type):
        # whole floats as frictionless writes them back ("3", not "3.0") would not
        # change the verdict: the CSV keeps pyarrow's text
        return pc.cast(column, pa.string())
    return pc.cast(column, pa.string())


# --------------------------------------------------------------------------- NDJSON

def _json_text(column: pa.Array) -> pa.Array:
    """Each value of a string column as a JSON string literal (null as ``null``)."""
    escaped = pc.replace_substring(pc.replace_substring(column, "\\", "\\\\"), '"', '\\"')
    quoted = pc.binary_join_element_wise('"', escaped, '"', "")
    return pc.fill_null(quoted, "null")


def ensure_ndjson(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.001) -> tuple:
    """The lighting inventory as NDJSON: typed values, unreadable cells as strings."""
    path = os.path.join(DATA_DIR, f"lighting_{rows}.ndjson")
    params = {"rows": rows, "seed": seed, "error_rate": error_rate, "chunk": CHUNK, "v": 2}
    _, schema = generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
    if not _fresh(path, params):
        with open(path + ".part", "w", encoding="utf-8") as sink:
            for table in _chunks(rows, seed, error_rate):
                typed, broken = typed_chunk(table)
                parts = []
                for name in table.column_names:
                    raw = table.column(name).combine_chunks()
                    text = _json_text(pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), raw))
                    if name in TYPED:
                        value = typed.column(name).combine_chunks()
                        if pa.types.is_boolean(value.type):
                            literal = pc.if_else(value, "true", "false")
                        elif pa.types.is_floating(value.type) or pa.types.is_integer(value.type):
                            literal = pc.cast(value, pa.string())
                        else:
                            literal = text  # dates stay JSON strings
                        literal = pc.if_else(pc.equal(raw, ""), "null", literal)
                        text = pc.if_else(pa.array(broken[name]), text, literal)
                    parts.append(pc.binary_join_element_wise(f'"{name}":', text, ""))
                lines = pc.binary_join_element_wise("{", pc.binary_join_element_wise(*parts, ","), "}", "")
                sink.write("\n".join(lines.to_pylist()))
                sink.write("\n")
        os.replace(path + ".part", path)
        _stamp(path, params)
    return path, schema


# --------------------------------------------------------------------------- XLSX

def ensure_xlsx(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.001) -> tuple:
    """The lighting inventory as an XLSX sheet without a ``<dimension>`` tag."""
    from openpyxl import Workbook

    path = os.path.join(DATA_DIR, f"lighting_{rows}.xlsx")
    params = {"rows": rows, "seed": seed, "error_rate": error_rate, "chunk": CHUNK, "v": 1}
    _, schema = generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
    if not _fresh(path, params):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("inventory")
        sheet.append(generate.COLUMNS)
        for table in _chunks(rows, seed, error_rate):
            typed, broken = typed_chunk(table)
            columns = []
            for name in table.column_names:
                raw = table.column(name).to_pylist()
                if name in TYPED:
                    values = typed.column(name).to_pylist()
                    bad = broken[name]
                    values = [r if (b or r == "") else v for r, v, b in zip(raw, values, bad)]
                    if name == "last_maintenance":
                        values = [v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in values]
                    columns.append(values)
                else:
                    columns.append(raw)
            for row in zip(*columns):
                sheet.append([None if v == "" else v for v in row])
        book.save(path + ".part")
        os.replace(path + ".part", path)
        _stamp(path, params)
    return path, schema


# --------------------------------------------------------------------------- gzip

def ensure_gzip(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.001) -> tuple:
    source, schema = generate.ensure(rows, seed=seed, error_rate=error_rate)
    path = os.path.join(DATA_DIR, f"lighting_{rows}.csv.gz")
    params = {"rows": rows, "seed": seed, "error_rate": error_rate, "chunk": CHUNK, "v": 1}
    if not _fresh(path, params):
        with open(source, "rb") as plain, gzip.open(path + ".part", "wb", compresslevel=6) as packed:
            shutil.copyfileobj(plain, packed, 1 << 20)
        os.replace(path + ".part", path)
        _stamp(path, params)
    return path, source, schema


# --------------------------------------------------------------------------- string-heavy

STRINGS_SCHEMA = {
    "fields": [
        {"name": "ticket_id", "type": "string",
         "constraints": {"required": True, "unique": True, "pattern": "^TK-[0-9]{8}$"}},
        {"name": "email", "type": "string", "format": "email"},
        {"name": "website", "type": "string", "format": "uri"},
        {"name": "device_uuid", "type": "string", "format": "uuid"},
        {"name": "payload", "type": "string", "format": "binary"},
        {"name": "phone", "type": "string", "constraints": {"pattern": "^0[1-9](?:[0-9]{2}){4}$"}},
        {"name": "postcode", "type": "string", "constraints": {"pattern": "^(?:[0-8][0-9]|9[0-8])[0-9]{3}$"}},
        {"name": "description", "type": "string", "constraints": {"maxLength": 160}},
    ],
    "missingValues": [""],
}
_WORDS = ("lampadaire", "armoire", "capteur", "conteneur", "compteur", "voirie", "quartier", "mairie",
          "panne", "remplacement", "intervention", "réglage", "éclairage", "borne", "réseau", "école")
_HOSTS = ("grenoble.fr", "data.metropole.fr", "ville-de-lyon.fr", "example.org", "opendata.paris.fr")
_NAMES = ("jean.dupont", "marie", "contact", "service.technique", "e.martin", "dsi-data", "voirie_2")


def strings_chunk(start: int, n: int, index: int, seed: int, error_rate: float) -> pa.Table:
    rng = np.random.default_rng([seed, 17, index])
    ids = np.char.add("TK-", np.char.zfill((np.arange(start, start + n) + 1).astype(str), 8))
    names = np.array(_NAMES)[rng.integers(0, len(_NAMES), n)]
    hosts = np.array(_HOSTS)[rng.integers(0, len(_HOSTS), n)]
    numbers = rng.integers(0, 1000, n).astype(str)
    email = np.char.add(np.char.add(np.char.add(names, numbers), "@"), hosts)
    paths = np.array(["/donnees/", "/api/v1/points/", "/fr/eclairage?id=", "/"])[rng.integers(0, 4, n)]
    uri = np.char.add(np.char.add(np.char.add("https://", hosts), paths), numbers)
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    hexes = np.array([r.tobytes().hex() for r in raw])
    uuid = np.array([f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}" for h in hexes])
    import base64

    payload = np.array([base64.b64encode(r[: 3 + (k % 10)].tobytes()).decode() for k, r in enumerate(raw)])
    phone = np.char.add("0", np.char.add(rng.integers(1, 10, n).astype(str),
                                         np.char.zfill(rng.integers(0, 10 ** 8, n).astype(str), 8)))
    postcode = np.char.zfill(rng.integers(1000, 98000, n).astype(str), 5)
    word_pick = rng.integers(0, len(_WORDS), size=(n, 6))
    words = np.array(_WORDS)[word_pick]
    description = np.array([" ".join(w) for w in words])
    description[rng.random(n) < 0.3] = ""
    columns = {"ticket_id": ids, "email": email, "website": uri, "device_uuid": uuid, "payload": payload,
               "phone": phone, "postcode": postcode, "description": description}
    invalid = {"ticket_id": ["TK-1234", "tk-00000001", ""], "email": ["jean.dupont@", "marie at mairie.fr", "a@b"],
               "website": ["www.grenoble.fr", "grenoble.fr/donnees", "://x"],
               "device_uuid": ["1234-5678", "not-a-uuid", "g" * 32], "payload": ["abc", "Zm9v=", "A"],
               "phone": ["+33 4 76 00 00 00", "0476", "06.12.34.56.78"], "postcode": ["2A000", "99000", "750"],
               "description": ["é" * 200]}
    out = []
    for name, values in columns.items():
        values = values.astype(object)
        bad = rng.random(n) < error_rate
        if bad.any():
            choices = np.array(invalid[name], dtype=object)
            values[bad] = choices[rng.integers(0, len(choices), int(bad.sum()))]
        out.append(pa.array(values, pa.string()))
    return pa.Table.from_arrays(out, names=list(columns))


def ensure_strings(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.001) -> tuple:
    return _ensure_csv("strings", rows, strings_chunk, STRINGS_SCHEMA, seed, error_rate)


# --------------------------------------------------------------------------- keys

KEYS_SCHEMA = {
    "fields": [
        {"name": "reading_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "site", "type": "string", "constraints": {"required": True}},
        {"name": "measured_at", "type": "datetime", "constraints": {"required": True}},
        {"name": "value", "type": "number"},
    ],
    "primaryKey": ["site", "measured_at"],
    "missingValues": [""],
}


def keys_chunk(start: int, n: int, index: int, seed: int, error_rate: float) -> pa.Table:
    """Readings of 5,000 sites, one every 10 minutes each: (site, time) is unique
    until a duplicate is injected; ids are unique but for injected repeats."""
    rng = np.random.default_rng([seed, 29, index])
    position = np.arange(start, start + n)
    sites = 5000
    site = np.char.add("SITE-", np.char.zfill((position % sites).astype(str), 5)).astype(object)
    seconds = 1_700_000_000 + (position // sites) * 600
    ids = np.char.add("R", np.char.zfill(position.astype(str), 10)).astype(object)
    dup = rng.random(n) < error_rate
    later = np.flatnonzero(dup & (np.arange(n) > 0))
    ids[later] = ids[later - 1]  # a repeated id
    pk = np.flatnonzero((rng.random(n) < error_rate) & (np.arange(n) >= sites))
    site[pk] = site[pk - sites]  # the same site at the same time as 5,000 rows earlier
    seconds[pk] = seconds[pk - sites]
    when = pc.strftime(pa.array(seconds.astype("datetime64[s]")), "%Y-%m-%dT%H:%M:%SZ")
    value = pc.cast(pa.array(np.round(rng.uniform(0, 500, n), 2)), pa.string())
    return pa.Table.from_arrays([pa.array(ids, pa.string()), pa.array(site, pa.string()), when, value],
                                names=["reading_id", "site", "measured_at", "value"])


def ensure_keys(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.0001) -> tuple:
    return _ensure_csv("keys", rows, keys_chunk, KEYS_SCHEMA, seed, error_rate)


# --------------------------------------------------------------------------- foreign keys

FKEYS_METERS = {
    "fields": [
        {"name": "meter_id", "type": "string"},
        {"name": "kind", "type": "string"},
    ],
    "primaryKey": ["meter_id"],
}
FKEYS_READINGS = {
    "fields": [
        {"name": "meter_id", "type": "string"},
        {"name": "value", "type": "number"},
    ],
    "foreignKeys": [{"fields": ["meter_id"], "reference": {"resource": "meters", "fields": ["meter_id"]}}],
}


def _meter(numbers: np.ndarray) -> np.ndarray:
    return np.char.add("M", np.char.zfill(numbers.astype(str), 10)).astype(object)


def meters_chunk(start: int, n: int, index: int, seed: int, error_rate: float) -> pa.Table:
    """One row per meter, in order: the keys the readings reference."""
    position = np.arange(start, start + n)
    kinds = np.array(["water", "heat", "power", "gas"], dtype=object)[position % 4]
    return pa.Table.from_arrays([pa.array(_meter(position), pa.string()), pa.array(kinds, pa.string())],
                                names=["meter_id", "kind"])


def readings_chunk(start: int, n: int, index: int, seed: int, error_rate: float, meters: int = 0) -> pa.Table:
    """A reading of a meter spread over the whole meter table (a stride prime to its size),
    a meter that does not exist at ``error_rate``."""
    rng = np.random.default_rng([seed, 31, index])
    position = np.arange(start, start + n, dtype=np.int64)
    ids = _meter((position * 7919 + 13) % max(meters, 1))
    unknown = np.flatnonzero(rng.random(n) < error_rate)
    ids[unknown] = np.char.add("X", position[unknown].astype(str)).astype(object)
    value = pc.cast(pa.array(np.round(rng.uniform(0, 500, n), 2)), pa.string())
    return pa.Table.from_arrays([pa.array(ids, pa.string()), value], names=["meter_id", "value"])


def ensure_fkeys(rows: int, seed: int = generate.DEFAULT_SEED, error_rate: float = 0.0001) -> tuple:
    """A package of ``rows`` meters and ``rows`` readings whose meter is a foreign key:
    (its datapackage.json, "") -- the package names its schemas."""
    meters, _ = _ensure_csv("fkeys_meters", rows, meters_chunk, FKEYS_METERS, seed, 0.0)
    readings, _ = _ensure_csv("fkeys_readings", rows, lambda *a: readings_chunk(*a, meters=rows), FKEYS_READINGS,
                              seed, error_rate)
    folder = os.path.join(DATA_DIR, f"fkeys_{rows}")
    os.makedirs(folder, exist_ok=True)
    for path, name in ((meters, "meters.csv"), (readings, "readings.csv")):
        link = os.path.join(folder, name)
        if os.path.lexists(link):
            os.unlink(link)
        os.link(path, link)  # the package's own folder, as a publisher lays it out
    descriptor = {"name": "fkeys", "resources": [
        {"name": "meters", "path": "meters.csv", "schema": FKEYS_METERS},
        {"name": "readings", "path": "readings.csv", "schema": FKEYS_READINGS}]}
    path = os.path.join(folder, "datapackage.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(descriptor, handle, indent=2)
    return path, ""


# --------------------------------------------------------------------------- shared

def _ensure_csv(kind: str, rows: int, make, schema: dict, seed: int, error_rate: float) -> tuple:
    """A CSV of ``rows`` rows made by ``make(start, n, chunk index, seed, error rate)``."""
    path = os.path.join(DATA_DIR, f"{kind}_{rows}.csv")
    params = {"rows": rows, "seed": seed, "error_rate": error_rate, "chunk": CHUNK, "v": 1}
    schema_path = _schema(f"{kind}.schema.json", schema)
    if not _fresh(path, params):
        with open(path + ".part", "w", encoding="utf-8", newline="") as sink:
            for index, start in enumerate(range(0, rows, CHUNK)):
                table = make(start, min(CHUNK, rows - start), index, seed, error_rate)
                if index == 0:
                    sink.write(",".join(table.column_names) + "\n")
                lines = pc.binary_join_element_wise(*[generate._quote(c) for c in table.columns], ",")
                sink.write("\n".join(lines.to_pylist()))
                sink.write("\n")
        os.replace(path + ".part", path)
        _stamp(path, params)
    return path, schema_path


def ensure_errors(rows: int, seed: int = generate.DEFAULT_SEED) -> tuple:
    """The lighting CSV with 30 % of its cells broken (every error listed)."""
    return generate.ensure(rows, seed=seed, error_rate=0.3, name=f"broken_{rows}")


def ensure_many(files: int = 200, rows: int = 20, seed: int = generate.DEFAULT_SEED) -> tuple:
    """A folder of ``files`` small lighting files (each its own seed, a few errors)."""
    folder = os.path.join(DATA_DIR, f"many_{files}x{rows}")
    params = {"files": files, "rows": rows, "seed": seed, "v": 1}
    _, schema = generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
    if not _fresh(folder, params):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for number in range(files):
            generate.generate(rows, os.path.join(folder, f"part_{number:04d}.csv"), seed=seed + number,
                              error_rate=0.01, quiet=True)
        _stamp(folder, params)
    return folder, schema
