"""The report file of ``-o``/``--output``: never an input, always whole.

Why: ``territoria validate data.csv -o data.csv`` used to replace the data with
the report. The output is refused when it is the same file as any input — by
any path: a symlink, a hard link, ``./data.csv`` — including the schema and the
files a ``datapackage.json`` names; and it is written to a temporary file in
the same folder, then renamed over the target, so a full disk or an interrupted
run leaves the old file (or none), never half a report.
"""
from __future__ import annotations

import glob
import json
import os
import tempfile


class OutputProblem(Exception):
    pass


def _inputs(sources: list) -> list:
    """The local files behind the inputs: each path, and the resources of each local package."""
    found = []
    for source in sources:
        if not isinstance(source, (str, os.PathLike)):
            continue
        path = os.fspath(source)
        if path.startswith(("http://", "https://")):
            continue
        candidates = glob.glob(path, recursive=True) if glob.has_magic(path) else [path]
        for candidate in candidates:
            if os.path.isdir(candidate):
                package = os.path.join(candidate, "datapackage.json")
                candidate = package if os.path.isfile(package) else candidate
            found.append(candidate)
            if candidate.endswith("datapackage.json") and os.path.isfile(candidate):
                found.extend(_package_files(candidate))
    return found


def _package_files(package: str) -> list:
    try:
        with open(package, "rb") as handle:
            descriptor = json.loads(handle.read(64 << 20))
    except (OSError, ValueError, RecursionError):
        return []
    base = os.path.dirname(package)
    files = []
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict):
            continue
        for key in ("path", "schema"):
            value = resource.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and not item.startswith(("http://", "https://")):
                    files.append(os.path.join(base, item))
    return files


def check_output(output: str, sources: list) -> None:
    """OutputProblem when ``output`` is an input, or cannot be written (its folder missing, read-only)."""
    folder = os.path.dirname(os.path.abspath(output))
    if os.path.isdir(output):
        raise OutputProblem(f"--output {output}: is a directory")
    if not os.path.isdir(folder):
        raise OutputProblem(f"--output {output}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputProblem(f"--output {output}: the folder {folder} is not writable")
    if not os.path.exists(output):
        return
    for candidate in _inputs(sources):
        try:
            same = os.path.samefile(output, candidate)
        except OSError:
            same = False
        if same:
            raise OutputProblem(f"--output {output}: is an input of this run ({candidate}); "
                                f"choose another file, the input is never overwritten")


def write_atomically(output: str, text) -> None:
    """Write ``text`` (a string, or a function that writes to a text stream) to ``output`` through a
    temporary file beside it and a rename: a failure half-way never leaves a partial report."""
    folder = os.path.dirname(os.path.abspath(output))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".territoria-report-", dir=folder)
    except OSError as error:
        raise OutputProblem(f"--output {output}: cannot be written ({error.strerror or error})")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            text(stream) if callable(text) else stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if os.path.exists(output):
            try:
                os.chmod(temporary, os.stat(output).st_mode & 0o7777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, output)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputProblem(f"--output {output}: cannot be written ({error.strerror or error})")
