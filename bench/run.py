"""Territoria benchmark: every shape a user brings, as whole processes, against frictionless.

Usage::

    python bench/run.py                              # every shape, 3 paired runs each
    python bench/run.py --shapes cold,csv            # some shapes only
    python bench/run.py --shapes keys --keys-rows 5000000,15000000,30000000
    python bench/run.py --shapes fkeys --fkeys-rows 15000000 --runs 1
    python bench/run.py --runs 5                     # more pairs, a tighter spread
    python bench/run.py --territoria-path /tmp/old/validator --label before   # another tree
    python bench/run.py --shapes csv --profile       # + cProfile of validate() -> bench/out/

What it measures (see bench/README.md): each figure is a whole process started as a
user starts it (``python -m territoria validate FILE --schema SCHEMA --format json``,
``frictionless validate FILE --schema SCHEMA --json``, a ``python -c`` doing pyarrow's
bare parse), start-up included, no warm-up run, with its wall time, CPU time and peak
RSS from ``os.wait4``. The commands compared take turns (A B A B ...), and every ratio
is computed pair by pair and printed as median (min–max). frictionless reads about
10,000 rows a second: it runs on a prefix of the same data (the generators write the
N-row file as an exact prefix of bigger ones) and its time for the whole file is
extrapolated as ``cold start + (prefix time - cold start) * rows / prefix rows``; both
tools' error counts by type are compared on that prefix. The ``csv`` shape also gives
the in-process figure of earlier sessions (``validate()`` in a warmed-up interpreter).

Shapes: cold, csv, xlsx, gzip, parquet, ndjson, strings, keys, fkeys, errors, many.
Results: a table on stdout, ``bench/out/shapes.json`` with every raw run and command.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402
import measure  # noqa: E402
import shapes  # noqa: E402

OUT_DIR = os.path.join(HERE, "out")
DATA = generate.DATA_DIR
#: shapes measured at several sizes (their results: {"sizes": {rows: result}})
SIZED = ("keys", "fkeys")
SHAPES = ("cold", "csv", "xlsx", "gzip", "parquet", "ndjson", "strings", "keys", "fkeys", "errors", "many")


# --------------------------------------------------------------------------- in-process workers

def _worker(kind: str, path: str, schema: str, extra: str) -> dict:
    """One in-process figure, in a fresh interpreter: the call only, after a warm-up."""
    if kind == "territoria":
        import territoria

        territoria.validate(os.path.join(os.path.dirname(path), "tiny.csv"), schema, limit_errors=1000)
        started = time.perf_counter()
        if extra:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(territoria.validate, path, schema, limit_errors=1000)
            profiler.dump_stats(extra)
        else:
            report = territoria.validate(path, schema, limit_errors=1000)
        task = report.tasks[0]
        return {"seconds": time.perf_counter() - started, "rows": task.rows, "errors": task.error_count}
    if kind == "arrow-strings":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        with open(path, encoding="utf-8") as handle:
            names = handle.readline().rstrip("\n").split(",")
        started = time.perf_counter()
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}))
        return {"seconds": time.perf_counter() - started, "rows": table.num_rows}
    raise SystemExit(f"unknown worker {kind}")


#: pyarrow's bare parse of a CSV, all columns as text, as a whole process (the floor)
BARE_PARSE = ("import sys, pyarrow as pa, pyarrow.csv as c; names = open(sys.argv[1]).readline().rstrip().split(','); "
              "c.read_csv(sys.argv[1], convert_options=c.ConvertOptions(column_types={n: pa.string() for n in names}))")


# --------------------------------------------------------------------------- the run

class Bench:
    """What every shape needs: the commands of both tools, paired runs, the results."""

    def __init__(self, args) -> None:
        self.args = args
        self.runs = max(args.runs, 1)
        self.python = sys.executable
        self.tree = os.path.abspath(args.territoria_path or os.path.join(REPO, "validator"))
        self.env = dict(os.environ, PYTHONPATH=self.tree, TERM="dumb")
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
        self.fric_env = dict(self.env)
        self.fric_env.pop("PYTHONPATH", None)
        executable = os.path.join(os.path.dirname(sys.executable), "frictionless")
        self.frictionless = executable if os.path.exists(executable) else shutil.which("frictionless")
        self.scratch = tempfile.mkdtemp(prefix="territoria-bench-")
        self._fric_cold = None
        self.log_started = time.perf_counter()

    def log(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.log_started:6.1f}s] {message}", file=sys.stderr, flush=True)

    # -- commands -------------------------------------------------------------------------

    def territoria(self, path: str, schema: str, *options: str) -> tuple:
        """(command, cwd, JSON report path) of ``territoria validate``."""
        report = os.path.join(self.scratch, f"t{time.perf_counter_ns()}.json")
        command = [self.python, "-m", "territoria", "validate", path, *(("--schema", schema) if schema else ()),
                   "--format", "json", "--output", report, "--no-progress", *options]
        return command, None, report

    def fric(self, path: str, schema: str) -> tuple:
        """(command, cwd, JSON report path) of ``frictionless validate``: relative paths
        from the data folder (it refuses absolute ones), every error listed."""
        folder = os.path.dirname(os.path.abspath(path))
        report = os.path.join(self.scratch, f"f{time.perf_counter_ns()}.json")
        command = [self.frictionless, "validate", os.path.basename(path),
                   *(("--schema", os.path.relpath(schema, folder)) if schema else ()),
                   "--json", "--limit-errors", str(10 ** 9)]
        return command, folder, report

    def run(self, spec: tuple, kind: str) -> dict:
        command, cwd, report = spec
        env = self.fric_env if kind == "frictionless" else self.env
        # frictionless prints its report; Territoria writes it with --output
        result = measure.run(command, cwd=cwd, env=env, stdout=report if kind == "frictionless" else None)
        result["command"] = (f"cd {cwd} && " if cwd else "") + " ".join(command)
        if report and os.path.exists(report):
            result["counts"] = _counts(report, kind)
            os.unlink(report)
        return result

    def take_turns(self, specs: dict, runs: "int | None" = None) -> dict:
        """Each named command ``runs`` times, in turns (A B C A B C ...)."""
        out = {name: [] for name in specs}
        for _ in range(runs or self.runs):
            for name, (spec, kind) in specs.items():
                out[name].append(self.run(spec, kind))
        return out

    def fric_cold(self) -> "float | None":
        """frictionless's own cold start (20-row file), for the extrapolation."""
        if self._fric_cold is None and self.frictionless:
            tiny, schema = generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
            walls = [self.run(self.fric(tiny, schema), "frictionless")["wall"] for _ in range(3)]
            self._fric_cold = sorted(walls)[1]
        return self._fric_cold

    def extrapolate(self, fric_runs: list, prefix_rows: int, rows: int) -> list:
        cold = self.fric_cold() or 0.0
        return [cold + max(r["wall"] - cold, 0.0) * rows / prefix_rows for r in fric_runs]

    # -- a shape against frictionless ------------------------------------------------------

    def versus(self, name: str, main: tuple, prefix: tuple, rows: int, prefix_rows: int, *,
               options: tuple = (), extra: "dict | None" = None) -> dict:
        """Territoria on ``main`` (path, schema) and frictionless on ``prefix``, in turns,
        plus Territoria once on the prefix (the error counts compared) and any ``extra``
        commands {name: (spec, kind)} in the same turns."""
        specs = {"territoria": (self.territoria(*main, *options), "territoria")}
        if self.frictionless and not self.args.skip_frictionless:
            specs["frictionless"] = (self.fric(*prefix), "frictionless")
        specs.update(extra or {})
        self.log(f"{name}: {', '.join(specs)} x {self.runs}, in turns")
        runs = self.take_turns(specs)
        same_file = prefix == main
        terr_prefix = runs["territoria"][0] if same_file else self.run(self.territoria(*prefix, *options), "territoria")
        result = {"rows": rows, "prefix_rows": prefix_rows, "runs": runs, "territoria_prefix": terr_prefix}
        t_walls = [r["wall"] for r in runs["territoria"]]
        result["territoria_wall"] = measure.spread(t_walls)
        result["territoria_rss"] = measure.spread([r["rss_mb"] for r in runs["territoria"]])
        result["territoria_cpu"] = measure.spread([r["cpu"] for r in runs["territoria"]])
        if "frictionless" in runs:
            estimated = self.extrapolate(runs["frictionless"], prefix_rows, rows) if not same_file else \
                [r["wall"] for r in runs["frictionless"]]
            result["frictionless_wall"] = measure.spread(estimated)
            result["speedup"] = measure.ratios(estimated, t_walls)
            f_counts = runs["frictionless"][0].get("counts")
            t_counts = terr_prefix.get("counts")
            result["counts"] = {"territoria": t_counts, "frictionless": f_counts}
            result["same_counts"] = None if f_counts is None or t_counts is None else f_counts == t_counts
        return result


def _counts(report_path: str, kind: str) -> "dict | None":
    """Error counts by type of a JSON report (Territoria's exact counts; every error
    frictionless listed, as it was told to list them all)."""
    try:
        with open(report_path, encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        return None
    counts: dict = {}
    for task in report.get("tasks", []):
        if kind == "territoria":
            for code, count in task["territoria"]["errorCountsByType"].items():
                counts[code] = counts.get(code, 0) + count
        else:
            for error in task.get("errors", []):
                counts[error["type"]] = counts.get(error["type"], 0) + 1
    return counts


# --------------------------------------------------------------------------- the shapes

def shape_cold(bench: Bench) -> dict:
    tiny, schema = generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
    specs = {"territoria": (bench.territoria(tiny, schema), "territoria")}
    if bench.frictionless:
        specs["frictionless"] = (bench.fric(tiny, schema), "frictionless")
    bench.log(f"cold: 20-row file, x {max(bench.runs, 7)} in turns")
    runs = bench.take_turns(specs, max(bench.runs, 7))
    out = {"runs": runs, "territoria_wall": measure.spread([r["wall"] for r in runs["territoria"]]),
           "territoria_rss": measure.spread([r["rss_mb"] for r in runs["territoria"]])}
    if "frictionless" in runs:
        out["frictionless_wall"] = measure.spread([r["wall"] for r in runs["frictionless"]])
        out["frictionless_rss"] = measure.spread([r["rss_mb"] for r in runs["frictionless"]])
        out["ratio"] = measure.ratios([r["wall"] for r in runs["territoria"]], [r["wall"] for r in runs["frictionless"]])
        bench._fric_cold = out["frictionless_wall"]["median"]
    return out


def shape_csv(bench: Bench) -> dict:
    rows, prefix_rows = bench.args.rows, min(bench.args.frictionless_rows, bench.args.rows)
    main = generate.ensure(rows)
    prefix = generate.ensure(prefix_rows)
    generate.ensure(20, name="tiny", error_rate=0.0, quiet=True)
    parse = ([bench.python, "-c", BARE_PARSE, main[0]], None, None)
    out = bench.versus("csv", main, prefix, rows, prefix_rows, extra={"bare parse": (parse, "parse")})
    parse_walls = [r["wall"] for r in out["runs"]["bare parse"]]
    out["parse_wall"] = measure.spread(parse_walls)
    out["over_parse"] = measure.ratios([r["wall"] for r in out["runs"]["territoria"]], parse_walls)
    # the in-process figure of earlier sessions: validate() in a warmed-up interpreter
    inproc = {"territoria": [], "arrow-strings": []}
    for _ in range(bench.runs):
        for kind in inproc:
            inproc[kind].append(_in_process(bench, kind, main))
    t_in = [r.get("seconds") for r in inproc["territoria"]]
    a_in = [r.get("seconds") for r in inproc["arrow-strings"]]
    out["in_process"] = {"territoria": measure.spread(t_in), "parse": measure.spread(a_in),
                         "over_parse": measure.ratios(t_in, a_in), "runs": inproc}
    if bench.args.profile:
        profile = os.path.join(OUT_DIR, f"territoria_{rows}.prof")
        _in_process(bench, "territoria", main, profile)
        out["profile"] = profile
    return out


def _in_process(bench: Bench, kind: str, main: tuple, extra: str = "") -> dict:
    report = os.path.join(bench.scratch, "worker.json")
    command = [bench.python, os.path.abspath(__file__), "--worker", kind, main[0], main[1], extra or "-"]
    result = measure.run(command, env=bench.env, stdout=report)
    try:
        with open(report, encoding="utf-8") as handle:
            result.update(json.loads(handle.read().strip().splitlines()[-1]))
    except (OSError, ValueError, IndexError):
        result["problem"] = result.get("stderr", "")[-500:]
    return result


def _against_csv(bench: Bench, name: str, main: tuple, twin: tuple, prefix: tuple, rows: int,
                 prefix_rows: int) -> dict:
    """A shape timed against frictionless and against Territoria on the same rows as CSV."""
    extra = {"territoria on the CSV": (bench.territoria(*twin), "territoria")}
    out = bench.versus(name, main, prefix, rows, prefix_rows, extra=extra)
    csv_walls = [r["wall"] for r in out["runs"]["territoria on the CSV"]]
    out["csv_wall"] = measure.spread(csv_walls)
    out["over_csv"] = measure.ratios([r["wall"] for r in out["runs"]["territoria"]], csv_walls)
    return out


def _parquet_files(rows: int) -> tuple:
    path, twin, schema = shapes.ensure_parquet(rows)
    return path, twin, schema


def _ndjson_files(rows: int) -> tuple:
    path, schema = shapes.ensure_ndjson(rows)
    return path, generate.ensure(rows)[0], schema


def _gzip_files(rows: int) -> tuple:
    return shapes.ensure_gzip(rows)


#: shape -> (its rows option, files(rows) -> (file, the same rows as CSV, schema))
TWINNED = {"parquet": ("parquet_rows", _parquet_files), "ndjson": ("ndjson_rows", _ndjson_files),
           "gzip": ("rows", _gzip_files)}


def _twinned(name: str):
    """A shape timed against frictionless and against Territoria on the same rows as CSV."""
    option, files = TWINNED[name]

    def run(bench: Bench) -> dict:
        rows = getattr(bench.args, option)
        prefix_rows = min(bench.args.frictionless_rows, rows)
        path, twin, schema = files(rows)
        prefix_path = files(prefix_rows)[0]
        return _against_csv(bench, name, (path, schema), (twin, schema), (prefix_path, schema), rows, prefix_rows)

    return run


def shape_xlsx(bench: Bench) -> dict:
    rows, prefix_rows = bench.args.xlsx_rows, min(bench.args.xlsx_frictionless_rows, bench.args.xlsx_rows)
    path, schema = shapes.ensure_xlsx(rows)
    prefix_path, _ = shapes.ensure_xlsx(prefix_rows)
    return bench.versus("xlsx", (path, schema), (prefix_path, schema), rows, prefix_rows)


def shape_strings(bench: Bench) -> dict:
    rows, prefix_rows = bench.args.rows, min(bench.args.frictionless_rows, bench.args.rows)
    main = shapes.ensure_strings(rows)
    prefix = shapes.ensure_strings(prefix_rows)
    parse = ([bench.python, "-c", BARE_PARSE, main[0]], None, None)
    out = bench.versus("strings", main, prefix, rows, prefix_rows, extra={"bare parse": (parse, "parse")})
    parse_walls = [r["wall"] for r in out["runs"]["bare parse"]]
    out["parse_wall"] = measure.spread(parse_walls)
    out["over_parse"] = measure.ratios([r["wall"] for r in out["runs"]["territoria"]], parse_walls)
    return out


def _sized(name: str, ensure):
    """A shape measured at each of its --NAME-rows sizes ({"sizes": {rows: result}}),
    frictionless on the smallest (or --frictionless-rows) one."""

    def run(bench: Bench) -> dict:
        sizes = [int(s) for s in getattr(bench.args, f"{name}_rows").split(",") if s]
        prefix_rows = min(bench.args.frictionless_rows, min(sizes))
        prefix = ensure(prefix_rows)
        out = {"sizes": {}}
        for rows in sizes:
            out["sizes"][rows] = bench.versus(f"{name} {rows:,}", ensure(rows), prefix, rows, prefix_rows)
        return out

    return run


#: a unique id and a composite primary key
shape_keys = _sized("keys", shapes.ensure_keys)
#: a package of N meters and N readings whose meter is a foreign key (the meters' keys read as the
#: readings' lookup); frictionless on a package of --frictionless-rows of each
shape_fkeys = _sized("fkeys", shapes.ensure_fkeys)


def shape_errors(bench: Bench) -> dict:
    rows = bench.args.errors_rows
    main = shapes.ensure_errors(rows)
    default = (bench.territoria(*main), "territoria")
    out = bench.versus("errors", main, main, rows, rows, options=("--limit-errors", str(10 ** 9)),
                       extra={"territoria, first 1000 listed": default})
    listed = out["runs"]["territoria, first 1000 listed"]
    out["default_cpu"] = measure.spread([r["cpu"] for r in listed])
    out["over_default_cpu"] = measure.ratios([r["cpu"] for r in out["runs"]["territoria"]], [r["cpu"] for r in listed])
    out["frictionless_rss"] = measure.spread([r["rss_mb"] for r in out["runs"].get("frictionless", [])])
    return out


def shape_many(bench: Bench) -> dict:
    files = bench.args.many_files
    folder, schema = shapes.ensure_many(files)
    names = sorted(os.listdir(folder))
    names = [n for n in names if n.endswith(".csv")]
    one = [bench.python, "-m", "territoria", "validate", names[0], "--schema", schema, "--no-progress"]
    every = [bench.python, "-m", "territoria", "validate", *names, "--schema", schema, "--no-progress"]
    specs = {"one file": ((one, folder, None), "territoria"), f"{files} files": ((every, folder, None), "territoria")}
    bench.log(f"many: 1 file and {files} files in one command, x {bench.runs} in turns")
    runs = bench.take_turns(specs)
    singles = [r["wall"] for r in runs["one file"]]
    alls = [r["wall"] for r in runs[f"{files} files"]]
    per_file = [1000 * (a - s) / (files - 1) for a, s in zip(alls, singles)]
    return {"runs": runs, "files": files, "one_wall": measure.spread(singles), "all_wall": measure.spread(alls),
            "per_extra_file_ms": measure.spread(per_file),
            "all_rss": measure.spread([r["rss_mb"] for r in runs[f"{files} files"]])}


RUNNERS = {"cold": shape_cold, "csv": shape_csv, "xlsx": shape_xlsx, "gzip": _twinned("gzip"),
           "parquet": _twinned("parquet"), "ndjson": _twinned("ndjson"), "strings": shape_strings, "keys": shape_keys,
           "fkeys": shape_fkeys, "errors": shape_errors, "many": shape_many}


# --------------------------------------------------------------------------- the table

def _ok(value, target, at_least: bool):
    if value is None:
        return ""
    return "met" if (value >= target if at_least else value <= target) else "NOT MET"


def table(results: dict) -> list:
    """Rows (shape, measured, target, met) of the issue's table, whole processes first;
    a shape whose error counts differ from frictionless's is NOT MET whatever its time."""
    rows = _table(results)
    differ = {name for name, r in results.items()
              if any(s.get("same_counts") is False for s in (r["sizes"].values() if name in SIZED else [r]))}
    labels = {"cold": "cold start", "csv": "lighting CSV", "xlsx": "XLSX", "gzip": "gzip", "parquet": "Parquet",
              "ndjson": "NDJSON", "strings": "string-heavy", "keys": "unique + composite", "fkeys": "foreign key",
              "errors": "every error"}
    out = []
    for row in rows:
        if any(row[0].startswith(labels[name]) for name in differ if name in labels) and row[3] == "met":
            row = (row[0], row[1], row[2], "NOT MET (verdicts differ)")
        out.append(row)
    return out


def _table(results: dict) -> list:
    rows = []
    r = results.get("cold")
    if r and r.get("ratio"):
        rows.append(("cold start, 20-row file (Territoria / frictionless)",
                     f"{measure.show(r['ratio'], '{:.2f}', '×')}: {measure.show(r['territoria_wall'], '{:.3f}', ' s')}"
                     f" vs {measure.show(r['frictionless_wall'], '{:.3f}', ' s')}; "
                     f"{r['territoria_rss']['median']:.0f} MB vs {r['frictionless_rss']['median']:.0f} MB",
                     "≤ 0.5×", _ok(r["ratio"]["median"], 0.5, False)))
    r = results.get("csv")
    if r:
        rows.append((f"lighting CSV, {r['rows']:,} rows: speed-up over frictionless",
                     f"{measure.show(r.get('speedup'), '{:.0f}', '×')} "
                     f"(Territoria {measure.show(r['territoria_wall'], '{:.2f}', ' s')})",
                     "≥ 50×", _ok((r.get("speedup") or {}).get("median"), 50, True)))
        rows.append(("  … over pyarrow's bare parse, whole processes",
                     f"{measure.show(r['over_parse'], '{:.2f}', '×')} (parse {measure.show(r['parse_wall'], '{:.2f}', ' s')})",
                     "≤ 2×", _ok(r["over_parse"]["median"], 2, False)))
        ip = r["in_process"]
        rows.append(("  … in-process (validate() only, warmed up)",
                     f"{measure.show(ip['territoria'], '{:.2f}', ' s')}, {measure.show(ip['over_parse'], '{:.2f}', '×')}"
                     f" the in-process parse", "", ""))
    for name, label, target in (("xlsx", "XLSX without <dimension>", 2.0),):
        r = results.get(name)
        if r:
            rows.append((f"{label}, {r['rows']:,} rows: speed-up over frictionless",
                         f"{measure.show(r.get('speedup'), '{:.1f}', '×')} (Territoria "
                         f"{measure.show(r['territoria_wall'], '{:.2f}', ' s')})", f"≥ {target:g}×",
                         _ok((r.get("speedup") or {}).get("median"), target, True)))
    for name, label, target in (("gzip", "gzip'ed CSV", 1.6), ("parquet", "Parquet", 1.5), ("ndjson", "NDJSON", 3.0)):
        r = results.get(name)
        if r:
            rows.append((f"{label}, {r['rows']:,} rows: time / the same rows as CSV",
                         f"{measure.show(r['over_csv'], '{:.2f}', '×')} ({measure.show(r['territoria_wall'], '{:.2f}', ' s')}"
                         f" vs {measure.show(r['csv_wall'], '{:.2f}', ' s')}); "
                         f"{measure.show(r.get('speedup'), '{:.0f}', '×')} frictionless",
                         f"≤ {target:g}×", _ok(r["over_csv"]["median"], target, False)))
    r = results.get("strings")
    if r:
        rows.append((f"string-heavy, {r['rows']:,} rows: speed-up over frictionless",
                     f"{measure.show(r.get('speedup'), '{:.1f}', '×')}", "≥ 10×",
                     _ok((r.get("speedup") or {}).get("median"), 10, True)))
        rows.append(("  … over the bare parse, whole processes", f"{measure.show(r['over_parse'], '{:.2f}', '×')}",
                     "≤ 3×", _ok(r["over_parse"]["median"], 3, False)))
    for name, label in (("keys", "unique + composite primary key, {:,} rows"),
                        ("fkeys", "foreign key, {:,} referenced keys and rows")):
        for size, s in (results.get(name) or {"sizes": {}})["sizes"].items():
            rows.append((f"{label.format(int(size))}: peak RSS",
                         f"{measure.show(s['territoria_rss'], '{:.0f}', ' MB')} "
                         f"({measure.show(s['territoria_wall'], '{:.1f}', ' s')})", "≤ 600 MB",
                         _ok(s["territoria_rss"]["median"], 600, False)))
    r = results.get("errors")
    if r:
        rows.append((f"every error listed, {r['rows']:,} rows, JSON: speed-up over frictionless",
                     f"{measure.show(r.get('speedup'), '{:.1f}', '×')}; "
                     f"{measure.show(r['territoria_rss'], '{:.0f}', ' MB')} (frictionless "
                     f"{measure.show(r['frictionless_rss'], '{:.0f}', ' MB')}); "
                     f"CPU {measure.show(r['over_default_cpu'], '{:.1f}', '×')} the default listing",
                     "≥ 10×", _ok((r.get("speedup") or {}).get("median"), 10, True)))
    r = results.get("many")
    if r:
        rows.append((f"{r['files']} small files in one command: per extra file",
                     f"{measure.show(r['per_extra_file_ms'], '{:.1f}', ' ms')}", "≤ 2 ms",
                     _ok(r["per_extra_file_ms"]["median"], 2, False)))
    for name, r in results.items():
        for s in (list(r["sizes"].values()) if name in SIZED else [r]):
            if s.get("same_counts") is False:
                rows.append((f"  {name}: error counts by type DIFFER", json.dumps(s["counts"])[:200], "", "NOT MET"))
    return rows


def render(results: dict, meta: dict) -> str:
    rows = [("shape", "measured: median (min–max) of paired runs", "target", "")] + table(results)
    width = [min(max(len(row[i]) for row in rows), 90) for i in range(4)]
    lines = [" | ".join(cell.ljust(width[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    rule = "-" * max(len(line) for line in lines)
    agree = [name for name, r in results.items()
             if any(s.get("same_counts") for s in (r["sizes"].values() if name in SIZED else [r]))]
    notes = [f"error counts by type identical to frictionless on: {', '.join(agree) or 'none compared'}",
             f"load average {meta['loadavg_before'][0]:.1f} before, {meta['loadavg_after'][0]:.1f} after, "
             f"{meta['cpus']} CPUs; {meta['runs']} paired runs per shape; {meta['seconds']:.0f} s in all"]
    if max(meta["loadavg_before"][0], meta["loadavg_after"][0]) > 1.5:
        notes.append("WARNING: other work was running: figures are pessimistic, rerun on a quiet machine")
    return "\n".join([rule, lines[0], rule, *lines[1:], rule, *notes])


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, path, schema, extra = sys.argv[2:6]
        print(json.dumps(_worker(kind, path, schema, "" if extra == "-" else extra)))
        return 0
    parser = argparse.ArgumentParser(description="Territoria benchmark (see the module docstring).")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of: {', '.join(SHAPES)}")
    parser.add_argument("--runs", type=int, default=3, help="paired runs per shape (cold start: at least 7)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV, gzip and string shapes")
    parser.add_argument("--frictionless-rows", type=int, default=100_000, help="rows of the prefix frictionless reads")
    parser.add_argument("--parquet-rows", type=int, default=2_000_000)
    parser.add_argument("--ndjson-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--xlsx-frictionless-rows", type=int, default=50_000)
    parser.add_argument("--keys-rows", default="5000000", help="comma-separated sizes of the key shape")
    parser.add_argument("--fkeys-rows", default="5000000",
                        help="comma-separated sizes of the foreign-key shape (meters, and as many readings)")
    parser.add_argument("--errors-rows", type=int, default=100_000)
    parser.add_argument("--many-files", type=int, default=200)
    parser.add_argument("--territoria-path", default=None,
                        help="the folder holding the territoria package to measure (default: this tree's validator/)")
    parser.add_argument("--label", default="", help="a name for this run in the JSON file")
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument("--profile", action="store_true", help="csv: a cProfile of validate() -> bench/out/")
    args = parser.parse_args(argv)
    unknown = [s for s in args.shapes.split(",") if s not in RUNNERS]
    if unknown:
        parser.error(f"unknown shapes: {', '.join(unknown)}")
    os.makedirs(OUT_DIR, exist_ok=True)
    bench = Bench(args)
    import compileall

    compileall.compile_dir(os.path.join(bench.tree, "territoria"), quiet=2)  # as pip install does
    started, load_before = time.perf_counter(), os.getloadavg()
    results = {}
    try:
        for name in args.shapes.split(","):
            results[name] = RUNNERS[name](bench)
    finally:
        shutil.rmtree(bench.scratch, ignore_errors=True)
    meta = {"label": args.label, "tree": bench.tree, "runs": bench.runs, "cpus": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()], "seconds": time.perf_counter() - started,
            "date": time.strftime("%Y-%m-%d %H:%M")}
    name = f"shapes{'_' + args.label if args.label else ''}.json"
    with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8") as handle:
        json.dump({"meta": meta, "results": results, "table": table(results)}, handle, indent=2, default=str)
    print(render(results, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
