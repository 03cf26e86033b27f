"""The header matcher: by name, title (French or English), case, accents and spaces; never a guess."""
from __future__ import annotations

from territoria.fields import FieldSpec
from territoria.fix.header import match_header

FIELDS = [FieldSpec.from_descriptor(d) for d in (
    {"name": "light_point_id", "title": "Identifiant du point lumineux", "title_en": "Light point identifier"},
    {"name": "installation_date", "title": "Date de pose", "title_en": "Installation date"},
    {"name": "status", "title": "État", "title_en": "Status"},
    {"name": "power_w", "title": "Puissance (W)", "title_en": "Power (W)"},
)]


def test_labels_match_by_name_title_or_english_title_in_any_order():
    plan = match_header(["ETAT", "Installation  date", "identifiant du point lumineux", "power_w"], FIELDS)
    assert plan.positions == [2, 1, 0, 3]
    assert plan.how == ["header-match", "header-match", "header-match", "name"]
    assert plan.left_out == []


def test_absent_fields_and_unknown_columns():
    plan = match_header(["Date de pose", "commentaire"], FIELDS)
    assert plan.positions == [None, 0, None, None]
    assert plan.left_out == [(1, "commentaire", "matches no field of the schema")]


def test_the_exact_name_wins_and_a_tie_is_not_guessed():
    plan = match_header(["status", "Etat"], FIELDS)
    assert plan.positions[2] == 0
    assert plan.left_out == [(1, "Etat", 'matches the field status less well than the column "status"')]
    tie = match_header(["Etat", "état"], FIELDS)
    assert tie.positions[2] is None
    assert [reason for _, _, reason in tie.left_out] == ["is not the only column that matches the field status"] * 2


def test_a_label_naming_two_fields_is_left_out():
    fields = [FieldSpec.from_descriptor({"name": "a", "title": "Code"}), FieldSpec.from_descriptor({"name": "b", "title": "code"})]
    plan = match_header(["CODE"], fields)
    assert plan.positions == [None, None] and plan.left_out[0][2] == "names several fields: a, b"


def test_a_mapping_rename_comes_first():
    plan = match_header(["TY_ETAT", "status"], FIELDS, {"ty_etat": "status"})
    assert plan.positions[2] == 0 and plan.how[2] == "mapping-column"
