"""The report for people: verdict first, then counts, then the first errors.

Why this order: a data officer first needs to know whether the file can be
published, then where the problems concentrate (which check, which column),
then a few concrete examples with the hint that says how to fix them.

Why escaped: the report quotes cells, labels and paths a stranger wrote, and
it goes to a terminal or to a CI log. Control characters (ESC, OSC, a bell,
a carriage return, Unicode bidi overrides) are shown as visible escapes
(``\x1b``, ``\n``, ``\u202e``), so a cell can neither drive the terminal nor start
a line of its own — and a line can never begin with ``::``, which a GitHub
runner would execute as a workflow command (``::add-mask::``, ``::error``) when
the command line runs in a plain step.
"""
from __future__ import annotations

import re

from .. import rules
from ..report import Report, Task
from .words import count as counted, place, summary

#: C0 and C1 controls, DEL, line and paragraph separators, bidi embeddings, overrides and isolates
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text) -> str:
    """``text`` with every control character written as a visible escape."""
    text = "" if text is None else str(text)
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                              else f"\\u{ord(m.group()):04x}"), text)


def _no_commands(text: str) -> str:
    """No line begins with ``::`` (after blanks): such a line is given a visible mark first."""
    return "\n".join(f"\u00b7 {line}" if line.lstrip().startswith("::") else line for line in text.split("\n"))

SHOWN_ERRORS = 20

_WORDS = {
    "fr": {
        "valid": "VALIDE", "invalid": "INVALIDE", "failed": "IMPOSSIBLE À VÉRIFIER",
        "rows": "lignes", "errors": "erreurs", "by_type": "Erreurs par type :",
        "by_field": "Erreurs par colonne :", "first": "Premières erreurs :", "row": "ligne",
        "column": "colonne", "value": "valeur", "hint": "conseil :", "warning": "Avertissement",
        "more": "… et {n} autres erreurs (voir --format json ou --limit-errors)",
        "schema": "schéma",
    },
    "en": {
        "valid": "VALID", "invalid": "INVALID", "failed": "COULD NOT BE CHECKED",
        "rows": "rows", "errors": "errors", "by_type": "Errors by type:",
        "by_field": "Errors by column:", "first": "First errors:", "row": "row",
        "column": "column", "value": "value", "hint": "hint:", "warning": "Warning",
        "more": "… and {n} more errors (see --format json or --limit-errors)",
        "schema": "schema",
    },
}


def render(report: Report, lang: str = "en") -> str:
    words = _WORDS.get(lang, _WORDS["en"])
    blocks = [_task_block(task, words, lang) for task in report.tasks]
    for error in report.errors:
        blocks.append(visible(error.get(f"message_{lang}", error.get("message", ""))))
    if len(report.tasks) > 1:
        blocks.append(summary(report.tasks, lang) + ".")
    return _no_commands("\n\n".join(blocks)) + "\n"


def _task_block(task: Task, words: dict, lang: str) -> str:
    if task.could_not_run:
        verdict = words["failed"]
    else:
        verdict = words["valid"] if task.valid else words["invalid"]
    mark = "✓" if task.valid else "✗"
    lines = [f"{mark} {verdict} — {visible(place(task, lang))}"]
    if not task.could_not_run:
        details = f"{counted(task.rows, 'row', lang)}, {counted(task.error_count, 'error', lang)}"
        if task.schema:
            details += f", {words['schema']} {visible(task.schema)}"
        lines.append(f"  {details}")
    for warning in task.warnings:
        lines.append(f"  ! {words['warning']} : {visible(warning[f'message_{lang}'])}" if lang == "fr"
                     else f"  ! {words['warning']}: {visible(warning[f'message_{lang}'])}")
    if task.could_not_run:
        for error in task.errors:
            lines.append(f"  {visible(error.get(f'message_{lang}', error.get('message')))}")
        return "\n".join(lines)
    if task.error_count:
        lines.append("")
        lines.append(f"  {words['by_type']}")
        for code, count in sorted(task.counts_by_type.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = rules.get(code)
            title = rule.title(lang) if rule else code
            lines.append(f"    {count:>8}  {title} ({code})")
        if task.counts_by_field:
            lines.append(f"  {words['by_field']}")
            for name, count in sorted(task.counts_by_field.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {count:>8}  {visible(name)}")
        lines.append(f"  {words['first']}")
        hinted: set = set()  # a rule's general hint is shown once, a hint about the very value always
        for error in task.errors[:SHOWN_ERRORS]:
            lines.append(f"    - {visible(error.get(f'message_{lang}', error.get('message')))}")
            hint = error.get(f"hint_{lang}")
            if hint and (rules.has_specific_hint(error) or error.get("type") not in hinted):
                lines.append(f"      → {words['hint']} {visible(hint)}")
                hinted.add(error.get("type"))
        remaining = task.error_count - min(len(task.errors), SHOWN_ERRORS)
        if remaining > 0:
            lines.append("    " + words["more"].format(n=remaining))
    return "\n".join(lines)
