"""Two more noise models and the losses they give: Poisson (log link) and Laplace (mean absolute error).

>>> import derive
>>> derive.get("poisson_nll_grad").result.rhs
-y + exp(eta)
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import LOGIT, OUTCOME_COUNT, POSITIVE, Domain, apart_from
from derive.model.symbols import y

eta = sp.Symbol("eta", real=True)
rate = sp.Symbol("lambda", positive=True)
# The prediction is a, as on every page; here any real number, not a probability.
prediction = sp.Symbol("a", real=True)
target = sp.Symbol("y", real=True)
scale = sp.Symbol("b", positive=True)
# The same kinds as LOGIT and POSITIVE (same draws, same hard points), described as what they are on these pages.
REAL_PREDICTION = dataclasses.replace(LOGIT, name="the prediction, any real number")
LOG_RATE = dataclasses.replace(LOGIT, name="the model's output, the logarithm of the rate")
RATE = dataclasses.replace(POSITIVE, name="a Poisson rate, a positive real number")
NOISE_SCALE = dataclasses.replace(POSITIVE, name="the scale of the noise, a positive real number")


@entry("poisson_nll_grad", "Poisson regression: the negative log-likelihood with a log link and its gradient")
def poisson_nll_grad() -> Body:
    """A count drawn from a Poisson distribution whose rate is the exponential of a real parameter (the log link
    keeps the rate positive for any parameter) has a negative log-likelihood in which the logarithm of the count's
    factorial does not depend on the parameter. So the gradient is the predicted rate minus the observed count:
    zero exactly when the prediction matches the count, and with no activation's slope to shrink it.
    """
    pmf_of_rate = rate**y * sp.exp(-rate) / sp.factorial(y)
    pmf = pmf_of_rate.subs(rate, sp.exp(eta))
    nll = -sp.log(pmf)
    expanded = sp.expand_log(nll, force=True)
    gradient = sp.diff(expanded, eta)
    derivative = sp.Derivative(nll, eta)
    steps = (
        Step(
            eq(sp.Subs(pmf_of_rate, rate, sp.exp(eta)), pmf),
            "the Poisson probability of the count {y}, at a rate exponential in {eta} (the log link: always positive)",
        ),
        Step(eq(nll, expanded), "take the negative logarithm and expand it: the logarithm undoes each exponential"),
        Step(
            eq(derivative, gradient),
            "differentiate term by term: the logarithm of the factorial does not depend on {eta}",
        ),
    )
    results = (
        Step(eq(derivative, gradient), "the gradient is the predicted rate minus the observed count"),
        Step(eq(nll, expanded), "the Poisson negative log-likelihood with a log link"),
    )
    return Body(Domain({eta: LOG_RATE, y: OUTCOME_COUNT, rate: RATE}), steps, results)


@entry("laplace_nll_mae", "Laplace noise gives the mean absolute error, whose gradient has one size for every error")
def laplace_nll_mae() -> Body:
    """If a target is the prediction plus Laplace noise of scale {b}, its negative log-likelihood is the absolute
    error over the scale plus a constant: for a fixed scale, the only part that depends on the prediction is the
    absolute error, so maximum likelihood over many samples minimises the mean absolute error, as Gaussian noise
    gives the mean squared error. Its derivative with respect to the prediction is the sign of the error over the
    scale, wherever the prediction differs from the target: the same size for every error, large or small, so
    outliers pull no harder than small errors. Where prediction and target meet, the absolute value has a kink and
    any slope between minus and plus one over the scale is a subgradient; the checks keep the target away from
    the prediction.
    """
    pdf = sp.exp(-sp.Abs(target - prediction) / scale) / (2 * scale)
    nll = -sp.log(pdf)
    expanded = sp.expand_log(nll, force=True)
    data_term = sp.Abs(target - prediction) / scale
    gradient = sp.diff(expanded, prediction)
    derivative = sp.Derivative(nll, prediction)
    steps = (
        Step(eq(nll, expanded), "take the negative logarithm of the Laplace density and expand it"),
        Step(eq(expanded, data_term + sp.log(2 * scale)), "collect the logarithms of 2 and of the scale into one"),
        Step(
            eq(derivative, gradient),
            "differentiate: the absolute error's slope is the sign of the error, away from the kink",
        ),
    )
    results = (
        Step(
            eq(nll, data_term + sp.log(2 * scale)),
            "the negative log-likelihood: the absolute error over the scale, plus a constant",
        ),
        Step(
            eq(derivative, sp.sign(prediction - target) / scale),
            "its derivative in the prediction {a}, wherever the prediction differs from the target",
        ),
        Step(
            eq(sp.Abs(sp.Derivative(nll, prediction)), 1 / scale),
            "its size does not depend on how large the error is: outliers pull as hard as small errors",
        ),
    )
    target_kind = apart_from(prediction)
    target_kind = dataclasses.replace(target_kind, name=f"the target, {target_kind.name}")
    domain = Domain({prediction: REAL_PREDICTION, target: target_kind, scale: NOISE_SCALE})
    return Body(domain, steps, results)
