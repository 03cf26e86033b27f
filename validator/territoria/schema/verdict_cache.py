"""Schemas already found valid, remembered across runs.

Why: checking a schema against the Table Schema metaschema needs jsonschema,
whose import alone costs about 0.1 s, a tenth of a cold ``territoria validate``
of a small file. A data officer validates her file against the same schema
again and again while she fixes it; a portal audits thousands of files
against a handful of schemas. So the *valid* verdicts are kept, keyed by the
SHA-256 of the descriptor's canonical JSON and the Territoria version: an
edited schema, or a new release with new rules, is checked again. A schema
with problems is never remembered, so its problems are always reported.

Best effort: a cache that cannot be read or written is ignored. The folder is
``$TERRITORIA_CACHE_DIR``, else ``$XDG_CACHE_HOME/territoria``, else
``~/.cache/territoria``; ``TERRITORIA_CACHE_DIR=""`` turns the cache off.

Robust against what may be planted there: only a regular file is opened (and
without blocking: a FIFO in its place would hang the run), at most
``_MAX_BYTES`` of it is read, a line that is not a key is dropped, and a file
found unreadable or corrupt is rewritten with the keys that were sound. Every
write is a temporary file renamed over the cache, never an append into
whatever the path holds.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Optional

_FILE = "valid-schemas.txt"
_KEEP = 2000  # verdicts kept (one line of 64 hex digits each)
_known: Optional[set] = None


def _folder() -> Optional[str]:
    folder = os.environ.get("TERRITORIA_CACHE_DIR")
    if folder is not None:
        return folder or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "territoria")


def verdict_key(descriptor: Any) -> Optional[str]:
    """The cache key of a descriptor, or None when it is not plain JSON.

    The key also holds the checker's identity (the version and a digest of the
    module that states the rules), so a schema is checked again whenever the
    rules change, even between two builds of the same version.
    """
    try:
        text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(f"{_checker_identity()}\n{text}".encode("utf-8")).hexdigest()


_identity: Optional[str] = None


def _checker_identity() -> str:
    global _identity
    if _identity is None:
        from .. import __version__

        try:
            with open(os.path.join(os.path.dirname(__file__), "__init__.py"), "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:16]
        except OSError:
            digest = ""
        _identity = f"{__version__}+{digest}"
    return _identity


_MAX_BYTES = (_KEEP + 10) * 65
_HEX = frozenset("0123456789abcdef")


def _load() -> set:
    global _known
    if _known is None:
        _known = set()
        folder = _folder()
        if folder:
            keys, sound = _read(os.path.join(folder, _FILE))
            _known = keys
            if not sound:
                _write(folder, keys)
    return _known


def _read(path: str) -> tuple:
    """``(keys, sound)``: the keys of the cache file; sound is False when it must be rewritten."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return set(), True
    except OSError:
        return set(), False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return set(), False
        data = os.read(fd, _MAX_BYTES + 1)
    except OSError:
        return set(), False
    finally:
        os.close(fd)
    lines = data.split(b"\n")
    keys = set()
    sound = len(data) <= _MAX_BYTES
    for raw in lines:
        line = raw.strip().decode("ascii", "replace")
        if len(line) == 64 and set(line) <= _HEX:
            keys.add(line)
        elif line:
            sound = False
    return keys, sound


def _write(folder: str, keys: set) -> None:
    """Replace the cache file with ``keys`` (a temporary file renamed over it); never raises."""
    import tempfile

    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".valid-schemas-", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write("".join(f"{key}\n" for key in sorted(keys)))
        os.replace(temporary, os.path.join(folder, _FILE))
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def known_valid(key: Optional[str]) -> bool:
    return key is not None and key in _load()


def remember_valid(key: Optional[str]) -> None:
    """Add a valid verdict (the file is rewritten whole; emptied when it grows past ``_KEEP``)."""
    known = _load()
    folder = _folder()
    if key is None or key in known or not folder:
        return
    if len(known) >= _KEEP:
        known.clear()
    known.add(key)
    # what another run added since this one read the file is kept too
    on_disk, _ = _read(os.path.join(folder, _FILE))
    _write(folder, (on_disk | known) if len(on_disk | known) <= _KEEP else known)
