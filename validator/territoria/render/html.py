"""The report as one self-contained HTML page, for people who do not use a terminal.

Why self-contained: the page is attached to a CI run, mailed to a data officer
or printed; it carries its own styles, loads nothing from the network and runs
no script. Every value coming from the data is escaped.
"""
from __future__ import annotations

import datetime as _dt
from html import escape as _escape

from .. import __version__
from .. import rules
from ..report import Report, Task
from .words import count as counted, place

MAX_ROWS_PER_FILE = 1000

_WORDS = {
    "fr": {
        "title": "Rapport de validation Territoria", "generated": "Rapport produit le {when} par Territoria {version}.",
        "valid": "Valide", "invalid": "À corriger", "failed": "Impossible à vérifier",
        "all_valid": "Tous les fichiers sont valides.", "some_invalid": "{bad} sur {files} à corriger.",
        "file": "Fichier", "verdict": "Verdict", "rows": "Lignes", "errors": "Erreurs", "warnings": "Avertissements",
        "schema": "Schéma", "by_type": "Erreurs par type", "by_field": "Erreurs par colonne",
        "count": "Nombre", "type": "Type", "column": "Colonne", "row": "Ligne", "value": "Valeur",
        "problem": "Problème", "hint": "Conseil", "details": "Détail des erreurs",
        "more": "… et {n} autres erreurs, non détaillées ici (les nombres ci-dessus sont exacts).",
        "skipped": "Ressources publiées non vérifiées (ce ne sont pas des tableaux)",
        "summary": "Résumé", "nothing": "Aucun fichier à vérifier.",
        "repairable": "Ce fichier peut être réparé : {n} des erreurs listées disparaissent avec "
                      "territoria fix, qui écrit une copie conforme et le journal de chaque modification :",
        "repairable_page": "Ce fichier peut être réparé : {n} des erreurs listées disparaissent dans la copie "
                           "corrigée, livrée avec le journal de chaque modification.",
        "intro": "Chaque ligne du tableau ci-dessous est un fichier vérifié. Pour un fichier à corriger, "
                 "le détail indique la ligne et la colonne de chaque erreur et comment la corriger.",
    },
    "en": {
        "title": "Territoria validation report", "generated": "Report produced on {when} by Territoria {version}.",
        "valid": "Valid", "invalid": "Needs fixing", "failed": "Could not be checked",
        "all_valid": "All files are valid.", "some_invalid": "{bad} of {files} need fixing.",
        "file": "File", "verdict": "Verdict", "rows": "Rows", "errors": "Errors", "warnings": "Warnings",
        "schema": "Schema", "by_type": "Errors by type", "by_field": "Errors by column",
        "count": "Count", "type": "Type", "column": "Column", "row": "Row", "value": "Value",
        "problem": "Problem", "hint": "Hint", "details": "Errors in detail",
        "more": "… and {n} more errors, not detailed here (the counts above are exact).",
        "skipped": "Published resources not checked (they are not tables)",
        "summary": "Summary", "nothing": "No file to check.",
        "repairable": "This file can be repaired: {n} of the listed errors go away with territoria fix, "
                      "which writes a conformant copy and a log of every change:",
        "repairable_page": "This file can be repaired: {n} of the listed errors go away in the repaired copy, "
                           "which comes with a log of every change.",
        "intro": "Each line of the table below is one checked file. For a file that needs fixing, the "
                 "details give the row and column of each error and how to fix it.",
    },
}

_STYLE = """
:root { --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 2rem auto;
       max-width: 70rem; padding: 0 1rem; color: #1f2328; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; }
.meta { color: #59636e; font-size: .9rem; }
.banner { padding: .8rem 1rem; border-radius: .4rem; font-weight: 600; margin: 1rem 0; }
.banner.ok { background: #dafbe1; color: var(--ok); } .banner.bad { background: #ffebe9; color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.valid { color: var(--ok); font-weight: 600; } .invalid { color: var(--bad); font-weight: 600; }
.failed { color: var(--warn); font-weight: 600; }
.warning { background: #fff8c5; border-left: 4px solid var(--warn); padding: .4rem .6rem; margin: .4rem 0; }
code, .cell { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem;
              white-space: pre-wrap; word-break: break-word; }
.place { word-break: break-all; }
.repair { background: #ddf4ff; border-left: 4px solid #0969da; padding: .4rem .6rem; margin: .4rem 0; }
section.file { border-top: 2px solid var(--line); margin-top: 1.5rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section.file { page-break-before: auto; break-inside: auto; }
  tr { break-inside: avoid; }
  .banner { border: 1px solid #000; }
}
"""


def e(value) -> str:
    return "" if value is None else _escape(str(value), quote=True)


def _verdict(task: Task, words: dict) -> tuple:
    if task.could_not_run:
        return "failed", words["failed"]
    return ("valid", words["valid"]) if task.valid else ("invalid", words["invalid"])


def render(report: Report, lang: str = "en", *, skipped: list = (), title: str = "",
           now: "_dt.datetime | None" = None) -> str:
    words = _WORDS.get(lang, _WORDS["en"])
    when = (now or _dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title or words['title'])}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(title or words['title'])}</h1>",
        f'<p class="meta">{e(words["generated"].format(when=when, version=__version__))}</p>',
        fragment(report, lang, skipped=skipped),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def fragment(report: Report, lang: str = "en", *, skipped: list = (), command: bool = True) -> str:
    """The report's content without its page: verdict, summary, then each file (the local page shows it).

    ``command=False``: a repairable file's line points at the page's repaired copy
    rather than at the ``territoria fix`` command line.
    """
    words = _WORDS.get(lang, _WORDS["en"])
    tasks = report.tasks
    bad = sum(1 for t in tasks if not t.valid) + (1 if report.errors else 0)
    parts = []
    if not tasks and not report.errors:
        parts.append(f"<p>{e(words['nothing'])}</p>")
    else:
        if bad:
            parts.append(f'<p class="banner bad">✗ {e(words["some_invalid"].format(bad=bad, files=counted(len(tasks), "file", lang)))}</p>')
        else:
            parts.append(f'<p class="banner ok">✓ {e(words["all_valid"])}</p>')
        parts.append(f"<p>{e(words['intro'])}</p>")
        parts.append(f"<h2>{e(words['summary'])}</h2>")
        parts.append("<table><thead><tr>" + "".join(
            f"<th>{e(words[k])}</th>" for k in ("file", "verdict", "rows", "errors", "warnings", "schema"))
            + "</tr></thead><tbody>")
        for number, task in enumerate(tasks, start=1):
            css, text = _verdict(task, words)
            parts.append(
                f'<tr><td class="place"><a href="#file-{number}">{e(place(task, lang))}</a></td>'
                f'<td class="{css}">{e(text)}</td>'
                f'<td class="num">{"" if task.could_not_run else task.rows}</td>'
                f'<td class="num">{task.error_count}</td><td class="num">{len(task.warnings)}</td>'
                f"<td>{e(task.schema)}</td></tr>")
        parts.append("</tbody></table>")
        for error in report.errors:
            parts.append(f'<p class="warning">{e(error.get(f"message_{lang}") or error.get("message", ""))}</p>')
    if skipped:
        parts.append(f"<h2>{e(words['skipped'])}</h2><ul>")
        for item in skipped:
            parts.append(f"<li>{e(item.title)} ({e(item.format or '?')}) — <span class=\"place\">{e(item.url)}</span></li>")
        parts.append("</ul>")
    for number, task in enumerate(tasks, start=1):
        parts.append(_task_section(task, number, lang, words, command))
    return "\n".join(parts)


def _repair_line(task: Task, words: dict, command: bool = True) -> str:
    """"This file can be repaired", when ``territoria fix``'s rules would repair some listed errors."""
    from ..fix import repairable

    count = 0 if task.could_not_run else sum(1 for error in task.errors if repairable(error))
    if not count:
        return ""
    if not command:
        return f'<p class="repair">{e(words["repairable_page"].format(n=count))}</p>'
    stem = task.name or "fichier"
    command = f"territoria fix {task.place} --schema SCHEMA --output {stem}-fixed.csv --log {stem}-changes.csv"
    return f'<p class="repair">{e(words["repairable"].format(n=count))} <code>{e(command)}</code></p>'


def _task_section(task: Task, number: int, lang: str, words: dict, command: bool = True) -> str:
    css, text = _verdict(task, words)
    out = [f'<section class="file" id="file-{number}">',
           f'<h2 class="place">{e(place(task, lang))} — <span class="{css}">{e(text)}</span></h2>']
    facts = []
    if not task.could_not_run:
        facts.append(counted(task.rows, "row", lang))
    facts.append(counted(task.error_count, "error", lang))
    if task.schema:
        facts.append(f"{words['schema'].lower()} {task.schema}")
    if task.encoding:
        facts.append(task.encoding)
    out.append(f'<p class="meta">{e(", ".join(facts))}</p>')
    for warning in task.warnings:
        out.append(f'<p class="warning">{e(warning.get(f"message_{lang}") or warning.get("message", ""))}</p>')
    repair = _repair_line(task, words, command)
    if repair:
        out.append(repair)
    if task.counts_by_type and not task.could_not_run and task.error_count:
        out.append(f"<h3>{e(words['by_type'])}</h3><table><thead><tr><th>{e(words['type'])}</th>"
                   f"<th>{e(words['count'])}</th></tr></thead><tbody>")
        for code, count in sorted(task.counts_by_type.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = rules.get(code)
            name = rule.title(lang) if rule else code
            out.append(f"<tr><td>{e(name)} <code>{e(code)}</code></td><td class=\"num\">{count}</td></tr>")
        out.append("</tbody></table>")
    if task.counts_by_field and not task.could_not_run:
        out.append(f"<h3>{e(words['by_field'])}</h3><table><thead><tr><th>{e(words['column'])}</th>"
                   f"<th>{e(words['count'])}</th></tr></thead><tbody>")
        for name, count in sorted(task.counts_by_field.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"<tr><td>{e(name)}</td><td class=\"num\">{count}</td></tr>")
        out.append("</tbody></table>")
    if task.errors:
        out.append(f"<h3>{e(words['details'])}</h3><table><thead><tr>" + "".join(
            f"<th>{e(words[k])}</th>" for k in ("row", "column", "value", "problem", "hint")) + "</tr></thead><tbody>")
        for error in task.errors[:MAX_ROWS_PER_FILE]:
            out.append(
                f'<tr><td class="num">{e(error.get("rowNumber") or "")}</td><td>{e(error.get("fieldName"))}</td>'
                f'<td class="cell">{e(error.get("cell"))}</td>'
                f'<td>{e(error.get(f"message_{lang}") or error.get("message", ""))}</td>'
                f'<td>{e(error.get(f"hint_{lang}", ""))}</td></tr>')
        out.append("</tbody></table>")
        remaining = task.error_count - min(len(task.errors), MAX_ROWS_PER_FILE)
        if remaining > 0:
            out.append(f"<p>{e(words['more'].format(n=remaining))}</p>")
    out.append("</section>")
    return "\n".join(out)
