"""Renderers: one :class:`~territoria.report.Report`, five forms.

``text`` for people at a terminal, ``json`` for programs (frictionless-compatible),
``markdown`` for a job summary, ``html`` for anyone with a browser, ``github``
for workflow-command annotations on the faulty lines. Every form reads the
findings' words from the report (``rules`` gave them), never writes its own.
"""
from __future__ import annotations

from importlib import import_module
from typing import Optional

FORMATS = ("text", "json", "markdown", "html", "github")


def render(report, fmt: str = "text", lang: str = "en", *, skipped: list = (), root: Optional[str] = None) -> str:
    """The report in ``fmt``; ``skipped``: portal resources left out (not tables);
    ``root``: the repository the annotations' paths are relative to (github)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (expected: {', '.join(FORMATS)})")
    module = import_module(f".{fmt}", __name__)
    if fmt == "github":
        return module.render(report, lang, root)
    if fmt == "text":
        return module.render(report, lang)
    return module.render(report, lang, skipped=skipped)


def write(report, fmt: str, stream, lang: str = "en", *, skipped: list = (), root: Optional[str] = None) -> None:
    """Write the report in ``fmt`` to the text ``stream`` (JSON as a stream: a report
    listing every error of a large file is never one string)."""
    if fmt == "json":
        from .json import write as write_json

        write_json(report, stream, lang, skipped=skipped)
    else:
        stream.write(render(report, fmt, lang, skipped=skipped, root=root))
