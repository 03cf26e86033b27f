"""``territoria audit`` benchmark: resources per second with 1 and 2 local workers, and on Dask.

Usage::

    python bench/audit.py                 # 3 copies of the catalogue's examples: 1,359 resources
    python bench/audit.py --copies 1      # 453 resources, a quicker run
    python bench/audit.py --no-dask       # local workers only
    python bench/audit.py --latency-ms 100   # each file answered after 100 ms, as a distant portal

The portal: the tests' udata-like server on 127.0.0.1 (``tests/audit/fake_portal.py``),
in this process, serving every example CSV of the catalogue (valid and invalid,
a few hundred bytes each) ``--copies`` times, each resource declaring its
schema; the targets file names each dataset (``datagouv:BASE#ID``), so the
listing is part of the run.

What is measured, each a whole ``python -m territoria audit`` process (imports,
listing, workers' start, results, dashboard included), into a fresh folder:

* ``--workers 1`` and ``--workers 2``;
* ``--scheduler`` on a Dask cluster started beforehand, as an existing cluster
  would be (``dask scheduler`` and ``dask worker --nthreads 1``, each its own
  process), with 1 and 2 workers;
* a second run of ``--workers 2`` into the same folder (nothing changed: every
  file answers 304);
* the baseline the audit replaces: one ``territoria validate URL`` process per
  file, on a sample of 20 files.

Target: at least 20 resources per second with 2 local workers on the project's
2-core machine. Results: a table on stdout and ``bench/out/audit_results.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
TARGET = 20.0
sys.path.insert(0, os.path.join(REPO, "tests", "audit"))
# this checkout's validator, for the commands and for the Dask workers (they inherit the environment)
os.environ["PYTHONPATH"] = os.path.join(REPO, "validator") + os.pathsep + os.environ.get("PYTHONPATH", "")
sys.path.insert(0, os.path.join(REPO, "validator"))  # a spawned Dask worker takes this process's sys.path


def territoria(*argv: str) -> tuple:
    """(seconds, exit code, stdout) of one whole ``python -m territoria`` process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "territoria", *argv], capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode, done.stdout.strip() or done.stderr.strip()


def audit(targets: str, folder: str, *extra: str) -> dict:
    seconds, code, said = territoria("audit", "--targets", targets, "--output", folder, "--allow-private-network",
                                     "--no-progress", "--lang", "en", *extra)
    import pyarrow.parquet as parquet

    rows = parquet.read_table(os.path.join(folder, "results.parquet")).to_pylist() if code == 0 else []
    statuses = {s: sum(1 for r in rows if r["status"] == s) for s in ("valid", "invalid", "failed", "skipped")}
    return {"seconds": round(seconds, 2), "exit": code, "resources": len(rows),
            "per_second": round(len(rows) / seconds, 1) if seconds else 0.0, "statuses": statuses,
            "revalidated": sum(1 for r in rows if r["revalidated"]), "said": said[-300:]}


class DaskCluster:
    """A Dask scheduler and N single-threaded workers, each its own process as on a real cluster (a
    ``LocalCluster`` would run the scheduler inside this process, which also serves the portal: the two
    would share one interpreter lock). Yields the scheduler's address once every worker has joined."""

    def __init__(self, workers: int):
        self.workers, self.processes = workers, []

    def __enter__(self) -> str:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        address = f"tcp://127.0.0.1:{port}"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.processes.append(subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                                "--no-dashboard"], **quiet))
        self.processes.append(subprocess.Popen(["dask", "worker", address, "--nworkers", str(self.workers),
                                                "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                                               **quiet))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(self.workers, timeout=120)
        return address

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of the catalogue's examples (453 each)")
    parser.add_argument("--no-dask", action="store_true", help="local workers only")
    parser.add_argument("--workers", type=lambda text: [int(n) for n in text.split(",")], default=[1, 2],
                        help="comma-separated worker counts, local and Dask (default 1,2)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="milliseconds each file's answer waits, as a distant portal's would (default 0)")
    args = parser.parse_args()
    from fake_portal import FakePortal, catalogue_portal

    work = tempfile.mkdtemp(prefix="territoria-bench-audit-")
    results: dict = {"load_before": os.getloadavg()}
    try:
        with FakePortal() as portal:
            made = catalogue_portal(portal, copies=args.copies)
            portal.latency = args.latency_ms / 1000
            results["latency_ms"] = args.latency_ms
            targets = os.path.join(work, "targets.txt")
            with open(targets, "w", encoding="utf-8") as handle:
                handle.write("".join(f"datagouv:{portal.base}#{d['id']}\n" for d in portal.datasets))
            results["resources"] = len(made)
            print(f"{len(made)} resources in {len(portal.datasets)} datasets on {portal.base}", flush=True)
            runs = results["runs"] = {}
            for workers in args.workers:
                runs[f"local, {workers} worker{'s' if workers > 1 else ''}"] = audit(
                    targets, os.path.join(work, f"local-{workers}"), "--workers", str(workers))
            most = max(args.workers)
            runs[f"local, {most} workers, second run (unchanged)"] = audit(
                targets, os.path.join(work, f"local-{most}"), "--workers", str(most))
            if not args.no_dask:
                if shutil.which("dask") is None:
                    print("Dask distributed is not installed: pip install 'territoria[dask]'", file=sys.stderr)
                else:
                    for workers in args.workers:
                        with DaskCluster(workers) as address:
                            runs[f"Dask, {workers} worker{'s' if workers > 1 else ''}"] = audit(
                                targets, os.path.join(work, f"dask-{workers}"), "--scheduler", address)
            sample = made[:: max(1, len(made) // 20)][:20]
            spent = 0.0
            for dataset_id, resource_id, _, reference in sample:
                table = resource_id[len(dataset_id) + 1:]
                seconds, _, _ = territoria("validate", f"{portal.base}/files/{dataset_id}/{table}.csv", "--schema",
                                           reference, "--allow-private-network", "--no-progress")
                spent += seconds
            runs["one territoria validate process per file (20 files)"] = {
                "seconds": round(spent, 2), "resources": len(sample), "per_second": round(len(sample) / spent, 1)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load_after"] = os.getloadavg()
    print(f"\n{'run':<52} {'resources':>9} {'seconds':>8} {'per s':>7}  statuses")
    for name, run in results["runs"].items():
        statuses = run.get("statuses")
        shown = ", ".join(f"{k} {v}" for k, v in statuses.items()) if statuses else ""
        print(f"{name:<52} {run['resources']:>9} {run['seconds']:>8.2f} {run['per_second']:>7.1f}  {shown}")
        if run.get("exit"):
            print(f"  exit {run['exit']}: {run['said']}")
    best = results["runs"].get("local, 2 workers", {}).get("per_second", 0.0)
    if not args.latency_ms:  # the target is the audit's own cost: files served at once
        print(f"\ntarget: >= {TARGET:g} resources/s with 2 local workers: {best:g} "
              f"{'met' if best >= TARGET else 'NOT met'} (load {results['load_before'][0]:.2f} before, "
              f"{results['load_after'][0]:.2f} after)")
    os.makedirs(OUT, exist_ok=True)
    name = f"audit_results_latency{args.latency_ms:g}.json" if args.latency_ms else "audit_results.json"
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
