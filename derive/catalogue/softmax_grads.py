"""Gradients of cross-entropy and of MSE through softmax, for a symbolic number of classes.

Both derivations run the chain rule ``dL/dz_i = sum_k dL/da_k * da_k/dz_i``
with the Jacobian taken from the catalogue entry ``softmax_jacobian``, then
let :func:`~derive.recipes.sums.sum_split` and :func:`~derive.recipes.sums.collapse_delta_sums`
do the bookkeeping that a textbook does by hand.
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Body, Named, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LABEL_VECTOR, LOGIT_VECTOR, PROBABILITY_VECTOR, Domain, one_hot_at
from derive.model.symbols import K, av, i, j, k, yv, zv
from derive.recipes.chain_rule import CHAIN_RULE, JACOBIAN, chain_through_softmax, split_and_collapse
from derive.recipes.one_hot import TRUE_CLASS as P
from derive.recipes.sums import collapse_delta_sums, sum_over_others, sum_split, tidy_sums
from derive.registry import get

LOSS = sp.Symbol("L")


def _outer_step(loss_term: sp.Expr, outer_i: sp.Expr) -> Step:
    """The step ``dL/da_i = ...``, with the predictions a free probability vector."""
    loss_in_a = sp.Sum(loss_term, (k, 1, K))
    derivative = sp.Derivative(loss_in_a, av[i])
    return Step(
        eq(derivative, outer_i),
        "differentiate the loss with respect to one probability {a_i}",
        where={av: PROBABILITY_VECTOR},
    )


def _must_agree(derived: sp.Expr, claimed: sp.Expr, what: str) -> None:
    """Refuse to build if a stated closed form differs from what SymPy derived."""
    difference = tidy_sums(derived - claimed)
    # Sums over different index names (sum_j y_j, sum_k y_k) are the same sum.
    difference = difference.replace(lambda e: isinstance(e, sp.Sum), lambda s: s.xreplace({s.limits[0][0]: k}))
    difference = sp.expand(difference)
    if difference != 0:
        raise AssertionError(f"the derivation did not give {what}")


def _loss_named(in_logits: sp.Expr, in_probabilities: sp.Expr, what: str) -> tuple[Named, Named]:
    """The page's loss named L, written in the logits or in the probabilities."""
    return (
        Named(LOSS, in_logits, f"the loss on this page, {what} of the softmax probabilities"),
        Named(LOSS, in_probabilities, f"the same loss, {what}, in the probabilities"),
    )


@entry(
    "cce_softmax_grad",
    "Cross-entropy through softmax: the gradient",
    uses=("softmax_jacobian", "categorical_nll_cce"),
)
def cce_softmax_grad() -> Body:
    """Cross-entropy of softmax probabilities against any non-negative labels: the chain rule through the softmax
    Jacobian gives, at each logit, its class's probability times the label total, less its class's label. When the
    labels sum to one (a one-hot or a soft probability label) this is the familiar prediction minus label. No
    factor of the softmax's slope is left to make the gradient vanish when the prediction is confidently wrong.
    """
    # The loss -sum_k y_k ln a_k as categorical_nll_cce states it, with a_k = softmax(z, k, K) put in.
    nll = get("categorical_nll_cce").result.rhs
    (summed,) = nll.atoms(sp.Sum)
    summand = summed.function.xreplace({summed.limits[0][0]: k})
    term = nll / summed * summand
    loss = nll / summed * sp.Sum(summand.xreplace({av[k]: softmax(zv, k, K)}), (k, 1, K))
    gradient = sp.Derivative(loss, zv[i])
    outer_i, _, chain, substituted = chain_through_softmax(term)
    collapsed, split_steps = split_and_collapse(substituted)
    label_total = sp.Sum(yv[j], (j, 1, K))
    general = softmax(zv, i, K) * label_total - yv[i]
    _must_agree(collapsed, general, "a_i sum_j y_j - y_i")
    on_simplex = general.subs(label_total, 1)
    simplex = {yv: PROBABILITY_VECTOR}
    steps = (
        _outer_step(term, outer_i),
        Step(eq(gradient, chain), CHAIN_RULE, symbolic=False),
        Step(eq(chain, substituted), JACOBIAN),
        *split_steps,
        Step(eq(collapsed, general), "rename the summation index"),
        Step(eq(label_total, 1), "a probability label sums to one", where=simplex, symbolic=False),
        Step(eq(general, on_simplex), "so the label total drops out", where=simplex, symbolic=False),
    )
    results = (
        Step(eq(gradient, general), "the gradient of cross-entropy through softmax, for any labels", symbolic=False),
        Step(eq(gradient, on_simplex), "labels summing to one: prediction minus label", where=simplex, symbolic=False),
    )
    domain = Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, yv: LABEL_VECTOR})
    return Body(domain, steps, results, named=_loss_named(loss, sp.Sum(term, (k, 1, K)), "cross-entropy"))


def _one_hot(expr: sp.Expr, true_class: sp.Expr) -> sp.Expr:
    """Replace every label entry y_k by delta(k, true_class)."""
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == yv,
        lambda e: sp.KroneckerDelta(e.indices[0], true_class),
    )


@entry("mse_softmax_grad", "Squared error through softmax: the gradient", uses=("softmax_jacobian",))
def mse_softmax_grad() -> Body:
    """Squared error of softmax probabilities: the chain rule through the softmax Jacobian gives its gradient for
    any labels. For a one-hot label, the gradient at the true class's logit carries the true class's probability
    as a factor, and so vanishes as that probability goes to zero, just when the prediction is most wrong. A common
    shortcut keeps only the direct path through the true class's probability; it misses the paths through the
    other classes, and the derivation shows exactly what it misses, a term that is never zero.
    """
    term = (av[k] - yv[k]) ** 2
    loss = sp.Sum((softmax(zv, k, K) - yv[k]) ** 2, (k, 1, K))
    gradient = sp.Derivative(loss, zv[i])
    outer_i, _, chain, substituted = chain_through_softmax(term)
    collapsed = collapse_delta_sums(sum_split(sp.expand(substituted)))
    a_i, a_k, a_c = softmax(zv, i, K), softmax(zv, k, K), softmax(zv, P, K)
    general = 2 * a_i * ((a_i - yv[i]) - sp.Sum(a_k * (a_k - yv[k]), (k, 1, K)))
    _must_agree(collapsed, general, "2 a_i [(a_i - y_i) - sum_k a_k (a_k - y_k)]")

    one_hot = {yv: one_hot_at(P)}
    at_p = general.xreplace({i: P})
    hot = _one_hot(at_p, P)
    hot_tidy = tidy_sums(hot)
    others = sum_over_others(a_k**2, k, P, K)
    true_class = -2 * a_c * ((1 - a_c) ** 2 + others)
    _must_agree(hot_tidy, true_class, "-2 a_c [(1 - a_c)^2 + sum_(k != c) a_k^2]")
    # The source's formula: only the k = c term of the chain-rule sum, the direct path.
    direct = _one_hot(substituted.function.xreplace({k: P, i: P}), P)
    source = -2 * a_c * (1 - a_c) ** 2
    _must_agree(direct, source, "-2 a_c (1 - a_c)^2 for the direct path")
    missed = -2 * a_c * others
    _must_agree(true_class - source, missed, "the missing paths")
    gradient_p = sp.Derivative(loss, zv[P])
    steps = (
        _outer_step(term, outer_i),
        Step(eq(gradient, chain), CHAIN_RULE, symbolic=False),
        Step(eq(chain, substituted), JACOBIAN, symbolic=False),
        Step(
            eq(substituted, collapsed),
            "split the sum; the Kronecker delta keeps only the term of class {i}",
            symbolic=False,
        ),
        Step(eq(collapsed, general), "factor out twice the probability {a_i}", symbolic=False),
        Step(
            eq(gradient_p, hot),
            "at the true class {c}, with a one-hot label: 1 there, 0 elsewhere",
            where=one_hot,
            symbolic=False,
        ),
        Step(
            eq(hot, hot_tidy), "split the sum; the Kronecker delta keeps the true class's probability", symbolic=False
        ),
        Step(
            eq(hot_tidy, true_class),
            "regroup: the sum over the other classes is the full sum less the true class's square",
            symbolic=False,
        ),
        Step(
            eq(direct, source),
            "the true class's term of the chain rule alone: the direct path through its own probability",
        ),
        Step(eq(true_class - source, missed), "what the direct path alone leaves out"),
    )
    results = (
        Step(eq(gradient, general), "the gradient of squared error through softmax, for any labels", symbolic=False),
        Step(
            eq(gradient_p, true_class),
            "a one-hot label of class {c}, at the true class's logit",
            where=one_hot,
            symbolic=False,
        ),
        Step(
            eq(gradient_p - source, missed),
            "the direct-path formula is short by this much",
            where=one_hot,
            symbolic=False,
        ),
        Step(
            sp.Lt(missed, 0),
            "and the shortfall is never zero, as every softmax probability is positive",
            symbolic=False,
        ),
    )
    domain = Domain({K: CLASS_COUNT, i: INDEX, P: INDEX, zv: LOGIT_VECTOR, yv: LABEL_VECTOR})
    return Body(domain, steps, results, named=_loss_named(loss, sp.Sum(term, (k, 1, K)), "the squared error"))
