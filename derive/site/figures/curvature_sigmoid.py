"""The curvature figure: loss and second derivative against the logit, BCE vs squared error through sigmoid.

Every curve is lambdified from a result of ``sigmoid_losses_curvature`` (the
losses are the left-hand sides of its curvature results, the curvatures their
right-hand sides), and the marked point is where that derivation proves the
squared error's curvature is zero; nothing is typed here.

>>> import numpy as np
>>> curves = curvature_curves(np.array([0.0]))
>>> [round(float(curves["bce"][1][0]), 6), round(float(curves["mse"][1][0]), 6)]
[0.25, 0.0625]
>>> round(sign_change(), 6)
-0.693147
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.registry import get

SOURCE = "sigmoid_losses_curvature"
NAME = "curvature-sigmoid"
ALT = "Loss and its second derivative against the logit, label 1: cross-entropy vs squared error"
REQUIRES = (SOURCE,)
SIZE = (6.4, 5.2)
LABEL = 1  # the figure shows the label y = 1
BCE_RESULT, MSE_RESULT, ZERO_RESULT = 0, 2, 3  # results 1, 3 and 4 of sigmoid_losses_curvature


def _numpy(expr: sp.Expr) -> Any:
    """A NumPy function of z from an expression in sigmoid(z) and y, at y = LABEL."""
    fixed = expr.subs({s: LABEL for s in expr.free_symbols if s.name == "y"})
    (z,) = fixed.free_symbols
    # sigmoid(z) as 1/(1 + e^-z): exact enough on the plotted range |z| <= 7 (no overflow, no cancellation)
    return sp.lambdify(z, fixed.rewrite(sp.exp), "numpy")


def curvature_curves(grid: Any) -> dict[str, tuple[Any, Any]]:
    """Loss and second derivative on ``grid``, for "bce" and "mse", at y = 1."""
    results = get(SOURCE).results
    out = {}
    for key, index in (("bce", BCE_RESULT), ("mse", MSE_RESULT)):
        result = results[index]
        out[key] = (_numpy(result.lhs.expr)(grid), _numpy(result.rhs)(grid) + 0 * grid)
    return out


def sign_change() -> float:
    """The logit where the squared error's curvature changes sign at y = 1 (result 4: -ln 2)."""
    zero = get(SOURCE).results[ZERO_RESULT].lhs
    return float(zero.point[0])


def draw(fig: Any, np: Any, runs: Any = ()) -> None:
    """Draw the figure on ``fig``."""
    grid = np.linspace(-7, 7, 561)
    curves = curvature_curves(grid)
    turn = sign_change()
    loss_ax, curve_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    from derive.model.derivation import eq
    from derive.site.figures.curves import loss_label, math_label

    results = get(SOURCE).results
    for key, label, index in (("bce", "binary cross-entropy", BCE_RESULT), ("mse", "squared error", MSE_RESULT)):
        label = loss_label(label, results[index].lhs.expr)
        loss_ax.plot(grid, curves[key][0], label=label)
        curve_ax.plot(grid, curves[key][1], label=label)
    loss_ax.set_ylabel("loss")
    loss_ax.set_ylim(0, 4)
    loss_ax.set_title(f"sigmoid output, label {LABEL}")
    loss_ax.legend(loc="upper right")
    curve_ax.axhline(0, color="grey", linewidth=1)
    below = grid < turn
    curve_ax.fill_between(grid[below], curves["mse"][1][below], 0, color="C1", alpha=0.2, linewidth=0)
    for ax in (loss_ax, curve_ax):
        ax.axvline(turn, color="C1", linewidth=1, linestyle="--")
    zero = results[ZERO_RESULT].lhs
    where = math_label(eq(zero.variables[0], zero.point[0]), "the dashed line")
    curve_ax.annotate(
        f"squared error concave\nleft of {where}",
        xy=(turn - 1.8, -0.03),
        xytext=(-6.8, 0.17),
        fontsize=9,
        arrowprops={"arrowstyle": "->", "color": "grey"},
    )
    curve_ax.set_ylabel("second derivative\nin the logit")
    curve_ax.set_xlabel("logit " + math_label(zero.variables[0], ""))
