"""An audit from start to end: listing → jobs → workers → rows → results, history and dashboard.

Why the caller sees rows as they come: the command line's progress bar, and a
portal's pipeline that wants to act on each broken file, follow the run while
the workers still work. The reports are written as the answers arrive, so the
parent's memory holds rows, never reports.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Optional

from . import results, state, work
from .listing import Listing, Resource


@dataclass
class Options:
    """How an audit runs (the command line's flags)."""

    output: str
    workers: int = 0  # 0: one per core
    scheduler: str = ""  # a Dask scheduler's address: run there instead
    time_limit: float = 120.0
    retries: int = 3
    limit_errors: int = 1000
    worker_memory: int = 2048  # MiB per local worker; 0: unbounded
    lang: str = "en"
    safety: dict = field(default_factory=dict)  # trusted, allow_private_network, limits (by Limits field)


@dataclass
class Audit:
    rows: list
    warnings: list
    history: list
    run_at: str

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row["status"] == status)

    @property
    def revalidated(self) -> int:
        """Resources checked in this run (a listing's failure included, what is not a table left out)."""
        return sum(1 for row in self.rows if row["revalidated"] and row["status"] != "skipped")

    @property
    def unchanged(self) -> int:
        """Resources whose verdict of an earlier run stands (the file did not change)."""
        return sum(1 for row in self.rows if not row["revalidated"] and row["status"] != "skipped")


def run_audit(listing: Listing, options: Options, on_row: Optional[Callable] = None) -> Audit:
    """Check every resource of ``listing``; write ``options.output``'s results, reports, history, dashboard."""
    from .workers import DaskWorkers, LocalWorkers

    output = options.output
    os.makedirs(os.path.join(output, results.REPORTS), exist_ok=True)
    run_at = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    settings = state.settings_of(options.limit_errors, options.safety)
    previous = state.Previous.load(output)
    rows: dict = {}
    by_key = {resource.key: resource for resource in listing.resources}
    order = {resource.key: number for number, resource in enumerate(listing.resources)}
    jobs, kept = [], {}

    finished: set = set()  # resources done (a package gives several rows)

    def emit(row: dict) -> None:
        rows[row["key"]] = row
        finished.add(row["key"].split("#", 1)[0])
        if on_row:
            on_row(row, len(finished), len(listing.resources))

    for resource in listing.resources:
        if resource.skipped:
            emit(_row(resource, "skipped", run_at, settings))
        elif resource.problem:
            outcome = work.failed(_job(resource, options), *resource.problem)
            emit(_merge(resource, outcome, None, output, run_at, settings)[0])
        else:
            old = previous.reusable(resource, settings)
            if old is not None:
                kept[resource.key] = old
            jobs.append(_job(resource, options, old))

    def arrived(outcome: work.Outcome) -> None:
        resource = by_key[outcome.key]
        for row in _merge(resource, outcome, kept.get(outcome.key), output, run_at, settings):
            emit(row)

    scratch = tempfile.mkdtemp(prefix="territoria-audit-")
    try:
        if jobs:
            backend = DaskWorkers(options.scheduler) if options.scheduler else \
                LocalWorkers(options.workers, memory_mib=options.worker_memory, scratch=scratch)
            with backend:
                backend.run(jobs, arrived)
    finally:  # what killed workers left behind goes too
        shutil.rmtree(scratch, ignore_errors=True)
    # written only once the run is whole: an interrupted run leaves the previous results as they were
    done = sorted(rows.values(), key=_place(order))
    results.write_results(output, done)
    history = state.append_history(output, done, run_at)
    audit = Audit(done, list(listing.warnings), history, run_at)
    from .dashboard import write_dashboard

    write_dashboard(output, audit, options.lang)
    return audit


def _place(order: dict) -> Callable:
    """A row's place in the results: its resource's in the listing, then its table's in a package."""
    def place(row: dict) -> tuple:
        key, _, table = row["key"].partition("#")
        return order.get(key, 0), int(table or 0)

    return place


def _job(resource: Resource, options: Options, old: Optional[dict] = None) -> work.Job:
    job = work.Job(key=resource.key, source=resource.source, kind=resource.kind, schema=resource.schema,
                   format=resource.format, name=resource.title, warnings=list(resource.warnings),
                   time_limit=options.time_limit, retries=options.retries, limit_errors=options.limit_errors,
                   lang=options.lang, safety=dict(options.safety))
    if old is not None:
        job.etag, job.last_modified, job.sha256 = old.get("etag") or "", old.get("last_modified") or "", old["sha256"]
    return job


def _row(resource: Resource, status: str, run_at: str, settings: str) -> dict:
    return {"key": resource.key, "dataset": resource.dataset, "organization": resource.organization,
            "resource": resource.title, "url": resource.source, "format": resource.format or "",
            "schema": resource.schema_name, "schema_version": resource.schema_version,
            "declared_schema": resource.declared, "status": status, "errors": 0, "warnings": 0, "error_types": {},
            "rows": 0, "bytes": None, "seconds": 0.0, "checked_at": run_at, "sha256": "", "message": "",
            "etag": "", "last_modified": "", "revalidated": status != "skipped", "report": "",
            "settings": settings}


def _merge(resource: Resource, outcome: work.Outcome, old: Optional[dict], output: str, run_at: str,
           settings: str) -> list:
    """The row(s) of an outcome: the previous row again when unchanged, else one per table checked."""
    if outcome.unchanged and old is not None:
        return [dict(old, dataset=resource.dataset, organization=resource.organization, resource=resource.title,
                     revalidated=False, etag=outcome.etag or old.get("etag") or "",
                     last_modified=outcome.last_modified or old.get("last_modified") or "")]
    report = results.write_report(output, resource.key, outcome.report) if outcome.report else ""
    made = []
    for number, table in enumerate(outcome.tables or [{}]):
        row = _row(resource, table.get("status", "failed"), run_at, settings)
        row.update(errors=table.get("errors", 0), warnings=table.get("warnings", 0),
                   error_types=table.get("error_types", {}), rows=table.get("rows", 0),
                   bytes=outcome.bytes if outcome.bytes is not None else table.get("bytes"),
                   seconds=outcome.seconds, sha256=outcome.sha256, etag=outcome.etag,
                   last_modified=outcome.last_modified, message=table.get("message", ""), report=report)
        if len(outcome.tables) > 1:  # a package: one row per table, each its own key
            row["key"] = f"{resource.key}#{number}"
            row["resource"] = table.get("resource") or row["resource"]
            row["bytes"] = table.get("bytes")
        if not row["schema"] and table.get("schema_used"):
            row["schema"] = table["schema_used"]
        made.append(row)
    return made
