"""The copy is quoted as Python's csv module quotes: only where a cell needs it."""
from __future__ import annotations

import csv
import io

import pyarrow as pa

from territoria.fix.writer import CsvOut


def _written(tmp_path, names, *batches) -> str:
    out = CsvOut(str(tmp_path / "copy.csv"), names)
    for columns in batches:
        out.write([pa.array(c, pa.string()) for c in columns])
    out.commit()
    return (tmp_path / "copy.csv").read_text(encoding="utf-8")


def test_plain_cells_are_not_quoted(tmp_path):
    assert _written(tmp_path, ["id", "name"], [["a", "b"], ["Lyon", None]]) == "id,name\na,Lyon\nb,\n"


def test_a_cell_with_a_comma_a_quote_or_a_line_break_is_quoted_and_reads_back(tmp_path):
    cells = [["x", "y", "z", "w"], ['1,5', 'dit "oui"', "deux\nlignes", "simple"]]
    text = _written(tmp_path, ["id", "note"], cells)
    assert '"1,5"' in text and '"dit ""oui"""' in text
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["id", "note"]] + [list(r) for r in zip(*cells)]


def test_an_empty_cell_alone_on_its_line_stays_a_row(tmp_path):
    text = _written(tmp_path, ["code"], [["A", "", None]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["code"], ["A"], [""], [""]]


def test_a_header_with_a_comma_is_quoted(tmp_path):
    assert _written(tmp_path, ["a,b", "c"], [["1"], ["2"]]).splitlines()[0] == '"a,b","c"'
