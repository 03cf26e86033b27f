"""The local pool: a job past its time limit kills its worker, a worker past its memory bound stops itself,
and either way the resource is one outcome and the next job runs on a fresh worker."""
from __future__ import annotations

import os
import time

import pytest

from territoria.audit import work
from territoria.audit.workers import LocalWorkers, default_workers


def nap(job):
    """A job that sleeps ``job.name`` seconds, then answers like a check."""
    time.sleep(float(job.name))
    return work.Outcome(job.key, tables=[{"status": "valid"}])


def hog(job):
    """A job that fills (and touches) ``job.name`` MiB."""
    kept = os.urandom(int(job.name) << 20)
    time.sleep(2)
    return work.Outcome(job.key, tables=[{"status": "valid", "rows": len(kept)}])


def _run(workers, jobs, function):
    found = {}
    workers.run(jobs, lambda outcome: found.setdefault(outcome.key, outcome), function=function)
    return found


def test_a_job_past_its_time_limit_is_killed_and_the_next_one_runs():
    jobs = [work.Job(key="stuck", source="stuck.csv", name="60", time_limit=0.5),
            work.Job(key="quick", source="quick.csv", name="0", time_limit=5)]
    started = time.monotonic()
    found = _run(LocalWorkers(1, memory_mib=0), jobs, nap)
    assert time.monotonic() - started < 20  # not the 60 s the job wanted
    stuck = found["stuck"].tables[0]
    assert stuck["status"] == "failed" and stuck["error_types"] == {"time-limit": 1}
    assert "the worker was stopped" in found["stuck"].report
    assert found["quick"].tables == [{"status": "valid"}]  # on the worker that replaced the killed one


def test_a_worker_past_its_memory_bound_stops_and_is_replaced():
    jobs = [work.Job(key="big", source="big.csv", name="600"), work.Job(key="small", source="small.csv", name="1")]
    found = _run(LocalWorkers(1, memory_mib=400), jobs, hog)
    big = found["big"].tables[0]
    assert big["status"] == "failed" and big["error_types"] == {"worker-lost": 1}
    assert "more than 400 MiB" in big["message"]
    assert found["small"].tables[0]["status"] == "valid"


def test_a_worker_watches_its_own_memory():
    assert 1 << 20 < work.resident_bytes() < 64 << 30
    assert default_workers() >= 1


def test_a_dask_cluster_left_without_workers_does_not_hold_the_run(monkeypatch):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from territoria.audit.workers import DaskWorkers

    monkeypatch.setattr(DaskWorkers, "NO_WORKER_SECONDS", 1.0)
    found = {}
    jobs = [work.Job(key=f"j{n}", source=f"{n}.csv", name="0.5", time_limit=30) for n in range(6)]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as cluster:
        with DaskWorkers(cluster.scheduler_address) as workers:  # its one worker answers the probe...
            cluster.scale(0)  # ...then goes away before the jobs come
            started = time.monotonic()
            workers.run(jobs, lambda outcome: found.setdefault(outcome.key, outcome), function=nap)
            assert time.monotonic() - started < 20
    assert sorted(found) == [f"j{n}" for n in range(6)]
    lost = [o for o in found.values() if o.tables[0]["status"] == "failed"]
    assert lost and all("no Dask worker is left" in o.tables[0]["message"] for o in lost)
    assert all(o.tables[0]["status"] == "valid" for o in found.values() if o not in lost)  # run before it left
