"""A constraint that holds on some rows only: ``constraint-if``.

Why: a standard's rules are often conditional. The order of 27 December 2018 on
light pollution caps the colour temperature at 3000 K for lighting categories
a, d and e only; a water reading's step may be finer than a day only where no
household is served. Table Schema's constraints hold on every row, and
Validata's checks compare columns but cannot say "this constraint, on those
rows". The constraints keep their Table Schema meaning (the field's own type
reads the bounds); the condition names a column and the values that select the
rows.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import CheckParamsError, register
from ._common import Check, LazyNotes, filled, finding, np_bool, raw, show, text, typed
from ..rules import check_rule

#: the bounds a condition may give (read by the condition column's own type)
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
#: the constraints a row may be held to, and how a note writes each (language-neutral symbols)
SYMBOLS = {"required": "≠ ∅", "minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<",
           "minLength": "≥ {} car.", "maxLength": "≤ {} car.", "pattern": "~ /{}/", "enum": "∈ {{{}}}"}


@register
class ConstraintIf(Check):
    """``column`` meets ``constraints`` (Table Schema's, read by the field's type) on the rows where the
    column ``when.column`` holds one of ``when.values`` (or lies within ``when``'s ``minimum``/``maximum``);
    ``when`` may list several conditions, all of which must hold. Other rows are not held to them."""

    name = "constraint-if"
    allowed = ("column", "constraints", "when")
    rules = (
        check_rule(
            "constraint-if",
            "Conditional constraint",
            "Contrainte conditionnelle",
            "Row {rowNumber}: the rule {note} does not hold.",
            "Ligne {rowNumber} : la règle {note} n'est pas respectée.",
            "On these rows the schema asks more of the column: correct the value, or the column that selects "
            "the rule if it is the wrong one.",
            "Sur ces lignes, le schéma en demande plus à la colonne : corrigez la valeur, ou la colonne qui "
            "déclenche la règle si c'est elle qui est fausse.",
            example={"rowNumber": 7, "fieldName": "colour_temperature_k", "cell": "4000",
                     "note": "lighting_category = d ⇒ colour_temperature_k ≤ 3000 (4000)"}),
    )
    example = {"name": "constraint-if", "severity": "warning",
               "params": {"column": "colour_temperature_k", "constraints": {"maximum": 3000},
                          "when": {"column": "lighting_category", "values": ["a", "d", "e"]}}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        constraints = self.params.get("constraints")
        if not isinstance(constraints, dict) or not constraints:
            raise CheckParamsError("parameter 'constraints' must be an object (Table Schema constraints)")
        unknown = sorted(set(constraints) - set(SYMBOLS))
        if unknown:
            raise CheckParamsError(f"parameter 'constraints': constraint {unknown[0]!r} is not one a row may be "
                                   f"held to (known: {', '.join(SYMBOLS)})")
        when = self.params.get("when")
        if isinstance(when, dict):
            when = [when]
        if not isinstance(when, list) or not when or not all(isinstance(c, dict) for c in when):
            raise CheckParamsError("parameter 'when' must be an object ({\"column\": ..., \"values\": [...]}) "
                                   "or a list of them")
        self.conditions = [self._condition(c) for c in when]
        self.required = constraints.get("required") is True
        self.others = {k: v for k, v in constraints.items() if k != "required"}
        self.spec = None
        if self.others and self.column in self.fields:
            from ..fields import FieldSpec

            base = self.fields[self.column]
            descriptor = dict(base.descriptor, constraints=self.others)
            self.spec = FieldSpec.from_descriptor(descriptor)
            self._validate_bounds()
        self.fires_on_empty = self.required
        self.rule_text = " ; ".join(self._shown(name, value) for name, value in constraints.items()
                                    if name != "required" or value is True)

    def quiet_when_empty(self, columns: set) -> bool:
        """Whether the check finds nothing when ``columns`` are empty (``territoria diff``): when they
        hold a condition, no row is selected; when they hold the column, only ``required`` fires."""
        return any(column in columns for column, _, _ in self.conditions) or (
            self.column in columns and not self.required)

    def _condition(self, condition: dict) -> tuple:
        """``(column, "values", [values])`` or ``(column, "bounds", FieldSpec)``: the rows whose cell is one
        of the values, or lies within the bounds as the column's own type reads them."""
        column = self._field_in(condition, "column")
        bounds = {k: condition[k] for k in BOUNDS if k in condition}
        if bounds:
            from ..fields import FieldSpec
            from ..schema import constraint_problems

            if column not in self.fields:  # the file lacks the column: no row is selected (its type is unknown here)
                return column, "bounds", None
            base = self.fields[column].descriptor
            spec = FieldSpec.from_descriptor(dict(base, constraints=bounds))
            problems = constraint_problems(spec.descriptor)
            if problems:
                raise CheckParamsError(f"parameter 'when': {problems[0]}")
            return column, "bounds", spec
        values = condition.get("values", [condition["value"]] if "value" in condition else None)
        if not isinstance(values, list) or not values:
            raise CheckParamsError("parameter 'when' must name at least one value")
        return column, "values", values

    def _field_in(self, when: dict, key: str) -> str:
        name = when.get(key)
        if not isinstance(name, str) or not name:
            raise CheckParamsError("parameter 'when' must be an object ({\"column\": ..., \"values\": [...]})")
        if name not in self.fields:
            if name not in self.schema_field_names:
                raise CheckParamsError(f"parameter 'when': field {name!r} is not in the schema")
            self.absent.add(name)
        return name

    def _validate_bounds(self) -> None:
        """A bound the field's type cannot read is the schema's mistake: said now, not as row errors."""
        from ..schema import constraint_problems

        problems = constraint_problems(self.spec.descriptor)
        if problems:
            raise CheckParamsError(f"parameter 'constraints': {problems[0]}")

    def _shown(self, name: str, value) -> str:
        symbol = SYMBOLS[name]
        if name == "required":
            return f"{self.column} {symbol}"
        if name == "enum" and isinstance(value, list):
            return f"{self.column} " + symbol.format(", ".join(map(str, value)))
        if "{}" in symbol:
            return f"{self.column} " + symbol.format(value)
        return f"{self.column} {symbol} {show(value)}"

    def _selected(self, view) -> np.ndarray:
        """True on the rows every condition selects."""
        selected = np.ones(len(view.row_numbers), dtype=bool)
        for column, kind, payload in self.conditions:
            selected &= self._holds(view, column, kind, payload)
        return selected

    @staticmethod
    def _holds(view, column: str, kind: str, payload) -> np.ndarray:
        if kind == "bounds":
            from ..fields import check_field

            result = check_field(payload, text(view, column))
            outside = np.zeros(len(view.row_numbers), dtype=bool)
            for mask in result.constraints.values():
                if mask is not None:
                    outside |= np.asarray(mask, dtype=bool)
            return filled(view, column) & ~np.asarray(result.type_error, dtype=bool) & ~outside
        values = typed(view, column)
        if not (pa.types.is_string(values.type) or pa.types.is_null(values.type)):
            try:
                return np_bool(pc.is_in(values, value_set=pa.array(payload).cast(values.type)))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                pass
        wanted = pa.array([v if isinstance(v, str) else ("true" if v is True else "false" if v is False else show(v))
                           for v in payload], pa.string())
        return np_bool(pc.is_in(text(view, column), value_set=wanted))

    def check_batch(self, view):
        if any(column in self.absent for column, _, _ in self.conditions):
            return []
        selected = self._selected(view) & ~view.blank
        if not selected.any():
            return []
        fails = np.zeros(len(selected), dtype=bool)
        if self.required:
            fails |= ~filled(view, self.column)
        if self.spec is not None and self.column not in self.absent:
            from ..fields import check_field

            result = check_field(self.spec, text(view, self.column))
            broken = np.zeros(len(selected), dtype=bool)
            for mask in result.constraints.values():
                if mask is not None:
                    broken |= np.asarray(mask, dtype=bool)
            fails |= broken & ~np.asarray(result.type_error, dtype=bool)
        fails &= selected
        positions = np.flatnonzero(fails)
        columns = list(dict.fromkeys(column for column, _, _ in self.conditions))
        conditions = [(column, raw(view, column)) for column in columns]
        cells = raw(view, self.column)

        def note(k: int) -> str:
            p = int(positions[k])
            selected = ", ".join(f"{column} = {show(values[p].as_py())}" for column, values in conditions)
            return f"{selected} ⇒ {self.rule_text} ({show(cells[p].as_py()) or '∅'})"

        return finding(self.code, positions, self.column, notes=LazyNotes(len(positions), note))
