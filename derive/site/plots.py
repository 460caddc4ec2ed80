"""Stage 3: the figures, drawn with matplotlib from verified results, as deterministic SVG.

Each curve is computed from a catalogue result (lambdified or evaluated with
:mod:`derive.verify.evaluate`), never from a formula typed here.  The SVG is
byte-identical between builds: a fixed hash salt for element ids, no date in
the metadata, fonts drawn as paths, and the same rcParams every time.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath
import sympy as sp

from derive.model.activations import sigmoid
from derive.printing import latex
from derive.registry import get
from derive.site import plot_curvature
from derive.site.render import MARKER

RC = {
    "svg.hashsalt": "derive-site",  # element ids from a fixed salt, not a random one
    "svg.fonttype": "path",  # glyphs as paths: no dependence on the reader's fonts
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine draws the same glyphs
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2,
    "figure.dpi": 100,
    "path.simplify": False,
}
METADATA = {"Date": None, "Creator": None, "Description": f"{MARKER}: do not edit"}
PREDICTION = sp.Symbol("a")


@dataclass(frozen=True)
class Plot:
    """One figure: file name, alt text, the derivations it draws from, and how to draw it."""

    name: str
    alt: str
    requires: tuple[str, ...]
    draw: Callable[[Any, Any], None]
    needs_experiment: bool = False
    size: tuple[float, float] | None = None  # inches; None: 6.4 x 3.6, or 8.4 wide for side-by-side panels


def in_prediction(expr: sp.Expr, **values: float) -> Callable[[Any], Any]:
    """A NumPy function of a = sigma(z) from an expression in sigmoid(z) and, say, the label y.

    >>> from derive.model.symbols import y, z
    >>> f = in_prediction(sigmoid(z) - y, y=1)
    >>> float(f(0.25))
    -0.75
    """
    replaced = expr.replace(lambda e: isinstance(e, sigmoid), lambda e: PREDICTION)
    fixed = {s: values[s.name] for s in replaced.free_symbols if s.name in values}
    return sp.lambdify(PREDICTION, replaced.subs(fixed), "numpy")


def math_label(expr: sp.Basic, fallback: str, short: bool = True) -> str:
    r"""A label printed by SymPy, as matplotlib mathtext; ``fallback`` (words) if mathtext cannot draw it.

    Labels are never typed math: they are :func:`derive.printing.latex` of a
    catalogue object between ``$`` signs.

    >>> from derive.model.symbols import z
    >>> math_label(sigmoid(z), "the sigmoid", short=False)
    '$\\sigma\\left(z\\right)$'
    >>> math_label(sigmoid(z), "the sigmoid")
    '$a$'
    """
    from matplotlib.mathtext import MathTextParser

    text = f"${latex(expr, short=short)}$"
    try:
        MathTextParser("path").parse(text)
    except ValueError:  # mathtext knows a subset of LaTeX; anything beyond it is said in words
        return fallback
    return text


def loss_label(words: str, loss: sp.Expr) -> str:
    """A legend entry: the loss's name, and for the squared error (short enough for a legend) its formula."""
    return f"{words} {math_label(loss, '')}".rstrip() if words == "squared error" else words


def _sigmoid_curves(fig: Any, np: Any) -> None:
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


def _sigmoid_gradients(fig: Any, np: Any) -> None:
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


def _softmax_gradients(fig: Any, np: Any) -> None:
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


def _losses(fig: Any, np: Any) -> None:
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


def _training(fig: Any, np: Any, runs: list[dict[str, Any]] | None = None) -> None:
    starts = sorted({r["start"] for r in runs or []})
    axes = fig.subplots(1, len(starts), sharey=True, squeeze=False)[0]
    for ax, start in zip(axes, starts, strict=True):
        for run in (r for r in runs or [] if r["start"] == start):
            # the legend says what the text says: the losses' names, not their code names
            words = {"bce": "cross-entropy", "mse": "squared error"}.get(run["loss"], run["loss"])
            ax.plot(range(len(run["outputs"])), run["outputs"], label=words)
        ax.axhline(0.1, color="grey", linewidth=1, linestyle="--")
        ax.set_title(f"start: {start}")
        ax.set_xlabel("gradient-descent step")
    axes[0].set_ylabel("output (target 0)")
    axes[0].legend()


PLOTS: tuple[Plot, ...] = (
    Plot("sigmoid", "The sigmoid and its derivative", ("sigmoid_derivative",), _sigmoid_curves),
    Plot(
        "gradient-sigmoid",
        "Size of the gradient against the predicted probability, sigmoid",
        ("bce_sigmoid_grad", "mse_sigmoid_grad"),
        _sigmoid_gradients,
    ),
    Plot(
        "gradient-softmax",
        "Size of the gradient against the predicted probability, softmax",
        ("cce_softmax_grad", "mse_softmax_grad"),
        _softmax_gradients,
    ),
    Plot("losses", "Loss against prediction for targets 0 and 1", ("bce_sigmoid_grad", "mse_sigmoid_grad"), _losses),
    Plot("training", "Training curves of the experiment", (), _training, needs_experiment=True),
    Plot(
        "curvature-sigmoid",
        "Loss and its second derivative against the logit, label 1: cross-entropy vs squared error",
        (plot_curvature.NAME,),
        plot_curvature.draw_curvature,
        size=(6.4, 5.2),
    ),
)
# The files whose source draws the plots: part of every plot's cache key.
PLOT_SOURCES = (Path(__file__), Path(plot_curvature.__file__))


def draw(plot: Plot, experiment: list[dict[str, Any]] | None = None) -> bytes:
    """The SVG of one plot, byte-identical for the same inputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # ignore the user's matplotlibrc
        matplotlib.rcParams.update(RC)
        wide = plot.name in ("losses", "training")
        fig = plt.figure(figsize=plot.size or (8.4 if wide else 6.4, 3.6))
        try:
            if plot.needs_experiment:
                plot.draw(fig, np, experiment)
            else:
                plot.draw(fig, np)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="svg", metadata=METADATA)
        finally:
            plt.close(fig)
    return out.getvalue()
