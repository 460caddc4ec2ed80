"""Size of the gradient at the true class's logit against its probability, softmax output, 3 and 10 classes."""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from derive.registry import get

NAME = "gradient-softmax"
ALT = "Size of the gradient against the predicted probability, softmax"
REQUIRES = ("cce_softmax_grad", "mse_softmax_grad")
SIZE = (6.4, 3.6)


def draw(fig: Any, np: Any, runs: Any = ()) -> None:
    """Draw the figure on ``fig``."""
    from derive.verify.evaluate import compile_expr

    ax = fig.subplots()
    grid = np.linspace(0.001, 0.999, 200)
    for name, label in (("cce_softmax_grad", "cross-entropy"), ("mse_softmax_grad", "squared error")):
        result = get(name).result
        gradient = compile_expr(result.rhs)
        bases = {b.name: b for b in result.rhs.atoms(sp.IndexedBase)}
        symbols = {**{s.name: s for s in result.rhs.free_symbols}, **bases}
        for classes, style in ((3, "-"), (10, ":")):
            values = []
            with mpmath.workdps(30):
                for a_true in grid:
                    # the true class is 1; the rest of the probability is spread evenly
                    rest = (1 - mpmath.mpf(a_true)) / (classes - 1)
                    probs = [mpmath.mpf(a_true)] + [rest] * (classes - 1)
                    env = {symbols["K"]: classes, symbols["z"]: [None] + [mpmath.log(p) for p in probs]}
                    for index in ("i", "p", "c"):
                        if index in symbols:
                            env[symbols[index]] = 1
                    if "y" in symbols:
                        env[symbols["y"]] = [None, 1] + [0] * (classes - 1)
                    values.append(abs(float(gradient(env))))
            ax.plot(grid, values, style, label=f"{label}, {classes} classes")
    ax.set_xlabel("predicted probability of the true class")
    ax.set_ylabel("size of the gradient\nat the true class's logit")
    ax.set_title("softmax output, one-hot label (other classes equal)")
    ax.legend()
