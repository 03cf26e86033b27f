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
from .policy import Limits, current as current_policy
from .compressed import check_archive
from .native import KIND_TEXT, NativeBatch, cell_text

BATCH_ROWS = 20_000
#: cells per batch: a sheet padded to a wide dimension makes short batches, so memory
#: stays bounded however wide the rows are (20,000 rows of 50 cells)
BATCH_CELLS = 1_000_000
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
                   batch_size: int = BATCH_ROWS, limits: Optional[Limits] = None) -> Iterator[NativeBatch]:
    """Group rows of Python values into :class:`NativeBatch` es (text + kinds).

    A batch holds at most ``batch_size`` rows and about ``BATCH_CELLS`` cells; a row
    wider than ``limits.max_fields``, or more than ``limits.max_cells`` cells in all,
    is a one-line error naming the row.
    """
    limits = limits or Limits()
    buffer: list = []
    cells = 0
    total = 0
    row_number = first_row_number
    for row in rows:
        size = len(row)
        if size > limits.max_fields:
            raise too_wide(row_number + len(buffer), size, limits)
        buffer.append(row)
        cells += max(size, width)
        if cells > BATCH_CELLS or len(buffer) >= batch_size:
            total += cells
            if total > limits.max_cells:
                raise too_many_cells(row_number + len(buffer) - 1, limits)
            yield _native_batch(buffer, row_number, width)
            row_number += len(buffer)
            buffer, cells = [], 0
    if buffer:
        if total + cells > limits.max_cells:
            raise too_many_cells(row_number + len(buffer) - 1, limits)
        yield _native_batch(buffer, row_number, width)


def too_wide(row_number: int, size: int, limits: Limits) -> SourceProblem:
    return SourceProblem("row-too-wide", f"row {row_number} has {size} cells, more than the "
                                         f"{limits.max_fields} allowed (limit max_fields)")


def too_many_cells(row_number: int, limits: Limits) -> SourceProblem:
    return SourceProblem("source-too-large", f"more than {limits.max_cells} cells by row {row_number} "
                                             f"(limit max_cells)")


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
                          sample_rows: int = HEADER_SAMPLE_ROWS, header_row: Optional[int] = None) -> Table:
    """A Table over ``open_rows()`` (a fresh iterator of Python rows on each call).

    The header row is found as frictionless finds it; rows before it are
    skipped; data rows are numbered by their position in the stream. The
    stream opened for the header sample is the one the first pass reads on
    (the file is parsed once); a second pass (foreign keys of a table on
    itself) opens it again.
    """
    limits = current_policy().limits
    rows = open_rows()
    sample = []
    try:
        for row in rows:
            if len(row) > limits.max_fields:
                raise too_wide(len(sample) + 1, len(row), limits)
            sample.append(row)
            if len(sample) >= sample_rows:
                break
    except BaseException:
        _close(rows)
        raise
    if not sample:
        _close(rows)
        raise SourceProblem("source-error", "the source is empty")
    if header_row is None:
        header_row = detect_header_row(sample)
    elif header_row > len(sample):
        _close(rows)
        raise SourceProblem("source-error", f"the file has no line {header_row} to read the column names from")
    labels = [label_text(v) for v in sample[header_row - 1]]
    if not labels and len(sample) <= header_row:  # frictionless: no labels and no data rows
        _close(rows)
        raise SourceProblem("source-error", "the source is empty")
    width = len(labels)
    kept = [(sample, rows)]  # the first pass goes on where the sample stopped

    def batches(exact: bool = False) -> Iterator[Batch]:
        if kept:
            head, stream = kept.pop()
            source = _chain(head[header_row:], stream)
        else:
            stream = open_rows()
            source = stream
            for _ in range(header_row):
                if next(stream, None) is None:
                    _close(stream)
                    return
        try:
            yield from native_batches(source, header_row + 1, width, limits=limits)
        finally:
            _close(stream)

    return Table(labels=labels, header_row=header_row, batches=batches, format=format,
                 encoding=encoding, byte_count=os.path.getsize(path))


def _chain(head: list, stream):
    yield from head
    yield from stream


def _close(iterator) -> None:
    close = getattr(iterator, "close", None)
    if close:
        close()


# ---------------------------------------------------------------- entry point


def open_spreadsheet_table(path: str, format: str, sheet: Any = None, header_row: Optional[int] = None) -> Table:
    """A sheet as a table; ``header_row``: the row of its column names (1 is the first; default: found as
    frictionless finds it)."""
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
    return table_from_row_source(open_rows, format=format, path=path, header_row=header_row)


def sheet_names(path: str, format: str) -> list:
    """The names of the workbook's sheets, in order (``--sheet all``; the other-sheet advice)."""
    if format == "xlsx":
        check_archive(path, current_policy().limits, "excel", loaded_whole=_XLSX_WHOLE)
        book = _xlsx_book(path)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    if format == "ods":
        check_archive(path, current_policy().limits, "ODS")
        try:
            return [name for name, _ in _ods_scan(path)]
        except SourceProblem:
            raise
        except Exception as error:
            raise SourceProblem("format-error", f"invalid ODS file: {_one_line(error)}")
    if format == "xls":
        try:
            import xlrd

            return list(xlrd.open_workbook(path, on_demand=True, logfile=open(os.devnull, "w")).sheet_names())
        except ImportError:
            raise SourceProblem("format-error", "reading XLS needs the xlrd package (pip install xlrd)")
        except Exception as error:
            raise SourceProblem("format-error", f"invalid excel file: {_one_line(error)}")
    raise SourceProblem("format-error", f"format {format!r} is not a spreadsheet format")


# ---------------------------------------------------------------- XLSX


def _xlsx_rows(path: str, sheet: Any):
    check_archive(path, current_policy().limits, "excel", loaded_whole=_XLSX_WHOLE)

    def load():
        return _xlsx_book(path)

    first = [load()]
    try:
        _xlsx_sheet(first[0], sheet, path)
    except BaseException:
        first[0].close()
        raise

    def open_rows():
        book = first.pop() if first else load()
        worksheet = _xlsx_sheet(book, sheet, path)
        return _guarded(worksheet.iter_rows(values_only=True), book.close, "excel file")

    return open_rows


def _xlsx_book(path: str):
    """The workbook in openpyxl's read-only mode (its archive already checked by the caller)."""
    import warnings

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise SourceProblem("format-error", "reading XLSX needs the openpyxl package")
    try:
        with warnings.catch_warnings(), _sized_from_the_head():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except SourceProblem:
        raise
    except Exception as error:
        raise SourceProblem("format-error", f"invalid excel file: {_one_line(error)}")


#: the parts openpyxl reads whole into memory (the sheets are streamed)
_XLSX_WHOLE = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml")
_size_lock = __import__("threading").Lock()


class _sized_from_the_head:
    """While a workbook loads, read each sheet's ``<dimension>`` from the head of its XML only.

    Why: openpyxl's read-only worksheet looks for ``<dimension>`` with an
    ``end``-event parse that stops at the *end* of ``<sheetData>``, so a sheet
    without the tag is parsed whole at load time, once per sheet, before a
    single row is read. The tag comes before ``<sheetData>`` in every valid
    file, so stopping at the ``start`` of ``<sheetData>`` gives the same
    dimension (or none) without the scan.
    """

    def __enter__(self):
        from openpyxl.worksheet import _read_only

        _size_lock.acquire()
        self.original = _read_only.ReadOnlyWorksheet._get_size
        _read_only.ReadOnlyWorksheet._get_size = _head_size
        return self

    def __exit__(self, *exc):
        from openpyxl.worksheet import _read_only

        _read_only.ReadOnlyWorksheet._get_size = self.original
        _size_lock.release()


def _head_size(worksheet) -> None:
    import xml.etree.ElementTree as ET

    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.constants import SHEET_MAIN_NS

    dimension_tag, data_tag = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"
    source = worksheet._get_source()
    try:
        for event, element in ET.iterparse(source, events=("start", "end")):
            if element.tag == data_tag:
                return
            if event == "end" and element.tag == dimension_tag:
                bounds = SheetDimension.from_tree(element).boundaries
                if bounds is not None:
                    worksheet._min_column, worksheet._min_row, worksheet._max_column, worksheet._max_row = bounds
                return
    finally:
        source.close()


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
    check_archive(path, current_policy().limits, "ODS")
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise SourceProblem("format-error", f"invalid ODS file: {_one_line(error)}")
    try:
        tables = _ods_scan(path)
    except SourceProblem:
        raise
    except Exception as error:
        raise SourceProblem("format-error", f"invalid ODS file: {_one_line(error)}")
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
        return _guarded(_ods_table_rows(path, index, width), lambda: None, "ODS file")

    return open_rows


def _cols(cell) -> int:
    return _repeat(cell, "number-columns-repeated")


def _repeat_rows(row) -> int:
    return _repeat(row, "number-rows-repeated")


def _repeat(element, attribute: str) -> int:
    raw = element.get(_T + attribute)
    if raw is None:
        return 1
    try:
        count = int(raw)
    except ValueError:
        raise SourceProblem("format-error", f"invalid ODS file: {attribute} {raw[:40]!r} is not a whole number")
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
    """Pass 1: the sheets, as (name, widest row after ezodf's expansion).

    Each cell is counted when it ends and dropped, each row dropped when it ends,
    so memory stays bounded whatever the sheet holds; a row wider than
    ``max_fields`` stops the scan with a one-line error.
    """
    limits = current_policy().limits
    tables = []
    stack = []  # open elements
    current = None  # [name, width] of the sheet being read (top-level table)
    table_depth = None
    counts: list = []  # cells so far of each open row (a cell may hold a table of its own)
    rows = 0
    for event, element in _ods_events(path):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag == _TABLE and table_depth is None and len(stack) >= 2 and stack[-2].tag == _SPREADSHEET:
                table_depth = len(stack)
                current = [element.get(_T + "name"), 0]
            elif tag == _ROW:
                counts.append(0)
            continue
        stack.pop()
        if tag in _CELLS and stack and stack[-1].tag == _ROW:
            counts[-1] += _cols(element)
            if counts[-1] > limits.max_fields and current is not None:
                raise too_wide(rows + 1, counts[-1], limits)
            stack[-1].clear()
        elif tag == _ROW:
            count = counts.pop()
            if current is not None:
                rows += 1
                current[1] = max(current[1], count)
            if stack:
                stack[-1].clear()
        elif tag == _TABLE and table_depth == len(stack) + 1:
            tables.append(tuple(current))
            current, table_depth, rows = None, None, 0
            element.clear()
    return tables


def _ods_table_rows(path: str, index: int, width: int):
    """Pass 2: the rows of sheet ``index`` as Python values, as frictionless gets them.

    A cell's value is taken when the cell ends (its paragraphs are complete),
    then the cell is dropped; a row's repeat count is read when it starts.
    """
    stack = []
    seen = -1
    table_depth = None
    open_rows: list = []  # [values, repeat] of each open row (a cell may hold a table of its own)
    for event, element in _ods_events(path):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag == _TABLE and table_depth is None and len(stack) >= 2 and stack[-2].tag == _SPREADSHEET:
                seen += 1
                if seen == index:
                    table_depth = len(stack)
            elif tag == _ROW and table_depth is not None:
                open_rows.append([[], _repeat_rows(element)])
            continue
        stack.pop()
        if table_depth is None:
            if tag == _ROW and stack:
                stack[-1].clear()
            continue
        if tag in _CELLS and stack and stack[-1].tag == _ROW:
            value = _ods_value(element)
            open_rows[-1][0].extend([value] * _cols(element))
            stack[-1].clear()
        elif tag == _ROW:
            values, repeat = open_rows.pop()
            if len(values) < width:
                values.extend([None] * (width - len(values)))
            if stack:
                stack[-1].clear()
            for _ in range(repeat):
                yield list(values)
        elif tag == _TABLE and table_depth == len(stack) + 1:
            return


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


