"""Floors scaled to the size of a relation's terms, for the numeric check of :mod:`derive.verify.check`.

Rounding is relative to the terms a value is made of, not to the value:
K**100 times a sum that is always 1 has derivative 0, computed in 60 digits
as terms of 40**100 = 10^160 that cancel to about 10^100.  Against the usual
floor that is a failure, though nothing is wrong.  So where a relation fails
against its usual floor, the check raises the floor to a fraction of the
size of its terms (:func:`magnitude`: every sum and product taken over
absolute values) and, for relations evaluated by finite differences, of the
functions they differentiate (finite differences round relative to the
function, not to its derivative), and compares again.  A relation off by
more than the tolerance times that floor still fails; a difference below it
is below what the digits of the check can resolve anyway.
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from derive.verify.evaluate import EvaluationError, compile_expr

# Digits of the working precision (60 in the check) left to the terms' rounding: plain relations
# keep 35 (tolerance 1e-25 on top); finite differences, whose steps of 10^-(digits/4) leave about
# 10^-(digits/2) of the function, keep digits/2 - 16 (tolerance 1e-12 on top).
EXACT_DIGITS_SPARED = 35


def _fraction(fd: bool) -> Any:
    digits = mpmath.mp.dps
    return mpmath.mpf(10) ** -(digits // 2 - 16 if fd else digits - EXACT_DIGITS_SPARED)


def magnitude(expr: sp.Basic) -> sp.Basic:
    """An expression for the size of ``expr``'s terms: every sum and product taken over absolute values.

    >>> x, y = sp.symbols("x y")
    >>> magnitude(x - 2 * y)
    Abs(x) + 2*Abs(y)
    """
    if isinstance(expr, (sp.Add, sp.Mul)):
        return expr.func(*(magnitude(arg) for arg in expr.args))
    if isinstance(expr, sp.Sum):
        return sp.Sum(magnitude(expr.function), *expr.limits)
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer and expr.exp > 0:
        return magnitude(expr.base) ** expr.exp
    return sp.Abs(expr)


def floor_of_terms(
    relation: sp.Basic, magnitudes: list[Any], differentiated: list[Any], env: dict[Any, Any], floor: Any, fd: bool
) -> Any:
    """The absolute floor of ``relation`` at the point ``env``, scaled to the size of its terms.

    ``magnitudes`` and ``differentiated`` are the caller's caches of compiled
    functions, filled on the first call (so a relation that never fails
    never pays for them).
    """
    if not magnitudes:
        for side in (relation.lhs, relation.rhs):
            try:
                magnitudes.append(compile_expr(magnitude(side)))
            except EvaluationError:
                continue
        for derivative in relation.atoms(sp.Derivative) if fd else ():
            try:
                differentiated.append(compile_expr(derivative.expr))
            except EvaluationError:
                continue
    fraction = _fraction(fd)
    for function in [*magnitudes, *differentiated]:
        try:
            floor = max(floor, abs(function(env)) * fraction)
        except (EvaluationError, ZeroDivisionError, ValueError, OverflowError, TypeError, KeyError):
            continue
    return floor
