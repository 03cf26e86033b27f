"""The header matcher: which column of the source holds which field of the schema.

Why by name and not by position: a spreadsheet export has the schema's
columns under French titles, in its own order, with stray spaces. A label is
matched, from the surest to the loosest: a rename of the mapping file, the
field's exact name, then the name, French title (``title``) or English title
(``title_en``) compared without case, accents, punctuation or extra spaces. A
field two labels claim at the same level, or a label that names two fields,
is not matched: the column is left out and reported, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from .repairs.codes import normal

#: how a label was matched, surest first (the change log's rule for a renamed column)
LEVELS = ("mapping-column", "name", "header-match")


@dataclass
class HeaderPlan:
    """``positions[i]``: the source column of field ``i`` (None: absent, added empty);
    ``how[i]``: the level it was matched at; ``left_out``: ``(position, label, reason)``
    of the source columns no field takes."""

    labels: list
    names: list
    positions: list
    how: list
    left_out: list = dataclass_field(default_factory=list)

    def label_of(self, index: int) -> Optional[str]:
        position = self.positions[index]
        return None if position is None else self.labels[position]


def field_names_forms(descriptor: dict) -> list:
    """The normal forms a field answers to: its name, French title and English title."""
    forms = []
    for key in ("name", "title", "title_en"):
        value = descriptor.get(key)
        if isinstance(value, str) and normal(value) and normal(value) not in forms:
            forms.append(normal(value))
    return forms


def match_header(labels: list, fields: list, renames: Optional[dict] = None,
                 reserved: Optional[list] = None, filled: Optional[set] = None) -> HeaderPlan:
    """Match ``labels`` (the source's header) to ``fields`` (the schema's, FieldSpec).

    ``renames``: label -> field name, or list of field names (one column read into
    several fields), from a mapping file (a label is looked up as written, then by
    its normal form). ``reserved``: labels no field takes (the mapping drops, splits
    or unpivots them): they are left out, and not reported. ``filled``: fields the
    mapping fills otherwise (a split, an unpivot): no column takes them.
    """
    names = [f.name for f in fields]
    index = {name: i for i, name in enumerate(names)}
    renames = renames or {}
    normal_renames = {normal(label): name for label, name in renames.items()}
    kept_back = {normal(label) for label in reserved or []}
    forms: dict = {}
    for i, spec in enumerate(fields):
        for form in field_names_forms(spec.descriptor or {"name": spec.name}):
            forms.setdefault(form, set()).add(i)
    claims: dict = {}  # field -> [(level, position)]
    reasons: dict = {}
    left_alone = set()
    for position, label in enumerate(labels):
        label = str(label)
        if normal(label) in kept_back:
            left_alone.add(position)
            continue
        target = renames.get(label, normal_renames.get(normal(label)) if label not in renames else None)
        targets = [t for t in ([target] if isinstance(target, str) else target or []) if t in index]
        if targets:
            for name in targets:
                claims.setdefault(index[name], []).append((0, position))
        elif label in index:
            claims.setdefault(index[label], []).append((1, position))
        else:
            found = forms.get(normal(label), set())
            if len(found) == 1:
                claims.setdefault(next(iter(found)), []).append((2, position))
            elif len(found) > 1:
                reasons[position] = "names several fields: " + ", ".join(names[i] for i in sorted(found))
    positions: list = [None] * len(fields)
    how: list = [None] * len(fields)
    taken = set()
    for i, found in claims.items():
        if names[i] in (filled or ()):
            for _, p in found:
                reasons[p] = f"matches the field {names[i]}, which the mapping fills otherwise"
            continue
        best = min(level for level, _ in found)
        at_best = [p for level, p in found if level == best]
        if len(at_best) == 1:
            positions[i], how[i] = at_best[0], LEVELS[best]
            taken.add(at_best[0])
            for level, p in found:
                if p != at_best[0]:
                    reasons[p] = f"matches the field {names[i]} less well than the column \"{labels[at_best[0]]}\""
        else:
            for p in at_best:
                reasons[p] = f"is not the only column that matches the field {names[i]}"
    left_out = [(p, str(label), reasons.get(p, "matches no field of the schema"))
                for p, label in enumerate(labels) if p not in taken and p not in left_alone]
    return HeaderPlan(list(labels), names, positions, how, left_out)
