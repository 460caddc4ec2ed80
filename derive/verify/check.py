"""The verifier: every step and result, numerically always, symbolically where it can.

For each relation of a derivation it

* tries a cheap symbolic proof that the two sides are equal (``doit``,
  ``expand``, ``cancel`` after rewriting the activations to ``exp``, then a
  time-boxed ``simplify``), and records which method worked;
* evaluates both sides with mpmath at ``points`` points drawn from the
  derivation's domain (hard points first), at ``DPS`` digits, and requires a
  relative agreement of ``TOLERANCE_EXACT`` (1e-25), or of ``TOLERANCE``
  (1e-12) where finite differences or a limit are involved.  A side holding a ``Derivative`` is
  evaluated by central finite differences of the expression inside it, so a
  gradient is compared with the loss it came from, not with itself.
* evaluates a step holding unknown functions (``I(p)`` in a functional
  equation) under the concrete family its ``model`` gives them, and says so.

Inequalities are checked the same way, with the same tolerance on the margin.

>>> import sympy as sp
>>> from derive.model.derivation import Derivation, Step
>>> from derive.model.domain import Domain, LOGIT
>>> from derive.model.activations import sigmoid
>>> z = sp.Symbol("z", real=True)
>>> wrong = Step(sp.Eq(sp.Derivative(sigmoid(z), z), sigmoid(z)), "a deliberately wrong rule")
>>> d = Derivation("demo", "demo", Domain({z: LOGIT}), (), (wrong,))
>>> report = d.check(points=20)
>>> report.passed, report.first_failure.label
(False, 'result 1')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from derive.model import POINTS
from derive.model.derivation import Derivation, Step
from derive.verify.evaluate import EvaluationError, compile_expr
from derive.verify.prove import prove_equal
from derive.verify.regions import points_inside

DPS = 60
# Relative agreement required of relations evaluated by finite differences or
# far out along a limit; plain relations are held to what 60 digits can give.
TOLERANCE = mpmath.mpf("1e-12")
TOLERANCE_EXACT = mpmath.mpf("1e-25")
# Values below these floors are compared absolutely (the error is taken
# relative to the floor): 1e-10 * 1e-25 = 1e-35 for plain relations, well
# above the rounding noise at DPS digits even where terms of e^60 cancel; for
# relations holding a Derivative, above the finite-difference noise (steps of
# 10^-(DPS/4), see derive.verify.evaluate).
ABSOLUTE_FLOOR = mpmath.mpf(10) ** -10
ABSOLUTE_FLOOR_FD = mpmath.mpf(10) ** -(DPS // 2 - 2)
# A limit is evaluated at one far point (see derive.verify.evaluate.LIMIT_FAR): a
# value tending to 0 like 1/z or 1/sqrt(z) is far below this there.
ABSOLUTE_FLOOR_LIMIT = mpmath.mpf(10) ** -15


@dataclass(frozen=True)
class Failure:
    """Where a relation failed: the point, both sides and the error."""

    label: str
    point: dict[str, str]
    lhs: str
    rhs: str
    rel_error: float
    message: str = ""

    def describe(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.point.items())
        what = self.message or f"lhs={self.lhs} rhs={self.rhs} (relative error {self.rel_error:.3g})"
        return f"{self.label} fails at {where}: {what}" if where else f"{self.label} fails: {what}"


@dataclass(frozen=True)
class RelationReport:
    """The verdict on one step or result."""

    label: str
    relation: sp.Basic
    symbolic: str | None
    points: int
    max_rel_error: float
    finite_differences: bool
    failure: Failure | None = None
    model: str = ""

    @property
    def passed(self) -> bool:
        return self.failure is None

    @property
    def status(self) -> str:
        """How far the relation is established, in words a page can print as they are.

        One of: ``proved symbolically``, ``proved on the domain by interval
        arithmetic``, or ``checked at N points``; never "proved" for what was only checked.
        """
        if self.symbolic:
            return "proved symbolically"
        return f"checked at {self.points} points"

    @property
    def methods(self) -> tuple[str, ...]:
        out = []
        if self.symbolic:
            out.append(f"symbolic ({self.symbolic})")
        out.append(f"numeric, {self.points} points at {DPS} digits")
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
    def first_failure(self) -> Failure | None:
        if self.build_error:
            return Failure("the build", {}, "", "", float("inf"), self.build_error)
        return next((r.failure for r in self.relations if r.failure), None)

    @property
    def methods(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.relations:
            for m in r.methods:
                seen.setdefault(m.split(" (")[0] if m.startswith("symbolic") else m, None)
        return tuple(seen)


def check(derivation: Derivation, points: int = POINTS, seed: int = 0) -> CheckReport:
    """Check every step and result of ``derivation``; never raises on a wrong step."""
    # Relations over the same domain share their points: drawing is not free.
    shared_points: dict[tuple[Any, ...], list[Any]] = {}
    reports = [
        check_relation(label, step, derivation, points, seed, shared_points) for label, step in derivation.labelled()
    ]
    return CheckReport(derivation.name, tuple(reports))


def check_relation(
    label: str,
    step: Step,
    derivation: Derivation,
    points: int,
    seed: int,
    shared_points: dict[tuple[Any, ...], list[Any]] | None = None,
) -> RelationReport:
    """Check one step or result numerically (and symbolically if it can).

    ``shared_points`` caches the drawn points per domain across the relations
    of one derivation.
    """
    relation = step.eq
    fd = relation.has(sp.Derivative)
    tolerance, floor = _bounds(relation)
    domain = derivation.domain.override(step.where) if step.where else derivation.domain
    symbolic = prove_equal(relation) if step.symbolic and isinstance(relation, sp.Eq) else None
    model = describe_model(step.model)
    try:
        lhs_fn = compile_expr(apply_model(relation.lhs, step.model))
        rhs_fn = compile_expr(apply_model(relation.rhs, step.model))
    except EvaluationError as exc:
        failure = Failure(label, {}, "", "", float("inf"), f"cannot be evaluated: {exc}")
        return RelationReport(label, relation, symbolic, 0, float("inf"), fd, failure, model)
    worst = mpmath.mpf(0)
    done = 0
    key = (points, seed, *((str(symbol), id(kind)) for symbol, kind in step.where.items()), str(step.region))
    cache = shared_points if shared_points is not None else {}
    if key not in cache:
        with mpmath.workdps(DPS):
            cache[key] = (
                domain.points(points, seed) if step.region is None else points_inside(domain, step.region, points, seed)
            )
    if not cache[key]:
        failure = Failure(label, {}, "", "", float("inf"), f"no sampled point lies inside its region {step.region}")
        return RelationReport(label, relation, symbolic, 0, float("inf"), fd, failure, model)
    with mpmath.workdps(DPS):
        for point in cache[key]:
            env = dict(point)
            env = {k: (list(v) if isinstance(v, list) else v) for k, v in env.items()}
            try:
                lhs, rhs = lhs_fn(env), rhs_fn(env)
                error = _error(relation, lhs, rhs, floor, tolerance)
            except (EvaluationError, ZeroDivisionError, ValueError, OverflowError) as exc:
                failure = Failure(label, _show(point), "", "", float("inf"), f"evaluation failed: {exc}")
                return RelationReport(label, relation, symbolic, done, float("inf"), fd, failure, model)
            done += 1
            worst = max(worst, error)
            if error > tolerance:
                failure = Failure(label, _show(point), mpmath.nstr(lhs, 15), mpmath.nstr(rhs, 15), float(error))
                return RelationReport(label, relation, symbolic, done, float(worst), fd, failure, model)
    return RelationReport(label, relation, symbolic, done, float(worst), fd, model=model)


def apply_model(expr: sp.Basic, model: Mapping[Any, sp.Lambda]) -> sp.Basic:
    """``expr`` (one side of a relation) with each unknown function replaced by its model family.

    >>> f, t, c = sp.Function("f"), sp.Symbol("t"), sp.Symbol("c")
    >>> apply_model(f(2 * t) - 2 * f(t), {f: sp.Lambda(t, c * t**2)})
    2*c*t**2
    """
    for function, family in model.items():
        expr = expr.replace(function, family)
    return expr


def describe_model(model: Mapping[Any, sp.Lambda]) -> str:
    """The model in words for a report, e.g. ``I(t) = -C*log(t)``; empty if none."""
    return "; ".join(
        f"{getattr(function, '__name__', function)}({', '.join(map(str, family.variables))}) = {family.expr}"
        for function, family in model.items()
    )


def _bounds(relation: sp.Basic) -> tuple[Any, Any]:
    """The relative tolerance and the absolute floor that suit how ``relation`` is evaluated."""
    if relation.has(sp.Limit):
        return TOLERANCE, ABSOLUTE_FLOOR_LIMIT
    if relation.has(sp.Derivative):
        return TOLERANCE, ABSOLUTE_FLOOR_FD
    return TOLERANCE_EXACT, ABSOLUTE_FLOOR


def _error(relation: sp.Basic, lhs: Any, rhs: Any, floor: Any, tolerance: Any) -> Any:
    """Relative error of an equation, or relative violation of an inequality.

    A strict inequality must hold by more than the tolerance: a side computed
    by finite differences that sits on the bound by a rounding error does not
    count as strictly below it.
    """
    for side in (lhs, rhs):
        if not isinstance(side, (int, mpmath.mpf)) or mpmath.isnan(side):
            raise ValueError(f"a side is not a real number: {side}")
    scale = max(abs(lhs), abs(rhs), floor)
    if isinstance(relation, sp.Eq):
        return abs(lhs - rhs) / scale
    if isinstance(relation, (sp.Le, sp.Lt)):
        gap = lhs - rhs
    elif isinstance(relation, (sp.Ge, sp.Gt)):
        gap = rhs - lhs
    else:
        raise ValueError(f"cannot check a {type(relation).__name__}")
    if isinstance(relation, (sp.Lt, sp.Gt)) and gap > -tolerance * scale:
        return mpmath.inf
    return max(gap, 0) / scale


def _show(point: dict[Any, Any]) -> dict[str, str]:
    out = {}
    for key, value in point.items():
        if isinstance(value, list):
            out[str(key)] = "(" + ", ".join(mpmath.nstr(v, 8) for v in value[1:]) + ")"
        else:
            out[str(key)] = mpmath.nstr(value, 12)
    return out
