"""Maximum likelihood: Gaussian noise gives the MSE, Bernoulli the BCE, categorical the CE.

Each loss is the negative log of a probability model's likelihood, expanded by
``expand_log``: nothing is assumed about the loss itself.

>>> import derive
>>> derive.get("bernoulli_nll_bce").result
Eq(-log(a**y*(1 - a)**(1 - y)), -(y*log(a) + (1 - y)*log(1 - a)))
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Body, Named, Step, entry, eq
from derive.model.domain import (
    BINARY,
    CLASS_COUNT,
    COUNT,
    INDEX,
    LABEL,
    LABEL_VECTOR,
    LOGIT,
    NATURAL,
    POSITIVE,
    PROBABILITY,
    PROBABILITY_VECTOR,
    Domain,
    differing_from,
    index_up_to,
    one_hot_at,
    vector_of,
)
from derive.model.symbols import K, a, av, c, j, k, m, n, pv, qv, sigma, y, yv
from derive.recipes.sums import collapse_delta_sums
from derive.registry import get

# Targets and model outputs (the predictions a, as on every page) of m regression samples, and class counts.
targets = sp.IndexedBase("y", real=True)
outputs = sp.IndexedBase("a", real=True)
NLL = sp.Symbol("L")
counts = sp.IndexedBase("n", integer=True, nonnegative=True)
squares = sp.Symbol("S", positive=True)  # stands for the sum of squares while solving for sigma
MSE = sp.Function("MSE", nargs=2)


def split_sum(expr: sp.Expr) -> sp.Expr:
    """Split each sum over a sum of terms, pulling out factors free of the index; squares stay whole.

    >>> split_sum(sp.Sum(sp.log(sigma) + (targets[n] - outputs[n]) ** 2 / 2, (n, 1, m)))
    m*log(sigma) + Sum((-a[n] + y[n])**2, (n, 1, m))/2
    """

    def split(total: sp.Sum) -> sp.Expr:
        ((index, lo, hi),) = total.limits
        out = sp.S.Zero
        for term in sp.Add.make_args(total.function):
            free, bound = term.as_independent(index, as_Add=False)
            out += free * (sp.Sum(bound, (index, lo, hi)) if bound != 1 else hi - lo + 1)
        return out

    return expr.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, split)


@entry("gaussian_nll_mse", "Gaussian noise: the negative log-likelihood is the MSE")
def gaussian_nll_mse() -> Body:
    """If each target is the model's output plus independent Gaussian noise of a fixed spread {sigma}, the negative
    logarithm of the likelihood of the samples (a product of densities, turned into a sum of logarithms) is the sum of
    squared errors over twice the variance, plus terms that do not depend on the outputs. For a fixed spread this
    is an increasing affine function of the mean squared error, so both have the same gradient up to a positive
    factor and are minimised by the same outputs; and setting the derivative with respect to the spread to zero
    shows that the maximum-likelihood variance is the mean squared error itself. That last step needs a positive
    mean squared error: when every output equals its target the likelihood grows without bound as the spread
    shrinks, and no spread maximises it."""
    density = sp.exp(-((targets[n] - outputs[n]) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    nll = -sp.log(sp.Product(density, (n, 1, m)))
    logs = sp.Sum(sp.expand_log(-sp.log(density), force=True), (n, 1, m))
    total = sp.Sum((targets[n] - outputs[n]) ** 2, (n, 1, m))
    closed = total / (2 * sigma**2) + m * sp.log(sigma) + m * sp.log(2 * sp.pi) / 2
    mean = {MSE: sp.Lambda((targets, outputs), total / m)}
    affine = m / (2 * sigma**2) * MSE(targets, outputs) + m * sp.log(sigma) + m * sp.log(2 * sp.pi) / 2
    slope = sp.diff(closed, sigma)
    (best,) = sp.solve(eq(slope.subs(total, squares), 0), sigma)
    best = best.subs(squares, total)
    # The variance is 0 where every output equals its target: results 4 and 5 need the outputs apart.
    apart = {outputs: differing_from(vector_of(LOGIT, m), targets, "model outputs, not all equal to the targets")}
    steps = (
        Step(
            eq(nll, logs),
            "the logarithm of a product of independent densities is a sum of logarithms",
            symbolic=False,
        ),
        Step(
            eq(logs, split_sum(logs)),
            "split the sum; the terms that do not depend on the sample add up once per sample",
            symbolic=False,
        ),
        Step(
            eq(sp.Derivative(closed, sigma), slope), "differentiate with respect to the spread {sigma}", symbolic=False
        ),
    )
    results = (
        Step(
            eq(nll, closed),
            "the negative log-likelihood of {m} Gaussian samples (the logarithms of 2 and of pi combine)",
            symbolic=False,
        ),
        Step(
            eq(nll, affine), "for a fixed spread, an increasing affine function of the MSE", model=mean, symbolic=False
        ),
        Step(
            eq(
                sp.Derivative(closed, outputs[j]), m / (2 * sigma**2) * sp.Derivative(MSE(targets, outputs), outputs[j])
            ),
            "so it is minimised exactly where the MSE is: the gradients differ by a positive factor",
            model=mean,
            symbolic=False,
        ),
        Step(
            eq(sp.Subs(slope, sigma, sp.sqrt(MSE(targets, outputs))), 0),
            "the slope vanishes where the variance equals the MSE: the maximum-likelihood variance",
            model=mean,
            symbolic=False,
            where=apart,
        ),
        Step(
            sp.Gt(sp.Subs(sp.diff(slope, sigma), sigma, best), 0),
            "and a minimum: the slope increases through it",
            where=apart,
        ),
    )
    domain = Domain(
        {
            m: COUNT,
            j: index_up_to(m),
            sigma: POSITIVE,
            targets: vector_of(LOGIT, m, "real targets, one per sample"),
            outputs: vector_of(LOGIT, m, "real model outputs, one per sample"),
        }
    )
    named = (Named(NLL, nll, "the loss on this page, the negative log-likelihood of the samples"),)
    return Body(domain, steps, results, named=named)


@entry(
    "bernoulli_nll_bce",
    "Bernoulli labels: the negative log-likelihood is the binary cross-entropy",
    uses=("cross_entropy",),
)
def bernoulli_nll_bce() -> Body:
    """A binary label drawn from a Bernoulli distribution has the predicted probability when it is 1 and the rest
    of the probability when it is 0; one product of powers covers both cases. Its negative logarithm, the
    logarithm of the product expanded into a sum, is the binary cross-entropy; for a soft label between 0 and 1
    this is the cross-entropy of the prediction's two outcomes relative to the label's. For independent samples
    the negative log-likelihood is the sum of the per-sample losses."""
    pmf = a**y * (1 - a) ** (1 - y)
    bce = sp.Mul(-1, y * sp.log(a) + (1 - y) * sp.log(1 - a), evaluate=False)
    sample = pmf.subs({a: av[n], y: yv[n]})
    joint = -sp.log(sp.Product(sample, (n, 1, m)))
    summed = sp.expand_log(joint, force=True)
    per_sample = sp.Sum(bce.subs({a: av[n], y: yv[n]}), (n, 1, m))
    # The cross-entropy of two outcomes: the label distribution (y, 1 - y), the prediction (a, 1 - a).
    two_outcomes = get("cross_entropy").result.rhs.subs(K, 2).doit()
    two_outcomes = two_outcomes.xreplace({pv[1]: y, pv[2]: 1 - y, qv[1]: a, qv[2]: 1 - a})
    steps = (
        Step(eq(sp.Subs(pmf, y, 1), pmf.subs(y, 1)), "a positive label has the predicted probability {a}"),
        Step(eq(sp.Subs(pmf, y, 0), pmf.subs(y, 0)), "a negative label has the rest of the probability"),
        Step(
            eq(-sp.log(pmf), sp.expand_log(-sp.log(pmf), force=True)),
            "expand the logarithm of the powers",
        ),
        Step(eq(joint, summed), "{m} independent samples: the logarithm turns the product into a sum", symbolic=False),
    )
    results = (
        Step(eq(-sp.log(pmf), bce), "the binary cross-entropy is the Bernoulli negative log-likelihood"),
        Step(
            eq(bce, two_outcomes),
            "for a soft label from 0 to 1: the cross-entropy of the prediction's two outcomes relative to the label's",
            where={y: LABEL},
        ),
        Step(eq(joint, per_sample), "over {m} samples: the sum of the per-sample losses", symbolic=False),
    )
    domain = Domain(
        {
            a: PROBABILITY,
            y: BINARY,
            m: COUNT,
            av: vector_of(PROBABILITY, m, "predicted probabilities, one per sample"),
            yv: vector_of(BINARY, m, "binary labels, one per sample"),
        }
    )
    return Body(domain, steps, results)


@entry("categorical_nll_cce", "Categorical labels: the negative log-likelihood is the categorical cross-entropy")
def categorical_nll_cce() -> Body:
    """A one-hot label drawn from a categorical distribution has a probability mass that is a product of powers,
    which picks out the probability of the true class; its negative logarithm is the categorical cross-entropy,
    which for a one-hot label is the surprise at the true class. For class counts from a multinomial
    distribution the mass also carries a multinomial coefficient, so the negative log-likelihood differs from the
    cross-entropy of the counts only by the logarithm of that coefficient, which does not depend on the
    predictions: both have the same gradient and the same minimiser."""
    pmf = sp.Product(av[k] ** yv[k], (k, 1, K))
    cce = sp.expand_log(-sp.log(pmf), force=True)
    # xreplace, not subs: subs will not touch y_k inside a sum over its own index k.
    one_hot = cce.xreplace({yv[k]: sp.KroneckerDelta(k, c)})
    trials = sp.Sum(counts[k], (k, 1, K))
    coefficient = sp.factorial(trials) / sp.Product(sp.factorial(counts[k]), (k, 1, K))
    multinomial = -sp.log(coefficient * sp.Product(av[k] ** counts[k], (k, 1, K)))
    expanded = sp.expand_log(multinomial, force=True)
    cce_counts = cce.subs(yv, counts)
    constant = sp.expand_log(-sp.log(coefficient), force=True)
    steps = (
        Step(eq(pmf, av[c]), "a one-hot label picks the probability of its class", where={yv: one_hot_at(c)}),
        Step(eq(-sp.log(pmf), cce), "the logarithm of the product is a sum"),
        Step(
            eq(one_hot, collapse_delta_sums(one_hot)),
            "for a one-hot label the Kronecker delta leaves only the term of the true class {c}",
        ),
        Step(
            eq(multinomial, expanded),
            "the multinomial mass of class counts: their cross-entropy plus terms without predictions",
        ),
    )
    results = (
        Step(eq(-sp.log(pmf), cce), "the categorical cross-entropy is the categorical negative log-likelihood"),
        Step(
            eq(cce, -sp.log(av[c])),
            "for a one-hot label of class {c}: the surprise at that class's probability",
            where={yv: one_hot_at(c)},
        ),
        Step(
            eq(multinomial - cce_counts, constant),
            "for counts, the negative log-likelihood differs only by a term free of the predictions",
        ),
        Step(
            eq(sp.Derivative(multinomial, av[j]), sp.Derivative(cce_counts, av[j])),
            "so it has the same gradient with respect to the predictions, and the same minimiser",
        ),
    )
    domain = Domain(
        {
            K: CLASS_COUNT,
            c: INDEX,
            j: INDEX,
            av: PROBABILITY_VECTOR,
            yv: LABEL_VECTOR,
            counts: vector_of(NATURAL, K, "class counts, one whole number per class"),
        }
    )
    return Body(domain, steps, results)
