"""What a repair run needs, checked before anything is written: the paths, the zone, the schema, the mapping.

Why first: a run that cannot finish must say so in one line before it
creates a file, and the copy or the log must never be an input (the source,
the schema, the mapping file), so that the input is never modified.
"""
from __future__ import annotations

import os
from typing import Optional

from ..readers.open import is_url
from ..schema import TableSchema
from ..schema.resolve import resolve_schema
from .mapping import Mapping, mapping_from, mapping_schema, mapping_source_file, read_mapping


class FixProblem(Exception):
    """The repair cannot run (an output that is an input, an unknown zone...): one line, exit 2."""


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


#: an input a new file would overwrite (each note whole, so rules/notes.py can give its French)
_ONLY_READ = {
    "source": "{flag} may not be the source, which is only ever read",
    "schema": "{flag} may not be the schema, which is only ever read",
    "mapping": "{flag} may not be the mapping file, which is only ever read",
}


def check_paths(source, schema, output: str, log: Optional[str], mapping) -> None:
    """The copy and the log are new files: never an input, never each other."""
    if not output:
        raise FixProblem("give the path of the copy to write (--output)")
    inputs = [(_ONLY_READ["source"], source), (_ONLY_READ["schema"], schema), (_ONLY_READ["mapping"], mapping)]
    outputs = [("--output", output)] + ([("--log", os.fspath(log))] if log else [])
    for flag, path in outputs:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise FixProblem(f"{path}: the folder {folder} does not exist")
        if os.path.isdir(path):
            raise FixProblem(f"{path}: is a directory ({flag} names the file to write)")
        for refused, item in inputs:
            if isinstance(item, (str, os.PathLike)) and not is_url(os.fspath(item)):
                if same_file(os.fspath(item), path) or os.path.abspath(os.fspath(item)) == os.path.abspath(path):
                    raise FixProblem(f"{path}: " + refused.format(flag=flag))
    if log and os.path.abspath(os.fspath(log)) == os.path.abspath(output):
        raise FixProblem(f"{log}: --log and --output must be two files")


def time_zone(name: Optional[str]):
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise FixProblem(f"--timezone {name!r}: not a time zone of the IANA database (like Europe/Paris)")


def table_schema(schema, place: str) -> TableSchema:
    if schema is None:
        raise FixProblem("give the schema the copy must follow (--schema)")
    profile = resolve_schema(schema)
    resource = profile.match([place]) if not profile.lone else None
    return profile.table(resource)


class MappingInput:
    """A mapping file read (not yet checked against a schema): what it says of the run's inputs."""

    def __init__(self, mapping):
        self.data, self.place, self.folder = {}, "mapping", None
        if isinstance(mapping, dict):
            self.data = mapping
        elif mapping is not None:
            self.place = os.fspath(mapping)
            self.folder = os.path.dirname(os.path.abspath(self.place))
            self.data = read_mapping(self.place)

    def schema(self):
        """The schema the mapping names (``schema``), or None."""
        return mapping_schema(self.data, self.place, self.folder)

    def source(self):
        """The export the mapping names (``source/file``), or None."""
        return mapping_source_file(self.data, self.place, self.folder)

    def checked(self, fields: list) -> Mapping:
        return mapping_from(self.data, fields, self.place, folder=self.folder)


def mapping_of(mapping, schema: TableSchema) -> Mapping:
    return MappingInput(mapping).checked(schema.fields)
