"""The worked examples and the training experiment, as typed page data for pages and figures.

Both come from :mod:`derive.site.content` and are computed only when a build
needs them (cached under :func:`derive.site.keys.content_key`).  Each
example's expression is re-evaluated here in 30-digit arithmetic and compared
with the value it reports, so a page never shows a number its expression does
not give.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from derive.site.cache import Cache
from derive.site.data import Example, Math, Run, from_json, to_json
from derive.site.keys import content_key

# An example's value is a float: it must agree with its expression to about
# double precision, not to the 1e-12 of the verifier's 60-digit checks.
EXAMPLE_TOLERANCE = 1e-9


def examples_data(cache: Cache | None) -> tuple[Example, ...]:
    """Every worked example with its printed expression, value, quoted value and check."""
    key = content_key("examples")
    cached = cache.get_json("examples", key) if cache else None
    if cached is not None:
        return tuple(from_json(Example, e) for e in cached["examples"])
    from derive.site.content.examples import worked_examples
    from derive.site.printed import tex

    out = []
    for example in worked_examples():
        with mpmath.workdps(30):
            exact = mpmath.mpf(str(sp.N(example.expression, 30)))
            agrees = bool(abs(exact - example.value) <= EXAMPLE_TOLERANCE * max(1, abs(exact)))
        out.append(
            Example(
                name=example.name,
                group=example.group,
                derivation=example.derivation,
                math=Math(tex(example.expression), f"example {example.name}", agrees),
                value=float(example.value),
                quoted=example.quoted,
                note=example.note,
                passed=agrees,
                # the values put in are data, not a claim: printed from SymPy objects, nothing to check
                inputs=Math(
                    ", \\quad ".join(tex(given) for given in example.inputs), f"example {example.name}, inputs", True
                )
                if example.inputs
                else None,
            )
        )
    if cache:
        cache.put_json("examples", key, {"examples": to_json(tuple(out))})
    return tuple(out)


def experiment_data(cache: Cache | None) -> tuple[Run, ...]:
    """The experiment's runs (curves and step counts)."""
    key = content_key("experiment")
    cached = cache.get_json("experiment", key) if cache else None
    if cached is not None:
        return tuple(from_json(Run, r) for r in cached["runs"])
    from derive.site.content.experiment import run_experiment

    runs = tuple(
        Run(
            start=run.start,
            loss=run.loss,
            w0=float(run.w0),
            b0=float(run.b0),
            losses=tuple(float(v) for v in run.losses),
            outputs=tuple(float(v) for v in run.outputs),
            steps_to_below=run.steps_to_below,
        )
        for run in run_experiment()
    )
    if cache:
        cache.put_json("experiment", key, {"runs": to_json(runs)})
    return runs
