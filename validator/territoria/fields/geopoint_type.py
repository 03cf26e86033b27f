"""`geopoint` fields (frictionless fields/geopoint.py). default: "lon, lat" split
on the single comma, each ``.strip()``-ed and read with ``Decimal`` (so "1e1, 2",
" 1_0 ,2" are valid); array: ``json.loads`` to exactly two items; object:
``json.loads`` to a dict of exactly two keys "lon" and "lat" (strings and
booleans are accepted by ``Decimal``). Then -180 <= lon <= 180, -90 <= lat <= 90
(NaN fails). Parsed once per distinct text. Key: exact "lon,lat" text."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NamedTuple

import pyarrow as pa

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker
from ._json import exact_number
from .string_type import field_format

SUPPORTED = ("required", "enum")


class geopoint(NamedTuple):
    lon: Any
    lat: Any


def geopoint_reader(fmt: str):
    def reader(cell: Any):
        if isinstance(cell, str):
            try:
                if fmt == "default":
                    lon, lat = cell.split(",")
                    lon = lon.strip()
                    lat = lat.strip()
                elif fmt == "array":
                    lon, lat = json.loads(cell)
                elif fmt == "object":
                    cell = json.loads(cell)
                    if len(cell) != 2:
                        return None
                    lon = cell["lon"]
                    lat = cell["lat"]
                cell = geopoint(Decimal(lon), Decimal(lat))
            except Exception:
                return None
        try:
            cell = geopoint(*cell)
            if cell.lon > 180 or cell.lon < -180:
                return None
            if cell.lat > 90 or cell.lat < -90:
                return None
        except Exception:
            return None
        return cell

    return reader


def geopoint_key(value) -> str:
    return f"{exact_number(value[0])},{exact_number(value[1])}"


def geopoint_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="geopoint",
        supported=SUPPORTED,
        value_reader=geopoint_reader(field_format(field)),
        to_key=geopoint_key,
        key_type=pa.string(),
    )


check_geopoint = make_checker("geopoint", geopoint_spec)
