"""The repair rules of ``territoria fix``: each one small, named, and the one definition of its transformation.

A repair takes a column of text cells (a ``pyarrow.StringArray``, one batch of
one column) and the field the column is checked against, and answers the
column with the cells it can repair *with certainty* replaced; every other
cell comes back as it was. The same function repairs a million cells of a
batch (``fix``) and the one cell of a listed error (:func:`repair_value`,
which ``rules.hints`` calls for its hint text), so the hint a report shows and
the change ``fix`` makes can never differ.

Certainty is kept in three ways:

- a repair looks only at forms that are never valid for its field as the
  schema declares it (``45,2`` for a number without ``decimalChar``,
  ``15/06/2021`` for a date of the default format, ``oui`` for a boolean
  without ``trueValues``), so a valid cell is never touched (except by
  ``local-time-offset``, which the user asks for with ``--timezone``);
- a repair of several readings (``1.234``, ``05/06/21`` without bounds) does
  not apply;
- :func:`repair_column` keeps a repaired cell only when the field's own type
  check (``fields.check_field``) accepts the result: otherwise the cell is
  left as it was, and stays an error of the copy.

Each repair's docstring is its documentation (the site and ``fix --help`` list
them); its name is what the change log writes in its ``rule`` column.
"""
from __future__ import annotations

import inspect
import threading
from dataclasses import dataclass, field as dataclass_field
from typing import Callable, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...columnar.arrow import filled_numbers, indices, mask_to_array, strings, to_bool_numpy, typed_scalar
from ...fields import FieldSpec, check_field

#: Arrow scalars of the repairs (a Python value given to a compute function makes pyarrow import
#: pandas, 0.3 s, on the hint of the first error of a small file: see ``columnar.arrow``)
TRUE, FALSE = typed_scalar(True, pa.bool_()), typed_scalar(False, pa.bool_())
NULL_TEXT = typed_scalar(None, pa.string())


def text_scalar(value: str) -> pa.Scalar:
    return typed_scalar(value, pa.string())


#: cells looked at to judge whether a column repeats its values
SAMPLE = 2048


@dataclass
class Context:
    """What a repair may need beyond the cells: the user's zone, and where to say what it left.

    ``notes``: ``(code, field name, mask of positions, details)`` of cells a
    repair recognised but left as they were (an ambiguous local time, a year of
    two possible centuries); the runner turns them into warnings.
    """

    timezone: object = None  # a zoneinfo.ZoneInfo, or None
    notes: list = dataclass_field(default_factory=list)

    def note(self, code: str, field: FieldSpec, mask: np.ndarray, **details) -> None:
        if mask is not None and mask.any():
            self.notes.append((code, field.name, mask, details))


@dataclass(frozen=True)
class Repair:
    """One named repair: ``applies(field)`` says whether it may touch the field at all;
    ``column(cells, field, context)`` answers the repaired column.

    Why no type check first, to hand a repair only the refused cells: those are the
    cells the validator's fast paths cannot decide, read one distinct value at a time
    by the exact readers, which would cost more than the repairs' own patterns."""

    name: str
    applies: Callable[[FieldSpec], bool]
    column: Callable[[pa.Array, FieldSpec, Context], pa.Array]

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.column) or ""


#: every cell repair, in the order they run on a column
REPAIRS: list = []


def repair(name: str, applies: Callable[[FieldSpec], bool]):
    """Register the function below as the repair ``name`` (order of registration = order of application)."""

    def decorate(function):
        REPAIRS.append(Repair(name, applies, function))
        return function

    return decorate


def for_field(field: FieldSpec) -> list:
    """The repairs that may touch ``field``, in order."""
    _load()
    return [r for r in REPAIRS if r.applies(field)]


@dataclass
class Repaired:
    """A column after the repairs: ``cells`` the text to write, ``rules[i]`` the names of the
    repairs that changed cell ``i`` (bits of ``bits`` over ``names``)."""

    cells: pa.Array
    bits: np.ndarray  # uint32 per cell, 0 where nothing changed
    names: list  # bit k = names[k]

    def changed(self) -> np.ndarray:
        return self.bits != 0

    def mark(self, mask: np.ndarray, name: str, cells: pa.Array) -> None:
        """A row-level repair (``swapped-lat-lon``, ``lambert93``) changed the cells at ``mask``."""
        if name not in self.names:
            self.names.append(name)
        self.bits[mask] |= np.uint32(1 << self.names.index(name))
        self.cells = pc.if_else(mask_to_array(mask), cells, self.cells)

    def rule_names(self, positions: np.ndarray) -> pa.Array:
        """'+'-joined names of the repairs that changed each of ``positions`` (a string array)."""
        distinct, which = np.unique(self.bits[positions], return_inverse=True)
        names = ["+".join(n for k, n in enumerate(self.names) if int(bits) >> k & 1) for bits in distinct.tolist()]
        return strings(names).take(indices(which))


def differs(before: pa.Array, after: pa.Array) -> np.ndarray:
    """True where the text changed (a null on one side only counts as a change)."""
    unequal = pc.fill_null(pc.not_equal(before, after), FALSE)
    one_null = pc.xor(pc.is_null(before), pc.is_null(after))
    return to_bool_numpy(pc.or_(unequal, one_null))


def repair_column(cells: pa.Array, field: FieldSpec, context: Optional[Context] = None, *,
                  before: tuple = (), after: tuple = (), missing: Optional[list] = None) -> Repaired:
    """Every repair that applies to ``field``, in order, over one column; then the guard.

    ``before``/``after``: extra :class:`Repair` steps of a mapping file (codes
    first, units after the number repairs), run in the same chain and guarded
    the same way. ``missing``: the schema's missing values, never touched
    (default ``[""]``). A cell whose repaired text the field's type check
    refuses is put back as it was: a repair never turns one error into another.
    """
    context = context or Context()
    steps = list(before) + for_field(field) + list(after)
    names = [step.name for step in steps]
    bits = np.zeros(len(cells), dtype=np.uint32)
    if not steps or len(cells) == 0:
        return Repaired(cells, bits, names)
    missing = [""] if missing is None else list(missing)
    is_missing = pc.fill_null(pc.is_in(cells, value_set=strings(missing)), TRUE) if missing else None
    work = pc.if_else(is_missing, NULL_TEXT, cells) if is_missing is not None else cells
    if work.null_count == len(work):
        return Repaired(cells, bits, names)
    if _repetitive(work):
        return _by_distinct(cells, work, field, context, steps, names)
    return _chain(cells, work, field, context, steps, names)


def _repetitive(work: pa.Array) -> bool:
    """Whether the column repeats its values (codes, times, booleans, round numbers), judged on its
    first cells: then the repairs run once per distinct value, not once per cell."""
    sample = work.slice(0, SAMPLE)
    return len(sample) >= SAMPLE and len(pc.unique(sample)) * 4 <= len(sample)


def _by_distinct(cells: pa.Array, work: pa.Array, field: FieldSpec, context: Context, steps: list,
                 names: list) -> Repaired:
    """The chain over the column's distinct values, spread back to its cells (and so are the notes)."""
    encoded = pc.dictionary_encode(work)
    values = encoded.dictionary
    local = Context(timezone=context.timezone)
    part = _chain(values, values, field, local, steps, names)
    positions = filled_numbers(encoded.indices, len(values)).astype(np.int64, copy=False)
    bits = np.append(part.bits, np.uint32(0))[positions]
    for code, name, mask, details in local.notes:
        context.notes.append((code, name, np.append(np.asarray(mask, dtype=bool), False)[positions], details))
    changed = bits != 0
    if not changed.any():
        return Repaired(cells, bits, names)
    spread = part.cells.take(indices(np.where(changed, positions, 0)))
    return Repaired(pc.if_else(mask_to_array(changed), spread, cells), bits, names)


def _chain(original: pa.Array, work: pa.Array, field: FieldSpec, context: Context, steps: list,
           names: list) -> Repaired:
    """The steps in order over ``work`` (missing values null), then the type guard."""
    bits = np.zeros(len(work), dtype=np.uint32)
    for k, step in enumerate(steps):
        result = step.column(work, field, context)
        if result is work:  # the step found nothing to repair
            continue
        changed = differs(work, result)
        if changed.any():
            bits[changed] |= np.uint32(1 << k)
            work = result
    changed = bits != 0
    if not changed.any():
        return Repaired(original, bits, names)
    where_ = np.flatnonzero(changed)
    candidates = work.take(indices(where_))
    refused = np.asarray(check_field(field, candidates).type_error, dtype=bool)
    if refused.any():
        bits[where_[refused]] = 0
        changed = bits != 0
    return Repaired(pc.if_else(mask_to_array(changed), work, original), bits, names)


def repair_value(text: str, field, context: Optional[Context] = None) -> Optional[tuple]:
    """The one-value form: ``(repaired text, [rule names])`` of one cell, or None when no rule
    changes it. ``field``: a :class:`FieldSpec` or a field descriptor (dict)."""
    if not isinstance(text, str) or not text:
        return None
    if isinstance(field, dict):
        field = FieldSpec.from_descriptor(field)
    result = repair_column(strings([text]), field, context)
    if not result.bits[0]:
        return None
    return result.cells[0].as_py(), result.rule_names(np.array([0]))[0].as_py().split("+")


# -- helpers the repair modules share ---------------------------------------------------

def where(mask, repaired: pa.Array, cells: pa.Array) -> pa.Array:
    """``repaired`` where ``mask`` (a boolean array, null = False), ``cells`` elsewhere."""
    return pc.if_else(pc.fill_null(mask, FALSE), repaired, cells)


def matches(cells: pa.Array, pattern: str) -> pa.Array:
    """Boolean array: the cell matches the RE2 ``pattern`` (null cells: False)."""
    return pc.fill_null(pc.match_substring_regex(cells, pattern), FALSE)


def none_of(mask: pa.Array) -> bool:
    return not pc.any(mask).as_py()


def declares(field: FieldSpec, *keys: str) -> bool:
    return any(key in field.descriptor for key in keys)


_loaded = False
_loading = threading.Lock()


def _load() -> None:
    """Import the repair modules once, in the order their repairs run (the columns of a batch are
    repaired on several threads: the first of them imports, the others wait)."""
    global _loaded
    if _loaded:
        return
    with _loading:
        if not _loaded:
            from . import numbers, temporal, zones, booleans, codes  # noqa: F401  (register by import)

            _loaded = True
