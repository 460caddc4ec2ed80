"""Proofs of inequalities over the whole domain, by interval bisection in arb.

An inequality whose variables are all scalars of kinds that are images of
the unit interval (a logit is logit(t), a probability or a label is t, a
positive number t / (1 - t), a value between lo and hi is lo + (hi - lo) t)
is rewritten in those t: the activations to ``exp``, derivatives taken by
SymPy, ``exp(z)`` as ``t / (1 - t)``, and the gap between the two sides
factored (so a square is evaluated as a square).  The unit box is then cut
in halves until, on every piece, the balls prove the gap non-negative (or
positive, for a strict inequality).  The pieces are closed boxes, so a proof
holds on the closed box, the open domain included.

Where the derivation states an equality case at a single point (z = 0), a
small box around it (half-width :data:`EXCLUDED`) is left out: there the two
sides meet, and no interval can show a gap that is zero.  The verifier
checks that box at points (equality at the case, the inequality
approaching it), and the proof says what it left out.

Nothing is claimed when a piece is undecided after :data:`MAX_BOXES`
evaluations, or an expression cannot be brought into the box.

>>> import sympy as sp
>>> from derive.model.activations import sigmoid
>>> from derive.model.domain import LOGIT, Domain
>>> z = sp.Symbol("z", real=True)
>>> prove_inequality(sp.Le(sp.Derivative(sigmoid(z), z), sp.Rational(1, 4)), Domain({z: LOGIT}))
'bisection of the unit box in arb (`z = logit(t)`), 1 box'
>>> prove_inequality(sp.Le(sp.Derivative(sigmoid(z), z), sp.Rational(1, 5)), Domain({z: LOGIT}))
''
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp
from flint import arb

from derive.errors import DeriveError
from derive.model.activations import in_exp
from derive.model.domain import Domain
from derive.verify.evaluate import compile_expr
from derive.verify.numbers import ARB
from derive.verify.prove import time_limit

MAX_BOXES = 4000  # evaluations of the gap per relation
EXCLUDED = sp.Rational(1, 1000)  # half-width of the box left out around a stated equality case, in t
SECONDS = 1.0  # CPU seconds for the rewriting into the box
BITS = 128


def _map(symbol: sp.Symbol, box: tuple[Any, ...], t: sp.Symbol) -> tuple[sp.Expr, str]:
    """``symbol`` as a function of ``t`` in [0, 1], and how that reads."""
    if box[0] == "logit":
        return sp.log(t) - sp.log(1 - t), f"{symbol} = logit({t})"
    if box[0] == "unit":
        return t, f"{symbol} = {t}"
    if box[0] == "positive":
        return t / (1 - t), f"{symbol} = {t}/(1 - {t})"
    lo, hi = sp.nsimplify(box[1]), sp.nsimplify(box[2])
    return lo + (hi - lo) * t, f"{symbol} = {lo} + {hi - lo}*{t}"


def _gap(relation: sp.Basic, mapping: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """rhs - lhs for <, <=; lhs - rhs for >, >=: non-negative where the relation holds; in the box variables."""
    expr = relation.rhs - relation.lhs if isinstance(relation, (sp.Lt, sp.Le)) else relation.lhs - relation.rhs
    expr = in_exp(expr).doit()
    expr = sp.expand_log(expr.subs(mapping))
    expr = sp.powsimp(sp.expand(expr.rewrite(sp.exp)))
    return sp.factor(sp.cancel(sp.together(expr)))


def _excluded(domain: Domain, cases: Sequence[Mapping[Any, Any]], boxes: dict[Any, sp.Symbol]) -> dict[sp.Symbol, Any]:
    """The centre (in t) of the box left out around each single-point equality case."""
    centres: dict[sp.Symbol, Any] = {}
    for case in cases:
        for symbol, value in case.items():
            if symbol not in boxes or not sp.sympify(value).is_number:
                continue
            inverse = sp.solve(sp.Eq(_map(symbol, domain.kinds[symbol].box, boxes[symbol])[0], value), boxes[symbol])
            inside = [c for c in inverse if c.is_real and 0 < c < 1]
            if inside:
                centres[boxes[symbol]] = inside[0]
    return centres


def prove_inequality(relation: sp.Basic, domain: Domain, equality_cases: Sequence[Mapping[Any, Any]] = ()) -> str:
    """Prove ``relation`` on its whole domain by bisection; return how (for the report), or ``""`` if not proved."""
    variables = [s for s in relation.free_symbols if s in domain.kinds]
    if relation.has(sp.Indexed, sp.Sum, sp.Product, sp.Limit, sp.Subs, sp.Abs) or not variables:
        return ""
    if any(domain.kinds[s].box is None for s in variables) or len(variables) > 3:
        return ""
    boxes = {s: sp.Symbol(f"t_{s}", positive=True) for s in variables}
    mapping, shown = {}, []
    for symbol in variables:
        mapping[symbol], words = _map(symbol, domain.kinds[symbol].box, boxes[symbol])
        shown.append(f"`{words.replace(f't_{symbol}', 't')}`")
    try:
        with time_limit(SECONDS):
            gap = _gap(relation, mapping)
            centres = _excluded(domain, equality_cases, boxes)
    except (DeriveError, NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
        return ""
    if gap.free_symbols - set(boxes.values()) or gap.has(sp.zoo, sp.nan, sp.oo):
        return ""
    strict = isinstance(relation, (sp.Lt, sp.Gt))
    order = list(boxes.values())
    # An even power is non-negative by itself: only the other factors need a
    # sign from the balls (and, for a strict inequality, the even ones must not vanish).
    signed, squared = [], []
    open_ends = {boxes[s] for s in variables if domain.kinds[s].box != ("unit",)}
    for factor in sp.Mul.make_args(gap):
        power = factor.exp if isinstance(factor, sp.Pow) and factor.exp.is_integer else 1
        base = factor.base if power != 1 else factor
        if base in open_ends or (1 - base) in open_ends:
            continue  # t and 1 - t are positive inside an open interval, whatever their power
        if (base + 1) in open_ends:
            signed.append(sp.Integer(-1) ** power)  # t - 1 is negative there
            continue
        if isinstance(factor, sp.Pow) and factor.exp.is_integer and factor.exp.is_even and factor.exp > 0:
            squared.append(factor.base)
        else:
            signed.append(factor)
    evaluate_signed = compile_expr(sp.Mul(*signed), ARB)
    evaluate_squared = [compile_expr(base, ARB) for base in squared] if strict else []
    with ARB.precision(BITS):
        count = _bisect(evaluate_signed, evaluate_squared, order, strict, centres)
    if count is None:
        return ""
    count, skipped = count
    how = f"bisection of the unit box in arb ({', '.join(shown)}), {count} box{'es' if count != 1 else ''}"
    if skipped:
        left_out = ", ".join(f"`|t - {c}| < {EXCLUDED}` for {str(t).removeprefix('t_')}" for t, c in centres.items())
        how += f", except {left_out} around the stated equality case (checked at points)"
    return how


def _ball(evaluate: Any, env: dict[Any, Any]) -> arb:
    try:
        value = ARB.convert(evaluate(env))
    except DeriveError:
        return arb("nan")
    return arb(value) if type(value) is int else value


def _bisect(
    evaluate: Any, nonzero: list[Any], order: list[sp.Symbol], strict: bool, centres: Mapping[sp.Symbol, Any]
) -> tuple[int, int] | None:
    """The number of boxes that prove the gap non-negative (positive), and of boxes left out; or None.

    ``evaluate`` gives the factors that need a sign; ``nonzero`` the bases of
    the even powers, which must not vanish for a strict inequality.
    """
    # Endpoints are floats: halving keeps them exact (dyadic), down to the 2^-40 floor.
    stack = [tuple((0.0, 1.0) for _ in order)]
    proved = evaluations = skipped = 0
    while stack:
        box = stack.pop()
        if _inside_excluded(box, order, centres):
            skipped += 1
            continue
        evaluations += 1
        if evaluations > MAX_BOXES:
            return None
        env = {t: arb((lo + hi) / 2) + arb(0, (hi - lo) / 2) for t, (lo, hi) in zip(order, box, strict=True)}
        value = _ball(evaluate, env)
        bases = [_ball(base, env) for base in nonzero]
        if all(b.is_finite() and (b > 0 or b < 0) for b in bases) and (value > 0 if strict else value >= 0):
            proved += 1
            continue
        if value.is_finite() and value.upper() < 0:
            return None  # a whole box where it fails: the numeric check will say where
        widest = max(range(len(order)), key=lambda n: box[n][1] - box[n][0])
        lo, hi = box[widest]
        if hi - lo < 2.0**-40:
            return None
        middle = (lo + hi) / 2
        stack.append((*box[:widest], (lo, middle), *box[widest + 1 :]))
        stack.append((*box[:widest], (middle, hi), *box[widest + 1 :]))
    return proved, skipped


def _inside_excluded(box: tuple[Any, ...], order: list[sp.Symbol], centres: Mapping[sp.Symbol, Any]) -> bool:
    for t, (lo, hi) in zip(order, box, strict=True):
        centre = centres.get(t)
        if centre is not None and float(centre - EXCLUDED) <= lo and hi <= float(centre + EXCLUDED):
            return True
    return False
