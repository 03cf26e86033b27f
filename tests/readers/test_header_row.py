"""A header row below a title (``territoria fix``'s ``source.header_row``): the lines above are skipped,
data rows keep the number of their line, on the fast and the exact CSV readers and in spreadsheets."""
from __future__ import annotations

import pytest

from territoria.readers import SourceProblem
from territoria.readers.open import open_table


def _rows(table, exact: bool) -> list:
    out = []
    for batch in table.batches(exact=exact):
        for k, number in enumerate(batch.row_numbers.tolist()):
            out.append((number, [column[k].as_py() for column in batch.columns]))
    return out


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")])
def test_the_lines_above_the_header_are_skipped(tmp_path, encoding, bom):
    path = tmp_path / "export.csv"
    text = "Télérelève - export;;\r\nPériode : mars\r\n\r\nN° compteur;Index (L);Fuite\r\nA-1;90211050;0\r\nB-2;6310;1\r\n"
    path.write_bytes(bom + text.encode(encoding))
    table = open_table(str(path), "csv", header_row=4)
    assert table.labels == ["N° compteur", "Index (L)", "Fuite"] and table.header_row == 4
    assert dict(table.dialect_notes)["delimiter"] == ";"
    for exact in (False, True):
        assert _rows(table, exact) == [(5, ["A-1", "90211050", "0"]), (6, ["B-2", "6310", "1"])]


def test_without_a_header_row_the_first_line_is_the_header(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Titre;;\na;b;c\n1;2;3\n", encoding="utf-8")
    assert open_table(str(path), "csv").labels == ["Titre", "", ""]  # frictionless's reading, unchanged


def test_a_header_row_beyond_the_file_is_one_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(SourceProblem, match="no line 9 to read the column names from"):
        open_table(str(path), "csv", header_row=9)
    with pytest.raises(SourceProblem, match="has no header row to choose"):
        open_table(str(path), "json", header_row=2)


def test_a_spreadsheet_takes_the_header_row_it_is_given(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Export du 03/11/2026", None], ["Date pose", "Etat"], ["15/06/2021", "En service"]):
        sheet.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    table = open_table(str(path), "xlsx", header_row=2)
    assert table.labels == ["Date pose", "Etat"]
    assert _rows(table, False) == [(3, ["15/06/2021", "En service"])]
