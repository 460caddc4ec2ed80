"""Compilers for branches and comparisons: Piecewise, Max and Min, relations, And/Or/Not.

Part of the dispatch table of :mod:`derive.verify.evaluate`.  A comparison of
balls that cannot be decided raises :class:`~derive.errors.Undecided`
(through ``Numbers.compare``), and the verifier evaluates again with more bits.

>>> import sympy as sp
>>> from derive.verify.evaluate import compile_expr
>>> x = sp.Symbol("x")
>>> compile_expr(sp.Piecewise((x, x > 0), (-x, True)))({x: -2})
2
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import sympy as sp

from derive.errors import EvaluationError

if TYPE_CHECKING:
    from derive.verify.numbers import Numbers

Env = MutableMapping[Any, Any]
Compiled = Callable[[Env], Any]


def _compile(expr: sp.Basic, nb: Numbers) -> Compiled:
    from derive.verify.evaluate import compile_inner  # the table refers to this module

    return compile_inner(expr, nb)


def compile_piecewise(expr: sp.Piecewise, nb: Numbers) -> Compiled:
    pieces = [(_compile(e, nb), _compile(c, nb)) for e, c in expr.args]

    def piecewise(env: Env) -> Any:
        for value, condition in pieces:
            if condition(env):
                return value(env)
        raise EvaluationError(f"no branch of {expr} applies")

    return piecewise


def compile_extremum(expr: sp.Max | sp.Min, nb: Numbers) -> Compiled:
    parts = [_compile(a, nb) for a in expr.args]
    op = ">" if isinstance(expr, sp.Max) else "<"

    def pick(env: Env) -> Any:
        best = parts[0](env)
        for part in parts[1:]:
            value = part(env)
            if nb.compare(op, value, best):
                best = value
        return best

    return pick


def compile_logic(expr: sp.And | sp.Or | sp.Not, nb: Numbers) -> Compiled:
    parts = [_compile(a, nb) for a in expr.args]
    if isinstance(expr, sp.And):
        return lambda env: all(p(env) for p in parts)
    if isinstance(expr, sp.Or):
        return lambda env: any(p(env) for p in parts)
    return lambda env: not parts[0](env)


_OPERATORS = {sp.Eq: "==", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}


def compile_relation(expr: sp.core.relational.Relational, nb: Numbers) -> Compiled:
    op = _OPERATORS[type(expr)]
    lhs, rhs = _compile(expr.lhs, nb), _compile(expr.rhs, nb)
    return lambda env: nb.compare(op, lhs(env), rhs(env))
