"""Compressed sources: ``.gz``, ``.bz2``, ``.xz`` and a ``.zip`` holding one table, and archive bombs.

Why decompress into a temporary file: every reader after this one (the CSV
sniffer's sample, pyarrow's block parser, the exact re-read of a ragged file,
a spreadsheet's zip directory) needs a seekable local file, so the stream is
decompressed once, in 1 MiB steps, and the table is read from the result with
the inner file's extension. Bounded as spreadsheets are: the expanded size may
not pass ``max_uncompressed_bytes``, nor ``max_ratio`` times the compressed
size once past ``ratio_floor_bytes``, checked while the bytes come, so a
10 KB file that would expand to 10 GB costs a few milliseconds.

Also :func:`check_archive`, the same bounds on a zip archive's directory
(XLSX, ODS), before any part of it is parsed; and :func:`extract_archive`, a
whole zip archive (a data package sent as one file to the local page) written
into a folder with the same bounds, and member names that cannot leave it.
"""
from __future__ import annotations

import bz2
import gzip
import lzma
import os
import zipfile
import zlib
from typing import Optional

from . import TABULAR_EXTENSIONS, SourceProblem
from .policy import Limits

#: compression by extension, and by magic bytes for a file whose name says nothing
STREAMS = {".gz": gzip.open, ".gzip": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
MAGIC = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"))
STEP = 1 << 20


def compression_of(path: str, place: str) -> Optional[str]:
    """``.gz``, ``.bz2``, ``.xz`` or ``.zip`` when the source is compressed, else None."""
    for name in (place, path):
        extension = os.path.splitext(name.split("?", 1)[0])[1].lower()
        if extension in STREAMS or extension == ".zip":
            return extension
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    for magic, extension in MAGIC:
        if head.startswith(magic):
            return extension
    return None


def inner_name(place: str, extension: str) -> str:
    """``mesures.csv.gz`` -> ``mesures.csv`` (the name whose extension says the format)."""
    base = os.path.basename(place.split("?", 1)[0])
    return base[: -len(extension)] if base.lower().endswith(extension) else base


def inner_file_name(path: str, extension: str, place: str) -> str:
    """The name of the table inside: the zip archive's one table member, else the name less its extension."""
    if extension != ".zip":
        return inner_name(place, extension)
    try:
        with zipfile.ZipFile(path) as archive:
            return os.path.basename(_one_table(archive, place).filename)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SourceProblem("format-error", f"{place}: damaged zip archive ({_one_line(error)})")


def _one_table(archive: zipfile.ZipFile, place: str):
    members = table_members(archive)
    if len(members) != 1:
        names = ", ".join(m.filename for m in members[:5]) or "none"
        raise SourceProblem("format-error", f"{place}: a zip archive must hold exactly one table "
                                            f"file, this one holds {len(members)} ({names})")
    return members[0]


def _too_big(limits: Limits, expanded: int, compressed: int) -> Optional[str]:
    if expanded > limits.max_uncompressed_bytes:
        return f"expands to more than {limits.max_uncompressed_bytes} bytes (limit max_uncompressed_bytes)"
    if expanded > limits.ratio_floor_bytes and expanded > limits.max_ratio * max(compressed, 1):
        return f"expands more than {limits.max_ratio} times its size (limit max_ratio): a compression bomb?"
    return None


def decompress(path: str, extension: str, place: str, limits: Limits, out) -> str:
    """Write the decompressed table of ``path`` to the binary file ``out``; answer its file name."""
    compressed = os.path.getsize(path)
    if extension == ".zip":
        return _unzip(path, place, limits, out, compressed)
    opener, damaged = (_gzip_reader() if STREAMS[extension] is gzip.open else (STREAMS[extension], ()))
    try:
        with opener(path, "rb") as stream:
            _copy(stream, out, limits, compressed, f"{place}: the compressed file")
    except (OSError, EOFError, lzma.LZMAError, ValueError, zlib.error) + damaged as error:
        if isinstance(error, OSError) and error.errno == 28:
            raise SourceProblem("source-error", f"{place}: no space left on the disk to decompress it")
        raise SourceProblem("format-error", f"{place}: damaged {extension[1:]} file ({_one_line(error)})")
    return inner_name(place, extension)


def _gzip_reader() -> tuple:
    """(open, the errors a damaged stream raises besides the standard ones): ``isal``'s
    ``igzip`` when installed (``pip install 'territoria[fast]'``: the same reading as
    ``gzip``, three times faster: 100 MB of CSV in 0.15 s instead of 0.55 s), else ``gzip``."""
    try:
        from isal import igzip, isal_zlib
    except ImportError:
        return gzip.open, ()
    return igzip.open, (isal_zlib.error,)


def table_members(archive: zipfile.ZipFile) -> list:
    """The archive's members that look like tables (no folders, no hidden or macOS resource files)."""
    found = []
    for info in archive.infolist():
        name = info.filename
        base = os.path.basename(name)
        if info.is_dir() or not base or base.startswith(".") or name.startswith("__MACOSX/"):
            continue
        if os.path.splitext(base)[1].lower() in TABULAR_EXTENSIONS:
            found.append(info)
    return found


def _copy(stream, out, limits: Limits, compressed: int, what: str, already: int = 0) -> int:
    """Copy the expanding ``stream`` to ``out`` in steps, stopped as soon as it passes the bounds
    (``already``: bytes other members of the same archive expanded to); answer the bytes written."""
    written = already
    while True:
        chunk = stream.read(STEP)
        if not chunk:
            return written
        written += len(chunk)
        problem = _too_big(limits, written, compressed)
        if problem:
            raise SourceProblem("source-too-large", f"{what} {problem}")
        out.write(chunk)


def _unzip(path: str, place: str, limits: Limits, out, compressed: int) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            info = _one_table(archive, place)
            problem = _too_big(limits, info.file_size, compressed)
            if problem:
                raise SourceProblem("source-too-large", f"{place}: {info.filename} {problem}")
            with archive.open(info) as stream:
                _copy(stream, out, limits, compressed, f"{place}: {info.filename}")
            return os.path.basename(info.filename)
    except SourceProblem:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise SourceProblem("format-error", f"{place}: damaged zip archive ({_one_line(error)})")


def check_archive(path: str, limits: Limits, what: str, loaded_whole: tuple = ()) -> None:
    """Refuse a zip archive (XLSX, ODS) whose directory announces a bomb, before parsing any of it.

    ``loaded_whole``: member names the reader's library keeps in memory whole
    (shared strings, styles); each may take at most a quarter of the expanded budget
    and 256 MiB, so that memory stays bounded whatever the sheet holds.
    """
    compressed = os.path.getsize(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SourceProblem("format-error", f"invalid {what} file: {_one_line(error)}")
    total = sum(info.file_size for info in infos)
    problem = _too_big(limits, total, compressed)
    if problem:
        raise SourceProblem("source-too-large", f"the {what} archive {problem}")
    cap = min(limits.max_uncompressed_bytes // 4, 256 << 20)
    for info in infos:
        if info.filename in loaded_whole and info.file_size > cap:
            raise SourceProblem("source-too-large", f"the {what} part {info.filename} expands to {info.file_size} "
                                                f"bytes, more than the {cap} read whole (limit max_uncompressed_bytes)")


#: members a package archive may hold
MAX_MEMBERS = 10_000


def extract_archive(path: str, folder: str, limits: Limits, place: str) -> list:
    """Write every member of the zip archive ``path`` into ``folder``; answer their names (``a/b.csv``).

    Why here, with the other bounds: an archive sent by a stranger may be a bomb
    (refused as ``source-too-large`` on its directory, then while the bytes come,
    as :func:`decompress` does), or name files outside the folder (``../../.ssh/x``,
    ``/etc/cron.d/x``, ``C:\\x``, a symbolic link): such a name is refused as
    ``path-refused`` before anything is written, and so is a name given twice.
    Folders are made, files are new (never overwritten), ``__MACOSX/`` is left out.
    """
    compressed = os.path.getsize(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise SourceProblem("source-too-large", f"{place}: the archive holds {len(infos)} members, "
                                                        f"more than {MAX_MEMBERS}")
            problem = _too_big(limits, sum(info.file_size for info in infos), compressed)
            if problem:
                raise SourceProblem("source-too-large", f"{place}: the archive {problem}")
            plan, seen = [], set()
            for info in infos:
                parts = member_parts(info, place)
                if not parts or parts[0] == "__MACOSX":
                    continue
                key = "/".join(parts)
                if key in seen:
                    raise SourceProblem("path-refused", f"{place}: the member {info.filename} is given twice")
                seen.add(key)
                plan.append((info, parts))
            written, names = 0, []
            for info, parts in plan:
                target = os.path.join(folder, *parts)
                if info.is_dir():
                    os.makedirs(target, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with archive.open(info) as stream, open(target, "xb") as out:
                    written = _copy(stream, out, limits, compressed, f"{place}: {info.filename}", written)
                names.append("/".join(parts))
            return names
    except SourceProblem:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        if isinstance(error, OSError) and error.errno == 28:
            raise SourceProblem("source-error", f"{place}: no space left on the disk to decompress it")
        raise SourceProblem("format-error", f"{place}: damaged zip archive ({_one_line(error)})")


def member_parts(info: zipfile.ZipInfo, place: str) -> list:
    """The folders and name of a member, or ``path-refused`` for a name that could leave the folder."""
    name = info.filename
    mode = (info.external_attr >> 16) & 0o170000
    if mode == 0o120000:
        raise SourceProblem("path-refused", f"{place}: the member {name} is a symbolic link")
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":") or \
            any(ord(c) < 32 for c in name):
        raise SourceProblem("path-refused", f"{place}: the member name {name!r} is not a relative path")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise SourceProblem("path-refused", f"{place}: the member name {name!r} leads outside the archive")
    return parts


def _one_line(error: BaseException) -> str:
    return (" ".join(str(error).split()) or type(error).__name__)[:300]
