"""What a schema reference names: the table schemas of one or several resources.

Whatever form a schema is named in (``resolve.resolve_schema``), the answer is
a :class:`SchemaProfile`: the table schemas of one or several resources, by
name, each loaded (and checked) when first asked. A lone Table Schema is a
profile of one table, which any file may use.
"""
from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Optional

from . import SchemaProblem, TableSchema, load_table_schema
from ..readers.open import is_url


@dataclass
class SchemaProfile:
    """The table schemas of a package profile (a lone table schema: one resource, named ``""``).

    ``descriptor``: the package descriptor (its ``resources`` each with a
    ``name`` and a ``schema``); ``base``: the folder or URL it was read from,
    against which its resources' schema paths are resolved.
    """

    descriptor: dict
    base: Optional[str] = None
    tables: dict = field(default_factory=dict)  # resource name -> TableSchema, as loaded

    @classmethod
    def of_table(cls, schema: TableSchema, name: str = "") -> "SchemaProfile":
        return cls({"resources": [{"name": name, "schema": schema.descriptor}]}, schema.base, {name: schema})

    @property
    def resources(self) -> list:
        resources = self.descriptor.get("resources")
        return [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []

    @property
    def names(self) -> list:
        return [r.get("name") or "" for r in self.resources]

    @property
    def lone(self) -> bool:
        """One table: it applies to any file, whatever its name."""
        return len(self.resources) == 1

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name") or "")

    def match(self, hints: list) -> Optional[str]:
        """The resource a file is for, from what its name (or title, or URL) shows.

        The longest resource name contained in a hint wins ("water_readings"
        before "readings"); None when no resource name appears. A file's own
        name is read before the folders above it (``.../channel-counts/measure.csv``
        is a measure file).
        """
        names, paths = [], []
        for hint in hints:
            if hint:
                path = urllib.parse.urlsplit(hint).path if is_url(hint) else hint
                names.append(_normal(os.path.basename(path)))
                paths.append(_normal(hint))
        for words in (names, paths):
            for name in sorted(filter(None, self.names), key=len, reverse=True):
                if any(_normal(name) and _normal(name) in word for word in words):
                    return name
        return None

    def table(self, name: Optional[str] = None, version_2: Optional[bool] = None) -> TableSchema:
        """The table schema of resource ``name`` (None: the only one); SchemaProblem if unusable."""
        if name is None or (self.lone and name not in self.names):
            if not self.lone:
                raise SchemaProblem(self.name or "schema", [
                    f"the schema describes several tables ({', '.join(self.names)}): say which one"])
            name = self.names[0]
        if name in self.tables:
            return self.tables[name]
        resource = next((r for r in self.resources if (r.get("name") or "") == name), None)
        if resource is None:
            raise SchemaProblem(name, [f"the schema's package has no resource named {name!r}"])
        if resource.get("schema") is None:
            raise SchemaProblem(name, [f"resource {name!r} of the schema's package has no schema"])
        schema = resource["schema"]
        if isinstance(schema, str) and self.base:
            from ..readers.trust import resolve as resolve_path

            schema = resolve_path(schema, self.base, f"resource {name!r}: schema")
        self.tables[name] = load_table_schema(schema, base=self.base, version_2=version_2)
        return self.tables[name]


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def is_package_descriptor(descriptor: Any) -> bool:
    return isinstance(descriptor, dict) and "resources" in descriptor and "fields" not in descriptor


