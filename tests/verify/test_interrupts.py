"""Stopping `derive check` or `derive build` in any way leaves no worker process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import children_of, live_in_session

from derive.verify import parallel

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# Enough work that the workers are still checking when the signal comes.
SLOW_CHECK = [sys.executable, "-m", "derive", "check", "--jobs", "2", "--points", "5000"]


def _start(argv: list[str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while len(children_of(process.pid)) < 2:  # wait until the workers are at work
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.2)
    time.sleep(1)
    return process


def _gone(session: int, within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while live_in_session(session) and time.monotonic() < deadline:
        time.sleep(0.2)
    return live_in_session(session) == []


def test_sigint_stops_the_workers_and_exits_130_with_one_line() -> None:
    process = _start(SLOW_CHECK)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err == "derive: interrupted\n"
    assert _gone(process.pid)


def test_sigint_to_the_parent_alone_stops_the_workers() -> None:
    process = _start(SLOW_CHECK)
    os.kill(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "derive: interrupted\n"
    assert _gone(process.pid)


def test_sigterm_stops_the_workers_and_exits_143() -> None:
    process = _start(SLOW_CHECK)
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143
    assert err == "derive: terminated\n"
    assert _gone(process.pid)


def test_sigkill_of_the_parent_takes_the_workers_with_it() -> None:
    process = _start(SLOW_CHECK)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)  # returns only once nothing holds the output pipes any more
    assert _gone(process.pid)


def test_sigkill_during_a_build_check_leaves_no_worker(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "derive", "build", "--site-dir", str(tmp_path / "site"), "--points", "4999"]
    process = _start(argv)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert _gone(process.pid)


def test_a_worker_whose_parent_is_gone_exits() -> None:
    """die_with_parent: a process told to die with a parent that is already gone exits at once."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            parallel.die_with_parent(os.getppid() + 10**6)  # not our parent: as if it had died
        finally:
            os._exit(0)  # reached only if die_with_parent returned
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_many_still_checks(jobs: int) -> None:
    reports = parallel.check_many(["sigmoid_derivative", "softmax_jacobian"], points=10, jobs=jobs)
    assert [r.name for r in reports] == ["sigmoid_derivative", "softmax_jacobian"]
    assert all(r.passed for r in reports)
