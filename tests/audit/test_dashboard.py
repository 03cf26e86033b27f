"""index.html: self-contained, escaped, charts as inline SVG, words in the audit's language."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from territoria.audit import charts, dashboard
from territoria.audit.runner import Audit

HOSTILE = '<script>alert("x")</script>'


def row(**values) -> dict:
    base = {"key": "k", "dataset": "Mesures", "organization": "Ville de Grenoble", "resource": "mesures",
            "url": "https://example.org/mesures.csv", "schema": "waste-fill-level/measurements",
            "schema_version": "1.0.0", "status": "valid", "errors": 0, "warnings": 0, "error_types": "{}",
            "rows": 10, "bytes": 1000, "seconds": 0.02, "message": "", "revalidated": True,
            "report": "reports/k.json"}
    base.update(values)
    return base


@pytest.fixture
def audit() -> Audit:
    rows = [row(key=f"v{n}", report=f"reports/v{n}.json") for n in range(6)]
    rows += [row(key="i1", status="invalid", errors=3, error_types='{"type-error": 2, "constraint-error": 1}',
                 organization=HOSTILE, resource=HOSTILE, message=HOSTILE, report="reports/i1.json", bytes=10 ** 6),
             row(key="i2", status="invalid", errors=1, error_types='{"type-error": 1}', organization="$x^2$ and $",
                 url="javascript:alert(1)", seconds=9.5, revalidated=False),
             row(key="f", status="failed", errors=1, error_types='{"time-limit": 1}', schema="", schema_version=""),
             row(key="s", status="skipped", report="", format="pdf")]
    history = [{"run_at": "2026-11-30T02:00:00Z", "valid": 4, "invalid": 4, "resources": 10},
               {"run_at": "2026-12-01T02:00:00Z", "valid": 6, "invalid": 2, "resources": 10}]
    return Audit(rows, [], history, "2026-12-01T02:00:00Z")


def test_the_page_is_self_contained_and_escaped(audit):
    page = dashboard.render(audit, "en")
    assert HOSTILE not in page and "&lt;script&gt;" in page
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"\b(src|srcset)\s*=|url\((?!#)|@import", page, re.I)  # url(#clip) stays inside
    links = re.findall(r'<a href="([^"]*)"', page)
    assert "javascript:alert(1)" not in " ".join(links)
    assert set(links) <= {"https://example.org/mesures.csv"} | {r["report"] for r in audit.rows if r["report"]}
    for title in ("Validity by schema and version", "Validity by organisation", "Most frequent errors",
                  "Largest files", "Slowest files to check", "From one audit to the next", "All resources"):
        assert title in page, title
    assert "Type error" in page and "Time limit reached" in page  # the rules' titles, not bare codes


def test_the_charts_are_svg_drawn_at_build_time(audit):
    page = dashboard.render(audit, "en")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 4  # the trend, by schema, by organisation, the error types
    ids = []
    for svg in svgs:
        tree = ElementTree.fromstring(svg)  # each one well-formed XML
        ids += [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # two charts never share an identifier in the page
    assert "$x^2$ and $" in page  # a dollar sign is text, not mathematics


def test_the_page_speaks_french(audit):
    page = dashboard.render(audit, "fr")
    assert '<html lang="fr">' in page
    for words in ("Validité par schéma et version", "Erreurs les plus fréquentes", "Les plus gros fichiers",
                  "Toutes les ressources", "Erreur de type", "Temps imparti dépassé", "inchangée", "Non tabulaires"):
        assert words in page, words
    assert '<td class="n">50,0</td>' in page and '<td class="n">75,0</td>' in page  # the trend, a decimal comma


def test_without_matplotlib_the_page_keeps_its_tables(audit, monkeypatch):
    monkeypatch.setattr(charts, "available", lambda: False)
    page = dashboard.render(audit, "en")
    assert "<svg" not in page and "territoria[audit]" in page and "Validity by organisation" in page


def test_an_empty_audit_still_has_a_page():
    page = dashboard.render(Audit([], [], [], "2026-12-01T02:00:00Z"), "en")
    assert "Territoria audit" in page and "<svg" not in page
