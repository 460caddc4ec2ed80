"""Interactive figure (a): loss, gradient and curvature against the logit, cross-entropy vs squared error.

A logit slider (and an exact-value box that takes logits such as 1000) and a
label switch; the page shows both losses, their gradients in the logit and
their curvatures there, and shades the saturated region, where the sigmoid's
slope is below a tenth of its peak.  Every value comes from a function printed
from these verified results: ``sigmoid_derivative`` (the sigmoid and its
slope), ``bce_sigmoid_grad`` and ``mse_sigmoid_grad`` (each loss, the
expression inside the derivative on the left, and its gradient) and
``sigmoid_losses_curvature`` (the curvatures, results 1 and 3).

>>> sorted(config()["functions"])[:3]
['ce_curvature', 'ce_gradient', 'ce_loss']
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.codegen_js import JsFunction, javascript
from derive.errors import BuildError
from derive.registry import get

REQUIRES = ("sigmoid_derivative", "bce_sigmoid_grad", "mse_sigmoid_grad", "sigmoid_losses_curvature")
NAME = STATIC = "interactive-sigmoid"  # the static figure drawn here
SIZE = (6.4, 6.4)
ALT = (
    "Loss, gradient and curvature against the logit for label 1, cross-entropy and squared error, saturated ends shaded"
)
CAPTION = (
    "Move the logit (arrow keys on the slider, or type any number, 1000 say, in the exact box) and switch the "
    "label. The shaded ends are saturated: there the sigmoid's slope is below a tenth of its peak, and the "
    "squared error's gradient and curvature fade while cross-entropy's gradient stays near the error."
)
PARAMETERS = ("z", "y")
SATURATION_FRACTION = 0.1  # saturated: the sigmoid's slope below this fraction of its peak (its value at 0)
LOGIT = {"min": -10, "max": 10, "step": 0.1, "value": -4}
LABEL = 1


def expressions() -> dict[str, sp.Expr]:
    """What the figure computes, each taken from a verified result."""
    slope = get("sigmoid_derivative").result
    ce, se = get("bce_sigmoid_grad").result, get("mse_sigmoid_grad").result
    curvature = get("sigmoid_losses_curvature").results
    ce_curvature, se_curvature = curvature[0], curvature[2]
    if ce_curvature.lhs.expr != ce.lhs.expr or se_curvature.lhs.expr != se.lhs.expr:
        raise BuildError("sigmoid_losses_curvature no longer differentiates the losses of the gradient results")
    return {
        "prediction": slope.lhs.expr,
        "slope": slope.rhs,
        "ce_loss": ce.lhs.expr,
        "ce_gradient": ce.rhs,
        "ce_curvature": ce_curvature.rhs,
        "se_loss": se.lhs.expr,
        "se_gradient": se.rhs,
        "se_curvature": se_curvature.rhs,
    }


def functions() -> list[JsFunction]:
    return [javascript(f"sigmoid_{key}", expr, PARAMETERS) for key, expr in expressions().items()]


def config() -> dict[str, Any]:
    return {
        "functions": {key: f"sigmoid_{key}" for key in expressions()},
        "logit": LOGIT,
        "label": LABEL,
        "saturation_fraction": SATURATION_FRACTION,
    }


def _numpy(expr: sp.Expr, label: int) -> Any:
    symbols = {s.name: s for s in expr.free_symbols}
    fixed = expr.subs({symbols["y"]: label}) if "y" in symbols else expr
    z = next(s for s in get("sigmoid_derivative").result.lhs.free_symbols)
    # 1/(1 + e^-z) is exact enough on the plotted range |z| <= 10 (no overflow, no cancellation that matters)
    return sp.lambdify(z, fixed.rewrite(sp.exp), "numpy")


def draw(fig: Any, np: Any, runs: tuple[Any, ...] = ()) -> None:
    """The static version: the three panels at label 1, saturated ends shaded."""
    grid = np.linspace(LOGIT["min"], LOGIT["max"], 401)
    curves = {key: _numpy(expr, LABEL)(grid) + 0 * grid for key, expr in expressions().items()}
    saturated = curves["slope"] < SATURATION_FRACTION * float(_numpy(expressions()["slope"], LABEL)(0.0))
    axes = fig.subplots(3, 1, sharex=True)
    for ax, (title, key, limits) in zip(
        axes,
        (
            ("loss", "loss", (0, 4)),
            ("gradient in the logit", "gradient", (-1.05, 1.05)),
            ("curvature", "curvature", None),
        ),
        strict=True,
    ):
        ax.fill_between(
            grid, 0, 1, where=saturated, transform=ax.get_xaxis_transform(), color="C1", alpha=0.12, linewidth=0
        )
        ax.plot(grid, curves[f"ce_{key}"], label="cross-entropy")
        ax.plot(grid, curves[f"se_{key}"], label="squared error")
        ax.set_ylabel(title)
        if limits:
            ax.set_ylim(*limits)
    axes[0].set_title(f"label {LABEL}; shaded: saturated (sigmoid slope below a tenth of its peak)")
    axes[0].legend(loc="upper right")
    axes[-1].set_xlabel("logit")
