"""The rules: every finding the validator can report, each declared once.

Why one registry: a rule is a code (frictionless-compatible where frictionless
has one), a severity, a scope, a French and English title, message and hint,
what raises it, and a typical finding as an example. Reports, renderers, the
catalogue site's error pages and ``territoria diff`` all read the declaration,
so a message can never drift from its documentation. The core rules are in
:mod:`.core`; each custom check declares its own on its class
(``territoria.checks``), and registering the check declares them here.

A finding is a plain dict (``{"type": code, "rowNumber": ..., "note": ...}``);
:func:`describe` gives it its words, in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional

SEVERITIES = ("error", "warning")
SCOPES = ("source", "schema", "header", "row", "cell", "table")
#: frictionless's tags of each scope (its report's ``tags``)
TAGS = {
    "header": ["#table", "#header", "#label"],
    "row": ["#table", "#row"],
    "cell": ["#table", "#row", "#cell"],
    "source": [],
    "schema": [],
    "table": ["#table"],
}
#: where the published catalogue site lives; each rule is explained at ``errors/#<code>``
SITE_URL = "https://territoria.github.io/territoria/"


@dataclass(frozen=True)
class Rule:
    """One kind of finding, with its words in French and English.

    ``message_*`` are ``str.format`` templates over the finding's keys (and the
    values ``values`` computes from it, e.g. ``type_fr``); ``example`` holds the
    keys of a typical finding, from which the site shows a real message;
    ``specific_hint(finding, field descriptor)`` may give a hint for *this*
    value (``(hint_fr, hint_en)``), better than the general one.
    """

    code: str
    severity: str
    scope: str
    title_en: str
    title_fr: str
    message_en: str
    message_fr: str
    hint_en: str
    hint_fr: str
    example: Mapping = field(default_factory=dict, compare=False)
    raised_by: str = field(default="", compare=False)
    values: Optional[Callable[[dict], dict]] = field(default=None, compare=False)
    specific_hint: Optional[Callable[[dict, dict], Optional[tuple]]] = field(default=None, compare=False)

    def title(self, lang: str) -> str:
        return self.title_fr if lang == "fr" else self.title_en

    def hint(self, lang: str) -> str:
        return self.hint_fr if lang == "fr" else self.hint_en

    def message(self, finding: Mapping, lang: str) -> str:
        values = _Values(finding)
        values["fieldNames"] = ", ".join(finding.get("fieldNames") or [])
        if self.values is not None:
            values.update(self.values(dict(finding)))
        return (self.message_fr if lang == "fr" else self.message_en).format_map(values)

    def example_message(self, lang: str) -> str:
        return self.message({"type": self.code, **self.example}, lang)


#: code -> Rule, for every rule declared so far (the core ones at import)
RULES: dict = {}


def declare(rule: Rule) -> Rule:
    """Add a rule to the registry; declaring the same code with other words is a bug."""
    if rule.severity not in SEVERITIES or rule.scope not in SCOPES:
        raise ValueError(f"rule {rule.code!r}: severity {rule.severity!r} / scope {rule.scope!r}")
    known = RULES.get(rule.code)
    if known is not None and known != rule:
        raise ValueError(f"rule {rule.code!r} is declared twice, with different words")
    RULES.setdefault(rule.code, rule)
    return RULES[rule.code]


def get(code: str) -> Optional[Rule]:
    return RULES.get(code)


def message(finding: Mapping, lang: str) -> str:
    """The human message of a finding in ``lang`` ("fr" or "en")."""
    rule = RULES.get(finding.get("type", ""))
    if rule is None:
        return finding.get(f"message_{lang}") or finding.get("message", "")
    return rule.message(finding, lang)


def hint(finding: Mapping, lang: str) -> str:
    """The finding's own hint if it has one, else its rule's."""
    specific = finding.get("hint_fr" if lang == "fr" else "hint_en")
    if specific:
        return specific
    rule = RULES.get(finding.get("type", ""))
    return rule.hint(lang) if rule else ""


def has_specific_hint(finding: Mapping) -> bool:
    """Whether the finding's hint says more than its rule's general one."""
    rule = RULES.get(finding.get("type", ""))
    return bool(finding.get("hint_fr")) and (rule is None or finding["hint_fr"] != rule.hint_fr)


def describe(finding: dict, field: Optional[Mapping] = None, value_hints: bool = True) -> dict:
    """Give a bare finding its words: severity, title, tags, messages and hints.

    ``field``: the descriptor of the finding's field, for hints about the very
    value (a decimal comma, a French date); ``value_hints=False`` keeps to the
    rule's own hint (a misplaced column: a hint about its cells would mislead).
    Returns the same dict.
    """
    rule = RULES.get(finding.get("type", ""))
    if rule is None:
        finding.setdefault("severity", "error")
        return finding
    finding.setdefault("severity", rule.severity)
    finding.setdefault("title", rule.title_en)
    finding.setdefault("tags", list(TAGS.get(rule.scope, [])))
    finding.setdefault("note", "")
    if value_hints and rule.specific_hint is not None and not finding.get("hint_fr"):
        specific = rule.specific_hint(finding, field or {})
        if specific:
            finding["hint_fr"], finding["hint_en"] = specific
    # the template values once for both languages; a cell rule's words (what a
    # type or a constraint asks) once per column and constraint, not per finding
    values = _Lookup(finding, _rule_values(rule, finding) if rule.values is not None else {})
    finding["message_en"] = rule.message_en.format_map(values)
    finding["message_fr"] = rule.message_fr.format_map(values)
    finding.setdefault("message", finding["message_en"])
    finding["hint_en"] = finding.get("hint_en") or rule.hint_en
    finding["hint_fr"] = finding.get("hint_fr") or rule.hint_fr
    return finding


#: the keys a cell rule's ``values`` read (``words.type_words``, ``words.constraint_words``)
_VALUE_KEYS = {"type-error": ("fieldType", "fieldFormat", "note"),
               "constraint-error": ("constraint", "constraintValue", "note")}
_VALUES_CACHE: dict = {}


def _rule_values(rule: Rule, finding: Mapping) -> dict:
    keys = _VALUE_KEYS.get(rule.code)
    if keys is None:
        return rule.values(dict(finding))
    first, second, third = keys
    key = (rule.code, finding.get(first), finding.get(second), finding.get(third))
    try:
        found = _VALUES_CACHE.get(key)
    except TypeError:  # an unhashable constraint value (an enum's list)
        key = (rule.code,) + tuple(repr(part) for part in key[1:])
        found = _VALUES_CACHE.get(key)
    if found is None:
        if len(_VALUES_CACHE) > 4096:
            _VALUES_CACHE.clear()
        found = _VALUES_CACHE[key] = rule.values(dict(finding))
    return found


class Finding(dict):
    """A listed finding that is given its words (:func:`describe`) when first read.

    Why lazy: a report may list hundreds of thousands of errors; most renderers
    show the first ten, and the JSON writer gives each its words as it writes it
    (:meth:`words`) without keeping them. Any read of the finding as a mapping
    (``finding["message_fr"]``, ``get``, ``in``, iteration, ``json.dumps``)
    describes it first, so it behaves as the described dict always did.
    """

    __slots__ = ("field", "described", "value_hints")

    def __init__(self, data: dict, field: Optional[Mapping] = None) -> None:
        dict.__init__(self, data)
        self.field = field
        self.described = False
        self.value_hints = True  # False: a misplaced column's cell (see describe)

    def fill(self) -> "Finding":
        """Describe the finding in place (once)."""
        if not self.described:
            self.described = True
            describe(self, self.field, self.value_hints)
        return self

    def words(self) -> dict:
        """The described finding as a plain dict, leaving this one as it is (its
        words are made again if it is read later)."""
        if self.described:
            return dict(self)
        return describe(dict(dict.items(self)), self.field, self.value_hints)

    def __getitem__(self, key):
        self.fill()
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self.fill()
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:
        self.fill()
        return dict.__contains__(self, key)

    def __iter__(self):
        self.fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self.fill()
        return dict.__len__(self)

    def keys(self):
        self.fill()
        return dict.keys(self)

    def values(self):
        self.fill()
        return dict.values(self)

    def items(self):
        self.fill()
        return dict.items(self)

    def copy(self) -> dict:
        return dict(self.fill().items())

    def __eq__(self, other) -> bool:
        self.fill()
        if isinstance(other, Finding):
            other.fill()
        return dict.__eq__(self, other)

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        return dict.__repr__(self.fill())

    def __reduce__(self):
        return (dict, (dict(self.fill().items()),))


def doc_url(code: str, lang: str = "fr") -> str:
    """The address of a rule's explanation in the site's error catalogue."""
    return f"{SITE_URL}{'' if lang == 'fr' else 'en/'}errors/#{code}"


def check_rule(code: str, title_en: str, title_fr: str, message_en: str, message_fr: str,
               hint_en: str, hint_fr: str, *, example: Optional[Mapping] = None, severity: str = "error",
               scope: str = "row", values: Optional[Callable[[dict], dict]] = None,
               specific_hint: Optional[Callable[[dict, dict], Optional[tuple]]] = None) -> Rule:
    """A custom check's rule (``raised_by`` is filled in when the check registers)."""
    return Rule(code, severity, scope, title_en, title_fr, message_en, message_fr, hint_en, hint_fr,
                example=dict(example or {}), values=values, specific_hint=specific_hint)


class _Lookup:
    """Template values without a copy of the finding: a rule's computed words, then
    the finding's own keys (``fieldNames`` joined), "" for a key it lacks."""

    __slots__ = ("finding", "extra")

    def __init__(self, finding: Mapping, extra: dict) -> None:
        self.finding, self.extra = finding, extra

    def __getitem__(self, key: str):
        if key in self.extra:
            return self.extra[key]
        if key == "fieldNames":
            return ", ".join(self.finding.get("fieldNames") or [])
        value = self.finding.get(key, _ABSENT)
        return "" if value is _ABSENT else value


_ABSENT = object()


class _Values(dict):
    """Template values: a key the finding lacks is shown empty, never a KeyError."""

    def __missing__(self, key):
        return ""


from . import core  # noqa: E402,F401  (declares the core rules)
