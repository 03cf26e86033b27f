"""Patterns with \\d, \\w, \\s run in RE2 on ASCII text with Python's exact verdicts."""
from __future__ import annotations

import random
import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from territoria.fields.pattern import ascii_translation, re2_pattern

PATTERNS = [
    r"([013-9]\d|2[AB1-9])\d{3}", r"\d{5}", r"[\d-]+", r"\w+@\S+", r"\s*\w+\s*", r"\bab\b.*",
    r"[^\d]+", r"\D\W\S", r"[A-Z]{2}\d{2,4}", r"a|b", r"(\d+)(,\d+)?", r"[\w.-]+", r"\d+\.\d*",
]
ALPHABET = "0123456789aAbB_-.,@ \t\x0b\x1c\x1fZz"


def python_verdict(pattern, text):
    return bool(re.compile("^{0}$".format(pattern)).match(text))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_translated_patterns_agree_with_python_on_ascii(pattern):
    rng = random.Random(pattern)
    texts = ["", "12345", "2A123", "ab", "a b", "x@y", "1,5", "\x1c"]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 7))) for _ in range(400)]
    regex = re2_pattern(pattern, ascii_text=True)
    assert regex is not None, "the pattern should be vectorisable on ASCII text"
    got = pc.match_substring_regex(pa.array(texts), regex).to_pylist()
    assert got == [python_verdict(pattern, t) for t in texts]


def test_negated_shorthand_inside_a_class_stays_in_python():
    assert ascii_translation(r"[\D]") is None
    assert re2_pattern(r"[\D]", ascii_text=True) is None


def test_non_ascii_text_keeps_python_semantics():
    assert re2_pattern(r"\d+") is None  # "١٢٣" is \d for Python, not for RE2
