"""Row-level repairs: latitude and longitude swapped, Lambert 93 in degree columns — both ways."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from territoria.fix.points import PointRepairs, lambert93_to_wgs84
from territoria.schema import table_schema_from_descriptor
from territoria.schema.resolve import resolve_schema

LIGHTS = resolve_schema("street-lighting/light_points").table()
BY_NAME = table_schema_from_descriptor({"fields": [{"name": "latitude", "type": "number"},
                                                   {"name": "longitude", "type": "number"}]})


def _apply(schema, lat, lon, insee=None):
    columns = {"latitude": pa.array(lat, pa.string()), "longitude": pa.array(lon, pa.string())}
    if insee is not None:
        columns["insee_code"] = pa.array(insee, pa.string())
    changes = PointRepairs(schema).apply(columns, np.arange(2, 2 + len(lat)))
    return {(name, rule): mask.tolist() for name, mask, rule, _ in changes}, changes


def test_a_swapped_pair_is_swapped_when_only_the_swap_lands_in_its_commune_territory():
    changes, raw = _apply(LIGHTS, ["5.72810", "45.18702", "5.72810", "-21.1"],
                          ["45.18702", "5.72451", "45.18702", "55.5"], ["38185", "38185", "97411", "97411"])
    assert changes == {("latitude", "swapped-lat-lon"): [True, False, False, False],
                       ("longitude", "swapped-lat-lon"): [True, False, False, False]}
    # row 3: swapped it is in mainland France, but its commune is on La Réunion: neither fits, nothing is done
    new_lat = dict(((n, r), t) for n, _, r, t in raw)[("latitude", "swapped-lat-lon")]
    assert new_lat[0].as_py() == "45.18702"


def test_no_swap_without_the_schemas_point_checks():
    changes, _ = _apply(BY_NAME, ["5.72810"], ["45.18702"])
    assert changes == {}


def test_lambert93_coordinates_become_degrees_both_ways_round():
    x, y = "913925.15", "6458037.42"
    changes, raw = _apply(LIGHTS, [y, x, "45.18843", "6458037.42"], [x, y, "5.72451", "12.5"],
                          ["38185"] * 4)
    assert changes == {("latitude", "lambert93"): [True, True, False, False],
                       ("longitude", "lambert93"): [True, True, False, False]}
    texts = {n: t.to_pylist() for n, _, r, t in raw}
    assert abs(float(texts["latitude"][0]) - 45.18843) < 1e-6 and abs(float(texts["longitude"][1]) - 5.72451) < 1e-6
    # a pair found by name, without checks: converted when the point lands in France
    changes, _ = _apply(BY_NAME, [y], [x])
    assert changes == {("latitude", "lambert93"): [True], ("longitude", "lambert93"): [True]}


def test_pyproj_agrees_with_a_known_point():
    lon, lat = lambert93_to_wgs84(np.array([700000.0]), np.array([6600000.0]))  # the projection's origin
    assert abs(lon[0] - 3.0) < 1e-9 and abs(lat[0] - 46.5) < 1e-9
