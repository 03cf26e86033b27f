"""The github, markdown and html renderers: positions, caps and escaping."""
from __future__ import annotations

import json
import re

import pytest

import territoria
from territoria.render import github as render_github, html as render_html, markdown as render_markdown
from territoria.cli import main as cli_main
from territoria.report import Report, Task
from territoria.rules import describe as enrich

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "comment", "type": "string"},
                     {"name": "level", "type": "integer"}]}


def _lines_of(commands, kind="error"):
    return [c for c in commands if c.startswith(f"::{kind}")]


def _props(command):
    match = re.match(r"^::(\w+)(?: ([^:]*))?::(.*)$", command)
    assert match, command
    props = dict(p.split("=", 1) for p in match.group(2).split(",")) if match.group(2) else {}
    return match.group(1), props, match.group(3)


# --- workflow commands ------------------------------------------------------------

def test_escaping_follows_the_toolkit_rules():
    assert render_github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert render_github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = render_github.command("error", "bad\n::warning::injected", file="d,1.csv", line=3, col=None,
                                 title="T: x")
    assert line == "::error file=d%2C1.csv,line=3,title=T%3A x::bad%0A::warning::injected"
    assert "\n" not in line


def test_quoted_cells_spanning_lines_give_the_physical_line(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('id,comment,level\n1,"two\nlines",5\n2,plain,x\n3,"a ""quoted"", b\n\nmore",y\n'
                    '4,"",oops\n', encoding="utf-8")
    report = territoria.validate(str(path), SCHEMA)
    rows = [e["rowNumber"] for e in report.tasks[0].errors]
    assert rows == [3, 4, 5]
    commands = render_github.annotations(report, "en", root=str(tmp_path))
    positions = [(_props(c)[1]["line"], _props(c)[1]["col"]) for c in _lines_of(commands)]
    # record 3 starts on line 4; record 4 on line 5, its 3rd cell on line 7 col 7; record 5 on line 8
    assert positions == [("4", "9"), ("7", "7"), ("8", "6")]
    assert all(_props(c)[1]["file"] == "data.csv" for c in _lines_of(commands))


def test_semicolons_and_cp1252(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes('id;comment;level\n1;"é\nà";5\n2;"ü";x\n'.encode("cp1252"))
    report = territoria.validate(str(path), SCHEMA)
    (error,) = report.tasks[0].errors
    _, props, message = _props(_lines_of(render_github.annotations(report, "fr", root=str(tmp_path)))[0])
    assert (props["line"], props["col"]) == ("4", "7")
    assert "conseil" in message
    warnings = _lines_of(render_github.annotations(report, "en", root=str(tmp_path)), "warning")
    assert warnings and "cp1252" in warnings[0]


def test_header_errors_point_at_line_one(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("id,comment,levl\n1,a,2\n", encoding="utf-8")
    report = territoria.validate(str(path), SCHEMA)
    header = [c for c in _lines_of(render_github.annotations(report, "en", root=str(tmp_path)))
              if "line=1" in c]
    assert header and "col=12" in header[0]


def test_locate_is_bounded(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "1,2\n" * 5000, encoding="utf-8")
    assert render_github.locate(str(path), "utf-8", {(10, 2)}) == {(10, 2): (10, 3)}
    assert render_github.locate(str(path), "utf-8", {(4000, 2)}, max_bytes=1000) == {}
    assert render_github.locate(str(path), "utf-8", {(99999, 1)}) == {}
    assert render_github.locate(str(tmp_path / "missing.csv"), "utf-8", {(2, 1)}) == {}


def _task(place, n_errors, **kwargs):
    task = Task(name=place, place=place, rows=n_errors, **kwargs)
    task.errors = [enrich({"type": "type-error", "rowNumber": i + 2, "fieldName": "level", "fieldNumber": 3,
                           "cell": "x", "note": "", "fieldType": "integer"}) for i in range(n_errors)]
    task.error_count = n_errors + 100 if n_errors > 20 else n_errors
    task.counts_by_type = {"type-error": task.error_count} if n_errors else {}
    return task


def test_annotations_are_capped_fairly_with_a_final_count(tmp_path):
    report = Report(tasks=[_task("a.csv", 30), _task("b.csv", 1), _task("ok.csv", 0)])
    commands = render_github.annotations(report, "en", root=str(tmp_path))
    errors = _lines_of(commands)
    assert len(errors) == render_github.ERROR_ANNOTATIONS
    assert sum("file=b.csv" in c for c in errors) == 1
    notice = commands[-1]
    assert notice.startswith("::notice") and "131 errors" in notice and "10 errors shown" in notice
    assert "3 files checked: 1 valid, 2 invalid" in notice


def test_urls_and_files_outside_the_workspace_have_no_file_property(tmp_path):
    report = Report(tasks=[_task("https://example.org/d/measurements.csv", 1), _task("/elsewhere/x.csv", 1)])
    errors = _lines_of(render_github.annotations(report, "en", root=str(tmp_path)))
    assert all("file=" not in c for c in errors)
    assert "https%3A//example.org/d/measurements.csv" in errors[0]  # in the title
    assert "https://example.org/d/measurements.csv%0A" in errors[0]  # and the message


# --- markdown -------------------------------------------------------------------

def _nasty_task():
    task = _task("data/a|b.csv", 12)
    task.errors[0]["cell"] = "x | <script>alert(1)</script>\n**bold**"
    task.errors[0]["hint_en"] = "use 12.5 instead of 12,5"
    task.warnings.append(enrich({"type": "no-schema-warning", "note": "", "severity": "warning"}))
    return task


def test_markdown_summary():
    report = Report(tasks=[_task("data/ok.csv", 0), _nasty_task()])
    text = render_markdown.render(report, "en")
    table_rows = [line for line in text.splitlines() if line.startswith("| ✅") or line.startswith("| ❌")]
    assert len(table_rows) == 2
    assert "data/a\\|b.csv" in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*\\*bold\\*\\*" in text and "x \\| &lt;" in text
    assert "use 12.5 instead of 12,5" in text
    assert "… and 2 more errors" in text
    assert "1 of 2 files need fixing" in text
    for line in text.splitlines():  # every table row keeps its column count
        if line.startswith("| ") and "---" not in line:
            assert line.count(" | ") + 2 == line.count("|") - line.count("\\|")
    fr = render_markdown.render(report, "fr")
    assert "Premières erreurs" in fr and "1 sur 2 fichiers à corriger" in fr


def test_markdown_all_valid_and_empty():
    assert "All files are valid" in render_markdown.render(Report(tasks=[_task("a.csv", 0)]), "en")
    assert "Aucun fichier" in render_markdown.render(Report(), "fr")


# --- html -----------------------------------------------------------------------

def test_html_is_self_contained_escaped_and_printable():
    report = Report(tasks=[_task("data/ok.csv", 0), _nasty_task()])
    page = render_html.render(report, "fr")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<script" not in page.replace("&lt;script", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing loaded from the network
    assert "@media print" in page
    assert "À corriger" in page and "Erreurs par type" in page
    assert page.count("<section") == 2
    assert "Needs fixing" in render_html.render(report, "en")


# --- the CLI ----------------------------------------------------------------------

@pytest.mark.parametrize("fmt, marker", [("github", "::error file="), ("markdown", "## "),
                                         ("html", "<!DOCTYPE html>"), ("json", '"valid": false')])
def test_cli_formats(tmp_path, monkeypatch, capsys, fmt, marker):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,comment,level\n1,a,x\n", encoding="utf-8")
    assert cli_main(["validate", "d.csv", "--schema", "schema.json", "--format", fmt, "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert marker in out
    if fmt == "github":
        assert "::error file=d.csv,line=2,col=5," in out
    assert cli_main(["validate", "d.csv", "--schema", "schema.json", "--format", fmt,
                     "--output", "r.out"]) == 1
    assert capsys.readouterr().out == "" and marker in (tmp_path / "r.out").read_text(encoding="utf-8")
