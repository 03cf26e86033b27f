"""The sniffer that counts only candidate delimiters answers as ``csv.Sniffer`` does."""
from __future__ import annotations

import csv
import random

import pytest

from territoria.readers.detect import CandidateSniffer

CANDIDATES = ",\t;|"


def _sniff(sniffer, sample: str):
    try:
        dialect = sniffer.sniff(sample, CANDIDATES)
    except csv.Error as error:
        return ("error", str(error))
    return (dialect.delimiter, dialect.quotechar, dialect.doublequote, dialect.skipinitialspace,
            dialect.escapechar)


def _sample(rng: random.Random) -> str:
    alphabet = "ab1 ,;\t|\"'.-:é"
    lines = []
    width = rng.randint(1, 6)
    delimiter = rng.choice(CANDIDATES + "x")
    for _ in range(rng.randint(1, 40)):
        if rng.random() < 0.7:  # mostly regular rows, some noise
            cells = ["".join(rng.choice("ab1.é ") for _ in range(rng.randint(0, 5))) for _ in range(width)]
            if rng.random() < 0.2:
                cells[0] = '"' + cells[0] + delimiter + '"'
            lines.append(delimiter.join(cells))
        else:
            lines.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
    return "\n".join(lines) + rng.choice(["", "\n", "\r\n"])


@pytest.mark.parametrize("seed", range(40))
def test_the_candidate_sniffer_agrees_with_the_standard_one(seed):
    rng = random.Random(seed)
    for _ in range(25):
        sample = _sample(rng)
        assert _sniff(CandidateSniffer(), sample) == _sniff(csv.Sniffer(), sample), repr(sample)


@pytest.mark.parametrize("sample", [
    "a;b;c\n1;2;3\n4;5;6\n",
    "a,b\n1,2\n",
    "a\tb\tc\n1\t2\t3\n",
    "a|b\n1|2\n3|4\n",
    "a, b, c\n1, 2, 3\n",
    "'x';'y'\n'1';'2'\n",
    "nom;valeur\n\"a;b\";1\n\"c\";2\n",
    "one column\nonly\n",
    "",
])
def test_the_candidate_sniffer_on_common_files(sample):
    assert _sniff(CandidateSniffer(), sample) == _sniff(csv.Sniffer(), sample)


@pytest.mark.parametrize("seed", range(20))
def test_the_quoted_scan_finds_what_findall_finds(seed):
    import re

    from territoria.readers.detect import _QUOTE_PATTERNS, _quoted_matches

    rng = random.Random(seed)
    for _ in range(50):
        text = "".join(rng.choice("ab ,;\t|\"'\n\r.-_é1") for _ in range(rng.randint(0, 160)))
        for pattern in _QUOTE_PATTERNS:
            regexp = re.compile(pattern, re.DOTALL | re.MULTILINE)
            assert _quoted_matches(regexp, text) == regexp.findall(text), (pattern, text)
