"""``index.html``: the audit as one self-contained page, for the people who run the portal.

Why one file with everything inside: it is published as a build artefact, mailed,
or opened from a shared folder; it loads nothing from the network and runs no
script. Its charts are SVG drawn at build time (``charts``); every value from a
listing (titles, organisations, addresses) is escaped, and only http(s)
addresses become links. Words in French or English, the report's language.
"""
from __future__ import annotations

import json
import os
from html import escape

from .. import __version__, rules
from . import charts
from .results import replace

TOP = 20

WORDS = {
    "fr": {
        "title": "Audit Territoria", "generated": "Audit du {when}, produit par Territoria {version}.",
        "resources": "Ressources", "valid": "Valides", "invalid": "Invalides", "failed": "Non vérifiées",
        "skipped": "Non tabulaires", "revalidated": "{n} vérifiées à nouveau, {m} inchangées depuis l'audit "
                                                       "précédent.",
        "rate": "Taux de validité (%)", "rate_note": "Taux de validité : les fichiers valides parmi les fichiers "
                                                     "valides et invalides (les ressources non vérifiées à part).",
        "by_schema": "Validité par schéma et version", "by_organization": "Validité par organisation",
        "error_types": "Erreurs les plus fréquentes", "files_with": "Fichiers touchés", "total": "Erreurs",
        "largest": "Les plus gros fichiers", "slowest": "Les fichiers les plus longs à vérifier",
        "trend": "Évolution d'un audit à l'autre", "all": "Toutes les ressources",
        "schema": "Schéma", "version": "Version", "organization": "Organisation", "dataset": "Jeu de données",
        "resource": "Ressource", "status": "Statut", "errors": "Erreurs", "warnings": "Avertissements",
        "rows": "Lignes", "bytes": "Octets", "seconds": "Secondes", "report": "Rapport", "type": "Type",
        "code": "Code", "run": "Audit", "none": "(aucun)", "no_charts": "Les graphiques demandent matplotlib : "
                                                                         "pip install 'territoria[audit]'.",
        "status_valid": "valide", "status_invalid": "invalide", "status_failed": "non vérifiée",
        "status_skipped": "non tabulaire", "listing": "Liste", "message": "Premier problème",
        "unchanged": "inchangée",
    },
    "en": {
        "title": "Territoria audit", "generated": "Audit of {when}, made by Territoria {version}.",
        "resources": "Resources", "valid": "Valid", "invalid": "Invalid", "failed": "Not checked",
        "skipped": "Not tables", "revalidated": "{n} checked again, {m} unchanged since the previous audit.",
        "rate": "Validity rate (%)", "rate_note": "Validity rate: the valid files among the valid and invalid "
                                                  "ones (resources that could not be checked aside).",
        "by_schema": "Validity by schema and version", "by_organization": "Validity by organisation",
        "error_types": "Most frequent errors", "files_with": "Files with it", "total": "Errors",
        "largest": "Largest files", "slowest": "Slowest files to check",
        "trend": "From one audit to the next", "all": "All resources",
        "schema": "Schema", "version": "Version", "organization": "Organisation", "dataset": "Dataset",
        "resource": "Resource", "status": "Status", "errors": "Errors", "warnings": "Warnings",
        "rows": "Rows", "bytes": "Bytes", "seconds": "Seconds", "report": "Report", "type": "Type",
        "code": "Code", "run": "Audit", "none": "(none)", "no_charts": "The charts need matplotlib: "
                                                                        "pip install 'territoria[audit]'.",
        "status_valid": "valid", "status_invalid": "invalid", "status_failed": "not checked",
        "status_skipped": "not a table", "listing": "Listing", "message": "First problem",
        "unchanged": "unchanged",
    },
}

STYLE = """
:root { --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 2rem auto;
       max-width: 78rem; padding: 0 1rem; color: #1f2328; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.5rem; }
.valid b, td.valid { color: var(--ok); } .invalid b, td.invalid { color: var(--bad); }
.failed b, td.failed { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .6rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { max-width: 100%; height: auto; } .note { color: #59636e; font-size: .9rem; }
.warning { border-left: 4px solid var(--warn); padding: .3rem .8rem; background: #fff8c5; }
td.wrap { word-break: break-all; max-width: 24rem; }
"""


def write_dashboard(output: str, audit, lang: str = "en") -> str:
    """Write ``output/index.html``; returns its path."""
    path = os.path.join(output, "index.html")
    page = render(audit, lang)
    replace(path, lambda handle: handle.write(page.encode("utf-8")))
    return path


def render(audit, lang: str = "en") -> str:
    words = WORDS.get(lang, WORDS["en"])
    rows = audit.rows
    parts = [f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>{escape(words['title'])}</title><style>{STYLE}</style></head><body>",
             f"<h1>{escape(words['title'])}</h1>",
             f"<p class=\"note\">{escape(words['generated'].format(when=audit.run_at, version=__version__))}</p>"]
    parts.append(_cards(audit, words, lang))
    for warning in audit.warnings:
        parts.append(f"<p class=\"warning\">{escape(warning.get(f'message_{lang}') or warning.get('message', ''))}</p>")
    if not charts.available():
        parts.append(f"<p class=\"note\">{escape(words['no_charts'])}</p>")
    parts.append(_trend(audit.history, words, lang))
    parts.append(_validity(rows, "schema", words, lang))
    parts.append(_validity(rows, "organization", words, lang))
    parts.append(_error_types(rows, words, lang))
    parts.append(_top(rows, "bytes", words["largest"], words, lang))
    parts.append(_top(rows, "seconds", words["slowest"], words, lang))
    parts.append(_all(rows, words, lang))
    parts.append("</body></html>\n")
    return "".join(parts)


def _number(value, lang: str, digits: int = 0) -> str:
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def _cards(audit, words: dict, lang: str) -> str:
    cards = [("", words["resources"], len(audit.rows))]
    cards += [(status, words[status], audit.count(status)) for status in ("valid", "invalid", "failed", "skipped")]
    checked = audit.count("valid") + audit.count("invalid")
    html = "".join(f"<div class=\"card {status}\"><b>{_number(n, lang)}</b>{escape(label)}</div>"
                   for status, label, n in cards)
    if checked:
        html += f"<div class=\"card\"><b>{_number(100 * audit.count('valid') / checked, lang)} %</b>" \
                f"{escape(words['rate'].replace(' (%)', ''))}</div>"
    checked_again, unchanged = audit.revalidated, audit.unchanged
    return f"<div class=\"cards\">{html}</div><p class=\"note\">" \
           f"{escape(words['revalidated'].format(n=_number(checked_again, lang), m=_number(unchanged, lang)))}" \
           f" {escape(words['rate_note'])}</p>"


def _labels(words: dict) -> dict:
    return {"valid": words["valid"], "invalid": words["invalid"], "failed": words["failed"],
            "resources": words["resources"], "rate": words["rate"]}


def _trend(history: list, words: dict, lang: str) -> str:
    runs: dict = {}
    for line in history:
        run = runs.setdefault(line["run_at"], [0, 0, 0])
        run[0] += line.get("valid") or 0
        run[1] += line.get("invalid") or 0
        run[2] += line.get("resources") or 0
    points = [(when, 100 * v / (v + i) if v + i else 0.0, n) for when, (v, i, n) in sorted(runs.items())]
    svg = charts.trend(points, _labels(words), "trend")
    if len(points) < 2:
        return ""
    table = "".join(f"<tr><td>{escape(when)}</td><td class=\"n\">{_number(rate, lang, 1)}</td>"
                    f"<td class=\"n\">{_number(n, lang)}</td></tr>"
                    for when, rate, n in points[-TOP:])
    return f"<h2>{escape(words['trend'])}</h2><div class=\"chart\">{svg}</div><table><tr>" \
           f"<th>{escape(words['run'])}</th><th>{escape(words['rate'])}</th><th>{escape(words['resources'])}</th>" \
           f"</tr>{table}</table>"


def _validity(rows: list, by: str, words: dict, lang: str) -> str:
    groups: dict = {}
    for row in rows:
        if row["status"] == "skipped":
            continue
        if by == "schema":
            label = row["schema"] + (f"@{row['schema_version']}" if row["schema_version"] else "")
        else:
            label = row["organization"]
        counts = groups.setdefault(label or words["none"], {"valid": 0, "invalid": 0, "failed": 0})
        counts[row["status"]] += 1
    ordered = sorted(groups.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    shown = [(label, c["valid"], c["invalid"], c["failed"]) for label, c in ordered[:TOP]]
    title = words["by_schema"] if by == "schema" else words["by_organization"]
    svg = charts.validity(shown, _labels(words), f"validity-{by}")
    head = words["schema"] if by == "schema" else words["organization"]
    lines = []
    for label, c in ordered:
        checked = c["valid"] + c["invalid"]
        rate = _number(100 * c["valid"] / checked, lang, 1) if checked else ""
        lines.append(f"<tr><td>{escape(label)}</td><td class=\"n\">{sum(c.values())}</td>"
                     f"<td class=\"n valid\">{c['valid']}</td><td class=\"n invalid\">{c['invalid']}</td>"
                     f"<td class=\"n failed\">{c['failed']}</td><td class=\"n\">{rate}</td></tr>")
    return f"<h2>{escape(title)}</h2><div class=\"chart\">{svg}</div><table><tr><th>{escape(head)}</th>" \
           f"<th>{escape(words['resources'])}</th><th>{escape(words['valid'])}</th><th>{escape(words['invalid'])}</th>" \
           f"<th>{escape(words['failed'])}</th><th>{escape(words['rate'])}</th></tr>{''.join(lines)}</table>"


def _error_types(rows: list, words: dict, lang: str) -> str:
    files: dict = {}
    totals: dict = {}
    for row in rows:
        types = row["error_types"]
        if isinstance(types, str):
            try:
                types = json.loads(types or "{}")
            except ValueError:
                types = {}
        for code, number in (types or {}).items():
            files[code] = files.get(code, 0) + 1
            totals[code] = totals.get(code, 0) + int(number or 0)
    if not files:
        return ""
    ordered = sorted(files, key=lambda code: (-files[code], code))
    svg = charts.bars([(_title(code, lang), files[code]) for code in ordered[:15]], words["files_with"],
                      "error-types")
    lines = "".join(f"<tr><td>{escape(_title(code, lang))}</td><td><code>{escape(code)}</code></td>"
                    f"<td class=\"n\">{_number(files[code], lang)}</td><td class=\"n\">{_number(totals[code], lang)}"
                    f"</td></tr>" for code in ordered)
    return f"<h2>{escape(words['error_types'])}</h2><div class=\"chart\">{svg}</div><table><tr>" \
           f"<th>{escape(words['type'])}</th><th>{escape(words['code'])}</th><th>{escape(words['files_with'])}</th>" \
           f"<th>{escape(words['total'])}</th></tr>{lines}</table>"


def _title(code: str, lang: str) -> str:
    from .. import checks

    checks.load_all()  # the custom checks' rules are declared when they load
    rule = rules.get(code)
    return rule.title(lang) if rule else code


def _top(rows: list, column: str, title: str, words: dict, lang: str) -> str:
    found = sorted((row for row in rows if row.get(column)), key=lambda row: -(row[column] or 0))[:10]
    if not found:
        return ""
    lines = "".join(f"<tr><td>{_resource(row)}</td><td>{escape(row['organization'])}</td>"
                    f"<td class=\"n\">{_number(row[column], lang, 2 if column == 'seconds' else 0)}</td>"
                    f"<td class=\"n\">{_number(row['rows'], lang)}</td><td class=\"{row['status']}\">"
                    f"{escape(words['status_' + row['status']])}</td><td>{_report(row, words)}</td></tr>"
                    for row in found)
    return f"<h2>{escape(title)}</h2><table><tr><th>{escape(words['resource'])}</th>" \
           f"<th>{escape(words['organization'])}</th><th>{escape(words[column])}</th><th>{escape(words['rows'])}</th>" \
           f"<th>{escape(words['status'])}</th><th>{escape(words['report'])}</th></tr>{lines}</table>"


def _resource(row: dict) -> str:
    name = escape(row["resource"] or row["url"])
    url = row["url"] or ""
    if url.lower().startswith(("http://", "https://")):
        return f"<a href=\"{escape(url, quote=True)}\">{name}</a>"
    return name


def _report(row: dict, words: dict) -> str:
    if not row.get("report"):
        return ""
    return f"<a href=\"{escape(row['report'], quote=True)}\">{escape(words['report'])}</a>"


def _all(rows: list, words: dict, lang: str) -> str:
    lines = []
    for row in rows:
        status = escape(words["status_" + row["status"]])
        if not row["revalidated"] and row["status"] != "skipped":
            status += f" <span class=\"note\">({escape(words['unchanged'])})</span>"
        schema = row["schema"] + (f"@{row['schema_version']}" if row["schema_version"] else "")
        lines.append(f"<tr><td class=\"{row['status']}\">{status}</td><td>{escape(row['dataset'])}</td>"
                     f"<td>{escape(row['organization'])}</td><td class=\"wrap\">{_resource(row)}</td>"
                     f"<td class=\"wrap\">{escape(schema)}</td><td class=\"n\">{_number(row['errors'], lang)}</td>"
                     f"<td class=\"n\">{_number(row['warnings'], lang)}</td><td class=\"n\">{_number(row['rows'], lang)}"
                     f"</td><td class=\"wrap\">{escape(row.get('message') or '')}</td><td>{_report(row, words)}</td>"
                     f"</tr>")
    return f"<h2>{escape(words['all'])} ({_number(len(rows), lang)})</h2><table><tr>" \
           f"<th>{escape(words['status'])}</th><th>{escape(words['dataset'])}</th>" \
           f"<th>{escape(words['organization'])}</th><th>{escape(words['resource'])}</th>" \
           f"<th>{escape(words['schema'])}</th><th>{escape(words['errors'])}</th><th>{escape(words['warnings'])}</th>" \
           f"<th>{escape(words['rows'])}</th><th>{escape(words['message'])}</th><th>{escape(words['report'])}</th>" \
           f"</tr>{''.join(lines)}</table>"
