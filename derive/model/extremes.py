"""Points on the boundary of a domain: joint extremes, coincidences, and the approach to an equality case.

Hard values one variable at a time miss a bound that fails only where two
variables are extreme together (``|dBCE/dz| <= 1 - 1e-8`` fails at z = 30
with y = 0 only), and a strict inequality that fails only where two variables
meet (``D_KL(p, q) > 0`` at p = q).  These helpers of
:meth:`derive.model.domain.Domain.points` make such points, within a fixed budget.

>>> import random, sympy as sp
>>> from derive.model.domain import LABEL, LOGIT, Domain
>>> z, y = sp.symbols("z y")
>>> corners = joint_extremes(Domain({z: LOGIT, y: LABEL}), random.Random(0), 10)
>>> sorted((int(pt[z]), int(pt[y])) for pt in corners)
[(-30, 0), (-30, 1), (0, 0), (0, 1), (30, 0), (30, 1)]
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import mpmath

from derive.model.kinds import Point

if TYPE_CHECKING:
    from derive.model.domain import Domain

# How close the points approaching an equality case come: (1 - t) case + t random.
APPROACH = ("1e-3", "1e-6", "1e-9")


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _sizes(domain: Domain) -> set[Any]:
    """The variables that are lengths of vectors (K, the sample count m)."""
    lengths = {kind.length for kind in domain.kinds.values() if kind.length is not None}
    return lengths | ({domain.size} if domain.size is not None else set())


def _hard_values(domain: Domain, symbol: Any, point: Point, rng: random.Random) -> list[Any]:
    """The values ``symbol`` takes in joint extremes.

    A length takes its smallest hard value (K = 2, one sample) and a random
    one: its largest (K = 40) is among the one-at-a-time hard points, and
    every vector at K = 40 in every combination would cost twenty times the
    work for no new boundary.  A variable without hard values (a one-hot
    label at a drawn class) is drawn.
    """
    kind = domain.kinds[symbol]
    hard = list(kind.hard(point))
    if symbol in _sizes(domain) and hard:
        return [min(hard), kind.draw(rng, point)]
    return hard or [kind.draw(rng, point)]


def joint_extremes(domain: Domain, rng: random.Random, budget: int) -> list[Point]:
    """The hard values of all variables combined: every combination if they fit in ``budget``, else a random subset."""
    if budget <= 0:
        return []
    base = domain.draw(rng)
    counts = [len(_hard_values(domain, symbol, base, rng)) for symbol in domain.kinds]
    if math.prod(counts) <= budget:
        return _every_combination(domain, rng)
    out = []
    for _ in range(budget):
        point: Point = {}
        for symbol in domain.kinds:
            point[symbol] = _copy(rng.choice(_hard_values(domain, symbol, point, rng)))
        out.append(point)
    return out


def _every_combination(domain: Domain, rng: random.Random) -> list[Point]:
    out: list[Point] = []
    symbols = list(domain.kinds)

    def extend(point: Point, position: int) -> None:
        if position == len(symbols):
            out.append({s: _copy(v) for s, v in point.items()})
            return
        symbol = symbols[position]
        for value in _hard_values(domain, symbol, point, rng):
            point[symbol] = value
            extend(point, position + 1)
        point.pop(symbol, None)

    extend({}, 0)
    return out


def same_kind_pairs(domain: Domain) -> list[tuple[Any, Any]]:
    """Pairs of variables declared with the very same kind (p and q both probability vectors)."""
    symbols = list(domain.kinds)
    return [(a, b) for n, a in enumerate(symbols) for b in symbols[n + 1 :] if domain.kinds[a] is domain.kinds[b]]


def coincidences(domain: Domain, rng: random.Random, budget: int) -> list[Point]:
    """Points where two variables of the same kind are equal: at random values and at each hard value."""
    out: list[Point] = []
    for a, b in same_kind_pairs(domain):
        copy_a: Callable[[Point], Any] = lambda pt, a=a: _copy(pt[a])
        out.append(domain.draw(rng, pin={b: copy_a}))
        out.append(domain.draw(rng, pin={b: copy_a}))
        base = domain.draw(rng)
        # The sizes stay those of ``base``, for which the hard values were made.
        sizes = {s: v for s, v in base.items() if s is domain.size or s == domain.kinds[a].length}
        for value in domain.kinds[a].hard(base):
            out.append(domain.draw(rng, pin={**sizes, a: _copy(value), b: copy_a}))
    return out[:budget]


def approaching(domain: Domain, cases: list[Point], pins: Mapping[Any, Any], rng: random.Random) -> list[Point]:
    """Each point of ``cases`` with its pinned variables moved towards random values by 1e-3, 1e-6, 1e-9.

    The move is a convex combination, so a probability (vector) stays one;
    it is computed at 80 digits, so a vector still sums to 1 far below the
    verifier's tolerance.
    """
    out = []
    with mpmath.workdps(80):
        for case in cases:
            for text in APPROACH:
                t = mpmath.mpf(text)
                other = domain.draw(rng, pin={s: _copy(v) for s, v in case.items() if s not in pins})
                moved = dict(case)
                for symbol in pins:
                    moved[symbol] = _mix(case[symbol], other[symbol], t)
                out.append(moved)
    return out


def _mix(at: Any, towards: Any, t: Any) -> Any:
    if isinstance(at, list):
        return [None, *((1 - t) * a + t * b for a, b in zip(at[1:], towards[1:], strict=True))]
    if isinstance(at, int) and isinstance(towards, int):
        return at  # a whole number cannot move a little
    return (1 - t) * at + t * towards
