"""What the page asks for, done on the uploaded files: validate them, repair them, guess their schema.

Why the same calls as the command line: ``territoria.validate`` and
``territoria.fix`` give the page the verdict, errors and repaired copy the
command would give for the same files. Only three things differ, all for the
page's safety and clarity:

- every run is ``offline`` (:mod:`territoria.readers.policy`): a package or a
  schema that names an address gets ``network-refused``, nothing is fetched;
- a schema is a catalogue name or a schema's JSON text, written into the
  job's folder, so the paths it names are held to that folder (a stranger's
  schema cannot make the server read ``/etc/passwd``), and a zip of a data
  package is extracted by :func:`~territoria.readers.compressed.extract_archive`;
- the report speaks of the files by the names the user sent, never of the
  job's folder (which is removed when the report is done).
"""
from __future__ import annotations

import json
import os
import threading
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..readers import SourceProblem, policy
from ..report import Report, Task
from .catalogue import is_catalogue_name
from .uploads import Upload, UploadProblem, refused

#: sample read to estimate the rows of a text file (bytes)
SAMPLE_BYTES = 1 << 20
TEXT_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt", ".ndjson", ".jsonl")


class Cancelled(Exception):
    """The browser went away: the run stops at its next batch."""


@dataclass
class Job:
    """One request's work: its upload, the schema to use, what to validate."""

    upload: Upload
    schema: Optional[str] = None  # a catalogue name, or the path of the schema's JSON text
    packages: list = field(default_factory=list)  # datapackage.json paths
    tables: list = field(default_factory=list)  # paths of the table files
    names: dict = field(default_factory=dict)  # path -> the name the user sent

    @property
    def folder(self) -> str:
        return self.upload.folder


def prepare(upload: Upload) -> Job:
    """Sort the upload into packages (a ``datapackage.json``, a zip holding one) and table files;
    write the schema's JSON text into the folder. UploadProblem when nothing was sent."""
    from ..readers.compressed import extract_archive

    if not upload.files:
        raise refused("no file was sent")
    job = Job(upload, schema=_schema(upload))
    limits = policy.current().limits
    for name, path in upload.files:
        job.names[path] = name
        if name.lower().endswith("datapackage.json"):
            job.packages.append(path)
        elif name.lower().endswith(".zip") and _package_inside(path):
            folder = os.path.join(job.folder, "packages", name)
            os.makedirs(folder, mode=0o700)
            try:
                members = extract_archive(path, folder, limits, name)
            except SourceProblem as problem:
                job.packages.append(Task.failed(name, problem.code, problem.note))
                continue
            descriptor = min((m for m in members if m.rsplit("/", 1)[-1] == "datapackage.json"),
                             key=lambda m: m.count("/"))
            job.packages.append(os.path.join(folder, *descriptor.split("/")))
            os.unlink(path)  # the archive itself is no longer needed
        else:
            job.tables.append(path)
    named = _resources_sent(job)
    job.tables = [path for path in job.tables if job.names[path] not in named]
    return job


def _resources_sent(job: Job) -> set:
    """The names of the files sent beside a ``datapackage.json`` that it names as its resources
    (validated with the package, not a second time on their own)."""
    named: set = set()
    for package in job.packages:
        if not isinstance(package, str) or not package.startswith(job.upload.inbox + os.sep):
            continue
        try:
            with open(package, encoding="utf-8") as handle:
                descriptor = json.load(handle)
        except (OSError, ValueError, RecursionError):
            continue  # the package's own validation says what is wrong with it
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        for resource in resources if isinstance(resources, list) else []:
            paths = resource.get("path") if isinstance(resource, dict) else None
            named.update(p for p in (paths if isinstance(paths, list) else [paths]) if isinstance(p, str))
    return named


def _package_inside(path: str) -> bool:
    """A zip archive whose top (or only top folder) holds a ``datapackage.json``."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return any(n.strip("/").count("/") <= 1 and n.rsplit("/", 1)[-1] == "datapackage.json" for n in names)


def _schema(upload: Upload) -> Optional[str]:
    text = (upload.fields.get("schema") or "").strip()
    if not text:
        return None
    if text.startswith("{"):
        folder = os.path.join(upload.folder, "schema")
        os.mkdir(folder, 0o700)
        path = os.path.join(folder, "schema.json")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        return path
    if is_catalogue_name(text):
        return text
    shown = " ".join(text.split())[:60]
    raise refused(f"the schema must be a catalogue name or the JSON text of a schema (got {shown})")


def estimate_rows(paths: list) -> Optional[int]:
    """About how many rows the files hold (a text file from its first MiB, a Parquet file from its
    metadata), for the progress bar; None when a file cannot say (a spreadsheet)."""
    total = 0
    for path in paths:
        extension = os.path.splitext(path)[1].lower()
        try:
            size = os.path.getsize(path)
            if extension in TEXT_EXTENSIONS:
                with open(path, "rb") as handle:
                    sample = handle.read(SAMPLE_BYTES)
                lines = sample.count(b"\n") or 1
                total += max(int(size * lines / max(len(sample), 1)) - 1, 0)
            elif extension in (".parquet", ".pq"):
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            else:
                return None
        except Exception:  # the estimate is a nicety; the reader will say what is wrong
            return None
    return total


def table_files(job: Job) -> list:
    """Every table file the run will read (the tables sent, and the tables of the packages)."""
    from ..readers import TABULAR_EXTENSIONS

    found = list(job.tables)
    for package in job.packages:
        if isinstance(package, str):
            for folder, _, names in os.walk(os.path.dirname(package)):
                found += [os.path.join(folder, n) for n in names
                          if os.path.splitext(n)[1].lower() in TABULAR_EXTENSIONS and not n.endswith(".json")]
    return found


def validate(job: Job, *, limit_errors: int, progress: Optional[Callable[[int], None]] = None) -> Report:
    """The report of the job's files, as ``territoria validate`` gives it, offline."""
    from ..api import validate as validate_source

    reports = []
    with policy.applied(policy.make(offline=True)):
        for package in job.packages:
            if isinstance(package, Task):
                reports.append(Report(tasks=[package]))
            else:
                reports.append(validate_source(package, job.schema, limit_errors=limit_errors, progress=progress))
        if job.tables:
            source = job.tables if len(job.tables) > 1 else job.tables[0]
            reports.append(validate_source(source, job.schema, limit_errors=limit_errors, progress=progress))
    return shown(Report.combine(reports), job.folder)


@dataclass
class Repaired:
    """The copies of one fix request: the zip to send, and what each file became."""

    archive: str
    report: Report
    files: list  # {"name", "copy", "log", "changes", "valid", "errors"}


def repair(job: Job, *, lang: str, limit_errors: int) -> Repaired:
    """Each table file repaired by ``territoria.fix`` against its table of the schema, into one zip:
    the copies, their change logs, and the copies' reports (JSON and HTML)."""
    from ..fix.runner import fix
    from ..schema import SchemaProblem
    from ..schema.resolve import resolve_schema
    from ..validation.package import match_files
    from ..validation.table import schema_task

    if job.packages:
        raise refused("the repair takes table files, not a data package: send the package's files")
    if job.schema is None:
        raise refused("the repair needs a schema")
    out = os.path.join(job.folder, "out")
    os.mkdir(out, 0o700)
    results, files, taken = [], [], set()
    with policy.applied(policy.make(offline=True)):
        try:
            profile = resolve_schema(job.schema)
            chosen = {path: None for path in job.tables}
            if not profile.lone:
                matched, _ = match_files(job.tables, profile)
                chosen.update({path: name for name, path in matched.items()})
            schemas = {path: profile.table(name) if (profile.lone or name) else job.schema
                       for path, name in chosen.items()}
        except (SchemaProblem, SourceProblem) as problem:
            failed = schema_task(job.schema, problem) if isinstance(problem, SchemaProblem) else \
                Task.failed(job.schema, problem.code, problem.note)
            failed.place = _shown_text(failed.place, job.folder)
            return _archive(job, Report(tasks=[failed]), [], lang)
        for path in job.tables:
            stem = os.path.splitext(job.names[path])[0]
            base = stem
            number = 2
            while base.lower() in taken:
                base, number = f"{stem}-{number}", number + 1
            taken.add(base.lower())
            copy, log = os.path.join(out, f"{base}-fixed.csv"), os.path.join(out, f"{base}-changes.csv")
            result = fix(path, schemas[path], copy, log=log, limit_errors=limit_errors)
            for task in result.report.tasks:
                task.name = base
            results.append(result.report)
            written = os.path.exists(copy)
            files.append({"name": job.names[path], "copy": os.path.basename(copy) if written else None,
                          "log": os.path.basename(log) if written and os.path.exists(log) else None,
                          "changes": dict(result.changes), "valid": result.valid,
                          "errors": result.report.error_count})
    return _archive(job, shown(Report.combine(results), job.folder), files, lang)


def _archive(job: Job, report: Report, files: list, lang: str) -> Repaired:
    """The zip of the copies and logs, with the copies' reports in ``lang``."""
    from ..render import render

    out = os.path.join(job.folder, "out")
    os.makedirs(out, mode=0o700, exist_ok=True)
    path = os.path.join(job.folder, "repaired.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for item in files:
            for key in ("copy", "log"):
                if item[key]:
                    archive.write(os.path.join(out, item[key]), item[key])
        archive.writestr("report.json", render(report, "json", lang))
        archive.writestr("report.html", render(report, "html", lang))
    return Repaired(path, report, files)


# -- the names the user knows ------------------------------------------------------------

def _shown_text(text: str, folder: str) -> str:
    for prefix in ("files", "packages", "schema", "out", ""):
        where = os.path.join(folder, prefix) if prefix else folder
        text = text.replace(where + os.sep, "")
    return text


def _shown(value, folder: str):
    if isinstance(value, str):
        return _shown_text(value, folder) if folder in value else value
    if isinstance(value, list):
        return [_shown(item, folder) for item in value]
    if isinstance(value, tuple):
        return tuple(_shown(item, folder) for item in value)
    if isinstance(value, dict):
        return {key: _shown(item, folder) for key, item in value.items()}
    return value


def shown(report: Report, folder: str) -> Report:
    """The report with every mention of the job's folder removed: ``light_points.csv``,
    ``paquet.zip/light_points.csv``, never ``/tmp/…/files/light_points.csv``."""
    for task in report.tasks:
        task.place = _shown_text(task.place, folder)
        task.errors = _shown(task.errors, folder)
        task.warnings = _shown(task.warnings, folder)
        task.schema = _shown_text(task.schema or "", folder)
    report.errors = _shown(report.errors, folder)
    return report


def repairable(report: Report) -> bool:
    """Whether ``territoria fix`` would repair some listed error of a file the page can repair."""
    from ..fix import repairable as repairs

    return any(not task.could_not_run and any(repairs(error) for error in task.errors) for task in report.tasks)


class Progress:
    """Rows checked so far, read by the page's progress bar from another thread; ``cancel`` stops the run."""

    def __init__(self, estimate: Optional[int] = None):
        self.rows = 0
        self.estimate = estimate
        self.waiting = False  # for its turn: another check is running
        self.cancelled = threading.Event()

    def __call__(self, rows: int) -> None:
        if self.cancelled.is_set():
            raise Cancelled()
        self.rows += rows

    def event(self) -> dict:
        return {"type": "progress", "rows": self.rows, "estimate": self.estimate, "waiting": self.waiting}


def failed_report(problem: UploadProblem, place: str = "") -> Report:
    """The report of a request the page refused to read."""
    return Report(tasks=[Task.failed(place or "upload", problem.code, problem.note)])


def report_summary(report: Report) -> dict:
    return {"valid": report.valid, "status": "failed" if report.could_not_run else
            ("valid" if report.valid else "invalid"), "errors": report.error_count,
            "warnings": report.warning_count, "repairable": repairable(report)}


def header_json(value) -> str:
    """A small JSON value for an HTTP header (ASCII only)."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))

