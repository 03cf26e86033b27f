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


def _load() -> set:
    global _known
    if _known is None:
        _known = set()
        folder = _folder()
        if folder:
            try:
                with open(os.path.join(folder, _FILE), encoding="ascii") as handle:
                    _known = {line.strip() for line in handle if len(line.strip()) == 64}
            except (OSError, ValueError):
                pass
    return _known


def known_valid(key: Optional[str]) -> bool:
    return key is not None and key in _load()


def remember_valid(key: Optional[str]) -> None:
    """Add a valid verdict (appended; the file is rewritten when it grows too long)."""
    known = _load()
    folder = _folder()
    if key is None or key in known or not folder:
        return
    known.add(key)
    path = os.path.join(folder, _FILE)
    try:
        os.makedirs(folder, exist_ok=True)
        if len(known) > _KEEP:
            known.clear()
            known.add(key)
            with open(path, "w", encoding="ascii") as handle:
                handle.write(key + "\n")
        else:
            with open(path, "a", encoding="ascii") as handle:
                handle.write(key + "\n")
    except OSError:
        pass
