"""The report as GitHub workflow commands: errors become annotations on the data file.

Why physical lines: an error's ``rowNumber`` counts *records* (the header is
record 1), but a quoted cell may span several lines, and GitHub places an
annotation on a line of the file. So the lines are found by scanning the file
with Python's csv module, only as far as the last annotated record and within a
byte budget; the column (``col``) is the first character of the faulty cell.

Why a cap: GitHub shows at most 10 error and 10 warning annotations per step;
they are shared fairly between files (each file's first error first), and a
final notice gives the exact totals.
"""
from __future__ import annotations

import csv
import os
from typing import Optional

from .. import rules
from ..report import Report, Task
from .words import count, summary, totals, word
from ..readers.open import is_url

ERROR_ANNOTATIONS = 10
WARNING_ANNOTATIONS = 10
SCAN_BYTES = 256 << 20  # never read more than this to place annotations

_WORDS = {
    "fr": {"hint": "conseil", "row": "ligne",
           "shown": " {shown} en annotation ; le détail est dans le résumé et le rapport."},
    "en": {"hint": "hint", "row": "row",
           "shown": " {shown} as annotations; see the job summary and the report for the rest."},
}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties) -> str:
    """One workflow command line, e.g. ``::error file=a.csv,line=3,col=5,title=T::message``."""
    shown = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items()
                     if value is not None and value != "")
    return f"::{kind}{' ' + shown if shown else ''}::{escape_data(message)}"


# --- physical positions ----------------------------------------------------

def locate(path: str, encoding: Optional[str], wanted: set, *, max_bytes: int = SCAN_BYTES) -> dict:
    """``{(record, fieldNumber or None): (line, col or None)}`` for the wanted cells of a CSV file.

    ``record`` is the error's rowNumber (header = 1). Cells beyond the byte
    budget, or past the end of the file, are simply absent from the answer.
    """
    from ..readers.detect import SAMPLE_BYTES, detect_dialect

    records = {row for row, _ in wanted if row}
    if not records:
        return {}
    last = max(records)
    encoding = encoding or "utf-8"
    try:
        with open(path, "rb") as handle:
            sample = handle.read(min(SAMPLE_BYTES, max_bytes))
        dialect = detect_dialect(sample.decode(encoding, errors="replace"), encoding).python_dialect()
        handle = open(path, "r", encoding=encoding, errors="replace", newline="")
    except (OSError, LookupError, csv.Error):
        return {}
    found = {}
    raw: list = []
    budget = [max_bytes]

    def lines():
        for line in handle:
            budget[0] -= len(line)
            if budget[0] < 0:
                return
            raw.append(line)
            yield line

    with handle:
        reader = csv.reader(lines(), **dialect)
        record, consumed = 0, 0
        while record < last:
            raw.clear()
            try:
                next(reader)
            except (StopIteration, csv.Error):
                break
            record += 1
            if record in records:
                text = "".join(raw)
                for row, field_number in wanted:
                    if row == record:
                        found[(row, field_number)] = _cell_position(text, consumed + 1, field_number, dialect)
            consumed += len(raw)
    return found


def _cell_position(text: str, first_line: int, field_number: Optional[int], dialect: dict) -> tuple:
    """(line, col) of the start of field ``field_number`` (1-based) in a record's raw text."""
    if not field_number or field_number < 1:
        return first_line, None
    delimiter, quote = dialect["delimiter"], dialect["quotechar"] or '"'
    escape = dialect.get("escapechar")
    field, in_quotes, at_start, i, start = 1, False, True, 0, 0 if field_number == 1 else None
    while start is None and i < len(text):
        char = text[i]
        if in_quotes:
            if escape and char == escape:
                i += 1
            elif char == quote:
                if i + 1 < len(text) and text[i + 1] == quote:
                    i += 1
                else:
                    in_quotes = False
        elif escape and char == escape:
            i += 1
            at_start = False
        elif char == quote and at_start:
            in_quotes = True
            at_start = False
        elif char == delimiter:
            field += 1
            at_start = True
            if field == field_number:
                start = i + 1
        elif char in "\r\n":
            break
        else:
            at_start = False
        i += 1
    if start is None:
        return first_line, None
    before = text[:start]
    newlines = before.count("\n") + before.count("\r") - before.count("\r\n")
    last_break = max(before.rfind("\n"), before.rfind("\r"))
    return first_line + newlines, start - last_break  # 1-based column


# --- annotations -----------------------------------------------------------

def _file_property(task: Task, root: str) -> tuple:
    """(repository-relative path for ``file=``, local path to scan) — (None, None) for URLs."""
    place = task.place or ""
    if not place or is_url(place) or place.startswith("<"):
        return None, None
    local = place if os.path.isabs(place) else os.path.join(root, place)
    relative = os.path.relpath(local, root)
    if relative.startswith(".."):
        return None, local
    return relative.replace(os.sep, "/"), local


def _fair_pick(lists: list, limit: int) -> list:
    """Round-robin over per-file lists: ``[(file index, item index)]``, at most ``limit``."""
    picked, depth = [], 0
    while len(picked) < limit:
        added = False
        for index, items in enumerate(lists):
            if depth < len(items):
                picked.append((index, depth))
                added = True
                if len(picked) == limit:
                    break
        if not added:
            break
        depth += 1
    return sorted(picked)


def _title(item: dict, lang: str, task: Task) -> str:
    rule = rules.get(item.get("type", ""))
    title = rule.title(lang) if rule else item.get("title") or item.get("type", "")
    if item.get("fieldName"):
        title += f" — {item['fieldName']}"
    if is_url(task.place or ""):
        title = f"{task.name or task.place}: {title}"
    if task.sheet:
        title += f" ({task.sheet})"
    return f"Territoria · {title}"


def _message(item: dict, lang: str, task: Task) -> str:
    words = _WORDS.get(lang, _WORDS["en"])
    message = item.get(f"message_{lang}") or item.get("message") or item.get("note", "")
    if is_url(task.place or ""):
        message = f"{task.place}\n{message}"
    hint = item.get(f"hint_{lang}")
    if hint:
        message += f"\n→ {words['hint']} : {hint}" if lang == "fr" else f"\n→ {words['hint']}: {hint}"
    return message


def annotations(report: Report, lang: str = "en", root: Optional[str] = None, *,
                max_errors: int = ERROR_ANNOTATIONS, max_warnings: int = WARNING_ANNOTATIONS) -> list:
    """The ``::error``/``::warning`` lines (capped) and a final ``::notice`` with the exact totals."""
    root = root or os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    words = _WORDS.get(lang, _WORDS["en"])
    tasks = report.tasks
    lines = []
    error_picks = _fair_pick([t.errors for t in tasks], max(max_errors - len(report.errors), 0))
    for error in report.errors[:max_errors]:
        message = error.get(f"message_{lang}") or error.get("message") or error.get("note", "")
        lines.append(command("error", message, title="Territoria"))
    by_task: dict = {}
    for task_index, error_index in error_picks:
        by_task.setdefault(task_index, []).append(error_index)
    for task_index, indexes in by_task.items():
        task = tasks[task_index]
        relative, local = _file_property(task, root)
        chosen = [task.errors[i] for i in indexes]
        positions = {}
        if local and task.format in ("csv", "tsv") and not task.could_not_run:
            wanted = {(e.get("rowNumber") or (1 if e.get("fieldNumber") and _is_header(e) else None),
                       e.get("fieldNumber")) for e in chosen}
            positions = locate(local, task.encoding, {w for w in wanted if w[0]})
        for error in chosen:
            row = error.get("rowNumber")
            if not row and error.get("fieldNumber") and _is_header(error):
                row = 1
            line, col = positions.get((row, error.get("fieldNumber")), (None, None))
            if line is None and row and task.format in ("xlsx", "ods", "xls"):
                line = row  # spreadsheet rows are the line numbers people see
            lines.append(command("error", _message(error, lang, task), file=relative,
                                 line=line, col=col, title=_title(error, lang, task)))
    warning_picks = _fair_pick([t.warnings for t in tasks], max_warnings)
    for task_index, warning_index in warning_picks:
        task = tasks[task_index]
        warning = task.warnings[warning_index]
        relative, _ = _file_property(task, root)
        lines.append(command("warning", _message(warning, lang, task), file=relative,
                             title=_title(warning, lang, task)))
    listed = sum(len(t.errors) for t in tasks)
    separator = " ; " if lang == "fr" else "; "
    total = summary(tasks, lang) + separator + totals(report.error_count, report.warning_count, lang) + "."
    shown = len(error_picks) + min(len(report.errors), max_errors)
    if report.error_count > shown or listed > shown:
        total += words["shown"].format(shown=f"{count(shown, 'error', lang)} {word(shown, 'shown', lang)}")
    lines.append(command("notice", total, title="Territoria"))
    return lines


def _is_header(error: dict) -> bool:
    rule = rules.get(error.get("type", ""))
    return bool(rule and rule.scope == "header")


def render(report: Report, lang: str = "en", root: Optional[str] = None) -> str:
    return "\n".join(annotations(report, lang, root)) + "\n"
