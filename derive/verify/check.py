"""The verifier: every step and result, numerically always, symbolically where it can.

For each relation of a derivation it

* tries a cheap symbolic proof that the two sides are equal
  (:mod:`derive.verify.prove`), and records which method worked; an
  inequality over a box-shaped domain is tried by interval bisection
  (:mod:`derive.verify.intervals`);
* evaluates both sides in certified ball arithmetic (python-flint's arb, at
  200 bits or more; :mod:`derive.verify.compare`) at ``points`` points drawn
  from the derivation's domain: hard values one variable at a time, joint
  extremes and coincidences first (:mod:`derive.model.extremes`), then
  random ones; a relative agreement of ``TOLERANCE_EXACT`` (1e-25) is
  required, or of ``TOLERANCE`` (1e-12) where finite differences or a limit
  are involved.  A side holding a ``Derivative`` is evaluated by central
  finite differences of the expression inside it, so a gradient is compared
  with the loss it came from, not with itself; a ``Limit`` along a sequence
  of points going to the limit (:mod:`derive.verify.calculus`);
* checks a non-strict inequality for equality at the cases where its step
  says it is tight, and for the inequality at points approaching them; a
  strict one at points approaching where two variables of the same kind meet;
* checks a relation holding a ``Limit`` a second time with the limit that
  SymPy computes, where it computes one (:mod:`derive.verify.cases`);
* evaluates a step holding unknown functions (``I(p)`` in a functional
  equation) under the concrete family its ``model`` gives them, and says so.

It never raises on a wrong or undefined step: that is a failed report with
the point and the reason.

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

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mpmath
import sympy as sp

from derive.model import POINTS
from derive.model.derivation import Derivation, Step
from derive.model.domain import Domain, Point
from derive.verify import cases
from derive.verify.compare import OPERATORS, Verdict, decide
from derive.verify.evaluate import EvaluationError, compile_expr
from derive.verify.numbers import ARB
from derive.verify.proof_cache import PROOF_CACHE, PROVER_VERSION
from derive.verify.prove import prove_step
from derive.verify.regions import points_inside
from derive.verify.reports import CheckReport, Failure, RelationReport

__all__ = ["CheckReport", "Failure", "RelationReport", "apply_model", "check", "check_relation", "describe_model"]

# Relative agreement required of relations evaluated by finite differences or
# along a limit; plain relations are held to far more than 200 bits can give.
TOLERANCE = 1e-12
TOLERANCE_EXACT = 1e-25
# Values below these floors are compared absolutely (the error is taken
# relative to the floor): 1e-10 * 1e-25 = 1e-35 for plain relations; for
# relations holding a Derivative, 1e-20 * 1e-12 = 1e-32, far above the
# finite-difference error (steps of 2^-66 at 200 bits, error about h^2 = 2e-40).
ABSOLUTE_FLOOR = 1e-10
ABSOLUTE_FLOOR_FD = 1e-20
# A limit is the value at the last point of its sequence (10^60): a value
# tending to 0 like 1/z or 1/sqrt(z) is far below this there.
ABSOLUTE_FLOOR_LIMIT = 1e-15
# Points are drawn as exact binary numbers at this precision (a probability
# vector sums to 1 within 2^-256), then converted to balls exactly.
DRAW_BITS = 256
# Points at each equality case, and near a boundary.
CASE_POINTS = 8

SharedPoints = dict[tuple[Any, ...], list[Point]]

# Drawn points (as balls) by domain, for every derivation of this process:
# many derivations share a domain (a logit and a label), and drawing at 256
# bits is not free.  The key holds the kinds themselves (not their ids), so
# an entry can never be confused with a later domain's.
_POINTS_BY_DOMAIN: SharedPoints = {}


def check(derivation: Derivation, points: int = POINTS, seed: int = 0) -> CheckReport:
    """Check every step and result of ``derivation``; never raises on a wrong step."""
    # Relations over the same domain share their points: drawing is not free.
    shared_points: SharedPoints = {}
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
    shared_points: SharedPoints | None = None,
) -> RelationReport:
    """Check one step or result; a wrong or undefined one gives a failed report, never an exception.

    ``shared_points`` caches the drawn points per domain across the relations
    of one derivation.
    """
    try:
        return _check_relation(label, step, derivation, points, seed, {} if shared_points is None else shared_points)
    except Exception as exc:  # a check reports, it does not crash
        failure = Failure(label, {}, "", "", float("inf"), f"the check could not run: {type(exc).__name__}: {exc}")
        return RelationReport(label, step.eq, None, 0, float("inf"), step.eq.has(sp.Derivative), failure)


def _check_relation(
    label: str, step: Step, derivation: Derivation, points: int, seed: int, shared: SharedPoints
) -> RelationReport:
    relation = step.eq
    fd = relation.has(sp.Derivative)
    tolerance, floor = _bounds(relation)
    domain = derivation.domain.override(step.where) if step.where else derivation.domain
    op = OPERATORS.get(type(relation).__name__)
    model = describe_model(step.model)

    def report(done: int, worst: float, failure: Failure | None = None, **more: Any) -> RelationReport:
        return RelationReport(label, relation, symbolic, done, worst, fd, failure, model, **more)

    # Every proof attempt (derive.verify.prove.prove_step); an interval proof counts only if the points agree.
    symbolic, interval_proof = _proofs(step, derivation, domain)
    if op is None:
        return report(0, float("inf"), Failure(label, {}, "", "", float("inf"), f"cannot check a {type(relation)}"))
    try:
        lhs_fn = compile_expr(apply_model(relation.lhs, step.model), ARB)
        rhs_fn = compile_expr(apply_model(relation.rhs, step.model), ARB)
    except EvaluationError as exc:
        return report(0, float("inf"), Failure(label, {}, "", "", float("inf"), f"cannot be evaluated: {exc}"))
    key = (points, seed, *((str(symbol), id(kind)) for symbol, kind in step.where.items()), str(step.region))
    if key not in shared:
        shared[key] = _drawn(domain, step.region, points, seed)
    if not shared[key]:
        why = f"no sampled point lies inside its region {step.region}"
        return report(0, float("inf"), Failure(label, {}, "", "", float("inf"), why))

    done, worst = 0, 0.0
    point_sets = [(shared[key], op, "")]
    if step.region is None:  # a step on one piece of a piecewise loss: its own points only
        point_sets += cases.equality_case_points(step, domain, op, CASE_POINTS, seed)
        point_sets += cases.boundary_points(domain, op, CASE_POINTS, seed)
    extra = [what for _, _, what in point_sets if what]
    for point_set, test, what in point_sets:
        for point in point_set:
            verdict = decide(test, lhs_fn, rhs_fn, _env(point), tolerance, floor, fd)
            done += 1
            if not verdict.passed:
                return report(done, max(worst, verdict.bound), _failure(label, point, verdict, what, relation))
            worst = max(worst, verdict.bound)

    # A symbolic proof already took SymPy's limits (``doit``); otherwise check with them now.
    limit_check = None if symbolic else cases.sympy_limit_relation(relation, step.model)
    if limit_check is not None:
        lhs_limit, rhs_limit, shown = limit_check
        extra.append(f"the limit SymPy computes ({shown}) checked at {min(len(shared[key]), 20)} points")
        checked_fns = (compile_expr(lhs_limit, ARB), compile_expr(rhs_limit, ARB))
        for point in shared[key][:20]:
            verdict = decide(op, *checked_fns, _env(point), tolerance, floor, fd)
            if not verdict.passed:
                why = f"SymPy computes the limit as {shown}, and with it: {verdict.message or 'a mismatch'}"
                return report(done, worst, _failure(label, point, Verdict(False, verdict.bound, message=why), ""))
    return report(done, worst, interval=interval_proof, extra=tuple(extra))


def _drawn(domain: Domain, region: sp.Basic | None, points: int, seed: int) -> list[Point]:
    """The ``points`` points of ``domain`` (inside ``region``) as balls, drawn once per process.

    The list and its points are shared: evaluations copy a point (:func:`_env`) and never change a vector.
    """
    key = (points, seed, tuple(domain.kinds.items()), region)
    if key not in _POINTS_BY_DOMAIN:
        with mpmath.workprec(DRAW_BITS):
            drawn = domain.points(points, seed) if region is None else points_inside(domain, region, points, seed)
        _POINTS_BY_DOMAIN[key] = [_as_balls(pt) for pt in drawn]
    return _POINTS_BY_DOMAIN[key]


# The code an interval proof's outcome depends on, hashed into its key in the proof cache.
_HERE = Path(__file__).resolve().parent
_INTERVAL_FILES = ("intervals.py", "evaluate.py", "numbers.py", "calculus.py", "branches.py", "prove.py")
_INTERVAL_VERSION = hashlib.sha256(
    b"".join((_HERE / name).read_bytes() for name in _INTERVAL_FILES if (_HERE / name).exists())
).hexdigest()[:16]


def interval_key(
    relation: sp.Basic, domain: Domain, equality_cases: tuple[Mapping[Any, Any], ...], derivation: str = ""
) -> str | None:
    """The proof cache's key of the proofs of inequality ``relation``; None if its inputs have no stable text.

    An interval proof is deterministic given the relation, the boxes of the
    domain's kinds, the stated equality cases and the code (its file hashes):
    a second ``derive check`` or build reads its outcome instead of bisecting again.

    >>> from derive.model.domain import LOGIT
    >>> z = sp.Symbol("z", real=True)
    >>> key = interval_key(sp.Le(z, 2 * z), Domain({z: LOGIT}), ())
    >>> key == interval_key(sp.Le(z, 2 * z), Domain({z: LOGIT}), ()), len(key)
    (True, 64)
    >>> key == interval_key(sp.Le(z, 3 * z), Domain({z: LOGIT}), ())
    False
    """
    boxes = [f"{sp.srepr(symbol)}:{kind.box!r}" for symbol, kind in domain.kinds.items()]
    cases = [
        ";".join(sorted(f"{sp.srepr(sp.sympify(s))}={sp.srepr(sp.sympify(v))}" for s, v in case.items()))
        for case in equality_cases
    ]
    versions = ["inequality", _INTERVAL_VERSION, PROVER_VERSION, sp.__version__]
    text = "|".join([*versions, derivation, sp.srepr(relation), *boxes, "cases", *cases])
    if " at 0x" in text:  # an object printed by its address: not the same text in the next run
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def _proofs(step: Step, derivation: Derivation, domain: Domain) -> tuple[str | None, str]:
    """:func:`prove_step`; an inequality's outcome kept in the proof cache (equations keep theirs in the prover).

    The outcome is stored as ``symbolic method`` and ``interval proof`` on two lines.
    """
    relation = step.eq
    if isinstance(relation, sp.Eq) or step.model:
        return prove_step(step, derivation)
    try:
        key = interval_key(relation, domain, step.equality_cases, derivation.name)
    except (sp.SympifyError, TypeError, ValueError, AttributeError):
        key = None
    cached = PROOF_CACHE.get(key) if key else None
    if cached is not None and cached.count("\n") == 1:
        symbolic, interval = cached.split("\n")
        return symbolic or None, interval
    symbolic_found, interval_found = prove_step(step, derivation)
    if key:
        PROOF_CACHE.put(key, f"{symbolic_found or ''}\n{interval_found}")
    return symbolic_found, interval_found


def _failure(label: str, point: Point, verdict: Verdict, what: str, relation: sp.Basic | None = None) -> Failure:
    message = f"{verdict.message} ({what})" if what and verdict.message else verdict.message or what
    if relation is not None:  # only the relation's own variables: a point also draws the others (z beside a)
        held = {str(symbol) for symbol in relation.free_symbols}
        point = {key: value for key, value in point.items() if str(key) in held} or point
    return Failure(label, _show(point), verdict.lhs, verdict.rhs, verdict.bound, message)


def _as_balls(point: Point) -> Point:
    return {k: ([None, *map(ARB.convert, v[1:])] if isinstance(v, list) else ARB.convert(v)) for k, v in point.items()}


def _env(point: Point) -> dict[Any, Any]:
    """A fresh environment for one evaluation (vectors are never changed in place, so they are shared)."""
    return dict(point)


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


def _bounds(relation: sp.Basic) -> tuple[float, float]:
    """The relative tolerance and the absolute floor that suit how ``relation`` is evaluated."""
    if relation.has(sp.Limit):
        return TOLERANCE, ABSOLUTE_FLOOR_LIMIT
    if relation.has(sp.Derivative):
        return TOLERANCE, ABSOLUTE_FLOOR_FD
    return TOLERANCE_EXACT, ABSOLUTE_FLOOR


def _show(point: Mapping[Any, Any]) -> dict[str, str]:
    def number(value: Any) -> str:
        return mpmath.nstr(mpmath.mpf(ARB.midpoint(value)) if not isinstance(value, int) else value, 12)

    out = {}
    for key, value in point.items():
        if isinstance(value, list):
            out[str(key)] = "(" + ", ".join(number(v) for v in value[1:]) + ")"
        else:
            out[str(key)] = number(value)
    return out
