"""What a piecewise loss's derivation states at each kink: the one-sided slopes, continuity, and the verdict.

At a kink two pieces meet.  The slope of each piece there is a one-sided
derivative of the loss, checked by finite differences of that smooth piece.
If they agree the loss is differentiable there; if the slope from below is the
smaller (at every sampled point) the corner is convex and every value between
them is a subgradient, stated as an inequality; otherwise the jump is stated.
A kink where a one-sided slope is not a finite number (a limit such as zero
times infinity) gets no statement, and the summary says so.

>>> import sympy as sp
>>> kink_words([])
'The pieces meet where no slope changes, so the gradient exists everywhere.'
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Step, eq
from derive.yours.pieces import Kink, Piece


def _defined(at: sp.Expr, activation: str) -> sp.Basic | None:
    """Where the kink ``at`` exists: its denominators are not zero, and a probability lies in (0, 1)."""
    conditions = [sp.Ne(den, 0) for den in _denominators(at)]
    if activation == "sigmoid":
        conditions += [sp.Gt(at, 0), sp.Lt(at, 1)]
    region = sp.And(*conditions)
    return None if region is sp.true else region


def _denominators(expr: sp.Expr) -> list[sp.Expr]:
    out = []
    for power in expr.atoms(sp.Pow):
        if power.exp.is_negative:
            out.append(power.base)
    return out


def kink_statements(kinks: list[Kink], a: sp.Symbol, activation: str) -> tuple[list[Step], list[Step]]:
    steps: list[Step] = []
    results: list[Step] = []
    for kink in kinks:
        if not kink.finite:
            continue  # a one-sided slope there is a limit (such as 0 times infinity): not stated
        region = _defined(kink.at, activation)

        def one_sided(piece: Piece, at: sp.Expr = kink.at) -> sp.Expr:
            return sp.Subs(sp.Derivative(piece.expr, a), a, at)

        def value(piece: Piece, at: sp.Expr = kink.at) -> sp.Expr:
            return sp.diff(piece.expr, a).subs(a, at)

        below, above = kink.below, kink.above
        side = ("from below", "from above") if kink.ordered else ("on one side", "on the other")
        for words, piece in zip(side, (below, above), strict=True):
            steps.append(
                Step(
                    eq(one_sided(piece), value(piece)),
                    f"at the kink, {words}: the slope of piece {piece.number}, whose region ends there",
                    region=region,
                )
            )
        if kink.continuous:
            steps.append(
                Step(
                    eq(sp.Subs(below.expr, a, kink.at), sp.Subs(above.expr, a, kink.at)),
                    f"pieces {below.number} and {above.number} meet at the kink: the loss is continuous there",
                    region=region,
                )
            )
        if kink.differentiable:
            results.append(
                Step(
                    eq(one_sided(below), one_sided(above)),
                    "at the kink both one-sided slopes are equal: the loss is differentiable there too",
                    region=region,
                )
            )
        elif kink.convex:
            results.append(
                Step(
                    sp.Le(one_sided(below), one_sided(above), evaluate=False),
                    "at the kink the slope from below is the smaller: a convex corner, where every value "
                    "between the two one-sided slopes is a subgradient",
                    region=region,
                )
            )
        else:
            results.append(
                Step(
                    eq(one_sided(above) - one_sided(below), sp.expand(value(above) - value(below))),
                    "at the kink the one-sided slopes differ by this jump: no gradient exists there",
                    region=region,
                )
            )
    return steps, results


def kink_words(kinks: list[Kink]) -> str:
    if not kinks:
        return "The pieces meet where no slope changes, so the gradient exists everywhere."
    limits = sum(1 for k in kinks if not k.finite)
    smooth = sum(1 for k in kinks if k.differentiable and k.finite)
    corners = len(kinks) - smooth - limits
    parts = []
    if limits:
        parts.append(f"at {_kinks(limits)} a one-sided slope is a limit that the derivation does not state")
    if smooth:
        parts.append(f"at {_kinks(smooth)} the one-sided slopes agree (differentiable there)")
    if corners:
        parts.append(
            f"at {_kinks(corners)} the one-sided slopes differ, stated as results: the subgradients at a convex corner "
            "are the values between them"
        )
    return "The kinks are where a piece's region ends: " + "; ".join(parts) + "."


def _kinks(count: int) -> str:
    return f"{count} kink" if count == 1 else f"{count} kinks"
