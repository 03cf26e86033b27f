"""The report as JSON: frictionless v5's structure, plus Territoria's own keys.

The command line and the GitHub Action write this same document; resources of
portal datasets that were deliberately not validated (not tables) are listed
under ``territoria.skipped``.

Why a stream: a report listing every error of a broken file holds hundreds of
thousands of them. The document around them is indented as ``json.dumps(indent=2)``
writes it; each task's errors are given their words (``rules.Finding.words``)
and encoded a chunk at a time, one error per line, by the C encoder (orjson when
installed, ``pip install 'territoria[fast]'``), so that neither the whole text
nor every error's words are ever held at once.
"""
from __future__ import annotations

import io
import json
from dataclasses import asdict

_CHUNK = 4096
_MARK = "@@territoria-errors-{}@@"


def to_dict(report, *, skipped: list = (), lang: str = "en", listed: bool = True) -> dict:
    data = report.to_dict(lang, listed)
    data["territoria"] = {"skipped": [asdict(item) for item in skipped]}
    return data


def render(report, lang: str = "en", *, skipped: list = ()) -> str:
    out = io.StringIO()
    write(report, out, lang, skipped=skipped)
    return out.getvalue()


def write(report, stream, lang: str = "en", *, skipped: list = ()) -> None:
    """Write the JSON report to the text ``stream``."""
    data = to_dict(report, skipped=skipped, lang=lang, listed=False)
    listed = []
    for number, task in enumerate(data["tasks"]):
        listed.append(report.tasks[number].errors)
        task["errors"] = _MARK.format(number)
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    at = 0
    for number, errors in enumerate(listed):
        mark = f'"{_MARK.format(number)}"'
        where = text.index(mark, at)
        stream.write(text[at:where])
        indent = where - text.rindex("\n", 0, where) - 1 - len('"errors": ')
        _write_errors(errors, stream, " " * (indent + 2), lang)
        at = where + len(mark)
    stream.write(text[at:])
    stream.write("\n")


def _write_errors(errors: list, stream, indent: str, lang: str) -> None:
    if not errors:
        stream.write("[]")
        return
    encode = _encoder()
    stream.write("[\n")
    for start in range(0, len(errors), _CHUNK):
        chunk = [_in(error.words() if hasattr(error, "words") else dict(error), lang)
                 for error in errors[start:start + _CHUNK]]
        stream.write(",\n".join(indent + encode(error) for error in chunk))
        stream.write(",\n" if start + _CHUNK < len(errors) else "\n")
    stream.write(indent[:-2] + "]")


def _in(error: dict, lang: str) -> dict:
    """frictionless's one ``message``, in ``lang`` (``message_fr`` and ``message_en`` stay)."""
    if lang != "en":
        error["message"] = error.get(f"message_{lang}") or error.get("message", "")
    return error


def _encoder():
    """One error as compact JSON text: orjson when installed, else the stdlib's C encoder."""
    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    try:
        import orjson
    except ImportError:
        return standard

    def encode(error: dict) -> str:
        try:
            return orjson.dumps(error, default=str).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):  # an integer beyond 64 bits, a NaN key...
            return standard(error)

    return encode
