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

REQUIRES = ("softmax_jacobian",)
NAME = STATIC = "interactive-jacobian"  # the static figure drawn here
SIZE = (5.2, 4.2)
ALT = "Heat map of the softmax Jacobian for four classes: positive on the diagonal, negative off it"
CAPTION = (
    "Set the number of classes and the logits; each cell is the derivative of one class's probability (row) "
    "in one logit (column). The diagonal is positive, the rest negative, and every row sums to zero. Pick a "
    "row and a column to read a cell in full."
)
PARAMETERS = ("z", "i", "j")
# Starting logits for up to 10 classes (the first CLASSES are shown first, and in the static figure).
LOGITS = [2.0, 1.0, -1.0, 0.5, -2.0, 1.5, -0.5, 0.0, -1.5, 2.5]
CLASSES = 4


def functions() -> list[JsFunction]:
    return [javascript("jacobian_entry", get("softmax_jacobian").result.rhs, PARAMETERS)]


def config() -> dict[str, Any]:
    return {
        "functions": {"jacobian": "jacobian_entry"},
        "logits": LOGITS,
        "classes": CLASSES,
        "min_classes": 3,
        "max_classes": len(LOGITS),
        "logit": {"min": -8, "max": 8, "step": 0.1},
    }


def draw(fig: Any, np: Any, runs: tuple[Any, ...] = ()) -> None:
    """The static version: the heat map at the softmax figure's starting logits."""
    logits = LOGITS[:CLASSES]
    size = len(logits)
    entry = get("softmax_jacobian").result.rhs
    cells = np.array(
        [[_entry(entry, logits, row, column) for column in range(size)] for row in range(size)],
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


def _entry(expr: Any, logits: list[float], row: int, column: int) -> float:
    """Entry (row, column) of the Jacobian (0-based) at the logits, in 30-digit arithmetic."""
    import mpmath
    import sympy as sp

    from derive.verify.evaluate import compile_expr

    symbols = {s.name: s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    (logit_vector,) = expr.atoms(sp.IndexedBase)
    env = {
        logit_vector: [None, *(mpmath.mpf(v) for v in logits)],
        symbols["K"]: len(logits),
        symbols["i"]: row + 1,
        symbols["j"]: column + 1,
    }
    with mpmath.workdps(30):
        return float(compile_expr(expr)(env))
