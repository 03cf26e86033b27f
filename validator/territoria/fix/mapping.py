"""The mapping file of a legacy export (``--mapping MAP.yml``): renames, codes, units, constants.

Why a file: an old GIS export names its columns ``TY_LAMPE`` and writes
``20`` for LED, kilowatts for watts, and has no column for what is the same on
every row (the operator). Nothing in the file says so; the person who knows
writes it once, and every later export is repaired the same way::

    columns:              # source label -> schema field
      TY_LAMPE: lamp_technology
      PUISS_KW: power_w
    codes:                # field (or source label) -> {source code: schema code}
      lamp_technology: {"20": led, "10": sodium_high_pressure}
    units:                # field (or source label) -> the unit the source is in (UCUM)
      power_w: kW
    constants:            # field -> the value of every row where the source has none
      operator: Ville de Grenoble

A value left empty (``~``) is ignored: a draft from ``--suggest-mapping`` reads
as it is. Every problem is a one-line :class:`MappingProblem` naming the key.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Optional

import pyarrow as pa
import pyarrow.compute as pc

from .repairs import Repair, matches, where

MAX_BYTES = 1 << 20
SECTIONS = ("columns", "codes", "units", "constants")

#: UCUM unit -> (dimension, factor to the dimension's base unit, offset): the units of the catalogue and their multiples
UNITS = {
    "W": ("power", Decimal(1), 0), "mW": ("power", Decimal("0.001"), 0), "kW": ("power", Decimal(1000), 0),
    "MW": ("power", Decimal(10) ** 6, 0),
    "Wh": ("energy", Decimal(1), 0), "kWh": ("energy", Decimal(1000), 0), "MWh": ("energy", Decimal(10) ** 6, 0),
    "GWh": ("energy", Decimal(10) ** 9, 0),
    "kVA": ("apparent power", Decimal(1000), 0), "VA": ("apparent power", Decimal(1), 0),
    "m": ("length", Decimal(1), 0), "mm": ("length", Decimal("0.001"), 0), "cm": ("length", Decimal("0.01"), 0),
    "km": ("length", Decimal(1000), 0),
    "g": ("mass", Decimal(1), 0), "kg": ("mass", Decimal(1000), 0), "t": ("mass", Decimal(10) ** 6, 0),
    "L": ("volume", Decimal(1), 0), "mL": ("volume", Decimal("0.001"), 0), "cL": ("volume", Decimal("0.01"), 0),
    "dL": ("volume", Decimal("0.1"), 0), "hL": ("volume", Decimal(100), 0), "m3": ("volume", Decimal(1000), 0),
    "s": ("time", Decimal(1), 0), "min": ("time", Decimal(60), 0), "h": ("time", Decimal(3600), 0),
    "%": ("ratio", Decimal(1), 0), "1": ("ratio", Decimal(100), 0),
    "Cel": ("temperature", Decimal(1), 0), "K": ("temperature", Decimal(1), Decimal("-273.15")),
    "lm": ("luminous flux", Decimal(1), 0), "klm": ("luminous flux", Decimal(1000), 0),
}


class MappingProblem(Exception):
    """The mapping file cannot be used; the message says where and why."""


@dataclass
class Mapping:
    """A loaded mapping, its keys resolved to the schema's field names."""

    columns: dict = dataclass_field(default_factory=dict)  # source label -> field name
    codes: dict = dataclass_field(default_factory=dict)  # field name -> {source text: code}
    units: dict = dataclass_field(default_factory=dict)  # field name -> source unit
    constants: dict = dataclass_field(default_factory=dict)  # field name -> text
    place: str = ""

    def before(self, field) -> tuple:
        """Repairs that run before the field's own (codes)."""
        table = self.codes.get(field.name)
        return (code_repair(table),) if table else ()

    def after(self, field) -> tuple:
        """Repairs that run after the field's own (units, on the repaired numbers)."""
        unit = self.units.get(field.name)
        return (unit_repair(unit, field.get("unit")),) if unit else ()


def load_mapping(path: str, fields: list) -> Mapping:
    """Read and check a mapping file against the schema's ``fields`` (FieldSpec)."""
    import yaml

    place = os.fspath(path)
    try:
        if os.path.getsize(place) > MAX_BYTES:
            raise MappingProblem(f"{place}: a mapping file is at most {MAX_BYTES // 1024} KB")
        with open(place, "rb") as handle:
            data = yaml.safe_load(handle.read().decode("utf-8-sig"))
    except OSError as error:
        raise MappingProblem(f"{place}: cannot be read ({error.strerror or error})")
    except UnicodeDecodeError:
        raise MappingProblem(f"{place}: not UTF-8 text")
    except yaml.YAMLError as error:
        where_ = getattr(error, "problem_mark", None)
        line = f" (line {where_.line + 1})" if where_ is not None else ""
        raise MappingProblem(f"{place}: not valid YAML{line}")
    return mapping_from(data, fields, place)


def mapping_from(data, fields: list, place: str = "mapping") -> Mapping:
    """A :class:`Mapping` from the parsed YAML (a dict), checked against the schema's fields."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MappingProblem(f"{place}: a mapping is a set of sections ({', '.join(SECTIONS)})")
    unknown = [str(k) for k in data if k not in SECTIONS]
    if unknown:
        raise MappingProblem(f"{place}: unknown section {unknown[0]!r} (expected: {', '.join(SECTIONS)})")
    by_name = {f.name: f for f in fields}
    mapping = Mapping(place=place)
    for label, name in _section(data, "columns", place).items():
        if name is None:
            continue
        if str(name) not in by_name:
            raise MappingProblem(f"{place}: columns/{label}: {name!r} is not a field of the schema")
        mapping.columns[str(label)] = str(name)

    from .repairs.codes import normal

    renamed = {normal(label): name for label, name in mapping.columns.items()}

    def field_of(key: str, section: str):
        """A key of codes/units/constants: a field name, or a source label (as written, or in any case)."""
        name = key if key in by_name else mapping.columns.get(key, renamed.get(normal(key), key))
        if name not in by_name:
            raise MappingProblem(f"{place}: {section}/{key}: neither a field of the schema nor a renamed column")
        return by_name[name]

    for key, table in _section(data, "codes", place).items():
        if table is None:
            continue
        spec = field_of(key, "codes")
        if not isinstance(table, dict):
            raise MappingProblem(f"{place}: codes/{key}: expected {{source code: schema code}}")
        enum = spec.constraints.get("enum")
        entries = {}
        for source, code in table.items():
            if code is None:
                continue
            code = _text(code)
            if enum is not None and code not in [str(c) for c in enum]:
                raise MappingProblem(f"{place}: codes/{key}/{source}: {code!r} is not a code of {spec.name}")
            entries[_text(source)] = code
        if entries:
            mapping.codes[spec.name] = entries
    for key, unit in _section(data, "units", place).items():
        if unit is None:
            continue
        spec = field_of(key, "units")
        target = spec.get("unit")
        unit = str(unit)
        if spec.type not in ("number", "integer"):
            raise MappingProblem(f"{place}: units/{key}: {spec.name} is not a number field")
        if target is None:
            raise MappingProblem(f"{place}: units/{key}: the field {spec.name} declares no unit to convert to")
        if unit not in UNITS or target not in UNITS or UNITS[unit][0] != UNITS[target][0]:
            known = ", ".join(u for u in UNITS if target in UNITS and UNITS[u][0] == UNITS[target][0])
            raise MappingProblem(f"{place}: units/{key}: cannot convert {unit!r} to {target!r}"
                                 + (f" (known units of {spec.name}: {known})" if known else ""))
        if unit != target:
            mapping.units[spec.name] = unit
    for key, value in _section(data, "constants", place).items():
        if value is None:
            continue
        spec = field_of(key, "constants")
        if isinstance(value, (dict, list)):
            raise MappingProblem(f"{place}: constants/{key}: a constant is one value")
        mapping.constants[spec.name] = _text(value)
    return mapping


def _section(data: dict, key: str, place: str) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise MappingProblem(f"{place}: {key}: expected a set of 'key: value' lines")
    return {str(k): v for k, v in value.items()}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def code_repair(table: dict) -> Repair:
    def mapping_code(cells, field, context):
        """A source code the mapping file translates (``"20": led``), compared trimmed."""
        sources = pa.array(list(table), pa.string())
        index = pc.index_in(pc.utf8_trim_whitespace(cells), value_set=sources)
        answers = pc.take(pa.array(list(table.values()), pa.string()), index)
        return where(pc.is_valid(answers), answers, cells)

    return Repair("mapping-code", lambda f: True, mapping_code)


def convert(text: str, source: str, target: str) -> Optional[str]:
    """``text`` (a plain decimal in ``source`` units) in ``target`` units, exactly (``0.039`` kW → ``39`` W)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    _, factor_from, offset_from = UNITS[source]
    _, factor_to, offset_to = UNITS[target]
    base = value * factor_from + offset_from
    result = (base - offset_to) / factor_to
    out = format(result.normalize(), "f")
    return "0" if out in ("-0", "") else out


def unit_repair(source: str, target: str) -> Repair:
    def mapping_unit(cells, field, context):
        """A number in the unit the mapping file names, converted to the field's unit."""
        plain = matches(cells, "^\\s*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*$")
        if not pc.any(plain).as_py():
            return cells
        distinct = pc.unique(pc.filter(cells, plain))
        answers = pa.array([convert(t, source, target) for t in distinct.to_pylist()], pa.string())
        mapped = pc.take(answers, pc.index_in(cells, value_set=distinct))
        return where(pc.and_(plain, pc.is_valid(mapped)), mapped, cells)

    return Repair("mapping-unit", lambda f: True, mapping_unit)


def unit_in_label(label: str) -> Optional[str]:
    """The unit a column's label shows (``Puissance (kW)``, ``puiss_kw``), if it is a known one."""
    import re

    found = re.search(r"\(([^()]+)\)\s*$", label) or re.search(r"[_\s]([A-Za-z0-9%]+)\s*$", label)
    if not found:
        return None
    token = found.group(1).strip()
    spelled = {u.lower(): u for u in UNITS}
    return token if token in UNITS else spelled.get(token.lower().replace("³", "3"))


__all__ = ["Mapping", "MappingProblem", "load_mapping", "mapping_from", "convert", "unit_in_label", "UNITS"]
