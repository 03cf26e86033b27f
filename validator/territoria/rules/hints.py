"""Hints for French spreadsheet habits that break a schema.

Why: a data officer who typed ``12,5`` or ``15/03/2024`` gets the error
frictionless reports (a type error) plus the expected form of *her* value, so
she knows what to change without reading the specification.

The expected form is computed by ``territoria fix``'s repair rules
(``fix.repairs``, the one definition of each transformation), so the hint a
report shows is the very change ``territoria fix`` makes. The finding also
keeps the name of the repair (``repair``), from which the reports count what
``territoria fix`` would repair.
"""
from __future__ import annotations

#: repair rule -> (French, English) hint, completed with the repaired value
_WORDS = {
    "decimal-comma": ("le séparateur décimal attendu est le point : {}", "the expected decimal separator is a point: {}"),
    "thousands-separator": ("écrivez le nombre sans espace entre les milliers : {}",
                            "write the number without thousands separators: {}"),
    "percent-sign": ("écrivez le pourcentage sans le signe % : {}", "write the percentage without the % sign: {}"),
    "french-date": ("la date s'écrit année-mois-jour (ISO 8601) : {}", "dates are written year-month-day (ISO 8601): {}"),
    "short-year-date": ("la date s'écrit année-mois-jour (ISO 8601) : {}",
                        "dates are written year-month-day (ISO 8601): {}"),
    "french-datetime": ("la date s'écrit année-mois-jour (ISO 8601) : {}",
                        "dates are written year-month-day (ISO 8601): {}"),
    "iso-datetime": ("la date et l'heure s'écrivent AAAA-MM-JJTHH:MM:SS : {}",
                     "date and time are written YYYY-MM-DDTHH:MM:SS: {}"),
    "french-time": ("l'heure s'écrit heures:minutes:secondes : {}", "times are written hours:minutes:seconds: {}"),
    "french-boolean": ("les booléens s'écrivent true ou false : {}", "booleans are written true or false: {}"),
    "enum-label": ("écrivez le code plutôt que son libellé : {}", "write the code rather than its label: {}"),
    "unit-suffix": ("écrivez le nombre sans son unité : {}", "write the number without its unit: {}"),
    "digit-spaces": ("écrivez les chiffres sans espaces : {}", "write the digits without spaces: {}"),
}


def specific_hint(error: dict, field_descriptor: dict) -> "tuple[str, str] | None":
    """(hint_fr, hint_en) for a listed type error (or enum or pattern error), or None when no habit is recognised.

    Records the names of the repairs on the finding (``error["repair"]``).
    """
    kind = error.get("type")
    if kind != "type-error" and not (kind == "constraint-error" and error.get("constraint") in ("enum", "pattern")):
        return None
    cell = error.get("cell")
    if not isinstance(cell, str) or not cell or not isinstance(field_descriptor, dict) or not field_descriptor:
        return None
    repaired = _repaired(cell, field_descriptor)
    if repaired is None:
        return None
    value, names = repaired
    error["repair"] = "+".join(names)
    words = next((_WORDS[name] for name in reversed(names) if name in _WORDS), None)
    if words is None:
        return None
    return words[0].format(value), words[1].format(value)


#: (id of a field descriptor, cell) -> (the descriptor, repair_value's answer): the same bad
#: value comes back in row after row and file after file ("12,5", "oui", "31/12/2020"), and
#: repairing one cell is a dozen Arrow calls; the descriptor is kept so that its id stays its own
_REPAIRED: dict = {}
_REPAIRED_MAX = 4096


def _repaired(cell: str, field_descriptor: dict) -> "tuple | None":
    if len(cell) > 256:  # a long text is rarely repeated, and the memo must stay small
        from ..fix.repairs import repair_value

        return repair_value(cell, field_descriptor)
    key = (id(field_descriptor), cell)
    known = _REPAIRED.get(key)
    if known is not None and known[0] is field_descriptor:
        return known[1]
    from ..fix.repairs import repair_value

    repaired = repair_value(cell, field_descriptor)
    if repaired is not None:
        repaired = (repaired[0], tuple(repaired[1]))
    if len(_REPAIRED) >= _REPAIRED_MAX:
        _REPAIRED.clear()
    _REPAIRED[key] = (field_descriptor, repaired)
    return repaired
