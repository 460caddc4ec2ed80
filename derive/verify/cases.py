"""The extra point sets of a relation: its equality cases, the approach to a boundary, SymPy's limit.

* :func:`equality_case_points`: where a step says its non-strict inequality
  is tight (``Step.equality_cases``), the two sides must be equal; at points
  approaching the case, the inequality must hold.
* :func:`boundary_points`: a strict inequality is tested at points
  approaching where two variables of the same kind meet (p -> q), its
  boundary; the coincidences themselves are among every domain's hard points.
* :func:`sympy_limit_relation`: a relation holding a ``Limit``, with the limit
  SymPy computes in its place, to be checked as well.

Each point set comes as ``(points, operator, description)``; points are balls.

>>> import sympy as sp
>>> from derive.model.domain import Domain, PROBABILITY
>>> p, q = sp.symbols("p q", positive=True)
>>> sets = boundary_points(Domain({p: PROBABILITY, q: PROBABILITY}), ">", 2, seed=0)
>>> [(len(points), op) for points, op, _ in sets]
[(3, '>')]
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import mpmath
import sympy as sp

from derive.model.domain import Domain, Point
from derive.model.extremes import same_kind_pairs
from derive.model.kinds import SIZE_SYMBOL_NAME
from derive.verify.evaluate import compile_expr
from derive.verify.numbers import ARB
from derive.verify.proof_cache import PROOF_CACHE
from derive.verify.prove import time_limit

PointSet = tuple[list[Point], str, str]
DRAW_BITS = 256
# CPU seconds SymPy may spend computing the limits of one relation.
LIMIT_SECONDS = 1.0


def _balls(points: list[Point]) -> list[Point]:
    return [
        {k: ([None, *map(ARB.convert, v[1:])] if isinstance(v, list) else ARB.convert(v)) for k, v in pt.items()}
        for pt in points
    ]


def _pin(symbol: Any, value: Any, domain: Domain) -> Callable[[Point], Any]:
    """A function of the point drawn so far giving ``symbol`` its value in an equality case."""
    if isinstance(value, sp.IndexedBase):
        return lambda pt: list(pt[value])
    if isinstance(value, sp.Lambda):
        (index,) = value.variables
        component = compile_expr(value.expr)
        length = domain.kinds[symbol].length or domain.size

        def vector(pt: Point) -> list[Any]:
            return [None, *(component({**pt, index: n}) for n in range(1, int(pt[length]) + 1))]

        return vector
    expr = compile_expr(sp.sympify(value))
    return lambda pt: mpmath.mpf(expr(pt)) if not isinstance(expr(pt), int) else expr(pt)


def describe_case(case: Mapping[Any, Any]) -> str:
    """An equality case for a report, each formula as code: ```q = p``` or ```p[k] = 1/K```."""
    parts = []
    for symbol, value in case.items():
        if isinstance(value, sp.Lambda):
            parts.append(f"`{symbol}[{value.variables[0]}] = {value.expr}`")
        else:
            parts.append(f"`{symbol} = {value}`")
    return ", ".join(parts)


def equality_case_points(step: Any, domain: Domain, op: str, count: int, seed: int) -> list[PointSet]:
    """For each stated equality case: points on it (tested for equality) and approaching it (for ``op``)."""
    out: list[PointSet] = []
    for number, case in enumerate(step.equality_cases):
        pins = {symbol: _pin(symbol, value, domain) for symbol, value in case.items()}
        shown = describe_case(case)
        with mpmath.workprec(DRAW_BITS):
            on = domain.at_case(pins, count, seed + number)
            near = domain.near_case(pins, count // 2, seed + number)
        out.append((_balls(on), "==", f"equality at its stated case {shown}, {len(on)} points"))
        out.append((_balls(near), op, f"points approaching {shown}, {len(near)} points"))
    return out


def boundary_points(domain: Domain, op: str, count: int, seed: int) -> list[PointSet]:
    """For a strict inequality: points approaching each coincidence of two same-kind variables."""
    if op not in ("<", ">"):
        return []
    out: list[PointSet] = []
    for a, b in same_kind_pairs(domain):
        if isinstance(a, sp.Symbol) and (a.name == SIZE_SYMBOL_NAME or a.is_integer):
            continue  # whole numbers cannot approach each other
        pins = {b: (lambda pt, a=a: list(pt[a]) if isinstance(pt[a], list) else pt[a])}
        with mpmath.workprec(DRAW_BITS):
            near = domain.near_case(pins, count // 4 or 1, seed)
        out.append((_balls(near), op, f"points approaching `{b} = {a}`, {len(near)} points"))
    return out


def sympy_limit_relation(relation: sp.Basic, model: Mapping[Any, Any]) -> tuple[sp.Basic, sp.Basic, str] | None:
    """The two sides of ``relation`` with each ``Limit`` replaced by the value SymPy computes for it, or None.

    None when it holds no limit, or SymPy computes none of them (in
    :data:`LIMIT_SECONDS`) as a finite expression free of ``Limit``.
    """
    limits = [limit for limit in relation.atoms(sp.Limit) if not model]
    replaced: dict[sp.Basic, sp.Basic] = {}
    for limit in limits:
        value = sympy_limit(limit)
        if value is not None:
            replaced[limit] = value
    if not replaced:
        return None
    shown = "; ".join(f"`{value}`" for value in replaced.values())
    return relation.lhs.xreplace(replaced), relation.rhs.xreplace(replaced), shown


def sympy_limit(limit: sp.Limit) -> sp.Basic | None:
    """The value SymPy computes for ``limit`` in :data:`LIMIT_SECONDS`, or None (none, or not a finite value).

    SymPy's limits are deterministic and can take a second, so their outcome
    is kept in the proof cache (:mod:`derive.verify.proof_cache`) under the
    limit and SymPy's version: none, or a rational number (the usual values,
    0 and -1); any other value is computed again in each run.

    >>> z = sp.Symbol("z", real=True)
    >>> sympy_limit(sp.Limit(sp.exp(-z), z, sp.oo)), sympy_limit(sp.Limit(z, z, sp.oo))
    (0, None)
    """
    key = hashlib.sha256(f"limit|{sp.__version__}|{LIMIT_SECONDS}|{sp.srepr(limit)}".encode()).hexdigest()
    cached = PROOF_CACHE.get(key)
    if cached is not None:
        return sp.Rational(cached) if cached else None
    try:
        with time_limit(LIMIT_SECONDS):
            value = limit.doit()
    except Exception:  # SymPy cannot compute it (or not in time): the numeric check stands
        value = None
    if value is not None and value.has(sp.Limit, sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds):
        value = None
    if value is None or isinstance(value, sp.Rational):
        PROOF_CACHE.put(key, "" if value is None else str(value))
    return value
