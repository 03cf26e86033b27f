"""The reference table of commune extents read by ``coordinates-in-commune`` (``commune_extents``).

Why a file the publisher provides: no maintained Python library ships commune
outlines or centroids offline, and the official geometry (IGN ADMIN EXPRESS)
weighs hundreds of megabytes. A table of bounding boxes, one line per commune,
is small (about 35,000 lines, 1.5 MB) and is exported in one command::

    ogr2ogr -f CSV commune_extents.csv ADMIN-EXPRESS/COMMUNE.shp -dialect sqlite -sql \\
      "SELECT insee_com AS code, ST_MinX(geometry) AS lon_min, ST_MinY(geometry) AS lat_min,
              ST_MaxX(geometry) AS lon_max, ST_MaxY(geometry) AS lat_max FROM COMMUNE"

(the WGS84 edition of ADMIN EXPRESS; for the Lambert 93 one, write
``ST_Transform(geometry, 4326)`` instead of ``geometry``: ``-t_srs`` would not
reproject computed columns).

Format: CSV, UTF-8, delimiter ``,`` or ``;`` (detected from the header), columns
``code`` (INSEE code; ``insee_com`` accepted), ``lon_min``, ``lat_min``,
``lon_max``, ``lat_max`` in WGS84 decimal degrees (decimal comma accepted), any
other column ignored. A code on several lines (a commune in several parts) gets
the union of its boxes; a 4-digit code (a spreadsheet dropped its leading zero)
is read as ``0`` + code.

The table is read once per location and content (cached), then looked up per
batch with pyarrow/numpy. Every problem of the file is a ``CheckParamsError``
naming the file (and the line): a schema error, never a traceback.
"""
from __future__ import annotations

import csv
import io
import os
import threading
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..readers.open import is_url
from . import CheckParamsError

PARAM = "commune_extents"
COLUMNS = ("lon_min", "lat_min", "lon_max", "lat_max")
_CODE_NAMES = ("code", "insee_com")


@dataclass(frozen=True)
class CommuneExtents:
    """Bounding boxes of communes: ``codes[i]`` has the box ``boxes[i]`` (lon_min, lat_min, lon_max, lat_max)."""

    location: str
    codes: pa.Array  # string, distinct
    boxes: np.ndarray  # float64, shape (len(codes), 4)

    def widened(self, tolerance_km: float) -> np.ndarray:
        """The boxes widened by ``tolerance_km`` on every side (longitude corrected for latitude)."""
        if not tolerance_km:
            return self.boxes
        dlat = tolerance_km / 111.32
        widest = np.minimum(np.maximum(np.abs(self.boxes[:, 1]), np.abs(self.boxes[:, 3])), 89.0)
        dlon = tolerance_km / (111.32 * np.cos(np.radians(widest)))
        return self.boxes + np.stack([-dlon, -np.full_like(dlon, dlat), dlon, np.full_like(dlon, dlat)], axis=1)


def resolve(location: str, base: Optional[str]) -> str:
    """A path or URL, relative ones against ``base`` (else the current directory); a path outside the
    schema's folder, or a local path named by a schema read from a URL, is refused
    (:mod:`territoria.readers.trust`, a ``path-refused`` error) unless the run is trusted."""
    from ..readers import trust

    where = trust.resolve(location, base or None, f"parameter {PARAM!r}")
    return where if is_url(where) or os.path.isabs(where) else os.path.abspath(where)


_cache: dict = {}
_lock = threading.Lock()


def load(location, base: Optional[str] = None) -> CommuneExtents:
    """The extents of the file at ``location`` (relative to ``base``), read once."""
    if not isinstance(location, str) or not location.strip():
        raise CheckParamsError(f"parameter {PARAM!r} must be the path or URL of a CSV file of commune extents")
    where = resolve(location.strip(), base)
    if is_url(where):
        stamp = None
    else:
        try:
            info = os.stat(where)
        except OSError:
            relative = "" if os.path.isabs(location) else (
                f" (a relative path is read from the schema's folder {base})" if base else
                " (a relative path is read from the current directory, the schema's folder being unknown)")
            raise CheckParamsError(f"parameter {PARAM!r}: file {where!r} not found{relative}")
        if not os.path.isfile(where):
            raise CheckParamsError(f"parameter {PARAM!r}: {where!r} is not a file")
        stamp = (info.st_mtime_ns, info.st_size)
    key = (where, stamp)
    with _lock:
        extents = _cache.get(key)
        if extents is None:
            extents = _read(where)
            if len(_cache) >= 8:
                _cache.clear()
            _cache[key] = extents
    return extents


def _problem(where: str, what: str) -> CheckParamsError:
    return CheckParamsError(f"parameter {PARAM!r}: {where}: {what}")


def _bytes(where: str) -> bytes:
    if is_url(where):
        from ..readers import SourceProblem
        from ..readers.remote import fetch_bytes

        try:
            return fetch_bytes(where)
        except SourceProblem as problem:
            raise CheckParamsError(f"parameter {PARAM!r}: {problem.note}")
    try:
        with open(where, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise _problem(where, f"cannot be read ({error.strerror or error})")


def _read(where: str) -> CommuneExtents:
    import pyarrow.csv as pv

    data = _bytes(where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _problem(where, "not UTF-8 text (save the CSV as UTF-8)")
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        raise _problem(where, "empty file (expected a header: code,lon_min,lat_min,lon_max,lat_max)")
    delimiter = max((",", ";", "\t"), key=header_line.count)
    header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter))]
    lowered = [name.lower() for name in header]
    code_name = next((header[lowered.index(n)] for n in _CODE_NAMES if n in lowered), None)
    missing = ([] if code_name else ["code"]) + [c for c in COLUMNS if c not in lowered]
    if missing:
        raise _problem(where, f"missing column(s) {', '.join(missing)} (expected: code, {', '.join(COLUMNS)}; "
                              f"found: {', '.join(header) or 'none'})")
    names = [code_name] + [header[lowered.index(c)] for c in COLUMNS]
    repeated = [n for n in names if lowered.count(n.lower()) > 1]
    if repeated:
        raise _problem(where, f"column {repeated[0]!r} appears twice in the header")
    try:
        table = pv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pv.ParseOptions(delimiter=delimiter),
            convert_options=pv.ConvertOptions(column_types={n: pa.string() for n in header},
                                              include_columns=names, strings_can_be_null=False))
    except pa.ArrowException as error:
        raise _problem(where, f"not a readable CSV ({str(error).splitlines()[0]})")
    if table.num_rows == 0:
        raise _problem(where, "no commune listed (only a header)")
    codes = pc.utf8_upper(pc.utf8_trim_whitespace(table.column(code_name).combine_chunks()))
    four_digits = pc.match_substring_regex(codes, r"^\d{4}$")
    codes = pc.if_else(four_digits, pc.utf8_lpad(codes, 5, "0"), codes)
    empty = np.flatnonzero(pc.equal(pc.utf8_length(codes), 0).to_numpy(zero_copy_only=False))
    if len(empty):
        raise _problem(where, f"line {int(empty[0]) + 2}: empty code")
    boxes = np.empty((table.num_rows, 4), dtype=np.float64)
    for j, column in enumerate(COLUMNS):
        cells = pc.utf8_trim_whitespace(table.column(names[j + 1]).combine_chunks())
        boxes[:, j] = _parse(cells)
        bad = np.flatnonzero(np.isnan(boxes[:, j]))
        if len(bad):
            line = int(bad[0]) + 2
            raise _problem(where, f"line {line}: {column} {cells[int(bad[0])].as_py()!r} is not a number")
    lon_min, lat_min, lon_max, lat_max = boxes.T
    checks = (
        ((np.abs(boxes[:, [0, 2]]) > 180).any(axis=1) | (np.abs(boxes[:, [1, 3]]) > 90).any(axis=1),
         "not WGS84 decimal degrees (projected coordinates such as Lambert 93? "
         "export ST_Transform(geometry, 4326))"),
        ((lon_min > lon_max) | (lat_min > lat_max), "lon_min/lat_min greater than lon_max/lat_max"),
    )
    for mask, what in checks:
        bad = np.flatnonzero(mask)
        if len(bad):
            raise _problem(where, f"line {int(bad[0]) + 2}: {what}")
    # one box per code: the union of the boxes of a commune listed in several parts
    grouped = pa.table({"code": codes, **{c: boxes[:, j] for j, c in enumerate(COLUMNS)}}).group_by("code").aggregate(
        [(c, "min" if c.endswith("min") else "max") for c in COLUMNS])
    merged = np.column_stack([grouped.column(f"{c}_{'min' if c.endswith('min') else 'max'}").to_numpy()
                              for c in COLUMNS]).astype(np.float64)
    return CommuneExtents(where, grouped.column("code").combine_chunks(), merged)


def _parse(cells: pa.Array) -> np.ndarray:
    """float64 of text cells (decimal comma accepted), NaN where not a number."""
    from ._common import parse_numbers

    return parse_numbers(cells)
