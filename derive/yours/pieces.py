"""Piecewise-smooth losses: split a loss into smooth pieces, find its kinks, say what holds at them.

``Abs``, ``Max``, ``Min``, ``sign``, ``Heaviside`` and ``Piecewise`` in a loss
are written out as one ``Piecewise`` whose pieces are smooth expressions
(:func:`to_pieces`, then SymPy's ``piecewise_fold``); conditions are kept as
the user wrote them.  Each piece gets its *region*: its own condition and the
negation of every earlier one, the order in which a ``Piecewise`` decides.

A *kink* is where the prediction crosses the boundary of a condition and the
piece in force changes: the boundary relation solved for the prediction,
kept where two different pieces meet at sampled points.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> delta = sp.Symbol("delta", positive=True)
>>> whole, pieces = split_pieces(sp.Max(0, 1 - y * x))
>>> whole
Piecewise((0, x*y >= 1), (-x*y + 1, True))
>>> [piece.region for piece in pieces]
[x*y >= 1, x*y < 1]
>>> split_pieces(sp.Piecewise((x, x > 0)))
Traceback (most recent call last):
...
derive.errors.ThroughError: a Piecewise needs a default piece, (EXPR, True) last: the loss must be defined everywhere
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from derive.errors import EvaluationError, ThroughError
from derive.model.domain import Domain
from derive.verify.evaluate import compile_expr

# The functions that make a loss piecewise; each is written out as a Piecewise.
PIECEWISE_FUNCTIONS: tuple[type, ...] = (sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside, sp.Piecewise)
# Pieces of these kinds have no useful derivative (constant between jumps, or not real): always refused.
REFUSED: tuple[type, ...] = (sp.floor, sp.ceiling, sp.frac, sp.re, sp.im, sp.arg)


@dataclass(frozen=True)
class Piece:
    """One smooth piece of a loss: its expression, its condition as written, and its region."""

    number: int
    expr: sp.Expr
    condition: sp.Basic
    region: sp.Basic

    @property
    def single_point(self) -> bool:
        """True for a piece that holds on a boundary only (``sign(0)``, ``Heaviside(0)``)."""
        return self.region.atoms(sp.Eq) != set() and not self.region.atoms(sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Ne)


def is_piecewise_in(loss: sp.Expr, prediction: Any) -> bool:
    """Whether a piecewise function of the loss depends on the prediction.

    >>> x, y = sp.symbols("x y", real=True)
    >>> is_piecewise_in(sp.Abs(x - y), x), is_piecewise_in(sp.Abs(y) * x, x)
    (True, False)
    """
    return any(part.has(prediction) for part in loss.atoms(*PIECEWISE_FUNCTIONS))


def to_pieces(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every piecewise function written as a ``Piecewise`` (conditions left as they are).

    >>> x = sp.Symbol("x", real=True)
    >>> to_pieces(sp.Abs(x))
    Piecewise((x, x >= 0), (-x, True))
    >>> to_pieces(sp.Heaviside(x))
    Piecewise((1, x > 0), (0, x < 0), (1/2, True))
    """
    if not isinstance(expr, sp.Basic) or expr.is_Atom or isinstance(expr, (sp.Indexed, sp.IndexedBase)):
        return expr
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((to_pieces(e), c) for e, c in expr.args))
    args = [to_pieces(arg) for arg in expr.args]
    if isinstance(expr, sp.Abs):
        (u,) = args
        return sp.Piecewise((u, u >= 0), (-u, True))
    if isinstance(expr, sp.sign):
        (u,) = args
        return sp.Piecewise((1, u > 0), (-1, u < 0), (0, True))
    if isinstance(expr, sp.Heaviside):
        u = args[0]
        return sp.Piecewise((1, u > 0), (0, u < 0), (sp.Rational(1, 2), True))
    if isinstance(expr, (sp.Max, sp.Min)):
        first, *rest = args
        out = first
        for other in rest:
            keep = out >= other if isinstance(expr, sp.Max) else out <= other
            out = sp.Piecewise((out, keep), (other, True))
        return out
    if isinstance(expr, (sp.Sum, sp.Product)):
        return expr.func(args[0], *expr.args[1:])
    return expr.func(*args)


def split_pieces(loss: sp.Expr) -> tuple[sp.Expr, list[Piece]]:
    """The loss as one ``Piecewise`` of smooth pieces, and the pieces with their regions."""
    for piecewise in loss.atoms(sp.Piecewise):
        if piecewise.args[-1].cond is not sp.true:
            raise ThroughError(
                "a Piecewise needs a default piece, (EXPR, True) last: the loss must be defined everywhere"
            )
    whole = sp.piecewise_fold(to_pieces(loss))
    if not isinstance(whole, sp.Piecewise):
        return whole, [Piece(1, whole, sp.true, sp.true)]
    kept: list[tuple[sp.Expr, sp.Basic, sp.Basic]] = []
    earlier: list[sp.Basic] = []
    for expr, condition in whole.args:
        region = sp.And(*(sp.Not(c) for c in earlier), condition)
        earlier.append(condition)
        if not _empty(region):
            kept.append((expr, condition, region))
    if len(kept) < len(whole.args):  # a piece that never applies is dropped: the function is the same
        last = len(kept) - 1
        whole = sp.Piecewise(*((e, sp.true if n == last else c) for n, (e, c, _) in enumerate(kept)))
        if not isinstance(whole, sp.Piecewise):
            return whole, [Piece(1, whole, sp.true, sp.true)]
    pieces = [Piece(n, e, c, r) for n, (e, c, r) in enumerate(kept, 1)]
    for piece in pieces:
        for refused in piece.expr.atoms(*REFUSED):
            raise ThroughError(f"{refused} has no derivative worth stating: it is constant between jumps")
    return whole, pieces


def _empty(region: sp.Basic) -> bool:
    """True when ``region`` is provably empty: False, or a condition on one variable whose set is empty."""
    if region is sp.false:
        return True
    free = region.free_symbols
    if len(free) != 1 or region.atoms(sp.Indexed):
        return False
    try:
        return region.as_set() is sp.S.EmptySet
    except (NotImplementedError, TypeError, ValueError):
        return False


def boundaries(pieces: Sequence[Piece], prediction: sp.Symbol) -> list[sp.Expr]:
    """Where a condition's boundary is crossed, as values of the prediction (each solved from ``lhs = rhs``)."""
    out: list[sp.Expr] = []
    relations: set[sp.Basic] = set()
    for piece in pieces:
        relations |= piece.condition.atoms(sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne)
    for relation in sorted(relations, key=sp.default_sort_key):
        if not relation.has(prediction):
            continue
        try:
            solutions = sp.solve(sp.Eq(relation.lhs, relation.rhs), prediction)
        except (NotImplementedError, ValueError, TypeError):
            raise ThroughError(f"cannot solve the boundary {relation} for the prediction {prediction}") from None
        for solution in solutions:
            if solution not in out and not solution.has(sp.I):
                out.append(solution)
    return out


@dataclass(frozen=True)
class Kink:
    """A value of the prediction where the piece in force changes: ``below`` is in force just under it."""

    at: sp.Expr
    below: Piece
    above: Piece
    ordered: bool  # the same piece is below at every sampled point (otherwise it depends on other variables)
    continuous: bool
    differentiable: bool
    convex: bool  # the slope from below never exceeds the slope from above (at the sampled points)
    finite: bool = True  # both one-sided slopes are finite numbers at the kink (else they are limits)


def find_kinks(
    whole: sp.Expr,
    pieces: Sequence[Piece],
    slopes: Sequence[sp.Expr],
    prediction: sp.Symbol,
    domain: Domain,
    within: tuple[Any, Any] | None = None,
) -> list[Kink]:
    """The kinks of ``whole`` in the prediction, found at sampled points of ``domain``.

    ``slopes[n]`` is the derivative of ``pieces[n]`` in the prediction;
    ``within`` bounds the prediction (a probability lies in (0, 1)).
    """
    if not isinstance(whole, sp.Piecewise):
        return []
    conditions = [compile_expr(piece.region) for piece in pieces]
    values = [compile_expr(piece.expr) for piece in pieces]
    slope_fns = [compile_expr(slope) for slope in slopes]
    kinks: list[Kink] = []
    with mpmath.workdps(30):
        points = domain.points(60, seed=3)
        for at in boundaries(pieces, prediction):
            where = compile_expr(at)
            seen: dict[tuple[int, int], dict[str, bool]] = {}
            for point in points:
                env = {k: (list(v) if isinstance(v, list) else v) for k, v in point.items()}
                try:
                    kink = where(env)
                    if not isinstance(kink, mpmath.mpf) and not isinstance(kink, int):
                        continue
                    if within and not within[0] < kink < within[1]:
                        continue
                    step = mpmath.mpf("1e-12") * max(1, abs(kink))
                    sides = []
                    for value in (kink - step, kink + step):
                        env[prediction] = value
                        sides.append(next(n for n, fn in enumerate(conditions) if fn(env)))
                    lo, hi = sides
                    if lo == hi:
                        continue
                    env[prediction] = kink
                    facts = seen.setdefault(
                        (lo, hi), {"continuous": True, "differentiable": True, "convex": True, "finite": True}
                    )
                    try:
                        below, above = slope_fns[lo](env), slope_fns[hi](env)
                        finite = all(isinstance(v, (int, mpmath.mpf)) and mpmath.isfinite(v) for v in (below, above))
                    except (EvaluationError, ZeroDivisionError, ValueError, OverflowError, TypeError):
                        finite = False
                    if not finite:
                        facts["finite"] = False
                        continue
                    gap = abs(values[lo](env) - values[hi](env))
                    jump = above - below
                    scale = max(1, abs(below), abs(above))
                    facts["continuous"] &= bool(gap < mpmath.mpf("1e-20") * max(1, abs(values[lo](env))))
                    facts["differentiable"] &= bool(abs(jump) < mpmath.mpf("1e-20") * scale)
                    facts["convex"] &= bool(jump > -mpmath.mpf("1e-20") * scale)
                except (EvaluationError, ZeroDivisionError, ValueError, OverflowError, TypeError, StopIteration):
                    continue
            pairs = {tuple(sorted(pair)) for pair in seen}
            for pair in sorted(pairs):
                ordered_pairs = [p for p in seen if tuple(sorted(p)) == pair]
                ordered = len(ordered_pairs) == 1
                lo, hi = ordered_pairs[0] if ordered else pair
                facts = {
                    key: all(seen[p][key] for p in ordered_pairs) for key in ("continuous", "differentiable", "finite")
                }
                convex = ordered and seen[(lo, hi)]["convex"]
                kinks.append(
                    Kink(
                        at,
                        pieces[lo],
                        pieces[hi],
                        ordered,
                        facts["continuous"],
                        facts["differentiable"],
                        convex,
                        facts["finite"],
                    )
                )
    return kinks


def away_from_kinks(loss: sp.Expr, size: sp.Expr) -> sp.Basic | None:
    """A region (for :mod:`derive.verify.regions`) of the points where no condition of ``loss`` is near its boundary.

    For losses of probability vectors: a condition on ``a[k]`` inside a sum over ``k`` is near its boundary
    if it is for any class, so the region counts the classes near a kink (a sum over ``k``) and asks for none.
    None when the loss has no conditions.

    >>> from derive.model.symbols import K, av, k
    >>> away_from_kinks(sp.Sum(sp.Piecewise((0, av[k] <= sp.Rational(1, 10)), (av[k], True)), (k, 1, K)), K)
    Sum(Piecewise((1, Abs(a[k] - 1/10) < Max(1, a[k])/1000000), (0, True)), (k, 1, K)) < 1/2
    """
    margin = sp.Rational(1, 10**6)  # as derive.verify.regions.MARGIN: a finite difference never crosses a kink
    near: list[sp.Expr] = []
    for piecewise in loss.atoms(sp.Piecewise):
        relations = set()
        for _, condition in piecewise.args:
            relations |= condition.atoms(sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne)
        for relation in sorted(relations, key=sp.default_sort_key):
            scale = sp.Max(1, sp.Abs(relation.lhs), sp.Abs(relation.rhs))
            close = sp.Piecewise((1, sp.Abs(relation.lhs - relation.rhs) < margin * scale), (0, True))
            bound = [s for s in _summed_over(loss, piecewise) if relation.has(s)]
            for index in bound:
                close = sp.Sum(close, (index, 1, size))
            near.append(close)
    if not near:
        return None
    return sp.Lt(sp.Add(*near), sp.Rational(1, 2))


def _summed_over(loss: sp.Expr, part: sp.Expr) -> list[sp.Symbol]:
    """The indices of the sums of ``loss`` that hold ``part``."""
    return [limit[0] for s in loss.atoms(sp.Sum) if s.function.has(part) for limit in s.limits]
