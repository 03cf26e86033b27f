"""The process-wide pool of column-checking threads.

Why threads: pyarrow, numpy and the compiled kernels release the GIL, so the
columns of one batch are checked on every core without copying the batch into
other processes.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

# Batches this long are checked column by column on a pool of threads; shorter
# ones serially (thread hand-offs would cost more than they save).
PARALLEL_ROWS = 20_000
# Relative cost of checking a column of each type (scheduling order only).
COST = {"datetime": 4, "date": 3, "number": 3, "time": 3, "integer": 2, "geopoint": 3}
_POOL = None


def column_pool():
    """The process-wide pool of column-checking threads (None on one core)."""
    global _POOL
    if _POOL is None:
        workers = min(os.cpu_count() or 1, 4)
        _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="territoria-columns") if workers > 1 else False
    return _POOL or None
