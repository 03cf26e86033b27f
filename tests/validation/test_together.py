"""Small files read ahead and checked together (``validation.together``, ``engine.together``)
get, file by file, exactly the report each gets validated alone."""
from __future__ import annotations

import copy
import dataclasses
import json
import random

import pytest

import territoria
from territoria import targets
from territoria.engine import together as engine_together

from differential.generator import MUTATION_NAMES, MUTATIONS, VARIANTS, build_table


def _task(task) -> dict:
    """Everything a task says but its time and its place in the run."""
    data = dataclasses.asdict(task)
    data.pop("seconds")
    data["errors"] = [dict(e) for e in task.errors]
    data["warnings"] = [dict(w) for w in task.warnings]
    return data


def _alone_and_together(paths: list, schema: str) -> tuple:
    alone = [_task(territoria.validate(path, schema).tasks[0]) for path in paths]
    plan = targets.collect(paths, schema=schema)
    together = [_task(task) for task in targets.run(plan.targets).tasks]
    return alone, together


@pytest.fixture
def shared(monkeypatch):
    """Counts the groups whose columns were checked together (so that no test passes vacuously)."""
    done = []
    real = engine_together.check_together

    def counted(batches, fields, schema):
        outcome = real(batches, fields, schema)
        done.append(outcome)
        return outcome

    monkeypatch.setattr(engine_together, "check_together", counted)
    return done


def _files(tmp_path, seed: int, count: int = 6) -> tuple:
    """``count`` files of one seeded schema, each with its own seeded mutation."""
    rng = random.Random(seed)
    table = build_table(rng, VARIANTS[seed % len(VARIANTS)])
    if seed % 2 == 0 and "foreignKeys" in table.schema:  # a foreign key: the files are not shared
        del table.schema["foreignKeys"]
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(table.schema), encoding="utf-8")
    paths = []
    for number in range(count):
        copy_rng = random.Random(seed * 1000 + number)
        mutated = copy.deepcopy(table)
        for name in [MUTATION_NAMES[(seed + number * 5) % len(MUTATION_NAMES)]] + copy_rng.sample(MUTATION_NAMES, 4):
            if MUTATIONS[name](mutated, copy_rng) is not None:
                break
        path = tmp_path / f"part_{number}.csv"
        path.write_bytes(mutated.render())
        paths.append(str(path))
    return paths, str(schema)


@pytest.mark.parametrize("seed", range(60))
def test_seeded_files_get_the_reports_they_get_alone(tmp_path, seed, shared):
    paths, schema = _files(tmp_path, seed)
    alone, together = _alone_and_together(paths, schema)
    assert together == alone


def test_the_seeded_files_were_shared(tmp_path, shared):
    """At least most seeds have some files whose columns are checked together."""
    for seed in range(0, 20, 2):
        folder = tmp_path / str(seed)
        folder.mkdir()
        paths, schema = _files(folder, seed)
        _alone_and_together(paths, schema)
    assert sum(shared) >= 5


SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{2}-\\d+", "maxLength": 8}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b", "é"]}},
        {"name": "size", "type": "number", "constraints": {"minimum": 0, "maximum": 10}},
        {"name": "day", "type": "date"},
        {"name": "at", "type": "datetime", "constraints": {"minimum": "2020-01-01T00:00:00Z"}},
        {"name": "ok", "type": "boolean"},
    ],
    "primaryKey": ["id", "code"],
}
HEADER = "id,code,kind,size,day,at,ok\n"


def _write(tmp_path, files: dict, schema: dict = SCHEMA) -> tuple:
    (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        paths.append(str(path))
    return paths, str(tmp_path / "schema.json")


def test_edge_cases_among_shared_files(tmp_path, shared):
    files = {
        "a.csv": HEADER + "1,AB-1,a,1.5,2021-02-03,2021-01-01T10:00:00Z,true\n2,AB-2,b,11,2021-02-30,x,maybe\n",
        # the same keys as a.csv: a repeat in another file is no repeat
        "b.csv": HEADER + "1,AB-1,a,1.5,2021-02-03,2021-01-01T10:00:00Z,true\n1,AB-1,é,-1,03/02/2021,2019-01-01T00:00:00Z,false\n",
        "c.csv": HEADER + ",,,,,,\n3,zz,c,,,,\n",  # a blank row, a missing key
        "d.csv": HEADER + "1,AB-1,a\n2,AB-2,b,1,2021-01-01,2021-01-01T00:00:00Z,true,extra\n",  # ragged
        "e.csv": "id,kind,code,size,day,at,ok\n1,a,AB-1,1,2021-01-01,2021-01-01T00:00:00Z,true\n",  # columns swapped
        "f.csv": HEADER,  # no rows
        "g.csv": b"",  # empty
        "h.csv": HEADER + "99999999999999999999999,AB-9,a,1,2021-01-01,2021-01-01T00:00:00Z,true\n"
                          "99999999999999999999998,AB-9,a,1,2021-01-01,2021-01-01T00:00:00Z,true\n",  # beyond int64
        "i.csv": ("id;code;kind;size;day;at;ok\n1;AB-1;a;1,5;2021-01-01;2021-01-01T00:00:00+02:00;oui\n"),
        "j.csv": HEADER + '4,"AB-4\n",a,1e1,2021-01-01,2021-01-01T00:00:00,TRUE\n5,ÀB-5,é,0,0001-01-01,2021-01-01T00:00:00Z,1\n',
        "k.csv": b"\xef\xbb\xbf" + (HEADER + "6,AB-6,a,1,2021-01-01,2021-01-01T00:00:00Z,true\n").encode(),
        "l.csv": (HEADER + "7,AB-7,é,1,2021-01-01,2021-01-01T00:00:00Z,true\n").encode("cp1252"),
        "m.csv": HEADER + "8,AB-8,a,NaN,2021-01-01,2021-01-01T00:00:00Z,true\n9,AB-9,a,INF,2021-01-01,,false\n",
    }
    paths, schema = _write(tmp_path, files)
    alone, together = _alone_and_together(paths, schema)
    assert together == alone
    assert any(shared)


def test_missing_values_that_take_the_exact_reader(tmp_path, shared):
    schema = dict(SCHEMA, missingValues=["NA"])
    files = {f"{n}.csv": HEADER + f"{n},AB-{n},a,1,2021-01-01,2021-01-01T00:00:00Z,true\n,NA,NA,NA,NA,NA,NA\n"
             for n in range(4)}
    paths, schema = _write(tmp_path, files, schema)
    alone, together = _alone_and_together(paths, schema)
    assert together == alone


def test_a_pattern_that_times_out_is_reported_in_its_own_file(tmp_path, shared, monkeypatch):
    from territoria.fields import pattern

    class Slow:  # the bounded engine, timing out on the cells saying so
        def match(self, cell, timeout=None):
            if "slow" in cell:
                raise TimeoutError("regex timed out")
            return cell.startswith("a")

    real_init = pattern.SafePattern.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.bounded = Slow()

    monkeypatch.setattr(pattern.SafePattern, "__init__", init)
    schema = {"fields": [{"name": "id", "type": "integer"},
                         {"name": "text", "type": "string", "constraints": {"pattern": "(?=a)a+"}}]}
    files = {"a.csv": "id,text\n1,aa\n2,b\n", "b.csv": "id,text\n2,slow\n3,b\n", "c.csv": "id,text\n3,c\n"}
    paths, schema = _write(tmp_path, files, schema)
    alone, together = _alone_and_together(paths, schema)
    assert together == alone
    assert [[w["type"] for w in task["warnings"]] for task in together] == [[], ["pattern-timeout"], []]
    assert shared == [False]  # a timeout in company: each file checked its own columns again


def test_many_files_are_read_a_window_at_a_time(tmp_path, shared, monkeypatch):
    from territoria.validation import together as read_ahead

    monkeypatch.setattr(read_ahead, "AHEAD_FILES", 3)
    files = {f"{n:02d}.csv": HEADER + f"{n},AB-{n},{'abz'[n % 3]},{n},2021-01-01,2021-01-01T00:00:00Z,true\n"
             for n in range(10)}
    paths, schema = _write(tmp_path, files)
    alone, together = _alone_and_together(paths, schema)
    assert together == alone
    assert len(shared) >= 3
