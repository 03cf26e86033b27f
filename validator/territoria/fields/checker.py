"""A field type's checker: the cast of a column, then its constraints.

Why apart from the cast machinery (``_core``) and the constraints
(``constraints``): each of those two only needs the other's data types, and this
module, which puts them together for every type, is the only one that needs both.
"""
from __future__ import annotations

from typing import Callable

import pyarrow as pa

from ..columnar.arrow import normalise_cells
from . import FieldResult, FieldSpec, register
from ._core import SPEC_FACTORIES, TypeSpec, cast_column, type_spec
from .constraints import check_constraints


def make_checker(type_name: str, factory: Callable[[FieldSpec], TypeSpec]):
    """Register ``type_name`` with a checker built from a TypeSpec factory."""
    SPEC_FACTORIES[type_name] = factory

    @register(type_name)
    def check(field: FieldSpec, cells: pa.Array) -> FieldResult:
        cells = normalise_cells(cells)
        spec = type_spec(field, factory)
        cast = cast_column(spec, cells)
        type_error = cast.present & ~cast.ok
        constraints = check_constraints(field, spec, cast)
        salt_of = (lambda: spec.key_salt(cast, spec)) if spec.key_salt is not None else None
        return FieldResult(type_error=type_error, constraints=constraints, keys=cast.keys, salt_of=salt_of)

    check.__name__ = f"check_{type_name}"
    return check
