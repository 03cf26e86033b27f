"""Boolean repairs: French (and English) words for yes and no."""
from __future__ import annotations

import pyarrow.compute as pc

from ...fields.boolean_type import DEFAULT_FALSE, DEFAULT_TRUE
from ...columnar.arrow import strings, typed_scalar
from . import TRUE, declares, none_of, repair, where

#: what a spreadsheet writes for yes (``x``: a ticked box) and no, compared in lower case, trimmed
TRUE_WORDS = ("oui", "o", "vrai", "x", "yes", "y", "true", "1")
FALSE_WORDS = ("non", "n", "faux", "no", "false", "0")


@repair("french-boolean", lambda f: f.type == "boolean" and not declares(f, "trueValues", "falseValues"))
def french_boolean(cells, field, context):
    """``oui``/``non``, ``vrai``/``faux``, ``O``/``N``, ``x`` (a ticked box), ``yes``/``no`` → ``true``/``false``.

    Case and surrounding spaces do not matter (`` Vrai `` → ``true``). Only on
    fields that keep the default ``trueValues``/``falseValues``: a field that
    declares its own words is read with them. An empty cell stays empty (an
    unticked box says nothing: it is not ``false``).
    """
    words = TRUE_WORDS + FALSE_WORDS
    valid = pc.fill_null(pc.is_in(cells, value_set=strings(DEFAULT_TRUE + DEFAULT_FALSE)), TRUE)
    index = pc.index_in(pc.utf8_lower(pc.utf8_trim_whitespace(cells)), value_set=strings(words))
    found = pc.and_(pc.invert(valid), pc.is_valid(index))
    if none_of(found):
        return cells
    answers = strings(["true"] * len(TRUE_WORDS) + ["false"] * len(FALSE_WORDS))
    return where(found, pc.take(answers, pc.fill_null(index, typed_scalar(0, index.type))), cells)
