"""Check many derivations at once, in parallel worker processes.

Checking is CPU-bound mpmath work, so it scales with processes, not threads.
Workers are forked, so derivations a user added for this process (with
:func:`derive.registry.add`) are known to them too.

Workers never outlive the process that started them: each asks Linux to
kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``) and watches its
parent id as a fallback; they ignore SIGINT (the parent handles Ctrl-C for
the whole run), and when the parent stops early (an interrupt, SIGTERM, an
error) it kills them before it goes on.

>>> reports = check_many(["sigmoid_derivative"], points=20, jobs=1)
>>> reports[0].name, reports[0].passed
('sigmoid_derivative', True)
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
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


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this (forked) process die when ``parent`` does: SIGKILL from Linux, and a watching thread.

    ``PR_SET_PDEATHSIG`` fires when the thread that forked this process
    exits, which for the main thread is when the parent dies; the thread
    polling :func:`os.getppid` covers systems without it.  If the parent is
    already gone, this process exits at once.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watching thread alone
        pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent stops everyone
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool now: drop queued checks and kill the workers (they may be mid-check)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)


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
    progress output).  ``jobs=1`` checks in this process, if it is the main
    thread: the proofs' CPU-time limit needs the main thread's signals, so a
    check started from another thread (the site build's) always gets a worker.
    """
    jobs = min(jobs or default_jobs(), len(names)) or 1
    in_main_thread = threading.current_thread() is threading.main_thread()
    if (jobs == 1 and in_main_thread) or "fork" not in multiprocessing.get_all_start_methods():
        reports = []
        for name in names:
            reports.append(_check_one(name, points))
            if on_done:
                on_done(reports[-1])
        return reports
    by_name: dict[str, CheckReport] = {}
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),))
    try:
        futures = [pool.submit(_check_one, name, points) for name in names]
        for future in as_completed(futures):
            report = future.result()
            by_name[report.name] = report
            if on_done:
                on_done(report)
    except BaseException:  # an interrupt, SIGTERM or an error: no worker may keep running
        _kill_workers(pool)
        raise
    pool.shutdown(wait=True)
    return [by_name[name] for name in names]
