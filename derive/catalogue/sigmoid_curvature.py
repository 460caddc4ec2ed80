"""Second derivatives through sigmoid: BCE is convex in the logit, the squared error is not.

>>> import derive
>>> derive.get("sigmoid_losses_curvature").results[0].rhs
(1 - sigmoid(z))*sigmoid(z)
"""

from __future__ import annotations

import math

import sympy as sp

from derive.model.activations import sigmoid
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import LABEL, LOGIT, PROBABILITY, Domain, in_interval
from derive.model.symbols import a, y, z
from derive.recipes.curvature_kinds import MODERATE_LOGIT
from derive.registry import get


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
            f"differentiate the gradient, from `{name}`",
            where={z: MODERATE_LOGIT},
        ),
        Step(
            eq(sp.Derivative(gradient, z), chain),
            "chain rule: the gradient is a function of the prediction, itself the sigmoid of the logit",
        ),
        Step(eq(chain, closed), "substitute the sigmoid's derivative, from `sigmoid_derivative`"),
    ]
    return steps, closed, outer


@entry(
    "sigmoid_losses_curvature",
    "Curvature through sigmoid: BCE is convex in the logit, squared error is not",
    uses=("bce_sigmoid_grad", "mse_sigmoid_grad", "sigmoid_derivative"),
)
def sigmoid_losses_curvature() -> Body:
    """Differentiating the gradients once more, through the sigmoid's derivative, gives the curvature in the logit.
    For BCE the gradient's slope in the prediction is one, so the curvature is the sigmoid's slope: positive for
    every logit and every label, so BCE is convex in the logit and gradient descent on it meets no false flat
    regions. For half the squared error the gradient is a cubic in the prediction whose slope, a quadratic,
    changes sign, so the curvature does too and the loss is not convex in the logit. For a label of 1 the root
    between 0 and 1 is a prediction of one third, at a logit of minus the logarithm of 2: the loss curves
    downwards below it, exactly where the prediction is confidently wrong, and upwards above it. For a label of 0
    the root is a prediction of two thirds, at a logit of the logarithm of 2. For a soft label both roots of the
    quadratic lie between 0 and 1.
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
    # Each piece ends at the float on its own side of the exact zero (-ln 2 or ln 2): the nearest float
    # may lie one ulp beyond it, and there the stated sign is wrong on a sliver of width 1e-17.
    below_one, above_one = in_interval(-30, _float_below(z_one)), in_interval(_float_above(z_one), 30)
    below_zero, above_zero = in_interval(-30, _float_below(z_zero)), in_interval(_float_above(z_zero), 30)
    soft = {y: in_interval(0, 1, "a soft label strictly between 0 and 1")}
    moderate = {z: MODERATE_LOGIT}
    steps = (
        *bce_steps,
        *mse_steps,
        Step(eq(mse_outer, mse_factor), "the second derivative has the sign of this quadratic in the prediction {a}"),
        Step(
            eq(at_one, sp.factor(at_one)),
            "for a label of 1, the roots are one third, and one, which a sigmoid never reaches",
        ),
        Step(eq(at_zero, sp.factor(at_zero)), "for a label of 0: zero, which a sigmoid never reaches, and two thirds"),
        Step(
            eq(sigmoid(z_one), root_one[0]),
            "a prediction of one third comes from a logit of minus the logarithm of 2 (the log-odds of the prediction)",
        ),
        Step(eq(sigmoid(z_zero), root_zero[0]), "a prediction of two thirds comes from a logit of the logarithm of 2"),
    )
    results = (
        Step(
            eq(sp.Derivative(bce_loss, (z, 2)), bce_curvature),
            "the curvature of BCE through sigmoid: the sigmoid's slope",
            where=moderate,
        ),
        Step(sp.Gt(bce_curvature, 0), "positive for every logit and label: BCE is convex in the logit"),
        Step(
            eq(sp.Derivative(mse_loss, (z, 2)), mse_curvature),
            "the curvature of the squared error through sigmoid",
            where=moderate,
        ),
        Step(
            eq(sp.Subs(mse_curvature.subs(y, 1), z, z_one), 0),
            "for a label of 1 it is zero at a logit of minus the logarithm of 2",
        ),
        Step(
            sp.Lt(curve_one, 0),
            "negative before it: concave where the prediction is confidently wrong",
            where={z: below_one},
        ),
        Step(sp.Gt(curve_one, 0), "positive after: the squared error is not convex in the logit", where={z: above_one}),
        Step(
            sp.Gt(curve_zero, 0),
            "for a label of 0 it is positive below a logit of the logarithm of 2",
            where={z: below_zero},
        ),
        Step(sp.Lt(curve_zero, 0), "and negative after it", where={z: above_zero}),
        *(
            Step(
                eq(sp.Subs(mse_curvature, z, sp.log(root / (1 - root))), 0),
                f"for a soft label strictly between 0 and 1, zero at the {which} root of the quadratic",
                where=soft,
                symbolic=False,
            )
            for which, root in zip(("smaller", "larger"), roots, strict=True)
        ),
    )
    return Body(Domain({z: LOGIT, y: LABEL, a: PROBABILITY}), steps, results)


def _float_below(exact: sp.Expr) -> float:
    """The largest float not above ``exact``.

    >>> _float_below(-sp.log(2)) <= -0.6931471805599453
    True
    """
    nearest = float(exact)
    return nearest if sp.Rational(nearest) <= exact else math.nextafter(nearest, -math.inf)


def _float_above(exact: sp.Expr) -> float:
    """The smallest float not below ``exact``."""
    nearest = float(exact)
    return nearest if sp.Rational(nearest) >= exact else math.nextafter(nearest, math.inf)
