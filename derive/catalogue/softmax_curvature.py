"""Second derivatives through softmax: the Hessian of cross-entropy in the logits, and why it is convex.

>>> import derive
>>> derive.get("cce_softmax_hessian").result.rhs
(KroneckerDelta(i, j) - softmax(z, j, K))*softmax(z, i, K)
"""

from __future__ import annotations

import sympy as sp

from derive.catalogue.second_derivative_kinds import MODERATE_LOGIT_VECTOR
from derive.core import Body, Step, entry, eq
from derive.domain import CLASS_COUNT, INDEX, LABEL_VECTOR, LOGIT_VECTOR, PROBABILITY_VECTOR, Domain
from derive.functions import softmax
from derive.registry import get
from derive.rules import collapse_delta_sums, sum_split
from derive.symbols import K, av, i, j, k, yv, zv

v = sp.IndexedBase("v", real=True)


def rename_sums(expr: sp.Expr, index: sp.Symbol = k) -> sp.Expr:
    """Give every single sum the summation index ``index``, so equal sums look equal.

    >>> from derive.symbols import K, i, k, yv
    >>> rename_sums(sp.Sum(yv[i], (i, 1, K)) - sp.Sum(yv[k], (k, 1, K)))
    0
    """
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1,
        lambda s: s.xreplace({s.limits[0][0]: index}),
    )


@entry(
    "cce_softmax_hessian",
    "The Hessian of cross-entropy through softmax: diag(a) - a a^T, positive semidefinite",
    uses=("cce_softmax_grad", "softmax_jacobian"),
)
def cce_softmax_hessian() -> Body:
    """Differentiating the cross-entropy gradient a_i sum_k y_k - y_i once more in z_j leaves only the softmax
    Jacobian, so the Hessian is sum_k y_k times a_i (delta_ij - a_j); for labels summing to 1 it is
    diag(a) - a a^T and does not depend on the labels at all. For any direction v, v^T H v = sum_i a_i v_i^2 -
    (sum_i a_i v_i)^2, which is the variance of the values v_i when class i is drawn with probability a_i: a
    variance is never negative, so the Hessian is positive semidefinite and cross-entropy is convex in the logits
    (it is flat only along v = (1, ..., 1), the shift that softmax ignores).
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
            "differentiate the gradient, from cce_softmax_grad",
            where=moderate,
            symbolic=False,
        ),
        Step(
            eq(sp.Derivative(general_gradient, zv[j]), through),
            "the labels do not depend on the logits",
            where=moderate,
        ),
        Step(eq(through, general), "softmax Jacobian, from softmax_jacobian", symbolic=False),
        Step(eq(general, closed), "labels summing to 1", where=simplex, symbolic=False),
        Step(eq(quadratic, outer), "v^T H v: the delta keeps j = i in the inner sum", symbolic=False),
        Step(eq(variance, variance_split), "expand the variance of v under the weights a", symbolic=False),
        Step(eq(probability_total, 1), "the probabilities a_k (the softmax outputs) sum to 1", symbolic=False),
        Step(
            eq(variance_split, variance_closed),
            "so the variance is sum_i a_i v_i^2 - (sum_i a_i v_i)^2",
            symbolic=False,
        ),
    )
    results = (
        Step(
            eq(hessian, closed),
            "the Hessian for labels summing to 1: diag(a) - a a^T",
            where={**simplex, **moderate},
            symbolic=False,
        ),
        Step(eq(hessian, general), "for any non-negative labels, times their total", where=moderate, symbolic=False),
        Step(eq(quadratic, variance), "v^T H v is a variance", symbolic=False),
        Step(
            sp.Ge(quadratic, 0), "so H is positive semidefinite: cross-entropy is convex in the logits", symbolic=False
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
