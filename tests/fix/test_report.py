"""The reports say when a file can be repaired, counted with the repair rules themselves."""
from __future__ import annotations

from pathlib import Path

import territoria
from territoria.fix import repairable
from territoria.render import render

GRENOBLE = Path(__file__).resolve().parents[2] / "examples" / "points-lumineux-grenoble.csv"


def test_the_html_report_says_the_file_can_be_repaired():
    report = territoria.validate(str(GRENOBLE), "street-lighting/light_points")
    task = report.tasks[0]
    assert sum(map(repairable, task.errors)) == 3 == task.error_count  # 45,18879 / 15/06/2021 / oui
    page = render(report, "html", "fr")
    assert "Ce fichier peut être réparé : 3 des erreurs listées" in page
    assert f"territoria fix {GRENOBLE} --schema SCHEMA" in page
    assert "This file can be repaired: 3 of the listed errors" in render(report, "html", "en")


def test_no_repair_line_when_no_rule_would_change_a_cell(write_csv):
    report = territoria.validate(str(write_csv("n\ndouze\n")), {"fields": [{"name": "n", "type": "number"}]})
    assert report.tasks[0].error_count == 1
    assert "can be repaired" not in render(report, "html", "en")
