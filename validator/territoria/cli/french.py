"""The command's help in French: ``territoria --help`` under a French locale or with ``--lang fr``.

Why a layer over the parser rather than two parsers: options are declared once,
in English (``cli/__init__.py``); this table gives each help text its French,
and argparse's own words ("usage:", "options") are translated while the help is
printed. ``tests/cli/test_help.py`` fails when an option has no French.
"""
from __future__ import annotations

import argparse
import contextlib

#: English help text -> French
HELP = {
    "Validate smart-territory open data against Table Schemas.":
        "Valider les données ouvertes des territoires intelligents avec des Table Schemas.",
    "validate data files against a schema": "valider des fichiers de données avec un schéma",
    "CSV, TSV, XLSX, ODS, JSON or Parquet file, URL, folder or datapackage.json":
        "fichier CSV, TSV, XLSX, ODS, JSON ou Parquet, adresse, dossier ou datapackage.json",
    "schema: path, URL, or catalogue name NAME[/RESOURCE][@VERSION]":
        "schéma : chemin, adresse, ou nom du catalogue NOM[/RESSOURCE][@VERSION]",
    "report format (default: text); github: workflow-command annotations":
        "format du rapport (par défaut : text) ; github : annotations de workflow",
    "write the report to FILE instead of the standard output":
        "écrire le rapport dans FICHIER plutôt que sur la sortie standard",
    "a published file to validate (repeatable)": "un fichier publié à valider (répétable)",
    "a portal dataset: datagouv:ID, ckan:BASE#ID or ods:BASE#ID (repeatable)":
        "un jeu de données d'un portail : datagouv:ID, ckan:BASE#ID ou ods:BASE#ID (répétable)",
    "message language (default: from the locale)": "langue des messages (par défaut : celle du système)",
    "errors listed in detail per file (counts stay exact; default 1000)":
        "erreurs détaillées par fichier (les décomptes restent exacts ; 1000 par défaut)",
    "CSV delimiter, when detection is not wanted": "séparateur CSV, quand la détection n'est pas souhaitée",
    "text encoding, when detection is not wanted": "encodage du texte, quand la détection n'est pas souhaitée",
    "spreadsheet sheet: its name, its number (1 is the first) or all (default: the first)":
        "feuille du classeur : son nom, son numéro (1 pour la première) ou all (par défaut : la première)",
    "write a repaired copy of a file, with a log of every change":
        "écrire une copie réparée d'un fichier, avec le journal de chaque modification",
    "Repair what can be repaired (dialect, header, decimal commas, French dates, times and booleans, labels, "
    "time zones, swapped or Lambert 93 coordinates), log every change, invent nothing; then validate the copy.":
        "Réparer ce qui peut l'être (dialecte, en-tête, virgules décimales, dates, heures et booléens à la "
        "française, libellés, fuseaux horaires, coordonnées inversées ou en Lambert 93), journaliser chaque "
        "modification, ne rien inventer ; puis valider la copie.",
    "the file to repair (CSV, TSV, XLSX, ODS, JSON, Parquet, URL; default: the mapping's source/file)":
        "le fichier à réparer (CSV, TSV, XLSX, ODS, JSON, Parquet, adresse ; par défaut : le source/file du "
        "fichier de correspondance)",
    "schema: path, URL, or catalogue name NAME[/RESOURCE][@VERSION] (default: the mapping's schema)":
        "schéma : chemin, adresse ou nom du catalogue NOM[/RESSOURCE][@VERSION] (par défaut : le schema du "
        "fichier de correspondance)",
    "the copy to write (UTF-8 CSV); with --suggest-mapping: the draft mapping":
        "la copie à écrire (CSV UTF-8) ; avec --suggest-mapping : le brouillon de correspondance",
    "write every change as CSV: row,field,before,after,rule":
        "écrire chaque modification en CSV : ligne,champ,avant,après,règle",
    "IANA zone of naive local date-times (e.g. Europe/Paris), to give them their UTC offset":
        "fuseau IANA des dates-heures locales sans décalage (par ex. Europe/Paris), pour leur donner leur "
        "décalage UTC",
    "the mapping file of a legacy export: its columns, codes, units, constants and rows":
        "le fichier de correspondance d'un export ancien : ses colonnes, codes, unités, constantes et lignes",
    "write a draft mapping file for FILE instead of repairing it":
        "écrire un brouillon de fichier de correspondance pour FICHIER au lieu de le réparer",
    "report format (default: text)": "format du rapport (par défaut : text)",
    "errors of the copy listed in detail": "erreurs de la copie détaillées",
    "CSV delimiter of FILE, when detection is not wanted":
        "séparateur CSV de FICHIER, quand la détection n'est pas souhaitée",
    "text encoding of FILE, when detection is not wanted":
        "encodage du texte de FICHIER, quand la détection n'est pas souhaitée",
    "spreadsheet sheet: its name or its number (1 is the first; default: the first)":
        "feuille du classeur : son nom ou son numéro (1 pour la première ; par défaut : la première)",
    "peak memory to keep under, e.g. 600M or 2G (default 600M): key indexes (unique, primaryKey) beyond their "
    "share spill to a temporary folder":
        "mémoire maximale à ne pas dépasser, par ex. 600M ou 2G (600M par défaut) : au-delà de leur part, les index "
        "de clés (unique, primaryKey) sont écrits dans un dossier temporaire",
    "never show a progress bar": "ne jamais afficher de barre de progression",
    "browse the schema catalogue": "parcourir le catalogue des schémas",
    "list the catalogue entries and their versions": "lister les entrées du catalogue et leurs versions",
    "show the fields of NAME[/RESOURCE][@VERSION]": "afficher les champs de NOM[/RESSOURCE][@VERSION]",
    "print a table schema in another validator's vocabulary":
        "afficher un schéma de table dans le vocabulaire d'un autre validateur",
    "validata: the national catalogue's validator (validata-table 0.12.5)":
        "validata : le validateur du catalogue national (validata-table 0.12.5)",
    "check schema descriptors and house rules": "vérifier les descripteurs de schéma et les règles de la maison",
    "catalogue, entry or version folder, datapackage.json or table schema (default: the whole catalogue)":
        "dossier du catalogue, d'une entrée ou d'une version, datapackage.json ou schéma de table "
        "(par défaut : tout le catalogue)",
    "classify the changes between two schema versions (semver)":
        "classer les changements entre deux versions d'un schéma (semver)",
    "NAME[/RESOURCE]@VERSION, datapackage.json or table schema":
        "NOM[/RESSOURCE]@VERSION, datapackage.json ou schéma de table",
    "record hashes of new released versions in schemas/versions.lock":
        "enregistrer les empreintes des nouvelles versions publiées dans schemas/versions.lock",
    "only verify the lock, write nothing": "seulement vérifier le verrou, ne rien écrire",
    "catalogue folder (default: the installed one)": "dossier du catalogue (par défaut : celui installé)",
    "build or serve the catalogue site": "construire ou servir le site du catalogue",
    "build the site (strict: a warning fails)": "construire le site (strict : un avertissement fait échouer)",
    "output folder (default: site/ at the repository root)": "dossier de sortie (par défaut : site/ à la racine du dépôt)",
    "do not fail on warnings": "ne pas échouer sur un avertissement",
    "serve the site with live reload": "servir le site avec rechargement automatique",
    "IP:PORT to listen on (default 127.0.0.1:8000)": "IP:PORT où écouter (par défaut 127.0.0.1:8000)",
    "open a local web page to validate and repair files":
        "ouvrir une page web locale pour valider et réparer des fichiers",
    "Start a web page on this computer to validate files against the catalogue's schemas and download their "
    "repaired copies; nothing leaves the machine.":
        "Démarrer sur cet ordinateur une page web pour valider des fichiers avec les schémas du catalogue et "
        "télécharger leurs copies corrigées ; rien ne quitte la machine.",
    "port to listen on (default 8765, or a free one if it is taken)":
        "port où écouter (par défaut 8765, ou un port libre s'il est pris)",
    "address to listen on (default 127.0.0.1, this computer only)":
        "adresse où écouter (par défaut 127.0.0.1 : cet ordinateur seulement)",
    "do not open the browser on the page": "ne pas ouvrir le navigateur sur la page",
    "largest upload the page accepts, in MiB (default 1024)":
        "plus gros envoi que la page accepte, en Mio (1024 par défaut)",
    "language of the page (default: French) and of these messages (default: from the locale)":
        "langue de la page (par défaut : le français) et de ces messages (par défaut : celle du système)",
    "show program's version number and exit": "afficher la version du programme et quitter",
    "show this help message and exit": "afficher cette aide et quitter",
    "let the descriptors name files outside their folder (only for descriptors you wrote)":
        "laisser les descripteurs nommer des fichiers hors de leur dossier (seulement pour vos propres descripteurs)",
    "let downloads reach loopback, private and link-local addresses":
        "laisser les téléchargements atteindre les adresses locales, privées et de lien local",
    "cells allowed in one row (default 16384)": "cellules permises dans une ligne (16384 par défaut)",
    "bytes allowed in one cell (default 16 MiB)": "octets permis dans une cellule (16 Mio par défaut)",
    "bytes allowed in one line or JSON row (default 64 MiB)":
        "octets permis dans une ligne ou une ligne JSON (64 Mio par défaut)",
    "bytes a compressed file or spreadsheet may expand to (default 4 GiB)":
        "octets qu'un fichier compressé ou un classeur peut atteindre une fois décompressé (4 Gio par défaut)",
    "expansion ratio refused past 64 MiB expanded (default 100)":
        "taux d'expansion refusé au-delà de 64 Mio décompressés (100 par défaut)",
    "cells allowed in a spreadsheet sheet (default 50,000,000)":
        "cellules permises dans une feuille de classeur (50 000 000 par défaut)",
    "seconds a pattern RE2 cannot run may spend on one cell (default 1)":
        "secondes qu'un motif que RE2 ne sait pas exécuter peut passer sur une cellule (1 par défaut)",
    "check every published file of a list or a portal, in parallel; write results and a dashboard":
        "vérifier chaque fichier publié d'une liste ou d'un portail, en parallèle ; écrire les résultats et un "
        "tableau de bord",
    "Check many published files at once (local worker processes, or a Dask cluster), each against the schema it "
    "declares; write results.parquet, results.csv, a JSON report per file and an index.html dashboard into the "
    "output folder. A second run in the same folder checks again only the files that changed.":
        "Vérifier de nombreux fichiers publiés à la fois (processus locaux, ou une grappe Dask), chacun avec le "
        "schéma qu'il déclare ; écrire results.parquet, results.csv, un rapport JSON par fichier et un tableau de "
        "bord index.html dans le dossier de sortie. Un second passage dans le même dossier ne vérifie à nouveau que "
        "les fichiers qui ont changé.",
    "one target per line: URL, path, folder, glob or dataset reference (datagouv:ID, ckan:BASE#ID, ods:BASE#ID); "
    "- reads the standard input":
        "une cible par ligne : adresse, chemin, dossier, motif ou référence de jeu de données (datagouv:ID, "
        "ckan:BASE#ID, ods:BASE#ID) ; - lit l'entrée standard",
    "a udata portal whose datasets to list (with --declared-schema)":
        "un portail udata dont lister les jeux de données (avec --declared-schema)",
    "list the portal's resources that declare this schema (e.g. etalab/schema-irve-statique)":
        "lister les ressources du portail qui déclarent ce schéma (par ex. etalab/schema-irve-statique)",
    "schema for the resources that declare none: path, URL, or catalogue name NAME[/RESOURCE][@VERSION]":
        "schéma des ressources qui n'en déclarent aucun : chemin, adresse, ou nom du catalogue "
        "NOM[/RESSOURCE][@VERSION]",
    "folder of the results, the reports and the dashboard (reused by the next run)":
        "dossier des résultats, des rapports et du tableau de bord (repris par le passage suivant)",
    "local worker processes (default: one per core)": "processus de travail locaux (par défaut : un par cœur)",
    "run on this Dask distributed scheduler (tcp://HOST:PORT) instead of local workers":
        "travailler sur cet ordonnanceur Dask distributed (tcp://HÔTE:PORT) plutôt qu'avec des processus locaux",
    "seconds one resource may take, download and validation (default 120)":
        "secondes qu'une ressource peut prendre, téléchargement et validation (120 par défaut)",
    "new tries of a download after a transient error (429, 5xx, a reset; default 3)":
        "nouveaux essais d'un téléchargement après une erreur passagère (429, 5xx, connexion coupée ; 3 par défaut)",
    "memory a local worker may use before it is replaced, in MiB (default 2048; 0: no bound)":
        "mémoire qu'un processus local peut utiliser avant d'être remplacé, en Mio (2048 par défaut ; 0 : sans "
        "limite)",
    "pages of the portal's listing read at most (default 500)":
        "pages de la liste du portail lues au plus (500 par défaut)",
    "invalid: exit 1 when a file is invalid (default never: 0 whenever the audit ran)":
        "invalid : code de sortie 1 quand un fichier est invalide (par défaut never : 0 dès que l'audit a tourné)",
}
#: argparse's own words (its gettext messages)
ARGPARSE = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version du programme et quitter",
    "the following arguments are required: %s": "ces arguments sont obligatoires : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (parmi %(choices)s)",
    "expected one argument": "un argument attendu",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "invalid %(type)s value: %(value)r": "valeur %(type)s invalide : %(value)r",
    "limits and safety (see SECURITY.md)": "limites et sécurité (voir SECURITY.md)",
}


def translate(parser: argparse.ArgumentParser) -> None:
    """Give the parser (and its subcommands) their French help texts."""
    if parser.description in HELP:
        parser.description = HELP[parser.description]
    for group in parser._action_groups:  # titled when the parser was made, in English
        group.title = ARGPARSE.get(group.title, group.title)
    for action in parser._actions:
        if action.help in HELP:
            action.help = HELP[action.help]
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help in HELP:
                    choice.help = HELP[choice.help]
            for subparser in action.choices.values():
                translate(subparser)


@contextlib.contextmanager
def argparse_in_french():
    """argparse's own words in French while the help or an error is printed."""
    original = argparse._
    argparse._ = lambda text: ARGPARSE.get(text, text)
    try:
        yield
    finally:
        argparse._ = original


def untranslated(parser: argparse.ArgumentParser) -> list:
    """Help texts that have no French (the test lists them)."""
    missing = []
    texts = [parser.description] + [action.help for action in parser._actions]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [choice.help for choice in action._choices_actions]
            for subparser in action.choices.values():
                missing += untranslated(subparser)
    missing += [text for text in texts if text and text != argparse.SUPPRESS and text not in HELP]
    return missing
