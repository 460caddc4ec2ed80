"""Points inside a region: how a step that holds on one piece of a piecewise loss is checked.

A :class:`~derive.model.derivation.Step` may carry a ``region``: a SymPy
condition (relations joined by ``And``, ``Or``, ``Not``) in the variables of
its domain.  The step is checked only at points that lie *robustly* inside:
every relation that decides the condition holds with a margin of
:data:`MARGIN` (relative), so a finite difference of step ~1e-15 taken there
never crosses a kink.  Points are drawn from the domain as usual (hard points
first) and kept when inside, drawing more until there are enough.

>>> import sympy as sp
>>> from derive.model.domain import Domain, LOGIT
>>> x, y = sp.symbols("x y", real=True)
>>> inside = points_inside(Domain({x: LOGIT, y: LOGIT}), x > y, 20, seed=0)
>>> len(inside), all(p[x] > p[y] for p in inside)
(20, True)
>>> robustly(x > y, {x: mpmath.mpf(1), y: mpmath.mpf(1) - mpmath.mpf("1e-9")})
"""

from __future__ import annotations

import functools
from typing import Any

import mpmath
import sympy as sp

from derive.errors import EvaluationError
from derive.model.domain import Domain, Point
from derive.verify.evaluate import compile_expr

# How far inside its region a point must lie, relative to the size of the compared sides.
MARGIN = mpmath.mpf("1e-6")
# At most this many times the wanted number of points are drawn before giving up.
MAX_DRAWS = 30

_ORDER = (sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne)
# Each side of a region's relations is compiled once, not at every point drawn.
_compiled = functools.lru_cache(maxsize=512)(compile_expr)


def robustly(condition: sp.Basic, env: Point, margin: Any = MARGIN) -> bool | None:
    """True or False when ``condition`` holds or fails by more than ``margin``; None near its boundary.

    An equation (``Eq``) is never robustly true: it holds on a boundary, not inside a region.
    """
    if condition is sp.true or condition is sp.false:
        return bool(condition)
    if isinstance(condition, sp.And):
        values = [robustly(c, env, margin) for c in condition.args]
        return False if False in values else (None if None in values else True)
    if isinstance(condition, sp.Or):
        values = [robustly(c, env, margin) for c in condition.args]
        return True if True in values else (None if None in values else False)
    if isinstance(condition, sp.Not):
        inner = robustly(condition.args[0], env, margin)
        return None if inner is None else not inner
    if isinstance(condition, _ORDER):
        lhs, rhs = _compiled(condition.lhs)(env), _compiled(condition.rhs)(env)
        gap = lhs - rhs
        if abs(gap) <= margin * max(1, abs(lhs), abs(rhs)):
            return None
        if isinstance(condition, (sp.Eq, sp.Ne)):
            return isinstance(condition, sp.Ne)
        return bool(gap < 0) if isinstance(condition, (sp.Lt, sp.Le)) else bool(gap > 0)
    raise EvaluationError(f"a region must be relations joined by And, Or, Not; got {condition}")


def points_inside(domain: Domain, region: sp.Basic, count: int, seed: int) -> list[Point]:
    """Up to ``count`` points of ``domain`` robustly inside ``region`` (hard points first).

    Fewer (possibly none) when the region is too thin to hit in ``MAX_DRAWS * count`` draws;
    a point where the condition cannot even be evaluated is not inside.
    """
    inside: list[Point] = []
    for batch in range(MAX_DRAWS):
        for point in domain.points(count, seed + 7919 * batch):
            env = {k: (list(v) if isinstance(v, list) else v) for k, v in point.items()}
            try:
                keep = robustly(region, env)
            except (EvaluationError, ZeroDivisionError, ValueError, OverflowError, TypeError):
                keep = False
            if keep:
                inside.append(point)
                if len(inside) == count:
                    return inside
    return inside
