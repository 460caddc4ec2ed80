"""The activations' derivatives: sigma'(z) and the softmax Jacobian, for symbolic K."""

from __future__ import annotations

import sympy as sp

from derive.core import Body, Step, entry, eq
from derive.domain import CLASS_COUNT, INDEX, LOGIT, LOGIT_VECTOR, Domain
from derive.functions import sigmoid, softmax
from derive.rules import collapse_delta_sums
from derive.symbols import K, i, j, k, z, zv


@entry("sigmoid_derivative", "The derivative of the sigmoid")
def sigmoid_derivative() -> Body:
    """sigma'(z) = sigma(z)(1 - sigma(z)), largest (1/4) at z = 0 and vanishing as |z| grows."""
    explicit = 1 / (1 + sp.exp(-z))
    raw = sp.diff(explicit, z)
    factored = explicit * (1 - explicit)
    rule = sigmoid(z) * (1 - sigmoid(z))
    slope = sp.diff(factored, z)
    stationary = sp.solve(eq(slope, 0), z)
    peak = factored.subs(z, stationary[0])
    right, left = sp.limit(raw, z, sp.oo), sp.limit(raw, z, -sp.oo)
    derivative = sp.Derivative(sigmoid(z), z)
    steps = (
        Step(eq(sigmoid(z), explicit), "definition of the logistic function"),
        Step(eq(derivative, raw), "differentiate the definition (chain rule on (1 + e^{-z})^{-1})"),
        Step(eq(raw, factored), "split e^{-z}/(1 + e^{-z})^2 into 1/(1 + e^{-z}) times e^{-z}/(1 + e^{-z})"),
        Step(eq(derivative, rule), "substitute sigma(z) = 1/(1 + e^{-z}) back"),
        Step(eq(sp.Derivative(rule, z), sp.factor(sp.diff(rule, z))), "differentiate once more to find the maximum"),
        Step(
            eq(sp.Subs(sp.Derivative(rule, z), z, stationary[0]), 0),
            "the only stationary point, from sp.solve: z = 0, where sigma(z) = 1/2",
        ),
    )
    results = (
        Step(eq(derivative, rule), "the derivative of the sigmoid, in terms of the sigmoid itself"),
        Step(sp.Le(derivative, peak), "its largest value, reached at z = 0 (the stationary point is a maximum)"),
        Step(eq(sp.Subs(derivative, z, stationary[0]), peak), "the value at the maximum"),
        Step(eq(sp.Limit(raw, z, sp.oo), right), "it vanishes for large positive z (sp.limit)"),
        Step(
            eq(sp.Limit(raw, z, -sp.oo), left),
            "and for large negative z: a saturated sigmoid passes almost no gradient",
        ),
    )
    return Body(Domain({z: LOGIT}), steps, results)


@entry("softmax_jacobian", "The Jacobian of softmax, for any number of classes")
def softmax_jacobian() -> Body:
    """d a_i / d z_j = a_i (delta_ij - a_j) for K classes, K symbolic."""
    total = sp.Sum(sp.exp(zv[k]), (k, 1, K))
    explicit = sp.exp(zv[i]) / total
    raw = sp.diff(explicit, zv[j])
    collapsed = collapse_delta_sums(raw)
    closed = softmax(zv, i, K) * (sp.KroneckerDelta(i, j) - softmax(zv, j, K))
    derivative = sp.Derivative(softmax(zv, i, K), zv[j])
    steps = (
        Step(eq(softmax(zv, i, K), explicit), "definition of softmax over K classes"),
        Step(eq(derivative, raw), "quotient rule, with d z_k / d z_j = delta_kj", symbolic=False),
        Step(eq(raw, collapsed), "the delta keeps the k = j term of the sum, as 1 <= j <= K", symbolic=False),
        Step(eq(collapsed, closed), "write e^{z_i} / sum_k e^{z_k} as a_i and e^{z_j} / sum_k e^{z_k} as a_j"),
    )
    results = (
        Step(eq(derivative, closed), "the softmax Jacobian: a_i (1 - a_i) on the diagonal, -a_i a_j off it"),
        Step(
            eq(sp.Sum(derivative, (i, 1, K)), 0),
            "each column sums to zero: the a_i always sum to 1, so their changes cancel",
            symbolic=False,
        ),
    )
    domain = Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, zv: LOGIT_VECTOR})
    return Body(domain, steps, results)
