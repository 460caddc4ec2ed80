"""Size of the gradient in the logit against the prediction, sigmoid output: cross-entropy vs squared error."""

from __future__ import annotations

from typing import Any

from derive.registry import get
from derive.site.figures.curves import in_prediction, loss_label

NAME = "gradient-sigmoid"
ALT = "Size of the gradient against the predicted probability, sigmoid"
REQUIRES = ("bce_sigmoid_grad", "mse_sigmoid_grad")
SIZE = (6.4, 3.6)


def draw(fig: Any, np: Any, runs: Any = ()) -> None:
    """Draw the figure on ``fig``."""
    grid = np.linspace(0.001, 0.999, 400)
    ax = fig.subplots()
    for name, label in (("bce_sigmoid_grad", "cross-entropy"), ("mse_sigmoid_grad", "squared error")):
        result = get(name).result
        gradient = in_prediction(result.rhs, y=1)
        ax.plot(grid, np.abs(gradient(grid)), label=loss_label(label, result.lhs.expr))
    ax.set_xlabel("predicted probability of the true class")
    ax.set_ylabel("size of the gradient in the logit")
    ax.set_title("sigmoid output, label 1")
    ax.legend()
