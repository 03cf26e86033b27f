"""The mapping file of a legacy export (``--mapping MAP.yml``): what only the person who knows the export can say.

Why a file: an old GIS export names its columns ``TY_LAMPE`` and writes
``20`` for LED, kilowatts for watts, ``NC`` for "unknown", and has no column
for what is the same on every row (the operator). Nothing in the file says
so; the person who knows writes it once, and every later export is repaired
the same way. What ``fix`` repairs by itself (encodings, delimiters, decimal
commas, thousands separators, French dates, times and booleans, the schema's
labels, Lambert 93) needs no line here. Every section is optional::

    schema: street-lighting/light_points@2.1.0   # the table (when --schema is not given)
    source:                   # how to read the export
      file: export.csv        # FILE, when the command line gives none (a path in this folder)
      header_row: 2           # the line of the column names (a title above it)
      missing_values: [NC, "-"]   # cells meaning "no value": written empty
      timezone: Europe/Paris  # of naive local date-times (as --timezone)
      encoding: cp1252        # and delimiter: only where detection is not wanted
    expected: ../valid/points.csv   # the copy this mapping is known to give (for tests; not read)
    columns:                  # source label -> schema field (or [fields]: one column, several fields)
      TY_LAMPE: lamp_technology
    drop: [Commentaire]       # source columns never copied (nor reported)
    exclude: {ETAT: [Test]}   # source label -> values: rows left out of the copy
    split:                    # one column holding several fields ("23h-5h")
      Extinction: {separator: "-", into: [switch_off_start, switch_off_end]}
    unpivot:                  # one column per channel -> one row per channel
      value: count
      columns: {"Vélos vers Rezé": {channel_id: NTE-S}}
    distinct: [site_id]       # a row repeating these fields' values is left out (the first stays)
    codes:                    # field (or source label) -> {source code: schema code}; "" = no value
      lamp_technology: {"20": led}
    units:                    # field (or source label) -> the unit the source is in (UCUM)
      power_w: kW
    constants:                # field -> the value of every row where the source has none
      operator: Ville de Grenoble
      personal_data_legal_basis: {value: no_personal_data, when: {"Données perso": N}}
    case: {container_id: upper}       # or lower
    prefix: {light_point_id: "PL-"}   # put before every value that lacks it
    zero_pad: {insee_code: 5}         # digits padded with leading zeros
    decimals: {latitude: 5, height_m: {max: 1}}   # exactly 5 decimals; at most 1 (8,0 -> 8)
    shift: {end_datetime: PT1H}       # an ISO 8601 duration added to a date-time

A value left empty (``~``) is ignored: a draft from ``--suggest-mapping`` reads
as it is. The file is read as hostile input: at most 1 MB of UTF-8, safe YAML
without aliases, paths only inside its folder, and every problem is a one-line
:class:`MappingProblem` naming the key.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Optional

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from .repairs import Repair, matches, where


MAX_BYTES = 1 << 20
SECTIONS = ("schema", "source", "expected", "columns", "drop", "exclude", "split", "unpivot", "distinct", "codes",
            "units", "constants", "case", "prefix", "zero_pad", "decimals", "shift")
SOURCE_KEYS = ("file", "header_row", "missing_values", "timezone", "encoding", "delimiter")
#: bounds of what a mapping may ask (each one a one-line error beyond it)
MAX_HEADER_ROW = 100
MAX_TEXT = 200
MAX_PARTS = 50
MAX_DECIMALS = 15
MAX_PAD = 64

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
    "W.h": ("energy", Decimal(1), 0), "kW.h": ("energy", Decimal(1000), 0), "MW.h": ("energy", Decimal(10) ** 6, 0),
    "GW.h": ("energy", Decimal(10) ** 9, 0), "V.A": ("apparent power", Decimal(1), 0),
    "kV.A": ("apparent power", Decimal(1000), 0),
    "L/h": ("volume flow", Decimal(1), 0), "m3/h": ("volume flow", Decimal(1000), 0),
    "L/s": ("volume flow", Decimal(3600), 0), "m3/s": ("volume flow", Decimal(3600000), 0),
}


class MappingProblem(Exception):
    """The mapping file cannot be used; the message says where and why."""


@dataclass
class Split:
    """One source column holding several fields: ``into[k]`` (a field name or None) takes part ``k``."""

    label: str
    separator: str
    into: list


@dataclass
class Unpivot:
    """A wide export: each of ``columns`` (label -> {field: text}) gives one copy row per source row,
    its cell going to ``value`` and its constants to their fields."""

    value: str
    columns: dict


@dataclass
class Condition:
    """A constant given only to rows whose source column ``label`` holds one of ``values`` (trimmed)."""

    field: str
    value: str
    label: str
    values: list


@dataclass
class Mapping:
    """A loaded mapping, its keys resolved to the schema's field names."""

    columns: dict = dataclass_field(default_factory=dict)  # source label -> [field names]
    codes: dict = dataclass_field(default_factory=dict)  # field name -> {source text: code, or None: no value}
    units: dict = dataclass_field(default_factory=dict)  # field name -> source unit
    constants: dict = dataclass_field(default_factory=dict)  # field name -> text
    conditions: list = dataclass_field(default_factory=list)  # [Condition]
    place: str = ""
    schema: Optional[str] = None  # as written (a catalogue name), or resolved in the mapping's folder
    file: Optional[str] = None  # source/file, resolved in the mapping's folder
    expected: Optional[str] = None
    header_row: Optional[int] = None
    missing_values: list = dataclass_field(default_factory=list)
    timezone: Optional[str] = None
    encoding: Optional[str] = None
    delimiter: Optional[str] = None
    drop: list = dataclass_field(default_factory=list)  # source labels
    exclude: dict = dataclass_field(default_factory=dict)  # source label -> [texts]
    split: list = dataclass_field(default_factory=list)  # [Split]
    unpivot: Optional[Unpivot] = None
    distinct: list = dataclass_field(default_factory=list)  # field names
    case: dict = dataclass_field(default_factory=dict)
    prefix: dict = dataclass_field(default_factory=dict)
    zero_pad: dict = dataclass_field(default_factory=dict)
    decimals: dict = dataclass_field(default_factory=dict)  # field name -> (count, exact)
    shift: dict = dataclass_field(default_factory=dict)  # field name -> (days, seconds)

    def before(self, field) -> tuple:
        """Repairs that run before the field's own: the missing values, then the codes."""
        steps = []
        if self.missing_values:
            from .steps import missing_step

            steps.append(missing_step(self.missing_values))
        table = self.codes.get(field.name)
        if table:
            steps.append(code_repair(table))
        return tuple(steps)

    def after(self, field) -> tuple:
        """Repairs that run after the field's own: units (on the repaired numbers), case, zero padding, prefix."""
        from .steps import case_step, prefix_step, zero_pad_step

        steps = []
        unit = self.units.get(field.name)
        if unit:
            steps.append(unit_repair(unit, field.get("unit")))
        if field.name in self.case:
            steps.append(case_step(self.case[field.name]))
        if field.name in self.zero_pad:
            steps.append(zero_pad_step(self.zero_pad[field.name]))
        if field.name in self.prefix:
            steps.append(prefix_step(self.prefix[field.name]))
        return tuple(steps)

    def reserved(self) -> list:
        """Source labels no field may take by its name: dropped, split or unpivoted columns."""
        return list(self.drop) + [s.label for s in self.split] + (list(self.unpivot.columns) if self.unpivot else [])

    def used(self) -> list:
        """Source labels read by the mapping although no field takes them (never reported as left out)."""
        return self.reserved() + list(self.exclude) + [c.label for c in self.conditions]

    def fed(self) -> set:
        """Fields filled from the source by a split or an unpivot (not absent from it)."""
        names = {name for s in self.split for name in s.into if name}
        if self.unpivot:
            names.add(self.unpivot.value)
            names.update(name for constants in self.unpivot.columns.values() for name in constants)
        return names


class _Loader(yaml.SafeLoader):
    """Safe YAML without aliases: ``*name`` can make a small file stand for a huge one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted", event.start_mark)
        return super().compose_node(parent, index)


def read_mapping(path: str):
    """The parsed YAML of a mapping file (bounded, UTF-8, no aliases), unchecked."""
    place = os.fspath(path)
    try:
        if os.path.getsize(place) > MAX_BYTES:
            raise MappingProblem(f"{place}: a mapping file is at most {MAX_BYTES // 1024} KB")
        with open(place, "rb") as handle:
            text = handle.read(MAX_BYTES + 1).decode("utf-8-sig")
        return yaml.load(text, Loader=_Loader)
    except OSError as error:
        raise MappingProblem(f"{place}: cannot be read ({error.strerror or error})")
    except UnicodeDecodeError:
        raise MappingProblem(f"{place}: not UTF-8 text")
    except yaml.YAMLError as error:
        where_ = getattr(error, "problem_mark", None)
        line = f" (line {where_.line + 1})" if where_ is not None else ""
        if "aliases" in str(getattr(error, "problem", "")):
            raise MappingProblem(f"{place}: aliases (*name) are not accepted{line}")
        raise MappingProblem(f"{place}: not valid YAML{line}")


def load_mapping(path: str, fields: list) -> Mapping:
    """Read and check a mapping file against the schema's ``fields`` (FieldSpec)."""
    place = os.fspath(path)
    return mapping_from(read_mapping(place), fields, place, folder=os.path.dirname(os.path.abspath(place)))


def mapping_schema(data, place: str, folder: Optional[str]) -> Optional[str]:
    """The ``schema`` a mapping names (a catalogue name as written, a ``.json`` path resolved in its
    folder), or None."""
    if not isinstance(data, dict) or data.get("schema") is None:
        return None
    value = data["schema"]
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise MappingProblem(f"{place}: schema: expected a text of 1 to {MAX_TEXT} characters")
    if value.lower().endswith(".json"):  # a Table Schema beside the mapping
        return _inside(value, place, folder, "schema")
    return value  # a catalogue name: street-lighting/light_points@2.1.0


def mapping_source_file(data, place: str, folder: Optional[str]) -> Optional[str]:
    """The export a mapping names (``source/file``, resolved in its folder), or None."""
    section = data.get("source") if isinstance(data, dict) else None
    if not isinstance(section, dict) or section.get("file") is None:
        return None
    return _inside(section["file"], place, folder, "source/file")


def _inside(value, place: str, folder: Optional[str], key: str) -> str:
    """``value``, a relative path, resolved in the mapping's ``folder`` (which it may not leave)."""
    from ..readers import SourceProblem, policy
    from ..readers.trust import resolve
    from ..schema.catalogue import catalogue_root

    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise MappingProblem(f"{place}: {key}: expected a text of 1 to {MAX_TEXT} characters")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", value) or os.path.isabs(value) or value.startswith("~"):
        raise MappingProblem(f"{place}: {key}: expected a path relative to the mapping's folder")
    try:
        with policy.applied(policy.make(root=catalogue_root())):
            return resolve(value, folder, key)
    except SourceProblem as problem:
        raise MappingProblem(f"{place}: {problem.note}")


def mapping_from(data, fields: list, place: str = "mapping", folder: Optional[str] = None) -> Mapping:
    """A :class:`Mapping` from the parsed YAML (a dict), checked against the schema's fields.

    ``folder``: where the mapping's paths are (None for a mapping given as a dict: the caller's own)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MappingProblem(f"{place}: a mapping is a set of sections ({', '.join(SECTIONS)})")
    unknown = [str(k) for k in data if k not in SECTIONS]
    if unknown:
        raise MappingProblem(f"{place}: unknown section {unknown[0]!r} (expected: {', '.join(SECTIONS)})")
    check = _Checker(fields, place)
    mapping = Mapping(place=place)
    mapping.schema = mapping_schema(data, place, folder)
    if data.get("expected") is not None:
        mapping.expected = _inside(data["expected"], place, folder, "expected")
    _source(check, _section(data, "source", place), mapping, folder)
    by_name = check.by_name
    for label, names in _section(data, "columns", place).items():
        if names is None:
            continue
        targets = names if isinstance(names, list) else [names]
        if not targets or len(targets) > MAX_PARTS:
            raise MappingProblem(f"{place}: columns/{label}: expected a field, or a list of 1 to {MAX_PARTS} fields")
        for name in targets:
            if isinstance(name, (dict, list)) or str(name) not in by_name:
                raise MappingProblem(f"{place}: columns/{label}: {_shown(name)} is not a field of the schema")
            check.feed(str(name), f"columns/{label}")
        mapping.columns[str(label)] = [str(name) for name in targets]

    from .repairs.codes import normal

    renamed = {normal(label): names for label, names in mapping.columns.items()}

    def field_of(key: str, section: str):
        """A key of a field section: a field name, or a source label (as written, or in any case)."""
        if key in by_name:
            return by_name[key]
        names = mapping.columns.get(key, renamed.get(normal(key)))
        if not names:
            raise MappingProblem(f"{place}: {section}/{key}: neither a field of the schema nor a renamed column")
        if len(names) > 1:
            raise MappingProblem(f"{place}: {section}/{key}: the column feeds several fields "
                                 f"({', '.join(names)}): name the field")
        return by_name[names[0]]

    mapping.drop = check.labels(data.get("drop"), "drop")
    for label, values in _section(data, "exclude", place).items():
        if values is not None:
            mapping.exclude[label] = check.texts(values, f"exclude/{label}")
    for label, spec in _section(data, "split", place).items():
        if spec is not None:
            mapping.split.append(_split(check, label, spec))
    if data.get("unpivot") is not None:
        mapping.unpivot = _unpivot(check, data["unpivot"])
    if data.get("distinct") is not None:
        names = check.labels(data["distinct"], "distinct")
        mapping.distinct = [field_of(name, "distinct").name for name in names]
    _overlaps(mapping, place)

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
            if isinstance(code, (dict, list)):
                raise MappingProblem(f"{place}: codes/{key}/{source}: expected a text")
            code = _text(code)
            if code != "" and enum is not None and code not in [str(c) for c in enum]:
                raise MappingProblem(f"{place}: codes/{key}/{source}: {code!r} is not a code of {spec.name}")
            entries[_text(source)] = code or None
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
    constant_keys: dict = {}
    for key, value in _section(data, "constants", place).items():
        if value is None:
            continue
        spec = field_of(key, "constants")
        if spec.name in constant_keys:  # one constant per field (named once by its field, once by its column)
            check.refuse(f"constants/{key}", f"the field {spec.name} is already filled by {constant_keys[spec.name]}")
        constant_keys[spec.name] = f"constants/{key}"
        if isinstance(value, list):
            raise MappingProblem(f"{place}: constants/{key}: a constant is one value")
        if isinstance(value, dict):
            mapping.conditions.append(_condition(check, spec, key, value))
            continue
        mapping.constants[spec.name] = check.code(spec, _text(value), f"constants/{key}")
    for key, how in _section(data, "case", place).items():
        if how is not None:
            spec = field_of(key, "case")
            if how not in ("upper", "lower"):
                raise MappingProblem(f"{place}: case/{key}: expected upper or lower")
            mapping.case[spec.name] = check.kind(spec, how, "string", f"case/{key}")
    for key, text in _section(data, "prefix", place).items():
        if text is not None:
            spec = field_of(key, "prefix")
            mapping.prefix[spec.name] = check.kind(spec, check.text(text, f"prefix/{key}"), "string", f"prefix/{key}")
    for key, width in _section(data, "zero_pad", place).items():
        if width is not None:
            spec = field_of(key, "zero_pad")
            mapping.zero_pad[spec.name] = check.kind(spec, check.whole(width, 1, MAX_PAD, f"zero_pad/{key}"),
                                                     "string", f"zero_pad/{key}")
    for key, count in _section(data, "decimals", place).items():
        if count is None:
            continue
        spec = field_of(key, "decimals")
        if isinstance(count, dict):  # {max: N}: at most N, trailing zeros dropped
            if set(count) != {"max"}:
                check.refuse(f"decimals/{key}", "expected a count of decimals, or {max: a count}")
            decimals = (check.whole(count["max"], 0, MAX_DECIMALS, f"decimals/{key}/max"), False)
        else:
            decimals = (check.whole(count, 0, MAX_DECIMALS, f"decimals/{key}"), True)
        mapping.decimals[spec.name] = check.kind(spec, decimals, "number", f"decimals/{key}")
    for key, text in _section(data, "shift", place).items():
        if text is not None:
            spec = field_of(key, "shift")
            from .steps import duration_of

            duration = duration_of(str(text)) if isinstance(text, str) else None
            if duration is None:
                raise MappingProblem(f"{place}: shift/{key}: {_shown(text)} is not an ISO 8601 duration of days and "
                                     f"hours (like PT1H or P1D)")
            mapping.shift[spec.name] = check.kind(spec, duration, "datetime", f"shift/{key}")
    return mapping


class _Checker:
    """The shapes a mapping's values must have, each refused in one line naming its key."""

    def __init__(self, fields: list, place: str):
        self.by_name = {f.name: f for f in fields}
        self.place = place
        self.feeds: dict = {}  # field -> the key that fills it from the source

    def refuse(self, key: str, problem: str):
        raise MappingProblem(f"{self.place}: {key}: {problem}")

    def field(self, name, key: str):
        if isinstance(name, (dict, list)) or str(name) not in self.by_name:
            self.refuse(key, f"{_shown(name)} is not a field of the schema")
        return self.by_name[str(name)]

    def feed(self, name: str, key: str) -> None:
        """``name`` is filled from the source by ``key``; once only."""
        if name in self.feeds:
            self.refuse(key, f"the field {name} is already filled by {self.feeds[name]}")
        self.feeds[name] = key

    def text(self, value, key: str, empty: bool = False) -> str:
        if isinstance(value, (dict, list)) or value is None:
            self.refuse(key, f"expected a text of 1 to {MAX_TEXT} characters")
        text = _text(value)
        if len(text) > MAX_TEXT or (not text and not empty):
            self.refuse(key, f"expected a text of 1 to {MAX_TEXT} characters")
        return text

    def texts(self, value, key: str) -> list:
        """One text or a list of texts (at most 1,000)."""
        values = value if isinstance(value, list) else [value]
        if len(values) > 1000:
            self.refuse(key, "expected a list of at most 1000 texts")
        return [self.text(v, key, empty=True) for v in values]

    def labels(self, value, key: str) -> list:
        return [] if value is None else [label for label in self.texts(value, key) if label]

    def whole(self, value, low: int, high: int, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.refuse(key, f"expected a whole number from {low} to {high}")
        return value

    def kind(self, spec, value, kind: str, key: str):
        """``value``, for a field of type ``kind`` only."""
        if kind == "number" and spec.type not in ("number", "integer"):
            self.refuse(key, f"{spec.name} is not a number field")
        if kind == "string" and spec.type != "string":
            self.refuse(key, f"{spec.name} is not a string field")
        if kind == "datetime" and spec.type != "datetime":
            self.refuse(key, f"{spec.name} is not a date-time field")
        return value

    def code(self, spec, value: str, key: str) -> str:
        enum = spec.constraints.get("enum")
        if value and enum is not None and value not in [str(c) for c in enum]:
            self.refuse(key, f"{value!r} is not a code of {spec.name}")
        return value


def _source(check: _Checker, section: dict, mapping: Mapping, folder: Optional[str]) -> None:
    for key in section:
        if key not in SOURCE_KEYS:
            check.refuse("source", f"unknown key {key!r} (expected: {', '.join(SOURCE_KEYS)})")
    if section.get("file") is not None:
        mapping.file = _inside(section["file"], check.place, folder, "source/file")
    if section.get("header_row") is not None:
        mapping.header_row = check.whole(section["header_row"], 1, MAX_HEADER_ROW, "source/header_row")
    if section.get("missing_values") is not None:
        mapping.missing_values = [v for v in check.texts(section["missing_values"], "source/missing_values") if v]
    if section.get("timezone") is not None:
        name = check.text(section["timezone"], "source/timezone")
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            check.refuse("source/timezone", f"{name!r} is not a time zone of the IANA database (like Europe/Paris)")
        mapping.timezone = name
    if section.get("encoding") is not None:
        import codecs

        name = check.text(section["encoding"], "source/encoding")
        try:
            codecs.lookup(name)
        except LookupError:
            check.refuse("source/encoding", f"unknown encoding {name!r}")
        mapping.encoding = name
    if section.get("delimiter") is not None:
        text = check.text(section["delimiter"], "source/delimiter")
        if len(text) != 1 or text in "\"'\r\n":
            check.refuse("source/delimiter", "a delimiter is one character, other than a quote or a line break")
        mapping.delimiter = text


def _split(check: _Checker, label: str, spec) -> Split:
    key = f"split/{label}"
    if not isinstance(spec, dict) or set(spec) - {"separator", "into"} or "separator" not in spec or "into" not in spec:
        check.refuse(key, "expected separator (a text) and into (the fields of the parts, ~ for a part left out)")
    separator = check.text(spec["separator"], f"{key}/separator")
    into = spec["into"]
    if not isinstance(into, list) or not 2 <= len(into) <= MAX_PARTS:
        check.refuse(f"{key}/into", f"expected a list of 2 to {MAX_PARTS} fields (~ for a part left out)")
    names = []
    for name in into:
        if name is None:
            names.append(None)
            continue
        check.field(name, f"{key}/into")
        check.feed(str(name), key)
        names.append(str(name))
    if not any(names):
        check.refuse(f"{key}/into", f"expected a list of 2 to {MAX_PARTS} fields (~ for a part left out)")
    return Split(label, separator, names)


def _unpivot(check: _Checker, spec) -> Unpivot:
    if not isinstance(spec, dict) or set(spec) != {"value", "columns"} or not isinstance(spec["columns"], dict) \
            or not spec["columns"]:
        check.refuse("unpivot", "expected value (the field of the cells) and columns (source label: {field: value})")
    value = check.field(spec["value"], "unpivot/value").name
    check.feed(value, "unpivot")
    columns = {}
    constant_fields = set()
    for label, constants in spec["columns"].items():
        key = f"unpivot/columns/{label}"
        if constants is None:
            constants = {}
        if not isinstance(constants, dict):
            check.refuse(key, "expected {field: value}")
        row = {}
        for name, text in constants.items():
            spec_ = check.field(name, key)
            if spec_.name == value:
                check.refuse(key, f"the field {value} is already filled by unpivot")
            row[spec_.name] = check.code(spec_, check.text(text, f"{key}/{name}"), f"{key}/{name}")
            constant_fields.add(spec_.name)
        columns[_text(label)] = row
    for name in sorted(constant_fields):
        check.feed(name, "unpivot")
    return Unpivot(value, columns)


def _condition(check: _Checker, spec, key: str, value: dict) -> Condition:
    where_ = f"constants/{key}"
    if set(value) != {"value", "when"} or not isinstance(value["when"], dict) or len(value["when"]) != 1:
        check.refuse(where_, "a constant is one value, or value and when (one source label: its values)")
    text = check.code(spec, check.text(value["value"], f"{where_}/value"), f"{where_}/value")
    (label, values), = value["when"].items()
    return Condition(spec.name, text, _text(label), check.texts(values, f"{where_}/when/{label}"))


def _overlaps(mapping: Mapping, place: str) -> None:
    """A source column has one use: renamed, dropped, split or unpivoted."""
    uses: dict = {}
    for section, labels in (("columns", list(mapping.columns)), ("drop", mapping.drop),
                            ("split", [s.label for s in mapping.split]),
                            ("unpivot", list(mapping.unpivot.columns) if mapping.unpivot else [])):
        for label in labels:
            if label in uses:
                raise MappingProblem(f"{place}: {section}/{label}: the column is also named in {uses[label]}")
            uses[label] = section


def _shown(value) -> str:
    return repr(_text(value)) if not isinstance(value, (dict, list)) else "a set of lines"


def _section(data: dict, key: str, place: str) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise MappingProblem(f"{place}: {key}: expected a set of 'key: value' lines")
    return {_text(k): v for k, v in value.items()}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def code_repair(table: dict) -> Repair:
    def mapping_code(cells, field, context):
        """A source code the mapping file translates (``"20": led``; ``"Sans limite": ""`` empties the
        cell), compared trimmed."""
        sources = pa.array(list(table), pa.string())
        index = pc.index_in(pc.utf8_trim_whitespace(cells), value_set=sources)
        answers = pc.take(pa.array(list(table.values()), pa.string()), index)
        return where(pc.is_valid(index), answers, cells)  # a code to None ("") empties the cell

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
