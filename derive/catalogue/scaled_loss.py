"""A constant factor in front of a loss: the same minimiser, a gradient rescaled by the factor.

This is what "dropping the precision beta of the Gaussian model does not affect
convergence" does and does not mean: the loss's minimiser stays, but gradient
descent on the scaled loss with learning rate eta is gradient descent on the
loss with learning rate beta * eta.

>>> import derive
>>> derive.get("scaled_loss_descent").result.rhs
a - beta*eta*Derivative(L(a, y), a)
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import LOGIT, POSITIVE, Domain

a = sp.Symbol("a", real=True)  # the prediction, a real output (the Gaussian model's mean)
y = sp.Symbol("y", real=True)  # its real target
beta = sp.Symbol("beta", positive=True)  # the constant factor: the precision 1/sigma^2 of a Gaussian noise model
eta = sp.Symbol("eta", positive=True)  # the learning rate
other = sp.Symbol("a_0", real=True)  # a second prediction, to compare the loss at two points
L = sp.Function("L", nargs=2)  # any differentiable loss of the prediction and its target
# The numeric check needs a concrete loss; the symbolic proofs hold for every L.
_t, _s = sp.symbols("t s", real=True)
SQUARED = {L: sp.Lambda((_t, _s), (_t - _s) ** 2 / 2)}


@entry("scaled_loss_descent", "Dropping a constant factor: the same minimiser, a rescaled learning rate")
def scaled_loss_descent() -> Body:
    """Multiplying a loss {L} by a positive constant {beta}, as the Gaussian likelihood multiplies the squared error
    by the precision, changes neither which prediction is best nor the direction of the gradient; it changes the
    gradient's size. The derivative of {beta} times the loss is {beta} times its derivative, so one step of gradient
    descent with learning rate {eta} on the scaled loss is exactly one step with learning rate {beta} {eta} on the
    loss itself. A positive factor keeps the order of any two values of the loss, so both have the same minimisers.
    Dropping the factor is therefore harmless for where training ends, but not for how it gets there: the same
    learning rate takes steps {beta} times smaller, or larger, and a rate tuned for one is off by {beta} for the
    other."""
    scaled = beta * L(a, y)
    derivative = sp.diff(scaled, a)  # SymPy takes the constant out of the derivative
    step_scaled = a - eta * sp.Derivative(scaled, a)
    regrouped = a - (beta * eta) * sp.Derivative(L(a, y), a)
    difference = beta * L(a, y) - beta * L(other, y)
    factored = sp.factor_terms(difference)
    steps = (
        Step(eq(sp.Derivative(scaled, a), derivative), "a constant factor comes out of a derivative", model=SQUARED),
    )
    results = (
        Step(
            eq(step_scaled, regrouped),
            "a step at rate {eta} on the scaled loss is a step at rate {beta} {eta} on the loss: other step sizes",
            model=SQUARED,
        ),
        Step(
            eq(difference, factored),
            "with {beta} positive, the scaled loss orders any two predictions as the loss does: the same minimiser",
            model=SQUARED,
        ),
    )
    squared = beta * (a - y) ** 2 / 2
    results += (
        Step(
            eq(sp.Derivative(squared, a), sp.diff(squared, a)),
            "for the Gaussian model's squared error, {beta} the precision: {beta} times prediction minus target",
        ),
    )
    prediction = dataclasses.replace(LOGIT, name="a real prediction")
    target = dataclasses.replace(LOGIT, name="a real target")
    return Body(
        Domain({beta: POSITIVE, eta: POSITIVE, a: prediction, other: prediction, y: target}),
        steps,
        results,
    )
