"""A time budget and a memory cap for costly work: a forked child that cannot outlive either.

:func:`run_bounded` runs a function in a forked child process whose address
space may grow by at most the given memory (``setrlimit(RLIMIT_AS)``, on
top of what the process held when it forked) and which is killed when its
(wall-clock) time budget is spent.  The child dies with its parent
(``PR_SET_PDEATHSIG``), and the parent kills and reaps it on every way out,
an interrupt included, so nothing is left running whatever happens to
either.  ``derive through`` runs parsing, deriving and checking this way
(:mod:`derive.yours.limits` refuses the plainly costly strings before that).

The defaults (:data:`DEFAULT_SECONDS`, :data:`DEFAULT_MEMORY`) are far above
what any loss of the catalogue needs (a few seconds and under 100 MB); the
``derive through`` options ``--time-limit`` and ``--memory-limit`` change them.

>>> run_bounded(lambda: 6 * 7, seconds=10, memory=2 * 10**9)
42
"""

from __future__ import annotations

import ctypes
import io
import os
import pickle
import re
import resource
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from derive.errors import DeriveError, LimitExceeded

T = TypeVar("T")

DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY = 2 * 1024**3

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def parse_memory(text: str) -> int:
    """A memory size such as ``2G``, ``512M`` or ``2000000000`` (bytes), as a number of bytes.

    >>> parse_memory("2G"), parse_memory("512m"), parse_memory("100")
    (2147483648, 536870912, 100)
    """
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a memory size: {text!r} (write e.g. 2G or 512M)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * 1024 ** " kmgt".index(unit or " "))


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (and check it has not already)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent kills the child itself on every exit path
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _format_memory(size: int) -> str:
    return f"{size / 1024**3:g} GB" if size >= 1024**3 else f"{size / 1024**2:g} MB"


def run_bounded(work: Callable[[], T], *, seconds: float, memory: int, what: str = "the loss") -> T:
    """``work()`` run in a forked child with ``seconds`` of wall time and ``memory`` bytes of address space.

    Returns what ``work`` returned (it must pickle).  A :class:`DeriveError`
    raised by ``work`` is raised again here, unchanged.  Running out of
    time, or of memory, raises :class:`LimitExceeded` naming the limit; the
    child is killed and reaped on every way out of this function (an
    interrupt included), and dies by itself if this process is killed.
    Where ``fork`` does not exist, ``work`` runs here, unbounded.

    What the child prints (to ``sys.stdout``) comes through a pipe and is
    printed here as it arrives, so it goes wherever this process's output goes.
    """
    if not hasattr(os, "fork"):
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(work, write_end, parent, seconds, memory)
    os.close(write_end)
    try:
        outcome, value = _relay(read_end, time.monotonic() + seconds)
    finally:
        os.close(read_end)
        _reap(pid)
    if outcome == "ok":
        return value  # type: ignore[return-value]
    if outcome == "error":
        raise value  # type: ignore[misc]
    if outcome == "time":
        raise LimitExceeded(
            f"the time limit: {what} took longer than {seconds:g} s (raise it with --time-limit SECONDS)"
        )
    if outcome in ("memory", "died"):
        raise LimitExceeded(
            f"the memory limit: {what} needed more than {_format_memory(memory)} "
            "(raise it with --memory-limit SIZE, e.g. 4G)"
        )
    raise LimitExceeded(f"{what} could not be processed: {value}")


_HEADER = 8  # bytes of each frame's length


def _send(fd: int, message: tuple[str, object]) -> None:
    payload = pickle.dumps(message)
    view = memoryview(len(payload).to_bytes(_HEADER, "little") + payload)
    while view:
        view = view[os.write(fd, view) :]


class _PipeWriter(io.TextIOBase):
    """The child's ``sys.stdout``: each write goes to the parent as an ("out", text) frame."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # the pretty printer picks unicode or ASCII art from it
        return getattr(sys.__stdout__, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        if text:
            _send(self.fd, ("out", text))
        return len(text)


def _child(work: Callable[[], object], write_end: int, parent: int, seconds: float, memory: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent reports the interrupt; the child just goes
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent(parent)
        sys.stdout = _PipeWriter(write_end)
        # The cap is on what the work adds: a caller holding much address space already (a test run
        # with JAX and PyTorch loaded holds several GB of it, mostly reserved) keeps it.
        cap = _address_space("VmSize") + memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = int(seconds) + 2  # a backstop: the parent kills the child at the deadline
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            result: tuple[str, object] = ("ok", work())
        except MemoryError:
            result = ("memory", None)
        except DeriveError as exc:
            result = ("error", exc)
        except RecursionError:
            result = ("crash", "the formula is nested too deeply to process")
        except BaseException as exc:  # anything else: reported as one line by the parent
            result = ("crash", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
            if _address_space("VmPeak") > cap - memory // 10:  # a failed allocation surfacing as another error
                result = ("memory", None)
        try:
            _send(write_end, result)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _send(write_end, ("crash", f"unpicklable result: {type(exc).__name__}"))
    except BaseException:  # the child must never return into the caller's code
        status = 1
    finally:
        os._exit(status)


def _address_space(field: str) -> int:
    """This process's address space in bytes: ``VmSize`` (now) or ``VmPeak`` (at most); 0 where unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _relay(fd: int, deadline: float) -> tuple[str, object]:
    """Print the child's output as it comes; return its result, ("time", None) or ("died", None)."""
    buffer = b""
    while True:
        while len(buffer) >= _HEADER:
            size = int.from_bytes(buffer[:_HEADER], "little")
            if len(buffer) < _HEADER + size:
                break
            kind, value = pickle.loads(buffer[_HEADER : _HEADER + size])
            buffer = buffer[_HEADER + size :]
            if kind != "out":
                return kind, value
            sys.stdout.write(value)  # type: ignore[arg-type]
            sys.stdout.flush()
        left = deadline - time.monotonic()
        if left <= 0:
            return "time", None
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:  # the child ended without a whole result: killed (out of memory) or crashed
            return "died", None
        buffer += chunk


def _reap(pid: int) -> None:
    """Kill the child if it still runs and wait for it, so that no process is left behind."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
