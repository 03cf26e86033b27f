"""``territoria schemas export ENTRY/TABLE[@VERSION] --for validata``: a table schema Validata runs.

Why: the national catalogue (schema.data.gouv.fr) validates published files with
Validata (validata-table 0.12.5). Our schemas use checks Validata does not know,
Territoria's parameter names, and foreign keys to other tables of the package;
Validata turns each into a ``check-error`` or a ``resource-error`` that makes
every file invalid. The export keeps every rule Validata can run, in its own
vocabulary, expresses what it can of the others as core constraints, leaves
out the rest, and says what it left out in the schema's description.

Facts about Validata 0.12.5 this relies on (checked by running it; the test
suite runs it on every exported catalogue table): it ignores parameters a
check does not read and keys it does not know (``unit``, ``enum_labels``,
``*_en``); its COG checks require ``cog`` ("2023", "2024" or "latest", as
strings); ``french-gps-coordinates`` reads one geopoint ``column``;
``one-of-required`` reads ``column1``; ``cohesive-columns-value`` wants a list;
``year-interval-value`` wants ``allow-year-only`` as "yes"/"no";
``compare-columns-value`` has no ``!=``; ``sum-columns-value`` crashes on text
fields; it validates one table, so a foreign key to another table stops it.
"""
from __future__ import annotations

import copy
import json
import sys
from typing import Callable, Optional

#: Validata 0.12.5's check names -> the parameters each reads
VALIDATA_CHECKS = {
    "cohesive-columns-value": ("column", "othercolumns"),
    "compare-columns-value": ("column", "column2", "op"),
    "french-gps-coordinates": ("column",),
    "one-of-required": ("column1", "column2"),
    "opening-hours-value": ("column",),
    "phone-number-value": ("column",),
    "sum-columns-value": ("column", "columns"),
    "year-interval-value": ("column", "allow-year-only"),
    "siren": ("column",), "siret": ("column",), "code-fantoir": ("column",), "code-postal": ("column",),
    "nomenclature-acte": ("column",),
    "code-commune-insee": ("column", "cog"), "code-region": ("column", "cog"),
    "numero-departement": ("column", "cog"), "canton": ("column", "cog"), "commune": ("column", "cog"),
    "departement": ("column", "cog"), "region": ("column", "cog"), "code-pays-iso2": ("column", "cog"),
    "code-pays-iso3": ("column", "cog"), "pays": ("column", "cog"),
}
#: Territoria's names -> Validata's (former names included, which Validata renames with a warning)
RENAMED = {"code-departement": "numero-departement", "french_gps_coordinates": "french-gps-coordinates",
           "french-siret-value": "siret", "french-siren-value": "siren",
           "nomenclature-actes-value": "nomenclature-acte"}
COG_VINTAGES = ("2023", "2024", "latest")
_NUMERIC = ("integer", "number")


class Left(Exception):
    """A rule that Validata cannot run as it is: why, in English and French (it goes in the descriptions)."""

    def __init__(self, english: str, french: str):
        super().__init__(english)
        self.english, self.french = english, french


def _cog(params: dict, types: dict) -> dict:
    vintage = str(params.pop("version", params.get("cog", "latest")))
    if vintage not in COG_VINTAGES:
        raise Left(f"COG {vintage} (Validata knows {', '.join(COG_VINTAGES)})",
                   f"COG {vintage} (Validata connaît {', '.join(COG_VINTAGES)})")
    params["cog"] = vintage
    return params


def _gps(params: dict, types: dict) -> dict:
    if types.get(params.get("column")) != "geopoint":
        raise Left("Validata reads one geopoint column, not latitude and longitude fields",
                   "Validata lit une colonne geopoint, pas des champs latitude et longitude")
    return params


def _one_of(params: dict, types: dict) -> dict:
    if "column1" not in params and "column" in params:
        params["column1"] = params.pop("column")
    return params


def _cohesive(params: dict, types: dict) -> dict:
    if isinstance(params.get("othercolumns"), str):
        params["othercolumns"] = [params["othercolumns"]]
    return params


def _year_interval(params: dict, types: dict) -> dict:
    flag = params.pop("allow_year_only", params.get("allow-year-only", "no"))
    on = flag is True or str(flag).strip().lower() in ("yes", "oui", "true", "1")
    params["allow-year-only"] = "yes" if on else "no"
    return params


def _compare(params: dict, types: dict) -> dict:
    if params.get("op") not in (">", ">=", "==", "<=", "<"):
        raise Left(f"Validata has no operator {params.get('op')}", f"Validata n'a pas l'opérateur {params.get('op')}")
    return params


def _sum(params: dict, types: dict) -> dict:
    parts = params.get("columns") or []
    params["columns"] = [parts] if isinstance(parts, str) else parts
    if any(types.get(name) not in _NUMERIC for name in [params.get("column"), *params["columns"]]):
        raise Left("Validata sums only integer or number fields",
                   "Validata n'additionne que des champs integer ou number")
    return params


#: Validata name -> how Territoria's parameters become Validata's
ADAPT: dict = {name: _cog for name, params in VALIDATA_CHECKS.items() if "cog" in params}
ADAPT.update({"french-gps-coordinates": _gps, "one-of-required": _one_of, "cohesive-columns-value": _cohesive,
              "year-interval-value": _year_interval, "compare-columns-value": _compare, "sum-columns-value": _sum})


def _france_bounds() -> tuple:
    """(lat_min, lat_max, lon_min, lon_max) around every territory the GPS checks accept, rounded outward."""
    import math

    from ..checks.french_formats import territories

    boxes = territories()
    return (math.floor(min(b[3] for b in boxes)), math.ceil(max(b[5] for b in boxes)),
            math.floor(min(b[2] for b in boxes)), math.ceil(max(b[4] for b in boxes)))


def _as_bounds(check: dict, fields: dict) -> list:
    """A point check on latitude/longitude fields, as minimum/maximum constraints (what Validata can run
    of it); the constraints it added or narrowed, as "name min..max"."""
    params = check.get("params") or {}
    latitude, longitude = params.get("latitude"), params.get("longitude")
    if any(fields.get(name, {}).get("type") not in _NUMERIC for name in (latitude, longitude)):
        return []  # bounds only constrain numbers
    lat_min, lat_max, lon_min, lon_max = _france_bounds()
    added = []
    for name, low, high in ((latitude, lat_min, lat_max), (longitude, lon_min, lon_max)):
        constraints = fields[name].setdefault("constraints", {})
        changed = False
        if constraints.get("minimum", float("-inf")) < low:
            constraints["minimum"], changed = low, True
        if constraints.get("maximum", float("inf")) > high:
            constraints["maximum"], changed = high, True
        if changed:
            added.append(f"{name} {constraints['minimum']}..{constraints['maximum']}")
    return added


def for_validata(schema: dict) -> tuple:
    """``(schema, left)``: a copy of a table schema Validata 0.12.5 runs without a check-error,
    and ``[(what, why in English, why in French)]`` for each rule left out (also written at the end
    of its descriptions)."""
    out = copy.deepcopy(schema)
    fields = {f.get("name"): f for f in out.get("fields") or [] if isinstance(f, dict)}
    types = {name: f.get("type", "string") for name, f in fields.items()}
    left, kept = [], []
    for check in out.get("custom_checks") or []:
        original = check.get("name", "")
        name = RENAMED.get(original, original)
        params = dict(check.get("params") or {})
        try:
            if name not in VALIDATA_CHECKS:
                raise Left("not a Validata check", "pas une vérification de Validata")
            if check.get("severity") == "warning":
                raise Left("a warning (Validata reports errors only)",
                           "un avertissement (Validata ne signale que des erreurs)")
            params = ADAPT.get(name, lambda p, t: p)(params, types)
        except Left as why:
            added = _as_bounds(check, fields) if original in ("french-gps-coordinates", "french_gps_coordinates",
                                                              "coordinates-in-commune") else []
            english, french = why.english, why.french
            if added:
                english += "; bounds added instead: " + ", ".join(added)
                french += " ; bornes ajoutées à la place : " + ", ".join(added)
            left.append((original, english, french))
            continue
        kept.append({"name": name, "params": {k: v for k, v in params.items() if k in VALIDATA_CHECKS[name]}})
    if "custom_checks" in out:
        out["custom_checks"] = kept
    foreign = out.get("foreignKeys") or []
    local = [fk for fk in foreign if not (isinstance(fk, dict) and (fk.get("reference") or {}).get("resource"))]
    for fk in foreign:
        if fk not in local:
            shown = ", ".join(fk["fields"]) if isinstance(fk.get("fields"), list) else fk.get("fields")
            target = fk["reference"]["resource"]
            left.append((f"foreignKeys {shown} → {target}", "Validata checks one table alone",
                         "Validata vérifie une table seule"))
    if "foreignKeys" in out:
        if local:
            out["foreignKeys"] = local
        else:
            del out["foreignKeys"]
    if left:
        _say_what_was_left(out, left)
    return out, left


def _say_what_was_left(schema: dict, left: list) -> None:
    french = " ; ".join(f"{what} ({why})" for what, _, why in left)
    english = "; ".join(f"{what} ({why})" for what, why, _ in left)
    schema["description"] = (schema.get("description", "").rstrip() + "\n\n" +
                              "Version exportée pour Validata : ces règles du schéma Territoria n'y sont pas "
                              f"vérifiées : {french}. Validez avec Territoria pour les vérifier toutes.").strip()
    if "description_en" in schema or schema.get("title_en"):
        schema["description_en"] = (schema.get("description_en", "").rstrip() + "\n\n" +
                                    "Exported for Validata: these rules of the Territoria schema are not checked "
                                    f"there: {english}. Validate with Territoria to check them all.").strip()


EXPORTS: dict = {"validata": for_validata}


def main(reference: str, target: str, out=None, err=None) -> int:
    """Print the exported table schema of a catalogue table (exit 2 if it cannot be resolved)."""
    from ..schema import SchemaProblem, catalogue

    out, err = out or sys.stdout, err or sys.stderr
    export: Optional[Callable] = EXPORTS.get(target)
    if export is None:
        print(f"territoria schemas export: no export for {target!r} (known: {', '.join(EXPORTS)})", file=err)
        return 2
    try:
        profile = catalogue.resolve(reference)
        schema = profile.table()
    except SchemaProblem as problem:
        print(f"territoria schemas export: {problem}", file=err)
        return 2
    exported, left = export(schema.descriptor)
    json.dump(exported, out, ensure_ascii=False, indent=2)
    out.write("\n")
    for what, why, _ in left:
        print(f"left out: {what}: {why}", file=err)
    return 0
