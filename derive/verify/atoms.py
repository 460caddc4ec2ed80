"""The evaluator's leaves: numbers, constants, and the functions of one argument that need the numbers'
comparisons (a step, a sign) or another function (the factorial through gamma).

Each compiler takes the SymPy node and the numbers (:mod:`derive.verify.numbers`) and returns a function of
an environment, as in :mod:`derive.verify.evaluate`'s table.

>>> import sympy as sp
>>> from derive.verify.numbers import MPMATH
>>> integer(sp.Integer(3), MPMATH)({})
3
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import sympy as sp

from derive.errors import EvaluationError
from derive.verify.numbers import Numbers

Env = MutableMapping[Any, Any]
Compiled = Callable[[Env], Any]


def integer(expr: sp.Integer, nb: Numbers) -> Compiled:
    value = int(expr)
    return lambda env: value


def rational(expr: sp.Rational, nb: Numbers) -> Compiled:
    p, q = int(expr.p), int(expr.q)
    by_precision: dict[int, Any] = {}  # the value depends on the working precision

    def rational(env: Env) -> Any:
        bits = nb.bits()
        if bits not in by_precision:
            by_precision[bits] = nb.number(p, q)
        return by_precision[bits]

    return rational


def float(expr: sp.Float, nb: Numbers) -> Compiled:
    text = str(expr)
    return lambda env: nb.text(text)


def constant(expr: sp.Basic, nb: Numbers) -> Compiled:
    if expr is sp.pi:
        return lambda env: nb.pi()
    if expr is sp.E:
        return lambda env: nb.e()
    if expr in (sp.S.Infinity, sp.S.NegativeInfinity):
        sign = 1 if expr is sp.S.Infinity else -1
        return lambda env: nb.infinity(sign)
    if expr in (sp.true, sp.false):
        flag = bool(expr)
        return lambda env: flag
    raise EvaluationError(f"cannot evaluate the constant {expr}")


def heaviside(nb: Numbers) -> Callable[[Any], Any]:
    def step(x: Any) -> Any:
        if nb.compare(">", x, 0):
            return 1
        return 0 if nb.compare("<", x, 0) else nb.number(1, 2)

    return step


def sign(nb: Numbers) -> Callable[[Any], Any]:
    return lambda x: 1 if nb.compare(">", x, 0) else (-1 if nb.compare("<", x, 0) else 0)


def factorial(nb: Numbers) -> Callable[[Any], Any]:
    return lambda x: nb.gamma(x + 1)
