"""From whatever names a schema to a :class:`~.profile.SchemaProfile`.

A user names a schema as a Table Schema file or URL, a ``dict``, a Data Package
descriptor, or a catalogue name (``street-lighting``,
``waste-fill-level/measurements@1.0.0``): :func:`resolve_schema` answers one kind
of thing for all of them.
"""
from __future__ import annotations

import os
from typing import Any

from ..readers.open import is_url
from . import TableSchema, load_table_schema, read_json
from .catalogue import resolve
from .profile import SchemaProfile, is_package_descriptor


def resolve_schema(schema: Any) -> SchemaProfile:
    """A :class:`SchemaProfile` from a path, a URL, a dict, a TableSchema or a catalogue name."""
    if isinstance(schema, SchemaProfile):
        return schema
    if isinstance(schema, TableSchema):
        return SchemaProfile.of_table(schema)
    if isinstance(schema, dict):
        if is_package_descriptor(schema):
            return SchemaProfile(schema)
        return SchemaProfile.of_table(load_table_schema(schema))
    text = os.fspath(schema)
    if is_url(text) or os.path.exists(text) or text.endswith(".json"):
        if os.path.isfile(text) or is_url(text):
            descriptor = read_json(text, "schema")
            if is_package_descriptor(descriptor):
                base = text.split("?", 1)[0].rsplit("/", 1)[0] if is_url(text) else os.path.dirname(text)
                return SchemaProfile(descriptor, base)
        return SchemaProfile.of_table(load_table_schema(text))
    return resolve(text)
