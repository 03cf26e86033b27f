"""`geojson` fields: ``json.loads`` to a dict, then validated with jsonschema
against the GeoJSON (default) or TopoJSON (topojson) profile that frictionless
uses (vendored in ``schema/profiles``, so both tools check the same thing). Any
other format: any JSON object. Parsed once per distinct text. Key: canonical JSON."""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

import pyarrow as pa

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker
from ._json import canonical
from .string_type import field_format

SUPPORTED = ("required", "enum")


@lru_cache(maxsize=None)
def _validator(fmt: str):
    import jsonschema.validators

    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "schema", "profiles",
                        f"{'geojson' if fmt == 'default' else 'topojson'}.json")
    with open(path, encoding="utf-8") as handle:
        profile = json.load(handle)
    return jsonschema.validators.validator_for(profile)(profile)


def geojson_reader(fmt: str):
    validator = _validator(fmt) if fmt in ("default", "topojson") else None

    def reader(cell: Any):
        if isinstance(cell, str):
            try:
                cell = json.loads(cell)
            except Exception:
                return None
        if not isinstance(cell, dict):
            return None
        if validator is not None:
            try:
                validator.validate(cell)
            except Exception:
                return None
        return cell

    return reader


def geojson_spec(field: FieldSpec) -> TypeSpec:
    return TypeSpec(
        name="geojson",
        supported=SUPPORTED,
        value_reader=geojson_reader(field_format(field)),
        to_key=canonical,
        key_type=pa.string(),
    )


check_geojson = make_checker("geojson", geojson_spec)
