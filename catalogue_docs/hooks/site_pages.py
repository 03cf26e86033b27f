"""Markdown of the generated pages, in French (``x.md``) and English (``x.en.md``).

Each function returns the Markdown of one page for one language; ``pages()``
maps every page path (in the i18n plugin's suffix layout) to its text. Tables
are raw HTML, since field references need several lines per cell, and links
to downloads are raw HTML too: they point at files written after the build
(see site_downloads), which MkDocs does not know about.
"""
from __future__ import annotations

import html
import json
import os
import re

from site_downloads import template_paths, validata_path
from site_model import Entry, Version, text

LANGS = ("fr", "en")

WORDS = {
    "fr": {
        "field": "Champ", "title_desc": "Titre et description", "type": "Type", "unit": "Unité",
        "required": "Obligatoire", "constraints": "Contraintes", "allowed": "Valeurs autorisées",
        "example": "Exemple", "yes": "oui", "no": "non", "latest": "dernière", "version": "Version",
        "versions": "Versions", "overview": "Présentation", "changelog": "Journal des modifications",
        "examples": "Exemples", "fields": "Référence des champs", "downloads": "Téléchargements", "validata": "Pour Validata",
        "diagram": "Tables et clés", "primary_key": "Clé primaire", "foreign_key": "Clé étrangère",
        "template_csv": "Modèle CSV", "template_xlsx": "Modèle XLSX", "schema": "Schéma (Table Schema)",
        "table": "Table", "use_cases": "Cas d'usage", "errors": "Catalogue des erreurs",
        "validate": "Valider un fichier", "home": "Accueil", "privacy": "Vie privée et données personnelles",
        "readme": "Documentation du cas d'usage", "sources": "Sources",
        "keys": "Clés", "references": "référence", "self": "la table elle-même",
        "valid_set": "Jeu valide", "invalid_set": "Jeu invalide", "expected": "Erreurs attendues",
        "warning_set": "Jeu valide avec avertissements", "expected_warnings": "Avertissements attendus",
        "files": "Fichiers", "row": "ligne", "all_examples": "Tous les exemples (ZIP)",
        "datapackage": "Profil Data Package (datapackage.json)", "latest_address": "Adresse stable de la dernière version",
        "check": "Vérification", "custom_checks": "Vérifications personnalisées",
        "reference_of": "Référence des champs", "see_fields": "Voir la référence des champs",
        "validate_cmd": "Valider un fichier avec ce schéma",
        "major_address": "Adresse stable de la version majeure {major} (reçoit ses mineures, jamais une rupture)",
        "fiware": "Correspondance FIWARE (NGSI-LD)", "entity": "Entité", "attribute": "Attribut FIWARE",
        "kind": "Nature", "conversion": "Conversion", "no_equivalent": "pas d'équivalent",
        "fiware_download": "Correspondance lisible par machine (fiware-mapping.json)",
        "warning": "avertissement", "legacy": "Export historique à réparer",
        "legacy_text": "Un export réel d'avant le schéma (noms de colonnes et codes français), avec la correspondance "
                       "qui le transforme en ses exemples valides (elle nomme son export et sa table) : "
                       "`territoria fix --mapping mapping.yml --output copie.csv`.",
    },
    "en": {
        "field": "Field", "title_desc": "Title and description", "type": "Type", "unit": "Unit",
        "required": "Required", "constraints": "Constraints", "allowed": "Allowed values",
        "example": "Example", "yes": "yes", "no": "no", "latest": "latest", "version": "Version",
        "versions": "Versions", "overview": "Overview", "changelog": "Changelog",
        "examples": "Examples", "fields": "Field reference", "downloads": "Downloads", "validata": "For Validata",
        "diagram": "Tables and keys", "primary_key": "Primary key", "foreign_key": "Foreign key",
        "template_csv": "CSV template", "template_xlsx": "XLSX template", "schema": "Schema (Table Schema)",
        "table": "Table", "use_cases": "Use cases", "errors": "Error catalogue",
        "validate": "Validate your file", "home": "Home", "privacy": "Privacy and personal data",
        "readme": "About this use case", "sources": "Sources",
        "keys": "Keys", "references": "references", "self": "the table itself",
        "valid_set": "Valid set", "invalid_set": "Invalid set", "expected": "Expected errors",
        "warning_set": "Valid set with warnings", "expected_warnings": "Expected warnings",
        "files": "Files", "row": "row", "all_examples": "All examples (ZIP)",
        "datapackage": "Data Package profile (datapackage.json)", "latest_address": "Stable address of the latest version",
        "check": "Check", "custom_checks": "Custom checks",
        "reference_of": "Field reference", "see_fields": "See the field reference",
        "validate_cmd": "Validate a file against this schema",
        "major_address": "Stable address of major version {major} (gets its minors, never a break)",
        "fiware": "FIWARE mapping (NGSI-LD)", "entity": "Entity", "attribute": "FIWARE attribute",
        "kind": "Kind", "conversion": "Conversion", "no_equivalent": "no equivalent",
        "fiware_download": "Machine-readable mapping (fiware-mapping.json)",
        "warning": "warning", "legacy": "Legacy export to repair",
        "legacy_text": "A real export from before the schema (French column names and codes), with the mapping that "
                       "turns it into its valid examples (it names its export and its table): "
                       "`territoria fix --mapping mapping.yml --output copy.csv`.",
    },
}

TYPE_NAMES = {
    "fr": {"string": "texte", "number": "nombre décimal", "integer": "nombre entier", "boolean": "booléen",
           "date": "date", "datetime": "date et heure", "time": "heure", "year": "année", "yearmonth": "année-mois",
           "duration": "durée", "geopoint": "point géographique", "geojson": "GeoJSON", "object": "objet JSON",
           "array": "tableau JSON", "list": "liste", "any": "quelconque"},
    "en": {"string": "text", "number": "decimal number", "integer": "whole number", "boolean": "true/false",
           "date": "date", "datetime": "date and time", "time": "time", "year": "year", "yearmonth": "year-month",
           "duration": "duration", "geopoint": "geographic point", "geojson": "GeoJSON", "object": "JSON object",
           "array": "JSON array", "list": "list", "any": "any"},
}


def page_path(path: str, lang: str) -> str:
    """``a/b.md`` → ``a/b.md`` (French, the default) or ``a/b.en.md``."""
    return path if lang == "fr" else path[:-3] + f".{lang}.md"


def site_root(page: str, lang: str) -> str:
    """Relative path from a page's URL (directory URLs) to the site root."""
    parts = page[:-3].split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    depth += 0 if lang == "fr" else 1
    return "../" * depth


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def code(value) -> str:
    return f"<code>{esc(value)}</code>"


def _number(value) -> str:
    return str(value)


def constraint_items(field: dict, lang: str) -> list:
    """Readable constraints other than ``required`` and ``enum`` (shown in their own columns)."""
    c = field.get("constraints") or {}
    fr = lang == "fr"
    items = []
    low, high = c.get("minimum"), c.get("maximum")
    if low is not None and high is not None:
        items.append(f"{_number(low)} ≤ {'valeur' if fr else 'value'} ≤ {_number(high)}")
    elif low is not None:
        items.append(f"≥ {_number(low)}")
    elif high is not None:
        items.append(f"≤ {_number(high)}")
    if c.get("exclusiveMinimum") is not None:
        items.append(f"> {_number(c['exclusiveMinimum'])}")
    if c.get("exclusiveMaximum") is not None:
        items.append(f"< {_number(c['exclusiveMaximum'])}")
    if c.get("minLength") is not None:
        items.append(("longueur ≥ " if fr else "length ≥ ") + str(c["minLength"]))
    if c.get("maxLength") is not None:
        items.append(("longueur ≤ " if fr else "length ≤ ") + str(c["maxLength"]))
    if c.get("pattern"):
        items.append(("motif " if fr else "pattern ") + code(c["pattern"]))
    if c.get("unique"):
        items.append("valeur unique" if fr else "unique value")
    known = {"required", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
             "maxLength", "pattern", "unique"}
    for key, value in c.items():
        if key not in known:
            items.append(f"{code(key)} : {esc(json.dumps(value, ensure_ascii=False))}" if fr
                         else f"{code(key)}: {esc(json.dumps(value, ensure_ascii=False))}")
    return items


def _type_cell(field: dict, lang: str) -> str:
    kind = field.get("type", "string")
    shown = code(kind) + f"<br><small>{esc(TYPE_NAMES[lang].get(kind, kind))}</small>"
    if field.get("format") not in (None, "default"):
        shown += f"<br><small>format {code(field['format'])}</small>"
    return shown


def _enum_cell(field: dict, lang: str) -> str:
    enum = (field.get("constraints") or {}).get("enum")
    if not enum:
        return ""
    labels = field.get("enum_labels") or {}
    rows = []
    for value in enum:
        label = labels.get(str(value)) or {}
        meaning = label.get(lang) or label.get("fr") or label.get("en") or ""
        rows.append(f"<li>{code(value)}" + (f" — {esc(meaning)}" if meaning else "") + "</li>")
    return "<ul class=\"tt-enum\">" + "".join(rows) + "</ul>"


def field_table(resource, lang: str) -> str:
    w = WORDS[lang]
    head = "".join(f"<th>{esc(w[k])}</th>" for k in
                   ("field", "title_desc", "type", "unit", "required", "constraints", "allowed", "example"))
    rows = []
    for field in resource.fields:
        name = field.get("name", "")
        required = bool((field.get("constraints") or {}).get("required"))
        other = "en" if lang == "fr" else "fr"
        titles = (f"<strong>{esc(text(field, 'title', lang))}</strong>"
                  f"<br><em lang=\"{other}\">{esc(text(field, 'title', other))}</em>")
        description = text(field, "description", lang)
        if description:
            titles += f"<br><small>{esc(description)}</small>"
        constraints = "<br>".join(constraint_items(field, lang))
        unit = code(field["unit"]) if field.get("unit") else ""
        example = code(field["example"]) if field.get("example") not in (None, "") else ""
        rows.append(
            f"<tr id=\"{esc(resource.name)}-{esc(name)}\"><td>{code(name)}</td><td>{titles}</td>"
            f"<td>{_type_cell(field, lang)}</td><td>{unit}</td>"
            f"<td class=\"tt-required\">{'<strong>' + esc(w['yes']) + '</strong>' if required else esc(w['no'])}</td>"
            f"<td>{constraints}</td><td>{_enum_cell(field, lang)}</td><td>{example}</td></tr>")
    return ("<div class=\"tt-scroll\"><table class=\"tt-fields\">"
            f"<thead><tr>{head}</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def mermaid_diagram(version: Version) -> str:
    """An ER diagram of the tables with their key fields and foreign keys."""
    lines = ["```mermaid", "erDiagram"]
    for resource in version.resources:
        keys = set(resource.primary_key)
        foreign = {f for fields, _r, _f in resource.foreign_keys for f in fields}
        by_name = {f.get("name"): f for f in resource.fields}
        shown = [n for n in by_name if n in keys or n in foreign]
        lines.append(f"    {resource.name} {{")
        for name in shown:
            kind = re.sub(r"[^A-Za-z0-9_]", "_", by_name[name].get("type", "string"))
            marks = ",".join(m for m, on in (("PK", name in keys), ("FK", name in foreign)) if on)
            lines.append(f"        {kind} {name} {marks}".rstrip())
        lines.append("    }")
    for resource in version.resources:
        for fields, target, _target_fields in resource.foreign_keys:
            target = target or resource.name
            required = all((next((f for f in resource.fields if f.get("name") == n), {}).get("constraints") or {})
                           .get("required") for n in fields)
            link = "}o--||" if required else "}o--o|"
            lines.append(f"    {resource.name} {link} {target} : \"{', '.join(fields)}\"")
    lines.append("```")
    return "\n".join(lines)


def keys_list(version: Version, lang: str) -> str:
    w = WORDS[lang]
    lines = []
    for resource in version.resources:
        parts = []
        if resource.primary_key:
            parts.append(f"{w['primary_key']} : " if lang == "fr" else f"{w['primary_key']}: ")
            parts[-1] += ", ".join(f"`{k}`" for k in resource.primary_key)
        for fields, target, target_fields in resource.foreign_keys:
            where = f"`{target}`" if target else w["self"]
            parts.append(f"{w['foreign_key']} `{', '.join(fields)}` → {where} (`{', '.join(target_fields)}`)")
        lines.append(f"- **`{resource.name}`** — {resource.title(lang)}" + ("".join(f"\n    - {p}" for p in parts)))
    return "\n".join(lines)


def download(href: str, label: str, icon: str = "") -> str:
    return f"<a class=\"md-button tt-download\" href=\"{esc(href)}\" download>{esc(label)}</a>"


def version_selector(version: Version, lang: str, page_kind: str = "index") -> str:
    """Links to the same page in every version; the current one highlighted, the latest marked."""
    w = WORDS[lang]
    items = []
    for other in reversed(version.entry.versions):
        label = other.version + (f" ({w['latest']})" if other.is_latest else "")
        target = f"../{other.version}/{page_kind}.md" if page_kind != "index" else f"../{other.version}/index.md"
        if other.version == version.version:
            items.append(f"<strong class=\"tt-current\">{esc(label)}</strong>")
        else:
            items.append(f"[{label}]({target})")
    title = f"{w['version']} {version.version}" + (f" ({w['latest']})" if version.is_latest else "")
    colon = " : " if lang == "fr" else ": "
    return f'!!! info "{title}"\n    {w["versions"]}{colon}' + " · ".join(items) + "\n"


def _strip_first_heading(markdown: str) -> str:
    lines = markdown.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].startswith("# "):
        lines.pop(0)
    return "\n".join(lines)


def _demote(markdown: str) -> str:
    """Push headings down one level (``## x`` → ``### x``) outside code fences."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def _readme_sections(readme: str) -> list:
    """``[(heading, body)]`` of the README's ``##`` sections."""
    sections, heading, body = [], None, []
    for line in _strip_first_heading(readme).splitlines():
        if line.startswith("## "):
            if heading is not None or body:
                sections.append((heading, "\n".join(body).strip()))
            heading, body = line[3:].strip(), []
        else:
            body.append(line)
    sections.append((heading, "\n".join(body).strip()))
    return sections


PRIVACY_WORDS = ("privacy", "personal", "gdpr", "rgpd", "household", "vie privée", "personnelles")


def entry_overview(entry: Entry, lang: str) -> str:
    w = WORDS[lang]
    latest = entry.latest_version
    out = [f"# {entry.short_title(lang)}", "", f"*{entry.title(lang)}*", "", entry.description(lang), ""]
    out += [f"[{w['see_fields']} ({latest.version}, {w['latest']})]({latest.version}/index.md){{ .md-button .md-button--primary }}",
            ""]
    out += [f"## {w['diagram']}", "", mermaid_diagram(latest), "", keys_list(latest, lang), ""]
    out += [f"## {w['versions']}", ""]
    for version in reversed(entry.versions):
        mark = f" — **{w['latest']}**" if version.is_latest else ""
        extra = version.package.get("territoria") if isinstance(version.package.get("territoria"), dict) else {}
        dated = str(extra.get("lastModified") or version.package.get("created") or "")[:10]
        out.append(f"- [{version.version}]({version.version}/index.md){mark}"
                   + (f" ({dated})" if dated else "")
                   + f" · [{w['examples']}]({version.version}/examples.md)")
    out += ["", f"{w['changelog']} : [{w['changelog'].lower()}](changelog.md)" if lang == "fr"
            else f"{w['changelog']}: [{w['changelog'].lower()}](changelog.md)", ""]
    sections = _readme_sections(entry.readme)
    privacy = [(h, b) for h, b in sections if h and any(p in h.lower() for p in PRIVACY_WORDS)]
    out += [f"## {w['privacy']}", ""]
    if lang == "fr":
        out.append("Les tables d'observation ne portent jamais de donnée sur une personne identifiable "
                   "(règle commune à tout le catalogue, RGPD).")
    else:
        out.append("Observation tables never carry data about an identifiable person (a rule of the whole "
                   "catalogue, GDPR).")
    for heading, _body in privacy:
        out.append(f"Voir la section [« {heading} »](#{_slug(heading)}) ci-dessous." if lang == "fr"
                   else f"See the section [“{heading}”](#{_slug(heading)}) below.")
    out.append("")
    out += [f"## {w['readme']}", ""]
    for heading, body in sections:
        if heading:
            out += [f"### {heading} {{#{_slug(heading)}}}", ""]
        out += [_demote(_demote(body)) if heading else body, ""]
    sources = latest.package.get("sources") or []
    if sources:
        out += [f"### {w['sources']} (datapackage.json)", ""]
        out += [f"- [{s.get('title', s.get('path', ''))}]({s['path']})" if s.get("path") else f"- {s.get('title', '')}"
                for s in sources]
    return "\n".join(out) + "\n"


def _slug(heading: str) -> str:
    return "readme-" + re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def version_reference(version: Version, lang: str) -> str:
    w = WORDS[lang]
    entry = version.entry
    page = f"{entry.name}/{version.version}/index.md"
    root = site_root(page, lang)
    base = f"{root}{entry.name}/{version.version}/"
    out = ["---", "hide:", "  - toc", "---", "",
           f"# {entry.short_title(lang)} — {w['fields']} {version.version}", ""]
    out += [version_selector(version, lang), ""]
    out += [text(version.package, "description", lang), ""]
    out += [f"## {w['downloads']}", ""]
    out += ["<div class=\"tt-downloads\">",
            download(base + "datapackage.json", w["datapackage"]),
            download(base + "examples.zip", w["all_examples"]), "</div>", ""]
    rows = [f"| {w['table']} | {w['schema']} | {w['validata']} | {w['template_csv']} | {w['template_xlsx']} |",
            "|---|---|---|---|---|"]
    for resource in version.resources:
        paths = template_paths(version, resource)
        schema = (f"<a href=\"{esc(base + resource.schema_file)}\" download>{esc(resource.schema_file)}</a>"
                  if resource.schema_file else "")
        validata = (f"<a href=\"{esc(base + validata_path(resource))}\" download>{esc(resource.name)}.schema.json</a>"
                    if resource.schema_file else "")
        rows.append(f"| [`{resource.name}`](#{resource.name}) | {schema} | {validata} | "
                    f"<a class=\"tt-template\" href=\"{esc(root + paths['csv'])}\" download>{esc(resource.name)}.csv</a> | "
                    f"<a class=\"tt-template\" href=\"{esc(root + paths['xlsx'])}\" download>{esc(resource.name)}.xlsx</a> |")
    out += rows + [""]
    latest_base = f"{root}{entry.name}/latest/"
    out += [(f"{w['latest_address']} : " if lang == "fr" else f"{w['latest_address']}: ")
            + f"<a href=\"{esc(latest_base)}datapackage.json\"><code>{esc(entry.name)}/latest/datapackage.json</code></a>", ""]
    major = version.version.split(".", 1)[0]
    if entry.newest_by_major().get(major) is version:
        label = w["major_address"].format(major=major)
        out += [(f"{label} : " if lang == "fr" else f"{label}: ")
                + f"<a href=\"{esc(root)}{esc(entry.name)}/{major}/datapackage.json\"><code>{esc(entry.name)}/{major}/"
                f"datapackage.json</code></a> · <code>--schema {esc(entry.name)}@{major}</code>", ""]
    for resource in version.resources:
        out += [f"## {w['table']} `{resource.name}` — {resource.title(lang)} {{#{resource.name}}}", ""]
        if resource.description(lang):
            out += [resource.description(lang), ""]
        checks = resource.schema.get("custom_checks") or []
        out += [field_table(resource, lang), ""]
        keys = []
        if resource.primary_key:
            keys.append(f"{w['primary_key']} : `{', '.join(resource.primary_key)}`" if lang == "fr"
                        else f"{w['primary_key']}: `{', '.join(resource.primary_key)}`")
        for fields, target, target_fields in resource.foreign_keys:
            keys.append(f"{w['foreign_key']} `{', '.join(fields)}` → `{target or resource.name}` (`{', '.join(target_fields)}`)")
        for check in checks:
            params = json.dumps(check.get("params") or {}, ensure_ascii=False)
            severity = f" ({w['warning']})" if check.get("severity") == "warning" else ""
            keys.append(f"{w['check']} [`{check.get('name')}`](../../errors.md#check-{check.get('name')}){severity} "
                        f"`{params}`")
        out += [f"- {k}" for k in keys] + [""]
    out += [f"## {w['validate_cmd']}", "", "```sh",
            f"territoria validate {'fichier' if lang == 'fr' else 'file'}.csv --schema {entry.name}/{version.resources[0].name if version.resources else ''}@{version.version}",
            f"territoria validate datapackage.json   # {'toutes les tables, clés étrangères comprises' if lang == 'fr' else 'all tables, foreign keys included'}",
            "```", ""]
    out += [f"## {w['diagram']}", "", mermaid_diagram(version), "", keys_list(version, lang), ""]
    out += fiware_section(version, lang, base)
    section = entry.changelog_section(version.version)
    out += [f"## {w['changelog']}", "", _demote(_demote(section)) if section else "—", "",
            f"[{w['changelog']} ({entry.name})](../changelog.md)", ""]
    return "\n".join(out) + "\n"


def fiware_section(version: Version, lang: str, base: str) -> list:
    """The version's ``fiware-mapping.json`` as tables: each field's NGSI-LD entity, attribute, kind and unit
    conversion (the per-field notes are English: shown on the English page)."""
    path = os.path.join(version.path, "fiware-mapping.json")
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8") as handle:
        mapping = json.load(handle)
    w = WORDS[lang]
    notes = mapping.get("notes") if isinstance(mapping.get("notes"), dict) else {}
    out = [f"## {w['fiware']} {{#fiware}}", "", notes.get(lang) or notes.get("en") or "", "",
           download(base + "fiware-mapping.json", w["fiware_download"]), ""]
    for table, spec in (mapping.get("resources") or {}).items():
        if not isinstance(spec, dict):
            continue
        out += [f"### `{table}` → `{spec.get('entityType', '')}`", ""]
        header = [w["field"], w["entity"], w["attribute"], w["kind"], w["conversion"]] + (["Note"] if lang == "en" else [])
        out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for name, item in (spec.get("fields") or {}).items():
            if not isinstance(item, dict):
                continue
            attribute = f"`{item['attribute']}`" if item.get("attribute") else f"*{w['no_equivalent']}*"
            conversion = ""
            if item.get("factor") not in (None, 1):
                conversion = f"× {item['factor']}"
            if item.get("unitCode"):
                conversion = (conversion + " " if conversion else "") + f"unitCode `{item['unitCode']}`"
            if isinstance(item.get("values"), dict):
                conversion = (conversion + " ; " if conversion else "") + ", ".join(
                    f"`{k}` → `{v}`" for k, v in list(item["values"].items())[:6]) + ("…" if len(item["values"]) > 6 else "")
            row = [f"`{name}`", str(item.get("entityType") or spec.get("entityType") or ""), attribute,
                   str(item.get("kind") or ""), conversion]
            if lang == "en":
                row.append(str(item.get("note") or ""))
            out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        out.append("")
    return out


def examples_page(version: Version, lang: str) -> str:
    w = WORDS[lang]
    entry = version.entry
    page = f"{entry.name}/{version.version}/examples.md"
    root = site_root(page, lang)
    base = f"{root}{entry.name}/{version.version}/examples/"
    out = [f"# {entry.short_title(lang)} — {w['examples']} {version.version}", "",
           version_selector(version, lang, "examples"), ""]
    if lang == "fr":
        out += ["Chaque jeu est un dossier de fichiers CSV avec un `datapackage.json` qui pointe vers les schémas "
                "de la version ; un jeu invalide liste les erreurs qu'il doit produire (`expected-errors.json`), un jeu "
                "valide avec avertissements les avertissements qu'il doit produire (`expected-warnings.json`).", ""]
    else:
        out += ["Each set is a folder of CSV files with a `datapackage.json` pointing at the version's table "
                "schemas; an invalid set lists the errors it must produce (`expected-errors.json`), a valid set with "
                "warnings the warnings it must produce (`expected-warnings.json`).", ""]
    out += [f"<a class=\"md-button tt-download\" href=\"{esc(root)}{esc(entry.name)}/{esc(version.version)}/examples.zip\" download>"
            f"{esc(w['all_examples'])}</a>", ""]
    for example in version.examples:
        kind = w[f"{example.kind}_set"]
        out += [f"## {kind} `{example.name}` {{#{example.name}}}", ""]
        links = [f"<a href=\"{esc(base + example.name + '/' + f)}\" download>{esc(f)}</a>" for f in example.files]
        out += [(f"{w['files']} : " if lang == "fr" else f"{w['files']}: ") + " · ".join(links), ""]
        for title, expected in ((w["expected"], example.expected_errors),
                                (w["expected_warnings"], example.expected_warnings)):
            if not expected:
                continue
            out += [f"| {title} | {w['table']} | {w['row']} | {w['field']} |", "|---|---|---|---|"]
            for error in expected:
                kind_code = error.get("type", "")
                out.append(f"| [`{kind_code}`](../../errors.md#{kind_code}) | `{error.get('resource', '')}` | "
                           f"{error.get('rowNumber', '')} | `{error.get('fieldName', '') or ''}` |")
            out.append("")
        out += ["```sh", f"territoria validate examples/{example.name}/datapackage.json", "```", ""]
        if example.valid:
            for name in example.files:
                if not name.endswith(".csv"):
                    continue
                with open(f"{example.path}/{name}", encoding="utf-8", errors="replace") as handle:
                    head = [next(handle, "") for _ in range(6)]
                out += [f"??? example \"{name}\"", "", "    ```text"]
                out += ["    " + line.rstrip("\r\n") for line in head if line]
                out += ["    ```", ""]
    legacy = os.path.join(version.path, "examples", "legacy")
    if os.path.isdir(legacy):
        files = sorted(os.listdir(legacy))
        reference = f"{entry.name}@{version.version}"
        out += [f"## {w['legacy']} {{#legacy}}", "", w["legacy_text"].format(ref=reference), ""]
        links = [f"<a href=\"{esc(base + 'legacy/' + f)}\" download>{esc(f)}</a>" for f in files]
        out += [(f"{w['files']} : " if lang == "fr" else f"{w['files']}: ") + " · ".join(links), ""]
    return "\n".join(out) + "\n"


def changelog_page(entry: Entry, lang: str) -> str:
    w = WORDS[lang]
    body = _strip_first_heading(entry.changelog) or "—"
    return f"# {entry.short_title(lang)} — {w['changelog']}\n\n{body}\n"


def use_case_list(entries: list, lang: str, page: str) -> str:
    """The home page's list of use cases (replaces ``<!-- territoria:use-cases -->``)."""
    prefix = "/".join([".."] * (page.count("/")))
    prefix = prefix + "/" if prefix else ""
    w = WORDS[lang]
    out = []
    for entry in entries:
        latest = entry.latest
        tables = ", ".join(f"`{r.name}`" for r in entry.latest_version.resources)
        colon = " : " if lang == "fr" else ": "
        out.append(f"- **[{entry.short_title(lang)}]({prefix}{entry.name}/index.md)** — {entry.title(lang)}. "
                   f"{w['table']}s{colon}{tables}. "
                   f"[{w['fields']} {latest}]({prefix}{entry.name}/{latest}/index.md)")
    return "\n".join(out)


def pages(entries: list) -> dict:
    out = {}
    for lang in LANGS:
        for entry in entries:
            out[page_path(f"{entry.name}/index.md", lang)] = entry_overview(entry, lang)
            out[page_path(f"{entry.name}/changelog.md", lang)] = changelog_page(entry, lang)
            for version in entry.versions:
                out[page_path(f"{entry.name}/{version.version}/index.md", lang)] = version_reference(version, lang)
                out[page_path(f"{entry.name}/{version.version}/examples.md", lang)] = examples_page(version, lang)
    return out


def nav(entries: list, lang: str) -> list:
    """The navigation in ``lang`` (page paths without the language suffix)."""
    w = WORDS[lang]
    use_cases = []
    for entry in entries:
        items = [{w["overview"]: f"{entry.name}/index.md"}]
        for version in reversed(entry.versions):
            label = f"{w['fields']} {version.version}" + (f" ({w['latest']})" if version.is_latest else "")
            items.append({label: f"{entry.name}/{version.version}/index.md"})
            items.append({f"{w['examples']} {version.version}": f"{entry.name}/{version.version}/examples.md"})
        items.append({w["changelog"]: f"{entry.name}/changelog.md"})
        use_cases.append({entry.short_title(lang): items})
    return [
        {w["home"]: "index.md"},
        {w["use_cases"]: use_cases},
        {w["validate"]: "validate.md"},
        {w["errors"]: "errors.md"},
    ]
