"""Enum repairs: a label (French or English) or a code in another case becomes the schema's code."""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...columnar.arrow import from_numpy, strings
from . import TRUE, matches, none_of, repair, where


def normal(text: str) -> str:
    """A text compared without case, accents, punctuation or extra spaces (``Déposé `` = ``depose``)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", bare.casefold()).strip()


#: id(field descriptor) -> (descriptor, codes array, codes set, lookup): the hints repair one listed cell
#: at a time, and a schema's enum may hold 200 000 codes; built once per field, not once per cell
_PER_FIELD: dict = {}
_PER_FIELD_SIZE = 64


#: below this many cells, codes are looked up in a Python set: Arrow's ``is_in`` hashes its
#: whole value set on every call, which a one-cell hint would pay per listed error
_FEW_CELLS = 64


def _prepared(field) -> tuple:
    """(the field's string codes as an Arrow array, as a set, :func:`code_lookup`), once per field."""
    key = id(field.descriptor)
    held = _PER_FIELD.get(key)
    if held is not None and held[0] is field.descriptor:
        return held[1:]
    codes = [c for c in field.constraints.get("enum") or [] if isinstance(c, str)]
    prepared = (strings(codes), frozenset(codes), code_lookup(field))
    if len(_PER_FIELD) >= _PER_FIELD_SIZE:
        _PER_FIELD.pop(next(iter(_PER_FIELD)))
    _PER_FIELD[key] = (field.descriptor, *prepared)  # the descriptor is held, so its id is not reused
    return prepared


def _known(cells: pa.Array, codes: pa.Array, code_set: frozenset) -> pa.Array:
    """Boolean array: the cell is one of the codes (a null cell counts as known)."""
    if len(cells) <= _FEW_CELLS:
        return from_numpy(np.array([text is None or text in code_set for text in cells.to_pylist()], dtype=bool))
    return pc.fill_null(pc.is_in(cells, value_set=codes), TRUE)


#: an enum longer than this is a code list (SIRENs, parcels), not a vocabulary someone types by hand: its
#: codes are not matched without case or accents (the lookup would cost seconds and hundreds of MB a field)
LOOKUP_MAX_CODES = 50_000


def code_lookup(field) -> dict:
    """normal form -> code, from the field's enum codes and ``enum_labels`` (``{code: {fr, en}}``);
    a normal form shared by two codes is left out (it would be a guess); empty past LOOKUP_MAX_CODES."""
    codes = [c for c in field.constraints.get("enum") or [] if isinstance(c, str)]
    if len(codes) > LOOKUP_MAX_CODES:
        return {}
    labels = field.get("enum_labels") if isinstance(field.get("enum_labels"), dict) else {}
    found: dict = {}
    for code in codes:
        names = [code]
        entry = labels.get(code)
        if isinstance(entry, dict):
            names += [v for v in entry.values() if isinstance(v, str)]
        elif isinstance(entry, str):
            names.append(entry)
        for name in names:
            key = normal(name)
            if key:
                found.setdefault(key, set()).add(code)
    return {key: next(iter(codes_)) for key, codes_ in found.items() if len(codes_) == 1}


def _has_string_enum(field) -> bool:
    return field.type == "string" and any(isinstance(c, str) for c in field.constraints.get("enum") or [])


@repair("enum-label", _has_string_enum)
def enum_label(cells, field, context):
    """``En service`` → ``in_service``; ``Sodium haute pression (SHP)`` → ``sodium_high_pressure``; ``LED`` → ``led``.

    A cell that is not one of the field's codes but is, without regard to case,
    accents, punctuation and spaces, one code or one of its labels (the
    schema's ``enum_labels``, French or English) becomes that code. A label two
    codes share, or a text no code or label names, is left as it was (an
    unknown code stays an error).
    """
    codes, code_set, lookup = _prepared(field)
    known = _known(cells, codes, code_set)
    candidates = pc.invert(known)
    if none_of(candidates):
        return cells
    distinct = pc.unique(pc.filter(cells, candidates))
    answers = strings([lookup.get(normal(text)) for text in distinct.to_pylist()])
    mapped = pc.take(answers, pc.index_in(cells, value_set=distinct))
    return where(pc.and_(candidates, pc.is_valid(mapped)), mapped, cells)


def _has_pattern(field) -> bool:
    return field.type == "string" and isinstance(field.constraints.get("pattern"), str)


@repair("digit-spaces", _has_pattern)
def digit_spaces(cells, field, context):
    """``200 046 977`` → ``200046977`` where the field's ``pattern`` wants the digits without spaces.

    A spreadsheet groups the digits of a SIREN, a SIRET or a phone number with
    spaces (also no-break and narrow no-break spaces). A cell of digits and such
    spaces that the field's pattern refuses, but accepts once they are taken
    out, loses them; any other cell is left as it was (a pattern RE2 cannot run
    leaves every cell).
    """
    from ...fields.pattern import re2_pattern
    from .numbers import SPACES

    spaced = matches(cells, f"^\\s*[0-9]+(?:{SPACES}+[0-9]+)+\\s*$")
    if none_of(spaced):
        return cells
    pattern = re2_pattern(field.constraints["pattern"], ascii_text=True)
    if pattern is None:
        return cells
    joined = pc.utf8_trim_whitespace(pc.replace_substring_regex(cells, SPACES, ""))
    found = pc.and_(pc.and_(spaced, matches(joined, pattern)), pc.invert(matches(cells, pattern)))
    return where(found, joined, cells)
