"""Label smoothing: cross-entropy against (1 - eps) y + eps/K, through softmax, for symbolic K.

>>> import derive
>>> derive.get("label_smoothing_grad").result.rhs
-(1 - epsilon)*y[i] + softmax(z, i, K) - epsilon/K
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import (
    CLASS_COUNT,
    INDEX,
    LABEL_VECTOR,
    LOGIT_VECTOR,
    PROBABILITY_VECTOR,
    Domain,
    in_interval,
    one_hot_at,
)
from derive.model.symbols import K, c, i, k, yv, zv
from derive.recipes.chain_rule import JACOBIAN, chain_sum, split_and_collapse
from derive.recipes.sums import sum_split

eps = sp.Symbol("epsilon", positive=True)


def smoothed(label: sp.Expr) -> sp.Expr:
    """The smoothed label: (1 - eps) of the label plus eps spread evenly over the K classes.

    >>> from derive.model.symbols import yv, k
    >>> smoothed(yv[k])
    (1 - epsilon)*y[k] + epsilon/K
    """
    return (1 - eps) * label + eps / K


@entry(
    "label_smoothing_grad",
    "Label smoothing: the gradient is the prediction minus the smoothed label",
    uses=("softmax_jacobian",),
)
def label_smoothing_grad() -> Body:
    """Label smoothing trains cross-entropy against a smoothed label instead of the label itself: a share {epsilon}
    of the probability is taken from the label and spread evenly over the {K} classes. The smoothed labels are
    non-negative, so the chain rule through the softmax Jacobian gives, as for any labels, each class's probability
    times the label total, less its smoothed label; the total is one whenever the original labels sum to one (a
    one-hot or probability label). The gradient is then prediction minus smoothed target. For a one-hot label it
    vanishes where the true class's probability reaches its smoothed label, short of one, so the logits that
    minimise the loss stay finite.
    """
    a_i, a_k = softmax(zv, i, K), softmax(zv, k, K)
    loss = -sp.Sum(smoothed(yv[k]) * sp.log(a_k), (k, 1, K))
    gradient = sp.Derivative(loss, zv[i])
    chain, substituted = chain_sum(-smoothed(yv[k]) / a_k, logit_index=i, class_index=k)
    collapsed, split_steps = split_and_collapse(substituted)
    label_total = sp.Sum(yv[k], (k, 1, K))
    smoothed_total = (1 - eps) * label_total + eps
    general = a_i * smoothed_total - smoothed(yv[i])
    if sp.expand(collapsed - general) != 0:
        raise AssertionError("the derivation did not give a_i [(1 - eps) sum_k y_k + eps] - s_i")
    on_simplex = general.subs(label_total, 1)
    one_hot = sp.expand(on_simplex.subs(yv[i], sp.KroneckerDelta(i, c)))
    at_true_class = one_hot.subs(i, c)
    simplex = {yv: PROBABILITY_VECTOR}
    steps = (
        Step(
            eq(sp.Sum(smoothed(yv[k]), (k, 1, K)), sum_split(sp.Sum(smoothed(yv[k]), (k, 1, K)))),
            "add up the smoothed labels: the kept share of the label total, plus the spread share",
            symbolic=False,
        ),
        Step(
            eq(gradient, chain),
            "chain rule: each term's slope in its probability; the logit {z_i} reaches every class's probability",
            symbolic=False,
        ),
        Step(eq(chain, substituted), JACOBIAN, symbolic=False),
        *split_steps,
        Step(eq(collapsed, general), "collect {a_i}: it multiplies the total of the smoothed labels", symbolic=False),
        Step(
            eq(smoothed_total, 1),
            "labels summing to one give smoothed labels summing to one",
            where=simplex,
            symbolic=False,
        ),
        Step(eq(general, on_simplex), "so the total drops out", where=simplex, symbolic=False),
    )
    results = (
        Step(
            eq(gradient, on_simplex),
            "prediction minus smoothed label, for labels summing to one",
            where=simplex,
            symbolic=False,
        ),
        Step(
            eq(gradient, general),
            "for any non-negative labels: the probability times the smoothed total, less the smoothed label",
            symbolic=False,
        ),
        Step(
            eq(sp.Derivative(loss, zv[c]), at_true_class),
            "for a one-hot label of class {c}, at the true class: zero where the probability meets the smoothed label",
            where={yv: one_hot_at(c)},
            symbolic=False,
        ),
    )
    domain = Domain(
        {
            K: CLASS_COUNT,
            i: INDEX,
            c: INDEX,
            zv: LOGIT_VECTOR,
            yv: LABEL_VECTOR,
            eps: in_interval(0, 1, "a smoothing share strictly between 0 and 1"),
        }
    )
    return Body(domain, steps, results)
