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

Why native kinds: spreadsheet (and JSON) cells carry Python values, and
frictionless's field readers accept or reject some of them by *Python type*
(an int in a ``string`` field is a type error; a datetime at midnight is a
valid ``date`` whatever the field's format). Text alone cannot carry that, so
the batches here are :class:`NativeBatch`: the text columns, plus, per column,
``native`` (True where the source cell was not text) and ``kinds`` (which
Python type it was, one of the ``KIND_*`` codes below).
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Iterator, Optional

import numpy as np
import pyarrow as pa

from . import Batch, SourceProblem, Table

BATCH_ROWS = 20_000
HEADER_SAMPLE_ROWS = 100  # frictionless's default sample size (header detection)

# What a cell was in the source, before it became text (int8 codes).
KIND_TEXT = 0      # a str, or no value (None): the ordinary text path applies
KIND_INT = 1       # int (never bool)
KIND_FLOAT = 2     # float or Decimal; a whole value is written "3", not "3.0"
KIND_BOOL = 3      # bool, written "true" / "false"
KIND_DATETIME = 4  # datetime.datetime, written ISO 8601 with "T"
KIND_DATE = 5      # datetime.date, written YYYY-MM-DD
KIND_TIME = 6      # datetime.time, written HH:MM:SS[.ffffff]
KIND_DURATION = 7  # datetime.timedelta, written ISO 8601 "P...T...S"
KIND_LIST = 8      # list/tuple (JSON array), written as JSON
KIND_DICT = 9      # dict (JSON object), written as JSON
KIND_OTHER = 10    # anything else, written with str()


@dataclass
class NativeBatch(Batch):
    """A batch whose cells came from typed (non-text) values.

    ``native[i]`` / ``kinds[i]``: numpy bool / int8 arrays for column ``i``, or
    None when every cell of that column was text or empty in the source.
    """

    native: Optional[list] = None
    kinds: Optional[list] = None


# ---------------------------------------------------------------- cell values


def _json_default(value: Any):
    if isinstance(value, Decimal):
        return float(value) if not value == value.to_integral_value() else int(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _duration_text(value: _dt.timedelta) -> str:
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    value = abs(value)
    days, seconds, micro = value.days, value.seconds, value.microseconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}P{days}D" if days else f"{sign}P"
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if secs or micro or not (days or hours or minutes):
        time += f"{secs}.{micro:06d}".rstrip("0").rstrip(".") + "S" if micro else f"{secs}S"
    return text + ("T" + time if time else "")


def _number_text(value) -> str:
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    # Decimal
    if value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def cell_text(value: Any) -> "tuple[Optional[str], int]":
    """The text our field types parse to the value frictionless reads, and the kind."""
    if value is None:
        return None, KIND_TEXT
    if isinstance(value, str):
        return value, KIND_TEXT
    if value is True or value is False:
        return ("true" if value else "false"), KIND_BOOL
    if isinstance(value, int):
        return str(value), KIND_INT
    if isinstance(value, (float, Decimal)):
        return _number_text(value), KIND_FLOAT
    if isinstance(value, _dt.datetime):
        return value.isoformat(), KIND_DATETIME
    if isinstance(value, _dt.date):
        return value.isoformat(), KIND_DATE
    if isinstance(value, _dt.time):
        return value.isoformat(), KIND_TIME
    if isinstance(value, _dt.timedelta):
        return _duration_text(value), KIND_DURATION
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False, default=_json_default), KIND_LIST
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default), KIND_DICT
    return str(value), KIND_OTHER


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


# ---------------------------------------------------------------- native cells in the engine

_ALL_NATIVE = frozenset(range(1, 11))
ACCEPTED_KINDS = {
    # field type -> native kinds frictionless's value reader accepts (others: type error)
    "any": _ALL_NATIVE,
    "string": frozenset(),
    "integer": frozenset({KIND_INT, KIND_FLOAT}),       # float: only whole (the text says)
    "number": frozenset({KIND_INT, KIND_FLOAT}),
    "boolean": frozenset({KIND_BOOL}),
    "date": frozenset({KIND_DATE, KIND_DATETIME}),      # datetime: only at 00:00:00
    "datetime": frozenset({KIND_DATETIME}),
    "time": frozenset({KIND_TIME}),
    "year": frozenset({KIND_INT, KIND_BOOL}),           # int: only 0..9999
    "yearmonth": frozenset({KIND_LIST}),                # list: only [year, month]
    "duration": frozenset({KIND_DURATION}),
    "array": frozenset({KIND_LIST}),
    "object": frozenset({KIND_DICT}),
    "geojson": frozenset({KIND_DICT}),
    "geopoint": frozenset({KIND_LIST}),
    "list": frozenset({KIND_LIST}),
}


def native_cells(field, cells: pa.Array, kinds: Optional[np.ndarray]):
    """Adapt one column of a :class:`NativeBatch` to a field, as frictionless reads natives.

    ``field`` is a ``FieldSpec``; ``cells`` the column after missing values
    were nulled; ``kinds`` the batch's ``kinds[i]`` (or None). Returns
    ``(cells, forced)``: ``cells`` with native cells rewritten to the text the
    field's own format parses to the value frictionless reads (nulls kept
    where they were), and ``forced``, a bool array (or None) of cells that are
    type errors because frictionless rejects that Python type for that field.
    """
    if kinds is None or field.type not in ACCEPTED_KINDS or field.type == "any":
        return cells, None
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    valid = pc_is_valid(cells)
    where = np.flatnonzero((kinds != KIND_TEXT) & valid)
    if not len(where):
        return cells, None
    accepted = ACCEPTED_KINDS[field.type]
    forced = np.zeros(len(cells), dtype=bool)
    texts = None
    rewrite = _REWRITERS.get(field.type)
    for i in where:
        kind = int(kinds[i])
        if kind not in accepted:
            forced[i] = True
            continue
        if rewrite is None:
            continue
        if texts is None:
            texts = cells.to_pylist()
        new = rewrite(field, texts[i], kind)
        if new is _REJECT:
            forced[i] = True
        else:
            texts[i] = new
    if texts is not None:
        cells = pa.array(texts, type=pa.string())
    return cells, (forced if forced.any() else None)


def pc_is_valid(cells: pa.Array) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.is_valid(cells).to_numpy(zero_copy_only=False)


_REJECT = object()


def _rewrite_number(field, text, kind):
    # frictionless casts native numbers directly: decimalChar/groupChar/bareNumber do not apply
    decimal_char = field.get("decimalChar", ".")
    if decimal_char != "." and "." in text:
        text = text.replace(".", decimal_char)
    return text


def _rewrite_boolean(field, text, kind):
    values = field.get("trueValues" if text == "true" else "falseValues")
    if values is None:
        return text
    return values[0] if values else text


def _strftime(field, value, default: str):
    fmt = field.format
    if fmt in ("default", "any", None, ""):
        return default
    try:
        return value.strftime(fmt)
    except Exception:
        return default


def _rewrite_date(field, text, kind):
    day = _dt.date.fromisoformat(text[:10])
    if kind == KIND_DATETIME:
        moment = _dt.datetime.fromisoformat(text)
        if moment.hour or moment.minute or moment.second:
            return _REJECT
    return _strftime(field, day, day.isoformat())


def _rewrite_datetime(field, text, kind):
    return _strftime(field, _dt.datetime.fromisoformat(text), text)


def _rewrite_time(field, text, kind):
    return _strftime(field, _dt.time.fromisoformat(text), text)


def _rewrite_year(field, text, kind):
    number = 1 if text == "true" else 0 if text == "false" else int(text)
    if number < 0 or number > 9999:
        return _REJECT
    return f"{number:04d}"


def _rewrite_yearmonth(field, text, kind):
    value = json.loads(text)
    if len(value) != 2:
        return _REJECT
    try:
        return f"{int(value[0]):04d}-{int(value[1]):02d}"
    except (TypeError, ValueError):
        return _REJECT


def _rewrite_geopoint(field, text, kind):
    value = json.loads(text)
    try:
        lon, lat = value
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return _REJECT
    except Exception:
        return _REJECT
    if field.format == "array":
        return json.dumps([lon, lat])
    if field.format == "object":
        return json.dumps({"lon": lon, "lat": lat})
    return f"{lon},{lat}"


def _rewrite_list(field, text, kind):
    items = json.loads(text)
    delimiter = field.get("delimiter", ",")
    parts = []
    for item in items:
        part, item_kind = cell_text(item)
        if part is None or item_kind in (KIND_LIST, KIND_DICT):
            return _REJECT
        parts.append(part)
    return delimiter.join(parts)


_REWRITERS = {
    "number": _rewrite_number,
    "boolean": _rewrite_boolean,
    "date": _rewrite_date,
    "datetime": _rewrite_datetime,
    "time": _rewrite_time,
    "year": _rewrite_year,
    "yearmonth": _rewrite_yearmonth,
    "geopoint": _rewrite_geopoint,
    "list": _rewrite_list,
}
