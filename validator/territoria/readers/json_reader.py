"""JSON (array of arrays or of objects) and NDJSON reading, as frictionless-py v5.

What frictionless does, and we mirror:

* JSON: the items of the top-level array are the rows (``ijson.items(.., "item")``).
  No items (an empty array, or a top-level object) is a source-error
  "cannot extract JSON tabular data". Numbers with a fraction or an exponent
  are ``Decimal`` (ijson), integers are ``int``.
* NDJSON: one JSON value per line (``jsonlines``, i.e. ``json.loads``: numbers
  with a fraction are ``float``); an empty line is invalid JSON.
* If the first item is an object, the labels are its keys and every row is
  ``[item.get(key) for key in keys]`` (keys absent from the first object are
  ignored, absent keys are empty cells, never missing cells). If it is an
  array, items are rows and the first (after header detection) is the header.
  Any later item of the other shape, or a first item that is neither, is a
  source-error "unsupported inline data".
* Malformed JSON is a source-error (frictionless's type for it; the note
  gives the line and column).

Why our own streaming splitter for JSON: the standard library cannot stream a
document, ijson is not a dependency, and a 1 GB array of rows must not be
loaded whole. ``json.JSONDecoder.raw_decode`` decodes the top-level array one
item at a time from a sliding text buffer.
"""
from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Iterator

from . import SourceProblem, Table
from .policy import current as current_policy
from .spreadsheet import table_from_row_source

CHUNK_CHARS = 1 << 20
ERROR_CODE = "source-error"  # frictionless reports unreadable JSON as a source-error


def open_json_table(path: str, format: str = "json") -> Table:
    limit = current_policy().limits.max_line_bytes  # one row's text, at most
    if format == "ndjson":
        items = lambda: _ndjson_items(path, limit)  # noqa: E731
    else:
        items = lambda: _json_array_items(path, limit)  # noqa: E731

    def open_rows():
        return _rows(items(), path)

    return table_from_row_source(open_rows, format=format, path=path, encoding="utf-8")


def _rows(items: Iterator, path: str):
    """frictionless's inline parser: items to rows (keyed or not)."""
    try:
        first = next(items, _END)
        if first is _END:
            raise SourceProblem("source-error",
                                f'cannot extract JSON tabular data from "{os.path.basename(path)}"')
        if isinstance(first, dict):
            keys = list(first.keys())
            yield list(keys)
            yield [first.get(k) for k in keys]
            for item in items:
                if not isinstance(item, dict):
                    raise SourceProblem("source-error", "unsupported inline data")
                yield [item.get(k) for k in keys]
        elif isinstance(first, list):
            yield first
            for item in items:
                if not isinstance(item, list):
                    raise SourceProblem("source-error", "unsupported inline data")
                yield item
        else:
            raise SourceProblem("source-error", "unsupported inline data")
    finally:
        close = getattr(items, "close", None)
        if close:
            close()


_END = object()


def _reject_constant(name: str):
    raise ValueError(f"invalid literal {name}")


def _open_text(path: str):
    return open(path, "r", encoding="utf-8-sig", errors="strict", newline="")


class _Cursor:
    """A sliding window over a text file, with the line count of what was dropped."""

    def __init__(self, handle):
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.dropped_lines = 0
        self.dropped_chars = 0
        self.last_dropped_newline = -1  # absolute offset of the last newline dropped

    def more(self, size: int = CHUNK_CHARS) -> bool:
        if self.eof:
            return False
        try:
            chunk = self.handle.read(max(size, CHUNK_CHARS))
        except UnicodeDecodeError as error:
            raise SourceProblem("encoding-error", f"the JSON file is not valid UTF-8: {error.reason}")
        if not chunk:
            self.eof = True
            return False
        if self.pos > CHUNK_CHARS:
            dropped = self.buffer[: self.pos]
            count = dropped.count("\n")
            if count:
                self.last_dropped_newline = self.dropped_chars + dropped.rindex("\n")
            self.dropped_lines += count
            self.dropped_chars += self.pos
            self.buffer = self.buffer[self.pos:]
            self.pos = 0
        self.buffer += chunk
        return True

    def skip_space(self) -> str:
        """The next non-blank character (read more as needed), "" at the end."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def where(self, pos: int) -> str:
        absolute = self.dropped_chars + pos
        line = self.dropped_lines + self.buffer.count("\n", 0, pos) + 1
        newline = self.buffer.rfind("\n", 0, pos)
        start = (self.dropped_chars + newline) if newline >= 0 else self.last_dropped_newline
        return f"line {line} column {absolute - start}"

    def fail(self, message: str, pos: int):
        raise SourceProblem(ERROR_CODE, f"invalid JSON: {message} at {self.where(pos)}")


def _json_array_items(path: str, limit: int = 64 << 20):
    decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)
    with _open_text(path) as handle:
        cursor = _Cursor(handle)
        first = cursor.skip_space()
        if first == "":
            cursor.fail("the file holds no JSON value", cursor.pos)
        if first != "[":
            # a top-level object or scalar: no items (frictionless: no tabular data),
            # but the document must still be valid JSON
            _whole_document(cursor, decoder, limit)
            return
        cursor.pos += 1
        expect_item = True
        after_comma = False
        count = 0
        while True:
            char = cursor.skip_space()
            if char == "":
                cursor.fail("the file ends inside the top-level array", cursor.pos)
            if char == "]" and not after_comma:
                cursor.pos += 1
                if cursor.skip_space() != "":
                    cursor.fail("extra data after the top-level array", cursor.pos)
                return
            if not expect_item:
                if char != ",":
                    cursor.fail("expecting ',' or ']' after an array item", cursor.pos)
                cursor.pos += 1
                expect_item, after_comma = True, True
                continue
            count += 1
            yield _decode_item(cursor, decoder, limit, count)
            expect_item, after_comma = False, False


def _decode_item(cursor: _Cursor, decoder: json.JSONDecoder, limit: int = 64 << 20, number: int = 0):
    """The next item of the array; one longer than ``limit`` characters is refused, not buffered."""
    while True:
        try:
            value, end = decoder.raw_decode(cursor.buffer, cursor.pos)
        except json.JSONDecodeError as error:
            incomplete = error.pos >= len(cursor.buffer) - 1 or error.msg.startswith("Unterminated string") \
                or len(cursor.buffer) - error.pos < 64
            if incomplete and len(cursor.buffer) - cursor.pos > limit:
                raise SourceProblem("line-too-long", f"item {number} of the array is longer than {limit} bytes "
                                                     f"(limit max_line_bytes)")
            # read as much again as the item holds so far: a long item is decoded a few times, not once a MiB
            if incomplete and cursor.more(len(cursor.buffer) - cursor.pos):
                continue
            cursor.fail(error.msg, error.pos)
        except ValueError as error:  # NaN / Infinity
            cursor.fail(str(error), cursor.pos)
        except RecursionError:
            cursor.fail(f"item {number} is nested too deeply", cursor.pos)
        # a number at the end of the buffer may continue in the next chunk
        if end >= len(cursor.buffer) and not cursor.eof and cursor.more():
            continue
        if end - cursor.pos > limit:
            raise SourceProblem("line-too-long", f"item {number} of the array is longer than {limit} bytes "
                                                 f"(limit max_line_bytes)")
        cursor.pos = end
        return value


def _whole_document(cursor: _Cursor, decoder: json.JSONDecoder, limit: int = 64 << 20) -> None:
    while cursor.more():
        if len(cursor.buffer) > limit:  # no rows either way: not worth holding it to check its syntax
            return
    try:
        _, end = decoder.raw_decode(cursor.buffer, cursor.pos)
    except json.JSONDecodeError as error:
        cursor.fail(error.msg, error.pos)
    except ValueError as error:
        cursor.fail(str(error), cursor.pos)
    except RecursionError:
        cursor.fail("the document is nested too deeply", cursor.pos)
    cursor.pos = end
    if cursor.skip_space() != "":
        cursor.fail("extra data after the JSON value", cursor.pos)


def _ndjson_items(path: str, limit: int = 64 << 20):
    with _open_text(path) as handle:
        number = 0
        while True:
            try:
                line = handle.readline(limit + 1)
            except UnicodeDecodeError as error:
                raise SourceProblem("encoding-error", f"the NDJSON file is not valid UTF-8: {error.reason}")
            if not line:
                return
            number += 1
            if len(line) > limit and not line.endswith("\n"):
                raise SourceProblem("line-too-long", f"line {number} is longer than {limit} bytes (limit max_line_bytes)")
            text = line.rstrip("\r\n")
            try:
                if not text.strip():
                    raise json.JSONDecodeError("input data is empty", text, 0)
                yield json.loads(text)
            except json.JSONDecodeError as error:
                raise SourceProblem(ERROR_CODE, f"line {number} column {error.colno}: invalid JSON: {error.msg}")
            except RecursionError:
                raise SourceProblem(ERROR_CODE, f"line {number}: invalid JSON: nested too deeply")
