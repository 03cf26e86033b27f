"""The report for people: verdict first, then counts, then the first errors.

Why this order: a data officer first needs to know whether the file can be
published, then where the problems concentrate (which check, which column),
then a few concrete examples with the hint that says how to fix them.
"""
from __future__ import annotations

from .. import rules
from ..report import Report, Task
from .words import count as counted, summary

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
        blocks.append(error.get(f"message_{lang}", error.get("message", "")))
    if len(report.tasks) > 1:
        blocks.append(summary(report.tasks, lang) + ".")
    return "\n\n".join(blocks) + "\n"


def _task_block(task: Task, words: dict, lang: str) -> str:
    if task.could_not_run:
        verdict = words["failed"]
    else:
        verdict = words["valid"] if task.valid else words["invalid"]
    mark = "✓" if task.valid else "✗"
    lines = [f"{mark} {verdict} — {task.place}"]
    if not task.could_not_run:
        details = f"{counted(task.rows, 'row', lang)}, {counted(task.error_count, 'error', lang)}"
        if task.schema:
            details += f", {words['schema']} {task.schema}"
        lines.append(f"  {details}")
    for warning in task.warnings:
        lines.append(f"  ! {words['warning']} : {warning[f'message_{lang}']}" if lang == "fr"
                     else f"  ! {words['warning']}: {warning[f'message_{lang}']}")
    if task.could_not_run:
        for error in task.errors:
            lines.append(f"  {error.get(f'message_{lang}', error.get('message'))}")
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
                lines.append(f"    {count:>8}  {name}")
        lines.append(f"  {words['first']}")
        hinted: set = set()  # a rule's general hint is shown once, a hint about the very value always
        for error in task.errors[:SHOWN_ERRORS]:
            lines.append(f"    - {error.get(f'message_{lang}', error.get('message'))}")
            hint = error.get(f"hint_{lang}")
            if hint and (rules.has_specific_hint(error) or error.get("type") not in hinted):
                lines.append(f"      → {words['hint']} {hint}")
                hinted.add(error.get("type"))
        remaining = task.error_count - min(len(task.errors), SHOWN_ERRORS)
        if remaining > 0:
            lines.append("    " + words["more"].format(n=remaining))
    return "\n".join(lines)
