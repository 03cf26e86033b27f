"""Territoria benchmark: throughput, memory and cold start, in one run.

Usage::

    python bench/run.py                      # 1M rows (frictionless on a 100k-row prefix)
    python bench/run.py --rows 10000000      # 10M rows, bounded memory
    python bench/run.py --strings-only       # every column typed as string
    python bench/run.py --profile            # also write a cProfile of territoria

What it measures (every measured program runs in its own subprocess, so that
imports, caches and peak RSS are its own; peak RSS comes from ``os.wait4``,
i.e. the kernel's ``ru_maxrss`` of that very child):

* territoria rows/s on the ``--rows`` file (``territoria.validate`` call only,
  imports and one-time set-up excluded: both tools first validate the 20-row
  file), its end-to-end wall time and peak RSS;
* frictionless-py rows/s on a ``--frictionless-rows`` prefix of the same file
  (same seed: the prefix is byte-identical to the first rows of the big file),
  same schema, ``limit_errors`` raised so that it reads the whole file (its
  default of 1000 would stop early); territoria is also run on that prefix so
  that the error counts of both tools can be compared;
* the bare parse of the ``--rows`` file by ``pyarrow.csv.read_csv``, all
  columns as strings (what territoria reads) and with default type inference;
  the ratio territoria time / bare parse time;
* cold start: wall time of ``territoria validate tiny.csv --schema tiny.json``
  and ``frictionless validate tiny.csv --schema tiny.json`` (median of 5).

Results are printed as a table and written to ``bench/out/results.json``
(``bench/out/results_<rows>.json`` too).

Duration on this machine (2 cores, measured 2026-11-29, other sessions running):
``--rows 1000000`` takes about 50 s once the data exist (+10 s to generate the
100 MB file; territoria ~4.5 s per run, frictionless ~10 s on 100k rows, cold
starts ~12 s). ``--rows 10000000`` took 268 s in all: 100 s to generate the
1 GB file (once), 83 s for territoria (its unique-key index grows
quadratically; see the README), ~30 s for frictionless and the prefix, ~55 s
for the bare parses, ~12 s for cold starts. Memory of the benchmark itself
stays bounded (generation ~100 MB; the bare parses hold one table in memory,
~2 GB at 10M rows, in their own subprocess).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402

OUT_DIR = os.path.join(HERE, "out")

TARGETS = {
    "speedup_vs_frictionless": (30.0, 50.0),  # at least, aim
    "ratio_vs_bare_parse": (3.0, 2.0),  # at most, aim
    "peak_rss_mb": (600.0, None),  # at most
}


# --------------------------------------------------------------------------- workers
# Each worker runs in a fresh interpreter (``python run.py --worker KIND ...``)
# and prints one JSON line on stdout.

def _tiny_beside(path: str) -> str:
    """The 20-row file of the same schema, generated beside every data file."""
    return os.path.join(os.path.dirname(os.path.abspath(path)), "tiny.csv")


def _worker(kind: str, path: str, schema: str, extra: str) -> dict:
    if kind == "territoria":
        import territoria

        # one-time costs (lazy imports, compiled patterns) are the cold-start row's
        # business: both tools validate the 20-row file once before the timed call
        territoria.validate(_tiny_beside(path), schema, limit_errors=1000)
        started = time.perf_counter()
        if extra:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(territoria.validate, path, schema, limit_errors=1000)
            profiler.dump_stats(extra)
        else:
            report = territoria.validate(path, schema, limit_errors=1000)
        seconds = time.perf_counter() - started
        task = report.tasks[0]
        problem = None
        if task.could_not_run:
            problem = "; ".join(e.get("note", "") for e in task.errors)
        return {"seconds": seconds, "rows": task.rows, "errors": task.error_count,
                "by_type": dict(task.counts_by_type), "problem": problem}
    if kind == "frictionless":
        import frictionless

        # frictionless refuses absolute paths ("not safe"): run from the data folder.
        os.chdir(os.path.dirname(os.path.abspath(path)))
        path, schema = os.path.basename(path), os.path.relpath(schema)
        frictionless.validate(os.path.basename(_tiny_beside(path)), schema=schema, limit_errors=10 ** 9)
        started = time.perf_counter()
        report = frictionless.validate(path, schema=schema, limit_errors=10 ** 9)
        seconds = time.perf_counter() - started
        task = report.tasks[0]
        by_type: dict = {}
        for error in task.errors:
            by_type[error.type] = by_type.get(error.type, 0) + 1
        problem = None
        fatal = set(by_type) - {"type-error", "constraint-error", "unique-error", "primary-key",
                                "missing-cell", "extra-cell", "blank-row", "row-error", "cell-error"}
        if fatal:
            problem = "frictionless could not run: " + "; ".join(e.note for e in task.errors[:3])
        return {"seconds": seconds, "rows": task.stats.get("rows"), "errors": task.stats.get("errors"),
                "by_type": by_type, "problem": problem}
    if kind in ("arrow-strings", "arrow-infer"):
        import pyarrow.csv as pacsv
        import pyarrow as pa

        with open(path, encoding="utf-8") as handle:
            names = handle.readline().rstrip("\n").split(",")
        convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}) \
            if kind == "arrow-strings" else pacsv.ConvertOptions()
        started = time.perf_counter()
        table = pacsv.read_csv(path, convert_options=convert)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "rows": table.num_rows, "problem": None}
    raise SystemExit(f"unknown worker {kind}")


def run_worker(kind: str, path: str, schema: str = "", extra: str = "") -> dict:
    """Run one worker in a subprocess; add its wall time and peak RSS (MB)."""
    command = [sys.executable, os.path.abspath(__file__), "--worker", kind, path, schema or "-", extra or "-"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout = child.stdout.read()
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"problem": f"worker {kind} failed (exit {child.returncode}): {stderr.strip()[-800:]}"}
    result["wall"] = wall
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
    return result


def fastest(runs: list) -> dict:
    """The fastest of several runs of one worker (its RSS: the max over runs)."""
    good = [r for r in runs if not r.get("problem")]
    if not good:
        return runs[0]
    best = min(good, key=lambda r: r["seconds"])
    best = dict(best)
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    best["all_seconds"] = [round(r["seconds"], 3) for r in good]
    return best


def _compile_bytecode() -> None:
    """Write Territoria's bytecode, as ``pip install`` does for a regular install.

    An editable install in an environment with PYTHONDONTWRITEBYTECODE set (as
    on the project's machine) has none, so each cold start would compile the
    package's modules from source (~0.1 s) while frictionless, installed from
    a wheel, has its bytecode: the cold-start row compares installed tools."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("territoria")
    if spec is not None and spec.origin:
        compileall.compile_dir(os.path.dirname(spec.origin), quiet=2)


def cold_starts(tools: list, csv_path: str, schema_path: str, times: int = 5) -> dict:
    """Median wall time of ``TOOL validate tiny.csv --schema tiny.json`` for each
    tool, the tools' runs interleaved (A B A B ...) so that a machine growing
    busier or quieter during the measurement weighs on both alike."""
    # Relative paths, run from the data folder: frictionless refuses absolute paths.
    folder = os.path.dirname(os.path.abspath(csv_path))
    env = dict(os.environ, TERM="dumb")
    commands, results = {}, {}
    for tool in tools:
        # The real entry point next to this interpreter, not a pyenv shim (a shim adds ~50 ms to both).
        executable = os.path.join(os.path.dirname(sys.executable), tool)
        if not os.path.exists(executable):
            executable = shutil.which(tool)
        if not executable:
            results[tool] = {"problem": f"{tool} not found"}
            continue
        commands[tool] = [executable, "validate", os.path.basename(csv_path), "--schema",
                          os.path.relpath(schema_path, folder)]
    walls = {tool: [] for tool in commands}
    codes = {tool: [] for tool in commands}
    for _ in range(times):
        for tool, command in commands.items():
            started = time.perf_counter()
            completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=folder)
            walls[tool].append(time.perf_counter() - started)
            codes[tool].append(completed.returncode)
    for tool, command in commands.items():
        results[tool] = {"median": statistics.median(walls[tool]), "runs": [round(w, 3) for w in walls[tool]],
                         "exit_codes": codes[tool], "command": f"cd {folder} && " + " ".join(command)}
    return results


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, path, schema, extra = sys.argv[2:6]
        result = _worker(kind, path, "" if schema == "-" else schema, "" if extra == "-" else extra)
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description="Territoria benchmark (see the module docstring).")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the main file (default 1,000,000)")
    parser.add_argument("--frictionless-rows", type=int, default=100_000,
                        help="rows of the prefix file frictionless is timed on (default 100,000)")
    parser.add_argument("--strings-only", action="store_true", help="every column typed as string")
    parser.add_argument("--repeat", type=int, default=1, help="territoria runs on the main file (fastest kept)")
    parser.add_argument("--parse-repeat", type=int, default=3, help="bare-parse runs (fastest kept)")
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="also run territoria once under cProfile -> bench/out/territoria_<rows>.prof")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--error-rate", type=float, default=0.001)
    parser.add_argument("--retry-unsupported", type=int, default=0, metavar="MINUTES",
                        help="if territoria reports an unsupported field type, retry every minute for this long")
    args = parser.parse_args(argv)

    os.makedirs(OUT_DIR, exist_ok=True)
    started = time.perf_counter()
    load_before = os.getloadavg()
    log = lambda message: print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)  # noqa: E731

    log(f"data: {args.rows:,} rows (+ {args.frictionless_rows:,}-row prefix, tiny file)")
    common = dict(strings_only=args.strings_only, seed=args.seed, error_rate=args.error_rate)
    main_csv, schema_path = generate.ensure(args.rows, **common)
    prefix_rows = min(args.frictionless_rows, args.rows)
    prefix_csv, _ = generate.ensure(prefix_rows, **common)
    tiny_csv, tiny_schema = generate.ensure(20, name="tiny", strings_only=args.strings_only, seed=args.seed,
                                            error_rate=0.0, quiet=True)
    size_mb = os.path.getsize(main_csv) / 1e6

    log("territoria on the main file, its runs interleaved with pyarrow's bare parses")
    deadline = time.time() + 60 * args.retry_unsupported
    while True:
        terr = run_worker("territoria", main_csv, schema_path)
        problem = terr.get("problem") or ""
        if "unsupported field type" in problem and time.time() < deadline:
            log(f"territoria: {problem.strip()[:200]} -- retrying in 60 s")
            time.sleep(60)
            continue
        break
    if terr.get("problem"):
        log(f"territoria failed: {terr['problem'][:500]}")
        if "unsupported field type" in terr["problem"]:
            log("a field type is not implemented yet: retry later, or run with --strings-only")

    # Territoria and the bare parses it is compared with take turns (T S I T S I ...),
    # so that a machine growing busier or quieter weighs on both sides of the ratio
    runs = {"territoria": [terr], "arrow-strings": [], "arrow-infer": []}
    wanted = {"territoria": 0 if terr.get("problem") else max(args.repeat, 1),
              "arrow-strings": max(args.parse_repeat, 1), "arrow-infer": max(args.parse_repeat, 1)}
    while any(len(runs[kind]) < wanted[kind] for kind in runs):
        for kind in runs:
            if len(runs[kind]) < wanted[kind]:
                runs[kind].append(run_worker(kind, main_csv, schema_path if kind == "territoria" else ""))
    terr = fastest(runs["territoria"])
    arrow_strings, arrow_infer = fastest(runs["arrow-strings"]), fastest(runs["arrow-infer"])

    log("territoria on the prefix file")
    terr_prefix = run_worker("territoria", prefix_csv, schema_path)
    if args.skip_frictionless:
        fric = {"problem": "skipped"}
    else:
        log(f"frictionless on the {prefix_rows:,}-row prefix")
        fric = run_worker("frictionless", prefix_csv, schema_path)

    log("cold start (median of 5)")
    _compile_bytecode()
    cold = cold_starts(["territoria", "frictionless"], tiny_csv, tiny_schema)
    cold_t, cold_f = cold["territoria"], cold["frictionless"]

    profile_path = None
    if args.profile:
        profile_path = os.path.join(OUT_DIR, f"territoria_{args.rows}.prof")
        log(f"territoria under cProfile -> {profile_path}")
        run_worker("territoria", main_csv, schema_path, profile_path)

    # ---------------------------------------------------------------- figures
    def rate(result, rows):
        if result.get("problem") or not result.get("seconds"):
            return None
        return rows / result["seconds"]

    t_rps = rate(terr, args.rows)
    t_prefix_rps = rate(terr_prefix, prefix_rows)
    f_rps = rate(fric, prefix_rows)
    speedup = t_rps / f_rps if t_rps and f_rps else None
    speedup_same_file = t_prefix_rps / f_rps if t_prefix_rps and f_rps else None
    ratio_strings = terr["seconds"] / arrow_strings["seconds"] if t_rps and not arrow_strings.get("problem") else None
    ratio_infer = terr["seconds"] / arrow_infer["seconds"] if t_rps and not arrow_infer.get("problem") else None
    same_counts = (None if terr_prefix.get("problem") or fric.get("problem")
                   else terr_prefix.get("by_type") == fric.get("by_type"))

    results = {
        "rows": args.rows,
        "file_mb": round(size_mb, 1),
        "frictionless_rows": prefix_rows,
        "strings_only": args.strings_only,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    # other work on the machine makes every figure slower: check these
                    "loadavg_before": [round(x, 2) for x in load_before],
                    "loadavg_after": [round(x, 2) for x in os.getloadavg()]},
        "territoria": terr,
        "territoria_prefix": terr_prefix,
        "frictionless": fric,
        "arrow_strings": arrow_strings,
        "arrow_infer": arrow_infer,
        "cold_start": {"territoria": cold_t, "frictionless": cold_f},
        "figures": {
            "territoria_rows_per_s": t_rps,
            "frictionless_rows_per_s": f_rps,
            "speedup_vs_frictionless": speedup,
            "speedup_vs_frictionless_same_prefix": speedup_same_file,
            "ratio_vs_bare_parse_strings": ratio_strings,
            "ratio_vs_bare_parse_infer": ratio_infer,
            "territoria_peak_rss_mb": terr.get("peak_rss_mb"),
            "cold_start_territoria_s": cold_t.get("median"),
            "cold_start_frictionless_s": cold_f.get("median"),
            "error_counts_agree_on_prefix": same_counts,
        },
        "profile": profile_path,
        "total_seconds": None,
    }
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    for name in ("results.json", f"results_{args.rows}{'_strings' if args.strings_only else ''}.json"):
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2, default=str)

    print(render(results))
    return 0 if t_rps else 1


def _num(value, fmt="{:,.0f}", none="n/a") -> str:
    return none if value is None else fmt.format(value)


def _verdict(ok) -> str:
    return "" if ok is None else ("PASS" if ok else "FAIL")


def render(r: dict) -> str:
    f = r["figures"]
    t, fr = r["territoria"], r["frictionless"]
    speed, ratio, rss = f["speedup_vs_frictionless"], f["ratio_vs_bare_parse_strings"], f["territoria_peak_rss_mb"]
    ct, cf = f["cold_start_territoria_s"], f["cold_start_frictionless_s"]
    rows = [
        ("file", f"{r['rows']:,} rows, {r['file_mb']:,} MB{' (strings only)' if r['strings_only'] else ''}", "", ""),
        ("territoria rows/s", _num(f["territoria_rows_per_s"]),
         f"{_num(t.get('seconds'), '{:.2f}')} s in validate(), {_num(t.get('wall'), '{:.2f}')} s wall", ""),
        ("frictionless rows/s", _num(f["frictionless_rows_per_s"]),
         f"{r['frictionless_rows']:,}-row prefix, {_num(fr.get('seconds'), '{:.2f}')} s", ""),
        ("speed-up vs frictionless", _num(speed, "{:.1f}x"),
         f"same prefix: {_num(f['speedup_vs_frictionless_same_prefix'], '{:.1f}x')}; target >= 30x (aim 50x)",
         _verdict(None if speed is None else speed >= 30)),
        ("pyarrow read_csv, strings", _num(r["arrow_strings"].get("seconds"), "{:.2f} s"), "", ""),
        ("pyarrow read_csv, inference", _num(r["arrow_infer"].get("seconds"), "{:.2f} s"), "", ""),
        ("territoria / bare parse", _num(ratio, "{:.1f}x"),
         f"vs inference: {_num(f['ratio_vs_bare_parse_infer'], '{:.1f}x')}; target <= 3x (aim 2x)",
         _verdict(None if ratio is None else ratio <= 3)),
        ("territoria peak RSS", _num(rss, "{:,.0f} MB"), "target <= 600 MB",
         _verdict(None if rss is None or t.get("problem") else rss <= 600)),
        ("cold start territoria", _num(ct, "{:.3f} s"), "median of 5, tiny file",
         _verdict(None if ct is None or cf is None else ct <= cf)),
        ("cold start frictionless", _num(cf, "{:.3f} s"), "", ""),
        ("errors (territoria, main file)", _num(t.get("errors")), str(t.get("by_type") or t.get("problem", ""))[:90], ""),
        ("errors on prefix: terr / fric",
         f"{_num(r['territoria_prefix'].get('errors'))} / {_num(fr.get('errors'))}",
         "same counts by type" if f["error_counts_agree_on_prefix"] else
         ("" if f["error_counts_agree_on_prefix"] is None else "counts by type DIFFER"), ""),
    ]
    width = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [" | ".join(cell.ljust(width[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    rule = "-" * max(len(line) for line in lines)
    load = r["machine"]["loadavg_before"][0], r["machine"]["loadavg_after"][0]
    warning = []
    if max(load) > 1.5:
        warning = [f"WARNING: load average {load[0]:.1f} before, {load[1]:.1f} after on "
                   f"{r['machine']['cpus']} CPUs: other work was running, figures are pessimistic"]
    return "\n".join([rule, *lines, rule, *warning, f"total benchmark time: {r['total_seconds']} s; "
                      f"JSON: {os.path.join(OUT_DIR, 'results.json')}"])


if __name__ == "__main__":
    sys.exit(main())
