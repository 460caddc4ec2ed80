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
Piecewise((-y + z, delta >= Abs(y - z)), (delta, y <= z), (-delta, True))
>>> d.check(points=30).passed
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import LOGIT, Kind
from derive.model.symbols import K, z
from derive.recipes.chain_rule import as_softmax, scalar_chain
from derive.yours.infer_kinds import candidates, describe_kinds, first_feasible, roles
from derive.yours.kink_steps import kink_statements, kink_words
from derive.yours.pieces import away_from_kinks, find_kinks, is_piecewise_in, split_pieces, to_pieces

PIECEWISE_THROUGH_SOFTMAX = (
    "The loss is piecewise in the probabilities: it is differentiated piece by piece, and each relation holding "
    "a derivative of it is checked only at points where no class's probability lies within a millionth of a "
    "kink; the one-sided slopes at the kinks are not stated through softmax. "
)


def softmax_pieces(loss: sp.Expr, av: sp.IndexedBase) -> tuple[sp.Expr, sp.Basic | None, sp.Basic | None]:
    """For a loss of softmax probabilities: the loss to differentiate (piecewise functions written as
    ``Piecewise``) and the regions away from its kinks, in the probabilities and in the logits (None if smooth).
    """
    if not is_piecewise_in(loss, av):
        return loss, None, None
    split_pieces(loss)  # refuses a Piecewise without a default piece
    work = to_pieces(loss)
    region_a = away_from_kinks(work, K)
    return work, region_a, (as_softmax(region_a, av) if region_a is not None else None)


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
    away_in_a = _away_from_boundaries(smooth)
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
        closed_pieces.append((best.subs(a, activated), solved_for(piece.condition.subs(in_z), activated)))
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
    kink_steps, kink_results = kink_statements(kinks, a, activation)
    steps += kink_steps
    uses = ("sigmoid_derivative",) if activation == "sigmoid" else ()
    prediction = "the sigmoid of the logit" if activation == "sigmoid" else "the logit itself"
    summary = (
        f"The gradient with respect to the logit of a piecewise-smooth loss of the prediction {{{a}}}, which is "
        f"{prediction}, derived by `gradient_through`: the loss has {len(smooth)} smooth pieces; each is "
        "differentiated and checked on its own region, and the gradient is stated piece by piece. "
        + kink_words(kinks)
        + " "
        + describe_kinds(domain, [s for s in choices if s not in kinds])
    ).strip()
    return Derivation(name, title, domain, tuple(steps), (result, *kink_results), uses, summary)


def solved_for(condition: sp.Basic, variable: sp.Expr) -> sp.Basic:
    """``condition`` with each relation linear in ``variable`` (with a numeric slope) solved for it.

    >>> z, y = sp.symbols("z y", real=True)
    >>> solved_for(sp.Le(y - z, 0), z), solved_for(sp.Gt(1 - 2 * z, y), z)
    (z >= y, z < 1/2 - y/2)
    """

    def solve(relation: sp.Basic) -> sp.Basic:
        if not isinstance(relation, (sp.Lt, sp.Le, sp.Gt, sp.Ge)):
            return relation
        gap = relation.lhs - relation.rhs
        slope = sp.diff(gap, variable) if isinstance(variable, sp.Symbol) else gap.coeff(variable)
        rest = sp.expand(gap - slope * variable)
        if not slope.is_Number or slope == 0 or rest.has(variable):
            return relation
        bound = -rest / slope
        flipped = {sp.Lt: sp.Gt, sp.Le: sp.Ge, sp.Gt: sp.Lt, sp.Ge: sp.Le}
        kind = flipped[type(relation)] if slope < 0 else type(relation)
        return kind(variable, bound)

    return condition.replace(lambda e: isinstance(e, (sp.Lt, sp.Le, sp.Gt, sp.Ge)), solve)


def _away_from_boundaries(pieces: list[Any]) -> sp.Basic:
    """Every point off the boundaries of the pieces' conditions: where the slope of the piece in force is the slope.

    Not the union of the pieces' regions, which SymPy folds to True (``a - y >= 0 | a - y < 0``) and so
    would let a finite difference straddle a kink (the verifier samples points where ``a = y``).
    """
    boundaries = set()
    for piece in pieces:
        boundaries |= piece.region.atoms(sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne)
    return sp.And(*(sp.Ne(r.lhs, r.rhs) for r in sorted(boundaries, key=sp.default_sort_key)))
