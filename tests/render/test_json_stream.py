"""Listed errors get their words when read, and the JSON report is written as a stream.

``rules.Finding`` is a dict that describes itself on its first read, so the library's
``report.tasks[0].errors[i]["message_fr"]`` and every renderer see what they always
saw; the JSON writer encodes each task's errors a chunk at a time. Both must give
exactly the document and the dicts the eager way gives.
"""
from __future__ import annotations

import io
import json
import pickle

import territoria
from territoria import rules
from territoria.render import render, write

SCHEMA = {"fields": [
    {"name": "id", "type": "string", "constraints": {"unique": True}},
    {"name": "lat", "type": "number", "constraints": {"maximum": 90}},
    {"name": "day", "type": "date"},
    {"name": "kind", "type": "string", "constraints": {"enum": ["LED", "SHP"]}},
], "primaryKey": ["id"]}
DATA = "id,lat,day,kind\n" + "".join(
    f"{i % 40},{'45,5' if i % 7 == 0 else 95 if i % 5 == 0 else 45.5},{'15/06/2021' if i % 3 == 0 else '2021-06-15'},"
    f"{'XX' if i % 4 == 0 else 'LED'}\n" for i in range(3000))


def _report(tmp_path, limit=10 ** 6):
    path = tmp_path / "data.csv"
    path.write_text(DATA, encoding="utf-8")
    return territoria.validate(str(path), SCHEMA, limit_errors=limit)


def _eager(error: dict) -> dict:
    """The error as the eager describe made it."""
    return rules.describe(dict(dict.items(error)), error.field)


def test_errors_describe_themselves_when_read(tmp_path):
    report = _report(tmp_path)
    errors = report.tasks[0].errors
    assert len(errors) > 5000 and all(isinstance(e, rules.Finding) for e in errors)
    assert not any(e.described for e in errors)  # nothing read yet: no words made
    first = errors[0]
    assert first["message_fr"].startswith("Ligne 2")
    assert first.described and not errors[1].described
    for error in errors[:300]:
        assert dict(error) == _eager(error)
        assert json.dumps(error, ensure_ascii=False) == json.dumps(_eager(error), ensure_ascii=False)
        assert error == _eager(error) and error.get("hint_fr") and "message_en" in error
    assert pickle.loads(pickle.dumps(errors[5])) == _eager(errors[5])
    assert report.flatten(["rowNumber", "message_en"])[0][1] == first["message_en"]


def test_the_streamed_json_is_the_eager_document(tmp_path):
    report = _report(tmp_path)
    stream = io.StringIO()
    write(report, "json", stream, "fr")
    streamed = json.loads(stream.getvalue())
    eager = json.loads(json.dumps(report.to_dict("fr") | {"territoria": {"skipped": []}},
                                  ensure_ascii=False, default=str))
    assert streamed == eager and streamed["tasks"][0]["errors"][0]["message"].startswith("Ligne 2")
    assert render(report, "json", "fr") == stream.getvalue()
    # writing the JSON made the words of no error it keeps
    assert not any(e.described for e in _report(tmp_path).tasks[0].errors)


def test_a_task_without_errors_and_a_failed_task(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("id,lat,day,kind\n1,45,2021-06-15,LED\n", encoding="utf-8")
    missing = tmp_path / "missing.csv"
    report = territoria.Report.combine([territoria.validate(str(good), SCHEMA),
                                        territoria.validate(str(missing), SCHEMA)])
    document = json.loads(render(report, "json"))
    assert document["tasks"][0]["errors"] == []
    assert document["tasks"][1]["errors"][0]["type"] == "scheme-error"
