"""The vectorised string formats (email, uri, uuid, binary) give the exact readers' verdicts.

Each format has a fast regular expression over the whole column and an exact reader
(``validators``, ``rfc3986``, ``uuid``, ``base64``) for the rest; a text the fast
way accepts must be one the exact reader accepts. Generated texts mix valid parts
and the usual mistakes; every verdict of ``check_field`` is compared with the exact
reader's, cell by cell.
"""
from __future__ import annotations

import random

import pyarrow as pa
import pytest

from territoria.fields import FieldSpec, check_field
from territoria.fields._core import RESIDUE_COUNTER, reset_residue_counter
from territoria.fields.string_type import string_reader

ATOMS = ["jean", "marie.dupont", "a", "x" * 64, "x" * 65, "o'brien", "a+b", "_x", "a..b", ".a", "a.", "é", "ü",
         "a b", '"quoted"', "j#n", "{x}", "A-Z", "1", "a_b", "~"]
LABELS = ["example", "grenoble", "a", "x" * 63, "x" * 64, "-bad", "bad-", "b_d", "xn--bcher-kva", "123", "ex ample",
          "éxample", "a" * 40, "b" * 40, "c" * 40, "d" * 40, "e" * 40, "f" * 40, "g" * 40]
TLDS = ["fr", "com", "org", "c0m", "1fr", "x" * 63, "f", "-fr", "f-r", "q"]
SCHEMES = ["http", "https", "mailto", "ftp", "x+y.z-w", "h1", "1http", "ht tp", "", "é", "urn", "HTTP"]
RESTS = ["//grenoble.fr/donnees", "//[::1]:80/", "x@y", "//a b", "", "/path?q=1#f", "//h:99999", "é", "\n",
         "//ex.com/ü", "opaque"]


def _email(rng: random.Random) -> str:
    if rng.random() < 0.5:  # an ordinary address
        return (f"{rng.choice(['jean', 'marie.dupont', 'contact', 'e.martin'])}{rng.randint(0, 99)}@"
                f"{rng.choice(['grenoble', 'data.metropole', 'ville-de-lyon'])}.{rng.choice(['fr', 'com', 'org'])}")
    local = ".".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 3)))
    domain = ".".join(rng.choice(LABELS) for _ in range(rng.randint(0, 6))) + "." + rng.choice(TLDS)
    text = local + rng.choice(["@", "@", "@", "@@", "", " @"]) + domain.lstrip(".")
    if rng.random() < 0.1:
        text = text.upper()
    if rng.random() < 0.05:
        text += rng.choice([" ", ".", "\n", "@x"])
    return text


def _uri(rng: random.Random) -> str:
    return rng.choice(SCHEMES) + rng.choice([":", ":", "", "::"]) + rng.choice(RESTS)


def _uuid(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789abcdefABCDEFg") for _ in range(32))
    forms = [f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}", digits,
             "{" + digits + "}", "urn:uuid:" + digits, digits[:31], digits[:8] + "-" + digits[8:]]
    return rng.choice(forms)


def _binary(rng: random.Random) -> str:
    import base64

    raw = bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
    text = base64.b64encode(raw).decode()
    return rng.choice([text, text.rstrip("="), text + "=", text[:-1], "*" + text, text.replace("+", "-")])


MAKERS = {"email": _email, "uri": _uri, "uuid": _uuid, "binary": _binary}


@pytest.mark.parametrize("fmt", list(MAKERS))
@pytest.mark.parametrize("seed", range(4))
def test_each_verdict_is_the_exact_readers(fmt, seed):
    rng = random.Random(seed)
    texts = [MAKERS[fmt](rng) for _ in range(3000)] + [None]
    field = FieldSpec.from_descriptor({"name": "x", "type": "string", "format": fmt})
    reset_residue_counter()
    result = check_field(field, pa.array(texts, pa.string()))
    reader = string_reader(fmt)
    expected = [text is not None and reader(text) is None for text in texts]
    wrong = [text for text, got, want in zip(texts, result.type_error.tolist(), expected) if got != want]
    assert wrong == []
    assert 100 < sum(expected) < len(texts) - 100  # both verdicts are exercised
    assert result.keys.to_pylist() == [None if (t is None or bad) else t for t, bad in zip(texts, expected)]
    if fmt in ("email", "uri"):  # the exact reader sees the invalid texts, and few valid ones
        valid = {t for t, bad in zip(texts, expected) if t is not None and not bad}
        invalid = {t for t, bad in zip(texts, expected) if bad}
        assert RESIDUE_COUNTER["string"] <= len(invalid) + len(valid) // 4
