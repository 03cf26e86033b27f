"""Row-level repairs of a point: latitude and longitude swapped, Lambert 93 coordinates in degree columns.

Why row-level: neither value is wrong alone; the pair is. The test of "where
the point should be" is the schema's own: its point checks
(``french-gps-coordinates``, ``coordinates-in-commune``, in
``checks.french_formats``) run on the original pair and on the candidate, and
a candidate is kept only when the original fails them and the candidate passes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pyarrow as pa

from .repairs.numbers import parse_number_text
from .steps import degrees_text

POINT_CHECKS = ("french-gps-coordinates", "french_gps_coordinates", "coordinates-in-commune")
#: Lambert 93 (EPSG:2154) over metropolitan France and Corsica, in metres: eastings never reach northings
EASTING = (50_000.0, 1_300_000.0)
NORTHING = (6_000_000.0, 7_200_000.0)
_LATITUDE = re.compile(r"^(lat|latitude|y_?lat|lat_?wgs84)$", re.I)
_LONGITUDE = re.compile(r"^(lon|lng|long|longitude|x_?long|lon_?wgs84)$", re.I)


@dataclass
class PointPair:
    latitude: str
    longitude: str
    checks: list  # the schema's point checks on this pair (built), empty for a pair found by name


def point_pairs(schema) -> list:
    """The schema's (latitude, longitude) pairs: those its point checks name, then number fields named so."""
    from ..checks import CheckContext, build_checks

    declared = [c for c in schema.descriptor.get("custom_checks") or []
                if isinstance(c, dict) and c.get("name") in POINT_CHECKS
                and isinstance(c.get("params"), dict) and "latitude" in c["params"] and "longitude" in c["params"]]
    pairs: dict = {}
    for declaration in declared:
        key = (declaration["params"]["latitude"], declaration["params"]["longitude"])
        pairs.setdefault(key, []).append(declaration)
    out = []
    context = CheckContext.of(schema)
    for (lat, lon), declarations in pairs.items():
        checks, _notices = build_checks({"custom_checks": declarations}, schema.fields, context)  # validate reports the notices
        out.append(PointPair(lat, lon, checks))
    numbers = [f for f in schema.fields if f.type in ("number", "integer")]
    lats = [f.name for f in numbers if _LATITUDE.match(f.name)]
    lons = [f.name for f in numbers if _LONGITUDE.match(f.name)]
    if len(lats) == 1 and len(lons) == 1 and (lats[0], lons[0]) not in pairs:
        out.append(PointPair(lats[0], lons[0], []))
    return out


_transformer = None


def lambert93_to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple:
    """(longitude, latitude) degrees of Lambert 93 eastings and northings (pyproj, loaded when first met)."""
    global _transformer
    if _transformer is None:
        from pyproj import Transformer

        _transformer = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    lon, lat = _transformer.transform(x, y)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


class PointRepairs:
    """The two row-level repairs over every point pair of a schema."""

    def __init__(self, schema, decimals: Optional[dict] = None):
        self.schema = schema
        self.pairs = point_pairs(schema)
        self.decimals = decimals or {}  # field -> decimals a mapping asks for the degrees it writes
        self._boxes = None

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def _failing(self, pair: PointPair, lat: np.ndarray, lon: np.ndarray, cells: dict, rows) -> np.ndarray:
        """True where the schema's point checks reject the pair (lat, lon) of a row."""
        from ..checks import BatchView

        bad = np.zeros(len(lat), dtype=bool)
        if pair.checks:
            view = BatchView(fields=self.schema.fields,
                             values={pair.latitude: pa.array(lat), pair.longitude: pa.array(lon)},
                             cells=cells, row_numbers=rows, blank=np.zeros(len(lat), dtype=bool))
            for check in pair.checks:
                for finding in check.check_batch(view) or []:
                    if finding.positions is not None:
                        bad[np.asarray(finding.positions, dtype=np.int64)] = True
        else:  # a pair found by name: in France (frformat's boxes, as french-gps-coordinates)
            from ..checks.french_formats import in_boxes, territories

            if self._boxes is None:
                self._boxes = territories()
            bad = ~in_boxes(lon, lat, self._boxes)
        return bad

    def apply(self, columns: dict, rows: np.ndarray) -> list:
        """``[(field name, mask, rule, new text)]`` for the cells these repairs change in one batch.

        ``columns``: field name -> text of the batch after the cell repairs.
        """
        changes = []
        for pair in self.pairs:
            if pair.latitude not in columns or pair.longitude not in columns:
                continue
            lat_text, lon_text = columns[pair.latitude], columns[pair.longitude]
            lat = parse_number_text(lat_text).to_numpy(zero_copy_only=False)
            lon = parse_number_text(lon_text).to_numpy(zero_copy_only=False)
            known = ~np.isnan(lat) & ~np.isnan(lon)
            if not known.any():
                continue
            with np.errstate(invalid="ignore"):
                straight = known & _within(lon, EASTING) & _within(lat, NORTHING)
                crossed = known & _within(lat, EASTING) & _within(lon, NORTHING)
            projected = straight | crossed
            if projected.any():
                x = np.where(straight, lon, lat)
                y = np.where(straight, lat, lon)
                new_lon, new_lat = np.full(len(lat), np.nan), np.full(len(lat), np.nan)
                where = np.flatnonzero(projected)
                new_lon[where], new_lat[where] = lambert93_to_wgs84(x[where], y[where])
                ok = projected & ~self._failing(pair, new_lat, new_lon, columns, rows)
                if ok.any():
                    changes.append((pair.latitude, ok, "lambert93",
                                    degrees_text(np.where(ok, new_lat, 0.0), self.decimals.get(pair.latitude))))
                    changes.append((pair.longitude, ok, "lambert93",
                                    degrees_text(np.where(ok, new_lon, 0.0), self.decimals.get(pair.longitude))))
                    known &= ~ok
            if not pair.checks or not known.any():
                continue  # a swap is judged by the schema's own point checks only
            swap = known & self._failing(pair, lat, lon, columns, rows) & ~self._failing(pair, lon, lat, columns, rows)
            if swap.any():
                changes.append((pair.latitude, swap, "swapped-lat-lon", lon_text))
                changes.append((pair.longitude, swap, "swapped-lat-lon", lat_text))
        return changes


def _within(values: np.ndarray, bounds: tuple) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])
