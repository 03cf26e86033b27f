"""The error catalogue page, generated from the validator's own registries.

Every error type of ``territoria.errors.ERROR_TYPES`` gets a section whose
anchor is its code (``errors/#type-error``), so a message can link to its
explanation; every custom check of ``territoria.checks.CHECKS`` gets one whose
anchor is ``check-<name>``. Nothing here is written by hand: a new error type
or check appears on the site at the next build.
"""
from __future__ import annotations

import inspect

SCOPES = {
    "fr": {"source": "Source (lecture du fichier)", "header": "En-tête", "row": "Ligne", "cell": "Cellule",
           "table": "Table", "schema": "Schéma"},
    "en": {"source": "Source (reading the file)", "header": "Header", "row": "Row", "cell": "Cell",
           "table": "Table", "schema": "Schema"},
}
SCOPE_ORDER = ["source", "schema", "header", "row", "cell", "table"]

#: Plausible values used to show an example message when the registry gives none.
SAMPLE = {
    "rowNumber": 4, "fieldNumber": 3, "fieldName": "latitude", "label": "lat", "cell": "45,18879",
    "previousRow": 2, "fieldNames": ["container_id", "measured_at"],
}
SAMPLE_NOTES = {
    "source-error": "file is empty",
    "scheme-error": "No such file or directory: mesures.csv",
    "format-error": "not a zip file",
    "encoding-error": "invalid start byte at position 1234",
    "schema-error": "fields/2: 'type' must be one of string, number, integer…",
    "duplicate-label": "at columns 2 and 5",
    "type-error": 'type is "number/default"',
    "constraint-error": 'constraint "maximum" is "90"',
    "foreign-key": 'for "control_cabinet_id": values "AC-12" not found in the lookup table "control_cabinets"',
    "dialect-warning": "the cp1252 encoding and the semicolon ; delimiter",
    "error-limit-warning": "1000",
    "internal-error": "ValueError: …",
}


def _registries():
    from territoria import rules as errors

    checks = {}
    try:
        from territoria import checks as checks_module

        loader = getattr(checks_module, "_load_check_modules", None)
        if loader:
            loader()
        checks = dict(getattr(checks_module, "CHECKS", {}))
    except ImportError:
        pass
    return errors, checks


def example_error(code: str) -> dict:
    error = dict(SAMPLE)
    error["type"] = code
    error["note"] = SAMPLE_NOTES.get(code, "…")
    if code == "extra-label":
        error["label"] = "commentaire"
    return error


def error_types():
    errors, _checks = _registries()
    return errors.ERROR_TYPES


def _escape_md(value: str) -> str:
    return value.replace("|", "\\|")


def errors_page(lang: str, used_checks: dict | None = None) -> str:
    """``used_checks``: check name → where the catalogue's schemas declare it."""
    errors, checks = _registries()
    used_checks = used_checks or {}
    fr = lang == "fr"
    types = list(errors.ERROR_TYPES.values())
    out = ["# " + ("Catalogue des erreurs" if fr else "Error catalogue"), ""]
    if fr:
        out += ["Chaque erreur ou avertissement que le validateur peut signaler, généré depuis son registre "
                "(`territoria.errors.ERROR_TYPES`) : ce qu'il signifie, un exemple de message et comment le corriger. "
                "Les codes sont ceux de frictionless-py v5 ; l'adresse de chaque section est "
                "`errors/#<code>`.", ""]
    else:
        out += ["Every error or warning the validator can report, generated from its registry "
                "(`territoria.errors.ERROR_TYPES`): what it means, an example message and how to fix it. "
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
        severity = ("Erreur : le fichier ne respecte pas le schéma." if kind.severity == "error"
                    else "Avertissement : à savoir, le fichier reste valide.") if fr else \
            ("Error: the file breaks the schema." if kind.severity == "error"
             else "Warning: worth knowing, the file stays valid.")
        out += [f"**Gravité** : {severity}" if fr else f"**Severity**: {severity}",
                "", (f"**Portée** : {SCOPES['fr'].get(kind.scope, kind.scope)}" if fr
                     else f"**Scope**: {SCOPES['en'].get(kind.scope, kind.scope)}"), ""]
        template = kind.message_fr if fr else kind.message_en
        out += [("**Ce que cela signifie** — modèle du message :" if fr else "**What it means** — message template:"),
                "", "```text", template, "```", ""]
        if kind.example:
            example = kind.example
        else:
            example = errors.message(example_error(kind.code), lang)
        out += [("**Exemple**" if fr else "**Example**"), "", "```text", example, "```", ""]
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
        for attribute in (f"title_{lang}", "title", f"description_{lang}", "description"):
            value = getattr(cls, attribute, None)
            if isinstance(value, str) and value:
                out += [value, ""]
                break
        doc = inspect.getdoc(cls) or ""
        if doc:
            out += [doc.split("\n\n")[0].replace("\n", " "), ""]
        codes = []
        for attribute in ("code", "error_type", "codes", "error_types"):
            value = getattr(cls, attribute, None)
            if isinstance(value, str) and value:
                codes.append(value)
            elif isinstance(value, (list, tuple, set)):
                codes.extend(v for v in value if isinstance(v, str))
        codes = [c for c in dict.fromkeys(codes)]
        if codes:
            links = ", ".join(f"[`{c}`](#{c})" if c in errors.ERROR_TYPES else f"`{c}`" for c in codes)
            out += [("Erreurs signalées : " if fr else "Reports: ") + links, ""]
        example = getattr(cls, "example", None)
        if isinstance(example, (str, dict)) and example:
            import json

            shown = example if isinstance(example, str) else json.dumps(example, ensure_ascii=False)
            out += ["```json", shown, "```", ""]
    return "\n".join(out) + "\n"
