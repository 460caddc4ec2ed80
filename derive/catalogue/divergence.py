"""Cross-entropy and the Kullback-Leibler divergence, and why minimising one minimises the other.

>>> import derive
>>> derive.get("cross_entropy").result
Eq(H(p, q), -Sum(log(q[k])*p[k], (k, 1, K)))
>>> derive.get("kl_divergence").result
Eq(D_KL(p, q), Sum(log(p[k]/q[k])*p[k], (k, 1, K)))
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, POSITIVE, PROBABILITY_VECTOR, Domain, one_hot_at
from derive.model.symbols import K, c, j, k, pv, qv
from derive.recipes.losses import H2, H, expected, nats
from derive.recipes.sums import collapse_delta_sums, sum_split
from derive.registry import get

D = sp.Function("D_KL", nargs=2)
t = sp.Symbol("t", positive=True)


def definitions() -> dict[sp.FunctionClass, sp.Lambda]:
    """Entropy and cross-entropy as the catalogue defines them, for the numeric checks."""
    return {
        H: sp.Lambda(pv, get("entropy").result.rhs),
        H2: sp.Lambda((pv, qv), get("cross_entropy").result.rhs),
    }


@entry("cross_entropy", "Cross-entropy", uses=("self_information", "entropy"))
def cross_entropy() -> Body:
    """The cross-entropy is defined as the self-information of each outcome under the model's distribution,
    averaged under the true distribution: the average surprise of someone who believes the model while the
    world follows the truth. Against itself it is the entropy; against a one-hot truth it keeps only the
    surprise at the true class, which is the loss of categorical classification."""
    averaged = expected(pv, nats(qv[k]))
    closed = sp.factor_terms(averaged)
    # H(p, q) by its definition; H(p) as the entropy derivation found it, so result 2 links the two.
    definition = {H2: sp.Lambda((pv, qv), averaged), H: sp.Lambda(pv, get("entropy").result.rhs)}
    # xreplace, not subs: subs will not touch q_k inside a sum over its own index k.
    one_hot = closed.xreplace({pv[k]: sp.KroneckerDelta(k, c)})
    picked = collapse_delta_sums(one_hot)
    steps = (
        Step(eq(averaged, closed), "take the minus sign out of the sum"),
        Step(
            eq(one_hot, picked),
            "for a one-hot truth the Kronecker delta keeps only the term of the true class {c}",
            symbolic=False,
        ),
    )
    results = (
        Step(eq(H2(pv, qv), closed), "the cross-entropy of the model relative to the truth, in nats", model=definition),
        Step(eq(H2(pv, pv), H(pv)), "against itself, the cross-entropy is the entropy", model=definition),
        Step(
            eq(H2(pv, qv), picked),
            "for a one-hot truth only the true class counts",
            where={pv: one_hot_at(c)},
            model=definition,
        ),
    )
    return Body(Domain({K: CLASS_COUNT, c: INDEX, pv: PROBABILITY_VECTOR, qv: PROBABILITY_VECTOR}), steps, results)


@entry("kl_divergence", "The Kullback-Leibler divergence", uses=("entropy", "cross_entropy"))
def kl_divergence() -> Body:
    """The Kullback-Leibler divergence is defined as the model's extra surprise over the truth's, averaged under
    the true distribution. Expanding the logarithm splits it into the cross-entropy minus the entropy. Gibbs'
    inequality (a logarithm never exceeds its argument less one) shows that it is never negative, and a sum of
    squares below it shows that it is zero only when the model equals the truth. Since the entropy does not
    depend on the model, the cross-entropy and the divergence have the same gradient with respect to the model:
    minimising one minimises the other, and the smallest cross-entropy, reached at the truth, is the entropy."""
    summand = pv[k] * sp.log(pv[k] / qv[k])
    divergence = sp.Sum(summand, (k, 1, K))
    split = sum_split(sp.expand_log(divergence, force=True))
    known = definitions()
    model = {**known, D: sp.Lambda((pv, qv), expected(pv, nats(qv[k]) - nats(pv[k])))}
    gap = t - 1 - sp.log(t)
    slope = sp.diff(gap, t)
    (lowest,) = sp.solve(eq(slope, 0), t)
    curvature = sp.diff(gap, t, 2)
    weighted = pv[k] * (t - 1).subs(t, qv[k] / pv[k])
    bound = sum_split(sp.Sum(sp.expand(weighted), (k, 1, K)))
    floor = (t - 1) ** 2 / (2 * (1 + t) ** 2)
    ratio = {t: qv[k] / pv[k]}
    weighted_gap = sp.Sum(pv[k] * gap.xreplace(ratio), (k, 1, K))
    squares = sp.Sum(sp.factor(pv[k] * floor.xreplace(ratio)), (k, 1, K))
    steps = (
        Step(
            eq(divergence, split),
            "the logarithm of a ratio is into a difference of logarithms; split the sum in two",
        ),
        Step(
            eq(sp.Derivative(gap, t), slope),
            "for Gibbs' inequality, differentiate the gap between a positive number less one and its logarithm",
        ),
        Step(eq(sp.Subs(slope, t, lowest), 0), "the slope vanishes only where the number is one"),
        Step(
            eq(sp.Derivative(gap, t, 2), curvature),
            "the second derivative is positive, so the gap is strictly convex and that point is its minimum",
        ),
        Step(eq(sp.Subs(gap, t, lowest), 0), "where the gap is zero"),
        Step(
            sp.Le(sp.log(t), t - 1),
            "hence a logarithm never exceeds its argument less one, with equality only at one",
            equality_cases=({t: 1},),
        ),
        Step(
            sp.Le(-divergence, sp.Sum(weighted, (k, 1, K))),
            "apply that bound to each ratio of model to true probability, weighted by the positive true probability",
            equality_cases=({qv: pv},),
        ),
        Step(
            eq(sp.Sum(weighted, (k, 1, K)), bound),
            "expand and split the sum into the model's total probability less the truth's",
        ),
        Step(eq(bound, 0), "both distributions sum to one, so the negated divergence is at most zero"),
        Step(
            eq(divergence, weighted_gap),
            "add the model's probabilities, take away the truth's (a net zero): each term becomes the gap at its ratio",
        ),
        Step(
            sp.Ge(gap, floor),
            "the gap and its slope are zero at one, and its curvature from one to {t} is bounded below: integrate",
            equality_cases=({t: 1},),
        ),
    )
    results = (
        Step(
            eq(D(pv, qv), divergence),
            "the model's extra surprise over the truth's, averaged under the true distribution",
            model=model,
        ),
        Step(eq(D(pv, qv), H2(pv, qv) - H(pv)), "the two sums are the cross-entropy and the entropy", model=model),
        Step(sp.Ge(D(pv, qv), 0), "Gibbs' inequality: never negative", model=model, equality_cases=({qv: pv},)),
        Step(
            sp.Ge(D(pv, qv), squares),
            "zero when the model equals the truth and only then, as it lies above a sum of squares",
            model=model,
            equality_cases=({qv: pv},),
        ),
        Step(
            eq(sp.Derivative(H2(pv, qv), qv[j]), sp.Derivative(D(pv, qv), qv[j])),
            "so minimising the cross-entropy over the model minimises the divergence",
            model=model,
        ),
        Step(
            sp.Ge(H2(pv, qv), H(pv)),
            "and the cross-entropy is smallest, equal to the entropy, when the model equals the truth",
            model=model,
            equality_cases=({qv: pv},),
        ),
    )
    domain = Domain({K: CLASS_COUNT, j: INDEX, pv: PROBABILITY_VECTOR, qv: PROBABILITY_VECTOR, t: POSITIVE})
    return Body(domain, steps, results)
