"""Binary cross-entropy and squared error against the prediction, for targets 0 and 1."""

from __future__ import annotations

from typing import Any

from derive.registry import get
from derive.site.figures.curves import in_prediction, loss_label

NAME = "losses"
ALT = "Loss against prediction for targets 0 and 1"
REQUIRES = ("bce_sigmoid_grad", "mse_sigmoid_grad")
SIZE = (8.4, 3.6)  # two panels side by side


def draw(fig: Any, np: Any, runs: Any = ()) -> None:
    """Draw the figure on ``fig``."""
    grid = np.linspace(0.001, 0.999, 400)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, target in zip(axes, (0, 1), strict=True):
        for name, label in (("bce_sigmoid_grad", "binary cross-entropy"), ("mse_sigmoid_grad", "squared error")):
            expr = get(name).result.lhs.expr
            loss = in_prediction(expr, y=target)
            ax.plot(grid, loss(grid), label=loss_label(label, expr))
        ax.set_xlabel("prediction")
        ax.set_title(f"target {target}")
        ax.set_ylim(0, 4)
    axes[0].set_ylabel("loss")
    axes[0].legend()
