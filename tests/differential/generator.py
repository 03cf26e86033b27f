"""Seeded valid tables + Table Schemas, and seeded mutations of their CSV text.

A case is built in three steps, all driven by one ``random.Random(seed)``:

1. :func:`build_table`: a schema with an ``id`` integer, an optional ``code``
   string (for a composite primary key), 2-4 typed fields (the *focus* variant
   first) and an optional ``parent`` integer with a self-referencing foreign
   key to ``id``; plus rows that are valid against it.
2. one mutation from :data:`MUTATIONS` (the header, the rows, the delimiter,
   the encoding or the raw lines), chosen by the seed among those applicable.
3. :meth:`Table.render`: the CSV bytes.

Every variant class knows its descriptor, a valid text for row ``i``, texts
of the wrong type and a text breaking one of its constraints.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Callable, Optional

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo"]
ACCENTED = ["élodie", "café", "forêt", "garçon", "noël", "àbçdé", "île", "œuvre"]
ENUM_WORDS = ["nord", "sud", "est", "ouest"]
TABLESCHEMA_V2 = "https://datapackage.org/profiles/2.0/tableschema.json"


# --------------------------------------------------------------------------- variants


class Variant:
    """One field of a generated table: its descriptor and its cell texts."""

    key = "?"
    type = "string"
    #: constraints this variant may declare (a random subset is drawn)
    may = ("required",)
    is_string = False
    is_number = False
    is_date = False
    is_datetime = False

    def __init__(self, rng: random.Random, name: str):
        self.rng = rng
        self.name = name
        self.descriptor = {"name": name, "type": self.type}
        self.descriptor.update(self.extra())
        self.constraints = self.draw_constraints()
        if self.constraints:
            self.descriptor["constraints"] = self.constraints

    # -- descriptor
    def extra(self) -> dict:
        return {}

    def draw_constraints(self) -> dict:
        chosen = {}
        for name in self.may:
            if self.rng.random() < 0.35:
                chosen[name] = True
        return self.constraint_values(chosen)

    def constraint_values(self, chosen: dict) -> dict:
        return {k: True for k in chosen if k in ("required", "unique")}

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique"))

    # -- cells
    def value(self, i: int) -> str:
        raise NotImplementedError

    def wrong(self) -> list:
        return []

    def out_of_range(self) -> Optional[str]:
        return None


class StringV(Variant):
    key, type = "string", "string"
    may = ("required", "unique", "minLength", "maxLength", "pattern", "enum")
    is_string = True

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "enum" in chosen:
            out.pop("unique", None)
            out["enum"] = list(ENUM_WORDS)
            return out
        if "minLength" in chosen:
            out["minLength"] = 3
        if "maxLength" in chosen:
            out["maxLength"] = 16
        if "pattern" in chosen:
            out["pattern"] = "[a-z]+[0-9]*"
        return out

    def value(self, i):
        if "enum" in self.constraints:
            return self.rng.choice(ENUM_WORDS)
        return f"{self.rng.choice(WORDS)}{i}"

    def out_of_range(self):
        c = self.constraints
        if "enum" in c:
            return "nulle-part"
        if "pattern" in c:
            return "Bad-Value"
        if "maxLength" in c:
            return "x" * 40
        if "minLength" in c:
            return "ab"
        return None


class EmailV(StringV):
    key = "string-email"
    may = ("required", "unique", "maxLength")

    def extra(self):
        return {"format": "email"}

    def value(self, i):
        return f"{self.rng.choice(WORDS)}{i}@example.org"

    def wrong(self):
        return ["not-an-email", "user@", "a b@example.org"]

    def constraint_values(self, chosen):
        out = {k: True for k in chosen if k in ("required", "unique")}
        if "maxLength" in chosen:
            out["maxLength"] = 40
        return out

    def out_of_range(self):
        return ("y" * 40 + "@example.org") if "maxLength" in self.constraints else None


class UriV(EmailV):
    key = "string-uri"

    def extra(self):
        return {"format": "uri"}

    def value(self, i):
        return f"https://example.org/{self.rng.choice(WORDS)}/{i}"

    def wrong(self):
        return ["example.org/page", "not a uri", "://missing"]

    def out_of_range(self):
        return ("https://example.org/" + "p" * 40) if "maxLength" in self.constraints else None


class UuidV(EmailV):
    key = "string-uuid"
    may = ("required", "unique")

    def extra(self):
        return {"format": "uuid"}

    def value(self, i):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def wrong(self):
        return ["1234-not-a-uuid", "123e4567-e89b-12d3-a456-42661417400"]


class NumberV(Variant):
    key, type = "number", "number"
    may = ("required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
    is_number = True

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minimum" in chosen:
            out["minimum"] = 0
        elif "exclusiveMinimum" in chosen:
            out["exclusiveMinimum"] = 5
        if "maximum" in chosen:
            out["maximum"] = 5000
        elif "exclusiveMaximum" in chosen:
            out["exclusiveMaximum"] = 10000
        return out

    def number(self, i) -> tuple[int, int]:
        return 10 + 37 * i, self.rng.randint(0, 99)

    def value(self, i):
        whole, frac = self.number(i)
        return f"{whole}.{frac:02d}"

    def wrong(self):
        return ["abc", "12.5.3", "1O0", "12..5"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "-12.5"
        if "exclusiveMinimum" in c:
            return "5"
        if "maximum" in c:
            return "5000.01"
        if "exclusiveMaximum" in c:
            return "10000"
        return None


class NumberCommaV(NumberV):
    key = "number-decimalchar"

    def extra(self):
        self.group = self.rng.choice([" ", ".", ""])
        out = {"decimalChar": ","}
        if self.group:
            out["groupChar"] = self.group
        return out

    def number(self, i):
        return 1000 + 137 * i, self.rng.randint(0, 99)

    def value(self, i):
        whole, frac = self.number(i)
        text = f"{whole:,}".replace(",", self.group)
        return f"{text},{frac:02d}"

    def wrong(self):
        return ["abc", "1,2,3"] + (["12.5"] if self.group != "." else [])

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "-12,5"
        if "maximum" in c:
            return "5000,01"
        return super().out_of_range()


class NumberBareV(NumberV):
    key = "number-barenumber"

    def extra(self):
        self.affix = self.rng.choice([("€", ""), ("", " €"), ("", "%"), ("EUR ", "")])
        return {"bareNumber": False}

    def value(self, i):
        whole, frac = self.number(i)
        return f"{self.affix[0]}{whole}.{frac:02d}{self.affix[1]}"

    def wrong(self):
        return ["abc", "€", "12.5.3 €"]


class IntegerV(Variant):
    key, type = "integer", "integer"
    may = ("required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
    is_number = True

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "enum" in chosen:
            out.pop("unique", None)
            out["enum"] = [1, 2, 3, 5, 8]
            return out
        if "minimum" in chosen:
            out["minimum"] = 1
        elif "exclusiveMinimum" in chosen:
            out["exclusiveMinimum"] = 0
        if "maximum" in chosen:
            out["maximum"] = 1000
        elif "exclusiveMaximum" in chosen:
            out["exclusiveMaximum"] = 1000
        return out

    def value(self, i):
        if "enum" in self.constraints:
            return str(self.rng.choice([1, 2, 3, 5, 8]))
        return str(10 + 7 * i + (self.rng.randint(0, 6) if not self.unique else 0))

    def wrong(self):
        return ["12.5", "abc", "1e3", "12 000"]

    def out_of_range(self):
        c = self.constraints
        if "enum" in c:
            return "4"
        if "minimum" in c:
            return "0"
        if "exclusiveMinimum" in c:
            return "0"
        if "maximum" in c or "exclusiveMaximum" in c:
            return "1000" if "exclusiveMaximum" in c else "1001"
        return None


class IntegerBareV(IntegerV):
    key = "integer-barenumber"
    may = ("required", "unique", "minimum", "maximum")

    def extra(self):
        self.affix = self.rng.choice([("", " €"), ("n°", ""), ("", " km")])
        return {"bareNumber": False}

    def value(self, i):
        return f"{self.affix[0]}{super().value(i)}{self.affix[1]}"

    def wrong(self):
        return ["abc", "12.5 km"]


class BooleanV(Variant):
    key, type = "boolean", "boolean"
    may = ("required",)

    def value(self, i):
        return self.rng.choice(["true", "false", "True", "FALSE", "1", "0"])

    def wrong(self):
        return ["maybe", "yes", "2", "vrai"]


class BooleanCustomV(BooleanV):
    key = "boolean-custom"

    def extra(self):
        return {"trueValues": ["oui", "Oui", "O"], "falseValues": ["non", "Non", "N"]}

    def value(self, i):
        return self.rng.choice(["oui", "Oui", "O", "non", "Non", "N"])

    def wrong(self):
        return ["true", "0", "peut-être"]


class DateV(Variant):
    key, type = "date", "date"
    may = ("required", "unique", "minimum", "maximum")
    is_date = True

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minimum" in chosen:
            out["minimum"] = "1990-01-01"
        if "maximum" in chosen:
            out["maximum"] = "2030-12-31"
        return out

    def date(self, i) -> dt.date:
        return dt.date(2000, 1, 1) + dt.timedelta(days=41 * i + self.rng.randint(0, 40))

    def value(self, i):
        return self.date(i).isoformat()

    def wrong(self):
        return ["2020-13-45", "demain", "2020/01/05", "20200105"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "1850-06-15"
        if "maximum" in c:
            return "2099-01-01"
        return None


class DateAnyV(DateV):
    key = "date-any"
    may = ("required", "unique")

    def extra(self):
        return {"format": "any"}

    def value(self, i):
        return self.date(i).strftime(self.rng.choice(["%Y-%m-%d", "%d %B %Y", "%B %d, %Y"]))

    def wrong(self):
        return ["demain", "pas de date", "2020-13-45"]


class DatePatternV(DateV):
    key = "date-pattern"

    def extra(self):
        return {"format": "%d/%m/%Y"}

    def constraint_values(self, chosen):
        out = Variant.constraint_values(self, chosen)
        if "minimum" in chosen:
            out["minimum"] = "01/01/1990"
        if "maximum" in chosen:
            out["maximum"] = "31/12/2030"
        return out

    def value(self, i):
        return self.date(i).strftime("%d/%m/%Y")

    def wrong(self):
        return ["2020-01-05", "31/13/2020", "5 janvier 2020"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "15/06/1850"
        if "maximum" in c:
            return "01/01/2099"
        return None


class DateDefaultValueV(DateV):
    """A date with an explicit ``"format": "default"``."""

    key = "date-default"

    def extra(self):
        return {"format": "default"}


class TimeV(Variant):
    key, type = "time", "time"
    may = ("required", "unique", "minimum", "maximum")

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minimum" in chosen:
            out["minimum"] = "06:00:00"
        if "maximum" in chosen:
            out["maximum"] = "22:00:00"
        return out

    def value(self, i):
        return f"{8 + i % 12:02d}:{(7 * i) % 60:02d}:{self.rng.randint(0, 59):02d}"

    def wrong(self):
        return ["25:00:00", "midi", "12h30", "12:61:00"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "03:00:00"
        if "maximum" in c:
            return "23:30:00"
        return None


class DatetimeV(Variant):
    key, type = "datetime", "datetime"
    may = ("required", "unique", "minimum", "maximum")
    is_datetime = True

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minimum" in chosen:
            out["minimum"] = "1990-01-01T00:00:00Z"
        if "maximum" in chosen:
            out["maximum"] = "2030-12-31T23:59:59Z"
        return out

    def value(self, i):
        moment = dt.datetime(2001, 1, 1) + dt.timedelta(days=13 * i, seconds=self.rng.randint(0, 86399))
        zone = "Z" if ("minimum" in self.constraints or "maximum" in self.constraints) else \
            self.rng.choice(["Z", "", "+02:00"])
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + zone

    def wrong(self):
        return ["2020-01-05", "hier soir", "2020-01-05 25:00:00"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "1850-01-01T00:00:00Z"
        if "maximum" in c:
            return "2099-01-01T00:00:00Z"
        return None


class DatetimeAnyV(DatetimeV):
    key = "datetime-any"
    may = ("required", "unique")

    def extra(self):
        return {"format": "any"}

    def value(self, i):
        moment = dt.datetime(2001, 1, 1) + dt.timedelta(days=13 * i, seconds=self.rng.randint(0, 86399))
        return moment.strftime(self.rng.choice(["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%d %B %Y %H:%M"]))

    def wrong(self):
        return ["hier soir", "pas une date"]


class YearV(Variant):
    key, type = "year", "year"
    may = ("required", "unique", "minimum", "maximum")

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minimum" in chosen:
            out["minimum"] = 1900
        if "maximum" in chosen:
            out["maximum"] = 2100
        return out

    def value(self, i):
        return str(1990 + i)

    def wrong(self):
        return ["20x0", "199", "2020.5", "MMXX"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "1850"
        if "maximum" in c:
            return "2200"
        return None


class YearmonthV(Variant):
    key, type = "yearmonth", "yearmonth"
    may = ("required", "unique", "minimum", "maximum")

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minimum" in chosen:
            out["minimum"] = "1990-01"
        if "maximum" in chosen:
            out["maximum"] = "2100-12"
        return out

    def value(self, i):
        return f"{2000 + i}-{self.rng.randint(1, 12):02d}"

    def wrong(self):
        return ["2020-13", "2020/05", "mai 2020"]

    def out_of_range(self):
        c = self.constraints
        if "minimum" in c:
            return "1850-01"
        if "maximum" in c:
            return "2200-01"
        return None


class DurationV(Variant):
    key, type = "duration", "duration"
    may = ("required", "unique")

    def value(self, i):
        return self.rng.choice([f"P{i + 1}DT{self.rng.randint(0, 23)}H", f"PT{i + 1}M", f"P1Y{i + 1}M"])

    def wrong(self):
        return ["1 jour", "P", "3h"]


class GeopointV(Variant):
    key, type = "geopoint", "geopoint"
    may = ("required", "unique")

    def coords(self, i):
        return round(2 + i * 0.137 + self.rng.random() / 100, 5), round(45 + self.rng.random(), 5)

    def value(self, i):
        lon, lat = self.coords(i)
        return f"{lon},{lat}" if self.rng.random() < 0.5 else f"{lon}, {lat}"

    def wrong(self):
        return ["abc", "200,100", "45.1"]


class GeopointArrayV(GeopointV):
    key = "geopoint-array"

    def extra(self):
        return {"format": "array"}

    def value(self, i):
        lon, lat = self.coords(i)
        return f"[{lon}, {lat}]"

    def wrong(self):
        return ["[1]", "2.3,45.1", "[200, 100]"]


class GeopointObjectV(GeopointV):
    key = "geopoint-object"

    def extra(self):
        return {"format": "object"}

    def value(self, i):
        lon, lat = self.coords(i)
        return json.dumps({"lon": lon, "lat": lat})

    def wrong(self):
        return ['{"x": 1, "y": 2}', "[2.3, 45.1]", '{"lon": 500, "lat": 45}']


class GeojsonV(Variant):
    key, type = "geojson", "geojson"
    may = ("required",)

    def value(self, i):
        lon, lat = round(2 + i * 0.1, 4), round(45 + self.rng.random(), 4)
        return json.dumps(self.rng.choice([
            {"type": "Point", "coordinates": [lon, lat]},
            {"type": "LineString", "coordinates": [[lon, lat], [lon + 1, lat + 1]]},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {}},
        ]))

    def wrong(self):
        return ['{"type": "Dot"}', "pas du json", "[1, 2]"]


class ObjectV(Variant):
    key, type = "object", "object"
    may = ("required",)

    def value(self, i):
        return json.dumps({"k": i, "name": self.rng.choice(WORDS)})

    def wrong(self):
        return ["[1, 2]", "{bad json", "42"]


class ArrayV(Variant):
    key, type = "array", "array"
    may = ("required", "minLength", "maxLength")

    def constraint_values(self, chosen):
        out = super().constraint_values(chosen)
        if "minLength" in chosen:
            out["minLength"] = 1
        if "maxLength" in chosen:
            out["maxLength"] = 4
        return out

    def value(self, i):
        return json.dumps([i, self.rng.choice(WORDS)][: self.rng.randint(1, 2)])

    def wrong(self):
        return ['{"a": 1}', "[1, 2", "pas une liste"]

    def out_of_range(self):
        c = self.constraints
        if "maxLength" in c:
            return "[1, 2, 3, 4, 5, 6]"
        if "minLength" in c:
            return "[]"
        return None


class AnyV(Variant):
    key, type = "any", "any"
    may = ("required",)

    def value(self, i):
        return self.rng.choice([self.rng.choice(WORDS), str(i), "2020-01-01", "{}"])


VARIANTS: list = [StringV, EmailV, UriV, UuidV, NumberV, NumberCommaV, NumberBareV, IntegerV, IntegerBareV,
                  BooleanV, BooleanCustomV, DateV, DateAnyV, DatePatternV, DateDefaultValueV, TimeV,
                  DatetimeV, DatetimeAnyV, YearV, YearmonthV, DurationV, GeopointV, GeopointArrayV,
                  GeopointObjectV, GeojsonV, ObjectV, ArrayV, AnyV]


# --------------------------------------------------------------------------- table


class RawLine(str):
    """A line written verbatim (no CSV quoting)."""


@dataclass
class Table:
    schema: dict
    header: list
    rows: list  # list of (list of str) or RawLine
    variants: list  # Variant per schema field, same order
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False
    lineterminator: str = "\n"
    notes: list = field(default_factory=list)

    def render(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator=self.lineterminator,
                            quoting=csv.QUOTE_MINIMAL)
        writer.writerow(self.header)
        for row in self.rows:
            if isinstance(row, RawLine):
                out.write(row + self.lineterminator)
            else:
                writer.writerow(row)
        data = out.getvalue().encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data

    def data_rows(self) -> list:
        return [i for i, row in enumerate(self.rows) if not isinstance(row, RawLine)]

    def field_index(self, name: str) -> int:
        return [v.name for v in self.variants].index(name)


def build_table(rng: random.Random, focus) -> Table:
    n_rows = rng.randint(4, 12)
    key_kind = rng.choice(["composite", "composite", "single", "none", "none"])
    fk = rng.random() < 0.4
    missing = rng.choice([None, None, ["", "NA"], ["", "-", "n/a"], ["NA"]])

    variants = []
    id_v = IntegerV.__new__(IntegerV)
    id_v.rng, id_v.name = rng, "id"
    id_v.constraints = {"required": True}
    if key_kind == "none" and rng.random() < 0.5:
        id_v.constraints["unique"] = True
    id_v.descriptor = {"name": "id", "type": "integer", "constraints": dict(id_v.constraints)}
    variants.append(id_v)
    if key_kind == "composite":
        code = StringV.__new__(StringV)
        code.rng, code.name, code.constraints = rng, "code", {"enum": ["A", "B", "C"]}
        code.descriptor = {"name": "code", "type": "string", "constraints": {"enum": ["A", "B", "C"]}}
        code.value = lambda i: "ABC"[i % 3]
        variants.append(code)
    variants.append(focus(rng, "f_" + focus.key.replace("-", "_")))
    for number in range(rng.randint(1, 3)):
        other = rng.choice(VARIANTS)
        variants.append(other(rng, f"x{number}_" + other.key.replace("-", "_")))
    if fk:
        parent = IntegerV.__new__(IntegerV)
        parent.rng, parent.name, parent.constraints = rng, "parent", {}
        parent.descriptor = {"name": "parent", "type": "integer"}
        variants.append(parent)

    schema = {"fields": [copy.deepcopy(v.descriptor) for v in variants]}
    if key_kind == "composite":
        schema["primaryKey"] = ["id", "code"]
    elif key_kind == "single":
        schema["primaryKey"] = ["id"] if rng.random() < 0.5 else "id"
    if fk:
        schema["foreignKeys"] = [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]
    if missing is not None:
        schema["missingValues"] = missing
    if any(k.startswith("exclusive") for f in schema["fields"] for k in f.get("constraints", {})):
        # frictionless 5.21 rejects exclusive bounds in a v1 (no $schema) Table Schema
        schema["$schema"] = TABLESCHEMA_V2
    tokens = missing if missing is not None else [""]

    rows = []
    for i in range(n_rows):
        row = []
        for v in variants:
            if v.name == "id":
                row.append(str(i + 1))
            elif v.name == "parent":
                row.append(str(rng.randint(1, i)) if i and rng.random() < 0.8 else rng.choice(tokens))
            elif not v.required and v.name != "code" and rng.random() < 0.15:
                row.append(rng.choice(tokens))
            else:
                row.append(v.value(i))
        rows.append(row)
    header = [v.name for v in variants]
    return Table(schema=schema, header=header, rows=rows, variants=variants,
                 lineterminator=rng.choice(["\n", "\n", "\r\n"]))


# --------------------------------------------------------------------------- mutations

Mutation = Callable[[Table, random.Random], Optional[str]]
MUTATIONS: dict = {}


def mutation(name: str):
    def decorate(function):
        MUTATIONS[name] = function
        return function

    return decorate


def _pick_variant(table: Table, rng: random.Random, predicate) -> Optional[object]:
    """The focus field (third or second) when it qualifies, else a random qualifying one."""
    candidates = [v for v in table.variants if v.name.startswith(("f_", "x")) and predicate(v)]
    if not candidates:
        return None
    focus = [v for v in candidates if v.name.startswith("f_")]
    return focus[0] if focus else rng.choice(candidates)


def _set_cell(table: Table, rng: random.Random, variant, text: str) -> None:
    j = table.field_index(variant.name)
    r = rng.choice(table.data_rows())
    table.rows[r][j] = text


@mutation("none")
def m_none(table, rng):
    return "valid"


@mutation("wrong-type")
def m_wrong_type(table, rng):
    v = _pick_variant(table, rng, lambda v: v.wrong())
    if v is None:
        return None
    _set_cell(table, rng, v, rng.choice(v.wrong()))
    return v.key


@mutation("out-of-range")
def m_out_of_range(table, rng):
    v = _pick_variant(table, rng, lambda v: v.out_of_range() is not None)
    if v is None:
        return None
    _set_cell(table, rng, v, v.out_of_range())
    return v.key


@mutation("decimal-comma")
def m_decimal_comma(table, rng):
    v = _pick_variant(table, rng, lambda v: v.type in ("number", "integer"))
    if v is None:
        return None
    if isinstance(v, NumberCommaV):
        text = "12.5" if v.group != "." else "12.345.6"
    else:
        text = rng.choice(["12,5", "1234,56", "0,5"])
    _set_cell(table, rng, v, text)
    return v.key


@mutation("dd-mm-yyyy")
def m_ddmmyyyy(table, rng):
    v = _pick_variant(table, rng, lambda v: v.type in ("date", "datetime"))
    if v is None:
        return None
    if isinstance(v, DatePatternV):
        text = rng.choice(["2020-12-31", "12/31/2020"])
    elif v.type == "datetime":
        text = rng.choice(["31/12/2020 10:00:00", "05/03/2021"])
    else:
        text = rng.choice(["31/12/2020", "05/03/2021", "5/3/2021"])
    _set_cell(table, rng, v, text)
    return v.key


@mutation("blank-required")
def m_blank_required(table, rng):
    candidates = [v for v in table.variants if v.required]
    v = rng.choice(candidates)
    j = table.field_index(v.name)
    table.rows[rng.choice(table.data_rows())][j] = rng.choice(["", ""] + (table.schema.get("missingValues") or []))
    return v.key if v.name != "id" else "id"


@mutation("duplicate-row")
def m_duplicate_row(table, rng):
    r = rng.choice(table.data_rows())
    table.rows.insert(rng.randint(r + 1, len(table.rows)), list(table.rows[r]))
    if rng.random() < 0.3:
        table.rows.append(list(table.rows[r]))
    return "pk" if table.schema.get("primaryKey") else "table"


@mutation("duplicate-key")
def m_duplicate_key(table, rng):
    """Copy only the key cells (id, code) of one row onto another row."""
    rows = table.data_rows()
    a, b = rng.sample(rows, 2)
    for name in ("id", "code"):
        if name in table.header:
            j = table.field_index(name)
            table.rows[b][j] = table.rows[a][j]
    uniques = [v for v in table.variants if v.unique and v.name != "id"]
    if uniques:
        j = table.field_index(uniques[0].name)
        table.rows[b][j] = table.rows[a][j]
    return "pk" if table.schema.get("primaryKey") else "unique"


@mutation("drop-cell")
def m_drop_cell(table, rng):
    r = rng.choice(table.data_rows())
    row = table.rows[r]
    del row[rng.choice([len(row) - 1, rng.randrange(len(row))])]
    return "row"


@mutation("add-cell")
def m_add_cell(table, rng):
    r = rng.choice(table.data_rows())
    table.rows[r].extend(["extra"] * rng.randint(1, 2))
    return "row"


@mutation("empty-line")
def m_empty_line(table, rng):
    table.rows.insert(rng.randint(0, len(table.rows)), RawLine(""))
    return "row"


@mutation("delimiters-row")
def m_delimiters_row(table, rng):
    table.rows.insert(rng.randint(0, len(table.rows)),
                      RawLine(table.delimiter * (len(table.header) - 1 + rng.choice([0, 0, 1]))))
    return "row"


@mutation("rename-label")
def m_rename_label(table, rng):
    j = rng.randrange(len(table.header))
    table.header[j] = rng.choice([table.header[j].upper(), table.header[j] + "_x", " " + table.header[j]])
    return "header"


@mutation("remove-label")
def m_remove_label(table, rng):
    del table.header[rng.randrange(len(table.header))]
    return "header"


@mutation("remove-column")
def m_remove_column(table, rng):
    j = rng.randrange(len(table.header))
    del table.header[j]
    for row in table.rows:
        if not isinstance(row, RawLine) and j < len(row):
            del row[j]
    return "header"


@mutation("duplicate-label")
def m_duplicate_label(table, rng):
    a, b = rng.sample(range(len(table.header)), 2)
    table.header[b] = table.header[a]
    return "header"


@mutation("blank-label")
def m_blank_label(table, rng):
    table.header[rng.randrange(len(table.header))] = ""
    return "header"


@mutation("extra-column")
def m_extra_column(table, rng):
    position = rng.choice([len(table.header), rng.randrange(len(table.header))])
    table.header.insert(position, "colonne_en_trop")
    for i, row in enumerate(table.rows):
        if not isinstance(row, RawLine):
            row.insert(position, f"v{i}")
    return "header"


@mutation("quoted-delimiter")
def m_quoted_delimiter(table, rng):
    v = _pick_variant(table, rng, lambda v: v.type in ("string", "any")) or table.variants[0]
    _set_cell(table, rng, v, rng.choice(["a,b", "x, y; z", "a;b,c"]))
    return v.key


@mutation("quoted-newline")
def m_quoted_newline(table, rng):
    v = _pick_variant(table, rng, lambda v: v.type in ("string", "any")) or table.variants[0]
    _set_cell(table, rng, v, rng.choice(["ligne1\nligne2", "a\r\nb", "fin\n"]))
    return v.key


@mutation("number-whitespace")
def m_number_whitespace(table, rng):
    v = _pick_variant(table, rng, lambda v: v.type in ("number", "integer", "year")) or table.variants[0]
    j = table.field_index(v.name)
    r = rng.choice(table.data_rows())
    cell = table.rows[r][j] or v.value(1)
    table.rows[r][j] = rng.choice([f" {cell}", f"{cell} ", f" {cell} ", f"\t{cell}"])
    return v.key


@mutation("semicolon")
def m_semicolon(table, rng):
    table.delimiter = ";"
    return "table"


@mutation("cp1252")
def m_cp1252(table, rng):
    table.encoding = "cp1252"
    strings = [v for v in table.variants if v.type == "string" and not v.constraints and not v.descriptor.get("format")]
    if strings:
        j = table.field_index(strings[0].name)
        for r in table.data_rows():
            table.rows[r][j] = rng.choice(ACCENTED)
    else:
        table.header[-1] = table.header[-1] + "_é"  # an accented label (incorrect-label on both sides)
    return "table"


@mutation("bom")
def m_bom(table, rng):
    table.bom = True
    return "table"


@mutation("missing-value")
def m_missing_value(table, rng):
    tokens = table.schema.get("missingValues", [""])
    v = _pick_variant(table, rng, lambda v: not v.required)
    if v is None:
        return None
    _set_cell(table, rng, v, rng.choice(tokens))
    return v.key


MUTATION_NAMES = list(MUTATIONS)


@dataclass
class Case:
    id: str
    schema: dict
    data: bytes


def make_case(seed: int) -> Case:
    rng = random.Random(seed)
    focus = VARIANTS[seed % len(VARIANTS)]
    table = build_table(rng, focus)
    wanted = MUTATION_NAMES[(seed * 7 + seed // len(VARIANTS)) % len(MUTATION_NAMES)]
    order = [wanted] + [m for m in rng.sample(MUTATION_NAMES, len(MUTATION_NAMES)) if m != wanted]
    label = None
    for name in order:
        label = MUTATIONS[name](table, rng)
        if label is not None:
            break
    if name not in ("semicolon", "bom", "cp1252") and rng.random() < 0.15:
        extra = rng.choice(["semicolon", "bom"])
        MUTATIONS[extra](table, rng)
        name = f"{name}+{extra}"
    target = label if label not in (None, "valid", "row", "header", "table", "pk", "unique") else focus.key
    return Case(id=f"seed{seed}-{name}-{target}", schema=table.schema, data=table.render())
