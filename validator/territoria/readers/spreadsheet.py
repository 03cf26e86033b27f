"""XLSX, ODS and XLS reading, cell by cell, as frictionless-py v5 reads them.

Why mirror the reference's libraries so closely: frictionless decides row
numbers, blank rows and labels from what its spreadsheet library yields, not
from what a user sees in a spreadsheet program. openpyxl (read-only mode) pads
every row to the sheet's recorded dimension and yields every row up to it, so
trailing empty rows are blank rows and no row is ever "short"; ezodf expands
repeated ODS rows and cells fewer than 32 times, keeps longer runs once, and
pads every row to the widest. We reproduce exactly that, streaming:

* XLSX: openpyxl itself, ``read_only=True, data_only=True``, ``iter_rows``
  with ``values_only`` (the same rows frictionless gets), bounded memory.
* ODS: ``content.xml`` parsed twice with ``xml.etree.ElementTree.iterparse``
  (stdlib, streaming; pass 1 measures the widest row, pass 2 yields rows),
  with ezodf's expansion rules and cell-value rules re-implemented.
* XLS: xlrd when installed (it reads the whole workbook; XLS files are small).

Cells that were numbers, dates or booleans keep their kind
(:mod:`territoria.readers.native`): the batches here are ``NativeBatch`` objects.
"""
from __future__ import annotations

import datetime as _dt
import os
import zipfile
from typing import Any, Iterable, Iterator, Optional

import numpy as np
import pyarrow as pa

from . import Batch, SourceProblem, Table
from .native import KIND_TEXT, NativeBatch, cell_text

BATCH_ROWS = 20_000
HEADER_SAMPLE_ROWS = 100  # frictionless's default sample size (header detection)


# ---------------------------------------------------------------- cell values


def label_text(value: Any) -> str:
    """frictionless's ``stringify_label``: None → "", else ``str(value).strip()``."""
    return "" if value is None else str(value).strip()


def detect_header_row(sample: list) -> int:
    """frictionless's header-row detection (``Detector.detect_dialect``).

    The header is the first row of the sample (first 100 rows) whose width is
    within 10% of the sample's average width; row 1 when none is.
    """
    widths = [len(cells) for cells in sample]
    if not widths:
        return 1
    width = _round_half_even(sum(widths) / len(widths))
    drift = max(_round_half_even(width * 0.1), 1)
    for number, cells in enumerate(sample, start=1):
        if width - drift <= len(cells) <= width + drift:
            return number
    return 1


def _round_half_even(value: float) -> int:
    return int(round(value))  # Python's round, as frictionless uses


def native_batches(rows: Iterable[list], first_row_number: int, width: int,
                   batch_size: int = BATCH_ROWS) -> Iterator[NativeBatch]:
    """Group rows of Python values into :class:`NativeBatch` es (text + kinds)."""
    buffer: list = []
    row_number = first_row_number
    for row in rows:
        buffer.append(row)
        if len(buffer) >= batch_size:
            yield _native_batch(buffer, row_number, width)
            row_number += len(buffer)
            buffer = []
    if buffer:
        yield _native_batch(buffer, row_number, width)


def _native_batch(rows: list, first: int, width: int) -> NativeBatch:
    n = len(rows)
    counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
    max_width = max(width, int(counts.max()) if n else 0)
    columns, natives, kinds = [], [], []
    for position in range(max_width):
        texts = [None] * n
        kind = np.zeros(n, dtype=np.int8)
        for i, row in enumerate(rows):
            if position < len(row):
                value = row[position]
                if value is None or type(value) is str:
                    texts[i] = value
                else:
                    texts[i], kind[i] = cell_text(value)
        columns.append(pa.array(texts, type=pa.string()))
        if kind.any():
            kinds.append(kind)
            natives.append(kind != KIND_TEXT)
        else:
            kinds.append(None)
            natives.append(None)
    regular = bool((counts == width).all())
    return NativeBatch(
        columns=columns,
        row_numbers=np.arange(first, first + n, dtype=np.int64),
        cell_counts=None if regular else counts,
        native=natives,
        kinds=kinds,
    )


def table_from_row_source(open_rows, *, format: str, path: str, encoding: Optional[str] = None,
                          sample_rows: int = HEADER_SAMPLE_ROWS) -> Table:
    """A Table over ``open_rows()`` (a fresh iterator of Python rows on each call).

    The header row is found as frictionless finds it; rows before it are
    skipped; data rows are numbered by their position in the stream.
    """
    rows = open_rows()
    sample = []
    try:
        for row in rows:
            sample.append(row)
            if len(sample) >= sample_rows:
                break
    finally:
        _close(rows)
    if not sample:
        raise SourceProblem("source-error", "the source is empty")
    header_row = detect_header_row(sample)
    labels = [label_text(v) for v in sample[header_row - 1]]
    if not labels and len(sample) <= header_row:  # frictionless: no labels and no data rows
        raise SourceProblem("source-error", "the source is empty")
    width = len(labels)

    def batches(exact: bool = False) -> Iterator[Batch]:
        stream = open_rows()
        try:
            for _ in range(header_row):
                if next(stream, None) is None:
                    return
            yield from native_batches(stream, header_row + 1, width)
        finally:
            _close(stream)

    return Table(labels=labels, header_row=header_row, batches=batches, format=format,
                 encoding=encoding, byte_count=os.path.getsize(path))


def _close(iterator) -> None:
    close = getattr(iterator, "close", None)
    if close:
        close()


# ---------------------------------------------------------------- entry point


def open_spreadsheet_table(path: str, format: str, sheet: Any = None) -> Table:
    sheet = 1 if sheet in (None, "") else sheet
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet)
    if format == "xlsx":
        open_rows = _xlsx_rows(path, sheet)
    elif format == "ods":
        open_rows = _ods_rows(path, sheet)
    elif format == "xls":
        open_rows = _xls_rows(path, sheet)
    else:
        raise SourceProblem("format-error", f"format {format!r} is not a spreadsheet format")
    return table_from_row_source(open_rows, format=format, path=path)


# ---------------------------------------------------------------- XLSX


def _xlsx_rows(path: str, sheet: Any):
    import warnings

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise SourceProblem("format-error", "reading XLSX needs the openpyxl package")

    def load():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:
            raise SourceProblem("format-error", f"invalid excel file: {_one_line(error)}")

    book = load()
    try:
        _xlsx_sheet(book, sheet, path)
    finally:
        book.close()

    def open_rows():
        book = load()
        worksheet = _xlsx_sheet(book, sheet, path)
        return _guarded(worksheet.iter_rows(values_only=True), book.close, "excel file")

    return open_rows


def _xlsx_sheet(book, sheet, path):
    try:
        if isinstance(sheet, str):
            return book[sheet]
        return book.worksheets[sheet - 1]
    except (KeyError, IndexError, TypeError):
        raise SourceProblem("format-error",
                            f'Excel document "{os.path.basename(path)}" does not have a sheet "{sheet}"')


def _guarded(rows, close, what: str):
    """Rows as lists; a read failure half-way is one SourceProblem, never a traceback."""
    try:
        for row in rows:
            yield list(row)
    except SourceProblem:
        raise
    except Exception as error:
        raise SourceProblem("format-error", f"invalid {what}: {_one_line(error)}")
    finally:
        close()


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


# ---------------------------------------------------------------- XLS


def _xls_rows(path: str, sheet: Any):
    try:
        import xlrd
    except ImportError:
        raise SourceProblem("format-error", "reading XLS needs the xlrd package (pip install xlrd)")

    def load():
        try:
            try:
                return xlrd.open_workbook(path, formatting_info=True, logfile=open(os.devnull, "w"))
            except NotImplementedError:
                return xlrd.open_workbook(path, formatting_info=False, logfile=open(os.devnull, "w"))
        except Exception as error:
            raise SourceProblem("format-error", f"invalid excel file: {_one_line(error)}")

    def pick(book):
        try:
            if isinstance(sheet, str):
                return book.sheet_by_name(sheet)
            return book.sheet_by_index(sheet - 1)
        except Exception:
            raise SourceProblem("format-error",
                                f'Excel document "{os.path.basename(path)}" does not have a sheet "{sheet}"')

    pick(load())

    def open_rows():
        book = load()
        worksheet = pick(book)

        def typed(ctype, value):
            if ctype == xlrd.XL_CELL_BOOLEAN:
                return bool(value)
            if ctype == xlrd.XL_CELL_NUMBER and value == value // 1:
                return int(value)
            if ctype == xlrd.XL_CELL_DATE:
                return xlrd.xldate.xldate_as_datetime(value, book.datemode)
            return value

        def rows():
            for x in range(worksheet.nrows):
                yield [typed(worksheet.cell(x, y).ctype, value)
                       for y, value in enumerate(worksheet.row_values(x))]

        return _guarded(rows(), lambda: None, "excel file")

    return open_rows


# ---------------------------------------------------------------- ODS

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_T = "{%s}" % _NS["table"]
_O = "{%s}" % _NS["office"]
_X = "{%s}" % _NS["text"]
_TABLE, _ROW = _T + "table", _T + "table-row"
_CELLS = (_T + "table-cell", _T + "covered-table-cell")
_SPREADSHEET = _O + "spreadsheet"
_MAXCOUNT = 32  # ezodf's default "all_less_maxcount" expansion limit
_PARAGRAPHS = (_X + "p", _X + "h")
_NUMERIC = ("float", "percentage", "currency")


def _ods_rows(path: str, sheet: Any):
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise SourceProblem("format-error", f"invalid ODS file: {_one_line(error)}")
    tables = _ods_scan(path)
    try:
        if isinstance(sheet, str):
            index = [name for name, _ in tables].index(sheet)
        else:
            index = range(len(tables))[sheet - 1]
    except (ValueError, IndexError, TypeError):
        raise SourceProblem("format-error",
                            f'OpenOffice document "{os.path.basename(path)}" does not have a sheet "{sheet}"')
    width = tables[index][1]

    def open_rows():
        return _ods_table_rows(path, index, width)

    return open_rows


def _cols(cell) -> int:
    count = int(cell.get(_T + "number-columns-repeated") or 1)
    return count if 1 < count < _MAXCOUNT else 1


def _repeat_rows(row) -> int:
    count = int(row.get(_T + "number-rows-repeated") or 1)
    return count if 1 < count < _MAXCOUNT else 1


def _ods_events(path: str):
    import xml.etree.ElementTree as ET

    archive = zipfile.ZipFile(path)
    try:
        handle = archive.open("content.xml")
        try:
            for event, element in ET.iterparse(handle, events=("start", "end")):
                yield event, element
        finally:
            handle.close()
    except ET.ParseError as error:
        raise SourceProblem("format-error", f"invalid ODS file: content.xml: {error}")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SourceProblem("format-error", f"invalid ODS file: {_one_line(error)}")
    finally:
        archive.close()


def _ods_scan(path: str) -> list:
    """Pass 1: the sheets, as (name, widest row after ezodf's expansion)."""
    tables = []
    stack = []  # open elements' tags
    current = None  # [name, width] of the sheet being read (top-level table)
    table_depth = None
    for event, element in _ods_events(path):
        if event == "start":
            stack.append(element.tag)
            if element.tag == _TABLE and table_depth is None and len(stack) >= 2 and stack[-2] == _SPREADSHEET:
                table_depth = len(stack)
                current = [element.get(_T + "name"), 0]
            continue
        # end
        if element.tag == _ROW and current is not None:
            count = sum(_cols(c) for c in element if c.tag in _CELLS)
            current[1] = max(current[1], count)
            element.clear()
        elif element.tag == _TABLE and table_depth == len(stack):
            tables.append(tuple(current))
            current, table_depth = None, None
            element.clear()
        stack.pop()
    return tables


def _ods_table_rows(path: str, index: int, width: int):
    """Pass 2: the rows of sheet ``index`` as Python values, as frictionless gets them."""
    stack = []
    seen = -1
    table_depth = None
    for event, element in _ods_events(path):
        if event == "start":
            stack.append(element.tag)
            if element.tag == _TABLE and table_depth is None and len(stack) >= 2 and stack[-2] == _SPREADSHEET:
                seen += 1
                if seen == index:
                    table_depth = len(stack)
            continue
        if element.tag == _ROW and table_depth is not None:
            values = []
            for cell in element:
                if cell.tag not in _CELLS:
                    continue
                value = _ods_value(cell)
                values.extend([value] * _cols(cell))
            if len(values) < width:
                values.extend([None] * (width - len(values)))
            repeat = _repeat_rows(element)
            element.clear()
            for _ in range(repeat):
                yield list(values)
        elif element.tag == _TABLE and table_depth == len(stack):
            stack.pop()
            return
        elif element.tag == _ROW:
            element.clear()
        stack.pop()


def _ods_value(cell) -> Any:
    kind = cell.get(_O + "value-type")
    if kind is None:
        return None
    if kind == "string":
        return "\n".join(_plain(p) for p in cell if p.tag in _PARAGRAPHS)
    if kind in _NUMERIC:
        raw = cell.get(_O + "value")
        if raw is None:
            return None
        value = float(raw)
        if value == value // 1:  # frictionless: whole floats become ints
            return int(value)
        return value
    if kind == "boolean":
        return cell.get(_O + "boolean-value") == "true"
    if kind == "date":
        raw = cell.get(_O + "date-value")
        if raw is None:
            return None
        try:
            if len(raw) == 10:
                return _dt.datetime.strptime(raw, "%Y-%m-%d").date()
            return _dt.datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S")
        except ValueError as error:
            raise SourceProblem("source-error", f"unreadable ODS date {raw!r}: {error}")
    if kind == "time":
        return cell.get(_O + "time-value")  # ISO duration text, e.g. PT10H00M00S
    return cell.get(_O + "string-value")


def _plain(node) -> str:
    """ezodf's ``plaintext`` of a paragraph/span: text, children, tails."""
    parts = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == _X + "s":
            parts.append(" " * int(child.get(_X + "c") or 1))
        elif tag == _X + "tab":
            parts.append("\t")
        elif tag == _X + "line-break":
            parts.append("\n")
        elif tag == _X + "soft-page-break":
            pass
        elif tag in (_X + "span", _X + "a", _X + "p", _X + "h"):
            parts.append(_plain(child))
        else:
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)


