"""The sigmoid and its slope against the logit, both from ``sigmoid_derivative``."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.registry import get
from derive.site.figures.curves import math_label

NAME = "sigmoid"
ALT = "The sigmoid and its derivative"
REQUIRES = ("sigmoid_derivative",)
SIZE = (6.4, 3.6)


def draw(fig: Any, np: Any, runs: Any = ()) -> None:
    """Draw the figure on ``fig``."""
    result = get("sigmoid_derivative").result
    z = next(iter(result.lhs.free_symbols))
    value = sp.lambdify(z, result.lhs.expr.rewrite(sp.exp), "numpy")
    slope = sp.lambdify(z, result.rhs.rewrite(sp.exp), "numpy")
    grid = np.linspace(-8, 8, 321)
    ax = fig.subplots()
    ax.plot(grid, value(grid), label=math_label(result.lhs.expr, "the sigmoid", short=False))
    ax.plot(grid, slope(grid), label=math_label(result, "its slope", short=False))
    ax.set_xlabel("logit " + math_label(z, ""))
    ax.legend(loc="center right")
