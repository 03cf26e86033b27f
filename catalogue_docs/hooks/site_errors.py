"""The error catalogue page, generated from the validator's own registries.

Every rule of ``territoria.rules.RULES`` gets a section whose anchor is its
code (``errors/#type-error``), so a message can link to its explanation; every
custom check of ``territoria.checks.CHECKS`` gets one whose anchor is
``check-<name>``. Nothing here is written by hand: a new error type
or check appears on the site at the next build.
"""
from __future__ import annotations

import inspect
import json

SCOPES = {
    "fr": {"source": "Source (lecture du fichier)", "header": "En-tête", "row": "Ligne", "cell": "Cellule",
           "table": "Table", "schema": "Schéma"},
    "en": {"source": "Source (reading the file)", "header": "Header", "row": "Row", "cell": "Cell",
           "table": "Table", "schema": "Schema"},
}
SCOPE_ORDER = ["source", "schema", "header", "row", "cell", "table"]

def _registries():
    """The rules and the custom checks, every check module loaded (each declares its rules)."""
    from territoria import checks, rules

    checks.load_all()
    return rules, dict(checks.CHECKS)


def error_types():
    return _registries()[0].RULES


def _escape_md(value: str) -> str:
    return value.replace("|", "\\|")


def errors_page(lang: str, used_checks: dict | None = None) -> str:
    """``used_checks``: check name → where the catalogue's schemas declare it."""
    rules, checks = _registries()
    used_checks = used_checks or {}
    fr = lang == "fr"
    types = list(rules.RULES.values())
    out = ["# " + ("Catalogue des erreurs" if fr else "Error catalogue"), ""]
    if fr:
        out += ["Chaque erreur ou avertissement que le validateur peut signaler, généré depuis son registre "
                "(`territoria.rules.RULES`) : ce qu'il signifie, un exemple de message et comment le corriger. "
                "Les codes sont ceux de frictionless-py v5 ; l'adresse de chaque section est "
                "`errors/#<code>`.", ""]
    else:
        out += ["Every error or warning the validator can report, generated from its registry "
                "(`territoria.rules.RULES`): what it means, an example message and how to fix it. "
                "Codes are frictionless-py v5's; each section's address is `errors/#<code>`.", ""]
    head = "| Code | " + ("Gravité | Portée | Titre |" if fr else "Severity | Scope | Title |")
    out += [head, "|---|---|---|---|"]
    ordered = sorted(types, key=lambda t: (t.severity != "error", SCOPE_ORDER.index(t.scope)
                                           if t.scope in SCOPE_ORDER else 99, t.code))
    for kind in ordered:
        severity = ("erreur" if kind.severity == "error" else "avertissement") if fr else kind.severity
        out.append(f"| [`{kind.code}`](#{kind.code}) | {severity} | {SCOPES[lang].get(kind.scope, kind.scope)} | "
                   f"{_escape_md(kind.title_fr if fr else kind.title_en)} |")
    out.append("")
    for kind in ordered:
        title = kind.title_fr if fr else kind.title_en
        out += [f"## `{kind.code}` — {title} {{#{kind.code}}}", ""]
        unchecked = kind.scope in ("source", "schema")
        if fr:
            severity = ("Avertissement : à savoir, le fichier reste valide." if kind.severity != "error" else
                        "Erreur : le fichier n'a pas pu être vérifié." if unchecked else
                        "Erreur : le fichier ne respecte pas le schéma.")
        else:
            severity = ("Warning: worth knowing, the file stays valid." if kind.severity != "error" else
                        "Error: the file could not be checked." if unchecked else
                        "Error: the file breaks the schema.")
        out += [f"**Gravité** : {severity}" if fr else f"**Severity**: {severity}",
                "", (f"**Portée** : {SCOPES['fr'].get(kind.scope, kind.scope)}" if fr
                     else f"**Scope**: {SCOPES['en'].get(kind.scope, kind.scope)}"), ""]
        example = kind.example_message(lang)
        out += [("**Ce que dit le rapport**, par exemple :" if fr else "**What the report says**, for example:"),
                "", f"> {example}", ""]
        hint = kind.hint_fr if fr else kind.hint_en
        out += [("**Comment corriger**" if fr else "**How to fix it**"), "", f"> {hint}", ""]
        out += [("En anglais : " if fr else "In French: ")
                + f"*{kind.title_en if fr else kind.title_fr}* — {kind.hint_en if fr else kind.hint_fr}", ""]
    out += [f"## {'Vérifications personnalisées' if fr else 'Custom checks'} {{#custom-checks}}", ""]
    if fr:
        out += ["Règles déclarées dans un schéma sous `custom_checks` (noms compatibles avec Validata), "
                "générées depuis le registre `territoria.checks.CHECKS`.", ""]
    else:
        out += ["Rules declared in a schema under `custom_checks` (names compatible with Validata), generated "
                "from the `territoria.checks.CHECKS` registry.", ""]
    if not checks:
        out += ["*" + ("Aucune vérification personnalisée n'est enregistrée dans cette version du validateur."
                       if fr else "No custom check is registered in this version of the validator.") + "*", ""]
    for name in sorted(set(checks) | set(used_checks)):
        out += [f"### `{name}` {{#check-{name}}}", ""]
        if used_checks.get(name):
            out += [("Déclarée dans : " if fr else "Declared in: ")
                    + ", ".join(f"`{where}`" for where in used_checks[name]), ""]
        cls = checks.get(name)
        if cls is None:
            out += ["!!! warning \"" + ("Non reconnue par cette version du validateur" if fr
                                         else "Not known to this version of the validator") + "\"",
                    "    " + ("Un fichier validé avec un schéma qui la déclare obtient une erreur "
                              "[`schema-error`](#schema-error)." if fr else
                              "A file validated against a schema that declares it gets a "
                              "[`schema-error`](#schema-error)."), ""]
            continue
        doc = inspect.getdoc(cls) or ""
        if doc and not fr:  # docstrings are English: the French page speaks through the rules' words
            out += [doc.split("\n\n")[0].replace("\n", " "), ""]
        for rule in cls.rules:
            title = rule.title_fr if fr else rule.title_en
            severity = ("erreur" if rule.severity == "error" else "avertissement") if fr else rule.severity
            out += [f"- [`{rule.code}`](#{rule.code}) — {title} ({severity}) : {rule.example_message(lang)}"
                    if fr else f"- [`{rule.code}`](#{rule.code}) — {title} ({severity}): {rule.example_message(lang)}"]
        if cls.rules:
            out.append("")
        if cls.example:
            shown = json.dumps(dict(cls.example, name=name), ensure_ascii=False)
            out += ["```json", shown, "```", ""]
    return "\n".join(out) + "\n"
