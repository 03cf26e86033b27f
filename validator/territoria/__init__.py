"""Territoria: validate smart-territory open data against versioned Table Schemas.

The public API is :func:`validate`, which returns a :class:`Report`, and
:func:`fix`, which repairs a file into a conformant copy and validates it. Heavy
modules (pyarrow, numpy) are imported on first use, so that ``territoria
--help`` and a validation of a tiny file start fast.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["validate", "fix", "Report", "__version__"]


def __getattr__(name: str):
    if name == "validate":
        from .api import validate

        return validate
    if name == "fix":
        import importlib

        return importlib.import_module(".fix", __name__)  # a callable package: territoria.fix(source, schema, output)
    if name == "Report":
        from .report import Report

        return Report
    raise AttributeError(name)
