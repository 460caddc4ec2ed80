"""The verifier's reports: a :class:`Failure`, a :class:`RelationReport` per relation, a :class:`CheckReport`.

A relation's :attr:`RelationReport.status` says, in words a page prints as
they are, how far it is established: ``proved symbolically``, ``proved on the
domain by interval arithmetic``, or ``checked at N points``; never "proved"
for what was only checked.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> RelationReport("step 1", sp.Eq(x, x), None, 200, 0.0, False).status
'checked at 200 points'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

STATUSES = ("proved symbolically", "proved on the domain by interval arithmetic", "checked at N points")
PROVED_BY_INTERVALS = STATUSES[1]
MIN_BITS = 200  # the lowest working precision of the balls (see derive.verify.compare)


@dataclass(frozen=True)
class Failure:
    """Where a relation failed: the point, both sides (as enclosures) and why."""

    label: str
    point: dict[str, str]
    lhs: str
    rhs: str
    rel_error: float
    message: str = ""

    def describe(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.point.items())
        sides = f"lhs={self.lhs} rhs={self.rhs}" if self.lhs or self.rhs else ""
        what = self.message or f"relative error {self.rel_error:.3g} at least"
        if sides:
            what = f"{what} ({sides})"
        return f"{self.label} fails at {where}: {what}" if where else f"{self.label} fails: {what}"


@dataclass(frozen=True)
class RelationReport:
    """The verdict on one step or result.

    ``max_rel_error`` is the certified bound: over every point checked, the
    largest relative error of an equation (or relative violation of an
    inequality) that the balls allow.  ``interval`` describes the proof by
    interval arithmetic, if there is one; ``extra`` the other point sets
    checked (equality cases, approach to a boundary, SymPy's limit).
    """

    label: str
    relation: sp.Basic
    symbolic: str | None
    points: int
    max_rel_error: float
    finite_differences: bool
    failure: Failure | None = None
    model: str = ""
    interval: str = ""
    extra: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.failure is None

    @property
    def status(self) -> str:
        """One of :data:`STATUSES` (with N filled in), as established, in words a page prints."""
        if self.symbolic:
            return STATUSES[0]
        if self.interval and self.passed:
            return STATUSES[1]
        return f"checked at {self.points} points"

    @property
    def methods(self) -> tuple[str, ...]:
        out = []
        if self.symbolic:
            out.append(f"symbolic ({self.symbolic})")
        if self.interval:
            out.append(f"interval arithmetic ({self.interval})")
        out.append(f"numeric, {self.points} points in certified ball arithmetic at {MIN_BITS} bits or more")
        out.extend(self.extra)
        if self.model:
            out.append(f"unknown functions taken as {self.model} (numeric check only)")
        if self.finite_differences:
            out.append("central finite differences of the original expression")
        return tuple(out)


@dataclass(frozen=True)
class CheckReport:
    """The verdict on a whole derivation: passed, points, largest error, details."""

    name: str
    relations: tuple[RelationReport, ...] = field(default_factory=tuple)
    build_error: str = ""  # set when the derivation could not even be built

    @property
    def passed(self) -> bool:
        return not self.build_error and all(r.passed for r in self.relations)

    @property
    def points(self) -> int:
        """Points at which every relation was evaluated (the smallest count)."""
        return min((r.points for r in self.relations), default=0)

    @property
    def max_rel_error(self) -> float:
        return max((r.max_rel_error for r in self.relations), default=0.0)

    @property
    def symbolic_count(self) -> int:
        return sum(1 for r in self.relations if r.symbolic)

    @property
    def interval_count(self) -> int:
        return sum(1 for r in self.relations if r.status == PROVED_BY_INTERVALS)

    @property
    def checked_count(self) -> int:
        return len(self.relations) - self.symbolic_count - self.interval_count

    @property
    def first_failure(self) -> Failure | None:
        if self.build_error:
            return Failure("the build", {}, "", "", float("inf"), self.build_error)
        return next((r.failure for r in self.relations if r.failure), None)

    @property
    def methods(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.relations:
            for m in r.methods:
                seen.setdefault(m.split(" (")[0] if m.startswith(("symbolic", "interval")) else m, None)
        return tuple(seen)
