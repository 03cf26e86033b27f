"""``territoria schemas list|show``: browse the catalogue from the terminal."""
from __future__ import annotations

import sys


def list_entries(lang: str) -> int:
    from ..schema import catalogue

    entries = catalogue.entries()
    if not entries:
        print("territoria : aucun catalogue de schémas trouvé" if lang == "fr" else
              "territoria: no schema catalogue found", file=sys.stderr)
        return 2
    for entry in entries:
        package = entry.package()
        title = package.get("title" if lang == "fr" else "title_en") or package.get("title", "")
        resources = ", ".join(r.get("name", "?") for r in package.get("resources", []))
        print(f"{entry.name:<18} {entry.latest:<8} {title}")
        if lang == "fr":
            print(f"{'':<18} {'':<8} versions : {', '.join(entry.versions)} ; tables : {resources}")
        else:
            print(f"{'':<18} {'':<8} versions: {', '.join(entry.versions)}; resources: {resources}")
    return 0


def show(reference: str, lang: str) -> int:
    from ..schema import catalogue
    from ..schema import SchemaProblem

    try:
        profile = catalogue.resolve(reference)
        if profile.lone:
            _print_table(reference, profile.table().descriptor, lang)
            return 0
        tables = [(name, profile.table(name)) for name in profile.names]
    except SchemaProblem as problem:
        print(f"territoria: {problem}", file=sys.stderr)
        return 2
    package = profile.descriptor
    print(f"{package.get('name')} {package.get('version', '')} — {package.get('title' if lang == 'fr' else 'title_en', package.get('title', ''))}")
    description = package.get("description" if lang == "fr" else "description_en") or package.get("description", "")
    if description:
        print(description)
    for name, schema in tables:
        print()
        _print_table(f"{package.get('name')}/{name}", schema.descriptor, lang)
    return 0


def _print_table(reference: str, descriptor: dict, lang: str) -> None:
    title = descriptor.get("title" if lang == "fr" else "title_en") or descriptor.get("title", "")
    print(f"{reference}: {title}")
    headings = (("champ", "type", "unité", "obligatoire", "contraintes", "exemple") if lang == "fr"
                else ("field", "type", "unit", "required", "constraints", "example"))
    rows = [headings]
    for field in descriptor.get("fields", []):
        constraints = dict(field.get("constraints") or {})
        required = ("oui" if lang == "fr" else "yes") if constraints.pop("required", False) else ""
        shown = ", ".join(f"{k}={_short(v)}" for k, v in constraints.items())
        kind = field.get("type", "string") + (f"/{field['format']}" if field.get("format", "default") != "default" else "")
        rows.append((field.get("name", ""), kind, field.get("unit", ""), required, shown, str(field.get("example", ""))))
    widths = [min(max(len(r[i]) for r in rows), 48) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        print("  " + "  ".join(_short(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            print("  " + "  ".join("-" * w for w in widths))
    keys = []
    primary, foreign, itself = (("clé primaire : ", "clé étrangère : ", "(elle-même)") if lang == "fr"
                                else ("primary key: ", "foreign key: ", "(self)"))
    if descriptor.get("primaryKey"):
        keys.append(f"{primary}{descriptor['primaryKey']}")
    for fk in descriptor.get("foreignKeys") or []:
        keys.append(f"{foreign}{fk['fields']} → {fk['reference'].get('resource') or itself}.{fk['reference']['fields']}")
    for line in keys:
        print(f"  {line}")


def _short(value, width: int = 40) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
