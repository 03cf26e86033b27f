"""Vectorised casting and constraint checking of one column, one type per module.

Why a registry: the engine never knows about individual Table Schema types. It
hands each field's column of text cells to :func:`check_field`, which looks the
type up in ``FIELD_TYPES`` and returns boolean masks. Each type module mirrors
the scalar reader of frictionless-py v5 (the reference implementation), but
works on a whole pyarrow array at once: a strict regular expression accepts the
common valid forms vectorised, and only the residue (odd-but-valid forms and
invalid cells) goes through an exact scalar parser, once per *distinct* value.

Contract
--------
``check_field(field, cells)``:

* ``field`` is a :class:`FieldSpec` (the field descriptor, normalised).
* ``cells`` is a ``pyarrow.StringArray``: null where the cell is *missing*
  (absent from the row or equal to one of the schema's ``missingValues``);
  otherwise the raw text of the cell, never stripped.

It returns a :class:`FieldResult` whose arrays all have ``len(cells)``:

* ``type_error``: True where a non-null cell cannot be cast to the type.
* ``constraints``: ``{constraint name: mask}``, True where that constraint
  fails, for every constraint the field declares and its type supports
  (``required`` included: a null cell of a required field). Constraints are
  evaluated only where there is no type error, as frictionless does.
* ``keys``: a ``pyarrow.Array`` of the *cast* values in a canonical,
  hashable, comparable form (e.g. float64 for number so that "1.0" == "1",
  date32 for date, the string itself for string), null where the cell is null
  or has a type error. Used for ``unique``, ``primaryKey`` and ``foreignKeys``.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, Callable, Optional

import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class FieldSpec:
    """A Table Schema field descriptor with the defaults made explicit."""

    name: str
    type: str = "string"
    format: str = "default"
    constraints: dict = dataclass_field(default_factory=dict)
    descriptor: dict = dataclass_field(default_factory=dict)

    @classmethod
    def from_descriptor(cls, descriptor: dict) -> "FieldSpec":
        return cls(
            name=descriptor.get("name", ""),
            type=descriptor.get("type", "string") or "string",
            format=descriptor.get("format", "default") or "default",
            constraints=dict(descriptor.get("constraints") or {}),
            descriptor=descriptor,
        )

    def get(self, key: str, default: Any = None) -> Any:
        """A descriptor property such as ``decimalChar`` or ``trueValues``."""
        return self.descriptor.get(key, default)


@dataclass
class FieldResult:
    type_error: np.ndarray
    constraints: dict[str, np.ndarray]
    keys: pa.Array
    #: () -> the uint64 salts mixed into the key hashes (``fields.identity``), None when every
    #: salt is 0; computed only when asked, i.e. only for the columns of a key
    salt_of: Optional[Callable[[], Optional[np.ndarray]]] = None

    def key_salt(self) -> Optional[np.ndarray]:
        return self.salt_of() if self.salt_of is not None else None


#: type name -> function(field, cells) -> FieldResult
FIELD_TYPES: dict[str, Callable[[FieldSpec, pa.Array], FieldResult]] = {}


def register(type_name: str):
    """Register the vectorised checker of one Table Schema type."""

    def decorate(function):
        FIELD_TYPES[type_name] = function
        return function

    return decorate


def check_field(field: FieldSpec, cells: pa.Array) -> FieldResult:
    checker = FIELD_TYPES.get(field.type)
    if checker is None:
        _load_type_modules(field.type)
        checker = FIELD_TYPES.get(field.type)
    if checker is None:
        raise ValueError(f"unsupported field type {field.type!r}")
    return checker(field, cells)


_loaded = False


def _load_type_modules(type_name: str = "") -> None:
    """Import the type modules on first use (keeps `territoria --help` fast): the
    module of ``type_name`` alone when it has one (a 20-row file of three types
    does not pay for sixteen), else all of them."""
    global _loaded
    if _loaded:
        return
    from . import string_type  # noqa: F401  (registers by import)
    import importlib

    if type_name and type_name.isidentifier():
        try:
            importlib.import_module(f"{__name__}.{type_name}_type")
        except ModuleNotFoundError:
            pass
        if type_name in FIELD_TYPES:
            return
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if module.name.endswith("_type"):
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True
