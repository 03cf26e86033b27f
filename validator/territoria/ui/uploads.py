"""The files a browser sends: streamed into a private folder, bounded, their names made harmless.

Why a streaming parser rather than the framework's form reader: the bytes go
straight from the socket to the job's own folder (``0700``, under a server
folder of its own), the size limit is enforced while they come (a 10 GB upload
is cut at the limit, not after it was spooled somewhere else), and nothing of a
file is held in memory. A file keeps only its base name, stripped of folders,
control characters and anything a file system could read as a path, so the
readers detect its format by its extension and the report shows the name the
user knows. What is refused is a report (``upload-too-large``,
``upload-refused``), never a traceback.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

#: files one request may carry
MAX_FILES = 50
#: bytes of a form field that is not a file (the schema's JSON text)
MAX_FIELD_BYTES = 8 << 20
#: longest file name kept (bytes of UTF-8)
MAX_NAME_BYTES = 120


class UploadProblem(Exception):
    """The request cannot be read: a rule's code, its note, and the HTTP status to answer."""

    def __init__(self, code: str, note: str, status: int):
        super().__init__(note)
        self.code, self.note, self.status = code, note, status


def too_large(limit: int) -> UploadProblem:
    return UploadProblem("upload-too-large", f"the files sent are larger than {limit >> 20} MiB, the page's limit",
                         413)


def refused(note: str) -> UploadProblem:
    return UploadProblem("upload-refused", note, 400)


@dataclass
class Upload:
    """One request's files (``(name, path)`` in the order sent) and text fields, in its own folder."""

    folder: str
    files: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)

    @property
    def inbox(self) -> str:
        return os.path.join(self.folder, "files")

    def discard(self) -> None:
        """Remove the folder and all it holds (the uploads, the copies, the extracted packages)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def new_upload(root: str) -> Upload:
    """A fresh private folder inside ``root`` (the server's own), with its ``files/`` inbox."""
    folder = tempfile.mkdtemp(prefix="job-", dir=root)
    os.chmod(folder, 0o700)
    os.mkdir(os.path.join(folder, "files"), 0o700)
    return Upload(folder)


def safe_name(name: str, number: int) -> str:
    """The base name of a sent file, harmless: no folder, no control character, no leading dot."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    base = re.sub(r"\s+", " ", base)
    if not base:
        base = f"fichier-{number}"
    stem, extension = os.path.splitext(base)
    while len(base.encode("utf-8")) > MAX_NAME_BYTES and stem:
        stem = stem[:-1]
        base = stem + extension[:16]
    return base


def unique_name(name: str, taken: set) -> str:
    """``a.csv``, then ``a (2).csv``: two files sent with one name keep both."""
    candidate, number = name, 2
    stem, extension = os.path.splitext(name)
    while candidate.lower() in taken:
        candidate = f"{stem} ({number}){extension}"
        number += 1
    taken.add(candidate.lower())
    return candidate


class _Form:
    """The callbacks of one multipart body: each part's headers, then its data to a file or a field."""

    def __init__(self, upload: Upload, max_files: int):
        self.upload = upload
        self.max_files = max_files
        self.taken: set = set()
        self.header_field = b""
        self.header_value = b""
        self.headers: dict = {}
        self.out = None
        self.text: Optional[bytearray] = None
        self.name = ""
        self.error: Optional[UploadProblem] = None

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.part_begin, "on_header_field": self.header_field_data,
            "on_header_value": self.header_value_data, "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers, self.header_field, self.header_value = {}, b"", b""

    def header_field_data(self, data, start, end) -> None:
        self.header_field += data[start:end]

    def header_value_data(self, data, start, end) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.header_field.decode("latin-1").strip().lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self.headers.get("content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is not None and self.name == "file":
            if len(self.upload.files) >= self.max_files:
                raise _Stop(refused(f"more than {self.max_files} files were sent at once"))
            shown = unique_name(safe_name(filename.decode("utf-8", "replace"), len(self.upload.files) + 1),
                                self.taken)
            path = os.path.join(self.upload.inbox, shown)
            self.out = open(path, "xb")
            self.upload.files.append((shown, path))
        else:
            self.text = bytearray()

    def part_data(self, data, start, end) -> None:
        if self.out is not None:
            self.out.write(data[start:end])
        elif self.text is not None:
            self.text += data[start:end]
            if len(self.text) > MAX_FIELD_BYTES:
                raise _Stop(refused(f"the field '{self.name[:40]}' is larger than {MAX_FIELD_BYTES >> 10} KiB"))

    def part_end(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.text is not None:
            if self.name and self.name != "file":
                self.upload.fields[self.name] = bytes(self.text).decode("utf-8", "replace")
            self.text = None

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


class _Stop(Exception):
    def __init__(self, problem: UploadProblem):
        super().__init__(problem.note)
        self.problem = problem


async def receive(request, root: str, max_bytes: int, max_files: int = MAX_FILES) -> Upload:
    """Read the request's multipart body into a new private folder; UploadProblem when it cannot be."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise refused("the form is not multipart/form-data")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    upload = new_upload(root)
    form = _Form(upload, max_files)
    parser = MultipartParser(boundary, form.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_bytes:
                raise too_large(max_bytes)
            parser.write(chunk)
        parser.finalize()
    except _Stop as stop:
        form.close()
        upload.discard()
        raise stop.problem
    except UploadProblem:
        form.close()
        upload.discard()
        raise
    except (MultipartParseError, ValueError) as error:
        form.close()
        upload.discard()
        raise refused(f"the form could not be read: {' '.join(str(error).split())[:200]}")
    except BaseException:  # the browser went away mid-upload: leave nothing behind
        form.close()
        upload.discard()
        raise
    form.close()
    return upload
