"""The GitHub Action, run offline in a simulated GitHub environment.

``action.yml`` is read, its ``${{ … }}`` expressions are evaluated the way the
runner does (inputs with their defaults, ``github.action_path``, step outputs),
and the ``Validate`` step's script is run with bash, with temporary
``GITHUB_WORKSPACE``, ``GITHUB_STEP_SUMMARY`` and ``GITHUB_OUTPUT``. The install
step is the one thing simulated: its ``python`` output is this interpreter,
where Territoria is already installed.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from territoria import action as action_main

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
WASTE = REPO / "schemas" / "waste-fill-level" / "1.0.0"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
STEPS = {step.get("id"): step for step in ACTION["runs"]["steps"]}


def evaluate(text: str, context: dict) -> str:
    def lookup(match):
        value = context
        for part in match.group(1).split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return str(value)

    return EXPRESSION.sub(lookup, str(text))


def parse_output_file(path: Path) -> dict:
    values, lines = {}, path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        name, _, value = line.partition("=")
        values[name] = value
        i += 1
    return values


@dataclass
class Run:
    code: int
    stdout: str
    summary: str
    outputs: dict
    workspace: Path

    @property
    def annotations(self) -> list:
        return [line for line in self.stdout.splitlines() if line.startswith(("::error", "::warning"))]


def run_action(workspace: Path, inputs: dict, tmp_path: Path, extra_env: dict = None, *, bash: bool = True) -> Run:
    """Run the Validate step: its script with bash, or (faster) its entry point in this process."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"inputs not declared in action.yml: {unknown}"
    values.update(inputs)
    context = {"inputs": values, "github": {"action_path": str(REPO), "workspace": str(workspace)},
               "steps": {"install": {"outputs": {"python": sys.executable}}}}
    step = STEPS["validate"]
    summary, output, runner_temp = tmp_path / "summary.md", tmp_path / "output.txt", tmp_path / "runner"
    runner_temp.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace), "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(runner_temp), "PYTHONIOENCODING": "utf-8"})
    env.update({name: evaluate(value, context) for name, value in step.get("env", {}).items()})
    env.update(extra_env or {})
    for stale in (summary, output):
        if stale.exists():
            stale.unlink()
    if bash:
        assert step["shell"] == "bash"
        process = subprocess.run(["bash", "-e", "-c", evaluate(step["run"], context)], cwd=workspace, env=env,
                                 capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert "Traceback" not in process.stderr, process.stderr
        code, stdout = process.returncode, process.stdout
    else:
        buffer = io.StringIO()
        code, stdout = action_main.main([], env=env, out=buffer), buffer.getvalue()
    step_outputs = parse_output_file(output)
    outputs = {name: evaluate(spec["value"], {"steps": {"validate": {"outputs": step_outputs}}})
               for name, spec in ACTION["outputs"].items()}
    return Run(code, stdout,
               summary.read_text(encoding="utf-8") if summary.exists() else "", outputs, workspace)


@pytest.fixture
def workspace(tmp_path):
    """A publisher's repository holding a copy of the waste-fill-level 1.0.0 examples."""
    root = tmp_path / "repo"
    shutil.copytree(WASTE, root / "data" / "waste")
    return root


def physical_line(path: Path, record: int) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        before = 0
        for number, _ in enumerate(reader, start=1):
            if number == record:
                return before + 1
            before = reader.line_num
    raise AssertionError(f"{path} has no record {record}")


# --- action.yml itself -------------------------------------------------------------

def test_action_yml_is_consistent():
    assert ACTION["runs"]["using"] == "composite"
    declared_inputs = set(ACTION["inputs"])
    assert {"paths", "schema", "urls", "datasets", "fail-on", "lang", "report"} <= declared_inputs
    steps_text = json.dumps(ACTION["runs"]["steps"])
    used_inputs = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", steps_text))
    assert used_inputs == declared_inputs, "every input is used and every used input exists"
    for step in ACTION["runs"]["steps"]:
        assert step.get("shell") == "bash", "composite run steps need a shell"
        assert "${{ inputs." not in step["run"], "inputs reach scripts through env, never interpolated"
    env = STEPS["validate"]["env"]
    for name in declared_inputs - {"python"}:
        key = "INPUT_" + name.upper().replace("-", "_")
        assert env.get(key) == "${{ inputs.%s }}" % name
    assert set(ACTION["outputs"]) == set(action_main.OUTPUTS) == {"valid", "error-count", "warning-count",
                                                                  "report-path"}
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == "${{ steps.validate.outputs.%s }}" % name
    assert "territoria.action" in STEPS["validate"]["run"]
    assert STEPS["validate"]["env"]["TERRITORIA_PY"] == "${{ steps.install.outputs.python }}"
    install = json.dumps(STEPS["install"])
    assert "github.action_path" in install and "pip install" in install
    assert not re.search(r"git\+|territoria==|pip install territoria|https?://", STEPS["install"]["run"]), \
        "Territoria is installed from the action's own checkout"
    assert "python=" in STEPS["install"]["run"] and "GITHUB_OUTPUT" in STEPS["install"]["run"]


# --- simulated runs over the example sets --------------------------------------------

def test_valid_example_set(workspace, tmp_path):
    run = run_action(workspace, {"paths": "data/waste/examples/valid/datapackage.json", "lang": "en"}, tmp_path)
    assert run.code == 0, run.stdout
    assert set(parse_output_file(tmp_path / "output.txt")) == set(ACTION["outputs"]), "every output is set"
    assert run.outputs["valid"] == "true"
    assert run.outputs["error-count"] == "0" and run.outputs["warning-count"] == "0"
    report = Path(run.outputs["report-path"])
    assert report == workspace / "territoria-report"
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert data["valid"] is True and len(data["tasks"]) == 3
    assert "<!DOCTYPE html>" in (report / "report.html").read_text(encoding="utf-8")
    assert run.annotations == []
    assert "::notice title=Territoria::3 files checked: 3 valid" in run.stdout
    assert "All files are valid" in run.summary
    assert run.summary.count("| ✅ |") == 3


def test_invalid_example_sets(workspace, tmp_path):
    sets = sorted(p.name for p in (workspace / "data" / "waste" / "examples").glob("invalid-*"))
    assert len(sets) >= 3
    run = run_action(workspace, {"paths": "data/waste/examples/valid/datapackage.json\n"
                                          "data/waste/examples/invalid-*/datapackage.json",
                                 "report": "out/reports"}, tmp_path)
    assert run.code == 1, run.stdout
    expected = []
    for name in sets:
        for error in json.loads((workspace / "data/waste/examples" / name / "expected-errors.json").read_text()):
            expected.append((name, error))
    assert run.outputs["valid"] == "false"
    assert run.outputs["error-count"] == str(len(expected))
    assert run.outputs["report-path"] == str(workspace / "out" / "reports")
    # annotations: on the right file, at the physical line of the record
    annotations = run.annotations
    assert len(annotations) == min(len(expected), 10)
    for name, error in expected:
        file = f"data/waste/examples/{name}/{error['resource']}.csv"
        mine = [a for a in annotations if f"file={file}," in a]
        assert len(mine) == 1, (file, annotations)
        if error.get("rowNumber"):
            line = physical_line(workspace / file, error["rowNumber"])
            assert f",line={line}," in mine[0]
        if error.get("fieldName"):
            assert error["fieldName"] in mine[0]
    # the summary: one row per file, then the first errors with their hint (French by default)
    tasks = 3 * (len(sets) + 1)
    assert run.summary.count("| ✅ |") + run.summary.count("| ❌ |") == tasks
    assert run.summary.count("| ❌ |") == len({(n, e["resource"]) for n, e in expected})
    assert "Premières erreurs" in run.summary and "Conseil" in run.summary
    assert "212.5" in run.summary  # the decimal-comma hint shows the expected form
    assert "::notice title=Territoria::" in run.stdout


def test_fail_on(workspace, tmp_path):
    invalid = "data/waste/examples/invalid-decimal-comma/datapackage.json"
    run = run_action(workspace, {"paths": invalid, "fail-on": "never"}, tmp_path, bash=False)
    assert run.code == 0 and run.outputs["valid"] == "false" and run.outputs["error-count"] == "1"
    (workspace / "plain.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # no schema: one warning
    run = run_action(workspace, {"paths": "plain.csv", "fail-on": "warning"}, tmp_path, bash=False)
    assert run.code == 1 and run.outputs["valid"] == "true" and run.outputs["warning-count"] == "1"
    run = run_action(workspace, {"paths": "plain.csv"}, tmp_path, bash=False)
    assert run.code == 0
    run = run_action(workspace, {"paths": "plain.csv", "fail-on": "sometimes"}, tmp_path, bash=False)
    assert run.code == 2 and "fail-on must be one of" in run.stdout


def test_catalogue_name_picks_the_table_and_globs_exclude(workspace, tmp_path):
    run = run_action(workspace, {"paths": "data/waste/examples/*/*.csv\n!data/waste/examples/invalid-*/*.csv",
                                 "schema": "waste-fill-level@1.0.0", "lang": "en"}, tmp_path, bash=False)
    assert run.code == 0, run.stdout
    data = json.loads((workspace / "territoria-report" / "report.json").read_text(encoding="utf-8"))
    assert sorted(t["territoria"]["schema"] for t in data["tasks"]) == ["containers", "emptyings", "measurements"]


def test_nothing_to_do_and_missing_files(workspace, tmp_path):
    run = run_action(workspace, {}, tmp_path, bash=False)
    assert run.code == 2 and "Nothing to validate" in run.stdout and run.outputs["valid"] == "false"
    run = run_action(workspace, {"paths": "data/nothing-here/*.csv\ndata/waste/examples/valid"}, tmp_path, bash=False)
    assert run.code == 2
    assert "aucun fichier ne correspond" in run.summary and run.summary.count("| ✅ |") == 3  # lang fr


def test_data_in_the_log_cannot_issue_workflow_commands(workspace, tmp_path):
    schema = workspace / "s.json"
    schema.write_text(json.dumps({"fields": [{"name": "a", "type": "integer"}]}), encoding="utf-8")
    (workspace / "evil.csv").write_text('a\n"1\n::error file=x::forged\n::set-output name=valid::true"\n',
                                        encoding="utf-8")
    run = run_action(workspace, {"paths": "evil.csv", "schema": "s.json"}, tmp_path, bash=False)
    assert run.code == 1 and run.outputs["valid"] == "false"
    lines = run.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].split("::")[2]
    end = lines.index(f"::{token}::")
    outside = [line for i, line in enumerate(lines) if (i < start or i > end) and line.startswith("::")]
    assert all(re.match(r"^::(error|warning|notice|group|endgroup)[ :]", line) for line in outside)
    assert not any("forged" in line and line.startswith("::error file=x") for line in outside)
    assert all("%0A" in line for line in outside if "forged" in line)


# --- published files and portal datasets, through the Action --------------------------

def test_urls_and_datasets_against_a_local_server(workspace, tmp_path, monkeypatch):
    from test_portals import PortalServer, add_portal_routes

    # the server listens on 127.0.0.1, which the default network policy refuses: opt in
    monkeypatch.setenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", "1")

    server = PortalServer()
    try:
        add_portal_routes(server)
        bounds = {"TERRITORIA_TIMEOUT": "0.5", "TERRITORIA_RETRIES": "1", "TERRITORIA_MAX_BYTES": "200000",
                  "TERRITORIA_DATAGOUV_URL": server.base}
        run = run_action(workspace, {
            "urls": f"{server.url('/files/measurements.csv')}\n{server.url('/files/gone.csv')}",
            "datasets": f"datagouv:mesures-remplissage\nckan:{server.base}#conteneurs\nods:{server.base}#remplissage",
            "schema": "", "lang": "en"}, tmp_path, bounds)
    finally:
        server.close()
    assert run.code == 2  # some published files could not be downloaded
    data = json.loads((workspace / "territoria-report" / "report.json").read_text(encoding="utf-8"))
    verdicts = {t["place"].rsplit("/", 1)[-1].split("?")[0]: (t["valid"], t["territoria"]["couldNotRun"])
                for t in data["tasks"]}
    assert verdicts["out-of-range-measurements.csv"] == (False, False)
    assert verdicts["gone.csv"] == (False, True) and verdicts["huge.csv"] == (False, True)
    assert verdicts["csv"] == (True, False)  # the Opendatasoft export
    assert len(data["tasks"]) == 2 + 6 + 2 + 1
    assert [s["title"] for s in data["territoria"]["skipped"]] == ["Notice"]
    assert "not in the Territoria catalogue" in run.summary and "Notice" in run.summary
    assert any("etalab/schema-irve-statique" in a for a in run.annotations)
    url_errors = [a for a in run.annotations if a.startswith("::error") and "out-of-range" in a]
    assert url_errors and "file=" not in url_errors[0]


# --- workflows and documentation -----------------------------------------------------

def _workflow_steps(document: dict):
    for job in (document.get("jobs") or {}).values():
        yield from job.get("steps", [])


def test_repository_workflows():
    folder = REPO / ".github" / "workflows"
    workflows = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in folder.glob("*.yml")}
    assert workflows
    ci = workflows["ci.yml"]
    assert {"tests", "catalogue", "docs", "action"} <= set(ci["jobs"])
    local_uses = [s for w in workflows.values() for s in _workflow_steps(w) if s.get("uses") == "./"]
    assert local_uses, "a job runs the Action on the bundled examples"
    for step in local_uses:
        assert set(step.get("with", {})) <= set(ACTION["inputs"])
    text = json.dumps(ci)
    for used in re.findall(r"steps\.[\w-]+\.outputs\.([\w-]+)", text):
        assert used in ACTION["outputs"]


def test_documented_publisher_workflow():
    doc = (REPO / "docs" / "ACTION.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    workflows = [yaml.safe_load(b) for b in blocks]
    workflows = [w for w in workflows if isinstance(w, dict) and "jobs" in w]
    assert workflows
    steps = [s for w in workflows for s in _workflow_steps(w) if "territoria@" in str(s.get("uses", ""))]
    assert steps
    for step in steps:
        assert set(step.get("with", {})) <= set(ACTION["inputs"])
    triggers = [w.get("on") or w.get(True) for w in workflows]  # YAML 1.1 reads a bare `on` as true
    assert any(isinstance(t, dict) and "push" in t and "schedule" in t for t in triggers), \
        "an example validates on push and on a schedule"
    for name in list(ACTION["inputs"]) + list(ACTION["outputs"]):
        assert f"`{name}`" in doc, f"docs/ACTION.md documents {name}"
