"""Every rule is declared once, with all its words, and every check documents itself.

Like gtfs-validator's NoticeDocumentationTest: a rule that lacks a word, a check
without a docstring or an example, or a check that reports a code it does not
declare fails here, before a user meets an empty message or an undocumented error.
"""
from __future__ import annotations

import ast
import inspect
import re
import textwrap

import numpy as np
import pytest

import territoria
from territoria import checks, rules
from territoria.checks import CheckFinding, CustomCheck, UndeclaredRule
from territoria.rules import RULES, Rule, check_rule

checks.load_all()
WORDS = ("title_en", "title_fr", "message_en", "message_fr", "hint_en", "hint_fr")
CHECK_CLASSES = sorted({cls for name, cls in checks.CHECKS.items() if not name.startswith("test-")},
                       key=lambda c: c.name)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_its_words_and_an_example_message(code):
    rule = RULES[code]
    assert rule.code == code
    assert rule.severity in rules.SEVERITIES and rule.scope in rules.SCOPES
    for word in WORDS:
        assert getattr(rule, word).strip(), f"{code}: {word} is empty"
    assert rule.raised_by, f"{code}: nothing says what raises it"
    for lang in ("fr", "en"):
        message = rule.example_message(lang)
        assert message.strip() and "{" not in message and "}" not in message, (code, lang, message)
    # the example fills every placeholder the templates use (no "Ligne  :" in the catalogue)
    placeholders = set(re.findall(r"{(\w+)}", rule.message_en + rule.message_fr))
    computed = set(rule.values({"type": code, **rule.example})) if rule.values else set()
    missing = placeholders - set(rule.example) - computed - {"fieldNames"}
    assert not missing, f"{code}: the example gives no {sorted(missing)}"


@pytest.mark.parametrize("cls", CHECK_CLASSES, ids=lambda c: c.name)
def test_every_check_has_a_docstring_rules_and_an_example(cls):
    assert (cls.__doc__ or "").strip(), f"{cls.name}: no docstring"
    assert cls.rules and all(isinstance(rule, Rule) for rule in cls.rules), f"{cls.name}: no rule declared"
    for rule in cls.rules:
        assert RULES[rule.code] == rule, f"{cls.name}: {rule.code} is not the registered rule"
    example = cls.example
    assert isinstance(example, dict) and isinstance(example.get("params"), dict), f"{cls.name}: no example"
    assert example.get("name") in checks.CHECKS, f"{cls.name}: the example names an unknown check"


def _codes_reported(cls) -> set:
    """The codes a check's source passes to ``finding(...)`` or ``CheckFinding(...)``.

    A code must be a literal or ``self.code``, or the ``code`` parameter of a
    method of the check that is itself always called with a literal code.
    """
    reported = set()
    for klass in cls.__mro__:
        if klass in (CustomCheck, object) or not klass.__module__.startswith("territoria.checks"):
            continue
        try:
            source = inspect.getsource(klass)
        except OSError:  # a class made by type() (the COG checks): its base's methods are read
            continue
        tree = ast.parse(textwrap.dedent(source))
        relays = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                  and [a.arg for a in f.args.args[:2]] == ["self", "code"]}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if callee in relays and isinstance(first, ast.Constant):
                reported.add(first.value)
            if callee not in ("finding", "CheckFinding"):
                continue
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                reported.add(first.value)
            elif isinstance(first, ast.Attribute) and first.attr == "code":
                reported.add(cls.rules[0].code)
            elif not (isinstance(first, ast.Name) and first.id == "code" and relays):
                raise AssertionError(f"{cls.name}: a finding whose code is not a literal or self.code")
    return reported


@pytest.mark.parametrize("cls", CHECK_CLASSES, ids=lambda c: c.name)
def test_a_check_reports_only_the_rules_it_declares(cls):
    assert _codes_reported(cls) <= set(cls.codes()), cls.name


def test_only_warns_is_read_from_the_rules():
    assert checks.CHECKS["plausible-variation"].only_warns()
    assert not checks.CHECKS["compare-columns-value"].only_warns()


def test_a_finding_of_an_undeclared_rule_is_refused(write_csv):
    """The engine's own guard, for checks written outside this repository."""
    class Sloppy(CustomCheck):
        """Reports a code it never declared."""

        name = "test-sloppy"
        rules = (check_rule("test-sloppy", "Sloppy", "Négligé", "Row {rowNumber}.", "Ligne {rowNumber}.",
                            "Nothing.", "Rien."),)
        example = {"name": "test-sloppy", "params": {}}

        def check_batch(self, view):
            return [CheckFinding("test-undeclared", positions=np.array([0]))]

    checks.register(Sloppy)
    try:
        with pytest.raises(UndeclaredRule):
            Sloppy({}, []).declares("test-undeclared")
        report = territoria.validate(str(write_csv("a\n1\n")), {"fields": [{"name": "a"}],
                                                                "custom_checks": [{"name": "test-sloppy"}]})
        [error] = report.tasks[0].errors
        assert error["type"] == "internal-error" and "does not declare" in error["note"]
    finally:
        checks.CHECKS.pop("test-sloppy", None)
        RULES.pop("test-sloppy", None)


def test_declaring_a_code_twice_with_other_words_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        rules.declare(Rule("type-error", "error", "cell", "x", "x", "x", "x", "x", "x"))


def test_describe_is_the_one_place_a_finding_gets_its_words():
    finding = rules.describe({"type": "type-error", "rowNumber": 4, "fieldName": "latitude", "cell": "45,18879",
                              "fieldType": "number", "fieldFormat": "default"}, {"type": "number"})
    assert finding["message_fr"] == "Ligne 4, colonne « latitude » : « 45,18879 » n'est pas un nombre (comme 12.5)."
    assert finding["hint_fr"] == "le séparateur décimal attendu est le point : 45.18879"
    assert finding["severity"] == "error" and finding["tags"] == ["#table", "#row", "#cell"]
    dialect = rules.describe({"type": "dialect-warning", "dialect": [("encoding", "cp1252"), ("delimiter", ";")]})
    assert dialect["message_fr"] == ("Le fichier a été lu avec l'encodage cp1252 (et non UTF-8) "
                                     "et le séparateur le point-virgule ;.")
    assert dialect["message_en"] == "The file was read with the cp1252 encoding (not UTF-8) and the delimiter semicolon ;."
