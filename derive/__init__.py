"""derive: the losses of machine learning and their gradients, derived by SymPy and verified.

>>> import derive
>>> d = derive.get("sigmoid_derivative")
>>> d.result
Eq(Derivative(sigmoid(z), z), (1 - sigmoid(z))*sigmoid(z))
>>> d.check().passed
True
"""

from __future__ import annotations

from derive.core import Body, Derivation, DerivationError, Step, entry, eq
from derive.functions import sigmoid, softmax
from derive.registry import UnknownDerivation, add, get, names
from derive.through import gradient_through
from derive.verify import CheckReport

__all__ = [
    "Body",
    "CheckReport",
    "Derivation",
    "DerivationError",
    "Step",
    "UnknownDerivation",
    "add",
    "entry",
    "eq",
    "get",
    "gradient_through",
    "names",
    "sigmoid",
    "softmax",
]
