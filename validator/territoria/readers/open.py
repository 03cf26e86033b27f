"""From a user's source (path, URL, bytes, file object) to a readable Table.

Why one place: format detection (by extension, then by the file's first bytes)
and the choice of reader must be the same for the CLI, the library and the
GitHub Action.
"""
from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Optional

from . import TABLE_EXTENSIONS, TABULAR_EXTENSIONS, SourceProblem, Table  # noqa: F401 (re-exported)

def is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://", value, re.I))


@dataclass
class LocalSource:
    """A source made local: its path, what to call it, and the temp files to clean up."""

    path: str
    place: str
    temporary: bool = False
    also: list = field(default_factory=list)  # further temp files (a download, before decompression)

    def cleanup(self) -> None:
        paths = ([self.path] if self.temporary else []) + self.also
        if paths:  # a plain local file has nothing to remove (and needs no download module)
            from .remote import discard

            for path in paths:
                discard(path)
        self.temporary, self.also = False, []

    def __enter__(self) -> "LocalSource":
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


def localise(source: Any, *, name_hint: str = "") -> LocalSource:
    """A local, regular, readable file for ``source`` (downloaded, written or decompressed as needed).

    A decompressed source keeps its place (``mesures.csv.gz``) and gets a temp file
    named by the inner file's extension, so detection reads it as the plain table.
    """
    local = _localise(source, name_hint)
    try:
        return _decompressed(local)
    except BaseException:
        local.cleanup()
        raise


def _localise(source: Any, name_hint: str) -> LocalSource:
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if is_url(source):
        from .remote import fetch_to_file

        return LocalSource(fetch_to_file(source), place=source, temporary=True)
    if isinstance(source, str):
        check_regular_file(source, SourceProblem, "scheme-error")
        return LocalSource(source, place=source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise SourceProblem("scheme-error", f"unsupported source of type {type(source).__name__}")
    from .remote import temporary_file

    suffix = os.path.splitext(name_hint)[1] if name_hint else ""
    handle, path = temporary_file(suffix)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return LocalSource(path, place=name_hint or "<bytes>", temporary=True)


def check_regular_file(path: str, problem=SourceProblem, code: str = "scheme-error", what: str = "") -> None:
    """Refuse anything but a readable regular file (a FIFO or a device would block or never end)."""
    import stat

    label = f"{what} " if what else ""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _problem(problem, code, f"{path}: {label}no such file" if label else f"{path}: no such file")
    except OSError as error:
        raise _problem(problem, code, f"{path}: {error.strerror or error}")
    if stat.S_ISDIR(info.st_mode):
        raise _problem(problem, code, f"{path}: is a directory, not a data file" if not label
                       else f"{path}: {label}is a directory, not a JSON file")
    if not stat.S_ISREG(info.st_mode):
        raise _problem(problem, code, f"{path}: {label}is not a regular file (a pipe or a device), not read")
    if not os.access(path, os.R_OK):
        raise _problem(problem, code, f"{path}: permission denied")


def _problem(kind, code: str, note: str):
    if kind is SourceProblem:
        return SourceProblem(code, note)
    where, _, rest = note.partition(": ")
    return kind(where, [rest])


def _decompressed(local: LocalSource) -> LocalSource:
    from .compressed import compression_of, decompress, inner_file_name

    extension = compression_of(local.path, local.place)
    if extension is None:
        return local
    if extension == ".zip" and _spreadsheet_zip(local.path):
        return local
    from .policy import current
    from .remote import discard, temporary_file  # a temporary file of the private folder

    suffix = os.path.splitext(inner_file_name(local.path, extension, local.place))[1]
    handle, path = temporary_file(suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            decompress(local.path, extension, local.place, current().limits, out)
    except BaseException:
        discard(path)
        raise
    return LocalSource(path, place=local.place, temporary=True,
                       also=([local.path] if local.temporary else []) + local.also)


def _mimetype_says_spreadsheet(archive) -> bool:
    with archive.open("mimetype") as member:  # its first bytes only: a member may be a bomb
        return b"spreadsheet" in member.read(200)


def _spreadsheet_zip(path: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and _mimetype_says_spreadsheet(archive):
                return True
            return any(n.startswith("xl/") for n in names)
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


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
                if "mimetype" in names and _mimetype_says_spreadsheet(archive):
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


#: formats whose sources hold several sheets (``--sheet``)
SPREADSHEET_FORMATS = ("xlsx", "ods", "xls")


def open_table(path: str, format: str, *, dialect: Optional[dict] = None,
               encoding: Optional[str] = None, sheet: Any = None, header_row: Optional[int] = None) -> Table:
    """``header_row``: the row of the column names when the caller knows it (CSV and spreadsheets only)."""
    dialect = dialect or {}
    if header_row is not None and format not in ("csv", "tsv") and format not in SPREADSHEET_FORMATS:
        raise SourceProblem("format-error", f"a {format} file has no header row to choose")
    if os.path.getsize(path) == 0:
        raise SourceProblem("source-error", "the source is empty")
    if format in ("csv", "tsv"):
        from .csv_reader import open_csv_table

        return open_csv_table(path, delimiter=dialect.get("delimiter"), encoding=encoding, format=format,
                              header_row=header_row or 1)
    if format in SPREADSHEET_FORMATS:
        from .spreadsheet import open_spreadsheet_table

        return open_spreadsheet_table(path, format, sheet=sheet, header_row=header_row)
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
