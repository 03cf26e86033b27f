"""The catalogue as the page shows it, and the table a file's header says it is for.

Why here: the page lists the use cases and their tables (titles and
descriptions in French and English, keywords, versions) to search them, and
pre-selects a schema when the header of a dropped file matches a table of the
catalogue, by the same matcher ``territoria fix`` uses (a field's name, French
title or English title, whatever the case, accents and spaces), so that an
export with French column titles is recognised too.
"""
from __future__ import annotations

import functools
import re
from typing import Optional

#: share of a table's fields a header must hold, and share of the header's labels that must be fields
MATCH_SHARE = 0.6

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9_-]+)?(@[0-9][0-9A-Za-z.+-]*)?$")


def is_catalogue_name(text: str) -> bool:
    """``street-lighting``, ``waste-fill-level/measurements@1.0.0`` (never a path or an address)."""
    return bool(_NAME.match(text or ""))


def _words(descriptor: dict, key: str) -> dict:
    return {"fr": str(descriptor.get(key) or ""), "en": str(descriptor.get(f"{key}_en") or descriptor.get(key) or "")}


@functools.lru_cache(maxsize=1)
def listing() -> tuple:
    """Each entry: name, titles, descriptions, keywords, versions (oldest first), and its tables
    (in its latest version); a tuple so that the cached answer cannot be changed by a caller."""
    from ..schema.catalogue import entries

    found = []
    for entry in entries():
        package = entry.package()
        tables = [{"name": r.get("name") or "", "title": _words(r, "title"), "description": _words(r, "description")}
                  for r in package.get("resources") or [] if isinstance(r, dict) and r.get("name")]
        found.append({
            "name": entry.name, "title": _words(package, "title"), "description": _words(package, "description"),
            "keywords": [str(k) for k in package.get("keywords") or []], "versions": entry.versions,
            "latest": entry.latest, "tables": tables,
        })
    return tuple(found)


@functools.lru_cache(maxsize=None)
def _fields(entry: str, table: str) -> tuple:
    from ..schema.catalogue import resolve

    return tuple(resolve(f"{entry}/{table}").table().fields)


def table_of(labels: list) -> Optional[tuple]:
    """``(entry, table)`` of the catalogue (latest versions) the header ``labels`` is for, or None.

    A header matches a table when at least ``MATCH_SHARE`` of the table's fields
    are found in it and ``MATCH_SHARE`` of its labels are fields; the closest
    table wins, and a tie between two tables is no match (never a guess).
    """
    from ..fix.header import match_header

    labels = [str(label) for label in labels if str(label).strip()]
    if not labels:
        return None
    scored = []
    for entry in listing():
        for table in entry["tables"]:
            try:
                fields = _fields(entry["name"], table["name"])
            except Exception:  # a broken catalogue table is simply not proposed
                continue
            plan = match_header(labels, list(fields))
            matched = sum(1 for position in plan.positions if position is not None)
            if matched >= MATCH_SHARE * len(fields) and matched >= MATCH_SHARE * len(labels):
                scored.append((matched / (len(fields) + len(labels) - matched), entry["name"], table["name"]))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


def suggest(headers: dict) -> dict:
    """The schema to pre-select for files of these headers (``{file name: labels}``):
    ``{"schema": "entry/table" for one file, "entry" for files of several tables of one entry, or None,
    "tables": {file name: "entry/table"}}``."""
    tables = {name: table_of(labels) for name, labels in headers.items()}
    found = {name: f"{match[0]}/{match[1]}" for name, match in tables.items() if match}
    entries = {match[0] for match in tables.values() if match}
    schema = None
    if found and len(found) == len(headers) and len(entries) == 1:
        schema = next(iter(found.values())) if len(set(found.values())) == 1 else next(iter(entries))
    return {"schema": schema, "tables": found}
