"""Named quantities at print time: a long expression printed as the short name a page declared for it.

Only the printed form changes: the verified SymPy objects keep their full
expressions.  Names apply in the order they were declared, so a later name
may be written in terms of an earlier one (``z_2 = w_2 a_1 + b_2`` after
``z_1 = w_1 x + b_1``).

>>> import sympy as sp
>>> a, y, t = sp.symbols("a y t")
>>> delta = sp.Symbol("delta")
>>> abbreviate((a - y) * a * (1 - a) * t, [(delta, (a - y) * a * (1 - a))])
delta*t
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

Names = Sequence[tuple[sp.Basic, sp.Basic]]


def pairs(named: Iterable[Any], steps: bool = False) -> list[tuple[sp.Basic, sp.Basic]]:
    """(symbol, pattern) pairs from :class:`~derive.model.derivation.Named` objects, in declared order.

    ``steps=True`` leaves out the names a derivation uses in its results only.
    """
    out = []
    for item in named:
        if steps and not getattr(item, "in_steps", True):
            continue
        for pattern in item.patterns():
            out.append((item.symbol, pattern))
    return out


def abbreviate(expr: Any, names: Names) -> Any:
    """``expr`` with every occurrence of a named pattern replaced by its name.

    A pattern that is a product also matches inside a longer product
    (``delta * a_1`` for ``(a_2 - y) a_2 (1 - a_2) a_1``).
    """
    if not names:
        return expr
    expr = sp.sympify(expr)
    done: list[tuple[sp.Basic, sp.Basic]] = []
    for symbol, pattern in _instances(expr, names):
        # a pattern is matched as it prints: with the names declared before it already applied
        for earlier, earlier_pattern in done:
            pattern = _replace(sp.sympify(pattern), earlier_pattern, earlier)
        expr = _replace(expr, sp.sympify(pattern), symbol)
        done.append((symbol, sp.sympify(pattern)))
    return expr


def _instances(expr: sp.Basic, names: Names) -> list[tuple[sp.Basic, sp.Basic]]:
    """The names, with a function name ``I(p) = -C log p`` also standing for each instance ``I(t) = -C log t``.

    The instances are those whose argument appears in ``expr`` in the place the variable has in the
    pattern (inside the same function: the argument of each ``log`` for ``-C log p``).
    """
    out: list[tuple[sp.Basic, sp.Basic]] = []
    for symbol, pattern in names:
        out.append((symbol, pattern))
        if not (isinstance(symbol, AppliedUndef) and len(symbol.args) == 1 and symbol.args[0].is_Symbol):
            continue
        variable = symbol.args[0]
        pattern = sp.sympify(pattern)
        carriers = [e for e in sp.preorder_traversal(pattern) if isinstance(e, sp.Function) and variable in e.args]
        if not carriers:
            continue
        carrier = carriers[0]
        position = carrier.args.index(variable)
        seen = {variable}
        for node in sp.preorder_traversal(sp.sympify(expr)):
            if node.func == carrier.func and len(node.args) == len(carrier.args):
                argument = node.args[position]
                if argument not in seen:
                    seen.add(argument)
                    out.append((symbol.func(argument), pattern.xreplace({variable: argument})))
    return out


def _replace(expr: sp.Basic, pattern: sp.Basic, symbol: sp.Basic) -> sp.Basic:
    if expr == pattern:
        return symbol
    if not expr.args or isinstance(expr, (sp.Indexed, sp.IndexedBase)):
        return expr
    args = tuple(_replace(arg, pattern, symbol) for arg in expr.args)
    if isinstance(expr, sp.Mul) and isinstance(pattern, sp.Mul):
        rest = _take_factors(list(args), list(pattern.args))
        if rest is not None:
            return sp.Mul(symbol, *rest, evaluate=False) if rest else symbol
    if args == expr.args:
        return expr
    if isinstance(expr, sp.Derivative):
        return sp.Derivative(args[0], *args[1:], evaluate=False)
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow, sp.core.relational.Relational)):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def _take_factors(factors: list[sp.Basic], wanted: list[sp.Basic]) -> list[sp.Basic] | None:
    """``factors`` without ``wanted`` (each factor once), or None if some are missing."""
    rest = list(factors)
    for factor in wanted:
        if factor in rest:
            rest.remove(factor)
        elif factor.is_Number and factor == 1:
            continue
        else:
            return None
    return rest
