"""Losses with kinks, derived by :func:`derive.gradient_through`: the Huber loss and the hinge loss.

Both are piecewise: the derivation writes each as smooth pieces, differentiates
each piece on its own region, states the gradient piece by piece and says what
holds where the pieces meet.  The Huber loss is quadratic within ``delta`` of
the label and linear beyond, so its one-sided slopes agree at both kinks; the
hinge loss has a corner where the margin reaches one.

>>> huber_in(a, y)
Piecewise(((a - y)**2/2, delta >= Abs(a - y)), (delta*(-delta/2 + Abs(a - y)), True))
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Body, entry
from derive.yours.through import gradient_through

a = sp.Symbol("a", real=True)
y = sp.Symbol("y", real=True)
delta = sp.Symbol("delta", positive=True)


def huber_in(prediction: sp.Expr, label: sp.Expr) -> sp.Expr:
    """The Huber loss: half the squared error within ``delta`` of the label, ``delta`` times the excess beyond."""
    error = prediction - label
    return sp.Piecewise((error**2 / 2, sp.Abs(error) <= delta), (delta * (sp.Abs(error) - delta / 2), True))


@entry("huber_grad", "Gradient of the Huber loss")
def huber_grad() -> Body:
    """The Huber loss of a prediction with no activation: half the squared error while the error is at most
    {delta} in size, and beyond that a straight line of slope {delta}, joined so that the value and the slope
    agree. Differentiated piece by piece, the gradient is the error itself near the label and is
    clipped to plus or minus {delta} far from it, so an outlier pulls no harder than {delta}. At both kinks the
    two one-sided slopes are equal, so the loss is differentiable everywhere, unlike the absolute error.
    """
    derived = gradient_through(huber_in(a, y), a, "identity", name="huber_grad")
    return Body(derived.domain, derived.steps, derived.conclusions)


@entry("hinge_grad", "Gradient of the hinge loss")
def hinge_grad() -> Body:
    """The hinge loss of a score {a} against a label {y}: zero once the margin, their product, reaches one, and
    one minus the margin below that. Differentiated piece by piece, the gradient is zero on the
    flat piece and minus the label on the sloped one. Where the margin is exactly one the two one-sided slopes
    differ, so the loss has a corner there and no gradient, only the slopes on either side.
    """
    derived = gradient_through(sp.Max(0, 1 - y * a), a, "identity", name="hinge_grad")
    return Body(derived.domain, derived.steps, derived.conclusions)
