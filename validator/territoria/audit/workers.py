"""Where the checks run: a pool of local worker processes, or an existing Dask cluster.

Why these two and nothing home-made: a local pool must kill and replace a
worker stuck past its time limit (a stalled read inside C code cannot be
interrupted from within), which ``concurrent.futures`` cannot do and Pebble's
``ProcessPool`` does (per-task timeouts, a worker recycled after ``max_tasks``
jobs, a worker that died reported as such). Past one machine, Dask distributed
schedules the same function as one task per resource and streams the answers
back as they finish.

Both take :class:`~territoria.audit.work.Job` s and call ``on_outcome`` with each
:class:`~territoria.audit.work.Outcome` as it arrives, in completion order. A
job that overruns, or whose worker dies, is still one Outcome (``time-limit``,
``worker-lost``): nothing a resource does stops the run.

Local workers start from a fork server that has imported the validator once, so
a worker replaced after a kill is ready at once, and the parent's threads (a
progress bar, pyarrow's) are never forked.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
import time
from typing import Callable, Iterable

from . import work

#: seconds a worker may run past a job's time limit before it is killed (the job stops itself first)
GRACE = 2.0
#: jobs a local worker runs before it is replaced (memory a long run fragments is given back)
MAX_TASKS = 500


class WorkersProblem(Exception):
    """The workers could not be started or reached (an unknown scheduler, Dask not installed)."""


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class LocalWorkers:
    """``workers`` processes on this machine, each with ``memory_mib`` MiB (0: unbounded)."""

    def __init__(self, workers: int = 0, *, memory_mib: int = 2048, scratch: str = ""):
        self.workers = workers or default_workers()
        self.memory_mib = memory_mib
        self.scratch = scratch

    def __enter__(self) -> "LocalWorkers":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def run(self, jobs: Iterable, on_outcome: Callable, function: Callable = work.check) -> None:
        try:
            import pebble
        except ImportError:  # a dependency of the package: only a broken install lacks it
            raise WorkersProblem("local workers need the pebble package (pip install pebble)")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(work.preload())
        pool = pebble.ProcessPool(max_workers=self.workers, max_tasks=MAX_TASKS, initializer=work.start_worker,
                                  initargs=(self.memory_mib, self.scratch), context=context)
        try:
            futures = {}
            for job in jobs:
                futures[pool.schedule(function, args=(job,), timeout=_limit(job) + GRACE)] = job
            for future in concurrent.futures.as_completed(futures):
                on_outcome(self._outcome(future, futures[future]))
        finally:
            pool.stop()
            pool.join(timeout=10)

    def _outcome(self, future, job) -> "work.Outcome":
        import pebble

        try:
            return future.result()
        except concurrent.futures.TimeoutError:
            return work.failed(job, "time-limit", f"{job.source}: not done after {job.time_limit:g} s; "
                                                  "the worker was stopped")
        except pebble.ProcessExpired as expired:
            if expired.exitcode == work.MEMORY_EXIT:
                note = f"{job.source}: the worker used more than {self.memory_mib} MiB and was stopped"
            else:
                note = f"{job.source}: the worker stopped unexpectedly (exit code {expired.exitcode})"
            return work.failed(job, "worker-lost", note)
        except Exception as error:  # the job's answer could not come back (pickling, a broken pool)
            from ..validation.table import one_line

            return work.failed(job, "internal-error", one_line(error))


class DaskWorkers:
    """The workers of a running Dask distributed cluster, reached through its scheduler's address."""

    #: seconds between two looks at what each worker is processing (for time limits)
    POLL = 0.5
    #: seconds to reach the scheduler
    CONNECT_TIMEOUT = 15
    #: seconds the cluster may have no worker at all before the resources still waiting are given up
    NO_WORKER_SECONDS = 60.0

    def __init__(self, address: str):
        self.address = address
        self.client = None

    def __enter__(self) -> "DaskWorkers":
        """Reach the scheduler and make sure its workers run this Territoria (else WorkersProblem)."""
        try:
            from distributed import Client
        except ImportError:
            raise WorkersProblem("--scheduler needs Dask distributed: pip install 'territoria[dask]'")
        try:
            self.client = Client(self.address, timeout=self.CONNECT_TIMEOUT, set_as_default=False)
        except Exception as error:
            raise WorkersProblem(f"--scheduler {self.address}: cannot reach the Dask scheduler "
                                 f"({' '.join(str(error).split())[:200]})")
        try:
            self._check_workers(self.client)
        except BaseException:
            self.client.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def run(self, jobs: Iterable, on_outcome: Callable, function: Callable = work.check) -> None:
        futures = {}
        for job in jobs:
            future = self.client.submit(function, job, key=f"territoria-audit-{job.key}-{time.time_ns()}", pure=False)
            futures[future] = job
        self._collect(self.client, futures, on_outcome)

    def _check_workers(self, client) -> None:
        from .. import __version__

        try:
            answer = client.submit(work.probe, pure=False).result(timeout=60)
        except Exception as error:
            raise WorkersProblem(f"--scheduler {self.address}: the Dask workers cannot run Territoria "
                                 f"({type(error).__name__}: {' '.join(str(error).split())[:200]})")
        if answer != __version__:
            raise WorkersProblem(f"--scheduler {self.address}: the Dask workers run Territoria {answer}, "
                                 f"this command {__version__}: install the same version on both")

    def _collect(self, client, futures: dict, on_outcome: Callable) -> None:
        """Answers as they finish; every POLL seconds, a look for tasks past their time limit."""
        from distributed import as_completed

        # with_results: the answers are fetched from the workers as they finish, side by side, not one
        # round trip per resource when it is read
        completed = as_completed(list(futures), loop=client.loop, with_results=True, raise_errors=False)
        remaining = set(futures)
        running_since: dict = {}
        looked = time.monotonic()
        alone_since = None  # when the cluster was last seen without a worker
        while remaining:
            batch = completed.next_batch(block=False) if completed.has_ready() else []
            for future, answer in batch:
                if future in remaining:  # a task given up for its time limit comes back cancelled: done already
                    remaining.discard(future)
                    on_outcome(self._outcome(answer, futures[future]))
            if not batch:
                time.sleep(0.02)
            if remaining and time.monotonic() - looked >= self.POLL:
                looked = time.monotonic()
                alone_since = None if self._has_workers(client) else (alone_since or looked)
                if alone_since is not None and looked - alone_since > self.NO_WORKER_SECONDS:
                    client.cancel(list(remaining))
                    for future in remaining:
                        job = futures[future]
                        on_outcome(work.failed(job, "worker-lost", f"{job.source}: no Dask worker is left to run it"))
                    return
                for future in self._overrun(client, remaining, futures, running_since):
                    remaining.discard(future)
                    job = futures[future]
                    on_outcome(work.failed(job, "time-limit", f"{job.source}: not done after "
                                                              f"{job.time_limit:g} s; the worker was stopped"))

    @staticmethod
    def _has_workers(client) -> bool:
        try:
            return bool(client.nthreads())
        except Exception:  # the scheduler did not answer this time: do not conclude
            return True

    def _overrun(self, client, pending: set, futures: dict, running_since: dict) -> list:
        """Futures still processing past their time limit and grace; their workers are restarted."""
        try:
            processing = client.processing()
        except Exception:  # the scheduler is busy or gone: the next look will tell
            return []
        where = {key: worker for worker, keys in processing.items() for key in keys}
        now = time.monotonic()
        late, workers = [], set()
        for future in pending:
            if future.key not in where:
                continue
            since = running_since.setdefault(future.key, now)
            if now - since > _limit(futures[future]) + GRACE:
                late.append(future)
                workers.add(where[future.key])
        if late:
            client.cancel(late)
            # a nanny replaces the worker (in the background: a stuck worker takes seconds to stop); without
            # a nanny the task stays stuck on its worker, but the run goes on
            threading.Thread(target=_restart, args=(client, sorted(workers)), name="territoria-restart",
                             daemon=True).start()
        return late

    @staticmethod
    def _outcome(answer, job) -> "work.Outcome":
        """The job's Outcome, or a failed one for what Dask answered instead (an error is ``(error, traceback)``)."""
        if isinstance(answer, work.Outcome):
            return answer
        error = answer[0] if isinstance(answer, tuple) and answer else answer
        if type(error).__name__ == "KilledWorker":
            return work.failed(job, "worker-lost", f"{job.source}: the Dask workers that ran it stopped")
        from ..validation.table import one_line

        return work.failed(job, "internal-error", one_line(error) if isinstance(error, BaseException) else
                           f"unexpected answer from Dask: {type(answer).__name__}")


def _restart(client, workers: list) -> None:
    try:
        client.restart_workers(workers, timeout=60, raise_for_error=False)
    except Exception:  # the worker went away by itself, or the run ended first
        pass


def _limit(job) -> float:
    return getattr(job, "time_limit", 120.0) or 120.0
