"""Interactive figure (b): softmax probabilities and both gradients, for 3 to 10 logits.

Sliders for the logits, the number of classes and the true class (a one-hot
label); for each class the page shows the probability, the cross-entropy
gradient and the squared-error gradient in that class's logit, and both
losses.  The probabilities are the left side of ``softmax_jacobian``'s result;
losses and gradients are those of ``cce_softmax_grad`` and ``mse_softmax_grad``
(their headline results, valid for any label).

>>> config()["logits"][:3]
[2.0, 1.0, -1.0]
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.codegen_js import JsFunction, javascript
from derive.registry import get

REQUIRES = ("softmax_jacobian", "cce_softmax_grad", "mse_softmax_grad")
NAME = STATIC = "interactive-softmax"  # the static figure drawn here
SIZE = (6.4, 3.6)
ALT = "Probability, cross-entropy gradient and squared-error gradient for each of four classes, true class 1"
CAPTION = (
    "Set the number of classes, move the logits (arrow keys on a slider) and pick the true class. The "
    "cross-entropy gradient of each class is its probability minus its label; the squared error's gradient "
    "collects a share from every class and fades as the true class's probability goes to zero."
)
PARAMETERS = ("z", "y", "i")
# Starting logits for up to 10 classes: a confident true class 1, then spread below it.
LOGITS = [2.0, 1.0, -1.0, 0.5, -2.0, 1.5, -0.5, 0.0, -1.5, 2.5]
CLASSES = 4


def expressions() -> dict[str, sp.Expr]:
    """What the figure computes, each taken from a verified result."""
    ce, se = get("cce_softmax_grad").result, get("mse_softmax_grad").result
    return {
        "probability": get("softmax_jacobian").result.lhs.expr,
        "ce_loss": ce.lhs.expr,
        "ce_gradient": ce.rhs,
        "se_loss": se.lhs.expr,
        "se_gradient": se.rhs,
    }


def functions() -> list[JsFunction]:
    return [javascript(f"softmax_{key}", expr, PARAMETERS) for key, expr in expressions().items()]


def controls() -> dict[str, Any]:
    """The logit controls shared with the Jacobian figure."""
    return {
        "logits": LOGITS,
        "classes": CLASSES,
        "min_classes": 3,
        "max_classes": len(LOGITS),
        "logit": {"min": -8, "max": 8, "step": 0.1},
    }


def config() -> dict[str, Any]:
    return {"functions": {key: f"softmax_{key}" for key in expressions()}, **controls()}


def evaluate(expr: sp.Expr, logits: list[float], label: list[float], indices: dict[str, int]) -> float:
    """``expr`` at the logits, label and (0-based) class indices by name, in 30-digit arithmetic, for static SVG."""
    import mpmath

    from derive.verify.evaluate import compile_expr

    env: dict[Any, Any] = {}
    for base in expr.atoms(sp.IndexedBase):
        env[base] = [None, *(mpmath.mpf(v) for v in (logits if base.name == "z" else label))]
    for s in (s for s in expr.free_symbols if isinstance(s, sp.Symbol)):
        if s.name == "K":
            env[s] = len(logits)
        elif s.name in indices:
            env[s] = indices[s.name] + 1
    with mpmath.workdps(30):
        return float(compile_expr(expr)(env))


def draw(fig: Any, np: Any, runs: tuple[Any, ...] = ()) -> None:
    """The static version: the bars at the starting logits, true class 1."""
    logits = LOGITS[:CLASSES]
    label = [1.0] + [0.0] * (CLASSES - 1)
    found = expressions()
    ax = fig.subplots()
    width = 0.26
    for offset, (key, name, colour) in enumerate(
        (
            ("probability", "probability", "0.55"),
            ("ce_gradient", "cross-entropy gradient", "C0"),
            ("se_gradient", "squared-error gradient", "C1"),
        )
    ):
        values = [evaluate(found[key], logits, label, {"i": k}) for k in range(CLASSES)]
        ax.bar(np.arange(CLASSES) + (offset - 1) * width, values, width, label=name, color=colour)
    ax.axhline(0, color="grey", linewidth=1)
    ax.set_xticks(range(CLASSES), [f"class {k + 1}" + (" (true)" if k == 0 else "") for k in range(CLASSES)])
    ax.set_ylim(-1, 1)
    ax.set_title("logits " + ", ".join(f"{v:g}" for v in logits))
    ax.legend(loc="lower right", fontsize=8)
