"""Any loss through any activation: :func:`gradient_through` derives dL/dz step by step.

The loss is a SymPy expression in the prediction (a Symbol ``a`` through
``sigmoid`` or ``identity``; an IndexedBase ``a[k]`` over classes 1..K, K
symbolic, through ``softmax``) and the label (``y``, or the vector ``y[k]``).
The derivation defines the activation, differentiates the loss in the
prediction, applies the chain rule, substitutes the activation's derivative
from the verified ``sigmoid_derivative`` or ``softmax_jacobian``, simplifies
with targeted operations (``cancel``, ``factor``, ``collect``,
``collapse_delta_sums``, ``sum_split``) and states the closed form as
``Derivative(loss of the activation, z) = ...``, so the verifier compares it
with finite differences of the composed loss.

>>> import sympy as sp
>>> from derive.model.symbols import a, y
>>> d = gradient_through(-(y * sp.log(a) + (1 - y) * sp.log(1 - a)), a, "sigmoid", name="my_bce")
>>> d.result.rhs
-y + sigmoid(z)
>>> d.check(points=40).passed
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from derive.errors import ThroughError
from derive.model.activations import softmax
from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT, LOGIT_VECTOR, Kind
from derive.model.symbols import K, i, j, k, n, z, zv
from derive.recipes.chain_rule import (
    as_softmax,
    scalar_chain,
    softmax_chain,
    split_sums_keeping_pieces,
)
from derive.recipes.sums import collapse_delta_sums, sum_split
from derive.yours.infer_kinds import candidates, check_loss, describe_kinds, first_feasible, roles
from derive.yours.pieces import is_piecewise_in
from derive.yours.readable import readable_steps
from derive.yours.through_pieces import PIECEWISE_THROUGH_SOFTMAX, softmax_pieces, through_pieces

__all__ = ["gradient_through"]

_SPARE_INDICES = (i, j, k, n, *sp.symbols("l r s t u v", integer=True, positive=True))


def gradient_through(
    loss: sp.Expr,
    prediction: sp.Symbol | sp.IndexedBase,
    activation: str,
    name: str | None = None,
    *,
    title: str | None = None,
    kinds: Mapping[Any, Kind] | None = None,
) -> Derivation:
    """The derivation of d(loss)/dz with the prediction ``activation(z)``; see the module doc.

    ``kinds`` fixes the kind of any variable (it is required for symbols other
    than the prediction, the label ``y``, ``K``, class indices and the
    parameters of :data:`derive.yours.infer_kinds.PARAMETERS`).  A loss that
    cannot be derived raises :class:`ThroughError` saying why.

    >>> from derive.model.symbols import a, y
    >>> gradient_through((a - y) ** 2 / 2, a, "identity").result.rhs
    -y + z
    >>> gradient_through(sp.Abs(a - y), a, "identity").result.rhs
    Piecewise((1, y <= z), (-1, True))
    """
    loss = check_loss(loss, prediction, activation)
    name = name or f"loss_through_{activation}"
    title = title or f"Gradient of a loss through {activation}"
    if activation == "softmax":
        loss = loss.xreplace({s: K for s in loss.free_symbols if s.name == K.name})
        return _through_softmax(loss, prediction, name, title, dict(kinds or {}))
    if is_piecewise_in(loss, prediction):
        return through_pieces(loss, prediction, activation, name, title, dict(kinds or {}))
    return _through_scalar(loss, prediction, activation, name, title, dict(kinds or {}))


def _no_derivative(derivative: sp.Expr, variable: Any) -> sp.Expr:
    """``derivative`` if SymPy carried it out; otherwise a :class:`ThroughError`."""
    if derivative.has(sp.Derivative):
        raise ThroughError(f"SymPy cannot differentiate the loss in {variable}: {derivative}")
    return derivative


def _simplest(forms: Sequence[tuple[str, sp.Expr]]) -> tuple[str, sp.Expr]:
    """The form with the fewest operations; the first on ties (so no needless step)."""
    return min(forms, key=lambda form: sp.count_ops(form[1]))


def _as_tanh(expr: sp.Expr) -> sp.Expr:
    """Replace sinh(u)/cosh(u) by tanh(u) in every product.

    >>> u = sp.Symbol("u")
    >>> _as_tanh(-2 * sp.sinh(u) / sp.cosh(u))
    -2*tanh(u)
    """

    def fix(product: sp.Expr) -> sp.Expr:
        factors = sp.Mul.make_args(product)
        for f in factors:
            if isinstance(f, sp.sinh) and 1 / sp.cosh(f.args[0]) in factors:
                return product / f * sp.cosh(f.args[0]) * sp.tanh(f.args[0])
        return product

    return expr.replace(lambda e: e.is_Mul, fix)


def _group_by_label(terms: Sequence[sp.Expr], labels: Sequence[Any]) -> sp.Expr:
    """Sum ``terms``, grouping them by their label factors (y, 1 - y) and factoring each group."""
    groups: dict[sp.Expr, sp.Expr] = {}
    for term in terms:
        label_part, rest = sp.S.One, sp.S.One
        for factor in sp.Mul.make_args(term):
            if any(factor.has(label) for label in labels):
                label_part *= factor
            else:
                rest *= factor
        groups[label_part] = groups.get(label_part, sp.S.Zero) + rest
    return sp.Add(*(label_part * sp.factor_terms(rest) for label_part, rest in groups.items()))


def _through_scalar(
    loss: sp.Expr, a: sp.Symbol, activation: str, name: str, title: str, kinds: dict[Any, Kind]
) -> Derivation:
    labels, _, parameters = roles(loss, a, (), kinds)
    chain = scalar_chain(loss, a, activation)
    activated, dloss = chain.activated, _no_derivative(chain.dloss, a)
    composed = loss.subs(a, activated)
    gradient = sp.Derivative(composed, z)
    choices = {s: ([kinds[s]] if s in kinds else candidates(activation, role)) for s, role in _scalar_roles(a, labels)}
    tie = (lambda chosen: {z: LOGIT}) if activation == "sigmoid" else (lambda chosen: {z: chosen[a]})
    fixed = {z: kinds.get(z, LOGIT), **parameters}
    domain = first_feasible(fixed, choices, [loss, dloss, composed], tie)
    steps: list[Step] = []
    slope, chained, substituted = chain.slope, chain.chained, chain.substituted
    if activation == "sigmoid":
        steps += [
            Step(eq(activated, activated.rewrite(sp.exp)), f"the prediction {{{a}}} is the sigmoid of the logit {{z}}"),
            Step(eq(sp.Derivative(loss, a), dloss), f"differentiate the loss with respect to the prediction {{{a}}}"),
            Step(eq(gradient, chained), "chain rule: the loss's slope in the prediction times its slope in the logit"),
            Step(eq(gradient, substituted), "substitute the sigmoid's derivative, from `sigmoid_derivative`"),
        ]
        slope_words = "multiply the sigmoid's slope into each term and group the terms by label"
    else:
        steps += [
            Step(eq(sp.Derivative(loss, a), dloss), f"differentiate the loss with respect to the prediction {{{a}}}"),
            Step(
                eq(gradient, substituted),
                f"the prediction {{{a}}} is the logit itself, so its slope in the logit is one",
            ),
        ]
        slope_words = "group the terms by label"
    # The algebra runs on the prediction symbol; the activation is put back after.
    product = substituted.xreplace({activated: a})
    forms = [
        ("", product),
        ("take out the common factors", sp.factor_terms(product)),
        ("cancel the common factors of numerator and denominator", sp.cancel(product)),
        ("factor", sp.factor(sp.cancel(product))),
        ("write each hyperbolic sine over cosine as a hyperbolic tangent", _as_tanh(sp.cancel(product))),
        (
            slope_words,
            _group_by_label([term * slope for term in sp.Add.make_args(dloss)], labels),
        ),
    ]
    how, closed_in_a = _simplest(forms)
    closed = closed_in_a.subs(a, activated)
    if how and closed != substituted:  # nothing to simplify: no step that derives nothing
        steps.append(Step(eq(substituted, closed), how))
    result = Step(eq(gradient, closed), "the gradient of the loss with respect to the logit {z}")
    uses = ("sigmoid_derivative",) if activation == "sigmoid" else ()
    prediction = "the sigmoid of the logit" if activation == "sigmoid" else "the logit itself"
    summary = (
        f"The gradient with respect to the logit of a loss of the prediction {{{a}}}, which is {prediction}, "
        "derived by `gradient_through`. " + describe_kinds(domain, [s for s in choices if s not in kinds])
    ).strip()
    return Derivation(name, title, domain, tuple(steps), (result,), uses, summary)


def _scalar_roles(a: sp.Symbol, labels: Sequence[Any]) -> list[tuple[Any, str]]:
    return [(a, "prediction"), *((label, "label") for label in labels)]


def _collect_nested(expr: sp.Expr, own: sp.Expr) -> sp.Expr:
    """Collect ``expr`` in ``own``, then each coefficient in the sums and the free vector entries."""
    free = expr.free_symbols
    atoms = [x for x in expr.atoms(sp.Sum, sp.Indexed) if x.free_symbols <= free]
    atoms.sort(key=sp.default_sort_key)
    parts = sp.collect(sp.expand(expr), [own], evaluate=False)
    return sp.Add(*(key * sp.collect(value, atoms, func=sp.factor_terms) for key, value in parts.items()))


def _fresh(loss: sp.Expr, count: int) -> list[sp.Symbol]:
    taken = {s.name for s in loss.atoms(sp.Symbol)}
    return [s for s in _SPARE_INDICES if s.name not in taken][:count]


def _through_softmax(loss: sp.Expr, av: sp.IndexedBase, name: str, title: str, kinds: dict[Any, Kind]) -> Derivation:
    gi, cj, dummy = _fresh(loss, 3)
    labels, indices, parameters = roles(loss, av, (gi, cj), kinds)

    composed = as_softmax(loss, av)
    # A piecewise loss (max, abs, Piecewise of probabilities) is differentiated piece by piece, and every
    # relation holding a finite difference of it is checked where no class's probability is near a kink.
    work, region_a, region_z = softmax_pieces(loss, av)
    chain = softmax_chain(work, av, logit_index=gi, class_index=cj)
    raw, dloss = _no_derivative(chain.raw, av[cj]), chain.outer
    gradient = sp.Derivative(composed, zv[gi])
    chained, substituted = chain.chained, chain.substituted
    split = sum_split(split_sums_keeping_pieces(substituted))
    collapsed = collapse_delta_sums(split)
    own = softmax(zv, gi, K)
    how, closed = _simplest(
        [
            ("", collapsed),
            ("take out the common factors", sp.factor_terms(collapsed)),
            (f"collect the terms in the probability {{a_{gi}}}", sp.collect(collapsed, own, func=sp.factor_terms)),
            (f"collect the terms in {{a_{gi}}} and in the labels", _collect_nested(collapsed, own)),
        ]
    )
    definition = sp.exp(zv[cj]) / sp.Sum(sp.exp(zv[dummy]), (dummy, 1, K))
    steps = [
        Step(eq(softmax(zv, cj, K), definition), f"the prediction {{a_{cj}}} is the softmax of the logits"),
        Step(
            eq(sp.Derivative(loss, av[cj]), raw),
            f"differentiate the loss with respect to the probability {{a_{cj}}}",
            symbolic=False,
            region=region_a,
        ),
    ]
    if dloss != raw:
        steps.append(
            Step(
                eq(raw, dloss),
                f"each Kronecker delta keeps one term of its sum, as {{{cj}}} runs over all {{K}} classes",
                symbolic=False,
            )
        )
    steps += [
        Step(
            eq(gradient, chained),
            f"chain rule: the logit {{z_{gi}}} reaches the loss through every class's probability",
            symbolic=False,
            region=region_z,
        ),
        Step(
            eq(gradient, substituted),
            "substitute the softmax Jacobian, from `softmax_jacobian`",
            symbolic=False,
            region=region_z,
        ),
        Step(
            eq(substituted, split),
            f"expand, split the sum and take out the factors that do not depend on {{{cj}}}",
            symbolic=False,
        ),
    ]
    if collapsed != split:
        why = f"the Kronecker delta keeps only the term whose index is {{{gi}}}, one of the {{K}} classes"
        steps.append(Step(eq(split, collapsed), why, symbolic=False))
    if how and closed != collapsed:
        steps.append(Step(eq(collapsed, closed), how))
    fixed: dict[Any, Kind] = {K: CLASS_COUNT, gi: INDEX, cj: INDEX}
    fixed.update({index: kinds.get(index, INDEX) for index in indices})
    fixed.update({zv: LOGIT_VECTOR, **parameters})
    roles_ = [(av, "prediction"), *((label, "label") for label in labels)]
    choices = {s: ([kinds[s]] if s in kinds else candidates("softmax", role)) for s, role in roles_}
    domain = first_feasible(fixed, choices, [loss, dloss, composed])
    for before, after, why in readable_steps(closed, domain, own):
        steps.append(Step(eq(before, after), why, symbolic=False))
        closed = after
    # SymPy cannot prove sums of deltas over 1..K equal without the bounds of the index: numeric only.
    result = Step(
        eq(gradient, closed),
        f"the gradient of the loss with respect to the logit {{z_{gi}}}",
        symbolic=False,
        region=region_z,
    )
    summary = (
        f"The gradient with respect to one logit {{z_{gi}}} of a loss of the softmax probabilities over {{K}} "
        "classes, derived by `gradient_through`. "
        + (PIECEWISE_THROUGH_SOFTMAX if region_a is not None else "")
        + describe_kinds(domain, [s for s in choices if s not in kinds])
    ).strip()
    return Derivation(name, title, domain, tuple(steps), (result,), ("softmax_jacobian",), summary)
