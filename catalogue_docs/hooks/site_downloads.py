"""Files the site serves for download, written into the built site.

- ``<entry>/<version>/…``: the released folder as it is (datapackage.json, table
  schemas, examples), so a descriptor's relative paths keep working;
  ``<entry>/latest/…``: the same for the latest version (a stable address).
- ``<entry>/<version>/templates/<resource>.csv`` and ``.xlsx``: blank templates
  (header only; the XLSX adds input help from the descriptions and drop-down
  lists for enumerations).
- ``<entry>/<version>/examples.zip``: every example set in one archive.
- ``<entry>/<version>/validata/<resource>.schema.json``: each table schema in the
  vocabulary of Validata, the national catalogue's validator
  (``territoria schemas export --for validata``).
- ``schemas.json``: the catalogue in the national catalogue's format
  (schema.data.gouv.fr), so national tools can consume ours; its table items
  point at the Validata exports, which the national validator runs.
"""
from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import zipfile

from site_model import Version, text

FIXED_TIME = datetime.datetime(2000, 1, 1)  # reproducible XLSX and ZIP files
NATIONAL_CATALOGUE_SCHEMA = "https://opendataschema.frama.io/catalog/schema-catalog.json"


def template_paths(version: Version, resource) -> dict:
    """Paths of a resource's templates relative to the site root."""
    base = f"{version.entry.name}/{version.version}/templates/{resource.name}"
    return {"csv": f"{base}.csv", "xlsx": f"{base}.xlsx"}


def csv_template(resource) -> bytes:
    """The header row, in UTF-8, comma-separated, CRLF as most spreadsheets write it."""
    names = [f.get("name", "") for f in resource.fields]
    quoted = ['"%s"' % n.replace('"', '""') if any(c in n for c in ',"\n') else n for n in names]
    return (",".join(quoted) + "\r\n").encode("utf-8")


def _field_help(field: dict, lang: str) -> str:
    constraints = field.get("constraints") or {}
    parts = [text(field, "description", lang)]
    kind = field.get("type", "string")
    if field.get("format") not in (None, "default"):
        kind += f" ({field['format']})"
    if field.get("unit"):
        kind += f", {'unité' if lang == 'fr' else 'unit'} {field['unit']}"
    parts.append(("Type : " if lang == "fr" else "Type: ") + kind)
    if constraints.get("required"):
        parts.append("Obligatoire." if lang == "fr" else "Required.")
    if field.get("example") not in (None, ""):
        parts.append(("Exemple : " if lang == "fr" else "Example: ") + str(field["example"]))
    return "\n".join(p for p in parts if p)


def xlsx_template(resource) -> bytes:
    """A workbook whose first sheet holds the header, with help and drop-downs.

    - a comment on each header cell (French then English description, type,
      unit, whether required, an example);
    - an input message on the column (shown when a cell is selected);
    - a drop-down list on enumerated columns, read from a hidden ``listes`` sheet
      (no 255-character limit), that refuses other values;
    - a second sheet ``aide`` with the field reference.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.creator = "Territoria"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    sheet = book.active
    sheet.title = resource.name[:31]
    lists = book.create_sheet("listes")
    lists.sheet_state = "hidden"
    help_sheet = book.create_sheet("aide")
    help_sheet.append(["champ / field", "titre", "title", "type", "unité / unit", "obligatoire / required",
                       "valeurs autorisées / allowed values", "description", "description (en)", "exemple / example"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    list_column = 0
    for number, field in enumerate(resource.fields, start=1):
        name = field.get("name", "")
        letter = get_column_letter(number)
        cell = sheet.cell(row=1, column=number, value=name)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 4))
        help_fr, help_en = _field_help(field, "fr"), _field_help(field, "en")
        comment = Comment(f"{text(field, 'title', 'fr')}\n{help_fr}\n\n{text(field, 'title', 'en')}\n{help_en}", "Territoria")
        comment.width, comment.height = 320, 220
        cell.comment = comment
        constraints = field.get("constraints") or {}
        enum = constraints.get("enum")
        if enum:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=name)
            for row, value in enumerate(enum, start=2):
                lists.cell(row=row, column=list_column, value=str(value))
            reference = f"{quote_sheetname('listes')}!${list_letter}$2:${list_letter}${len(enum) + 1}"
            validation = DataValidation(type="list", formula1=reference, allow_blank=not constraints.get("required"),
                                        showDropDown=False, showErrorMessage=True)
            validation.errorTitle = "Valeur non autorisée"[:32]
            validation.error = ("Choisissez une valeur de la liste. / Pick a value from the list.")
        else:
            validation = DataValidation(allow_blank=True)
        validation.promptTitle = (text(field, "title", "fr") or name)[:32]
        validation.prompt = help_fr[:255]
        validation.showInputMessage = True
        validation.add(f"{letter}2:{letter}10000")
        sheet.add_data_validation(validation)
        labels = field.get("enum_labels") or {}
        allowed = "; ".join(f"{v} = {(labels.get(str(v)) or {}).get('fr', '')}".rstrip(" =") for v in enum or [])
        help_sheet.append([name, text(field, "title", "fr"), text(field, "title", "en"), field.get("type", "string"),
                           field.get("unit", ""), "oui / yes" if constraints.get("required") else "",
                           allowed, text(field, "description", "fr"), text(field, "description", "en"),
                           str(field.get("example", ""))])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", (24, 30, 30, 10, 10, 12, 40, 60, 60, 20)):
        help_sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a ZIP (XLSX) with fixed timestamps so that builds are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def examples_zip(version: Version) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in version.files():
            info = zipfile.ZipInfo(f"{version.entry.name}-{version.version}/{relative}",
                                   date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(version.path, relative), "rb") as handle:
                archive.writestr(info, handle.read())
    return out.getvalue()


def write_if_changed(path: str, data: bytes) -> None:
    """Write ``data`` unless the file already holds it: an unchanged file keeps its
    time stamp, so ``mkdocs serve`` does not rebuild in a loop."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return
    except FileNotFoundError:
        pass
    with open(path, "wb") as handle:
        handle.write(data)


def write_version(site_dir: str, version: Version, alias: str = "") -> None:
    """Copy the released folder and write its templates under ``<entry>/<alias or version>/``."""
    folder = os.path.join(site_dir, version.entry.name, alias or version.version)
    for relative in version.files():
        target = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(version.path, relative), target)
    for resource in version.resources:
        write_if_changed(os.path.join(folder, "templates", f"{resource.name}.csv"), csv_template(resource))
        write_if_changed(os.path.join(folder, "templates", f"{resource.name}.xlsx"), xlsx_template(resource))
        if resource.schema_file:
            write_if_changed(os.path.join(folder, validata_path(resource)), validata_schema(resource))
    write_if_changed(os.path.join(folder, "examples.zip"), examples_zip(version))


def validata_path(resource) -> str:
    """Where a table's Validata export lives, relative to its version folder."""
    return f"validata/{resource.name}.schema.json"


def validata_schema(resource) -> bytes:
    from territoria.authoring.export import for_validata

    exported, _ = for_validata(resource.schema)
    return (json.dumps(exported, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def absolute(site_url: str, path: str) -> str:
    return (site_url or "/").rstrip("/") + "/" + path.lstrip("/")


def national_catalogue(entries: list, site_url: str, lang: str = "fr") -> dict:
    """The catalogue as schema.data.gouv.fr publishes it (``schemas.json``).

    One ``datapackage`` item per entry (its datapackage.json per version), then
    one ``tableschema`` item per table, carrying the ``datapackage_*`` keys that
    tie it to its package, as the national catalogue does for schema-irve.
    """
    items = []
    for entry in entries:
        latest = entry.latest_version
        homepage = absolute(site_url, f"{entry.name}/")
        package_name = f"territoria/{entry.name}"
        package_item = {
            "name": package_name,
            "title": entry.title(lang),
            "description": entry.description(lang),
            "schema_url": absolute(site_url, f"{entry.name}/latest/datapackage.json"),
            "schema_type": "datapackage",
            "contact": latest.package.get("contact") or None,
            "examples": [{"title": f"Exemple valide ({entry.name} {latest.version})",
                          "path": absolute(site_url, f"{entry.name}/latest/examples/valid/datapackage.json")}]
            if any(e.valid for e in latest.examples) else [],
            "labels": ["Territoria"],
            "consolidation_dataset_id": None,
            "versions": [{"version_name": v.version,
                          "schema_url": absolute(site_url, f"{entry.name}/{v.version}/datapackage.json")}
                         for v in entry.versions],
            "external_doc": homepage,
            "external_tool": None,
            "homepage": latest.package.get("homepage") or homepage,
            "datapackage_title": None,
            "datapackage_name": None,
            "datapackage_description": None,
        }
        items.append(package_item)
        names = []
        for resource in latest.resources:
            if resource.name not in names:
                names.append(resource.name)
        for older in entry.versions:  # tables dropped in a later version stay listed
            for resource in older.resources:
                if resource.name not in names:
                    names.append(resource.name)
        for name in names:
            having = [(v, r) for v in entry.versions for r in v.resources if r.name == name and r.schema_file]
            if not having:
                continue
            last_version, last_resource = having[-1]
            examples = []
            for example in last_version.examples:
                if example.valid and f"{name}.csv" in example.files:
                    examples.append({"title": f"Exemple valide : {name}",
                                     "path": absolute(site_url, f"{entry.name}/{last_version.version}/examples/valid/{name}.csv")})
            items.append({
                "name": f"{package_name}-{name}",
                "title": last_resource.title(lang),
                "description": last_resource.description(lang),
                "schema_url": absolute(site_url, f"{entry.name}/{last_version.version}/{validata_path(last_resource)}"
                                       if last_version is not latest
                                       else f"{entry.name}/latest/{validata_path(last_resource)}"),
                "schema_type": "tableschema",
                "contact": latest.package.get("contact") or None,
                "examples": examples,
                "labels": ["Territoria"],
                "consolidation_dataset_id": None,
                "versions": [{"version_name": v.version,
                              "schema_url": absolute(site_url, f"{entry.name}/{v.version}/{validata_path(r)}")}
                             for v, r in having],
                "external_doc": absolute(site_url, f"{entry.name}/{last_version.version}/#{name}"),
                "external_tool": absolute(site_url, f"{entry.name}/{last_version.version}/templates/{name}.xlsx"),
                "homepage": latest.package.get("homepage") or homepage,
                "datapackage_title": package_item["title"],
                "datapackage_name": package_name,
                "datapackage_description": package_item["description"],
            })
    return {"$schema": NATIONAL_CATALOGUE_SCHEMA, "version": 1, "schemas": items}


REDIRECT = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{target}</title>
<meta http-equiv="refresh" content="0; url={target}"><link rel="canonical" href="{target}">
</head><body><a href="{target}">{target}</a></body></html>
"""


def write_all(site_dir: str, entries: list, site_url: str) -> None:
    for entry in entries:
        for version in entry.versions:
            write_version(site_dir, version)
        write_version(site_dir, entry.latest_version, alias="latest")
        # /<entry>/latest/ opens the latest field reference
        write_if_changed(os.path.join(site_dir, entry.name, "latest", "index.html"),
               REDIRECT.format(target=f"../{entry.latest}/").encode("utf-8"))
        # /<entry>/<major>/: the stable address of a major, serving its newest minor (never a break)
        for major, version in entry.newest_by_major().items():
            write_version(site_dir, version, alias=major)
            write_if_changed(os.path.join(site_dir, entry.name, major, "index.html"),
                             REDIRECT.format(target=f"../{version.version}/").encode("utf-8"))
    catalogue = national_catalogue(entries, site_url)
    write_if_changed(os.path.join(site_dir, "schemas.json"),
           (json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
