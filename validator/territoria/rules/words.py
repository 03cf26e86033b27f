"""Words computed from a finding: what a type or a constraint asks, in French and English.

Why apart from the declarations: several rules share them (a type error's
message, the hint for the value, the site's examples), and they depend on the
finding's own values (the field type, the constraint and its bound).
"""
from __future__ import annotations

_TYPE_WORDS = {
    "string": ("a valid text", "un texte valide"),
    "number": ("a number (like 12.5)", "un nombre (comme 12.5)"),
    "integer": ("a whole number (like 12)", "un nombre entier (comme 12)"),
    "boolean": ("a boolean (true or false)", "un booléen (true ou false)"),
    "date": ("a date (like 2024-03-15)", "une date (comme 2024-03-15)"),
    "time": ("a time (like 23:30:00)", "une heure (comme 23:30:00)"),
    "datetime": ("a date and time (like 2024-03-15T23:30:00+01:00)", "une date et heure (comme 2024-03-15T23:30:00+01:00)"),
    "year": ("a year (like 2024)", "une année (comme 2024)"),
    "yearmonth": ("a year and month (like 2024-03)", "une année et un mois (comme 2024-03)"),
    "duration": ("an ISO 8601 duration (like P1DT2H)", "une durée ISO 8601 (comme P1DT2H)"),
    "geopoint": ("a geographic point", "un point géographique"),
    "geojson": ("a GeoJSON object", "un objet GeoJSON"),
    "object": ("a JSON object", "un objet JSON"),
    "array": ("a JSON array", "un tableau JSON"),
    "list": ("a list", "une liste"),
}
_FORMAT_WORDS = {
    "email": ("an email address", "une adresse électronique"),
    "uri": ("a URI (like https://example.org)", "une adresse URI (comme https://example.org)"),
    "uuid": ("a UUID", "un UUID"),
    "binary": ("base64 data", "des données base64"),
}


def describe_type(field_type, field_format, note: str = "") -> tuple:
    """(English, French) words for what a cell of this type and format must be."""
    if field_type is None and note.startswith('type is "'):
        field_type, _, field_format = note[len('type is "'):-1].partition("/")
    field_format = field_format or "default"
    if field_format in _FORMAT_WORDS and field_type == "string":
        return _FORMAT_WORDS[field_format]
    english, french = _TYPE_WORDS.get(field_type or "", ("a valid value", "une valeur valide"))
    if field_type in ("date", "time", "datetime") and field_format not in ("default", "any"):
        return (f"a {field_type} in the form {field_format}", f"une valeur de la forme {field_format}")
    return english, french


def describe_constraint(name, value, note: str = "") -> tuple:
    """(English, French) words for a broken constraint, e.g. 'must be at most 100'."""
    if name is None:
        return f"breaks the constraint {note}", f"ne respecte pas la contrainte {note}"
    if name == "enum" and isinstance(value, list):
        shown = ", ".join(str(v) for v in value[:12]) + (", …" if len(value) > 12 else "")
        return f"is not one of the allowed values: {shown}", f"ne fait pas partie des valeurs autorisées : {shown}"
    words = {
        "required": ("is missing: this column is required", "manque : cette colonne est obligatoire"),
        "minLength": (f"is too short: at least {value} characters (or items)", f"est trop court : au moins {value} caractères (ou éléments)"),
        "maxLength": (f"is too long: at most {value} characters (or items)", f"est trop long : au plus {value} caractères (ou éléments)"),
        "minimum": (f"is too small: the minimum is {value}", f"est trop petit : le minimum est {value}"),
        "maximum": (f"is too large: the maximum is {value}", f"est trop grand : le maximum est {value}"),
        "exclusiveMinimum": (f"must be greater than {value}", f"doit être strictement supérieur à {value}"),
        "exclusiveMaximum": (f"must be less than {value}", f"doit être strictement inférieur à {value}"),
        "pattern": (f"does not match the expected pattern {value}", f"ne respecte pas le motif attendu {value}"),
    }
    return words.get(name, (f"breaks the constraint {note}", f"ne respecte pas la contrainte {note}"))


def type_words(finding: dict) -> dict:
    """``type_en``/``type_fr`` for a type error: what the cell should have been."""
    english, french = describe_type(finding.get("fieldType"), finding.get("fieldFormat"), finding.get("note", ""))
    return {"type_en": english, "type_fr": french}


def constraint_words(finding: dict) -> dict:
    """``constraint_en``/``constraint_fr`` for a constraint error, e.g. "is too large: the maximum is 90"."""
    english, french = describe_constraint(finding.get("constraint"), finding.get("constraintValue"),
                                          finding.get("note", ""))
    return {"constraint_en": english, "constraint_fr": french}


def primary_key_words(finding: dict) -> dict:
    if finding.get("previousRow"):
        return {"reason_en": f"repeats the key of row {finding['previousRow']}",
                "reason_fr": f"répète la clé de la ligne {finding['previousRow']}"}
    return {"reason_en": "is empty", "reason_fr": "est vide"}


_DELIMITERS_EN = {"\t": "tab", ";": "semicolon ;", "|": "pipe |"}
_DELIMITERS_FR = {"\t": "la tabulation", ";": "le point-virgule ;", "|": "la barre verticale |"}


def dialect_words(finding: dict) -> dict:
    """``read_with_en``/``read_with_fr`` from a dialect warning's ``dialect`` list of (kind, value)."""
    english, french = [], []
    for kind, value in finding.get("dialect") or []:
        if kind == "encoding":
            english.append(f"the {value} encoding (not UTF-8)")
            french.append(f"l'encodage {value} (et non UTF-8)")
        elif kind == "bom":
            english.append("a UTF-8 byte order mark")
            french.append("une marque d'ordre des octets UTF-8 (BOM)")
        elif kind == "delimiter":
            english.append(f"the delimiter {_DELIMITERS_EN.get(value, value)}")
            french.append(f"le séparateur {_DELIMITERS_FR.get(value, value)}")
    return {"read_with_en": " and ".join(english), "read_with_fr": " et ".join(french)}


def dialect_note(dialect: list) -> str:
    """The English note of a dialect warning (the JSON report's ``note``)."""
    return dialect_words({"dialect": dialect})["read_with_en"]


#: why a table a cross-file rule needs is unavailable: (English, French) clauses
UNAVAILABLE = {
    "alone": ("the file was validated alone, outside its data package",
              "le fichier a été validé seul, hors de son jeu de données"),
    "not-given": ("that table was not given with this file",
                  "cette table n'a pas été fournie avec ce fichier"),
    "no-resource": ("the data package has no resource named \"{resource}\"",
                    "le jeu de données n'a pas de ressource nommée « {resource} »"),
    "no-column": ("that table has no column \"{column}\"",
                  "cette table n'a pas de colonne « {column} »"),
    "unreadable": ("that table could not be read (its own report says why)",
                   "cette table n'a pas pu être lue (son propre rapport dit pourquoi)"),
    "no-schema": ("that table has no schema to type its columns",
                  "cette table n'a pas de schéma pour typer ses colonnes"),
    "unusable": ("its columns cannot serve: {detail}",
                 "ses colonnes ne conviennent pas : {detail}"),
}


def unavailable_words(finding: dict) -> dict:
    english, french = UNAVAILABLE.get(finding.get("reason", ""), ("", ""))
    values = {"resource": finding.get("referenceName", ""), **(finding.get("details") or {})}
    return {"reason_en": english.format(**values), "reason_fr": french.format(**values)}


def portal_schema_words(finding: dict) -> dict:
    """Why a schema a portal declares for a resource was not used."""
    shown, versions = finding.get("declared", ""), ", ".join(finding.get("versions") or [])
    reason = finding.get("reason")
    if reason == "several-tables":
        return {"why_en": f"The portal declares the schema {shown}, a catalogue entry with several tables; "
                          "the file's name does not tell which one, so only its structure was checked.",
                "why_fr": f"Le portail déclare le schéma {shown}, une entrée du catalogue à plusieurs tables ; "
                          "le nom du fichier ne dit pas laquelle, seule sa structure a été vérifiée."}
    if reason == "no-version":
        return {"why_en": f"The portal declares the schema {shown}, but the Territoria catalogue has no such version "
                          f"(versions: {versions}).",
                "why_fr": f"Le portail déclare le schéma {shown}, mais le catalogue Territoria n'a pas cette version "
                          f"(versions : {versions})."}
    return {"why_en": f"The portal declares the schema {shown}, which is not in the Territoria catalogue.",
            "why_fr": f"Le portail déclare le schéma {shown}, qui n'est pas dans le catalogue Territoria."}


def note_words(finding: dict) -> dict:
    """``note_fr``: the finding's English note in French (``rules.notes``)."""
    from .notes import french

    return {"note_fr": french(str(finding.get("note") or ""))}


def foreign_key_words(finding: dict) -> dict:
    """The values of a foreign key and the fields they are looked up in, as words."""
    values = finding.get("fieldValues") or []
    return {"values": ", ".join(str(v) for v in values),
            "referenceName": finding.get("referenceName") or "",
            "referenceFieldNames": ", ".join(finding.get("referenceFieldNames") or [])}


def misplaced_label_hint(finding: dict, field: dict):
    """An incorrect label that names another field of the schema: the column is out of place."""
    at = finding.get("expectedAt")
    if not at:
        return None
    label = finding.get("label", "")
    return (f"« {label} » est un champ du schéma, attendu en colonne {at} : la colonne n'est pas à sa place ; "
            "remettez les colonnes dans l'ordre du schéma plutôt que de les renommer.",
            f"\"{label}\" is a field of the schema, expected in column {at}: the column is out of place; "
            "put the columns in the schema's order rather than renaming them.")


_SCOPE_WORDS = {"cell": ("cell", "cellule"), "row": ("row", "ligne"), "column": ("column", "colonne"),
                "file": ("", "")}


def fix_summary_words(finding: dict) -> dict:
    """How many cells (rows, columns) each repair rule of ``territoria fix`` changed, and where the log is."""
    parts_en, parts_fr = [], []
    cells = 0
    for change in finding.get("changes") or []:
        rule, count, scope = change.get("rule", ""), int(change.get("count", 0)), change.get("scope", "cell")
        en, fr = _SCOPE_WORDS.get(scope, ("", ""))
        if scope == "cell":
            cells += count
        if en:
            parts_en.append(f"{rule} {count} {en}{'s' if count > 1 else ''}")
            parts_fr.append(f"{rule} {count} {fr}{'s' if count > 1 else ''}")
        else:
            parts_en.append(rule)
            parts_fr.append(rule)
    log = finding.get("log") or ""
    cells = finding.get("cells", cells)
    return {
        "cells": cells,
        "cells_en": f"{cells} cell{'' if cells == 1 else 's'} changed",
        "cells_fr": f"{cells} cellule{'s' if cells > 1 else ''} modifiée{'s' if cells > 1 else ''}",
        "changes_en": "; ".join(parts_en) or "nothing needed repairing",
        "changes_fr": "; ".join(parts_fr) or "rien n'était à réparer",
        "log_en": f"every change is listed in {log}" if log else "give --log FILE to list every change",
        "log_fr": f"chaque modification est listée dans {log}" if log else
                  "indiquez --log FICHIER pour lister chaque modification",
    }


def fix_column_words(finding: dict) -> dict:
    """Whether an added column must be filled in (a required field), or holds the mapping's constant."""
    if finding.get("constant"):
        value = finding["constant"]
        return {"then_en": f"filled with the mapping's constant \"{value}\"",
                "then_fr": f"remplie avec la constante « {value} » du fichier de correspondance"}
    if finding.get("required"):
        return {"then_en": "added empty; the field is required, so each row must be filled in",
                "then_fr": "ajoutée vide ; le champ est obligatoire : chaque ligne doit être complétée"}
    return {"then_en": "added empty (the field is optional)", "then_fr": "ajoutée vide (le champ est facultatif)"}


def counted_words(finding: dict) -> dict:
    """The agreement of a sentence about ``count`` things, for the rules that say how many cells a repair
    left as they were: ``s`` (the plural mark of a noun or a French adjective), English ``has/have``,
    ``does/do``, ``it/they``, ``was/were``, ``its/their``, French ``a/ont``, ``elle/elles``, ``ses/leurs``, ``-e/-ent``."""
    many = _count(finding.get("count")) != 1
    return {"s": "s" if many else "", "have_en": "have" if many else "has", "do_en": "do" if many else "does",
            "it_en": "they" if many else "it", "was_en": "were" if many else "was", "its_en": "their" if many else "its",
            "ont_fr": "ont" if many else "a", "elle_fr": "elles" if many else "elle",
            "leur_fr": "leurs" if many else "ses", "ent_fr": "ent" if many else "e",
            "rows_en": "rows" if many else "row", "lignes_fr": "lignes" if many else "ligne"}


def _count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 2


def fix_local_time_words(finding: dict) -> dict:
    """Why a local time has no offset: the hour repeated (clocks back) or skipped (clocks forward)."""
    words = counted_words(finding)
    many = words["s"] == "s"
    if finding.get("kind") == "nonexistent":
        words.update({"why_en": f"{'do' if many else 'does'} not exist (clocks go forward that night)",
                      "why_fr": f"n'existe{'nt' if many else ''} pas (on avance l'heure cette nuit-là)"})
    else:
        words.update({"why_en": f"{'happen' if many else 'happens'} twice (clocks go back that night)",
                      "why_fr": f"{'ont' if many else 'a'} lieu deux fois (on recule l'heure cette nuit-là)"})
    return words


def parameter_words(finding: dict) -> dict:
    """One parameter or several (``parameters`` is their names, comma-separated)."""
    many = "," in str(finding.get("parameters") or "")
    return {"s": "s" if many else "", "it_en": "they were" if many else "it was",
            "le_fr": "les paramètres" if many else "le paramètre", "il_fr": "ils ont été ignorés" if many else
            "il a été ignoré"}


_LEFT_OUT_FR = {
    "matches no field of the schema": "ne correspond à aucun champ du schéma",
}


def fix_left_out_words(finding: dict) -> dict:
    """Why a source column was left out of the copy, in French (the note is the English reason)."""
    import re

    note = finding.get("note", "")
    if note in _LEFT_OUT_FR:
        return {"note_fr": _LEFT_OUT_FR[note]}
    for pattern, french in ((r"^names several fields: (.*)$", "désigne plusieurs champs : {0}"),
                            (r"^is not the only column that matches the field (.*)$",
                             "n'est pas la seule colonne qui correspond au champ {0}"),
                            (r'^matches the field (.*) less well than the column "(.*)"$',
                             "correspond moins bien au champ {0} que la colonne « {1} »"),
                            (r"^matches the field (.*), which the mapping fills otherwise$",
                             "correspond au champ {0}, que le fichier de correspondance remplit autrement")):
        found = re.match(pattern, note)
        if found:
            return {"note_fr": french.format(*found.groups())}
    return {"note_fr": note}
