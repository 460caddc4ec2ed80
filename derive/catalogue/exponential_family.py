"""Why the gradient is "prediction minus target": the exponential family, in general and in four instances.

>>> import derive
>>> derive.get("exponential_family_grad").result.rhs
-T(y) + Derivative(A(eta), eta)
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import sigmoid, softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import (
    BINARY,
    CLASS_COUNT,
    INDEX,
    LOGIT,
    LOGIT_VECTOR,
    OUTCOME_COUNT,
    POSITIVE,
    PROBABILITY_VECTOR,
    Domain,
    one_hot_at,
)
from derive.model.symbols import K, c, i, k, sigma, yv
from derive.model.symbols import y as count
from derive.recipes.sums import collapse_delta_sums
from derive.registry import get

eta = sp.Symbol("eta", real=True)
y = sp.Symbol("y", real=True)
etav = sp.IndexedBase("eta", real=True)
h, T, A = sp.Function("h"), sp.Function("T"), sp.Function("A")
weights = sp.IndexedBase("h", positive=True)
statistics = sp.IndexedBase("t", real=True)
_t = sp.Dummy("t")
# For the numeric check of the general steps: every exponential family on the outcomes 1..K, with any
# positive base measure h_k and any real statistic t_k; A is then the log of the normaliser.
FINITE_FAMILY = {
    h: sp.Lambda(_t, weights[_t]),
    T: sp.Lambda(_t, statistics[_t]),
    A: sp.Lambda(_t, sp.log(sp.Sum(weights[k] * sp.exp(_t * statistics[k]), (k, 1, K)))),
}


def density(outcome: sp.Expr) -> sp.Expr:
    """p(outcome | eta) = h(outcome) exp(eta T(outcome) - A(eta)), h, T, A unknown functions."""
    return h(outcome) * sp.exp(eta * T(outcome) - A(eta))


def _general() -> tuple[list[Step], list[Step]]:
    nll = -sp.log(density(y))
    expanded = sp.expand_log(nll, force=True)
    gradient = sp.diff(expanded, eta)
    normaliser = sp.Sum(h(k) * sp.exp(eta * T(k)), (k, 1, K))
    slope = sp.diff(sp.log(normaliser), eta)
    mean = sp.Sum(T(k) * density(k), (k, 1, K))
    total = sp.Sum(density(k), (k, 1, K))
    general = {"model": FINITE_FAMILY, "where": {y: INDEX}}
    steps = [
        Step(
            eq(nll, expanded), "take the negative logarithm of the exponential-family density and expand it", **general
        ),
        Step(eq(total, 1), "the log-normaliser {A} makes the probabilities of all outcomes sum to one", **general),
        Step(
            eq(sp.Derivative(A(eta), eta), slope),
            "so the normaliser is the sum of the unnormalised probabilities; differentiate the logarithm of that sum",
            **general,
        ),
        Step(
            eq(slope, mean),
            "divide each term by the normaliser: the result is the model's mean of the statistic {T}",
            **general,
        ),
    ]
    results = [
        Step(
            eq(sp.Derivative(nll, eta), gradient),
            "differentiate in the natural parameter {eta} (the base measure does not depend on it)",
            **general,
        ),
        Step(
            eq(sp.Derivative(A(eta), eta), mean),
            "and the slope of the log-normaliser is the expected statistic: predicted minus observed",
            **general,
        ),
    ]
    return steps, results


def _instance(
    name: str, pmf: sp.Expr, base: sp.Expr, statistic: sp.Expr, log_normaliser: sp.Expr, where: dict, parts: str
) -> list[Step]:
    """The step writing a distribution in exponential-family form; ``parts`` names its h, T and A."""
    form = base * sp.exp(eta * statistic - log_normaliser)
    reason = f"write the {name} distribution in exponential-family form: {parts}"
    return [Step(eq(pmf, form), reason, where=where)]


@entry(
    "exponential_family_grad",
    "Why the gradient is prediction minus target: the exponential family",
    uses=("poisson_nll_grad", "cce_softmax_grad"),
)
def exponential_family_grad() -> Body:
    """Many noise models share one form, the exponential family, in which a log-normaliser makes the probabilities
    sum to one. The derivative of the negative log-likelihood with respect to the natural parameter is the slope of
    the log-normaliser less the observed statistic, and differentiating the normaliser shows that this slope is the
    statistic's mean under the model. So the gradient is always what the model expects minus what was observed.
    The general steps are checked on every exponential family over finitely many outcomes (any positive base
    measure, any real statistic). Four instances give the losses of the site: a Gaussian with known variance
    (identity link, the squared error), a Bernoulli (sigmoid link, binary cross-entropy), a categorical (softmax
    link, cross-entropy) and a Poisson (exponential link). Each pairs a loss with the link that makes its gradient
    prediction minus target; the squared error through a sigmoid is not such a pair, which is why its gradient
    keeps the sigmoid's slope as an extra factor.
    """
    steps, results = _general()
    binary, counts = {y: BINARY}, {y: OUTCOME_COUNT}

    gauss = sp.exp(-((y - eta) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    gauss_base = sp.exp(-(y**2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    steps += _instance(
        "Gaussian",
        gauss,
        gauss_base,
        y / sigma**2,
        eta**2 / (2 * sigma**2),
        {},
        "the target over the variance as statistic, half the squared parameter over the variance as log-normaliser",
    )
    results.append(
        Step(
            eq(sp.Derivative(-sp.log(gauss), eta), (eta - y) / sigma**2),
            "Gaussian: the mean less the target, over the variance",
        )
    )

    bernoulli = sigmoid(eta) ** y * (1 - sigmoid(eta)) ** (1 - y)
    softplus = sp.log(1 + sp.exp(eta))
    steps += _instance(
        "Bernoulli",
        bernoulli,
        sp.S.One,
        y,
        softplus,
        binary,
        "base measure one, the label as statistic, the softplus as log-normaliser",
    )
    steps.append(
        Step(eq(sp.diff(softplus, eta), sigmoid(eta)), "Bernoulli: the slope of the log-normaliser is the sigmoid")
    )
    outcome = sp.Symbol("u", integer=True, nonnegative=True)
    mean = sp.Sum(outcome * bernoulli.subs(y, outcome), (outcome, 0, 1))
    steps.append(Step(eq(mean, mean.doit()), "the mean of a binary label is the probability of a one"))
    results.append(
        Step(
            eq(sp.Derivative(-sp.log(bernoulli), eta), sigmoid(eta) - y),
            "Bernoulli: the predicted probability less the label",
            where=binary,
        )
    )

    log_partition = sp.log(sp.Sum(sp.exp(etav[k]), (k, 1, K)))
    slope = collapse_delta_sums(sp.diff(log_partition, etav[i]))
    steps.append(
        Step(
            eq(sp.Derivative(log_partition, etav[i]), slope),
            "categorical: differentiate the log-normaliser; the Kronecker delta keeps the term of class {i}",
        )
    )
    steps.append(Step(eq(slope, softmax(etav, i, K)), "which is softmax"))
    expected = sp.Sum(softmax(etav, c, K) * sp.KroneckerDelta(c, i), (c, 1, K))
    steps.append(
        Step(
            eq(expected, collapse_delta_sums(expected)),
            "the mean of a one-hot label's entry for a class {i} is the probability of that class",
        )
    )
    categorical_nll = -sp.Sum(yv[k] * sp.log(softmax(etav, k, K)), (k, 1, K))
    results.append(
        Step(
            eq(sp.Derivative(categorical_nll, etav[i]), softmax(etav, i, K) - yv[i]),
            "categorical: the probability less the label, as `cce_softmax_grad` finds for labels summing to one",
            where={yv: one_hot_at(c)},
        )
    )

    poisson = sp.exp(eta * y) * sp.exp(-sp.exp(eta)) / sp.factorial(y)
    steps += _instance(
        "Poisson",
        poisson,
        1 / sp.factorial(y),
        y,
        sp.exp(eta),
        counts,
        "one over the count's factorial as base measure, the count as statistic, the exponential as log-normaliser",
    )
    results.append(
        Step(
            eq(get("poisson_nll_grad").result.lhs.xreplace({count: y}), sp.exp(eta) - y),
            "Poisson: the predicted rate less the count, from `poisson_nll_grad`",
            where=counts,
        )
    )
    domain = Domain(
        {
            K: CLASS_COUNT,
            i: INDEX,
            c: INDEX,
            eta: LOGIT,
            y: LOGIT,
            sigma: POSITIVE,
            etav: LOGIT_VECTOR,
            yv: PROBABILITY_VECTOR,
            weights: PROBABILITY_VECTOR,
            statistics: LOGIT_VECTOR,
        }
    )
    return Body(domain, steps, results)
