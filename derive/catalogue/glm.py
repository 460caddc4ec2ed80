"""Two more noise models and the losses they give: Poisson (log link) and Laplace (mean absolute error).

>>> import derive
>>> derive.get("poisson_nll_grad").result.rhs
-y + exp(eta)
"""

from __future__ import annotations

import sympy as sp

from derive.core import Body, Step, entry, eq
from derive.domain import LOGIT, OUTCOME_COUNT, POSITIVE, Domain, apart_from
from derive.symbols import y

eta = sp.Symbol("eta", real=True)
rate = sp.Symbol("lambda", positive=True)
f = sp.Symbol("f", real=True)
target = sp.Symbol("y", real=True)
scale = sp.Symbol("b", positive=True)


@entry("poisson_nll_grad", "Poisson regression: the negative log-likelihood with a log link and its gradient")
def poisson_nll_grad() -> Body:
    """A count y drawn from a Poisson distribution with rate lambda = e^eta (the log link keeps the rate
    positive for any real eta) has the negative log-likelihood e^eta - y eta + ln y!; the term ln y! does not
    depend on eta, so the gradient is e^eta - y: the predicted rate minus the observed count, zero exactly when
    the prediction matches the count and growing without the saturation a sigmoid would add.
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
            "the Poisson probability of the count y, at the rate lambda = e^eta (log link: positive for any eta)",
        ),
        Step(eq(nll, expanded), "take -ln and expand the logarithm (ln e^{eta y} = eta y, ln e^{-e^eta} = -e^eta)"),
        Step(eq(derivative, gradient), "differentiate term by term: ln y! does not depend on eta"),
    )
    results = (
        Step(eq(derivative, gradient), "the gradient is the predicted rate minus the observed count"),
        Step(eq(nll, expanded), "the Poisson negative log-likelihood with a log link"),
    )
    return Body(Domain({eta: LOGIT, y: OUTCOME_COUNT, rate: POSITIVE}), steps, results)


@entry("laplace_nll_mae", "Laplace noise gives the mean absolute error, with subgradient sign(f - y)")
def laplace_nll_mae() -> Body:
    """If a target y is the prediction f plus Laplace noise of scale b, its negative log-likelihood is
    |y - f|/b + ln(2b): for a fixed b, the only part that depends on f is |y - f|, so maximum likelihood over
    many samples minimises the mean absolute error, as Gaussian noise gives the mean squared error. Its
    derivative in f is sign(f - y)/b wherever f differs from y: the same size for every error, large or small,
    so outliers pull no harder than small errors. At f = y the absolute value has a kink and any value in
    [-1/b, 1/b] is a subgradient; the checks keep y away from f.
    """
    pdf = sp.exp(-sp.Abs(target - f) / scale) / (2 * scale)
    nll = -sp.log(pdf)
    expanded = sp.expand_log(nll, force=True)
    data_term = sp.Abs(target - f) / scale
    gradient = sp.diff(expanded, f)
    derivative = sp.Derivative(nll, f)
    steps = (
        Step(eq(nll, expanded), "take -ln of the Laplace density e^{-|y - f|/b} / (2b) and expand the logarithm"),
        Step(eq(expanded, data_term + sp.log(2 * scale)), "collect ln 2 + ln b into ln(2b)"),
        Step(eq(derivative, gradient), "differentiate: d|f - y|/df = sign(f - y) away from f = y; ln(2b) is constant"),
    )
    results = (
        Step(eq(nll, data_term + sp.log(2 * scale)), "the negative log-likelihood: absolute error over b, plus ln(2b)"),
        Step(eq(derivative, sp.sign(f - target) / scale), "its subgradient in f, valid wherever f differs from y"),
        Step(
            eq(sp.Abs(sp.Derivative(nll, f)), 1 / scale),
            "its size does not depend on how large the error is: outliers pull as hard as small errors",
        ),
    )
    return Body(Domain({f: LOGIT, target: apart_from(f), scale: POSITIVE}), steps, results)
