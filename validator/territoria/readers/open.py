"""From a user's source (path, URL, bytes, file object) to a readable Table.

Why one place: format detection (by extension, then by the file's first bytes)
and the choice of reader must be the same for the CLI, the library and the
GitHub Action.
"""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Any, Optional

from . import SourceProblem, Table

TABULAR_EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods",
    ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson",
    ".parquet": "parquet", ".pq": "parquet",
}
#: the extensions that surely name a table (a ``.json`` or ``.txt`` file may be anything)
TABLE_EXTENSIONS = {k: v for k, v in TABULAR_EXTENSIONS.items() if k not in (".json", ".txt")}


def is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://", value, re.I))


@dataclass
class LocalSource:
    """A source made local: its path, what to call it, and a temp file to clean up."""

    path: str
    place: str
    temporary: bool = False

    def cleanup(self) -> None:
        if self.temporary and os.path.exists(self.path):
            os.unlink(self.path)


def localise(source: Any, *, name_hint: str = "") -> LocalSource:
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if is_url(source):
        from .remote import fetch_to_file

        return LocalSource(fetch_to_file(source), place=source, temporary=True)
    if isinstance(source, str):
        if not os.path.exists(source):
            raise SourceProblem("scheme-error", f"{source}: no such file")
        if os.path.isdir(source):
            raise SourceProblem("scheme-error", f"{source}: is a directory, not a data file")
        if not os.access(source, os.R_OK):
            raise SourceProblem("scheme-error", f"{source}: permission denied")
        return LocalSource(source, place=source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise SourceProblem("scheme-error", f"unsupported source of type {type(source).__name__}")
    suffix = os.path.splitext(name_hint)[1] if name_hint else ""
    handle, path = tempfile.mkstemp(prefix="territoria-", suffix=suffix)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return LocalSource(path, place=name_hint or "<bytes>", temporary=True)


def detect_format(path: str, place: str = "", declared: Optional[str] = None) -> str:
    if declared:
        return declared.lower()
    for candidate in (place, path):
        extension = os.path.splitext(candidate.split("?", 1)[0])[1].lower()
        if extension in TABULAR_EXTENSIONS:
            return TABULAR_EXTENSIONS[extension]
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                    return "ods"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise SourceProblem("format-error", "a zip archive that is neither an XLSX nor an ODS spreadsheet")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def open_table(path: str, format: str, *, dialect: Optional[dict] = None,
               encoding: Optional[str] = None, sheet: Any = None) -> Table:
    dialect = dialect or {}
    if os.path.getsize(path) == 0:
        raise SourceProblem("source-error", "the source is empty")
    if format in ("csv", "tsv"):
        from .csv_reader import open_csv_table

        return open_csv_table(path, delimiter=dialect.get("delimiter"), encoding=encoding, format=format)
    if format in ("xlsx", "ods", "xls"):
        from .spreadsheet import open_spreadsheet_table

        return open_spreadsheet_table(path, format, sheet=sheet)
    if format == "ndjson":
        from .ndjson_reader import open_ndjson_table

        return open_ndjson_table(path)
    if format in ("json", "ndjson"):
        from .json_reader import open_json_table

        return open_json_table(path, format)
    if format == "parquet":
        from .parquet_reader import open_parquet_table

        return open_parquet_table(path)
    raise SourceProblem("format-error", f"format {format!r} is not supported")
