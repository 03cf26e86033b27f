"""The page's own words, in French and English: its labels, buttons and progress lines.

Why only these: what the page says about the data (verdicts, counts, errors,
hints) is the HTML report's own fragment (``render.html.fragment``) and the
rules' words (``rules``); here are only the words of the controls around it.
Each key has both languages (``tests/ui`` checks it); ``{name}`` parts are
filled in by the page's script.
"""
from __future__ import annotations

#: key -> (French, English)
WORDS = {
    "title": ("Territoria — vérifier des fichiers de données", "Territoria — check data files"),
    "lead": ("Vérifiez vos fichiers avec les schémas du catalogue Territoria. Tout se passe sur cet ordinateur : "
             "aucun fichier n'est envoyé ailleurs.",
             "Check your files against the schemas of the Territoria catalogue. Everything happens on this "
             "computer: no file is sent anywhere else."),
    "switch": ("English", "Français"),
    "switch_label": ("Show the page in English", "Afficher la page en français"),
    "files_heading": ("1. Les fichiers", "1. The files"),
    "files_label": ("Choisir un ou plusieurs fichiers", "Choose one or more files"),
    "files_help": ("CSV, TSV, XLSX, ODS, JSON, Parquet, ou le zip d'un paquet de données (avec son "
                   "datapackage.json), {limit} Mio au plus en tout. Vous pouvez aussi les déposer dans ce cadre.",
                   "CSV, TSV, XLSX, ODS, JSON, Parquet, or the zip of a data package (with its datapackage.json), "
                   "{limit} MiB at most in all. You can also drop them into this frame."),
    "drop": ("Déposez les fichiers ici", "Drop the files here"),
    "no_file": ("Aucun fichier choisi.", "No file chosen."),
    "chosen": ("Fichiers choisis :", "Files chosen:"),
    "remove": ("Retirer {name}", "Remove {name}"),
    "schema_heading": ("2. Le schéma", "2. The schema"),
    "search_label": ("Rechercher un schéma (cas d'usage, table, mot-clé)",
                     "Search for a schema (use case, table, keyword)"),
    "schema_label": ("Schéma du catalogue", "Catalogue schema"),
    "schema_none": ("Aucun : la structure seule, ou les schémas que le paquet déclare",
                    "None: the structure only, or the schemas the package declares"),
    "whole_entry": ("{title} — toutes les tables", "{title} — all tables"),
    "version_label": ("Version", "Version"),
    "schema_file_label": ("… ou un fichier de schéma (JSON)", "… or a schema file (JSON)"),
    "schema_file_button": ("Choisir un fichier de schéma", "Choose a schema file"),
    "schema_file_remove": ("Retirer le fichier de schéma", "Remove the schema file"),
    "schema_file_help": ("Un Table Schema ou un datapackage.json ; s'il est donné, il remplace le choix du catalogue.",
                         "A Table Schema or a datapackage.json; when given, it replaces the catalogue choice."),
    "no_match": ("Aucun schéma ne correspond à cette recherche.", "No schema matches this search."),
    "suggested": ("Schéma proposé d'après l'en-tête du fichier : {schema}.",
                  "Schema suggested by the file's header: {schema}."),
    "check": ("Valider", "Validate"),
    "need_file": ("Choisissez d'abord au moins un fichier.", "Choose at least one file first."),
    "progress_label": ("Avancement", "Progress"),
    "sending": ("Envoi des fichiers à la page locale… {pct} %", "Sending the files to the local page… {pct} %"),
    "queued": ("En attente : une autre vérification est en cours…", "Waiting: another check is running…"),
    "checking": ("Vérification… {rows} lignes lues", "Checking… {rows} rows read"),
    "checking_of": ("Vérification… {rows} lignes lues sur environ {total}",
                    "Checking… {rows} of about {total} rows read"),
    "done": ("Vérification terminée.", "Check finished."),
    "report_heading": ("3. Le rapport", "3. The report"),
    "report_empty": ("Le rapport s'affichera ici.", "The report will appear here."),
    "download_html": ("Télécharger le rapport HTML", "Download the HTML report"),
    "download_json": ("Télécharger le rapport JSON", "Download the JSON report"),
    "fix": ("Télécharger la copie corrigée", "Download the repaired copy"),
    "fix_help": ("Un zip : la copie conforme (CSV UTF-8), le journal de chaque modification (CSV) et le rapport "
                 "de la copie.",
                 "A zip: the conformant copy (UTF-8 CSV), the log of every change (CSV) and the copy's report."),
    "fixing": ("Réparation en cours…", "Repairing…"),
    "fixed": ("Copie corrigée téléchargée ({file}) : {changes}.", "Repaired copy downloaded ({file}): {changes}."),
    "change_one": ("{n} modification", "{n} change"),
    "change_many": ("{n} modifications", "{n} changes"),
    "fixed_valid": ("La copie est valide.", "The copy is valid."),
    "fixed_invalid_one": ("La copie garde {n} erreur qu'aucune règle ne répare : corrigez-la à la main (voir le "
                          "rapport de la copie dans le zip).",
                          "The copy keeps {n} error no rule repairs: fix it by hand (see the copy's report in "
                          "the zip)."),
    "fixed_invalid_many": ("La copie garde {n} erreurs qu'aucune règle ne répare : corrigez-les à la main (voir le "
                           "rapport de la copie dans le zip).",
                           "The copy keeps {n} errors no rule repairs: fix them by hand (see the copy's report "
                           "in the zip)."),
    "no_answer": ("La page locale ne répond pas : la commande territoria ui tourne-t-elle encore ?",
                  "The local page does not answer: is the territoria ui command still running?"),
    "footer": ("Territoria {version}. Cette page est servie par votre ordinateur : elle ne charge rien d'Internet "
               "et n'y envoie rien.",
               "Territoria {version}. This page is served by your computer: it loads nothing from the Internet "
               "and sends nothing there."),
}


def of(lang: str) -> dict:
    """Every word in ``lang`` ("fr" or "en")."""
    index = 0 if lang == "fr" else 1
    return {key: pair[index] for key, pair in WORDS.items()}
