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

from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

import numpy as np

from .. import rules as rule_registry

#: Validata-compatible name -> CustomCheck subclass
CHECKS: dict = {}


class CheckParamsError(Exception):
    """The check's parameters are wrong; the message says which and why."""


class UndeclaredRule(Exception):
    """A check reported a finding of a rule it did not declare (a bug of the check)."""


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


@dataclass(frozen=True)
class CheckContext:
    """What a check may know of its schema beyond its own parameters.

    ``schema_fields``: the names of every field the schema declares (a check may
    name one the file lacks: its absence is already a missing-label error, and
    the check sees the column as empty); ``base``: the folder or URL the schema
    was read from (None: unknown, e.g. a dict schema), against which a check
    resolves the relative path of a reference file.
    """

    schema_fields: frozenset = field(default_factory=frozenset)
    base: Optional[str] = None

    @classmethod
    def of(cls, schema) -> "CheckContext":
        """The context of a ``territoria.schema.TableSchema``."""
        names = {f.get("name") for f in schema.descriptor.get("fields") or [] if isinstance(f, dict)}
        return cls(frozenset(names), schema.base)


class CustomCheck:
    """Base class of the custom checks.

    A subclass sets ``name`` (its Validata name), ``rules`` (the
    :class:`territoria.rules.Rule` of every finding it reports, declared here
    and nowhere else), ``example`` (a declaration as a schema writes it) and a
    docstring, and implements ``check_batch`` (and ``finish`` for findings at
    the end of the table).
    """

    name: str = ""
    rules: tuple = ()
    example: dict = {}
    #: the name that replaces this one, for a deprecated spelling (Validata's former names)
    replaced_by: str = ""
    #: parameters the check does not read (see ``Check``)
    ignored_params: list = []
    #: ``"warning"`` when the schema declares the check so (``"severity": "warning"``): a check new in a
    #: minor version of a standard warns first, and may become an error in the next major
    severity: str = "error"
    #: True when the check reports empty cells (``one-of-required``...): on columns new in a version,
    #: it would make files invalid whose new columns are added empty (``territoria diff``)
    fires_on_empty: bool = False

    def __init__(self, params: dict, fields: list, context: Optional[CheckContext] = None):
        context = context or CheckContext()
        self.params = params or {}
        self.fields = {f.name: f for f in fields}
        self.schema_field_names = set(context.schema_fields) | set(self.fields)
        self.absent: set = set()
        self.schema_base: Optional[str] = context.base

    @property
    def code(self) -> str:
        """The code of the check's first rule: the one a check with a single rule reports."""
        return self.rules[0].code

    @classmethod
    def codes(cls) -> tuple:
        """The codes of the rules the check reports."""
        return tuple(rule.code for rule in cls.rules)

    @classmethod
    def only_warns(cls) -> bool:
        """True when every rule is a warning: adding such a check to a released
        schema invalidates no file (``territoria diff`` calls it minor)."""
        return bool(cls.rules) and all(rule.severity == "warning" for rule in cls.rules)

    def declares(self, code: str) -> None:
        """Refuse a finding of a rule the check did not declare."""
        if code not in self.codes():
            raise UndeclaredRule(f"check {self.name!r} reported {code!r}, which it does not declare")

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
    """Register a check class under its name, and declare its rules."""
    CHECKS[cls.name] = cls
    for rule in cls.rules:
        rule_registry.declare(replace(rule, raised_by=rule.raised_by or cls.name))
    return cls


_loaded = False


def load_all() -> None:
    """Import every check module (each registers its checks and their rules)."""
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


#: what a declaration's ``severity`` may say
SEVERITIES = ("error", "warning")


def declared_checks(descriptor: dict) -> list:
    """The schema's check declarations: ``custom_checks``, then Validata's field-level
    ``customCheck`` (a name, or an object with the name and the parameters), whose
    ``column`` is the field itself. A malformed list is returned as it is (``build_checks``
    says what is wrong with it)."""
    declared = descriptor.get("custom_checks") or []
    if not isinstance(declared, list):
        return declared
    declared = list(declared)
    for spec in descriptor.get("fields") or []:
        if not isinstance(spec, dict) or "customCheck" not in spec:
            continue
        item = spec["customCheck"]
        if isinstance(item, str):
            item = {"name": item}
        if isinstance(item, dict):
            params = {k: v for k, v in item.items() if k not in ("name", "params")}
            params.update(item.get("params") if isinstance(item.get("params"), dict) else {})
            params.setdefault("column", spec.get("name"))
            item = {"name": item.get("name"), "params": params, "field": spec.get("name")}
        declared.append(item)
    return declared


def build_checks(descriptor: dict, fields: list, context: Optional[CheckContext] = None) -> tuple:
    """Instantiate the schema's custom checks: ``(checks, notices)``; raise CheckParamsError
    listing what is wrong.

    ``fields``: the fields the file's columns are checked against; ``context``:
    the schema's other field names and its folder (see :class:`CheckContext`).
    ``notices``: warning findings about the declarations themselves (a deprecated
    name, an ignored parameter), as Validata reports them.
    """
    declared = declared_checks(descriptor)
    if not declared:
        return [], []
    load_all()
    if not isinstance(declared, list):
        raise CheckParamsError("custom_checks must be a list")
    context = context or CheckContext()
    checks, problems, notices = [], [], []
    for number, item in enumerate(declared):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"custom_checks/{number}: each check needs a 'name'")
            continue
        cls = CHECKS.get(item["name"])
        if cls is None and item.get("field"):
            notices.append({"type": "check-unknown", "check": item["name"], "fieldName": item["field"],
                            "note": f"unknown check {item['name']!r} on field {item['field']!r}: not run"})
            continue
        if cls is None:
            known = ", ".join(sorted(CHECKS)) or "none"
            problems.append(f"custom_checks/{number}: unknown check {item['name']!r} (known: {known})")
            continue
        severity = item.get("severity", "error")
        if severity not in SEVERITIES:
            problems.append(f"custom_checks/{number} ({item['name']}): severity must be \"error\" or "
                            f"\"warning\" (got {severity!r})")
            continue
        try:
            check = cls(item.get("params") or {}, fields, context)
        except CheckParamsError as error:
            problems.append(f"custom_checks/{number} ({item['name']}): {error}")
            continue
        if severity == "warning":
            check.severity = "warning"
        checks.append(check)
        if cls.replaced_by:
            notices.append({"type": "check-name-deprecated", "check": cls.name, "replacement": cls.replaced_by,
                            "note": f"{cls.name} is a former name of {cls.replaced_by}"})
        if check.ignored_params:
            notices.append({"type": "check-parameter-ignored", "check": cls.name,
                            "parameters": ", ".join(check.ignored_params),
                            "note": f"{cls.name} does not read {', '.join(check.ignored_params)}"})
    if problems:
        raise CheckParamsError("; ".join(problems))
    return checks, notices
