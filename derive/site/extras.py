"""The worked examples and the training experiment, as plain data for pages and plots.

Both come from other modules of the package (:mod:`derive.site.content.examples`,
:mod:`derive.site.content.experiment`), imported only here and only when a build needs them.
Each example's expression is re-evaluated here in 30-digit arithmetic and
compared with the value it reports, so a page never shows a number its
expression does not give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mpmath
import sympy as sp

from derive.site.cache import Cache, hash_files
from derive.site.collect import PACKAGE_DIR

# An example's value is a float: it must agree with its expression to about
# double precision, not to the 1e-12 of the verifier's 60-digit checks.
EXAMPLE_TOLERANCE = 1e-9


def package_key(*extra: str) -> str:
    """A key over every module of the package except the site and the command line."""
    files = [
        p
        for p in PACKAGE_DIR.rglob("*.py")
        if p.relative_to(PACKAGE_DIR).parts[0] not in ("site", "cli")
        or p.relative_to(PACKAGE_DIR).parts[:2] == ("site", "content")
    ]
    return hash_files(files, str(Path(__file__).name), Path(__file__).read_text(), *extra)


def examples_data(cache: Cache | None) -> list[dict[str, Any]]:
    """Every worked example with its LaTeX, value, quoted value and check."""
    key = package_key("examples")
    cached = cache.get_json("examples", key) if cache else None
    if cached is not None:
        return cached["examples"]
    from derive.printing import latex
    from derive.site.content.examples import worked_examples

    out = []
    for example in worked_examples():
        with mpmath.workdps(30):
            exact = mpmath.mpf(str(sp.N(example.expression, 30)))
            agrees = abs(exact - example.value) <= EXAMPLE_TOLERANCE * max(1, abs(exact))
        out.append(
            {
                "name": example.name,
                "group": example.group,
                "derivation": example.derivation,
                "latex": latex(example.expression),
                "inputs": ", \\quad ".join(latex(given) for given in example.inputs),
                "value": float(example.value),
                "quoted": example.quoted,
                "note": example.note,
                "passed": bool(agrees),
            }
        )
    if cache:
        cache.put_json("examples", key, {"examples": out})
    return out


def experiment_data(cache: Cache | None) -> list[dict[str, Any]]:
    """The experiment's runs (curves and step counts)."""
    key = package_key("experiment")
    cached = cache.get_json("experiment", key) if cache else None
    if cached is not None:
        return cached["runs"]
    from derive.site.content.experiment import run_experiment

    runs = [
        {
            "start": run.start,
            "loss": run.loss,
            "w0": float(run.w0),
            "b0": float(run.b0),
            "losses": [float(v) for v in run.losses],
            "outputs": [float(v) for v in run.outputs],
            "steps_to_below": run.steps_to_below,
        }
        for run in run_experiment()
    ]
    if cache:
        cache.put_json("experiment", key, {"runs": runs})
    return runs
