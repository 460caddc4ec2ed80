"""Check many derivations at once, in parallel worker processes.

Checking is CPU-bound mpmath work, so it scales with processes, not threads.
Workers are forked, so derivations a user added for this process (with
:func:`derive.registry.add`) are known to them too.

>>> reports = check_many(["sigmoid_derivative"], points=20, jobs=1)
>>> reports[0].name, reports[0].passed
('sigmoid_derivative', True)
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from derive.errors import DerivationError
from derive.model import POINTS
from derive.registry import get
from derive.verify.check import CheckReport


def _check_one(name: str, points: int) -> CheckReport:
    try:
        derivation = get(name)
    except DerivationError as exc:  # a broken derivation is a failed check, not a crash
        return CheckReport(name, build_error=f"cannot be built: {exc}")
    return derivation.check(points=points)


def default_jobs() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_many(
    names: Sequence[str],
    points: int = POINTS,
    jobs: int | None = None,
    on_done: Callable[[CheckReport], None] | None = None,
) -> list[CheckReport]:
    """Check ``names``; return their reports in the same order.

    ``on_done`` is called with each report as soon as it is ready (for
    progress output).  ``jobs=1`` checks in this process.
    """
    jobs = min(jobs or default_jobs(), len(names)) or 1
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        reports = []
        for name in names:
            reports.append(_check_one(name, points))
            if on_done:
                on_done(reports[-1])
        return reports
    by_name: dict[str, CheckReport] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_check_one, name, points) for name in names]
        for future in as_completed(futures):
            report = future.result()
            by_name[report.name] = report
            if on_done:
                on_done(report)
    return [by_name[name] for name in names]
