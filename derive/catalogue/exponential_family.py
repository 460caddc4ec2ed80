"""Why the gradient is "prediction minus target": the exponential family, in general and in four instances.

>>> import derive
>>> derive.get("exponential_family_grad").result.rhs
-T(y) + Derivative(A(eta), eta)
"""

from __future__ import annotations

import sympy as sp

from derive.core import Body, Step, entry, eq
from derive.domain import (
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
from derive.functions import sigmoid, softmax
from derive.registry import get
from derive.rules import collapse_delta_sums
from derive.symbols import K, c, i, k, sigma, yv
from derive.symbols import y as count

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
        Step(eq(nll, expanded), "take -ln of h(y) exp(eta T(y) - A(eta))", **general),
        Step(eq(total, 1), "A normalises p: the probabilities of all outcomes sum to 1", **general),
        Step(
            eq(sp.Derivative(A(eta), eta), slope),
            "so e^A(eta) is the sum of h(k) e^(eta T(k)); differentiate the log of that sum",
            **general,
        ),
        Step(eq(slope, mean), "divide each term by e^{A(eta)}, the normaliser: the mean of T(y)", **general),
    ]
    results = [
        Step(
            eq(sp.Derivative(nll, eta), gradient),
            "differentiate in eta (ln h(y) does not depend on it): the gradient is A'(eta) - T(y)",
            **general,
        ),
        Step(
            eq(sp.Derivative(A(eta), eta), mean),
            "and A'(eta) is the expected T(y): predicted minus observed",
            **general,
        ),
    ]
    return steps, results


def _instance(
    name: str, pmf: sp.Expr, base: sp.Expr, statistic: sp.Expr, log_normaliser: sp.Expr, where: dict, parts: str
) -> list[Step]:
    """The step writing a distribution in exponential-family form; ``parts`` names its h, T and A."""
    form = base * sp.exp(eta * statistic - log_normaliser)
    reason = f"{name} in the form h(y) exp(eta T(y) - A(eta)), with {parts}"
    return [Step(eq(pmf, form), reason, where=where)]


@entry(
    "exponential_family_grad",
    "Why the gradient is prediction minus target: the exponential family",
    uses=("poisson_nll_grad", "cce_softmax_grad"),
)
def exponential_family_grad() -> Body:
    """Many noise models share one form: p(y | eta) = h(y) exp(eta T(y) - A(eta)), where A(eta) is the log of
    the normaliser. Then -ln p = A(eta) - eta T(y) - ln h(y), whose derivative in eta is A'(eta) - T(y); and
    differentiating the normaliser shows that A'(eta) is the mean of T(y) under the model. So the gradient of the
    negative log-likelihood in the natural parameter is always what the model expects minus what was observed.
    The general steps are checked on every exponential family over finitely many outcomes (any positive h_k, any
    real T). Four instances give the losses of the site: a Gaussian with known variance (identity link, A =
    eta^2 / (2 sigma^2), gradient (eta - y) / sigma^2, the squared error), a Bernoulli (A = ln(1 + e^eta),
    A' = sigmoid, gradient sigma(eta) - y, BCE), a categorical (A = ln sum_k e^{eta_k}, dA/d eta_i = softmax,
    gradient a_i - y_i, cross-entropy) and a Poisson (A = e^eta, gradient e^eta - y). Each pairs a loss with the
    link that makes its gradient prediction minus target; MSE through a sigmoid is not such a pair, which is why
    its gradient keeps the extra factor a (1 - a).
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
        "T = y / sigma^2, A = eta^2 / (2 sigma^2)",
    )
    results.append(Step(eq(sp.Derivative(-sp.log(gauss), eta), (eta - y) / sigma**2), "Gaussian: (mean - y) / sigma^2"))

    bernoulli = sigmoid(eta) ** y * (1 - sigmoid(eta)) ** (1 - y)
    softplus = sp.log(1 + sp.exp(eta))
    steps += _instance("Bernoulli", bernoulli, sp.S.One, y, softplus, binary, "h = 1, T = y, A = ln(1 + e^eta)")
    steps.append(Step(eq(sp.diff(softplus, eta), sigmoid(eta)), "Bernoulli: A'(eta) is the sigmoid"))
    outcome = sp.Symbol("u", integer=True, nonnegative=True)
    mean = sp.Sum(outcome * bernoulli.subs(y, outcome), (outcome, 0, 1))
    steps.append(Step(eq(mean, mean.doit()), "the mean of y: 0 (1 - a) + 1 a = a"))
    results.append(Step(eq(sp.Derivative(-sp.log(bernoulli), eta), sigmoid(eta) - y), "Bernoulli: a - y", where=binary))

    log_partition = sp.log(sp.Sum(sp.exp(etav[k]), (k, 1, K)))
    slope = collapse_delta_sums(sp.diff(log_partition, etav[i]))
    steps.append(
        Step(eq(sp.Derivative(log_partition, etav[i]), slope), "categorical: dA/d eta_i, the delta keeps k = i")
    )
    steps.append(Step(eq(slope, softmax(etav, i, K)), "which is softmax"))
    expected = sp.Sum(softmax(etav, c, K) * sp.KroneckerDelta(c, i), (c, 1, K))
    steps.append(
        Step(eq(expected, collapse_delta_sums(expected)), "the mean of the one-hot y_i is the probability of class i")
    )
    categorical_nll = -sp.Sum(yv[k] * sp.log(softmax(etav, k, K)), (k, 1, K))
    results.append(
        Step(
            eq(sp.Derivative(categorical_nll, etav[i]), softmax(etav, i, K) - yv[i]),
            "categorical: a_i - y_i, as cce_softmax_grad finds for labels summing to 1",
            where={yv: one_hot_at(c)},
        )
    )

    poisson = sp.exp(eta * y) * sp.exp(-sp.exp(eta)) / sp.factorial(y)
    steps += _instance("Poisson", poisson, 1 / sp.factorial(y), y, sp.exp(eta), counts, "h = 1/y!, T = y, A = e^eta")
    results.append(
        Step(
            eq(get("poisson_nll_grad").result.lhs.xreplace({count: y}), sp.exp(eta) - y),
            "Poisson: rate - y, from poisson_nll_grad",
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
