"""Interactive figure (d): the softmax Jacobian as a heat map, for the logits the reader sets.

Entry (i, j) is the derivative of the probability of class i in the logit of
class j, from ``softmax_jacobian``'s verified result; it is also the Hessian
of cross-entropy through softmax (``cce_softmax_hessian``), so the heat map
shows that loss's curvature.  A row and a column picker read one entry out
in full.

>>> config()["functions"]
{'jacobian': 'jacobian_entry'}
"""

from __future__ import annotations

from typing import Any

from derive.codegen_js import JsFunction, javascript
from derive.registry import get
from derive.site.figures import interactive_softmax
from derive.site.figures.interactive_softmax import evaluate

REQUIRES = ("softmax_jacobian",)
STATIC = "interactive-jacobian"
ALT = "Heat map of the softmax Jacobian for four classes: positive on the diagonal, negative off it"
CAPTION = (
    "Set the number of classes and the logits; each cell is the derivative of one class's probability (row) "
    "in one logit (column). The diagonal is positive, the rest negative, and every row sums to zero. Pick a "
    "row and a column to read a cell in full."
)
PARAMETERS = ("z", "i", "j")


def functions() -> list[JsFunction]:
    return [javascript("jacobian_entry", get("softmax_jacobian").result.rhs, PARAMETERS)]


def config() -> dict[str, Any]:
    return {"functions": {"jacobian": "jacobian_entry"}, **interactive_softmax.controls()}


def draw_static(fig: Any, np: Any) -> None:
    """The static version: the heat map at the softmax figure's starting logits."""
    logits = interactive_softmax.LOGITS[: interactive_softmax.CLASSES]
    size = len(logits)
    entry = get("softmax_jacobian").result.rhs
    cells = np.array(
        [[evaluate(entry, logits, [], {"i": row, "j": column}) for column in range(size)] for row in range(size)],
        dtype=float,
    )
    largest = float(np.abs(cells).max())
    ax = fig.subplots()
    image = ax.imshow(cells, cmap="bwr", vmin=-largest, vmax=largest)
    for row in range(size):
        for column in range(size):
            ax.text(column, row, f"{cells[row, column]:.3f}", ha="center", va="center", fontsize=8)
    ticks = [str(k + 1) for k in range(size)]
    ax.set_xticks(range(size), ticks)
    ax.set_yticks(range(size), ticks)
    ax.set_xlabel("logit of class")
    ax.set_ylabel("probability of class")
    ax.set_title("logits " + ", ".join(f"{v:g}" for v in logits))
    fig.colorbar(image, ax=ax)
