"""Second derivatives in the logits: the Hessian of cross-entropy through softmax, and the curvature of BCE and
squared error through sigmoid.

>>> import derive
>>> derive.get("cce_softmax_hessian").result.rhs
(KroneckerDelta(i, j) - softmax(z, j, K))*softmax(z, i, K)
"""

from __future__ import annotations

import sympy as sp

from derive.core import Body, Step, entry, eq
from derive.domain import (
    CLASS_COUNT,
    INDEX,
    LABEL,
    LABEL_VECTOR,
    LOGIT,
    LOGIT_VECTOR,
    PROBABILITY,
    PROBABILITY_VECTOR,
    Domain,
    Kind,
    in_interval,
)
from derive.functions import sigmoid, softmax
from derive.registry import get
from derive.rules import collapse_delta_sums, sum_split
from derive.symbols import K, a, av, i, j, k, y, yv, z, zv

v = sp.IndexedBase("v", real=True)


def _moderate(vector: list) -> list:
    return [None, *(value / 3 for value in vector[1:])]


# Nested finite differences resolve about DPS/2 = 30 digits of the loss, whose value is O(1) to O(30), and
# fewer where ln(1 - sigma(z)) cancels: a curvature of e^-30 (sigmoid at z = 30) or e^-60 (the Hessian at
# logits of +-30) is at or below that. Second derivatives are therefore compared at logits up to +-10
# (curvatures down to e^-20); the closed forms keep the hard points at +-30.
MODERATE_LOGIT = Kind(
    "real logit, hard points at +-10",
    LOGIT.draw,
    lambda pt: [value / 3 for value in LOGIT.hard(pt)],
    LOGIT.relations_of,
)
MODERATE_LOGIT_VECTOR = Kind(
    "vector of real logits z_1..z_K, hard points at +-10",
    LOGIT_VECTOR.draw,
    lambda pt: [_moderate(vector) for vector in LOGIT_VECTOR.hard(pt)],
    LOGIT_VECTOR.relations_of,
    vector=True,
)


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


def _in_prediction(expr: sp.Expr) -> sp.Expr:
    """``expr`` with sigmoid(z) written as the prediction a."""
    return expr.subs(sigmoid(z), a)


def _second_derivative_steps(name: str, loss: sp.Expr, gradient: sp.Expr) -> tuple[list[Step], sp.Expr, sp.Expr]:
    """d^2 L / dz^2 by differentiating the catalogue gradient through the verified sigmoid derivative.

    Returns the steps, the second derivative in z (closed in sigmoid(z)) and its factor dg/da in a.
    """
    rule = get("sigmoid_derivative").result
    outer = sp.diff(_in_prediction(gradient), a)
    chain = outer.subs(a, sigmoid(z)) * rule.lhs
    closed = outer.subs(a, sigmoid(z)) * rule.rhs
    steps = [
        Step(
            eq(sp.Derivative(loss, (z, 2)), sp.Derivative(gradient, z)),
            f"differentiate the gradient, from {name}",
            where={z: MODERATE_LOGIT},
        ),
        Step(eq(sp.Derivative(gradient, z), chain), "chain rule: the gradient is a function of a = sigma(z)"),
        Step(eq(chain, closed), "substitute the sigmoid derivative, from sigmoid_derivative"),
    ]
    return steps, closed, outer


@entry(
    "sigmoid_losses_curvature",
    "Curvature through sigmoid: BCE is convex in z, squared error is not",
    uses=("bce_sigmoid_grad", "mse_sigmoid_grad", "sigmoid_derivative"),
)
def sigmoid_losses_curvature() -> Body:
    """Differentiating the gradients once more through the sigmoid derivative gives the curvature in the logit
    z. For BCE the gradient a - y has derivative 1 in a, so d^2L/dz^2 = a (1 - a): positive for every z and
    every label, so BCE is convex in z and gradient descent on it has no false flat regions. For the squared
    error (a - y)^2/2 the gradient (a - y) a (1 - a) is a cubic in a; its derivative -3a^2 + 2(1 + y)a - y
    changes sign, so the second derivative does too and the loss is not convex in z. For y = 1 the root inside
    (0, 1) is a = 1/3, at z = -ln 2: the loss curves downwards for z < -ln 2, exactly where the prediction is
    confidently wrong, and upwards after. For y = 0 the root is a = 2/3, at z = ln 2. For a soft label y both
    roots a = (1 + y -+ sqrt(y^2 - y + 1))/3 lie inside (0, 1).
    """
    bce, mse = get("bce_sigmoid_grad").result, get("mse_sigmoid_grad").result
    bce_loss, mse_loss = bce.lhs.expr, mse.lhs.expr
    bce_steps, bce_curvature, _ = _second_derivative_steps("bce_sigmoid_grad", bce_loss, bce.rhs)
    mse_steps, mse_curvature, mse_outer = _second_derivative_steps("mse_sigmoid_grad", mse_loss, mse.rhs)
    mse_factor = sp.expand(mse_outer)
    roots = sp.solve(mse_factor, a)
    at_one, at_zero = mse_factor.subs(y, 1), mse_factor.subs(y, 0)
    root_one = [r for r in sp.solve(at_one, a) if 0 < r < 1]
    root_zero = [r for r in sp.solve(at_zero, a) if 0 < r < 1]
    if len(root_one) != 1 or len(root_zero) != 1:
        raise AssertionError("expected one root inside (0, 1) for y = 1 and for y = 0")
    z_one = sp.expand_log(sp.log(root_one[0] / (1 - root_one[0])), force=True)
    z_zero = sp.expand_log(sp.log(root_zero[0] / (1 - root_zero[0])), force=True)
    mse_one, mse_zero = mse_loss.subs(y, 1), mse_loss.subs(y, 0)
    curve_one, curve_zero = sp.Derivative(mse_one, (z, 2)), sp.Derivative(mse_zero, (z, 2))
    below_one, above_one = in_interval(-30, float(z_one)), in_interval(float(z_one), 30)
    below_zero, above_zero = in_interval(-30, float(z_zero)), in_interval(float(z_zero), 30)
    soft = {y: in_interval(0, 1, "soft label y in (0, 1)")}
    moderate = {z: MODERATE_LOGIT}
    steps = (
        *bce_steps,
        *mse_steps,
        Step(eq(mse_outer, mse_factor), "the sign of the second derivative is the sign of this quadratic in a"),
        Step(
            eq(at_one, sp.factor(at_one)),
            "for y = 1, sp.solve: a = 1/3 (inside (0, 1)) or a = 1 (never reached)",
        ),
        Step(eq(at_zero, sp.factor(at_zero)), "for y = 0: a = 0 (never reached) or a = 2/3"),
        Step(eq(sigmoid(z_one), root_one[0]), "a = 1/3 at z = ln(a / (1 - a)) = -ln 2"),
        Step(eq(sigmoid(z_zero), root_zero[0]), "a = 2/3 at z = ln 2"),
    )
    results = (
        Step(
            eq(sp.Derivative(bce_loss, (z, 2)), bce_curvature),
            "the curvature of BCE through sigmoid: a (1 - a)",
            where=moderate,
        ),
        Step(sp.Gt(bce_curvature, 0), "positive for every z and label: BCE is convex in z"),
        Step(
            eq(sp.Derivative(mse_loss, (z, 2)), mse_curvature),
            "the curvature of the squared error through sigmoid",
            where=moderate,
        ),
        Step(eq(sp.Subs(mse_curvature.subs(y, 1), z, z_one), 0), "for y = 1 it is zero at z = -ln 2"),
        Step(
            sp.Lt(curve_one, 0),
            "negative before it: concave where the prediction is confidently wrong",
            where={z: below_one},
        ),
        Step(sp.Gt(curve_one, 0), "positive after: the squared error is not convex in z", where={z: above_one}),
        Step(sp.Gt(curve_zero, 0), "for y = 0 it is positive before z = ln 2", where={z: below_zero}),
        Step(sp.Lt(curve_zero, 0), "and negative after it", where={z: above_zero}),
        *(
            Step(
                eq(sp.Subs(mse_curvature, z, sp.log(root / (1 - root))), 0),
                f"for a soft label y in (0, 1), zero at the {which} root a of the quadratic (sp.solve)",
                where=soft,
                symbolic=False,
            )
            for which, root in zip(("smaller", "larger"), roots, strict=True)
        ),
    )
    return Body(Domain({z: LOGIT, y: LABEL, a: PROBABILITY}), steps, results)
