"""Which paths a descriptor may name: its own folder's files, or, read from a URL, only URLs.

Why: a Data Package, a schema or a check's parameters written by a stranger
would otherwise make Territoria read ``/etc/passwd`` (or ``../../.ssh/id_rsa``,
or a symlink planted in a pull request) and print its lines as cells in the
report, the job summary or a portal's page. frictionless refuses absolute and
``..`` paths unless told ``trusted=True``; Territoria does the same, after
resolving symlinks, for every path a descriptor names: a resource's ``path``,
a resource's ``schema``, and a check's file parameter (``commune_extents``).

``--trusted`` (``trusted=True``, ``trusted: true``) lifts it, for descriptors
the user wrote. Paths the user gives herself (the command line's files, the
``--schema`` option) are never restricted, nor is a descriptor she passes as a
Python dict (it has no folder: relative paths are hers, from the current one).
"""
from __future__ import annotations

import os
import re
from typing import Optional
from urllib.parse import urljoin

from . import SourceProblem
from .policy import current

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: "C:\..." is a Windows drive


def is_url(value) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://", value, re.I))


def refused(note: str) -> SourceProblem:
    return SourceProblem("path-refused", note)


def resolve(location: str, base: Optional[str], what: str) -> str:
    """Where ``location`` (named by a descriptor read from ``base``) points, or a ``path-refused`` problem.

    ``base``: the folder or URL of the descriptor; None when the descriptor is the
    caller's own (a dict). ``what`` names the reference in the message
    (``resource "mesures"``, ``parameter 'commune_extents'``).
    """
    if not isinstance(location, str) or not location.strip():
        raise refused(f"{what}: an empty path")
    if is_url(location):
        return location
    trusted = current().trusted
    if _SCHEME.match(location):
        raise refused(f"{what}: {location}: only http(s) addresses and relative paths are read")
    if base is not None and is_url(base):
        if os.path.isabs(location) or location.startswith(("\\", "~")) or re.match(r"^[A-Za-z]:", location):
            if trusted:
                return location
            raise refused(f"{what}: {location} is a local path, and the descriptor was read from a URL "
                          f"(it may only name URLs)")
        return urljoin(base.rstrip("/") + "/", location.replace("\\", "/"))
    if base is None:
        return location
    joined = os.path.normpath(os.path.join(base, os.path.expanduser(location) if trusted else location))
    if trusted:
        return joined
    folder = os.path.realpath(base or ".")
    real = os.path.realpath(joined)
    if not any(_inside(real, root) for root in _roots(folder)):
        shown = location if os.path.normpath(location) == os.path.normpath(real) else f"{location} ({real})"
        raise refused(f"{what}: {shown} is outside the descriptor's folder {folder}")
    return joined


def _inside(path: str, folder: str) -> bool:
    return path == folder or os.path.commonpath([folder, path]) == folder


def _roots(folder: str) -> list:
    """The folders a descriptor in ``folder`` may name files in: its own; and, when it lies inside
    one, each of the policy's ``roots``: the shipped catalogue (whose example packages name the
    version's schemas, ``../../x.json``), the GitHub Action's workspace (the checkout is the pull
    request's own; a symlink out of it is what must not be followed)."""
    roots = [folder]
    for root in current().roots:
        if root:
            real = os.path.realpath(root)
            if _inside(folder, real):
                roots.append(real)
    return roots
