"""``territoria fix`` benchmark: repairing a messy export against validating the repaired copy.

Usage::

    python bench/fix.py                  # 1M messy rows (generated once into bench/data/)
    python bench/fix.py --rows 100000    # a quicker run
    python bench/fix.py --repeat 3       # each command 3 times, interleaved, fastest kept

The data: a street-light export as a spreadsheet writes it (Windows-1252,
semicolons, the schema's French titles in another order, two optional columns
missing), every row with some of: decimal commas, ``5 200``, ``1,5 %``,
``15/06/2021``, ``oui``/``non``/``x``, ``23h00``, labels instead of codes; one
row in a hundred with latitude and longitude swapped. Its repaired copy is
valid (the benchmark checks it).

What is measured, each command a whole process (``python -m territoria``,
imports included) in its own subprocess, its peak RSS from ``os.wait4``:

* ``territoria fix MESSY --schema S --output COPY --log LOG`` (which also
  validates the copy it writes, as the command always does);
* the same without ``--log``;
* ``territoria validate COPY --schema S``;

and the ratio fix / validate (target ≤ 5×, peak RSS ≤ 800 MB). The runs of the
commands take turns (F L V F L V ...), so that a change of the machine's load
weighs on both sides of the ratio. Results: a table on stdout and
``bench/out/fix_results.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA, OUT = os.path.join(HERE, "data"), os.path.join(HERE, "out")
SCHEMA = "street-lighting/light_points@2.0.0"
TARGET_RATIO, TARGET_RSS_MB = 5.0, 800.0

HEADER = ["Identifiant du point lumineux", "Code INSEE de la commune", "Longitude", "Latitude", "État",
          "Technologie de la source", "Puissance (W)", "Température de couleur (K)", "Flux lumineux (lm)",
          "Proportion de lumière émise vers le haut (ULR, %)", "Date de pose", "Télégestion",
          "Début de l'extinction nocturne", "Fin de l'extinction nocturne", "Identifiant de l'armoire de commande"]
#: (INSEE code, latitude, longitude) of a few communes (mainland, Réunion)
COMMUNES = [("38185", 45.1885, 5.7245), ("69123", 45.7640, 4.8357), ("75056", 48.8566, 2.3522),
            ("13055", 43.2965, 5.3698), ("97411", -20.8821, 55.4507)]
STATUS = ["En service", "in service", "in_service", "Hors service (en panne ou déconnecté)", "Déposé", "Projeté (pas encore installé)"]
LAMPS = ["Diodes électroluminescentes (LED)", "LED", "led", "Sodium haute pression (SHP)", "Iodures (halogénures) métalliques",
         "Vapeur de mercure (ballon fluorescent)"]
BOOLEANS = ["oui", "non", "Oui", "x", "true", "NON", ""]
TIMES = [("23h00", "5h00"), ("23:00", "05:00"), ("00h30", "5h30"), ("", ""), ("22:00:00", "06:00:00")]
CHUNK = 100_000


def _comma(values: np.ndarray, decimals: int, french: np.ndarray) -> list:
    texts = [f"{v:.{decimals}f}" for v in values.tolist()]
    return [t.replace(".", ",") if f else t for t, f in zip(texts, french.tolist())]


def _grouped(values: np.ndarray, spaced: np.ndarray) -> list:
    return [f"{v:,}".replace(",", " ") if s else str(v) for v, s in zip(values.tolist(), spaced.tolist())]


def generate(rows: int, path: str) -> None:
    """The messy export, chunk by chunk (each chunk its own seeded generator)."""
    with open(path + ".part", "w", encoding="cp1252", newline="") as out:
        out.write(";".join(HEADER) + "\r\n")
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            rng = np.random.default_rng(start)
            commune = rng.integers(0, len(COMMUNES), n)
            codes = [COMMUNES[c][0] for c in commune.tolist()]
            lat = np.array([COMMUNES[c][1] for c in commune.tolist()]) + rng.uniform(-0.01, 0.01, n)
            lon = np.array([COMMUNES[c][2] for c in commune.tolist()]) + rng.uniform(-0.01, 0.01, n)
            swapped = rng.random(n) < 0.01
            lat, lon = np.where(swapped, lon, lat), np.where(swapped, lat, lon)
            french = rng.random(n) < 0.7
            lat_t, lon_t = _comma(lat, 5, french), _comma(lon, 5, french)
            power = _grouped(rng.choice([18, 27, 39, 52, 70, 100, 125, 1250], n), rng.random(n) < 0.5)
            colour = _grouped(rng.choice([2200, 2700, 3000, 4000], n), rng.random(n) < 0.5)
            flux = _grouped(rng.integers(1500, 12000, n), rng.random(n) < 0.6)
            ulr = [f"{u} %" if p else str(u) for u, p in zip(rng.choice(["0", "1,5", "3", "0,5"], n).tolist(),
                                                              (rng.random(n) < 0.5).tolist())]
            days = rng.integers(0, 365 * 40, n)
            dates = (np.datetime64("1985-01-01") + days).astype(str).tolist()
            french_date = (rng.random(n) < 0.6).tolist()
            dates = [f"{d[8:10]}/{d[5:7]}/{d[0:4]}" if f else d for d, f in zip(dates, french_date)]
            status = rng.integers(0, len(STATUS), n).tolist()
            lamps = rng.integers(0, len(LAMPS), n).tolist()
            remote = rng.integers(0, len(BOOLEANS), n).tolist()
            times = rng.integers(0, len(TIMES), n).tolist()
            lines = []
            for k in range(n):
                i = start + k
                off, on = TIMES[times[k]]
                lines.append(";".join((
                    f"PL-{codes[k]}-{i:08d}", codes[k], lon_t[k], lat_t[k], STATUS[status[k]], LAMPS[lamps[k]],
                    power[k], colour[k], flux[k], ulr[k], dates[k], BOOLEANS[remote[k]], off, on,
                    f"ARM-{codes[k]}-{i % 97:03d}")))
            out.write("\r\n".join(lines) + "\r\n")
    os.replace(path + ".part", path)


def run(command: list) -> dict:
    """One whole ``python -m territoria`` process: wall time, exit code, peak RSS (MB) of that very child."""
    import tempfile

    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "validator"))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "territoria"] + command, stdout=out, stderr=err,
                                 env=env, cwd=REPO)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0), err.seek(0)
        tail = out.read()[-400:].decode("utf-8", "replace") + err.read()[-400:].decode("utf-8", "replace")
    return {"seconds": wall, "exit": os.waitstatus_to_exitcode(status), "peak_rss_mb": usage.ru_maxrss / 1024,
            "tail": tail}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    os.makedirs(DATA, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    messy = os.path.join(DATA, f"messy_lights_{args.rows}.csv")
    if not os.path.exists(messy):
        started = time.perf_counter()
        generate(args.rows, messy)
        print(f"generated {messy} ({os.path.getsize(messy) / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    copy, log = os.path.join(OUT, "fixed.csv"), os.path.join(OUT, "fix_log.csv")
    commands = {
        "fix --log": ["fix", messy, "--schema", SCHEMA, "--output", copy, "--log", log, "--format", "json"],
        "fix": ["fix", messy, "--schema", SCHEMA, "--output", copy, "--format", "json"],
        "validate copy": ["validate", copy, "--schema", SCHEMA, "--format", "json"],
    }
    runs: dict = {name: [] for name in commands}
    load_before = os.getloadavg()[0]
    for _ in range(max(args.repeat, 1)):
        for name, command in commands.items():  # taking turns
            runs[name].append(run(command))
    best = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
    for name, result in best.items():
        result["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs[name])
        expected = 0
        if result["exit"] != expected:
            print(f"WARNING: {name} exited {result['exit']}: {result['tail']}")
    log_lines = sum(1 for _ in open(log, encoding="utf-8")) - 1 if os.path.exists(log) else 0
    ratio = best["fix --log"]["seconds"] / best["validate copy"]["seconds"]
    ratio_bare = best["fix"]["seconds"] / best["validate copy"]["seconds"]
    rss = max(best["fix --log"]["peak_rss_mb"], best["fix"]["peak_rss_mb"])
    figures = {
        "rows": args.rows, "source_mb": os.path.getsize(messy) / 1e6, "log_lines": log_lines,
        "fix_with_log_s": best["fix --log"]["seconds"], "fix_s": best["fix"]["seconds"],
        "validate_copy_s": best["validate copy"]["seconds"], "ratio_with_log": ratio, "ratio": ratio_bare,
        "peak_rss_mb_fix": rss, "peak_rss_mb_validate": best["validate copy"]["peak_rss_mb"],
        "load_before": load_before, "load_after": os.getloadavg()[0], "runs": runs,
    }
    with open(os.path.join(OUT, "fix_results.json"), "w", encoding="utf-8") as stream:
        json.dump(figures, stream, indent=2)
    print(f"{args.rows:,} messy rows ({figures['source_mb']:.0f} MB), log of {log_lines:,} lines")
    print(f"  territoria fix --log     {figures['fix_with_log_s']:7.2f} s   peak RSS {best['fix --log']['peak_rss_mb']:.0f} MB")
    print(f"  territoria fix           {figures['fix_s']:7.2f} s   peak RSS {best['fix']['peak_rss_mb']:.0f} MB")
    print(f"  territoria validate copy {figures['validate_copy_s']:7.2f} s   peak RSS "
          f"{figures['peak_rss_mb_validate']:.0f} MB")
    print(f"  fix / validate: {ratio:.2f}x with the log, {ratio_bare:.2f}x without "
          f"(target <= {TARGET_RATIO:.0f}x) {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")
    print(f"  peak RSS {rss:.0f} MB (target <= {TARGET_RSS_MB:.0f} MB) {'PASS' if rss <= TARGET_RSS_MB else 'FAIL'}")
    if figures["load_before"] > 1.5 or figures["load_after"] > 2.5:
        print(f"  WARNING: the machine was busy (load {figures['load_before']:.1f} -> {figures['load_after']:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
