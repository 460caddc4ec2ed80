"""The single-neuron experiment's output against the gradient-descent step, one panel per start."""

from __future__ import annotations

from typing import Any

from derive.site.data import Run

NAME = "training"
ALT = "Training curves of the experiment"
REQUIRES: tuple[str, ...] = ()
SIZE = (8.4, 3.6)
LOSS_NAMES = {"bce": "cross-entropy", "mse": "squared error"}  # one panel per start, side by side


def draw(fig: Any, np: Any, runs: tuple[Run, ...] = ()) -> None:
    """Draw the figure on ``fig`` from the experiment's runs."""
    starts = sorted({r.start for r in runs})
    axes = fig.subplots(1, len(starts), sharey=True, squeeze=False)[0]
    for ax, start in zip(axes, starts, strict=True):
        for run in (r for r in runs if r.start == start):
            # the legend says what the text says: the losses' names, not their code names
            ax.plot(range(len(run.outputs)), run.outputs, label=LOSS_NAMES.get(run.loss, run.loss))
        ax.axhline(0.1, color="grey", linewidth=1, linestyle="--")
        ax.set_title(f"start: {start}")
        ax.set_xlabel("gradient-descent step")
    axes[0].set_ylabel("output (target 0)")
    axes[0].legend()
