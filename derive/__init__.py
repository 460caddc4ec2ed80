"""derive: the losses of machine learning and their gradients, derived by SymPy and verified.

>>> import derive
>>> d = derive.get("sigmoid_derivative")
>>> d.result
Eq(Derivative(sigmoid(z), z), (1 - sigmoid(z))*sigmoid(z))
>>> d.check().passed
True

The public names load their modules on first use, so ``import derive`` (and
a command that needs nothing derived, such as a build with nothing changed)
does not pay for importing SymPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each public name and the module that defines it.
_PUBLIC: dict[str, str] = {
    "Body": "derive.model.derivation",
    "Derivation": "derive.model.derivation",
    "Named": "derive.model.derivation",
    "Step": "derive.model.derivation",
    "entry": "derive.model.derivation",
    "eq": "derive.model.derivation",
    "DerivationError": "derive.errors",
    "sigmoid": "derive.model.activations",
    "softmax": "derive.model.activations",
    "UnknownDerivation": "derive.registry",
    "add": "derive.registry",
    "get": "derive.registry",
    "names": "derive.registry",
    "gradient_through": "derive.yours.through",
    "CheckReport": "derive.verify.check",
}

__all__ = [
    "Body",
    "CheckReport",
    "Derivation",
    "DerivationError",
    "Named",
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

if TYPE_CHECKING:
    from derive.errors import DerivationError
    from derive.model.activations import sigmoid, softmax
    from derive.model.derivation import Body, Derivation, Named, Step, entry, eq
    from derive.registry import UnknownDerivation, add, get, names
    from derive.verify.check import CheckReport
    from derive.yours.through import gradient_through


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
