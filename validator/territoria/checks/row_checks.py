"""Row checks with Validata's names and parameters, vectorised over whole batches.

Semantics follow Validata's (validata-core ``custom_checks``): a check skips a
row when a cell it needs is empty (``required`` says whether a cell may be
empty), except the checks whose very point is emptiness (``cohesive-columns-value``,
``one-of-required``). A column the schema declares but the file lacks is seen as
empty. Cast values are used when the fields are typed (numbers, dates, datetimes);
text fields are compared as Validata does: numerically when both cells are
numbers, as text otherwise.
"""
from __future__ import annotations


import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import register
from ._common import (Check, LazyNotes, distinct_valid, filled, finding, float_values, is_numeric_type,
                      is_temporal_type, np_bool, numbers, parse_numbers, raw, show, text, typed)
from ..columnar.arrow import numbers as arrow_numbers, typed_scalar
from ..rules import check_rule

# -- compare-columns-value ---------------------------------------------------

_OPS = {">": "greater", ">=": "greater_equal", "==": "equal", "<=": "less_equal", "<": "less", "!=": "not_equal"}
_NP_OPS = {">": np.greater, ">=": np.greater_equal, "==": np.equal, "<=": np.less_equal, "<": np.less,
           "!=": np.not_equal}


def _as_int64_instant(values: pa.Array) -> np.ndarray:
    """Dates and datetimes as int64 microseconds since the epoch (UTC), NaT-free with a mask."""
    if pa.types.is_date(values.type):
        values = pc.cast(values, pa.timestamp("us"))
    elif values.type.unit != "us":
        values = pc.cast(values, pa.timestamp("us", values.type.tz))
    return arrow_numbers(pc.cast(values, pa.int64())).copy()  # null slots: whatever they hold (masked)


def _zero(t):
    return typed_scalar(0, pa.int32()).cast(t) if pa.types.is_date32(t) else typed_scalar(0, pa.int64()).cast(t)


def compare_arrays(view, column: str, column2: str, op: str):
    """(fails, comparable): boolean masks over the batch, rows with both cells filled only."""
    a, b = typed(view, column), typed(view, column2)
    ta, tb = a.type, b.type
    n = len(view.row_numbers)
    if is_numeric_type(ta) and is_numeric_type(tb):
        x, y = float_values(a), float_values(b)
        both = ~np.isnan(x) & ~np.isnan(y)
        with np.errstate(invalid="ignore"):
            holds = _NP_OPS[op](x, y)
        return both & ~holds, np.ones(n, dtype=bool)
    if is_temporal_type(ta) and is_temporal_type(tb):
        both = np_bool(pc.and_(pc.is_valid(a), pc.is_valid(b)))
        x, y = _as_int64_instant(pc.fill_null(a, _zero(ta))), _as_int64_instant(pc.fill_null(b, _zero(tb)))
        holds = _NP_OPS[op](x, y)
        return both & ~holds, np.ones(n, dtype=bool)
    if ta == tb and not (pa.types.is_string(ta) or pa.types.is_null(ta)):
        # same non-text type (time, boolean, year...): arrow compares it directly
        both = np_bool(pc.and_(pc.is_valid(a), pc.is_valid(b)))
        holds = np_bool(getattr(pc, _OPS[op])(a, b))
        return both & ~holds, np.ones(n, dtype=bool)
    # text (Validata's rule): numbers if both cells are numbers, text if neither, else not comparable
    sa, sb = text(view, column), text(view, column2)
    both = np_bool(pc.and_(pc.is_valid(sa), pc.is_valid(sb)))
    x, y = parse_numbers(sa), parse_numbers(sb)
    num_a, num_b = ~np.isnan(x), ~np.isnan(y)
    with np.errstate(invalid="ignore"):
        holds_num = _NP_OPS[op](x, y)
    holds_text = np_bool(getattr(pc, _OPS[op])(sa, sb))
    holds = np.where(num_a & num_b, holds_num, holds_text)
    comparable = (num_a == num_b)
    return both & (~holds | ~comparable), comparable


def pair_note(view, positions, column: str, op: str, column2: str):
    ca, cb = raw(view, column), raw(view, column2)

    def build(k):
        p = int(positions[k])
        return f"{column} ({show(ca[p].as_py())}) {op} {column2} ({show(cb[p].as_py())})"

    return LazyNotes(len(positions), build)


@register
class CompareColumnsValue(Check):
    """``column`` ``op`` ``column2`` on every row where both are filled (Validata's compare-columns-value)."""

    name = "compare-columns-value"
    allowed = ("column", "column2", "op")
    rules = (
        check_rule(
            "compare-columns-value",
            "Column comparison",
            "Comparaison de colonnes",
            "Row {rowNumber}: the rule {note} does not hold.",
            "Ligne {rowNumber} : la règle {note} n'est pas respectée.",
            "Check both values of the row: one of them is probably wrong (swapped dates, a typo in a count).",
            "Vérifiez les deux valeurs de la ligne : l'une d'elles est sans doute erronée (dates inversées, faute de frappe dans un nombre).",
            example={"rowNumber": 5, "fieldName": "end_datetime", "note": "end_datetime (2024-03-01T00:00:00+01:00) > start_datetime (2024-03-02T00:00:00+01:00)"}),
    )
    example = {"name": "compare-columns-value", "params": {"column": "end_datetime", "op": ">", "column2": "start_datetime"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        self.column2 = self.field_param("column2")
        self.op = self.choice_param("op", _OPS)

    def check_batch(self, view):
        if {self.column, self.column2} & self.absent:
            return []
        fails, _ = compare_arrays(view, self.column, self.column2, self.op)
        fails &= ~view.blank
        positions = np.flatnonzero(fails)
        return finding(self.code, positions, self.column,
                       notes=pair_note(view, positions, self.column, self.op, self.column2))


# -- cohesive-columns-value --------------------------------------------------
@register
class CohesiveColumnsValue(Check):
    """``column`` and ``othercolumns`` are all filled or all empty on each row."""

    name = "cohesive-columns-value"
    allowed = ("column", "othercolumns")
    rules = (
        check_rule(
            "cohesive-columns-value",
            "Incoherent columns",
            "Colonnes incohérentes",
            "Row {rowNumber}: the columns {note} must be all filled or all empty.",
            "Ligne {rowNumber} : les colonnes {note} doivent être toutes remplies ou toutes vides.",
            "Fill the empty columns of the row, or empty the filled ones.",
            "Remplissez les colonnes vides de la ligne, ou videz celles qui sont remplies.",
            example={"rowNumber": 3, "fieldName": "BUDGET_ANNEE", "note": "BUDGET_ANNEE (2024), BUDGET_NOM ()"}),
    )
    example = {"name": "cohesive-columns-value", "params": {"column": "BUDGET_ANNEE", "othercolumns": ["BUDGET_NOM"]}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        self.others = self.fields_param("othercolumns")
        self.columns = [self.column] + [c for c in self.others if c != self.column]

    def check_batch(self, view):
        if set(self.columns) <= self.absent:
            return []
        masks = np.vstack([filled(view, c) for c in self.columns])
        count = masks.sum(axis=0)
        fails = (count > 0) & (count < len(self.columns)) & ~view.blank
        positions = np.flatnonzero(fails)
        cells = [raw(view, c) for c in self.columns]

        def build(k):
            p = int(positions[k])
            return ", ".join(f"{c} ({show(cells[i][p].as_py())})" for i, c in enumerate(self.columns))

        return finding(self.code, positions, self.column, notes=LazyNotes(len(positions), build))


# -- sum-columns-value -------------------------------------------------------
@register
class SumColumnsValue(Check):
    """``column`` equals the sum of ``columns`` on rows where all are filled numbers."""

    name = "sum-columns-value"
    allowed = ("column", "columns")
    rules = (
        check_rule(
            "sum-columns-value",
            "Wrong sum",
            "Somme incorrecte",
            "Row {rowNumber}: {fieldName} must equal the sum of the other columns: {note}.",
            "Ligne {rowNumber} : {fieldName} doit être égal à la somme des autres colonnes : {note}.",
            "Correct the total or one of the parts so that the total equals their sum.",
            "Corrigez le total ou l'une des parties pour que le total soit égal à leur somme.",
            example={"rowNumber": 4, "fieldName": "VOTE_REEL", "note": "12 ≠ VOTE_POUR (7) + VOTE_CONTRE (3) + VOTE_ABSTENTION (1) = 11"}),
    )
    example = {"name": "sum-columns-value", "params": {"column": "VOTE_REEL", "columns": ["VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        self.parts = self.fields_param("columns")

    def check_batch(self, view):
        if {self.column, *self.parts} & self.absent:
            return []
        total = numbers(view, self.column)
        parts = np.vstack([numbers(view, c) for c in self.parts])
        computed = parts.sum(axis=0)
        ok_rows = ~np.isnan(total) & ~np.isnan(computed)
        tolerance = 1e-9 * np.maximum(1.0, np.abs(computed))
        with np.errstate(invalid="ignore"):
            fails = ok_rows & (np.abs(total - computed) > tolerance) & ~view.blank
        positions = np.flatnonzero(fails)

        def build(k):
            p = int(positions[k])
            terms = " + ".join(f"{c} ({show(float(parts[i][p]))})" for i, c in enumerate(self.parts))
            return f"{show(float(total[p]))} ≠ {terms} = {show(float(computed[p]))}"

        return finding(self.code, positions, self.column, notes=LazyNotes(len(positions), build))


# -- one-of-required ---------------------------------------------------------
@register
class OneOfRequired(Check):
    """At least one of ``column1`` (or Validata's ``column``) and ``column2`` is filled."""

    name = "one-of-required"
    allowed = ("column1", "column", "column2")
    fires_on_empty = True
    rules = (
        check_rule(
            "one-of-required",
            "One of two columns required",
            "Une colonne sur deux obligatoire",
            "Row {rowNumber}: at least one of the columns {note} must be filled.",
            "Ligne {rowNumber} : au moins une des colonnes {note} doit être remplie.",
            "Fill at least one of the two columns.",
            "Remplissez au moins l'une des deux colonnes.",
            example={"rowNumber": 6, "fieldName": "idBeneficiaire", "note": "idBeneficiaire, rnaBeneficiaire"}),
    )
    example = {"name": "one-of-required", "params": {"column1": "idBeneficiaire", "column2": "rnaBeneficiaire"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column1 = self.field_param("column1", "column")
        self.column2 = self.field_param("column2")

    def check_batch(self, view):
        if {self.column1, self.column2} <= self.absent:
            return []  # both columns missing: the missing-label errors say it
        fails = ~filled(view, self.column1) & ~filled(view, self.column2) & ~view.blank
        field = self.column1 if self.column1 not in self.absent else self.column2
        return finding(self.code, fails, field, note=f"{self.column1}, {self.column2}")


# -- year-interval-value -----------------------------------------------------
_INTERVAL = r"^(\d{4})/(\d{4})$"


@register
class YearIntervalValue(Check):
    """``YYYY/YYYY`` with the second year after the first (or ``YYYY`` when ``allow-year-only``)."""

    name = "year-interval-value"
    allowed = ("column", "allow-year-only", "allow_year_only")
    rules = (
        check_rule(
            "year-interval-value",
            "Invalid year interval",
            "Intervalle d'années invalide",
            "Row {rowNumber}: \"{cell}\" in {fieldName} is not a valid year interval ({note}).",
            "Ligne {rowNumber} : « {cell} » dans {fieldName} n'est pas un intervalle d'années valide ({note}).",
            "Write two years separated by a slash, the second after the first, like 2023/2024.",
            "Écrivez deux années séparées par une barre oblique, la seconde après la première, comme 2023/2024.",
            example={"rowNumber": 2, "fieldName": "BUDGET_ANNEE", "cell": "2024/2023", "note": "YYYY/YYYY | YYYY"}),
    )
    example = {"name": "year-interval-value", "params": {"column": "BUDGET_ANNEE", "allow-year-only": "yes"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        self.year_only = self.flag_param("allow-year-only", "allow_year_only")

    def check_batch(self, view):
        if self.column in self.absent:
            return []
        # evaluated once per distinct value (a year column has few), then spread to the rows
        encoded = pc.dictionary_encode(text(view, self.column))
        values = encoded.dictionary
        interval = np_bool(pc.match_substring_regex(values, _INTERVAL))
        bad = ~interval
        if self.year_only:
            bad &= ~np_bool(pc.match_substring_regex(values, r"^\d{4}$"))
        if interval.any():
            matched = pc.if_else(pa.array(interval), values, "0000/0000")
            first = pc.cast(pc.utf8_slice_codeunits(matched, 0, 4), pa.int32()).to_numpy(zero_copy_only=False)
            second = pc.cast(pc.utf8_slice_codeunits(matched, 5, 9), pa.int32()).to_numpy(zero_copy_only=False)
            bad |= interval & ~(second > first)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        present = np_bool(pc.is_valid(encoded.indices))
        fails = np.zeros(len(indices), dtype=bool)
        if len(bad):
            fails[present] = bad[indices[present].astype(np.int64)]
        fails &= ~view.blank
        note = "YYYY/YYYY" + (" | YYYY" if self.year_only else "")
        return finding(self.code, fails, self.column, note=note)


# -- opening-hours-value -----------------------------------------------------
@register
class OpeningHoursValue(Check):
    """An OpenStreetMap ``opening_hours`` expression (library opening-hours-py, once per distinct value)."""

    name = "opening-hours-value"
    allowed = ("column",)
    rules = (
        check_rule(
            "opening-hours-value",
            "Invalid opening hours",
            "Horaires d'ouverture invalides",
            "Row {rowNumber}: \"{cell}\" in {fieldName} is not valid OpenStreetMap opening_hours syntax.",
            "Ligne {rowNumber} : « {cell} » dans {fieldName} ne respecte pas la syntaxe opening_hours d'OpenStreetMap.",
            "Write the hours in OpenStreetMap syntax, like Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00 (an editor: openinghours.osm.ch).",
            "Écrivez les horaires dans la syntaxe OpenStreetMap, comme Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00 (un éditeur : openinghours.osm.ch).",
            example={"rowNumber": 3, "fieldName": "horaires_ouverture_osm", "cell": "lundi 9h-12h"}),
    )
    example = {"name": "opening-hours-value", "params": {"column": "horaires_ouverture_osm"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        import opening_hours  # lazy: only schemas that use the check pay for it

        self.validate = opening_hours.validate

    def check_batch(self, view):
        if self.column in self.absent:
            return []
        fails = distinct_valid(text(view, self.column), self.validate, self.verdicts) & ~view.blank
        return finding(self.code, fails, self.column)


# -- phone-number-value ------------------------------------------------------


def is_valid_phone_number(value: str) -> bool:
    """Validata's rule: a valid French number (or French short number), or a valid international one."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, "FR")
        if phonenumbers.is_valid_number(parsed) or phonenumbers.is_valid_short_number(parsed):
            return True
    except phonenumbers.NumberParseException:
        pass
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


@register
class PhoneNumberValue(Check):
    """A valid phone number (library phonenumbers, once per distinct value)."""

    name = "phone-number-value"
    allowed = ("column",)
    rules = (
        check_rule(
            "phone-number-value",
            "Invalid phone number",
            "Numéro de téléphone invalide",
            "Row {rowNumber}: \"{cell}\" in {fieldName} is not a valid phone number.",
            "Ligne {rowNumber} : « {cell} » dans {fieldName} n'est pas un numéro de téléphone valide.",
            "Write a French number (01 23 45 67 89), a short number (3949) or an international one (+33 1 23 45 67 89).",
            "Écrivez un numéro français (01 23 45 67 89), un numéro court (3949) ou international (+33 1 23 45 67 89).",
            example={"rowNumber": 7, "fieldName": "contact_telephone", "cell": "0123"}),
    )
    example = {"name": "phone-number-value", "params": {"column": "contact_telephone"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        import phonenumbers  # noqa: F401  (lazy: fail here, at schema time, if it is missing)

    def check_batch(self, view):
        if self.column in self.absent:
            return []
        fails = distinct_valid(text(view, self.column), is_valid_phone_number, self.verdicts) & ~view.blank
        return finding(self.code, fails, self.column)
