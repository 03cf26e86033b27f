"""What the site's error catalogue shows of each check: its error types and a declaration.

It imports the check modules first, then annotates their registered classes.
"""
from __future__ import annotations

import json

from . import CHECKS, french_formats, row_checks, series  # noqa: F401  (fill the registry first)
from ._common import EXAMPLES

#: check name -> error types it reports
CODES = {
    "compare-columns-value": ("compare-columns-value",),
    "cohesive-columns-value": ("cohesive-columns-value",),
    "sum-columns-value": ("sum-columns-value",),
    "one-of-required": ("one-of-required",),
    "year-interval-value": ("year-interval-value",),
    "opening-hours-value": ("opening-hours-value",),
    "phone-number-value": ("phone-number-value",),
    "siren": ("french-siren-value",), "french-siren-value": ("french-siren-value",),
    "siret": ("french-siret-value",), "french-siret-value": ("french-siret-value",),
    "code-commune-insee": ("code-commune-insee",),
    "code-departement": ("code-departement",),
    "code-region": ("code-region",),
    "code-postal": ("code-postal",),
    "code-fantoir": ("code-fantoir",),
    "nomenclature-acte": ("nomenclature-actes",), "nomenclature-actes-value": ("nomenclature-actes",),
    "french-gps-coordinates": ("french-gps-coordinates", "reversed-french-gps-coordinates"),
    "french_gps_coordinates": ("french-gps-coordinates", "reversed-french-gps-coordinates"),
    "coordinates-in-commune": ("coordinates-in-commune",),
    "unique-combination": ("unique-combination",),
    "monotonic-series": ("monotonic-series",),
    "time-step-consistency": ("time-step-mismatch", "time-step-overlap", "time-step-gap", "time-step-too-close"),
    "plausible-variation": ("plausible-variation",),
}

for _name, _codes in CODES.items():
    _cls = CHECKS.get(_name)
    if _cls is None:
        continue
    _cls.codes = _codes
    _example = next((EXAMPLES[c] for c in _codes if c in EXAMPLES), "")
    if _example:
        _declared = json.loads(_example)
        _declared["name"] = _name
        _cls.example = json.dumps(_declared, ensure_ascii=False)
