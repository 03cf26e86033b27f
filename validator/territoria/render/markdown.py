"""The report as Markdown: the GitHub job summary, a pull-request comment, an issue.

Why this shape: one table row per file (verdict, rows, errors, warnings) tells
at a glance what can be published; then, per file that failed, the first errors
with their hint. Every value coming from the data is escaped, so a cell holding
``|``, ``<script>`` or ``**`` cannot break the table or inject markup. The page
stays far below GitHub's 1 MiB job-summary limit.
"""
from __future__ import annotations

import html
import re

from .. import rules
from ..report import Report, Task
from .words import count as counted, place, totals

SHOWN_ERRORS = 10  # per file
MAX_CHARS = 900_000

_WORDS = {
    "fr": {
        "title": "Validation Territoria", "file": "Fichier", "verdict": "Verdict", "rows": "Lignes",
        "errors": "Erreurs", "warnings": "Avertissements", "schema": "Schéma",
        "valid": "valide", "invalid": "invalide", "failed": "non vérifiable",
        "row": "Ligne", "column": "Colonne", "value": "Valeur", "problem": "Problème", "hint": "Conseil",
        "first": "Premières erreurs", "more": "… et {n} autres erreurs (voir le rapport complet).",
        "by_type": "Par type", "skipped": "Ressources publiées non vérifiées (pas des tableaux)",
        "all_valid": "✅ **Tous les fichiers sont valides** ({files}).",
        "some_invalid": "❌ **{bad} sur {files} à corriger** — {totals}.",
        "nothing": "Aucun fichier à vérifier.", "truncated": "… résumé tronqué (voir le rapport complet).",
        "warning": "Avertissement",
    },
    "en": {
        "title": "Territoria validation", "file": "File", "verdict": "Verdict", "rows": "Rows",
        "errors": "Errors", "warnings": "Warnings", "schema": "Schema",
        "valid": "valid", "invalid": "invalid", "failed": "could not be checked",
        "row": "Row", "column": "Column", "value": "Value", "problem": "Problem", "hint": "Hint",
        "first": "First errors", "more": "… and {n} more errors (see the full report).",
        "by_type": "By type", "skipped": "Published resources not checked (not tables)",
        "all_valid": "✅ **All files are valid** ({files}).",
        "some_invalid": "❌ **{bad} of {files} need fixing** — {totals}.",
        "nothing": "No file to check.", "truncated": "… summary truncated (see the full report).",
        "warning": "Warning",
    },
}

_SPECIALS = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def escape(value) -> str:
    """Text safe inside Markdown (and a table cell): HTML-escaped, punctuation backslashed, one line."""
    if value is None:
        return ""
    text = html.escape(str(value), quote=False)
    text = _SPECIALS.sub(r"\\\1", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return text.replace("@", "@\u200b")  # no accidental @mentions


def words_for(lang: str) -> dict:
    return _WORDS.get(lang, _WORDS["en"])


def verdict(task: Task, words: dict) -> tuple:
    if task.could_not_run:
        return "⚠️", words["failed"]
    return ("✅", words["valid"]) if task.valid else ("❌", words["invalid"])


def render(report: Report, lang: str = "en", *, skipped: list = (), title: str = "",
           shown_errors: int = SHOWN_ERRORS) -> str:
    words = words_for(lang)
    tasks = report.tasks
    out = [f"## {escape(title or words['title'])}", ""]
    if not tasks and not report.errors:
        out.append(words["nothing"])
        return "\n".join(out) + "\n"
    bad = sum(1 for t in tasks if not t.valid) + (1 if report.errors else 0)
    if bad:
        out.append(words["some_invalid"].format(bad=bad,
                                                files=counted(len(tasks), "file", lang),
                                                totals=totals(report.error_count, report.warning_count, lang)))
    else:
        out.append(words["all_valid"].format(files=counted(len(tasks), "file", lang)))
    out += ["", f"| | {words['file']} | {words['verdict']} | {words['rows']} | {words['errors']} "
                f"| {words['warnings']} | {words['schema']} |",
            "|---|---|---|---:|---:|---:|---|"]
    for task in tasks:
        mark, text = verdict(task, words)
        rows = "" if task.could_not_run else str(task.rows)
        out.append(f"| {mark} | {escape(place(task, lang))} | {text} | {rows} | {task.error_count} "
                   f"| {len(task.warnings)} | {escape(task.schema)} |")
    for error in report.errors:
        out += ["", f"❌ {escape(error.get(f'message_{lang}') or error.get('message', ''))}"]
    if skipped:
        out += ["", f"**{words['skipped']}**", ""]
        for item in skipped:
            out.append(f"- {escape(item.title)} ({escape(item.format or '?')}) — {escape(item.url)}")
    for task in tasks:
        if task.valid and not task.warnings:
            continue
        out += ["", _task_section(task, lang, words, shown_errors)]
    text = "\n".join(out) + "\n"
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + f"\n\n{words['truncated']}\n"
    return text


def _task_section(task: Task, lang: str, words: dict, shown_errors: int) -> str:
    mark, text = verdict(task, words)
    lines = [f"### {mark} {escape(place(task, lang))} — {text}", ""]
    for warning in task.warnings:
        lines.append(f"> ⚠️ {words['warning']} : {escape(warning.get(f'message_{lang}', ''))}" if lang == "fr"
                     else f"> ⚠️ {words['warning']}: {escape(warning.get(f'message_{lang}', ''))}")
    if task.warnings:
        lines.append("")
    if not task.errors:
        return "\n".join(lines).rstrip()
    if task.counts_by_type and not task.could_not_run:
        parts = []
        for code, count in sorted(task.counts_by_type.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = rules.get(code)
            name = rule.title(lang) if rule else code
            parts.append(f"{escape(name)} ({count})")
        lines += [f"{words['by_type']} : " + ", ".join(parts) if lang == "fr"
                  else f"{words['by_type']}: " + ", ".join(parts), ""]
    lines += [f"**{words['first']}**", "",
              f"| {words['row']} | {words['column']} | {words['value']} | {words['problem']} | {words['hint']} |",
              "|---:|---|---|---|---|"]
    for error in task.errors[:shown_errors]:
        row = error.get("rowNumber") or ""
        lines.append(
            f"| {row} | {escape(error.get('fieldName'))} | {escape(_short(error.get('cell')))} "
            f"| {escape(error.get(f'message_{lang}') or error.get('message', ''))} "
            f"| {escape(error.get(f'hint_{lang}', ''))} |")
    remaining = task.error_count - min(len(task.errors), shown_errors)
    if remaining > 0:
        lines += ["", words["more"].format(n=remaining)]
    return "\n".join(lines)


def _short(value, limit: int = 80):
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
