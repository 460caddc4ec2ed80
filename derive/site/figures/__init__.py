"""Stage 3: the figures, one module each, drawn with matplotlib from verified results as deterministic SVG.

Each figure module names its file (``NAME``), alt text (``ALT``), the
derivations it draws from (``REQUIRES``) and its size in inches (``SIZE``),
and has ``draw(fig, np, runs)``.  Each curve is computed from a catalogue
result (lambdified or evaluated with :mod:`derive.verify.evaluate`), never
from a formula typed in the module.  :func:`draw` returns the drawing; the
pipeline decides where it goes.  The SVG is byte-identical between builds: a
fixed hash salt for element ids, no date in the metadata, fonts drawn as
paths, and the same rcParams every time.
"""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from types import ModuleType

from derive.site.data import Figure, Run
from derive.site.render import MARKER

# The figures, in the order a reader meets them.
FIGURE_MODULES: tuple[str, ...] = (
    "derive.site.figures.sigmoid",
    "derive.site.figures.gradient_sigmoid",
    "derive.site.figures.gradient_softmax",
    "derive.site.figures.losses",
    "derive.site.figures.training",
    "derive.site.figures.curvature_sigmoid",
    "derive.site.figures.label_smoothing",
    # the static versions of the interactive figures (derive/site/figures/interactive.py)
    "derive.site.figures.interactive_sigmoid",
    "derive.site.figures.interactive_softmax",
    "derive.site.figures.interactive_jacobian",
)

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


def figure_modules() -> tuple[ModuleType, ...]:
    """The figure modules, imported."""
    return tuple(importlib.import_module(name) for name in FIGURE_MODULES)


def module_path(module: ModuleType) -> Path:
    """The source file of a figure module (part of its cache key)."""
    return Path(module.__file__ or "").resolve()


def draw(module: ModuleType, runs: tuple[Run, ...] = ()) -> Figure:
    """The figure of one module, with its SVG byte-identical for the same inputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # ignore the user's matplotlibrc
        matplotlib.rcParams.update(RC)
        fig = plt.figure(figsize=module.SIZE)
        try:
            module.draw(fig, np, runs)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="svg", metadata=METADATA)
        finally:
            plt.close(fig)
    return Figure(module.NAME, module.ALT, out.getvalue())
