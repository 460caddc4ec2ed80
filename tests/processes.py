"""Processes as /proc shows them: what the interrupt and limit tests look for after stopping a command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def _stats() -> Iterator[tuple[int, str, int, int]]:
    """Every process now: its pid, state letter, parent pid and session id."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        yield int(entry.name), fields[0], int(fields[1]), int(fields[3])


def live_in_session(session: int) -> list[int]:
    """Live processes of a session (a test starts each command in a session of its own); zombies and dead ones aside."""
    return [pid for pid, state, _, sid in _stats() if sid == session and state not in "ZX"]


def children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent``."""
    return [pid for pid, _, ppid, _ in _stats() if ppid == parent]
