"""The activations' derivatives: the slope of the sigmoid and the softmax Jacobian, for symbolic K."""

from __future__ import annotations

import sympy as sp

from derive.model.activations import sigmoid, softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT, LOGIT_VECTOR, Domain
from derive.model.symbols import K, i, j, k, z, zv
from derive.recipes.sums import collapse_delta_sums


@entry("sigmoid_derivative", "The derivative of the sigmoid")
def sigmoid_derivative() -> Body:
    """The slope of the sigmoid, written with the sigmoid itself: it is largest, a quarter, where the logit is zero,
    and vanishes as the logit grows large in either direction. Every gradient through a sigmoid carries this factor."""
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
        Step(
            eq(derivative, raw),
            "differentiate the definition, by the chain rule on the reciprocal of one plus an exponential",
        ),
        Step(
            eq(raw, factored),
            "split the squared denominator into two factors: the sigmoid, and one minus the sigmoid written out",
        ),
        Step(eq(derivative, rule), "fold the definition of the sigmoid back in wherever it appears"),
        Step(eq(sp.Derivative(rule, z), sp.factor(sp.diff(rule, z))), "differentiate once more to find the maximum"),
        Step(
            eq(sp.Subs(sp.Derivative(rule, z), z, stationary[0]), 0),
            "solving gives a single stationary point, at a zero logit, where the sigmoid is one half",
        ),
    )
    results = (
        Step(eq(derivative, rule), "the derivative of the sigmoid, in terms of the sigmoid itself"),
        Step(
            sp.Le(derivative, peak),
            "its largest value, reached at a zero logit (the only stationary point is a maximum)",
            equality_cases=({z: 0},),
        ),
        Step(eq(sp.Subs(derivative, z, stationary[0]), peak), "the value at the maximum"),
        Step(eq(sp.Limit(raw, z, sp.oo), right), "it vanishes as the logit grows large and positive"),
        Step(
            eq(sp.Limit(raw, z, -sp.oo), left),
            "and as the logit grows large and negative: a saturated sigmoid passes almost no gradient",
        ),
    )
    return Body(Domain({z: LOGIT}), steps, results)


@entry("softmax_jacobian", "The Jacobian of softmax, for any number of classes")
def softmax_jacobian() -> Body:
    """How each softmax probability changes with each logit, for a number of classes {K} kept as a symbol. Every
    gradient through softmax passes through this Jacobian; its columns sum to zero because the probabilities always
    sum to one."""
    total = sp.Sum(sp.exp(zv[k]), (k, 1, K))
    explicit = sp.exp(zv[i]) / total
    raw = sp.diff(explicit, zv[j])
    collapsed = collapse_delta_sums(raw)
    closed = softmax(zv, i, K) * (sp.KroneckerDelta(i, j) - softmax(zv, j, K))
    derivative = sp.Derivative(softmax(zv, i, K), zv[j])
    steps = (
        Step(eq(softmax(zv, i, K), explicit), "definition of softmax over {K} classes"),
        Step(
            eq(derivative, raw),
            "quotient rule; the derivative of one logit with respect to another is a Kronecker delta",
            symbolic=False,
        ),
        Step(
            eq(raw, collapsed),
            "the Kronecker delta keeps only the term of the sum whose index is {j}, a class between 1 and {K}",
            symbolic=False,
        ),
        Step(
            eq(collapsed, closed),
            "recognise each exponential over the sum of all exponentials as a softmax probability",
        ),
    )
    results = (
        Step(eq(derivative, closed), "the softmax Jacobian: positive on the diagonal, negative off it"),
        Step(
            eq(sp.Sum(derivative, (i, 1, K)), 0),
            "each column sums to zero: the probabilities always sum to one, so their changes cancel",
            symbolic=False,
        ),
    )
    domain = Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, zv: LOGIT_VECTOR})
    return Body(domain, steps, results)
