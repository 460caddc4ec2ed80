"""The gradient at the true class's logit against that class's probability, with and without label smoothing."""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from derive.registry import get

NAME = "label-smoothing"
ALT = "Gradient at the true class's logit against its probability, plain and label-smoothed cross-entropy"
REQUIRES = ("cce_softmax_grad", "label_smoothing_grad")
SIZE = (6.4, 3.6)
CLASSES = 10
SHARES = (0.1, 0.2)  # the smoothing shares drawn


def _at_true_class(expr: sp.Expr, a_true: float, share: float = 0.0) -> float:
    """``expr`` (a catalogue result in softmax of z) with the true class 1 at probability ``a_true``, the rest
    spread evenly over the other classes, a one-hot label and the smoothing share ``share``.

    >>> round(_at_true_class(get("cce_softmax_grad").result.rhs, 0.25), 12)
    -0.75
    """
    from derive.verify.evaluate import compile_expr

    symbols = {s.name: s for s in expr.free_symbols} | {b.name: b for b in expr.atoms(sp.IndexedBase)}
    with mpmath.workdps(30):
        rest = (1 - mpmath.mpf(a_true)) / (CLASSES - 1)
        probs = [mpmath.mpf(a_true)] + [rest] * (CLASSES - 1)
        env: dict[Any, Any] = {symbols["K"]: CLASSES, symbols["z"]: [None] + [mpmath.log(p) for p in probs]}
        for index in ("i", "c"):
            if index in symbols:
                env[symbols[index]] = 1
        if "y" in symbols:
            env[symbols["y"]] = [None, 1] + [0] * (CLASSES - 1)
        if "epsilon" in symbols:
            env[symbols["epsilon"]] = mpmath.mpf(share)
        return float(compile_expr(expr)(env))


def smoothed_target(share: float) -> float:
    """The probability at which the smoothed gradient at the true class vanishes, from the verified result.

    >>> round(smoothed_target(0.1), 12)
    0.91
    """
    gradient = get("label_smoothing_grad").results[2].rhs
    # Bisection on the sign change, in plain floats: it needs no derivative and does not depend on the precision
    # mpmath happens to be set to (a root finder's tolerance would).
    low, high = 0.001, 0.999
    if not _at_true_class(gradient, low, share) < 0 < _at_true_class(gradient, high, share):
        raise ValueError(f"the smoothed gradient does not change sign between {low} and {high}")
    for _ in range(60):
        middle = (low + high) / 2
        if _at_true_class(gradient, middle, share) < 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def draw(fig: Any, np: Any, runs: Any = ()) -> None:
    """Draw the figure on ``fig``."""
    ax = fig.subplots()
    grid = np.linspace(0.001, 0.999, 200)
    plain = get("cce_softmax_grad").result.rhs
    ax.plot(grid, [_at_true_class(plain, p) for p in grid], label="cross-entropy, no smoothing")
    smoothed = get("label_smoothing_grad").results[2].rhs
    for share, style in zip(SHARES, ("--", ":"), strict=True):
        line = ax.plot(
            grid, [_at_true_class(smoothed, p, share) for p in grid], style, label=f"smoothing share {share}"
        )
        ax.axvline(smoothed_target(share), color=line[0].get_color(), linewidth=0.8, alpha=0.6)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("predicted probability of the true class")
    ax.set_ylabel("gradient at the\ntrue class's logit")
    ax.set_title(f"softmax output, {CLASSES} classes, one-hot label")
    ax.legend()
