"""CSV/TSV reading: pyarrow's streaming parser, with an exact fallback.

Why two paths: pyarrow parses CSV in C++ at hundreds of MB/s, but it drops or
rejects rows whose cell count differs from the header, and then row numbers can
no longer be mapped to the file's records. When the dialect is plain and every
row has the header's width (the normal case), the fast path is exact. When a
ragged row appears, or the sniffed dialect is one pyarrow cannot reproduce
(escape characters, spaces after delimiters), the table is read again with
Python's csv module — the reference's own parser — row by row.
"""
from __future__ import annotations

import codecs
import csv
import functools
import io
import os
from typing import Iterator

import numpy as np
import pyarrow as pa

from . import Batch, NeedsExactRead as _RaggedRow, SourceProblem, Table, batches_from_rows, prefetch
from .paced import PacedFile
from .detect import SAMPLE_BYTES, TextDialect, detect_dialect, detect_encoding
from .policy import Limits, current as current_policy

# Bytes of CSV per batch. Every check allocates a few arrays per row of a batch,
# so peak memory grows with it, while smaller batches cost more Python overhead
# per row, and the GIL it holds is what the column threads then wait for
# (2 MB: +40 % time). 10M-row benchmark, with the compiled kernels and the
# int32 key index: 8 MB blocks 506 MB peak RSS, 6 MB 480 MB, 4 MB 470 MB; at
# 1M rows 8 MB batches are about 10 % faster than 4 MB ones.
BLOCK_SIZE = 8 << 20
SLOW_BATCH_ROWS = 50_000
csv.field_size_limit(Limits().max_cell_bytes)  # the header sample too (a run may raise it, _exact_batches)




def open_csv_table(path: str, *, delimiter: "str | None" = None, encoding: "str | None" = None,
                   format: str = "csv", header_row: int = 1) -> Table:
    """The CSV table of ``path``; ``header_row``: the line of its column names (1, frictionless's
    reading, unless a caller knows better: ``territoria fix`` reads a mapping file's ``source.header_row``,
    for exports that put a title or a period above the header). The lines above it are skipped, and
    data rows keep the number of their line."""
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        size = os.fstat(handle.fileno()).st_size
    if not sample.strip():
        raise SourceProblem("source-error", "the source is empty")
    encoding = encoding or detect_encoding(sample)
    offset = 0
    if header_row > 1:
        offset = _lines_above(path, header_row, encoding)
        with open(path, "rb") as handle:
            handle.seek(offset)
            sample = handle.read(SAMPLE_BYTES)
        if not sample.strip():
            raise SourceProblem("source-error", f"the file has no line {header_row} to read the column names from")
    # a file shorter than the sample is its sample: parsed from these bytes, never read twice
    whole = sample if len(sample) < SAMPLE_BYTES else None
    try:
        text = sample.decode(encoding, errors="strict")
    except UnicodeDecodeError as error:
        # utf-8-sig counts its offsets after the byte order mark, which the sample still holds
        start = offset + error.start + (3 if encoding == "utf-8-sig" and sample.startswith(codecs.BOM_UTF8) else 0)
        if len(sample) < SAMPLE_BYTES or start < len(sample) - 4:
            raise SourceProblem("encoding-error", f"cannot decode byte {start} as {encoding}")
        text = sample[:start].decode(encoding)  # a character cut by the end of the sample
    except LookupError:
        raise SourceProblem("encoding-error", f"unknown encoding {encoding!r}")
    if format == "tsv" and not delimiter:
        delimiter = "\t"
    limits = current_policy().limits
    dialect = detect_dialect(text, encoding, delimiter)
    header_record = _first_record(text, dialect)
    if len(header_record) > limits.max_fields:
        raise SourceProblem("row-too-wide", f"row 1 has {len(header_record)} cells or more, more than the "
                                            f"{limits.max_fields} allowed (limit max_fields)")
    labels = [cell.strip() for cell in header_record]  # frictionless strips labels

    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(("encoding", encoding))
    if encoding == "utf-8-sig":
        notes.append(("bom", encoding))
    if dialect.delimiter not in (",", "\t") or (format == "csv" and dialect.delimiter == "\t"):
        notes.append(("delimiter", dialect.delimiter))

    fast_ok = dialect.is_plain and not any("\n" in label or "\r" in label for label in labels)
    # pyarrow's blocks bound a cell and a line to BLOCK_SIZE (a longer one goes to the exact
    # path, which checks the limits); a run that sets them lower is read by the exact path
    fast_ok = fast_ok and min(limits.max_cell_bytes, limits.max_line_bytes) >= BLOCK_SIZE

    def batches(exact: bool = False) -> Iterator[Batch]:
        if fast_ok and not exact:
            # one batch parsed ahead is enough to keep the parse off the critical path;
            # each batch more held costs memory (10M rows: 600 -> 575 MB peak RSS)
            yield from prefetch(_fast_batches(path, dialect, len(labels), offset, header_row + 1, whole=whole,
                                              size=size), depth=1)
        else:
            yield from _exact_batches(path, dialect, len(labels), limits, offset, header_row + 1)

    return Table(
        labels=labels,
        raw_labels=list(header_record),
        header_row=header_row,
        batches=batches,
        format=format,
        encoding=encoding,
        dialect_notes=notes,
        byte_count=size,
    )


def _lines_above(path: str, header_row: int, encoding: str) -> int:
    """Bytes of the ``header_row - 1`` lines above the header (each line bounded as any line is)."""
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32")):
        raise SourceProblem("encoding-error", f"a header on line {header_row} is read only in UTF-8 or an 8-bit "
                                              f"encoding, not {encoding}")
    limit = current_policy().limits.max_line_bytes
    with open(path, "rb") as handle:
        for number in range(1, header_row):
            line = handle.readline(limit + 1)
            if not line:
                raise SourceProblem("source-error", f"the file has no line {header_row} to read the column "
                                                    f"names from")
            if len(line) > limit and not line.endswith((b"\n", b"\r")):
                raise SourceProblem("line-too-long", f"line {number} is longer than {limit} bytes "
                                                     f"(limit max_line_bytes)")
        return handle.tell()


def _first_record(text: str, dialect: TextDialect) -> list:
    reader = csv.reader(io.StringIO(text, newline=""), **dialect.python_dialect())
    try:
        return next(reader)
    except StopIteration:
        raise SourceProblem("source-error", "the source is empty")
    except csv.Error as error:
        raise SourceProblem("format-error", f"the header row cannot be parsed: {error}")


def block_size(path: str, size: "int | None" = None) -> int:
    """BLOCK_SIZE, or less for a smaller file: pyarrow allocates (and the kernel
    maps) a whole block before it parses, 2 ms for 8 MB on a 2 KB file."""
    if size is None:
        try:
            size = os.path.getsize(path)
        except OSError:
            return BLOCK_SIZE
    return int(min(BLOCK_SIZE, max(1 << 16, 1 << (size + 1024).bit_length())))


class _InMemory:
    """The bytes of a small file for pyarrow, with the two calls the reader makes of a PacedFile."""

    def __init__(self, data: bytes) -> None:
        self.reader = pa.BufferReader(data)

    def batch_taken(self) -> None:
        pass

    def close(self) -> None:
        self.reader.close()


def _fast_batches(path: str, dialect: TextDialect, width: int, offset: int = 0,
                  first_row: int = 2, whole: "bytes | None" = None, size: "int | None" = None) -> Iterator[Batch]:
    """pyarrow's batches of the file; ``whole``: its bytes from ``offset`` on, when it is
    that short (a small file is parsed from memory, in one block, without threads)."""
    import pyarrow.csv as pacsv

    encoding = "utf8" if dialect.encoding in ("utf-8", "utf-8-sig") else dialect.encoding
    read_options, parse_options, convert_options = _arrow_options(
        width, block_size(path, size), encoding, dialect.delimiter, dialect.quotechar)
    if whole is not None:
        bom = 3 if not offset and dialect.encoding == "utf-8-sig" and whole.startswith(codecs.BOM_UTF8) else 0
        source = _InMemory(whole[bom:] if bom else whole)
    else:
        # read through a paced file: pyarrow's own readahead would hold up to 32 blocks;
        # 2 is the least it needs (a batch may end in the next block)
        skip = offset or (_bom_length(path) if dialect.encoding == "utf-8-sig" else 0)
        source = PacedFile(path, ahead=2, skip=skip)
    try:
        try:
            reader = pacsv.open_csv(source.reader if whole is not None else source, read_options=read_options,
                                    parse_options=parse_options, convert_options=convert_options)
        except pa.ArrowInvalid as error:
            _raise_for(error)
        next_row = first_row
        while True:
            try:
                record_batch = reader.read_next_batch()
            except StopIteration:
                return
            except pa.ArrowInvalid as error:
                _raise_for(error)
            source.batch_taken()
            n = record_batch.num_rows
            if n == 0:
                continue
            yield Batch(
                columns=list(record_batch.columns),
                row_numbers=np.arange(next_row, next_row + n, dtype=np.int64),
            )
            next_row += n
    finally:
        source.close()


@functools.lru_cache(maxsize=64)
def _arrow_options(width: int, block: int, encoding: str, delimiter: str, quotechar: str) -> tuple:
    """pyarrow's read, parse and convert options, made once per width and dialect (200
    files of one schema share them; pyarrow copies them when a reader opens, never changes them)."""
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    read_options = pacsv.ReadOptions(
        column_names=names, skip_rows=1, block_size=block, encoding=encoding,
        use_threads=block >= BLOCK_SIZE,  # one block: threads only cost their start
    )
    parse_options = pacsv.ParseOptions(
        delimiter=delimiter,
        quote_char=quotechar,
        double_quote=True,
        newlines_in_values=True,
        ignore_empty_lines=False,
        invalid_row_handler=_refuse_row,
    )
    convert_options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    return read_options, parse_options, convert_options


def _refuse_row(row) -> str:
    return "error"


def _raise_for(error: Exception):
    text = str(error)
    if "Expected" in text and "columns" in text:
        raise _RaggedRow()
    if "UTF8" in text or "UTF-8" in text or "decode" in text.lower():
        raise SourceProblem("encoding-error", "the file is not valid UTF-8 further on; save it again as UTF-8")
    raise _RaggedRow()  # anything else: let the exact parser decide


def _bom_length(path: str) -> int:
    with open(path, "rb") as handle:
        return 3 if handle.read(3) == b"\xef\xbb\xbf" else 0


def _exact_batches(path: str, dialect: TextDialect, width: int, limits: "Limits | None" = None, offset: int = 0,
                   first_row: int = 2) -> Iterator[Batch]:
    """Python's csv module, row by row, with every row, cell and line bounded (``limits``).

    Why bounded here: this is the path a hostile file reaches (a ragged row, a
    line longer than pyarrow's block), and Python objects cost ten times the
    bytes they hold: one 500 MB line, or one row of 2M cells, would cost gigabytes.
    """
    limits = limits or Limits()
    handle = open(path, "r", encoding=dialect.encoding, newline="", errors="strict")
    if offset:  # lines above the header: skipped as bytes (a text handle cannot seek to a byte)
        handle.close()
        raw = open(path, "rb")
        raw.seek(offset)
        handle = io.TextIOWrapper(raw, encoding=dialect.encoding, newline="", errors="strict")
    try:
        lines = _BoundedLines(handle, limits.max_line_bytes)
        previous = csv.field_size_limit(limits.max_cell_bytes)
        try:
            reader = csv.reader(lines, **dialect.python_dialect())
            try:
                next(reader)  # header
            except StopIteration:
                return
            except csv.Error:
                pass  # the header was read from the sample; its problems are reported there
            rows = _decoded_rows(reader, path, limits, first_row - 1)
            yield from batches_from_rows(rows, first_row_number=first_row, width=width, batch_size=SLOW_BATCH_ROWS)
        finally:
            csv.field_size_limit(previous)
    finally:
        handle.close()


class _BoundedLines:
    """The file's physical lines, each at most ``limit`` characters, else a one-line error."""

    def __init__(self, handle, limit: int):
        self.handle, self.limit, self.number = handle, limit, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.handle.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.limit and not line.endswith(("\n", "\r")):
            raise SourceProblem("line-too-long", f"line {self.number} is longer than {self.limit} bytes "
                                                 f"(limit max_line_bytes)")
        return line


def _decoded_rows(reader, path: str, limits: Limits, header: int = 1):
    number = header
    try:
        for row in reader:
            number += 1
            if len(row) > limits.max_fields:
                raise SourceProblem("row-too-wide", f"row {number} has {len(row)} cells, more than the "
                                                    f"{limits.max_fields} allowed (limit max_fields)")
            yield row
    except UnicodeDecodeError as error:
        raise SourceProblem("encoding-error", f"cannot decode the file as {error.encoding} near line {reader.line_num + 1}")
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise SourceProblem("cell-too-large", f"row {number + 1} has a cell of more than "
                                                  f"{limits.max_cell_bytes} bytes (limit max_cell_bytes)")
        raise SourceProblem("format-error", f"line {reader.line_num}: {error}")
