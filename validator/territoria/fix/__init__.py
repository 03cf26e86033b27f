"""``territoria fix``: repair what can be repaired, say what was changed, invent nothing.

A spreadsheet or GIS export (semicolons, Windows-1252, decimal commas,
``15/06/2021``, ``oui``, ``23h00``, ``5 200``, labels instead of codes, French
column titles in another order) becomes a UTF-8, comma-separated copy in the
schema's column order; every change is counted by rule and, with a log file,
listed one line per changed cell or column; the copy is then validated, and
what no rule may repair stays as it was and is reported.

Its modules: :mod:`.repairs` (one module per family of repair
rules, each rule the single definition of its transformation, also used by the
validator's hints), :mod:`.header` (which column is which field),
:mod:`.mapping` (a legacy export's renames, codes, units and constants),
:mod:`.points` (swapped coordinates, Lambert 93), :mod:`.writer` and
:mod:`.changelog` (the copy and the log on disk), :mod:`.suggest` (a draft
mapping), :mod:`.inputs` (what a run needs, checked first) and :mod:`.runner` (the
pipeline).

``territoria.fix(...)`` is this module called as a function (see
:func:`territoria.fix.runner.fix`).
"""
from __future__ import annotations

import sys
import types


def fix(source, schema, output, **options):
    """Repair ``source`` against ``schema`` into ``output``: see :func:`territoria.fix.runner.fix`."""
    from .runner import fix as run

    return run(source, schema, output, **options)


def suggest_mapping(source, schema, **options) -> str:
    """A draft mapping file (YAML text) for ``source``: see :func:`territoria.fix.suggest.suggest_mapping`."""
    from .suggest import suggest_mapping as draft

    return draft(source, schema, **options)


def repairable(error: dict) -> bool:
    """Whether ``territoria fix`` would repair the cell of this listed error (the same rules decide)."""
    return bool(error.get("repair")) or error.get("type") == "reversed-french-gps-coordinates"


class _CallableModule(types.ModuleType):
    """``territoria.fix`` is both this package and the function: ``territoria.fix(source, schema, output)``."""

    def __call__(self, source, schema, output, **options):
        return fix(source, schema, output, **options)


sys.modules[__name__].__class__ = _CallableModule
