"""A workbook's sheets: ``--sheet all`` validates each of them, and a sheet read by default
that does not hold the data says which sheet does.

Why its own module: French workbooks often open on a notice ("Lisez-moi",
"Métadonnées") with the table on a later sheet, and a use case's tables are
often the sheets of one workbook. Both are sheets chosen by the user or found
for her; the readers only ever read the one sheet they are given.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Optional

from .. import rules
from ..readers import SourceProblem
from ..readers.open import SPREADSHEET_FORMATS, detect_format, is_url, localise, open_table

#: ``--sheet all`` (and ``*``): every sheet of each workbook
ALL = ("all", "*")
#: a workbook with more sheets is refused under ``--sheet all`` (each sheet is a task)
MAX_SHEETS = 100
#: sheets looked at, after the first, for the data a default read did not find
LOOKED_AT = 10
#: share of the schema's fields a sheet's first row must name to be said to hold the data
HEADER_MATCH = 0.5


def wants_all(sheet: Any) -> bool:
    return isinstance(sheet, str) and sheet.strip().lower() in ALL


@dataclass
class Entry:
    """One table to validate among files given together: a file, or one sheet of a workbook."""

    path: Any  # what the readers open: a path, a URL, bytes
    place: Any  # the source as the user gave it
    sheet: Optional[str] = None

    @property
    def shown(self) -> str:
        """The name a table is matched by: the sheet's, else the file's (without its folders)."""
        if self.sheet:
            return self.sheet
        if not isinstance(self.place, str):
            return ""
        import urllib.parse

        path = urllib.parse.urlsplit(self.place).path if is_url(self.place) else self.place
        return os.path.basename(path.rstrip("/"))


def entries(sources: list, sheet: Any) -> tuple:
    """``(entries, cleanup)``: each source one entry, or under ``--sheet all`` each sheet of a workbook
    one entry (a workbook at a URL is downloaded once; ``cleanup()`` removes the download)."""
    if not wants_all(sheet):
        return [Entry(s, s) for s in sources], lambda: None
    downloads: list = []
    out: list = []
    try:
        for source in sources:
            out += _sheets_of(source, downloads)
    except BaseException:
        _cleanup(downloads)
        raise
    return out, lambda: _cleanup(downloads)


def _sheets_of(source: Any, downloads: list) -> list:
    if not isinstance(source, (str, os.PathLike)):
        return [Entry(source, source)]
    source = os.fspath(source)
    try:
        local = localise(source)
    except (SourceProblem, OSError):
        return [Entry(source, source)]  # its own task says why it cannot be read
    keep = local.path != source
    try:
        fmt = detect_format(local.path, local.place, None)
        if fmt not in SPREADSHEET_FORMATS:
            return [Entry(local.path if keep else source, source)]
        from ..readers.spreadsheet import sheet_names

        names = sheet_names(local.path, fmt)
    except (SourceProblem, OSError):
        return [Entry(local.path if keep else source, source)]
    finally:
        (downloads.append(local) if keep else local.cleanup())
    if len(names) > MAX_SHEETS:
        raise SourceProblem("format-error", f"{source}: the workbook has {len(names)} sheets, more than the "
                                            f"{MAX_SHEETS} --sheet all reads")
    return [Entry(local.path if keep else source, source, name) for name in names]


def _cleanup(downloads: list) -> None:
    for local in downloads:
        local.cleanup()


def data_elsewhere(path: str, format: str, schema, labels: list) -> Optional[dict]:
    """The ``sheet-warning`` finding when a later sheet's first row names more of the schema's
    columns than the sheet read (and at least half of them), else None. Never raises."""
    wanted = {f.name for f in schema.fields}
    here = len(wanted & {str(label) for label in labels})
    if not wanted or here == len(wanted):
        return None
    try:
        from ..readers.spreadsheet import sheet_names

        names = sheet_names(path, format)
    except Exception:  # advice must never cost the verdict
        return None
    for number, name in enumerate(names[1:1 + LOOKED_AT], start=2):
        try:
            found = len(wanted & {str(label) for label in open_table(path, format, sheet=name).labels})
        except Exception:
            continue
        if found > here and found >= max(1, len(wanted) * HEADER_MATCH):
            return rules.describe({"type": "sheet-warning", "severity": "warning", "sheet": name,
                                   "sheetNumber": number, "found": found, "fields": len(wanted),
                                   "note": f'sheet {number} "{name}"'})
    return None



def set_aside(given: list, field_names: set) -> tuple:
    """``(tables, notices)``: under ``--sheet all``, a sheet whose first row names none of the
    schema's fields ("Lisez-moi", "Métadonnées") is a notice, not a table, when another sheet of
    the same workbook does name some; it is then said in a warning rather than checked."""
    if not field_names:
        return given, []
    naming: dict = {}
    for entry in given:
        if entry.sheet is not None:
            naming[id(entry)] = _names_some(entry, field_names)
    with_data = {entry.place for entry in given if naming.get(id(entry))}
    notices = [entry for entry in given
               if entry.sheet is not None and not naming[id(entry)] and entry.place in with_data]
    return [entry for entry in given if entry not in notices], notices


def _names_some(entry: Entry, field_names: set) -> bool:
    try:
        labels = open_table(entry.path, detect_format(entry.path, entry.path, None), sheet=entry.sheet).labels
    except Exception:  # an unreadable sheet is a table: its own task says why
        return True
    return bool(field_names & {str(label) for label in labels})


def notice_warning(entry: Entry) -> dict:
    return rules.describe({"type": "sheet-skipped-warning", "severity": "warning", "sheet": entry.sheet,
                           "note": f'sheet "{entry.sheet}" names none of the columns'})
