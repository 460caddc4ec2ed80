"""Cross-entropy and the Kullback-Leibler divergence, and why minimising one minimises the other.

>>> import derive
>>> derive.get("cross_entropy").result
Eq(H(p, q), -Sum(log(q[k])*p[k], (k, 1, K)))
>>> derive.get("kl_divergence").result
Eq(D_KL(p, q), Sum(log(p[k]/q[k])*p[k], (k, 1, K)))
"""

from __future__ import annotations

import sympy as sp

from derive.catalogue.information import H2, H, expected, nats
from derive.core import Body, Step, entry, eq
from derive.domain import CLASS_COUNT, INDEX, POSITIVE, PROBABILITY_VECTOR, Domain, one_hot_at
from derive.registry import get
from derive.rules import collapse_delta_sums, sum_split
from derive.symbols import K, c, j, k, pv, qv

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
    """The cross-entropy H(p, q) is defined as the self-information of the outcomes under the model q,
    averaged under the true distribution p: the average surprise of someone who believes q while the
    world follows p. Taking the minus sign of -ln q_k out of the sum gives -sum_k p_k ln q_k. With
    q = p it is the entropy of p, and when p is a one-hot label e_c it is -ln q_c, the loss of
    categorical classification."""
    averaged = expected(pv, nats(qv[k]))
    closed = sp.factor_terms(averaged)
    # H(p, q) by its definition; H(p) as the entropy derivation found it, so result 2 links the two.
    definition = {H2: sp.Lambda((pv, qv), averaged), H: sp.Lambda(pv, get("entropy").result.rhs)}
    # xreplace, not subs: subs will not touch q_k inside a sum over its own index k.
    one_hot = closed.xreplace({pv[k]: sp.KroneckerDelta(k, c)})
    picked = collapse_delta_sums(one_hot)
    steps = (
        Step(eq(averaged, closed), "take the minus sign out of the sum"),
        Step(eq(one_hot, picked), "a one-hot p = e_c keeps only the k = c term (delta sum)", symbolic=False),
    )
    results = (
        Step(eq(H2(pv, qv), closed), "the cross-entropy of q relative to p, in nats", model=definition),
        Step(eq(H2(pv, pv), H(pv)), "against itself, the cross-entropy is the entropy", model=definition),
        Step(
            eq(H2(pv, qv), picked),
            "for a one-hot p = e_c only the true class counts",
            where={pv: one_hot_at(c)},
            model=definition,
        ),
    )
    return Body(Domain({K: CLASS_COUNT, c: INDEX, pv: PROBABILITY_VECTOR, qv: PROBABILITY_VECTOR}), steps, results)


@entry("kl_divergence", "The Kullback-Leibler divergence", uses=("entropy", "cross_entropy"))
def kl_divergence() -> Body:
    """The divergence D_KL(p || q) is defined as the extra surprise of the model q over the truth p,
    averaged under p: sum_k p_k [I(q_k) - I(p_k)] = sum_k p_k ln(p_k / q_k). By expand_log it splits
    into the cross-entropy minus the entropy: D_KL(p || q) = H(p, q) - H(p). Gibbs' inequality
    ln t <= t - 1 (the convex t - 1 - ln t is smallest, 0, at t = 1 only) applied to t = q_k / p_k
    gives D_KL >= 0. Adding sum_k (q_k - p_k) = 0 writes D_KL as the p-weighted gap t - 1 - ln t at
    t_k = q_k / p_k; as the gap's second derivative 1/s^2 is at least 1/(1 + t)^2 between 1 and t, the
    gap is at least (t - 1)^2 / (2 (1 + t)^2), so D_KL >= sum_k p_k (p_k - q_k)^2 / (2 (p_k + q_k)^2):
    zero at q = p and positive at every other q. Since H(p) does not depend on q, the gradients of
    H(p, q) and D_KL(p || q) with respect to q agree: minimising the cross-entropy over the model q is
    minimising the divergence, and the minimum, at q = p, is the entropy."""
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
        Step(eq(divergence, split), "expand_log: ln(p/q) = ln p - ln q; split the sum"),
        Step(eq(sp.Derivative(gap, t), slope), "Gibbs: t - 1 - ln t has slope 1 - 1/t"),
        Step(eq(sp.Subs(slope, t, lowest), 0), "which vanishes at t = 1 only (sp.solve)"),
        Step(eq(sp.Derivative(gap, t, 2), curvature), "and t - 1 - ln t is strictly convex, so t = 1 is its minimum"),
        Step(eq(sp.Subs(gap, t, lowest), 0), "where it is 0"),
        Step(sp.Le(sp.log(t), t - 1), "hence ln t <= t - 1, with equality only at t = 1"),
        Step(sp.Le(-divergence, sp.Sum(weighted, (k, 1, K))), "-ln(p/q) = ln(q/p) <= q/p - 1, weighted by p_k > 0"),
        Step(eq(sp.Sum(weighted, (k, 1, K)), bound), "expand and split the sum: sum_k q_k - sum_k p_k"),
        Step(eq(bound, 0), "both p and q sum to 1, so -D_KL <= 0"),
        Step(eq(divergence, weighted_gap), "add sum_k (q_k - p_k) = 0: D_KL is the p-weighted gap at t_k = q_k/p_k"),
        Step(
            sp.Ge(gap, floor),
            "the gap starts at 0 with slope 0 at t = 1, and its curvature 1/s^2 there is at least 1/(1 + t)^2",
        ),
    )
    results = (
        Step(
            eq(D(pv, qv), divergence),
            "the extra surprise of q over p, averaged under p: sum_k p_k ln(p_k/q_k)",
            model=model,
        ),
        Step(eq(D(pv, qv), H2(pv, qv) - H(pv)), "the two sums are the cross-entropy and the entropy", model=model),
        Step(sp.Ge(D(pv, qv), 0), "Gibbs' inequality: never negative", model=model),
        Step(
            sp.Ge(D(pv, qv), squares),
            "zero at q = p (every gap at t = 1), and only there: a sum of squares, 0 only if q_k = p_k for all k",
            model=model,
        ),
        Step(
            eq(sp.Derivative(H2(pv, qv), qv[j]), sp.Derivative(D(pv, qv), qv[j])),
            "so minimising the cross-entropy over q minimises the divergence",
            model=model,
        ),
        Step(sp.Ge(H2(pv, qv), H(pv)), "and the cross-entropy is smallest, equal to H(p), at q = p", model=model),
    )
    domain = Domain({K: CLASS_COUNT, j: INDEX, pv: PROBABILITY_VECTOR, qv: PROBABILITY_VECTOR, t: POSITIVE})
    return Body(domain, steps, results)
