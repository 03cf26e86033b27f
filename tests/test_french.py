"""A French report contains no English sentence: every rule's words, every note the tool writes,
and the tool's failures as a data officer meets them, run under ``--lang fr``."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from territoria import rules
from territoria.rules.notes import french

PACKAGE = REPO / "validator" / "territoria"
#: English words no French sentence of ours uses (quoted values, options and paths are left out first)
ENGLISH = re.compile(r"\b(the|is|of|not|was|which|must|should|cannot|has|have|with|and|from|than|into|only|"
                     r"this|that|does|bytes|limit|line|row|cell|file|longer|more|allowed|value|values|took|"
                     r"checked|found|expected|missing|invalid|unknown|error|read|named|no)\b")


def english_words(text: str) -> list:
    """The English words left in ``text`` once its quoted values, options and paths are taken out."""
    text = re.sub(r"«[^»]*»|\"[^\"]*\"|'[^']*'|`[^`]*`|--[\w-]+|\([A-Z_]+=[^)]*\)|\S*[/\\]\S*|\b\w+_\w+\b|\b\w+(?:-\w+)+\b", " ", text)
    return ENGLISH.findall(text)


@pytest.mark.parametrize("code", sorted(rules.RULES))
def test_every_rule_speaks_french_on_its_example(code):
    rule = rules.RULES[code]
    described = rules.describe(dict(rule.example or {}, type=code))
    for key in ("message_fr", "hint_fr"):
        assert english_words(described.get(key) or "") == [], (key, described.get(key))


# -- the notes the tool writes -------------------------------------------------------------

#: callables whose argument (at this position) is a note that reaches a French message
NOTE_MAKERS = {"SourceProblem": 1, "refused": 0, "RefusedAddress": 0, "FixProblem": 0, "MappingProblem": 0,
               "_problem": 2, "SchemaProblem": 1, "refuse": 1}


def _template(node):
    """A note's text with each interpolated value replaced by a sample (``7``, or ``'7'`` for ``!r``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else _sample(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        return left + right if left is not None and right is not None else None
    return None


#: samples of the values a note names by a word the French depends on ("schema", "data package")
SAMPLES = {"what": "schema", "label": "schema "}


def _sample(value: ast.FormattedValue) -> str:
    name = getattr(value.value, "id", None)
    if name in SAMPLES:
        return SAMPLES[name]
    return "'7'" if value.conversion == ord("r") else "7"


def _notes() -> list:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = NOTE_MAKERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            shapes = argument.elts if isinstance(argument, ast.List) else [argument]
            shapes = [branch for shape in shapes for branch in (
                (shape.body, shape.orelse) if isinstance(shape, ast.IfExp) else (shape,))]
            for shape in shapes:
                text = _template(shape)
                if text and re.search(r"[A-Za-z]{3,}", text.replace("7", "")):
                    found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", text))
    from territoria.fix.inputs import _ONLY_READ

    found += [(f"fix/inputs.py:_ONLY_READ[{k}]", f"out.csv: {v.format(flag='--output')}") for k, v in _ONLY_READ.items()]
    return found


NOTES = _notes()


def test_the_notes_are_found():
    assert len(NOTES) > 80  # the readers, the downloads, the paths, the fix inputs and mappings


@pytest.mark.parametrize("where, note", NOTES, ids=[where for where, _ in NOTES])
def test_every_note_the_tool_writes_has_its_french(where, note):
    assert english_words(french(note)) == [], french(note)


# -- failures as a data officer meets them ------------------------------------------------------

def _run(*args, cwd=None) -> str:
    shown = subprocess.run([sys.executable, "-m", "territoria", *args, "--lang", "fr"], capture_output=True,
                           text=True, cwd=cwd)
    assert "Traceback" not in shown.stderr, shown.stderr
    return shown.stdout + shown.stderr


def _scenarios(tmp: Path) -> list:
    (tmp / "vide.csv").write_bytes(b"")
    (tmp / "binaire.csv").write_bytes(b"\x00\x01\x02a,b\n")
    (tmp / "dossier").mkdir()
    (tmp / "large.csv").write_text("a,b,c,d\n1,2,3,4\n", encoding="utf-8")
    (tmp / "schema.json").write_text("{\"fields\": [", encoding="utf-8")
    with zipfile.ZipFile(tmp / "deux.zip", "w") as archive:
        archive.writestr("a.csv", "a\n1\n")
        archive.writestr("b.csv", "a\n2\n")
    package = tmp / "paquet"
    package.mkdir()
    (package / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [
        {"name": "secret", "path": "/etc/passwd", "schema": {"fields": [{"name": "a"}]}}]}), encoding="utf-8")
    (tmp / "seul.csv").write_text("a\n", encoding="utf-8")
    return [
        ("validate", str(tmp / "absent.csv")),
        ("validate", str(tmp / "vide.csv")),
        ("validate", str(tmp / "binaire.csv")),
        ("validate", str(tmp / "dossier")),
        ("validate", str(tmp / "large.csv"), "--max-fields", "2"),
        ("validate", str(tmp / "large.csv"), "--schema", str(tmp / "schema.json")),
        ("validate", str(tmp / "large.csv"), "--schema", "inconnu"),
        ("validate", str(tmp / "large.csv"), "--schema", "street-lighting@9.9.9"),
        ("validate", str(tmp / "deux.zip")),
        ("validate", str(package / "datapackage.json")),
        ("validate", "http://127.0.0.1:9/points.csv"),
        ("validate", str(tmp / "seul.csv"), "--schema", "street-lighting/light_points"),
        ("fix", str(tmp / "large.csv"), "--schema", "street-lighting/light_points", "--output",
         str(tmp / "large.csv")),
        ("audit", "--targets", str(tmp / "absent.txt"), "--output", str(tmp / "audit")),
        ("audit", "--targets", str(tmp / "dossier"), "--output", str(tmp / "audit")),
    ]


def test_the_tool_fails_in_french(tmp_path):
    for scenario in _scenarios(tmp_path):
        out = _run(*scenario)
        assert english_words(out) == [], (scenario, out)
