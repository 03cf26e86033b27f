"""Whole processes, timed as a user runs them: wall time, CPU time and peak RSS of one
child, commands taking turns, and ratios pair by pair with their spread.

Why whole processes: a user waits for the command, start-up included; timing a call
inside a warmed-up interpreter (the benchmark's in-process figure) leaves out the
imports, which on a small file are most of the time. Why turns (A B A B ...): the
machine is shared, its speed drifts, and a drift then weighs on both sides of a ratio.
Peak RSS is the kernel's ``ru_maxrss`` of that very child, from ``os.wait4``.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from typing import Optional


#: The process that starts every measured command: a child's peak RSS counts the
#: memory of the process it was forked from until its exec (Linux keeps the larger
#: of the two high-water marks), so commands are forked from this small interpreter
#: (``python -S``, a few MB), not from the benchmark, which holds pyarrow and data.
_LAUNCHER = r"""
import json, os, sys, time
for line in sys.stdin:
    job = json.loads(line)
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            fd = os.open(os.devnull, os.O_RDONLY); os.dup2(fd, 0)
            fd = os.open(job["stdout"] or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644); os.dup2(fd, 1)
            fd = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644); os.dup2(fd, 2)
            os.execve(job["argv"][0], job["argv"], job["env"])
        finally:
            os._exit(127)
    deadline = started + job["timeout"]
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, 9)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - started
    print(json.dumps({"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
                      "rss_mb": usage.ru_maxrss / 1024, "code": os.waitstatus_to_exitcode(status)}), flush=True)
"""
_launcher = None


def _launch(job: dict) -> dict:
    global _launcher
    if _launcher is None or _launcher.poll() is not None:
        _launcher = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
    _launcher.stdin.write(json.dumps(job) + "\n")
    _launcher.stdin.flush()
    return json.loads(_launcher.stdout.readline())


def run(command: list, *, cwd: Optional[str] = None, env: Optional[dict] = None,
        stdout: Optional[str] = None, timeout: float = 3600) -> dict:
    """Run ``command`` once: {wall, user, sys, cpu, rss_mb, code, stderr} of that child
    (``os.wait4``: its own CPU time and peak RSS); its standard output goes to the
    file ``stdout``, or is thrown away."""
    handle, errors_path = tempfile.mkstemp(prefix="bench-stderr-")
    os.close(handle)
    program = command[0] if os.path.isabs(command[0]) else shutil.which(command[0]) or command[0]
    try:
        result = _launch({"argv": [program, *command[1:]], "cwd": cwd or os.getcwd(),
                          "env": dict(env if env is not None else os.environ), "stdout": stdout,
                          "stderr": errors_path, "timeout": timeout})
        with open(errors_path, "rb") as errors:
            result["stderr"] = errors.read()[-4000:].decode("utf-8", "replace")
    finally:
        os.unlink(errors_path)
    result["cpu"] = result["user"] + result["sys"]
    return result


def spread(values: list) -> dict:
    """Median, min and max of some figures (None left out)."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def ratios(tops: list, bottoms: list) -> dict:
    """The ratio of each pair (top_i / bottom_i), then its median and spread."""
    pairs = [a / b for a, b in zip(tops, bottoms) if a is not None and b]
    return spread(pairs)


def show(figure: dict, fmt: str = "{:.2f}", unit: str = "") -> str:
    """``median (min–max)``; the spread is left out of a single run."""
    if not figure or figure.get("median") is None:
        return "n/a"
    text = fmt.format(figure["median"]) + unit
    if figure.get("n", 0) > 1:
        text += f" ({fmt.format(figure['min'])}–{fmt.format(figure['max'])})"
    return text
