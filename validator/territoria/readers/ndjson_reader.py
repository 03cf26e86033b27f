"""NDJSON of flat objects: pyarrow's JSON reader, a block of lines at a time.

What frictionless reads (``readers.json_reader`` mirrors it line by line, and stays
the reference): one JSON value per line (``json.loads``); the keys of the first
object are the labels; each row is ``[item.get(key) for key in keys]`` (other keys
ignored, absent ones empty); an empty line, a line that is not an object, or a
second value on a line is a source error; integers are ``int``, numbers with a
fraction or an exponent ``float``.

Why blocks: ``json.loads`` and the per-cell conversion cost 30 µs a row of twelve
cells; pyarrow parses a block of 8 MB into typed columns in C++, on every core,
and the columns are then checked as Parquet columns are (``fields.native``).

pyarrow reads some things otherwise, and each is caught where it happens:

* a key whose values mix JSON types (a string among numbers, as broken files
  have): pyarrow refuses the block; that key is then left out of pyarrow's schema
  and its values are cut from the lines by an RE2 expression over the JSON tokens
  (``_tokens``), each token then read as ``json.loads`` reads it;
* numbers: pyarrow makes a column of integers and fractions all ``double``; an
  integer token in such a column is found again (the kind ``int`` matters to a
  ``year`` field, and digits beyond 2**53 to every field);
* date-like strings pyarrow would make timestamps are declared strings;
* empty or blank lines (skipped by pyarrow), two values on one line, a nested
  value, an escaped key, a line the expressions cannot read as flat: the block is
  read by ``json.loads`` line by line instead, with the reference's very errors;
* a first line that is not a flat object: the whole file takes the reference path.
"""
from __future__ import annotations

import json
import os
import re
from typing import Iterator, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.arrow import filled_numbers, indices, keep_where, strings, to_bool_numpy, validity
from . import Batch, SourceProblem, Table, prefetch
from .native import KIND_BOOL, KIND_FLOAT, KIND_INT, KIND_TEXT, NativeBatch, TextColumns, arrow_kind

BLOCK_BYTES = 8 << 20
_COLUMN = re.compile(r"Column\(/(.*?)\) (?:changed|was specified)")


def open_ndjson_table(path: str) -> Table:
    """A Table over an NDJSON file (the reference path when its first line is not a flat object)."""
    from .json_reader import open_json_table

    first = _first_object(path)
    reference = open_json_table(path, "ndjson")
    if first is None:
        return reference
    keys = list(first)
    types = {k: _ARROW_TYPES[type(v)] for k, v in first.items() if type(v) in _ARROW_TYPES}

    def batches(exact: bool = False) -> Iterator[Batch]:
        if exact:
            return reference.batches(exact=True)
        return prefetch(_batches(path, keys, dict(types)), depth=1)

    return Table(labels=reference.labels, header_row=reference.header_row, batches=batches, format="ndjson",
                 encoding="utf-8", byte_count=os.path.getsize(path))


#: the Arrow type a key gets from the first line's value (None: not known yet)
_ARROW_TYPES = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _first_object(path: str) -> Optional[dict]:
    """The first line's object, or None when it is anything else (or has a nested
    value, or a key twice: the reference path reads those files)."""
    with open(path, "rb") as handle:
        line = handle.readline(1 << 20)
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    if not line.strip().startswith(b"{"):
        return None
    try:
        first = json.loads(line.decode("utf-8"), object_pairs_hook=_pairs)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(first, dict) or not first:
        return None
    if any(isinstance(v, (list, dict)) for v in first.values()):
        return None
    return first


def _pairs(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a duplicated key")
    return dict(pairs)


def _blocks(path: str) -> Iterator[tuple]:
    """(bytes of whole lines, number of the block's first line), about BLOCK_BYTES each."""
    with open(path, "rb") as handle:
        rest = handle.read(3)
        if rest == b"\xef\xbb\xbf":
            rest = b""
        line = 1
        while True:
            chunk = handle.read(BLOCK_BYTES)
            data = rest + chunk
            if not chunk:
                if data:
                    yield data, line
                return
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            block, rest = data[: cut + 1], data[cut + 1:]
            yield block, line
            line += block.count(b"\n")


def _lines(block: bytes) -> pa.Array:
    """The block's lines, each with its line end, as a StringArray over the block's
    own bytes (pyarrow has checked they are UTF-8 when it parsed the block)."""
    data = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(data == 10) + 1
    if not len(ends) or ends[-1] != len(block):
        ends = np.append(ends, len(block))
    offsets = np.concatenate([[0], ends]).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), len(ends), [None, pa.py_buffer(offsets), pa.py_buffer(block)])


def _batches(path: str, keys: list, types: dict) -> Iterator[Batch]:
    """The blocks, each through pyarrow when it can (``types``: what each key's values
    have been so far; a key absent from it is read from its tokens)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    blocks = _blocks(path)
    row = 2
    first = next(blocks, None)
    if first is None:
        return
    batch, types = _block(first[0], first[1], row, keys, types)  # the first block settles the types
    row += len(batch)
    if len(batch):
        yield batch
    # the next blocks two at a time, each from the types known when it starts;
    # their batches in file order
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 2), thread_name_prefix="territoria-ndjson") as pool:
        pending: deque = deque()
        for block, line in blocks:
            pending.append(pool.submit(_block, block, line, row, keys, dict(types)))
            row += block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
            if len(pending) >= 2:
                batch, types = pending.popleft().result()
                if len(batch):
                    yield batch
        while pending:
            batch, types = pending.popleft().result()
            if len(batch):
                yield batch


def _block(block: bytes, line: int, row: int, keys: list, types: dict) -> tuple:
    """(batch, what ``types`` became) of one block: through pyarrow, else line by line."""
    import pyarrow.json as pj

    batch = _fast_block(pj, block, row, keys, types)
    if batch is None:
        batch = _slow_block(block, line, row, keys)
    return batch, types


def _fast_block(pj, block: bytes, row: int, keys: list, types: dict) -> Optional[Batch]:
    """The block through pyarrow, or None when it must be read line by line."""
    if b"NaN" in block or b"Infinity" in block:
        return None  # not JSON: pyarrow reads them, frictionless's loader may not
    lines = _lines(block)
    n = len(lines)
    table = None
    for _ in range(len(keys) + 2):
        schema = pa.schema([(k, types[k]) for k in keys if k in types])
        options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore",
                                  newlines_in_values=False)
        try:
            table = pj.read_json(pa.BufferReader(block), read_options=pj.ReadOptions(block_size=len(block) + 1),
                                 parse_options=options)
            break
        except pa.ArrowInvalid as error:
            message = str(error)
            found = _COLUMN.search(message)
            if "Failed to convert JSON to int64" in message:
                # a fraction (or digits beyond int64) where the integers were: the
                # column it is in is not named; every integer column becomes double
                # (``_doubles`` then tells the integer tokens from the others)
                settled = [k for k, t in types.items() if pa.types.is_integer(t)]
                if not settled:
                    return None
                for key in settled:
                    types[key] = pa.float64()
            elif found is not None and found.group(1) in types:
                del types[found.group(1)]  # its values mix JSON types: read from the tokens
            else:
                return None
    if table is None or table.num_rows != n:
        return None  # a line pyarrow read as two values (or none: a blank line)
    typed, kinds, natives = [], [], []
    tokens = _Tokens(block, lines)
    for key in keys:
        if key not in types:
            column, kind = _tokens(lines, tokens, key)
            if column is None:
                return None
            present = kind[validity(column)] if column.null_count < n else kind[:0]
            if len(present) and (present == present[0]).all() and present[0] in _SETTLED:
                types[key] = _SETTLED[int(present[0])]  # one JSON type in this block: pyarrow from now on
        else:
            column = table.column(key).combine_chunks()
            kind = None
            if pa.types.is_floating(column.type):
                column, kind = _doubles(tokens, key, column)
                if column is None:
                    return None
            elif arrow_kind(column.type) != KIND_TEXT:
                kind = np.where(validity(column), arrow_kind(column.type), KIND_TEXT).astype(np.int8)
        typed.append(column)
        kinds.append(kind)
        natives.append(None if kind is None else kind != KIND_TEXT)
    return NativeBatch(columns=TextColumns(typed), row_numbers=np.arange(row, row + n, dtype=np.int64),
                       native=natives, kinds=kinds, typed=typed)


_SETTLED = {KIND_TEXT: pa.string(), KIND_BOOL: pa.bool_(), KIND_INT: pa.int64(), KIND_FLOAT: pa.float64()}


def _flat(block: bytes, lines: pa.Array) -> bool:
    """Every line one object of scalars, so that a key's text locates its value (the
    braces and brackets inside strings count too: such a block is read line by line)."""
    return block.count(b"{") == len(lines) and b"[" not in block


class _Tokens:
    """Where each key's value token lies in a block's lines.

    In valid JSON ``"key":`` can only be the key itself (a quote inside a string
    is escaped), so it is found by a substring search; the token then ends at the
    next quote (a string: the block is read line by line if that quote is
    escaped) or the next comma or brace (any other value)."""

    def __init__(self, block: bytes, lines: pa.Array) -> None:
        self.block = block
        self._windows = None
        self.flat = _flat(block, lines)
        self.lines = lines
        buffers = lines.buffers()
        self.data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
        self.starts = np.frombuffer(buffers[1], dtype=np.int32, count=len(lines) + 1,
                                    offset=lines.offset * 4)[:-1].astype(np.int64)

    def of(self, key: str, rows: "np.ndarray | None" = None) -> tuple:
        """(data, begin, end, kind) of ``key``'s value in every line (or in ``rows``):
        ``data[begin:end]`` is the value's text (a string's without its quotes) and
        ``kind`` says what it is, as ``kernels.json_tokens`` documents."""
        from ..columnar import kernels

        needle = (json.dumps(key, ensure_ascii=False) + ":").encode("utf-8")
        lines = self.lines if rows is None else self.lines.take(indices(rows))
        compiled = kernels.json_tokens(lines, needle)
        if compiled is not None:
            data = np.frombuffer(lines.buffers()[2], dtype=np.uint8) if len(lines) else np.zeros(0, np.uint8)
            return (data,) + compiled
        return self._of(lines, needle, self.starts if rows is None else self.starts[rows], rows is None)

    def _of(self, lines: pa.Array, needle: bytes, starts: np.ndarray, every: bool) -> tuple:
        """``of`` in numpy and pyarrow (without the compiled kernels): the same answer."""
        data = self.data
        at = filled_numbers(pc.find_substring(lines, needle.decode("utf-8")), -1)
        found = at >= 0
        kind = np.zeros(len(lines), dtype=np.int8)
        twice = filled_numbers(pc.count_substring(lines, needle.decode("utf-8")), 0) > 1 \
            if every and self.block.count(needle) != int(found.sum()) else np.zeros(len(lines), dtype=bool)
        begin = np.minimum(starts + np.where(found, at, 0) + len(needle), max(len(data) - 1, 0))
        while True:  # spaces after the colon
            space = found & np.isin(data[begin], (32, 9, 13, 10))
            if not space.any():
                break
            begin = np.where(space, begin + 1, begin)
        string = found & (data[begin] == 34)
        end = self._ends(begin, string)
        end[~found] = begin[~found]
        token = _token_array(data, begin, end, found)
        plain = to_bool_numpy(pc.match_substring_regex(token, r'^"[^"\\]*"$'))
        kind[string] = 6
        kind[string & plain] = 1
        other = found & ~string
        trimmed = pc.utf8_rtrim_whitespace(token)
        kind[other] = 7
        for code, expression in ((2, r"^(?:true|false)$"), (3, r"^null$"), (4, r"^-?[0-9]{1,18}$"),
                                 (5, r"^-?[0-9]+(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$")):
            kind[other & to_bool_numpy(pc.match_substring_regex(trimmed, expression))] = code
        kind[other & to_bool_numpy(pc.is_in(trimmed, value_set=strings(["-0"])))] = 7
        kind[twice] = 8
        end = np.where(other, begin + filled_numbers(pc.binary_length(trimmed), 0), end)
        begin = np.where(string, begin + 1, begin)
        end = np.where(string, np.maximum(end - 1, begin), end)
        return data, begin, end, kind

    _WINDOW = 48

    def _ends(self, begin: np.ndarray, string: np.ndarray) -> np.ndarray:
        """The end of each token starting at ``begin``: after its closing quote (a
        string: the first quote or backslash after the opening one), at the next
        comma or brace (any other value)."""
        data = self.data
        if self._windows is None:
            padded = np.concatenate([data, np.zeros(self._WINDOW, dtype=np.uint8)])
            self._windows = np.lib.stride_tricks.sliding_window_view(padded, self._WINDOW)
        window = self._windows[begin]
        closing = (window[:, 1:] == 34) | (window[:, 1:] == 92)
        stop = (window == 44) | (window == 125)
        end = begin + np.where(string, closing.argmax(axis=1) + 2, stop.argmax(axis=1))
        far = np.where(string, ~closing.any(axis=1), ~stop.any(axis=1))
        for i in np.flatnonzero(far):  # a token longer than the window
            start = int(begin[i])
            if string[i]:
                at = min((p for p in (self.block.find(b'"', start + 1), self.block.find(b"\\", start + 1)) if p >= 0),
                         default=len(self.block) - 1)
                end[i] = at + 1
            else:
                end[i] = min((p for p in (self.block.find(b",", start), self.block.find(b"}", start)) if p >= 0),
                             default=len(self.block))
        return end


def _token_array(data: np.ndarray, begin: np.ndarray, end: np.ndarray, found: np.ndarray) -> pa.Array:
    """The bytes ``data[begin:end]`` of each row as a StringArray (null where not ``found``)."""
    lengths = np.where(found, end - begin, 0)
    offsets = np.zeros(len(begin) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    gather = np.repeat(begin - offsets[:-1], lengths) + np.arange(int(offsets[-1]))
    token = pa.Array.from_buffers(pa.string(), len(begin), [None, pa.py_buffer(offsets.astype(np.int32)),
                                                              pa.py_buffer(data[gather].tobytes())])
    return keep_where(token, found)


#: kinds of ``kernels.json_tokens`` -> the cells' KIND_*
_TOKEN_KINDS = np.array([KIND_TEXT, KIND_TEXT, KIND_BOOL, KIND_TEXT, KIND_INT, KIND_FLOAT], dtype=np.int8)


def _tokens(lines: pa.Array, tokens: "_Tokens", key: str) -> tuple:
    """(text column, kinds) of a key read from its JSON tokens, as ``json.loads`` and
    ``cell_text`` read them; (None, None) when a line is not flat or holds the key
    twice, or holds a token only Python reads exactly (an escape, NaN, a huge number)."""
    if not tokens.flat:
        return None, None
    data, begin, end, kind = tokens.of(key)
    if (kind >= 6).any():
        return None, None  # an escape, NaN, Infinity, digits beyond 18, a key twice: the lines way
    absent = kind == 0
    if absent.any():
        # the key absent from a line (an empty cell), or written otherwise (an escaped
        # key, a space before the colon): json.loads reads those lines
        for i in np.flatnonzero(absent):
            if json.loads(lines[int(i)].as_py()).get(key) is not None:
                return None, None
    present = (kind != 0) & (kind != 3)
    text = _token_array(data, begin, end, present)
    number = kind == 5
    if number.any():
        from .native import _float_text

        floats = _float_text(pc.cast(keep_where(text, number), pa.float64()))
        text = pc.coalesce(floats, keep_where(text, ~number))
    return text, _TOKEN_KINDS[np.minimum(kind, 5)]


def _doubles(tokens: "_Tokens", key: str, column: pa.Array) -> tuple:
    """A double column and its kinds: pyarrow reads every number of a key as double
    when some has a fraction; a whole value whose token is an integer is an ``int``.
    (None, None) for an integer token beyond 2**53 (a double cannot hold its digits)."""
    values = filled_numbers(column, np.nan)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(values) & (np.floor(values) == values)
    kind = np.where(validity(column), KIND_FLOAT, KIND_TEXT).astype(np.int8)
    if not whole.any():
        return column, kind
    rows = np.flatnonzero(whole)
    _, _, _, token_kind = tokens.of(key, rows)
    if ((token_kind != 4) & (token_kind != 5)).any():
        return None, None  # a whole number beyond 18 digits, or not found where pyarrow found it
    integer = token_kind == 4
    if (integer & (np.abs(values[rows]) >= 2.0 ** 53)).any():
        return None, None
    kind[rows[integer]] = KIND_INT
    return column, kind


def _loads():
    """What frictionless's NDJSON parser (``jsonlines``) decodes a line with: orjson when
    it is installed (no NaN or Infinity, integers within 64 bits), else ``json.loads``."""
    try:
        import orjson
    except ImportError:
        return json.loads
    return orjson.loads


def _slow_block(block: bytes, line: int, row: int, keys: list) -> Batch:
    """The block read by ``json.loads``, line by line, as the reference reads it."""
    from .spreadsheet import _native_batch

    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceProblem("encoding-error", f"the NDJSON file is not valid UTF-8: {error.reason}")
    rows = []
    loads = _loads()
    for offset, raw in enumerate(text.split("\n")[: block.count(b"\n") + (0 if block.endswith(b"\n") else 1)]):
        stripped = raw.rstrip("\r")
        number = line + offset
        try:
            if not stripped.strip():
                raise json.JSONDecodeError("input data is empty", stripped, 0)
            item = loads(stripped)
        except json.JSONDecodeError as error:
            raise SourceProblem("source-error", f"line {number} column {error.colno}: invalid JSON: {error.msg}")
        except ValueError as error:  # orjson's errors
            raise SourceProblem("source-error", f"line {number}: invalid JSON: {error}")
        if not isinstance(item, dict):
            raise SourceProblem("source-error", "unsupported inline data")
        rows.append([item.get(k) for k in keys])
    return _native_batch(rows, row, len(keys))
