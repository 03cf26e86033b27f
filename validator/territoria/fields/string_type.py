"""`string` fields (frictionless fields/string.py).

default: every text casts. uuid: canonical 8-4-4-4-12 hex is fast; the rest goes
through ``uuid.UUID`` like ``validators.uuid`` (so "{...}", "urn:uuid:..." and
32 bare hex digits are valid). binary: canonical padded base64 is fast; the rest
through the non-validating ``base64.b64decode`` (junk characters are ignored,
only padding errors fail). email: the ASCII addresses ``validators.email``
accepts (a dot-atom local part of at most 64 characters, a domain of letter,
digit and hyphen labels ending in a letter, at most 253) are fast, the rest goes
through ``validators.email``. uri: ``rfc3986`` with a required scheme accepts
exactly the texts starting with a scheme and a colon: those are fast, the rest
goes through ``rfc3986``. wkt goes through the scalar reader once per distinct
text. Every fast regex accepts only texts the scalar reader accepts (tests
compare them on generated addresses). Key: the text itself.
"""
from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import FieldSpec
from ._core import TypeSpec
from .checker import make_checker
from ..columnar.arrow import filled_numbers, keep_where, numbers, string_layout

SUPPORTED = ("required", "minLength", "maxLength", "pattern", "enum")

UUID_RE = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_ATOM = "[0-9A-Za-z!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[0-9A-Za-z](?:[0-9A-Za-z-]{0,61}[0-9A-Za-z])?"
EMAIL_RE = rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[0-9A-Za-z][0-9A-Za-z-]{{0,61}}[A-Za-z]$"
URI_RE = r"^[a-zA-Z][a-zA-Z0-9+.-]*:"
BASE64_RE = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


def field_format(field: FieldSpec) -> str:
    fmt = field.format or "default"
    if isinstance(fmt, str) and fmt.startswith("fmt:"):
        fmt = fmt[4:]
    return fmt


def string_reader(fmt: str):
    if fmt == "uri":
        import rfc3986
        import rfc3986.validators

        def reader(cell: Any):
            if not isinstance(cell, str):
                return None
            validator = rfc3986.validators.Validator()
            validator.require_presence_of("scheme")
            uri = rfc3986.uri_reference(cell)
            try:
                validator.validate(uri)
            except rfc3986.exceptions.ValidationError:
                return None
            return cell

    elif fmt == "email":
        import validators

        def reader(cell: Any):
            if not isinstance(cell, str):
                return None
            if not validators.email(cell):
                return None
            return cell

    elif fmt == "uuid":
        import validators

        def reader(cell: Any):
            if not isinstance(cell, str):
                return None
            if not validators.uuid(cell):
                return None
            return cell

    elif fmt == "binary":

        def reader(cell: Any):
            if not isinstance(cell, str):
                return None
            try:
                base64.b64decode(cell)
            except Exception:
                return None
            return cell

    elif fmt == "wkt":
        from .wkt import is_wkt  # the optional extra territoria[wkt] (schema_problems says so when absent)

        def reader(cell: Any):
            if not isinstance(cell, str) or not is_wkt(cell):
                return None
            return cell

    else:

        def reader(cell: Any):
            if not isinstance(cell, str):
                return None
            return cell

    return reader


def utf8_lengths(cells: pa.Array) -> np.ndarray:
    """len() of every cell (code points; 0 for nulls is irrelevant: callers mask)."""
    if pa.types.is_string(cells.type) and len(cells):
        _, lengths, data = string_layout(cells)
        if len(data) == 0 or int(data.max()) < 128:
            return lengths  # ASCII: bytes are code points
    return numbers(pc.utf8_length(cells))  # null slots: whatever they hold


def identity(cells: pa.Array) -> pa.Array:
    return cells


def email_cast(cells: pa.Array) -> pa.Array:
    """EMAIL_RE's addresses (ASCII) within validators.email's lengths: a local
    part of at most 64 characters, a domain of at most 253; null (the exact
    reader's business) otherwise."""
    at = filled_numbers(pc.find_substring(cells, "@"), 0)
    domain = utf8_lengths(cells) - at - 1
    return keep_where(cells, (at <= 64) & (domain <= 253))


def string_spec(field: FieldSpec) -> TypeSpec:
    fmt = field_format(field)
    fast_regex = {"uuid": UUID_RE, "binary": BASE64_RE, "email": EMAIL_RE, "uri": URI_RE, "wkt": None}.get(fmt, "")
    return TypeSpec(
        name="string",
        supported=SUPPORTED,
        value_reader=string_reader(fmt),
        to_key=lambda value: value,
        key_type=pa.string(),
        fast_regex=fast_regex,
        fast_cast=(email_cast if fmt == "email" else identity) if fast_regex is not None else None,
        fast_length=utf8_lengths,
        fast_all=fast_regex == "",
    )


check_string = make_checker("string", string_spec)
