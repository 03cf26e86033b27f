"""The core rules: what Table Schema and frictionless-py v5 define, and the tool's own notices.

Codes and scopes are frictionless's where it has them (``type-error``,
``missing-label``...); messages are ours, in French and English, with a hint
that says how to fix the data. Custom checks declare their rules on their own
classes (``territoria.checks``).
"""
from __future__ import annotations

from . import Rule, declare, words
from .hints import specific_hint

declare(Rule(
    'source-error', 'error', 'source', 'Source error', 'Erreur de source',
    'The data source could not be read: {note}',
    "La source de données n'a pas pu être lue : {note_fr}",
    'Check that the file exists, is not empty and is a CSV, TSV, XLSX, ODS, JSON or Parquet file.',
    "Vérifiez que le fichier existe, n'est pas vide et est au format CSV, TSV, XLSX, ODS, JSON ou Parquet.",
    example={'note': 'the source is empty'},
    raised_by='readers',
    values=words.note_words,
))
declare(Rule(
    'scheme-error', 'error', 'source', 'Scheme error', "Erreur d'accès",
    'The data source could not be opened: {note}',
    "La source de données n'a pas pu être ouverte : {note_fr}",
    'Check the path or the URL, and your network connection.',
    "Vérifiez le chemin ou l'adresse, et votre connexion réseau.",
    example={'note': 'mesures.csv: no such file'},
    raised_by='readers',
    values=words.note_words,
))
declare(Rule(
    'format-error', 'error', 'source', 'Format error', 'Erreur de format',
    'The data source format is not supported or the file is damaged: {note}',
    "Le format de la source n'est pas pris en charge ou le fichier est endommagé : {note_fr}",
    'Save the file again as CSV (UTF-8) or XLSX from your spreadsheet software.',
    'Réenregistrez le fichier au format CSV (UTF-8) ou XLSX depuis votre tableur.',
    example={'note': 'a zip archive that is neither an XLSX nor an ODS spreadsheet'},
    raised_by='readers',
    values=words.note_words,
))
declare(Rule(
    'encoding-error', 'error', 'source', 'Encoding error', "Erreur d'encodage",
    'The data source could not be decoded: {note}',
    "La source de données n'a pas pu être décodée : {note_fr}",
    "Save the file as CSV UTF-8 (in Excel: 'CSV UTF-8 (comma delimited)').",
    'Enregistrez le fichier en « CSV UTF-8 » (dans Excel : « CSV UTF-8 (délimité par des virgules) »).',
    example={'note': "'utf-8' codec can't decode byte 0xe9 in position 1234"},
    raised_by='readers',
    values=words.note_words,
))
declare(Rule(
    'schema-error', 'error', 'schema', 'Schema error', 'Erreur de schéma',
    'The schema is not valid: {note}',
    "Le schéma n'est pas valide : {note_fr}",
    'Fix the schema descriptor so that it follows the Table Schema specification.',
    "Corrigez le descripteur de schéma pour qu'il respecte la spécification Table Schema.",
    example={'note': "fields/2/type: 'nombre' is not one of ['string', 'number', …]"},
    raised_by='schema',
    values=words.note_words,
))
declare(Rule(
    'field-error', 'error', 'schema', 'Field error', 'Erreur de champ',
    'A field of the schema is not valid: {note}',
    "Un champ du schéma n'est pas valide : {note_fr}",
    "Fix the field's descriptor (type, format, constraints, example) in the schema.",
    'Corrigez la description du champ (type, format, contraintes, exemple) dans le schéma.',
    example={'note': 'fields/3: constraint "pattern" is not supported by type "integer"'},
    raised_by='schema',
    values=words.note_words,
))
declare(Rule(
    'blank-label', 'error', 'header', 'Blank label', 'En-tête vide',
    'Column {fieldNumber} has no label; the schema expects "{fieldName}".',
    "La colonne {fieldNumber} n'a pas d'en-tête ; le schéma attend « {fieldName} ».",
    'Write the column name in the first row.',
    'Écrivez le nom de la colonne sur la première ligne.',
    example={'fieldNumber': 3, 'fieldName': 'latitude'},
    raised_by='engine.header',
))
declare(Rule(
    'duplicate-label', 'error', 'header', 'Duplicate label', 'En-tête en double',
    'Column {fieldNumber} repeats the label "{label}" ({note}).',
    "La colonne {fieldNumber} répète l'en-tête « {label} » (déjà en position {earlier}).",
    'Each column name must appear once: rename or remove the duplicate column.',
    'Chaque nom de colonne doit être unique : renommez ou supprimez la colonne en double.',
    example={'fieldNumber': 5, 'label': 'latitude', 'fieldName': 'longitude', 'note': 'at position "3"'},
    raised_by='engine.header',
    values=lambda finding: {"earlier": str(finding.get("note", "")).replace('at position ', '').strip('"')},
))
declare(Rule(
    'extra-label', 'error', 'header', 'Extra label', 'Colonne en trop',
    'Column {fieldNumber} "{label}" is not in the schema.',
    "La colonne {fieldNumber} « {label} » n'est pas prévue par le schéma.",
    "Remove the column, or check its position against the schema's field list.",
    'Supprimez la colonne, ou vérifiez sa position par rapport à la liste des champs du schéma.',
    example={'fieldNumber': 12, 'label': 'commentaire'},
    raised_by='engine.header',
))
declare(Rule(
    'missing-label', 'error', 'header', 'Missing label', 'Colonne manquante',
    'Column {fieldNumber} "{fieldName}" required by the schema is missing.',
    'La colonne {fieldNumber} « {fieldName} » prévue par le schéma est absente.',
    'Add the column, even empty, at the position the schema gives.',
    'Ajoutez la colonne, même vide, à la position prévue par le schéma.',
    example={'fieldNumber': 11, 'fieldName': 'remote_management'},
    raised_by='engine.header',
))
declare(Rule(
    'incorrect-label', 'error', 'header', 'Incorrect label', 'En-tête incorrect',
    'Column {fieldNumber} is labelled "{label}" but the schema expects "{fieldName}".',
    "La colonne {fieldNumber} s'appelle « {label} » mais le schéma attend « {fieldName} ».",
    "Rename the column exactly as in the schema (case, accents and spaces count), in the schema's order.",
    "Renommez la colonne exactement comme dans le schéma (casse, accents et espaces comptent), dans l'ordre du schéma.",
    example={'fieldNumber': 3, 'label': 'lat', 'fieldName': 'latitude'},
    raised_by='engine.header',
    specific_hint=words.misplaced_label_hint,
))
declare(Rule(
    'blank-row', 'error', 'row', 'Blank row', 'Ligne vide',
    'Row {rowNumber} is completely blank.',
    'La ligne {rowNumber} est entièrement vide.',
    'Delete the empty row.',
    'Supprimez la ligne vide.',
    example={'rowNumber': 7},
    raised_by='engine.batch',
))
declare(Rule(
    'extra-cell', 'error', 'row', 'Extra cell', 'Cellule en trop',
    'Row {rowNumber} has an extra cell in column {fieldNumber}: "{cell}".',
    'La ligne {rowNumber} a une cellule en trop en colonne {fieldNumber} : « {cell} ».',
    'Remove the extra value, or quote a value that contains the delimiter.',
    'Supprimez la valeur en trop, ou mettez entre guillemets une valeur qui contient le séparateur.',
    example={'rowNumber': 5, 'fieldNumber': 13, 'cell': '45,2'},
    raised_by='engine.batch',
))
declare(Rule(
    'missing-cell', 'error', 'row', 'Missing cell', 'Cellule manquante',
    'Row {rowNumber} has no cell for column {fieldNumber} "{fieldName}".',
    "La ligne {rowNumber} n'a pas de cellule pour la colonne {fieldNumber} « {fieldName} ».",
    'Each row needs as many cells as there are columns: add the missing delimiter(s).',
    'Chaque ligne doit avoir autant de cellules que de colonnes : ajoutez le(s) séparateur(s) manquant(s).',
    example={'rowNumber': 5, 'fieldNumber': 12, 'fieldName': 'remote_management'},
    raised_by='engine.batch',
))
declare(Rule(
    'type-error', 'error', 'cell', 'Type error', 'Erreur de type',
    'Row {rowNumber}, column "{fieldName}": "{cell}" is not {type_en}.',
    "Ligne {rowNumber}, colonne « {fieldName} » : « {cell} » n'est pas {type_fr}.",
    'Write the value in the format the schema gives for this column.',
    'Écrivez la valeur dans le format indiqué par le schéma pour cette colonne.',
    example={'rowNumber': 4, 'fieldName': 'latitude', 'fieldNumber': 3, 'cell': '45,18879', 'fieldType': 'number', 'fieldFormat': 'default', 'note': 'type is "number/default"'},
    raised_by='fields',
    values=words.type_words,
    specific_hint=specific_hint,
))
declare(Rule(
    'constraint-error', 'error', 'cell', 'Constraint error', 'Contrainte non respectée',
    'Row {rowNumber}, column "{fieldName}": "{cell}" {constraint_en}.',
    'Ligne {rowNumber}, colonne « {fieldName} » : « {cell} » {constraint_fr}.',
    'Correct the value so that it meets the constraint.',
    "Corrigez la valeur pour qu'elle respecte la contrainte.",
    example={'rowNumber': 6, 'fieldName': 'colour_temperature_k', 'fieldNumber': 7, 'cell': '7500', 'constraint': 'maximum', 'constraintValue': 6500, 'note': 'constraint "maximum" is "6500"'},
    raised_by='fields.constraints',
    values=words.constraint_words,
    specific_hint=specific_hint,
))
declare(Rule(
    'unique-error', 'error', 'cell', 'Unique error', 'Valeur en double',
    'Row {rowNumber}, column "{fieldName}": "{cell}" must be unique but already appears in row {previousRow}.',
    'Ligne {rowNumber}, colonne « {fieldName} » : « {cell} » doit être unique mais apparaît déjà ligne {previousRow}.',
    'Each value in this column must appear once: fix or remove the duplicate.',
    'Chaque valeur de cette colonne doit être unique : corrigez ou supprimez le doublon.',
    example={'rowNumber': 9, 'fieldName': 'light_point_id', 'fieldNumber': 1, 'cell': 'LP-000000012', 'previousRow': 4},
    raised_by='engine.batch (key index)',
))
declare(Rule(
    'primary-key', 'error', 'row', 'Primary key error', 'Clé primaire non respectée',
    'Row {rowNumber}: the primary key ({fieldNames}) {reason_en}.',
    'Ligne {rowNumber} : la clé primaire ({fieldNames}) {reason_fr}.',
    'The primary key identifies each row: it must be filled and appear once.',
    'La clé primaire identifie chaque ligne : elle doit être renseignée et unique.',
    example={'rowNumber': 9, 'fieldNames': ['container_id', 'measured_at'], 'previousRow': 4},
    raised_by='engine.batch (key index)',
    values=words.primary_key_words,
))
declare(Rule(
    'foreign-key', 'error', 'row', 'Foreign key error', 'Référence introuvable',
    'Row {rowNumber}: {fieldNames} = {values} is not found in the table "{referenceName}" ({referenceFieldNames}).',
    'Ligne {rowNumber} : {fieldNames} = {values} est introuvable dans la table « {referenceName} » ({referenceFieldNames}).',
    'The value must exist in the referenced table: add the missing row there or correct the reference.',
    'La valeur doit exister dans la table référencée : ajoutez-y la ligne manquante ou corrigez la référence.',
    example={'rowNumber': 8, 'fieldNames': ['control_cabinet_id'], 'fieldValues': ['AC-12'], 'referenceName': 'control_cabinets', 'referenceFieldNames': ['control_cabinet_id'], 'note': 'for "control_cabinet_id": values "AC-12" not found in the lookup table "control_cabinets" as "control_cabinet_id"'},
    raised_by='engine.batch (key index)',
    values=words.foreign_key_words,
))
# Warnings: what a careful reader should know, never a schema violation.
declare(Rule(
    'dialect-warning', 'warning', 'source', 'Tolerated dialect', 'Format toléré',
    'The file was read with {read_with_en}.',
    'Le fichier a été lu avec {read_with_fr}.',
    'This is tolerated; the recommended form is UTF-8 with a comma delimiter.',
    "C'est toléré ; la forme recommandée est l'UTF-8 avec la virgule comme séparateur.",
    example={'dialect': [['encoding', 'cp1252'], ['delimiter', ';']]},
    raised_by='readers.detect',
    values=words.dialect_words,
))
declare(Rule(
    'foreign-key-warning', 'warning', 'table', 'Foreign key not checked', 'Référence non vérifiée',
    'The foreign key {note} points to another table, which was not given: it was not checked.',
    "La clé étrangère {note} renvoie à une autre table, qui n'a pas été fournie : elle n'a pas été vérifiée.",
    'Validate the whole data package (its datapackage.json) to check references between tables.',
    'Validez le jeu de données complet (son datapackage.json) pour vérifier les références entre tables.',
    example={'note': '(control_cabinet_id → control_cabinets.control_cabinet_id)'},
    raised_by='api',
))
declare(Rule(
    'error-limit-warning', 'warning', 'table', 'Error details capped', 'Détail des erreurs limité',
    'Only the first {note} errors are listed in detail; counts by type and column are complete.',
    'Seules les {note} premières erreurs sont détaillées ; les décomptes par type et par colonne sont complets.',
    'Fix the first errors, often repeated, then validate again; or raise --limit-errors.',
    'Corrigez les premières erreurs, souvent répétées, puis validez à nouveau ; ou augmentez --limit-errors.',
    example={'note': '1000'},
    raised_by='engine.findings',
))
declare(Rule(
    'no-schema-warning', 'warning', 'table', 'No schema', 'Aucun schéma',
    "No schema was given: only the file's structure (header, rows, cells) was checked.",
    "Aucun schéma n'a été indiqué : seule la structure du fichier (en-tête, lignes, cellules) a été vérifiée.",
    'Pass --schema with a catalogue name (territoria schemas list), a path or a URL.',
    'Indiquez --schema avec un nom du catalogue (territoria schemas list), un chemin ou une adresse.',
    example={},
    raised_by='api',
))
declare(Rule(
    'internal-error', 'error', 'source', 'Internal error', 'Erreur interne',
    'Territoria could not check this file because of an internal error: {note}',
    "Territoria n'a pas pu vérifier ce fichier à cause d'une erreur interne (son détail technique, en anglais, est dans le rapport JSON).",
    'This is a bug of Territoria, not of your file: please report it with the file if you can.',
    "C'est un défaut de Territoria, pas de votre fichier : signalez-le, avec le fichier si possible.",
    example={'note': 'ValueError: …'},
    raised_by='api',
))
declare(Rule(
    "cross-file-check-skipped", "warning", "table", "Rule between tables not checked", "Règle entre tables non vérifiée",
    "The rule {rule} was not checked: it compares this table with the table \"{referenceName}\" ({referenceFields}), "
    "and {reason_en}.",
    "La règle {rule} n'a pas été vérifiée : elle compare cette table à la table « {referenceName} » ({referenceFields}), "
    "et {reason_fr}.",
    "Validate the whole data package (its datapackage.json), listing the table this rule needs with "
    "its columns, to check the rule.",
    "Validez le jeu de données complet (son datapackage.json), qui doit lister la table dont la règle "
    "a besoin avec ses colonnes, pour vérifier la règle.",
    example={"rule": "plausible-variation", "referenceName": "emptyings",
             "referenceFields": "container_id, emptied_at", "reason": "alone"},
    raised_by="checks.cross_file",
    values=words.unavailable_words,
))
declare(Rule(
    "portal-schema-warning", "warning", "table", "Declared schema", "Schéma déclaré",
    "{why_en}",
    "{why_fr}",
    "Choose the schema yourself: the action's schema input, or --schema on the command line.",
    "Choisissez le schéma vous-même : l'entrée schema de l'action, ou --schema en ligne de commande.",
    example={"declared": "etalab/schema-irve-statique@2.3.1", "reason": "unknown"},
    raised_by="portals",
    values=words.portal_schema_words,
))
declare(Rule(
    "check-name-deprecated", "warning", "schema", "Former name of a check", "Ancien nom de vérification",
    "The check {check} is a former name: write {replacement} in the schema.",
    "La vérification « {check} » porte un ancien nom : écrivez « {replacement} » dans le schéma.",
    "Rename the check in the schema's custom_checks; it works the same.",
    "Renommez la vérification dans les custom_checks du schéma ; elle fonctionne de la même façon.",
    example={"check": "french-siret-value", "replacement": "siret"},
    raised_by="checks (build_checks)",
))
declare(Rule(
    "check-parameter-ignored", "warning", "schema", "Parameter not read", "Paramètre ignoré",
    "The check {check} does not read the parameter{s} {parameters}: {it_en} ignored.",
    "La vérification « {check} » ne lit pas {le_fr} {parameters} : {il_fr}.",
    "Check the spelling of the parameter against the check's documentation in the error catalogue.",
    "Vérifiez l'orthographe du paramètre dans la documentation de la vérification (catalogue des erreurs).",
    example={"check": "compare-columns-value", "parameters": "colum3"},
    raised_by="checks (build_checks)",
    values=words.parameter_words,
))
declare(Rule(
    "check-unknown", "warning", "schema", "Unknown check", "Vérification inconnue",
    "The field {fieldName} declares the check {check}, which this validator does not know: it was not run.",
    "Le champ {fieldName} déclare la vérification « {check} », que ce validateur ne connaît pas : elle n'a pas été faite.",
    "Check the name against the error catalogue's list of custom checks (a typo, or a check of a newer validator).",
    "Vérifiez le nom dans la liste des vérifications du catalogue des erreurs (une faute de frappe, ou la vérification d'un validateur plus récent).",
    example={"fieldName": "code_insee", "check": "code-ommune-insee"},
    raised_by="checks (build_checks)",
))
declare(Rule(
    "unmatched-header", "error", "header", "No column of the schema", "Aucune colonne du schéma",
    "None of the file's columns ({labels_shown}) is a field of the schema.",
    "Aucune colonne du fichier ({labels_shown}) n'est un champ du schéma.",
    "Check that the file is the one the schema describes, and that its first row holds the column names.",
    "Vérifiez que le fichier est bien celui que décrit le schéma, et que sa première ligne porte les noms des colonnes.",
    example={"labels": ["nom", "valeur"]},
    raised_by="engine.header",
    values=lambda finding: {"labels_shown": ", ".join(str(label) for label in finding.get("labels") or [])},
))
declare(Rule(
    "error", "error", "table", "Table not checked", "Table non vérifiée",
    "The table could not be checked: {note}",
    "La table n'a pas pu être vérifiée : {note_fr}",
    "Give each column a distinct name in the first row, or declare \"fieldsMatch\": \"exact\" to pair columns by position.",
    "Donnez à chaque colonne un nom distinct sur la première ligne, ou déclarez « fieldsMatch »: « exact » pour associer les colonnes par position.",
    example={"note": 'header: matching fields by name ("fieldsMatch": "subset") requires unique labels in the header'},
    raised_by="engine.header",
    values=words.note_words,
))
declare(Rule(
    "resource-error", "error", "table", "Resource not checked", "Ressource non vérifiée",
    "The resource could not be checked: {note}",
    "La ressource n'a pas pu être vérifiée : {note_fr}",
    "Fix the data package: each foreign key must name a resource of the package.",
    "Corrigez le jeu de données : chaque clé étrangère doit nommer une ressource du jeu.",
    example={"note": 'failed to handle a foreign key for resource "light_points" as resource "cabinets" does not exist'},
    raised_by="api (packages)",
    values=words.note_words,
))
declare(Rule(
    "column-order-warning", "warning", "header", "Columns in another order", "Colonnes dans un autre ordre",
    "The file has the schema's columns in another order, so each is checked against the wrong field: "
    "put them in the schema's order: {expected_shown}.",
    "Le fichier a les colonnes du schéma dans un autre ordre, si bien que chacune est vérifiée avec le mauvais "
    "champ : remettez-les dans l'ordre du schéma : {expected_shown}.",
    "Reorder the columns (in a spreadsheet: cut and paste them); the label and cell errors go with it.",
    "Réordonnez les colonnes (dans un tableur : couper-coller) ; les erreurs d'en-tête et de cellules disparaîtront avec.",
    example={"expected": ["light_point_id", "latitude", "longitude"], "labels": ["latitude", "light_point_id", "longitude"]},
    raised_by="validation.advice",
    values=lambda finding: {"expected_shown": ", ".join(finding.get("expected") or [])},
))
declare(Rule(
    "title-row-warning", "warning", "header", "Title above the header", "Titre au-dessus de l'en-tête",
    "The column names are on row {headerRow}, not on the first row: the rows above them were read as the header.",
    "Les noms des colonnes sont sur la ligne {headerRow}, pas sur la première : les lignes au-dessus ont été lues comme l'en-tête.",
    "Delete the rows above the column names (a title, a date, a blank line): the first row must hold the names.",
    "Supprimez les lignes au-dessus des noms de colonnes (titre, date, ligne vide) : la première ligne doit porter les noms.",
    example={"headerRow": 3},
    raised_by="validation.advice",
))
declare(Rule(
    "sheet-warning", "warning", "table", "Data on another sheet", "Données sur une autre feuille",
    "The schema's columns are on sheet {sheetNumber} \"{sheet}\" ({found} of its {fields} columns), not on the "
    "sheet read: validate that sheet with --sheet \"{sheet}\" (or every sheet with --sheet all).",
    "Les colonnes du schéma sont sur la feuille {sheetNumber} « {sheet} » ({found} de ses {fields} colonnes), "
    "pas sur la feuille lue : validez cette feuille avec --sheet \"{sheet}\" (ou toutes avec --sheet all).",
    "Put the data on the workbook's first sheet (a notice sheet can come after it), or name the sheet to read.",
    "Placez les données sur la première feuille du classeur (une feuille de notice peut venir après), ou nommez "
    "la feuille à lire.",
    example={"sheet": "Points lumineux", "sheetNumber": 2, "found": 17, "fields": 17},
    raised_by="validation.sheets",
))
declare(Rule(
    "sheet-skipped-warning", "warning", "table", "Sheet not checked", "Feuille non vérifiée",
    "The sheet \"{sheet}\" names none of the schema's columns: it was read as a notice, not checked.",
    "La feuille « {sheet} » ne nomme aucune des colonnes du schéma : elle a été lue comme une notice, sans "
    "être vérifiée.",
    "If the sheet holds data, give its first row the schema's column names.",
    "Si la feuille contient des données, donnez à sa première ligne les noms des colonnes du schéma.",
    example={"sheet": "Lisez-moi"},
    raised_by="validation.sheets",
))
declare(Rule(
    "trailing-columns-warning", "warning", "header", "Columns of a later version", "Colonnes d'une version plus récente",
    "The file has every column of the schema up to the last {count}, all optional ({fields}): it probably follows "
    "an earlier version of the schema, to which a minor version added them.",
    "Le fichier a toutes les colonnes du schéma sauf les {count} dernières, toutes facultatives ({fields}) : il suit "
    "sans doute une version antérieure du schéma, à laquelle une version mineure les a ajoutées.",
    "Add the columns at the end, empty if you have nothing to put in them (territoria fix does it), or validate "
    "against the version the file was made for (--schema NAME@VERSION).",
    "Ajoutez les colonnes à la fin, vides si vous n'avez rien à y mettre (territoria fix le fait), ou validez avec "
    "la version pour laquelle le fichier a été fait (--schema NOM@VERSION).",
    example={"count": 2, "fields": "operator_siren, last_update_date"},
    raised_by="validation.advice",
))
declare(Rule(
    "label-whitespace-warning", "warning", "header", "Spaces around a column name", "Espaces autour d'un nom de colonne",
    "Column {fieldNumber} is named \"{label}\", with spaces around it; it was read as \"{fieldName}\".",
    "La colonne {fieldNumber} s'appelle « {label} », avec des espaces autour ; elle a été lue comme « {fieldName} ».",
    "Remove the spaces around the column name: other tools may not forgive them.",
    "Supprimez les espaces autour du nom de la colonne : d'autres outils ne les pardonneront pas.",
    example={"fieldNumber": 4, "label": "status ", "fieldName": "status"},
    raised_by="validation.advice",
))
declare(Rule(
    "no-data-warning", "warning", "table", "No data row", "Aucune ligne de données",
    "The file has a header but no data row: there is nothing to publish.",
    "Le fichier a un en-tête mais aucune ligne de données : il n'y a rien à publier.",
    "Check the export: the rows may be on another sheet, or the filter of the export left them out.",
    "Vérifiez l'export : les lignes sont peut-être sur une autre feuille, ou un filtre de l'export les a écartées.",
    example={},
    raised_by="validation.advice",
))

# --- safety: what the tool refuses to do on untrusted input (SECURITY.md) -------------------
declare(Rule(
    'path-refused', 'error', 'source', 'Path refused', 'Chemin refusé',
    'A path was refused: {note}',
    "Un chemin a été refusé : {note_fr}",
    "A descriptor may only name files inside its own folder (after symlinks), and a descriptor read from a "
    "URL only URLs. If you wrote this descriptor yourself, run again with --trusted (trusted: true in the "
    "Action, trusted=True in Python).",
    "Un descripteur ne peut désigner que des fichiers de son propre dossier (liens symboliques suivis), et un "
    "descripteur lu depuis une adresse web seulement des adresses web. Si vous avez écrit ce descripteur "
    "vous-même, relancez avec --trusted (trusted: true dans l'Action, trusted=True en Python).",
    example={'note': 'resource "passwd": /etc/passwd is outside the descriptor\'s folder /srv/data'},
    raised_by='readers.trust',    values=words.note_words,
))
declare(Rule(
    'address-refused', 'error', 'source', 'Address refused', 'Adresse refusée',
    'A network address was refused: {note}',
    "Une adresse réseau a été refusée : {note_fr}",
    "Territoria only fetches public addresses. To validate a file served on this machine or a private "
    "network, run again with --allow-private-network (or TERRITORIA_ALLOW_PRIVATE_NETWORK=1).",
    "Territoria ne télécharge que des adresses publiques. Pour valider un fichier servi par cette machine ou "
    "un réseau privé, relancez avec --allow-private-network (ou TERRITORIA_ALLOW_PRIVATE_NETWORK=1).",
    example={'note': 'http://169.254.169.254/latest/meta-data: 169.254.169.254 is a non-public address '
                     '(169.254.169.254)'},
    raised_by='readers.remote',    values=words.note_words,
))
declare(Rule(
    'network-refused', 'error', 'source', 'Address not fetched', 'Adresse non téléchargée',
    'A network address was not fetched: {note}',
    "Une adresse réseau n'a pas été téléchargée : {note_fr}",
    "The local page (territoria ui) reads nothing from the network, so that nothing leaves the machine. Put "
    "the file the package or schema names into the upload (a zip of the package with its files), or "
    "validate it from the command line (territoria validate), which fetches public addresses.",
    "La page locale (territoria ui) ne lit rien sur le réseau, pour que rien ne quitte la machine. Joignez "
    "le fichier que le paquet ou le schéma désigne (un zip du paquet avec ses fichiers), ou validez-le en "
    "ligne de commande (territoria validate), qui télécharge les adresses publiques.",
    example={'note': 'https://example.org/mesures.csv: not fetched (this run reads nothing from the network)'},
    raised_by='readers.remote',
    values=words.note_words,
))
declare(Rule(
    'row-too-wide', 'error', 'source', 'Row too wide', 'Ligne trop large',
    'The data source was not read to the end: {note}',
    "La source n'a pas été lue jusqu'au bout : {note_fr}",
    "Check the delimiter and the quotes of the file: a row this wide is usually a broken export. "
    "If it is real, raise the limit with --max-fields.",
    "Vérifiez le séparateur et les guillemets du fichier : une ligne aussi large vient souvent d'un export "
    "défectueux. Si elle est réelle, relevez la limite avec --max-fields.",
    example={'note': 'row 2 has 2000001 cells, more than the 16384 allowed (limit max_fields)'},
    raised_by='readers',    values=words.note_words,
))
declare(Rule(
    'cell-too-large', 'error', 'source', 'Cell too large', 'Cellule trop grande',
    'The data source was not read to the end: {note}',
    "La source n'a pas été lue jusqu'au bout : {note_fr}",
    "Check the quotes of the file (an unclosed quote makes one cell of the rest of the file). "
    "If the cell is real, raise the limit with --max-cell-bytes.",
    "Vérifiez les guillemets du fichier (un guillemet non fermé fait une seule cellule du reste du fichier). "
    "Si la cellule est réelle, relevez la limite avec --max-cell-bytes.",
    example={'note': 'row 2 has a cell of more than 16777216 bytes (limit max_cell_bytes)'},
    raised_by='readers',    values=words.note_words,
))
declare(Rule(
    'line-too-long', 'error', 'source', 'Line too long', 'Ligne trop longue',
    'The data source was not read to the end: {note}',
    "La source n'a pas été lue jusqu'au bout : {note_fr}",
    "Check the line ends of the file (a file saved with old Mac line ends, or a file that is not a table). "
    "If the line is real, raise the limit with --max-line-bytes.",
    "Vérifiez les fins de ligne du fichier (un fichier enregistré avec d'anciennes fins de ligne Mac, ou qui "
    "n'est pas un tableau). Si la ligne est réelle, relevez la limite avec --max-line-bytes.",
    example={'note': 'line 2 is longer than 67108864 bytes (limit max_line_bytes)'},
    raised_by='readers',    values=words.note_words,
))
declare(Rule(
    'source-too-large', 'error', 'source', 'Source too large', 'Source trop grande',
    'The data source was not read: {note}',
    "La source n'a pas été lue : {note_fr}",
    "A small file that expands this much is usually a compression bomb. If the file is real, raise the "
    "limit named in the message (--max-uncompressed-bytes, --max-ratio, --max-cells).",
    "Un petit fichier qui grossit autant est en général une bombe de décompression. Si le fichier est réel, "
    "relevez la limite nommée dans le message (--max-uncompressed-bytes, --max-ratio, --max-cells).",
    example={'note': 'the excel archive expands more than 100 times its size (limit max_ratio): a compression bomb?'},
    raised_by='readers.compressed',    values=words.note_words,
))
declare(Rule(
    'pattern-timeout', 'warning', 'cell', 'Pattern not checked', 'Motif non vérifié',
    'Column "{fieldName}": the pattern took more than {note} on the value "{cell}", which was not checked.',
    "Colonne « {fieldName} » : le motif a pris plus de {note} sur la valeur « {cell} », qui n'a pas été vérifiée.",
    "The schema's pattern backtracks badly on this value (a nested repetition such as (a+)+). Simplify the "
    "pattern, or raise --pattern-timeout.",
    "Le motif du schéma s'emballe sur cette valeur (une répétition imbriquée comme (a+)+). Simplifiez le "
    "motif, ou relevez --pattern-timeout.",
    example={'fieldName': 'code', 'cell': 'aaaaaaaaaaaaaaaaaaaaaaaaaaa!', 'note': '1 s'},
    raised_by='fields.pattern',
))


# ``territoria fix``: what the repair did, and what it left as it was.
declare(Rule(
    "fix-error", "error", "source", "Repair impossible", "Réparation impossible",
    "The file could not be repaired: {note}",
    "Le fichier n'a pas pu être réparé : {note_fr}",
    "Check the paths (the copy is a new file, never the source), the --timezone name and the mapping file.",
    "Vérifiez les chemins (la copie est un nouveau fichier, jamais la source), le nom de --timezone et le "
    "fichier de correspondance.",
    example={"note": "points.csv: --output may not be the source, which is only ever read"},
    raised_by="fix",
    values=words.note_words,
))
declare(Rule(
    "fix-summary", "warning", "table", "Repaired copy", "Copie réparée",
    "This copy was repaired by territoria fix: {cells_en} ({changes_en}); {log_en}.",
    "Cette copie a été réparée par territoria fix : {cells_fr} ({changes_fr}) ; {log_fr}.",
    "Read the change log before publishing the copy; what no rule could repair is listed as errors below.",
    "Relisez le journal des modifications avant de publier la copie ; ce qu'aucune règle ne pouvait réparer "
    "est listé ci-dessous comme erreur.",
    example={"output": "points-corrige.csv", "log": "modifications.csv",
             "changes": [{"rule": "encoding", "count": 1, "scope": "file"},
                         {"rule": "decimal-comma", "count": 3, "scope": "cell"}]},
    raised_by="fix",
    values=words.fix_summary_words,
))
declare(Rule(
    "fix-column-left-out", "warning", "header", "Column left out", "Colonne écartée",
    "Column {fieldNumber} \"{label}\" of the source was left out of the copy: it {note}.",
    "La colonne {fieldNumber} « {label} » de la source a été écartée de la copie : elle {note_fr}.",
    "If it holds one of the schema's fields, name it in a mapping file (--mapping; --suggest-mapping writes a draft).",
    "Si elle contient un champ du schéma, nommez-le dans un fichier de correspondance (--mapping ; "
    "--suggest-mapping en écrit un brouillon).",
    example={"fieldNumber": 7, "label": "commentaire", "note": "matches no field of the schema"},
    raised_by="fix.header",
    values=words.fix_left_out_words,
))
declare(Rule(
    "fix-column-added", "warning", "header", "Column added", "Colonne ajoutée",
    "Column {fieldNumber} \"{fieldName}\" of the schema is not in the source: {then_en}.",
    "La colonne {fieldNumber} « {fieldName} » du schéma n'est pas dans la source : {then_fr}.",
    "Check that the source really lacks it (a column under another name: --mapping).",
    "Vérifiez que la source ne l'a vraiment pas (une colonne sous un autre nom : --mapping).",
    example={"fieldNumber": 16, "fieldName": "operator", "required": False},
    raised_by="fix",
    values=words.fix_column_words,
))
declare(Rule(
    "fix-ambiguous-local-time", "warning", "table", "Local time left as it was", "Heure locale laissée telle quelle",
    "{count} local time{s} of column \"{fieldName}\" {why_en} in {timezone} ({rows_en} {rows}): {it_en} {was_en} left "
    "without a UTC offset.",
    "{count} heure{s} locale{s} de la colonne « {fieldName} » {why_fr} dans le fuseau {timezone} ({lignes_fr} {rows}) : "
    "{elle_fr} {ont_fr} été laissée{s} sans décalage UTC.",
    "Write these date-times with their UTC offset (+01:00 or +02:00 in France) yourself: the file alone "
    "cannot say which hour is meant.",
    "Écrivez vous-même ces dates et heures avec leur décalage UTC (+01:00 ou +02:00 en France) : le fichier "
    "seul ne dit pas de quelle heure il s'agit.",
    example={"count": 2, "fieldName": "start_datetime", "kind": "ambiguous", "timezone": "Europe/Paris",
             "rows": "14, 15"},
    raised_by="fix.repairs.zones",
    values=words.fix_local_time_words,
))
declare(Rule(
    "fix-timezone-needed", "warning", "table", "Time zone needed", "Fuseau horaire nécessaire",
    "{count} date-time{s} of column \"{fieldName}\" {have_en} no UTC offset, which the schema requires ({rows_en} {rows}): "
    "{it_en} {was_en} left as {it_en} {was_en}.",
    "{count} date{s} et heure{s} de la colonne « {fieldName} » n'{ont_fr} pas le décalage UTC que le schéma exige "
    "({lignes_fr} {rows}) : {elle_fr} {ont_fr} été laissée{s} telle{s} quelle{s}.",
    "Give the zone the times were recorded in: territoria fix … --timezone Europe/Paris.",
    "Indiquez le fuseau dans lequel les heures ont été relevées : territoria fix … --timezone Europe/Paris.",
    example={"count": 96, "fieldName": "measured_at", "rows": "2, 3, 4, …"},
    raised_by="fix.repairs.zones",
    values=words.counted_words,
))
declare(Rule(
    "fix-split-mismatch", "warning", "table", "Cell not split", "Cellule non découpée",
    "{count} cell{s} of column \"{fieldName}\" {do_en} not split into {parts} parts at \"{separator}\" ({rows_en} {rows}): "
    "the fields of {its_en} parts were left empty.",
    "{count} cellule{s} de la colonne « {fieldName} » ne se découp{ent_fr} pas en {parts} parties à « {separator} » "
    "({lignes_fr} {rows}) : les champs de {leur_fr} parties ont été laissés vides.",
    "Complete these cells in the source, or write their fields yourself in the copy.",
    "Complétez ces cellules dans la source, ou écrivez vous-même leurs champs dans la copie.",
    example={"count": 2, "fieldName": "Extinction", "parts": 2, "separator": "-", "rows": "7, 12"},
    raised_by="fix.reshape",
    values=words.counted_words,
))
declare(Rule(
    "fix-ambiguous-year", "warning", "table", "Two-digit year left as it was", "Année à deux chiffres laissée telle quelle",
    "{count} date{s} of column \"{fieldName}\" {have_en} a two-digit year of more than one possible century "
    "({rows_en} {rows}): {it_en} {was_en} left as {it_en} {was_en}.",
    "{count} date{s} de la colonne « {fieldName} » {ont_fr} une année à deux chiffres de plus d'un siècle possible "
    "({lignes_fr} {rows}) : {elle_fr} {ont_fr} été laissée{s} telle{s} quelle{s}.",
    "Write the year with four digits; dd/mm/yy is read only when the field's minimum and maximum leave a "
    "single century.",
    "Écrivez l'année sur quatre chiffres ; jj/mm/aa n'est lu que si le minimum et le maximum du champ ne "
    "laissent qu'un siècle possible.",
    example={"count": 3, "fieldName": "installation_date", "rows": "4, 9, 12"},
    raised_by="fix.repairs.temporal",
    values=words.counted_words,
))


# ``territoria ui``: what the local page refuses to read, before any reader sees it.
declare(Rule(
    "upload-too-large", "error", "source", "Upload too large", "Envoi trop volumineux",
    "The upload was not read: {note}",
    "L'envoi n'a pas été lu : {note_fr}",
    "Validate a file this large from the command line (territoria validate FILE), which reads it as a stream, "
    "or start the page with a higher limit: territoria ui --max-upload-mb N.",
    "Validez un fichier aussi gros en ligne de commande (territoria validate FICHIER), qui le lit au fil de "
    "l'eau, ou relancez la page avec une limite plus haute : territoria ui --max-upload-mb N.",
    example={"note": "the files sent are larger than 1024 MiB, the page's limit"},
    raised_by="ui.uploads",
    values=words.note_words,
))
declare(Rule(
    "upload-refused", "error", "source", "Upload refused", "Envoi refusé",
    "The upload was refused: {note}",
    "L'envoi a été refusé : {note_fr}",
    "Send one or more data files (the form field file) and, if you wish, a schema (the field schema): a "
    "catalogue name such as street-lighting/light_points, or the JSON text of a schema.",
    "Envoyez un ou plusieurs fichiers de données (le champ « file » du formulaire) et, si vous le souhaitez, un "
    "schéma (le champ « schema ») : un nom du catalogue comme street-lighting/light_points, ou le texte JSON "
    "d'un schéma.",
    example={"note": "no file was sent"},
    raised_by="ui.uploads",
    values=words.note_words,
))


# ``territoria audit``: what a fleet of checks met besides the data.
declare(Rule(
    "time-limit", "error", "source", "Time limit reached", "Temps imparti dépassé",
    "The resource was not checked within its time limit: {note}",
    "La ressource n'a pas été vérifiée dans le temps imparti : {note_fr}",
    "A slow or stalled server, or a very large file. Run the audit again later, or raise --time-limit.",
    "Un serveur lent ou bloqué, ou un très gros fichier. Relancez l'audit plus tard, ou relevez --time-limit.",
    example={"note": "https://www.example.org/mesures.csv: not done after 120 s; the worker was stopped"},
    raised_by="audit.work, audit.workers",
    values=words.note_words,
))
declare(Rule(
    "worker-lost", "error", "source", "Worker stopped", "Processus arrêté",
    "The process that checked the resource stopped: {note}",
    "Le processus qui vérifiait la ressource s'est arrêté : {note_fr}",
    "The file may need more memory than a worker is allowed: raise --worker-memory, or check the file alone "
    "with territoria validate.",
    "Le fichier demande peut-être plus de mémoire qu'un processus n'en a le droit : relevez --worker-memory, "
    "ou vérifiez le fichier seul avec territoria validate.",
    example={"note": "https://www.example.org/mesures.csv: the worker used more than 2048 MiB and was stopped"},
    raised_by="audit.workers",
    values=words.note_words,
))
declare(Rule(
    "listing-truncated", "warning", "source", "Listing cut short", "Liste incomplète",
    "The portal's listing was not read to its end: {note}",
    "La liste du portail n'a pas été lue jusqu'au bout : {note_fr}",
    "The datasets after that point are not in this audit. Raise --max-pages, or run again when the portal "
    "answers.",
    "Les jeux de données suivants ne sont pas dans cet audit. Relevez --max-pages, ou relancez quand le portail "
    "répond.",
    example={"note": "https://www.data.gouv.fr: stopped after 500 pages (--max-pages)"},
    raised_by="portals",
    values=words.note_words,
))
