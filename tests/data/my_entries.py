"""A user module written like the catalogue: an @entry builder, plus imports that must not be re-added."""

import sympy as sp

import derive
from derive.catalogue.activations import sigmoid_derivative  # noqa: F401  (imported, not defined here)
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import LOGIT, Domain
from derive.model.symbols import z

already_in_catalogue = derive.get("sigmoid_derivative")


@entry("softplus_derivative", "The derivative of softplus", uses=("sigmoid_derivative",))
def softplus_derivative() -> Body:
    """d/dz ln(1 + e^z) is the sigmoid."""
    softplus = sp.log(1 + sp.exp(z))
    raw = sp.diff(softplus, z)
    closed = derive.sigmoid(z)
    steps = (
        Step(eq(sp.Derivative(softplus, z), raw), "differentiate ln(1 + e^z)"),
        Step(eq(raw, closed.rewrite(sp.exp)), "divide numerator and denominator by e^z"),
    )
    return Body(Domain({z: LOGIT}), steps, (Step(eq(sp.Derivative(softplus, z), closed), "softplus' = sigmoid"),))
