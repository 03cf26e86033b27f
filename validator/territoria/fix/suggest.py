"""``territoria fix --suggest-mapping``: a draft mapping file from the header (and codes) a source shows.

Why a draft and not a guess applied: a legacy export's ``TY_LAMPE`` may or
may not be the lamp technology, and ``20`` may or may not be LED; the draft
says what the header matcher found, what it did not, the closest field names,
the codes it met that the schema does not know, and the units a label shows,
each with ``~`` (empty, ignored) where only the person who knows can answer.
"""
from __future__ import annotations

import difflib
import json
from typing import Any, Optional

import pyarrow as pa
import pyarrow.compute as pc

from ..readers import NeedsExactRead
from ..readers.open import detect_format, localise, open_table
from .header import match_header
from .inputs import table_schema as table_schema_of
from .mapping import UNITS, unit_in_label
from .repairs.codes import code_lookup, normal

#: rows read to find the codes the schema does not know, and codes shown per field
SAMPLE_ROWS = 50_000
SHOWN_CODES = 40


def _quoted(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def suggest_mapping(source: Any, schema: Any, *, place: str = "", format: Optional[str] = None,
                    encoding: Optional[str] = None, delimiter: Optional[str] = None, sheet: Any = None) -> str:
    """The draft mapping (YAML text, with comments) for ``source`` against ``schema``."""
    place = place or (str(source) if isinstance(source, str) else "<bytes>")
    table_schema = table_schema_of(schema, place)
    fields = table_schema.fields
    local = localise(source)
    try:
        table = open_table(local.path, detect_format(local.path, local.place, format),
                           dialect={"delimiter": delimiter} if delimiter else None, encoding=encoding, sheet=sheet)
        plan = match_header(table.labels, fields)
        unknown = _unknown_codes(table, plan, fields)
    finally:
        local.cleanup()
    names = [f.name for f in fields]
    lines = [f"# Draft mapping of {place} to the schema {table_schema.descriptor.get('name') or schema},",
             "# written by territoria fix --suggest-mapping. Check every line; \"~\" means: nothing (ignored).",
             f"# Then: territoria fix {place} --schema {schema} --mapping THIS_FILE --output COPY.csv --log LOG.csv",
             "", "columns:"]
    matched = {plan.positions[i]: i for i in range(len(fields)) if plan.positions[i] is not None}
    for position, label in enumerate(plan.labels):
        if position in matched:
            i = matched[position]
            lines.append(f"  {_quoted(label)}: {names[i]}" + ("" if label == names[i] else f"   # by {plan.how[i]}"))
            continue
        reason = next((r for p, _, r in plan.left_out if p == position), "")
        close = _closest(label, fields)
        hint = f"   # {reason}" + (f"; closest: {', '.join(close)}" if close else "")
        lines.append(f"  {_quoted(label)}: ~{hint}")
    lines += ["", "codes:"]
    any_codes = False
    for i, values in unknown.items():
        spec = fields[i]
        enum = ", ".join(str(c) for c in spec.constraints.get("enum") or [])
        lines.append(f"  {names[i]}:   # codes of the schema: {enum}")
        for value in values[:SHOWN_CODES]:
            lines.append(f"    {_quoted(value)}: ~")
        if len(values) > SHOWN_CODES:
            lines.append(f"    # … and {len(values) - SHOWN_CODES} more")
        any_codes = True
    if not any_codes:
        lines[-1] = "codes: {}   # every code met is one of the schema's (or one of its labels)"
    lines += ["", "units:"]
    any_units = False
    for i, spec in enumerate(fields):
        position, target = plan.positions[i], spec.get("unit")
        if position is None or target not in UNITS:
            continue
        shown = unit_in_label(plan.labels[position])
        if shown and shown != target and UNITS[shown][0] == UNITS[target][0]:
            lines.append(f"  {names[i]}: {shown}   # the label says {shown}; the field is in {target}")
            any_units = True
    if not any_units:
        lines[-1] = "units: {}"
    lines += ["", "constants:"]
    absent = [i for i in range(len(fields)) if plan.positions[i] is None]
    for i in absent:
        required = " (required)" if fields[i].constraints.get("required") else ""
        lines.append(f"  {names[i]}: ~   # absent from the source{required}: a value for every row, if it is the same")
    if not absent:
        lines[-1] = "constants: {}"
    return "\n".join(lines) + "\n"


def _closest(label: str, fields: list) -> list:
    """Fields a label may be: a word of it begins a word of the field's name or titles, or it is
    spelled like one (difflib); three at most, the likeliest first."""
    from .header import field_names_forms

    words = [w for w in normal(label).split() if len(w) >= 3]
    scored = []
    for spec in fields:
        forms = field_names_forms(spec.descriptor or {"name": spec.name})
        tokens = [t for form in forms for t in form.split()]
        shared = sum(1 for w in words if any(t.startswith(w) for t in tokens))
        spelled = max(difflib.SequenceMatcher(None, normal(label), form).ratio() for form in forms)
        if shared or spelled >= 0.6:
            scored.append((-shared, -spelled, spec.name))
    return [name for *_, name in sorted(scored)[:3]]


def _unknown_codes(table, plan, fields) -> dict:
    """field index -> the distinct values (first rows) of its enum column that are neither codes nor labels."""
    wanted = {i: plan.positions[i] for i, f in enumerate(fields)
              if plan.positions[i] is not None and f.constraints.get("enum")}
    if not wanted:
        return {}
    seen: dict = {i: {} for i in wanted}

    def read(exact: bool):
        rows = 0
        for batch in table.batches(exact=exact):
            for i, position in wanted.items():
                if position < len(batch.columns):
                    column = batch.columns[position]
                    for value in pc.unique(pc.drop_null(column if not isinstance(column, pa.ChunkedArray)
                                                        else column.combine_chunks())).to_pylist():
                        seen[i].setdefault(value, None)
            rows += len(batch)
            if rows >= SAMPLE_ROWS:
                return

    try:
        read(False)
    except NeedsExactRead:
        read(True)
    out = {}
    for i, values in seen.items():
        spec = fields[i]
        codes = {str(c) for c in spec.constraints.get("enum") or []}
        lookup = code_lookup(spec)
        left = [v for v in values if v.strip() and v not in codes and normal(v) not in lookup]
        if left:
            out[i] = left
    return out
