"""Certified comparison of the two sides of a relation at one point, in arb balls.

:func:`decide` evaluates both sides as balls at :data:`PRECISIONS` bits, the
lowest first, and returns a :class:`Verdict`:

* passed, when the balls prove the relation within its tolerance (the
  verdict carries the certified bound: at most this relative error, or
  relative violation of an inequality);
* failed, when the balls prove it wrong (a mismatch beyond the tolerance, a
  violated inequality, a side that is not a finite real number);
* when neither is proved (the balls are too wide, or a comparison inside an
  expression overlaps), evaluated again at the next precision; a relation
  still undecided at the highest precision fails, saying so: never a guess.

A strict inequality must hold with a certified gap above zero (above the
tolerance where finite differences are involved, whose own error the
tolerance covers), so a strict inequality at a point where the two sides are
equal is rejected.  Where finite differences are involved, the balls enclose
the difference quotient, not the derivative: a mismatch they prove is
confirmed at the next precision (a smaller step) before the relation fails.

>>> import sympy as sp
>>> from derive.verify.evaluate import compile_expr
>>> from derive.verify.numbers import ARB
>>> x = sp.Symbol("x")
>>> lhs, rhs = compile_expr(sp.exp(2 * x), ARB), compile_expr(sp.exp(x) ** 2, ARB)
>>> verdict = decide("==", lhs, rhs, {x: 3}, tolerance=1e-25, floor=1e-10)
>>> verdict.passed, verdict.bound < 1e-50
(True, True)
>>> decide("<", lhs, rhs, {x: 3}, tolerance=1e-25, floor=1e-10).passed
False
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from flint import arb

from derive.errors import EvaluationError, Undecided
from derive.verify.numbers import ARB

Compiled = Callable[[MutableMapping[Any, Any]], Any]

# Working precisions in bits, tried in turn while a verdict is undecided.
PRECISIONS = (200, 400, 800, 1600)

# The relation's type as an operator: the side that must be smaller comes first.
OPERATORS = {"Equality": "==", "LessThan": "<=", "StrictLessThan": "<", "GreaterThan": ">=", "StrictGreaterThan": ">"}


@dataclass(frozen=True)
class Verdict:
    """The outcome at one point: passed or not, the certified bound, both sides, and why."""

    passed: bool
    bound: float
    lhs: str = ""
    rhs: str = ""
    message: str = ""
    bits: int = PRECISIONS[0]


def _show(ball: Any) -> str:
    if type(ball) is arb:
        return ball.str(15, radius=True)
    return str(ball)


def _lower(x: arb) -> float:
    return float(x.lower())


def _upper(x: arb) -> float:
    return float(x.upper())


def _judge(op: str, lhs: Any, rhs: Any, tolerance: float, floor: float, fd: bool) -> Verdict | None:
    """The verdict these balls prove, or None if they prove neither way."""
    lhs, rhs = ARB.convert(lhs), ARB.convert(rhs)
    lhs, rhs = lhs if type(lhs) is arb else arb(lhs), rhs if type(rhs) is arb else arb(rhs)
    if not (lhs.is_finite() and rhs.is_finite()):
        return None  # maybe a cancellation too wide for a logarithm: try more bits first
    scale_low = max(float(lhs.abs_lower()), float(rhs.abs_lower()), floor)
    scale_high = max(float(lhs.abs_upper()), float(rhs.abs_upper()), floor)
    # Printing two 200-bit balls costs more than judging them: only a failed verdict carries its sides.
    if op == "==":
        difference = abs(lhs - rhs)
        if _upper(difference) <= tolerance * scale_low:
            return Verdict(True, _upper(difference) / scale_low)
        if _lower(difference) > tolerance * scale_high:
            error = _lower(difference) / scale_high
            return Verdict(False, error, _show(lhs), _show(rhs))  # a wrong value: the error and both sides
        return None
    excess = lhs - rhs if op in ("<=", "<") else rhs - lhs  # > 0 means violated
    if op in ("<=", ">="):
        if _upper(excess) <= tolerance * scale_low:
            return Verdict(True, max(_upper(excess), 0.0) / scale_low)
        if _lower(excess) > tolerance * scale_high:
            error = _lower(excess) / scale_high
            return Verdict(False, error, _show(lhs), _show(rhs))
        return None
    margin = tolerance if fd else 0.0  # finite differences: the gap must exceed their error
    if _upper(excess) < -margin * scale_high:
        return Verdict(True, 0.0)
    if _lower(excess) >= -margin * scale_low:
        how = "the two sides are equal here" if _upper(abs(excess)) == 0 else "it does not hold strictly"
        return Verdict(False, max(_lower(excess), 0.0) / scale_low, _show(lhs), _show(rhs), how)
    return None


def decide(
    op: str,
    lhs_fn: Compiled,
    rhs_fn: Compiled,
    env: MutableMapping[Any, Any],
    tolerance: float,
    floor: float,
    fd: bool = False,
) -> Verdict:
    """Decide ``lhs op rhs`` at the point ``env``; see the module doc. Never raises an EvaluationError."""
    lhs = rhs = None
    refuted = 0
    for bits in PRECISIONS:
        with ARB.precision(bits):
            try:
                lhs, rhs = lhs_fn(env), rhs_fn(env)
            except Undecided:
                continue
            except (EvaluationError, ZeroDivisionError, ValueError, TypeError, OverflowError) as exc:
                return Verdict(False, float("inf"), message=f"cannot be evaluated here: {exc}", bits=bits)
            verdict = _judge(op, lhs, rhs, tolerance, floor, fd)
        if verdict is not None and fd and not verdict.passed and refuted == 0 and bits != PRECISIONS[-1]:
            refuted += 1  # confirm with a smaller step first
            continue
        if verdict is not None:
            return Verdict(verdict.passed, verdict.bound, verdict.lhs, verdict.rhs, verdict.message, bits)
    top = PRECISIONS[-1]
    if lhs is None or rhs is None:
        return Verdict(False, float("inf"), message=f"a comparison inside it cannot be decided at {top} bits", bits=top)
    sides = [ARB.convert(s) for s in (lhs, rhs)]
    if not all(type(s) is int or s.is_finite() for s in sides):
        why = "a side is not a finite real number here (undefined, or it leaves the reals)"
    else:
        why = f"the enclosures are too wide to decide even at {top} bits"
    return Verdict(False, float("inf"), *map(_show, sides), why, bits=top)
