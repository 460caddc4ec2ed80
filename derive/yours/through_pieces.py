"""A piecewise-smooth loss through the sigmoid or the identity: the gradient piece by piece, and its kinks.

Called by :func:`derive.gradient_through` when ``Abs``, ``Max``, ``Min``,
``sign``, ``Heaviside`` or ``Piecewise`` in the loss depend on the prediction.
The derivation writes the loss as pieces (:mod:`derive.yours.pieces`),
differentiates each piece on its own region, applies the shared chain rule
(:mod:`derive.recipes.chain_rule`) to the piecewise slope, simplifies each
piece, and states the gradient as a ``Piecewise`` with the pieces' conditions.
Every step holding a finite difference carries its region, so the verifier
draws its points inside it, away from the kinks.  At each kink it states the
two one-sided slopes (each checked by finite differences of its own smooth
piece), and whether they agree (differentiable), or the slope from below is
the smaller (a convex corner: every value between them is a subgradient), or
they jump.

>>> import sympy as sp
>>> x, y = sp.Symbol("a", real=True), sp.Symbol("y", real=True)
>>> delta = sp.Symbol("delta", positive=True)
>>> huber = sp.Piecewise(((x - y) ** 2 / 2, sp.Abs(x - y) <= delta), (delta * (sp.Abs(x - y) - delta / 2), True))
>>> from derive.yours.through import gradient_through
>>> d = gradient_through(huber, x, "identity", name="huber")
>>> d.result.rhs
Piecewise((-y + z, delta >= Abs(y - z)), (delta, y - z <= 0), (-delta, True))
>>> d.check(points=30).passed
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import LOGIT, Kind
from derive.model.symbols import z
from derive.recipes.chain_rule import scalar_chain
from derive.yours.infer_kinds import candidates, describe_kinds, first_feasible, roles
from derive.yours.pieces import Kink, Piece, find_kinks, split_pieces


def through_pieces(
    loss: sp.Expr, a: sp.Symbol, activation: str, name: str, title: str, kinds: dict[Any, Kind]
) -> Derivation:
    """The derivation of d(loss)/dz for a piecewise-smooth loss; see the module doc."""
    from derive.yours.through import _as_tanh, _group_by_label, _no_derivative, _scalar_roles, _simplest

    labels, _, parameters = roles(loss, a, (), kinds)
    whole, pieces = split_pieces(loss)
    smooth = [piece for piece in pieces if not piece.single_point]
    chain = scalar_chain(whole, a, activation)
    activated = chain.activated
    slopes = [_no_derivative(sp.diff(piece.expr, a), a) for piece in smooth]
    dloss = sp.Piecewise(*((slope, piece.condition) for slope, piece in zip(slopes, smooth, strict=True)))
    if smooth[-1].condition is not sp.true:  # the default was a single point: the last region stands in
        dloss = sp.Piecewise(*dloss.args[:-1], (dloss.args[-1].expr, True))
    composed = loss.subs(a, activated)
    gradient = sp.Derivative(composed, z)
    in_z = {a: activated}
    away_in_a = sp.Or(*(piece.region for piece in smooth))
    away_in_z = away_in_a.subs(in_z)

    choices = {s: ([kinds[s]] if s in kinds else candidates(activation, role)) for s, role in _scalar_roles(a, labels)}
    tie = (lambda chosen: {z: LOGIT}) if activation == "sigmoid" else (lambda chosen: {z: chosen[a]})
    fixed = {z: kinds.get(z, LOGIT), **parameters}
    domain = first_feasible(fixed, choices, [loss, dloss, composed], tie)

    steps: list[Step] = []
    if activation == "sigmoid":
        steps.append(
            Step(eq(activated, activated.rewrite(sp.exp)), f"the prediction {{{a}}} is the sigmoid of the logit {{z}}")
        )
    if whole != loss:
        steps.append(Step(eq(loss, whole), "write the loss piece by piece, each piece a smooth expression"))
    for piece, slope in zip(smooth, slopes, strict=True):
        steps.append(
            Step(
                eq(sp.Derivative(piece.expr, a), slope),
                f"on piece {piece.number}, differentiate with respect to the prediction {{{a}}}",
                region=piece.region,
            )
        )
    steps.append(
        Step(
            eq(sp.Derivative(whole, a), dloss),
            "between the kinks, the loss's slope is the slope of the piece in force",
            region=away_in_a,
            symbolic=False,
        )
    )
    slope_of_activation = chain.slope
    if activation == "sigmoid":
        chained = dloss.subs(a, activated) * sp.Derivative(activated, z)
        substituted = chain.substituted
        steps += [
            Step(
                eq(gradient, chained),
                "chain rule: the loss's slope in the prediction times its slope in the logit",
                region=away_in_z,
                symbolic=False,
            ),
            Step(
                eq(gradient, substituted),
                "substitute the sigmoid's derivative, from `sigmoid_derivative`",
                region=away_in_z,
                symbolic=False,
            ),
        ]
        slope_words = "multiply the sigmoid's slope into each term and group the terms by label"
    else:
        substituted = dloss.subs(a, z)
        steps.append(
            Step(
                eq(gradient, substituted),
                f"the prediction {{{a}}} is the logit itself, so its slope in the logit is one",
                region=away_in_z,
                symbolic=False,
            )
        )
        slope_words = "group the terms by label"

    closed_pieces = []
    for slope, piece in zip(slopes, smooth, strict=True):
        product = sp.expand(slope * slope_of_activation) if activation == "sigmoid" else slope
        forms = [
            ("", slope * slope_of_activation),
            ("", sp.factor_terms(product)),
            ("", sp.cancel(product)),
            ("", sp.factor(sp.cancel(product))),
            ("", _as_tanh(sp.cancel(product))),
            (slope_words, _group_by_label([t * slope_of_activation for t in sp.Add.make_args(slope)], labels)),
        ]
        _, best = _simplest(forms)
        closed_pieces.append((best.subs(a, activated), piece.condition.subs(in_z)))
    if closed_pieces[-1][1] is not sp.true:
        closed_pieces[-1] = (closed_pieces[-1][0], sp.true)
    closed = sp.Piecewise(*closed_pieces)
    if closed != substituted:
        steps.append(Step(eq(substituted, closed), "simplify each piece on its own", symbolic=False))
    result = Step(
        eq(gradient, closed),
        "the gradient with respect to the logit {z}, piece by piece, between the kinks",
        region=away_in_z,
        symbolic=False,
    )
    within = (0, 1) if activation == "sigmoid" else None
    kinks = find_kinks(whole, smooth, slopes, a, domain, within)
    kink_steps, kink_results = _kink_steps(kinks, a, activation)
    steps += kink_steps
    uses = ("sigmoid_derivative",) if activation == "sigmoid" else ()
    prediction = "the sigmoid of the logit" if activation == "sigmoid" else "the logit itself"
    summary = (
        f"The gradient with respect to the logit of a piecewise-smooth loss of the prediction {{{a}}}, which is "
        f"{prediction}, derived by `gradient_through`: the loss has {len(smooth)} smooth pieces; each is "
        "differentiated and checked on its own region, and the gradient is stated piece by piece. "
        + _kink_words(kinks)
        + " "
        + describe_kinds(domain, [s for s in choices if s not in kinds])
    ).strip()
    return Derivation(name, title, domain, tuple(steps), (result, *kink_results), uses, summary)


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


def _kink_steps(kinks: list[Kink], a: sp.Symbol, activation: str) -> tuple[list[Step], list[Step]]:
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


def _kink_words(kinks: list[Kink]) -> str:
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
