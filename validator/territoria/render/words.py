"""Counted words the renderers share: "1 erreur", "3 erreurs", "1 file", "3 files".

Why one place: every form (text, markdown, html, github) states the same totals;
French counts 0 and 1 in the singular, English only 1.
"""
from __future__ import annotations

#: word -> (French singular, French plural, English singular, English plural)
WORDS = {
    "file": ("fichier", "fichiers", "file", "files"),
    "error": ("erreur", "erreurs", "error", "errors"),
    "warning": ("avertissement", "avertissements", "warning", "warnings"),
    "row": ("ligne", "lignes", "row", "rows"),
    "checked": ("vérifié", "vérifiés", "checked", "checked"),
    "valid": ("valide", "valides", "valid", "valid"),
    "invalid": ("invalide", "invalides", "invalid", "invalid"),
    "unchecked": ("non vérifiable", "non vérifiables", "could not be checked", "could not be checked"),
    "shown": ("affichée", "affichées", "shown", "shown"),
    # territoria audit: resources (feminine in French)
    "resource": ("ressource", "ressources", "resource", "resources"),
    "valid-f": ("valide", "valides", "valid", "valid"),
    "invalid-f": ("invalide", "invalides", "invalid", "invalid"),
    "unchecked-resource": ("non vérifiée", "non vérifiées", "not checked", "not checked"),
    "not-table": ("non tabulaire", "non tabulaires", "not a table", "not tables"),
    "checked-again": ("vérifiée à nouveau", "vérifiées à nouveau", "checked again", "checked again"),
    "unchanged": ("inchangée", "inchangées", "unchanged", "unchanged"),
}


def place(task, lang: str) -> str:
    """Where a task's table is: its file, and its sheet when one was chosen (``points.xlsx, feuille « lampes »``)."""
    if not getattr(task, "sheet", ""):
        return task.place
    return f"{task.place}, feuille « {task.sheet} »" if lang == "fr" else f'{task.place}, sheet "{task.sheet}"'


def word(count: int, key: str, lang: str) -> str:
    """The word for ``count`` things (no number)."""
    fr_one, fr_many, en_one, en_many = WORDS[key]
    if lang == "fr":
        return fr_one if abs(count) <= 1 else fr_many
    return en_one if abs(count) == 1 else en_many


def count(number: int, key: str, lang: str) -> str:
    """``number`` and its word: "1 erreur", "0 erreur", "2 errors"."""
    return f"{number:,}".replace(",", "\u202f" if lang == "fr" else ",") + " " + word(number, key, lang)


def summary(tasks: list, lang: str) -> str:
    """"3 fichiers vérifiés : 2 valides, 1 invalide, 0 non vérifiable." (files, verdicts)."""
    valid = sum(1 for t in tasks if t.valid)
    failed = sum(1 for t in tasks if t.could_not_run)
    invalid = len(tasks) - valid - failed
    files = f"{count(len(tasks), 'file', lang)} {word(len(tasks), 'checked', lang)}"
    parts = f"{valid} {word(valid, 'valid', lang)}, {invalid} {word(invalid, 'invalid', lang)}, " \
            f"{failed} {word(failed, 'unchecked', lang)}"
    return f"{files} : {parts}" if lang == "fr" else f"{files}: {parts}"


def totals(errors: int, warnings: int, lang: str) -> str:
    """"12 erreurs, 1 avertissement"."""
    return f"{count(errors, 'error', lang)}, {count(warnings, 'warning', lang)}"
