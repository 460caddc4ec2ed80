"""Loss definitions and information quantities shared by several derivations.

Each is taken from a verified derivation when a derivation is built (looked
up by name in the registry), so a catalogue module using it needs no import
of another catalogue module.

>>> from derive.model.activations import sigmoid
>>> from derive.model.symbols import a, z
>>> bce_in(sigmoid(z))
-y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z))
>>> squared_error_in(a)
(a - y)**2/2
"""

from __future__ import annotations

import sympy as sp

from derive.model.symbols import K, a, k, p, y
from derive.registry import get

# The entropy H(p) and the cross-entropy H(p, q): two unknown functions that print as H.
H = sp.Function("H", nargs=1)
H2 = sp.Function("H", nargs=2)


def bce_in(prediction: sp.Expr) -> sp.Expr:
    """Binary cross-entropy -[y ln a + (1 - y) ln(1 - a)] of a prediction, label ``y``, from ``bernoulli_nll_bce``."""
    return get("bernoulli_nll_bce").result.rhs.xreplace({a: prediction})


def squared_error_in(prediction: sp.Expr) -> sp.Expr:
    """Half the squared error (a - y)^2 / 2 of a prediction, label ``y``."""
    return (prediction - y) ** 2 / 2


def expected(weights: sp.IndexedBase, value: sp.Expr) -> sp.Sum:
    """The expectation ``sum_k weights_k * value_k`` over the classes 1..K.

    >>> from derive.model.symbols import pv
    >>> expected(pv, sp.log(pv[k]))
    Sum(log(p[k])*p[k], (k, 1, K))
    """
    return sp.Sum(weights[k] * value, (k, 1, K))


def nats(variable: sp.Expr) -> sp.Expr:
    """The self-information of an event of probability ``variable``, from ``self_information``."""
    return get("self_information").result.rhs.subs(p, variable)
