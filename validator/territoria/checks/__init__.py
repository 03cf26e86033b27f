"""Custom checks declared in a schema (``"custom_checks": [{"name": ..., "params": {...}}]``).

Why a framework: Table Schema cannot say that a meter index never goes down or
that a SIRET is valid. Validata (the French national validator) declares such
rules in the schema under ``custom_checks``; Territoria reads the same
declarations, so national schemas validate here unchanged. Each check is one
small class registered by its Validata name: it receives every batch as typed
columns and returns findings as arrays of row positions, like the core engine,
and may keep state across batches (cross-row checks) and report at the end.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Iterable, Optional

import numpy as np

#: Validata-compatible name -> CustomCheck subclass
CHECKS: dict = {}


class CheckParamsError(Exception):
    """The check's parameters are wrong; the message says which and why."""


@dataclass
class BatchView:
    """What a check sees of one batch.

    ``values[name]``: the cast values of the field as a pyarrow array (null where
    the cell is missing, blank or not castable); ``cells[name]``: the raw text;
    ``row_numbers``: the row number of each position; ``blank``: True on blank rows.
    """

    fields: list
    values: dict
    cells: dict
    row_numbers: np.ndarray
    blank: np.ndarray


@dataclass
class CheckFinding:
    """Failures of one rule: either positions in the current batch or row numbers.

    ``positions`` index the batch given to ``check_batch``; findings returned by
    ``finish`` give ``row_numbers`` (and their ``cells``) instead, since their
    batch is gone.
    """

    code: str
    positions: Optional[np.ndarray] = None
    row_numbers: Optional[np.ndarray] = None
    field_name: str = ""
    note: str = ""
    notes: Optional[list] = None  # one note per finding, when they differ
    cells: Optional[list] = None  # one cell per finding (required with row_numbers)
    severity: str = "error"


class CustomCheck:
    """Base class: subclasses set ``name`` and implement ``check_batch`` (and ``finish``)."""

    name: str = ""
    # True when every finding is a warning: adding such a check to a released
    # schema invalidates no file (``territoria diff`` calls it minor)
    only_warns: bool = False

    def __init__(self, params: dict, fields: list):
        self.params = params or {}
        self.fields = {f.name: f for f in fields}
        # fields the schema declares but the file lacks (their absence is already a
        # missing-label error): a check naming one is not a schema error; the check
        # sees the column as empty (BatchView has no entry for it)
        self.schema_field_names = _SCHEMA_FIELDS.get() or set(self.fields)
        self.absent: set = set()
        # folder or URL the schema was read from (None: unknown, e.g. a dict schema);
        # checks reading a reference file resolve its relative path against it
        self.schema_base: Optional[str] = _SCHEMA_BASE.get()

    def require_field(self, key: str) -> str:
        """A parameter that must name a field of the schema."""
        value = self.params.get(key)
        if not isinstance(value, str) or not value:
            raise CheckParamsError(f"parameter {key!r} must be a field name")
        if value not in self.fields:
            if value in self.schema_field_names:
                self.absent.add(value)
                return value
            raise CheckParamsError(f"parameter {key!r}: field {value!r} is not in the schema")
        return value

    def check_batch(self, view: BatchView) -> Iterable[CheckFinding]:
        return []

    def finish(self) -> Iterable[CheckFinding]:
        return []

    # -- cross-file checks (see checks/cross_file.py) ---------------------------------
    def needed_resources(self) -> list:
        """Columns of other tables of the data package the check needs:
        ``[(resource name, [field names])]``. Empty for checks of one table."""
        return []

    def attach(self, resource: str, columns: dict) -> None:
        """Receive the needed columns of ``resource`` (field name -> typed pyarrow array
        of all its rows) before the first batch; may raise CheckParamsError when they
        cannot serve (the check is then skipped with a warning)."""


def register(cls):
    CHECKS[cls.name] = cls
    return cls


_loaded = False
#: names of every field the schema declares, while build_checks instantiates checks
_SCHEMA_FIELDS: contextvars.ContextVar = contextvars.ContextVar("territoria_schema_fields", default=None)
#: the folder or URL of the schema, while build_checks instantiates checks
_SCHEMA_BASE: contextvars.ContextVar = contextvars.ContextVar("territoria_schema_base", default=None)


def _load_check_modules() -> None:
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


def build_checks(descriptor: dict, fields: list, base: Optional[str] = None) -> list:
    """Instantiate the schema's custom checks; raise CheckParamsError listing what is wrong.

    ``base``: the folder (or URL prefix) of the schema file, against which checks
    resolve the relative paths of their reference files (``coordinates-in-commune``'s
    ``commune_extents``); None when unknown: relative paths are then read from the
    current directory.
    """
    declared = descriptor.get("custom_checks") or []
    if not declared:
        return []
    _load_check_modules()
    if not isinstance(declared, list):
        raise CheckParamsError("custom_checks must be a list")
    checks, problems = [], []
    for number, item in enumerate(declared):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"custom_checks/{number}: each check needs a 'name'")
            continue
        cls = CHECKS.get(item["name"])
        if cls is None:
            known = ", ".join(sorted(CHECKS)) or "none"
            problems.append(f"custom_checks/{number}: unknown check {item['name']!r} (known: {known})")
            continue
        names = {f.get("name") for f in descriptor.get("fields") or [] if isinstance(f, dict)}
        token = _SCHEMA_FIELDS.set(names | {f.name for f in fields})
        base_token = _SCHEMA_BASE.set(base)
        try:
            checks.append(cls(item.get("params") or {}, fields))
        except CheckParamsError as error:
            problems.append(f"custom_checks/{number} ({item['name']}): {error}")
        finally:
            _SCHEMA_BASE.reset(base_token)
            _SCHEMA_FIELDS.reset(token)
    if problems:
        raise CheckParamsError("; ".join(problems))
    return checks
