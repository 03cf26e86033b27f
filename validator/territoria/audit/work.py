"""One resource's check, as a worker process runs it: fetch (if changed), validate, summarise.

Why a plain function over a plain :class:`Job`: the same call runs in a local
worker process and in a Dask task on another machine, so both its argument and
its answer pickle small (the answer is the row's numbers and the JSON report as
text, never a live object). It never raises: whatever happens is an
:class:`Outcome` whose report says it.

Time: the resource has ``job.time_limit`` seconds in all. The download gets what
is left of it as its total deadline (``readers.remote``), and the validation
stops at the first batch past it. The worker pool kills a worker that still runs
shortly after (``workers``): a check that is stuck inside one batch.

Incremental runs: a job may carry the ETag, Last-Modified and SHA-256 of the
previous run's file. The download is then conditional; a 304, or a body with the
same digest, is an unchanged resource, not validated again.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional

#: codes that say the tool could not check the resource, as opposed to what its file holds
TOOL_CODES = frozenset({"scheme-error", "address-refused", "internal-error", "path-refused", "time-limit",
                        "worker-lost"})
#: exit code of a worker that stopped itself for using more memory than allowed
MEMORY_EXIT = 86
#: what the local workers' fork server imports once, so that no worker pays for it on its first resource
PRELOAD = ("territoria.audit.work", "territoria.api", "territoria.render.json", "territoria.checks",
           "territoria.fields.checker", "territoria.fields.constraints", "territoria.readers.csv_reader",
           "territoria.readers.detect", "territoria.readers.remote", "territoria.readers.compressed",
           "territoria.schema.verdict_cache", "regex")


@dataclass
class Job:
    """What a worker needs to check one resource (the listing's metadata stays with the caller)."""

    key: str
    source: str
    kind: str = "url"  # "url" (downloaded here, conditionally), "path", or "package" (validated as given)
    schema: Any = None
    format: Optional[str] = None
    name: str = ""
    warnings: list = field(default_factory=list)  # findings the listing adds to the report (declared schema)
    etag: str = ""  # of the previous run, when its verdict may be kept
    last_modified: str = ""
    sha256: str = ""
    time_limit: float = 120.0
    retries: int = 3
    limit_errors: int = 1000
    lang: str = "en"
    safety: dict = field(default_factory=dict)  # validate()'s trusted, allow_private_network and limits


@dataclass
class Outcome:
    """A check's answer: one summary per table (a package has several), the JSON report, the file's validators."""

    key: str
    unchanged: bool = False
    tables: list = field(default_factory=list)  # dicts: resource, status, errors, warnings, error_types, rows...
    report: str = ""  # the JSON report (render/json), "" when unchanged
    etag: str = ""
    last_modified: str = ""
    sha256: str = ""
    bytes: Optional[int] = None
    seconds: float = 0.0


class Overrun(BaseException):
    """Raised from the validation's progress callback when the time limit is past.

    A BaseException, so that ``territoria.validate`` (which turns any Exception
    into a failed task) lets it through to :func:`check`.
    """


def check(job: Job) -> Outcome:
    """Check one resource; never raises (a failure is an Outcome with a failed report)."""
    started = time.monotonic()
    deadline = started + job.time_limit
    try:
        outcome = _check(job, deadline)
    except Overrun:
        outcome = failed(job, "time-limit", f"{job.source}: not done after {job.time_limit:g} s")
    except Exception as error:  # a bug costs this resource's verdict, never the worker
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        from ..validation.table import one_line

        outcome = failed(job, "internal-error", one_line(error))
    outcome.seconds = round(time.monotonic() - started, 3)
    return outcome


def _check(job: Job, deadline: float) -> Outcome:
    from ..readers import SourceProblem, policy

    chosen = policy.make(job.safety.get("trusted"), job.safety.get("allow_private_network"),
                         job.safety.get("limits") or None)
    if job.kind == "package":
        return _validated(job, job.source, deadline, Outcome(job.key))
    if job.kind == "path":
        digest, size = file_digest(job.source)
        if digest and job.sha256 and digest == job.sha256:
            return Outcome(job.key, unchanged=True, sha256=digest, bytes=size)
        return _validated(job, job.source, deadline, Outcome(job.key, sha256=digest, bytes=size))
    from ..readers.remote import discard, download

    with policy.applied(chosen):
        try:
            got = download(job.source, retries=job.retries, total=max(0.0, deadline - time.monotonic()),
                           etag=job.etag, last_modified=job.last_modified, digest=True)
        except SourceProblem as problem:
            if time.monotonic() >= deadline - 0.05:
                return failed(job, "time-limit", f"{job.source}: not done after {job.time_limit:g} s")
            return failed(job, problem.code, problem.note)
    outcome = Outcome(job.key, etag=got.etag, last_modified=got.last_modified, sha256=got.sha256, bytes=got.size)
    if got.not_modified or (job.sha256 and got.sha256 == job.sha256):
        if got.path:
            discard(got.path)
        outcome.unchanged, outcome.sha256, outcome.bytes = True, job.sha256 or got.sha256, None
        return outcome
    try:
        return _validated(job, got.path, deadline, outcome)
    finally:
        discard(got.path)


def _validated(job: Job, source: str, deadline: float, outcome: Outcome) -> Outcome:
    """Validate the local copy (or the package as given), with the time limit checked at every batch."""
    from ..api import validate
    from ..render import render

    def on_batch(rows: int) -> None:
        if time.monotonic() > deadline:
            raise Overrun()

    safety = dict(job.safety)
    limits = safety.pop("limits", None) or {}
    report = validate(source, job.schema, format=job.format, name=job.name, limit_errors=job.limit_errors,
                      progress=on_batch, trusted=safety.get("trusted"),
                      allow_private_network=safety.get("allow_private_network"), **limits)
    from .. import rules

    for task in report.tasks:
        if job.kind == "url":
            task.place = job.source  # the address, not the temporary copy
        task.warnings.extend(rules.describe(dict(w)) for w in job.warnings)
    outcome.tables = [summary(task, job.lang) for task in report.tasks]
    outcome.report = render(report, "json", job.lang)
    if outcome.bytes is None and len(report.tasks) == 1:
        outcome.bytes = report.tasks[0].bytes
    return outcome


def failed(job: Job, code: str, note: str) -> Outcome:
    """The outcome of a resource that could not be checked: one failed task, and its report."""
    from ..render import render
    from ..report import Report, Task

    report = Report(tasks=[Task.failed(job.source, code, note, name=job.name)])
    task = report.tasks[0]
    return Outcome(job.key, tables=[summary(task, job.lang)], report=render(report, "json", job.lang))


def status_of(task) -> str:
    """``valid``, ``invalid`` (the file breaks its schema, or is not a readable table), or ``failed`` (the
    tool could not check it: no answer, a refused address, a broken schema, a time limit)."""
    from .. import rules

    if task.could_not_run:
        for error in task.errors:
            rule = rules.get(error.get("type", ""))
            if error.get("type") in TOOL_CODES or (rule is not None and rule.scope == "schema"):
                return "failed"
    return "valid" if task.valid else "invalid"


def summary(task, lang: str) -> dict:
    """What the results table keeps of a task (its report holds the rest)."""
    first = task.errors[0] if task.errors else None
    return {"resource": task.name, "status": status_of(task), "errors": task.error_count,
            "warnings": len(task.warnings), "error_types": dict(sorted(task.counts_by_type.items())),
            "rows": task.rows, "bytes": task.bytes, "schema_used": task.schema,
            "message": (first.get(f"message_{lang}") or first.get("message") or "")[:500] if first else ""}


def file_digest(path: str) -> tuple:
    """``(sha256, size)`` of a regular local file, or ``("", None)`` (its validation will say what it is)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return "", None
        hasher, size = hashlib.sha256(), 0
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(chunk)
                size += len(chunk)
        return hasher.hexdigest(), size
    except OSError:
        return "", None


# --- the worker process ------------------------------------------------------------------


def preload() -> list:
    """:data:`PRELOAD` and the field type modules (which the validator imports on first use)."""
    import pkgutil

    from .. import fields

    return list(PRELOAD) + [f"territoria.fields.{m.name}" for m in pkgutil.iter_modules(fields.__path__)
                            if m.name.endswith("_type")]


def start_worker(memory_mib: int, scratch: str) -> None:
    """A local worker's start: temporary files in the run's scratch folder (removed with it, even after a
    killed worker), and a watchdog that stops the worker when it uses more than ``memory_mib`` MiB."""
    if scratch:
        tempfile.tempdir = scratch
    if memory_mib:
        watch = threading.Thread(target=_watch_memory, args=(memory_mib << 20,), name="territoria-memory",
                                 daemon=True)
        watch.start()


def _watch_memory(limit: int) -> None:
    while True:
        if resident_bytes() > limit:
            os._exit(MEMORY_EXIT)  # the pool sees the worker end and reports the resource as worker-lost
        time.sleep(0.1)


def resident_bytes() -> int:
    """The process's resident memory (Linux ``/proc``; elsewhere its peak, from ``getrusage``)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def probe() -> str:
    """What a Dask worker answers before any job: its Territoria version (the same code must run there)."""
    from .. import __version__

    return __version__
