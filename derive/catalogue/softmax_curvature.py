"""Second derivatives through softmax: the Hessian of cross-entropy in the logits, and why it is convex.

>>> import derive
>>> derive.get("cce_softmax_hessian").result.rhs
(KroneckerDelta(i, j) - softmax(z, j, K))*softmax(z, i, K)
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LABEL_VECTOR, LOGIT_VECTOR, PROBABILITY_VECTOR, Domain
from derive.model.symbols import K, av, i, j, k, yv, zv
from derive.recipes.curvature_kinds import MODERATE_LOGIT_VECTOR
from derive.recipes.sums import collapse_delta_sums, sum_split
from derive.registry import get

v = sp.IndexedBase("v", real=True)


def rename_sums(expr: sp.Expr, index: sp.Symbol = k) -> sp.Expr:
    """Give every single sum the summation index ``index``, so equal sums look equal.

    >>> from derive.model.symbols import K, i, k, yv
    >>> rename_sums(sp.Sum(yv[i], (i, 1, K)) - sp.Sum(yv[k], (k, 1, K)))
    0
    """
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1,
        lambda s: s.xreplace({s.limits[0][0]: index}),
    )


@entry(
    "cce_softmax_hessian",
    "The Hessian of cross-entropy through softmax, and why it is positive semidefinite",
    uses=("cce_softmax_grad", "softmax_jacobian"),
)
def cce_softmax_hessian() -> Body:
    """Differentiating the cross-entropy gradient once more leaves only the softmax Jacobian, so the Hessian is the
    label total times the Jacobian; for labels summing to one it does not depend on the labels at all. In any
    direction, the Hessian's quadratic form is the variance of the direction's entries when each class is drawn
    with its softmax probability: a variance is never negative, so the Hessian is positive semidefinite and
    cross-entropy is convex in the logits (it is flat only along the direction that shifts every logit equally,
    which softmax ignores).
    """
    a_i = softmax(zv, i, K)
    gradient = get("cce_softmax_grad").results[0]
    loss = gradient.lhs.expr
    general_gradient = rename_sums(gradient.rhs)
    label_total = sp.Sum(yv[k], (k, 1, K))
    jacobian = get("softmax_jacobian").result
    hessian = sp.Derivative(loss, zv[i], zv[j])
    through = label_total * sp.Derivative(a_i, zv[j])
    general = label_total * jacobian.rhs
    closed = jacobian.rhs
    simplex = {yv: PROBABILITY_VECTOR}
    moderate = {zv: MODERATE_LOGIT_VECTOR}

    # The quadratic form for any probability vector a (softmax(z) is one): O(K^2) to evaluate, where the
    # same sums over softmax(z, j, K) would recompute each softmax, O(K^3).
    hessian_of_a = closed.replace(softmax, lambda zz, ix, size: av[ix])
    quadratic = sp.Sum(v[i] * sp.Sum(hessian_of_a * v[j], (j, 1, K)), (i, 1, K))
    inner = collapse_delta_sums(sum_split(sp.Sum(hessian_of_a * v[j], (j, 1, K))))
    outer = rename_sums(sum_split(sp.Sum(sp.expand(v[i] * inner), (i, 1, K))))
    mean = sp.Sum(av[k] * v[k], (k, 1, K))
    expected = rename_sums(sp.Sum(av[i] * v[i] ** 2, (i, 1, K))) - mean**2
    if sp.expand(outer - expected) != 0:
        raise AssertionError("the quadratic form did not reduce to sum a v^2 - (sum a v)^2")
    variance = sp.Sum(av[i] * (v[i] - mean) ** 2, (i, 1, K))
    variance_split = rename_sums(sum_split(sp.expand(variance)))
    probability_total = sp.Sum(av[k], (k, 1, K))
    variance_closed = sp.expand(variance_split.subs(probability_total, 1))
    steps = (
        Step(
            eq(hessian, sp.Derivative(general_gradient, zv[j])),
            "differentiate the gradient, from `cce_softmax_grad`",
            where=moderate,
            symbolic=False,
        ),
        Step(
            eq(sp.Derivative(general_gradient, zv[j]), through),
            "the labels do not depend on the logits",
            where=moderate,
        ),
        Step(eq(through, general), "substitute the softmax Jacobian, from `softmax_jacobian`", symbolic=False),
        Step(eq(general, closed), "for labels summing to one the label total is one", where=simplex, symbolic=False),
        Step(
            eq(quadratic, outer),
            "the quadratic form in a direction {v}: the Kronecker delta keeps one term of the inner sum",
            symbolic=False,
        ),
        Step(
            eq(variance, variance_split),
            "expand the variance of the direction's entries, each weighted by its class's probability",
            symbolic=False,
        ),
        Step(eq(probability_total, 1), "the probabilities (the softmax outputs) sum to one", symbolic=False),
        Step(
            eq(variance_split, variance_closed),
            "so the variance is the weighted mean square less the squared weighted mean",
            symbolic=False,
        ),
    )
    results = (
        Step(
            eq(hessian, closed),
            "the Hessian for labels summing to one: the softmax Jacobian itself",
            where={**simplex, **moderate},
            symbolic=False,
        ),
        Step(eq(hessian, general), "for any non-negative labels, times their total", where=moderate, symbolic=False),
        Step(eq(quadratic, variance), "the quadratic form is a variance", symbolic=False),
        Step(
            sp.Ge(quadratic, 0),
            "so the Hessian is positive semidefinite: cross-entropy is convex in the logits",
            symbolic=False,
            equality_cases=({v: sp.Lambda(k, 1)},),  # a shift of every logit alike changes nothing
        ),
    )
    domain = Domain(
        {
            K: CLASS_COUNT,
            i: INDEX,
            j: INDEX,
            zv: LOGIT_VECTOR,
            yv: LABEL_VECTOR,
            av: PROBABILITY_VECTOR,
            v: LOGIT_VECTOR,
        }
    )
    return Body(domain, steps, results)
