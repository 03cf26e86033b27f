"""The registry of every finding the validator can report.

Why a registry: each error type is declared once with its frictionless-compatible
code, severity, French and English messages and a hint. Renderers, the JSON report
and the catalogue site's error pages all read it, so a message can never drift
from its documentation.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorType:
    code: str
    severity: str  # "error" | "warning"
    scope: str  # "source" | "header" | "row" | "cell" | "table" | "schema"
    title_en: str
    title_fr: str
    message_en: str  # str.format template over the error's fields
    message_fr: str
    hint_en: str
    hint_fr: str
    example: str = ""


ERROR_TYPES: dict[str, ErrorType] = {}


def _declare(*args, **kwargs) -> ErrorType:
    error_type = ErrorType(*args, **kwargs)
    ERROR_TYPES[error_type.code] = error_type
    return error_type


_declare(
    "source-error", "error", "source", "Source error", "Erreur de source",
    "The data source could not be read: {note}",
    "La source de données n'a pas pu être lue : {note}",
    "Check that the file exists, is not empty and is a CSV, TSV, XLSX, ODS, JSON or Parquet file.",
    "Vérifiez que le fichier existe, n'est pas vide et est au format CSV, TSV, XLSX, ODS, JSON ou Parquet.",
)
_declare(
    "scheme-error", "error", "source", "Scheme error", "Erreur d'accès",
    "The data source could not be opened: {note}",
    "La source de données n'a pas pu être ouverte : {note}",
    "Check the path or the URL, and your network connection.",
    "Vérifiez le chemin ou l'adresse, et votre connexion réseau.",
)
_declare(
    "format-error", "error", "source", "Format error", "Erreur de format",
    "The data source format is not supported or the file is damaged: {note}",
    "Le format de la source n'est pas pris en charge ou le fichier est endommagé : {note}",
    "Save the file again as CSV (UTF-8) or XLSX from your spreadsheet software.",
    "Réenregistrez le fichier au format CSV (UTF-8) ou XLSX depuis votre tableur.",
)
_declare(
    "encoding-error", "error", "source", "Encoding error", "Erreur d'encodage",
    "The data source could not be decoded: {note}",
    "La source de données n'a pas pu être décodée : {note}",
    "Save the file as CSV UTF-8 (in Excel: 'CSV UTF-8 (comma delimited)').",
    "Enregistrez le fichier en « CSV UTF-8 » (dans Excel : « CSV UTF-8 (délimité par des virgules) »).",
)
_declare(
    "schema-error", "error", "schema", "Schema error", "Erreur de schéma",
    "The schema is not valid: {note}",
    "Le schéma n'est pas valide : {note}",
    "Fix the schema descriptor so that it follows the Table Schema specification.",
    "Corrigez le descripteur de schéma pour qu'il respecte la spécification Table Schema.",
)
_declare(
    "field-error", "error", "schema", "Field error", "Erreur de champ",
    "A field of the schema is not valid: {note}",
    "Un champ du schéma n'est pas valide : {note}",
    "Fix the field's descriptor (type, format, constraints, example) in the schema.",
    "Corrigez la description du champ (type, format, contraintes, exemple) dans le schéma.",
)
_declare(
    "blank-label", "error", "header", "Blank label", "En-tête vide",
    "Column {fieldNumber} has no label; the schema expects \"{fieldName}\".",
    "La colonne {fieldNumber} n'a pas d'en-tête ; le schéma attend « {fieldName} ».",
    "Write the column name in the first row.",
    "Écrivez le nom de la colonne sur la première ligne.",
)
_declare(
    "duplicate-label", "error", "header", "Duplicate label", "En-tête en double",
    "Column {fieldNumber} repeats the label \"{label}\" ({note}).",
    "La colonne {fieldNumber} répète l'en-tête « {label} » ({note}).",
    "Each column name must appear once: rename or remove the duplicate column.",
    "Chaque nom de colonne doit être unique : renommez ou supprimez la colonne en double.",
)
_declare(
    "extra-label", "error", "header", "Extra label", "Colonne en trop",
    "Column {fieldNumber} \"{label}\" is not in the schema.",
    "La colonne {fieldNumber} « {label} » n'est pas prévue par le schéma.",
    "Remove the column, or check its position against the schema's field list.",
    "Supprimez la colonne, ou vérifiez sa position par rapport à la liste des champs du schéma.",
)
_declare(
    "missing-label", "error", "header", "Missing label", "Colonne manquante",
    "Column {fieldNumber} \"{fieldName}\" required by the schema is missing.",
    "La colonne {fieldNumber} « {fieldName} » prévue par le schéma est absente.",
    "Add the column, even empty, at the position the schema gives.",
    "Ajoutez la colonne, même vide, à la position prévue par le schéma.",
)
_declare(
    "incorrect-label", "error", "header", "Incorrect label", "En-tête incorrect",
    "Column {fieldNumber} is labelled \"{label}\" but the schema expects \"{fieldName}\".",
    "La colonne {fieldNumber} s'appelle « {label} » mais le schéma attend « {fieldName} ».",
    "Rename the column exactly as in the schema (case, accents and spaces count), in the schema's order.",
    "Renommez la colonne exactement comme dans le schéma (casse, accents et espaces comptent), dans l'ordre du schéma.",
)
_declare(
    "blank-row", "error", "row", "Blank row", "Ligne vide",
    "Row {rowNumber} is completely blank.",
    "La ligne {rowNumber} est entièrement vide.",
    "Delete the empty row.",
    "Supprimez la ligne vide.",
)
_declare(
    "extra-cell", "error", "row", "Extra cell", "Cellule en trop",
    "Row {rowNumber} has an extra cell in column {fieldNumber}: \"{cell}\".",
    "La ligne {rowNumber} a une cellule en trop en colonne {fieldNumber} : « {cell} ».",
    "Remove the extra value, or quote a value that contains the delimiter.",
    "Supprimez la valeur en trop, ou mettez entre guillemets une valeur qui contient le séparateur.",
)
_declare(
    "missing-cell", "error", "row", "Missing cell", "Cellule manquante",
    "Row {rowNumber} has no cell for column {fieldNumber} \"{fieldName}\".",
    "La ligne {rowNumber} n'a pas de cellule pour la colonne {fieldNumber} « {fieldName} ».",
    "Each row needs as many cells as there are columns: add the missing delimiter(s).",
    "Chaque ligne doit avoir autant de cellules que de colonnes : ajoutez le(s) séparateur(s) manquant(s).",
)
_declare(
    "type-error", "error", "cell", "Type error", "Erreur de type",
    "Row {rowNumber}, column \"{fieldName}\": \"{cell}\" is not {type_en}.",
    "Ligne {rowNumber}, colonne « {fieldName} » : « {cell} » n'est pas {type_fr}.",
    "Write the value in the format the schema gives for this column.",
    "Écrivez la valeur dans le format indiqué par le schéma pour cette colonne.",
)
_declare(
    "constraint-error", "error", "cell", "Constraint error", "Contrainte non respectée",
    "Row {rowNumber}, column \"{fieldName}\": \"{cell}\" {constraint_en}.",
    "Ligne {rowNumber}, colonne « {fieldName} » : « {cell} » {constraint_fr}.",
    "Correct the value so that it meets the constraint.",
    "Corrigez la valeur pour qu'elle respecte la contrainte.",
)
_declare(
    "unique-error", "error", "cell", "Unique error", "Valeur en double",
    "Row {rowNumber}, column \"{fieldName}\": \"{cell}\" must be unique but already appears in row {previousRow}.",
    "Ligne {rowNumber}, colonne « {fieldName} » : « {cell} » doit être unique mais apparaît déjà ligne {previousRow}.",
    "Each value in this column must appear once: fix or remove the duplicate.",
    "Chaque valeur de cette colonne doit être unique : corrigez ou supprimez le doublon.",
)
_declare(
    "primary-key", "error", "row", "Primary key error", "Clé primaire non respectée",
    "Row {rowNumber}: the primary key ({fieldNames}) {reason_en}.",
    "Ligne {rowNumber} : la clé primaire ({fieldNames}) {reason_fr}.",
    "The primary key identifies each row: it must be filled and appear once.",
    "La clé primaire identifie chaque ligne : elle doit être renseignée et unique.",
)
_declare(
    "foreign-key", "error", "row", "Foreign key error", "Référence introuvable",
    "Row {rowNumber}: {note}.",
    "Ligne {rowNumber} : {note}.",
    "The value must exist in the referenced table: add the missing row there or correct the reference.",
    "La valeur doit exister dans la table référencée : ajoutez-y la ligne manquante ou corrigez la référence.",
)
# Warnings: what a careful reader should know, never a schema violation.
_declare(
    "dialect-warning", "warning", "source", "Tolerated dialect", "Format toléré",
    "The file was read with {note}.",
    "Le fichier a été lu avec {note}.",
    "This is tolerated; the recommended form is UTF-8 with a comma delimiter.",
    "C'est toléré ; la forme recommandée est l'UTF-8 avec la virgule comme séparateur.",
)
_declare(
    "foreign-key-warning", "warning", "table", "Foreign key not checked", "Référence non vérifiée",
    "The foreign key {note} points to another table, which was not given: it was not checked.",
    "La clé étrangère {note} renvoie à une autre table, qui n'a pas été fournie : elle n'a pas été vérifiée.",
    "Validate the whole data package (its datapackage.json) to check references between tables.",
    "Validez le jeu de données complet (son datapackage.json) pour vérifier les références entre tables.",
)
_declare(
    "error-limit-warning", "warning", "table", "Error details capped", "Détail des erreurs limité",
    "Only the first {note} errors are listed in detail; counts by type and column are complete.",
    "Seules les {note} premières erreurs sont détaillées ; les décomptes par type et par colonne sont complets.",
    "Fix the first errors, often repeated, then validate again; or raise --limit-errors.",
    "Corrigez les premières erreurs, souvent répétées, puis validez à nouveau ; ou augmentez --limit-errors.",
)


def message(error: dict, lang: str) -> str:
    """The human message of an error dict in ``lang`` ("fr" or "en")."""
    error_type = ERROR_TYPES.get(error.get("type", ""))
    if error_type is None:
        return error.get("message", "")
    template = error_type.message_fr if lang == "fr" else error_type.message_en
    values = _SafeDict(error)
    values["fieldNames"] = ", ".join(error.get("fieldNames") or [])
    if error.get("type") == "type-error":
        values["type_en"], values["type_fr"] = describe_type(error.get("fieldType"), error.get("fieldFormat"), error.get("note", ""))
    if error.get("type") == "constraint-error":
        values["constraint_en"], values["constraint_fr"] = describe_constraint(
            error.get("constraint"), error.get("constraintValue"), error.get("note", ""))
    if error.get("type") == "primary-key":
        if error.get("previousRow"):
            values["reason_en"] = f"repeats the key of row {error['previousRow']}"
            values["reason_fr"] = f"répète la clé de la ligne {error['previousRow']}"
        else:
            values["reason_en"] = "is empty"
            values["reason_fr"] = "est vide"
    return template.format_map(values)


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


def hint(error: dict, lang: str) -> str:
    specific = error.get("hint_fr" if lang == "fr" else "hint_en")
    if specific:
        return specific
    error_type = ERROR_TYPES.get(error.get("type", ""))
    if error_type is None:
        return ""
    return error_type.hint_fr if lang == "fr" else error_type.hint_en


class _SafeDict(dict):
    def __missing__(self, key):
        return ""
_declare(
    "no-schema-warning", "warning", "table", "No schema", "Aucun schéma",
    "No schema was given: only the file's structure (header, rows, cells) was checked.",
    "Aucun schéma n'a été indiqué : seule la structure du fichier (en-tête, lignes, cellules) a été vérifiée.",
    "Pass --schema with a catalogue name (territoria schemas list), a path or a URL.",
    "Indiquez --schema avec un nom du catalogue (territoria schemas list), un chemin ou une adresse.",
)
_declare(
    "internal-error", "error", "source", "Internal error", "Erreur interne",
    "Territoria could not check this file because of an internal error: {note}",
    "Territoria n'a pas pu vérifier ce fichier à cause d'une erreur interne : {note}",
    "This is a bug of Territoria, not of your file: please report it with the file if you can.",
    "C'est un défaut de Territoria, pas de votre fichier : signalez-le, avec le fichier si possible.",
)
