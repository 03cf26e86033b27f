"""The report as JSON: frictionless v5's structure, plus Territoria's own keys.

The command line and the GitHub Action write this same document; resources of
portal datasets that were deliberately not validated (not tables) are listed
under ``territoria.skipped``.
"""
from __future__ import annotations

import json
from dataclasses import asdict


def to_dict(report, *, skipped: list = (), lang: str = "en") -> dict:
    data = report.to_dict(lang)
    data["territoria"] = {"skipped": [asdict(item) for item in skipped]}
    return data


def render(report, lang: str = "en", *, skipped: list = ()) -> str:
    return json.dumps(to_dict(report, skipped=skipped, lang=lang), ensure_ascii=False, indent=2, default=str) + "\n"
