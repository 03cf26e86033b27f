"""``territoria audit``: every published file of a portal checked, in parallel, with results as data and a page.

The room reads as the run does: ``listing`` (what to check: a targets file, or
a udata portal's datasets declaring a schema), ``work`` (one resource's check, as
a worker runs it), ``workers`` (a local process pool, or a Dask cluster),
``results`` (results.parquet, results.csv, one JSON report per resource),
``state`` (what the previous run in the same folder lets this one skip, and the
history), ``charts`` and ``dashboard`` (index.html), and ``runner``, which
strings them together.
"""
from __future__ import annotations

from .listing import Listing, ListingProblem, Resource, combine, from_portal, from_targets_file
from .runner import Audit, Options, run_audit
from .workers import WorkersProblem

__all__ = ["Audit", "Listing", "ListingProblem", "Options", "Resource", "WorkersProblem", "combine", "from_portal",
           "from_targets_file", "run_audit"]
