"""What the figures share: a curve in the prediction from a result, and labels printed by SymPy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from derive.model.activations import sigmoid

PREDICTION = sp.Symbol("a")


def in_prediction(expr: sp.Expr, **values: float) -> Callable[[Any], Any]:
    """A NumPy function of a = sigma(z) from an expression in sigmoid(z) and, say, the label y.

    >>> from derive.model.symbols import y, z
    >>> f = in_prediction(sigmoid(z) - y, y=1)
    >>> float(f(0.25))
    -0.75
    """
    replaced = expr.replace(lambda e: isinstance(e, sigmoid), lambda e: PREDICTION)
    fixed = {s: values[s.name] for s in replaced.free_symbols if s.name in values}
    return sp.lambdify(PREDICTION, replaced.subs(fixed), "numpy")


def math_label(expr: sp.Basic, fallback: str, short: bool = True) -> str:
    r"""A label printed by SymPy, as matplotlib mathtext; ``fallback`` (words) if mathtext cannot draw it.

    Labels are never typed math: they are :func:`derive.site.printed.tex` of a
    catalogue object between ``$`` signs.

    >>> from derive.model.symbols import z
    >>> math_label(sigmoid(z), "the sigmoid", short=False)
    '$\\sigma\\left(z\\right)$'
    >>> math_label(sigmoid(z), "the sigmoid")
    '$a$'
    """
    from matplotlib.mathtext import MathTextParser

    from derive.site.printed import tex

    text = f"${tex(expr, short=short)}$"
    try:
        MathTextParser("path").parse(text)
    except ValueError:  # mathtext knows a subset of LaTeX; anything beyond it is said in words
        return fallback
    return text


def loss_label(words: str, loss: sp.Expr) -> str:
    """A legend entry: the loss's name, and for the squared error (short enough for a legend) its formula."""
    return f"{words} {math_label(loss, '')}".rstrip() if words == "squared error" else words
