"""The GitHub Action's entry point: ``python -m territoria.action`` (``territoria.action_main`` still works).

Why in Python: the composite action (``action.yml``) only installs Territoria
from the action's own checkout and runs this module, so the logic is tested
offline like the rest of the library. Inputs arrive as environment variables
(``INPUT_PATHS``, ``INPUT_SCHEMA``, ``INPUT_URLS``, ``INPUT_DATASETS``,
``INPUT_FAIL_ON``, ``INPUT_LANG``, ``INPUT_REPORT``, ``INPUT_TRUSTED``,
``INPUT_ALLOW_PRIVATE_NETWORK``); descriptors may name any file inside the
workspace, nothing outside it unless ``trusted`` (SECURITY.md); the run

1. prints the text report in a collapsed log group, then annotations
   (``::error file=…,line=…,col=…``) on the data files;
2. appends a Markdown summary to ``$GITHUB_STEP_SUMMARY``;
3. writes ``report.json`` and ``report.html`` to the ``report`` folder;
4. sets the outputs ``valid``, ``error-count``, ``warning-count``, ``report-path``
   in ``$GITHUB_OUTPUT``;
5. exits 0, 1 (invalid, per ``fail-on``) or 2 (something could not be checked).

Whatever fails inside, the summary and the outputs are still written and the
exit code is 2: no traceback reaches the log.
"""
from __future__ import annotations

import os
import sys
import uuid
from typing import Optional

from . import targets
from .readers.open import is_url
from .render import render
from .report import FAIL_ON, Report, exit_status

DEFAULT_REPORT = "territoria-report"
OUTPUTS = ("valid", "error-count", "warning-count", "report-path")


class InputProblem(Exception):
    pass


def _input(env, name: str) -> str:
    for key in (f"INPUT_{name.upper().replace('-', '_')}", f"INPUT_{name.upper()}"):
        if env.get(key) is not None:
            return env[key].strip()
    return ""


def _lines(text: str) -> list:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def read_inputs(env) -> dict:
    fail_on = (_input(env, "fail-on") or "error").lower()
    if fail_on not in FAIL_ON:
        raise InputProblem(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    lang = (_input(env, "lang") or "fr").lower()
    flags = {}
    for name in ("trusted", "allow-private-network"):
        value = (_input(env, name) or "false").lower()
        if value not in ("true", "false"):
            raise InputProblem(f"{name} must be true or false, not {value!r}")
        flags[name] = value == "true"
    return {
        "trusted": flags["trusted"],
        "allow_private_network": flags["allow-private-network"],
        "paths": _lines(_input(env, "paths")),
        "schema": _input(env, "schema") or None,
        "urls": _lines(_input(env, "urls")),
        "datasets": _lines(_input(env, "datasets")),
        "fail_on": fail_on,
        "lang": "fr" if lang.startswith("fr") else "en",
        "report": _input(env, "report") or DEFAULT_REPORT,
    }


def _resolve_schema(schema: Optional[str], root: str) -> Optional[str]:
    """A schema path is relative to the repository; names and URLs are left alone."""
    if not schema or is_url(schema) or os.path.isabs(schema):
        return schema
    candidate = os.path.join(root, schema)
    return candidate if os.path.exists(candidate) else schema


def relativise(report: Report, root: str) -> None:
    """Show repository files as repository-relative paths (what annotations need)."""
    for task in report.tasks:
        place = task.place or ""
        if os.path.isabs(place):
            relative = os.path.relpath(place, root)
            if not relative.startswith(".."):
                task.place = relative.replace(os.sep, "/")


def write_outputs(path: Optional[str], values: dict) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in values.items():
            value = str(value)
            if "\n" in value:
                delimiter = f"territoria_{uuid.uuid4().hex}"
                handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                handle.write(f"{name}={value}\n")


def write_reports(report: Report, folder: str, lang: str, skipped: list) -> str:
    os.makedirs(folder, exist_ok=True)
    for name, fmt in (("report.json", "json"), ("report.html", "html")):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(render(report, fmt, lang, skipped=skipped))
    return folder


def main(argv=None, env=None, out=None) -> int:
    env = os.environ if env is None else env
    out = out or sys.stdout
    from .render.github import command

    if argv and argv[0] in ("-h", "--help"):
        out.write(__doc__ + "\n")
        return 0
    try:
        inputs = read_inputs(env)
    except InputProblem as problem:
        out.write(command("error", str(problem), title="Territoria") + "\n")
        return 2
    root = os.path.abspath(env.get("GITHUB_WORKSPACE") or os.getcwd())
    from .readers import policy

    chosen = policy.make(inputs["trusted"], inputs["allow_private_network"] or None, root=root)
    try:
        with policy.applied(chosen):
            return _run(inputs, root, env, out)
    except Exception as error:  # last resort: still a summary, outputs, one line and exit 2
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        note = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        out.write(command("error", f"Territoria could not finish: {note}", title="Territoria") + "\n")
        summary = env.get("GITHUB_STEP_SUMMARY")
        if summary:
            try:
                with open(summary, "a", encoding="utf-8") as handle:
                    handle.write(f"### Territoria\n\nTerritoria could not finish: `{note}`\n")
            except OSError:
                pass
        write_outputs(env.get("GITHUB_OUTPUT"), {"valid": "false", "error-count": 0, "warning-count": 0,
                                                 "report-path": ""})
        return 2


def _run(inputs: dict, root: str, env, out) -> int:
    from .render.github import command

    schema = _resolve_schema(inputs["schema"], root)
    plan = targets.collect(inputs["paths"], inputs["urls"], inputs["datasets"], schema, root=root)
    if not plan.targets and not plan.skipped:
        out.write(command("error", "Nothing to validate: set the paths, urls or datasets input.",
                          title="Territoria") + "\n")
        write_outputs(env.get("GITHUB_OUTPUT"), {"valid": "false", "error-count": 0,
                                                 "warning-count": 0, "report-path": ""})
        return 2
    report = targets.run(plan.targets, trusted=inputs["trusted"] or None,
                         allow_private_network=inputs["allow_private_network"] or None)
    relativise(report, root)
    lang = inputs["lang"]

    token = uuid.uuid4().hex  # data shown in the log can never be read as a workflow command
    out.write("::group::Territoria\n")
    out.write(f"::stop-commands::{token}\n")
    out.write(render(report, "text", lang))
    for item in plan.skipped:
        out.write(f"- {item.dataset}: {item.title} ({item.format or '?'}) not checked: {item.url}\n")
    out.write(f"::{token}::\n")
    out.write("::endgroup::\n")
    out.write(render(report, "github", lang, root=root))

    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(render(report, "markdown", lang, skipped=plan.skipped) + "\n")

    folder = inputs["report"]
    folder = folder if os.path.isabs(folder) else os.path.join(root, folder)
    try:
        write_reports(report, folder, lang, plan.skipped)
    except OSError as error:
        out.write(command("warning", f"The report could not be written to {folder}: {error}",
                          title="Territoria") + "\n")
        folder = ""
    write_outputs(env.get("GITHUB_OUTPUT"), {
        "valid": "true" if report.valid else "false",
        "error-count": report.error_count,
        "warning-count": report.warning_count,
        "report-path": folder,
    })
    out.flush()
    return exit_status(report, inputs["fail_on"])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
