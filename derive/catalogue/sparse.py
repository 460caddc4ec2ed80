"""Sparse categorical cross-entropy: an integer label c instead of the one-hot vector e_c.

The sparse loss -ln a_c is what categorical cross-entropy becomes when the
label is e_c, so the two agree in value and, being one function of z, in
gradient; the gradient comes from ``cce_softmax_grad`` with y_k = delta_kc.
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT_VECTOR, Domain, one_hot_at
from derive.model.symbols import K, c, i, k, yv, zv
from derive.recipes.one_hot import one_hot_label
from derive.recipes.sums import collapse_delta_sums
from derive.registry import get


@entry(
    "sparse_cce", "Sparse categorical cross-entropy is cross-entropy with a one-hot label", uses=("cce_softmax_grad",)
)
def sparse_cce() -> Body:
    """A sparse label is the index {c} of the true class instead of a one-hot vector. Putting the one-hot label
    into categorical cross-entropy keeps only the term of the true class, so the loss is the surprise at the true
    class's probability: the sparse loss reads one probability instead of multiplying the other classes' zeros.
    Being the same function of the logits, the two have the same gradient, probability minus one-hot label, which
    follows from the cross-entropy gradient with the one-hot label put in.
    """
    categorical = -sp.Sum(yv[k] * sp.log(softmax(zv, k, K)), (k, 1, K))
    with_delta = one_hot_label(categorical, c)
    sparse = collapse_delta_sums(with_delta)
    if sparse != -sp.log(softmax(zv, c, K)):
        raise AssertionError("the one-hot label did not collapse the sum to -ln a_c")
    general = get("cce_softmax_grad").result
    delta_gradient = eq(one_hot_label(general.lhs, c), one_hot_label(general.rhs, c))
    collapsed = collapse_delta_sums(delta_gradient.rhs)
    gradient = softmax(zv, i, K) - sp.KroneckerDelta(i, c)
    if sp.expand(collapsed - gradient) != 0:
        raise AssertionError("the gradient did not come out as a_i - delta_ic")
    sparse_gradient = sp.Derivative(sparse, zv[i])
    categorical_gradient = sp.Derivative(categorical, zv[i])
    steps = (
        Step(eq(categorical, with_delta), "the one-hot label of class {c} is a Kronecker delta", symbolic=False),
        Step(
            eq(with_delta, sparse),
            "the Kronecker delta keeps only the term of class {c}, one of the {K} classes",
            symbolic=False,
        ),
        Step(delta_gradient, "the gradient from `cce_softmax_grad`, with the one-hot label put in", symbolic=False),
        Step(eq(delta_gradient.rhs, collapsed), "the one-hot label sums to one", symbolic=False),
        Step(
            eq(sparse_gradient, delta_gradient.lhs),
            "the sparse loss and the one-hot loss are the same function of the logits",
            symbolic=False,
        ),
    )
    results = (
        Step(
            eq(categorical, sparse),
            "categorical cross-entropy with a one-hot label of class {c} is the sparse cross-entropy",
            symbolic=False,
        ),
        Step(eq(sparse_gradient, gradient), "the gradient of the sparse loss"),
        Step(eq(categorical_gradient, gradient), "the same as that of the one-hot loss", symbolic=False),
    )
    domain = Domain({K: CLASS_COUNT, c: INDEX, i: INDEX, zv: LOGIT_VECTOR, yv: one_hot_at(c)})
    return Body(domain, steps, results)
