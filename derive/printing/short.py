"""Activations printed as the prediction they stand for: sigma(z) as a, sigma(z_2) as a_2, softmax(z)_i as a_i.

>>> import sympy as sp
>>> from derive.model.symbols import z, zv, i, K
>>> from derive.model.activations import sigmoid, softmax
>>> short_symbol(sigmoid(z)), short_symbol(softmax(zv, i, K)), short_symbol(sigmoid(2 * z))
(a, a[i], None)
"""

from __future__ import annotations

import re

import sympy as sp

from derive.model.activations import sigmoid, softmax

_LOGIT_NAME = re.compile(r"^z(_?\w*)$")


def _short_name(arg: sp.Basic) -> str | None:
    """``z`` -> ``a``, ``z2``/``z_2`` -> ``a_2``; anything else has no short name."""
    if isinstance(arg, sp.Symbol):
        match = _LOGIT_NAME.match(arg.name)
        if match:
            suffix = match.group(1).lstrip("_")
            return f"a_{suffix}" if suffix else "a"
    return None


def short_symbol(expr: sp.Basic) -> sp.Basic | None:
    """The symbol or indexed symbol an activation prints as, or None."""
    if isinstance(expr, sigmoid):
        name = _short_name(expr.args[0])
        return sp.Symbol(name) if name else None
    if isinstance(expr, softmax) and isinstance(expr.logits, sp.IndexedBase):
        label = expr.logits.label.name
        if label.startswith("z"):
            return sp.IndexedBase("a" + label[1:])[expr.index]
    return None
