"""The focal loss through a sigmoid, derived by :func:`derive.gradient_through`.

The focal loss scales each term of the BCE by how wrong the prediction is:
(1 - a)^gamma for a positive label, a^gamma for a negative one.  Its gradient
is derived here by the same machinery a user calls on their own loss; at
gamma = 0 it is the BCE gradient a - y.

>>> focal_in(a)
-a**gamma*(1 - y)*log(1 - a) - y*(1 - a)**gamma*log(a)
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Body, Step, entry, eq
from derive.model.symbols import a, y
from derive.registry import get
from derive.yours.through import gradient_through

gamma = sp.Symbol("gamma", positive=True)


def focal_in(prediction: sp.Expr) -> sp.Expr:
    """The focal loss -(y (1 - a)^gamma ln a + (1 - y) a^gamma ln(1 - a)) of a prediction, label ``y``."""
    return -(y * (1 - prediction) ** gamma * sp.log(prediction) + (1 - y) * prediction**gamma * sp.log(1 - prediction))


@entry(
    "focal_sigmoid_grad",
    "Gradient of the focal loss through a sigmoid",
    uses=("sigmoid_derivative", "bce_sigmoid_grad"),
)
def focal_sigmoid_grad() -> Body:
    """The focal loss of a sigmoid prediction, which weights each term of the binary cross-entropy by a power
    {gamma} of the probability left to learn, differentiated by the chain rule through the sigmoid: the
    loss's slope times the sigmoid's slope, each term multiplied out and grouped by label. For a positive label
    every term of the gradient carries that power of one minus the prediction, so examples already classified
    with confidence push the logit much less than under BCE; with a zero exponent the loss is BCE and the
    gradient is prediction minus label again.
    """
    derived = gradient_through(focal_in(a), a, "sigmoid", name="focal_sigmoid_grad")
    gradient, closed = derived.result.lhs, derived.result.rhs
    at_zero = closed.subs(gamma, 0)
    reduced = sp.expand(at_zero)
    positive = sp.factor_terms(closed.subs(y, 1))
    bce = get("bce_sigmoid_grad").result
    steps = (
        *derived.steps,
        Step(eq(sp.Subs(closed, gamma, 0), at_zero), "with a zero exponent {gamma} both weighting factors are one"),
        Step(eq(at_zero, reduced), "expand: the products of label and prediction cancel"),
    )
    results = (
        *derived.conclusions,
        Step(
            eq(sp.Subs(gradient, gamma, 0), bce.rhs),
            "with a zero exponent the focal loss is BCE, with the gradient of `bce_sigmoid_grad`",
        ),
        Step(
            eq(sp.Subs(gradient, y, 1), positive),
            "for a positive label the gradient carries the weighting factor: confident predictions count less",
        ),
    )
    return Body(derived.domain, steps, results)
