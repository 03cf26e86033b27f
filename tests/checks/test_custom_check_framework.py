"""The custom-check framework: declaration errors, batch findings, end-of-table findings."""
from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest

import territoria
from territoria import checks
from territoria.rules import RULES, check_rule


@pytest.fixture(autouse=True)
def demo_check():
    if "test-demo-no-x" not in checks.CHECKS:
        @checks.register
        class NoX(checks.CustomCheck):
            """A demo check: no cell may be "x"."""

            name = "test-demo-no-x"
            rules = (check_rule("test-demo-no-x", "No x", "Pas de x", "Row {rowNumber}: x found.",
                                "Ligne {rowNumber} : x trouvé.", "Remove x.", "Enlevez x.", scope="cell"),)
            example = {"name": "test-demo-no-x", "params": {"column": "b"}}

            def __init__(self, params, fields, context=None):
                super().__init__(params, fields, context)
                self.column = self.require_field("column")
                self.count = 0

            def check_batch(self, view):
                cells = view.cells[self.column]
                hit = pc.fill_null(pc.equal(cells, "x"), False).to_numpy(zero_copy_only=False) & ~view.blank
                self.count += int(hit.sum())
                yield checks.CheckFinding("test-demo-no-x", positions=np.flatnonzero(hit), field_name=self.column)

            def finish(self):
                if self.count:
                    yield checks.CheckFinding("test-demo-no-x", row_numbers=np.array([1]), cells=[str(self.count)],
                                              note="total", severity="warning")
    yield
    # the demo must not leak into the registries that documentation is generated from
    checks.CHECKS.pop("test-demo-no-x", None)
    RULES.pop("test-demo-no-x", None)


def schema(params):
    return {"fields": [{"name": "a"}, {"name": "b"}], "custom_checks": [{"name": "test-demo-no-x", "params": params}]}


def test_findings_are_errors_with_rows_and_end_warnings(write_csv):
    report = territoria.validate(str(write_csv("a,b\n1,x\n2,y\n3,x\n")), schema({"column": "b"}))
    task = report.tasks[0]
    assert [(e["type"], e["rowNumber"], e["fieldName"], e["cell"]) for e in task.errors] == [
        ("test-demo-no-x", 2, "b", "x"), ("test-demo-no-x", 4, "b", "x")]
    assert task.errors[0]["message_fr"] == "Ligne 2 : x trouvé."
    assert [w["note"] for w in task.warnings] == ["total"]


@pytest.mark.parametrize("declaration, expected", [
    ({"name": "no-such-check"}, "unknown check 'no-such-check'"),
    ({"name": "test-demo-no-x", "params": {"column": "zz"}}, "field 'zz' is not in the schema"),
    ({"params": {}}, "needs a 'name'"),
])
def test_bad_declarations_are_schema_errors(write_csv, declaration, expected):
    descriptor = {"fields": [{"name": "a"}], "custom_checks": [declaration]}
    task = territoria.validate(str(write_csv("a\n1\n")), descriptor).tasks[0]
    assert task.could_not_run and task.errors[0]["type"] == "schema-error"
    assert expected in task.errors[0]["note"]
