"""``schemas/versions.lock``: content hashes that make released versions immutable.

Why: a publisher who validated a file against ``waste-fill-level@1.0.0`` must
get the same verdict next year. So a released version folder never changes;
a change is a new version, i.e. a new folder. The lock records a hash of every
released folder, ``territoria lock`` adds new versions and refuses to change an
existing one, and the test suite fails when a released folder no longer
matches its hash.

Format (JSON, keys sorted)::

    {
      "mobility-counts/1.0.0": "sha256:<hex>",
      ...
      "_files": {"mobility-counts/1.0.0": {"datapackage.json": "sha256:<hex>", ...}}
    }

Every ``<entry>/<version>`` key holds the folder hash: SHA-256 over the sorted
relative paths (``/`` separated) and bytes of its files, each file fed as
``path NUL length NUL bytes``. ``_files`` keeps one hash per file, only so that
a failure can name the files that changed. Ignored: names starting with ``.``
(``.DS_Store``...) and ``__pycache__``. Bytes are hashed as they are: keep
``* -text`` semantics for ``schemas/`` (no line-ending conversion) in git.

Pre-release versions (``1.1.0-draft``, ``2.0.0-rc.1``) are work in progress:
they are never locked and may change freely.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Optional

LOCK_NAME = "versions.lock"
FILES_KEY = "_files"
_RELEASED = re.compile(r"^\d+\.\d+\.\d+(?:\+[0-9A-Za-z.-]+)?$")


class LockError(Exception):
    """The lock cannot be updated without changing a released version."""


def _root(root: Optional[str]) -> str:
    if root is not None:
        return root
    from ..schema.catalogue import catalogue_root

    found = catalogue_root()
    if found is None:
        raise LockError("no schema catalogue found")
    return found


def lock_path(root: Optional[str] = None) -> str:
    return os.path.join(_root(root), LOCK_NAME)


def is_released(version: str) -> bool:
    return bool(_RELEASED.match(version))


def released_folders(root: Optional[str] = None) -> list:
    """``["<entry>/<version>", ...]`` for every released version folder of the catalogue."""
    root = _root(root)
    found = []
    for entry in sorted(os.listdir(root)):
        entry_path = os.path.join(root, entry)
        if not os.path.isdir(entry_path) or entry.startswith((".", "_")):
            continue
        for version in sorted(os.listdir(entry_path)):
            if is_released(version) and os.path.isfile(os.path.join(entry_path, version, "datapackage.json")):
                found.append(f"{entry}/{version}")
    return found


def _files(folder: str) -> list:
    result = []
    for current, directories, names in os.walk(folder):
        directories[:] = [d for d in directories if not d.startswith(".") and d != "__pycache__"]
        for name in names:
            if name.startswith("."):
                continue
            full = os.path.join(current, name)
            result.append(os.path.relpath(full, folder).replace(os.sep, "/"))
    return sorted(result)


def file_hashes(folder: str) -> dict:
    """``{relative path: "sha256:<hex>"}`` for every file of a version folder."""
    hashes = {}
    for relative in _files(folder):
        with open(os.path.join(folder, *relative.split("/")), "rb") as handle:
            hashes[relative] = "sha256:" + hashlib.sha256(handle.read()).hexdigest()
    return hashes


def folder_hash(folder: str) -> str:
    """SHA-256 over the sorted relative paths and the bytes of the folder's files."""
    digest = hashlib.sha256()
    for relative in _files(folder):
        with open(os.path.join(folder, *relative.split("/")), "rb") as handle:
            data = handle.read()
        digest.update(relative.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0" + data)
    return "sha256:" + digest.hexdigest()


def read_lock(root: Optional[str] = None) -> dict:
    """The lock as ``{"versions": {key: hash}, "files": {key: {path: hash}}}`` (empty if absent)."""
    path = lock_path(root)
    if not os.path.isfile(path):
        return {"versions": {}, "files": {}}
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        "versions": {k: v for k, v in data.items() if k != FILES_KEY},
        "files": data.get(FILES_KEY, {}),
    }


def write_lock(lock: dict, root: Optional[str] = None) -> None:
    data = dict(sorted(lock["versions"].items()))
    data[FILES_KEY] = {k: dict(sorted(v.items())) for k, v in sorted(lock["files"].items())}
    with open(lock_path(root), "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def changed_files(recorded: dict, current: dict) -> list:
    """Human-readable per-file differences between two ``file_hashes`` results."""
    notes = []
    for path in sorted(set(recorded) | set(current)):
        if path not in current:
            notes.append(f"removed {path}")
        elif path not in recorded:
            notes.append(f"added {path}")
        elif recorded[path] != current[path]:
            notes.append(f"changed {path}")
    return notes


def check(root: Optional[str] = None) -> tuple:
    """``(problems, new)``: released folders that differ from the lock, and folders not locked yet.

    Each problem is one message naming the version and, when the lock has
    per-file hashes, the files that changed.
    """
    root = _root(root)
    lock = read_lock(root)
    problems, new = [], []
    present = released_folders(root)
    for key in present:
        folder = os.path.join(root, *key.split("/"))
        if key not in lock["versions"]:
            new.append(key)
            continue
        current = folder_hash(folder)
        if current != lock["versions"][key]:
            details = changed_files(lock["files"].get(key, {}), file_hashes(folder)) if key in lock["files"] else []
            where = "; ".join(details) if details else "files unknown (no per-file hashes in the lock)"
            problems.append(f"released version {key} changed ({where}); released folders are immutable: "
                            f"restore it and publish the change as a new version folder")
    for key in lock["versions"]:
        if key not in present:
            problems.append(f"released version {key} is in {LOCK_NAME} but its folder is gone; "
                            f"released versions are never removed")
    return problems, new


def update(root: Optional[str] = None) -> list:
    """Lock every new released version; return the keys added.

    Raises :class:`LockError` (and writes nothing) if a released version
    changed or disappeared.
    """
    root = _root(root)
    problems, new = check(root)
    if problems:
        raise LockError("\n".join(problems))
    lock = read_lock(root)
    for key in new:
        folder = os.path.join(root, *key.split("/"))
        lock["versions"][key] = folder_hash(folder)
        lock["files"][key] = file_hashes(folder)
    if new or not os.path.isfile(lock_path(root)):
        write_lock(lock, root)
    return new


def main(check_only: bool = False, root: Optional[str] = None, out=None, err=None) -> int:
    import sys

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if check_only:
            problems, new = check(root)
            for problem in problems:
                print(f"territoria lock: {problem}", file=err)
            for key in new:
                print(f"territoria lock: {key} is not locked yet (run `territoria lock`)", file=err)
            if not problems and not new:
                print(f"{LOCK_NAME}: every released version matches its hash", file=out)
            return 1 if problems or new else 0
        added = update(root)
    except LockError as error:
        for line in str(error).splitlines():
            print(f"territoria lock: {line}", file=err)
        return 1
    except (OSError, ValueError) as error:
        print(f"territoria lock: cannot read the catalogue or its lock: {error}", file=err)
        return 2
    if added:
        for key in added:
            print(f"locked {key}", file=out)
    else:
        print(f"{LOCK_NAME}: up to date, nothing to lock", file=out)
    return 0
